// local_min P: (possibly non-strict) local minimality, trying each sound method in turn:
//   zero-loss, output-range, dead-layer, first-order (kink-free), a hinted curve (script `along`), second-order, activation-patterns,
//   linear-relaxation (any depth); refutations by exact rays and by curves of order three and higher that an
//   untrusted proposer (src/hints/descent_curves.hpp) suggests at degenerate critical points.
// Where no method decides, the answer is inconclusive: never certified by default.
#include "kernel/autodiff.hpp"
#include "kernel/definiteness.hpp"
#include "kernel/detail/checks.hpp"
#include "kernel/detail/mint.hpp"
#include "kernel/nonsmooth.hpp"
#include "kernel/ray.hpp"
#include "hints/descent_curves.hpp"
#include "hints/kink_directions.hpp"

#include <algorithm>

namespace nncert::kernel::detail {

namespace {

// The degenerate-saddle search works on the exact Hessian's null space; above this size it is skipped
// (documented in docs/certificates.md).
constexpr std::size_t degenerate_search_max_parameters = 400;

Verdict refuted_by_ray(const std::string& method, Value ray, Object context = {}) {
    context.emplace_back("descent_ray", std::move(ray));
    return Mint::refuted(method, std::move(context));
}

// Dead layer under a relu output: near P output k is relu(c_k(theta)) for all data, with c_k continuous.
// Sum_i w_i (g_k - y_ik)^2 = const + W (g_k - ybar_k)^2 is locally minimal at P when c_k(P) < 0 (g_k stays
// 0), when c_k(P) = 0 and ybar_k <= 0 (g_k >= 0 >= ybar_k, and g_k(P) = 0), or when g_k(P) = ybar_k.
bool dead_relu_output_minimal(const Problem& pb, const Vector& p, const DeadLayerResult& dead) {
    if (pb.net.layers.back().activation.kind != ActivationKind::relu) return false;
    Pass<Rational> pass;
    forward(pb.net, p, pb.data.front().x, pass);
    const Vector& c = pass.z.back();
    for (std::size_t k = 0; k < c.size(); ++k) {
        const bool ok = c[k].sign() < 0 || (c[k].sign() == 0 && dead.mean_label[k].sign() <= 0) ||
                        dead.constant_output[k] == dead.mean_label[k];
        if (!ok) return false;
    }
    return true;
}

// The output-range bound (docs/certificates.md, "output-range"): with a relu output, every theta gives each data
// point outputs f_k >= 0, one f_k for all rows with the same input x. For such a group G and output k,
// sum_{i in G} w_i (f_k - y_ik)^2 is a convex quadratic in f_k, smallest over f_k >= 0 at f* = max(0, ybar) (ybar
// the weighted mean of the group's targets); so L(theta) >= s sum_{G, k} sum_{i in G} w_i (f*_Gk - y_ik)^2.
Rational relu_output_bound(const Problem& pb) {
    std::vector<std::size_t> order(pb.data.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    const auto input_less = [&](std::size_t a, std::size_t b) { return pb.data[a].x < pb.data[b].x; };
    std::stable_sort(order.begin(), order.end(), input_less);
    Rational bound = 0;
    for (std::size_t begin = 0; begin < order.size();) {
        std::size_t end = begin + 1;
        while (end < order.size() && pb.data[order[end]].x == pb.data[order[begin]].x) ++end;
        for (std::size_t k = 0; k < pb.net.output_dim(); ++k) {
            Rational weight = 0, sum = 0;
            for (std::size_t j = begin; j < end; ++j) {
                const Sample& s = pb.data[order[j]];
                weight += s.weight;
                sum += s.weight * s.y[k];
            }
            const Rational best = sum.sign() > 0 ? Rational(sum / weight) : Rational(0);  // max(0, ybar)
            for (std::size_t j = begin; j < end; ++j) {
                const Sample& s = pb.data[order[j]];
                bound += s.weight * (best - s.y[k]) * (best - s.y[k]);
            }
        }
        begin = end;
    }
    return bound * loss_scale(pb);
}

// Rays at an output unit on its kink (relu or leaky_relu output layer; docs/certificates.md, "Refuting along a
// ray"): for each output unit with data points on its kink, the untrusted proposer hints::kink_keeping_directions
// suggests rays of the unit's incoming parameters that move one data point whose output should rise while the
// other kinked ones stay at pre-activation 0; each ray is expanded exactly (descent_ray_witness), which alone
// decides. Skipped above `max_points` data points (one stored forward pass each).
std::optional<Value> output_kink_ray(const Problem& pb, const Vector& p) {
    constexpr std::size_t max_points = 10000, max_rays_per_unit = 16;
    const std::size_t last = pb.net.layers.size() - 1;
    if (!pb.net.layers[last].activation.has_kink() || pb.data.size() > max_points) return std::nullopt;
    std::vector<Pass<Rational>> passes(pb.data.size());
    for (std::size_t s = 0; s < pb.data.size(); ++s) forward(pb.net, p, pb.data[s].x, passes[s]);
    const std::size_t fan = pb.net.fan_in(last);
    const bool bias = pb.net.has_bias(last);
    for (std::size_t k = 0; k < pb.net.layers[last].width; ++k) {
        std::vector<Vector> features;
        std::vector<bool> on_kink, rise;
        bool any = false;
        for (std::size_t s = 0; s < pb.data.size(); ++s) {
            Vector f(passes[s].a[last].begin(), passes[s].a[last].end());
            if (bias) f.push_back(1);
            features.push_back(std::move(f));
            on_kink.push_back(passes[s].z[last][k].sign() == 0);
            any = any || on_kink.back();
            rise.push_back(Rational(passes[s].a[last + 1][k] - pb.data[s].y[k]).sign() < 0);
        }
        if (!any) continue;
        for (const Vector& d : hints::kink_keeping_directions(features, on_kink, rise, max_rays_per_unit)) {
            Vector full(p.size());
            for (std::size_t j = 0; j < fan; ++j) full[pb.net.weight_offset(last) + k * fan + j] = d[j];
            if (bias) full[pb.net.bias_offset(last) + k] = d[fan];
            if (auto w = descent_ray_witness(pb, p, full)) return w;
        }
    }
    return std::nullopt;
}

}  // namespace

Verdict check_local_min(const Problem& pb, const Point& p, const Options& opt, const Curve& hint) {
    std::vector<std::string> tried;
    Object learnt;

    // 1. The exact losses (weighted squared errors with weights > 0, plus lambda ||theta||^2 with
    //    lambda >= 0) are never negative, so loss 0 is a global minimum.
    if (!is_squared_error(pb.loss)) throw std::logic_error("local_min on the exact path needs a squared-error loss");
    const Rational l = loss(pb, p.params);
    if (is_zero(l)) return Mint::certified("zero-loss", Object{{"loss", Rational(0)}, {"global", true}});

    // 1b. A relu output is >= 0 everywhere, and rows with the same input share their output: the data term of
    //     such a group is at least its minimum over outputs >= 0, for every theta (weight decay only adds).
    //     Equality at P: a global minimum (docs/certificates.md, "output-range").
    if (pb.net.layers.back().activation.kind == ActivationKind::relu) {
        const Rational bound = relu_output_bound(pb);
        if (l == bound)
            return Mint::certified("output-range", Object{{"loss", l}, {"lower_bound_everywhere", bound},
                                                          {"output", "relu: every output is >= 0"},
                                                          {"global", true}});
    }

    // 2. Dead layer: the network is constant near P; minimal iff the constant is the mean label.
    //    Checked before any Hessian: it is cheap and decides dead points whatever their depth.
    //    The argument compares data terms only: with weight decay it does not apply.
    const DeadLayerResult dead = find_dead_layer(pb, p.params);
    if (dead.found && !is_zero(pb.weight_decay)) {
        tried.push_back("dead-layer: not applicable with weight decay");
    } else if (dead.found) {
        Object ev{{"dead_layer", dead.layer + 1},
                  {"constant_output", vector_value(dead.constant_output)},
                  {"mean_label", vector_value(dead.mean_label)}};
        if (dead.constant_output == dead.mean_label) return Mint::certified("dead-layer", std::move(ev));
        if (dead_relu_output_minimal(pb, p.params, dead)) {
            ev.emplace_back("output", "relu: each output is dead (pre-activation < 0), or at its kink with a mean "
                                      "label <= 0, or equal to its mean label");
            return Mint::certified("dead-layer", std::move(ev));
        }
        if (auto ray = descent_ray_witness(pb, p.params, dead.bias_direction))
            return refuted_by_ray("dead-layer", std::move(*ray), std::move(ev));
        tried.push_back("dead-layer: the constant output is not the mean label, but moving the output "
                        "bias does not lower the loss (output activation)");
        learnt.emplace_back("dead_layer", Value(std::move(ev)));
    }

    // 3. Kink-free: near P the loss is a polynomial. A nonzero gradient refutes at once (first-order necessary
    //    condition; before any curve is expanded: review r8-8 F6); a negative curvature at a critical point
    //    refutes; a positive definite Hessian certifies (strictly).
    const bool kink_free = find_kinks(pb, p.params).empty();
    if (kink_free) {
        const Vector g = gradient(pb, p.params);
        bool critical = true;
        for (const Rational& q : g) critical = critical && is_zero(q);
        if (!critical) return Mint::refuted("first-order", gradient_witness(pb, p, g));
    }

    // 3b. A curve the script supplies: if the loss provably falls along it, P is no local minimum.
    if (!hint.empty()) {
        if (auto w = descent_curve_witness(pb, p.params, hint)) return refuted_by_ray("hinted-curve", std::move(*w));
        tried.push_back("hinted-curve: the loss does not fall along the curve given with `along`");
    }

    bool degenerate = false;  // a critical kink-free point with a positive semidefinite, singular Hessian
    Matrix hess;              // its exact Hessian (kept for the methods below)
    if (kink_free) {
        hess = hessian(pb, p.params, &opt.progress);
        const DefinitenessResult r = analyze_definiteness(hess, {&opt.progress});
        if (r.kind == Definiteness::positive_definite)
            return Mint::certified("second-order",
                                   Object{{"strict", true}, {"gradient", "exactly zero"},
                                          {"hessian", pd_certificate_value(p.params.size(), r)}});
        if (r.kind == Definiteness::indefinite) {
            if (auto ray = descent_ray_witness(pb, p.params, r.witness))
                return refuted_by_ray("second-order", std::move(*ray), Object{{"curvature", r.quad}});
        }
        tried.push_back("second-order: the Hessian is singular (flat direction)");
        if (r.kind == Definiteness::singular_psd) degenerate = true;
        // Morse-Bott along the symmetry orbit: the flat directions may be exactly the orbit's tangents.
        if (degenerate) {
            const OrbitResult orbit = check_symmetry_orbit(pb, p.params, hess, &opt.progress);
            if (orbit.kind == OrbitResult::Kind::holds) return Mint::certified("symmetry-orbit", orbit.evidence);
            tried.push_back("symmetry-orbit: " + orbit.why);
        }
    } else {
        tried.push_back("second-order: data points on kinks");
    }

    // 4. Activation patterns (one hidden layer, identity output).
    const PatternResult pat = check_patterns(pb, p.params, opt.max_patterns);
    switch (pat.kind) {
        case PatternResult::Kind::holds:
            return Mint::certified("activation-patterns", pat.evidence);
        case PatternResult::Kind::refuted:
            return refuted_by_ray("activation-patterns", pat.ray, Object{{"patterns", pat.evidence}});
        case PatternResult::Kind::fails:
            tried.push_back("activation-patterns: some pattern's KKT conditions fail, but no descent ray was found "
                            "along its one-sided gradient");
            learnt.emplace_back("patterns", pat.evidence);
            break;
        case PatternResult::Kind::limit:
            learnt.emplace_back("patterns", pat.evidence);
            [[fallthrough]];
        case PatternResult::Kind::too_many:
        case PatternResult::Kind::not_applicable:
            tried.push_back("activation-patterns: " + pat.why);
            break;
    }

    // 5. Linear relaxation (any depth): the residual is orthogonal to every output the network can produce
    //    near P under every pattern its kinks allow.
    const RelaxationResult rel = check_relaxation(pb, p.params);
    switch (rel.kind) {
        case RelaxationResult::Kind::holds:
            return Mint::certified("linear-relaxation", rel.evidence);
        case RelaxationResult::Kind::fails:
            for (const Vector& d : rel.failing_directions)
                if (auto ray = descent_ray_witness(pb, p.params, d))
                    return refuted_by_ray("linear-relaxation", std::move(*ray), Object{{"relaxation", rel.evidence}});
            // Higher-order terms of <residual, outputs> name the parameters to move together (untrusted
            // suggestion; the exact expansion decides).
            for (const Vector& d : hints::directions_from_monomials(rel.failing_monomials, p.params.size()))
                if (auto ray = descent_ray_witness(pb, p.params, d))
                    return refuted_by_ray("higher-order", std::move(*ray), Object{{"relaxation", rel.evidence}});
            tried.push_back("linear-relaxation: the residual is not orthogonal to every output the network can "
                            "produce near P");
            learnt.emplace_back("relaxation", rel.evidence);
            break;
        case RelaxationResult::Kind::too_large:
        case RelaxationResult::Kind::not_applicable:
            tried.push_back("linear-relaxation: " + rel.why);
            break;
    }

    // 5b. An output unit on its kink: rays that hold the other kinked data points at 0 while one whose output
    //     should rise moves (a relu output cannot go below 0, so the relaxation's own directions may miss them).
    if (!kink_free) {
        if (auto ray = output_kink_ray(pb, p.params)) return refuted_by_ray("output-kink-ray", std::move(*ray));
        if (pb.net.layers.back().activation.has_kink())
            tried.push_back("output-kink-ray: no ray holding the output's other kinks at 0 descends");
    }

    // 6. Degenerate critical points: descent at order three and higher along curves an untrusted proposer
    //    suggests (null directions of the Hessian and their combinations); each is expanded exactly here.
    if (degenerate) {
        const Matrix& h = hess;
        if (h.size() <= degenerate_search_max_parameters) {
            const hints::CurveLoss along = [&](const hints::Curve& c) { return loss_along_curve(pb, p.params, c).c; };
            for (const hints::Curve& c : hints::propose_descent_curves(h, along, 4))
                if (auto w = descent_curve_witness(pb, p.params, c))
                    return refuted_by_ray("higher-order", std::move(*w),
                                          Object{{"hessian", "positive semidefinite and singular"}});
            tried.push_back("higher-order: no proposed curve through the Hessian's null space descends (give one "
                            "with `along`)");
        } else {
            tried.push_back("higher-order: more than " + std::to_string(degenerate_search_max_parameters) +
                            " parameters, no curve search (give a curve with `along`)");
        }
    }

    // 7. Last resort for refuting, at kinks: minus the autodiff gradient (left derivatives at kinks)
    //    and its output-layer part alone. Any direction is safe to try: the ray expansion is exact.
    if (!kink_free) {
        const Vector g = gradient(pb, p.params);
        Vector d(g.size()), d_out(g.size());
        const std::size_t out_begin = pb.net.weight_offset(pb.net.layers.size() - 1);
        for (std::size_t i = 0; i < g.size(); ++i) {
            d[i] = -g[i];
            if (i >= out_begin) d_out[i] = -g[i];
        }
        for (const Vector* dir : {&d, &d_out})
            if (auto ray = descent_ray_witness(pb, p.params, *dir))
                return refuted_by_ray("descent-ray", std::move(*ray));
        tried.push_back("descent rays along minus the (one-sided) gradient: none descends");
    }

    std::string reason = "no method decides this point:";
    for (const std::string& t : tried) reason += " [" + t + "]";
    return Mint::inconclusive("local-min", reason, Value(std::move(learnt)));
}

}  // namespace nncert::kernel::detail
