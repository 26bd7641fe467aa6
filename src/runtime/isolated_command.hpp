// A whole command's work (import, construct dead-layer) in a child process under its --timeout and --max-memory,
// as `nncert check` runs each claim (runtime/isolate.hpp): what the command prints and its exit status come back
// to the parent, which prints them, or a limit stopped it and nothing of its work is kept.
#pragma once

#include "runtime/isolate.hpp"

#include <functional>
#include <ostream>
#include <string>

namespace nncert::runtime {

struct CommandOutcome {
    Isolated::Kind kind = Isolated::Kind::crashed;  // done: `code`, `out` and `err` are the command's
    int code = 0;
    std::string out, err;
    std::string detail;  // failed, crashed: what happened
    std::size_t result_over_cap = 0;  // memory: Isolated::result_over_cap
};

// Runs command(out, err) in a forked child under `limits`; the command returns its exit status and catches its own
// errors (an exception that escapes it is `failed`, std::bad_alloc is `memory`).
CommandOutcome run_command_isolated(const std::function<int(std::ostream& out, std::ostream& err)>& command,
                                    const ResourceLimits& limits);

// What a command prints when its work was stopped (kind timeout or memory) or ended abnormally (failed, crashed):
// "<who>: stopped by the time limit of N s (--timeout); nothing written" and the like, one line; and its exit
// status: 3 for a limit (as `check` reports an INCONCLUSIVE claim stopped by one), 5 (internal error) otherwise.
int report_stopped_command(const CommandOutcome& outcome, const ResourceLimits& limits, const std::string& who,
                           std::ostream& err);

}  // namespace nncert::runtime
