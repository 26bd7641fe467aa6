// The symmetry-orbit (Morse-Bott) method for `local_min P` at kink-free critical points (docs/certificates.md,
// "symmetry-orbit"). Assumes an exact problem without weight decay; the caller passes the exact Hessian.
//
// The group G = product over hidden layers of GL(k) (identity layers) or positive diagonal matrices (relu,
// leaky_relu layers) acts by W_l -> g W_l, b_l -> g b_l, W_{l+1} -> W_{l+1} g^-1 and leaves the network, hence
// the loss, unchanged. V = the tangent space of P's orbit; if the Hessian restricted to V's orthogonal
// complement is positive definite, P is a local minimum (non-strict when V != 0).
#include "kernel/definiteness.hpp"
#include "kernel/linear_algebra.hpp"
#include "kernel/nonsmooth.hpp"

namespace nncert::kernel {

std::vector<Vector> symmetry_tangents(const Network& net, const Vector& p, std::string* described) {
    std::vector<Vector> out;
    const std::size_t n = net.num_params();
    std::string what;
    for (std::size_t l = 0; l + 1 < net.layers.size(); ++l) {
        const ActivationKind kind = net.layers[l].activation.kind;
        const bool linear = kind == ActivationKind::identity;
        if (!linear && !net.layers[l].activation.is_piecewise_linear()) continue;  // no continuous symmetry
        const std::size_t k = net.layers[l].width, fan = net.fan_in(l), w = net.weight_offset(l);
        const std::size_t next_fan = net.fan_in(l + 1), w_next = net.weight_offset(l + 1);
        for (std::size_t a = 0; a < k; ++a)
            for (std::size_t b = 0; b < k; ++b) {
                if (!linear && a != b) continue;
                // d/de of (I + e E_ab) acting on P: row a of W_l gains row b, b_l[a] gains b_l[b], column b of
                // W_{l+1} loses column a.
                Vector d(n);
                for (std::size_t j = 0; j < fan; ++j) d[w + a * fan + j] = p[w + b * fan + j];
                if (net.has_bias(l)) d[net.bias_offset(l) + a] = p[net.bias_offset(l) + b];
                for (std::size_t i = 0; i < net.layers[l + 1].width; ++i)
                    d[w_next + i * next_fan + b] -= p[w_next + i * next_fan + a];
                out.push_back(std::move(d));
            }
        if (!what.empty()) what += ", ";
        what += (linear ? "GL(" + std::to_string(k) + ") of identity layer " : "rescaling of the " +
                                                                                 std::to_string(k) + " units of layer ") +
                std::to_string(l + 1);
    }
    if (described) *described = what;
    return out;
}

OrbitResult check_symmetry_orbit(const Problem& pb, const Vector& p, const Matrix& h, const Progress* progress) {
    OrbitResult res;
    if (!is_zero(pb.weight_decay)) {
        res.why = "the symmetries do not preserve the weight decay";
        return res;
    }
    std::string described;
    const std::vector<Vector> tangents = symmetry_tangents(pb.net, p, &described);
    const std::size_t n = p.size();
    const std::size_t k = rank(tangents);
    if (k == 0) {
        res.why = "P's orbit under the network's symmetries is a point (no tangent)";
        return res;
    }
    // Z: a basis of the orthogonal complement of V (z . t = 0 for every tangent t), n - k vectors.
    const std::vector<Vector> z = null_space(tangents, n);
    if (z.size() + k != n) throw std::logic_error("symmetry orbit: rank and null space disagree");
    Matrix m(z.size(), Vector(z.size()));
    std::vector<Vector> hz(z.size(), Vector(n));
    for (std::size_t c = 0; c < z.size(); ++c)
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t j = 0; j < n; ++j)
                if (!is_zero(z[c][j]) && !is_zero(h[i][j])) hz[c][i] += h[i][j] * z[c][j];
    for (std::size_t a = 0; a < z.size(); ++a)
        for (std::size_t b = 0; b < z.size(); ++b)
            for (std::size_t i = 0; i < n; ++i)
                if (!is_zero(z[a][i])) m[a][b] += z[a][i] * hz[b][i];
    const DefinitenessResult d = analyze_definiteness(m, {progress});
    Object ev{{"symmetries", described},
              {"orbit_dimension", k},
              {"slice_dimension", z.size()}};
    if (d.kind == Definiteness::positive_definite) {
        res.kind = OrbitResult::Kind::holds;
        ev.emplace_back("slice_hessian", "positive definite (exact LDL^T of Z^T H Z)");
        ev.emplace_back("strict", false);
        res.evidence = Value(std::move(ev));
        return res;
    }
    res.kind = OrbitResult::Kind::fails;
    res.why = "the Hessian on the complement of the orbit's tangent space is not positive definite (flat "
              "directions beyond the symmetries)";
    res.evidence = Value(std::move(ev));
    return res;
}

}  // namespace nncert::kernel
