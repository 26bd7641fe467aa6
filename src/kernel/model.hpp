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
    bool has_kink() const { return kind == ActivationKind::relu || kind == ActivationKind::leaky_relu; }
    bool is_exact() const { return is_piecewise_linear() || kind == ActivationKind::poly; }
};

std::string to_string(const Activation& a);

struct Layer {
    std::size_t width = 0;
    Activation activation;
};

// A fully connected network: input dimension, then dense layers (the last one is the output).
// Parameters are laid out layer by layer: W_l row-major (width_l x width_{l-1}), then b_l.
struct Network {
    std::size_t input_dim = 0;
    std::vector<Layer> layers;

    std::size_t output_dim() const { return layers.empty() ? 0 : layers.back().width; }
    std::size_t fan_in(std::size_t l) const { return l == 0 ? input_dim : layers[l - 1].width; }
    std::size_t num_params() const;
    // Offset of W_l (layer index l is 0-based) in the flat parameter vector; b_l follows W_l.
    std::size_t weight_offset(std::size_t l) const;
    std::size_t bias_offset(std::size_t l) const { return weight_offset(l) + layers[l].width * fan_in(l); }
    // Human name of flat parameter k, 1-based as in scripts: "W2[1,3]" or "b1[2]".
    std::string param_name(std::size_t k) const;
    bool is_exact() const;
};

struct Sample {
    Vector x;  // input_dim entries
    Vector y;  // output_dim entries
};

// sse: sum of squared residuals. mse: their mean over data points and outputs.
// bce: binary cross-entropy -(y log f + (1 - y) log(1 - f)) on a sigmoid output f, as a mean over data
// points and outputs (PyTorch's default reduction). It is transcendental: only the interval engine decides
// claims about it; the exact engine answers INCONCLUSIVE.
enum class LossKind { sse, mse, bce };
std::string to_string(LossKind k);

// A data point counts as correctly classified when output - threshold and target - threshold have
// the same strict sign; an output exactly at the threshold counts as wrong (ties are never credited).
struct ClassifyRule {
    Rational threshold;
};

struct Problem {
    Network net;
    std::vector<Sample> data;
    LossKind loss = LossKind::sse;
    std::optional<ClassifyRule> classify;
};

struct Point {
    std::string name;
    Vector params;  // flat, Network::num_params() entries
};

// Throws std::invalid_argument when shapes disagree (a front-end bug, never a user-facing verdict).
void validate(const Problem& p);
void validate(const Problem& p, const Point& pt);

}  // namespace nncert::kernel
