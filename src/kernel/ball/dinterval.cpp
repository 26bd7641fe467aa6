// Binary64 inf-sup intervals (dinterval.hpp): conversions through MPFR's directed rounding, and the activations.
#include "kernel/ball/dinterval.hpp"

#include "kernel/ball/ball.hpp"
#include "kernel/ball/elementary.hpp"
#include "kernel/ball/rational_memo.hpp"
#include "kernel/interval/activation.hpp"
#include "kernel/interval/interval.hpp"

#include <mpfr.h>

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
    // (exact, or outward again in the subnormal range and beyond the double range); remembered for small q
    // (rational_memo.hpp: data and box ends are converted again at every box of a search).
    struct Tag {};
    const auto ends = detail::remembered_conversion<Tag>(q, [](const Rational& v) {
        mpfr_t t;
        mpfr_init2(t, 53);
        const int inexact = mpfr_set_q(t, v.backend().data(), MPFR_RNDD);
        const double lo = mpfr_get_d(t, MPFR_RNDD);
        double hi;
        if (inexact == 0) {
            hi = mpfr_get_d(t, MPFR_RNDU);
        } else {
            mpfr_set_q(t, v.backend().data(), MPFR_RNDU);
            hi = mpfr_get_d(t, MPFR_RNDU);
        }
        mpfr_clear(t);
        return std::pair<double, double>{lo, hi};
    });
    lo_ = ends.first;
    hi_ = ends.second;
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

// ln 2 = hi + lo with hi a double of 32 significant bits (so k hi is exact for integers k < 2^21) and lo enclosed by
// the doubles [lo_down, lo_up], from MPFR at 256 bits with directed rounding (the subtractions are exact there).
struct Ln2Parts {
    double hi, lo_down, lo_up;
};
const Ln2Parts& ln2_parts() {
    static const Ln2Parts parts = [] {
        mpfr_t l, d, h;
        mpfr_init2(l, 256);
        mpfr_init2(d, 256);
        mpfr_init2(h, 32);
        Ln2Parts p{};
        mpfr_const_log2(l, MPFR_RNDN);
        mpfr_set(h, l, MPFR_RNDN);
        p.hi = mpfr_get_d(h, MPFR_RNDN);  // exact: 32 bits
        mpfr_const_log2(l, MPFR_RNDD);
        mpfr_sub(d, l, h, MPFR_RNDD);
        p.lo_down = mpfr_get_d(d, MPFR_RNDD);
        mpfr_const_log2(l, MPFR_RNDU);
        mpfr_sub(d, l, h, MPFR_RNDU);
        p.lo_up = mpfr_get_d(d, MPFR_RNDU);
        mpfr_clear(l);
        mpfr_clear(d);
        mpfr_clear(h);
        return p;
    }();
    return parts;
}

// c(t) = e^-t / (1 + e^-t) for t = a + d >= 0, a a double >= 0 or +inf (then c = 0, the limit), d a real in the
// doubles' interval [d_lo, d_hi] with |d| <= 2^-20 (the part of an MPFR number beyond its nearest double):
// lo 2^-k <= c(t) <= hi 2^-k.
struct Complement {
    double lo, hi;
    long k;
};
constexpr double far_argument = 0x1p20;  // e^-t <= e^-2^20 < 2^-1512775 beyond
constexpr long far_exponent = 1500000;

// e^-x in [lo, hi] (doubles >= 0) for the exact double 0 <= x < 40, from exp_neg's ball.
std::pair<double, double> exp_neg_bounds(double x) {
    const Ball e = ball_elementary::exp_neg(x).e;
    const double lo = dround::down(e.mid() - e.rad());
    return {lo > 0 ? lo : 0.0, dround::up(e.mid() + e.rad())};
}

