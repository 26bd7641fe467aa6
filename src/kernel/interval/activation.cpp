// Activation enclosures. Formulas are chosen so the variable occurs once where possible (tight ranges):
// sigmoid' = 1/(4 cosh^2(z/2)), sigmoid'' = -tanh(z/2) sigmoid', tanh' = 1/cosh^2 z, tanh'' = -2 tanh z tanh'.
// Point-like and wide intervals of the smooth units take faster routes first (smooth_point_like, smooth_wide).
#include "kernel/interval/activation.hpp"

#include <optional>

#include "kernel/ball/ball.hpp"
#include "kernel/ball/elementary.hpp"

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <stdexcept>

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

// Point-like intervals (width at most 2^(16 - precision) times max(1, |z|), e.g. at an exact centre): one
// correctly rounded MPFR evaluation at the midpoint m, widened by one ulp, gives f(m) (and every derivative by
// algebra on it: tanh' = 1 - t^2, tanh'' = -2 t tanh', sigmoid' = s (1 - s), sigmoid'' = sigmoid' (1 - 2 s));
// the result is widened by the half-width times a bound of the next derivative over the whole line (mean value
// theorem). Half as many elementary evaluations as the endpoint formulas, and as tight at this width.
bool point_like(const Interval& z) {
    if (!z.is_bounded()) return false;
    mpfr_t w, m;
    mpfr_init2(w, 64);
    mpfr_init2(m, 64);
    mpfr_sub(w, z.hi(), z.lo(), MPFR_RNDU);
    mpfr_abs(m, z.lo(), MPFR_RNDU);
    if (mpfr_cmp_ui(m, 1) < 0) mpfr_set_ui(m, 1, MPFR_RNDU);
    mpfr_mul_2si(m, m, 16 - static_cast<long>(z.precision()), MPFR_RNDD);
    const bool narrow = mpfr_lessequal_p(w, m) && mpfr_cmp_ui(m, 1) < 0;
    mpfr_clear(w);
    mpfr_clear(m);
    return narrow;
}

// Empty when an intermediate value over- or underflows MPFR's exponent range (then the slack of one ulp would not
// enclose the true value, e.g. exp(1e10) rounded to +inf): the caller uses the general enclosure instead.
std::optional<Interval> smooth_point_like(ActivationKind kind, const Interval& z, int order) {
    const mpfr_prec_t prec = z.precision();
    mpfr_t mid, v, half;
    mpfr_inits2(prec + 2, mid, v, half, static_cast<mpfr_ptr>(nullptr));
    mpfi_mid(mid, z.raw());
    mpfr_sub(half, z.hi(), mid, MPFR_RNDU);  // half-width bounds, rounded up
    mpfr_sub(v, mid, z.lo(), MPFR_RNDU);
    if (mpfr_greater_p(v, half)) mpfr_set(half, v, MPFR_RNDU);
    bool out_of_range = false;
    // f at mid as a tight interval [v - ulp, v + ulp] (v correctly rounded to nearest at prec + 2 bits).
    auto at_mid = [&](int (*f)(mpfr_ptr, mpfr_srcptr, mpfr_rnd_t)) {
        const int inexact = f(v, mid, MPFR_RNDN);
        if (!mpfr_number_p(v) || (inexact != 0 && mpfr_zero_p(v))) {
            out_of_range = true;  // the result is discarded
            return Interval(Rational(0));
        }
        Interval r = Interval::from_mpfr(v);
        if (inexact == 0) return r;  // exact (e.g. tanh(0) = 0): no slack, and no exponent of 0 to read
        Interval slack;
        mpfr_t u;
        mpfr_init2(u, 64);
        mpfr_set_ui_2exp(u, 1, mpfr_get_exp(v) - static_cast<long>(prec + 2), MPFR_RNDU);  // >= one ulp of v
        mpfi_interv_fr(slack.raw(), u, u);
        mpfi_neg(slack.raw(), slack.raw());
        mpfi_put_fr(slack.raw(), u);
        mpfr_clear(u);
        return r + slack;
    };
    Interval out;
    if (kind == ActivationKind::tanh) {
        const Interval t = at_mid(mpfr_tanh);
        if (order == 0) {
            out = t;  // (no derivative work, and no constant 1, on the forward pass's path)
        } else {
            const Interval one(Rational(1));
            const Interval d1 = one - t * t;
            out = order == 1 ? d1 : Interval(Rational(-2)) * t * d1;
        }
    } else {  // sigmoid or softplus: s = 1 / (1 + exp(-mid))
        mpfr_neg(v, mid, MPFR_RNDN);
        mpfr_swap(v, mid);
        const Interval e = at_mid(mpfr_exp);  // exp(-mid), as mid now holds -mid
        mpfr_neg(mid, mid, MPFR_RNDN);
        const Interval one(Rational(1));
        Interval s;
        mpfi_inv(s.raw(), (one + e).raw());
        const Interval s1 = s * (one - s), s2 = s1 * (one - Interval(Rational(2)) * s);
        const int k = kind == ActivationKind::softplus ? order - 1 : order;
        if (k < 0) {
            const Interval ez = at_mid(mpfr_exp);
            out = log1p(ez);  // softplus(mid) = log1p(exp(mid))
        } else {
            out = k == 0 ? s : k == 1 ? s1 : s2;
        }
    }
    // Widen by half-width * sup |f^(order+1)| (nothing to widen for a point: z exact, as at an exact centre whose
    // pre-activations are dyadic).
    if (mpfr_zero_p(half)) {
        mpfr_clears(mid, v, half, static_cast<mpfr_ptr>(nullptr));
        if (out_of_range) return std::nullopt;
        return out;
    }
    mpfr_t bound;
    mpfr_init2(bound, 64);
    mpfr_set_d(bound, smooth_derivative_bound(kind, order + 1), MPFR_RNDU);
    mpfr_mul(bound, bound, half, MPFR_RNDU);
    Interval spread;
    mpfi_interv_fr(spread.raw(), bound, bound);
    mpfi_neg(spread.raw(), spread.raw());
    mpfi_put_fr(spread.raw(), bound);
    mpfr_clear(bound);
    mpfr_clears(mid, v, half, static_cast<mpfr_ptr>(nullptr));
    if (out_of_range) return std::nullopt;
    return out + spread;
}

