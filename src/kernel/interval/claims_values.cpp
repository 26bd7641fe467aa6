// Value claims over a box: loss in [a, b], loss gap to a point Q, accuracy constant on the box.
// Assumes check_interval opened the PrecisionScope; exact problems evaluate the centre exactly.
#include "kernel/detail/mint.hpp"
#include "kernel/interval/checks.hpp"
#include "kernel/interval/enclose.hpp"
#include "kernel/interval/one_layer.hpp"
#include "kernel/limits.hpp"
#include "kernel/merge_units.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace nncert::kernel::detail {

namespace {

struct Range {
    Rational lo, hi;
};

// An enclosure of the loss at one rational point, at the current precision. Identical hidden units are merged
// first (merge_units.hpp: the network function at this point is unchanged, so the data term is the same real
// number), which lets exactly cancelling units cancel in rationals instead of leaving an interval difference
// of two huge enclosures. The weight decay depends on the parameters themselves, not only on the function, so
// it is computed exactly from the original parameters and added. `merged` receives the number of units merged.
Interval point_loss_enclosure(const Problem& pb, const Vector& params, std::size_t& merged) {
    MergedNetwork m = merge_identical_units(pb.net, params);
    merged = m.merged;
    if (m.merged == 0) return loss_enclosure(pb, point_box(params));
    Problem reduced{std::move(m.net), pb.data, pb.loss, Rational(0), pb.classify};
    Interval l = loss_enclosure(reduced, point_box(m.params));
    if (!is_zero(pb.weight_decay)) {
        Rational sq(0);
        for (const Rational& t : params) sq += t * t;
        l += Interval(pb.weight_decay * sq);
    }
    return l;
}

// The loss at an exact point: exactly when the problem is exact, else a tight enclosure.
std::optional<Range> point_loss(const Problem& pb, const Vector& params) {
    if (exact_problem(pb)) {
        const Rational l = loss(pb, params);
        return Range{l, l};
    }
    std::size_t merged = 0;
    const Interval l = point_loss_enclosure(pb, params, merged);
    if (!l.is_bounded()) return std::nullopt;
    return Range{l.lower(), l.upper()};
}

// Cost guard of the precision retries below. One loss evaluation does about ops = data points x (parameters +
// units) products and elementary functions, each costing about (bits / 64)^1.5 times one at 64 bits (measured
// on softplus networks between 1024 and 16384 bits: the cost grows like bits^1.3 to bits^1.7). A retry is made
// only while ops x (bits / 64)^1.5 <= 1.6e7: about 5 s for the largest retry allowed (docs/limits.md).
constexpr double retry_work_budget = 1.6e7;

// The next precision for a point enclosure that did not decide, or 0 for none (`why` then says why): enough
// bits to bring the width (2^lw) to about 2^-bits, at least twice the current precision, at most
// limits::max_precision_bits and within the work budget. Rounding errors shrink like 2^-precision, so the width
// does too. Only bounded enclosures are retried: a NaN or an overflow is not a matter of width.
unsigned next_point_precision(const Problem& pb, const Interval& e, unsigned bits, std::string& why) {
    if (!e.is_bounded()) {
        why = "the enclosure is not bounded (an overflow or an undefined operation), which precision does not fix";
        return 0;
    }
    if (bits >= limits::max_precision_bits) {
        why = "the precision limit of " + std::to_string(limits::max_precision_bits) + " bits is reached";
        return 0;
    }
    mpfr_t w;
    mpfr_init2(w, 64);
    mpfr_sub(w, e.hi(), e.lo(), MPFR_RNDU);
    const long lw = mpfr_zero_p(w) ? 0 : static_cast<long>(mpfr_get_exp(w));  // width < 2^lw
    mpfr_clear(w);
    const long want = 2L * static_cast<long>(bits) + std::max(lw, 0L);
    const unsigned next = static_cast<unsigned>(std::min<long>(want, limits::max_precision_bits));
    std::size_t units = 0;
    for (const Layer& l : pb.net.layers) units += l.width;
    const double ops = static_cast<double>(pb.data.size()) * static_cast<double>(pb.net.num_params() + units);
    if (ops * std::pow(next / 64.0, 1.5) > retry_work_budget) {
        why = "a retry at " + std::to_string(next) +
              " bits would exceed the work budget of automatic retries (docs/limits.md); a `precision` statement "
              "or --precision sets a higher working precision";
        return 0;
    }
    return next;
}

Value range_value(const Range& r) { return Object{{"lower", r.lo}, {"upper", r.hi}}; }

}  // namespace