// E / (1 + E) for an exact double E >= 0, rounded down (upper false) or up: a ball product with reciprocal's bound.
double over_one_plus(double e, bool upper) {
    const Ball b = Ball::from_parts(e, 0) * ball_elementary::reciprocal(Ball::from_parts(1, 0) + Ball::from_parts(e, 0));
    if (!b.is_finite()) return upper ? 1.0 : 0.0;  // 0 <= E / (1 + E) < 1 (not reached: 1 + E >= 1)
    if (upper) return dround::up(b.mid() + b.rad());
    const double lo = dround::down(b.mid() - b.rad());
    return lo > 0 ? lo : 0.0;
}

Complement complement_of(double a, double d_lo, double d_hi) {
    if (a == ball_rounding::inf) return {0, 0, 0};
    if (!(a < far_argument)) return {0, 1, far_exponent};
    if (a < 40) {
        // e^-t = e^-a e^-d with 1 - d <= e^-d <= 1 - d + d^2 (|d| <= 1/2), so e^-t lies in [E_lo, E_hi] below; c = E / (1 + E)
        // increases with E.
        const auto [ea_lo, ea_hi] = exp_neg_bounds(a);
        const double dm = std::fmax(std::fabs(d_lo), std::fabs(d_hi));
        const double f_lo = dround::down(1 - d_hi), f_hi = dround::up(dround::up(1 - d_lo) + dround::up(dm * dm));
        const double e_lo = ea_lo > 0 ? dround::down(ea_lo * f_lo) : 0.0, e_hi = dround::up(ea_hi * f_hi);
        return {over_one_plus(e_lo > 0 ? e_lo : 0.0, false), over_one_plus(e_hi, true), 0};
    }
    // t = k ln 2 + r: k hi exact (k < 2^21 integer, hi 32 bits), a - k hi exact by Sterbenz (k hi <= a <= 2 k hi,
    // checked), r = (a - k hi) - k lo + d enclosed by binary64 intervals; e^-t = 2^-k e^-r, e^-r from exp_neg at r's
    // ends (e^-x decreases).
    const Ln2Parts& ln2 = ln2_parts();
    const double k = std::floor(a / ln2.hi) - 1;  // about a / ln 2 - 1: r about ln 2 to 2 ln 2
    const double y = k * ln2.hi;
    if (!(k >= 1 && k < 0x1p21 && y <= a && a <= 2 * y)) return {0, 1, 0};  // not reached for 40 <= a < 2^20
    const DInterval r = DInterval::from_ends(a - y, a - y) -
                        DInterval::from_ends(k, k) * DInterval::from_ends(ln2.lo_down, ln2.lo_up) +
                        DInterval::from_ends(d_lo, d_hi);
    if (!(r.lo() >= 0 && r.hi() < 40)) return {0, 1, 0};
    const double m_lo = exp_neg_bounds(r.hi()).first, m_hi = exp_neg_bounds(r.lo()).second;
    // c = e^-t / (1 + e^-t) lies in [e^-t (1 - e^-t), e^-t], and e^-t <= e^-40 < 2^-57: the factor 1 - 2^-53 (a
    // double) is below 1 - e^-t.
    const double low = m_lo > 0 ? dround::down(m_lo * (1 - 0x1p-53)) : 0.0;
    return {low > 0 ? low : 0.0, m_hi, static_cast<long>(k)};
}

// An MPFR variable whose limbs live in the object up to 256 bits (MPFR's documented custom interface, as Interval's
// inline endpoints, interval.hpp), else on the heap: saturating_end runs twice for every hidden output of every chart
// box, and three mpfr_init2 / mpfr_clear pairs were a quarter of its instructions. Holds +0 until set.
class ScratchMpfr {
public:
    explicit ScratchMpfr(mpfr_prec_t p) : heap_(mpfr_custom_get_size(p) > sizeof store_) {
        if (heap_) {
            mpfr_init2(v_, p);
        } else {
            mpfr_custom_init(store_, p);
            mpfr_custom_init_set(v_, MPFR_ZERO_KIND, 0, p, store_);
        }
    }
    ScratchMpfr(const ScratchMpfr&) = delete;
    ScratchMpfr& operator=(const ScratchMpfr&) = delete;
    ~ScratchMpfr() {
        if (heap_) mpfr_clear(v_);
    }
    mpfr_ptr get() { return v_; }

private:
    mp_limb_t store_[4];
    bool heap_;
    mpfr_t v_;
};

