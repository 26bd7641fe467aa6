// One-layer loss bounds (docs/certificates.md, "One-layer bounds"): the second-order bound with its linear parts
// gathered over the data points, and the contraction of a box by each term's share of a loss level.
#include "kernel/interval/one_layer.hpp"

#include "hints/box_quadratic.hpp"
#include "kernel/autodiff.hpp"
#include "kernel/ball/ball.hpp"
#include "kernel/ball/dinterval.hpp"
#include "kernel/ball/elementary.hpp"
#include "kernel/interval/activation.hpp"
#include "kernel/interval/strong_convexity.hpp"

#include <mpfr.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

namespace nncert::kernel {

namespace {

bool smooth_kind(const Activation& a) {
    switch (a.kind) {
        case ActivationKind::identity:
        case ActivationKind::poly:
        case ActivationKind::sigmoid:
        case ActivationKind::tanh:
        case ActivationKind::softplus: return true;
        case ActivationKind::relu: return false;
        case ActivationKind::leaky_relu: return a.alpha == 1;  // the identity
    }
    return false;
}

// The point interval [u, u], u >= sqrt(t) for every t of x (x >= 0): MPFR's square root of x's upper end, rounded up.
// Not named sqrt_upper: box_definiteness.hpp declares kernel::sqrt_upper(const Rational&), and in a unity batch
// (NNCERT_UNITY) both would be one overload set, a Rational argument reaching this one through Interval's implicit
// constructor if the other were ever dropped.
Interval sqrt_upper_point(const Interval& x) {
    Interval r;
    mpfr_sqrt(&r.raw()->right, x.hi(), MPFR_RNDU);
    mpfr_set(&r.raw()->left, &r.raw()->right, MPFR_RNDD);  // exact: the same precision
    return r;
}

// The least value of theta_k^2 over [lo, hi], exactly.
Rational min_square(const Range& r) {
    if (*r.lo <= 0 && 0 <= *r.hi) return Rational(0);
    const Rational m = *r.lo > 0 ? *r.lo : *r.hi;
    return m * m;
}

// An MPFR end as an exact rational (ends of enclosures of box coordinates: moderate exponents).
std::optional<Rational> end_value(mpfr_srcptr x) {
    if (!within_grid_range(x)) return std::nullopt;
    return exact_rational(x);
}

// The exponent e with 2^(e-1) <= hi - lo < 2^e of a range's width (its enclosure x), or nothing when the width is
// 0 or not finite.
std::optional<mpfr_exp_t> width_exponent(const Interval& x) {
    mpfr_t w;
    mpfr_init2(w, 32);
    mpfr_sub(w, x.hi(), x.lo(), MPFR_RNDU);
    std::optional<mpfr_exp_t> e;
    if (mpfr_regular_p(w) && mpfr_sgn(w) > 0) e = mpfr_get_exp(w);
    mpfr_clear(w);
    return e;
}

// The gathered bound's binary64 route (docs/certificates.md, "The gathered bound in binary64") computes in the
// binary64 intervals of ball/dinterval.hpp (docs/certificates.md, "Binary64 intervals"): every end of every operation
// moved one double outward, whatever the rounding mode; an end that is not finite (overflow) makes the whole
// computation decline (the MPFI route then runs).
using Dv = DInterval;
bool finite(const Dv& a) { return a.is_bounded(); }
}  // namespace

namespace one_layer_detail {

// A bound of f^-1(t) for sigmoid or tanh at an exact t inside f's open range ((0, 1), (-1, 1)): an upper bound when
// `up`, else a lower one, as an exact number of 64 bits (f^-1 is increasing, so any outer bound gives a sound cut).
// sigmoid^-1(t) = log(t / (1 - t)), tanh^-1(t) = log((1 + t) / (1 - t)) / 2, each MPFR operation correctly rounded
// in the direction that moves the result outward: the numerator up (down), the positive denominator down (up), the
// quotient and the logarithm up (down); halving is exact. Empty when a step leaves MPFR's range.
std::optional<Rational> inverse_bound(ActivationKind kind, mpfr_srcptr t, bool up) {
    const mpfr_rnd_t out = up ? MPFR_RNDU : MPFR_RNDD, in = up ? MPFR_RNDD : MPFR_RNDU;
    mpfr_t num, den;
    mpfr_inits2(64, num, den, static_cast<mpfr_ptr>(nullptr));
    mpfr_ui_sub(den, 1, t, in);  // 1 - t > 0
    if (kind == ActivationKind::tanh) {
        mpfr_add_ui(num, t, 1, out);  // 1 + t > 0
        mpfr_div(num, num, den, out);
    } else {
        mpfr_div(num, t, den, out);  // t > 0
    }
    mpfr_log(num, num, out);
    if (kind == ActivationKind::tanh) mpfr_div_2ui(num, num, 1, out);
    std::optional<Rational> r;
    if (mpfr_sgn(den) > 0 && mpfr_number_p(num) && within_grid_range(num)) r = exact_rational(num);
    mpfr_clears(num, den, static_cast<mpfr_ptr>(nullptr));
    return r;
}

// A cut end x rounded outward (down when `down`, else up) to a multiple of 2^(e - 24), e the width exponent of the
// range it cuts: an outward rounding keeps the cut sound and loses at most 2^-23 of the range's width; the box ends
// stay short dyadic numbers (cheap rationals) that do not depend on the enclosures' last bits. Exact: scaling by a
// power of two is, and so is floor or ceil at x's own precision. Plain end_value without a width exponent.
std::optional<Rational> cut_end(mpfr_srcptr x, bool down, std::optional<mpfr_exp_t> e) {
    if (!within_grid_range(x)) return std::nullopt;
    if (!e) return exact_rational(x);
    mpfr_t y;
    mpfr_init2(y, mpfr_get_prec(x));
    mpfr_mul_2si(y, x, 24 - *e, MPFR_RNDN);
    if (down) mpfr_floor(y, y); else mpfr_ceil(y, y);
    mpfr_mul_2si(y, y, *e - 24, MPFR_RNDN);
    std::optional<Rational> r;
    if (mpfr_number_p(y) && within_grid_range(y)) r = exact_rational(y);
    mpfr_clear(y);
    return r;
}

}  // namespace one_layer_detail

using one_layer_detail::cut_end;
using one_layer_detail::inverse_bound;

struct OneLayer::Terms {
    bool ok = false;  // bounded box and finite enclosures
    IVector x;        // the box's ranges
    IVector z;        // Z_i: a_i . X
    IVector f;        // f(Z_i)
};

std::optional<OneLayer> OneLayer::of(const Problem& pb) {
    if (pb.net.layers.size() != 1 || pb.net.output_dim() != 1 || !is_squared_error(pb.loss)) return std::nullopt;
    const Activation& f = pb.net.layers[0].activation;
    if (!smooth_kind(f)) return std::nullopt;
    OneLayer ol(pb);
    const Rational scale = loss_scale(pb);
    const bool bias = pb.net.has_bias(0);
    for (const Sample& s : pb.data) {
        Vector a = s.x;
        if (bias) a.emplace_back(1);
        IVector ia;
        for (const Rational& q : a) ia.emplace_back(q);
        ol.a_.push_back(std::move(a));
        ol.ia_.push_back(std::move(ia));
        ol.c_.push_back(scale * s.weight);
        ol.ic_.emplace_back(ol.c_.back());
        ol.iy_.emplace_back(s.y[0]);
        for (const Rational& q : ol.a_.back()) ol.ad_.push_back(q.convert_to<double>());
    }
    ol.b64_ = OneLayerBinary64::of(pb);
    ol.invertible_ = f.kind == ActivationKind::sigmoid || f.kind == ActivationKind::tanh ||
                     f.kind == ActivationKind::identity || (f.kind == ActivationKind::leaky_relu && f.alpha == 1);
    return ol;
}

OneLayer::Terms OneLayer::terms(const Box& box) const {
    Terms t;
    if (!detail::bounded(box)) return t;
    const Activation& act = pb_->net.layers[0].activation;
    const std::size_t p = box.size(), n = a_.size();
    t.x.reserve(p);
    for (const Range& r : box) t.x.push_back(enclose(r));
    t.z.resize(n);
    t.f.reserve(n);
    // Z_i and f(Z_i) in binary64 intervals where the binary64 route applies (ball/dinterval.hpp: the same sums and
    // activation enclosures, every end moved outward; converted exactly to MPFI), else in MPFI. Either encloses them;
    // the bounds that need the working precision's digits read a_i . c at the centre, not Z_i (bound_mpfi).
    if (b64_ && ball_rounding::ieee_environment() && b64_->n == n && b64_->p == p) {
        std::vector<Dv> xd(p);
        for (std::size_t k = 0; k < p; ++k) xd[k] = DInterval::from_interval(t.x[k]);
        for (std::size_t i = 0; i < n; ++i) {
            Dv z;
            for (std::size_t k = 0; k < p; ++k)
                if (b64_->nonzero[i * p + k]) z += b64_->a(i, k) * xd[k];
            const Dv f = activate(act, z, 0);
            if (!finite(z) || !finite(f)) return t;
            t.z[i] = to_interval(z);
            t.f.push_back(to_interval(f));
        }
        t.ok = true;
        return t;
    }
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t k = 0; k < p; ++k)
            if (!is_zero(a_[i][k])) add_product(t.z[i], ia_[i][k], t.x[k]);
        t.f.push_back(activate(act, t.z[i], 0));
        if (!t.f.back().is_bounded()) return t;
    }
    t.ok = true;
    return t;
}

