// The activation-pattern method (docs/certificates.md, "activation-patterns"). With one hidden layer
// and an identity output, f_k(x_i) = sum_j s_ij (V_kj w_j . x_i + V_kj b_j) + c_k, where s_ij is the
// unit's slope (1 or alpha) on the piece that the pair (i, j) is on; on-kink pairs may take either.
// For a fixed pattern the loss is a convex quadratic in phi = (V_kj w_j, V_kj b_j, c_k) over a polyhedral
// cone (the kink pairs' sides); P is a local minimum if phi(P) meets that problem's KKT conditions for
// every pattern reachable near P. The KKT multipliers come from an exact linear program (cone.hpp).
// Data weights w_i enter the gradients; a bias-free layer drops its part of phi (and its equations);
// weight decay makes the loss depend on theta, not only on phi, so the method refuses it.
#include "kernel/autodiff.hpp"
#include "kernel/cone.hpp"
#include "kernel/ray.hpp"
#include "kernel/nonsmooth.hpp"

#include <algorithm>
#include <map>

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
    // Data points with the same input have the same pre-activations at every theta, so they are always on
    // the same side of every kink: a pattern chooses one side per (distinct input, unit). rep[i] is the
    // first data index with x_i's input; only representatives carry a kink choice.
    std::vector<std::size_t> rep(pb.data.size());
    {
        std::map<Vector, std::size_t> first;
        for (std::size_t i = 0; i < pb.data.size(); ++i) rep[i] = first.try_emplace(pb.data[i].x, i).first->second;
    }
    std::vector<std::vector<std::size_t>> unit_kinks(g.m);  // representative data indices of unit j's kinks
    for (const auto& [i, j] : g.kinks)
        if (rep[i] == i) unit_kinks[j].push_back(i);
    std::size_t kp = 0;  // kink pairs counted by distinct input
    for (const auto& kj : unit_kinks) kp += kj.size();
    res.kink_pairs = kp;
    std::vector<std::vector<Rational>> s(pb.data.size(), Vector(g.m));
    for (std::size_t i = 0; i < pb.data.size(); ++i)
        for (std::size_t j = 0; j < g.m; ++j) s[i][j] = slope(hidden, g.z[i][j].sign() > 0 ? 1 : -1);
    const std::size_t w2 = net.weight_offset(1);
    const bool hidden_bias = net.has_bias(0), output_bias = net.has_bias(1);
    const std::size_t block = g.n_in + (hidden_bias ? 1 : 0);
    const Rational slope_on = slope(hidden, 1), slope_off = slope(hidden, -1);
    std::size_t failing = 0, reduced_units = 0, independent_units = 0, kink_sides = 0, cone_tests = 0,
                cone_pivots = 0, cone_limits = 0;
    Rational with_multipliers = 0;  // patterns (unit by unit) whose KKT conditions need a positive multiplier
    std::string limit_unit;         // the first unit whose cone test stopped at its pivot cap
    bool c_ok = true;  // d/dc_o = 2 s sum_i w_i r_io must vanish (c is unconstrained)
    if (output_bias)
        for (std::size_t o = 0; o < g.k; ++o) {
            Rational sum_r = 0;
            for (std::size_t i = 0; i < g.r.size(); ++i) sum_r += pb.data[i].weight * g.r[i][o];
            c_ok = c_ok && is_zero(sum_r);
        }
    auto evidence = [&] {
        res.patterns_covered = 1;
        for (std::size_t q = 0; q < kp; ++q) res.patterns_covered *= 2;
        List kinks;
        for (const auto& [i, j] : g.kinks)
            kinks.emplace_back(Object{{"data", i + 1}, {"unit", j + 1}, {"residual", vector_value(g.r[i])}});
        std::string how = independent_units == g.m ? "kink by kink (every unit's kinked inputs are independent)"
                          : independent_units > 0 ? std::to_string(independent_units) +
                                                        " unit(s) kink by kink (independent kinked inputs), the others "
                                                        "pattern by pattern"
                                                  : "all patterns, unit by unit";
        if (reduced_units > 0)
            how += "; " + std::to_string(reduced_units) + " unit(s) by base and single flips (affine reduction)";
        return Value(Object{{"kink_pairs", kp},
                            {"patterns_covered", res.patterns_covered},
                            {"enumeration", how},
                            {"kink_sides_checked", kink_sides},
                            {"patterns_evaluated", res.patterns_evaluated},
                            {"unit_patterns_with_multipliers", with_multipliers},
                            {"cone_tests", cone_tests},
                            {"cone_pivots", cone_pivots},
                            {"output_bias_optimal", c_ok},
                            {"failing_patterns", failing},
                            {"kinks", Value(std::move(kinks))}});
    };
    // A failing pattern of unit j (on[q]: kink q's side). Descent rays are tried AT ONCE, so a refutable
    // point is refuted without the remaining patterns: first the directions `moves` of the unit's (w_j, b_j)
    // that the cone test's failure constructs (for one output they lower the loss at first order; see
    // docs/certificates.md), then minus the pattern's one-sided gradient. At most 32 distinct rays in all.
    const std::size_t w1 = net.weight_offset(0), b1 = net.bias_offset(0);
    std::vector<Vector> tried_rays;
    auto try_ray = [&](const Vector& d) {
        if (tried_rays.size() >= 32 || std::find(tried_rays.begin(), tried_rays.end(), d) != tried_rays.end()) return false;
        tried_rays.push_back(d);
        if (auto ray = descent_ray_witness(pb, p, d)) {
            res.ray = std::move(*ray);
            return true;
        }
        return false;
    };
    auto record_failure = [&](std::size_t j, const std::vector<bool>& on, const std::vector<Vector>& moves = {}) -> bool {
        ++failing;
        if (tried_rays.size() >= 32) return false;
        for (const Vector& u : moves) {
            Vector d(p.size());
            for (std::size_t k = 0; k < g.n_in; ++k) d[w1 + j * g.n_in + k] = u[k];
            if (hidden_bias) d[b1 + j] = u[g.n_in];
            if (try_ray(d)) return true;
        }
        std::vector<std::vector<Rational>> full = s;
        for (std::size_t q = 0; q < unit_kinks[j].size(); ++q)
            for (std::size_t i = 0; i < full.size(); ++i)
                if (rep[i] == unit_kinks[j][q]) full[i][j] = on[q] ? slope_on : slope_off;
        bool normal = false;
        Vector grad = pattern_gradient(pb, p, g, full, normal);
        for (Rational& q : grad) q = -q;
        return try_ray(grad);
    };
    auto refuted = [&] {
        res.kind = PatternResult::Kind::refuted;
        res.evidence = evidence();
        return res;
    };
    if (!c_ok && record_failure(0, std::vector<bool>(unit_kinks.empty() ? 0 : unit_kinks[0].size(), false)))
        return refuted();
    for (std::size_t j = 0; j < g.m; ++j) {
        const std::vector<std::size_t>& kj = unit_kinks[j];
        const std::size_t nk = kj.size();
        // The unit's constraint normals before their signs, x_q = (x_i, 1) for each distinct kinked input, and
        // the coefficients c_q(side) = sum of w_i r_io s(side) over the data points with that input, so that
        // the block gradient of a pattern S is e_S = e_fixed + sum_q c_q(S_q) x_q.
        std::vector<Vector> x_kinks;
        for (std::size_t i : kj) {
            Vector a(block);
            for (std::size_t d = 0; d < g.n_in; ++d) a[d] = pb.data[i].x[d];
            if (hidden_bias) a[g.n_in] = 1;
            x_kinks.push_back(std::move(a));
        }
        std::vector<Vector> e_fixed(g.k, Vector(block)), c_on(g.k, Vector(nk)), c_off(g.k, Vector(nk));
        for (std::size_t o = 0; o < g.k; ++o)
            for (std::size_t i = 0; i < g.r.size(); ++i) {
                if (is_zero(g.r[i][o])) continue;
                const Rational wr = pb.data[i].weight * g.r[i][o];
                const auto at = std::find(kj.begin(), kj.end(), rep[i]);
                if (hidden.has_kink() && g.z[i][j].sign() == 0 && at != kj.end()) {
                    const std::size_t q = static_cast<std::size_t>(at - kj.begin());
                    c_on[o][q] += wr * slope_on;
                    c_off[o][q] += wr * slope_off;
                    continue;
                }
                if (is_zero(s[i][j])) continue;
                const Rational rs = wr * s[i][j];
                for (std::size_t d = 0; d < g.n_in; ++d) e_fixed[o][d] += rs * pb.data[i].x[d];
                if (hidden_bias) e_fixed[o][g.n_in] += rs;
            }
        const std::vector<std::size_t> rows = independent_rows(x_kinks, block);

        if (rows.size() == nk) {
            // Independent normals: with u_q = lambda_q sigma_q v, the KKT condition of pattern S reads
            // X (u - c(S)) = e_fixed with sigma_q v u_q >= 0. X has full column rank, so mu = u - c(S) is the
            // same unique solution of X mu = e_fixed for every pattern, and S passes iff for every kink q,
            // sigma_q v (mu_q + c_q(S_q)) >= 0 (= 0 when v = 0: no constraint, e_S must vanish). The 2^K
            // patterns are decided by the 2K sides of the kinks, one by one.
            ++independent_units;
            std::vector<std::vector<bool>> side_ok(nk, std::vector<bool>(2, true)), side_zero(nk, std::vector<bool>(2, true));
            bool all_fail = false;
            std::vector<Vector> moves;  // all_fail: move (w_j, b_j) along -sign(V) (e_fixed - its projection)
            for (std::size_t o = 0; o < g.k && !all_fail; ++o) {
                const int v = p[w2 + o * g.m + j].sign();
                const std::optional<Vector> mu = independent_combination(e_fixed[o], x_kinks, rows);
                if (!mu) {
                    all_fail = true;  // e_S is outside the span of the normals for every S
                    if (auto y = outside_span_direction(e_fixed[o], x_kinks); y && v != 0) {
                        if (v < 0)
                            for (Rational& c : *y) c = -c;
                        moves.push_back(std::move(*y));
                    }
                    break;
                }
                for (std::size_t q = 0; q < nk; ++q)
                    for (int on = 0; on < 2; ++on) {
                        const Rational val = (*mu)[q] + (on ? c_on[o][q] : c_off[o][q]);
                        const int sign = (on ? 1 : -1) * v * val.sign();
                        if (v == 0 ? val.sign() != 0 : sign < 0) side_ok[q][static_cast<std::size_t>(on)] = false;
                        if (val.sign() != 0) side_zero[q][static_cast<std::size_t>(on)] = false;
                    }
            }
            kink_sides += 2 * nk;
            if (all_fail) {
                if (record_failure(j, std::vector<bool>(nk, false), moves)) return refuted();
                continue;
            }
            // Patterns with every multiplier 0: both... each kink's side with val = 0 for every output.
            Rational without = 1, total = 1;
            for (std::size_t q = 0; q < nk; ++q) {
                without *= static_cast<long>(side_zero[q][0]) + static_cast<long>(side_zero[q][1]);
                total *= 2;
            }
            for (std::size_t q = 0; q < nk; ++q)
                for (int on = 0; on < 2; ++on) {
                    if (side_ok[q][static_cast<std::size_t>(on)]) continue;
                    std::vector<bool> pattern(nk, false);  // a failing pattern: kink q on this side
                    pattern[q] = on != 0;
                    // Move kink q alone to this side (the other kinks stay at z = 0): x_q . u = sigma_q.
                    Vector u = dual_direction(x_kinks, rows, q, block);
                    if (!on)
                        for (Rational& c : u) c = -c;
                    if (record_failure(j, pattern, {u})) return refuted();
                }
            with_multipliers += total - without;
            continue;
        }

        // Dependent normals (more distinct kinked inputs than the dimension of their span): pattern by
        // pattern, each with an exact linear program for its multipliers.
        const bool all = nk < 63 && (std::size_t(1) << nk) <= max_patterns;
        if (!all && nk + 1 > max_patterns) {
            res.kind = PatternResult::Kind::too_many;
            res.why = "unit " + std::to_string(j + 1) + " has " + std::to_string(nk) +
                      " kink pairs with linearly dependent inputs, which need at least " + std::to_string(nk + 1) +
                      " patterns, over the cap of " + std::to_string(max_patterns) + " (raise --max-patterns)";
            return res;
        }
        reduced_units += all ? 0 : 1;
        const std::size_t count = all ? (std::size_t(1) << nk) : nk + 1;
        for (std::size_t bits = 0; bits < count; ++bits) {
            ++res.patterns_evaluated;
            std::vector<bool> on(nk);
            for (std::size_t q = 0; q < nk; ++q) on[q] = all ? ((bits >> q) & 1) != 0 : bits == q + 1;
            bool ok = true, multipliers = false, stopped = false;
            std::vector<Vector> moves;
            for (std::size_t o = 0; o < g.k && ok; ++o) {
                Vector e = e_fixed[o];
                std::vector<Vector> normals;  // active constraints sigma_q sign(V_oj) x_q . phi_oj >= 0
                const int v_sign = p[w2 + o * g.m + j].sign();
                for (std::size_t q = 0; q < nk; ++q) {
                    if (v_sign != 0) {
                        Vector a = x_kinks[q];
                        if ((on[q] ? 1 : -1) * v_sign < 0)
                            for (Rational& c : a) c = -c;
                        normals.push_back(std::move(a));
                    }
                    const Rational& c = on[q] ? c_on[o][q] : c_off[o][q];
                    if (is_zero(c)) continue;
                    for (std::size_t d = 0; d < block; ++d) e[d] += c * x_kinks[q][d];
                }
                bool zero = true;
                for (const Rational& q : e) zero = zero && is_zero(q);
                if (zero) continue;
                // With multipliers only where all patterns are enumerated (the reduction needs them 0).
                ok = false;
                if (!all || normals.empty()) continue;
                ++cone_tests;
                const ConeMembership cone =
                    cone_membership(e, normals, rows, cone_pivot_cap(rows.size(), normals.size()));
                cone_pivots += cone.pivots;
                ok = cone.kind == ConeMembership::Kind::member;
                stopped = cone.kind == ConeMembership::Kind::limit;
                multipliers = multipliers || ok;
                if (!cone.farkas.empty()) {  // phi_oj along y keeps the pattern's sides: (w_j, b_j) along sign(V) y
                    moves.push_back(cone.farkas);
                    if (v_sign < 0)
                        for (Rational& c : moves.back()) c = -c;
                }
            }
            with_multipliers += multipliers ? 1 : 0;
            if (stopped) {  // undecided, not failed: never certifies; its ray may still refute
                if (cone_limits++ == 0) limit_unit = std::to_string(j + 1);
                if (record_failure(j, on, moves)) return refuted();
                --failing;
            } else if (!ok && record_failure(j, on, moves)) {
                return refuted();
            }
        }
    }
    res.evidence = evidence();
    if (failing == 0 && cone_limits > 0) {
        res.kind = PatternResult::Kind::limit;
        res.why = "the cone test (KKT multipliers) of " + std::to_string(cone_limits) + " pattern(s), first on unit " +
                  limit_unit + ", stopped at its pivot cap (limit max-cone-pivots, docs/limits.md); those patterns "
                  "are undecided";
        return res;
    }
    res.kind = failing == 0 ? PatternResult::Kind::holds : PatternResult::Kind::fails;
    return res;
}

}  // namespace nncert::kernel
