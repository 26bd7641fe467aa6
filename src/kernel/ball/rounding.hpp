// Directed upper bounds in binary64 that hold in EVERY IEEE rounding direction, with or without FMA
// contraction: the only floating-point facts the ball engine relies on (proof in docs/certificates.md).
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#if defined(__FAST_MATH__) || (defined(__FINITE_MATH_ONLY__) && __FINITE_MATH_ONLY__)
// -ffinite-math-only alone makes std::isfinite(inf) true, so an overflowed ball would pass as finite.
#error "the ball engine's error bounds assume IEEE arithmetic: never build nncert with -ffast-math or -ffinite-math-only"
#endif

namespace nncert::kernel::ball_rounding {

// The model (docs/certificates.md, "Ball arithmetic"): for doubles x, y and op in {+, -, *, fma}, the
// computed result is the exact result rounded to a neighbouring double in SOME direction (nearest, up,
// down, toward zero), with gradual underflow. Hence the exact result lies strictly between the computed
// value's two neighbours, whatever the direction and the compiler's contraction choices.

inline constexpr double inf = std::numeric_limits<double>::infinity();
inline constexpr double max_finite = std::numeric_limits<double>::max();

// The next double above x >= 0 (+0 included; -0 is treated as +0). +inf stays +inf; NaN stays NaN.
// Bit arithmetic, not an arithmetic operation: no rounding mode touches it.
inline double succ(double x) {
    if (!(x >= 0)) return x != x ? x : succ(0.0);  // NaN stays; any negative -> as +0
    // -0.0 passes the test above (-0 == +0) but its bits are 0x8000...0, whose successor pattern is -denorm_min:
    // an "upper bound" below the exact value 0 (or a negative value underflowed to -0). Both zeros give +denorm_min.
    if (x == 0) return std::numeric_limits<double>::denorm_min();
    if (x == inf) return inf;
    std::uint64_t b;
    std::memcpy(&b, &x, sizeof b);
    b += 1;
    std::memcpy(&x, &b, sizeof b);
    return x;  // DBL_MAX -> +inf (rounding down may have produced DBL_MAX for an overflowing result)
}

// An upper bound of the exact value X of one operation on nonnegative doubles whose computed result is
// `computed`: X < succ(computed) in every rounding direction (X is within one gap of `computed`).
inline double up(double computed) { return succ(computed); }

// ulp(f) = succ(|f|) - |f|: the gap above |f|, computed exactly (Sterbenz). For the computed result f of
// one operation with exact result X, |X - f| <= ulp(f) in every rounding direction. +inf for |f| = DBL_MAX
// (an overflow rounded down) and for non-finite f.
inline double ulp(double f) {
    const double a = std::fabs(f);
    if (!(a < max_finite)) return inf;
    return succ(a) - a;
}

// Upper bounds of a + b and a * b for nonnegative doubles a, b (one operation each, then succ).
inline double add_up(double a, double b) { return up(a + b); }
inline double mul_up(double a, double b) { return up(a * b); }

// True when the floating-point environment is the one the model describes: on x86-64, MXCSR without
// flush-to-zero and denormals-are-zero (which some libraries built with -ffast-math set). The rounding
// direction is not checked: every bound holds in every direction.
bool ieee_environment();

}  // namespace nncert::kernel::ball_rounding
