// Claims about derivatives at kink-free points: critical, hessian_pd, strict_local_min (second order).
#include "kernel/definiteness.hpp"
#include "kernel/detail/checks.hpp"
#include "kernel/detail/mint.hpp"
#include "kernel/ray.hpp"
#include "kernel/rescaling.hpp"
#include "hints/flat_curves.hpp"

namespace nncert::kernel::detail {

namespace {

bool all_zero(const Vector& v) {
    for (const Rational& q : v)
        if (!is_zero(q)) return false;
    return true;
}

Vector negated(const Vector& v) {
    Vector out(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) out[i] = -v[i];
    return out;
}

// Witness that a kink-free point with nonzero gradient g is not a local minimum: the exact descent ray
// along d = -g (its leading coefficient is -|g|^2), with a rational step that lowers the loss.
Object gradient_witness(const Problem& pb, const Point& p, const Vector& g) {
    Object w{{"nonzero_gradient", named_entries(pb.net, g)}};
    if (auto ray = descent_ray_witness(pb, p.params, negated(g))) w.emplace_back("descent_ray", std::move(*ray));
    return w;
}

Object curvature_witness(const Problem& pb, const DefinitenessResult& r) {
    return Object{{"direction", named_entries(pb.net, r.witness)}, {"curvature", r.quad}, {"found_by", r.method}};
}


// True when every data point that sits on a kink fits its targets exactly (zero residual in every output).
// Then each of their squared residuals is O(|theta - P|^2) (a residual is locally Lipschitz and 0 at P), so
// the loss is differentiable at P and those points add nothing to its gradient (docs/certificates.md).
bool kinked_points_fit(const Problem& pb, const Point& p, const std::vector<Kink>& kinks) {
    for (const Kink& k : kinks) {
        const Vector f = outputs(pb.net, p.params, pb.data[k.sample].x);
        for (std::size_t o = 0; o < f.size(); ++o)
            if (f[o] != pb.data[k.sample].y[o]) return false;
    }
    return true;
}

}  // namespace

Verdict check_critical(const Problem& pb, const Point& p) {
    const std::vector<Kink> kinks = find_kinks(pb, p.params);
    Object ev;
    if (!kinks.empty()) {
        if (!is_squared_error(pb.loss) || !kinked_points_fit(pb, p, kinks)) return *kink_guard(pb, p, "exact-gradient");
        ev.emplace_back("kinked_data_points_fit_exactly", kinks_value(pb, kinks));
    }
    // At kinked points with zero residual the reverse sweep's output adjoint 2 r is 0, so they contribute
    // exactly 0 whatever one-sided derivative the sweep uses there: g is the gradient of L at P.
    const Vector g = gradient(pb, p.params);
    if (all_zero(g)) {
        ev.insert(ev.begin(), {"parameters", g.size()});
        return Mint::certified("exact-gradient", std::move(ev));
    }
    ev.insert(ev.begin(), {"nonzero_gradient", named_entries(pb.net, g)});
    return Mint::refuted("exact-gradient", std::move(ev));
}


Verdict check_strict_local_min_at_point(const Problem& pb, const Point& p, const Options& opt) {
    const Verdict critical = check_critical(pb, p);
    if (critical.outcome() != Outcome::certified) return critical;  // kink (inconclusive) or no critical point
    // Certified: critical and PD. Refuted: the Hessian at the box's only point is not PD. Inconclusive: it
    // need not exist (a kink whose data points fit exactly).
    return check_hessian_pd(pb, p, opt);
}

Verdict check_hessian_pd(const Problem& pb, const Point& p, const Options& opt) {
    if (auto v = kink_guard(pb, p, "exact-ldlt")) return *v;
    const DefinitenessResult r = analyze_definiteness(hessian(pb, p.params, &opt.progress), {&opt.progress});
    if (r.kind == Definiteness::positive_definite)
        return Mint::certified("exact-ldlt", pd_certificate_value(p.params.size(), r));
    return Mint::refuted("exact-ldlt", curvature_witness(pb, r));
}

Verdict check_strict_local_min(const Problem& pb, const Point& p, const Options& opt, const Curve& hint) {
    const bool kinked = !find_kinks(pb, p.params).empty();
    if (!kinked) {
        const Vector g = gradient(pb, p.params);
        if (!all_zero(g)) return Mint::refuted("second-order", gradient_witness(pb, p, g));
    }
    // The script's curve: a descent refutes (not even a local minimum), a constant loss refutes strictness.
    if (!hint.empty()) {
        if (auto w = descent_curve_witness(pb, p.params, hint))
            return Mint::refuted("hinted-curve", Object{{"descent_ray", std::move(*w)}});
        if (auto w = flat_curve_witness(pb, p.params, hint)) return Mint::refuted("flat-curve", std::move(*w));
    }
    // A curve of constant loss through P (at kinks too): other points of equal loss arbitrarily near.
    if (auto curve = find_rescaling_curve(pb, p.params)) {
        return Mint::refuted(
            "rescaling-curve",
            Object{{"hidden_layer", curve->layer + 1},
                   {"unit", curve->unit + 1},
                   {"curve", "incoming weights and bias times a, outgoing weights divided by a, a > 0"},
                   {"a", curve->a},
                   {"rescaled_point", named_entries(pb.net, curve->point)},
                   {"loss_at_both", loss(pb, p.params)}});
    }
    // Other flat lines from the network's symmetries (duplicated units, silent units, GL(k) of identity
    // layers), proposed outside the kernel and accepted only if the exact expansion is constant.
    for (const hints::FlatLine& line : hints::propose_flat_lines(pb.net, p.params, 64))
        if (auto w = flat_curve_witness(pb, p.params, {line.direction})) {
            Object ev{{"symmetry", line.why}};
            for (auto& kv : std::get<Object>(w->data)) ev.push_back(std::move(kv));
            return Mint::refuted("flat-curve", std::move(ev));
        }
    if (auto v = kink_guard(pb, p, "second-order")) return *v;
    const DefinitenessResult r = analyze_definiteness(hessian(pb, p.params, &opt.progress), {&opt.progress});
    switch (r.kind) {
        case Definiteness::positive_definite:
            return Mint::certified("second-order", Object{{"gradient", "exactly zero"},
                                                          {"hessian", pd_certificate_value(p.params.size(), r)}});
        case Definiteness::indefinite: {
            Object w = curvature_witness(pb, r);
            if (auto ray = descent_ray_witness(pb, p.params, r.witness)) w.emplace_back("descent_ray", std::move(*ray));
            return Mint::refuted("second-order", std::move(w));
        }
        case Definiteness::singular_psd:
            break;
    }
    return Mint::inconclusive(
        "second-order",
        "critical point with a singular positive semidefinite Hessian: the second-order test cannot "
        "decide (flat direction given); if the minimum is not meant to be strict, claim local_min",
        Object{{"flat_direction", named_entries(pb.net, r.witness)}});
}

}  // namespace nncert::kernel::detail
