// Magnitude bounds: a number type whose value m >= 0 stands for "some real x with |x| <= m". Running the
// generic forward-over-reverse code on Dual<Mag> bounds |H| |v| entrywise (docs/certificates.md).
#pragma once

#include "kernel/ball/ball.hpp"

namespace nncert::kernel {

// Every operation maps magnitudes to a magnitude of the result, rounded up: |x + y|, |x - y| <= a + b and
// |x y| <= a b. So a computation that is a sum of products of its inputs, run on Mag, yields an upper bound of
// the same computation with every term replaced by its absolute value (no cancellation is credited).
struct Mag {
    double v = 0;

    Mag() = default;
    Mag(const Rational& q);  // an upper bound of |q| (implicit, like Ball and Interval: Num(rational))
    static Mag of(double m) { Mag r; r.v = m; return r; }
    static Mag of(const Ball& b);  // |mid| + rad, rounded up (+inf for the whole line)

    Mag& operator+=(const Mag& o) { v = ball_rounding::add_up(v, o.v); return *this; }
    Mag& operator-=(const Mag& o) { v = ball_rounding::add_up(v, o.v); return *this; }
};

inline Mag operator+(Mag a, const Mag& b) { return a += b; }
inline Mag operator-(Mag a, const Mag& b) { return a += b; }
inline Mag operator-(const Mag& a) { return a; }
inline Mag operator*(const Mag& a, const Mag& b) {
    if (a.v == 0 || b.v == 0) return Mag();  // an exact zero factor
    return Mag::of(ball_rounding::mul_up(a.v, b.v));
}
inline bool known_zero(const Mag& x) { return x.v == 0; }

// An upper bound of |f^(order)(x)| over every x with |x| <= z (any order for identity, the kinked units off
// their kink, poly; orders 0..4 for sigmoid, tanh, softplus, from bounds over the whole line).
Mag activate(const Activation& a, const Mag& z, int order);

}  // namespace nncert::kernel
