// UNTRUSTED proposer of descent rays at an output unit on its kink (relu, leaky_relu output layer): directions of
// the unit's incoming parameters that move one data point's pre-activation (whose output should rise) while
// holding every other data point on the kink at 0, where a relu output has no slope to give in one direction.
// Nothing here decides anything: the kernel expands the loss along each proposed ray exactly (kernel/ray.hpp)
// and refutes only if it provably falls.
#pragma once

#include "kernel/exact.hpp"

#include <vector>

namespace nncert::hints {

using kernel::Rational;
using kernel::Vector;

// features[i]: the coefficients of the unit's incoming parameters in its pre-activation at data point i (the
// previous layer's output at P, then 1 for the bias when there is one); on_kink[i]: the pre-activation is exactly
// 0 at P; rise[i]: the loss falls as data point i's output rises (its residual is negative). Returns at most
// `max_directions` directions d (distinct, in the same coordinates): for a point j with rise[j], d . features[j]
// = 1 and d . features[i] = 0 for every other point on the kink whose features differ from j's (solved exactly;
// skipped when inconsistent or when more than `max_constraints` points sit on the kink).
std::vector<Vector> kink_keeping_directions(const std::vector<Vector>& features, const std::vector<bool>& on_kink,
                                            const std::vector<bool>& rise, std::size_t max_directions,
                                            std::size_t max_constraints = 64);

}  // namespace nncert::hints
