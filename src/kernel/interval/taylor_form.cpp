// The second-order (Taylor) form of the loss over a box (taylor_form.hpp). Soundness rests on Taylor's
// formula with Lagrange remainder on a segment inside the box and on inclusion-isotone interval arithmetic;
// the multiplier of the quadratic bound is a heuristic choice that any value makes sound.
#include "kernel/interval/taylor_form.hpp"

#include "kernel/autodiff.hpp"
#include "kernel/interval/activation.hpp"

#include <cmath>
#include <stdexcept>

namespace nncert::kernel {

namespace {

// The midpoint of x as an exact point interval (a heuristic value: used only to choose the multiplier).
Interval mid_point(const Interval& x) {
    mpfr_t m;
    mpfr_init2(m, x.precision());
    mpfi_mid(m, x.raw());
    Interval r = Interval::from_mpfr(m);
    mpfr_clear(m);
    return r;
}

// x intersected with [lower's lower end, +inf): both contain the same real quantity.
void raise_lower_end(Interval& x, const Interval& lower) {
    if (lower.is_nan() || !mpfr_number_p(lower.lo()) || x.is_nan()) return;
    if (mpfr_cmp(lower.lo(), x.lo()) <= 0) return;
    if (mpfr_cmp(lower.lo(), x.hi()) > 0) throw std::logic_error("disjoint enclosures of the same loss");
    mpfi_interv_fr(x.raw(), lower.lo(), x.hi());
}

}  // namespace

namespace {

// Interval LDL^T without square roots: e[i][k] = L_ik D_k, l[i][k] = L_ik (i > k), piv[k] = D_k. The exact algorithm
// applied to any symmetric A in `a` performs the same operations on points of these intervals, so every quantity
// it computes lies in them; with every pivot certainly positive its pivots are positive, and A = L D L^T with
// unit lower triangular L and positive diagonal D is positive definite. False when a pivot is not.
struct Ldlt {
    std::vector<IVector> l;
    IVector piv;
};
bool interval_ldlt(const std::vector<IVector>& a, Ldlt& f) {
    const std::size_t n = a.size();
    std::vector<IVector> e(n, IVector(n));
    f.l.assign(n, IVector(n));
    f.piv.assign(n, Interval());
    for (std::size_t k = 0; k < n; ++k) {
        for (std::size_t i = k; i < n; ++i) {
            Interval s = a[i][k];
            for (std::size_t j = 0; j < k; ++j) sub_product(s, e[i][j], f.l[k][j]);
            e[i][k] = s;
        }
        f.piv[k] = e[k][k];
        if (!certainly_positive(f.piv[k]) || !f.piv[k].is_bounded()) return false;
        for (std::size_t i = k + 1; i < n; ++i) f.l[i][k] = e[i][k] / f.piv[k];
    }
    return true;
}

// The multiplier lam for the bound below: for the box-constrained minimiser d* of the midpoint quadratic
// bm.d + 1/2 d^T am d over the box `d`, lam = bm + am d* on the coordinates where d* is at an end (its KKT
// multipliers), 0 elsewhere; then the bound is nearly the minimum over the box. d* is approximated by projected
// coordinate descent from 0, in doubles (the midpoints and the box's ends rounded to nearest). A heuristic only:
// the bound holds for every lam, and each lam_k enters as the exact point of its double (a non-finite lam_k as 0).
IVector multiplier(const std::vector<IVector>& am, const IVector& bm, const IVector& d) {
    const std::size_t n = bm.size();
    std::vector<double> a(n * n), b(n), lo(n), hi(n), dm(n, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
        b[i] = mpfr_get_d(bm[i].lo(), MPFR_RNDN);
        lo[i] = mpfr_get_d(d[i].lo(), MPFR_RNDN);
        hi[i] = mpfr_get_d(d[i].hi(), MPFR_RNDN);
        for (std::size_t j = 0; j < n; ++j) a[i * n + j] = mpfr_get_d(am[i][j].lo(), MPFR_RNDN);
    }
    std::vector<bool> at_end(n, false);
    for (int sweep = 0; sweep < 30; ++sweep)
        for (std::size_t k = 0; k < n; ++k) {
            double r = b[k];  // the partial derivative of the midpoint quadratic in d_k, without d_k's own term
            for (std::size_t j = 0; j < n; ++j)
                if (j != k) r += a[k * n + j] * dm[j];
            const double unconstrained = -r / a[k * n + k];
            if (!std::isfinite(unconstrained)) {
                dm[k] = 0;
                at_end[k] = false;
                continue;
            }
            dm[k] = unconstrained < lo[k] ? lo[k] : unconstrained > hi[k] ? hi[k] : unconstrained;
            at_end[k] = dm[k] != unconstrained;
        }
    IVector lam(n, Interval(Rational(0)));
    for (std::size_t k = 0; k < n; ++k) {
        if (!at_end[k]) continue;
        double r = b[k];
        for (std::size_t j = 0; j < n; ++j) r += a[k * n + j] * dm[j];
        if (std::isfinite(r)) mpfi_set_d(lam[k].raw(), r);  // exact at 53 bits or more; else rounded outward
    }
    return lam;
}

// For every positive definite A with LDL^T factors in f, every b in `b`, every d in `d`:
// b.d + 1/2 d^T A d = [(b - lam).d + 1/2 d^T A d] + lam.d >= -1/2 (b - lam)^T A^{-1} (b - lam) + min over the box
// of lam.d (the first term's unconstrained minimum), and (b - lam)^T A^{-1} (b - lam) = sum_k y_k^2 / D_k with
// L y = b - lam (unit lower triangular forward substitution, again inclusion-isotone). The lower end of the
// result is the bound.
Interval minimum_below(const Ldlt& f, const IVector& b, const IVector& d, const IVector& lam) {
    const std::size_t n = b.size();
    IVector y(n);
    Interval s = Rational(0), linear = Rational(0);
    for (std::size_t k = 0; k < n; ++k) {
        y[k] = b[k] - lam[k];
        for (std::size_t j = 0; j < k; ++j) sub_product(y[k], f.l[k][j], y[j]);
        s += sqr(y[k]) / f.piv[k];
        add_product(linear, lam[k], d[k]);
    }
    return linear - mul_2si(s, -1);
}

}  // namespace

std::optional<Interval> quadratic_lower_bound(const std::vector<IVector>& a, const IVector& b, const IVector& d) {
    const std::size_t n = b.size();
    if (n == 0 || a.size() != n || d.size() != n) return std::nullopt;
    std::vector<IVector> am(n, IVector(n));
    IVector bm(n);
    for (std::size_t i = 0; i < n; ++i) {
        if (a[i].size() != n || !b[i].is_bounded() || !d[i].is_bounded()) return std::nullopt;
        bm[i] = mid_point(b[i]);
        for (std::size_t j = 0; j < n; ++j) {
            if (!a[i][j].is_bounded()) return std::nullopt;
            am[i][j] = mid_point(a[i][j]);
        }
    }
    // (1) Every A in `a` positive definite: the bound with A itself.
    // (2) The midpoint matrix Am positive definite: every A in `a` is Am + E with |E_ij| <= R_ij = |a_ij - Am_ij|
    //     (upper ends), so d^T A d >= d^T Am d - sum_ij R_ij r_i r_j with r_i >= |d_i|: the bound with Am, minus
    //     half that constant. It needs only Am positive definite, not the whole interval matrix (whose smallest
    //     eigenvalue falls with the box's width): the price is third order in the widths.
    std::optional<Interval> best;
    const auto keep = [&best](const Interval& v) {
        if (v.is_nan() || !mpfr_number_p(v.lo())) return;
        if (!best || mpfr_cmp(v.lo(), best->lo()) > 0) best = v;
    };
    Ldlt f;
    if (interval_ldlt(a, f)) keep(minimum_below(f, b, d, multiplier(am, bm, d)));
    else if (interval_ldlt(am, f)) {
        const IVector lam = multiplier(am, bm, d);
        Interval spread = Rational(0);
        IVector r(n);
        for (std::size_t i = 0; i < n; ++i) mpfi_abs(r[i].raw(), d[i].raw());
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t j = 0; j < n; ++j) {
                Interval e = a[i][j] - am[i][j];
                mpfi_abs(e.raw(), e.raw());
                add_product(spread, e, r[i] * r[j]);
            }
        // spread's upper end bounds sum R_ij |d_i| |d_j| for every point: take the interval [hi, hi].
        Interval top;
        mpfi_set_fr(top.raw(), spread.hi());
        keep(minimum_below(f, b, d, lam) - mul_2si(top, -1));
    }
    return best;
}

