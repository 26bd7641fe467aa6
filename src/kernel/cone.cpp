// Exact cone membership (cone.hpp): row selection by exact elimination, then Phase 1 of the simplex
// method with Bland's rule on the selected rows, then an exact check of the multipliers on all rows.
// Only that last check is needed for soundness: the simplex just proposes multipliers.
#include "kernel/cone.hpp"

#include <algorithm>
#include <stdexcept>

namespace nncert::kernel {

namespace {

Rational dot(const Vector& u, const Vector& v) {
    Rational s = 0;
    for (std::size_t i = 0; i < u.size(); ++i)
        if (!is_zero(u[i]) && !is_zero(v[i])) s += u[i] * v[i];
    return s;
}

// y . a_i >= 0 for every i and y . e < 0: e is then no nonnegative combination of the a's.
bool is_farkas(const Vector& y, const Vector& e, const std::vector<Vector>& a) {
    for (const Vector& v : a)
        if (dot(y, v) < 0) return false;
    return dot(y, e) < 0;
}

}  // namespace

std::vector<std::size_t> independent_rows(const std::vector<Vector>& a, std::size_t n) {
    const std::size_t m = a.size();
    std::vector<Vector> basis;  // reduced rows kept so far, with their pivot columns
    std::vector<std::size_t> pivot_col, rows;
    for (std::size_t i = 0; i < n && rows.size() < m; ++i) {
        Vector row(m);
        for (std::size_t c = 0; c < m; ++c) row[c] = a[c][i];
        for (std::size_t b = 0; b < basis.size(); ++b) {  // reduce by the rows kept so far
            const Rational f = row[pivot_col[b]];
            if (is_zero(f)) continue;
            for (std::size_t c = 0; c < m; ++c)
                if (!is_zero(basis[b][c])) row[c] -= f * basis[b][c];
        }
        std::size_t p = 0;
        while (p < m && is_zero(row[p])) ++p;
        if (p == m) continue;  // a combination of the rows kept
        const Rational inv = Rational(1) / row[p];
        for (Rational& q : row) q *= inv;
        for (std::size_t b = 0; b < basis.size(); ++b) {  // keep the kept rows reduced in the new pivot
            const Rational f = basis[b][p];
            if (is_zero(f)) continue;
            for (std::size_t c = 0; c < m; ++c)
                if (!is_zero(row[c])) basis[b][c] -= f * row[c];
        }
        basis.push_back(std::move(row));
        pivot_col.push_back(p);
        rows.push_back(i);
    }
    return rows;
}

std::optional<Vector> independent_combination(const Vector& e, const std::vector<Vector>& a,
                                              const std::vector<std::size_t>& rows) {
    const std::size_t k = a.size();
    if (rows.size() != k) throw std::logic_error("independent_combination: the vectors are not independent");
    std::vector<Vector> t(k, Vector(k + 1));  // [A_R | e_R]
    for (std::size_t i = 0; i < k; ++i) {
        for (std::size_t q = 0; q < k; ++q) t[i][q] = a[q][rows[i]];
        t[i][k] = e[rows[i]];
    }
    for (std::size_t c = 0; c < k; ++c) {  // Gauss-Jordan; A_R is invertible, so a pivot always exists
        std::size_t piv = c;
        while (piv < k && is_zero(t[piv][c])) ++piv;
        if (piv == k) throw std::logic_error("independent_combination: singular system");
        std::swap(t[piv], t[c]);
        const Rational inv = Rational(1) / t[c][c];
        for (Rational& q : t[c]) q *= inv;
        for (std::size_t r = 0; r < k; ++r) {
            if (r == c || is_zero(t[r][c])) continue;
            const Rational f = t[r][c];
            for (std::size_t q = c; q <= k; ++q)
                if (!is_zero(t[c][q])) t[r][q] -= f * t[c][q];
        }
    }
    Vector mu(k);
    for (std::size_t q = 0; q < k; ++q) mu[q] = t[q][k];
    for (std::size_t d = 0; d < e.size(); ++d) {  // the other coordinates: e must be in the span
        Rational v = 0;
        for (std::size_t q = 0; q < k; ++q)
            if (!is_zero(mu[q])) v += mu[q] * a[q][d];
        if (v != e[d]) return std::nullopt;
    }
    return mu;
}

std::optional<Vector> outside_span_direction(const Vector& e, const std::vector<Vector>& a) {
    std::vector<Vector> basis;  // orthogonal (not normalised) basis of span(a), exact Gram-Schmidt
    std::vector<Rational> norm2;
    auto reduce = [&](Vector v) {
        for (std::size_t b = 0; b < basis.size(); ++b) {
            const Rational f = dot(v, basis[b]) / norm2[b];
            if (is_zero(f)) continue;
            for (std::size_t d = 0; d < v.size(); ++d) v[d] -= f * basis[b][d];
        }
        return v;
    };
    for (const Vector& v : a) {
        Vector w = reduce(v);
        const Rational w2 = dot(w, w);
        if (is_zero(w2)) continue;
        basis.push_back(std::move(w));
        norm2.push_back(w2);
    }
    Vector res = reduce(e);
    if (is_zero(dot(res, res))) return std::nullopt;
    for (Rational& q : res) q = -q;
    return res;
}

Vector dual_direction(const std::vector<Vector>& a, const std::vector<std::size_t>& rows, std::size_t q, std::size_t n) {
    const std::size_t k = a.size();
    // (A_R)^T u_R = unit vector q: the matrix with rows a_i restricted to `rows`, solved by Gauss-Jordan.
    std::vector<Vector> t(k, Vector(k + 1));
    for (std::size_t i = 0; i < k; ++i) {
        for (std::size_t c = 0; c < k; ++c) t[i][c] = a[i][rows[c]];
        t[i][k] = i == q ? Rational(1) : Rational(0);
    }
    for (std::size_t c = 0; c < k; ++c) {
        std::size_t piv = c;
        while (piv < k && is_zero(t[piv][c])) ++piv;
        if (piv == k) throw std::logic_error("dual_direction: the vectors are not independent");
        std::swap(t[piv], t[c]);
        const Rational inv = Rational(1) / t[c][c];
        for (Rational& x : t[c]) x *= inv;
        for (std::size_t r = 0; r < k; ++r) {
            if (r == c || is_zero(t[r][c])) continue;
            const Rational f = t[r][c];
            for (std::size_t x = c; x <= k; ++x)
                if (!is_zero(t[c][x])) t[r][x] -= f * t[c][x];
        }
    }
    Vector u(n);
    for (std::size_t c = 0; c < k; ++c) u[rows[c]] = t[c][k];
    return u;
}

std::size_t cone_pivot_cap(std::size_t rows, std::size_t vectors) { return 8 * (rows + vectors) + 8; }

ConeMembership cone_membership(const Vector& e, const std::vector<Vector>& a, const std::vector<std::size_t>& rows,
                               std::size_t max_pivots) {
    ConeMembership res;
    const std::size_t m = a.size(), r = rows.size(), n = e.size();
    // Tableau of  A_R lambda + I s = b  (rows sign-flipped so that b >= 0), s the artificial variables;
    // columns 0..m-1 are lambda, m..m+r-1 are s. Phase 1 minimises sum s.
    std::vector<Vector> t(r, Vector(m + r));
    Vector b(r);
    for (std::size_t i = 0; i < r; ++i) {
        const bool flip = e[rows[i]] < 0;
        for (std::size_t c = 0; c < m; ++c) t[i][c] = flip ? Rational(-a[c][rows[i]]) : a[c][rows[i]];
        t[i][m + i] = 1;
        b[i] = flip ? Rational(-e[rows[i]]) : e[rows[i]];
    }
    std::vector<std::size_t> basic(r);
    for (std::size_t i = 0; i < r; ++i) basic[i] = m + i;
    // Reduced costs of the Phase-1 objective: 1 on each artificial, so d_j = -sum_i t[i][j] for lambda_j.
    Vector d(m + r);
    for (std::size_t c = 0; c < m; ++c)
        for (std::size_t i = 0; i < r; ++i) d[c] -= t[i][c];
    for (;;) {
        std::size_t enter = m + r;
        for (std::size_t c = 0; c < m + r && enter == m + r; ++c)
            if (d[c] < 0) enter = c;  // Bland: the smallest improving index
        if (enter == m + r) break;    // optimal
        std::size_t leave = r;
        Rational best;
        for (std::size_t i = 0; i < r; ++i) {
            if (t[i][enter] <= 0) continue;
            const Rational ratio = b[i] / t[i][enter];
            if (leave == r || ratio < best || (ratio == best && basic[i] < basic[leave])) {
                leave = i;
                best = ratio;
            }
        }
        if (leave == r) break;  // unbounded: impossible for Phase 1 (the objective is >= 0); no multipliers
        if (res.pivots == max_pivots) {
            res.kind = ConeMembership::Kind::limit;
            return res;
        }
        ++res.pivots;
        const Rational inv = Rational(1) / t[leave][enter];
        for (Rational& q : t[leave]) q *= inv;
        b[leave] *= inv;
        for (std::size_t i = 0; i < r; ++i) {
            if (i == leave || is_zero(t[i][enter])) continue;
            const Rational f = t[i][enter];
            for (std::size_t c = 0; c < m + r; ++c)
                if (!is_zero(t[leave][c])) t[i][c] -= f * t[leave][c];
            b[i] -= f * b[leave];
        }
        const Rational f = d[enter];
        for (std::size_t c = 0; c < m + r; ++c)
            if (!is_zero(t[leave][c])) d[c] -= f * t[leave][c];
        basic[leave] = enter;
    }
    // Multipliers of the basic lambda columns; an artificial still basic at a positive level means the
    // restricted system has no nonnegative solution.
    Vector lambda(m);
    bool infeasible = false;
    for (std::size_t i = 0; i < r; ++i) {
        if (basic[i] < m) lambda[basic[i]] = b[i];
        else if (!is_zero(b[i])) infeasible = true;
    }
    if (infeasible) {
        // Phase-1 duals y_i = 1 - d_{m+i} satisfy y . A'_j <= 0 for every column and y . b' = sum s > 0, so
        // -y (rows unflipped) is a Farkas vector of the restricted system, and of the whole one (zero off
        // `rows`). Checked before use.
        Vector y(n);
        for (std::size_t i = 0; i < r; ++i) {
            const Rational yi = d[m + i] - 1;
            y[rows[i]] = e[rows[i]] < 0 ? Rational(-yi) : yi;
        }
        if (is_farkas(y, e, a)) res.farkas = std::move(y);
        return res;
    }
    // The proof: lambda >= 0 and sum_i lambda_i a_i == e on every coordinate, exactly.
    for (const Rational& q : lambda)
        if (q < 0) return res;
    for (std::size_t k = 0; k < n; ++k) {
        Rational v = 0;
        for (std::size_t c = 0; c < m; ++c)
            if (!is_zero(lambda[c])) v += lambda[c] * a[c][k];
        if (v != e[k]) {  // the restricted system is solvable but e is not in the span of the a's
            if (auto y = outside_span_direction(e, a)) res.farkas = std::move(*y);
            return res;
        }
    }
    res.kind = ConeMembership::Kind::member;
    res.lambda = std::move(lambda);
    return res;
}

}  // namespace nncert::kernel
