// Exact descent witnesses: a direction d and a rational step t with L(P + t d) < L(P), checked by
// evaluating the loss exactly at the rational point P + t d.
#pragma once

#include "kernel/exact.hpp"
#include "kernel/value.hpp"

#include <optional>

namespace nncert::kernel {

struct DescentStep {
    Rational t;
    Rational loss_before, loss_after;
};

// Tries t = 1, 1/2, 1/4, ... (at most max_halvings times) and returns the first step that lowers the
// loss strictly, or nothing. Untrusted in spirit (it only searches), but what it returns is exact.
std::optional<DescentStep> find_descent_step(const Problem& pb, const Vector& p, const Vector& d,
                                             int max_halvings = 80);

Value descent_value(const DescentStep& s);

}  // namespace nncert::kernel