std::optional<TaylorBound> taylor_form(const Problem& pb, const Box& box, const IVector& x, const IVector* centre,
                                       bool binary64) {
    std::vector<std::size_t> f;  // the bounded coordinates of positive width: the form expands in these
    for (std::size_t k = 0; k < box.size(); ++k)
        if (box[k].bounded() && !box[k].degenerate()) f.push_back(k);
    if (f.empty()) return std::nullopt;
    // For theta in X write theta = (theta_F, theta_U) and c = (c_F, theta_U), c_F the sample point (box.hpp).
    // The segment from c to theta changes only F and lies in X (a box is convex); on it the loss is twice
    // continuously differentiable (no kink inside X: hessian_enclosure throws otherwise), so
    // L(theta) = L(c) + g_F(c).d + 1/2 d^T H_FF(xi) d with d = theta_F - c_F and xi on the segment. c lies in C (the
    // point c_F in F, X elsewhere), so L(c) and g(c) are in the enclosures over C, H_FF(xi) in the one over X.
    IVector own;
    const IVector& c = centre ? *centre : (own = centre_box(box));
    IVector gc;
    std::optional<Interval> lc_fast;
    if (binary64) lc_fast = loss_and_gradient_by_doubles(pb, c, &gc);
    const Interval lc = lc_fast ? *lc_fast : loss_and_gradient<Interval>(pb, c, &gc);
    if (!lc.is_bounded()) return std::nullopt;
    // Only H_FF (the unbounded coordinates' rows are not read): in binary64 intervals, else in MPFI.
    std::optional<IMatrix> fast = hessian_block_by_doubles(pb, x, f);
    const IMatrix h = fast ? std::move(*fast) : hessian_block_enclosure(pb, x, f);
    const std::size_t n = f.size();
    IVector d(n), b(n);
    std::vector<IVector> a(n, IVector(n));
    for (std::size_t i = 0; i < n; ++i) {
        d[i] = x[f[i]] - c[f[i]];
        b[i] = gc[f[i]];
        if (!b[i].is_bounded()) return std::nullopt;
        for (std::size_t j = 0; j < n; ++j) {
            a[i][j] = h[i][j];
            if (!a[i][j].is_bounded()) return std::nullopt;
        }
    }
    // Row by row: every term is an interval extension of the same term of the formula at (g(c), H(xi), d).
    // sqr(d_i) >= 0 keeps the diagonal's sign; each off-diagonal pair appears twice.
    Interval lin = Rational(0), quad = Rational(0);
    for (std::size_t i = 0; i < n; ++i) {
        add_product(lin, b[i], d[i]);
        add_product(quad, a[i][i], sqr(d[i]));
        for (std::size_t j = i + 1; j < n; ++j) quad += mul_2si(a[i][j] * (d[i] * d[j]), 1);
    }
    TaylorBound t;
    t.enclosure = lc + lin + mul_2si(quad, -1);
    // Where every H_FF on X is positive definite: L(theta) >= L(c) + min over the box of the quadratic.
    if (const auto q = quadratic_lower_bound(a, b, d)) {
        raise_lower_end(t.enclosure, lc + *q);
        t.convex = true;
    }
    t.spread.assign(box.size(), Interval(Rational(0)));
    for (std::size_t i = 0; i < n; ++i) {
        const Interval w = d[i] - d[i];  // an enclosure of [-w, w]: its magnitude bounds the width
        Interval gw, hw;
        mpfi_abs(gw.raw(), (b[i] * w).raw());
        mpfi_abs(hw.raw(), (a[i][i] * sqr(w)).raw());
        t.spread[f[i]] = gw + hw;
    }
    return t;
}

}  // namespace nncert::kernel
