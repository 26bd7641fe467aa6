// Entry point of the nncert binary: parse the command line, run the command, map failures to exit codes.
// Anything unexpected ends as exit code 5 with one `nncert: internal error:` line, never as a verdict.
#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "import/import_command.hpp"
#include "report/exit_codes.hpp"
#include "tools/construct_command.hpp"
#include "tools/propose_trap.hpp"
#include "tools/refine.hpp"
#include "tools/snap.hpp"
#include "search/search.hpp"
#include "util/unicode.hpp"

#include <exception>
#include <iostream>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    using namespace nncert;
    using report::ExitCode;
    try {
        // `construct`, `refine` and `search` have their own options (the untrusted generator parses them itself).
        if (argc > 1 && std::string(argv[1]) == "construct")
            return tools::run_construct(std::vector<std::string>(argv + 2, argv + argc), std::cout, std::cerr);
        if (argc > 1 && std::string(argv[1]) == "refine")
            return tools::run_refine(std::vector<std::string>(argv + 2, argv + argc), std::cout, std::cerr);
        if (argc > 1 && std::string(argv[1]) == "propose-trap")
            return tools::run_propose_trap(std::vector<std::string>(argv + 2, argv + argc), std::cout, std::cerr);
        if (argc > 1 && std::string(argv[1]) == "snap")
            return tools::run_snap(std::vector<std::string>(argv + 2, argv + argc), std::cout, std::cerr);
        if (argc > 1 && std::string(argv[1]) == "import")
            return import::run_import(std::vector<std::string>(argv + 2, argv + argc), std::cout, std::cerr);
        if (argc > 1 && std::string(argv[1]) == "search")
            return search::run_search(std::vector<std::string>(argv + 2, argv + argc), std::cout, std::cerr);
        cli::Args args;
        try {
            args = cli::parse_args(std::vector<std::string>(argv + 1, argv + argc));
        } catch (const cli::UsageError& e) {
            // One line saying what is wrong, and where the help is; never the whole help.
            const std::string who = e.command.empty() ? "nncert" : "nncert " + e.command;
            std::cerr << who << ": " << util::escape_for_display(e.what()) << "\ntry '" << who << " --help'\n";
            return report::to_int(ExitCode::usage);
        }
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
    } catch (const std::exception& e) {
        std::cerr << "nncert: internal error: " << util::escape_for_display(e.what()) << "\n";
    } catch (...) {
        std::cerr << "nncert: internal error: unknown exception\n";
    }
    return report::to_int(ExitCode::internal);
}
