// run_command_isolated (runtime/isolated_command.hpp): the child's answer is one string, the exit status, a
// newline, the length of the standard-error text, a newline, that text, then the standard-output text.
#include "runtime/isolated_command.hpp"

#include "runtime/memory.hpp"

#include <sstream>

namespace nncert::runtime {

CommandOutcome run_command_isolated(const std::function<int(std::ostream& out, std::ostream& err)>& command,
                                    const ResourceLimits& limits) {
    const Isolated run = run_isolated(
        [&]() -> std::string {
            std::ostringstream out, err;
            const int code = command(out, err);
            const std::string err_text = err.str();
            return std::to_string(code) + "\n" + std::to_string(err_text.size()) + "\n" + err_text + out.str();
        },
        limits);
    CommandOutcome o;
    o.kind = run.kind;
    o.detail = run.detail;
    o.result_over_cap = run.result_over_cap;
    if (run.kind != Isolated::Kind::done) return o;
    const std::size_t a = run.payload.find('\n'), b = run.payload.find('\n', a + 1);
    const std::size_t n = std::stoul(run.payload.substr(a + 1, b - a - 1));
    o.code = std::stoi(run.payload.substr(0, a));
    o.err = run.payload.substr(b + 1, n);
    o.out = run.payload.substr(b + 1 + n);
    return o;
}

int report_stopped_command(const CommandOutcome& outcome, const ResourceLimits& limits, const std::string& who,
                           std::ostream& err) {
    switch (outcome.kind) {
        case Isolated::Kind::done:
            return outcome.code;
        case Isolated::Kind::timeout:
            err << who << ": stopped by the time limit of " << limits.timeout_seconds
                << " s (--timeout); nothing written\n";
            return 3;
        case Isolated::Kind::memory:
            err << who << ": stopped by "
                << memory_stop_phrase(outcome.result_over_cap, limits, "the memory limit of " +
                                                                  std::to_string(limits.max_memory_mib) +
                                                                  " MiB (--max-memory)")
                << "; nothing written\n";
            return 3;
        case Isolated::Kind::failed:
            err << who << ": internal error: " << outcome.detail << "\n";
            return 5;
        case Isolated::Kind::crashed:
            break;
    }
    err << who << ": internal error: the work ended abnormally (" << outcome.detail << ")\n";
    return 5;
}

}  // namespace nncert::runtime
