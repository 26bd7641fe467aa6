// UNTRUSTED projected gradient descent in binary64 for the output-layer reduction's early witness: any point it
// returns is only tested by the kernel, so nothing here needs to be exact.
#include "hints/output_layer_descent.hpp"

#include <algorithm>
#include <cmath>

namespace nncert::hints {

namespace {

namespace descent_detail {

// The loss at u and (if grad is given) its gradient, in binary64.
double loss_at(const OneLayerData& d, const std::vector<double>& u, std::vector<double>* grad) {
    const std::size_t n = d.weight.size(), bias_at = d.out * d.in;
    if (grad) std::fill(grad->begin(), grad->end(), 0.0);
    double loss = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double* xi = &d.x[i * d.in];
        for (std::size_t k = 0; k < d.out; ++k) {
            double z = d.bias ? u[bias_at + k] : 0.0;
            for (std::size_t j = 0; j < d.in; ++j) z += u[k * d.in + j] * xi[j];
            double f = z, df = 1;
            if (d.activation == kernel::ActivationKind::sigmoid) {
                f = 1 / (1 + std::exp(-z));
                df = f * (1 - f);
            } else if (d.activation == kernel::ActivationKind::tanh) {
                f = std::tanh(z);
                df = 1 - f * f;
            }
            const double r = f - d.y[i * d.out + k];
            loss += d.weight[i] * r * r;
            if (!grad) continue;
            const double dz = 2 * d.scale * d.weight[i] * r * df;
            for (std::size_t j = 0; j < d.in; ++j) (*grad)[k * d.in + j] += dz * xi[j];
            if (d.bias) (*grad)[bias_at + k] += dz;
        }
    }
    return d.scale * loss;
}

}  // namespace descent_detail

}  // namespace

std::optional<DescentPoint> one_layer_descent_untrusted(const OneLayerData& d, const std::vector<double>& lo,
                                                        const std::vector<double>& hi,
                                                        const std::vector<double>& start, int evaluations,
                                                        double target) {
    using descent_detail::loss_at;
    const std::size_t p = d.out * d.in + (d.bias ? d.out : 0), n = d.weight.size();
    if (d.activation != kernel::ActivationKind::identity && d.activation != kernel::ActivationKind::sigmoid &&
        d.activation != kernel::ActivationKind::tanh)
        return std::nullopt;
    if (lo.size() != p || hi.size() != p || start.size() != p || d.x.size() != n * d.in || d.y.size() != n * d.out)
        return std::nullopt;
    DescentPoint best;
    best.u.resize(p);
    for (std::size_t k = 0; k < p; ++k) {
        if (!std::isfinite(start[k]) || !(lo[k] <= hi[k])) return std::nullopt;
        best.u[k] = std::clamp(start[k], lo[k], hi[k]);
    }
    std::vector<double> grad(p), next(p), next_grad(p);
    best.loss = loss_at(d, best.u, &grad);
    if (!std::isfinite(best.loss)) return std::nullopt;
    // The first trial step moves the largest gradient entry by 1/8 of the widest finite range (or by 1).
    double widest = 0, gmax = 0;
    for (std::size_t k = 0; k < p; ++k) {
        if (std::isfinite(hi[k] - lo[k])) widest = std::max(widest, hi[k] - lo[k]);
        gmax = std::max(gmax, std::fabs(grad[k]));
    }
    if (!(gmax > 0) || !std::isfinite(gmax)) return best;
    double step = (widest > 0 ? widest : 1.0) / 8 / gmax;
    for (int e = 1; e < evaluations && best.loss >= target; ++e) {
        bool moved = false;
        for (std::size_t k = 0; k < p; ++k) {
            next[k] = std::clamp(best.u[k] - step * grad[k], lo[k], hi[k]);
            moved = moved || next[k] != best.u[k];
        }
        if (!moved) break;  // a corner (or a point) where the projected gradient vanishes
        const double l = loss_at(d, next, &next_grad);
        if (std::isfinite(l) && l < best.loss) {  // accept, and try a longer step next
            best.u.swap(next);
            grad.swap(next_grad);
            best.loss = l;
            step *= 2;
        } else {
            step /= 4;
        }
    }
    return best;
}

}  // namespace nncert::hints
