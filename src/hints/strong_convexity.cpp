// UNTRUSTED binary64 eigenvalue and Newton-step hints for the strong-convexity trap route; the kernel certifies
// whatever modulus it takes from here over the whole box, and any centre it takes is merely a point of the box.
#include "hints/strong_convexity.hpp"

#include "hints/float_linear_algebra.hpp"

#include <cmath>

namespace nncert::hints {

namespace {

DenseMatrix to_dense(const Matrix& h) {
    const std::size_t n = h.size();
    DenseMatrix a(n * n);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j) a[i * n + j] = h[i][j].convert_to<double>();
    return a;
}

}  // namespace

std::optional<Rational> smallest_eigenvalue_untrusted(const Matrix& h) {
    const auto e = lowest_eigenpair_untrusted(to_dense(h), h.size());
    if (!e || !std::isfinite(e->value)) return std::nullopt;
    return Rational(e->value);
}

std::optional<Vector> newton_step_untrusted(const Matrix& h, const Vector& g) {
    const std::size_t n = h.size();
    const auto inv = inverse_untrusted(to_dense(h), n);
    if (!inv) return std::nullopt;
    Vector s(n);
    for (std::size_t i = 0; i < n; ++i) {
        double acc = 0;
        for (std::size_t j = 0; j < n; ++j) acc -= (*inv)[i * n + j] * g[j].convert_to<double>();
        if (!std::isfinite(acc)) return std::nullopt;
        s[i] = Rational(acc);
    }
    return s;
}

}  // namespace nncert::hints
