// The segment claims on transcendental problems (sigmoid, tanh, softplus, bce, cross-entropy), by interval
// enclosures on sub-segments T = [t0, t1] of [0, 1] (docs/certificates.md, "Segment claims"):
//   L on T:   the loss over the box hull of theta(T), or the mean-value form L(theta(tm)) + L'(T) (T - tm);
//   L' on T:  grad L over that box hull, dotted with d = Q - P (L'(t) = grad L(theta(t)) . d).
// Both contain the true values for every t in T, so a bound shown for each sub-segment holds on [0, 1].
// The sub-segments are the boxes of the shared branch-and-bound driver (branch_bound.hpp) on the 1-D box
// {[0, 1]}, under the script's max_boxes budget: the same engine as traps and region bounds.
#include "kernel/detail/mint.hpp"
#include "kernel/interval/activation.hpp"
#include "kernel/interval/checks.hpp"
#include "kernel/interval/enclose.hpp"
#include "kernel/interval/segment_enclosure.hpp"
#include "kernel/interval/branch_bound.hpp"
#include "kernel/segment/checks.hpp"
#include "kernel/segment/piecewise_loss.hpp"

#include <algorithm>

namespace nncert::kernel::detail {

namespace {

// The narrowest sub-segment split further (2^-40 of the segment): a narrower undecided one ends the run
// (the driver cannot bisect a coordinate the assessor does not name), and the claim is inconclusive.
const Rational narrowest(1, 1099511627776LL);

// A sub-segment [t0, t1] of the 1-D box.
std::pair<Rational, Rational> ends(const Box& b) { return {*b[0].lo, *b[0].hi}; }

// The assessor's answer for an undecided sub-segment: bisect it, or, below the narrowest width, ask for a
// coordinate that does not exist, which the driver reports as the open box it could not split (exhausted).
BoxAssessment undecided(const Box& b, LowerBound bound) {
    BoxAssessment a;
    a.fate = BoxAssessment::Fate::split;
    a.bound = std::move(bound);
    const auto [t0, t1] = ends(b);
    if (t1 - t0 < narrowest) a.coordinate = 1;
    return a;
}

BoxAssessment settled(LowerBound bound) {
    BoxAssessment a;
    a.fate = BoxAssessment::Fate::settled;
    a.bound = std::move(bound);
    return a;
}

// -x as a lower bound: -sup(x) (absent when x is unbounded above).
LowerBound negated_upper(const Interval& x) {
    if (!x.is_bounded()) return LowerBound{};
    return LowerBound{Rational(-x.upper())};
}

std::string exhausted_reason(const BranchBoundResult& r, std::size_t max_boxes, const std::string& what) {
    const auto [t0, t1] = ends(r.box);
    const bool late = r.stop == BranchBoundResult::Stop::time_limit;
    const bool narrow = !late && t1 - t0 < narrowest;
    return "the branch and bound stopped after " + std::to_string(r.boxes) + " sub-segments (" +
           (late     ? std::string("the time limit, --timeout")
            : narrow ? std::string("one narrower than 2^-40 stayed undecided")
                     : "the budget max_boxes = " + std::to_string(max_boxes)) +
           "; open: t in [" + to_string(t0) + ", " + to_string(t1) + "]): " + what + "; raise the precision or " +
           (late ? "--timeout" : "max_boxes") + ", or state the claim on a shorter segment";
}

Value open_value(const BranchBoundResult& r) {
    const auto [t0, t1] = ends(r.box);
    return Value(List{t0, t1});
}

// Evidence of an undecided run: the open sub-segment, the sub-segments assessed, and why the run stopped.
Object exhausted_evidence(const BranchBoundResult& r) {
    Object o{{"open", open_value(r)}, {"sub_segments", r.boxes}};
    if (const std::string why = stop_name(r); !why.empty()) o.emplace_back("stopped_by", why);
    return o;
}

}  // namespace

Verdict check_monotone_interval(const Problem& pb, const Point& p, const Point& q, const Options& opt) {
    const std::string method = "segment-subdivision";
    PrecisionScope scope(opt.precision_bits);
    const SegmentEnclosure L(pb, p.params, q.params);
    const Interval lp = L.at(0), lq = L.at(1);
    if (certainly_less(lp, lq))
        return Mint::refuted(method, Object{{"t1", Rational(0)}, {"t2", Rational(1)},
                                            {"loss_at_t1", enclosure_value(lp)}, {"loss_at_t2", enclosure_value(lq)}});
    // Property on each sub-segment T: L' <= 0 on T. Priority: -sup L'(T), so the steepest rises come first.
    std::optional<Interval> failing_slope;
    const BranchBoundResult r = branch_and_bound(
        {Box{Range{Rational(0), Rational(1)}}},
        [&](const Box& b) {
            const auto [t0, t1] = ends(b);
            const auto dl = L.derivative(t0, t1);
            if (!dl) return undecided(b, LowerBound{});
            if (certainly_at_most(*dl, Rational(0))) return settled(negated_upper(*dl));
            if (certainly_positive(*dl)) {
                failing_slope = *dl;
                BoxAssessment a;
                a.fate = BoxAssessment::Fate::refuted;
                a.bound = negated_upper(*dl);
                return a;
            }
            return undecided(b, negated_upper(*dl));
        },
        BranchBoundLimits{opt.max_boxes, opt.progress ? &opt.progress : nullptr, "segment subdivision", opt.deadline});
    if (r.outcome == BranchBoundResult::Outcome::refuted) {
        // L' > 0 on all of [t1, t2], so L(t2) - L(t1) = L'(xi) (t2 - t1) > 0 (mean value theorem).
        const auto [t1, t2] = ends(r.box);
        return Mint::refuted(method, Object{{"t1", t1},
                                            {"t2", t2},
                                            {"derivative_between", enclosure_value(*failing_slope)},
                                            {"loss_at_t1", enclosure_value(L.at(t1))},
                                            {"loss_at_t2", enclosure_value(L.at(t2))},
                                            {"precision_bits", static_cast<long long>(opt.precision_bits)}});
    }
    if (r.outcome == BranchBoundResult::Outcome::exhausted)
        return Mint::inconclusive(method,
                                  exhausted_reason(r, opt.max_boxes,
                                                   "the derivative along the segment could not be shown <= 0 or > 0"),
                                  exhausted_evidence(r));
    return Mint::certified(method, Object{{"loss_at_start", enclosure_value(lp)},
                                          {"loss_at_end", enclosure_value(lq)},
                                          {"sub_segments", r.boxes},
                                          {"precision_bits", static_cast<long long>(opt.precision_bits)}});
}

Verdict check_barrier_interval(const Problem& pb, const Point& p, const Point& q, const Rational& h, const Options& opt) {
    const std::string method = "segment-subdivision";
    PrecisionScope scope(opt.precision_bits);
    const SegmentEnclosure L(pb, p.params, q.params);
    const Interval lp = L.at(0), lq = L.at(1);
    if (!lp.is_bounded() || !lq.is_bounded())
        return Mint::inconclusive(method, "the loss at an end of the segment has no finite enclosure at this precision");
    // M = max(L(P), L(Q)) lies in [m_lo, m_hi].
    const Rational m_lo = std::max(lp.lower(), lq.lower()), m_hi = std::max(lp.upper(), lq.upper());
    // Certified by a t with L(t) > m_hi + h for sure; refuted when L <= m_lo + h on every sub-segment.
    // Property on each sub-segment T: L <= m_lo + h on T. Priority: m_lo + h - sup L(T), so the sub-segments
    // where the loss may rise highest are tried first (where a certifying t is most likely).
    std::optional<std::pair<Rational, Interval>> found;
    auto try_point = [&](const Rational& t) {
        const Interval lt = L.at(t);
        if (certainly_greater(lt, m_hi + h) && (!found || lt.lower() > found->second.lower())) found.emplace(t, lt);
    };
    try_point(0);
    try_point(1);
    const Rational ceiling = m_lo + h;
    const BranchBoundResult r = branch_and_bound(
        {Box{Range{Rational(0), Rational(1)}}},
        [&](const Box& b) {
            const auto [t0, t1] = ends(b);
            try_point((t0 + t1) / 2);
            if (found) {
                BoxAssessment a;
                a.fate = BoxAssessment::Fate::refuted;  // the property fails: the barrier is certified
                return a;
            }
            LowerBound best;
            for (const Interval& e : L.loss(t0, t1)) {
                if (certainly_at_most(e, ceiling)) return settled(LowerBound{Rational(ceiling - e.upper())});
                if (e.is_bounded() && lower_than(best, LowerBound{Rational(ceiling - e.upper())}))
                    best = LowerBound{Rational(ceiling - e.upper())};
            }
            // Next to an end, a loss that falls away from that end stays below it: L <= L(end) <= M.
            if (h.sign() >= 0 && (t0.sign() == 0 || t1 == 1)) {
                if (const auto dl = L.derivative(t0, t1)) {
                    if (t0.sign() == 0 && certainly_at_most(*dl, Rational(0))) return settled(best);
                    if (t1 == 1 && certainly_at_least(*dl, Rational(0))) return settled(best);
                }
            }
            return undecided(b, best);
        },
        BranchBoundLimits{opt.max_boxes, opt.progress ? &opt.progress : nullptr, "segment subdivision", opt.deadline});
    if (found) {
        const auto& [t, lt] = *found;
        return Mint::certified(method, Object{{"t", t},
                                              {"rise_greater_than", Rational(lt.lower() - m_hi)},
                                              {"loss_at_t", enclosure_value(lt)},
                                              {"loss_at_start", enclosure_value(lp)},
                                              {"loss_at_end", enclosure_value(lq)},
                                              {"claimed_height", h},
                                              {"precision_bits", static_cast<long long>(opt.precision_bits)}});
    }
    if (r.outcome != BranchBoundResult::Outcome::proven)
        return Mint::inconclusive(method,
                                  exhausted_reason(r, opt.max_boxes,
                                                   "the loss could not be shown above or below the claimed height"),
                                  exhausted_evidence(r));
    return Mint::refuted(method, Object{{"loss_at_start", enclosure_value(lp)},
                                        {"loss_at_end", enclosure_value(lq)},
                                        {"rise_at_most", h},
                                        {"sub_segments", r.boxes},
                                        {"precision_bits", static_cast<long long>(opt.precision_bits)}});
}

}  // namespace nncert::kernel::detail
