// fork + pipe + poll: the parent reads the child's result until EOF or the deadline, then reaps it.
// Results travel as frames: a kind byte ('D' done, 'F' failed, 'M' out of memory, 'L' a result over the cap), an
// 8-byte length, the text.
#include "runtime/isolate.hpp"

#include "runtime/memory.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <exception>
#include <new>
#include <stdexcept>
#include <utility>

namespace nncert::runtime {

namespace {

void write_all(int fd, const std::string& s) {
    std::size_t done = 0;
    while (done < s.size()) {
        const ssize_t n = write(fd, s.data() + done, s.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) _exit(1);
        done += static_cast<std::size_t>(n);
    }
}

// A child that runs job(first), job(first + 1), ... and writes each outcome as one frame: a kind byte ('D' done,
// 'F' failed, 'M' out of memory, 'L' done with a result over limits.max_result_bytes: the payload is its size in
// decimal), the payload's length as 8 bytes, the payload. After a job that did not finish it exits: whatever that
// job left half-updated is never used by the next one.
[[noreturn]] void batch_child(int fd, std::size_t first, std::size_t count,
                              const std::function<std::string(std::size_t)>& job, const ResourceLimits& limits,
                              pid_t parent) {
    for (int sig : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTERM, SIGALRM, SIGPIPE}) signal(sig, SIG_DFL);
    end_with_parent(parent, 1);
    if (limits.max_memory_mib) {
        // A stack that cannot grow because the heap took the address space is this limit too, not a crash.
        runtime::report_stack_exhaustion(runtime::memory_exit_code, "");
        const std::size_t bytes = runtime::mebibytes(limits.max_memory_mib);
        runtime::limit_address_space(bytes);
        runtime::set_gmp_cap(bytes, runtime::OnExhaustion::exit_process);
    }
    for (std::size_t i = first; i < count; ++i) {
        char kind = 'D';
        std::string out;
        try {
            out = job(i);
        } catch (const std::bad_alloc&) {
            kind = 'M';
            out.clear();
        } catch (const std::exception& e) {
            kind = 'F';
            out = e.what();
        } catch (...) {
            kind = 'F';
            out = "unknown exception";
        }
        if (kind == 'D' && out.size() > limits.max_result_bytes) {
            kind = 'L';
            out = std::to_string(out.size());
        }
        std::string frame(1, kind);
        const std::uint64_t n = out.size();
        frame.append(reinterpret_cast<const char*>(&n), sizeof n);
        frame += out;
        write_all(fd, frame);
        if (kind != 'D' && kind != 'L') _exit(0);
    }
    _exit(0);
}

// What a child's end means for the job it was running when it ended without a result.
Isolated classify_end(bool timed_out, int status, const ResourceLimits& limits) {
    Isolated res;
    if (timed_out) {
        res.kind = Isolated::Kind::timeout;
    } else if (WIFEXITED(status) && WEXITSTATUS(status) == runtime::memory_exit_code) {
        res.kind = Isolated::Kind::memory;
    } else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL && limits.max_memory_mib) {
        res.kind = Isolated::Kind::memory;  // not our kill: the kernel's OOM killer
        res.detail = "killed (out of memory)";
    } else if (WIFSIGNALED(status)) {
        res.kind = Isolated::Kind::crashed;
        res.detail = std::string("signal ") + std::to_string(WTERMSIG(status)) + " (" + strsignal(WTERMSIG(status)) + ")";
    } else {
        res.kind = Isolated::Kind::crashed;
        res.detail = "exit status " + std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    }
    return res;
}

}  // namespace

