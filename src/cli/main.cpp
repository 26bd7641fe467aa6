// Entry point of the nncert binary: parse the command line, run the command, map failures to exit codes.
// Anything unexpected ends as exit code 5 with one `nncert: internal error:` line, never as a verdict.
#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "import/import_command.hpp"
#include "report/exit_codes.hpp"
#include "runtime/blas_pool.hpp"
#include "runtime/memory.hpp"
#include "tools/construct_command.hpp"
#include "tools/propose_trap.hpp"
#include "tools/refine.hpp"
#include "tools/snap.hpp"
#include "search/search.hpp"
#include "util/output.hpp"
#include "util/unicode.hpp"

#include <signal.h>
#include <unistd.h>

#include <exception>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

namespace {

// The commands parsed by cli::parse_args; the exit status (report/exit_codes.hpp).
int run_command(const nncert::cli::Args& args) {
    using namespace nncert;
    using report::ExitCode;
    switch (args.command) {
        case cli::Command::help:
            std::cout << args.help_text;
            return report::to_int(ExitCode::certified);
        case cli::Command::version:
            std::cout << cli::version_text() << "\n";
            return report::to_int(ExitCode::certified);
        case cli::Command::check:
            return cli::run_check(args);
        case cli::Command::print:
            return cli::run_print(args);
        case cli::Command::plot:
            return plot::run_plot(args.plot);
    }
    return report::to_int(ExitCode::internal);
}

}  // namespace

int main(int argc, char** argv) {
    using namespace nncert;
    using report::ExitCode;
    // Started under too small a `ulimit -v`, an OpenBLAS thread may be retrying its buffer forever: joining
    // it (settle_blas, a fork, or exit's destructors) would hang, so say why and leave at once.
    if (const std::string problem = runtime::startup_limit_problem(); !problem.empty()) {
        [[maybe_unused]] const ssize_t n = write(STDERR_FILENO, problem.data(), problem.size());
        _exit(report::to_int(ExitCode::usage));
    }
    // A closed standard output (`nncert check proofs | head -1`) is a failed write, reported as error[io] with
    // exit 2 by util::finish_output (docs/format.md, "Exit codes"), not death by SIGPIPE with no word (status 141,
    // review r8-12 F11). Children restore the default: claim children (runtime/isolate.cpp), programs started by
    // util::run_program and the plot renderer.
    signal(SIGPIPE, SIG_IGN);
    // Before any limit or fork: OpenBLAS's thread pool stopped and its buffer mapped (runtime/blas_pool.hpp).
    runtime::settle_blas();
    // 1 MiB of stack mapped before any address-space limit (and in every child): see runtime::reserve_stack.
    runtime::reserve_stack(std::size_t(1) << 20);
    try {
        // `construct`, `refine`, `search`, ... have their own options (the untrusted tools parse them
        // themselves). Whatever a command wrote to standard output is flushed and checked at the end
        // (util::finish_output): a full disk or a closed pipe is an error, never exit 0.
        const std::string name = argc > 1 ? argv[1] : "";
        const std::vector<std::string> rest = argc > 1 ? std::vector<std::string>(argv + 2, argv + argc)
                                                       : std::vector<std::string>{};
        using Tool = int (*)(const std::vector<std::string>&, std::ostream&, std::ostream&);
        const std::pair<const char*, Tool> tools_with_own_options[] = {
            {"construct", tools::run_construct},   {"refine", tools::run_refine},   {"propose-trap", tools::run_propose_trap},
            {"snap", tools::run_snap},             {"import", import::run_import},  {"search", search::run_search},
        };
        for (const auto& [tool, run] : tools_with_own_options)
            if (name == tool)
                return util::finish_output(run(rest, std::cout, std::cerr), std::cout, "nncert " + name,
                                           "the result to standard output", std::cerr);
        cli::Args args;
        try {
            args = cli::parse_args(std::vector<std::string>(argv + 1, argv + argc));
        } catch (const cli::UsageError& e) {
            // One line saying what is wrong, and where the help is; never the whole help.
            const std::string who = e.command.empty() ? "nncert" : "nncert " + e.command;
            std::cerr << who << ": " << util::escape_for_display(e.what()) << "\ntry '" << who << " --help'\n";
            return report::to_int(ExitCode::usage);
        }
        const int code = run_command(args);
        return util::finish_output(code, std::cout, name.empty() || name[0] == '-' ? "nncert" : "nncert " + name,
                                   "the result to standard output", std::cerr);
    } catch (const std::exception& e) {
        std::cerr << "nncert: internal error: " << util::escape_for_display(e.what()) << "\n";
    } catch (...) {
        std::cerr << "nncert: internal error: unknown exception\n";
    }
    return report::to_int(ExitCode::internal);
}
