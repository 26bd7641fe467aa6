// UNTRUSTED projected gradient in binary64 for the one-layer loss bound: any point it returns is sound to use.
#include "hints/box_quadratic.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace nncert::hints {

namespace {

// One projected gradient step d <- clamp(d - step grad, l, h); false when it left d exactly as it was. Then every
// later step computes the same gradient and the same d again (the iteration is deterministic), so stopping there
// returns the point the full 40 steps would.
bool projected_step(std::vector<double>& d, const std::vector<double>& grad, double step, const std::vector<double>& l,
                    const std::vector<double>& h) {
    bool moved = false;
    for (std::size_t k = 0; k < d.size(); ++k) {
        const double next = std::clamp(d[k] - step * grad[k], l[k], h[k]);
        if (std::memcmp(&next, &d[k], sizeof next) != 0) moved = true;
        d[k] = next;
    }
    return moved;
}

}  // namespace

BoxQuadraticPointD box_quadratic_minimiser_untrusted_d(const std::vector<double>& g, const std::vector<double>& q,
                                                       const std::vector<double>& ad, double sd,
                                                       const std::vector<double>& l, const std::vector<double>& h) {
    const std::size_t p = l.size(), n = q.size();
    BoxQuadraticPointD out;
    if (ad.size() != n * p || g.size() != p || h.size() != p) return out;
    std::vector<double> qd(n), d(p, 0.0), e(n, 0.0);
    double lipschitz = sd;
    for (std::size_t i = 0; i < n; ++i) {
        qd[i] = std::max(0.0, q[i]);
        double norm2 = 0;
        for (std::size_t k = 0; k < p; ++k) norm2 += ad[i * p + k] * ad[i * p + k];
        lipschitz += qd[i] * norm2;
    }
    bool finite = std::isfinite(lipschitz) && lipschitz > 0;
    for (std::size_t k = 0; k < p && finite; ++k)
        finite = std::isfinite(g[k]) && std::isfinite(l[k]) && std::isfinite(h[k]);
    if (finite) {
        const double step = 1 / lipschitz;
        std::vector<double> grad(p);
        if (p <= n) {
            // The Hessian sum_i q_i a_i a_i^T + s I once (p x p), then p^2 operations per step instead of 2 n p: the same
            // iterates up to rounding (the one-layer search's reduced problems have p = 3, n = 10).
            std::vector<double> hess(p * p, 0.0);
            for (std::size_t i = 0; i < n; ++i)
                for (std::size_t k = 0; k < p; ++k)
                    for (std::size_t j = 0; j < p; ++j) hess[k * p + j] += qd[i] * ad[i * p + k] * ad[i * p + j];
            for (std::size_t k = 0; k < p; ++k) hess[k * p + k] += sd;
            for (int it = 0; it < 40; ++it) {
                for (std::size_t k = 0; k < p; ++k) {
                    double gk = g[k];
                    for (std::size_t j = 0; j < p; ++j) gk += hess[k * p + j] * d[j];
                    grad[k] = gk;
                }
                if (!projected_step(d, grad, step, l, h)) break;  // a fixed point: the rest would repeat it
            }
        } else {
            for (int it = 0; it < 40; ++it) {
                for (std::size_t k = 0; k < p; ++k) grad[k] = g[k] + sd * d[k];
                for (std::size_t i = 0; i < n; ++i) {
                    double ei = 0;
                    for (std::size_t k = 0; k < p; ++k) ei += ad[i * p + k] * d[k];
                    const double w = qd[i] * ei;
                    for (std::size_t k = 0; k < p; ++k) grad[k] += w * ad[i * p + k];
                }
                if (!projected_step(d, grad, step, l, h)) break;
            }
        }
    } else {
        std::fill(d.begin(), d.end(), 0.0);
    }
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t k = 0; k < p; ++k) e[i] += ad[i * p + k] * d[k];
    for (double& x : d)
        if (!std::isfinite(x)) x = 0.0;
    for (double& x : e)
        if (!std::isfinite(x)) x = 0.0;
    out.d = std::move(d);
    out.e = std::move(e);
    return out;
}

BoxQuadraticPoint box_quadratic_minimiser_untrusted(const std::vector<mpfr_srcptr>& g,
                                                    const std::vector<mpfr_srcptr>& q, const std::vector<double>& ad,
                                                    const Rational& s, const Vector& lo, const Vector& hi) {
    const std::size_t p = lo.size(), n = q.size();
    BoxQuadraticPoint out;
    if (ad.size() != n * p) return out;
    std::vector<double> gd(p), qd(n), l(p), h(p);
    for (std::size_t k = 0; k < p; ++k) {
        gd[k] = mpfr_get_d(g[k], MPFR_RNDN);
        l[k] = lo[k].convert_to<double>();
        h[k] = hi[k].convert_to<double>();
    }
    for (std::size_t i = 0; i < n; ++i) qd[i] = mpfr_get_d(q[i], MPFR_RNDN);
    const BoxQuadraticPointD r = box_quadratic_minimiser_untrusted_d(gd, qd, ad, s.convert_to<double>(), l, h);
    out.d.reserve(p);
    out.e.reserve(n);
    for (double x : r.d) out.d.emplace_back(x);
    for (double x : r.e) out.e.emplace_back(x);
    return out;
}

}  // namespace nncert::hints
