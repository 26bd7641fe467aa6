// Real root isolation by Sturm sequences and bisection, all in exact rationals (see real_root.hpp).
// Invariant of an isolating interval (lo, hi) of square-free p: p(lo) != 0, p(hi) != 0, one root between,
// so p changes sign there and bisection keeps the half where it does.
#include "kernel/segment/real_root.hpp"

#include <algorithm>
#include <stdexcept>

namespace nncert::kernel {

namespace {

// p / (t - m) for a rational root m of p (the division is exact).
Polynomial divide_out(const Polynomial& p, const Rational& m) {
    Polynomial q, r;
    divide(p, Polynomial::linear(-m, 1), q, r);
    if (!r.is_zero()) throw std::logic_error("divide_out: not a root");
    return q;
}

// Roots of square-free q in (a, b), q(a) != 0 != q(b), appended in ascending order.
void isolate(const Polynomial& q, const std::vector<Polynomial>& sturm, const Rational& a, const Rational& b,
             std::vector<RealRoot>& out) {
    const int n = count_roots(sturm, a, b);
    if (n == 0) return;
    if (n == 1) {
        out.push_back(RealRoot::isolated(q, a, b));
        return;
    }
    const Rational m = (a + b) / 2;
    if (q.sign_at(m) == 0) {
        const Polynomial q2 = divide_out(q, m);
        const std::vector<Polynomial> s2 = sturm_sequence(q2);
        isolate(q2, s2, a, m, out);
        out.push_back(RealRoot::rational(m));
        isolate(q2, s2, m, b, out);
    } else {
        isolate(q, sturm, a, m, out);
        isolate(q, sturm, m, b, out);
    }
}

// Certainly x < y from the bounds alone (an irrational number lies strictly inside its bounds).
bool certainly_below(const RealRoot& x, const RealRoot& y) {
    if (x.upper() < y.lower()) return true;
    return x.upper() == y.lower() && !(x.is_rational() && y.is_rational());
}

}  // namespace

RealRoot RealRoot::rational(const Rational& q) {
    RealRoot r;
    r.rational_ = true;
    r.lo_ = r.hi_ = q;
    r.p_ = Polynomial::linear(-q, 1);
    return r;
}

RealRoot RealRoot::isolated(Polynomial p, const Rational& lo, const Rational& hi) {
    if (p.degree() == 1) {  // a linear factor's root is rational: keep it exact
        const Rational r = -p.c[0] / p.c[1];
        if (!(lo < r && r < hi)) throw std::logic_error("RealRoot::isolated: the root is not in the interval");
        return rational(r);
    }
    const int slo = p.sign_at(lo), shi = p.sign_at(hi);
    if (!(lo < hi) || slo == 0 || shi == 0 || slo == shi || count_roots(sturm_sequence(p), lo, hi) != 1)
        throw std::logic_error("RealRoot::isolated: not an isolating interval");
    RealRoot r;
    r.rational_ = false;
    r.lo_ = lo;
    r.hi_ = hi;
    r.p_ = std::move(p);
    r.sign_lo_ = slo;
    return r;
}

void RealRoot::refine() {
    if (rational_) return;
    const Rational m = (lo_ + hi_) / 2;
    const int s = p_.sign_at(m);
    if (s == 0) {
        *this = rational(m);
    } else if (s == sign_lo_) {
        lo_ = m;
    } else {
        hi_ = m;
    }
}

void RealRoot::refine_to(const Rational& width) {
    if (width.sign() <= 0) throw std::invalid_argument("refine_to: width must be > 0");
    while (hi_ - lo_ > width) refine();
}

std::vector<RealRoot> roots_between(const Polynomial& p, const Rational& a, const Rational& b) {
    if (p.is_zero()) throw std::domain_error("roots_between: the zero polynomial");
    std::vector<RealRoot> out;
    if (!(a < b)) return out;
    // A linear polynomial (every first-layer pre-activation along a segment) has the one rational root
    // -c0/c1: no Sturm sequence needed.
    if (p.degree() == 1) {
        const Rational r = -p.c[0] / p.c[1];
        if (a < r && r < b) out.push_back(RealRoot::rational(r));
        return out;
    }
    Polynomial q = square_free(p);
    if (q.is_constant()) return out;
    if (q.sign_at(a) == 0) q = divide_out(q, a);
    if (q.sign_at(b) == 0) q = divide_out(q, b);
    if (q.is_constant()) return out;
    isolate(q, sturm_sequence(q), a, b, out);
    return out;
}

std::vector<RealRoot> roots_between(const Polynomial& p, RealRoot x, RealRoot y) {
    std::vector<RealRoot> out;
    for (RealRoot& r : roots_between(p, x.lower(), y.upper()))
        if (compare(r, x) > 0 && compare(r, y) < 0) out.push_back(std::move(r));
    return out;
}

int compare(RealRoot x, RealRoot y) {
    if (x.is_rational() && y.is_rational()) return x.lower() < y.lower() ? -1 : (y.lower() < x.lower() ? 1 : 0);
    // Equality first (bisection alone would never separate equal numbers).
    if (x.is_rational() || y.is_rational()) {
        const RealRoot& q = x.is_rational() ? x : y;
        const RealRoot& a = x.is_rational() ? y : x;
        if (a.lower() < q.lower() && q.lower() < a.upper() && a.polynomial().sign_at(q.lower()) == 0) return 0;
    } else {
        const Rational lo = std::max(x.lower(), y.lower()), hi = std::min(x.upper(), y.upper());
        if (lo < hi) {
            // A common root in the overlap is x (x's only root there) and y (y's only root there). g divides
            // both polynomials, so g(lo) and g(hi) are nonzero, as Sturm's theorem needs.
            const Polynomial g = gcd(x.polynomial(), y.polynomial());
            if (g.degree() >= 1 && count_roots(sturm_sequence(g), lo, hi) >= 1) return 0;
        }
    }
    // Distinct: bisect until the bounds separate them.
    for (;;) {
        if (certainly_below(x, y)) return -1;
        if (certainly_below(y, x)) return 1;
        if (x.is_rational() && y.is_rational()) return x.lower() < y.lower() ? -1 : 1;
        x.refine();
        y.refine();
    }
}

int sign_at(const Polynomial& f, RealRoot x) {
    if (f.is_zero()) return 0;
    if (x.is_rational()) return f.sign_at(x.lower());
    const Polynomial g = gcd(f, x.polynomial());
    if (g.degree() >= 1 && count_roots(sturm_sequence(g), x.lower(), x.upper()) >= 1) return 0;
    // f(x) != 0: refine until f has no root around x, then f's sign anywhere there is f(x)'s.
    const Polynomial sf = square_free(f);
    const std::vector<Polynomial> sturm = sturm_sequence(sf);
    for (;;) {
        if (x.is_rational()) return f.sign_at(x.lower());
        if (sf.sign_at(x.lower()) != 0 && sf.sign_at(x.upper()) != 0 && count_roots(sturm, x.lower(), x.upper()) == 0)
            return f.sign_at((x.lower() + x.upper()) / 2);
        x.refine();
    }
}

Rational rational_between(RealRoot x, RealRoot y) {
    if (compare(x, y) >= 0) throw std::invalid_argument("rational_between: needs x < y");
    while (!(x.upper() < y.lower())) {
        x.refine();
        y.refine();
    }
    return (x.upper() + y.lower()) / 2;
}

}  // namespace nncert::kernel