BoxClass classify_enclosure(const Interval& f, const Rational& y, const Rational& t) {
    const int actual = Rational(y - t).sign();
    if (actual == 0) return BoxClass::wrong;  // a target on the threshold is never credited
    if (actual > 0) {
        if (certainly_greater(f, t)) return BoxClass::correct;
        if (certainly_at_most(f, t)) return BoxClass::wrong;
    } else {
        if (certainly_less(f, t)) return BoxClass::correct;
        if (certainly_at_least(f, t)) return BoxClass::wrong;
    }
    return BoxClass::unknown;
}

BoxClass classify_binary64(const DInterval& f, int actual, const DInterval& td) {
    if (actual == 0) return BoxClass::wrong;  // a target on the threshold is never credited
    if (actual > 0) {
        if (f.lo() > td.hi()) return BoxClass::correct;
        if (f.hi() <= td.lo()) return BoxClass::wrong;
    } else {
        if (f.hi() < td.lo()) return BoxClass::correct;
        if (f.lo() >= td.hi()) return BoxClass::wrong;
    }
    return BoxClass::unknown;
}

std::optional<std::pair<double, double>> preimage_bounds(const Activation& act, const Rational& t) {
    if (act.kind != ActivationKind::sigmoid && act.kind != ActivationKind::tanh) return std::nullopt;
    const Rational floor_f = act.kind == ActivationKind::sigmoid ? Rational(0) : Rational(-1);
    if (!(t > floor_f && t < 1)) return std::nullopt;
    const Interval ti(t);
    const std::optional<Rational> lo = one_layer_detail::inverse_bound(act.kind, ti.lo(), false);
    const std::optional<Rational> hi = one_layer_detail::inverse_bound(act.kind, ti.hi(), true);
    if (!lo || !hi) return std::nullopt;
    return std::make_pair(DInterval(*lo).lo(), DInterval(*hi).hi());
}

BoxClass classify_preimage(const DInterval& z, int actual, const std::pair<double, double>& zt) {
    if (actual == 0) return BoxClass::wrong;
    if (actual > 0) {
        if (z.lo() > zt.second) return BoxClass::correct;
        if (z.hi() <= zt.first) return BoxClass::wrong;
    } else {
        if (z.hi() < zt.first) return BoxClass::correct;
        if (z.lo() >= zt.second) return BoxClass::wrong;
    }
    return BoxClass::unknown;
}

