// Polynomials in one variable t with exact coefficients, read on a right neighbourhood (0, t0) of 0.
// Running the generic forward pass on them gives L(P + t d) exactly as a polynomial for all small
// t > 0: each relu decides its piece by the sign of the first nonzero coefficient of its input.
#pragma once

#include "kernel/activation.hpp"

#include <algorithm>
#include <stdexcept>

namespace nncert::kernel {

struct Series {
    Vector c;  // c[k] is the coefficient of t^k; trailing zeros trimmed

    Series() = default;
    Series(const Rational& q) {
        if (!is_zero(q)) c.push_back(q);
    }
    void trim() {
        while (!c.empty() && is_zero(c.back())) c.pop_back();
    }
    Rational at(std::size_t k) const { return k < c.size() ? c[k] : Rational(0); }
    // Sign of the series for all small t > 0 (0 only when identically zero).
    int sign_near_zero() const {
        for (const Rational& q : c)
            if (!is_zero(q)) return q.sign();
        return 0;
    }
    Series& operator+=(const Series& o) {
        if (o.c.size() > c.size()) c.resize(o.c.size());
        for (std::size_t k = 0; k < o.c.size(); ++k) c[k] += o.c[k];
        trim();
        return *this;
    }
    Series& operator-=(const Series& o) {
        if (o.c.size() > c.size()) c.resize(o.c.size());
        for (std::size_t k = 0; k < o.c.size(); ++k) c[k] -= o.c[k];
        trim();
        return *this;
    }
};

inline bool known_zero(const Series& s) { return s.c.empty(); }
inline Series operator+(Series a, const Series& b) { return a += b; }
inline Series operator-(Series a, const Series& b) { return a -= b; }
inline std::size_t max_bits(const Series& s) {
    std::size_t m = 0;
    for (const Rational& q : s.c) m = std::max(m, bit_size(q));
    return m;
}

// The size guard of the forward pass along a ray (see limits.hpp): terms and coefficient bits.
inline void check_size(const Series& s) {
    if (s.c.size() > limits::max_ray_terms)
        throw LimitExceeded("max-ray-terms", "the loss along a ray would be a polynomial with more than " +
                                                 std::to_string(limits::max_ray_terms) + " terms");
    require_number_bits(max_bits(s), "a ray expansion");
}

inline Series operator*(const Series& a, const Series& b) {
    Series r;
    if (a.c.empty() || b.c.empty()) return r;
    if (a.c.size() + b.c.size() > limits::max_ray_terms + 1)
        throw LimitExceeded("max-ray-terms", "the loss along a ray would be a polynomial with more than " +
                                                 std::to_string(limits::max_ray_terms) + " terms");
    require_number_bits(max_bits(a) + max_bits(b) + 64, "a ray expansion");
    r.c.assign(a.c.size() + b.c.size() - 1, Rational(0));
    for (std::size_t i = 0; i < a.c.size(); ++i)
        for (std::size_t j = 0; j < b.c.size(); ++j) r.c[i + j] += a.c[i] * b.c[j];
    r.trim();
    return r;
}

// Only the value (order 0) is needed along a ray; each piecewise-linear unit takes the piece its input
// lies in for small t > 0.
inline Series activate(const Activation& a, const Series& z, int order) {
    if (order != 0) throw std::logic_error("Series activations: only values are needed along a ray");
    switch (a.kind) {
        case ActivationKind::identity: return z;
        case ActivationKind::relu: return z.sign_near_zero() > 0 ? z : Series();
        case ActivationKind::leaky_relu: return z.sign_near_zero() > 0 ? z : z * Series(a.alpha);
        case ActivationKind::poly: {
            const std::size_t degree = a.coeffs.size();
            if (degree * z.c.size() > limits::max_ray_terms)
                throw LimitExceeded("max-ray-terms", "a poly unit along a ray would give a polynomial with more than " +
                                                         std::to_string(limits::max_ray_terms) + " terms");
            Series acc;
            for (std::size_t k = a.coeffs.size(); k-- > 0;) acc = acc * z + Series(a.coeffs[k]);
            return acc;
        }
        default: throw std::logic_error("activation " + to_string(a) + " has no exact evaluation");
    }
}

}  // namespace nncert::kernel