// Wider intervals of sigmoid and tanh (and softplus's derivatives, sigmoid's one order down): the range of f^(order)
// over [lo', hi'], lo' <= lo and hi' >= hi the interval's ends rounded outward to doubles, from the ball engine's
// binary64 enclosures at lo' and hi' and the extrema between them (ball/elementary.hpp, derivative_range; about two
// hundred double operations instead of two to four MPFR exponentials at the working precision). Used only when
// those balls' radii are at most 2^-30 of the result's width, so the enclosure is wider than the exact range by at
// most about a billionth of its width (an infinite end contributes the exact limit); else (narrower intervals, a
// finite saturated end, a floating-point environment outside the ball engine's model) empty, and the MPFI
// formulas below decide. binary64_range is that enclosure, with the tightness test only when tight_only.
std::optional<Interval> binary64_range(ActivationKind kind, const Interval& z, int order, bool tight_only) {
    if (kind == ActivationKind::softplus) {
        if (order == 0) return std::nullopt;
        kind = ActivationKind::sigmoid;
        --order;
    }
    if (z.is_nan() || !ball_rounding::ieee_environment()) return std::nullopt;
    const double lo = mpfr_get_d(z.lo(), MPFR_RNDD), hi = mpfr_get_d(z.hi(), MPFR_RNDU);
    const auto r = ball_elementary::derivative_range(kind, lo, hi, order);
    if (!r) return std::nullopt;
    // The tightness test is a heuristic (any outcome is sound): the balls' radii against the spread of the values.
    double top = std::fmax(r->at_lo.mid(), r->at_hi.mid()), bottom = std::fmin(r->at_lo.mid(), r->at_hi.mid());
    for (int k = 0; k < r->n_extra; ++k) {
        top = std::fmax(top, r->extra[k]);
        bottom = std::fmin(bottom, r->extra[k]);
    }
    if (tight_only && !((r->at_lo.rad() + r->at_hi.rad()) * 0x1p30 <= top - bottom)) return std::nullopt;
    // Every value lies in the hull of the two balls and the extra points: its ends, rounded outward by MPFR.
    Interval out;
    mpfr_ptr low = &out.raw()->left, high = &out.raw()->right;
    mpfr_t t;
    mpfr_init2(t, mpfr_get_prec(low));
    bool first = true;
    for (const Ball* b : {&r->at_lo, &r->at_hi}) {
        mpfr_set_d(t, b->mid(), MPFR_RNDD);
        mpfr_sub_d(t, t, b->rad(), MPFR_RNDD);
        if (first || mpfr_less_p(t, low)) mpfr_set(low, t, MPFR_RNDD);
        mpfr_set_d(t, b->mid(), MPFR_RNDU);
        mpfr_add_d(t, t, b->rad(), MPFR_RNDU);
        if (first || mpfr_greater_p(t, high)) mpfr_set(high, t, MPFR_RNDU);
        first = false;
    }
    for (int k = 0; k < r->n_extra; ++k) {
        mpfr_set_d(t, r->extra[k], MPFR_RNDD);
        if (mpfr_less_p(t, low)) mpfr_set(low, t, MPFR_RNDD);
        mpfr_set_d(t, r->extra[k], MPFR_RNDU);
        if (mpfr_greater_p(t, high)) mpfr_set(high, t, MPFR_RNDU);
    }
    mpfr_clear(t);
    return out;
}

