// Value claims over a box: loss in [a, b], loss gap to a point Q, accuracy constant on the box.
// Assumes check_interval opened the PrecisionScope; exact problems evaluate the centre exactly.
#include "kernel/detail/mint.hpp"
#include "kernel/interval/checks.hpp"
#include "kernel/interval/enclose.hpp"

namespace nncert::kernel::detail {

namespace {

struct Range {
    Rational lo, hi;
};

// The loss at an exact point: exactly when the problem is exact, else a tight enclosure.
std::optional<Range> point_loss(const Problem& pb, const Vector& params) {
    if (exact_problem(pb)) {
        const Rational l = loss(pb, params);
        return Range{l, l};
    }
    const Interval l = loss_enclosure(pb, point_box(params));
    if (!l.is_bounded()) return std::nullopt;
    return Range{l.lower(), l.upper()};
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
        return Mint::inconclusive(method, "the loss at " + q.name + " could not be enclosed: raise the precision",
                                  Value(std::move(ev)));
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
    // Count over a set of parameters (the box, or the centre) the points whose class is known there.
    auto count = [&](const IVector& params, std::size_t& correct, List& wrong, List& unknown) {
        for (std::size_t s = 0; s < pb.data.size(); ++s) {
            const Interval f = outputs_enclosure(pb.net, params, pb.data[s].x)[0];
            switch (classify_enclosure(f, pb.data[s].y[0], t)) {
                case BoxClass::correct: ++correct; break;
                case BoxClass::wrong: wrong.emplace_back(s + 1); break;
                case BoxClass::unknown: unknown.emplace_back(s + 1); break;
            }
        }
    };
    std::size_t correct = 0;
    List wrong, unknown;
    count(box_around(p.params, r), correct, wrong, unknown);
    Object ev = box_evidence(p, r, opt, "every data point's output over the box against the threshold");
    ev.emplace_back("claimed", claimed);
    if (unknown.empty()) {
        const Rational acc(Integer(correct), Integer(pb.data.size()));
        ev.emplace_back("accuracy", acc);
        ev.emplace_back("misclassified", Value(std::move(wrong)));
        if (acc == claimed) return Mint::certified(method, Value(std::move(ev)));
        return Mint::refuted(method, Value(std::move(ev)));  // the accuracy is this value on the whole box
    }
    ev.emplace_back("undecided_data_points", Value(std::move(unknown)));
    // The claim says the accuracy is k/n everywhere on the box, in particular at the centre.
    std::size_t c_correct = 0;
    List c_wrong, c_unknown;
    count(point_box(p.params), c_correct, c_wrong, c_unknown);
    if (pb.net.is_exact()) {
        c_correct = count_correct(pb, p.params).correct;
        c_unknown.clear();
    }
    const Rational c_acc(Integer(c_correct), Integer(pb.data.size()));
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