namespace {

// `loss P in [a, b]` on a transcendental problem (or `within 0`): the box is the point P, so the enclosure
// contains the one real number L(P) and is wide only through rounding. Certified when the enclosure lies in
// [a, b], refuted when it lies wholly outside it (L(P) is in the enclosure); otherwise retried at higher
// precisions (next_point_precision) while that is allowed. Every enclosure at every precision contains L(P),
// so the verdict holds whichever precision decided it; the evidence names it and the ones tried before.
Verdict check_loss_at_point(const Problem& pb, const Point& p, const std::optional<Rational>& lower,
                            const std::optional<Rational>& upper, const Options& opt, Object ev) {
    const std::string method = "interval-loss";
    std::size_t merged = 0;
    Interval e = point_loss_enclosure(pb, p.params, merged);
    unsigned bits = opt.precision_bits;
    List tried;
    auto inside = [&](const Interval& x) {
        return (!lower || certainly_at_least(x, *lower)) && (!upper || certainly_at_most(x, *upper));
    };
    auto outside = [&](const Interval& x) {
        return (lower && certainly_less(x, *lower)) || (upper && certainly_greater(x, *upper));
    };
    std::string why_stopped;
    while (!inside(e) && !outside(e)) {
        const unsigned next = next_point_precision(pb, e, bits, why_stopped);
        if (next == 0) break;
        tried.emplace_back(static_cast<long long>(bits));
        PrecisionScope scope(next);  // e keeps its own precision after the scope ends (Interval's copy rule)
        e = point_loss_enclosure(pb, p.params, merged);
        bits = next;
    }
    for (auto& [key, value] : ev)
        if (key == "precision_bits") value = Value(static_cast<long long>(bits));
    if (!tried.empty()) ev.emplace_back("precision_bits_tried_before", Value(std::move(tried)));
    if (merged > 0) ev.emplace_back("identical_units_merged", merged);
    ev.emplace_back("loss_at_point", enclosure_value(e));
    if (inside(e)) return Mint::certified(method, Value(std::move(ev)));
    if (outside(e)) return Mint::refuted(method, Value(std::move(ev)));
    return Mint::inconclusive(method,
                              "the loss enclosure at the point is neither inside nor outside the claimed range at " +
                                  std::to_string(bits) + " bits of precision, and no higher one is tried: " +
                                  why_stopped + " (or the loss lies on an end of the range)",
                              Value(std::move(ev)));
}

}  // namespace

Verdict check_loss_box(const Problem& pb, const Point& p, const std::optional<Rational>& r,
                       const std::optional<Rational>& lower, const std::optional<Rational>& upper,
                       const Options& opt) {
    if (!lower && !upper) throw std::invalid_argument("a loss range claim needs a lower or an upper end");
    const std::string method = r ? "interval-loss" : "exact-loss";
    Object ev = box_evidence(p, r, opt, "the loss over the box against the claimed range");
    if (lower) ev.emplace_back("claimed_lower", *lower);
    if (upper) ev.emplace_back("claimed_upper", *upper);
    if (lower && upper && *upper < *lower) return Mint::refuted(method, Value(std::move(ev)));  // empty range
    if (!r) {  // exact problem, no box: the exact loss decides
        const Rational l = loss(pb, p.params);
        ev.emplace_back("loss", l);
        if ((!lower || l >= *lower) && (!upper || l <= *upper)) return Mint::certified(method, Value(std::move(ev)));
        return Mint::refuted(method, Value(std::move(ev)));
    }
    if (is_zero(*r)) return check_loss_at_point(pb, p, lower, upper, opt, std::move(ev));
    const Interval e = loss_enclosure(pb, box_around(p.params, *r));
    ev.emplace_back("loss_over_box", enclosure_value(e));
    if ((!lower || certainly_at_least(e, *lower)) && (!upper || certainly_at_most(e, *upper)))
        return Mint::certified(method, Value(std::move(ev)));
    if (const auto c = point_loss(pb, p.params)) {
        ev.emplace_back("loss_at_centre", range_value(*c));
        if ((lower && c->hi < *lower) || (upper && c->lo > *upper)) return Mint::refuted(method, Value(std::move(ev)));
    }
    return Mint::inconclusive(method,
                              "the loss enclosure over the box is not inside the claimed range: shrink the "
                              "radius or raise the precision (or the claim is false near the box's edge)",
                              Value(std::move(ev)));
}