Interval OneLayer::natural(const Terms& t, const Box& box, IVector& low) const {
    const std::size_t n = a_.size();
    low.resize(n);
    Interval total;
    for (std::size_t i = 0; i < n; ++i) {
        const Interval term = ic_[i] * sqr(t.f[i] - iy_[i]);
        low[i] = Interval::from_mpfr(term.lo());  // an exact number <= the term on the box
        total += low[i];
    }
    if (!is_zero(pb_->weight_decay)) {
        Rational decay = 0;
        for (const Range& r : box) decay += min_square(r);
        total += Interval(Rational(pb_->weight_decay * decay));
    }
    return total;
}

bool OneLayer::cut(const Terms& t, const Rational& level, Box& b, std::optional<Rational>* natural_bound) const {
    const Activation& act = pb_->net.layers[0].activation;
    const ActivationKind kind = act.kind == ActivationKind::leaky_relu ? ActivationKind::identity : act.kind;
    const std::size_t p = b.size(), n = a_.size();
    // Lower ends of each term over the box (exact MPFR numbers) and their sum with the weight decay's least value.
    IVector low;
    const Interval total = natural(t, b, low);
    if (natural_bound && total.is_bounded()) *natural_bound = total.lower();
    if (certainly_greater(total, level)) return false;  // (1): every theta of the box has L > level
    if (!invertible_) return true;
    const Interval lvl(level);
    for (std::size_t i = 0; i < n; ++i) {
        // (2): c_i (f(z_i) - y_i)^2 <= level - (the others' lower ends) at every theta of the box with L <= level.
        const Interval share = (lvl - (total - low[i])) / ic_[i];
        if (share.is_nan() || !certainly_at_least(share, 0)) continue;
        // Only the outer ends of y_i +- s_i are read: s_i is taken as the point sqrt(upper end of share), rounded up.
        const Interval s = sqrt_upper_point(share);
        const Interval top = iy_[i] + s, bottom = iy_[i] - s;
        // Nothing to cut when the outputs over the box already lie in [y - s, y + s].
        const bool cut_high = mpfr_greater_p(t.f[i].hi(), top.hi()), cut_low = mpfr_less_p(t.f[i].lo(), bottom.lo());
        if (!cut_high && !cut_low) continue;
        std::optional<Rational> zlo, zhi;
        if (kind != ActivationKind::identity) {
            // f's range is (0, 1) (sigmoid) or (-1, 1) (tanh): outside it, no z qualifies.
            const long inf_f = kind == ActivationKind::sigmoid ? 0 : -1;
            if (mpfr_cmp_si(top.hi(), inf_f) <= 0 || mpfr_cmp_si(bottom.lo(), 1) >= 0) return false;
            if (cut_high && mpfr_cmp_si(top.hi(), 1) < 0) zhi = inverse_bound(kind, top.hi(), true);
            if (cut_low && mpfr_cmp_si(bottom.lo(), inf_f) > 0) zlo = inverse_bound(kind, bottom.lo(), false);
        } else {
            if (cut_high) zhi = end_value(top.hi());
            if (cut_low) zlo = end_value(bottom.lo());
        }
        if (!zlo && !zhi) continue;
        // a_ik theta_k = z_i - sum_{j != k} a_ij theta_j: theta_k's range from z_i's and the others' ranges.
        for (std::size_t k = 0; k < p; ++k) {
            const int sign = a_[i][k].sign();
            if (sign == 0) continue;
            Interval rest;
            for (std::size_t j = 0; j < p; ++j)
                if (j != k && !is_zero(a_[i][j])) add_product(rest, ia_[i][j], t.x[j]);
            Range& r = b[k];
            const std::optional<mpfr_exp_t> e = width_exponent(t.x[k]);
            auto raise_low = [&](const Interval& q) {  // theta_k >= every point of q
                if (const auto v = q.is_bounded() ? cut_end(q.lo(), true, e) : std::nullopt; v && *v > *r.lo) r.lo = *v;
            };
            auto lower_high = [&](const Interval& q) {  // theta_k <= every point of q
                if (const auto v = q.is_bounded() ? cut_end(q.hi(), false, e) : std::nullopt; v && *v < *r.hi) r.hi = *v;
            };
            if (zlo) {
                const Interval q = (Interval(*zlo) - rest) / ia_[i][k];
                if (sign > 0) raise_low(q); else lower_high(q);
            }
            if (zhi) {
                const Interval q = (Interval(*zhi) - rest) / ia_[i][k];
                if (sign > 0) lower_high(q); else raise_low(q);
            }
            if (*r.lo > *r.hi) return false;
        }
    }
    return true;
}

