// Univariate polynomials with exact rational coefficients, and what real root isolation needs of them:
// Euclidean division, gcd, square-free part, Sturm sequences and their sign variations (Sturm's theorem).
#pragma once

#include "kernel/number.hpp"

#include <cstddef>
#include <vector>

namespace nncert::kernel {

struct Polynomial {
    Vector c;  // c[k] is the coefficient of t^k; no trailing zeros (the zero polynomial has none)

    Polynomial() = default;
    Polynomial(const Rational& q);               // the constant q
    explicit Polynomial(Vector coefficients);    // trims trailing zeros
    static Polynomial monomial(const Rational& a, std::size_t k);  // a t^k
    static Polynomial linear(const Rational& a0, const Rational& a1);  // a0 + a1 t

    bool is_zero() const { return c.empty(); }
    bool is_constant() const { return c.size() <= 1; }
    int degree() const { return static_cast<int>(c.size()) - 1; }  // -1 for the zero polynomial
    const Rational& leading() const { return c.back(); }            // precondition: not zero
    Rational at(std::size_t k) const { return k < c.size() ? c[k] : Rational(0); }

    Rational operator()(const Rational& t) const;  // Horner, exact
    int sign_at(const Rational& t) const;          // -1, 0 or 1
    Polynomial derivative() const;
    void trim();

    Polynomial& operator+=(const Polynomial& o);
    Polynomial& operator-=(const Polynomial& o);
    friend bool operator==(const Polynomial&, const Polynomial&) = default;
};

Polynomial operator+(Polynomial a, const Polynomial& b);
Polynomial operator-(Polynomial a, const Polynomial& b);
Polynomial operator-(const Polynomial& a);
Polynomial operator*(const Polynomial& a, const Polynomial& b);

// a = q b + r with deg r < deg b. Throws std::domain_error when b is zero.
void divide(const Polynomial& a, const Polynomial& b, Polynomial& q, Polynomial& r);
// The monic greatest common divisor (zero when both are zero).
Polynomial gcd(Polynomial a, Polynomial b);
// p / gcd(p, p'), monic: the same real roots, each simple. Zero for the zero polynomial.
Polynomial square_free(const Polynomial& p);

// The Sturm sequence of a square-free p: p0 = p, p1 = p', p_{k+1} = -rem(p_{k-1}, p_k), to the last nonzero.
std::vector<Polynomial> sturm_sequence(const Polynomial& p);
// Sign variations of the sequence at t (zeros skipped).
int sign_variations(const std::vector<Polynomial>& sturm, const Rational& t);
// Sturm's theorem: for square-free p and a < b with p(a) != 0 != p(b), the number of distinct real roots of
// p in (a, b) is V(a) - V(b).
int count_roots(const std::vector<Polynomial>& sturm, const Rational& a, const Rational& b);

}  // namespace nncert::kernel
