// Interval loss, gradient, Hessian and outputs over a box of parameters, by the generic autodiff code
// (autodiff.hpp, dual.hpp) on Num = Interval: the same network evaluator as the exact engine, not a copy.
#pragma once

#include "kernel/progress.hpp"

#include "kernel/exact.hpp"
#include "kernel/interval/interval.hpp"

#include <optional>
#include <vector>

namespace nncert::kernel {

using IVector = std::vector<Interval>;
using IMatrix = std::vector<IVector>;

// The box of max-norm radius r around p, each side rounded outward: it contains the exact rational box.
IVector box_around(const Vector& p, const Rational& r);
// Tight enclosures of the coordinates of p (a box of radius 0, up to rounding).
IVector point_box(const Vector& p);

// Each result contains the true value at every parameter point of the box. Derivatives throw
// KinkStraddled when a relu/leaky_relu input interval contains 0 (check straddled_kinks first).
Interval loss_enclosure(const Problem& pb, const IVector& box);
IVector gradient_enclosure(const Problem& pb, const IVector& box);
// Symmetric: entries (i, k) and (k, i) enclose the same function, so each is the intersection of both.
IMatrix hessian_enclosure(const Problem& pb, const IVector& box, const Progress* progress = nullptr);
// The block of hessian_enclosure's rows and columns `coords` (distinct parameter indices), entry for entry the
// same intervals, without computing the other rows and columns: h[i][k] encloses d2L/dtheta_coords[i] dtheta_coords[k].
IMatrix hessian_block_enclosure(const Problem& pb, const IVector& box, const std::vector<std::size_t>& coords);
// The loss over the box X (and with `gradient`, its gradient) in binary64 intervals (ball/dinterval.hpp): the same
// generic code on another inclusion-isotone number type, so enclosures of the same quantities, each converted exactly
// to MPFI; about as tight as MPFI's at these widths (53 bits against the working precision; a caller comparing with a
// level computes again in MPFI when the bound misses it narrowly: misses_narrowly, loss_bound.hpp). Squared errors
// only (the other losses' terms would go through MPFI one by one), and only in the ball engine's floating-point
// environment; else nothing. Throws KinkStraddled as the MPFI computation does.
std::optional<Interval> loss_and_gradient_by_doubles(const Problem& pb, const IVector& x, IVector* gradient);
// The same block computed in binary64 intervals (ball/dinterval.hpp) instead of MPFI: the same generic code, so an
// enclosure of the same entries, each the hull of its operations at 53 bits (differing from MPFI's in the last bits
// of each operation and in the activation enclosures: docs/certificates.md, "Binary64 intervals"), symmetrized. Nothing for losses other than squared errors, outside the ball engine's floating-point environment,
// or when an entry is not finite: the caller then uses hessian_block_enclosure.
std::optional<IMatrix> hessian_block_by_doubles(const Problem& pb, const IVector& box,
                                                const std::vector<std::size_t>& coords);
// The same enclosure by one dual-number pass per parameter: slower, independent, kept for tests.
IMatrix hessian_enclosure_by_duals(const Problem& pb, const IVector& box);
IVector outputs_enclosure(const Network& net, const IVector& box, const Vector& x);

// Kinked units (relu, leaky_relu) whose pre-activation interval over the box contains 0, per data point.
std::vector<Kink> straddled_kinks(const Problem& pb, const IVector& box);

}  // namespace nncert::kernel
