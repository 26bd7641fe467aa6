// Writes a partition construction as a proof script (format version 1): a header that explains the instance,
// the data, the network, the two points and their claims. Every number exact and canonical; deterministic.
#include "tools/partition_construction.hpp"

#include "script/lexer.hpp"
#include "script/number.hpp"
#include "script/wrap.hpp"


namespace nncert::tools {

using kernel::Rational;
using kernel::Vector;
using script::number_text;

namespace {

std::string join(const Vector& v) {
    std::string s;
    for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + number_text(v[i]);
    return s;
}

std::string affine_text(const AffineMap& g) {
    const bool neg = g.b.sign() < 0;
    std::string s = "(";  // built step by step: GCC 12 warns (-Wrestrict, falsely) on "(" + std::string
    s += join(g.w);
    s += neg ? ").x - " : ").x + ";
    s += number_text(neg ? Rational(-g.b) : g.b);
    return s;
}

std::string counts_text(const std::vector<std::size_t>& v) {
    std::string s = "(";
    for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
    return s + ")";
}

// The parser's own rule (script::identifier_problem), so a name written here is one `check` reads back.
void check_name(const std::string& n) {
    if (const std::string why = script::identifier_problem(n); !why.empty())
        throw PartitionError("'" + (n.size() > 40 ? n.substr(0, 40) + "...' (" + std::to_string(n.size()) + " characters)" : n + "'") +
                    " is not a point name: " + why);
}

std::string point_text(const std::string& name, const PartitionPoint& p, std::size_t hidden_layers) {
    const std::size_t k = p.units.size();
    std::string s = "point " + name + " {\n  W1 = [";
    for (std::size_t j = 0; j < k; ++j) s += std::string(j ? ", " : "") + "[" + join(p.units[j].pre.w) + "]";
    s += "]\n  b1 = [";
    for (std::size_t j = 0; j < k; ++j) s += (j ? ", " : "") + number_text(p.units[j].pre.b);
    Vector out(k);
    for (std::size_t j = 0; j < k; ++j) out[j] = p.units[j].out;
    Rational bias = p.output_bias;
    std::string next = "2";
    if (hidden_layers == 2) {
        // Layer 2: relu(Q h + 1), Q = I + 1 1^T; output v^T Q^{-1} (h2 - 1) + c with Q^{-1} = I - 1 1^T / (k + 1).
        s += "]\n  W2 = [";
        for (std::size_t i = 0; i < k; ++i) {
            Vector row(k, Rational(1));
            row[i] = 2;
            s += std::string(i ? ", " : "") + "[" + join(row) + "]";
        }
        s += "]\n  b2 = [" + join(Vector(k, Rational(1)));
        Rational total = 0;
        for (const Rational& v : out) total += v;
        for (Rational& v : out) v -= total / Rational(k + 1);  // (v^T Q^{-1})_j = v_j - sum(v) / (k + 1)
        for (const Rational& v : out) bias -= v;
        next = "3";
    }
    return s + "]\n  W" + next + " = [[" + join(out) + "]]\n  b" + next + " = [" + number_text(bias) + "]\n}\n";
}

std::string rows_text(const std::vector<std::size_t>& rows) {
    std::string s;
    for (std::size_t i = 0; i < rows.size(); ++i) s += (i ? ", " : "") + std::to_string(rows[i] + 1);
    return s;
}

std::string kinks_text(const PartitionPoint& p) {
    std::string s;
    for (std::size_t i = 0; i < p.kinks.size(); ++i)
        s += (i ? ", " : "") + std::string("row ") + std::to_string(p.kinks[i].first + 1) + " on unit " +
             std::to_string(p.kinks[i].second + 1);
    return s;
}

// How a point spends its units, one comment line per region.
std::string allocation_text(const PartitionConstruction& c, const PartitionPoint& p) {
    std::string s;
    for (std::size_t g = 0; g < c.regions.size(); ++g) {
        const PartitionRegion& reg = c.regions[g];
        std::string units;
        for (std::size_t j = 0; j < p.units.size(); ++j)
            if (p.units[j].region == g) units += (units.empty() ? "" : ", ") + std::to_string(j + 1);
        s += "#   region " + std::to_string(g + 1) + ": unit" + (p.units_per_region[g] > 1 ? "s " : " ") + units + ", ";
        if (!p.exact[g])
            s += "its affine least-squares fit (residual " + number_text(reg.residual) + ")\n";
        else if (!reg.has_affine_part)
            s += "exactly: the fold unit and the output bias c0 (its flat side is a blind spot)\n";
        else if (reg.folds.empty())
            s += "exactly (its labels are affine)\n";
        else
            s += "exactly (affine part and fold" + std::string(reg.folds.size() > 1 ? "s" : "") +
                 (p.units_per_region[g] > 1 + reg.folds.size() ? ", split into equal copies" : "") + ")\n";
    }
    return s;
}

// The local_min method the kernel certifies point p by (docs/certificates.md, "local_min P": the first method
// in its order that applies) and the claim comment that says why; `deep` is two hidden layers. The script
// tests (proofs/generalized/) and unit.construct_partition check the named method is the one reported.
std::pair<std::string, std::string> local_min_method(const PartitionPoint& p, bool deep) {
    if (p.loss.sign() == 0) return {"zero-loss", "loss 0: a global minimum"};
    if (deep) return {"linear-relaxation", "linear relaxation: the outputs near the point form a linear family"};
    if (p.kinks.empty()) return {"activation-patterns", "activation patterns, no kinks: one pattern"};
    if (p.kinks.size() == 1) return {"activation-patterns", "activation patterns over the kink pair (2 patterns)"};
    return {"activation-patterns", "activation patterns over the " + std::to_string(p.kinks.size()) + " kink pairs"};
}

}  // namespace

std::string render_partition_script(const PartitionConstruction& c, const PartitionNames& names) {
    const std::string &B = names.bad, &G = names.better;
    check_name(B);
    check_name(G);
    if (B == G) throw PartitionError("the two point names must differ");
    std::string command = names.command;
    for (char& ch : command)
        if (ch == '\n' || ch == '\r') ch = ' ';
    const PartitionOptions& o = c.options;
    const bool blind = o.family == PartitionFamily::blind_spot;
    const std::size_t d = o.dim;

    std::string s = "nncert 1\n";
    const bool deep = o.hidden_layers == 2;
    s += "# Section 3.2 of Swirszcz, Czarnecki, Pascanu, \"Local minima in training of neural networks\", in R^" +
         std::to_string(d) + ":\n# two points of a " + (deep ? "two" : "one") +
         "-hidden-layer ReLU network that fit different regions of the input space, the\n"
         "# bad one a local minimum with a strictly larger loss. Generated by nncert's partition construction\n"
         "# (docs/paper.md); do not edit by hand.\n";
    if (!command.empty()) s += "# Regenerate: " + command + "\n";
    s += "#\n# Family " + std::string(blind ? "blind-spot" : "swap") + ": " + std::to_string(o.regions) +
         " regions of " + std::to_string(o.points) + " points, " + std::to_string(o.folds) + " fold" +
         (o.folds > 1 ? "s" : "") + " per region" + (blind ? " (region 1 only)" : "") + ", " +
         std::to_string(o.units) + " hidden units, seed " + std::to_string(o.seed) + ".\n";
    s += "# Region r is a cluster around vertex r of a simplex (x = A z + o with A unimodular, clusters z = s e_r plus\n"
         "# integer jitter in [-" + std::to_string(c.jitter) + ", " + std::to_string(c.jitter) + "]^" + std::to_string(d) +
         ", s = " + std::to_string(c.simplex_scale) + "); its separator is > 0 on its rows, < 0 on every other row.\n";
    s += "# Labels on region r: c0 + affine_r(x) + sum_f beta_f relu(fold_f(x)), c0 = " + number_text(c.label_offset) +
         ";\n# each fold cuts its region and is < 0 on every other region.\n";
    for (std::size_t g = 0; g < c.regions.size(); ++g) {
        const PartitionRegion& reg = c.regions[g];
        s += "#   region " + std::to_string(g + 1) + ", rows " + std::to_string(reg.rows.front() + 1) + "-" +
             std::to_string(reg.rows.back() + 1) + ": separator " + affine_text(reg.separator) + "\n";
        if (reg.has_affine_part) s += "#     affine part " + affine_text(reg.affine_part) + "\n";
        else s += "#     no affine part: flat at c0 where its fold is negative\n";
        for (std::size_t f = 0; f < reg.folds.size(); ++f)
            s += "#     fold " + affine_text(reg.folds[f]) + ", beta " + number_text(reg.fold_weights[f]) + "\n";
        if (!reg.folds.empty())
            s += "#     residual of its affine least-squares fit: " + number_text(reg.residual) +
                 (reg.kink_rows.empty() ? "" : "; rows on a fold: " + rows_text(reg.kink_rows)) + "\n";
    }
    s += "# " + B + ": units per region " + counts_text(c.bad.units_per_region) + ", loss " + number_text(c.bad.loss) + "\n";
    s += allocation_text(c, c.bad);
    s += "# " + G + ": units per region " + counts_text(c.better.units_per_region) + ", loss " +
         number_text(c.better.loss) + "\n";
    s += allocation_text(c, c.better);
    s += "# Every unit is on (pre-activation > 0) on rows of its own region only. Both points are local minima: on\n"
         "# every region each unit sees, the residual is orthogonal to 1 and x (docs/paper.md).\n";
    if (deep)
        s += "# Two hidden layers: layer 2 is relu(Q h + 1) with Q = I + 1 1^T, on at every row (input >= 1); the output\n"
             "# undoes Q, so each point computes the one-hidden-layer function above.\n";
    s += "# The kernel certifies local_min " + B + " by " + local_min_method(c.bad, deep).first + ", " + G + " by " +
         local_min_method(c.better, deep).first + ".\n";
    s += "# " + B + ": some unit is on at every row (no blind spot)" +
         (c.bad.kinks.empty() ? "; no kinks.\n" : "; kinks: " + kinks_text(c.bad) + ".\n");
    s += "# " + G + ": " +
         (c.better.blind_spots.empty() ? std::string("no blind spot")
                                       : "blind spots (every unit off) at rows " + rows_text(c.better.blind_spots)) +
         (c.better.kinks.empty() ? "; no kinks.\n" : "; kinks: " + kinks_text(c.better) + ".\n");
    s += "\ndata {\n";
    for (const kernel::Sample& row : c.data) s += "  " + join(row.x) + " -> " + join(row.y) + "\n";
    s += "}\n\nnetwork {\n  input " + std::to_string(d) + "\n";
    for (std::size_t l = 0; l < o.hidden_layers; ++l) s += "  dense " + std::to_string(o.units) + " relu\n";
    s += "  dense 1 identity\n}\n\nloss sse\n\n";
    s += point_text(B, c.bad, o.hidden_layers) + "\n" + point_text(G, c.better, o.hidden_layers) + "\n";

    auto kink_claim = [](const std::string& name, const PartitionPoint& p) {
        if (p.kinks.empty()) return "claim kink_free " + name + "\n";
        return "claim not kink_free " + name + "  # " + kinks_text(p) + "\n";
    };
    auto min_claim = [deep](const std::string& name, const PartitionPoint& p) {
        return "claim local_min " + name + "  # " + local_min_method(p, deep).second + "\n";
    };
    s += "claim loss " + B + " = " + number_text(c.bad.loss) + "\n";
    s += "claim loss " + G + " = " + number_text(c.better.loss) + "\n";
    s += "claim gap " + B + " > " + G + "\n";
    s += min_claim(B, c.bad) + min_claim(G, c.better);
    s += "claim not strict_local_min " + B + "  # flat: the rescaling curve of a hidden unit\n";
    s += "claim not strict_local_min " + G + "\n";
    s += kink_claim(B, c.bad) + kink_claim(G, c.better);
    s += "claim not blind_spot " + B + "  # some unit has input >= 0 at every row\n";
    if (c.better.blind_spots.empty())
        s += "claim not blind_spot " + G + "\n";
    else
        s += "claim blind_spot " + G + "  # every unit off at rows " + rows_text(c.better.blind_spots) + "\n";
    if (c.bad.kinks.empty()) s += "claim critical " + B + "  # the gradient is exactly 0\n";
    if (c.better.kinks.empty()) s += "claim critical " + G + "\n";
    return script::wrap_script(s);  // the view rule: no line past column 160 (wrap.hpp)
}

}  // namespace nncert::tools
