// One-layer loss bounds in binary64 intervals (one_layer_binary64.hpp): the problem's coefficients as outward doubles,
// the gathered bound's binary64 core, and the output-layer search that runs on boxes of doubles.
#include "kernel/interval/one_layer_binary64.hpp"

#include "hints/box_quadratic.hpp"
#include "kernel/autodiff.hpp"
#include "kernel/ball/ball.hpp"
#include "kernel/interval/one_layer.hpp"

#include <mpfr.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

namespace nncert::kernel {

// The helpers live in a namespace of their own: in a unity batch (NNCERT_UNITY) one_layer.cpp's anonymous helpers
// (finite, Dv) share the translation unit.
namespace olb64 {
namespace {

using Dv = DInterval;
namespace dround = dinterval_rounding;  // qualified calls: ball_rounding has an up() too (unity builds)
Dv point(double x) { return DInterval::from_ends(x, x); }
bool finite(const Dv& a) { return a.is_bounded(); }

// f([z.lo, z.hi]) for an increasing f (sigmoid, tanh): the ball engine's enclosures of f at the two ends (through
// activation_value_at's memo: a box's parts share the pre-activation ends on the side a split leaves alone).
Dv increasing_image(ActivationKind kind, const Dv& z) {
    const Ball l = activation_value_at(kind, z.lo());
    const Ball h = activation_value_at(kind, z.hi());
    if (!l.is_finite() || !h.is_finite()) return DInterval::whole();
    return DInterval::from_ends(dround::down(l.mid() - l.rad()), dround::up(h.mid() + h.rad()));
}

// f over an interval [lo, hi] that encloses one point (the centre's pre-activation): the ball at lo, the upper end
// raised by Lip (hi - lo) with Lip >= sup |f'| (1/4 for sigmoid, 1 for tanh; mean value theorem): one evaluation of f
// instead of two, at the cost of a few ulps of the (tiny) width.
Dv narrow_image(ActivationKind kind, const Dv& z) {
    const Ball l = activation_value_at(kind, z.lo());
    if (!l.is_finite() || !finite(z)) return DInterval::whole();
    const double lip = kind == ActivationKind::tanh ? 1.0 : 0.25;
    const double rise = z.hi() == z.lo() ? 0.0 : dround::up(dround::up(z.hi() - z.lo()) * lip);
    return DInterval::from_ends(dround::down(l.mid() - l.rad()), dround::up(dround::up(l.mid() + l.rad()) + rise));
}

}  // namespace
}  // namespace olb64

std::optional<OneLayerBinary64> OneLayerBinary64::of(const Problem& pb) {
    if (pb.net.layers.size() != 1 || pb.net.output_dim() != 1 || !is_squared_error(pb.loss) ||
        !is_zero(pb.weight_decay))
        return std::nullopt;
    const ActivationKind kind = pb.net.layers[0].activation.kind;
    if (kind != ActivationKind::sigmoid && kind != ActivationKind::tanh) return std::nullopt;
    OneLayerBinary64 f;
    f.kind = kind;
    const bool bias = pb.net.has_bias(0);
    f.n = pb.data.size();
    f.p = pb.net.input_dim + (bias ? 1 : 0);
    const Rational scale = loss_scale(pb);
    for (const Sample& s : pb.data) {
        if (s.x.size() != pb.net.input_dim || s.y.size() != 1) return std::nullopt;
        for (std::size_t k = 0; k < f.p; ++k) {
            const Rational a = k < s.x.size() ? s.x[k] : Rational(1);
            const DInterval e(a);  // the tightest doubles around a_ik (exact when a_ik is a double)
            f.alo.push_back(e.lo());
            f.ahi.push_back(e.hi());
            f.nonzero.push_back(is_zero(a) ? 0 : 1);
            f.ad.push_back(mpq_get_d(a.backend().data()));  // within one ulp (truncated): a hint's data only
        }
        const DInterval c(Rational(scale * s.weight)), y(s.y[0]);
        f.clo.push_back(c.lo());
        f.chi.push_back(c.hi());
        f.ylo.push_back(y.lo());
        f.yhi.push_back(y.hi());
    }
    return f;
}

std::optional<double> OneLayerBinary64::gathered_bound(const std::vector<DInterval>& cd, const std::vector<DInterval>& d,
                                                       const std::vector<double>& dmid_lo,
                                                       const std::vector<double>& dmid_hi, const std::vector<bool>& wide,
                                                       const std::vector<DInterval>& uf, std::optional<std::size_t>* coordinate,
                                                       DInterval* centre_out) const {
    const bool tanh = kind == ActivationKind::tanh;
    if (cd.size() != p || d.size() != p || uf.size() != n) return std::nullopt;
    const DInterval one = olb64::point(1), half = olb64::point(0.5);
    DInterval centre, constant;  // centre: an enclosure of L(c)
    std::vector<DInterval> v(p), reach(n), slope(n);  // slope_i: coef_i, then coef_i + kappa_i e0_i
    std::vector<double> kappa(n);
    std::vector<bool> convex(n);
    for (std::size_t i = 0; i < n; ++i) {
        const DInterval y = DInterval::from_ends(ylo[i], yhi[i]), cw = DInterval::from_ends(clo[i], chi[i]);
        DInterval zc, e;
        for (std::size_t k = 0; k < p; ++k) {
            if (!nonzero[i * p + k]) continue;
            zc = zc + times_a(i, k, cd[k]);
            e = e + times_a(i, k, d[k]);
        }
        // f and f' at z_c from the ball engine's enclosures of f at the ends of Z_c's enclosure; phi''/(2 c_i) over Z
        // through u = f(Z) (the MPFI enclosure of the terms, rounded outward), as in the MPFI route.
        const DInterval fc = olb64::narrow_image(kind, zc);
        const DInterval& u = uf[i];
        DInterval dfc, second;
        if (tanh) {
            dfc = one - sqr(fc);
            const DInterval du = one - sqr(u);
            second = du * (du - doubled(u * (u - y)));
        } else {
            dfc = fc * (one - fc);
            const DInterval du = u * (one - u);
            second = du * (du + (u - y) * (one - doubled(u)));
        }
        const DInterval r = fc - y;
        // c_i = 1 (sse without weights): the products by c_i go, and those by 2 c_i are doublings (exact: `doubled`).
        const bool unit = clo[i] == 1 && chi[i] == 1;
        centre = centre + (unit ? sqr(r) : cw * sqr(r));
        const DInterval cw2 = doubled(cw);
        const DInterval coef = unit ? doubled(r * dfc) : cw2 * r * dfc;
        second = unit ? doubled(second) : cw2 * second;
        if (!olb64::finite(coef) || !olb64::finite(second) || !olb64::finite(e)) return std::nullopt;
        kappa[i] = second.lo();  // an exact number <= phi'' on Z
        convex[i] = kappa[i] >= 0;
        if (!convex[i]) constant = constant + half * (olb64::point(kappa[i]) * sqr(e));
        reach[i] = e;
        slope[i] = coef;
    }
    constant = constant + centre;
    if (!olb64::finite(centre)) return std::nullopt;
    if (centre_out) *centre_out = centre;
    // The tangent points: an untrusted minimiser of the convex part (e0_i as hinted; any value is sound).
    // The hint's linear term in plain doubles (sum_i mid(coef_i) a_ik): any value is sound.
    if (std::find(convex.begin(), convex.end(), true) != convex.end()) {
        std::vector<double> g(p, 0.0), q(n);
        for (std::size_t i = 0; i < n; ++i) {
            const double m = slope[i].lo() / 2 + slope[i].hi() / 2;
            for (std::size_t k = 0; k < p; ++k) g[k] += m * ad[i * p + k];
        }
        for (std::size_t i = 0; i < n; ++i) q[i] = convex[i] ? kappa[i] : 0.0;
        const hints::BoxQuadraticPointD h =
            hints::box_quadratic_minimiser_untrusted_d(g, q, ad, 0.0, dmid_lo, dmid_hi);
        for (std::size_t i = 0; i < n; ++i) {
            if (!convex[i] || i >= h.e.size() || h.e[i] == 0) continue;
            const DInterval e0 = olb64::point(h.e[i]);
            const DInterval ke0 = olb64::point(kappa[i]) * e0;
            constant = constant - half * (ke0 * e0);
            slope[i] = slope[i] + ke0;
        }
    }
    // v_k = sum_i (coef_i + kappa_i e0_i) a_ik: one product per term (a(b + c) lies inside ab + ac, and holds the
    // same real number).
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t k = 0; k < p; ++k)
            if (nonzero[i * p + k]) v[k] = v[k] + times_a(i, k, slope[i]);
    // min over the box of v . d: each v_k encloses one fixed number, so v_k * D_k bounds v_k d_k below.
    DInterval bound = constant;
    for (std::size_t k = 0; k < p; ++k) bound = bound + v[k] * d[k];
    if (!olb64::finite(bound)) return std::nullopt;
    if (coordinate) {
        // As the MPFI route: the largest (|v_k| + sum_i |kappa_i a_ik| max|a_i . d|) (hi_k - lo_k), in plain doubles
        // (a choice of split, never a bound).
        std::vector<double> curvature(p, 0.0);
        for (std::size_t i = 0; i < n; ++i) {
            const double ki = std::fabs(kappa[i]) * std::max(std::fabs(reach[i].lo()), std::fabs(reach[i].hi()));
            for (std::size_t k = 0; k < p; ++k)
                if (nonzero[i * p + k])
                    curvature[k] += ki * std::max(std::fabs(alo[i * p + k]), std::fabs(ahi[i * p + k]));
        }
        double best = 0;
        for (std::size_t k = 0; k < p; ++k) {
            if (!wide[k]) continue;
            const double spread =
                (std::max(std::fabs(v[k].lo()), std::fabs(v[k].hi())) + curvature[k]) * (d[k].hi() - d[k].lo());
            if (!*coordinate || spread > best) {
                best = spread;
                *coordinate = k;
            }
        }
    }
    return bound.lo();
}

