// The activation-pattern method (docs/certificates.md, "Activation patterns"). With one hidden layer
// and an identity output, f_k(x_i) = sum_j s_ij (V_kj w_j . x_i + V_kj b_j) + c_k, where s_ij is the
// unit's slope (1 or alpha) on the piece that the pair (i, j) is on; on-kink pairs may take either.
// For a fixed pattern the loss is a convex quadratic in phi = (V_kj w_j, V_kj b_j, c_k); P is a local
// minimum if phi(P) solves that quadratic's normal equations for every pattern reachable near P.
// Data weights w_i enter the normal equations; a bias-free layer drops its part of phi (and its equations);
// weight decay makes the loss depend on theta, not only on phi, so the method refuses it.
#include "kernel/autodiff.hpp"
#include "kernel/nonsmooth.hpp"

#include <algorithm>

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

// Is e a nonnegative combination of the vectors a (e = sum_i lambda_i a_i, lambda >= 0)? Exact. By
// Caratheodory's theorem it is iff it is one of a linearly independent subset, so the subsets are tried in
// order of size and each is solved exactly (normal equations, then the exact residual is checked). More than
// 12 vectors: not attempted (false: the pattern is then not certified, never wrongly passed).
bool in_cone(const Vector& e, const std::vector<Vector>& a) {
    const std::size_t m = a.size(), n = e.size();
    if (m > 12) return false;
    for (std::size_t mask = 1; mask < (std::size_t(1) << m); ++mask) {
        std::vector<std::size_t> t;
        for (std::size_t i = 0; i < m; ++i)
            if ((mask >> i) & 1) t.push_back(i);
        if (t.size() > n) continue;
        const std::size_t k = t.size();
        // Gram system (A_T^T A_T) lambda = A_T^T e, solved by exact elimination; singular means dependent.
        std::vector<Vector> gm(k, Vector(k + 1));
        for (std::size_t r = 0; r < k; ++r) {
            for (std::size_t c = 0; c < k; ++c)
                for (std::size_t d = 0; d < n; ++d) gm[r][c] += a[t[r]][d] * a[t[c]][d];
            for (std::size_t d = 0; d < n; ++d) gm[r][k] += a[t[r]][d] * e[d];
        }
        bool singular = false;
        for (std::size_t c = 0; c < k && !singular; ++c) {
            std::size_t piv = c;
            while (piv < k && is_zero(gm[piv][c])) ++piv;
            if (piv == k) {
                singular = true;
                break;
            }
            std::swap(gm[piv], gm[c]);
            for (std::size_t r = 0; r < k; ++r) {
                if (r == c || is_zero(gm[r][c])) continue;
                const Rational f = gm[r][c] / gm[c][c];
                for (std::size_t q = c; q <= k; ++q) gm[r][q] -= f * gm[c][q];
            }
        }
        if (singular) continue;
        Vector lambda(k);
        bool nonnegative = true;
        for (std::size_t r = 0; r < k; ++r) {
            lambda[r] = gm[r][k] / gm[r][r];
            nonnegative = nonnegative && lambda[r] >= 0;
        }
        if (!nonnegative) continue;
        bool exact = true;  // the combination must reproduce e exactly
        for (std::size_t d = 0; d < n && exact; ++d) {
            Rational v = 0;
            for (std::size_t r = 0; r < k; ++r) v += lambda[r] * a[t[r]][d];
            exact = v == e[d];
        }
        if (exact) return true;
    }
    return false;
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
    // The patterns decompose by hidden unit: the phi-gradient block of (output o, unit j) depends only on
    // the sides that unit j's own kink pairs take, and the c-gradient on no side at all. So every one of
    // the 2^K patterns passes iff, for each unit j, each of the 2^{K_j} sides of its K_j kink pairs does.
    // A unit whose 2^{K_j} exceeds the cap falls back to its base and single flips with multipliers 0 (the
    // normal equations are affine in each kink's slope, so they hold for all its patterns iff they hold there).
    const std::size_t kp = g.kinks.size();
    std::vector<std::vector<std::size_t>> unit_kinks(g.m);  // data indices of unit j's kink pairs
    for (const auto& [i, j] : g.kinks) unit_kinks[j].push_back(i);
    std::vector<std::vector<Rational>> s(pb.data.size(), Vector(g.m));
    for (std::size_t i = 0; i < pb.data.size(); ++i)
        for (std::size_t j = 0; j < g.m; ++j) s[i][j] = slope(hidden, g.z[i][j].sign() > 0 ? 1 : -1);
    const std::size_t w2 = net.weight_offset(1);
    const bool hidden_bias = net.has_bias(0), output_bias = net.has_bias(1);
    std::size_t failing = 0, with_multipliers = 0, reduced_units = 0;
    bool c_ok = true;  // d/dc_o = 2 s sum_i w_i r_io must vanish (c is unconstrained)
    if (output_bias)
        for (std::size_t o = 0; o < g.k; ++o) {
            Rational sum_r = 0;
            for (std::size_t i = 0; i < g.r.size(); ++i) sum_r += pb.data[i].weight * g.r[i][o];
            c_ok = c_ok && is_zero(sum_r);
        }
    auto record_failure = [&](std::size_t j, std::size_t on_bits, bool reduced) {
        ++failing;
        if (res.failing_directions.size() >= 16) return;
        std::vector<std::vector<Rational>> full = s;
        for (std::size_t q = 0; q < unit_kinks[j].size(); ++q) {
            const bool on = reduced ? on_bits == q + 1 : ((on_bits >> q) & 1) != 0;
            full[unit_kinks[j][q]][j] = slope(hidden, on ? 1 : -1);
        }
        bool ok = false;
        Vector grad = pattern_gradient(pb, p, g, full, ok);
        for (Rational& q : grad) q = -q;
        res.failing_directions.push_back(std::move(grad));
    };
    if (!c_ok) record_failure(0, 0, false);
    for (std::size_t j = 0; j < g.m; ++j) {
        const std::vector<std::size_t>& kj = unit_kinks[j];
        const bool all = kj.size() < 63 && (std::size_t(1) << kj.size()) <= max_patterns;
        if (!all && kj.size() + 1 > max_patterns) {
            res.kind = PatternResult::Kind::too_many;
            res.why = "unit " + std::to_string(j + 1) + " has " + std::to_string(kj.size()) +
                      " kink pairs, which need at least " + std::to_string(kj.size() + 1) +
                      " patterns, over the cap of " + std::to_string(max_patterns) + " (raise --max-patterns)";
            return res;
        }
        reduced_units += all ? 0 : 1;
        const std::size_t count = all ? (std::size_t(1) << kj.size()) : kj.size() + 1;
        for (std::size_t bits = 0; bits < count; ++bits) {
            ++res.patterns_evaluated;
            bool ok = true, multipliers = false;
            for (std::size_t o = 0; o < g.k && ok; ++o) {
                // Block gradient e = sum_i w_i r_io s_ij (x_i, 1) over the data, sides of the kinks as chosen.
                Vector e(g.n_in + (hidden_bias ? 1 : 0));
                std::vector<Vector> normals;  // active constraints sign(V_oj) sigma_i (x_i, 1) . phi_oj >= 0
                const int v_sign = p[w2 + o * g.m + j].sign();
                for (std::size_t i = 0; i < g.r.size(); ++i) {
                    Rational sl = s[i][j];
                    const auto at = std::find(kj.begin(), kj.end(), i);
                    if (at != kj.end()) {
                        const std::size_t q = static_cast<std::size_t>(at - kj.begin());
                        const bool on = all ? ((bits >> q) & 1) != 0 : bits == q + 1;
                        sl = slope(hidden, on ? 1 : -1);
                        if (v_sign != 0) {
                            Vector a(e.size());
                            const int sigma = (on ? 1 : -1) * v_sign;
                            for (std::size_t d = 0; d < g.n_in; ++d) a[d] = sigma * pb.data[i].x[d];
                            if (hidden_bias) a[g.n_in] = sigma;
                            normals.push_back(std::move(a));
                        }
                    }
                    if (is_zero(g.r[i][o]) || is_zero(sl)) continue;
                    const Rational rs = pb.data[i].weight * g.r[i][o] * sl;
                    for (std::size_t d = 0; d < g.n_in; ++d) e[d] += rs * pb.data[i].x[d];
                    if (hidden_bias) e[g.n_in] += rs;
                }
                bool zero = true;
                for (const Rational& q : e) zero = zero && is_zero(q);
                if (zero) continue;
                // With multipliers only where all patterns are enumerated (the reduction needs them 0).
                ok = all && in_cone(e, normals);
                multipliers = multipliers || ok;
            }
            with_multipliers += multipliers ? 1 : 0;
            if (!ok) record_failure(j, bits, !all);
        }
    }
    res.patterns_covered = 1;
    for (std::size_t q = 0; q < kp; ++q) res.patterns_covered *= 2;
    List kinks;
    for (const auto& [i, j] : g.kinks)
        kinks.emplace_back(Object{{"data", i + 1}, {"unit", j + 1}, {"residual", vector_value(g.r[i])}});
    res.evidence = Object{{"kink_pairs", kp},
                          {"patterns_covered", res.patterns_covered},
                          {"patterns_evaluated", res.patterns_evaluated},
                          {"enumeration", reduced_units == 0
                                              ? "all patterns, unit by unit"
                                              : std::to_string(reduced_units) +
                                                    " unit(s) by base and single flips (affine reduction)"},
                          {"unit_patterns_with_multipliers", with_multipliers},
                          {"output_bias_optimal", c_ok},
                          {"failing_patterns", failing},
                          {"kinks", Value(std::move(kinks))}};
    res.kind = failing == 0 ? PatternResult::Kind::holds : PatternResult::Kind::fails;
    return res;
}

}  // namespace nncert::kernel
