// Exact Gauss-Jordan elimination for the generators (see the header). Untrusted: whatever it computes is
// written into a proof script that the kernel re-checks from scratch.
#include "tools/rational_linear_algebra.hpp"

#include <stdexcept>
#include <utility>

namespace nncert::tools {

using kernel::Rational;
using kernel::Vector;

Rational AffineMap::at(const Vector& x) const { return dot(w, x) + b; }

Rational dot(const Vector& a, const Vector& b) {
    if (a.size() != b.size()) throw std::logic_error("dot: vectors of different lengths");
    Rational s = 0;
    for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
    return s;
}

std::size_t rank(std::vector<Vector> rows) {
    if (rows.empty()) return 0;
    const std::size_t cols = rows[0].size();
    std::size_t r = 0;
    for (std::size_t c = 0; c < cols && r < rows.size(); ++c) {
        std::size_t pivot = r;
        while (pivot < rows.size() && kernel::is_zero(rows[pivot][c])) ++pivot;
        if (pivot == rows.size()) continue;
        std::swap(rows[r], rows[pivot]);
        for (std::size_t i = r + 1; i < rows.size(); ++i) {
            if (kernel::is_zero(rows[i][c])) continue;
            const Rational f = rows[i][c] / rows[r][c];
            for (std::size_t k = c; k < cols; ++k) rows[i][k] -= f * rows[r][k];
        }
        ++r;
    }
    return r;
}

std::optional<Vector> solve(std::vector<Vector> A, Vector b) {
    const std::size_t n = A.size();
    if (b.size() != n) throw std::logic_error("solve: right-hand side of the wrong length");
    for (std::size_t c = 0; c < n; ++c) {
        std::size_t pivot = c;
        while (pivot < n && kernel::is_zero(A[pivot][c])) ++pivot;
        if (pivot == n) return std::nullopt;
        std::swap(A[c], A[pivot]);
        std::swap(b[c], b[pivot]);
        for (std::size_t i = 0; i < n; ++i) {
            if (i == c || kernel::is_zero(A[i][c])) continue;
            const Rational f = A[i][c] / A[c][c];
            for (std::size_t k = c; k < n; ++k) A[i][k] -= f * A[c][k];
            b[i] -= f * b[c];
        }
    }
    Vector x(n);
    for (std::size_t i = 0; i < n; ++i) x[i] = b[i] / A[i][i];
    return x;
}

std::optional<AffineFit> affine_least_squares(const std::vector<Vector>& xs, const Vector& ys) {
    if (xs.empty() || xs.size() != ys.size()) throw std::logic_error("affine_least_squares: bad shapes");
    const std::size_t d = xs[0].size(), n = d + 1;
    std::vector<Vector> G(n, Vector(n));  // [X 1]^T [X 1]
    Vector rhs(n);                        // [X 1]^T y
    for (std::size_t i = 0; i < xs.size(); ++i) {
        Vector row = xs[i];
        row.push_back(1);
        for (std::size_t a = 0; a < n; ++a) {
            rhs[a] += row[a] * ys[i];
            for (std::size_t c = 0; c < n; ++c) G[a][c] += row[a] * row[c];
        }
    }
    const std::optional<Vector> theta = solve(std::move(G), std::move(rhs));
    if (!theta) return std::nullopt;
    AffineFit fit{{Vector(theta->begin(), theta->begin() + static_cast<long>(d)), (*theta)[d]}, 0};
    for (std::size_t i = 0; i < xs.size(); ++i) {
        const Rational r = fit.map.at(xs[i]) - ys[i];
        fit.residual += r * r;
    }
    return fit;
}

}  // namespace nncert::tools