std::optional<std::chrono::steady_clock::duration> kernel_time_budget(unsigned timeout_seconds) {
    if (timeout_seconds == 0) return std::nullopt;
    using ms = std::chrono::milliseconds;
    const ms limit(1000LL * timeout_seconds);
    const ms margin = std::min(ms(10'000), std::max(limit / 10, std::min(ms(1000), limit / 2)));
    return limit - margin;
}

void run_isolated_each(std::size_t count, const std::function<std::string(std::size_t)>& job,
                       const ResourceLimits& limits, const std::function<bool(std::size_t, Isolated)>& done) {
    using clock = std::chrono::steady_clock;
    const auto run_end = limits.run_timeout_seconds ? clock::now() + std::chrono::seconds(limits.run_timeout_seconds)
                                                    : clock::time_point::max();
    // A job's own deadline, or the run's when that comes first (and then `by_run` says so).
    const auto job_deadline = [&](bool& by_run) {
        const auto own = limits.timeout_seconds ? clock::now() + std::chrono::seconds(limits.timeout_seconds)
                                                : clock::time_point::max();
        by_run = run_end < own;
        return by_run ? run_end : own;
    };
    // Every job from `next` on, handed over as not run: the run's time limit ran out before it.
    const auto hand_over_unstarted = [&](std::size_t next) {
        for (; next < count; ++next) {
            Isolated res;
            res.kind = Isolated::Kind::timeout;
            res.run_limit = true;
            res.not_started = true;
            res.detail = "not started: the run's time limit ran out";
            if (!done(next, std::move(res))) return;
        }
    };
    std::size_t next = 0;
    while (next < count) {
        if (clock::now() >= run_end) return hand_over_unstarted(next);
        int fds[2];
        if (pipe(fds) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
        const pid_t parent = getpid();
        const pid_t pid = fork();
        if (pid < 0) {
            close(fds[0]);
            close(fds[1]);
            throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
        }
        if (pid == 0) {
            close(fds[0]);
            batch_child(fds[1], next, count, job, limits, parent);
        }
        close(fds[1]);
        const std::size_t first = next;

        bool deadline_is_run = false;
        auto deadline = job_deadline(deadline_is_run);
        std::string data;
        bool timed_out = false, stop = false, too_big = false;
        std::size_t over_cap = 0;  // the length a frame announced, over limits.max_result_bytes
        char buf[65536];
        constexpr std::size_t header = 1 + sizeof(std::uint64_t);
        for (;;) {
            // Hand over every complete frame; the next job's clock starts when the previous one's result arrives.
            while (data.size() >= header) {
                std::uint64_t n = 0;
                std::memcpy(&n, data.data() + 1, sizeof n);
                // The child keeps to the cap; a frame that announces more is not read (nor waited for) at all.
                if (n > limits.max_result_bytes) {
                    over_cap = static_cast<std::size_t>(n);
                    break;
                }
                if (data.size() - header < n) break;
                Isolated res;
                res.kind = data[0] == 'D' ? Isolated::Kind::done
                         : data[0] == 'M' || data[0] == 'L' ? Isolated::Kind::memory
                                                            : Isolated::Kind::failed;
                try {
                    (res.kind == Isolated::Kind::done ? res.payload : res.detail) = data.substr(header, n);
                } catch (const std::bad_alloc&) {
                    too_big = true;
                    break;
                }
                if (data[0] == 'L') {
                    // The size in decimal, at most 20 digits: a longer or malformed one still means over the cap.
                    res.result_over_cap = limits.max_result_bytes + 1;
                    if (res.detail.size() <= 20 && !res.detail.empty() &&
                        res.detail.find_first_not_of("0123456789") == std::string::npos)
                        res.result_over_cap = std::max<std::size_t>(std::stoull(res.detail), res.result_over_cap);
                    res.detail = "its result is over the cap";
                }
                data.erase(0, header + n);
                if (!done(next++, std::move(res))) {
                    stop = true;
                    break;
                }
                deadline = job_deadline(deadline_is_run);
            }
            if (too_big || over_cap || stop || next >= count) break;
            int wait_ms = -1;
            if (deadline != clock::time_point::max()) {
                const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now()).count();
                if (left <= 0) {
                    timed_out = true;
                    break;
                }
                wait_ms = static_cast<int>(std::min<long long>(left, 60'000));
            }
            pollfd p{fds[0], POLLIN, 0};
            const int r = poll(&p, 1, wait_ms);
            if (r < 0 && errno == EINTR) continue;
            if (r == 0) continue;  // the loop re-reads the clock
            const ssize_t n = read(fds[0], buf, sizeof buf);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;  // EOF: the child is done (or died)
            try {
                data.append(buf, static_cast<std::size_t>(n));
            } catch (const std::bad_alloc&) {
                too_big = true;  // this process cannot hold the result: the job ends as the memory limit
                break;
            }
        }
        close(fds[0]);
        if (timed_out || stop || too_big || over_cap) kill(pid, SIGKILL);
        int status = 0;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        if (stop || next >= count) return;
        if (too_big || over_cap) {
            std::string().swap(data);
            Isolated res;
            res.kind = Isolated::Kind::memory;
            res.result_too_big = too_big;
            res.result_over_cap = over_cap;
            res.detail = too_big ? "its result could not be received" : "its result is over the cap";
            if (!done(next++, std::move(res))) return;
            continue;  // a fresh child takes the next job
        }
        // The child ended, or was stopped, while job `next` ran. A child that reported a job that did not finish
        // exits on its own right after the frame: a new child continues with the next job. (A child that made no
        // progress at all is never simply restarted: its job gets the outcome.)
        if (!timed_out && next > first && WIFEXITED(status) && WEXITSTATUS(status) == 0 && data.empty()) continue;
        Isolated end = classify_end(timed_out, status, limits);
        end.run_limit = timed_out && deadline_is_run;
        if (!done(next++, std::move(end))) return;
        if (timed_out && deadline_is_run) return hand_over_unstarted(next);
    }
}

std::string memory_stop_phrase(std::size_t result_over_cap, const ResourceLimits& limits, const std::string& option_phrase) {
    if (result_over_cap)
        return "the limit of " + std::to_string(limits.max_result_bytes >> 20) + " MiB on a job's result (its result has " +
               std::to_string(result_over_cap) + " bytes; docs/limits.md)";
    return memory_limit_phrase(limits.max_memory_mib, option_phrase);
}

std::optional<StopReason> claim_stop_reason(const Isolated& run, const ResourceLimits& limits) {
    const std::string mib = std::to_string(limits.max_memory_mib);
    switch (run.kind) {
        case Isolated::Kind::timeout:
            if (run.run_limit) {
                const std::string phrase =
                    "the time limit of " + std::to_string(limits.run_timeout_seconds) + " s per script (--script-timeout)";
                return StopReason{"script-timeout", run.not_started ? "not checked: " + phrase + " ran out before this claim"
                                                                    : "stopped by " + phrase};
            }
            return StopReason{"timeout", "stopped by the time limit of " + std::to_string(limits.timeout_seconds) +
                                             " s per claim (--timeout)"};
        case Isolated::Kind::memory:
            if (run.result_over_cap)
                return StopReason{"max-result-size",
                                  "checked, but its result has " + std::to_string(run.result_over_cap) +
                                      " bytes, over the limit of " + std::to_string(limits.max_result_bytes >> 20) +
                                      " MiB on a claim's result (docs/limits.md)"};
            // The parent's own limit is --max-memory for the whole checking process, not a claim's (review r8-10).
            if (run.result_too_big)
                return StopReason{"max-memory", "checked, but its result is too big for the checking process to hold "
                                                "under " + memory_limit_phrase(limits.max_memory_mib,
                                                                               "the memory limit of " + mib +
                                                                                   " MiB (--max-memory)")};
            return StopReason{"max-memory",
                              "stopped by " + memory_limit_phrase(limits.max_memory_mib,
                                                                  "the memory limit of " + mib + " MiB per claim (--max-memory)")};
        case Isolated::Kind::done:
        case Isolated::Kind::failed:
        case Isolated::Kind::crashed:
            break;
    }
    return std::nullopt;
}

void end_with_parent(pid_t parent, int code) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(code);  // the parent died before prctl: no signal will come
}

// One job is a sequence of one: the same child, frame protocol, deadline and classification of its end.
Isolated run_isolated(const std::function<std::string()>& job, const ResourceLimits& limits) {
    Isolated res;
    run_isolated_each(
        1, [&job](std::size_t) { return job(); }, limits,
        [&res](std::size_t, Isolated r) {
            res = std::move(r);
            return true;
        });
    return res;
}

}  // namespace nncert::runtime
