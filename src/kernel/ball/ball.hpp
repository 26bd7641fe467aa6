// Rigorous midpoint-radius arithmetic in binary64: the fast number type of the box engine, beside the
// MPFI Interval. Assumes only the rounding model of rounding.hpp (any IEEE direction, FMA or not).
#pragma once

#include "kernel/ball/rounding.hpp"
#include "kernel/model.hpp"
#include "kernel/number.hpp"

#include <cfloat>
#include <cmath>

static_assert(FLT_EVAL_METHOD == 0, "the ball engine assumes double operations are evaluated in double");

namespace nncert::kernel {

class Interval;

// A ball <mid, rad> = [mid - rad, mid + rad], mid and rad doubles, rad >= 0, guaranteed to contain the real
// quantity it stands for. Models the generic number concept of autodiff.hpp, dual.hpp and hessian_impl.hpp
// (Num(), Num(Rational), + - *, known_zero, activate) like kernel::Interval, and its predicates are named by
// certainty, with the same meaning. A non-finite mid or rad (overflow, inf, NaN anywhere) makes the ball the
// whole line ("anything"): every "certainly" predicate is then false, so it can only lead to INCONCLUSIVE.
// Every operation rounds its midpoint however the hardware does and adds a bound of that rounding error to
// the radius computed with succ() (rounding.hpp), so no result depends on the rounding direction.
class Ball {
public:
    Ball() = default;  // the exact point 0
    Ball(const Rational& q);  // tightest ball around q (implicit on purpose, like Interval: Num(rational))
    // <mid, rad> as given (rad >= 0): the caller vouches that it contains the quantity.
    static Ball from_parts(double mid, double rad);
    static Ball whole();  // the whole line
    // The ball [lo, hi] of two exact rationals, rounded outward (lo <= hi).
    static Ball hull(const Rational& lo, const Rational& hi);
    // The enclosure of an MPFI interval, rounded outward (whole line if it is unbounded or NaN).
    static Ball from_interval(const Interval& x);

    double mid() const { return mid_; }
    double rad() const { return rad_; }
    bool is_finite() const { return std::isfinite(mid_) && rad_ <= ball_rounding::max_finite; }
    // Exact rational ends mid -+ rad; throw std::domain_error when the ball is the whole line.
    Rational lower() const;
    Rational upper() const;

