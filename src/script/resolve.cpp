// Name resolution and shape checking. Missing blocks are reported at end of file, a missing
// parameter at its point's name; everything else at the offending token.
#include "script/resolve.hpp"
#include "util/unicode.hpp"

#include "kernel/limits.hpp"
#include "script/csv.hpp"
#include "script/number.hpp"
#include "script/parser.hpp"

#include <filesystem>
#include <iterator>
#include <unordered_map>

namespace nncert::script {

using kernel::Network;

namespace {

// "1 row", "3 rows", "2 entries": English plurals of the nouns the messages count.
std::string count_of(std::size_t n, const std::string& what) {
    if (n == 1) return "1 " + what;
    if (what.size() > 1 && what.back() == 'y' && std::string("aeiou").find(what[what.size() - 2]) == std::string::npos)
        return std::to_string(n) + " " + what.substr(0, what.size() - 1) + "ies";
    return std::to_string(n) + " " + what + "s";
}

// The network, after checking that its parameter count is within limits::max_parameters, counting in
// a way that cannot overflow (widths are at most 1000000 each, but layers are many): every point's
// parameter vector is allocated from this count, so it must be bounded before any point is built.
kernel::Network build_network(const syntax::Network& n) {
    namespace limits = kernel::limits;
    kernel::Network net;
    net.input_dim = n.input_dim;
    std::size_t params = 0, fan_in = n.input_dim;
    for (const syntax::LayerDecl& l : n.layers) {
        const std::size_t layer = l.width * (fan_in + (l.bias ? 1 : 0));  // each factor <= 1000001: no overflow
        if (layer > limits::max_parameters || params + layer > limits::max_parameters)
            fail("limit", l.loc,
                 "the network has more than " + std::to_string(limits::max_parameters) +
                     " parameters by this layer (limit max-parameters, docs/limits.md)");
        params += layer;
        fan_in = l.width;
        net.layers.push_back({l.width, l.activation, l.bias});
    }
    return net;
}

// Data points times units (the size of one forward pass over the data) within limits::max_data_units.
void require_data_units(const kernel::Network& net, std::size_t rows, const SourceLoc& at) {
    std::size_t units = 0;
    for (const kernel::Layer& l : net.layers) units += l.width;  // at most max_parameters: no overflow
    if (rows > 0 && units > kernel::limits::max_data_units / rows)
        fail("limit", at,
             std::to_string(rows) + " data points times " + std::to_string(units) + " units is over the limit of " +
                 std::to_string(kernel::limits::max_data_units) + " (limit max-data-units, docs/limits.md)");
}

// The value, moved out of the syntax tree when the tree is the caller's to consume (`movable`: resolve was
// given an rvalue, so the object is not const and a const_cast may modify it), else copied. Keeps the
// memory of a large script to one copy of its numbers.
kernel::Rational take(const kernel::Rational& v, bool movable) {
    return movable ? std::move(const_cast<kernel::Rational&>(v)) : v;
}
kernel::Vector take(const kernel::Vector& v, bool movable) {
    return movable ? std::move(const_cast<kernel::Vector&>(v)) : v;
}

void check_row(const syntax::Row& r, const Network& net) {
    if (r.x.size() != net.input_dim || r.y.size() != net.output_dim())
        fail("dimension", r.loc,
             "data row has " + count_of(r.x.size(), "input") + " -> " + count_of(r.y.size(), "target") +
                 "; the network has input " + std::to_string(net.input_dim) + " and output " +
                 std::to_string(net.output_dim()));
}

// The samples, from inline rows or from the CSV file (whose digest goes to `inputs`).
std::vector<kernel::Sample> build_data(const syntax::Data& d, const Network& net, const std::string& base_dir,
                                       std::vector<InputFile>& inputs, bool movable) {
    std::vector<kernel::Sample> out;
    if (!d.file) {
        out.reserve(d.rows.size());
        for (const syntax::Row& r : d.rows) {
            check_row(r, net);
            out.push_back({take(r.x, movable), take(r.y, movable), take(r.weight, movable)});
        }
        return out;
    }
    if (d.file->empty()) fail("io", d.file_loc, "empty file name: `data \"FILE.csv\"` names a CSV file");
    // The path opened is the name shown (data_file_path resolves `..` as the system does, across links).
    const std::string label = data_file_path(*d.file, base_dir);
    const std::size_t want = net.input_dim + net.output_dim() + (d.weighted ? 1 : 0);
    const std::string needed = count_of(net.input_dim, "input") + " + " + count_of(net.output_dim(), "target") +
                               (d.weighted ? " + 1 weight" : "") + " = " + std::to_string(want);
    CsvData csv = read_csv(label, label, d.file_loc, {want, needed});  // a wider row stops at its first extra field
    inputs.push_back({label, csv.sha256, csv.header});
    out.reserve(csv.rows.size());
    for (syntax::ArrayRow& r : csv.rows) {
        if (r.values.size() != want)
            fail("dimension", r.loc,
                 "CSV row has " + count_of(r.values.size(), "field") + "; the network needs " + needed);
        kernel::Rational weight = 1;
        if (d.weighted) {
            weight = std::move(r.values.back());
            r.values.pop_back();
            if (weight <= 0)
                fail("bad-value", r.loc,
                     "a data row's weight (its last CSV field) must be > 0, found " + number_text(weight));
        }
        const auto split = r.values.begin() + static_cast<std::ptrdiff_t>(net.input_dim);
        out.push_back({kernel::Vector(std::make_move_iterator(r.values.begin()), std::make_move_iterator(split)),
                       kernel::Vector(std::make_move_iterator(split), std::make_move_iterator(r.values.end())),
                       std::move(weight)});
    }
    if (out.empty()) fail("bad-value", d.file_loc, "CSV file " + util::quoted_name(label) + " has no data rows");
    return out;
}

// A point gives every parameter; a direction (`partial`) may omit some, which are then 0.
kernel::Point build_point(const syntax::Point& p, const Network& net, bool movable, bool partial = false) {
    kernel::Point pt;
    pt.name = p.name;
    const std::vector<std::size_t> start = weight_offsets(net);
    pt.params.assign(start.back(), kernel::Rational(0));
    std::vector<bool> seen(2 * net.layers.size(), false);
    for (std::size_t l = 0; l < net.layers.size(); ++l) seen[2 * l + 1] = !net.has_bias(l);  // no b_l to give
    for (const syntax::Param& prm : p.params) {
        std::string name(1, prm.letter);
        name += std::to_string(prm.layer);  // not `string + string`: GCC 12 -Wrestrict false positive at -O2
        if (prm.layer > net.layers.size())
            fail("unknown-parameter", prm.loc,
                 "unknown parameter '" + name + "': the network has " + count_of(net.layers.size(), "dense layer"));
        const std::size_t l = prm.layer - 1;
        const std::size_t rows = net.layers[l].width, cols = net.fan_in(l);
        const syntax::Array& a = prm.value;
        if (prm.letter == 'W') {
            if (!a.is_matrix)
                fail("dimension", a.loc, name + " must be a matrix [[...], ...] of " + std::to_string(rows) + " x " +
                                             std::to_string(cols));
            if (a.rows.size() != rows)
                fail("dimension", a.loc, name + " has " + count_of(a.rows.size(), "row") + "; layer " +
                                             std::to_string(prm.layer) + " has width " + std::to_string(rows));
            for (std::size_t i = 0; i < rows; ++i) {
                if (a.rows[i].values.size() != cols)
                    fail("dimension", a.rows[i].loc,
                         name + " row " + std::to_string(i + 1) + " has " + count_of(a.rows[i].values.size(), "entry") +
                             "; layer " + std::to_string(prm.layer) + " has fan-in " + std::to_string(cols));
                for (std::size_t j = 0; j < cols; ++j) pt.params[start[l] + i * cols + j] = take(a.rows[i].values[j], movable);
            }
            seen[2 * l] = true;
        } else {
            if (!net.has_bias(l))
                fail("unknown-parameter", prm.loc,
                     "unknown parameter '" + name + "': layer " + std::to_string(prm.layer) + " is bias-free (nobias)");
            if (a.is_matrix || a.rows.front().values.size() != rows)
                fail("dimension", a.loc, name + " must be a vector [...] of " + count_of(rows, "entry") + " (layer " +
                                             std::to_string(prm.layer) + " width)");
            for (std::size_t i = 0; i < rows; ++i) pt.params[start[l] + rows * cols + i] = take(a.rows.front().values[i], movable);
            seen[2 * l + 1] = true;
        }
    }
    for (std::size_t k = 0; k < seen.size() && !partial; ++k)
        if (!seen[k])
            fail("missing-parameter", p.loc,
                 "point '" + p.name + "' lacks " + (k % 2 == 0 ? "W" : "b") + std::to_string(k / 2 + 1));
    return pt;
}

// On a transcendental problem (sigmoid, tanh, softplus units or bce) losses and critical points are not
// exact rationals, so a claim about a single point has no exact meaning: it must name a box.
void require_box(const syntax::Claim& c, const std::string& why) {
    const std::string p = c.point;
    std::string fix;
    switch (c.kind) {
        case kernel::ClaimKind::loss: fix = "`loss " + p + " in [a, b]` or `loss " + p + " within r in [a, b]`"; break;
        case kernel::ClaimKind::gap: fix = "`gap " + p + " within r > " + c.other + "`"; break;
        case kernel::ClaimKind::accuracy: fix = "`accuracy " + p + " within r = " + number_text(c.value) + "`"; break;
        case kernel::ClaimKind::local_min:
            fix = "`local_min " + p + " within r` or `strict_local_min " + p + " within r` (e.g. r = 1e-10)";
            break;
        case kernel::ClaimKind::blind_spot:
            fix = "`blind_spot " + p + " within 0` (the point itself) or `blind_spot " + p + " within r`";
            break;
        default: fix = "`" + claim_keyword(c.kind) + " " + p + " within r` (e.g. r = 1e-10; nncert refine proposes one)";
    }
    fail("needs-within", c.loc,
         "`" + claim_keyword(c.kind) + " " + p + "` needs a box on this problem (" + why +
             ", so its values are not exact rationals): write " + fix);
}

// Why the problem is not exact, or "" when it is.
std::string transcendental(const kernel::Problem& pb) {
    for (const kernel::Layer& l : pb.net.layers)
        if (!l.activation.is_exact()) return kernel::to_string(l.activation) + " units";
    if (pb.loss == kernel::LossKind::bce) return "the bce loss";
    if (pb.loss == kernel::LossKind::cross_entropy) return "the cross_entropy loss";
    return "";
}

std::size_t point_index(const std::unordered_map<std::string, std::size_t>& index, const std::string& name,
                        const SourceLoc& at) {
    const auto it = index.find(name);
    if (it == index.end()) fail("unknown-point", at, "no point named '" + name + "'");
    return it->second;
}

std::size_t region_index(const std::vector<kernel::Region>& regions, const std::string& name, const SourceLoc& at) {
    for (std::size_t i = 0; i < regions.size(); ++i)
        if (regions[i].name == name) return i;
    fail("unknown-region", at, "no region named '" + name + "' (a region is defined by `region " + name + " { ... }`)");
}

bool is_region(const std::vector<kernel::Region>& regions, const std::string& name) {
    for (const kernel::Region& r : regions)
        if (r.name == name) return true;
    return false;
}

// The flat parameter indices an entry names: one entry (W2[1,3], b1[2]) or a whole W_l or b_l.
// `start`: weight_offsets(net).
std::vector<std::size_t> entry_indices(const syntax::RegionEntry& e, const Network& net,
                                       const std::vector<std::size_t>& start) {
    std::string name(1, e.letter);
    name += std::to_string(e.layer);
    if (e.layer > net.layers.size())
        fail("unknown-parameter", e.loc,
             "unknown parameter '" + name + "': the network has " + count_of(net.layers.size(), "dense layer"));
    const std::size_t l = e.layer - 1, rows = net.layers[l].width, cols = net.fan_in(l);
    std::vector<std::size_t> out;
    if (e.letter == 'W') {
        if (e.row != 0 && e.col == 0)
            fail("unknown-parameter", e.loc, "an entry of " + name + " needs two indices, " + name + "[row, column]");
        if (e.row > rows || e.col > cols)
            fail("unknown-parameter", e.loc,
                 name + "[" + std::to_string(e.row) + "," + std::to_string(e.col) + "] does not exist: " + name + " is " +
                     std::to_string(rows) + " x " + std::to_string(cols));
        for (std::size_t i = 0; i < rows; ++i)
            for (std::size_t j = 0; j < cols; ++j)
                if (e.row == 0 || (i + 1 == e.row && j + 1 == e.col)) out.push_back(start[l] + i * cols + j);
        return out;
    }
    if (!net.has_bias(l))
        fail("unknown-parameter", e.loc, "unknown parameter '" + name + "': layer " + std::to_string(e.layer) + " is bias-free (nobias)");
    if (e.col != 0) fail("unknown-parameter", e.loc, "an entry of " + name + " has one index, " + name + "[row]");
    if (e.row > rows)
        fail("unknown-parameter", e.loc,
             name + "[" + std::to_string(e.row) + "] does not exist: " + name + " has " + count_of(rows, "entry"));
    for (std::size_t i = 0; i < rows; ++i)
        if (e.row == 0 || i + 1 == e.row) out.push_back(start[l] + rows * cols + i);
    return out;
}

kernel::Region build_region(const syntax::Region& r, const Network& net,
                            const std::unordered_map<std::string, std::size_t>& index,
                            const std::vector<kernel::Point>& points) {
    kernel::Region out;
    out.name = r.name;
    const std::vector<std::size_t> start = weight_offsets(net);
    const std::size_t n = start.back();
    out.box.assign(n, kernel::Range{});
    std::vector<bool> set(n, false), by_entry(n, false);
    if (r.around) {
        const kernel::Point& p = points[point_index(index, *r.around, r.around_loc)];
        out.box = kernel::cube(p.params, r.radius);
        set.assign(n, true);
    }
    for (const syntax::RegionEntry& e : r.entries)
        for (std::size_t k : entry_indices(e, net, start)) {
            if (by_entry[k])
                fail("duplicate", e.loc, "region '" + r.name + "' gives " + net.param_name(k) + " a second range");
            by_entry[k] = set[k] = true;
            out.box[k] = {e.lo, e.hi};
        }
    for (std::size_t k = 0; k < n; ++k)
        if (!set[k])
            fail("missing-parameter", r.loc,
                 "region '" + r.name + "' gives no range for " + net.param_name(k) +
                     " (give it one, or an `around P radius r` line for the parameters not listed)");
    return out;
}

}  // namespace

std::string claim_text(const kernel::Claim& c, const std::vector<kernel::Point>& points,
                       const std::vector<std::string>& along) {
    std::string s = c.negated ? "not " : "";
    s += claim_keyword(c.kind) + " " + (c.region_subject ? c.region->name : points.at(c.point).name);
    if (c.radius) s += " within " + number_text(*c.radius);
    if (c.region && !c.region_subject) s += " in " + c.region->name;
    if (c.layer) s += " layer " + number_text(*c.layer);
    if (c.steps) s += " steps " + number_text(*c.steps);
    if (c.kind == kernel::ClaimKind::accuracy && c.region) return s + " <= " + number_text(c.value);
    if (c.kind == kernel::ClaimKind::gap) s += " > " + points.at(c.other).name;
    if (c.kind == kernel::ClaimKind::barrier) s += " " + points.at(c.other).name + " > " + number_text(c.value);
    if (c.kind == kernel::ClaimKind::monotone) s += " " + points.at(c.other).name;
    if (c.kind == kernel::ClaimKind::loss && (c.lower || c.upper))
        s += " in [" + (c.lower ? number_text(*c.lower) : "-inf") + ", " + (c.upper ? number_text(*c.upper) : "inf") + "]";
    else if (c.kind == kernel::ClaimKind::loss || c.kind == kernel::ClaimKind::accuracy)
        s += " = " + number_text(c.value);
    for (std::size_t i = 0; i < along.size(); ++i) s += (i ? ", " : " along ") + along[i];
    return s;
}

namespace {

Script resolve_tree(const syntax::File& f, const std::string& path, const std::string& base_dir, bool movable) {
    if (!f.network) fail("missing-section", f.end, "no network block");
    if (!f.data) fail("missing-section", f.end, "no data (a data { ... } block or data \"file.csv\")");
    if (!f.loss) fail("missing-section", f.end, "no loss line (loss sse, loss mse, ...)");

    Script s;
    s.path = path;
    s.version = f.version;
    s.problem.net = build_network(*f.network);
    s.problem.loss = *f.loss;
    if (s.problem.loss == kernel::LossKind::bce && s.problem.net.layers.back().activation.kind != kernel::ActivationKind::sigmoid)
        fail("bad-value", f.loss_loc,
             "loss bce needs a sigmoid output layer (it is the cross-entropy of a probability); the last layer is " +
                 kernel::to_string(s.problem.net.layers.back().activation));
    if (s.problem.loss == kernel::LossKind::cross_entropy &&
        (s.problem.net.layers.back().activation.kind != kernel::ActivationKind::identity || s.problem.net.output_dim() < 2))
        fail("bad-value", f.loss_loc,
             "loss cross_entropy needs an identity output layer of at least 2 units (the logits of the classes); the "
             "last layer is dense " + std::to_string(s.problem.net.output_dim()) + " " +
                 kernel::to_string(s.problem.net.layers.back().activation));
    s.problem.weight_decay = f.weight_decay;
    s.data_weighted = f.data->weighted;
    s.precision = f.precision;
    if (f.threshold) s.problem.classify = kernel::ClassifyRule{*f.threshold};
    s.data_file = f.data->file;
    s.problem.data = build_data(*f.data, s.problem.net, base_dir, s.data_files, movable);
    require_data_units(s.problem.net, s.problem.data.size(), f.data->loc);
    if (s.problem.loss == kernel::LossKind::cross_entropy)
        for (std::size_t i = 0; i < s.problem.data.size(); ++i)
            for (const kernel::Rational& y : s.problem.data[i].y)
                if (y < 0)
                    fail("bad-value", f.data->rows.empty() ? f.data->file_loc : f.data->rows[i].loc,
                         "cross_entropy targets are class probabilities and must be >= 0, found " + number_text(y));
    std::unordered_map<std::string, std::size_t> index;  // point name -> position (names are unique)
    s.points.reserve(f.points.size());
    for (const syntax::Point& p : f.points) {
        index.emplace(p.name, s.points.size());
        s.points.push_back(build_point(p, s.problem.net, movable));
    }
    std::unordered_map<std::string, std::size_t> direction_index;
    for (const syntax::Point& d : f.directions) {
        direction_index.emplace(d.name, s.directions.size());
        s.directions.push_back(build_point(d, s.problem.net, movable, true));
    }
    s.max_boxes = f.max_boxes;
    for (const syntax::Region& r : f.regions) {
        if (index.count(r.name))
            fail("duplicate", r.loc, "'" + r.name + "' names both a point and a region (claims could not tell them apart)");
        if (direction_index.count(r.name)) fail("duplicate", r.loc, "'" + r.name + "' names both a direction and a region");
        s.regions.push_back(build_region(r, s.problem.net, index, s.points));
    }

    const std::string why = transcendental(s.problem);
    for (const syntax::Claim& c : f.claims) {
        const bool segment = c.kind == kernel::ClaimKind::barrier || c.kind == kernel::ClaimKind::monotone;
        kernel::Claim k;
        // `loss R in [a, b]` and `gap R > Q`: a region as the subject.
        const bool subject_region = (c.kind == kernel::ClaimKind::loss || c.kind == kernel::ClaimKind::gap) &&
                                    is_region(s.regions, c.point);
        if (!why.empty() && !c.radius && !c.range && c.region.empty() && !subject_region && !segment &&
            c.kind != kernel::ClaimKind::trap)
            require_box(c, why);
        k.kind = c.kind;
        k.negated = c.negated;
        if (subject_region) {
            if (c.radius)
                fail("bad-value", c.point_loc, "'" + c.point + "' is a region: it takes no `within` (the claim is about all of it)");
            if (c.kind == kernel::ClaimKind::loss && !c.range)
                fail("syntax", c.point_loc, "the loss over region '" + c.point + "' is claimed as a range: `loss " + c.point +
                                                " in [a, b]` (either end may be -inf / inf)");
            k.region = s.regions[region_index(s.regions, c.point, c.point_loc)];
            k.region_subject = true;
        } else {
            if (is_region(s.regions, c.point))
                fail("unknown-point", c.point_loc,
                     "'" + c.point + "' is a region; `" + claim_keyword(c.kind) + "` takes a point (regions are the subject of "
                     "`loss R in [a, b]` and `gap R > Q`, and follow `in` in `trap P in R`, `accuracy P in R <= q`, "
                     "`local_min P in R`)");
            k.point = point_index(index, c.point, c.point_loc);
        }
        if (!c.region.empty()) k.region = s.regions[region_index(s.regions, c.region, c.region_loc)];
        k.layer = c.layer;
        k.steps = c.steps;
        if (c.kind == kernel::ClaimKind::gap || segment) k.other = point_index(index, c.other, c.other_loc);
        k.value = c.value;
        k.radius = c.radius;
        k.lower = c.lower;
        k.upper = c.upper;
        if (c.kind == kernel::ClaimKind::accuracy && !s.problem.classify)
            fail("missing-section", c.loc, "an accuracy claim needs a classify rule (classify threshold T)");
        if (c.kind == kernel::ClaimKind::accuracy && s.problem.net.output_dim() != 1)
            fail("dimension", c.loc, "an accuracy claim needs a network with one output, this one has " +
                                         std::to_string(s.problem.net.output_dim()));
        for (std::size_t i = 0; i < c.along.size(); ++i) {
            const auto j = direction_index.find(c.along[i]);
            if (j == direction_index.end())
                fail("unknown-point", c.along_locs[i], "no direction named '" + c.along[i] + "' (define it with `direction " +
                                                           c.along[i] + " { ... }`)");
            k.along.push_back(s.directions[j->second].params);
        }
        s.claims.push_back({k, claim_text(k, s.points, c.along), c.written, c.loc, c.along});
    }
    return s;
}

}  // namespace

Script resolve(const syntax::File& f, const std::string& path, const std::string& base_dir) {
    return resolve_tree(f, path, base_dir, false);
}

Script resolve(syntax::File&& f, const std::string& path, const std::string& base_dir) {
    return resolve_tree(f, path, base_dir, true);
}

std::vector<std::size_t> weight_offsets(const kernel::Network& net) {
    std::vector<std::size_t> start(net.layers.size() + 1, 0);
    for (std::size_t l = 0; l < net.layers.size(); ++l) {
        const kernel::Layer& layer = net.layers[l];
        start[l + 1] = start[l] + layer.width * net.fan_in(l) + (layer.bias ? layer.width : 0);
    }
    return start;
}

}  // namespace nncert::script
