// Command line of `nncert construct dead-layer`: options, CSV rows into samples, the script out.
// All mathematics lives in dead_layer_construction.cpp; this file only parses and reports.
#include "tools/construct_command.hpp"

#include "kernel/limits.hpp"

#include "script/csv.hpp"
#include "script/source.hpp"
#include "tools/dead_layer_construction.hpp"

#include <cctype>
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
        s += " '";
        for (char ch : a) s += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
        s += "'";
    }
    return s;
}

std::vector<kernel::Sample> read_samples(const std::string& path) {
    const std::vector<script::syntax::ArrayRow> rows = script::read_csv(path, path, {path, 0, 0});
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

int construct(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    for (const std::string& a : args)
        if (a == "--help" || a == "-h") {
            out << construct_usage();
            return 0;
        }
    if (args.empty() || args[0] != "dead-layer")
        throw UsageError(args.empty() ? "which construction? (dead-layer)"
                                      : "unknown construction '" + args[0] + "' (there is: dead-layer)");
    std::map<std::string, std::string> opt;
    const std::vector<std::string> known = {"--data", "--depth", "--widths", "--output",
                                            "--mean-point-name", "--off-point-name", "--bump-point-name"};
    for (std::size_t i = 1; i < args.size(); i += 2) {
        const std::string& key = args[i];
        bool is_known = false;
        for (const std::string& k : known) is_known = is_known || k == key;
        if (!is_known) throw UsageError("unknown option '" + key + "'");
        if (i + 1 >= args.size()) throw UsageError(key + " needs a value");
        if (!opt.emplace(key, args[i + 1]).second) throw UsageError(key + " given twice");
    }
    for (const std::string& a : args)
        for (char ch : a)
            if (static_cast<unsigned char>(ch) < 0x20) throw UsageError("control character in an argument");
    for (const char* required : {"--data", "--depth", "--widths"})
        if (!opt.count(required)) throw UsageError(std::string(required) + " is required");

    const std::size_t depth = count_value("--depth", opt["--depth"]);
    std::vector<std::size_t> widths = parse_widths(opt["--widths"]);
    if (depth < 2) throw ConstructionError("--depth must be at least 2 (one hidden relu layer and the output layer)");
    if (widths.size() == 1) widths.assign(depth - 1, widths[0]);  // one width for every hidden layer
    if (widths.size() != depth - 1)
        throw ConstructionError("--widths gives " + std::to_string(widths.size()) + " hidden widths; depth " +
                                std::to_string(depth) + " needs " + std::to_string(depth - 1) + " (or one for all)");
    for (std::size_t w : widths)
        if (w > max_width) throw ConstructionError("a width over " + std::to_string(max_width));

    ScriptNames names;
    names.command = command_line(args);
    if (opt.count("--mean-point-name")) names.dead_mean = opt["--mean-point-name"];
    if (opt.count("--off-point-name")) names.dead_off = opt["--off-point-name"];
    if (opt.count("--bump-point-name")) names.bump = opt["--bump-point-name"];

    const std::vector<kernel::Sample> samples = read_samples(opt["--data"]);
    require_within_limits(samples, widths);
    const std::string text = render_script(build_dead_layer(samples, widths), names);
    if (!opt.count("--output")) {
        out << text;
        return 0;
    }
    const std::string& path = opt["--output"];
    std::ofstream file(path, std::ios::binary);
    file << text;
    file.close();
    if (!file) throw ConstructionError("cannot write '" + path + "'");
    err << "nncert construct: wrote " << path << "\n";
    return 0;
}

}  // namespace

std::string construct_usage() {
    return "usage: nncert construct dead-layer --data FILE.csv --depth D --widths W1,W2,...\n"
           "                                  [--output FILE.nnc] [--mean-point-name NAME]\n"
           "                                  [--off-point-name NAME] [--bump-point-name NAME]\n"
           "  Writes a proof script for Section 4 of the paper on your data: a dead-layer local minimum,\n"
           "  a dead point that is not one, and a three-ReLU bump point that is strictly better.\n"
           "  FILE.csv: one row per line, inputs then one label, exact numbers; an optional header row.\n"
           "  D >= 2 counts the dense layers including the output; D - 1 widths (or one for all), the first >= 3.\n";
}

int run_construct(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    try {
        return construct(args, out, err);
    } catch (const UsageError& e) {
        err << "nncert construct: " << e.what() << "\ntry 'nncert construct --help'\n";
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
