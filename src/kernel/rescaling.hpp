// The rescaling symmetry of positively homogeneous units: scaling a hidden unit's incoming weights and
// bias by a > 0 and its outgoing weights by 1/a leaves the network, hence the loss, unchanged.
#pragma once

#include "kernel/exact.hpp"

#include <optional>

namespace nncert::kernel {

struct RescalingCurve {
    std::size_t layer, unit;  // 0-based hidden layer and unit
    Rational a;               // the factor used for the exhibited point
    Vector point;             // P rescaled by a: a different point with the same loss
};

// P scaled by `a` along hidden unit (layer, unit).
Vector rescale_unit(const Network& net, const Vector& p, std::size_t layer, std::size_t unit, const Rational& a);

// The first hidden unit with an identity/relu/leaky_relu activation whose rescaling moves P (some
// incoming or outgoing weight is nonzero). Then P lies on a curve of constant loss: never a strict
// local minimum.
std::optional<RescalingCurve> find_rescaling_curve(const Problem& pb, const Vector& p);

}  // namespace nncert::kernel
