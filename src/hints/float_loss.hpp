// UNTRUSTED: the loss at a point in plain binary64, with no error bound. For heuristics that only decide whether a
// rigorous test is worth running (kernel/interval/ray_chart.cpp: whether a point can be a witness of a low loss);
// nothing the kernel certifies or refutes rests on it.
#pragma once

#include "kernel/model.hpp"

#include <optional>

namespace nncert::hints {

// The loss of `pb` at the weights `theta` (Network::num_params() entries), computed by the kernel's own generic forward
// pass and loss (kernel/autodiff.hpp) on plain doubles: every rational rounded to a nearby double, every operation and
// activation rounded however the hardware and libm round. Close to the true loss for moderate weights (a few ulps per
// operation), but no bound of any kind. Nothing when theta has the wrong size or the result is NaN.
std::optional<double> loss_in_doubles(const kernel::Problem& pb, const kernel::Vector& theta);

}  // namespace nncert::hints
