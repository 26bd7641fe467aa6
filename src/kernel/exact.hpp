// Exact quantities of a problem at a rational point: outputs, loss, gradient, Hessian, kinks, accuracy.
#pragma once

#include "kernel/model.hpp"
#include "kernel/progress.hpp"

#include <cstddef>
#include <vector>

namespace nncert::kernel {

using Matrix = std::vector<Vector>;  // row-major, square where it is a Hessian

// A data point on a kink: unit `unit` of layer `layer` (0-based) has pre-activation exactly 0 at
// data point `sample` (0-based), and that unit's activation is not differentiable at 0.
struct Kink {
    std::size_t sample, layer, unit;
};

Vector outputs(const Network& net, const Vector& params, const Vector& x);
Rational loss(const Problem& pb, const Vector& params);
Vector gradient(const Problem& pb, const Vector& params);
// The Hessian, valid only at points without kinks (see find_kinks). Computed as the Gauss-Newton
// part (integer outer products of output gradients) plus the output-curvature part (sparse
// forward-over-reverse tangents on the cached primal pass); see hessian.cpp.
Matrix hessian(const Problem& pb, const Vector& params, const Progress* progress = nullptr);
// The same matrix by plain forward-over-reverse on dual numbers: slower, independent, kept as the
// reference the fast path is tested against.
Matrix hessian_by_duals(const Problem& pb, const Vector& params);
std::vector<Kink> find_kinks(const Problem& pb, const Vector& params);

// Data points classified correctly under pb.classify (scalar output): how many rows, their total weight, and
// which rows are wrong. The accuracy is correct_weight / W (W = pb.total_weight()): a row of weight w counts w
// times, as in the loss (docs/format.md, "Row weights").
struct AccuracyCount {
    std::size_t correct = 0;
    Rational correct_weight = 0;
    std::vector<std::size_t> wrong;  // 0-based data indices
};
AccuracyCount count_correct(const Problem& pb, const Vector& params);
// Whether some row's weight is not 1 (the accuracy evidence then names weights besides row counts).
bool has_row_weights(const Problem& pb);

}  // namespace nncert::kernel
