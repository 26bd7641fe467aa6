// Canonical printer: how the checker read a script (`nncert print FILE`).
// Fixed block order, one item per line, numbers as reduced fractions; re-parses to an equal Script.
#include "script/number.hpp"
#include "script/resolve.hpp"
#include "script/script.hpp"
#include "script/wrap.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace nncert::script {

namespace {

// Each printed number is a step of the time limit of `nncert print` (a ReadingDeadline; nothing without one):
// a short expression for a huge number prints as its whole value.
std::string printed(const kernel::Rational& q) {
    check_reading_deadline({});
    return number_text(q);
}

std::string join(const kernel::Vector& v) {
    std::string s;
    for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + printed(v[i]);
    return s;
}

std::string activation_text(const kernel::Activation& a) {
    switch (a.kind) {
        case kernel::ActivationKind::identity: return "identity";
        case kernel::ActivationKind::relu: return "relu";
        case kernel::ActivationKind::leaky_relu: return "leaky_relu(" + printed(a.alpha) + ")";
        case kernel::ActivationKind::poly: return "poly(" + join(a.coeffs) + ")";
        case kernel::ActivationKind::sigmoid: return "sigmoid";
        case kernel::ActivationKind::tanh: return "tanh";
        case kernel::ActivationKind::softplus: return "softplus";
    }
    return "?";
}

// The view rule (docs/format.md, "Characters"): every printed line wider than view_width is broken at its blanks
// (wrap_lines, shared with every tool that writes scripts), so printed text never runs past the edge and
// round-trips: every word (a number_text piece of at most 64 digits with its parentheses and separator) fits a line.
std::string wrapped(const std::string& text, bool rows = false) { return wrap_lines(text, rows); }

}  // namespace

std::string print_canonical(const Script& s) {
    const kernel::Network& net = s.problem.net;
    const std::vector<std::size_t> start = weight_offsets(net);  // one pass: weight_offset(l) is O(l)
    const auto bias_start = [&](std::size_t l) { return start[l] + net.layers[l].width * net.fan_in(l); };
    // The name of parameter k (Network::param_name is O(layers) a call).
    const auto name_of = [&](std::size_t k) {
        const std::size_t l = static_cast<std::size_t>(std::upper_bound(start.begin(), start.end(), k) - start.begin()) - 1;
        const std::string layer = std::to_string(l + 1);
        if (k >= bias_start(l)) return "b" + layer + "[" + std::to_string(k - bias_start(l) + 1) + "]";
        const std::size_t fan = net.fan_in(l);
        return "W" + layer + "[" + std::to_string((k - start[l]) / fan + 1) + "," + std::to_string((k - start[l]) % fan + 1) + "]";
    };
    std::string out = "nncert " + std::to_string(s.version) + "\n\n";

    if (s.data_file) {
        // Not a data row: broken anywhere like the lines after it (review r8-11, F1: a long name and ` weighted`
        // went past column 160 on one line, and print's output did not read back).
        out += wrapped("data \"" + *s.data_file + "\"" + (s.data_weighted ? " weighted" : "")) + "\n\n";
    } else {
        std::string rows;
        for (const kernel::Sample& d : s.problem.data)
            rows += "  " + join(d.x) + " -> " + join(d.y) + (d.weight != 1 ? " weight " + printed(d.weight) : "") + "\n";
        out += "data {\n" + wrapped(rows, true) + "}\n\n";
    }

    const std::string head = out;  // version line and data, broken above (a data block as rows)
    out.clear();
    out += "network {\n  input " + std::to_string(net.input_dim) + "\n";
    for (const kernel::Layer& l : net.layers)
        out += "  dense " + std::to_string(l.width) + " " + activation_text(l.activation) + (l.bias ? "" : " nobias") + "\n";
    out += "}\n\n";

    out += "loss " + kernel::to_string(s.problem.loss);
    if (!kernel::is_zero(s.problem.weight_decay)) out += " + l2(" + printed(s.problem.weight_decay) + ")";
    out += "\n";
    if (s.problem.classify) out += "classify threshold " + printed(s.problem.classify->threshold) + "\n";
    if (s.precision) out += "precision " + std::to_string(*s.precision) + "\n";
    if (s.max_boxes) out += "max_boxes " + std::to_string(*s.max_boxes) + "\n";

    for (const kernel::Point& p : s.points) {
        out += "\npoint " + p.name + " {\n";
        for (std::size_t l = 0; l < net.layers.size(); ++l) {
            const std::size_t rows = net.layers[l].width, cols = net.fan_in(l);
            const std::string layer = std::to_string(l + 1);
            out += "  W" + layer + " = [";
            for (std::size_t i = 0; i < rows; ++i) {
                const auto first = p.params.begin() + static_cast<std::ptrdiff_t>(start[l] + i * cols);
                out += std::string(i ? ", " : "") + "[" + join(kernel::Vector(first, first + static_cast<std::ptrdiff_t>(cols))) + "]";
            }
            out += "]\n";
            if (!net.has_bias(l)) continue;
            const auto b = p.params.begin() + static_cast<std::ptrdiff_t>(bias_start(l));
            out += "  b" + layer + " = [" + join(kernel::Vector(b, b + static_cast<std::ptrdiff_t>(rows))) + "]\n";
        }
        out += "}\n";
    }

    for (const kernel::Region& r : s.regions) {  // every range explicit: `around` lines are already resolved
        out += "\nregion " + r.name + " {\n";
        for (std::size_t k = 0; k < r.box.size(); ++k) {
            const kernel::Range& g = r.box[k];
            out += "  " + name_of(k) + " in [";
            out += g.lo ? printed(*g.lo) : std::string("-inf");
            out += ", ";
            out += g.hi ? printed(*g.hi) : std::string("inf");
            out += "]\n";
        }
        out += "}\n";
    }

    for (const kernel::Point& d : s.directions) {  // only the parameters with a nonzero entry
        out += "\ndirection " + d.name + " {\n";
        for (std::size_t l = 0; l < net.layers.size(); ++l) {
            const std::size_t rows = net.layers[l].width, cols = net.fan_in(l);
            const std::string layer = std::to_string(l + 1);
            const auto w = d.params.begin() + static_cast<std::ptrdiff_t>(start[l]);
            const auto b = d.params.begin() + static_cast<std::ptrdiff_t>(bias_start(l));
            const auto e = d.params.begin() + static_cast<std::ptrdiff_t>(start[l + 1]);
            const auto nonzero = [](auto first, auto last) {
                return std::any_of(first, last, [](const kernel::Rational& q) { return !kernel::is_zero(q); });
            };
            if (nonzero(w, b)) {
                out += "  W" + layer + " = [";
                for (std::size_t i = 0; i < rows; ++i) {
                    const auto first = w + static_cast<std::ptrdiff_t>(i * cols);
                    out += std::string(i ? ", " : "") + "[" + join(kernel::Vector(first, first + static_cast<std::ptrdiff_t>(cols))) + "]";
                }
                out += "]\n";
            }
            if (net.has_bias(l) && nonzero(b, e)) out += "  b" + layer + " = [" + join(kernel::Vector(b, e)) + "]\n";
        }
        out += "}\n";
    }

    if (!s.claims.empty()) out += "\n";
    for (const ClaimEntry& c : s.claims) {
        check_reading_deadline({});
        out += "claim " + claim_text(c.claim, s.points, c.along) + "\n";
    }
    return head + wrapped(out);
}

}  // namespace nncert::script