std::optional<Rational> OneLayer::bound_from(const Terms& t, const Box& box, std::optional<std::size_t>* coordinate,
                                             Interval* centre_loss, const std::optional<Rational>& level) const {
    // The binary64 route first: the same theorem with the same exact coefficients kappa_i, c and hint, its sums in
    // outward-rounded binary64 intervals instead of 64-bit MPFI (docs/certificates.md, "The gathered bound in
    // binary64"). Its bound is a little lower (ends a few 2^-53 of the terms wider); where that could decide a box,
    // a bound within 2^-30 (1 + |level|) of the level, the MPFI route runs instead. Either bound is sound; the choice
    // is only speed.
    if (b64_) {
        std::optional<std::size_t> k;
        Interval centre;
        if (const std::optional<double> b = bound_binary64(t, box, &k, centre_loss ? &centre : nullptr)) {
            bool near = false;
            if (level) {
                const double l = level->convert_to<double>();
                near = std::fabs(*b - l) <= 0x1p-30 * (1 + std::fabs(l));  // l is the level rounded: both sides
            }
            if (!near) {
                if (coordinate) *coordinate = k;
                if (centre_loss) *centre_loss = centre;
                return exact_double(*b);
            }
        }
    }
    return bound_mpfi(t, box, coordinate, centre_loss);
}

