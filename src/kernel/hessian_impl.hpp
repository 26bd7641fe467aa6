// The Hessian of the loss, generic over the number type (exact rationals, intervals over a box). With
// the loss written per data point as c_i l(u_i), c_i = scale * weight_i, of u = the output (squared errors,
// cross_entropy) or the output pre-activation (bce) (output_loss.hpp):
//   H = sum_i c_i J_i^T l''(u_i) J_i  +  sum_i c_i sum_k l'_k(u_i) Hess u_ik  +  2 lambda I,   J_i = du_i/dtheta.
// The first (dense) part is a sum of outer products (in integers for rationals, gram.hpp); the second is
// forward-over-reverse with constant output weights l'(u_i), whose tangents stay sparse, on one cached
// primal pass per data point. Valid as the Hessian only where every unit is twice differentiable
// (no kinks; for intervals, no kink inside the box).
#pragma once

#include "kernel/activation.hpp"
#include "kernel/autodiff.hpp"
#include "kernel/gram.hpp"
#include "kernel/progress.hpp"

#include <algorithm>
#include <stdexcept>
#include <type_traits>
#include <vector>

namespace nncert::kernel::hessian_detail {

template <class Num>
using Layers = std::vector<std::vector<Num>>;

template <class Num>
struct Primal {
    Pass<Num> pass;
    Layers<Num> d1, d2;  // activation derivatives at z (the output layer's replaced by 1, 0 for bce)
    // The layer offsets of the network prepare() ran on (one pass, not one per layer: review r8-9 F4), and that
    // network: reverse() and curvature_column() use them only for it (offsets_for).
    LayerOffsets off;
    const Network* net = nullptr;
};

// p's layer offsets, which belong to the network p was prepared on: a sweep over another network is a caller's
// bug, never silently a wrong parameter layout.
template <class Num>
const LayerOffsets& offsets_for(const Network& net, const Primal<Num>& p) {
    if (p.net != &net) throw std::logic_error("hessian sweep: the primal pass was prepared on another network");
    return p.off;
}

template <class Num>
void prepare(const Problem& pb, const std::vector<Num>& th, const Vector& x, Primal<Num>& p) {
    const Network& net = pb.net;
    p.off = LayerOffsets(net);  // one pass per data point: the forward pass below costs more
    p.net = &net;
    forward(net, p.off, th, x, p.pass);
    p.d1.resize(net.layers.size());
    p.d2.resize(net.layers.size());
    for (std::size_t l = 0; l < net.layers.size(); ++l) {
        const Activation& act = net.layers[l].activation;
        const bool through_z = through_preactivation(pb.loss) && l + 1 == net.layers.size();
        p.d1[l].clear();
        p.d2[l].clear();
        for (const Num& z : p.pass.z[l]) {
            p.d1[l].push_back(through_z ? Num(Rational(1)) : activate(act, z, 1));
            p.d2[l].push_back(through_z ? Num(Rational(0)) : activate(act, z, 2));
        }
    }
}

// Reverse sweep with adjoint `seed` at u: fills grad (if given) and, per layer, the adjoint of the
// layer's output (g[l]) and of its pre-activation (delta[l]).
template <class Num>
void reverse(const Network& net, const std::vector<Num>& th, const Primal<Num>& p, const std::vector<Num>& seed,
             std::vector<Num>* grad, Layers<Num>& g, Layers<Num>& delta) {
    const std::size_t depth = net.layers.size();
    g.resize(depth);
    delta.resize(depth);
    g[depth - 1] = seed;
    if (grad) grad->assign(th.size(), Num());
    const LayerOffsets& off = offsets_for(net, p);
    for (std::size_t l = depth; l-- > 0;) {
        const std::size_t n_out = net.layers[l].width, n_in = net.fan_in(l);
        const std::size_t w = off.weight(l), b = off.bias(l);
        const bool bias = net.has_bias(l);
        const std::vector<Num>& in = p.pass.a[l];
        delta[l].assign(n_out, Num());
        if (l > 0) g[l - 1].assign(n_in, Num());
        for (std::size_t i = 0; i < n_out; ++i) {
            if (known_zero(g[l][i]) || known_zero(p.d1[l][i])) continue;
            delta[l][i] = g[l][i] * p.d1[l][i];
            const Num& di = delta[l][i];
            if (grad && bias) (*grad)[b + i] += di;
            for (std::size_t j = 0; j < n_in; ++j) {
                if (grad && !known_zero(in[j])) add_product((*grad)[w + i * n_in + j], di, in[j]);
                if (l > 0) add_product(g[l - 1][j], th[w + i * n_in + j], di);
            }
        }
    }
}

template <class Num>
struct Workspace {
    Layers<Num> zdot, adot, gdot, ddot;
};

// Adds column q of sum_k c_k Hess(u_k) at one data point to column q of `out`.
template <class Num>
void curvature_column(const Network& net, const std::vector<Num>& th, const Primal<Num>& p, const Layers<Num>& g,
                      const Layers<Num>& delta, std::size_t q, Workspace<Num>& ws,
                      std::vector<std::vector<Num>>& out) {
    const std::size_t depth = net.layers.size();
    const LayerOffsets& off = offsets_for(net, p);
    // Parameter q: layer m (the last layer whose W starts at or before q), unit u, input v (or the bias).
    if (q >= off.w.back()) throw std::out_of_range("hessian sweep: parameter index out of range");
    const std::size_t m = static_cast<std::size_t>(std::upper_bound(off.w.begin(), off.w.end(), q) - off.w.begin()) - 1;
    const bool is_bias = q >= off.bias(m);
    const std::size_t n_in_m = net.fan_in(m);
    const std::size_t u = is_bias ? q - off.bias(m) : (q - off.weight(m)) / n_in_m;
    const std::size_t v = is_bias ? 0 : (q - off.weight(m)) % n_in_m;

    for (Layers<Num>* buf : {&ws.zdot, &ws.adot, &ws.gdot, &ws.ddot}) {
        buf->resize(depth);
        for (std::size_t l = 0; l < depth; ++l) (*buf)[l].assign(net.layers[l].width, Num());
    }
    // Forward tangent: zero below layer m.
    ws.zdot[m][u] = is_bias ? Num(Rational(1)) : p.pass.a[m][v];
    ws.adot[m][u] = p.d1[m][u] * ws.zdot[m][u];
    for (std::size_t l = m + 1; l < depth; ++l) {
        const std::size_t n_in = net.fan_in(l), w = off.weight(l);
        for (std::size_t j = 0; j < n_in; ++j) {
            if (known_zero(ws.adot[l - 1][j])) continue;
            for (std::size_t i = 0; i < net.layers[l].width; ++i)
                if (!known_zero(th[w + i * n_in + j])) add_product(ws.zdot[l][i], th[w + i * n_in + j], ws.adot[l - 1][j]);
        }
        for (std::size_t i = 0; i < net.layers[l].width; ++i)
            if (!known_zero(ws.zdot[l][i])) ws.adot[l][i] = p.d1[l][i] * ws.zdot[l][i];
    }
    // Backward tangent. The output adjoint is constant (c does not move), so gdot starts at zero.
    for (std::size_t l = depth; l-- > 0;) {
        const std::size_t n_out = net.layers[l].width, n_in = net.fan_in(l);
        const std::size_t w = off.weight(l), b = off.bias(l);
        const bool bias = net.has_bias(l);
        const std::vector<Num>& in = p.pass.a[l];
        const std::vector<Num>* in_dot = (l >= 1 && l - 1 >= m) ? &ws.adot[l - 1] : nullptr;
        std::vector<Num>& dd = ws.ddot[l];
        for (std::size_t i = 0; i < n_out; ++i) {
            if (!known_zero(ws.gdot[l][i]) && !known_zero(p.d1[l][i])) dd[i] = ws.gdot[l][i] * p.d1[l][i];
            if (!known_zero(ws.zdot[l][i]) && !known_zero(p.d2[l][i]) && !known_zero(g[l][i]))
                dd[i] += Num(g[l][i] * p.d2[l][i]) * ws.zdot[l][i];
        }
        for (std::size_t i = 0; i < n_out; ++i) {
            const bool has_dd = !known_zero(dd[i]);
            const bool has_delta = in_dot && !known_zero(delta[l][i]);
            if (!has_dd && !has_delta) continue;
            if (has_dd && bias) out[b + i][q] += dd[i];
            for (std::size_t j = 0; j < n_in; ++j) {
                Num& h = out[w + i * n_in + j][q];
                if (has_dd && !known_zero(in[j])) add_product(h, dd[i], in[j]);
                if (has_delta && !known_zero((*in_dot)[j])) add_product(h, delta[l][i], (*in_dot)[j]);
                if (l > 0 && has_dd && !known_zero(th[w + i * n_in + j]))
                    add_product(ws.gdot[l - 1][j], th[w + i * n_in + j], dd[i]);
            }
        }
        // The seeded weight itself: d(W_m[u, v] * delta_m[u]) / dW_m[u, v] feeds the layer below.
        if (l == m && !is_bias && l > 0 && !known_zero(delta[m][u])) ws.gdot[m - 1][v] += delta[m][u];
    }
}

// The dense part sum_i w_i J_i J_i^T: in integers for rationals (w constant, applied at the end), as
// plain sums of products otherwise (each entry is then an interval extension of the exact sum).
template <class Num>
class OuterSums {
public:
    // want (if given, of size n): only the entries whose row and column are both wanted are summed; the others
    // stay 0. Each summed entry is the same sequence of operations as without it.
    explicit OuterSums(std::size_t n, const std::vector<bool>* want = nullptr)
        : n_(n), upper_(n * (n + 1) / 2), want_(want) {}
    void add(const std::vector<Num>& j, const Num& w) {
        for (std::size_t r = 0; r < n_; ++r) {
            if (known_zero(j[r]) || (want_ && !(*want_)[r])) continue;
            const Num wr = w * j[r];
            Num* row = &upper_[r * n_ - r * (r - 1) / 2 - r];
            for (std::size_t c = r; c < n_; ++c)
                if (!known_zero(j[c]) && (!want_ || (*want_)[c])) add_product(row[c], wr, j[c]);
        }
    }
    std::vector<std::vector<Num>> result() const {
        std::vector<std::vector<Num>> m(n_, std::vector<Num>(n_));
        for (std::size_t r = 0; r < n_; ++r)
            for (std::size_t c = r; c < n_; ++c) {
                m[r][c] = upper_[r * n_ - r * (r - 1) / 2 - r + c];
                m[c][r] = m[r][c];
            }
        return m;
    }

private:
    std::size_t n_;
    std::vector<Num> upper_;
    const std::vector<bool>* want_;
};

// want (if given, one flag per parameter): only the block of the wanted rows and columns is computed, each of its
// entries exactly as without `want`; every other entry is unspecified (the caller reads the block only).
template <class Num>
std::vector<std::vector<Num>> hessian(const Problem& pb, const std::vector<Num>& th, const Progress* progress,
                                      const std::vector<bool>* want = nullptr) {
    const Network& net = pb.net;
    const std::size_t n = th.size(), k_out = net.output_dim();
    require_hessian_parameters(n);
    const bool bce = pb.loss == LossKind::bce, ce = pb.loss == LossKind::cross_entropy;
    if (bce && net.layers.back().activation.kind != ActivationKind::sigmoid)
        throw std::invalid_argument("the bce loss needs a sigmoid output layer");
    const Rational scale = loss_scale(pb);
    constexpr bool exact = std::is_same_v<Num, Rational>;
    GramAccumulator gram(exact ? n : 0);
    if (want && want->size() != n) throw std::logic_error("hessian block: one flag per parameter expected");
    OuterSums<Num> sums(exact ? 0 : n, want);
    std::vector<std::vector<Num>> curv(n, std::vector<Num>(n));
    static const Activation sigmoid{ActivationKind::sigmoid, Rational(0), {}};
    Primal<Num> p;
    Layers<Num> g, delta;
    std::vector<Num> seed(k_out), du, prob;
    std::vector<std::vector<Num>> jac(k_out);
    Workspace<Num> ws;
    for (std::size_t done = 0; done < pb.data.size(); ++done) {
        report(progress, "Hessian", done, pb.data.size());
        const Sample& s = pb.data[done];
        const Rational c = scale * s.weight;  // this data point's factor c_i
        prepare(pb, th, s.x, p);
        for (std::size_t k = 0; k < k_out; ++k) {  // gradients J_ik of u_k, for the outer-product part
            for (std::size_t o = 0; o < k_out; ++o) seed[o] = Num(Rational(o == k ? 1 : 0));
            reverse(net, th, p, seed, &jac[k], g, delta);
        }
        if constexpr (exact) {
            if (!is_squared_error(pb.loss)) throw std::logic_error("only squared errors have an exact Hessian");
            for (std::size_t k = 0; k < k_out; ++k) gram.add(jac[k], s.weight);  // l'' = 2: the factor 2 scale later
        } else if (ce) {
            // l''(u) = (sum y) (diag p - p p^T) = (sum y) sum_{k<m} p_k p_m (e_k - e_m)(e_k - e_m)^T (as sum p = 1),
            // so J^T l'' J = (sum y) sum_{k<m} p_k p_m (J_k - J_m)(J_k - J_m)^T: nonnegative weights, no cancellation.
            Rational sy = 0;
            for (const Rational& t : s.y) sy += t;
            prob = softmax(p.pass.a.back());
            const Num cs = Num(c * sy);
            std::vector<Num> diff(n);
            for (std::size_t k = 0; k < k_out; ++k)
                for (std::size_t m = k + 1; m < k_out; ++m) {
                    for (std::size_t r = 0; r < n; ++r) diff[r] = jac[k][r] - jac[m][r];
                    sums.add(diff, Num(cs * Num(prob[k] * prob[m])));
                }
        } else {
            for (std::size_t k = 0; k < k_out; ++k) {
                // l''(u): 2 for squared errors; sigmoid'(z) for bce through z.
                const Num w = bce ? Num(Num(c) * activate(sigmoid, p.pass.z.back()[k], 1)) : Num(Rational(2) * c);
                sums.add(jac[k], w);
            }
        }
        // The output weights c l'(u_k) of the curvature part: is any of them nonzero?
        point_loss(pb.loss, p.pass.a.back(), p.pass.z.back(), s.y, du);
        bool curved = false;
        for (std::size_t o = 0; o < k_out; ++o) {
            seed[o] = Num(c) * du[o];
            curved = curved || !known_zero(seed[o]);
        }
        if (!curved) continue;
        reverse<Num>(net, th, p, seed, nullptr, g, delta);
        for (std::size_t q = 0; q < n; ++q)
            if (!want || (*want)[q]) curvature_column(net, th, p, g, delta, q, ws, curv);
    }
    report(progress, "Hessian", pb.data.size(), pb.data.size());
    std::vector<std::vector<Num>> h;
    if constexpr (exact) {
        h = gram.result();
        const Rational w = 2 * scale;
        for (auto& row : h)
            for (Rational& x : row)
                if (!is_zero(x)) x *= w;
    } else {
        h = sums.result();
    }
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j)
            if (!known_zero(curv[i][j])) h[i][j] += curv[i][j];
    if (!is_zero(pb.weight_decay)) {  // the Hessian of lambda ||theta||^2 is 2 lambda I
        const Num two_lambda = Num(Rational(2) * pb.weight_decay);
        for (std::size_t i = 0; i < n; ++i) h[i][i] += two_lambda;
    }
    return h;
}

}  // namespace nncert::kernel::hessian_detail
