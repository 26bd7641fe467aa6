// Rigorous inf-sup intervals in binary64: [lo, hi] with double ends, infinite ends allowed. The box engine's third
// number type, beside MPFI's Interval and the Ball: it has the Interval's tightness (the hull of the corner values,
// half-lines included) at the Ball's speed. Assumes only the rounding model of rounding.hpp (any IEEE direction,
// FMA or not): every end is computed however the hardware rounds and then moved one double outward.
#pragma once

#include "kernel/ball/rounding.hpp"
#include "kernel/model.hpp"
#include "kernel/number.hpp"

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>

static_assert(FLT_EVAL_METHOD == 0, "binary64 intervals assume double operations are evaluated in double");

namespace nncert::kernel {

class Interval;

namespace dinterval_rounding {

// The next double below x (-inf stays -inf; +inf gives DBL_MAX: an overflow to +inf came from an exact value
// above DBL_MAX; either zero gives -denorm_min). Bit arithmetic: no rounding mode touches it.
inline double down(double x) {
    if (x != x || x == -ball_rounding::inf) return x;
    if (x == 0) return -std::numeric_limits<double>::denorm_min();
    if (x == ball_rounding::inf) return ball_rounding::max_finite;
    std::uint64_t b;
    std::memcpy(&b, &x, sizeof b);
    if (x > 0)
        b -= 1;  // positive: the previous bit pattern is the previous double
    else
        b += 1;  // negative: the next bit pattern is the next double of larger magnitude (-DBL_MAX gives -inf)
    std::memcpy(&x, &b, sizeof b);
    return x;
}
// The next double above x (+inf stays +inf; -inf gives -DBL_MAX).
inline double up(double x) { return -down(-x); }

// The number of significant bits of a normal double x != 0 (its odd integer significand's), 64 for 0, subnormals and
// non-finite x (never "short").
inline int significant_bits(double x) {
    std::uint64_t b;
    std::memcpy(&b, &x, sizeof b);
    const std::uint64_t exponent = (b >> 52) & 0x7ff;
    if (exponent == 0 || exponent == 0x7ff) return 64;
    const std::uint64_t significand = (b & ((std::uint64_t(1) << 52) - 1)) | (std::uint64_t(1) << 52);
    return 53 - __builtin_ctzll(significand);
}

// p = fl(x y) for doubles x, y, and p is certainly the exact product: x = X 2^a, y = Y 2^b with odd integers X, Y of at
// most 53 bits together, so X Y has at most 53 bits, and DBL_MIN < |p| < DBL_MAX, so the exact product lies in the
// normal range (rounding is monotone: an exact product at most DBL_MIN in magnitude rounds to at most DBL_MIN, one at
// least DBL_MAX to at least DBL_MAX): a double, which every rounding direction returns unchanged.
[[gnu::always_inline]] inline bool exact_product(double x, double y, double p) {
    // A quick "no" first (declining is always sound): when both stored significands have a 1 among their low 27 bits,
    // each has at least 27 significant bits, 54 together. Most ends of computed quantities fail here.
    std::uint64_t ux, uy;
    std::memcpy(&ux, &x, sizeof ux);
    std::memcpy(&uy, &y, sizeof uy);
    constexpr std::uint64_t low27 = (std::uint64_t(1) << 27) - 1;
    if ((ux & low27) != 0 && (uy & low27) != 0) return false;
    const int bx = significant_bits(x);  // data and long ends (53 bits) fail here, before the second count
    if (bx >= 53) return false;
    const double a = std::fabs(p);
    return a > DBL_MIN && a < DBL_MAX && bx + significant_bits(y) <= 53;
}

}  // namespace dinterval_rounding

// A closed interval [lo, hi] of reals with double ends (lo <= hi; lo may be -inf, hi +inf, meaning the range is
// unbounded on that side), guaranteed to contain the quantity it stands for. Models the generic number concept of
// autodiff.hpp and hessian_impl.hpp (Num(), Num(Rational), + - *, known_zero, activate, sqr). A NaN anywhere makes
// it the whole line. The exact zero [0, 0] times anything is the exact zero (0 times any real), as in MPFI.
class DInterval {
public:
    DInterval() = default;           // the exact point 0
    DInterval(const Rational& q);    // the tightest interval of doubles around q (implicit, like Interval's)
    static DInterval whole() { return DInterval(-ball_rounding::inf, ball_rounding::inf); }
    // [lo, hi] as given: the caller vouches that it contains the quantity (NaN or lo > hi: the whole line).
    static DInterval from_ends(double lo, double hi) {
        if (!(lo <= hi)) return whole();
        return DInterval(lo, hi);
    }
    // The MPFI interval rounded outward to doubles (ends beyond the double range become infinite or +-DBL_MAX,
    // outward; NaN gives the whole line).
    static DInterval from_interval(const Interval& x);

    double lo() const { return lo_; }
    double hi() const { return hi_; }
    bool is_bounded() const { return std::isfinite(lo_) && std::isfinite(hi_); }

