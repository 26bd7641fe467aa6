// The activation-pattern method (docs/certificates.md, "Activation patterns"). With one hidden layer
// and an identity output, f_k(x_i) = sum_j s_ij (V_kj w_j . x_i + V_kj b_j) + c_k, where s_ij is the
// unit's slope (1 or alpha) on the piece that the pair (i, j) is on; on-kink pairs may take either.
// For a fixed pattern the loss is a convex quadratic in phi = (V_kj w_j, V_kj b_j, c_k); P is a local
// minimum if phi(P) solves that quadratic's normal equations for every pattern reachable near P.
// Data weights w_i enter the normal equations; a bias-free layer drops its part of phi (and its equations);
// weight decay makes the loss depend on theta, not only on phi, so the method refuses it.
#include "kernel/autodiff.hpp"
#include "kernel/nonsmooth.hpp"

namespace nncert::kernel {

namespace {

struct Geometry {
    std::size_t n_in, m, k;  // input dim, hidden units, outputs
    std::vector<Vector> z;   // z[i][j]: pre-activation of unit j at data point i
    std::vector<Vector> r;   // r[i][o]: residual f_o(x_i) - y_io
    std::vector<std::pair<std::size_t, std::size_t>> kinks;  // (i, j) with z = 0
};

Rational slope(const Activation& a, int side) {  // side +1: the z > 0 piece; -1: the z < 0 piece
    if (side > 0 || a.kind == ActivationKind::identity) return Rational(1);
    return a.kind == ActivationKind::relu ? Rational(0) : a.alpha;
}

// The gradient of the pattern's loss L_S(phi(theta)) in theta at P (the one-sided gradient on the
// pieces S chooses). Its phi-part vanishes iff the normal equations hold, because dphi/dtheta has
// the c-part as identity and each (w_j, b_j) part is V_kj times the phi-gradient.
Vector pattern_gradient(const Problem& pb, const Vector& p, const Geometry& g,
                        const std::vector<std::vector<Rational>>& s, bool& normal_ok) {
    const Network& net = pb.net;
    const Rational two_scale = 2 * loss_scale(pb);
    const std::size_t w1 = net.weight_offset(0), b1 = net.bias_offset(0);
    const std::size_t w2 = net.weight_offset(1), b2 = net.bias_offset(1);
    const bool hidden_bias = net.has_bias(0), output_bias = net.has_bias(1);
    Vector grad(p.size());
    normal_ok = true;
    for (std::size_t o = 0; o < g.k; ++o) {
        Rational sum_r = 0;  // weighted residuals: sum_i w_i r_io
        for (std::size_t i = 0; i < g.r.size(); ++i) sum_r += pb.data[i].weight * g.r[i][o];
        if (output_bias) {
            normal_ok = normal_ok && is_zero(sum_r);  // d/dc_o
            grad[b2 + o] = two_scale * sum_r;
        }
        for (std::size_t j = 0; j < g.m; ++j) {
            Rational eb = 0;  // normal equation for V_oj b_j
            Vector ew(g.n_in);  // ... and for V_oj w_j
            Rational ev = 0;  // d/dV_oj
            for (std::size_t i = 0; i < g.r.size(); ++i) {
                if (is_zero(g.r[i][o]) || is_zero(s[i][j])) continue;
                const Rational rs = pb.data[i].weight * g.r[i][o] * s[i][j];
                eb += rs;
                for (std::size_t d = 0; d < g.n_in; ++d) ew[d] += rs * pb.data[i].x[d];
                ev += rs * g.z[i][j];
            }
            if (hidden_bias) normal_ok = normal_ok && is_zero(eb);
            for (const Rational& q : ew) normal_ok = normal_ok && is_zero(q);
            const Rational& v = p[w2 + o * g.m + j];
            grad[w2 + o * g.m + j] += two_scale * ev;
            if (hidden_bias) grad[b1 + j] += two_scale * v * eb;
            for (std::size_t d = 0; d < g.n_in; ++d) grad[w1 + j * g.n_in + d] += two_scale * v * ew[d];
        }
    }
    return grad;
}

}  // namespace

PatternResult check_patterns(const Problem& pb, const Vector& p, std::size_t max_patterns) {
    const Network& net = pb.net;
    PatternResult res;
    if (net.layers.size() != 2) {
        res.why = "the pattern method needs exactly one hidden layer (this network has " +
                  std::to_string(net.layers.size() - 1) + ")";
        return res;
    }
    const Activation& hidden = net.layers[0].activation;
    if (!hidden.is_piecewise_linear()) {
        res.why = "the pattern method needs identity, relu or leaky_relu hidden units";
        return res;
    }
    if (net.layers[1].activation.kind != ActivationKind::identity) {
        res.why = "the pattern method needs an identity output layer";
        return res;
    }
    if (!is_squared_error(pb.loss)) {
        res.why = "the pattern method needs a squared-error loss (sse, sse/2 or mse)";
        return res;
    }
    if (!is_zero(pb.weight_decay)) {
        res.why = "the pattern method does not apply with weight decay (the loss is not a function of the "
                  "effective parameters alone)";
        return res;
    }
    Geometry g{net.input_dim, net.layers[0].width, net.output_dim(), {}, {}, {}};
    Pass<Rational> pass;
    for (std::size_t i = 0; i < pb.data.size(); ++i) {
        forward(net, p, pb.data[i].x, pass);
        g.z.push_back(pass.z[0]);
        Vector r(g.k);
        for (std::size_t o = 0; o < g.k; ++o) r[o] = pass.a[2][o] - pb.data[i].y[o];
        g.r.push_back(r);
        if (hidden.has_kink())
            for (std::size_t j = 0; j < g.m; ++j)
                if (pass.z[0][j].sign() == 0) g.kinks.emplace_back(i, j);
    }
    res.kink_pairs = g.kinks.size();
    res.patterns_covered = 1;
    for (std::size_t q = 0; q < g.kinks.size(); ++q) res.patterns_covered *= 2;
    // Which patterns to evaluate: all of them when 2^K fits the cap; otherwise the base pattern and
    // its K single flips, which is equivalent: the normal equations are affine in each kink's slope,
    // so they hold for all 2^K patterns iff they hold at the base and at every single flip.
    const std::size_t kp = g.kinks.size();
    const bool all = kp < 63 && res.patterns_covered <= Rational(max_patterns);
    if (!all && kp + 1 > max_patterns) {
        res.kind = PatternResult::Kind::too_many;
        res.why = std::to_string(kp) + " on-kink pairs need at least " + std::to_string(kp + 1) +
                  " patterns, over the cap of " + std::to_string(max_patterns) + " (raise --max-patterns)";
        return res;
    }
    std::vector<std::vector<Rational>> s(pb.data.size(), Vector(g.m));
    for (std::size_t i = 0; i < pb.data.size(); ++i)
        for (std::size_t j = 0; j < g.m; ++j) s[i][j] = slope(hidden, g.z[i][j].sign() > 0 ? 1 : -1);
    const std::size_t count = all ? (std::size_t(1) << kp) : kp + 1;
    std::size_t failing = 0;
    for (std::size_t pat = 0; pat < count; ++pat) {
        for (std::size_t q = 0; q < kp; ++q) {
            const bool on = all ? ((pat >> q) & 1) != 0 : pat == q + 1;
            s[g.kinks[q].first][g.kinks[q].second] = slope(hidden, on ? 1 : -1);
        }
        bool ok = false;
        Vector grad = pattern_gradient(pb, p, g, s, ok);
        ++res.patterns_evaluated;
        if (ok) continue;
        ++failing;
        for (Rational& q : grad) q = -q;
        if (res.failing_directions.size() < 16) res.failing_directions.push_back(std::move(grad));
    }
    List kinks;
    for (const auto& [i, j] : g.kinks)
        kinks.emplace_back(Object{{"data", i + 1}, {"unit", j + 1}, {"residual", vector_value(g.r[i])}});
    res.evidence = Object{{"kink_pairs", kp},
                          {"patterns_covered", res.patterns_covered},
                          {"patterns_evaluated", res.patterns_evaluated},
                          {"enumeration", all ? "all patterns" : "base and single flips (affine reduction)"},
                          {"failing_patterns", failing},
                          {"kinks", Value(std::move(kinks))}};
    res.kind = failing == 0 ? PatternResult::Kind::holds : PatternResult::Kind::fails;
    return res;
}

}  // namespace nncert::kernel
