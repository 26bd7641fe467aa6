// Forward pass, loss and reverse-mode gradient of a dense network, generic over the number type
// (Rational, Dual<Rational>, intervals). One code path serves every backend, so the exact and the
// interval engines cannot disagree about what the network computes.
#pragma once

#include "kernel/activation.hpp"
#include "kernel/model.hpp"
#include "kernel/output_loss.hpp"

#include <stdexcept>
#include <vector>

namespace nncert::kernel {

template <class Num>
struct Pass {
    std::vector<std::vector<Num>> z;  // z[l][i]: pre-activation of unit i of layer l
    std::vector<std::vector<Num>> a;  // a[0]: the input; a[l + 1]: the output of layer l
};

// A replacement for the pre-activation of some units, given the layer's input: the ray charts of the trap
// faces (interval/ray_chart.hpp) compute z = corner + s * inner in factored form, which an enclosure of the
// weights alone cannot (the scale s multiplies every charted weight). compute() returns false for a unit it
// does not replace; when it returns true, z must contain the unit's pre-activation for every parameter value
// the caller's th stands for.
template <class Num>
struct PreactivationHook {
    virtual ~PreactivationHook() = default;
    virtual bool compute(std::size_t layer, std::size_t unit, const std::vector<Num>& in, Num& z) const = 0;
};

// The forward pass with `off` == LayerOffsets(net) (built once by a caller that sweeps many data points).
template <class Num>
void forward(const Network& net, const LayerOffsets& off, const std::vector<Num>& th, const Vector& x, Pass<Num>& p,
             const PreactivationHook<Num>* hook = nullptr) {
    const std::size_t depth = net.layers.size();
    p.z.resize(depth);
    p.a.resize(depth + 1);
    p.a[0].clear();  // element by element: Num may be constructible from Rational but not assignable
    for (const Rational& v : x) p.a[0].emplace_back(v);
    for (std::size_t l = 0; l < depth; ++l) {
        const std::size_t n_out = net.layers[l].width, n_in = net.fan_in(l);
        const std::size_t w = off.weight(l), b = off.bias(l);
        const bool bias = net.has_bias(l);
        const std::vector<Num>& in = p.a[l];
        std::vector<Num>& z = p.z[l];
        // Accumulate in place (a pass reused over data points keeps its numbers' storage: MPFI allocates).
        z.resize(n_out);
        for (std::size_t i = 0; i < n_out; ++i) {
            Num& s = z[i];
            if (hook && hook->compute(l, i, in, s)) continue;
            if (bias)
                s = th[b + i];  // copy assignment: no new storage
            else
                s = Num();
            for (std::size_t j = 0; j < n_in; ++j)
                if (!known_zero(in[j])) add_product(s, th[w + i * n_in + j], in[j]);
            check_size(s);  // exact numbers: bounded by limits::max_number_bits (a no-op for intervals)
        }
        std::vector<Num>& out = p.a[l + 1];
        out.resize(n_out);
        for (std::size_t i = 0; i < n_out; ++i) out[i] = activate(net.layers[l].activation, z[i], 0);
    }
}

template <class Num>
void forward(const Network& net, const std::vector<Num>& th, const Vector& x, Pass<Num>& p,
             const PreactivationHook<Num>* hook = nullptr) {
    forward(net, LayerOffsets(net), th, x, p, hook);
}

// The loss scale (model.hpp): 1 for sse, 1/2 for sse/2, 1 / (W * output_dim) for mse and bce (means over
// weighted data points and outputs), 1 / W for cross_entropy (a mean over weighted data points), where W
// is the total data weight.
inline Rational loss_scale(const Problem& pb) {
    switch (pb.loss) {
        case LossKind::sse: return Rational(1);
        case LossKind::half_sse: return Rational(1, 2);
        case LossKind::mse:
        case LossKind::bce: return Rational(1) / (pb.total_weight() * pb.net.output_dim());
        case LossKind::cross_entropy: return Rational(1) / pb.total_weight();
    }
    throw std::logic_error("unknown loss");
}

// Returns the loss  scale * sum_i w_i l(u_i) + lambda * sum_k theta_k^2  (model.hpp, output_loss.hpp);
// when grad is given, fills it with the gradient (reverse mode, one backward sweep per data point).
// With a hook, the pre-activations it replaces come from it (forward above); th must still hold enclosures of
// every weight, which the backward sweep multiplies.
template <class Num>
Num loss_and_gradient(const Problem& pb, const std::vector<Num>& th, std::vector<Num>* grad,
                      const PreactivationHook<Num>* hook = nullptr) {
    const Network& net = pb.net;
    const std::size_t depth = net.layers.size();
    if (grad) grad->assign(th.size(), Num());
    const bool through_z = through_preactivation(pb.loss);
    if (pb.loss == LossKind::bce && net.layers.back().activation.kind != ActivationKind::sigmoid)
        throw std::invalid_argument("the bce loss needs a sigmoid output layer");
    Num loss = Num(rational_zero());
    Pass<Num> p;
    std::vector<Num> g_out, g_in;  // dLoss/d(layer output), dLoss/d(layer input)
    const LayerOffsets off(net);   // once: the sweeps below are linear in the depth
    for (const Sample& s : pb.data) {
        forward(net, off, th, s.x, p, hook);
        // For bce, g_out holds dLoss/dz of the output units, not dLoss/df (through_z).
        Num li = point_loss(pb.loss, p.a[depth], p.z[depth - 1], s.y, g_out);
        if (!is_one(s.weight)) {
            const Num w = Num(s.weight);
            li = li * w;
            if (grad)
                for (Num& g : g_out) g = g * w;
        }
        loss += li;
        if (!grad) continue;
        for (std::size_t l = depth; l-- > 0;) {
            const std::size_t n_out = net.layers[l].width, n_in = net.fan_in(l);
            const std::size_t w = off.weight(l), b = off.bias(l);
            const bool bias = net.has_bias(l);
            const std::vector<Num>& in = p.a[l];
            if (l > 0) g_in.assign(n_in, Num());
            for (std::size_t i = 0; i < n_out; ++i) {
                if (known_zero(g_out[i])) continue;
                const Num delta = (through_z && l + 1 == depth)
                                      ? g_out[i]
                                      : Num(g_out[i] * activate(net.layers[l].activation, p.z[l][i], 1));
                if (known_zero(delta)) continue;
                if (bias) (*grad)[b + i] += delta;
                for (std::size_t j = 0; j < n_in; ++j) {
                    if (!known_zero(in[j])) add_product((*grad)[w + i * n_in + j], delta, in[j]);
                    if (l > 0) add_product(g_in[j], th[w + i * n_in + j], delta);
                }
            }
            if (l > 0) g_out.swap(g_in);
        }
    }
    const Rational scale = loss_scale(pb);
    if (!is_one(scale)) {
        const Num sc = Num(scale);
        loss = loss * sc;
        if (grad)
            for (Num& g : *grad) g = g * sc;
    }
    // Weight decay lambda ||theta||^2: gradient 2 lambda theta.
    if (!is_zero(pb.weight_decay)) {
        const Num lambda = Num(pb.weight_decay), two_lambda = Num(Rational(2) * pb.weight_decay);
        Num sq = Num(Rational(0));
        for (std::size_t k = 0; k < th.size(); ++k) {
            if (known_zero(th[k])) continue;
            sq += square(th[k]);  // [0, inf) also for a range across 0 or unbounded
            if (grad) (*grad)[k] += two_lambda * th[k];
        }
        loss += lambda * sq;
    }
    return loss;
}

}  // namespace nncert::kernel