    Ball& operator+=(const Ball& o);
    Ball& operator-=(const Ball& o);
    Ball& operator*=(const Ball& o);

private:
    Ball(double m, double r) : mid_(m), rad_(r) {}
    friend Ball add_balls(const Ball& a, const Ball& b, bool subtract);
    friend Ball mul_balls(const Ball& a, const Ball& b);
    double mid_ = 0, rad_ = 0;
};

// The outward-rounded MPFI interval [mid - rad, mid + rad] at the current PrecisionScope (>= 53 bits
// recommended): exact when the precision is at least 64 bits... and never narrower than the ball.
Interval to_interval(const Ball& b);

inline Ball Ball::from_parts(double mid, double rad) {
    if (!std::isfinite(mid) || !(rad >= 0) || !(rad <= ball_rounding::max_finite)) return whole();
    return Ball(mid, rad);
}
inline Ball Ball::whole() { return Ball(0, ball_rounding::inf); }

inline bool known_zero(const Ball& x) { return x.mid() == 0 && x.rad() == 0; }

// a + b (or a - b): mid rounded, radius ra + rb + ulp(mid), each step bounded above with succ.
inline Ball add_balls(const Ball& a, const Ball& b, bool subtract) {
    using namespace ball_rounding;
    if (known_zero(b)) return a;
    if (known_zero(a)) return subtract ? Ball(-b.mid_, b.rad_) : b;
    const double m = subtract ? a.mid_ - b.mid_ : a.mid_ + b.mid_;
    const double r = add_up(add_up(a.rad_, b.rad_), ulp(m));
    if (!std::isfinite(m) || !(r <= max_finite)) return Ball::whole();
    return Ball(m, r);
}

// a * b: |xy - ma mb| <= |ma| rb + ra (|mb| + rb) for x in a, y in b; plus ulp(mid) for rounding the mid.
// An exact zero factor gives the exact zero (0 * anything = 0, also for the whole line: every real x).
inline Ball mul_balls(const Ball& a, const Ball& b) {
    using namespace ball_rounding;
    if (known_zero(a) || known_zero(b)) return Ball();
    const double m = a.mid_ * b.mid_;
    double r = ulp(m);
    if (b.rad_ != 0) r = add_up(r, mul_up(std::fabs(a.mid_), b.rad_));
    if (a.rad_ != 0) r = add_up(r, mul_up(a.rad_, add_up(std::fabs(b.mid_), b.rad_)));
    if (!std::isfinite(m) || !(r <= max_finite)) return Ball::whole();
    return Ball(m, r);
}

inline Ball& Ball::operator+=(const Ball& o) { return *this = add_balls(*this, o, false); }
inline Ball& Ball::operator-=(const Ball& o) { return *this = add_balls(*this, o, true); }
inline Ball& Ball::operator*=(const Ball& o) { return *this = mul_balls(*this, o); }
inline Ball operator+(const Ball& a, const Ball& b) { return add_balls(a, b, false); }
inline Ball operator-(const Ball& a, const Ball& b) { return add_balls(a, b, true); }
inline Ball operator*(const Ball& a, const Ball& b) { return mul_balls(a, b); }
inline Ball operator-(const Ball& a) { return Ball::from_parts(-a.mid(), a.rad()); }

// Enclosures of exp, log1p and division (via MPFI at 64 bits, outward rounded): for the softmax
// cross-entropy (TranscendentalOps). a / b is the whole line when b may contain 0.
Ball exp(const Ball& x);
Ball log1p(const Ball& x);
Ball operator/(const Ball& a, const Ball& b);
Ball hull(const Ball& a, const Ball& b);

// The order-th derivative (0, 1, 2; any order for identity, poly and the kinked units off their kink; up to 3
// for sigmoid, tanh, softplus) of the activation at every point of z. relu/leaky_relu derivatives over a
// ball containing 0 throw KinkStraddled (interval/activation.hpp), exactly as for Interval. Smooth units:
// for a narrow ball (rad <= 2^-30) the value at mid comes from elementary.hpp (tanh, sigmoid: table and Taylor
// polynomial in balls) or MPFR (softplus's value) and is widened by rad times a bound of the next derivative
// over the whole line; wider balls go through the MPFI enclosures of interval/activation.cpp. libm is never used.
Ball activate(const Activation& a, const Ball& z, int order);

// sigmoid(z) or tanh(z) (k; softplus and the rest are refused with std::invalid_argument) at the exact double z, as
// ball_elementary::sigmoid_at / tanh_at enclose it, from a per-thread memo keyed by (k, the bits of z): the same
// deterministic ball either way. The forward passes and the one-layer searches (one_layer_binary64.cpp) meet the same
// ends again and again (a box's parts share the ends of the side a split leaves alone).
Ball activation_value_at(ActivationKind k, double z);

// An upper bound of |f^(order)(x)| over the whole real line, order 0..4, for sigmoid, tanh and softplus
// (softplus: order 0 unbounded, so only orders 1..4). Throws std::logic_error otherwise.
double smooth_derivative_bound(ActivationKind k, int order);

// The exact rational value of a finite double (every finite double is a dyadic rational). Throws
// std::domain_error for inf and NaN, which GMP's mpq_set_d would turn into SIGFPE: callers test finiteness
// first and treat a non-finite bound as "undecided".
Rational exact_double(double d);

// Exact rationals derived from a finite ball: its mid, and an upper bound on max |x| (|mid| + rad).
// Both throw std::domain_error for the whole line.
Rational midpoint(const Ball& x);
Rational magnitude(const Ball& x);

// Predicates named by certainty: true only when the statement holds for every point of the ball (and never
// for the whole line). Comparisons with rationals are exact.
bool certainly_positive(const Ball& x);
bool certainly_negative(const Ball& x);
bool certainly_less(const Ball& a, const Ball& b);
bool certainly_less(const Ball& a, const Rational& q);
bool certainly_greater(const Ball& a, const Rational& q);
bool certainly_at_most(const Ball& a, const Rational& q);
bool certainly_at_least(const Ball& a, const Rational& q);
// Possibility: q lies in the closed ball (or the ball is the whole line).
bool contains(const Ball& a, const Rational& q);
bool contains_zero(const Ball& a);
bool subset_of(const Ball& a, const Rational& lo, const Rational& hi);
bool subset_of_interior(const Ball& a, const Rational& lo, const Rational& hi);
bool disjoint_from(const Ball& a, const Rational& lo, const Rational& hi);

// Balls enclose exp, log1p and division: the softmax cross-entropy may be evaluated on them.
template <>
struct TranscendentalOps<Ball> : std::true_type {};

}  // namespace nncert::kernel