std::optional<double> OneLayer::bound_binary64(const Terms& t, const Box& box, std::optional<std::size_t>* coordinate,
                                               Interval* centre_loss) const {
    // The rounding model needs gradual underflow: with flush-to-zero or denormals-are-zero set, MPFI decides.
    if (!b64_ || !ball_rounding::ieee_environment()) return std::nullopt;
    const std::size_t p = box.size(), n = a_.size();
    if (b64_->n != n || b64_->p != p || t.f.size() != n) return std::nullopt;
    // theta = c + d with c = sample(box), d_k in D_k = [lo_k - c_k, hi_k - c_k] (exact rationals, enclosed outward).
    const Vector c = sample(box);
    std::vector<Dv> cd(p), d(p), u(n);
    std::vector<double> dmid_lo(p), dmid_hi(p);  // the hint's box (any values are sound)
    std::vector<bool> wide(p);
    for (std::size_t k = 0; k < p; ++k) {
        cd[k] = Dv(c[k]);
        const Dv lo = Dv(*box[k].lo - c[k]), hi = Dv(*box[k].hi - c[k]);
        d[k] = DInterval::from_ends(lo.lo(), hi.hi());
        dmid_lo[k] = lo.lo();
        dmid_hi[k] = hi.hi();
        wide[k] = *box[k].lo < *box[k].hi;
        if (!finite(cd[k]) || !finite(d[k])) return std::nullopt;
    }
    // f(Z_i): the terms' enclosures (MPFI, or binary64 converted exactly), rounded outward.
    for (std::size_t i = 0; i < n; ++i) u[i] = DInterval::from_interval(t.f[i]);
    Dv centre;
    const std::optional<double> b =
        b64_->gathered_bound(cd, d, dmid_lo, dmid_hi, wide, u, coordinate, centre_loss ? &centre : nullptr);
    if (b && centre_loss) *centre_loss = to_interval(centre);
    return b;
}