std::optional<Interval> smooth_wide(ActivationKind kind, const Interval& z, int order) {
    return binary64_range(kind, z, order, true);
}

// sigmoid and tanh (order 0; softplus's first derivative is sigmoid) over intervals above 0, where the values are
// near 1 and a binary64 ball around f cannot resolve 1 - f (smooth_wide refuses them: every half-line [a, +inf] with
// a above about 16). Through the identities sigmoid(t) = 1 - sigmoid(-t) and tanh(t) = 1 - 2 sigmoid(-2t): the ball
// engine's enclosure of q = sigmoid over [-hi', -lo'] (derivative_range, hi' >= hi and lo' <= lo the ends rounded
// outward to doubles; -2hi', -2lo' for tanh, exact doublings), whose balls keep their relative accuracy, gives f over
// [lo, hi] in [1 - q_hi, 1 - q_lo] (f increasing, q decreasing), each end computed by MPFR in the outward direction
// from the exact doubles. Used when the balls' radii are at most 2^-30 of the spread of q (smooth_wide's tightness
// choice, on q); else, or beyond the unsaturated range, empty.
std::optional<Interval> smooth_near_one(ActivationKind kind, const Interval& z, int order) {
    if (kind == ActivationKind::softplus) {
        kind = ActivationKind::sigmoid;
        --order;
    }
    if (order != 0 || (kind != ActivationKind::sigmoid && kind != ActivationKind::tanh)) return std::nullopt;
    if (z.is_nan() || !ball_rounding::ieee_environment()) return std::nullopt;
    double lo = mpfr_get_d(z.lo(), MPFR_RNDD), hi = mpfr_get_d(z.hi(), MPFR_RNDU);
    if (!(lo > 0)) return std::nullopt;
    const bool tanh_kind = kind == ActivationKind::tanh;
    if (tanh_kind) {  // 1 - tanh(t) = 2 sigmoid(-2t)
        lo *= 2;
        hi *= 2;
    }
    const auto r = ball_elementary::derivative_range(ActivationKind::sigmoid, -hi, -lo, 0);
    if (!r || !r->at_lo.is_finite() || !r->at_hi.is_finite()) return std::nullopt;
    if (!((r->at_lo.rad() + r->at_hi.rad()) * 0x1p30 <= r->at_hi.mid() - r->at_lo.mid())) return std::nullopt;
    // q over [-hi', -lo'] lies in [at_lo's lower end, at_hi's upper end] (order 0 has no interior extrema).
    mpfr_t q_lo, q_hi;
    mpfr_inits2(64, q_lo, q_hi, static_cast<mpfr_ptr>(nullptr));
    mpfr_set_d(q_lo, r->at_lo.mid(), MPFR_RNDD);  // exact at 64 bits
    mpfr_sub_d(q_lo, q_lo, r->at_lo.rad(), MPFR_RNDD);
    mpfr_set_d(q_hi, r->at_hi.mid(), MPFR_RNDU);
    mpfr_add_d(q_hi, q_hi, r->at_hi.rad(), MPFR_RNDU);
    if (tanh_kind) {  // exact doublings
        mpfr_mul_2ui(q_lo, q_lo, 1, MPFR_RNDD);
        mpfr_mul_2ui(q_hi, q_hi, 1, MPFR_RNDU);
    }
    Interval out;
    mpfr_ui_sub(&out.raw()->left, 1, q_hi, MPFR_RNDD);
    mpfr_ui_sub(&out.raw()->right, 1, q_lo, MPFR_RNDU);
    mpfr_clears(q_lo, q_hi, static_cast<mpfr_ptr>(nullptr));
    return out;
}

[[noreturn]] void too_high(const Activation& a) {
    throw std::logic_error("no interval enclosure of derivatives of order > 2 for " + to_string(a));
}

}  // namespace

std::optional<Interval> activate_binary64(ActivationKind kind, const Interval& z, int order) {
    if (kind != ActivationKind::sigmoid && kind != ActivationKind::tanh && kind != ActivationKind::softplus)
        return std::nullopt;
    if (order < 0 || order > 2) return std::nullopt;
    return binary64_range(kind, z, order, false);
}

