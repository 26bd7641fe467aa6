// UNTRUSTED hint for the output-layer reduction (kernel/interval/ray_chart.cpp, reduced_bound): an approximate
// minimiser, in binary64, of a one-layer squared-error loss over a box of its parameters. The kernel only re-checks
// the loss at the point it returns (a witness test at an exact point of the box); this only chooses where to look.
#pragma once

#include "kernel/model.hpp"

#include <cstddef>
#include <optional>
#include <vector>

namespace nncert::hints {

// One dense layer, outputs f(W x + b), on N data points in binary64. Parameters are laid out as the kernel's flat
// vector of that layer: W (out x in, row-major), then b (out entries) when `bias`.
struct OneLayerData {
    std::size_t in = 0, out = 0;
    bool bias = true;
    kernel::ActivationKind activation = kernel::ActivationKind::identity;  // identity, sigmoid or tanh
    std::vector<double> x, y, weight;  // N x in row-major, N x out row-major, N weights (> 0)
    double scale = 1;                  // loss = scale * sum_i weight_i |f(W x_i + b) - y_i|^2
};

struct DescentPoint {
    std::vector<double> u;  // finite, lo <= u <= hi
    double loss = 0;        // the loss at u in binary64 (rounded: a guide, never a bound)
};

// Projected gradient descent with a backtracking step from `start` (clamped into [lo, hi]; ends may be infinite),
// at most `evaluations` loss evaluations, stopping early once the loss is below `target`. Nothing when the sizes
// disagree, the activation is not one of the three, or the start or a loss is not finite.
std::optional<DescentPoint> one_layer_descent_untrusted(const OneLayerData& d, const std::vector<double>& lo,
                                                        const std::vector<double>& hi,
                                                        const std::vector<double>& start, int evaluations,
                                                        double target);

}  // namespace nncert::hints
