// Command line of `nncert construct dead-layer`: options, CSV rows into samples, the script out.
// All mathematics lives in dead_layer_construction.cpp; this file only parses and reports.
#include "tools/construct_command.hpp"

#include "kernel/limits.hpp"

#include "runtime/isolated_command.hpp"
#include "script/csv.hpp"
#include "script/load.hpp"
#include "script/source.hpp"
#include "tools/dead_layer_construction.hpp"
#include "tools/partition_construction.hpp"
#include "util/unicode.hpp"
#include "util/files.hpp"
#include "util/output.hpp"

#include <cctype>
#include <functional>
#include <fstream>
#include <map>
#include <stdexcept>

namespace nncert::tools {

namespace {

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

const std::size_t max_width = 1000000;  // the script format's limit on `dense` sizes

bool all_digits(const std::string& s) {
    if (s.empty() || s.size() > 7) return false;
    for (char ch : s)
        if (ch < '0' || ch > '9') return false;
    return true;
}

std::size_t count_value(const std::string& option, const std::string& text) {
    if (!all_digits(text)) throw UsageError(option + " expects a whole number, got '" + text + "'");
    return std::stoul(text);
}

std::vector<std::size_t> parse_widths(const std::string& text) {
    std::vector<std::size_t> widths;
    std::size_t start = 0;
    for (;;) {
        const std::size_t comma = text.find(',', start);
        widths.push_back(count_value("--widths", text.substr(start, comma - start)));
        if (comma == std::string::npos) return widths;
        start = comma + 1;
    }
}

// The command line for the script's header: words with shell-special characters single-quoted.
std::string command_line(const std::vector<std::string>& args) {
    std::string s = "nncert construct";
    for (const std::string& a : args) {
        bool plain = !a.empty();
        for (char ch : a)
            plain = plain && (std::isalnum(static_cast<unsigned char>(ch)) || std::string("_-./,=+:").find(ch) != std::string::npos);
        if (plain) {
            s += " " + a;
            continue;
        }
        // Control, bidi and line-separator characters are shown escaped (util::escape_for_display), as `search`
        // does: the `# Regenerate:` line must neither forge a line nor be rejected by nncert's own reader.
        s += " '";
        for (char ch : util::escape_for_display(a)) s += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
        s += "'";
    }
    return s;
}

std::vector<kernel::Sample> read_samples(const std::string& path) {
    const std::vector<script::syntax::ArrayRow> rows = script::read_csv(path, path, {path, 0, 0}).rows;
    if (rows.empty()) throw ConstructionError(path + ": no data rows");
    std::vector<kernel::Sample> data;
    for (const script::syntax::ArrayRow& r : rows) {
        const std::string where = path + ":" + std::to_string(r.loc.line) + ": ";
        if (r.values.size() < 2) throw ConstructionError(where + "a row needs the inputs and then one label");
        if (r.values.size() != rows[0].values.size())
            throw ConstructionError(where + "row has " + std::to_string(r.values.size()) + " fields, the first row " +
                                    std::to_string(rows[0].values.size()));
        data.push_back({kernel::Vector(r.values.begin(), r.values.end() - 1), kernel::Vector{r.values.back()}});
    }
    return data;
}

// The construction's network (hidden widths, then one identity output) within the script format's limits
// (docs/limits.md), checked before anything is allocated for it: the script it writes must be checkable.
void require_within_limits(const std::vector<kernel::Sample>& data, const std::vector<std::size_t>& widths) {
    namespace limits = kernel::limits;
    std::size_t params = 0, fan_in = data.front().x.size(), units = 1;
    for (std::size_t w : widths) {
        const std::size_t layer = w * (fan_in + 1);  // w <= 10^6 and fan_in <= 10^6: no overflow
        if (layer > limits::max_parameters || params + layer > limits::max_parameters)
            throw ConstructionError("the construction would have more than " + std::to_string(limits::max_parameters) +
                                    " parameters, over the limit of proof scripts (docs/limits.md)");
        params += layer;
        units += w;
        fan_in = w;
    }
    if (units > limits::max_data_units / data.size())
        throw ConstructionError(std::to_string(data.size()) + " data points times " + std::to_string(units) +
                                " units is over the limit of " + std::to_string(limits::max_data_units) +
                                " (docs/limits.md)");
}

// `--key value` pairs after the construction's name; only the listed keys, each at most once.
std::map<std::string, std::string> options(const std::vector<std::string>& args, const std::vector<std::string>& known) {
    std::map<std::string, std::string> opt;
    for (std::size_t i = 1; i < args.size(); i += 2) {
        const std::string& key = args[i];
        bool is_known = false;
        for (const std::string& k : known) is_known = is_known || k == key;
        if (!is_known) throw UsageError("unknown option '" + key + "' for " + args[0]);
        if (i + 1 >= args.size()) throw UsageError(key + " needs a value");
        if (!opt.emplace(key, args[i + 1]).second) throw UsageError(key + " given twice");
    }
    for (const std::string& a : args)
        for (char ch : a)
            if (static_cast<unsigned char>(ch) < 0x20) throw UsageError("control character in an argument");
    return opt;
}

// --timeout S and --max-memory MIB: the construction runs in a child process under them, as `nncert check` runs
// each claim (defaults 600 s and 4096 MiB; 0: none; docs/limits.md, "Reading a script, in every command").
runtime::ResourceLimits limits_of(const std::map<std::string, std::string>& opt) {
    auto given = [&](const std::string& key) -> std::optional<std::string> {
        const auto it = opt.find(key);
        return it == opt.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
    try {
        return script::resource_limits(given("--timeout"), given("--max-memory"));
    } catch (const std::invalid_argument& e) {
        throw UsageError(e.what());
    }
}

// Why the script must not go to --output, checked before any work: it must not replace the CSV it is built
// from (device and inode: a hard or symbolic link too), nor be written into a FIFO or a device
// (util::output_problem). 0 when it may (or there is no --output), else the exit status after the message.
int refuse_output(const std::map<std::string, std::string>& opt, std::ostream& err) {
    const auto it = opt.find("--output");
    if (it == opt.end()) return 0;
    std::vector<util::NamedInput> inputs;
    if (const auto data = opt.find("--data"); data != opt.end()) inputs.push_back({data->second, "the --data file"});
    if (const auto problem = util::output_problem(it->second, inputs)) {
        err << "nncert construct: --output " << util::escape_for_display(util::quoted_name(it->second)) << " "
            << util::escape_for_display(*problem) << "\n";
        return 4;
    }
    return 0;
}

int write_text(const std::string& text, const std::map<std::string, std::string>& opt, std::ostream& out,
               std::ostream& err) {
    const auto it = opt.find("--output");
    if (it == opt.end()) {
        out << text;
        return 0;
    }
    if (const int refused = refuse_output(opt, err)) return refused;
    if (!util::write_output_file(it->second, text, "nncert construct", err)) return 2;
    err << "nncert construct: wrote " << util::escape_for_display(it->second) << "\n";
    return 0;
}

// The construction `make` (it may throw ConstructionError or script::ParseError: exit 2) in a child process under
// --timeout and --max-memory (limits_of), then its script to --output or `out`. A construction stopped by a
// limit writes nothing: exit 3, as `propose-trap` (runtime::report_stopped_command).
int construct_isolated(const std::function<std::string()>& make, const std::map<std::string, std::string>& opt,
                       std::ostream& out, std::ostream& err) {
    const runtime::ResourceLimits limits = limits_of(opt);
    if (const int refused = refuse_output(opt, err)) return refused;
    const runtime::CommandOutcome run = runtime::run_command_isolated(
        [&](std::ostream& o, std::ostream& e) -> int {
            try {
                o << make();
                return 0;
            } catch (const ConstructionError& x) {
                e << "nncert construct: error: " << x.what() << "\n";
            } catch (const script::ParseError& x) {
                e << "nncert construct: error: " << x.format() << "\n";
            }
            return 2;
        },
        limits);
    if (run.kind != runtime::Isolated::Kind::done) return runtime::report_stopped_command(run, limits, "nncert construct", err);
    err << run.err;
    if (run.code != 0) return run.code;
    return write_text(run.out, opt, out, err);
}

int construct_partition(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    std::map<std::string, std::string> opt =
        options(args, {"--dim", "--regions", "--folds", "--units", "--points", "--kinks", "--hidden-layers", "--family", "--seed",
                       "--output", "--bad-point-name", "--better-point-name", "--timeout", "--max-memory"});
    if (!opt.count("--dim")) throw UsageError("--dim is required");
    PartitionOptions o;
    o.dim = count_value("--dim", opt["--dim"]);
    if (opt.count("--regions")) o.regions = count_value("--regions", opt["--regions"]);
    if (opt.count("--folds")) o.folds = count_value("--folds", opt["--folds"]);
    if (opt.count("--units")) o.units = count_value("--units", opt["--units"]);
    if (opt.count("--points")) o.points = count_value("--points", opt["--points"]);
    if (opt.count("--kinks")) o.kinks = count_value("--kinks", opt["--kinks"]);
    if (opt.count("--hidden-layers")) o.hidden_layers = count_value("--hidden-layers", opt["--hidden-layers"]);
    if (o.units == 0 && opt.count("--units")) throw UsageError("--units must be positive");
    if (o.points == 0 && opt.count("--points")) throw UsageError("--points must be positive");
    if (opt.count("--family")) {
        const std::string& f = opt["--family"];
        if (f == "swap") o.family = PartitionFamily::swap;
        else if (f == "blind-spot") o.family = PartitionFamily::blind_spot;
        else throw UsageError("--family is swap or blind-spot, not '" + f + "'");
    }
    if (opt.count("--seed")) {
        const std::string& t = opt["--seed"];
        bool digits = !t.empty() && t.size() <= 20;
        for (char ch : t) digits = digits && ch >= '0' && ch <= '9';
        // 20 digits may still exceed 2^64 - 1: stoull says so.
        try {
            if (digits) o.seed = std::stoull(t);
        } catch (const std::out_of_range&) {
            digits = false;
        }
        if (!digits) throw UsageError("--seed expects a whole number from 0 to 2^64 - 1, got '" + t + "'");
    }
    PartitionNames names;
    names.command = command_line(args);
    if (opt.count("--bad-point-name")) names.bad = opt["--bad-point-name"];
    if (opt.count("--better-point-name")) names.better = opt["--better-point-name"];
    return construct_isolated(
        [&] {
            try {
                return render_partition_script(build_partition(o), names);
            } catch (const PartitionError& e) {
                throw ConstructionError(e.what());
            }
        },
        opt, out, err);
}

int construct(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    for (const std::string& a : args)
        if (a == "--help" || a == "-h") {
            out << construct_usage();
            return 0;
        }
    if (!args.empty() && args[0] == "partition") return construct_partition(args, out, err);
    if (args.empty() || args[0] != "dead-layer")
        throw UsageError(args.empty() ? "which construction? (dead-layer, partition)"
                                      : "unknown construction '" + args[0] + "' (there are: dead-layer, partition)");
    std::map<std::string, std::string> opt = options(
        args, {"--data", "--depth", "--widths", "--output", "--mean-point-name", "--off-point-name", "--bump-point-name",
               "--timeout", "--max-memory"});
    for (const char* required : {"--data", "--depth", "--widths"})
        if (!opt.count(required)) throw UsageError(std::string(required) + " is required");

    const std::size_t depth = count_value("--depth", opt["--depth"]);
    std::vector<std::size_t> widths = parse_widths(opt["--widths"]);
    // Bad option values are usage errors (exit 4), as for every other command.
    if (depth < 2) throw UsageError("--depth must be at least 2 (one hidden relu layer and the output layer)");
    if (widths.size() == 1) widths.assign(depth - 1, widths[0]);  // one width for every hidden layer
    if (widths.size() != depth - 1)
        throw UsageError("--widths gives " + std::to_string(widths.size()) + " hidden widths; depth " +
                                std::to_string(depth) + " needs " + std::to_string(depth - 1) + " (or one for all)");
    for (std::size_t w : widths)
        if (w > max_width) throw UsageError("--widths: a width over " + std::to_string(max_width));

    ScriptNames names;
    names.command = command_line(args);
    if (opt.count("--mean-point-name")) names.dead_mean = opt["--mean-point-name"];
    if (opt.count("--off-point-name")) names.dead_off = opt["--off-point-name"];
    if (opt.count("--bump-point-name")) names.bump = opt["--bump-point-name"];

    // Reading the CSV and building the network, in a child under --timeout and --max-memory: a 64 MiB CSV of long
    // rationals could take gigabytes (docs/limits.md).
    const std::string data = opt["--data"];
    return construct_isolated(
        [&] {
            const std::vector<kernel::Sample> samples = read_samples(data);
            require_within_limits(samples, widths);
            return render_script(build_dead_layer(samples, widths), names);
        },
        opt, out, err);
}

}  // namespace

std::string construct_usage() {
    return "usage: nncert construct dead-layer --data FILE.csv --depth D --widths W1,W2,...\n"
           "                                  [--output FILE.nnc] [--mean-point-name NAME]\n"
           "                                  [--off-point-name NAME] [--bump-point-name NAME]\n"
           "                                  [--timeout S] [--max-memory MIB]\n"
           "  Writes a proof script for Section 4 of the paper on your data: a dead-layer local minimum,\n"
           "  a dead point that is not one, and a three-ReLU bump point that is strictly better.\n"
           "  FILE.csv: one row per line, inputs then one label, exact numbers; an optional header row.\n"
           "  D >= 2 counts the dense layers including the output; D - 1 widths (or one for all), the first >= 3.\n"
           "\n"
           "usage: nncert construct partition --dim D [--regions M] [--folds F] [--units K] [--points N]\n"
           "                                  [--kinks C] [--hidden-layers 1|2] [--family swap|blind-spot] [--seed S]\n"
           "                                  [--output FILE.nnc]\n"
           "                                  [--bad-point-name NAME] [--better-point-name NAME]\n"
           "                                  [--timeout S] [--max-memory MIB]\n"
           "  Writes a proof script for Section 3.2 of the paper in R^D: a dataset of M clusters (regions) around\n"
           "  the vertices of a random simplex, labels c0 + affine + F ReLU folds per region, and two points of a\n"
           "  D-K-1 ReLU network (D-K-K-1 with --hidden-layers 2: a mixing layer that is on at every data point)\n"
           "  that fit different regions exactly; the bad one is a local minimum with a\n"
           "  strictly larger loss. Every number is exact; `nncert check` decides every claim.\n"
           "  --family swap (default): the points give the spare units to different regions (paper's example 3).\n"
           "  --family blind-spot: the better point fits region 1 with a blind spot (every unit off on some data\n"
           "    points), the bad one has none (paper's example 2); F = 1 and K = M.\n"
           "  Limits: 1 <= D <= 16; 2 <= M <= D + 1; 1 <= F <= 4; D + 2 <= N <= 100 points per region (default\n"
           "  D + 2 + F); swap: M + F <= K <= 64 (default M + F); C <= one kink per fold (default 0); seed < 2^64\n"
           "  (default 1). A seed whose 200 draws all fail a check is refused (exit 2): try another.\n"
           "\n"
           "Both read and build in a child process under --timeout S (default 600, 0: none) and --max-memory MIB\n"
           "(default 4096, at least 256; 0: none), as `nncert check` checks a claim; a construction stopped by either\n"
           "writes nothing and exits 3 naming the limit.\n";
}

int run_construct(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    try {
        return construct(args, out, err);
    } catch (const UsageError& e) {
        err << "nncert construct: " << util::escape_for_display(e.what()) << "\ntry 'nncert construct --help'\n";
        return 4;
    } catch (const ConstructionError& e) {
        err << "nncert construct: error: " << e.what() << "\n";
        return 2;
    } catch (const script::ParseError& e) {
        err << "nncert construct: error: " << e.format() << "\n";
        return 2;
    }
}

}  // namespace nncert::tools