Verdict check_gap_box(const Problem& pb, const Point& p, const Rational& r, const Point& q, const Options& opt) {
    const std::string method = "interval-loss";
    Object ev = box_evidence(p, r, opt, "inf of the loss over the box against the loss at the other point");
    const Interval e = loss_enclosure(pb, box_around(p.params, r));
    ev.emplace_back("loss_over_box", enclosure_value(e));
    const std::optional<Range> lq = point_loss(pb, q.params);
    if (!lq)
        return Mint::inconclusive(method, unenclosed_loss_reason(pb, q.params, q.name), Value(std::move(ev)));
    ev.emplace_back("other", q.name);
    ev.emplace_back("other_loss", range_value(*lq));
    if (certainly_greater(e, lq->hi)) return Mint::certified(method, Value(std::move(ev)));
    if (const auto c = point_loss(pb, p.params)) {
        ev.emplace_back("loss_at_centre", range_value(*c));
        if (c->hi <= lq->lo) return Mint::refuted(method, Value(std::move(ev)));  // L(P) <= L(Q) at P itself
    }
    return Mint::inconclusive(method,
                              "the loss over the box and the loss at " + q.name +
                                  " overlap: shrink the radius or raise the precision",
                              Value(std::move(ev)));
}

Verdict check_accuracy_box(const Problem& pb, const Point& p, const Rational& r, const Rational& claimed,
                           const Options& opt) {
    if (!pb.classify) throw std::invalid_argument("accuracy needs a classify rule");
    if (pb.net.output_dim() != 1) throw std::invalid_argument("accuracy needs a scalar output");
    const std::string method = "interval-forward";
    const Rational& t = pb.classify->threshold;
    // Count over a set of parameters (the box, or the centre) the points whose class is known there; a row of
    // weight w counts w times (docs/format.md, "Row weights"), so the accuracy is the correct weight over W.
    auto count = [&](const IVector& params, Rational& correct, List& wrong, List& unknown) {
        for (std::size_t s = 0; s < pb.data.size(); ++s) {
            const Interval f = outputs_enclosure(pb.net, params, pb.data[s].x)[0];
            switch (classify_enclosure(f, pb.data[s].y[0], t)) {
                case BoxClass::correct: correct += pb.data[s].weight; break;
                case BoxClass::wrong: wrong.emplace_back(s + 1); break;
                case BoxClass::unknown: unknown.emplace_back(s + 1); break;
            }
        }
    };
    const Rational total = pb.total_weight();
    Rational correct = 0;
    List wrong, unknown;
    count(box_around(p.params, r), correct, wrong, unknown);
    Object ev = box_evidence(p, r, opt, "every data point's output over the box against the threshold");
    ev.emplace_back("claimed", claimed);
    if (unknown.empty()) {
        const Rational acc = correct / total;
        ev.emplace_back("accuracy", acc);
        if (has_row_weights(pb)) {
            ev.emplace_back("correct_weight", correct);
            ev.emplace_back("total_weight", total);
        }
        ev.emplace_back("misclassified", Value(std::move(wrong)));
        if (acc == claimed) return Mint::certified(method, Value(std::move(ev)));
        return Mint::refuted(method, Value(std::move(ev)));  // the accuracy is this value on the whole box
    }
    ev.emplace_back("undecided_data_points", Value(std::move(unknown)));
    // The claim says the accuracy is q everywhere on the box, in particular at the centre.
    Rational c_correct = 0;
    List c_wrong, c_unknown;
    count(point_box(p.params), c_correct, c_wrong, c_unknown);
    if (pb.net.is_exact()) {
        c_correct = count_correct(pb, p.params).correct_weight;
        c_unknown.clear();
    }
    const Rational c_acc = c_correct / total;
    if (c_unknown.empty() && c_acc != claimed) {
        ev.emplace_back("accuracy_at_centre", c_acc);
        return Mint::refuted(method, Value(std::move(ev)));
    }
    return Mint::inconclusive(method,
                              "some data points' output intervals over the box contain the threshold, so their "
                              "class may change inside the box: shrink the radius or raise the precision",
                              Value(std::move(ev)));
}

}  // namespace nncert::kernel::detail