// The end of f(t) (sigmoid, or tanh when !sigmoid) for the exact MPFR number t (+-inf: the limit), rounded down (upper
// false) or up, into out (its own precision). False when t's part beyond its nearest double cannot be split off
// exactly (not reached: the working precision is far below the exponent range).
bool saturating_end(bool sigmoid, mpfr_srcptr t, bool upper, mpfr_ptr out) {
    const bool negative = mpfr_sgn(t) < 0;
    const mpfr_prec_t p = mpfr_get_prec(t) + 2;
    ScratchMpfr a_s(p), d_s(p), cm_s(64);
    mpfr_ptr a = a_s.get(), d = d_s.get(), cm = cm_s.get();
    bool ok = mpfr_abs(a, t, MPFR_RNDN) == 0;
    if (!sigmoid) ok = ok && mpfr_mul_2ui(a, a, 1, MPFR_RNDN) == 0;  // tanh's complement is 2 c(2 |t|)
    // |t| (or 2 |t|) = ad + d exactly, ad its nearest double, d in [d_lo, d_hi]; beyond 2^20 or at inf, d does not matter.
    double ad = mpfr_get_d(a, MPFR_RNDN), d_lo = 0, d_hi = 0;
    if (mpfr_inf_p(a)) {
        ad = ball_rounding::inf;
    } else if (!(ad < far_argument)) {
        ad = far_argument;
    } else {
        ok = ok && mpfr_sub_d(d, a, ad, MPFR_RNDN) == 0;
        d_lo = mpfr_get_d(d, MPFR_RNDD);
        d_hi = mpfr_get_d(d, MPFR_RNDU);
        ok = ok && std::fabs(d_lo) <= 0x1p-20 && std::fabs(d_hi) <= 0x1p-20;
    }
    if (ok) {
        const Complement c = complement_of(ad, d_lo, d_hi);
        // f = 1 - c for t >= 0 (rounding f up takes c's lower end rounded down); f = c or c - 1 for t < 0 (same
        // direction).
        const bool c_upper = negative ? upper : !upper;
        const mpfr_rnd_t c_rnd = c_upper ? MPFR_RNDU : MPFR_RNDD, f_rnd = upper ? MPFR_RNDU : MPFR_RNDD;
        mpfr_set_d(cm, c_upper ? c.hi : c.lo, c_rnd);                // exact (53 <= 64 bits)
        mpfr_mul_2si(cm, cm, (sigmoid ? 0 : 1) - c.k, c_rnd);        // exact unless below MPFR's exponent range
        if (!negative)
            mpfr_ui_sub(out, 1, cm, f_rnd);
        else if (sigmoid)
            mpfr_set(out, cm, f_rnd);
        else
            mpfr_sub_ui(out, cm, 1, f_rnd);
    }
    return ok;
}

}  // namespace

std::optional<Interval> activate_keeping_complement(ActivationKind kind, const Interval& z) {
    if (kind != ActivationKind::sigmoid && kind != ActivationKind::tanh) return std::nullopt;
    if (z.is_nan() || mpfr_cmp(z.lo(), z.hi()) > 0 || (mpfr_inf_p(z.lo()) && mpfr_sgn(z.lo()) > 0) ||
        (mpfr_inf_p(z.hi()) && mpfr_sgn(z.hi()) < 0) || !ball_rounding::ieee_environment())
        return std::nullopt;
    // f is increasing: f(z.lo) rounded down and f(z.hi) rounded up hold f over z (at an infinite end, the limit).
    Interval r;
    const bool sigmoid = kind == ActivationKind::sigmoid;
    if (!saturating_end(sigmoid, z.lo(), false, &r.raw()->left) || !saturating_end(sigmoid, z.hi(), true, &r.raw()->right))
        return std::nullopt;
    return r;
}

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
