// The strong-convexity route of traps and region bounds (docs/certificates.md, "Traps by strong convexity"):
// a Hessian cover of R by exact LDL^T over interval Hessians, the gradient at a centre, exact rational tests.
#include "kernel/interval/strong_convexity.hpp"

#include "hints/strong_convexity.hpp"
#include "kernel/ball/ball.hpp"
#include "kernel/hessian_impl.hpp"
#include "kernel/detail/mint.hpp"
#include "kernel/interval/activation.hpp"
#include "kernel/interval/box_definiteness.hpp"
#include "kernel/interval/checks.hpp"
#include "kernel/interval/cover_memo.hpp"
#include "kernel/interval/precision.hpp"
#include "kernel/interval/trap.hpp"

#include <mpfr.h>

namespace nncert::kernel::detail {

namespace {

// The Hessian cover gets this fraction of the box budget: a Hessian per box, and the route may decline.
std::size_t convexity_budget(const Options& opt) { return opt.max_boxes / 64 + 1; }

Matrix midpoints(const IMatrix& h) {
    Matrix m(h.size(), Vector(h.size()));
    for (std::size_t i = 0; i < h.size(); ++i)
        for (std::size_t j = 0; j < h.size(); ++j) m[i][j] = h[i][j].is_bounded() ? midpoint(h[i][j]) : Rational(0);
    return m;
}

// The Hessian at the point x for the untrusted hints (Newton steps, smallest-eigenvalue estimates), in binary64
// balls (hessian_impl.hpp on Ball): the hints compute in double, so the 128-bit interval Hessian they used before
// gave them nothing more, at many times the cost. Non-finite entries count as 0, as unbounded interval entries did.
Matrix hint_hessian(const Problem& pb, const Vector& x) {
    const std::vector<Ball> point(x.begin(), x.end());
    const std::vector<std::vector<Ball>> h = hessian_detail::hessian<Ball>(pb, point, nullptr);
    Matrix m(h.size(), Vector(h.size()));
    for (std::size_t i = 0; i < h.size(); ++i)
        for (std::size_t j = 0; j < h.size(); ++j)
            m[i][j] = h[i][j].is_finite() ? exact_double(h[i][j].mid()) : Rational(0);
    return m;
}

// An upper bound of |grad L(c)|_2^2: exact on exact problems, else from the gradient's point enclosure.
// Nothing when c is on a kink or the enclosure is not finite.
std::optional<Rational> gradient_square(const Problem& pb, const Vector& c) {
    Rational s = 0;
    if (exact_problem(pb)) {
        if (!find_kinks(pb, c).empty()) return std::nullopt;
        for (const Rational& gk : gradient(pb, c)) s += gk * gk;
        return s;
    }
    try {
        for (const Interval& gk : gradient_enclosure(pb, point_box(c))) {
            if (!gk.is_bounded()) return std::nullopt;
            const Rational m = magnitude(gk);
            s += m * m;
        }
    } catch (const KinkStraddled&) {
        return std::nullopt;
    }
    return s;
}

// An untrusted early decline, so that a box on which L is not convex costs milliseconds, not the whole cover
// budget (the cover splits a non-convex box until the budget runs out): the numerical Hessian's smallest
// eigenvalue at R's centre, its 2n axis points halfway to the faces and its two extreme corners. When one is
// <= lambda the cover would have to fail there (every interval Hessian of a sub-box contains the Hessian at
// its points), so the route declines and says where. Nothing is certified from these samples: a decline is
// always sound, and when every sample passes the cover decides. Nothing when R's ends are not finite.
std::optional<std::string> curvature_below_at_samples(const Problem& pb, const Box& r, const Rational& lambda) {
    const std::size_t n = r.size();
    Vector mid(n), half(n);
    for (std::size_t k = 0; k < n; ++k) {
        if (!r[k].lo || !r[k].hi) return std::nullopt;
        mid[k] = (*r[k].lo + *r[k].hi) / 2;
        half[k] = (*r[k].hi - *r[k].lo) / 4;
    }
    std::vector<Vector> samples{mid};
    for (std::size_t k = 0; k < n; ++k)
        for (int sign : {-1, 1}) {
            Vector x = mid;
            x[k] += sign * half[k];
            samples.push_back(x);
        }
    for (int sign : {-1, 1}) {
        Vector x = mid;
        for (std::size_t k = 0; k < n; ++k) x[k] += sign * 2 * half[k];
        samples.push_back(x);
    }
    for (const Vector& x : samples) {
        std::optional<Rational> e;
        try {
            e = hints::smallest_eigenvalue_untrusted(hint_hessian(pb, x));
        } catch (const KinkStraddled&) {
            continue;
        }
        if (e && *e <= lambda)
            return "the Hessian's smallest eigenvalue is about " + to_string(short_below(abs(*e))) +
                   (*e < 0 ? " below 0" : "") + " at a sampled point of R, not above lambda = " + to_string(lambda) +
                   ": L is not strongly convex on all of R (shrink R around the point, or let branch and bound decide)";
    }
    return std::nullopt;
}

// The Hessian cover of r: a branch and bound whose sub-box is settled when its interval Hessian certifies
// lambda_min > c for some c >= floor (box_lambda_min_lower, the untrusted eigenvalue of its midpoint proposing c);
// lambda is the least c over the settled sub-boxes. A sub-box with certain negative curvature ends it.
CoverFact hessian_cover(const Problem& pb, const Box& r, const Rational& floor, std::size_t budget, const Options& opt) {
    CoverFact fact;
    fact.floor = floor;
    std::optional<Rational> least;
    const BoxAssessor assess = [&pb, &floor, &least](const Box& box) {
        BoxAssessment a;
        IMatrix h;
        try {
            h = hessian_enclosure(pb, enclose(box));
        } catch (const KinkStraddled&) {
            return a;  // not reached: R straddles no kink, so neither does a sub-box
        }
        const std::optional<Rational> hint = hints::smallest_eigenvalue_untrusted(midpoints(h));
        if (const std::optional<Rational> c = box_lambda_min_lower(h, floor, hint)) {
            if (!least || *c < *least) least = *c;
            a.fate = BoxAssessment::Fate::settled;
        } else if (const BoxDefinitenessResult d = analyze_box_definiteness(h, {});
                   d.kind == BoxDefiniteness::indefinite) {
            a.fate = BoxAssessment::Fate::refuted;  // of the route, not of any claim
            a.witness = Object{{"curvature_at_most", d.curvature_bound}};
        }
        return a;
    };
    fact.search = branch_and_bound({r}, assess, {budget, &opt.progress, "strong convexity", opt.deadline});
    switch (fact.search.outcome) {
        case BranchBoundResult::Outcome::proven:
            fact.proven = true;
            fact.lambda = *least;
            break;
        case BranchBoundResult::Outcome::refuted:
            fact.note = "the Hessian has a direction of negative curvature on a whole sub-box of R: L is not convex "
                        "on R";
            break;
        case BranchBoundResult::Outcome::exhausted:
            fact.note = "the Hessian was not certified above lambda = " + to_string(floor) + " on all of R within " +
                        std::to_string(fact.search.boxes) + " sub-boxes" +
                        (fact.search.stop == BranchBoundResult::Stop::time_limit ? " (stopped by the time limit, --timeout)"
                                                                                 : "");
            break;
    }
    return fact;
}

}  // namespace

bool bounded(const Box& r) {
    for (const Range& rk : r)
        if (!rk.bounded()) return false;
    return true;
}

Box clip_to_cube(const Box& r, const Vector& p, const Rational& rho) {
    Box out = r;
    for (std::size_t k = 0; k < r.size(); ++k) {
        const Rational lo = p[k] - rho, hi = p[k] + rho;
        if (!out[k].lo || *out[k].lo < lo) out[k].lo = lo;
        if (!out[k].hi || *out[k].hi > hi) out[k].hi = hi;
    }
    return out;
}

namespace {

StrongConvexity strong_convexity_within(const Problem& pb, const Vector& c, const Box& r,
                                        const std::optional<Rational>& distance,
                                        const std::optional<Rational>& loss_target, const Options& opt,
                                        std::size_t budget) {
    StrongConvexity out;
    out.budget = budget;
    out.centre = c;
    if (!bounded(r)) {
        out.note = "R is unbounded";
        return out;
    }
    for (std::size_t k = 0; k < r.size(); ++k)
        if (!r[k].contains(c[k])) {
            out.note = "the point is not in R";
            return out;
        }
    if (!straddled_kinks(pb, enclose(r)).empty()) {
        out.note = "a relu/leaky_relu unit's input reaches 0 on R: the loss is not twice differentiable there";
        return out;
    }
    const std::optional<PointValue> at = loss_at(pb, c);
    const std::optional<Rational> g2 = gradient_square(pb, c);
    if (!at || !g2) {
        out.note = "the loss or its gradient at the centre could not be enclosed (a kink, or overflow)";
        return out;
    }
    out.at_centre = *at;
    out.gradient_sq = *g2;
    const std::optional<Rational> gnorm = sqrt_upper(*g2);
    if (!gnorm) {
        out.note = "the gradient at the centre is too large to bound";
        return out;
    }
    out.gradient_norm = *gnorm;
    std::optional<Rational> estimate;
    try {
        estimate = hints::smallest_eigenvalue_untrusted(hint_hessian(pb, c));
    } catch (const KinkStraddled&) {
    }
    if (!estimate || *estimate <= 0) {
        out.note = "the Hessian at the centre is not numerically positive definite" +
                   (estimate ? " (smallest eigenvalue about " + to_string(short_below(abs(*estimate))) +
                                   (*estimate < 0 ? " below 0)" : ")")
                             : std::string()) +
                   ": a saddle, a flat direction, or no minimum near it";
        return out;
    }
    // The floor: the least lambda the caller's use needs (with a margin of 1/16), and at least 1/64 of the
    // estimate. Every sub-box of the cover then certifies its own c >= floor and lambda is the least of them.
    const Rational cap = *estimate * Rational(9, 10);  // beyond it the cover would rarely succeed
    Rational floor = short_below(*estimate / 64);
    if (distance) {
        if (*distance <= 0) {
            out.note = "the centre is not at a positive distance from R's faces";
            return out;
        }
        // lambda D > 2 |g| is needed.
        const Rational need = 2 * out.gradient_norm / *distance;
        if (need >= cap) {
            out.note = "the gradient at the point is too large for the distance to R's nearest face: D = " +
                       to_string(short_below(*distance)) + " needs lambda > 2 |grad L| / D = " +
                       to_string(short_below(need)) + " but the Hessian's smallest eigenvalue there is about " +
                       to_string(short_below(*estimate)) + " (refine the point, or move the faces outward)";
            return out;
        }
        if (need * Rational(17, 16) > floor) floor = need * Rational(17, 16) < cap ? Rational(need * Rational(17, 16)) : Rational((need + cap) / 2);
    }
    if (loss_target) {
        // L(c)_lower - |g|^2 / (2 lambda) >= target needs lambda >= |g|^2 / (2 (L(c)_lower - target)).
        const Rational room = out.at_centre.lo - *loss_target;
        if (room <= 0) {
            out.note = "the loss at the centre is not above the claimed bound";
            return out;
        }
        const Rational need = out.gradient_sq / (2 * room);
        if (need >= cap) {
            out.note = "the gradient at the centre is too large for the claimed bound: it needs lambda >= " +
                       to_string(short_below(need)) + " but the Hessian's smallest eigenvalue there is about " +
                       to_string(short_below(*estimate));
            return out;
        }
        if (need * Rational(17, 16) > floor) floor = need * Rational(17, 16) < cap ? Rational(need * Rational(17, 16)) : Rational((need + cap) / 2);
    }
    // The early decline tests the samples against half the estimate (or the floor when higher): a box whose
    // curvature dips that far would cost the cover many sub-boxes.
    const Rational screen = floor > *estimate / 2 ? floor : short_below(*estimate / 2);
    const std::string key = problem_key(pb);
    const auto bits = static_cast<unsigned>(PrecisionScope::current());  // the working precision, not a request
    std::optional<CoverFact> fact = recall_cover(key, r, bits, budget, floor);
    if (fact) {
        out.cover_reused = true;
    } else {
        // R itself first: one interval Hessian, cheaper than the 2n + 3 sampled ones when it settles at once
        // (the whole cover's first box is this same assessment, so its verdict is the cover's when not split).
        fact = hessian_cover(pb, r, floor, 1, opt);
        if (fact->search.outcome == BranchBoundResult::Outcome::exhausted) {
            if (const std::optional<std::string> why = curvature_below_at_samples(pb, r, screen)) {
                out.note = *why;
                return out;
            }
            fact = hessian_cover(pb, r, floor, budget, opt);
        }
        // A cover stopped by the time limit says nothing about what the budget can show: never recalled.
        if (fact->search.stop != BranchBoundResult::Stop::time_limit) record_cover(key, r, bits, budget, *fact);
    }
    out.search = fact->search;
    if (!fact->proven) {
        out.note = fact->note;
        return out;
    }
    out.lambda = fact->lambda;
    if (distance && !(out.lambda * *distance > 2 * out.gradient_norm)) {
        out.note = "lambda could not be certified above 2 |grad L| / D";
        return out;
    }
    out.certified = true;
    out.loss_lower = out.at_centre.lo - out.gradient_sq / (2 * out.lambda);
    out.sublevel_radius = 2 * out.gradient_norm / out.lambda;
    return out;
}

}  // namespace

StrongConvexity strong_convexity(const Problem& pb, const Vector& c, const Box& r,
                                 const std::optional<Rational>& distance, const std::optional<Rational>& loss_target,
                                 const Options& opt) {
    return strong_convexity_within(pb, c, r, distance, loss_target, opt, convexity_budget(opt));
}

Vector convexity_centre(const Problem& pb, const Box& r) {
    Vector x = sample(r);
    // Newton converges quadratically from a good sample point: once a step is below 2^(32 - precision) of the
    // coordinates, later steps only move x by the gradient's rounding noise at the working precision (and make
    // its rationals longer): stop there. A heuristic, like the whole centre.
    Rational resolution = 1;
    for (mpfr_prec_t b = Interval().precision(); b > 32; --b) resolution /= 2;
    for (int step = 0; step < 8; ++step) {
        std::optional<Vector> s;
        try {
            const IVector xb = point_box(x);
            Vector g;
            for (const Interval& gk : gradient_enclosure(pb, xb)) g.push_back(gk.is_bounded() ? midpoint(gk) : Rational(0));
            s = hints::newton_step_untrusted(hint_hessian(pb, x), g);
        } catch (const KinkStraddled&) {
        }
        if (!s) break;
        bool moved = false, converged = true;
        for (std::size_t k = 0; k < x.size(); ++k) {
            Rational y = x[k] + (*s)[k];
            if (r[k].lo && y < *r[k].lo) y = *r[k].lo;
            if (r[k].hi && y > *r[k].hi) y = *r[k].hi;
            moved = moved || y != x[k];
            const Rational scale = abs(x[k]) > 1 ? Rational(abs(x[k])) : Rational(1);
            converged = converged && abs((*s)[k]) <= resolution * scale;
            x[k] = y;
        }
        if (!moved || converged) break;
    }
    return x;
}

ConvexityTrap convexity_trap(const Problem& pb, const Vector& p, const Box& r, const std::optional<Rational>& layer,
                             const Options& opt) {
    ConvexityTrap out;
    std::optional<Rational> d;
    for (std::size_t k = 0; k < r.size(); ++k)
        for (const std::optional<Rational>& end : {r[k].lo, r[k].hi}) {
            if (!end) continue;
            const Rational gap = abs(p[k] - *end);
            if (!d || gap < *d) d = gap;
        }
    out.distance = d.value_or(Rational(0));
    if (layer) out.distance -= *layer;
    out.sc = strong_convexity(pb, p, r, out.distance, std::nullopt, opt);
    return out;
}

Object convexity_evidence(const StrongConvexity& sc, const Options&) {
    Object ev{{"lambda", sc.lambda},
              {"lambda_meaning", "every Hessian on R has smallest eigenvalue > lambda (exact LDL^T of mid(H) - "
                                 "(delta + lambda) I on each sub-box)"},
              {"gradient_norm_at_most", sc.gradient_norm},
              {"sublevel_radius", sc.sublevel_radius},
              {"loss_lower_bound", sc.loss_lower}};
    ev.emplace_back("hessian_cover", Object{{"boxes", sc.search.boxes},
                                            {"leaves", sc.search.leaves},
                                            {"depth", sc.search.max_depth},
                                            {"milliseconds", static_cast<long long>(sc.search.milliseconds)},
                                            {"max_boxes", sc.budget},
                                            {"shared", sc.cover_reused ? "certified by an earlier claim of this run for the same loss, "
                                                                         "region and precision (the kernel's cover memo)"
                                                                       : "certified by this claim"}});
    return ev;
}

}  // namespace nncert::kernel::detail
