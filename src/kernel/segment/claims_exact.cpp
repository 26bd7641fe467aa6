// The segment claims on exact problems, decided on the exact piecewise polynomial L(t) = L(P + t (Q - P)):
// a polynomial g is >= 0 on a piece exactly when it is positive at a rational point between each pair of
// consecutive roots of g in the piece (g keeps its sign between roots). Certificates and refutations are
// re-checked with the exact loss at the rational points they name (docs/certificates.md, "Segment claims").
#include "kernel/detail/mint.hpp"
#include "kernel/exact.hpp"
#include "kernel/segment/checks.hpp"
#include "kernel/segment/piecewise_loss.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>

namespace nncert::kernel::detail {

namespace {

// A rational s strictly inside (lo, hi) with g(s) < 0, or nothing when g >= 0 on all of [lo, hi].
std::optional<Rational> negative_point(const Polynomial& g, const RealRoot& lo, const RealRoot& hi) {
    if (g.is_zero()) return std::nullopt;
    std::vector<RealRoot> cuts{lo};
    for (RealRoot& r : roots_between(g, lo, hi)) cuts.push_back(std::move(r));
    cuts.push_back(hi);
    for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
        const Rational s = rational_between(cuts[i], cuts[i + 1]);
        if (g.sign_at(s) < 0) return s;
    }
    return std::nullopt;
}

// A breakpoint for the evidence: exact when rational, else an enclosure of width <= 2^-40.
Value breakpoint_value(RealRoot r) {
    if (r.is_rational()) return Value(r.lower());
    r.refine_to(Rational(1, 1099511627776LL));
    if (r.is_rational()) return Value(r.lower());
    return Value(Object{{"lower", r.lower()}, {"upper", r.upper()}});
}

Value breakpoints_value(const SegmentLoss& s) {
    List out;
    for (std::size_t i = 1; i < s.pieces.size(); ++i) out.push_back(breakpoint_value(s.pieces[i].lo));
    return Value(std::move(out));
}

std::string incomplete_reason(std::size_t max_pieces) {
    return "the segment crosses more than " + std::to_string(max_pieces) +
           " activation patterns (pieces of the piecewise-polynomial loss); raise --max-patterns";
}

}  // namespace

Verdict check_monotone_exact(const Problem& pb, const Point& p, const Point& q, const Options& opt) {
    const std::string method = "segment-polynomial";
    const Rational lp = loss(pb, p.params), lq = loss(pb, q.params);
    // The quickest refutation: the far end is higher.
    if (lq > lp)
        return Mint::refuted(method, Object{{"t1", Rational(0)}, {"t2", Rational(1)}, {"loss_at_t1", lp}, {"loss_at_t2", lq}});
    const SegmentLoss seg = loss_along_segment(pb, p.params, q.params, opt.max_patterns);
    for (const LossPiece& piece : seg.pieces) {
        // L non-increasing on the piece <=> -L' >= 0 there.
        const auto s = negative_point(-piece.loss.derivative(), piece.lo, piece.hi);
        if (!s) continue;
        // L'(s) > 0: L increases just after s. Halve the step until the exact loss shows it.
        const Rational bound = rational_between(RealRoot::rational(*s), piece.hi);
        Rational step = bound - *s;
        const Rational l1 = loss(pb, point_on_segment(p.params, q.params, *s));
        for (int halvings = 0;; ++halvings) {
            if (halvings > 4096) throw std::logic_error("monotone: no increase found after a positive derivative");
            const Rational t2 = *s + step;
            const Rational l2 = loss(pb, point_on_segment(p.params, q.params, t2));
            if (l2 > l1)
                return Mint::refuted(method, Object{{"t1", *s}, {"t2", t2}, {"loss_at_t1", l1}, {"loss_at_t2", l2}});
            step /= 2;
        }
    }
    if (!seg.complete) return Mint::inconclusive(method, incomplete_reason(opt.max_patterns));
    return Mint::certified(method, Object{{"loss_at_start", lp},
                                          {"loss_at_end", lq},
                                          {"pieces", seg.pieces.size()},
                                          {"breakpoints", breakpoints_value(seg)}});
}

Verdict check_barrier_exact(const Problem& pb, const Point& p, const Point& q, const Rational& h, const Options& opt) {
    const std::string method = "segment-polynomial";
    const Rational lp = loss(pb, p.params), lq = loss(pb, q.params);
    const Rational top = std::max(lp, lq);
    const Rational target = top + h;  // claimed: L(t) > target somewhere
    const SegmentLoss seg = loss_along_segment(pb, p.params, q.params, opt.max_patterns);
    // Where L - target > 0 on some piece, certify with the best rational t found: a point where g = target - L
    // is negative, or a rational close to a critical point of the piece (the maximum sits at one or at an end).
    std::optional<Rational> best_t;
    Rational best_loss;
    auto consider = [&](const Rational& t) {
        if (t < 0 || t > 1) return;
        const Rational l = loss(pb, point_on_segment(p.params, q.params, t));
        if (l > target && (!best_t || l > best_loss)) {
            best_t = t;
            best_loss = l;
        }
    };
    for (const Rational& t : {Rational(0), Rational(1)}) consider(t);  // h < 0: an end already rises above
    for (const LossPiece& piece : seg.pieces)
        if (const auto s = negative_point(Polynomial(target) - piece.loss, piece.lo, piece.hi)) consider(*s);
    if (best_t) {
        for (const LossPiece& piece : seg.pieces) {
            const Polynomial d = piece.loss.derivative();
            if (d.is_zero()) continue;
            for (RealRoot r : roots_between(d, piece.lo, piece.hi)) {
                r.refine_to(Rational(1, 1099511627776LL));
                consider((r.lower() + r.upper()) / 2);
            }
        }
        return Mint::certified(method, Object{{"t", *best_t},
                                              {"rise", Rational(best_loss - top)},
                                              {"loss_at_t", best_loss},
                                              {"loss_at_start", lp},
                                              {"loss_at_end", lq},
                                              {"claimed_height", h}});
    }
    if (!seg.complete) return Mint::inconclusive(method, incomplete_reason(opt.max_patterns));
    // target - L >= 0 on every piece: the loss never rises more than h above the larger end.
    return Mint::refuted(method, Object{{"loss_at_start", lp},
                                        {"loss_at_end", lq},
                                        {"rise_at_most", h},
                                        {"pieces", seg.pieces.size()},
                                        {"breakpoints", breakpoints_value(seg)}});
}

}  // namespace nncert::kernel::detail
