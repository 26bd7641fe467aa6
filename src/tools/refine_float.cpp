// UNTRUSTED: Levenberg-Marquardt descent for refine (refine_float.hpp), on the kernel's generic loss,
// gradient and Hessian code instantiated with long double (Approx).
#include "tools/refine_float.hpp"

#include "tools/snap.hpp"

#include "kernel/autodiff.hpp"
#include "kernel/hessian_impl.hpp"
#include "tools/approx_number.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace nncert::tools {

Approx activate(const kernel::Activation& a, const Approx& zz, int order) {
    using K = kernel::ActivationKind;
    const long double z = zz.v;
    switch (a.kind) {
        case K::identity: return order == 0 ? z : order == 1 ? 1.0L : 0.0L;
        case K::relu: return order >= 2 ? 0.0L : z > 0 ? (order == 0 ? z : 1.0L) : 0.0L;
        case K::leaky_relu: {
            const long double al = a.alpha.convert_to<long double>();
            if (order >= 2) return 0.0L;
            if (z > 0) return order == 0 ? z : 1.0L;
            return order == 0 ? al * z : al;
        }
        case K::poly: {
            long double acc = 0;
            const int n = static_cast<int>(a.coeffs.size());
            for (int k = n - 1; k >= order; --k) {
                long double c = a.coeffs[static_cast<std::size_t>(k)].convert_to<long double>();
                for (int f = 0; f < order; ++f) c *= (k - f);
                acc = acc * z + c;
            }
            return acc;
        }
        case K::sigmoid: {
            const long double s = z >= 0 ? 1 / (1 + std::exp(-z)) : std::exp(z) / (1 + std::exp(z));
            if (order == 0) return s;
            if (order == 1) return s * (1 - s);
            return s * (1 - s) * (1 - 2 * s);
        }
        case K::tanh: {
            const long double t = std::tanh(z);
            if (order == 0) return t;
            if (order == 1) return 1 - t * t;
            return -2 * t * (1 - t * t);
        }
        case K::softplus: {
            if (order == 0) return z > 0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z));
            kernel::Activation s;
            s.kind = K::sigmoid;
            return activate(s, zz, order - 1);
        }
    }
    return 0.0L;
}

namespace {

using Vec = std::vector<long double>;
using Mat = std::vector<Vec>;

std::vector<Approx> as_approx(const Vec& x) { return std::vector<Approx>(x.begin(), x.end()); }

long double loss_at(const kernel::Problem& pb, const Vec& x) {
    return kernel::loss_and_gradient<Approx>(pb, as_approx(x), nullptr).v;
}

// Cholesky solve of (H + mu I) d = -g; nothing if H + mu I is not numerically positive definite.
std::optional<Vec> damped_step(const Mat& h, const Vec& g, long double mu) {
    const std::size_t n = g.size();
    Mat l(n, Vec(n));
    for (std::size_t j = 0; j < n; ++j) {
        long double d = h[j][j] + mu;
        for (std::size_t k = 0; k < j; ++k) d -= l[j][k] * l[j][k];
        if (!(d > 0) || !std::isfinite(d)) return std::nullopt;
        l[j][j] = std::sqrt(d);
        for (std::size_t i = j + 1; i < n; ++i) {
            long double s = h[i][j];
            for (std::size_t k = 0; k < j; ++k) s -= l[i][k] * l[j][k];
            l[i][j] = s / l[j][j];
        }
    }
    Vec y(n), x(n);
    for (std::size_t i = 0; i < n; ++i) {
        long double s = -g[i];
        for (std::size_t k = 0; k < i; ++k) s -= l[i][k] * y[k];
        y[i] = s / l[i][i];
    }
    for (std::size_t i = n; i-- > 0;) {
        long double s = y[i];
        for (std::size_t k = i + 1; k < n; ++k) s -= l[k][i] * x[k];
        x[i] = s / l[i][i];
    }
    return x;
}

long double max_abs(const Vec& v) {
    long double m = 0;
    for (long double x : v) m = std::max(m, std::fabs(x));
    return m;
}

std::string short_number(long double x) {
    std::ostringstream s;
    s.precision(3);
    s << static_cast<double>(x);
    return s.str();
}

}  // namespace

