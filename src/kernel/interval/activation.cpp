// Activation enclosures. Formulas are chosen so the variable occurs once where possible (tight ranges):
// sigmoid' = 1/(4 cosh^2(z/2)), sigmoid'' = -tanh(z/2) sigmoid', tanh' = 1/cosh^2 z, tanh'' = -2 tanh z tanh'.
#include "kernel/interval/activation.hpp"

namespace nncert::kernel {

namespace {

Interval inv(const Interval& x) {
    Interval r;
    mpfi_inv(r.raw(), x.raw());
    return r;
}

// [0, hi(z)] (positive side) or [lo(z), 0]: the parts of z on either side of the kink (z contains 0).
Interval part(const Interval& z, bool positive_side) {
    Interval r;
    mpfr_t zero;
    mpfr_init2(zero, 8);
    mpfr_set_zero(zero, 1);
    if (positive_side)
        mpfi_interv_fr(r.raw(), zero, z.hi());
    else
        mpfi_interv_fr(r.raw(), z.lo(), zero);
    mpfr_clear(zero);
    return r;
}

Interval sigmoid(const Interval& z) { return inv(Interval(Rational(1)) + exp(-z)); }
Interval sigmoid_d1(const Interval& z) { return inv(mul_2si(sqr(cosh(mul_2si(z, -1))), 2)); }
Interval sigmoid_d2(const Interval& z) { return -(tanh(mul_2si(z, -1)) * sigmoid_d1(z)); }
Interval tanh_d1(const Interval& z) { return inv(sqr(cosh(z))); }

// softplus at one point t (a degenerate interval) as max(t, 0) + log1p(e^-|t|): no overflow of e^t for large t.
Interval softplus_at(mpfr_srcptr t) {
    const Interval x = Interval::from_mpfr(t);
    if (mpfr_sgn(t) >= 0) return x + log1p(exp(-x));
    return log1p(exp(x));
}

// softplus is increasing, so softplus([a, b]) = [softplus(a), softplus(b)], each end rounded outward. The
// plain log1p(exp(z)) overflowed to +inf at z = 1e300, and inf - inf then gave NaN (issue 8).
Interval softplus(const Interval& z) {
    if (z.is_nan()) return z;
    const Interval lo = softplus_at(z.lo()), hi = softplus_at(z.hi());
    Interval r;
    mpfi_interv_fr(r.raw(), lo.lo(), hi.hi());
    return r;
}

// relu and leaky_relu: slope `neg` for z < 0 and 1 for z > 0.
Interval kinked(const Interval& z, const Rational& neg, int order) {
    if (order == 0) {
        if (certainly_positive(z)) return z;
        if (certainly_negative(z)) return Interval(neg) * z;
        return hull(Interval(neg) * part(z, false), part(z, true));  // continuous at 0: the union is exact
    }
    if (neg == 1) return Interval(Rational(order == 1 ? 1 : 0));  // leaky_relu(1) is the identity: no kink
    if (contains_zero(z)) throw KinkStraddled();
    if (order >= 2) return Interval();
    return certainly_positive(z) ? Interval(Rational(1)) : Interval(neg);
}

Interval poly(const std::vector<Rational>& c, const Interval& z, int order) {
    Interval acc;
    const int n = static_cast<int>(c.size());
    for (int k = n - 1; k >= order; --k) {
        Rational ck = c[k];
        for (int f = 0; f < order; ++f) ck *= (k - f);
        acc = acc * z + Interval(ck);
    }
    return acc;
}

[[noreturn]] void too_high(const Activation& a) {
    throw std::logic_error("no interval enclosure of derivatives of order > 2 for " + to_string(a));
}

}  // namespace

Interval activate(const Activation& a, const Interval& z, int order) {
    switch (a.kind) {
        case ActivationKind::identity:
            return order == 0 ? z : Interval(Rational(order == 1 ? 1 : 0));
        case ActivationKind::relu: return kinked(z, Rational(0), order);
        case ActivationKind::leaky_relu: return kinked(z, a.alpha, order);
        case ActivationKind::poly: return poly(a.coeffs, z, order);
        case ActivationKind::sigmoid:
            if (order == 0) return sigmoid(z);
            if (order == 1) return sigmoid_d1(z);
            if (order == 2) return sigmoid_d2(z);
            too_high(a);
        case ActivationKind::tanh:
            if (order == 0) return tanh(z);
            if (order == 1) return tanh_d1(z);
            if (order == 2) return mul_2si(-(tanh(z) * tanh_d1(z)), 1);
            too_high(a);
        case ActivationKind::softplus:
            // softplus = log(1 + e^z); its derivatives are those of sigmoid one order down.
            if (order == 0) return softplus(z);
            if (order == 1) return sigmoid(z);
            if (order == 2) return sigmoid_d1(z);
            too_high(a);
    }
    throw std::logic_error("unknown activation");
}

}  // namespace nncert::kernel
