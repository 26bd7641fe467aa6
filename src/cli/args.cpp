// Command-line grammar: `nncert check [--json] [--max-patterns N] [--precision BITS] [--timeout S] [--max-memory MIB] PATH...`,
// `nncert print FILE`,
// `nncert --help`, `nncert --version`. Options may come before or after paths; `--` ends options.
#include "cli/args.hpp"

#include "kernel/kernel.hpp"
#include "kernel/limits.hpp"
#include "report/report.hpp"
#include "script/script.hpp"

#include <charconv>

namespace nncert::cli {

namespace {

// A whole number from `lo` to `hi` for `option`; UsageError otherwise (overflow included).
std::size_t parse_count(const std::string& option, const std::string& text, std::size_t lo, std::size_t hi) {
    std::size_t n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || n < lo || n > hi)
        throw UsageError(option + " needs a whole number from " + std::to_string(lo) + " to " + std::to_string(hi) +
                         ", got '" + text + "'");
    return n;
}

// `--name VALUE` or `--name=VALUE` at argv[i]: sets value (advancing i past a separate value) and returns
// true; false when argv[i] is another option. UsageError when the value is missing.
bool option_value(const std::vector<std::string>& argv, std::size_t& i, const std::string& name, std::string& value) {
    const std::string& a = argv[i];
    if (a == name) {
        if (i + 1 >= argv.size()) throw UsageError(name + " needs a value");
        value = argv[++i];
        return true;
    }
    if (a.starts_with(name + "=")) {
        value = a.substr(name.size() + 1);
        return true;
    }
    return false;
}

}  // namespace

unsigned parse_precision(const std::string& text) {
    unsigned n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || n < script::min_precision_bits ||
        n > script::max_precision_bits)
        throw UsageError("--precision needs a whole number of bits from " + std::to_string(script::min_precision_bits) +
                         " to " + std::to_string(script::max_precision_bits) + ", got '" + text + "'");
    return n;
}

Args parse_args(const std::vector<std::string>& argv) {
    Args args;
    // --help and --version win wherever they appear, so `nncert check --help` prints help.
    for (const auto& a : argv) {
        if (a == "--") break;
        if (a == "--help" || a == "-h") return args;
        if (a == "--version") {
            args.command = Command::version;
            return args;
        }
    }
    if (argv.empty()) throw UsageError("no command given");
    const std::string& cmd = argv[0];
    if (cmd == "check") args.command = Command::check;
    else if (cmd == "print") args.command = Command::print;
    else if (cmd == "help") return args;
    else throw UsageError("unknown command '" + cmd + "'");

    bool options_done = false;
    std::string value;
    for (std::size_t i = 1; i < argv.size(); ++i) {
        const std::string& a = argv[i];
        if (options_done || a.empty() || a[0] != '-' || a == "-") {
            args.paths.push_back(a);
        } else if (a == "--") {
            options_done = true;
        } else if (args.command == Command::check && a == "--json") {
            args.json = true;
        } else if (args.command == Command::check && option_value(argv, i, "--max-patterns", value)) {
            args.max_patterns = parse_count("--max-patterns", value, 1, kernel::limits::max_patterns);
        } else if (args.command == Command::check && option_value(argv, i, "--timeout", value)) {
            args.timeout_seconds = static_cast<unsigned>(parse_count("--timeout", value, 0, max_timeout_seconds));
        } else if (args.command == Command::check && option_value(argv, i, "--max-memory", value)) {
            args.max_memory_mib = parse_count("--max-memory", value, 0, max_memory_limit_mib);
        } else if (args.command == Command::check && a == "--precision") {
            if (i + 1 >= argv.size()) throw UsageError("--precision needs a value");
            args.precision = parse_precision(argv[++i]);
        } else if (args.command == Command::check && a.starts_with("--precision=")) {
            args.precision = parse_precision(a.substr(std::string("--precision=").size()));
        } else {
            throw UsageError("unknown option '" + a + "' for '" + cmd + "'");
        }
    }
    if (args.paths.empty()) throw UsageError("'" + cmd + "' needs " + (cmd == "print" ? "a file" : "at least one path"));
    if (args.command == Command::print && args.paths.size() != 1) throw UsageError("'print' takes exactly one file");
    return args;
}

std::string usage_text() {
    using report::ExitCode;
    using report::to_int;
    std::string n = std::to_string(kernel::Options{}.max_patterns);
    std::string bits = std::to_string(kernel::Options{}.precision_bits);
    return "usage: nncert check [--json] [--max-patterns N] [--precision BITS] [--timeout S] [--max-memory MIB] PATH...\n"
           "       nncert print FILE\n"
           "       nncert construct dead-layer --data FILE.csv --depth D --widths W1,W2,... [--output FILE.nnc]\n"
           "       nncert refine FILE --point P [--radius R] [--digits D] [--precision BITS] [--output FILE.nnc]\n"
           "       nncert search --points N|A-B [--family F,...] [--seed S] [--out DIR] ... (see docs/theorem1-search.md)\n"
           "       nncert --help | --version\n"
           "\n"
           "commands:\n"
           "  check   check every claim in the given scripts; a folder is searched recursively\n"
           "          for *.nnc files (in sorted order)\n"
           "  print   parse one script and print it back in canonical form\n"
           "  construct dead-layer\n"
           "          write a proof script of the paper's Section 4 construction for a CSV dataset:\n"
           "          a dead-layer local minimum, a dead non-minimum and the bump witness, with claims\n"
           "  refine  (untrusted) Newton's method from point P of a script; writes the script back with P\n"
           "          rounded to D significant digits and its `within` radii set to one the kernel certifies\n"
           "  search  (untrusted) look for 2-2-1 datasets with bad strict local minima by float training;\n"
           "          writes candidate proof scripts for `check` to decide (`nncert search --help`)\n"
           "\n"
           "options:\n"
           "  --json            write the report as JSON (format " + std::to_string(report::format_version) + ") instead of text\n"
           "  --max-patterns N  cap on activation patterns the pattern method enumerates (default " + n + ",\n"
           "                    at most " + std::to_string(kernel::limits::max_patterns) + ")\n"
           "  --precision BITS  working precision of the interval engine, overriding each script's\n"
           "                    `precision` statement (default " + bits + ")\n"
           "  --timeout S       wall-clock seconds for each claim (default " + std::to_string(Args{}.timeout_seconds) + ", 0: none);\n"
           "                    a claim stopped by it is inconclusive, naming the limit\n"
           "  --max-memory MIB  memory for each claim's check, in MiB (default " + std::to_string(Args{}.max_memory_mib) + ",\n"
           "                    0: none); a claim stopped by it is inconclusive, naming the limit\n"
           "  --help, -h        show this help\n"
           "  --version         show the version and report format\n"
           "\n"
           "exit codes (the most severe over all scripts: 5 > 2 > 1 > 3 > 0):\n"
           "  " + std::to_string(to_int(ExitCode::certified)) + "  every claim certified\n"
           "  " + std::to_string(to_int(ExitCode::refuted)) + "  some claim refuted\n"
           "  " + std::to_string(to_int(ExitCode::malformed)) + "  a script is malformed, or a path cannot be read\n"
           "  " + std::to_string(to_int(ExitCode::inconclusive)) + "  some claim inconclusive, none refuted\n"
           "  " + std::to_string(to_int(ExitCode::usage)) + "  usage error (bad command line)\n"
           "  " + std::to_string(to_int(ExitCode::internal)) + "  internal error (a bug in nncert)\n";
}

}  // namespace nncert::cli
