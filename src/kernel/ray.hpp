// Refuting local minimality along a ray: t -> L(P + t d) is a polynomial on some (0, t0); if its first
// nonzero coefficient after the constant is negative, L(P + t d) < L(P) for all small t > 0.
#pragma once

#include "kernel/exact.hpp"
#include "kernel/series.hpp"
#include "kernel/value.hpp"

#include <optional>

namespace nncert::kernel {

// L(P + t d) as an exact polynomial in t, valid on a right neighbourhood of 0.
Series loss_along_ray(const Problem& pb, const Vector& p, const Vector& d);

// If d is a descent ray at p, the witness: the direction (named), the leading coefficients, and a
// concrete rational step t at which the loss is evaluated exactly (and agrees with the polynomial).
std::optional<Value> descent_ray_witness(const Problem& pb, const Vector& p, const Vector& d);

}  // namespace nncert::kernel