namespace {

// sigmoid, tanh and softplus (order 0..2) at z: the point-like and wide routes, else MPFI's formulas.
Interval smooth(ActivationKind kind, const Interval& z, int order) {
    if (point_like(z))
        if (std::optional<Interval> fast = smooth_point_like(kind, z, order)) return *fast;
    if (std::optional<Interval> fast = smooth_wide(kind, z, order)) return *fast;
    if (std::optional<Interval> fast = smooth_near_one(kind, z, order)) return *fast;
    switch (kind) {
        case ActivationKind::sigmoid: return order == 0 ? sigmoid(z) : order == 1 ? sigmoid_d1(z) : sigmoid_d2(z);
        case ActivationKind::tanh:
            return order == 0 ? tanh(z) : order == 1 ? tanh_d1(z) : mul_2si(-(tanh(z) * tanh_d1(z)), 1);
        case ActivationKind::softplus:  // softplus = log(1 + e^z); its derivatives are those of sigmoid one order down
            return order == 0 ? softplus(z) : order == 1 ? sigmoid(z) : sigmoid_d1(z);
        default: break;
    }
    throw std::logic_error("not a smooth activation");
}

// smooth(kind, z, order), remembered: a branch-and-bound box asks for the same enclosures several times (the
// forward pass of the loss and its gradient, then again for the Hessian's preparation; the loss at the centre for
// the mean-value form, then with its gradient for the second-order form). A direct-mapped table per thread, keyed
// by everything the result depends on: the kind, the order, the working precision, z's precision and its two
// ends bit for bit (the sign of a zero end included); the floating-point environment the ball engine reads is the
// process's, the same for every call. An entry holds exactly the Interval smooth computed, so a hit returns the
// same enclosure, to the bit, as computing it again. NaN intervals are not remembered.
Interval smooth_remembered(ActivationKind kind, const Interval& z, int order) {
    if (z.is_nan()) return smooth(kind, z, order);
    struct Entry {
        ActivationKind kind = ActivationKind::identity;
        int order = -1;
        mpfr_prec_t work = 0;
        std::optional<Interval> z, value;  // optional: an Interval needs a live PrecisionScope to be built
    };
    constexpr std::size_t size = 1024;
    thread_local std::array<Entry, size> table;
    const mpfr_prec_t work = PrecisionScope::current();
    // A hash of an end: its exponent and significand limbs (mpfr_custom_get_significand), or its double when it is
    // 0 or infinite (no significand to read).
    const auto bits = [](mpfr_srcptr x) {
        if (!mpfr_regular_p(x)) {
            const double d = mpfr_get_d(x, MPFR_RNDZ);
            std::uint64_t u;
            std::memcpy(&u, &d, sizeof u);
            return u;
        }
        const auto* limb = static_cast<const mp_limb_t*>(mpfr_custom_get_significand(x));
        std::uint64_t u = static_cast<std::uint64_t>(mpfr_get_exp(x)) ^ (mpfr_signbit(x) ? 0x8000000000000000ull : 0);
        for (mpfr_prec_t k = 0; k < (mpfr_get_prec(x) + GMP_NUMB_BITS - 1) / GMP_NUMB_BITS; ++k)
            u = (u ^ static_cast<std::uint64_t>(limb[k])) * 0x100000001B3ull;
        return u;
    };
    const std::uint64_t h = (bits(z.lo()) * 0x9E3779B97F4A7C15ull) ^ (bits(z.hi()) * 0xC2B2AE3D27D4EB4Full) ^
                            (static_cast<std::uint64_t>(order) << 3) ^ static_cast<std::uint64_t>(kind);
    Entry& e = table[(h ^ (h >> 29)) % size];
    const auto same = [](mpfr_srcptr a, mpfr_srcptr b) {
        return mpfr_equal_p(a, b) && mpfr_signbit(a) == mpfr_signbit(b);
    };
    if (e.value && e.kind == kind && e.order == order && e.work == work && e.z->precision() == z.precision() &&
        same(e.z->lo(), z.lo()) && same(e.z->hi(), z.hi()))
        return *e.value;
    Interval r = smooth(kind, z, order);
    e.kind = kind;
    e.order = order;
    e.work = work;
    e.z = z;
    e.value = r;
    return r;
}

}  // namespace

Interval activate(const Activation& a, const Interval& z, int order) {
    const bool is_smooth = a.kind == ActivationKind::sigmoid || a.kind == ActivationKind::tanh ||
                           a.kind == ActivationKind::softplus;
    if (is_smooth && order >= 0 && order <= 2) return smooth_remembered(a.kind, z, order);
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
