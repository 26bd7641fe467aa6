// Merging hidden units with exactly equal incoming weights and bias at one parameter point (merge_units.hpp).
// Pure rational bookkeeping: no arithmetic but sums of outgoing weights, so the merged network is exact.
#include "kernel/merge_units.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace nncert::kernel {

MergedNetwork merge_identical_units(const Network& net, const Vector& params) {
    if (params.size() != net.num_params()) throw std::invalid_argument("merge_identical_units: wrong parameter count");
    const std::size_t depth = net.layers.size();
    MergedNetwork out;
    out.net = net;
    // Per layer: the rows of W_l (over the current, possibly merged, columns) and b_l.
    std::vector<std::vector<Vector>> rows(depth);
    std::vector<Vector> bias(depth);
    for (std::size_t l = 0; l < depth; ++l) {
        const std::size_t n_out = net.layers[l].width, n_in = net.fan_in(l), w = net.weight_offset(l);
        rows[l].assign(n_out, Vector());
        for (std::size_t i = 0; i < n_out; ++i)
            rows[l][i].assign(params.begin() + static_cast<std::ptrdiff_t>(w + i * n_in),
                              params.begin() + static_cast<std::ptrdiff_t>(w + (i + 1) * n_in));
        if (net.has_bias(l))
            bias[l].assign(params.begin() + static_cast<std::ptrdiff_t>(net.bias_offset(l)),
                           params.begin() + static_cast<std::ptrdiff_t>(net.layer_end(l)));
    }
    for (std::size_t l = 0; l + 1 < depth; ++l) {  // hidden layers only: each output is its own quantity
        const std::size_t n = rows[l].size();
        const bool has_b = net.has_bias(l);
        // Two units compute the same value on every input iff (sufficient condition) their incoming rows and
        // biases are equal: same layer, same activation, same pre-activation z for every input.
        auto less = [&](std::size_t u, std::size_t v) {
            if (rows[l][u] != rows[l][v]) return rows[l][u] < rows[l][v];
            if (has_b && bias[l][u] != bias[l][v]) return bias[l][u] < bias[l][v];
            return u < v;  // equal units keep their order: the first one represents the group
        };
        std::vector<std::size_t> order(n);
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::sort(order.begin(), order.end(), less);
        auto same = [&](std::size_t u, std::size_t v) {
            return rows[l][u] == rows[l][v] && (!has_b || bias[l][u] == bias[l][v]);
        };
        std::vector<std::size_t> rep(n);  // each unit's representative (the smallest index of its group)
        for (std::size_t k = 0; k < n; ++k)
            rep[order[k]] = (k > 0 && same(order[k - 1], order[k])) ? rep[order[k - 1]] : order[k];
        std::vector<std::size_t> new_index(n, n);
        std::vector<Vector> kept_rows;
        Vector kept_bias;
        for (std::size_t u = 0; u < n; ++u)
            if (rep[u] == u) {
                new_index[u] = kept_rows.size();
                kept_rows.push_back(rows[l][u]);
                if (has_b) kept_bias.push_back(bias[l][u]);
            }
        if (kept_rows.size() == n) continue;
        out.merged += n - kept_rows.size();
        rows[l] = std::move(kept_rows);
        bias[l] = std::move(kept_bias);
        out.net.layers[l].width = rows[l].size();
        // Next layer: z'_k = sum_u W'[k, u] a_u = sum over groups g of (sum_{u in g} W'[k, u]) a_g, as a_u = a_g.
        for (Vector& row : rows[l + 1]) {
            Vector summed(rows[l].size(), Rational(0));
            for (std::size_t u = 0; u < n; ++u) summed[new_index[rep[u]]] += row[u];
            row = std::move(summed);
        }
    }
    if (out.merged == 0) {
        out.params = params;
        return out;
    }
    out.params.reserve(out.net.num_params());
    for (std::size_t l = 0; l < depth; ++l) {
        for (const Vector& row : rows[l]) out.params.insert(out.params.end(), row.begin(), row.end());
        if (net.has_bias(l)) out.params.insert(out.params.end(), bias[l].begin(), bias[l].end());
    }
    if (out.params.size() != out.net.num_params()) throw std::logic_error("merge_identical_units: layout mismatch");
    return out;
}

}  // namespace nncert::kernel
