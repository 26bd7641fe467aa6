// Exact polynomial arithmetic over the rationals (GMP). Sizes stay small (a loss along a segment has
// degree at most twice the depth times the polynomial activations' degrees), so schoolbook algorithms do.
#include "kernel/segment/polynomial.hpp"

#include "kernel/limits.hpp"

#include <stdexcept>
#include <utility>

namespace nncert::kernel {

Polynomial::Polynomial(const Rational& q) {
    if (q.sign() != 0) c.push_back(q);
}

Polynomial::Polynomial(Vector coefficients) : c(std::move(coefficients)) { trim(); }

Polynomial Polynomial::monomial(const Rational& a, std::size_t k) {
    Polynomial p;
    if (a.sign() == 0) return p;
    p.c.assign(k + 1, Rational(0));
    p.c[k] = a;
    return p;
}

Polynomial Polynomial::linear(const Rational& a0, const Rational& a1) { return Polynomial(Vector{a0, a1}); }

void Polynomial::trim() {
    while (!c.empty() && c.back().sign() == 0) c.pop_back();
}

Rational Polynomial::operator()(const Rational& t) const {
    Rational acc = 0;
    for (std::size_t k = c.size(); k-- > 0;) acc = acc * t + c[k];
    return acc;
}

int Polynomial::sign_at(const Rational& t) const { return (*this)(t).sign(); }

Polynomial Polynomial::derivative() const {
    Polynomial d;
    for (std::size_t k = 1; k < c.size(); ++k) d.c.push_back(c[k] * static_cast<long long>(k));
    d.trim();
    return d;
}

Polynomial& Polynomial::operator+=(const Polynomial& o) {
    if (o.c.size() > c.size()) c.resize(o.c.size());
    for (std::size_t k = 0; k < o.c.size(); ++k) c[k] += o.c[k];
    trim();
    return *this;
}

Polynomial& Polynomial::operator-=(const Polynomial& o) {
    if (o.c.size() > c.size()) c.resize(o.c.size());
    for (std::size_t k = 0; k < o.c.size(); ++k) c[k] -= o.c[k];
    trim();
    return *this;
}

Polynomial operator+(Polynomial a, const Polynomial& b) { return a += b; }
Polynomial operator-(Polynomial a, const Polynomial& b) { return a -= b; }
Polynomial operator-(const Polynomial& a) {
    Polynomial r = a;
    for (Rational& q : r.c) q = -q;
    return r;
}

Polynomial operator*(const Polynomial& a, const Polynomial& b) {
    Polynomial r;
    if (a.is_zero() || b.is_zero()) return r;
    r.c.assign(a.c.size() + b.c.size() - 1, Rational(0));
    for (std::size_t i = 0; i < a.c.size(); ++i) {
        if (a.c[i].sign() == 0) continue;
        for (std::size_t j = 0; j < b.c.size(); ++j) r.c[i + j] += a.c[i] * b.c[j];
    }
    r.trim();
    return r;
}

void divide(const Polynomial& a, const Polynomial& b, Polynomial& q, Polynomial& r) {
    if (b.is_zero()) throw std::domain_error("polynomial division by zero");
    q = Polynomial();
    r = a;
    const int db = b.degree();
    if (r.degree() < db) return;
    q.c.assign(static_cast<std::size_t>(r.degree() - db + 1), Rational(0));
    while (!r.is_zero() && r.degree() >= db) {
        const std::size_t shift = static_cast<std::size_t>(r.degree() - db);
        const Rational f = r.leading() / b.leading();
        q.c[shift] = f;
        for (std::size_t k = 0; k < b.c.size(); ++k) r.c[shift + k] -= f * b.c[k];
        r.c.pop_back();  // the leading term cancels exactly
        r.trim();
    }
    q.trim();
}

namespace {

// Divides p by |leading coefficient| (a positive scalar: gcds and Sturm sign counts do not change), so the
// Euclidean remainders over Q stay polynomially sized instead of doubling their bits at every step (review
// 8-3, finding 3: a 4-layer poly tower ran to the time limit here), and enforces max-number-bits on them.
void normalise(Polynomial& p, const char* where) {
    if (p.is_zero()) return;
    Rational lead = p.leading();
    if (lead.sign() < 0) lead = -lead;
    std::size_t bits = 0;
    for (Rational& x : p.c) {
        x /= lead;
        bits = std::max(bits, bit_size(x));
    }
    require_number_bits(bits, where);
}

}  // namespace

Polynomial gcd(Polynomial a, Polynomial b) {
    normalise(a, "a polynomial gcd");
    normalise(b, "a polynomial gcd");
    while (!b.is_zero()) {
        Polynomial q, r;
        divide(a, b, q, r);
        normalise(r, "a polynomial gcd");
        a = std::move(b);
        b = std::move(r);
    }
    if (a.is_zero()) return a;
    const Rational lead = a.leading();
    for (Rational& x : a.c) x /= lead;
    return a;
}

Polynomial square_free(const Polynomial& p) {
    if (p.is_zero()) return p;
    if (p.is_constant()) return Polynomial(Rational(1));
    Polynomial g = gcd(p, p.derivative()), q, r;
    divide(p, g, q, r);
    const Rational lead = q.leading();
    for (Rational& x : q.c) x /= lead;
    return q;
}

std::vector<Polynomial> sturm_sequence(const Polynomial& p) {
    std::vector<Polynomial> s;
    if (p.is_zero()) return s;
    s.push_back(p);
    Polynomial d = p.derivative();
    while (!d.is_zero()) {
        s.push_back(d);
        Polynomial q, r;
        divide(s[s.size() - 2], s.back(), q, r);
        d = -r;
        normalise(d, "a Sturm sequence");  // a positive multiple of -r: the same sign variations
    }
    return s;
}

int sign_variations(const std::vector<Polynomial>& sturm, const Rational& t) {
    int changes = 0, last = 0;
    for (const Polynomial& p : sturm) {
        const int s = p.sign_at(t);
        if (s == 0) continue;
        if (last != 0 && s != last) ++changes;
        last = s;
    }
    return changes;
}

int count_roots(const std::vector<Polynomial>& sturm, const Rational& a, const Rational& b) {
    if (!(a < b)) return 0;
    return sign_variations(sturm, a) - sign_variations(sturm, b);
}

}  // namespace nncert::kernel