    DInterval& operator+=(const DInterval& o);
    DInterval& operator-=(const DInterval& o);
    DInterval& operator*=(const DInterval& o);
    friend DInterval operator-(const DInterval& a) { return DInterval(-a.hi_, -a.lo_); }

private:
    DInterval(double lo, double hi) : lo_(lo), hi_(hi) {}
    friend DInterval add_intervals(const DInterval& a, const DInterval& b);
    friend DInterval mul_intervals(const DInterval& a, const DInterval& b);
    friend DInterval sqr(const DInterval& x);
    double lo_ = 0, hi_ = 0;
};

// The MPFI interval [lo, hi] at the current PrecisionScope, each end rounded outward (exact at 53 bits or more).
Interval to_interval(const DInterval& x);

inline bool known_zero(const DInterval& x) { return x.lo() == 0 && x.hi() == 0; }

// a + b: [down(fl(a.lo + b.lo)), up(fl(a.hi + b.hi))], except that an end plus an end 0 is the other end exactly
// (x + 0 = x in every rounding direction): so sums of nonnegative terms keep the lower end 0 (a loss >= 0 stays
// certainly >= 0, as in MPFI), and an exact zero operand returns the other exactly; and that an end sum computed as 0
// is the exact 0 (the exact sum of two doubles is a multiple of 2^-1074, so a nonzero one has magnitude at least
// 2^-1074 and no rounding direction takes it to 0): x - x stays 0, as in MPFI, which a ray chart's inner sum needs
// (an upper end 0 times an unbounded scale is 0, a step above it +inf).
inline DInterval add_intervals(const DInterval& a, const DInterval& b) {
    if (known_zero(b)) return a;
    if (known_zero(a)) return b;
    const auto lo_sum = [](double x, double y) {
        const double s = x + y;
        return s == 0 ? 0.0 : dinterval_rounding::down(s);
    };
    const auto hi_sum = [](double x, double y) {
        const double s = x + y;
        return s == 0 ? 0.0 : dinterval_rounding::up(s);
    };
    const double lo = a.lo_ == 0 ? b.lo_ : b.lo_ == 0 ? a.lo_ : lo_sum(a.lo_, b.lo_);
    const double hi = a.hi_ == 0 ? b.hi_ : b.hi_ == 0 ? a.hi_ : hi_sum(a.hi_, b.hi_);
    return DInterval::from_ends(lo, hi);
}

// One end of a product: x y, kept where certainly exact (the exact 0 for a zero factor, also against an infinite
// end; exact_product), else moved one double outward (down for a lower end, up for an upper end).
[[gnu::always_inline]] inline double product_end(double x, double y, bool lower) {
    if (x == 0 || y == 0) return 0.0;
    const double p = x * y;
    if (dinterval_rounding::exact_product(x, y, p)) return p;
    return lower ? dinterval_rounding::down(p) : dinterval_rounding::up(p);
}

// a * b: the least and greatest of the four corner products, each moved one double outward unless certainly exact
// (exact_product: short significands, as for data and box ends such as 1, 0.5, 23.4453125), a corner with a zero
// factor being the exact 0 (0 times any real, also at an infinite end of the other factor). Unless both factors
// contain 0 inside, the signs of the ends say which corner is least and which greatest (the classic case table), and
// each end comes from that one corner (exact, or moved outward from the computed product: at least as tight as the
// hull of all four, and as sound); two points take one product.
inline DInterval mul_intervals(const DInterval& a, const DInterval& b) {
    if (known_zero(a) || known_zero(b)) return DInterval();
    if (a.lo_ == a.hi_ && b.lo_ == b.hi_) {  // two points (neither 0)
        const double p = a.lo_ * b.lo_;
        if (dinterval_rounding::exact_product(a.lo_, b.lo_, p)) return DInterval(p, p);
        return DInterval::from_ends(dinterval_rounding::down(p), dinterval_rounding::up(p));
    }
    const auto ends = [](double x_lo, double y_lo, double x_hi, double y_hi) {
        return DInterval::from_ends(product_end(x_lo, y_lo, true), product_end(x_hi, y_hi, false));
    };
    if (a.lo_ >= 0) {                                          // a >= 0
        if (b.lo_ >= 0) return ends(a.lo_, b.lo_, a.hi_, b.hi_);  // b >= 0
        if (b.hi_ <= 0) return ends(a.hi_, b.lo_, a.lo_, b.hi_);  // b <= 0
        return ends(a.hi_, b.lo_, a.hi_, b.hi_);                  // b contains 0 inside
    }
    if (a.hi_ <= 0) {  // a <= 0
        if (b.lo_ >= 0) return ends(a.lo_, b.hi_, a.hi_, b.lo_);
        if (b.hi_ <= 0) return ends(a.hi_, b.hi_, a.lo_, b.lo_);
        return ends(a.lo_, b.hi_, a.lo_, b.lo_);
    }
    if (b.lo_ >= 0) return ends(a.lo_, b.hi_, a.hi_, b.hi_);  // a contains 0 inside
    if (b.hi_ <= 0) return ends(a.hi_, b.lo_, a.lo_, b.lo_);
    // Both contain 0 inside (or a NaN end): the hull of the four corners.
    const double xs[4] = {a.lo_, a.lo_, a.hi_, a.hi_}, ys[4] = {b.lo_, b.hi_, b.lo_, b.hi_};
    double p[4];
    double lo = ball_rounding::inf, hi = -ball_rounding::inf;
    for (int k = 0; k < 4; ++k) {
        // The exact 0 for a zero factor; else a neighbour of the exact product (exact when infinite). A NaN corner
        // (only from NaN ends) is skipped by the comparisons, as before.
        p[k] = (xs[k] == 0 || ys[k] == 0) ? 0.0 : xs[k] * ys[k];
        lo = p[k] < lo ? p[k] : lo;
        hi = p[k] > hi ? p[k] : hi;
    }
    // Each extreme stays where every corner taking it is exact (a zero factor, or exact_product), else moves one double
    // outward: a corner above the least by at least one double, moved down, is still >= it (and mirrored for the
    // greatest), so testing only the corners at the extremes gives the same ends as testing all four.
    bool lo_exact = true, hi_exact = true;
    for (int k = 0; k < 4; ++k) {
        if (p[k] != lo && p[k] != hi) continue;
        const bool exact = xs[k] == 0 || ys[k] == 0 || dinterval_rounding::exact_product(xs[k], ys[k], p[k]);
        if (p[k] == lo && !exact) lo_exact = false;
        if (p[k] == hi && !exact) hi_exact = false;
    }
    return DInterval::from_ends(lo_exact ? lo : dinterval_rounding::down(lo), hi_exact ? hi : dinterval_rounding::up(hi));
}

inline DInterval& DInterval::operator+=(const DInterval& o) { return *this = add_intervals(*this, o); }
inline DInterval& DInterval::operator-=(const DInterval& o) { return *this = add_intervals(*this, -o); }
inline DInterval& DInterval::operator*=(const DInterval& o) { return *this = mul_intervals(*this, o); }
inline DInterval operator+(const DInterval& a, const DInterval& b) { return add_intervals(a, b); }
inline DInterval operator-(const DInterval& a, const DInterval& b) { return add_intervals(a, -b); }
inline DInterval operator*(const DInterval& a, const DInterval& b) { return mul_intervals(a, b); }

// 2x, exactly: doubling a double is exact whenever the result is finite (the exponent grows by one, subnormals
// included), so ends with |end| <= DBL_MAX / 2 (an exact double) and infinite ends are doubled as they are, in every
// rounding direction; any other end goes through the product with the point 2 (outward).
inline DInterval doubled(const DInterval& x) {
    constexpr double half_max = ball_rounding::max_finite / 2;
    const auto safe = [](double e) { return std::fabs(e) <= half_max || std::isinf(e); };
    if (safe(x.lo()) && safe(x.hi())) return DInterval::from_ends(2 * x.lo(), 2 * x.hi());
    return DInterval::from_ends(2, 2) * x;
}

// The one-variable square: [0, max] when x contains 0 (never negative), else the squares of the ends.
inline DInterval sqr(const DInterval& x) {
    const double a = std::fabs(x.lo_), b = std::fabs(x.hi_);
    const double small = (x.lo_ <= 0 && x.hi_ >= 0) ? 0.0 : std::fmin(a, b), big = std::fmax(a, b);
    const double lo = small == 0 ? 0.0 : std::fmax(0.0, dinterval_rounding::down(small * small));
    const double hi = big == 0 ? 0.0 : dinterval_rounding::up(big * big);
    return DInterval::from_ends(lo, hi);
}

// The order-th derivative of the activation over z. sigmoid and tanh (orders 0..2) and softplus (orders 1..2: sigmoid
// one order down) from the ball engine's binary64 enclosures at z's ends and the extrema between them
// (ball/elementary.hpp, derivative_range); every other case (a finite end beyond the unsaturated range, other
// activations, softplus's value, a floating-point environment outside the model) through the MPFI enclosure of
// interval/activation.cpp at the current precision, rounded outward. relu kinks throw KinkStraddled as for MPFI.
DInterval activate(const Activation& a, const DInterval& z, int order);

// sigmoid or tanh (kind) over every real of the MPFI interval z, as an MPFI interval at the current precision whose
// ends keep a saturated unit's complement to relative accuracy: an end at t >= 0 is 1 - c (sigmoid: c = e^-t / (1 +
// e^-t); tanh: c = 2 e^-2t / (1 + e^-2t)), one at t < 0 is c (sigmoid) or c - 1 (tanh) with c of |t|; c is enclosed in
// binary64 to a few 2^-53 of itself (t split into its nearest double and the exact rest) times an exact power of two
// (no underflow below |t| = 2^20; beyond, c <= 2^-1500000), and the end is rounded outward at the working precision
// (docs/certificates.md, "Saturated outputs with their complements"). The same digits as MPFI's own sigmoid and tanh
// without an MPFR exponential. For the output-layer reduction's hidden outputs (interval/ray_chart.cpp). Nothing for
// another kind, a NaN end, an empty z (lo = +inf or hi = -inf), or a floating-point environment outside the model.
std::optional<Interval> activate_keeping_complement(ActivationKind kind, const Interval& z);


}  // namespace nncert::kernel
