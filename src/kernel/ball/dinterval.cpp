// Binary64 inf-sup intervals (dinterval.hpp): conversions through MPFR's directed rounding, and the activations.
#include "kernel/ball/dinterval.hpp"

#include "kernel/ball/ball.hpp"
#include "kernel/ball/elementary.hpp"
#include "kernel/interval/activation.hpp"
#include "kernel/interval/interval.hpp"

#include <cmath>
#include <optional>

namespace nncert::kernel {

DInterval::DInterval(const Rational& q) {
    if (is_zero(q)) return;  // the exact 0
    // A dyadic n / 2^k with |n| < 2^53 and k < 1000 is a double: exact, without MPFR (the constants and most data).
    mpq_srcptr r = q.backend().data();
    if (mpz_sizeinbase(mpq_numref(r), 2) <= 53) {
        const std::size_t k = mpz_scan1(mpq_denref(r), 0);
        if (k < 1000 && mpz_sizeinbase(mpq_denref(r), 2) == k + 1) {
            lo_ = hi_ = std::ldexp(mpz_get_d(mpq_numref(r)), -static_cast<int>(k));  // both exact
            return;
        }
    }
    // q rounded down and up to 53 bits by MPFR (correctly rounded), then read as doubles in the same direction
    // (exact, or outward again in the subnormal range and beyond the double range).
    mpfr_t t;
    mpfr_init2(t, 53);
    const int inexact = mpfr_set_q(t, q.backend().data(), MPFR_RNDD);
    lo_ = mpfr_get_d(t, MPFR_RNDD);
    if (inexact == 0) {
        hi_ = mpfr_get_d(t, MPFR_RNDU);
    } else {
        mpfr_set_q(t, q.backend().data(), MPFR_RNDU);
        hi_ = mpfr_get_d(t, MPFR_RNDU);
    }
    mpfr_clear(t);
}

DInterval DInterval::from_interval(const Interval& x) {
    if (x.is_nan()) return whole();
    return from_ends(mpfr_get_d(x.lo(), MPFR_RNDD), mpfr_get_d(x.hi(), MPFR_RNDU));
}

Interval to_interval(const DInterval& x) {
    Interval r;
    mpfr_set_d(&r.raw()->left, x.lo(), MPFR_RNDD);
    mpfr_set_d(&r.raw()->right, x.hi(), MPFR_RNDU);
    return r;
}

namespace {

namespace dround = dinterval_rounding;  // qualified calls: ball_rounding has an up() too (unity builds)

// An upper bound (a double) of e^-t for t >= 36, t a double or +inf: with E >= e^-36 (the ball engine's enclosure,
// elementary.hpp) and an integer m >= 1 with 36 m <= t, e^-t <= e^-36m <= E^m, each product rounded up. m is
// floor(fl(t / 36)) - 1 (at least 1): fl(t / 36) <= (t / 36)(1 + 2^-52) < t / 36 + 1 for t < 2^50, so 36 m <= t;
// it is capped at 24 (E^24 < 2^-1200 already underflows: the bound is then the least subnormal).
double exp_neg_tail(double t) {
    static const double e36 = [] {
        const Ball b = ball_elementary::exp_neg(36).e;
        return dround::up(b.mid() + b.rad());
    }();
    double m = t < 0x1p50 ? std::floor(t / 36) - 1 : 24;
    if (!(m >= 1)) m = 1;
    if (m > 24) m = 24;
    double u = e36;
    for (int k = 1; k < static_cast<int>(m); ++k) u = dround::up(u * e36);
    return u;
}

// f^(k) (f = sigmoid, or tanh; k = 0, 1, 2) over [lo, hi] (doubles, infinite ends allowed, lo <= hi), as the hull of
// its ranges over the parts of [lo, hi] in [-L, L], [L, inf] and [-inf, -L] (L = 36 for sigmoid, 18 for tanh): the
// middle one from the end balls and extrema of derivative_range (elementary.hpp), the saturated ones from the tail
// bounds below (docs/certificates.md, "Binary64 intervals"). Nothing when a piece cannot be enclosed.
std::optional<DInterval> smooth_range(bool sigmoid, double lo, double hi, int k) {
    const double limit = sigmoid ? 36 : 18;
    double out_lo = ball_rounding::inf, out_hi = -ball_rounding::inf;
    const auto take = [&](double a, double b) {
        out_lo = a < out_lo ? a : out_lo;
        out_hi = b > out_hi ? b : out_hi;
    };
    const double mid_lo = lo > -limit ? lo : -limit, mid_hi = hi < limit ? hi : limit;
    if (mid_lo <= mid_hi) {
        const auto r = ball_elementary::derivative_range(sigmoid ? ActivationKind::sigmoid : ActivationKind::tanh,
                                                         mid_lo, mid_hi, k);
        if (!r) return std::nullopt;
        // Every value lies in the hull of the two end balls and the extra points: each ball's ends mid -+ rad
        // computed and moved one double outward.
        for (const Ball* b : {&r->at_lo, &r->at_hi}) {
            if (!b->is_finite()) return std::nullopt;
            if (b->rad() == 0)
                take(b->mid(), b->mid());
            else
                take(dround::down(b->mid() - b->rad()), dround::up(b->mid() + b->rad()));
        }
        for (int e = 0; e < r->n_extra; ++e) take(r->extra[e], r->extra[e]);
    }
    // The saturated pieces. For t >= t0 >= L let u >= e^-t0 (sigmoid) or u >= e^-2 t0 (tanh; 2 t0 >= 36):
    //   sigmoid: 0 < 1 - s(t) = e^-t / (1 + e^-t) < u, 0 < s'(t) = s (1 - s) < u, s'' = s' (1 - 2 s) in (-u, 0);
    //   tanh:    0 < 1 - tanh t = 2 e^-2t / (1 + e^-2t) < 2u, 0 < tanh' = (1 - tanh)(1 + tanh) < 4u,
    //            tanh'' = -2 tanh tanh' in (-8u, 0).
    // For t <= -t0 the mirror images: sigmoid(t) = 1 - sigmoid(-t), s'(t) = s'(-t), s''(t) = -s''(-t); tanh odd,
    // tanh' even, tanh'' odd.
    const auto tail = [&](double t0, bool positive) {
        const double u = exp_neg_tail(sigmoid ? t0 : 2 * t0);  // 2 t0: exact doubling (+inf on overflow: capped)
        const double big = sigmoid ? u : dround::up(8 * u), d1 = sigmoid ? u : dround::up(4 * u),
                     v = sigmoid ? u : dround::up(2 * u);
        const double sat_lo = positive ? dround::down(1 - v) : sigmoid ? 0.0 : -1.0;
        const double sat_hi = sigmoid ? (positive ? 1.0 : v) : (positive ? 1.0 : dround::up(-1 + v));
        if (k == 0) take(sat_lo, sat_hi);
        else if (k == 1) take(0, d1);
        else take(positive ? -big : 0.0, positive ? 0.0 : big);
    };
    if (hi > limit) tail(lo > limit ? lo : limit, true);
    if (lo < -limit) tail(hi < -limit ? -hi : limit, false);
    return DInterval::from_ends(out_lo, out_hi);
}

}  // namespace

DInterval activate(const Activation& a, const DInterval& z, int order) {
    switch (a.kind) {
        case ActivationKind::identity:
            return order == 0 ? z : DInterval(Rational(order == 1 ? 1 : 0));
        case ActivationKind::sigmoid:
        case ActivationKind::tanh:
        case ActivationKind::softplus: {
            ActivationKind kind = a.kind;
            int k = order;
            if (kind == ActivationKind::softplus) {  // softplus' = sigmoid, softplus'' = sigmoid'
                kind = ActivationKind::sigmoid;
                --k;
            }
            if (k < 0 || k > 2 || z.lo() != z.lo() || z.hi() != z.hi() || !ball_rounding::ieee_environment()) break;
            if (auto r = smooth_range(kind == ActivationKind::sigmoid, z.lo(), z.hi(), k)) return *r;
            break;
        }
        default: break;
    }
    // Through MPFI at the current precision (remembered per thread by activation.cpp), rounded outward.
    return DInterval::from_interval(kernel::activate(a, to_interval(z), order));
}

}  // namespace nncert::kernel
