// Dispatch of the interval engine's claims: the box claims by kind, and the answer for claims on
// transcendental problems that name no box. Assumes check.cpp validated the problem and the points.
#include "kernel/detail/mint.hpp"
#include "kernel/interval/checks.hpp"

#include <stdexcept>

namespace nncert::kernel::detail {

namespace {

// `critical` and `strict_local_min` over a box claim exactly one critical point there: an undecided answer
// becomes a refutation when a whole family of critical points is certified to lie in the box
// (critical-manifold, morse_bott_box.cpp).
Verdict unless_critical_manifold(Verdict v, const Problem& pb, const Point& p, const Rational& r, const Options& opt) {
    if (v.outcome() != Outcome::inconclusive) return v;
    if (auto ev = critical_family_in_box(pb, p, r, opt)) return Mint::refuted("critical-manifold", std::move(*ev));
    return v;
}

}  // namespace

Verdict check_interval(const Problem& pb, const std::vector<Point>& points, const Claim& c, const Options& opt) {
    if (c.radius && *c.radius < 0) throw std::invalid_argument("box radius must be >= 0");
    if ((c.lower || c.upper) && c.kind != ClaimKind::loss)
        throw std::invalid_argument("a claimed range [a, b] belongs to a loss claim only");
    if ((c.layer || c.steps) && c.kind != ClaimKind::trap)
        throw std::invalid_argument("a boundary layer belongs to a trap claim only");
    if (c.steps && (!c.layer || *c.steps <= 0)) throw std::invalid_argument("steps e needs a layer and e > 0");
    // One scope per check: every interval below is computed at this precision, and nothing outlives it.
    PrecisionScope scope(opt.precision_bits);
    if (c.region_subject) {
        if (c.kind == ClaimKind::loss) {
            if (!c.lower && !c.upper) throw std::invalid_argument("`loss R` needs the claimed range `in [a, b]`");
            return check_region_loss(pb, points, c, opt);
        }
        if (c.kind == ClaimKind::gap) return check_region_gap(pb, points, c, points.at(c.other), opt);
        throw std::invalid_argument("only loss and gap claims take a region as their subject");
    }
    const Point& p = points.at(c.point);
    if (c.kind == ClaimKind::trap) {
        if (!c.region && !c.radius) throw std::invalid_argument("a trap claim needs a region or a radius");
        return check_trap(pb, p, c, opt);
    }
    if (c.region) {
        if (c.kind == ClaimKind::accuracy) return check_sublevel_accuracy(pb, p, c, opt);
        if (c.kind == ClaimKind::local_min) return check_local_min_region(pb, p, c, opt);
        throw std::invalid_argument("only trap, accuracy and local_min claims take `P in R`");
    }
    if (!c.radius) {
        if (c.kind == ClaimKind::loss && (c.lower || c.upper)) {
            // No box: the loss at the point itself, exactly when the problem is exact, else as the
            // enclosure over the degenerate box of radius 0 (the point).
            if (exact_problem(pb)) return check_loss_box(pb, p, std::nullopt, c.lower, c.upper, opt);
            return check_loss_box(pb, p, Rational(0), c.lower, c.upper, opt);
        }
        return Mint::inconclusive(
            "interval",
            "needs `within r`: the problem is transcendental (sigmoid, tanh or softplus units, or the bce loss), "
            "so its losses and critical points are not exact rationals; state the claim over a box around " +
                p.name + " (e.g. `" + to_string(c.kind) + " " + p.name + " within 1e-8`)");
    }
    const Rational& r = *c.radius;
    switch (c.kind) {
        case ClaimKind::loss:
            if (!c.lower && !c.upper)
                throw std::invalid_argument("`loss P within r` needs the claimed range `in [a, b]`");
            return check_loss_box(pb, p, r, c.lower, c.upper, opt);
        case ClaimKind::gap: return check_gap_box(pb, p, r, points.at(c.other), opt);
        case ClaimKind::kink_free: return check_kink_free_box(pb, p, r, opt);
        case ClaimKind::critical: return unless_critical_manifold(check_critical_box(pb, p, r, opt), pb, p, r, opt);
        case ClaimKind::hessian_pd: return check_hessian_pd_box(pb, p, r, opt);
        case ClaimKind::strict_local_min:
            return unless_critical_manifold(check_strict_local_min_box(pb, p, r, opt), pb, p, r, opt);
        case ClaimKind::accuracy: return check_accuracy_box(pb, p, r, c.value, opt);
        case ClaimKind::local_min: return check_local_min_box(pb, p, r, opt);
        case ClaimKind::trap: break;  // handled above
        case ClaimKind::barrier:
        case ClaimKind::monotone: break;  // segment claims never reach the box engine (check.cpp)
        case ClaimKind::blind_spot: return check_blind_spot_box(pb, p, r, opt);
    }
    throw std::logic_error("unknown claim kind");
}

}  // namespace nncert::kernel::detail
