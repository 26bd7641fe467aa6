// Interval enclosures of every activation and its first two derivatives: `activate` for Num = Interval.
// Assumes a live PrecisionScope. Smooth pieces come from MPFI's rigorous exp/log1p/tanh/cosh.
#pragma once

#include "kernel/interval/interval.hpp"
#include "kernel/model.hpp"

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

}  // namespace nncert::kernel