std::optional<Rational> OneLayer::bound_mpfi(const Terms& t, const Box& box, std::optional<std::size_t>* coordinate,
                                             Interval* centre_loss) const {
    const Problem& pb = *pb_;
    const Activation& act = pb.net.layers[0].activation;
    const std::size_t p = box.size(), n = a_.size();
    // theta = c + d with c a point of the box; d_k in [lo_k - c_k, hi_k - c_k].
    const Vector c = sample(box);
    Vector dlo(p), dhi(p);
    IVector d(p), ci(p);
    for (std::size_t k = 0; k < p; ++k) {
        dlo[k] = *box[k].lo - c[k];
        dhi[k] = *box[k].hi - c[k];
        d[k] = Interval::hull(dlo[k], dhi[k]);
        ci[k] = Interval(c[k]);
    }
    // Per data point: phi(z) = c_i (f(z) - y)^2 >= phi(z_c) + phi'(z_c) e + kappa e^2 / 2 for every z = z_c + e in Z
    // (Taylor with the Lagrange remainder, kappa <= phi'' on Z). kappa < 0: bounded below by kappa max e^2 / 2;
    // kappa >= 0: by its tangent at a hinted e0. The linear parts go into v.
    // f at the centre: from binary64 balls (activate_binary64: width at most 2^-44 of the value) when every range of the
    // box is at least 2^-20 wide, where the bound's own second-order slack is far larger; at the working precision
    // otherwise (the choice only affects tightness: both are enclosures).
    bool coarse = true;
    for (std::size_t k = 0; k < p && coarse; ++k) {
        const std::optional<mpfr_exp_t> e = width_exponent(t.x[k]);
        coarse = e && *e >= -19;  // width >= 2^(e-1) >= 2^-20
    }
    const auto at_centre = [&](const Interval& z) {
        if (coarse)
            if (const std::optional<Interval> v = activate_binary64(act.kind, z, 0)) return *v;
        return activate(act, z, 0);
    };
    Interval constant, centre;  // centre: L(c) (kept apart from the curvature terms)
    IVector v(p), kappa(n), reach(n);  // reach_i encloses a_i . d over the box
    std::vector<bool> convex(n);
    const Interval one(Rational(1));
    for (std::size_t i = 0; i < n; ++i) {
        const Interval& y = iy_[i];
        const Interval& cw = ic_[i];
        Interval zc, e;
        for (std::size_t k = 0; k < p; ++k) {
            if (is_zero(a_[i][k])) continue;
            add_product(zc, ia_[i][k], ci[k]);
            add_product(e, ia_[i][k], d[k]);
        }
        // f and f' at z_c; phi''/(2 c_i) = f'^2 + (f - y) f'' over Z, through u = f(Z) for sigmoid (f' = u (1 - u),
        // f'' = f' (1 - 2u)) and tanh (f' = 1 - u^2, f'' = -2 u f'): no further elementary function.
        Interval fc, dfc, second;
        const Interval& u = t.f[i];
        switch (act.kind) {
            case ActivationKind::sigmoid: {
                fc = at_centre(zc);
                dfc = fc * (one - fc);
                const Interval du = u * (one - u);
                second = du * (du + (u - y) * (one - mul_2si(u, 1)));
                break;
            }
            case ActivationKind::tanh: {
                fc = at_centre(zc);
                dfc = one - sqr(fc);
                const Interval du = one - sqr(u);
                second = du * (du - mul_2si(u * (u - y), 1));
                break;
            }
            default: {
                fc = activate(act, zc, 0);
                dfc = activate(act, zc, 1);
                second = sqr(activate(act, t.z[i], 1)) + (u - y) * activate(act, t.z[i], 2);
                break;
            }
        }
        const Interval r = fc - y;
        centre += cw * sqr(r);
        const Interval coef = mul_2si(cw * r * dfc, 1);
        second = mul_2si(cw * second, 1);
        if (!coef.is_bounded() || !second.is_bounded()) return std::nullopt;
        kappa[i] = Interval::from_mpfr(second.lo());  // an exact number <= phi'' on Z
        convex[i] = mpfr_sgn(second.lo()) >= 0;
        if (!convex[i]) constant += mul_2si(kappa[i] * sqr(e), -1);
        reach[i] = e;
        for (std::size_t k = 0; k < p; ++k)
            if (!is_zero(a_[i][k])) add_product(v[k], coef, ia_[i][k]);
    }
    // Weight decay lambda |c + d|^2 >= lambda (|c|^2 - |d0|^2) + 2 lambda (c + d0) . d (the tangent at c + d0).
    const bool decay = !is_zero(pb.weight_decay);
    const Interval lambda(pb.weight_decay), two_lambda(Rational(2 * pb.weight_decay));
    if (decay)
        for (std::size_t k = 0; k < p; ++k) {
            add_product(v[k], two_lambda, ci[k]);
            centre += lambda * sqr(ci[k]);
        }
    constant += centre;
    if (centre_loss) *centre_loss = centre;
    // The tangent points: an untrusted minimiser d0 of the convex part (e0_i = a_i . d0 as hinted; any value is sound).
    bool any_convex = decay;
    for (std::size_t i = 0; i < n; ++i) any_convex = any_convex || convex[i];
    if (any_convex) {
        const Interval zero;
        std::vector<mpfr_srcptr> g(p), q(n);
        for (std::size_t k = 0; k < p; ++k) g[k] = v[k].lo();
        for (std::size_t i = 0; i < n; ++i) q[i] = convex[i] ? kappa[i].lo() : zero.lo();
        const hints::BoxQuadraticPoint h =
            hints::box_quadratic_minimiser_untrusted(g, q, ad_, Rational(2 * pb.weight_decay), dlo, dhi);
        for (std::size_t i = 0; i < n; ++i) {
            if (!convex[i] || i >= h.e.size() || is_zero(h.e[i])) continue;
            const Interval e0(h.e[i]);
            const Interval ke0 = kappa[i] * e0;
            constant -= mul_2si(ke0 * e0, -1);
            for (std::size_t k = 0; k < p; ++k)
                if (!is_zero(a_[i][k])) add_product(v[k], ke0, ia_[i][k]);
        }
        if (decay && h.d.size() == p)
            for (std::size_t k = 0; k < p; ++k) {
                if (is_zero(h.d[k])) continue;
                const Interval d0(h.d[k]);
                add_product(v[k], two_lambda, d0);
                constant -= lambda * sqr(d0);
            }
    }
    // min over the box of v . d: each v_k encloses one fixed number, so v_k * D_k bounds v_k d_k below.
    Interval bound = constant;
    for (std::size_t k = 0; k < p; ++k) add_product(bound, v[k], d[k]);
    if (!bound.is_bounded()) return std::nullopt;
    if (coordinate) {
        // The largest spread (|v_k| + sum_i |kappa_i a_ik| max|a_i . d|) (hi_k - lo_k): the first- and second-order
        // parts of the bound's slack that halving range k shrinks. Any choice is sound.
        IVector curvature(p);
        for (std::size_t i = 0; i < n; ++i) {
            Interval ki = kappa[i] * reach[i];
            mpfi_abs(ki.raw(), ki.raw());
            for (std::size_t k = 0; k < p; ++k) {
                if (is_zero(a_[i][k])) continue;
                Interval aik = ia_[i][k];
                mpfi_abs(aik.raw(), aik.raw());
                add_product(curvature[k], ki, aik);
            }
        }
        Interval best;
        for (std::size_t k = 0; k < p; ++k) {
            if (!(dlo[k] < dhi[k])) continue;
            Interval spread = v[k];
            mpfi_abs(spread.raw(), spread.raw());
            spread = (spread + curvature[k]) * Interval(Rational(dhi[k] - dlo[k]));
            if (!*coordinate || mpfr_greater_p(spread.hi(), best.hi())) {
                best = spread;
                *coordinate = k;
            }
        }
    }
    return bound.lower();
}