std::vector<long double> symmetric_eigenvalues(Mat a) {
    const std::size_t n = a.size();
    for (int sweep = 0; sweep < 60; ++sweep) {
        long double off = 0, total = 0;
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t j = 0; j < n; ++j) {
                total += a[i][j] * a[i][j];
                if (i != j) off += a[i][j] * a[i][j];
            }
        if (off <= 1e-36L * total) break;
        for (std::size_t p = 0; p < n; ++p)
            for (std::size_t q = p + 1; q < n; ++q) {
                if (a[p][q] == 0) continue;
                const long double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                const long double t = (theta >= 0 ? 1 : -1) / (std::fabs(theta) + std::sqrt(theta * theta + 1));
                const long double c = 1 / std::sqrt(t * t + 1), s = t * c;
                for (std::size_t k = 0; k < n; ++k) {  // A <- J^T A J
                    const long double akp = a[k][p], akq = a[k][q];
                    a[k][p] = c * akp - s * akq;
                    a[k][q] = s * akp + c * akq;
                }
                for (std::size_t k = 0; k < n; ++k) {
                    const long double apk = a[p][k], aqk = a[q][k];
                    a[p][k] = c * apk - s * aqk;
                    a[q][k] = s * apk + c * aqk;
                }
            }
    }
    Vec ev(n);
    for (std::size_t i = 0; i < n; ++i) ev[i] = a[i][i];
    std::sort(ev.begin(), ev.end());
    return ev;
}