namespace olb64 {
namespace {

// q / a for an interval a that does not contain 0 (both ends of one sign): the least and greatest corner quotients,
// each moved one double outward. The whole line when a may contain 0 or an end is not finite.
Dv divide(const Dv& q, const Dv& a) {
    if (!(a.lo() > 0 || a.hi() < 0) || !finite(q) || !finite(a)) return DInterval::whole();
    const double c[4] = {q.lo() / a.lo(), q.lo() / a.hi(), q.hi() / a.lo(), q.hi() / a.hi()};
    return DInterval::from_ends(dround::down(*std::min_element(c, c + 4)), dround::up(*std::max_element(c, c + 4)));
}

// A lower bound of the loss as the search keeps it: `key` a double <= the bound (-inf: nothing known), `exact` the
// bound itself when it is a rational that is not a double (from the MPFI assessor).
struct Bound {
    double key = -std::numeric_limits<double>::infinity();
    std::optional<Rational> exact;

    static Bound of(const LowerBound& b) {
        Bound r;
        if (!b.value) return r;
        r.key = Dv(*b.value).lo();  // -inf below -DBL_MAX: then the exact value is kept (exact_double needs a finite key)
        if (!std::isfinite(r.key) || exact_double(r.key) != *b.value) r.exact = b.value;
        return r;
    }
    LowerBound lower_bound() const {
        if (exact) return LowerBound{exact};
        if (key == -std::numeric_limits<double>::infinity()) return LowerBound{};
        return LowerBound{exact_double(key)};
    }
    // a < b as bounds (the keys are the bounds rounded down: a smaller key is a smaller bound).
    friend bool operator<(const Bound& a, const Bound& b) {
        if (a.key != b.key) return a.key < b.key;
        if (!a.exact) return b.exact.has_value();  // key < the other's exact value (not a double)
        return b.exact && *a.exact < *b.exact;
    }
};
const Bound& lower_of(const Bound& a, const Bound& b) { return b < a ? b : a; }

// An open box of the search: ranges [lo_k, hi_k] of doubles.
struct DBox {
    std::vector<double> lo, hi;
    Bound bound;  // inherited from the box it came from
    std::size_t depth = 0, seq = 0;
};
// Heap order: the lowest bound first, then the oldest.
struct Later {
    bool operator()(const DBox& a, const DBox& b) const {
        if (b.bound < a.bound) return true;
        if (a.bound < b.bound) return false;
        return a.seq > b.seq;
    }
};

Box to_box(const DBox& b) {
    Box out(b.lo.size());
    for (std::size_t k = 0; k < b.lo.size(); ++k) {
        out[k].lo = exact_double(b.lo[k]);
        out[k].hi = exact_double(b.hi[k]);
    }
    return out;
}

// The box's ranges rounded outward to doubles; nothing when a range is unbounded or beyond the double range.
std::optional<DBox> to_dbox(const Box& box) {
    DBox out;
    for (const Range& r : box) {
        if (!r.lo || !r.hi) return std::nullopt;
        const double lo = Dv(*r.lo).lo(), hi = Dv(*r.hi).hi();
        if (!std::isfinite(lo) || !std::isfinite(hi)) return std::nullopt;
        out.lo.push_back(lo);
        out.hi.push_back(hi);
    }
    return out;
}

// inverse_end's computation through MPFR and rationals.
std::optional<double> inverse_end_computed(ActivationKind kind, double t, bool up) {
    mpfr_t m;
    mpfr_init2(m, 53);
    mpfr_set_d(m, t, MPFR_RNDN);  // exact: t is a double
    const std::optional<Rational> r = one_layer_detail::inverse_bound(kind, m, up);
    mpfr_clear(m);
    if (!r) return std::nullopt;
    const Dv e(*r);
    return up ? e.hi() : e.lo();
}

// An outward double bound of f^-1(t) (one_layer_detail::inverse_bound) at the double t; nothing when it fails.
// Remembered per thread, keyed by (kind, up, the bits of t): a search's cuts meet the same levels at box after box
// (the same data and threshold), and the bound is a deterministic function of the key.
std::optional<double> inverse_end(ActivationKind kind, double t, bool up) {
    struct Entry {
        std::uint64_t bits = 0;
        int tag = -1;  // 2 kind + up; -1: empty
        std::optional<double> value;
    };
    static thread_local Entry memo[256];
    std::uint64_t bits;
    std::memcpy(&bits, &t, sizeof bits);
    const int tag = 2 * static_cast<int>(kind) + (up ? 1 : 0);
    Entry& e = memo[((bits ^ static_cast<std::uint64_t>(tag)) * 0x9E3779B97F4A7C15ull) >> 56];
    if (e.tag == tag && e.bits == bits) return e.value;
    e.value = inverse_end_computed(kind, t, up);
    e.bits = bits;
    e.tag = tag;
    return e.value;
}

// What one binary64 look at a box gives (the examination of OneLayer::examine, one_layer.hpp).
struct Look {
    enum class Fate { settled, refuted, shrunk, split, undecided } fate = Fate::undecided;
    Bound bound;                         // settled, split: a lower bound of L over the box
    std::optional<std::size_t> coordinate;  // split
    DBox shrunk;                         // shrunk: a sub-box holding every theta of the box with L <= t
    Value witness;                       // refuted
};

class Search {
public:
    // `witnesses`: whether a box's centre is tried as a witness (a caller whose witnesses only split skips them).
    Search(const Problem& pb, const OneLayerBinary64& f, const LossObligation& ob, bool witnesses)
        : pb_(pb), f_(f), ob_(ob), t_(ob.threshold), r_(ob.refute), at_t_(Bound::of(LowerBound{ob.threshold})),
          witnesses_(witnesses) {}

