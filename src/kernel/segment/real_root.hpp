// Real algebraic numbers as the segment claims need them: a rational, or the one root of a square-free
// rational polynomial inside an isolating interval with rational ends. Exact comparison (gcd test for
// equality, then bisection), the sign of a polynomial at such a number, and rationals strictly between two.
// The breakpoints of a deep ReLU network's loss along a segment are of this kind (roots of pre-activations
// that are polynomials in t of degree up to the depth).
#pragma once

#include "kernel/segment/polynomial.hpp"

#include <vector>

namespace nncert::kernel {

class RealRoot {
public:
    static RealRoot rational(const Rational& q);
    // The unique root of square-free p in (lo, hi); requires lo < hi and p(lo) p(hi) < 0 with exactly one
    // root in between (checked with Sturm's theorem: std::logic_error otherwise).
    static RealRoot isolated(Polynomial p, const Rational& lo, const Rational& hi);

    bool is_rational() const { return rational_; }
    // Bounds: lower() <= x <= upper(), equal for a rational, strict (lo < x < hi) otherwise.
    const Rational& lower() const { return lo_; }
    const Rational& upper() const { return hi_; }
    // Defining polynomial: t - q for a rational, else the square-free p above.
    const Polynomial& polynomial() const { return p_; }

    // Halves the isolating interval (finds the number exactly when a midpoint is the root).
    void refine();
    // Refines until upper() - lower() <= width (width > 0).
    void refine_to(const Rational& width);

private:
    RealRoot() = default;
    bool rational_ = true;
    Rational lo_, hi_;
    Polynomial p_;
    int sign_lo_ = 0;  // sign of p at lo (irrational case)
};

// The distinct real roots of p in the open interval (a, b), sorted ascending. Throws std::domain_error for
// the zero polynomial (every t is a root).
std::vector<RealRoot> roots_between(const Polynomial& p, const Rational& a, const Rational& b);
// The same between two real algebraic numbers x < y (strictly inside: x and y themselves excluded).
std::vector<RealRoot> roots_between(const Polynomial& p, RealRoot x, RealRoot y);

// -1, 0, 1 as x < y, x == y, x > y (exact; refines copies as needed).
int compare(RealRoot x, RealRoot y);
// The sign of f at x, exactly.
int sign_at(const Polynomial& f, RealRoot x);
// A rational s with x < s < y; requires x < y.
Rational rational_between(RealRoot x, RealRoot y);

}  // namespace nncert::kernel