OneLayer::Examination OneLayer::examine(const Box& box, const std::optional<Rational>& level) const {
    Examination ex;
    const Terms t = terms(box);
    if (!t.ok) return ex;
    ex.outputs = t.f;
    std::optional<Rational> nat;
    if (level) {
        Box b = box;
        if (!cut(t, *level, b, &nat)) {
            ex.outcome = Examination::Outcome::empty;
            return ex;
        }
        for (std::size_t k = 0; k < b.size(); ++k) {
            const Rational before = *box[k].hi - *box[k].lo;
            if (before > 0 && Rational(*b[k].hi - *b[k].lo) * 4 <= before * 3) {
                ex.outcome = Examination::Outcome::shrunk;
                ex.box = std::move(b);
                return ex;
            }
        }
    }
    Interval centre;
    if (const auto lb = bound_from(t, box, &ex.coordinate, &centre, level)) {
        ex.centre_loss = centre;
        ex.outcome = Examination::Outcome::bounded;
        // The natural bound too: both hold on the box.
        if (!level) {
            IVector low;
            const Interval total = natural(t, box, low);
            if (total.is_bounded()) nat = total.lower();
        }
        ex.bound = nat && *nat > *lb ? *nat : *lb;
    }
    return ex;
}

std::optional<Rational> OneLayer::lower_bound(const Box& box) const {
    const Terms t = terms(box);
    if (!t.ok) return std::nullopt;
    return bound_from(t, box, nullptr);
}

