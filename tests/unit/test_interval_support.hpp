// Shared helpers of the interval tests: exact decimals, random rationals in a box, 2000-bit references.
// Test-only; the references use plain MPFR at 2000 bits with independent formulas (not the engine's).
#pragma once

#include "kernel/interval/interval.hpp"

#include <mpfr.h>

#include <cfenv>
#include <functional>
#include <random>
#include <string>

namespace nncert::testing {

using kernel::Rational;

// Runs f once in each rounding direction (restoring round-to-nearest after): the ball engine's error bounds
// must hold whatever the FPU's rounding mode is.
inline void in_every_rounding_mode(const std::function<void(int)>& f) {
    for (int mode : {FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO}) {
        std::fesetround(mode);
        f(mode);
        std::fesetround(FE_TONEAREST);
    }
}

// "-0.98111" -> exact rational (test literals only).
inline Rational dec(const std::string& s) {
    std::size_t i = 0;
    const bool neg = s[0] == '-';
    if (neg || s[0] == '+') i = 1;
    kernel::Integer num = 0, den = 1;
    bool frac = false;
    for (; i < s.size(); ++i) {
        if (s[i] == '.') { frac = true; continue; }
        num = num * 10 + (s[i] - '0');
        if (frac) den *= 10;
    }
    Rational r(num, den);
    return neg ? Rational(-r) : r;
}

// A random rational in [lo, hi] (both ends included with positive probability).
inline Rational random_in(std::mt19937_64& g, const Rational& lo, const Rational& hi) {
    const long k = static_cast<long>(g() % 1000004) - 1;  // -1 and 1000003 clamp to the ends
    if (k <= 0) return lo;
    if (k >= 1000002) return hi;
    return lo + (hi - lo) * Rational(k, 1000002);
}

// A 2000-bit MPFR number: the "true" value for containment tests.
struct Ref {
    mpfr_t v;
    Ref() { mpfr_init2(v, 2000); mpfr_set_zero(v, 1); }
    explicit Ref(const Rational& q) : Ref() { mpfr_set_q(v, q.backend().data(), MPFR_RNDN); }
    Ref(const Ref& o) : Ref() { mpfr_set(v, o.v, MPFR_RNDN); }
    Ref& operator=(const Ref& o) { mpfr_set(v, o.v, MPFR_RNDN); return *this; }
    ~Ref() { mpfr_clear(v); }
};

inline bool encloses(const kernel::Interval& e, const Ref& x) {
    return mpfr_lessequal_p(e.lo(), x.v) && mpfr_lessequal_p(x.v, e.hi());
}

// sigmoid, tanh, softplus and their derivatives by textbook formulas, at 2000 bits.
inline Ref ref_activation(const std::string& f, const Rational& q, int order) {
    Ref z(q), r, s, t;
    if (f == "tanh" || f == "sigmoid") {
        if (f == "tanh") {
            mpfr_tanh(s.v, z.v, MPFR_RNDN);
        } else {  // s = 1 / (1 + e^-z)
            mpfr_neg(s.v, z.v, MPFR_RNDN);
            mpfr_exp(s.v, s.v, MPFR_RNDN);
            mpfr_add_ui(s.v, s.v, 1, MPFR_RNDN);
            mpfr_ui_div(s.v, 1, s.v, MPFR_RNDN);
        }
        if (order == 0) return s;
        if (f == "tanh") {  // 1 - t^2, then -2 t (1 - t^2)
            mpfr_sqr(t.v, s.v, MPFR_RNDN);
            mpfr_ui_sub(t.v, 1, t.v, MPFR_RNDN);
            if (order == 1) return t;
            mpfr_mul(r.v, s.v, t.v, MPFR_RNDN);
            mpfr_mul_si(r.v, r.v, -2, MPFR_RNDN);
            return r;
        }
        mpfr_ui_sub(t.v, 1, s.v, MPFR_RNDN);  // s (1 - s), then s (1 - s)(1 - 2 s)
        mpfr_mul(t.v, t.v, s.v, MPFR_RNDN);
        if (order == 1) return t;
        mpfr_mul_2ui(r.v, s.v, 1, MPFR_RNDN);
        mpfr_ui_sub(r.v, 1, r.v, MPFR_RNDN);
        mpfr_mul(r.v, r.v, t.v, MPFR_RNDN);
        return r;
    }
    if (f == "softplus" && order > 0) return ref_activation("sigmoid", q, order - 1);
    if (f == "softplus") {  // log(1 + e^z)
        mpfr_exp(r.v, z.v, MPFR_RNDN);
        mpfr_add_ui(r.v, r.v, 1, MPFR_RNDN);
        mpfr_log(r.v, r.v, MPFR_RNDN);
        return r;
    }
    if (f == "exp") mpfr_exp(r.v, z.v, MPFR_RNDN);
    if (f == "log") mpfr_log(r.v, z.v, MPFR_RNDN);
    return r;
}

}  // namespace nncert::testing
