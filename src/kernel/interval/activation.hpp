// Interval enclosures of every activation and its first two derivatives: `activate` for Num = Interval.
// Assumes a live PrecisionScope. Smooth pieces come from MPFI's rigorous exp/log1p/tanh/cosh.
#pragma once

#include "kernel/interval/interval.hpp"
#include "kernel/model.hpp"

#include <optional>
#include <stdexcept>

namespace nncert::kernel {

// Thrown when a derivative of relu/leaky_relu is asked over an interval that contains the kink at 0.
// No sound derivative enclosure exists there for Krawczyk or the Hessian test, so the check that catches
// it must answer INCONCLUSIVE ("box straddles a kink"), never certify.
struct KinkStraddled : std::runtime_error {
    KinkStraddled() : std::runtime_error("a relu/leaky_relu input interval contains the kink at 0") {}
};

// An interval containing the order-th derivative (order 0..2; any order for the exact kinds) of the
// activation at every point of z.
Interval activate(const Activation& a, const Interval& z, int order);

// The same enclosure for sigmoid, tanh and softplus (order 0..2; softplus from order 1) from the ball engine's
// binary64 enclosures at z's ends rounded outward to doubles and the extrema between them (activation.cpp,
// "Wider intervals"), whatever z's width: at a point at most 2^-44 wide relative to the value (absolute below 1;
// unit test interval_arith), however narrow z is. Nothing
// for other kinds or orders, a finite end in saturation (|z| > 36 for sigmoid, > 18 for tanh), or a floating-point
// environment outside the ball engine's model.
std::optional<Interval> activate_binary64(ActivationKind kind, const Interval& z, int order);

}  // namespace nncert::kernel
