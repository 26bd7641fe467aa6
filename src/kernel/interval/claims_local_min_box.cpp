// `local_min P within r` and `local_min P in R`: the closed box contains a local minimum of the loss (possibly
// non-strict). Methods are tried in order; the first that decides gives the verdict.
// Assumes check_interval opened the PrecisionScope.
#include "kernel/detail/mint.hpp"
#include "kernel/interval/checks.hpp"
#include "kernel/interval/trap.hpp"

namespace nncert::kernel::detail {

namespace {

// A bounded trap contains a local minimum: L attains its minimum over the compact box R at some theta*; since
// L(theta*) <= L(P) < L on the boundary, theta* is interior, hence a local minimum of L on R^n.
std::optional<Verdict> bounded_trap_route(const Problem& pb, const Point& p, const Box& r, const Options& opt,
                                          std::string& note) {
    const TrapResult t = check_trap_faces(pb, p, r, std::nullopt, opt);
    if (t.outcome != TrapOutcome::trapped) {
        note = t.outcome == TrapOutcome::refuted ? "the box is not a trap around " + p.name
                                                 : "the trap test was undecided: " + t.note;
        return std::nullopt;
    }
    Object ev{{"checked", "the loss on every face of the bounded box R against L(P) (a bounded trap)"},
              {"point", p.name},
              {"ranges", region_value(pb.net, r)},
              {"precision_bits", static_cast<long long>(opt.precision_bits)},
              {"loss_at_point", Object{{"lower", t.at_p->lo}, {"upper", t.at_p->hi}}},
              {"route", t.route}};
    std::string result = "L > L(" + p.name + ") on the boundary of the compact box R and " + p.name +
                         " is inside it, so the minimum of L over R is attained in its interior: a local minimum "
                         "with loss <= L(" + p.name + ")";
    if (t.convexity) {
        ev.emplace_back("distance_to_nearest_face", t.distance);
        for (auto& kv : convexity_evidence(*t.convexity, opt)) ev.push_back(std::move(kv));
        result += "; the Hessian exceeds lambda I on all of R, so it is the only local minimum in R and it is strict";
    } else {
        ev.emplace_back("boundary_lower_bound", *t.search.bound.value);
        add_search_stats(ev, t.search, opt);
    }
    ev.emplace_back("result", result);
    return Mint::certified("bounded-trap", Value(std::move(ev)));
}

// No local minimum anywhere in R: each sub-box has no critical point, or negative curvature everywhere.
std::optional<Verdict> no_minimum_route(const Problem& pb, const Point& p, const Box& r, const Options& opt,
                                        std::string& note) {
    const BranchBoundResult s = no_local_minimum(pb, r, opt);
    if (s.outcome != BranchBoundResult::Outcome::proven) {
        note = "no sub-division of the box into " + std::to_string(s.boxes) +
               " boxes showed every part free of critical points or negatively curved" +
               (s.stop == BranchBoundResult::Stop::time_limit ? " (stopped by the time limit, --timeout)" : "");
        return std::nullopt;
    }
    Object ev{{"checked", "every sub-box: a certainly nonzero gradient entry, or certainly negative curvature"},
              {"point", p.name},
              {"ranges", region_value(pb.net, r)},
              {"precision_bits", static_cast<long long>(opt.precision_bits)}};
    add_search_stats(ev, s, opt);
    ev.emplace_back("result", "no point of the box is a local minimum: each of the " + std::to_string(s.leaves) +
                                  " sub-boxes has no critical point or a direction of negative curvature at every "
                                  "point");
    return Mint::refuted("no-minimum", Value(std::move(ev)));
}

}  // namespace

Verdict check_local_min_box(const Problem& pb, const Point& p, const Rational& r, const Options& opt) {
    // A strict local minimum certified over the box (Krawczyk + positive definite Hessian on the box) is
    // in particular a local minimum in the box; its refutations (no critical point in the box, or negative
    // curvature along one direction on the whole box) leave no local minimum in the box either.
    // (The loss is smooth on the box: a box straddling a kink gets no verdict from the strict test. A local
    // minimum of a smooth function on R^n is a critical point with a positive semidefinite Hessian, also when
    // it lies on the box's boundary.)
    const Verdict strict = check_strict_local_min_box(pb, p, r, opt);
    if (strict.outcome() != Outcome::inconclusive) return strict;
    // Non-strict minima: a family of critical points through the box (Morse-Bott, morse_bott_box.cpp).
    std::vector<std::string> notes;
    if (auto v = morse_bott_box(pb, p, r, opt, notes)) return *v;
    std::string more;
    for (const std::string& n : notes) more += " [" + n + "]";
    std::string trap_note = "the box has no interior (radius 0)", none_note;
    const Box b = cube(p.params, r);
    if (r > 0)
        if (auto v = bounded_trap_route(pb, p, b, opt, trap_note)) return *v;
    if (auto v = no_minimum_route(pb, p, b, opt, none_note)) return *v;
    return Mint::with_engine(
        Mint::inconclusive("interval",
                           "no box method decided: the strict test (" + strict.method() + ") said: " +
                               (strict.reason().empty() ? to_string(strict.outcome()) : strict.reason()) + more +
                               "; bounded trap: " + trap_note + "; no-minimum search: " + none_note,
                           strict.evidence()),
        strict.engine());
}

Verdict check_local_min_region(const Problem& pb, const Point& p, const Claim& c, const Options& opt) {
    const Box& r = c.region->box;
    validate_box(r, pb.net.num_params());
    std::string trap_note = "R is unbounded: the infimum over R may be approached at infinity, so a trap proves no "
                            "local minimum",
                none_note;
    if (c.region->bounded())
        if (auto v = bounded_trap_route(pb, p, r, opt, trap_note)) return *v;
    if (auto v = no_minimum_route(pb, p, r, opt, none_note)) return *v;
    return Mint::inconclusive("interval", "no region method decided: bounded trap: " + trap_note +
                                              "; no-minimum search: " + none_note);
}

}  // namespace nncert::kernel::detail
