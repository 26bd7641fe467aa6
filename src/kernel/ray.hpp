// Refuting local minimality along a ray or a polynomial curve: t -> L(P + t d1 + t^2 d2 + ...) is a
// polynomial on some (0, t0); if its first nonzero coefficient after the constant is negative,
// L < L(P) for all small t > 0. If it is constant and the curve moves, P is not a strict local minimum.
#pragma once

#include "kernel/exact.hpp"
#include "kernel/series.hpp"
#include "kernel/value.hpp"

#include <optional>
#include <vector>

namespace nncert::kernel {

// A polynomial curve through P: theta(t) = P + t curve[0] + t^2 curve[1] + ... (each a parameter vector).
using Curve = std::vector<Vector>;

// L(P + t d) as an exact polynomial in t, valid on a right neighbourhood of 0.
Series loss_along_ray(const Problem& pb, const Vector& p, const Vector& d);
// L(theta(t)) for the curve above, exactly, valid on a right neighbourhood of 0.
Series loss_along_curve(const Problem& pb, const Vector& p, const Curve& curve);

// If d is a descent ray at p, the witness: the direction (named), the leading coefficients, and a
// concrete rational step t at which the loss is evaluated exactly (and agrees with the polynomial).
std::optional<Value> descent_ray_witness(const Problem& pb, const Vector& p, const Vector& d);
// The same for a curve (a ray is the curve {d}); the witness names each coefficient vector.
std::optional<Value> descent_curve_witness(const Problem& pb, const Vector& p, const Curve& curve);

// If the loss is exactly L(P) along a curve that moves (some coefficient vector is nonzero), the witness:
// the curve, the (constant) polynomial, and the exact loss at the point of the curve at t = 1/1000 (which
// differs from P). Then P is not a strict local minimum.
std::optional<Value> flat_curve_witness(const Problem& pb, const Vector& p, const Curve& curve);

}  // namespace nncert::kernel
