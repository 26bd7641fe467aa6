// Derivative claims over a box: critical (Krawczyk), strict_local_min (Krawczyk + PD over the box),
// hessian_pd and kink_free over the box. Assumes check_interval opened the PrecisionScope.
#include "kernel/detail/mint.hpp"
#include "kernel/interval/activation.hpp"
#include "kernel/interval/box_definiteness.hpp"
#include "kernel/interval/checks.hpp"
#include "kernel/interval/krawczyk.hpp"
#include "hints/mpfr_linear_algebra.hpp"

namespace nncert::kernel::detail {

namespace {

// The parts of a Krawczyk run a verdict reports: the contraction bound and, for one coordinate, K and B.
void add_krawczyk(Object& ev, const Problem& pb, const Point& p, const Rational& r, const KrawczykResult& k) {
    if (k.contraction) ev.emplace_back("contraction_bound", *k.contraction);
    if (k.coordinate && !k.image.empty()) {
        const std::size_t i = *k.coordinate;
        ev.emplace_back("parameter", pb.net.param_name(i));
        ev.emplace_back("krawczyk_image", enclosure_value(k.image[i]));
        ev.emplace_back("box", Object{{"lower", Rational(p.params[i] - r)}, {"upper", Rational(p.params[i] + r)}});
    }
}

Verdict kink_backstop(const std::string& method) {
    return Mint::inconclusive(method, "the box straddles a kink of a relu/leaky_relu unit; shrink the radius");
}

// Krawczyk's verdict alone, or nothing when it certified a unique critical point (the caller goes on).
std::optional<Verdict> krawczyk_verdict(const Problem& pb, const Point& p, const Rational& r, const Options& opt,
                                        const KrawczykResult& k, const std::string& method, bool stop_if_unique) {
    Object ev = box_evidence(p, r, opt, "Krawczyk operator K(X) of the gradient against the box");
    add_krawczyk(ev, pb, p, r, k);
    switch (k.outcome) {
        case KrawczykOutcome::unique_zero:
            if (!stop_if_unique) return std::nullopt;
            ev.emplace_back("result", "exactly one critical point in the box");
            return Mint::certified(method, Value(std::move(ev)));
        case KrawczykOutcome::no_zero:
            ev.emplace_back("result", "no critical point in this box");
            return Mint::refuted(method, Value(std::move(ev)));
        case KrawczykOutcome::undecided:
            break;
    }
    return Mint::inconclusive(method, k.note, Value(std::move(ev)));
}

Value direction_value(const Problem& pb, const Vector& x) { return named_entries(pb.net, x); }

}  // namespace

Verdict check_critical_box(const Problem& pb, const Point& p, const Rational& r, const Options& opt) {
    const std::string method = "krawczyk";
    if (auto v = straddle_guard(pb, p, r, opt, method)) return *v;
    if (auto v = ball_engine_verdict(ClaimKind::critical, pb, p, r, opt)) return *v;
    try {
        return *krawczyk_verdict(pb, p, r, opt, krawczyk(pb, p.params, r), method, true);
    } catch (const KinkStraddled&) {
        return kink_backstop(method);
    }
}

Verdict check_strict_local_min_box(const Problem& pb, const Point& p, const Rational& r, const Options& opt) {
    const std::string method = "krawczyk+box-ldlt";
    if (auto v = straddle_guard(pb, p, r, opt, method)) return *v;
    if (auto v = ball_engine_verdict(ClaimKind::strict_local_min, pb, p, r, opt)) return *v;
    try {
        const KrawczykResult k = krawczyk(pb, p.params, r);
        if (k.outcome == KrawczykOutcome::undecided && !k.hessian.empty()) {
            // Krawczyk cannot decide (e.g. a singular Hessian at the critical point), but a direction of
            // negative curvature at every point of the box rules out any local minimum in it, strict or not.
            const BoxDefinitenessResult d = analyze_box_definiteness(k.hessian, {});
            if (d.kind == BoxDefiniteness::indefinite) {
                Object ev = box_evidence(p, r, opt, "exact LDL^T of mid(H) - delta I, H the interval Hessian over the box");
                ev.emplace_back("hessian_radius_frobenius_bound", d.delta);
                ev.emplace_back("direction", direction_value(pb, d.witness));
                ev.emplace_back("curvature_at_most", d.curvature_bound);
                ev.emplace_back("result", "no point of the box is a local minimum: along the direction the curvature "
                                          "d^T H d is negative at every point of the box (Krawczyk did not decide "
                                          "whether a critical point is there: " + k.note + ")");
                return Mint::refuted(method, Value(std::move(ev)));
            }
        }
        if (auto v = krawczyk_verdict(pb, p, r, opt, k, method, false)) return *v;
        std::optional<Rational> hint;
        if (k.inverse) hint = hints::smallest_eigenvalue_estimate_untrusted(*k.inverse);
        const BoxDefinitenessResult d = analyze_box_definiteness(k.hessian, hint);
        Object ev = box_evidence(p, r, opt, "Krawczyk operator, then exact LDL^T of mid(H) - delta I over the box");
        add_krawczyk(ev, pb, p, r, k);
        ev.emplace_back("hessian_radius_frobenius_bound", d.delta);
        switch (d.kind) {
            case BoxDefiniteness::positive_definite:
                ev.emplace_back("result", "exactly one critical point in the box; every Hessian in the box is "
                                          "positive definite, so it is a strict local minimum and the only "
                                          "minimiser in the box");
                ev.emplace_back("lambda_min_greater_than", d.lambda_min_above);
                return Mint::certified(method, Value(std::move(ev)));
            case BoxDefiniteness::indefinite:
                ev.emplace_back("result", "the only critical point in the box is a saddle: the Hessian has "
                                          "negative curvature along the direction everywhere on the box");
                ev.emplace_back("direction", direction_value(pb, d.witness));
                ev.emplace_back("curvature_at_most", d.curvature_bound);
                return Mint::refuted(method, Value(std::move(ev)));
            case BoxDefiniteness::undecided:
                break;
        }
        return Mint::inconclusive(
            method,
            "the box holds exactly one critical point, but the interval Hessian over the box is not certainly "
            "positive definite (nor certainly indefinite): shrink the radius or raise the precision; if the "
            "Hessian is singular there, the minimum is not strict",
            Value(std::move(ev)));
    } catch (const KinkStraddled&) {
        return kink_backstop(method);
    }
}

Verdict check_hessian_pd_box(const Problem& pb, const Point& p, const Rational& r, const Options& opt) {
    const std::string method = "box-ldlt";
    if (auto v = straddle_guard(pb, p, r, opt, method)) return *v;
    if (auto v = ball_engine_verdict(ClaimKind::hessian_pd, pb, p, r, opt)) return *v;
    try {
        const BoxDefinitenessResult d = analyze_box_definiteness(hessian_enclosure(pb, box_around(p.params, r)), {});
        Object ev = box_evidence(p, r, opt, "exact LDL^T of mid(H) - delta I, H the interval Hessian over the box");
        ev.emplace_back("hessian_radius_frobenius_bound", d.delta);
        if (d.kind == BoxDefiniteness::positive_definite) {
            ev.emplace_back("lambda_min_greater_than", d.lambda_min_above);
            return Mint::certified(method, Value(std::move(ev)));
        }
        if (d.kind == BoxDefiniteness::indefinite) {
            ev.emplace_back("direction", direction_value(pb, d.witness));
            ev.emplace_back("curvature_at_most", d.curvature_bound);
            return Mint::refuted(method, Value(std::move(ev)));
        }
        return Mint::inconclusive(method,
                                  "the interval Hessian over the box is neither certainly positive definite nor "
                                  "certainly indefinite: shrink the radius or raise the precision",
                                  Value(std::move(ev)));
    } catch (const KinkStraddled&) {
        return kink_backstop(method);
    }
}

Verdict check_kink_free_box(const Problem& pb, const Point& p, const Rational& r, const Options& opt) {
    const std::string method = "interval-forward";
    if (auto v = straddle_guard(pb, p, r, opt, method)) {
        // Refuted only when the centre itself is exactly on a kink (decidable when the network is exact);
        // otherwise the box may merely be too wide.
        if (pb.net.is_exact()) {
            const std::vector<Kink> at_centre = find_kinks(pb, p.params);
            if (!at_centre.empty()) return Mint::refuted(method, Object{{"kinks", kinks_value(pb, at_centre)}});
        }
        return *v;
    }
    return Mint::certified(method, Value(box_evidence(p, r, opt, "no relu/leaky_relu input interval over the box contains 0")));
}

}  // namespace nncert::kernel::detail
