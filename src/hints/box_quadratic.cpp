// UNTRUSTED projected gradient in binary64 for the one-layer loss bound: any point it returns is sound to use.
#include "hints/box_quadratic.hpp"

#include <algorithm>
#include <cmath>

namespace nncert::hints {

BoxQuadraticPoint box_quadratic_minimiser_untrusted(const std::vector<mpfr_srcptr>& g,
                                                    const std::vector<mpfr_srcptr>& q, const std::vector<double>& ad,
                                                    const Rational& s, const Vector& lo, const Vector& hi) {
    const std::size_t p = lo.size(), n = q.size();
    std::vector<double> gd(p), qd(n), l(p), h(p), d(p, 0.0), e(n, 0.0);
    BoxQuadraticPoint out;
    if (ad.size() != n * p) return out;
    for (std::size_t k = 0; k < p; ++k) {
        gd[k] = mpfr_get_d(g[k], MPFR_RNDN);
        l[k] = lo[k].convert_to<double>();
        h[k] = hi[k].convert_to<double>();
    }
    const double sd = s.convert_to<double>();
    double lipschitz = sd;
    for (std::size_t i = 0; i < n; ++i) {
        qd[i] = std::max(0.0, mpfr_get_d(q[i], MPFR_RNDN));
        double norm2 = 0;
        for (std::size_t k = 0; k < p; ++k) norm2 += ad[i * p + k] * ad[i * p + k];
        lipschitz += qd[i] * norm2;
    }
    bool finite = std::isfinite(lipschitz) && lipschitz > 0;
    for (std::size_t k = 0; k < p && finite; ++k) finite = std::isfinite(gd[k]) && std::isfinite(l[k]) && std::isfinite(h[k]);
    if (finite) {
        const double step = 1 / lipschitz;
        std::vector<double> grad(p);
        for (int it = 0; it < 40; ++it) {
            for (std::size_t k = 0; k < p; ++k) grad[k] = gd[k] + sd * d[k];
            for (std::size_t i = 0; i < n; ++i) {
                double ei = 0;
                for (std::size_t k = 0; k < p; ++k) ei += ad[i * p + k] * d[k];
                const double w = qd[i] * ei;
                for (std::size_t k = 0; k < p; ++k) grad[k] += w * ad[i * p + k];
            }
            for (std::size_t k = 0; k < p; ++k) d[k] = std::clamp(d[k] - step * grad[k], l[k], h[k]);
        }
    } else {
        std::fill(d.begin(), d.end(), 0.0);
    }
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t k = 0; k < p; ++k) e[i] += ad[i * p + k] * d[k];
    out.d.reserve(p);
    out.e.reserve(n);
    for (std::size_t k = 0; k < p; ++k) out.d.emplace_back(std::isfinite(d[k]) ? d[k] : 0.0);
    for (std::size_t i = 0; i < n; ++i) out.e.emplace_back(std::isfinite(e[i]) ? e[i] : 0.0);
    return out;
}

}  // namespace nncert::hints
