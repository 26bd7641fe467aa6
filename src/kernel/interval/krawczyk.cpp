// The Krawczyk operator on F = grad L with F' = the interval Hessian over the box.
// Assumes enclosures from enclose.hpp; Y comes from hints/mpfr_linear_algebra.hpp (untrusted) and never affects soundness.
#include "kernel/interval/krawczyk.hpp"

#include "hints/mpfr_linear_algebra.hpp"

namespace nncert::kernel {

namespace {

Matrix midpoints(const IMatrix& m) {
    Matrix c(m.size(), Vector(m.size()));
    for (std::size_t i = 0; i < m.size(); ++i)
        for (std::size_t j = 0; j < m.size(); ++j) c[i][j] = midpoint(m[i][j]);
    return c;
}

bool all_bounded(const IMatrix& m) {
    for (const IVector& row : m)
        for (const Interval& x : row)
            if (!x.is_bounded()) return false;
    return true;
}

}  // namespace

KrawczykResult krawczyk(const Problem& pb, const Vector& centre, const Rational& radius) {
    KrawczykResult out;
    const std::size_t n = centre.size();
    const IVector x = box_around(centre, radius);
    out.hessian = hessian_enclosure(pb, x);
    if (!all_bounded(out.hessian)) {
        out.note = "the Hessian enclosure over the box is unbounded: shrink the radius";
        return out;
    }
    out.inverse = hints::approximate_inverse_untrusted(midpoints(out.hessian), PrecisionScope::current());
    if (!out.inverse) {
        out.note = "the midpoint Hessian is numerically singular: the critical point may not be isolated "
                   "(no Krawczyk certificate exists then); otherwise raise the precision";
        return out;
    }
    const Matrix& y = *out.inverse;
    const IVector fx = gradient_enclosure(pb, point_box(centre));
    IVector d(n);  // X - P, contains [-r, r]
    for (std::size_t j = 0; j < n; ++j) d[j] = x[j] - Interval(centre[j]);

    out.image.assign(n, Interval());
    Rational worst_row = 0;
    bool rows_bounded = true;
    IVector c_row(n);
    // Y as intervals once (each entry a tight enclosure of the exact rational), not once per product.
    IMatrix yi(n);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t k = 0; k < n; ++k) yi[i].emplace_back(y[i][k]);
    for (std::size_t i = 0; i < n; ++i) {
        // Row i of C = I - Y F'(X), then K_i = P_i - (Y F(P))_i + C_i (X - P).
        Interval yf;
        for (std::size_t k = 0; k < n; ++k)
            if (!is_zero(y[i][k])) add_product(yf, yi[i][k], fx[k]);
        for (std::size_t j = 0; j < n; ++j) c_row[j] = Interval(Rational(i == j ? 1 : 0));
        for (std::size_t k = 0; k < n; ++k) {  // row-wise over F'(X): C_i -= Y_ik F'(X)_k
            if (is_zero(y[i][k])) continue;
            const Interval& yik = yi[i][k];
            const IVector& hk = out.hessian[k];
            for (std::size_t j = 0; j < n; ++j) sub_product(c_row[j], yik, hk[j]);
        }
        Interval k_i = Interval(centre[i]) - yf;
        Rational row_norm = 0;
        for (std::size_t j = 0; j < n; ++j) {
            add_product(k_i, c_row[j], d[j]);
            if (c_row[j].is_bounded()) row_norm += magnitude(c_row[j]); else rows_bounded = false;
        }
        if (row_norm > worst_row) worst_row = row_norm;
        out.image[i] = k_i;
    }
    if (rows_bounded) out.contraction = worst_row;

    // Decide against the exact box B, coordinate by coordinate.
    bool inside = true;
    for (std::size_t i = 0; i < n; ++i) {
        const Rational lo = centre[i] - radius, hi = centre[i] + radius;
        if (disjoint_from(out.image[i], lo, hi)) {
            out.outcome = KrawczykOutcome::no_zero;
            out.coordinate = i;
            return out;
        }
        if (inside && !subset_of_interior(out.image[i], lo, hi)) {
            inside = false;
            out.coordinate = i;
        }
    }
    if (inside) {
        out.outcome = KrawczykOutcome::unique_zero;
        return out;
    }
    if (out.contraction && *out.contraction < 1)
        out.note = "K(X) is narrower than the box but not inside it: the centre is too far from the critical "
                   "point; refine the centre (nncert refine) or enlarge the radius";
    else
        out.note = "|I - Y H(X)| is not below 1: the Hessian varies too much over the box or the "
                   "precision is too low; shrink the radius or raise the precision";
    return out;
}

}  // namespace nncert::kernel
