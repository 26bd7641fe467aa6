// Krawczyk and positive definiteness over a box in ball arithmetic (box_tests.hpp). Every hint (inverse,
// Cholesky factor, eigenvector) is untrusted; every bound below is an upper bound computed with succ().
#include "kernel/ball/box_tests.hpp"

#include "hints/float_linear_algebra.hpp"

#include <algorithm>
#include <cmath>

namespace nncert::kernel {

namespace {

using namespace ball_rounding;

Rational exact(double d) {
    Rational q;
    mpq_set_d(q.backend().data(), d);
    return q;
}

BallMatrix point_matrix(const std::vector<double>& a, std::size_t rows, std::size_t cols) {
    BallMatrix m(rows, cols);
    m.mid = a;
    return m;
}

double max_of(const std::vector<double>& v) {
    double m = 0;
    for (double x : v) m = x > m || x != x ? x : m;
    return m == m ? m : inf;
}

// Upper bound of ||A - mid||_2 over the enclosure: ||D||_2 <= min(||D||_F, ||D||_inf) for the symmetric radius
// matrix D, plus ||C||_2 <= ||C||_inf <= max of the curvature row bounds.
double perturbation(const BoxHessian& h) {
    const double d = std::min(radius_frobenius_bound(h.h), radius_row_sum_bound(h.h));
    return add_up(d, max_of(h.curvature_rows));
}

}  // namespace

BallKrawczykResult ball_krawczyk(const BoxHessian& h, const std::vector<Ball>& f_centre, const Rational& r,
                                 double reach, const std::vector<double>* cholesky_of_mid) {
    BallKrawczykResult out;
    const std::size_t n = h.h.rows;
    if (!h.h.finite()) {
        out.note = "the Hessian enclosure over the box is unbounded: shrink the radius";
        return out;
    }
    // Any Y is sound (only the bounds below count): the inverse from the shared Cholesky factor when there is one.
    std::optional<hints::DenseMatrix> y;
    if (cholesky_of_mid) y = hints::inverse_from_cholesky_untrusted(*cholesky_of_mid, n);
    if (!y) y = hints::inverse_untrusted(h.h.mid, n);
    if (!y) {
        out.note = "the midpoint Hessian is numerically singular: the critical point may not be isolated "
                   "(no Krawczyk certificate exists then)";
        return out;
    }
    const BallMatrix yb = point_matrix(*y, n, n);
    BallMatrix f(n, 1);
    for (std::size_t i = 0; i < n; ++i) f.set(i, 0, f_centre[i]);
    const BallMatrix yf = product(yb, f);
    // Row sums of |I - Y F'(X)| <= |I - fl(Y mid)| + (rounding of fl(Y mid), point_product) + |Y| (rad 1)
    // + |Y| curvature_rows: one dgemm and matrix-vector bounds.
    const PointProduct ym = point_product(*y, h.h.mid, n, n, n);
    std::vector<double> rad_rows(n, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
        double s = 0;
        for (std::size_t j = 0; j < n; ++j) s = add_up(s, h.h.rad[i * n + j]);
        rad_rows[i] = s;
    }
    const std::vector<double> spread_rad = magnitude_times(yb, rad_rows);
    const std::vector<double> spread_curv =
        h.curvature_rows.empty() ? std::vector<double>(n, 0.0) : magnitude_times(yb, h.curvature_rows);
    std::vector<double> row(n);
    double worst = 0;
    for (std::size_t i = 0; i < n; ++i) {
        double s = add_up(add_up(spread_rad[i], spread_curv[i]), ym.row_error[i]);
        for (std::size_t j = 0; j < n; ++j) {
            const double p = ym.mid[i * n + j];
            const double d = i == j ? 1.0 - p : -p;  // one operation: |exact - d| <= ulp(d)
            s = add_up(s, add_up(std::fabs(d), ulp(d)));
        }
        row[i] = s == s ? s : inf;
        worst = std::max(worst, row[i]);
    }
    out.contraction = worst;
    if (!(worst <= max_finite) || !yf.finite()) {
        out.note = "|I - Y H(X)| is not finite: shrink the radius";
        return out;
    }
    bool inside = true;
    for (std::size_t i = 0; i < n; ++i) {
        const double m = yf.mid[i];
        const double spread = add_up(yf.rad[i], mul_up(row[i], reach));
        const Rational lo = exact(-m) - exact(spread), hi = exact(-m) + exact(spread);
        if (lo > r || hi < -r) {
            out.outcome = KrawczykOutcome::no_zero;
            out.coordinate = i;
            out.offset_lower = lo;
            out.offset_upper = hi;
            return out;
        }
        if (inside && !(lo > -r && hi < r)) {
            inside = false;
            out.coordinate = i;
            out.offset_lower = lo;
            out.offset_upper = hi;
        }
    }
    if (inside) {
        out.outcome = KrawczykOutcome::unique_zero;
        return out;
    }
    out.note = worst < 1 ? "K(X) is narrower than the box but not inside it: the centre is too far from the critical "
                           "point; refine the centre (nncert refine) or enlarge the radius"
                         : "|I - Y H(X)| is not below 1 in double-precision balls: the Hessian varies too much over the "
                           "box; shrink the radius";
    return out;
}

BallDefinitenessResult ball_box_definiteness(const BoxHessian& h, const std::vector<double>* cholesky_of_mid) {
    BallDefinitenessResult out;
    const std::size_t n = h.h.rows;
    if (!h.h.finite() || n == 0) return out;
    const double pert = perturbation(h);
    if (!(pert <= max_finite)) return out;
    out.perturbation_bound = exact(pert);
    const std::vector<double>& hc = h.h.mid;
    std::optional<hints::DenseMatrix> r0;
    if (!cholesky_of_mid) r0 = hints::cholesky_upper_untrusted(hc, n);
    const hints::DenseMatrix* factor = cholesky_of_mid ? cholesky_of_mid : (r0 ? &*r0 : nullptr);
    const double estimate = factor ? hints::smallest_eigenvalue_estimate_untrusted(*factor, n) : 0.0;
    for (double fraction : {0.9375, 0.5, 0.125}) {
        if (!(estimate > 0)) break;
        const double s = estimate * fraction;  // any shift is sound: only the checked bound below counts
        if (!(s > pert)) break;
        std::vector<double> shifted = hc;
        for (std::size_t i = 0; i < n; ++i) shifted[i * n + i] -= s;
        const std::optional<hints::DenseMatrix> rf = hints::cholesky_upper_untrusted(shifted, n);
        if (!rf) continue;
        // E = mid - s I - R^T R, rigorously; ||E||_2 <= min(||E||_F, max row sum of |E|) (E symmetric).
        const BallMatrix g = gram(point_matrix(*rf, n, n), false);
        if (!g.finite()) continue;
        const Ball sb = Ball::from_parts(s, 0);
        double frob = 0, rows = 0;
        for (std::size_t i = 0; i < n; ++i) {
            double rs = 0;
            for (std::size_t j = 0; j < n; ++j) {
                Ball e = Ball::from_parts(hc[i * n + j], 0) - g.at(i, j);
                if (i == j) e = e - sb;
                const double mag = add_up(std::fabs(e.mid()), e.rad());
                rs = add_up(rs, mag);
                frob = add_up(frob, mul_up(mag, mag));
            }
            rows = std::max(rows, rs);
        }
        const double e_bound = std::min(up(std::sqrt(frob)), rows);
        if (!(e_bound <= max_finite)) continue;
        const Rational lower = exact(s) - exact(add_up(e_bound, pert));
        if (lower > 0) {
            out.kind = BoxDefiniteness::positive_definite;
            out.lambda_min_above = lower;
            out.residual_bound = exact(e_bound);
            return out;
        }
    }
    // Negative curvature everywhere on the box: x^T A x <= x^T mid x + |x|^T D |x| + ||x||_inf rho^T |x|.
    const std::optional<hints::EigenPair> low = hints::lowest_eigenpair_untrusted(hc, n);
    if (!low || !(low->value < 0)) return out;
    double big = 0;
    for (double v : low->vector) big = std::max(big, std::fabs(v));
    if (!(big > 0)) return out;
    std::vector<double> x(n);
    for (std::size_t i = 0; i < n; ++i) x[i] = std::trunc(std::ldexp(low->vector[i] / big, 20));  // integers
    BallMatrix xb(n, 1);
    for (std::size_t i = 0; i < n; ++i) xb.mid[i] = x[i];
    const BallMatrix hx = product(point_matrix(hc, n, n), xb);
    Ball quad;
    for (std::size_t i = 0; i < n; ++i) quad += Ball::from_parts(x[i], 0) * hx.at(i, 0);
    double extra = 0, xmax = 0, rho_x = 0;
    for (std::size_t i = 0; i < n; ++i) {
        double row = 0;
        for (std::size_t j = 0; j < n; ++j) row = add_up(row, mul_up(h.h.rad[i * n + j], std::fabs(x[j])));
        extra = add_up(extra, mul_up(std::fabs(x[i]), row));
        xmax = std::max(xmax, std::fabs(x[i]));
        if (!h.curvature_rows.empty()) rho_x = add_up(rho_x, mul_up(h.curvature_rows[i], std::fabs(x[i])));
    }
    extra = add_up(extra, mul_up(xmax, rho_x));
    if (!quad.is_finite() || !(extra <= max_finite)) return out;
    const Rational bound = quad.upper() + exact(extra);
    if (bound < 0) {
        out.kind = BoxDefiniteness::indefinite;
        out.witness.resize(n);
        for (std::size_t i = 0; i < n; ++i) out.witness[i] = exact(x[i]);
        out.curvature_bound = bound;
    }
    return out;
}

}  // namespace nncert::kernel
