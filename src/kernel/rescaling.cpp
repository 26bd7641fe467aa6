// Exhibits the rescaling curve through a point (see rescaling.hpp and docs/certificates.md).
#include "kernel/rescaling.hpp"

namespace nncert::kernel {

Vector rescale_unit(const Network& net, const Vector& p, std::size_t l, std::size_t u, const Rational& a) {
    Vector q = p;
    const std::size_t n_in = net.fan_in(l), w = net.weight_offset(l);
    for (std::size_t j = 0; j < n_in; ++j) q[w + u * n_in + j] *= a;
    if (net.has_bias(l)) q[net.bias_offset(l) + u] *= a;
    const std::size_t n_next = net.layers[l + 1].width, w_next = net.weight_offset(l + 1);
    for (std::size_t i = 0; i < n_next; ++i) q[w_next + i * net.layers[l].width + u] /= a;
    return q;
}

std::optional<RescalingCurve> find_rescaling_curve(const Problem& pb, const Vector& p) {
    const Network& net = pb.net;
    // Weight decay changes along the curve (a^2 |in|^2 + |out|^2 / a^2 is not constant in a), so the curve
    // is not one of constant loss; an equal loss at one a would prove nothing.
    if (!is_zero(pb.weight_decay)) return std::nullopt;
    const Rational a = Rational(1001, 1000);
    for (std::size_t l = 0; l + 1 < net.layers.size(); ++l) {
        if (!net.layers[l].activation.is_piecewise_linear()) continue;
        for (std::size_t u = 0; u < net.layers[l].width; ++u) {
            Vector q = rescale_unit(net, p, l, u, a);
            if (q == p) continue;  // every weight of the unit is zero: the curve is a single point
            // The identity holds for every a > 0 by homogeneity; the exact evaluation confirms it here.
            if (loss(pb, q) != loss(pb, p)) continue;
            return RescalingCurve{l, u, a, std::move(q)};
        }
    }
    return std::nullopt;
}

}  // namespace nncert::kernel
