// The exact Hessian of the loss at a kink-free point, fast. With residuals r and loss
// scale * sum (f - y)^2:  H = 2 scale sum_i J_i^T J_i  +  sum_i c_i . Hess(f_i),  c_i = 2 scale r_i.
// The first (dense) part is summed in integers (gram.hpp); the second is forward-over-reverse with
// constant output weights, whose tangents stay sparse, on one cached primal pass per data point.
#include "kernel/activation.hpp"
#include "kernel/autodiff.hpp"
#include "kernel/exact.hpp"
#include "kernel/gram.hpp"

namespace nncert::kernel {

namespace {

using Layers = std::vector<Vector>;

struct Primal {
    Pass<Rational> pass;
    Layers d1, d2;  // activation derivatives at z
};

void prepare(const Network& net, const Vector& th, const Vector& x, Primal& p) {
    forward(net, th, x, p.pass);
    p.d1.resize(net.layers.size());
    p.d2.resize(net.layers.size());
    for (std::size_t l = 0; l < net.layers.size(); ++l) {
        const Activation& act = net.layers[l].activation;
        p.d1[l].resize(p.pass.z[l].size());
        p.d2[l].resize(p.pass.z[l].size());
        for (std::size_t i = 0; i < p.pass.z[l].size(); ++i) {
            p.d1[l][i] = activate(act, p.pass.z[l][i], 1);
            p.d2[l][i] = activate(act, p.pass.z[l][i], 2);
        }
    }
}

// Reverse sweep with output adjoint `seed`: fills grad (if given) and, per layer, the adjoint of the
// layer's output (g[l]) and of its pre-activation (delta[l]).
void reverse(const Network& net, const Vector& th, const Primal& p, const Vector& seed, Vector* grad,
             Layers& g, Layers& delta) {
    const std::size_t depth = net.layers.size();
    g.resize(depth);
    delta.resize(depth);
    g[depth - 1] = seed;
    if (grad) grad->assign(th.size(), Rational(0));
    for (std::size_t l = depth; l-- > 0;) {
        const std::size_t n_out = net.layers[l].width, n_in = net.fan_in(l);
        const std::size_t w = net.weight_offset(l), b = net.bias_offset(l);
        const Vector& in = p.pass.a[l];
        delta[l].assign(n_out, Rational(0));
        if (l > 0) g[l - 1].assign(n_in, Rational(0));
        for (std::size_t i = 0; i < n_out; ++i) {
            if (is_zero(g[l][i]) || is_zero(p.d1[l][i])) continue;
            delta[l][i] = g[l][i] * p.d1[l][i];
            const Rational& di = delta[l][i];
            if (grad) (*grad)[b + i] += di;
            for (std::size_t j = 0; j < n_in; ++j) {
                if (grad && !is_zero(in[j])) (*grad)[w + i * n_in + j] += di * in[j];
                if (l > 0) g[l - 1][j] += th[w + i * n_in + j] * di;
            }
        }
    }
}

struct Workspace {
    Layers zdot, adot, gdot, ddot;
    Rational t;
};

// Adds column q of sum_k c_k Hess(f_k) at one data point to column q of `out`.
void curvature_column(const Network& net, const Vector& th, const Primal& p, const Layers& g,
                      const Layers& delta, std::size_t q, Workspace& ws, Matrix& out) {
    const std::size_t depth = net.layers.size();
    // Locate parameter q: layer m, unit u, input v (or the bias).
    std::size_t m = 0;
    while (q >= net.bias_offset(m) + net.layers[m].width) ++m;
    const bool is_bias = q >= net.bias_offset(m);
    const std::size_t n_in_m = net.fan_in(m);
    const std::size_t u = is_bias ? q - net.bias_offset(m) : (q - net.weight_offset(m)) / n_in_m;
    const std::size_t v = is_bias ? 0 : (q - net.weight_offset(m)) % n_in_m;

    ws.zdot.resize(depth);
    ws.adot.resize(depth);
    ws.gdot.resize(depth);
    ws.ddot.resize(depth);
    for (std::size_t l = 0; l < depth; ++l) {
        ws.zdot[l].assign(net.layers[l].width, Rational(0));
        ws.adot[l].assign(net.layers[l].width, Rational(0));
        ws.gdot[l].assign(net.layers[l].width, Rational(0));
        ws.ddot[l].assign(net.layers[l].width, Rational(0));
    }
    // Forward tangent: zero below layer m.
    ws.zdot[m][u] = is_bias ? Rational(1) : p.pass.a[m][v];
    ws.adot[m][u] = p.d1[m][u] * ws.zdot[m][u];
    for (std::size_t l = m + 1; l < depth; ++l) {
        const std::size_t n_in = net.fan_in(l), w = net.weight_offset(l);
        for (std::size_t j = 0; j < n_in; ++j) {
            if (is_zero(ws.adot[l - 1][j])) continue;
            for (std::size_t i = 0; i < net.layers[l].width; ++i)
                if (!is_zero(th[w + i * n_in + j])) ws.zdot[l][i] += th[w + i * n_in + j] * ws.adot[l - 1][j];
        }
        for (std::size_t i = 0; i < net.layers[l].width; ++i)
            if (!is_zero(ws.zdot[l][i])) ws.adot[l][i] = p.d1[l][i] * ws.zdot[l][i];
    }
    // Backward tangent. The output adjoint is constant (c does not move), so gdot starts at zero.
    for (std::size_t l = depth; l-- > 0;) {
        const std::size_t n_out = net.layers[l].width, n_in = net.fan_in(l);
        const std::size_t w = net.weight_offset(l), b = net.bias_offset(l);
        const Vector& in = p.pass.a[l];
        const Vector* in_dot = (l >= 1 && l - 1 >= m) ? &ws.adot[l - 1] : nullptr;
        Vector& dd = ws.ddot[l];
        for (std::size_t i = 0; i < n_out; ++i) {
            if (!is_zero(ws.gdot[l][i]) && !is_zero(p.d1[l][i])) dd[i] = ws.gdot[l][i] * p.d1[l][i];
            if (!is_zero(ws.zdot[l][i]) && !is_zero(p.d2[l][i]) && !is_zero(g[l][i])) {
                ws.t = g[l][i] * p.d2[l][i];
                dd[i] += ws.t * ws.zdot[l][i];
            }
        }
        for (std::size_t i = 0; i < n_out; ++i) {
            const bool has_dd = !is_zero(dd[i]);
            const bool has_delta = in_dot && !is_zero(delta[l][i]);
            if (!has_dd && !has_delta) continue;
            if (has_dd) out[b + i][q] += dd[i];
            for (std::size_t j = 0; j < n_in; ++j) {
                Rational& h = out[w + i * n_in + j][q];
                if (has_dd && !is_zero(in[j])) h += dd[i] * in[j];
                if (has_delta && !is_zero((*in_dot)[j])) h += delta[l][i] * (*in_dot)[j];
                if (l > 0 && has_dd && !is_zero(th[w + i * n_in + j])) ws.gdot[l - 1][j] += th[w + i * n_in + j] * dd[i];
            }
        }
        // The seeded weight itself: d(W_m[u, v] * delta_m[u]) / dW_m[u, v] feeds the layer below.
        if (l == m && !is_bias && l > 0 && !is_zero(delta[m][u])) ws.gdot[m - 1][v] += delta[m][u];
    }
}

}  // namespace

Matrix hessian(const Problem& pb, const Vector& th, const Progress* progress) {
    const Network& net = pb.net;
    const std::size_t n = th.size(), k_out = net.output_dim();
    const Rational scale = loss_scale(pb);
    GramAccumulator gram(n);
    Matrix curv(n, Vector(n));
    Primal p;
    Layers g, delta;
    Vector seed(k_out), jac;
    Workspace ws;
    for (std::size_t done = 0; done < pb.data.size(); ++done) {
        report(progress, "Hessian", done, pb.data.size());
        const Sample& s = pb.data[done];
        prepare(net, th, s.x, p);
        const Vector& f = p.pass.a.back();
        for (std::size_t k = 0; k < k_out; ++k) {  // output gradients J_ik for the Gauss-Newton part
            for (std::size_t o = 0; o < k_out; ++o) seed[o] = o == k ? 1 : 0;
            reverse(net, th, p, seed, &jac, g, delta);
            gram.add(jac);
        }
        bool curved = false;  // does any output weight c_k = 2 scale r_k vanish entirely?
        for (std::size_t o = 0; o < k_out; ++o) {
            seed[o] = 2 * scale * (f[o] - s.y[o]);
            curved = curved || !is_zero(seed[o]);
        }
        if (!curved) continue;
        reverse(net, th, p, seed, nullptr, g, delta);
        for (std::size_t q = 0; q < n; ++q) curvature_column(net, th, p, g, delta, q, ws, curv);
    }
    Matrix h = gram.result();
    const Rational w = 2 * scale;
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j) {
            if (!is_zero(h[i][j])) h[i][j] *= w;
            if (!is_zero(curv[i][j])) h[i][j] += curv[i][j];
        }
    return h;
}

}  // namespace nncert::kernel
