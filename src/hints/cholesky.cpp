// Double-precision Cholesky and LDL^T, used only to propose certificates (see cholesky.hpp).
#include "hints/cholesky.hpp"

#include <cmath>

namespace nncert::hints {

namespace {

using Dense = std::vector<double>;  // row-major n x n

Dense to_double(const kernel::Matrix& h) {
    const std::size_t n = h.size();
    Dense a(n * n);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j) a[i * n + j] = h[i][j].convert_to<double>();
    return a;
}

// Upper-triangular R with R^T R = a - shift I, or nothing if a pivot is not positive.
std::optional<Dense> cholesky(const Dense& a, std::size_t n, double shift) {
    Dense r(n * n, 0.0);
    for (std::size_t j = 0; j < n; ++j) {
        double d = a[j * n + j] - shift;
        for (std::size_t k = 0; k < j; ++k) d -= r[k * n + j] * r[k * n + j];
        if (!(d > 0)) return std::nullopt;
        const double rjj = std::sqrt(d);
        r[j * n + j] = rjj;
        for (std::size_t i = j + 1; i < n; ++i) {
            double s = a[j * n + i];
            for (std::size_t k = 0; k < j; ++k) s -= r[k * n + j] * r[k * n + i];
            r[j * n + i] = s / rjj;
        }
    }
    return r;
}

// Solves R^T R y = x in place (two triangular solves).
void solve(const Dense& r, std::size_t n, Dense& x) {
    for (std::size_t i = 0; i < n; ++i) {
        double s = x[i];
        for (std::size_t k = 0; k < i; ++k) s -= r[k * n + i] * x[k];
        x[i] = s / r[i * n + i];
    }
    for (std::size_t i = n; i-- > 0;) {
        double s = x[i];
        for (std::size_t k = i + 1; k < n; ++k) s -= r[i * n + k] * x[k];
        x[i] = s / r[i * n + i];
    }
}

// Rayleigh quotient after a few steps of inverse iteration: an estimate of the smallest eigenvalue.
double smallest_eigenvalue_estimate(const Dense& a, const Dense& r, std::size_t n) {
    Dense x(n);
    for (std::size_t i = 0; i < n; ++i) x[i] = 1.0 + 0.01 * static_cast<double>(i % 7);
    for (int it = 0; it < 12; ++it) {
        solve(r, n, x);
        double norm = 0;
        for (double v : x) norm += v * v;
        norm = std::sqrt(norm);
        if (!(norm > 0) || !std::isfinite(norm)) return 0;
        for (double& v : x) v /= norm;
    }
    double num = 0;
    for (std::size_t i = 0; i < n; ++i) {
        double row = 0;
        for (std::size_t j = 0; j < n; ++j) row += a[i * n + j] * x[j];
        num += x[i] * row;
    }
    return num;  // x has unit norm
}

kernel::Rational exact(double v) {
    int e = 0;
    const double m = std::frexp(v, &e);  // v = m 2^e, 0.5 <= |m| < 1
    const auto mant = static_cast<long long>(std::ldexp(m, 53));
    kernel::Rational q(mant);
    const int shift = e - 53;
    if (shift >= 0) return q * kernel::Rational(kernel::Integer(1) << shift);
    return q / kernel::Rational(kernel::Integer(1) << -shift);
}

}  // namespace

std::optional<CholeskyHint> cholesky_hint(const kernel::Matrix& h, int attempt) {
    const std::size_t n = h.size();
    if (n == 0 || attempt < 0 || attempt > 3) return std::nullopt;
    const Dense a = to_double(h);
    const auto r0 = cholesky(a, n, 0.0);
    if (!r0) return std::nullopt;
    const double lambda = smallest_eigenvalue_estimate(a, *r0, n);
    if (!(lambda > 0) || !std::isfinite(lambda)) return std::nullopt;
    // A short dyadic shift: a fraction of the estimated smallest eigenvalue, smaller at each attempt.
    int e = 0;
    std::frexp(lambda, &e);
    const double shift = std::ldexp(1.0, e - 2 - 3 * attempt);
    const auto r = cholesky(a, n, shift);
    if (!r) return std::nullopt;
    double m = 0;
    for (double v : *r) m = std::max(m, std::fabs(v));
    int em = 0;
    std::frexp(m, &em);
    CholeskyHint hint;
    hint.shift = exact(shift);
    hint.scale_bits = 52 - em;  // |r| * 2^scale_bits <= 2^52
    hint.r_int.resize(n * n);
    for (std::size_t k = 0; k < n * n; ++k)
        hint.r_int[k] = static_cast<std::int64_t>(std::llround(std::ldexp((*r)[k], hint.scale_bits)));
    return hint;
}

std::optional<kernel::Vector> negative_direction_hint(const kernel::Matrix& h) {
    const std::size_t n = h.size();
    Dense a = to_double(h);
    // LDL^T without pivoting; stop at the first non-positive pivot k and solve L^T x = e_k.
    Dense l(n * n, 0.0), d(n, 0.0);
    for (std::size_t j = 0; j < n; ++j) {
        double dj = a[j * n + j];
        for (std::size_t k = 0; k < j; ++k) dj -= l[j * n + k] * l[j * n + k] * d[k];
        if (!(dj > 0)) {
            Dense x(n, 0.0);
            x[j] = 1;
            for (std::size_t i = j; i-- > 0;) {
                double s = 0;
                for (std::size_t k = i + 1; k <= j; ++k) s -= l[k * n + i] * x[k];
                x[i] = s;
            }
            kernel::Vector out(n);
            for (std::size_t i = 0; i < n; ++i) {
                if (!std::isfinite(x[i])) return std::nullopt;
                out[i] = exact(x[i]);
            }
            return out;
        }
        d[j] = dj;
        l[j * n + j] = 1;
        for (std::size_t i = j + 1; i < n; ++i) {
            double s = a[i * n + j];
            for (std::size_t k = 0; k < j; ++k) s -= l[i * n + k] * l[j * n + k] * d[k];
            l[i * n + j] = s / dj;
        }
    }
    return std::nullopt;
}

}  // namespace nncert::hints
