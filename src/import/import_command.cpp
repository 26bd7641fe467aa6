// `nncert import` (import_command.hpp): maps tensors to layers (nn.Sequential names `0.weight`, `2.weight`,
// ..., our own `W1`, `b1`, or names given on the command line), reads the data, and writes the script.
// Refuses rather than guesses: every tensor of the weights file must be used (or --ignore'd), shapes must
// chain, and ambiguous names stop with a message saying which option settles them.
#include "import/import_command.hpp"

#include "import/number_text.hpp"
#include "import/tensor.hpp"
#include "runtime/isolated_command.hpp"
#include "script/csv.hpp"
#include "script/load.hpp"
#include "script/number.hpp"
#include "script/script.hpp"
#include "script/wrap.hpp"
#include "util/sha256.hpp"
#include "util/files.hpp"
#include "util/unicode.hpp"
#include "util/output.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

namespace nncert::import {

namespace {

using kernel::Rational;
using kernel::Vector;

struct UsageError : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

struct LayerKeys {
    std::string w;
    std::optional<std::string> b;
};

bool ends_with(const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

std::string join(const std::vector<std::string>& v, const std::string& sep = ", ") {
    std::string out;
    for (std::size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
    return out;
}

std::vector<std::string> keys_of(const TensorMap& m) {
    std::vector<std::string> k;
    for (const auto& [name, t] : m) k.push_back(name);
    return k;
}

// Which tensors are W_l and b_l, in layer order.
std::vector<LayerKeys> layer_keys(const TensorMap& m, const ImportOptions& o) {
    std::vector<LayerKeys> layers;
    if (!o.names.empty()) {  // --names W1=KEY,b1=KEY,...
        std::map<std::size_t, LayerKeys> by_layer;
        static const std::regex param(R"(([Wb])([1-9][0-9]{0,5}))");
        for (const auto& [p, key] : o.names) {
            std::smatch sm;
            if (!std::regex_match(p, sm, param)) throw UsageError("--names: '" + p + "' is not W<l> or b<l>");
            const std::size_t l = std::stoul(sm[2]);
            if (sm[1] == "W") by_layer[l].w = key;
            else by_layer[l].b = key;
        }
        std::size_t expect = 1;
        for (const auto& [l, k] : by_layer) {
            if (l != expect++) throw UsageError("--names: layer " + std::to_string(expect - 1) + " is missing");
            if (k.w.empty()) throw UsageError("--names: W" + std::to_string(l) + " is missing");
            layers.push_back(k);
        }
        return layers;
    }
    if (!o.layers.empty()) {  // --layers fc1,fc2: module names
        for (const std::string& mod : o.layers) {
            LayerKeys k{mod + ".weight", std::nullopt};
            if (m.count(mod + ".bias")) k.b = mod + ".bias";
            layers.push_back(k);
        }
        return layers;
    }
    if (m.count("W1")) {  // our own names, as np.savez(f, W1=..., b1=...) writes them
        for (std::size_t l = 1; m.count("W" + std::to_string(l)); ++l) {
            LayerKeys k{"W" + std::to_string(l), std::nullopt};
            if (m.count("b" + std::to_string(l))) k.b = "b" + std::to_string(l);
            layers.push_back(k);
        }
        return layers;
    }
    // nn.Sequential: PREFIX<index>.weight, the same PREFIX for every layer, sorted by index.
    static const std::regex seq(R"((.*?)([0-9]+)\.weight)");
    std::map<std::size_t, std::string> by_index;
    std::set<std::string> prefixes;
    std::vector<std::string> unnumbered;
    for (const auto& [name, t] : m) {
        if (!ends_with(name, ".weight")) continue;
        std::smatch sm;
        if (!std::regex_match(name, sm, seq)) {
            unnumbered.push_back(name);
            continue;
        }
        prefixes.insert(sm[1]);
        by_index[std::stoul(sm[2])] = name;
    }
    if (!unnumbered.empty() || prefixes.size() > 1)
        throw ImportError(o.weights + ": the tensor names (" + join(keys_of(m)) +
                          ") are not those of one nn.Sequential (0.weight, 0.bias, 2.weight, ...): name the layers in "
                          "order with --layers fc1,fc2,... or each tensor with --names W1=KEY,b1=KEY,...");
    if (by_index.empty())
        throw ImportError(o.weights + ": no weight tensors found (names: " + join(keys_of(m)) +
                          "); name them with --names W1=KEY,b1=KEY,...");
    for (const auto& [i, w] : by_index) {
        LayerKeys k{w, std::nullopt};
        const std::string b = w.substr(0, w.size() - 7) + ".bias";
        if (m.count(b)) k.b = b;
        layers.push_back(k);
    }
    return layers;
}

const Tensor& tensor(const TensorMap& m, const std::string& key, const std::string& file) {
    const auto it = m.find(key);
    if (it == m.end()) throw ImportError(file + ": no tensor named '" + key + "' (it has: " + join(keys_of(m)) + ")");
    return it->second;
}

struct Row {
    Vector x, y;
    Rational weight = 1;
};

// Rows of a 2-D (N, d) tensor, or of a 1-D (N,) tensor when d == 1.
std::vector<Vector> rows_of(const Tensor& t, std::size_t d, const std::string& what) {
    std::vector<Vector> rows;
    if (t.shape.size() == 2 && t.shape[1] == d) {
        for (std::size_t i = 0; i < t.shape[0]; ++i)
            rows.emplace_back(t.values.begin() + static_cast<std::ptrdiff_t>(i * d),
                              t.values.begin() + static_cast<std::ptrdiff_t>((i + 1) * d));
    } else if (t.shape.size() == 1 && d == 1) {
        for (const Rational& v : t.values) rows.push_back({v});
    } else {
        throw ImportError(what + " has shape " + shape_text(t.shape) + "; the network needs (N, " + std::to_string(d) +
                          ")" + (d == 1 ? " or (N,)" : ""));
    }
    return rows;
}

// Targets: (N, K), (N,) with K == 1, or integer class indices (N,) for cross_entropy (one-hot rows).
std::vector<Vector> targets_of(const Tensor& t, std::size_t k, bool cross_entropy, const std::string& what) {
    if (cross_entropy && t.shape.size() == 1 && k >= 2) {
        if (is_float(t.dtype))
            throw ImportError(what + " is a float vector; class indices for cross_entropy must be integers (int64, "
                                     "as torch.nn.CrossEntropyLoss takes them), or give (N, " + std::to_string(k) +
                              ") probabilities");
        std::vector<Vector> rows;
        for (std::size_t i = 0; i < t.values.size(); ++i) {
            const Rational& c = t.values[i];
            if (c < 0 || c >= static_cast<long>(k))
                throw ImportError(what + ": class index " + script::number_text(c) + " at row " + std::to_string(i + 1) +
                                  " is outside 0.." + std::to_string(k - 1));
            Vector row(k);
            row[static_cast<std::size_t>(c.convert_to<long>())] = 1;
            rows.push_back(row);
        }
        return rows;
    }
    return rows_of(t, k, what);
}

std::vector<Row> read_data(const ImportOptions& o, std::size_t d, std::size_t k, bool ce, ElementBudget& budget) {
    std::vector<Vector> xs, ys;
    std::optional<Vector> weights;
    auto weights_from = [&](const Tensor& t, const std::string& what) {
        if (t.shape.size() != 1) throw ImportError(what + " must be a vector (N,) of row weights, not " + shape_text(t.shape));
        weights = t.values;
    };
    if (ends_with(o.data, ".npz")) {
        const TensorMap m = read_tensor_file(o.data, budget);
        auto pick = [&](const std::string& given, std::initializer_list<const char*> defaults, const char* role) {
            if (!given.empty()) return given;
            for (const char* c : defaults)
                if (m.count(c)) return std::string(c);
            throw ImportError(o.data + ": no " + role + " array (looked for " + join(std::vector<std::string>(defaults.begin(), defaults.end())) +
                              "; it has " + join(keys_of(m)) + "): name it with --" + (role[0] == 'i' ? "x" : "y") + " KEY");
        };
        const std::string xk = pick(o.x_key, {"X", "x", "inputs", "input", "features"}, "input");
        const std::string yk = pick(o.y_key, {"y", "Y", "targets", "target", "labels"}, "target");
        xs = rows_of(tensor(m, xk, o.data), d, o.data + ":" + xk);
        ys = targets_of(tensor(m, yk, o.data), k, ce, o.data + ":" + yk);
        if (!o.weight_key.empty() && !ends_with(o.weight_key, ".npy"))
            weights_from(tensor(m, o.weight_key, o.data), o.data + ":" + o.weight_key);
    } else if (ends_with(o.data, ".npy")) {
        if (o.targets.empty()) throw UsageError("--data X.npy needs --targets Y.npy");
        xs = rows_of(read_tensor_file(o.data, budget).at(""), d, o.data);
        ys = targets_of(read_tensor_file(o.targets, budget).at(""), k, ce, o.targets);
    } else if (ends_with(o.data, ".csv")) {
        // Exact numbers as in scripts; columns: d inputs, then k targets (or one class index for cross_entropy).
        for (const auto& r : script::read_csv(o.data, o.data, script::SourceLoc{o.data, 0, 0, 0}).rows) {
            const bool index = ce && r.values.size() == d + 1 && k >= 2;
            if (r.values.size() != d + (index ? 1 : k))
                throw ImportError(o.data + ":" + std::to_string(r.loc.line) + ": " + std::to_string(r.values.size()) +
                                  " fields; the network needs " + std::to_string(d) + " inputs and " + std::to_string(k) +
                                  " targets" + (ce ? " (or one class index)" : ""));
            xs.emplace_back(r.values.begin(), r.values.begin() + static_cast<std::ptrdiff_t>(d));
            if (index) {
                const Rational& c = r.values.back();
                if (denominator(c) != 1 || c < 0 || c >= static_cast<long>(k))
                    throw ImportError(o.data + ":" + std::to_string(r.loc.line) + ": class index " + script::number_text(c) +
                                      " is not a whole number in 0.." + std::to_string(k - 1));
                Vector row(k);
                row[static_cast<std::size_t>(c.convert_to<long>())] = 1;
                ys.push_back(row);
            } else {
                ys.emplace_back(r.values.begin() + static_cast<std::ptrdiff_t>(d), r.values.end());
            }
        }
    } else {
        throw UsageError("--data must be a .npz, .npy or .csv file");
    }
    if (ends_with(o.weight_key, ".npy")) weights_from(read_tensor_file(o.weight_key, budget).at(""), o.weight_key);
    if (xs.size() != ys.size())
        throw ImportError("the data have " + std::to_string(xs.size()) + " inputs but " + std::to_string(ys.size()) + " targets");
    if (xs.empty()) throw ImportError(o.data + ": no data rows");
    if (weights && weights->size() != xs.size())
        throw ImportError("the row weights have " + std::to_string(weights->size()) + " entries for " +
                          std::to_string(xs.size()) + " rows");
    std::vector<Row> rows;
    for (std::size_t i = 0; i < xs.size(); ++i) {
        Row r{xs[i], ys[i], weights ? (*weights)[i] : Rational(1)};
        if (r.weight <= 0) throw ImportError("row weight " + std::to_string(i + 1) + " is not > 0");
        rows.push_back(std::move(r));
    }
    return rows;
}

std::string number(const Rational& q, const ImportOptions& o, bool data) {
    if (o.numbers == ImportOptions::Numbers::hex && denominator(q) == (denominator(q) & -denominator(q))) return hex_float(q);
    if (o.numbers == ImportOptions::Numbers::rounded && !data) return rounded_decimal(q, o.digits);
    return exact_decimal(q);
}

std::string list(const Vector& v, const ImportOptions& o, bool data) {
    std::string s;
    for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + number(v[i], o, data);
    return s;
}

bool exact_activation(const std::string& a) {
    return a == "identity" || a == "relu" || a.rfind("leaky_relu", 0) == 0 || a.rfind("poly", 0) == 0;
}

std::string file_digest(const std::string& path) {
    util::FileError error;
    const std::optional<std::string> bytes = util::read_file(path, error, max_tensor_file_bytes);
    if (!bytes) throw ImportError(path + ": cannot be read: " + error.message);
    return util::sha256_hex(*bytes);
}

// Whether line `line` (1-based) of the written script holds numbers of the files: a data row (between `data {` and
// its `}`) or a parameter of the point (between `point NAME {` and its `}`), as import_script lays them out.
bool from_the_files(const std::string& text, std::size_t line) {
    std::istringstream in(text);
    std::string l;
    enum { outside, data, point } where = outside;
    for (std::size_t n = 1; std::getline(in, l); ++n) {
        if (n == line) return where != outside && l != "}";
        if (where != outside && l == "}") where = outside;
        else if (where == outside && l == "data {") where = data;
        else if (where == outside && l.rfind("point ", 0) == 0) where = point;
    }
    return false;
}

}  // namespace

std::string import_script(const ImportOptions& o) {
    if (o.weights.empty() || o.data.empty()) throw UsageError("import needs --weights FILE and --data FILE");
    ElementBudget budget;  // all files of this import together (docs/limits.md)
    const TensorMap m = read_tensor_file(o.weights, budget);
    const std::vector<LayerKeys> layers = layer_keys(m, o);
    // Every tensor must be used: a tensor we do not place is a module nncert does not model.
    std::set<std::string> used(o.ignore.begin(), o.ignore.end());
    std::vector<std::size_t> widths;
    std::size_t fan_in = 0;
    std::string provenance;
    for (std::size_t l = 0; l < layers.size(); ++l) {
        const std::string name = std::to_string(l + 1);
        const Tensor& w = tensor(m, layers[l].w, o.weights);
        if (w.shape.size() != 2)
            throw ImportError(o.weights + ":" + layers[l].w + " (W" + name + ") has shape " + shape_text(w.shape) +
                              "; a dense layer's weight is a matrix (out_features, in_features)");
        if (w.shape[0] == 0 || w.shape[1] == 0)
            throw ImportError(o.weights + ":" + layers[l].w + " (W" + name + ") has shape " + shape_text(w.shape) +
                              ": a layer needs at least one input and one output");
        if (l > 0 && w.shape[1] != fan_in)
            throw ImportError(o.weights + ":" + layers[l].w + " (W" + name + ") has shape " + shape_text(w.shape) +
                              " but layer " + std::to_string(l) + " has " + std::to_string(fan_in) +
                              " outputs: the layers do not chain (wrong order? give --layers or --names)");
        used.insert(layers[l].w);
        provenance += "#   W" + name + " = " + layers[l].w + " " + to_string(w.dtype) + " " + shape_text(w.shape);
        if (layers[l].b) {
            const Tensor& b = tensor(m, *layers[l].b, o.weights);
            if (b.shape != std::vector<std::size_t>{w.shape[0]})
                throw ImportError(o.weights + ":" + *layers[l].b + " (b" + name + ") has shape " + shape_text(b.shape) +
                                  "; W" + name + " needs (" + std::to_string(w.shape[0]) + ",)");
            used.insert(*layers[l].b);
            provenance += ", b" + name + " = " + *layers[l].b + " " + to_string(b.dtype) + " " + shape_text(b.shape);
        } else {
            provenance += ", no bias (nobias)";
        }
        provenance += "\n";
        widths.push_back(w.shape[0]);
        fan_in = w.shape[0];
    }
    std::vector<std::string> unused;
    for (const auto& [name, t] : m)
        if (!used.count(name)) unused.push_back(name);
    if (!unused.empty())
        throw ImportError(o.weights + ": tensors not part of any dense layer: " + join(unused) +
                          " (nncert models stacks of nn.Linear and activations; leave a tensor out on purpose with "
                          "--ignore NAME)");

    const std::size_t depth = layers.size(), input_dim = tensor(m, layers[0].w, o.weights).shape[1];
    std::vector<std::string> acts;
    if (depth == 1 && !o.activations.empty())
        throw UsageError("--activation sets hidden layers' activations, and this model has one layer (no hidden "
                         "layer); its output activation is --output-activation");
    if (o.activations.size() == 1) acts.assign(depth - 1, o.activations[0]);
    else if (o.activations.size() == depth - 1) acts = o.activations;
    else if (!(depth == 1 && o.activations.empty()))
        throw UsageError("--activation needs one activation for every hidden layer, or one for all (" +
                         std::to_string(depth - 1) + " hidden layers)");
    acts.push_back(!o.output.empty() ? o.output : o.loss == "bce" ? "sigmoid" : "identity");
    const bool ce = o.loss == "cross_entropy";
    const std::vector<Row> rows = read_data(o, input_dim, widths.back(), ce, budget);

    bool exact = o.loss == "sse" || o.loss == "sse/2" || o.loss == "mse";
    for (const std::string& a : acts) exact = exact && exact_activation(a);
    std::ostringstream s;
    s << "# Written by `nncert import` from " << o.weights << " (sha256 " << file_digest(o.weights) << ")\n"
      << "# and " << o.data << (o.targets.empty() ? "" : " + " + o.targets) << ". Layers, in order (W_l is laid out as "
      << "nn.Linear.weight: out_features x in_features; b_l is nn.Linear.bias):\n"
      << provenance << "# Numbers: "
      << (o.numbers == ImportOptions::Numbers::rounded
              ? "weights rounded to " + std::to_string(o.digits) +
                    " significant digits (NOT the trained floats; refine or snap gives a certified point); data exact"
              : o.numbers == ImportOptions::Numbers::hex ? "exact, as C99 hex floats"
                                                         : "exact (each float's full decimal expansion)")
      << ".\nnncert 1\n\ndata {\n";
    // The script must stay readable by `nncert check` (64 MiB); stop writing as soon as it cannot.
    auto guard = [&s] {
        if (static_cast<std::size_t>(s.tellp()) > max_import_script_bytes)
            throw ImportError("the script would be larger than " + std::to_string(max_import_script_bytes) +
                              " bytes (64 MiB), the size of a script nncert check reads (docs/limits.md); "
                              "use fewer data rows, or --digits D for shorter weights");
    };
    for (const Row& r : rows) {
        guard();
        std::vector<std::string> x, y;
        for (const Rational& v : r.x) x.push_back(number(v, o, true));
        for (const Rational& v : r.y) y.push_back(number(v, o, true));
        // After a literal longer than 64 characters a line may hold only more list values (the width rule,
        // docs/format.md), and a data row is not broken once it runs past column 160 (the view rule): so a row
        // with a weight, or with a value that is not one literal (p/q, or the pieces of number_text), is written
        // in number_text's short pieces throughout, which the line breaker can place (review r8-11, F5 and F6:
        // `weight` after a long decimal, `/` or `*` after one, and a weight of 389 characters).
        const auto one_literal = [](const std::string& t) { return t.find_first_of("/*( ") == std::string::npos; };
        const bool short_form = r.weight != 1 || !std::all_of(x.begin(), x.end(), one_literal) ||
                                !std::all_of(y.begin(), y.end(), one_literal);
        const auto row_list = [&](const std::vector<std::string>& texts, const Vector& v) {
            std::string t;
            for (std::size_t i = 0; i < v.size(); ++i)
                t += (i ? ", " : "") + (short_form && texts[i].size() > script::literal_view ? script::number_text(v[i]) : texts[i]);
            return t;
        };
        s << "  " << row_list(x, r.x) << " -> " << row_list(y, r.y);
        if (r.weight != 1) {
            const std::string w = number(r.weight, o, true);
            s << " weight " << (w.size() > script::literal_view ? script::number_text(r.weight) : w);
        }
        s << "\n";
    }
    s << "}\n\nnetwork {\n  input " << input_dim << "\n";
    for (std::size_t l = 0; l < depth; ++l)
        s << "  dense " << widths[l] << " " << acts[l] << (layers[l].b ? "" : " nobias") << "\n";
    s << "}\n\nloss " << o.loss;
    if (!o.weight_decay.empty()) s << " + l2(" << o.weight_decay << ")";
    s << "\n";
    if (o.precision) s << "precision " << *o.precision << "\n";
    s << "\npoint " << o.point << " {\n";
    for (std::size_t l = 0; l < depth; ++l) {
        const Tensor& w = tensor(m, layers[l].w, o.weights);
        const std::size_t cols = w.shape[1];
        s << "  W" << l + 1 << " = [";
        for (std::size_t i = 0; i < w.shape[0]; ++i, guard())
            s << (i ? ", " : "") << "["
              << list(Vector(w.values.begin() + static_cast<std::ptrdiff_t>(i * cols),
                             w.values.begin() + static_cast<std::ptrdiff_t>((i + 1) * cols)),
                      o, false)
              << "]";
        s << "]\n";
        if (layers[l].b) s << "  b" << l + 1 << " = [" << list(tensor(m, *layers[l].b, o.weights).values, o, false) << "]\n";
    }
    s << "}\n\n";
    std::vector<std::string> claims = o.claims;
    if (claims.empty()) {
        if (exact) claims.push_back("local_min " + o.point);
        else claims.push_back("strict_local_min " + o.point + " within 1e-10");
    }
    for (const std::string& c : claims) s << "claim " << c << "\n";
    guard();
    const std::string text = script::wrap_script(s.str());  // the view rule: no line past column 160 (wrap.hpp)
    try {
        script::parse_text(text, "<import>", std::filesystem::path(o.data).parent_path().string());
    } catch (const script::ParseError& e) {
        // A size limit comes from the files (too many parameters or data rows x units), and so does an error in a
        // data row or in the point's values (the numbers are the files'); anything else from an activation, loss,
        // point name or claim given on the command line that the script language rejects.
        if (e.code == "limit")
            throw ImportError("the files give a network or data set over nncert's limits (docs/limits.md): " + e.message);
        if (from_the_files(text, e.loc.line))
            throw ImportError("the files give a script nncert cannot read: " + e.format());
        throw UsageError("the options give a script nncert cannot read: " + e.format());
    }
    return text;
}

int run_import(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    static const char* usage =
        "usage: nncert import --weights FILE.safetensors|FILE.npz --data FILE.npz|X.npy|FILE.csv [--targets Y.npy]\n"
        "         [--activation ACT[,ACT...]] [--output-activation ACT] [--loss sse|sse/2|mse|bce|cross_entropy]\n"
        "         [--weight-decay LAMBDA] [--layers M1,M2,...] [--names W1=KEY,b1=KEY,...] [--ignore KEY]...\n"
        "         [--x KEY] [--y KEY] [--row-weights KEY|W.npy] [--point NAME] [--hex | --digits D]\n"
        "         [--claim TEXT]... [--precision BITS] [-o|--output OUT.nnc] [--timeout S] [--max-memory MIB]\n"
        "Reads and converts in a child process under --timeout S (default 600, 0: none) and --max-memory MIB\n"
        "(default 4096, at least 256; 0: none), as `nncert check` checks a claim; stopped by either, it writes\n"
        "nothing and exits 3 naming the limit.\n";
    ImportOptions o;
    std::string output_file;
    runtime::ResourceLimits limits;  // --timeout, --max-memory: as `nncert check`'s (600 s, 4096 MiB)
    std::optional<std::string> timeout, max_memory;  // script::resource_limits reads them
    try {
        auto split = [](const std::string& v) {
            std::vector<std::string> parts;
            std::string cur;
            int depth = 0;  // commas inside leaky_relu(...) / poly(...) do not split
            for (char c : v) {
                if (c == '(') ++depth;
                if (c == ')') --depth;
                if (c == ',' && depth == 0) {
                    parts.push_back(cur);
                    cur.clear();
                } else {
                    cur += c;
                }
            }
            parts.push_back(cur);
            return parts;
        };
        for (std::size_t i = 0; i < args.size(); ++i) {
            const std::string& a = args[i];
            auto value = [&]() -> std::string {
                if (i + 1 >= args.size()) throw UsageError(a + " needs a value");
                return args[++i];
            };
            if (a == "--help" || a == "-h") {
                out << usage << "See docs/pytorch.md for the whole road from a PyTorch model to a certificate.\n";
                return 0;
            }
            if (a == "--weights") o.weights = value();
            else if (a == "--data") o.data = value();
            else if (a == "--targets") o.targets = value();
            else if (a == "--x") o.x_key = value();
            else if (a == "--y") o.y_key = value();
            else if (a == "--row-weights") o.weight_key = value();
            else if (a == "--activation") o.activations = split(value());
            else if (a == "--output-activation") o.output = value();
            else if (a == "--loss") o.loss = value();
            else if (a == "--weight-decay") {
                const std::string v = value();
                try {
                    const Rational lambda = script::parse_number(v);
                    if (lambda < 0) throw UsageError("--weight-decay must be >= 0");
                    o.weight_decay = script::number_text(lambda);
                } catch (const script::ParseError&) {
                    throw UsageError("--weight-decay needs an exact number such as 1/1000 or 1e-3, got '" + v + "'");
                }
            } else if (a == "--layers") o.layers = split(value());
            else if (a == "--names") {
                for (const std::string& kv : split(value())) {
                    const std::size_t eq = kv.find('=');
                    if (eq == std::string::npos) throw UsageError("--names takes W1=KEY,b1=KEY,..., got '" + kv + "'");
                    o.names.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
                }
            } else if (a == "--ignore") o.ignore.push_back(value());
            else if (a == "--point") o.point = value();
            else if (a == "--hex") o.numbers = ImportOptions::Numbers::hex;
            else if (a == "--digits") {
                const std::string v = value();
                if (v.empty() || v.size() > 4 || v.find_first_not_of("0123456789") != std::string::npos ||
                    std::stoul(v) < 1 || std::stoul(v) > 1000)
                    throw UsageError("--digits needs a whole number from 1 to 1000");
                o.numbers = ImportOptions::Numbers::rounded;
                o.digits = static_cast<unsigned>(std::stoul(v));
            } else if (a == "--claim") o.claims.push_back(value());
            else if (a == "--precision") {
                const std::string v = value();
                if (v.empty() || v.size() > 7 || v.find_first_not_of("0123456789") != std::string::npos)
                    throw UsageError("--precision needs a whole number of bits");
                o.precision = static_cast<unsigned>(std::stoul(v));
            } else if (a == "--output" || a == "-o") output_file = value();
            else if (a == "--timeout") timeout = value();
            else if (a == "--max-memory") max_memory = value();
            else throw UsageError("unknown option '" + a + "'");
        }
        if (o.weights.empty() || o.data.empty()) throw UsageError("import needs --weights FILE and --data FILE");
        try {
            limits = script::resource_limits(timeout, max_memory, limits);
        } catch (const std::invalid_argument& e) {
            throw UsageError(e.what());
        }
        static const std::set<std::string> losses{"sse", "sse/2", "mse", "bce", "cross_entropy"};
        if (!losses.count(o.loss)) throw UsageError("--loss must be one of sse, sse/2, mse, bce, cross_entropy");
        // Before anything is read: the script must not be written over a file it is made from (the last
        // would be read as, or destroyed by, the output), nor into a FIFO or a device (util::output_problem).
        if (!output_file.empty()) {
            std::vector<util::NamedInput> inputs{{o.weights, "the --weights file"}, {o.data, "the --data file"},
                                                 {o.targets, "the --targets file"}};
            if (ends_with(o.weight_key, ".npy")) inputs.push_back({o.weight_key, "the --row-weights file"});
            if (const auto problem = util::output_problem(output_file, inputs))
                throw UsageError("-o " + util::quoted_name(output_file) + " " + *problem);
        }
        // Reading and converting in a child process under --timeout and --max-memory (runtime/isolated_command.hpp):
        // 8,388,608 elements of long decimal expansions, or a 64 MiB CSV of long rationals, can take gigabytes.
        const runtime::CommandOutcome run = runtime::run_command_isolated(
            [&](std::ostream& text_out, std::ostream& e) -> int {
                try {
                    text_out << import_script(o);
                    return 0;
                } catch (const UsageError& x) {
                    e << "nncert import: " << util::escape_for_display(x.what()) << "\ntry 'nncert import --help'\n";
                    return 4;
                } catch (const ImportError& x) {
                    e << "nncert import: error: " << util::escape_for_display(x.what()) << "\n";
                    return 2;
                } catch (const script::ParseError& x) {
                    e << x.format() << "\n";
                    return 2;
                }
            },
            limits);
        if (run.kind != runtime::Isolated::Kind::done) return runtime::report_stopped_command(run, limits, "nncert import", err);
        err << run.err;
        if (run.code != 0) return run.code;
        const std::string& text = run.out;
        if (output_file.empty()) {
            out << text << std::flush;
        } else {
            if (!util::write_output_file(output_file, text, "nncert import", err)) return 2;
            err << "nncert import: wrote " << util::escape_for_display(output_file) << "\n";
        }
        return 0;
    } catch (const UsageError& e) {
        err << "nncert import: " << util::escape_for_display(e.what()) << "\ntry 'nncert import --help'\n";  // one line, not the whole help
        return 4;
    } catch (const ImportError& e) {
        // Tensor names and header text come from the files: escaped, so no control sequence reaches the terminal.
        err << "nncert import: error: " << util::escape_for_display(e.what()) << "\n";
        return 2;
    } catch (const script::ParseError& e) {  // a malformed CSV data file
        err << e.format() << "\n";
        return 2;
    }
}

}  // namespace nncert::import
