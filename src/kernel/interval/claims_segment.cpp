// The segment claims on transcendental problems (sigmoid, tanh, softplus, bce, cross-entropy), by interval
// enclosures on sub-segments T = [t0, t1] of [0, 1] (docs/certificates.md, "Segment claims"):
//   L on T:   the loss over the box hull of theta(T), or the mean-value form L(theta(tm)) + L'(T) (T - tm);
//   L' on T:  grad L over that box hull, dotted with d = Q - P (L'(t) = grad L(theta(t)) . d).
// Both contain the true values for every t in T, so a bound shown for each sub-segment holds on [0, 1].
#include "kernel/detail/mint.hpp"
#include "kernel/interval/activation.hpp"
#include "kernel/interval/checks.hpp"
#include "kernel/interval/enclose.hpp"
#include "kernel/interval/segment_enclosure.hpp"
#include "kernel/interval/subdivision.hpp"
#include "kernel/segment/checks.hpp"
#include "kernel/segment/piecewise_loss.hpp"

#include <algorithm>

namespace nncert::kernel::detail {

namespace {

// Sub-segments tested at most, and the narrowest one split further (2^-40 of the segment).
constexpr std::size_t subdivision_budget = 1u << 16;
const Rational narrowest(1, 1099511627776LL);

Value segments_value(const std::vector<std::pair<Rational, Rational>>& segs, std::size_t limit) {
    List out;
    for (std::size_t i = 0; i < segs.size() && i < limit; ++i) out.push_back(List{segs[i].first, segs[i].second});
    return Value(std::move(out));
}

std::string undecided_reason(const SubdivisionResult& r, const std::string& what) {
    const auto& u = r.undecided.front();
    return std::to_string(r.undecided.size()) + " sub-segment(s) stayed undecided after " + std::to_string(r.tested) +
           " tests (first: t in [" + to_string(u.first) + ", " + to_string(u.second) + "]): " + what +
           "; raise the precision, or state the claim on a shorter segment";
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
    std::optional<Interval> failing_slope;
    const SubdivisionResult r = subdivide_unit_interval(
        [&](const Rational& t0, const Rational& t1) {
            const auto dl = L.derivative(t0, t1);
            if (!dl) return SubDecision::split;
            if (certainly_at_most(*dl, Rational(0))) return SubDecision::holds;
            if (certainly_positive(*dl)) {
                failing_slope = *dl;
                return SubDecision::fails;
            }
            return SubDecision::split;
        },
        subdivision_budget, narrowest);
    if (r.failing) {
        // L' > 0 on all of [t1, t2], so L(t2) - L(t1) = L'(xi) (t2 - t1) > 0 (mean value theorem).
        const auto& [t1, t2] = *r.failing;
        return Mint::refuted(method, Object{{"t1", t1},
                                            {"t2", t2},
                                            {"derivative_between", enclosure_value(*failing_slope)},
                                            {"loss_at_t1", enclosure_value(L.at(t1))},
                                            {"loss_at_t2", enclosure_value(L.at(t2))},
                                            {"precision_bits", static_cast<long long>(opt.precision_bits)}});
    }
    if (!r.all_hold)
        return Mint::inconclusive(method, undecided_reason(r, "the derivative along the segment could not be shown <= 0 or > 0"),
                                  Object{{"undecided", segments_value(r.undecided, 8)}});
    return Mint::certified(method, Object{{"loss_at_P", enclosure_value(lp)},
                                          {"loss_at_Q", enclosure_value(lq)},
                                          {"sub_segments", r.tested},
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
    std::optional<std::pair<Rational, Interval>> found;
    auto try_point = [&](const Rational& t) {
        const Interval lt = L.at(t);
        if (certainly_greater(lt, m_hi + h) && (!found || lt.lower() > found->second.lower())) found.emplace(t, lt);
    };
    try_point(0);
    try_point(1);
    const SubdivisionResult r = subdivide_unit_interval(
        [&](const Rational& t0, const Rational& t1) {
            try_point((t0 + t1) / 2);
            if (found) return SubDecision::fails;
            for (const Interval& e : L.loss(t0, t1))
                if (certainly_at_most(e, m_lo + h)) return SubDecision::holds;
            // Next to an end, a loss that falls away from that end stays below it: L <= L(end) <= M.
            if (h.sign() >= 0 && (t0.sign() == 0 || t1 == 1)) {
                if (const auto dl = L.derivative(t0, t1)) {
                    if (t0.sign() == 0 && certainly_at_most(*dl, Rational(0))) return SubDecision::holds;
                    if (t1 == 1 && certainly_at_least(*dl, Rational(0))) return SubDecision::holds;
                }
            }
            return SubDecision::split;
        },
        subdivision_budget, narrowest);
    if (found) {
        const auto& [t, lt] = *found;
        return Mint::certified(method, Object{{"t", t},
                                              {"rise_greater_than", Rational(lt.lower() - m_hi)},
                                              {"loss_at_t", enclosure_value(lt)},
                                              {"loss_at_P", enclosure_value(lp)},
                                              {"loss_at_Q", enclosure_value(lq)},
                                              {"claimed_height", h},
                                              {"precision_bits", static_cast<long long>(opt.precision_bits)}});
    }
    if (!r.all_hold)
        return Mint::inconclusive(method, undecided_reason(r, "the loss could not be shown above or below the claimed height"),
                                  Object{{"undecided", segments_value(r.undecided, 8)}});
    return Mint::refuted(method, Object{{"loss_at_P", enclosure_value(lp)},
                                        {"loss_at_Q", enclosure_value(lq)},
                                        {"rise_at_most", h},
                                        {"sub_segments", r.tested},
                                        {"precision_bits", static_cast<long long>(opt.precision_bits)}});
}

}  // namespace nncert::kernel::detail
