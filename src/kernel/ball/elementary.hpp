// Rigorous binary64 ball enclosures of exp(-x), tanh, sigmoid and 1/y without libm or MPFR per call: tables set up
// once by MPFI, a degree-8 polynomial in plain binary64 with an a-priori error bound (a Taylor polynomial in ball
// arithmetic with its Lagrange remainder very near the table's steps).
// Assumes only the rounding model of rounding.hpp; the error bounds are proved in docs/certificates.md.
#pragma once

#include "kernel/ball/ball.hpp"

#include <optional>

namespace nncert::kernel::ball_elementary {

// e^-x and e^-x - 1 for an exact double x >= 0 (x = +inf allowed), both as balls containing the real values.
// Relative radius at most about 2^-49 for x < 40 (e - 1 keeps it as x -> 0, down to the subnormal range, where the
// radius is a few 2^-1074); from 40 on the values
// are enclosed by <0, 2^-57> and <-1, 2^-57> (e^-40 < 2^-57). NaN or x < 0 gives the whole line for both.
struct ExpNeg {
    Ball e;    // e^-x
    Ball em1;  // e^-x - 1
};
ExpNeg exp_neg(double x);

// tanh(z) and sigmoid(z) = 1 / (1 + e^-z) at the exact double z, as balls (|z| from 20 resp. 40 on through the
// saturated enclosures above). NaN or +-inf give the whole line.
Ball tanh_at(double z);
Ball sigmoid_at(double z);

// The order-th derivative (0, 1, 2) of sigmoid or tanh over the whole real interval [lo, hi] (exact doubles,
// lo <= hi): every value f^(order)(t), lo <= t <= hi, lies in the hull of the balls at_lo and at_hi (enclosures of
// f^(order)(lo) and f^(order)(hi)) and of the exact points extra[0 .. n_extra) (the values, or bounds of them, at
// the interior extrema: each piece between two extrema is monotone; docs/certificates.md). lo may be -inf and hi
// +inf (then at_lo, at_hi are the exact limits). Empty when a finite end is beyond the unsaturated range (|t| > 36
// for sigmoid, > 18 for tanh), where the balls lose their relative accuracy, or for another kind or order.
struct DerivativeRange {
    Ball at_lo, at_hi;
    double extra[2] = {0, 0};
    int n_extra = 0;
};
std::optional<DerivativeRange> derivative_range(ActivationKind kind, double lo, double hi, int order);

// A ball containing 1 / y for every y in d, when |1 - q y| <= 1/2 on d for q = the double nearest 1 / mid(d)
// (then no y in d is 0); the whole line otherwise (d containing 0, too wide, or non-finite).
Ball reciprocal(const Ball& d);

}  // namespace nncert::kernel::ball_elementary
