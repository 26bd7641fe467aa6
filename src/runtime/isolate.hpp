// One claim's check in a child process with a wall-clock and a memory limit, so that no claim can hang
// `check`, exhaust the machine, or (through a GMP abort) take the other claims' and scripts' report with it.
// Assumes a POSIX system (fork, pipes, poll, setrlimit); the child inherits the caller's memory (the parsed script).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>

namespace nncert::runtime {

// The size of one job's result a child may hand its parent (docs/limits.md): the parent holds the result as it
// arrives, then as the caller parses it (a claim's JSON), so without a cap a claim with huge evidence made the parent
// allocate without bound (with --max-memory 0), or spend its whole memory limit on one claim's result.
inline constexpr std::size_t max_result_mib = 256;

struct ResourceLimits {
    unsigned timeout_seconds = 600;    // wall-clock time per claim; 0: none
    std::size_t max_memory_mib = 4096; // address space (and GMP bytes) per claim; 0: none
    std::size_t max_result_bytes = max_result_mib << 20;  // one job's result (a test may lower it)
    // wall-clock time of all jobs of one run_isolated_each together (check: every claim of one script, --script-timeout);
    // 0: none. Jobs not started when it runs out are not run (Isolated::not_started).
    unsigned run_timeout_seconds = 0;
};

// The time a job may give its own work under a time limit of `timeout_seconds` (nothing for 0: no limit): the
// limit minus a margin of a tenth of it, at least min(1 s, half the limit) and at most 10 s. `check` hands it to
// the kernel as Options::deadline, so that a branch and bound stops by itself and reports its best bound; the kill
// at the limit stays as the backstop for work that does not look at the deadline.
std::optional<std::chrono::steady_clock::duration> kernel_time_budget(unsigned timeout_seconds);

struct Isolated {
    enum class Kind {
        done,      // the job returned: `payload` is its result
        failed,    // the job threw: `detail` is the message
        timeout,   // killed at the time limit
        memory,    // stopped at the memory limit (GMP cap, failed allocation, or killed for memory)
        crashed,   // ended by a signal: `detail` names it
    } kind = Kind::crashed;
    std::string payload;
    std::string detail;
    // Kind::memory only: the job finished, but the caller's process could not hold its result under its own memory
    // limit (a std::bad_alloc while receiving it); the child was stopped (review r8-10 F5).
    bool result_too_big = false;
    // Kind::memory only: the job finished with a result of this many bytes, over ResourceLimits::max_result_bytes;
    // it was not sent (the child replaced it by its size), or the parent stopped reading at the frame's length.
    std::size_t result_over_cap = 0;
    // Kind::timeout only: the run's time limit (ResourceLimits::run_timeout_seconds) stopped this job, not its own;
    // `not_started`: the job was not run at all, the limit having run out before it.
    bool run_limit = false;
    bool not_started = false;
};

// How a command names what stopped a job of Kind::memory: the cap on a job's result when that was it ("the limit of
// 256 MiB on a job's result (docs/limits.md)"), else memory_limit_phrase(max_memory_mib, option_phrase).
// `result_over_cap` is Isolated::result_over_cap.
std::string memory_stop_phrase(std::size_t result_over_cap, const ResourceLimits& limits, const std::string& option_phrase);

// What `check` reports for a claim whose child `run` was stopped by a limit: the limit's name (evidence.limit:
// "timeout", "max-memory", "max-result-size") and the reason, naming the limit that applied (docs/limits.md): the
// time and memory limits per claim for the claim's own child, the memory limit of the checking process for a
// result that process could not hold, the cap on a claim's result. Nothing for a job that was not stopped by one.
struct StopReason {
    std::string limit;
    std::string reason;
};
std::optional<StopReason> claim_stop_reason(const Isolated& run, const ResourceLimits& limits);

// Runs job() in a forked child under `limits` and returns what happened. The child never returns
// into the caller's code: it writes job()'s string to a pipe and _exits (no atexit handlers, no
// flushing of the parent's buffered output).
Isolated run_isolated(const std::function<std::string()>& job, const ResourceLimits& limits);

// For a child forked by `parent` (its pid, read before the fork): the child is killed when the parent ends (the
// thread that forked it: nncert forks from the thread that waits for the child), and _exits with `code` at once
// when the parent is gone already. A job's time limit is the parent's clock, so a child must not outlive it
// (review r8-13 F7: after `kill -TERM` of `nncert check`, a claim's child ran on past --timeout).
void end_with_parent(pid_t parent, int code);

// Runs job(0), ..., job(count - 1) in order, each under `limits` exactly as run_isolated would, and hands each
// outcome to done(i, outcome) as soon as it is known; done returns false to stop (no further job runs).
// One child runs the jobs one after another while they finish, and a fresh child (forked from the caller
// again) takes over after a job that was stopped by a limit, crashed, or threw. So a script of many cheap
// claims costs one fork, not one per claim: a fork copies the caller's page tables, which made checking
// 50,000 claims quadratic. The time limit applies to each job separately; the memory limit to each child; the run's
// time limit (run_timeout_seconds) to all jobs together: when it runs out the job running is stopped and every job
// after it is handed over as not started (Kind::timeout, run_limit and not_started set), without being run.
void run_isolated_each(std::size_t count, const std::function<std::string(std::size_t)>& job,
                       const ResourceLimits& limits, const std::function<bool(std::size_t, Isolated)>& done);

}  // namespace nncert::runtime