    // undecided: binary64 cannot decide this box (an enclosure not finite, a bound near t): the MPFI assessor's turn.
    Look look(const DBox& b) const {
        Look out;
        const std::size_t n = f_.n, p = f_.p;
        // Scratch vectors kept between looks (one Search per run, on one thread): no allocation per box.
        std::vector<Dv>&x = x_, &z = z_, &u = u_, &cd = cd_, &d = d_;
        std::vector<double>&low = low_, &dlo = dlo_, &dhi = dhi_, &mid = mid_;
        std::vector<bool>& wide = wide_;
        x.resize(p);
        z.assign(n, Dv());
        u.resize(n);
        low.resize(n);
        for (std::size_t k = 0; k < p; ++k) x[k] = DInterval::from_ends(b.lo[k], b.hi[k]);
        // The natural bound: each term's least value over the box (an exact double <= it), summed.
        Dv total;
        for (std::size_t i = 0; i < n; ++i) {
            for (std::size_t k = 0; k < p; ++k)
                if (f_.nonzero[i * p + k]) z[i] += f_.times_a(i, k, x[k]);
            u[i] = increasing_image(f_.kind, z[i]);
            if (!finite(z[i]) || !finite(u[i])) return out;
            const Dv term = DInterval::from_ends(f_.clo[i], f_.chi[i]) *
                            sqr(u[i] - DInterval::from_ends(f_.ylo[i], f_.yhi[i]));
            low[i] = term.lo();
            total += point(low[i]);
        }
        if (total.lo() > t_.hi()) {  // (1) of the contraction: L > t on the whole box
            out.fate = Look::Fate::settled;
            out.bound = at_t_;
            return out;
        }
        // (2): one round of cuts at level t (the rule of OneLayer::cut, in binary64).
        DBox c = b;
        const double floor_f = f_.kind == ActivationKind::sigmoid ? 0 : -1;
        for (std::size_t i = 0; i < n; ++i) {
            // c_i (f(z_i) - y_i)^2 <= t - (the others' lower ends) at every theta of the box with L <= t.
            const Dv num = t_ - (total - point(low[i]));
            if (!(f_.clo[i] > 0) || !(num.lo() >= 0) || !std::isfinite(num.hi())) continue;
            const double share = dround::up(num.hi() / f_.clo[i]);
            if (!std::isfinite(share)) continue;
            const double s = dround::up(std::sqrt(share));
            const double top = dround::up(f_.yhi[i] + s), bottom = dround::down(f_.ylo[i] - s);
            const bool cut_high = u[i].hi() > top, cut_low = u[i].lo() < bottom;
            if (!cut_high && !cut_low) continue;
            if (top <= floor_f || bottom >= 1) {  // no value of f qualifies
                out.fate = Look::Fate::settled;
                out.bound = at_t_;
                return out;
            }
            std::optional<double> zlo, zhi;
            if (cut_high && top < 1) zhi = inverse_end(f_.kind, top, true);
            if (cut_low && bottom > floor_f) zlo = inverse_end(f_.kind, bottom, false);
            if (!zlo && !zhi) continue;
            for (std::size_t k = 0; k < p; ++k) {
                if (!f_.nonzero[i * p + k]) continue;
                const Dv aik = f_.a(i, k);
                Dv rest;
                for (std::size_t j = 0; j < p; ++j)
                    if (j != k && f_.nonzero[i * p + j]) rest += f_.times_a(i, j, x[j]);
                const bool positive = aik.lo() > 0;
                if (zlo) {  // a_ik theta_k >= zlo - rest
                    const Dv q = divide(point(*zlo) - rest, aik);
                    if (finite(q)) {
                        if (positive) c.lo[k] = std::max(c.lo[k], q.lo()); else c.hi[k] = std::min(c.hi[k], q.hi());
                    }
                }
                if (zhi) {  // a_ik theta_k <= zhi - rest
                    const Dv q = divide(point(*zhi) - rest, aik);
                    if (finite(q)) {
                        if (positive) c.hi[k] = std::min(c.hi[k], q.hi()); else c.lo[k] = std::max(c.lo[k], q.lo());
                    }
                }
                if (c.lo[k] > c.hi[k]) {
                    out.fate = Look::Fate::settled;
                    out.bound = at_t_;
                    return out;
                }
            }
        }
        for (std::size_t k = 0; k < p; ++k) {
            const double before = b.hi[k] - b.lo[k];
            if (before > 0 && (c.hi[k] - c.lo[k]) * 4 <= before * 3) {
                out.fate = Look::Fate::shrunk;
                out.shrunk = std::move(c);
                return out;
            }
        }
        // The gathered bound at the centre c = the box's midpoint (a double of the box).
        cd.resize(p);
        d.resize(p);
        dlo.resize(p);
        dhi.resize(p);
        mid.resize(p);
        wide.resize(p);
        for (std::size_t k = 0; k < p; ++k) {
            mid[k] = std::clamp(b.lo[k] / 2 + b.hi[k] / 2, b.lo[k], b.hi[k]);
            cd[k] = point(mid[k]);
            dlo[k] = dround::down(b.lo[k] - mid[k]);
            dhi[k] = dround::up(b.hi[k] - mid[k]);
            if (b.lo[k] == mid[k]) dlo[k] = 0;  // exact differences 0
            if (b.hi[k] == mid[k]) dhi[k] = 0;
            d[k] = DInterval::from_ends(dlo[k], dhi[k]);
            wide[k] = b.lo[k] < b.hi[k];
        }
        std::optional<std::size_t> k;
        Dv centre;
        const std::optional<double> g = f_.gathered_bound(cd, d, dlo, dhi, wide, u, &k, &centre);
        if (!g) return out;
        const double level = t_.lo();
        if (std::fabs(*g - level) <= 0x1p-30 * (1 + std::fabs(level))) return out;  // near t: MPFI decides
        const double bound = std::max(*g, total.lo());
        out.bound.key = bound;
        const bool above = bound > t_.hi() || (bound >= t_.lo() && (ob_.strict ? exact_double(bound) > ob_.threshold
                                                                              : exact_double(bound) >= ob_.threshold));
        if (above) {
            out.fate = Look::Fate::settled;
            return out;
        }
        // A witness at the centre (it stops the search; see one_layer_loss_assessor): only where neither the box's
        // bound nor the enclosure of L(c) excludes L(c) <= refute (< refute).
        const bool excluded = centre.lo() > r_.hi() || (ob_.refute_strict && centre.lo() >= r_.hi());
        if (witnesses_ && !excluded && bound <= r_.hi()) {
            Vector theta(p);
            for (std::size_t j = 0; j < p; ++j) theta[j] = exact_double(mid[j]);
            if (auto w = loss_witness(pb_, theta, ob_)) {
                out.fate = Look::Fate::refuted;
                out.witness = std::move(*w);
                return out;
            }
        }
        out.fate = Look::Fate::split;
        out.coordinate = k;
        return out;
    }

private:
    const Problem& pb_;
    const OneLayerBinary64& f_;
    const LossObligation& ob_;
    const Dv t_, r_;  // t and the refutation level, enclosed
    const Bound at_t_;  // t as a bound
    const bool witnesses_;
    mutable std::vector<Dv> x_, z_, u_, cd_, d_;
    mutable std::vector<double> low_, dlo_, dhi_, mid_;
    mutable std::vector<bool> wide_;
};

std::optional<BranchBoundResult> search(const Problem& pb, const std::vector<Box>& roots, const LossObligation& ob,
                                        const BranchBoundLimits& limits, const OneLayerSearchHooks& hooks) {
    if (ob.sense != 1 || limits.observe || limits.threads > 1 || limits.batch > 1 || !ball_rounding::ieee_environment())
        return std::nullopt;
    const std::optional<OneLayerBinary64> f = OneLayerBinary64::of(pb);
    if (!f) return std::nullopt;
    std::vector<DBox> open;
    std::size_t seq = 0;
    for (const Box& r : roots) {
        std::optional<DBox> b = to_dbox(r);
        if (!b || b->lo.size() != f->p) return std::nullopt;
        b->seq = seq++;
        open.push_back(std::move(*b));
    }
    std::make_heap(open.begin(), open.end(), Later{});
    const auto pop = [&open] {
        std::pop_heap(open.begin(), open.end(), Later{});
        DBox b = std::move(open.back());
        open.pop_back();
        return b;
    };
    const auto push = [&open](DBox b) {
        open.push_back(std::move(b));
        std::push_heap(open.begin(), open.end(), Later{});
    };
    const auto start = std::chrono::steady_clock::now();
    const Search search(pb, *f, ob, !hooks.witness_splits);
    // The MPFI examination (one_layer_loss_assessor over OneLayer), built at the first box binary64 cannot decide.
    std::optional<OneLayer> ol;
    std::optional<BoxAssessor> mpfi;
    BranchBoundResult res;
    std::optional<Bound> settled_low;
    const auto finish = [&](BranchBoundResult::Outcome o, std::optional<DBox> stopped) {
        res.outcome = o;
        if (settled_low) res.settled_bound = settled_low->lower_bound();
        std::vector<DBox> rest;
        if (stopped) rest.push_back(std::move(*stopped));
        while (!open.empty()) rest.push_back(pop());
        Bound low;
        bool any = false;
        if (settled_low) {
            low = *settled_low;
            any = true;
        }
        for (const DBox& b : rest) {
            low = any ? lower_of(low, b.bound) : b.bound;
            any = true;
        }
        if (any) res.bound = low.lower_bound();
        if (!rest.empty()) {
            res.box = to_box(rest.front());
            res.box_bound = rest.front().bound.lower_bound();
        }
        if (limits.keep_unsettled && o != BranchBoundResult::Outcome::proven)
            for (const DBox& b : rest) res.unsettled.push_back(to_box(b));
        res.milliseconds =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
        return res;
    };
    while (!open.empty()) {
        if (res.boxes >= limits.max_boxes ||
            (limits.deadline && std::chrono::steady_clock::now() >= *limits.deadline)) {
            res.stop = res.boxes >= limits.max_boxes ? BranchBoundResult::Stop::box_limit
                                                     : BranchBoundResult::Stop::time_limit;
            return finish(BranchBoundResult::Outcome::exhausted, std::nullopt);
        }
        DBox cur = pop();
        ++res.boxes;
        if (cur.depth > res.max_depth) res.max_depth = cur.depth;
        if (hooks.also_settled && hooks.also_settled(cur.lo, cur.hi)) {
            ++res.leaves;
            settled_low = Bound{};  // no bound: -inf
            continue;
        }
        Look l = search.look(cur);
        if (l.fate == Look::Fate::undecided) {
            if (!mpfi) {
                ol = OneLayer::of(pb);
                mpfi = lower_bound_assessor(pb, ol, ob);
            }
            BoxAssessment a = (*mpfi)(to_box(cur));
            l.bound = Bound::of(a.bound);
            switch (a.fate) {
                case BoxAssessment::Fate::settled: l.fate = Look::Fate::settled; break;
                case BoxAssessment::Fate::refuted:
                    l.fate = Look::Fate::refuted;
                    l.witness = std::move(a.witness);
                    break;
                case BoxAssessment::Fate::split:
                    if (a.replacement) {
                        std::optional<DBox> s = to_dbox(*a.replacement);
                        if (!s) return std::nullopt;  // cannot happen for a sub-box of a bounded box
                        l.fate = Look::Fate::shrunk;
                        l.shrunk = std::move(*s);
                    } else {
                        l.fate = Look::Fate::split;
                        l.coordinate = a.coordinate;
                    }
                    break;
            }
        }
        switch (l.fate) {
            case Look::Fate::settled:
                ++res.leaves;
                settled_low = settled_low ? lower_of(*settled_low, l.bound) : l.bound;
                continue;
            case Look::Fate::refuted: {
                if (hooks.witness_splits) {
                    l.fate = Look::Fate::split;
                    break;
                }
                res.witness = std::move(l.witness);
                if (cur.bound < l.bound) cur.bound = l.bound;
                return finish(BranchBoundResult::Outcome::refuted, std::move(cur));
            }
            default: break;
        }
        // The parent's bound holds on every part of it; keep the better of the two.
        const Bound bound = cur.bound < l.bound ? l.bound : cur.bound;
        if (l.fate == Look::Fate::shrunk) {
            l.shrunk.bound = bound;
            l.shrunk.depth = cur.depth;
            l.shrunk.seq = seq++;
            push(std::move(l.shrunk));
            continue;
        }
        std::size_t k = f->p;
        if (l.coordinate && *l.coordinate < f->p) {
            k = *l.coordinate;
        } else {  // the widest range
            double widest = 0;
            for (std::size_t j = 0; j < f->p; ++j)
                if (cur.hi[j] - cur.lo[j] > widest) {
                    widest = cur.hi[j] - cur.lo[j];
                    k = j;
                }
        }
        const double m = k < f->p ? cur.lo[k] / 2 + cur.hi[k] / 2 : 0;
        if (k >= f->p || !(cur.lo[k] < m && m < cur.hi[k])) {  // a box no double can bisect: it stays open
            res.stop = BranchBoundResult::Stop::indivisible;
            cur.bound = bound;
            return finish(BranchBoundResult::Outcome::exhausted, std::move(cur));
        }
        DBox left = cur, right = std::move(cur);
        left.hi[k] = m;
        right.lo[k] = m;
        left.bound = right.bound = bound;
        left.depth = right.depth = left.depth + 1;
        left.seq = seq++;
        right.seq = seq++;
        push(std::move(left));
        push(std::move(right));
    }
    return finish(BranchBoundResult::Outcome::proven, std::nullopt);
}

}  // namespace
}  // namespace olb64

std::optional<BranchBoundResult> one_layer_search_binary64(const Problem& pb, const std::vector<Box>& roots,
                                                           const LossObligation& ob, const BranchBoundLimits& limits,
                                                           const OneLayerSearchHooks& hooks) {
    return olb64::search(pb, roots, ob, limits, hooks);
}

}  // namespace nncert::kernel