std::optional<Rational> OneLayer::lower_bound_binary64(const Box& box) const {
    const Terms t = terms(box);
    if (!t.ok) return std::nullopt;
    const std::optional<double> b = bound_binary64(t, box, nullptr, nullptr);
    if (!b) return std::nullopt;
    return exact_double(*b);
}

std::optional<Rational> OneLayer::lower_bound_mpfi(const Box& box) const {
    const Terms t = terms(box);
    if (!t.ok) return std::nullopt;
    return bound_mpfi(t, box, nullptr, nullptr);
}

OneLayer::Contraction OneLayer::contract(const Box& box, const Rational& level) const {
    Contraction out;
    out.box = box;
    for (int round = 0; round < 4; ++round) {
        const Terms t = terms(out.box);
        if (!t.ok) break;
        Box b = out.box;
        if (!cut(t, level, b)) {
            out.empty = true;
            return out;
        }
        bool progress = false;
        for (std::size_t k = 0; k < b.size(); ++k)
            if (Rational(*b[k].hi - *b[k].lo) * 8 < Rational(*out.box[k].hi - *out.box[k].lo) * 7) progress = true;
        out.box = std::move(b);
        if (!progress) break;
    }
    for (std::size_t k = 0; k < box.size(); ++k) {
        if (!box[k].bounded()) continue;
        const Rational before = *box[k].hi - *box[k].lo;
        if (before > 0 && Rational(*out.box[k].hi - *out.box[k].lo) * 4 <= before * 3) out.shrunk = true;
    }
    return out;
}

BoxAssessor one_layer_loss_assessor(const OneLayer& ol, const LossObligation& ob, BoxAssessor inner) {
    return [&ol, ob, inner = std::move(inner)](const Box& box) {
        if (ob.sense < 0) return inner(box);
        const OneLayer::Examination ex = ol.examine(box, ob.threshold);
        BoxAssessment a;
        switch (ex.outcome) {
            case OneLayer::Examination::Outcome::empty:  // L > threshold on the whole box
                a.fate = BoxAssessment::Fate::settled;
                a.bound.value = ob.threshold;
                return a;
            case OneLayer::Examination::Outcome::shrunk:
                a.replacement = ex.box;
                return a;
            case OneLayer::Examination::Outcome::unknown:
                return inner(box);
            case OneLayer::Examination::Outcome::bounded:
                break;
        }
        a.bound.value = ex.bound;
        if (ob.strict ? ex.bound > ob.threshold : ex.bound >= ob.threshold) {
            a.fate = BoxAssessment::Fate::settled;
            return a;
        }
        // A witness is possible only if the box's bound does not already exclude it, nor the enclosure of the loss
        // at the sample point (the centre of the gathered bound): the witness needs L(sample) <= refute (< refute).
        const bool centre_excludes =
            ex.centre_loss && (ob.refute_strict ? certainly_at_least(*ex.centre_loss, ob.refute)
                                                : certainly_greater(*ex.centre_loss, ob.refute));
        if (!centre_excludes && witness_possible(a.bound, ob))
            if (auto w = loss_witness(*ol.problem(), sample(box), ob)) {  // ob.sense > 0 here
                a.fate = BoxAssessment::Fate::refuted;
                a.witness = std::move(*w);
            }
        a.coordinate = ex.coordinate;
        return a;
    };
}

BoxAssessor lower_bound_assessor(const Problem& pb, const std::optional<OneLayer>& one_layer, const LossObligation& ob) {
    BoxAssessor inner = loss_assessor(pb, ob);
    if (!one_layer || ob.sense < 0) return inner;
    return one_layer_loss_assessor(*one_layer, ob, std::move(inner));
}

LowerBound capped_bound(const LowerBound& b, const Rational& t) {
    if (!b.value || *b.value <= t) return b;
    return LowerBound{t};
}

}  // namespace nncert::kernel
