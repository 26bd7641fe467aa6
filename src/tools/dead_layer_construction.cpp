// Section 4's dead-layer points and bump witness for a given dataset (see the header for the contract).
// Untrusted: every number it writes is re-checked by the kernel when the script is checked.
#include "tools/dead_layer_construction.hpp"

#include "script/lexer.hpp"
#include "script/number.hpp"
#include "script/wrap.hpp"

#include <map>
#include <stdexcept>

namespace nncert::tools {

using kernel::Rational;
using kernel::Vector;
using script::number_text;

std::vector<InputGroup> group_by_input(const std::vector<kernel::Sample>& data) {
    std::vector<InputGroup> groups;
    std::map<Vector, std::size_t> index;  // exact equality of rational vectors
    for (const kernel::Sample& s : data) {
        if (s.y.size() != 1) throw ConstructionError("every data row needs exactly one label");
        auto [it, fresh] = index.try_emplace(s.x, groups.size());
        if (fresh) groups.push_back({s.x, 0, Rational(0)});
        InputGroup& g = groups[it->second];
        ++g.count;
        g.label_sum += s.y[0];
    }
    return groups;
}

BumpCenter find_bump_center(const std::vector<InputGroup>& groups) {
    BumpCenter c;
    std::size_t n = 0;
    Rational total = 0;
    for (const InputGroup& g : groups) {
        n += g.count;
        total += g.label_sum;
    }
    if (n == 0) return c;
    c.overall_mean = total / n;
    // The bump at group r lowers the loss by n_r N / (N - n_r) (nu_r - m)^2: take the largest gain
    // (the first such group on ties), so the witness is the best single bump.
    Rational best = 0;
    for (std::size_t r = 0; r < groups.size(); ++r) {
        const Rational off = groups[r].mean() - c.overall_mean;
        if (kernel::is_zero(off)) continue;  // a group off the mean cannot hold every row: N - n_r > 0
        const Rational gain = Rational(groups[r].count) / (n - groups[r].count) * off * off;
        if (c.found && gain <= best) continue;
        c.found = true;
        best = gain;
        c.group = r;
        c.nu = groups[r].mean();
        c.mu = (total - groups[r].label_sum) / (n - groups[r].count);
    }
    return c;
}

namespace {

Rational dot(const Vector& a, const Vector& b) {
    Rational s = 0;
    for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
    return s;
}

Vector minus(const Vector& a, const Vector& b) {
    Vector d(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) d[i] = a[i] - b[i];
    return d;
}

}  // namespace

Vector separating_direction(const std::vector<InputGroup>& groups, std::size_t center) {
    const Vector& xr = groups.at(center).x;
    std::vector<Vector> diffs;
    for (std::size_t s = 0; s < groups.size(); ++s)
        if (s != center) diffs.push_back(minus(groups[s].x, xr));
    // Try v = (1, M, M^2, ...) for M = 0, 1, 2, ...: v.d is a nonzero polynomial in M of degree
    // < dim for each d != 0, so at most (dim - 1) * #diffs values of M fail and the loop ends.
    const std::size_t dim = xr.size(), bound = (dim - 1) * diffs.size();
    for (std::size_t m = 0; m <= bound; ++m) {
        Vector v(dim);
        Rational power = 1;
        for (std::size_t j = 0; j < dim; ++j, power *= m) v[j] = power;  // 0^0 = 1: M = 0 is e_1
        Rational least = -1;
        for (const Vector& d : diffs) {
            const Rational a = abs(dot(v, d));
            if (least < 0 || a < least) least = a;
        }
        if (least == 0) continue;
        if (least > 0 && least < 2)
            for (Rational& e : v) e *= Rational(2) / least;  // stretch so every other input has |t| >= 2
        return v;
    }
    throw std::logic_error("separating_direction: no M found within the degree bound (cannot happen)");
}

namespace {

LayerParams constant_layer(std::size_t rows, std::size_t cols, const Rational& bias) {
    return {std::vector<Vector>(rows, Vector(cols, Rational(0))), Vector(rows, bias)};
}

// W_1 = 0, b_1 = -1 (dead on every input); later hidden layers W = 0, b = 1 (active, kink-free);
// output W = 0, b = out. The network is the constant `out`.
PointParams dead_point(std::size_t dim, const std::vector<std::size_t>& widths, const Rational& out) {
    PointParams p;
    p.push_back(constant_layer(widths[0], dim, Rational(-1)));
    for (std::size_t l = 1; l < widths.size(); ++l) p.push_back(constant_layer(widths[l], widths[l - 1], Rational(1)));
    p.push_back(constant_layer(1, widths.back(), out));
    return p;
}

// The bump network: unused units everywhere are W = 0, b = -1 (off on every input, no kink).
PointParams bump_point(std::size_t dim, const std::vector<std::size_t>& widths, const Vector& v,
                       const Rational& gamma, const Rational& nu, const Rational& mu) {
    PointParams p;
    LayerParams first = constant_layer(widths[0], dim, Rational(-1));
    for (int k = 0; k < 3; ++k) {  // relu(t + 1), relu(t), relu(t - 1) with t = v.x - gamma
        first.W[k] = v;
        first.b[k] = -gamma + 1 - k;
    }
    p.push_back(first);
    const Rational lift = nu - mu;
    if (widths.size() == 1) {
        // Depth 2: out = mu + (nu - mu) (relu(t+1) - 2 relu(t) + relu(t-1)); nothing clips after it.
        LayerParams out = constant_layer(1, widths[0], mu);
        out.W[0][0] = lift;
        out.W[0][1] = -2 * lift;
        out.W[0][2] = lift;
        p.push_back(out);
        return p;
    }
    // Deep: the paper's "W = I" pass-through would clip a negative mu or nu in the next relu layer.
    // Instead layer 2 forms the hat shifted up by 1, relu(u1 - 2 u2 + u3 + 1) = bump + 1 >= 1, later
    // layers copy it (weight 1, bias 0: pre-activation >= 1, never clipped, never on a kink), and only
    // the output layer, which has no relu, applies mu + (nu - mu)(h - 1).
    LayerParams hat = constant_layer(widths[1], widths[0], Rational(-1));
    hat.W[0][0] = 1;
    hat.W[0][1] = -2;
    hat.W[0][2] = 1;
    hat.b[0] = 1;
    p.push_back(hat);
    for (std::size_t l = 2; l < widths.size(); ++l) {
        LayerParams copy = constant_layer(widths[l], widths[l - 1], Rational(-1));
        copy.W[0][0] = 1;
        copy.b[0] = 0;
        p.push_back(copy);
    }
    LayerParams out = constant_layer(1, widths.back(), mu - lift);
    out.W[0][0] = lift;
    p.push_back(out);
    return p;
}

}  // namespace

DeadLayerConstruction build_dead_layer(const std::vector<kernel::Sample>& data,
                                       const std::vector<std::size_t>& hidden_widths) {
    if (hidden_widths.empty())
        throw ConstructionError("depth must be at least 2 (a hidden relu layer and the output layer)");
    if (hidden_widths[0] < 3)
        throw ConstructionError("the first hidden layer needs at least 3 units for the bump (got " +
                                std::to_string(hidden_widths[0]) + ")");
    for (std::size_t w : hidden_widths)
        if (w < 1) throw ConstructionError("every hidden layer needs at least 1 unit");
    if (data.empty()) throw ConstructionError("the dataset has no rows");
    const std::size_t dim = data[0].x.size();
    if (dim == 0) throw ConstructionError("every data row needs at least one input and one label");
    for (const kernel::Sample& s : data)
        if (s.x.size() != dim) throw ConstructionError("data rows have different input dimensions");

    DeadLayerConstruction c;
    c.input_dim = dim;
    c.hidden_widths = hidden_widths;
    c.data = data;
    const std::vector<InputGroup> groups = group_by_input(data);
    c.center = find_bump_center(groups);
    if (!c.center.found)
        throw ConstructionError("the dataset is not decent: at every input the mean label equals the overall mean " +
                                number_text(c.center.overall_mean) +
                                " (e.g. all labels equal), so the constant mean predictor is already the best "
                                "this construction can reach and no bump beats the dead point");
    c.x_r = groups[c.center.group].x;
    c.v = separating_direction(groups, c.center.group);
    c.gamma = dot(c.v, c.x_r);
    const Rational& m = c.center.overall_mean;
    c.dead_mean = dead_point(dim, hidden_widths, m);
    c.dead_off = dead_point(dim, hidden_widths, m + 1);
    c.bump = bump_point(dim, hidden_widths, c.v, c.gamma, c.center.nu, c.center.mu);

    c.loss_mean = c.loss_off = c.loss_bump = 0;
    for (const kernel::Sample& s : data) {
        const Rational& y = s.y[0];
        c.loss_mean += (y - m) * (y - m);
        c.loss_off += (y - m - 1) * (y - m - 1);
        const Rational out = s.x == c.x_r ? c.center.nu : c.center.mu;
        c.loss_bump += (y - out) * (y - out);
    }
    return c;
}

namespace {

std::string join(const Vector& v) {
    std::string s;
    for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + number_text(v[i]);
    return s;
}

// The parser's own rule (script::identifier_problem), so a name written here is one `check` reads back.
void check_name(const std::string& n) {
    if (const std::string why = script::identifier_problem(n); !why.empty())
        throw ConstructionError("'" + (n.size() > 40 ? n.substr(0, 40) + "...' (" + std::to_string(n.size()) + " characters)" : n + "'") +
                    " is not a point name: " + why);
}

std::string point_text(const std::string& name, const PointParams& p) {
    std::string out = "point " + name + " {\n";
    for (std::size_t l = 0; l < p.size(); ++l) {
        const std::string k = std::to_string(l + 1);
        out += "  W" + k + " = [";
        for (std::size_t i = 0; i < p[l].W.size(); ++i) out += std::string(i ? ", " : "") + "[" + join(p[l].W[i]) + "]";
        out += "]\n  b" + k + " = [" + join(p[l].b) + "]\n";
    }
    return out + "}\n";
}

}  // namespace

std::string render_script(const DeadLayerConstruction& c, const ScriptNames& names) {
    const std::string &A = names.dead_mean, &B = names.dead_off, &C = names.bump;
    for (const std::string* n : {&A, &B, &C}) check_name(*n);
    if (A == B || A == C || B == C) throw ConstructionError("the three point names must differ");
    std::string command = names.command;
    for (char& ch : command)
        if (ch == '\n' || ch == '\r') ch = ' ';  // the command sits on one comment line
    const std::size_t depth = c.hidden_widths.size() + 1;
    const BumpCenter& k = c.center;

    std::string s = "nncert 1\n";
    s += "# Section 4 of Swirszcz, Czarnecki, Pascanu, \"Local minima in training of neural networks\": a layer that\n"
         "# is dead on every data point. Generated by nncert's dead-layer construction; do not edit by hand.\n";
    if (!command.empty()) s += "# Regenerate: " + command + "\n";
    s += "#\n# " + std::to_string(c.data.size()) + " rows, inputs in R^" + std::to_string(c.input_dim) +
         ", depth " + std::to_string(depth) + ", mean label m = " + number_text(k.overall_mean) + ".\n";
    s += "# " + A + ": layer 1 dead on every data point (W1 = 0, b1 = -1), " +
         (depth == 2 ? std::string("output W = 0, b = m:\n#   ")
                     : std::string("later hidden layers W = 0, b = 1\n#   (active, no kink), output W = 0, b = m: ")) +
         "the constant mean predictor, a local minimum.\n";
    s += "# " + B + ": the same with output bias m + 1. The paper's claim (i) calls every dead point a local\n"
         "#   minimum; this one is not (erratum: the constant output must be the mean label).\n";
    s += "# " + C + ": the three-ReLU bump around x_r = (" + join(c.x_r) + "): t = v.x - gamma with v = (" +
         join(c.v) + "),\n#   gamma = " + number_text(c.gamma) +
         "; units relu(t + 1), relu(t), relu(t - 1); bump = relu(t+1) - 2 relu(t) + relu(t-1)\n"
         "#   is 1 at x_r and 0 at every other input (|t| >= 2 there). nu = " + number_text(k.nu) +
         " (mean label at x_r), mu = " + number_text(k.mu) + " (elsewhere).\n"
         "#   (The paper's rows v, 2v, v with biases -gamma+1, -2 gamma, -gamma-1 make the same function.)\n";
    if (depth == 2)
        s += "#   Output mu + (nu - mu) bump.\n";
    else
        s += "#   Deep fix (the paper's W = I breaks: relu layers clip negative values): layer 2 unit 1 is\n"
             "#   relu(u1 - 2 u2 + u3 + 1) = bump + 1 >= 1, later layers copy it (weight 1, bias 0, never\n"
             "#   clipped), and the relu-free output layer applies mu + (nu - mu)(h - 1).\n";
    s += "#   Unused units: W = 0, b = -1. One data point sits on a kink (unit 2 of layer 1 at x_r, t = 0).\n\n";

    s += "data {\n";
    for (const kernel::Sample& d : c.data) s += "  " + join(d.x) + " -> " + join(d.y) + "\n";
    s += "}\n\nnetwork {\n  input " + std::to_string(c.input_dim) + "\n";
    for (std::size_t w : c.hidden_widths) s += "  dense " + std::to_string(w) + " relu\n";
    s += "  dense 1 identity\n}\n\nloss sse\n\n";
    s += point_text(A, c.dead_mean) + "\n" + point_text(B, c.dead_off) + "\n" + point_text(C, c.bump) + "\n";

    s += "claim loss " + A + " = " + number_text(c.loss_mean) + "\n";
    s += "claim local_min " + A + "  # dead layer 1, constant output = mean label\n";
    s += "claim loss " + B + " = " + number_text(c.loss_off) + "\n";
    s += "claim not local_min " + B + "  # descent ray along the output bias\n";
    s += "claim loss " + C + " = " + number_text(c.loss_bump) + "\n";
    s += "claim gap " + A + " > " + C + "  # the dead minimum is not global (claim (ii))\n";
    s += "claim gap " + B + " > " + C + "\n";
    return script::wrap_script(s);  // the view rule: no line past column 160 (wrap.hpp)
}

}  // namespace nncert::tools
