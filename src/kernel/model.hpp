// The plain data the kernel checks: dataset, network, loss, named weight points.
// Built by the (untrusted) script front end; the kernel re-validates shapes before using it.
#pragma once

#include "kernel/number.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace nncert::kernel {

// Activations. The piecewise-linear ones (identity, relu, leaky_relu) and the rational polynomial
// `poly` are exact; sigmoid, tanh and softplus are transcendental and need the interval engine.
enum class ActivationKind { identity, relu, leaky_relu, poly, sigmoid, tanh, softplus };

struct Activation {
    ActivationKind kind = ActivationKind::identity;
    Rational alpha;                 // leaky_relu slope for z < 0
    std::vector<Rational> coeffs;   // poly: c0 + c1 z + c2 z^2 + ...

    bool is_piecewise_linear() const {
        return kind == ActivationKind::identity || kind == ActivationKind::relu ||
               kind == ActivationKind::leaky_relu;
    }
    // Activations with a kink at z = 0 (where the derivative jumps).
    // leaky_relu(1) is the identity: no kink (its derivative is 1 on both sides).
    bool has_kink() const {
        return kind == ActivationKind::relu || (kind == ActivationKind::leaky_relu && alpha != 1);
    }
    bool is_exact() const { return is_piecewise_linear() || kind == ActivationKind::poly; }
};

std::string to_string(const Activation& a);

struct Layer {
    std::size_t width = 0;
    Activation activation;
    bool bias = true;  // false: a bias-free layer (`dense N relu nobias`), z = W a with no b_l parameters
};

// A fully connected network: input dimension, then dense layers (the last one is the output).
// Parameters are laid out layer by layer: W_l row-major (width_l x width_{l-1}), then b_l (absent for a
// bias-free layer).
struct Network {
    std::size_t input_dim = 0;
    std::vector<Layer> layers;

    std::size_t output_dim() const { return layers.empty() ? 0 : layers.back().width; }
    std::size_t fan_in(std::size_t l) const { return l == 0 ? input_dim : layers[l - 1].width; }
    std::size_t num_params() const;
    // Offset of W_l (layer index l is 0-based) in the flat parameter vector; b_l follows W_l. For a
    // bias-free layer bias_offset(l) == layer_end(l): there is no b_l, and nothing may be read there.
    std::size_t weight_offset(std::size_t l) const;
    std::size_t bias_offset(std::size_t l) const { return weight_offset(l) + layers[l].width * fan_in(l); }
    std::size_t layer_end(std::size_t l) const { return bias_offset(l) + (layers[l].bias ? layers[l].width : 0); }
    bool has_bias(std::size_t l) const { return layers[l].bias; }
    // Human name of flat parameter k, 1-based as in scripts: "W2[1,3]" or "b1[2]".
    std::string param_name(std::size_t k) const;
    bool is_exact() const;
};

// Every layer's offsets at once, from one pass over the layers: weight_offset(l) scans the layers before l, so a
// sweep that called it per layer (and per data point) took time quadratic in the depth (review r8-9, F4: 80% of
// `claim loss` at 40,000 layers). Built from a Network and valid for it while its layers are not changed: the
// sweeps build one at their start and use it for that one network.
struct LayerOffsets {
    std::vector<std::size_t> w;  // w[l] == net.weight_offset(l) for l <= layers.size(); w[layers.size()] == num_params()
    std::vector<std::size_t> b;  // b[l] == net.bias_offset(l)
    LayerOffsets() = default;
    explicit LayerOffsets(const Network& net);
    std::size_t weight(std::size_t l) const { return w[l]; }
    std::size_t bias(std::size_t l) const { return b[l]; }
    std::size_t end(std::size_t l) const { return w[l + 1]; }  // == net.layer_end(l)
};

// The names of a network's parameters (Network::param_name) from one LayerOffsets: each name is a binary search
// over the layers, O(log L), where param_name scans the layers before it, O(L). Naming every parameter of an
// evidence vector with param_name took time L * p (review r8-10: `claim critical` on 100,000 layers); evidence
// builders that name many parameters use this. Valid for `net` while its layers are not changed.
class ParamNames {
public:
    explicit ParamNames(const Network& net) : net_(net), off_(net) {}
    std::size_t size() const { return off_.w.back(); }  // == net.num_params()
    std::string operator()(std::size_t k) const;

private:
    const Network& net_;
    LayerOffsets off_;
};

struct Sample {
    Vector x;  // input_dim entries
    Vector y;  // output_dim entries
    Rational weight = 1;  // > 0: the row counts `weight` times (a multiplicity when whole)
};

// Each loss is a weighted sum over data points i (weight w_i, W = sum_i w_i) of a per-point term, times a
// scale (loss_scale in autodiff.hpp), plus the weight decay lambda ||theta||^2 of Problem:
//   sse:           sum_i w_i sum_k (f_k - y_k)^2
//   half_sse:      1/2 of sse (`sse/2`, the 1/2 ||.||^2 of most theory papers)
//   mse:           sse / (W * output_dim)
//   bce:           binary cross-entropy -(y log f + (1 - y) log(1 - f)) on a sigmoid output f, averaged like
//                  mse (PyTorch's default reduction); transcendental: only the interval engine decides it
//   cross_entropy: softmax cross-entropy of the logits f (identity output, >= 2 classes) against target
//                  probabilities y: sum_i w_i (-sum_k y_k log softmax_k(f)) / W (PyTorch's CrossEntropyLoss
//                  with probability targets, mean reduction); transcendental
// With whole weights every loss equals the same loss on the dataset with row i repeated w_i times.
enum class LossKind { sse, half_sse, mse, bce, cross_entropy };
std::string to_string(LossKind k);  // the script spelling: sse, sse/2, mse, bce, cross_entropy
// The squared-error losses (sse, sse/2, mse): the ones whose exact methods assume a sum of squares.
inline bool is_squared_error(LossKind k) { return k == LossKind::sse || k == LossKind::half_sse || k == LossKind::mse; }

// A data point counts as correctly classified when output - threshold and target - threshold have
// the same strict sign; an output exactly at the threshold counts as wrong (ties are never credited).
struct ClassifyRule {
    Rational threshold;
};

struct Problem {
    Network net;
    std::vector<Sample> data;
    LossKind loss = LossKind::sse;
    Rational weight_decay;  // lambda >= 0: the loss is data term + lambda * sum_k theta_k^2 (every parameter)
    std::optional<ClassifyRule> classify;

    Rational total_weight() const;  // W = sum of the data points' weights
    // Exact problems: no transcendental unit, and a loss that is a rational function of the parameters.
    bool is_exact() const { return net.is_exact() && is_squared_error(loss); }
};

struct Point {
    std::string name;
    Vector params;  // flat, Network::num_params() entries
};

// Throws std::invalid_argument when shapes disagree, a weight is not > 0, lambda < 0, bce lacks a sigmoid
// output, or cross_entropy lacks an identity output with >= 2 classes or has a negative target (a
// front-end bug, never a user-facing verdict).
void validate(const Problem& p);
void validate(const Problem& p, const Point& pt);

}  // namespace nncert::kernel
