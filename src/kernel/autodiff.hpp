// Forward pass, loss and reverse-mode gradient of a dense network, generic over the number type
// (Rational, Dual<Rational>, intervals). One code path serves every backend, so the exact and the
// interval engines cannot disagree about what the network computes.
#pragma once

#include "kernel/activation.hpp"
#include "kernel/model.hpp"

#include <stdexcept>
#include <vector>

namespace nncert::kernel {

template <class Num>
struct Pass {
    std::vector<std::vector<Num>> z;  // z[l][i]: pre-activation of unit i of layer l
    std::vector<std::vector<Num>> a;  // a[0]: the input; a[l + 1]: the output of layer l
};

template <class Num>
void forward(const Network& net, const std::vector<Num>& th, const Vector& x, Pass<Num>& p) {
    const std::size_t depth = net.layers.size();
    p.z.resize(depth);
    p.a.resize(depth + 1);
    p.a[0].clear();  // element by element: Num may be constructible from Rational but not assignable
    for (const Rational& v : x) p.a[0].emplace_back(v);
    for (std::size_t l = 0; l < depth; ++l) {
        const std::size_t n_out = net.layers[l].width, n_in = net.fan_in(l);
        const std::size_t w = net.weight_offset(l), b = net.bias_offset(l);
        const std::vector<Num>& in = p.a[l];
        std::vector<Num>& z = p.z[l];
        z.assign(n_out, Num());
        for (std::size_t i = 0; i < n_out; ++i) {
            Num s = th[b + i];
            for (std::size_t j = 0; j < n_in; ++j)
                if (!known_zero(in[j])) s += th[w + i * n_in + j] * in[j];
            check_size(s);  // exact numbers: bounded by limits::max_number_bits (a no-op for intervals)
            z[i] = s;
        }
        std::vector<Num>& out = p.a[l + 1];
        out.resize(n_out);
        for (std::size_t i = 0; i < n_out; ++i) out[i] = activate(net.layers[l].activation, z[i], 0);
    }
}

// The loss scale: 1 for sse, 1 / (N * output_dim) for mse and bce (both are means).
inline Rational loss_scale(const Problem& pb) {
    if (pb.loss == LossKind::sse) return Rational(1);
    return Rational(1) / Rational(pb.data.size() * pb.net.output_dim());
}

// Returns the loss; when grad is given, fills it with the gradient (reverse mode, one backward sweep
// per data point).
template <class Num>
Num loss_and_gradient(const Problem& pb, const std::vector<Num>& th, std::vector<Num>* grad) {
    const Network& net = pb.net;
    const std::size_t depth = net.layers.size();
    if (grad) grad->assign(th.size(), Num());
    // bce is written through the output pre-activation z: with f = sigmoid(z),
    // -(y log f + (1 - y) log(1 - f)) = softplus(z) - y z exactly, and its z-derivative is f - y. This avoids
    // log(0) and the division by f(1 - f) that the chain rule through f would need.
    const bool bce = pb.loss == LossKind::bce;
    if (bce && net.layers.back().activation.kind != ActivationKind::sigmoid)
        throw std::invalid_argument("the bce loss needs a sigmoid output layer");
    static const Activation softplus{ActivationKind::softplus, Rational(0), {}};
    const Num two = Num(Rational(2));
    Num loss = Num(Rational(0));
    Pass<Num> p;
    std::vector<Num> g_out, g_in;  // dLoss/d(layer output), dLoss/d(layer input)
    for (const Sample& s : pb.data) {
        forward(net, th, s.x, p);
        const std::vector<Num>& f = p.a[depth];
        g_out.assign(f.size(), Num());
        for (std::size_t k = 0; k < f.size(); ++k) {
            Num r = f[k] - Num(s.y[k]);
            if (bce) {
                const Num& z = p.z[depth - 1][k];
                loss += activate(softplus, z, 0) - Num(s.y[k]) * z;
                g_out[k] = r;  // for bce: dLoss/dz of the output unit, not dLoss/df
                continue;
            }
            loss += r * r;
            g_out[k] = two * r;
        }
        if (!grad) continue;
        for (std::size_t l = depth; l-- > 0;) {
            const std::size_t n_out = net.layers[l].width, n_in = net.fan_in(l);
            const std::size_t w = net.weight_offset(l), b = net.bias_offset(l);
            const std::vector<Num>& in = p.a[l];
            if (l > 0) g_in.assign(n_in, Num());
            for (std::size_t i = 0; i < n_out; ++i) {
                if (known_zero(g_out[i])) continue;
                const Num delta = (bce && l + 1 == depth)
                                      ? g_out[i]
                                      : Num(g_out[i] * activate(net.layers[l].activation, p.z[l][i], 1));
                if (known_zero(delta)) continue;
                (*grad)[b + i] += delta;
                for (std::size_t j = 0; j < n_in; ++j) {
                    if (!known_zero(in[j])) (*grad)[w + i * n_in + j] += delta * in[j];
                    if (l > 0) g_in[j] += th[w + i * n_in + j] * delta;
                }
            }
            if (l > 0) g_out.swap(g_in);
        }
    }
    const Rational scale = loss_scale(pb);
    if (scale != 1) {
        const Num sc = Num(scale);
        loss = loss * sc;
        if (grad)
            for (Num& g : *grad) g = g * sc;
    }
    return loss;
}

}  // namespace nncert::kernel
