// UNTRUSTED: candidate lines of constant loss from the symmetries of dense networks (flat_curves.hpp).
#include "hints/flat_curves.hpp"

namespace nncert::hints {

using kernel::Network;
using kernel::Rational;
using kernel::Vector;

namespace {

// Incoming weights and bias of unit u of layer l, equal for units a and b?
bool same_incoming(const Network& net, const Vector& p, std::size_t l, std::size_t a, std::size_t b) {
    const std::size_t fan = net.fan_in(l), w = net.weight_offset(l);
    for (std::size_t j = 0; j < fan; ++j)
        if (p[w + a * fan + j] != p[w + b * fan + j]) return false;
    return !net.has_bias(l) || p[net.bias_offset(l) + a] == p[net.bias_offset(l) + b];
}

bool outgoing_zero(const Network& net, const Vector& p, std::size_t l, std::size_t u) {
    const std::size_t next = l + 1, fan = net.fan_in(next), w = net.weight_offset(next);
    for (std::size_t k = 0; k < net.layers[next].width; ++k)
        if (!kernel::is_zero(p[w + k * fan + u])) return false;
    return true;
}

std::string unit_name(std::size_t l, std::size_t u) {
    return "unit " + std::to_string(u + 1) + " of hidden layer " + std::to_string(l + 1);
}

}  // namespace

std::vector<FlatLine> propose_flat_lines(const Network& net, const Vector& p, std::size_t max_lines) {
    std::vector<FlatLine> out;
    const std::size_t n = net.num_params();
    if (p.size() != n || net.layers.size() < 2) return out;
    for (std::size_t l = 0; l + 1 < net.layers.size() && out.size() < max_lines; ++l) {
        const std::size_t width = net.layers[l].width, next_fan = net.fan_in(l + 1), w_next = net.weight_offset(l + 1);
        // Duplicated units: move outgoing weight from one copy to the other.
        for (std::size_t a = 0; a < width && out.size() < max_lines; ++a)
            for (std::size_t b = a + 1; b < width && out.size() < max_lines; ++b) {
                if (!same_incoming(net, p, l, a, b)) continue;
                Vector d(n);
                d[w_next + a] = 1;  // row 1 of W_{l+2}: the first unit of the next layer
                d[w_next + b] = -1;
                out.push_back({unit_name(l, a) + " and " + unit_name(l, b) +
                                   " have the same incoming weights and bias: shift outgoing weight between them",
                               std::move(d)});
            }
        // A unit nobody listens to: its incoming weights are free.
        for (std::size_t u = 0; u < width && out.size() < max_lines; ++u) {
            if (!outgoing_zero(net, p, l, u)) continue;
            Vector d(n);
            if (net.has_bias(l)) d[net.bias_offset(l) + u] = 1;
            else d[net.weight_offset(l) + u * net.fan_in(l)] = 1;
            out.push_back({unit_name(l, u) + " has all outgoing weights 0: move its incoming weights", std::move(d)});
        }
        // GL(k) of an identity layer, nilpotent part: E = e_a e_b^T (a != b).
        if (net.layers[l].activation.kind != kernel::ActivationKind::identity || width < 2) continue;
        const std::size_t fan = net.fan_in(l), w = net.weight_offset(l);
        for (std::size_t a = 0; a < width && out.size() < max_lines; ++a)
            for (std::size_t b = 0; b < width && out.size() < max_lines; ++b) {
                if (a == b) continue;
                Vector d(n);
                bool moves = false;
                for (std::size_t j = 0; j < fan; ++j) {  // (E W_l) row a = row b of W_l
                    d[w + a * fan + j] = p[w + b * fan + j];
                    moves = moves || !kernel::is_zero(d[w + a * fan + j]);
                }
                if (net.has_bias(l)) {
                    d[net.bias_offset(l) + a] = p[net.bias_offset(l) + b];
                    moves = moves || !kernel::is_zero(d[net.bias_offset(l) + a]);
                }
                for (std::size_t k = 0; k < net.layers[l + 1].width; ++k) {  // -(W_{l+1} E) column b = -column a
                    d[w_next + k * next_fan + b] = -p[w_next + k * next_fan + a];
                    moves = moves || !kernel::is_zero(d[w_next + k * next_fan + b]);
                }
                if (!moves) continue;
                out.push_back({"identity hidden layer " + std::to_string(l + 1) + ": W -> (I + tE) W, next W -> " +
                                   "next W (I - tE) with E = e_" + std::to_string(a + 1) + " e_" +
                                   std::to_string(b + 1) + "^T (E^2 = 0)",
                               std::move(d)});
            }
    }
    return out;
}

}  // namespace nncert::hints