DescentResult damped_newton(const kernel::Problem& pb, const kernel::Vector& x0, const DescentOptions& opt) {
    DescentResult r;
    const std::size_t n = x0.size();
    r.x.resize(n);
    for (std::size_t i = 0; i < n; ++i) r.x[i] = x0[i].convert_to<long double>();
    const long double start_norm = max_abs(r.x);
    std::vector<Approx> g_approx;
    Vec g(n);
    Mat h(n, Vec(n));
    long double mu = -1, loss = 0;
    std::vector<long double> norms;  // of accepted iterates, for the runaway diagnosis
    auto evaluate = [&] {
        loss = kernel::loss_and_gradient<Approx>(pb, as_approx(r.x), &g_approx).v;
        for (std::size_t i = 0; i < n; ++i) g[i] = g_approx[i].v;
        const auto ha = kernel::hessian_detail::hessian<Approx>(pb, as_approx(r.x), nullptr);
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t j = 0; j < n; ++j) h[i][j] = ha[i][j].v;
    };
    evaluate();
    if (!std::isfinite(loss)) {
        r.stop = "the loss is not finite at the starting point";
        return r;
    }
    // Converged: the gradient is negligible AND the undamped Newton step (H positive definite) is too. A
    // tiny gradient alone is also what a saturation plateau looks like, where the minimum is at infinity.
    auto at_minimum = [&](long double scale) {
        if (max_abs(g) > 1e-12L * std::max(1.0L, std::fabs(loss)) * scale) return false;
        const std::optional<Vec> newton = damped_step(h, g, 0);
        return newton && max_abs(*newton) <= 1e-9L * scale;
    };
    auto last_report = std::chrono::steady_clock::now();
    for (; r.steps < opt.max_steps; ++r.steps) {
        if (std::chrono::steady_clock::now() > opt.deadline) {
            r.stop = "the time cap was reached after " + std::to_string(r.steps) + " steps";
            break;
        }
        if (opt.progress && std::chrono::steady_clock::now() - last_report > std::chrono::seconds(2)) {
            last_report = std::chrono::steady_clock::now();
            opt.progress("step " + std::to_string(r.steps) + ", loss " + short_number(loss) + ", max |grad| " +
                         short_number(max_abs(g)) + ", max |weight| " + short_number(max_abs(r.x)));
        }
        long double hmax = 0;
        for (std::size_t i = 0; i < n; ++i) hmax = std::max(hmax, std::fabs(h[i][i]));
        if (mu < 0) mu = 1e-3L * std::max(hmax, 1e-12L);
        const long double scale = std::max(1.0L, max_abs(r.x));
        if (at_minimum(scale)) {
            r.converged = true;
            r.stop = "converged";
            break;
        }
        std::optional<Vec> d = damped_step(h, g, mu);
        if (!d) {
            mu = mu * 10 + 1e-12L;
            continue;
        }
        Vec trial = r.x;
        for (std::size_t i = 0; i < n; ++i) trial[i] += (*d)[i];
        const long double lt = loss_at(pb, trial);
        if (std::isfinite(lt) && lt <= loss) {
            const bool tiny_step = max_abs(*d) <= 1e-17L * scale;
            r.x = trial;
            norms.push_back(max_abs(r.x));
            evaluate();
            mu = std::max(mu / 3, 1e-30L * std::max(hmax, 1e-12L));
            if (tiny_step) {  // no more progress in floats: a minimum only if the test above says so
                ++r.steps;
                r.converged = at_minimum(std::max(1.0L, max_abs(r.x)));
                r.stop = r.converged ? "converged" : "the steps fell below the float resolution without a positive "
                                                     "definite Hessian";
                break;
            }
        } else {
            mu *= 4;
            if (mu > 1e30L * std::max(hmax, 1.0L)) {
                r.stop = "no descent step exists at float precision (the loss is flat here)";
                break;
            }
        }
    }
    if (r.stop.empty()) r.stop = "the step cap of " + std::to_string(opt.max_steps) + " was reached";
    r.loss = loss;
    r.gradient_norm = max_abs(g);
    // Diagnoses. Flat directions: eigenvalues tiny against the largest one.
    if (n <= 400) {
        const Vec ev = symmetric_eigenvalues(h);
        const long double top = std::max(std::fabs(ev.front()), std::fabs(ev.back()));
        for (long double e : ev)
            if (std::fabs(e) <= 1e-12L * top) ++r.near_zero_eigenvalues;  // long double noise is ~1e-18
    }
    // Runaway weights: the largest weight grew tenfold from the start and kept growing to the end.
    if (!r.converged && norms.size() >= 8) {
        const std::size_t q = norms.size() * 3 / 4;
        bool growing = norms.back() > 10 * std::max(start_norm, 1.0L) && norms.back() > 1.5L * norms[q];
        for (std::size_t i = q + 1; i < norms.size() && growing; ++i) growing = norms[i] >= norms[i - 1];
        r.runaway = growing;
    }
    // Or: scaling every weight up keeps lowering the loss (saturating units sharpen), so descent leads to
    // infinity. Probed at x times 2, 4, ..., 64.
    if (!r.converged && !r.runaway) {
        long double prev = r.loss;
        bool down = true;
        for (long double f = 2; f <= 64 && down; f *= 2) {
            Vec y = r.x;
            for (long double& v : y) v *= f;
            const long double l = loss_at(pb, y);
            down = std::isfinite(l) && l < prev;
            prev = l;
        }
        r.runaway = down;
    }
    if (r.runaway)
        r.diagnosis = "weights grow without bound along descent (max |weight| " + short_number(start_norm) + " -> " +
                      short_number(max_abs(r.x)) + ", and the loss keeps falling as the weights are scaled up): a "
                      "saturation plateau with no minimum at finite weights here (see `trap`)";
    else if (r.near_zero_eigenvalues > 0)
        r.diagnosis = "the Hessian has " + std::to_string(r.near_zero_eigenvalues) +
                      " near-zero eigenvalue(s): the critical points form a manifold (no strict minimum; see the "
                      "trap and local_min claims)" +
                      (snap_unsupported(pb).empty() ? "; for this piecewise-linear network try `nncert snap`" : "");
    return r;
}

}  // namespace nncert::tools
