// Claims about regions: `trap P in R [layer d [steps e]]`, `loss R in [a, b]`, `gap R > Q`,
// `accuracy P in R <= q` (on the sublevel set of P in R). Assumes check_interval opened the PrecisionScope.
#include "kernel/detail/mint.hpp"
#include "kernel/exact.hpp"
#include "kernel/interval/checks.hpp"
#include "kernel/interval/one_layer.hpp"
#include "kernel/interval/trap.hpp"

#include <mpfr.h>

#include <stdexcept>

namespace nncert::kernel::detail {

namespace {

Value range_value(const PointValue& v) { return Object{{"lower", v.lo}, {"upper", v.hi}}; }

std::string bound_text(const LowerBound& b) { return b.value ? to_string(*b.value) : std::string("-inf"); }

// Evidence `face_search`: per face, what the faces' branch and bound spent on it (statistics; no verdict reads it).
Value face_search_value(const TrapResult& t) {
    List faces;
    for (const FaceStats& f : t.per_face) {
        Object o{{"face", f.name}, {"roots", f.roots}, {"boxes", f.boxes}, {"leaves", f.leaves},
                 {"finished", f.open == 0}, {"open_boxes", f.open}};
        if (f.settled_low) o.emplace_back("lowest_settled_bound", bound_text(*f.settled_low));
        o.emplace_back("cpu_milliseconds", f.cpu_microseconds / 1000);
        faces.emplace_back(std::move(o));
    }
    return faces;
}

Object region_evidence(const Problem& pb, const Claim& c, const Box& r, const Options& opt, std::string checked) {
    Object ev{{"checked", std::move(checked)}};
    ev.emplace_back("region", c.region && !c.region->name.empty() ? c.region->name : std::string("cube"));
    ev.emplace_back("ranges", region_value(pb.net, r));
    ev.emplace_back("precision_bits", static_cast<long long>(opt.precision_bits));
    return ev;
}

// Upper end of max_k |g_k| as an exact dyadic; nothing when unbounded.
std::optional<Rational> max_magnitude(const IVector& g) {
    Rational m = 0;
    for (const Interval& gk : g) {
        if (!gk.is_bounded()) return std::nullopt;
        const Rational a = magnitude(gk);
        if (a > m) m = a;
    }
    return m;
}

struct GradientBound {
    std::optional<Rational> g;  // sup over the sublevel set of max_k |dL/dtheta_k| is <= g
    BranchBoundResult search;
};

// An upper bound G of max_k |dL/dtheta_k| over {theta in R : L(theta) <= L(P)}: every box is settled as outside
// the sublevel set (its loss enclosure is above L(P)) or with its gradient enclosure's magnitude counted into
// G. With a target T, a box is settled only when that magnitude is < T; without one, whenever it is finite.
GradientBound gradient_bound(const Problem& pb, const Box& r, const PointValue& at_p,
                             const std::optional<Rational>& target, std::size_t budget, const Options& opt) {
    GradientBound out;
    Rational settled_max = 0;
    const BoxAssessor assess = [&](const Box& box) {
        BoxAssessment a;
        IVector g;
        const Interval l = loss_over_box_at_level(pb, box, &g, at_p.hi);
        a.bound = LowerBound::of(l);
        if (certainly_greater(l, at_p.hi)) {
            a.fate = BoxAssessment::Fate::settled;
            return a;
        }
        const std::optional<Rational> m = g.size() == box.size() ? max_magnitude(g) : std::nullopt;
        if (m && (!target || *m < *target)) {
            if (*m > settled_max) settled_max = *m;
            a.fate = BoxAssessment::Fate::settled;
        }
        return a;
    };
    out.search = branch_and_bound({r}, assess, {budget, &opt.progress, "gradient bound", opt.deadline});
    if (out.search.outcome == BranchBoundResult::Outcome::proven) out.g = settled_max;
    return out;
}

// Without a claimed step size: the first finite bound, then halved while a run with max_boxes / 16 boxes proves
// the half (at most 8 halvings): G ends within a factor 2 of what that budget can show.
GradientBound best_gradient_bound(const Problem& pb, const Box& r, const PointValue& at_p, const Options& opt) {
    GradientBound best = gradient_bound(pb, r, at_p, std::nullopt, opt.max_boxes, opt);
    for (int halving = 0; halving < 8 && best.g && !is_zero(*best.g); ++halving) {
        GradientBound next = gradient_bound(pb, r, at_p, Rational(*best.g / 2), opt.max_boxes / 16 + 1, opt);
        if (!next.g) break;
        best = std::move(next);
    }
    return best;
}

// Strong convexity on a bounded region without a named point, aiming its lambda at a loss lower bound >= target
// (> target when strict): centred first at R's sample point, then (when that bound misses the target) at
// convexity_centre, whose Newton steps cost a Hessian each; the cover memo serves the second try. Certified: its
// evidence goes into ev under "strong_convexity"; declined: the reason under "strong_convexity_declined".
std::optional<StrongConvexity> region_convexity(const Problem& pb, const Box& r, const Rational& target, bool strict,
                                                const Options& opt, Object& ev) {
    if (!bounded(r)) return std::nullopt;
    StrongConvexity sc = strong_convexity(pb, sample(r), r, std::nullopt, target, opt);
    if (!sc.certified || (strict ? !(sc.loss_lower > target) : !(sc.loss_lower >= target)))
        sc = strong_convexity(pb, convexity_centre(pb, r), r, std::nullopt, target, opt);
    if (!sc.certified) {
        ev.emplace_back("strong_convexity_declined", sc.note);
        return std::nullopt;
    }
    Object part = convexity_evidence(sc, opt);
    part.insert(part.begin(), {"centre", named_entries(pb.net, sc.centre)});
    ev.emplace_back("strong_convexity", Value(std::move(part)));
    return sc;
}

}  // namespace

Verdict check_trap(const Problem& pb, const Point& p, const Claim& c, const Options& opt) {
    const std::string method = c.layer ? "trap-layer" : "trap";
    const Box r = c.region ? c.region->box : cube(p.params, *c.radius);
    const TrapResult t = check_trap_faces(pb, p, r, c.layer, opt);
    Object ev = region_evidence(pb, c, r, opt,
                                c.layer ? "the loss on a boundary layer of R against L(P)"
                                        : "the loss on every finite face of R against L(P)");
    ev.emplace_back("point", p.name);
    if (t.outcome == TrapOutcome::refuted) {
        Object w = std::get<Object>(t.witness.data);
        w.emplace(w.begin(), "point", p.name);
        return Mint::refuted(method, Value(std::move(w)));
    }
    if (t.at_p) ev.emplace_back("loss_at_point", range_value(*t.at_p));
    ev.emplace_back("finite_faces", t.faces);
    if (t.charted_roots > 0) ev.emplace_back("ray_chart_roots", t.charted_roots);
    if (t.outcome == TrapOutcome::undecided) {
        if (!t.search.box.empty()) {
            ev.emplace_back("best_bound", bound_text(t.search.bound));
            ev.emplace_back("failing_box", box_value(parameter_names(pb.net), t.search.box));
            add_search_stats(ev, t.search, opt);
            ev.emplace_back("face_search", face_search_value(t));
        }
        // Why the first route did not decide, so that the user knows whether a smaller R would (a Hessian cover
        // that failed) or not (an unbounded R).
        if (!t.convexity_note.empty()) ev.emplace_back("strong_convexity_declined", t.convexity_note);
        return Mint::inconclusive(method, t.note, Value(std::move(ev)));
    }
    ev.emplace_back("route", t.route);
    Box sublevel_box = r;  // a box holding {theta in R : L(theta) <= L(P)}
    if (t.convexity) {
        const StrongConvexity& sc = *t.convexity;
        // On a face |theta - P| >= D > 2|g|/lambda, where t (lambda t / 2 - |g|) increases: L >= L(P) + that at D.
        const Rational face_bound = t.at_p->lo + t.distance * (sc.lambda * t.distance / 2 - sc.gradient_norm);
        ev.emplace_back("boundary_lower_bound", face_bound);
        ev.emplace_back(c.layer ? "distance_to_layer" : "distance_to_nearest_face", t.distance);
        for (auto& kv : convexity_evidence(sc, opt)) ev.push_back(std::move(kv));
        sublevel_box = clip_to_cube(r, p.params, sc.sublevel_radius);
    } else {
        ev.emplace_back("boundary_lower_bound", bound_text(t.search.bound));
        add_search_stats(ev, t.search, opt);
        ev.emplace_back("face_search", face_search_value(t));
        if (!t.convexity_note.empty()) ev.emplace_back("strong_convexity_declined", t.convexity_note);
    }
    const bool is_bounded = bounded(r);
    ev.emplace_back("bounded", is_bounded);
    std::string result = "L > L(" + p.name + ") on every finite face of R, and " + p.name +
                         " is inside R: every continuous path from " + p.name +
                         " along which the loss never exceeds L(" + p.name + ") stays in R (gradient flow does)";
    if (t.convexity)
        result += "; the Hessian exceeds lambda I on all of R, so R contains exactly one local minimum, it is "
                  "strict, its loss is >= loss_lower_bound, and it lies within sublevel_radius of " + p.name;
    else if (is_bounded)
        result += "; R is bounded, so it contains a local minimum with loss <= L(" + p.name + ")";
    if (!c.layer) {
        ev.emplace_back("result", result);
        return Mint::certified(method, Value(std::move(ev)));
    }
    // Discrete steps: L > L(P) on the layer; a bound G on the gradient over the sublevel set gives the step sizes.
    const std::optional<Rational> target = c.steps ? std::optional<Rational>(*c.layer / *c.steps) : std::nullopt;
    const GradientBound gb =
        target ? gradient_bound(pb, sublevel_box, *t.at_p, target, opt.max_boxes, opt)
               : best_gradient_bound(pb, sublevel_box, *t.at_p, opt);
    ev.emplace_back("layer", *c.layer);
    Object gs;
    add_search_stats(gs, gb.search, opt);
    ev.emplace_back("gradient_search", Value(std::move(gs)));
    const std::string steps_meaning =
        "gradient descent theta <- theta - eta grad L(theta) from " + p.name +
        " whose steps never increase the loss stays in R for every step size eta < d / G: an iterate with loss <= L(" +
        p.name + ") lies outside the layer, and a step moves each coordinate by at most eta G < d";
    if (!gb.g) {
        ev.emplace_back("result", result + "; L > L(" + p.name + ") on the whole layer");
        const bool late = gb.search.stop == BranchBoundResult::Stop::time_limit;
        const std::string budget = late ? "before the time limit (--timeout)" : "within the box budget";
        const std::string why = c.steps ? "the gradient on the sublevel set was not certified below d / e = " +
                                              to_string(*target) + " " + budget
                                        : "no bound on the gradient over the sublevel set was certified " + budget +
                                          " (on unbounded coordinates it can grow without bound)";
        if (c.steps)
            return Mint::inconclusive(method, why + "; the layer itself is certified. " +
                                                  (late ? "Raise --timeout" : "Raise --max-boxes") + " or thicken the layer",
                                      Value(std::move(ev)));
        ev.emplace_back("steps", why + ": no step size is covered");
        return Mint::certified(method, Value(std::move(ev)));
    }
    ev.emplace_back("gradient_bound", *gb.g);
    ev.emplace_back("result", result + "; L > L(" + p.name + ") on the whole layer");
    if (is_zero(*gb.g)) {
        ev.emplace_back("steps", "the gradient vanishes on the sublevel set: " + steps_meaning + " (any eta)");
    } else {
        ev.emplace_back("step_sizes_below", Rational(*c.layer / *gb.g));
        ev.emplace_back("steps", steps_meaning + " (G = gradient_bound, the max-norm of the gradient over the sublevel "
                                                 "set {theta in R : L(theta) <= L(" + p.name + ")})");
    }
    return Mint::certified(method, Value(std::move(ev)));
}

namespace {

// The first of the script's named points that lies in R (closed) and refutes the obligation there, as a witness
// naming it: s * L at the point certainly <= ob.refute (< it when ob.refute_strict), as loss_witness decides for a
// sample point. A branch and bound looks only at its boxes' sample points, which need not come near a point the
// script names: `loss R in [2.4, inf]` with a point of loss 2.3551 in R stayed INCONCLUSIVE after 200,000 boxes
// (review 14, finding 5). The loss at a named point is its MPFI enclosure (bounded work, whatever the point's
// numbers); on an exact problem, where the enclosure leaves a tie undecided, its exact value when the point's
// coordinates have at most named_point_exact_bits bits in all. A point whose loss cannot be had so (an enclosure
// that is not finite, a limit of the exact arithmetic) is passed over: points no claim uses never change a verdict
// but by refuting with a checked witness (review 15, finding 2).
constexpr std::size_t named_point_exact_bits = 4096;

std::optional<PointValue> named_point_loss(const Problem& pb, const Vector& theta, const LossObligation& ob) {
    try {
        const Interval l = loss_enclosure(pb, point_box(theta));
        if (l.is_bounded()) {
            const PointValue v{l.lower(), l.upper()};
            if (refutes(ob, v)) return v;
        }
        if (!pb.is_exact()) return std::nullopt;
        std::size_t bits = 0;
        for (const Rational& t : theta) bits += bit_size(t);
        if (bits > named_point_exact_bits) return std::nullopt;
        const Rational exact = loss(pb, theta);
        const PointValue v{exact, exact};
        if (refutes(ob, v)) return v;
    } catch (const std::exception&) {  // a limit of the exact arithmetic, an activation without an enclosure here
    }
    return std::nullopt;
}

std::optional<Object> named_point_witness(const Problem& pb, const std::vector<Point>& points, const Box& r,
                                          const LossObligation& ob) {
    for (const Point& p : points) {
        if (p.params.size() != r.size() || !contains(r, p.params)) continue;
        if (const std::optional<PointValue> v = named_point_loss(pb, p.params, ob)) {
            Object w{{"witness_named_point", p.name}};
            for (auto& kv : loss_witness_entries(pb.net, p.params, *v)) w.push_back(std::move(kv));
            return w;
        }
    }
    return std::nullopt;
}

// The obligation of one claimed end of `loss R in [a, b]`: sense +1 for the lower end a (L >= a), -1 for the upper
// end b (-L >= -b); a point with s * L certainly below the threshold refutes it.
LossObligation region_end_obligation(int sense, const Rational& end) {
    LossObligation ob;
    ob.sense = sense;
    ob.threshold = sense > 0 ? end : Rational(-end);
    ob.strict = false;
    ob.refute = ob.threshold;
    ob.refute_strict = true;
    return ob;
}

}  // namespace

Verdict check_region_loss(const Problem& pb, const std::vector<Point>& points, const Claim& c, const Options& opt) {
    const std::string method = "region-loss";
    const Box& r = c.region->box;
    validate_box(r, pb.net.num_params());
    Object ev = region_evidence(pb, c, r, opt, "the loss over the region against the claimed range");
    if (c.lower) ev.emplace_back("claimed_lower", *c.lower);
    if (c.upper) ev.emplace_back("claimed_upper", *c.upper);
    if (c.lower && c.upper && *c.upper < *c.lower) return Mint::refuted(method, Value(std::move(ev)));
    // The script's named points first, for both ends, before the convexity route and either search.
    for (int sense : {1, -1}) {
        const std::optional<Rational>& end = sense > 0 ? c.lower : c.upper;
        if (!end) continue;
        if (std::optional<Object> named = named_point_witness(pb, points, r, region_end_obligation(sense, *end))) {
            ev.emplace_back("result", "a point of the script, in the region, whose loss is " +
                                          std::string(sense > 0 ? "below the claimed lower" : "above the claimed upper") +
                                          " end");
            for (auto& kv : *named) ev.push_back(std::move(kv));
            return Mint::refuted(method, Value(std::move(ev)));
        }
    }
    // The lower end by strong convexity first (a bounded R), else as the upper end: one branch and bound per
    // claimed end, the lower end bounding L from below, the upper end -L.
    bool lower_done = false;
    if (c.lower)
        if (const auto sc = region_convexity(pb, r, *c.lower, false, opt, ev)) {
            lower_done = sc->loss_lower >= *c.lower;
            if (lower_done) {
                ev.emplace_back("certified_lower_bound", sc->loss_lower);
                ev.emplace_back("lower_route", "strong-convexity");
            } else {
                ev.emplace_back("strong_convexity_declined", "its bound " + to_string(sc->loss_lower) +
                                                                 " is below the claimed lower end");
            }
        }
    const std::optional<OneLayer> one_layer = OneLayer::of(pb);
    for (int sense : {1, -1}) {
        const std::optional<Rational>& end = sense > 0 ? c.lower : c.upper;
        if (!end || (sense > 0 && lower_done)) continue;
        const LossObligation ob = region_end_obligation(sense, *end);
        const std::string side = sense > 0 ? "lower" : "upper";
        BranchBoundResult s =
            branch_and_bound({r}, lower_bound_assessor(pb, one_layer, ob), region_search_limits(opt, "loss over region"));
        if (one_layer && sense > 0) {
            s.bound = capped_bound(s.bound, ob.threshold);
            ev.emplace_back("one_layer_bounds", true);
        }
        Object part;
        add_search_stats(part, s, opt);
        if (s.outcome == BranchBoundResult::Outcome::refuted) {
            Object w = ev;
            w.emplace_back("result", "a point of the region whose loss is " + std::string(sense > 0 ? "below" : "above") +
                                         " the claimed " + side + " end");
            if (const auto* o = std::get_if<Object>(&s.witness.data))
                for (const auto& kv : *o) w.push_back(kv);
            return Mint::refuted(method, Value(std::move(w)));
        }
        if (s.outcome == BranchBoundResult::Outcome::exhausted) {
            ev.emplace_back("best_" + side + "_bound",
                            sense > 0 ? bound_text(s.bound)
                                      : (s.bound.value ? to_string(Rational(-*s.bound.value)) : std::string("+inf")));
            ev.emplace_back("failing_box", box_value(parameter_names(pb.net), s.box));
            ev.emplace_back(side + "_search", Value(std::move(part)));
            return Mint::inconclusive(method,
                                      "the loss over the region was not certified " +
                                          std::string(sense > 0 ? ">= " : "<= ") + to_string(*end) + " " +
                                          boxes_phrase(s) + ": " + raise_phrase(s) + " or the precision (or the claim fails near the "
                                          "failing box, e.g. where the loss approaches its bound at infinity)",
                                      Value(std::move(ev)));
        }
        if (sense > 0) ev.emplace_back("lower_route", "branch-and-bound");
        ev.emplace_back(side == "lower" ? "certified_lower_bound" : "certified_upper_bound",
                        sense > 0 ? bound_text(s.bound) : to_string(Rational(-*s.bound.value)));
        ev.emplace_back(side + "_search", Value(std::move(part)));
    }
    return Mint::certified(method, Value(std::move(ev)));
}

Verdict check_region_gap(const Problem& pb, const std::vector<Point>& points, const Claim& c, const Point& q,
                         const Options& opt) {
    const std::string method = "region-loss";
    const Box& r = c.region->box;
    validate_box(r, pb.net.num_params());
    Object ev = region_evidence(pb, c, r, opt, "inf of the loss over the region against the loss at the other point");
    ev.emplace_back("other", q.name);
    const std::optional<PointValue> lq = loss_at(pb, q.params);
    if (!lq)
        return Mint::inconclusive(method, unenclosed_loss_reason(pb, q.params, q.name), Value(std::move(ev)));
    ev.emplace_back("other_loss", range_value(*lq));
    // L > L(Q) for every value L(Q) may have; a point with L <= L(Q) for every value refutes.
    LossObligation ob;
    ob.threshold = lq->hi;
    ob.strict = true;
    ob.refute = lq->lo;
    ob.refute_strict = false;
    if (std::optional<Object> named = named_point_witness(pb, points, r, ob)) {
        ev.emplace_back("result", "a point of the script, in the region, whose loss is <= the loss at " + q.name);
        for (auto& kv : *named) ev.push_back(std::move(kv));
        return Mint::refuted(method, Value(std::move(ev)));
    }
    if (const auto sc = region_convexity(pb, r, lq->hi, true, opt, ev)) {
        if (sc->loss_lower > lq->hi) {
            ev.emplace_back("certified_lower_bound", sc->loss_lower);
            ev.emplace_back("route", "strong-convexity");
            ev.emplace_back("result", "the loss at every point of the region exceeds the loss at " + q.name);
            return Mint::certified(method, Value(std::move(ev)));
        }
        ev.emplace_back("strong_convexity_declined",
                        "its bound " + to_string(sc->loss_lower) + " does not exceed the loss at " + q.name);
    }
    ev.emplace_back("route", "branch-and-bound");
    const std::optional<OneLayer> one_layer = OneLayer::of(pb);
    BranchBoundResult s = branch_and_bound({r}, lower_bound_assessor(pb, one_layer, ob), region_search_limits(opt, "gap"));
    if (one_layer) {
        s.bound = capped_bound(s.bound, ob.threshold);
        ev.emplace_back("one_layer_bounds", true);
    }
    add_search_stats(ev, s, opt);
    switch (s.outcome) {
        case BranchBoundResult::Outcome::proven:
            ev.emplace_back("certified_lower_bound", bound_text(s.bound));
            ev.emplace_back("result", "the loss at every point of the region exceeds the loss at " + q.name);
            return Mint::certified(method, Value(std::move(ev)));
        case BranchBoundResult::Outcome::refuted:
            ev.emplace_back("result", "a point of the region whose loss is <= the loss at " + q.name);
            if (const auto* o = std::get_if<Object>(&s.witness.data))
                for (const auto& kv : *o) ev.push_back(kv);
            return Mint::refuted(method, Value(std::move(ev)));
        case BranchBoundResult::Outcome::exhausted:
            break;
    }
    ev.emplace_back("best_lower_bound", bound_text(s.bound));
    ev.emplace_back("failing_box", box_value(parameter_names(pb.net), s.box));
    return Mint::inconclusive(method,
                              "the loss over the region was not certified above the loss at " + q.name + " " +
                                  boxes_phrase(s) + ": " + raise_phrase(s) + " or the precision",
                              Value(std::move(ev)));
}

}  // namespace nncert::kernel::detail
