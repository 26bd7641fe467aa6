// Claims decided by exact evaluation: loss values, loss gaps, accuracy, kink-freeness.
#include "kernel/detail/checks.hpp"
#include "kernel/detail/mint.hpp"

namespace nncert::kernel::detail {

Verdict check_loss(const Problem& pb, const Point& p, const Rational& claimed) {
    const Rational l = loss(pb, p.params);
    if (l == claimed) return Mint::certified("exact-loss", Object{{"loss", l}});
    return Mint::refuted("exact-loss", Object{{"claimed", claimed}, {"loss", l}});
}

Verdict check_gap(const Problem& pb, const Point& p, const Point& q) {
    const Rational lp = loss(pb, p.params), lq = loss(pb, q.params);
    Object ev{{"loss", lp}, {"other_loss", lq}, {"difference", Rational(lp - lq)}};
    if (lp > lq) return Mint::certified("exact-loss", std::move(ev));
    return Mint::refuted("exact-loss", std::move(ev));
}

Verdict check_accuracy(const Problem& pb, const Point& p, const Rational& claimed) {
    const AccuracyCount c = count_correct(pb, p.params);
    // A row of weight w counts w times (docs/format.md, "Row weights"): the accuracy is a fraction of W.
    const Rational acc = c.correct_weight / pb.total_weight();
    List wrong;
    for (std::size_t s : c.wrong) wrong.emplace_back(s + 1);
    Object ev{{"accuracy", acc}, {"correct", c.correct}, {"total", pb.data.size()}};
    if (has_row_weights(pb)) {
        ev.emplace_back("correct_weight", c.correct_weight);
        ev.emplace_back("total_weight", pb.total_weight());
    }
    ev.emplace_back("misclassified", Value(std::move(wrong)));
    if (acc == claimed) return Mint::certified("exact-forward", std::move(ev));
    ev.insert(ev.begin(), {"claimed", claimed});
    return Mint::refuted("exact-forward", std::move(ev));
}

Verdict check_kink_free(const Problem& pb, const Point& p) {
    const std::vector<Kink> kinks = find_kinks(pb, p.params);
    if (kinks.empty())
        return Mint::certified("exact-forward", Object{{"data_points", pb.data.size()}});
    return Mint::refuted("exact-forward", Object{{"kinks", kinks_value(pb, kinks)}});
}

}  // namespace nncert::kernel::detail
