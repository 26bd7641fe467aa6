// `accuracy P in R <= q`: every theta in R with L(theta) <= L(P) (the sublevel set descent from P cannot leave
// when R is a trap) has accuracy at most q: data points of total weight at most q W classified correctly (a row of
// weight w counts w times; docs/format.md, "Row weights"). Assumes check_interval opened the scope.
#include "kernel/detail/mint.hpp"
#include "kernel/exact.hpp"
#include "kernel/autodiff.hpp"
#include "kernel/interval/activation.hpp"
#include "kernel/interval/checks.hpp"
#include "kernel/interval/loss_bound.hpp"
#include "kernel/interval/one_layer.hpp"
#include "kernel/interval/one_layer_binary64.hpp"
#include "kernel/ball/dinterval.hpp"
#include "kernel/interval/ray_chart.hpp"
#include "kernel/interval/trap.hpp"
#include "kernel/output_loss.hpp"

#include <stdexcept>

namespace nncert::kernel::detail {

namespace {

// The total weight of the data points certainly correct, and certainly wrong, on a set of parameters.
struct Counts {
    Rational correct = 0, wrong = 0;
};

Counts count(const Problem& pb, const IVector& params) {
    Counts c;
    for (const Sample& s : pb.data) {
        switch (classify_enclosure(outputs_enclosure(pb.net, params, s.x)[0], s.y[0], pb.classify->threshold)) {
            case BoxClass::correct: c.correct += s.weight; break;
            case BoxClass::wrong: c.wrong += s.weight; break;
            case BoxClass::unknown: break;
        }
    }
    return c;
}

// The weight of the correctly classified points at an exact point: exactly on an exact network, else of those
// certainly correct (a lower bound of the true weight).
Rational correct_at(const Problem& pb, const Vector& theta) {
    if (pb.net.is_exact()) return count_correct(pb, theta).correct_weight;
    return count(pb, point_box(theta)).correct;
}

// The evidence keys correct_at_point and witness_correct of report format 1 (which never renames or removes a
// key; docs/format.md): the weight of the correct rows, a whole number of rows as before when every weight is 1
// (a JSON integer), else a fraction; beside them accuracy_at_point and witness_accuracy give the accuracy.
Value correct_value(const Problem& pb, const Rational& correct) {
    if (!has_row_weights(pb)) return Value(static_cast<std::size_t>(std::stoull(numerator(correct).str())));
    return Value(correct);
}

// What a proof of `accuracy P in R <= q` shows is misclassified: with unit weights a whole number of rows.
std::string misclassified_text(const Problem& pb, const Rational& need_wrong, const Rational& total) {
    if (has_row_weights(pb))
        return "data points of total weight at least " + to_string(need_wrong) + " of " + to_string(total);
    const Integer rows = need_wrong.sign() <= 0 ? Integer(0)
                                                : Integer((numerator(need_wrong) + denominator(need_wrong) - 1) /
                                                          denominator(need_wrong));
    return "at least " + rows.str() + " of " + std::to_string(pb.data.size()) + " data points";
}

// The output layer searched inside one box (docs/certificates.md, "sublevel-accuracy", "The output layer inside a
// box"; weight coordinates, or a chart box with its charts). A parameter vector of the box is (theta_1, u): theta_1
// the layers before the output layer, u its weights and bias (range V, bounded). Data point i's output is
// act(u . (h_i, 1)) with h_i the last hidden layer's outputs, which depend on theta_1 only and lie in the box's
// enclosure H_i whatever u is. So a sub-box v of V on which, for every h_i in H_i, weight >= need_wrong is certainly
// wrong, or the loss is certainly > L(P)+, holds no point of the box in the sublevel set; a branch and bound over V
// (within `limits`: nested_search_limits) that settles every part settles the box.
class OutputLayerSearch {
public:
    // Nothing unless the network has a hidden layer and one output unit.
    static std::optional<OutputLayerSearch> of(const Problem& pb) {
        if (pb.net.layers.size() < 2 || pb.net.output_dim() != 1) return std::nullopt;
        return OutputLayerSearch(pb);
    }

    // True when the search settles every part of V: no point of the box is in the sublevel set with weight
    // < need_wrong misclassified.
    bool settles(const std::vector<RayChart>& charts, const Box& box, const Rational& need_wrong,
                 const Rational& loss_hi, const BranchBoundLimits& limits) const {
        const Box v(box.begin() + static_cast<std::ptrdiff_t>(first_), box.end());
        for (const Range& r : v)
            if (!r.bounded()) return false;
        const Box inner(box.begin(), box.begin() + static_cast<std::ptrdiff_t>(first_));
        const std::vector<IVector> h = chart_outputs(hidden_, charts, inner);
        const Problem& pb = *pb_;
        const Activation& act = pb.net.layers.back().activation;
        const Rational scale = loss_scale(pb);
        const bool with_loss = is_zero(pb.weight_decay);
        const std::size_t m = pb.net.fan_in(pb.net.layers.size() - 1);
        const bool bias = pb.net.layers.back().bias;
        const bool through_z = through_preactivation(pb.loss);
        // The loss over u in `u` (an enclosure of each coordinate) with every h_i in H_i, the weight of the points
        // certainly wrong there, and (with `grad`) an enclosure of dL/du over the same set.
        const auto evaluate = [&](const IVector& u, Rational* wrong, IVector* grad) {
            Interval loss = Interval(Rational(0));
            std::vector<Interval> f(1), z(1), du;
            if (grad) grad->assign(u.size(), Interval(Rational(0)));
            for (std::size_t i = 0; i < pb.data.size(); ++i) {
                const Sample& s = pb.data[i];
                z[0] = bias ? u[m] : Interval(Rational(0));
                for (std::size_t j = 0; j < m; ++j) add_product(z[0], u[j], h[i][j]);
                f[0] = activate(act, z[0], 0);
                if (wrong && classify_enclosure(f[0], s.y[0], pb.classify->threshold) == BoxClass::wrong)
                    *wrong += s.weight;
                if (!with_loss) continue;
                Interval li = point_loss(pb.loss, f, z, s.y, du);
                if (s.weight != 1) li = li * Interval(s.weight);
                loss += li;
                if (!grad) continue;
                Interval dz = through_z ? du[0] : Interval(du[0] * activate(act, z[0], 1));
                if (s.weight != 1) dz = dz * Interval(s.weight);
                for (std::size_t j = 0; j < m; ++j) add_product((*grad)[j], dz, h[i][j]);
                if (bias) (*grad)[m] += dz;
            }
            if (scale != 1) {
                loss = loss * Interval(scale);
                if (grad)
                    for (Interval& g : *grad) g = g * Interval(scale);
            }
            return loss;
        };
        const BoxAssessor assess = [&](const Box& part) {
            BoxAssessment a;
            const IVector u = enclose(part);
            Rational wrong = 0;
            IVector g;
            Interval loss;
            try {
                loss = evaluate(u, &wrong, with_loss ? &g : nullptr);
            } catch (const KinkStraddled&) {  // a relu output straddling its kink: no derivative, no mean-value form
                g.clear();
                wrong = 0;
                loss = evaluate(u, &wrong, nullptr);
            }
            if (wrong >= need_wrong) {
                a.fate = BoxAssessment::Fate::settled;
                return a;
            }
            if (!with_loss) return a;
            // The mean-value form in u: for each h (fixed in its enclosure), L(h, u) = L(h, c) + dL/du(h, xi) (u - c)
            // with xi on the segment from c to u, inside the part.
            if (!certainly_greater(loss, loss_hi) && g.size() == u.size()) {
                const Vector c = sample(part);
                IVector ci(c.size());
                for (std::size_t k = 0; k < c.size(); ++k) ci[k] = Interval(c[k]);
                Interval mv = evaluate(ci, nullptr, nullptr);
                for (std::size_t k = 0; k < c.size(); ++k) mv += g[k] * (u[k] - ci[k]);
                loss = meet_enclosures(loss, mv);
            }
            a.bound = LowerBound::of(loss);
            if (certainly_greater(loss, loss_hi)) a.fate = BoxAssessment::Fate::settled;
            return a;
        };
        const BranchBoundResult r = branch_and_bound({v}, assess, limits);
        return r.outcome == BranchBoundResult::Outcome::proven;
    }

    // The same search on a chart box, with the loss part taken from the output-layer reduction (ray_chart.hpp,
    // output_reduction_problem; docs/certificates.md, "sublevel-accuracy", "Classes and the reduction"): a part v of
    // V is settled when weight >= need_wrong is certainly wrong on v x H (as above), or when the reduced loss L',
    // with L(theta) >= L'(u(theta)) on the box's image, is certainly > loss_hi on v (its one-layer bound and
    // contraction; a contraction's cut-off parts have L' > loss_hi). False when the reduction does not apply.
    // `open`: the parts of V the chart loss assessor's reduction left open on this box (open_output_parts; outside
    // them L > loss_hi on the box), or nothing for all of V; only they are searched.
    bool settles_reduced(const std::vector<RayChart>& charts, const Box& box, const Rational& need_wrong,
                         const Rational& loss_hi, const BranchBoundLimits& limits,
                         const std::optional<std::vector<Box>>& open) const {
        const Problem& pb = *pb_;
        for (const RayChart& c : charts)
            if (c.layer + 1 >= pb.net.layers.size()) return false;  // V must be in weight coordinates
        const Box v(box.begin() + static_cast<std::ptrdiff_t>(first_), box.end());
        for (const Range& r : v)
            if (!r.bounded()) return false;
        std::vector<Box> roots;
        if (!open)
            roots.push_back(v);
        else
            for (const Box& o : *open)
                if (std::optional<Box> m = meet(o, v)) roots.push_back(std::move(*m));
        if (roots.empty()) return true;  // L > loss_hi wherever u(theta) lies
        const std::optional<Problem> red = output_reduction_problem(pb, charts, box);
        if (!red) return false;
        const Box inner(box.begin(), box.begin() + static_cast<std::ptrdiff_t>(first_));
        const std::vector<IVector> h = chart_outputs(hidden_, charts, inner);
        const Activation& act = pb.net.layers.back().activation;
        const std::size_t m = pb.net.fan_in(pb.net.layers.size() - 1);
        const bool bias = pb.net.layers.back().bias;
        const auto wrong_at = [&](const IVector& u) {
            Rational wrong = 0;
            for (std::size_t i = 0; i < pb.data.size(); ++i) {
                Interval z = bias ? u[m] : Interval(Rational(0));
                for (std::size_t j = 0; j < m; ++j) add_product(z, u[j], h[i][j]);
                if (classify_enclosure(activate(act, z, 0), pb.data[i].y[0], pb.classify->threshold) ==
                    BoxClass::wrong)
                    wrong += pb.data[i].weight;
            }
            return wrong;
        };
        // A point u of a part searched where neither test can hold (fewer wrong over {u} x H, and L'(u) <= loss_hi)
        // lies in a part of every search that stays open (an enclosure over a part holding u contains the one at u):
        // the first part's sample point and a grid on V are tried first (a heuristic: it only saves the searches that
        // would fail).
        {
            std::vector<Vector> tries{sample(roots.front())};
            const std::size_t dims = v.size();
            constexpr std::size_t grid = 3;  // per coordinate: both ends and the middle
            std::size_t count = 1;
            for (std::size_t k = 0; k < dims && count <= 256; ++k) count *= grid;
            if (count <= 256)
                for (std::size_t idx = 0; idx < count; ++idx) {
                    Vector c(dims);
                    std::size_t rest = idx;
                    for (std::size_t k = 0; k < dims; ++k, rest /= grid)
                        c[k] = *v[k].lo + (*v[k].hi - *v[k].lo) * Rational(static_cast<long>(rest % grid),
                                                                              static_cast<long>(grid - 1));
                    tries.push_back(std::move(c));
                }
            for (const Vector& c : tries) {
                bool searched = false;  // only points of the parts searched count
                for (const Box& r : roots) searched = searched || contains(r, c);
                if (!searched) continue;
                IVector u(c.size());
                for (std::size_t k = 0; k < c.size(); ++k) u[k] = Interval(c[k]);
                if (wrong_at(u) >= need_wrong) continue;
                if (const auto lt = loss_at(*red, c); lt && lt->hi <= loss_hi) return false;
            }
        }
        LossObligation ob;
        ob.threshold = loss_hi;
        ob.strict = true;
        ob.refute = loss_hi;  // a part's sample point with L' <= loss_hi: L' cannot settle it (split, below)
        ob.refute_strict = false;
        ob.monotone = false;  // a face where L' is least says nothing of the classes on the rest of the part
        // The search on boxes of doubles where it applies (one_layer_binary64.hpp), the classes counted in binary64
        // intervals (every end outward: an enclosure of each output over the part, as wrong_at's in MPFI).
        {
            std::vector<std::vector<DInterval>> hd(h.size());
            for (std::size_t i = 0; i < h.size(); ++i)
                for (const Interval& x : h[i]) hd[i].push_back(DInterval::from_interval(x));
            const DInterval threshold(pb.classify->threshold);
            std::vector<int> side(pb.data.size());
            for (std::size_t i = 0; i < pb.data.size(); ++i)
                side[i] = Rational(pb.data[i].y[0] - pb.classify->threshold).sign();
            OneLayerSearchHooks hooks;
            hooks.witness_splits = true;  // of L' only: the part goes on to be split
            // For sigmoid and tanh the class is read off z against outward bounds of f^-1(threshold) (f increasing:
            // f(z) <= t when z <= f^-1(t), f(z) > t when z > f^-1(t)), without evaluating f.
            const std::optional<std::pair<double, double>> zt = preimage_bounds(act, pb.classify->threshold);
            hooks.also_settled = [&](const std::vector<double>& lo, const std::vector<double>& hi) {
                Rational wrong = 0;
                for (std::size_t i = 0; i < pb.data.size(); ++i) {
                    DInterval z = bias ? DInterval::from_ends(lo[m], hi[m]) : DInterval();
                    for (std::size_t j = 0; j < m; ++j) z += DInterval::from_ends(lo[j], hi[j]) * hd[i][j];
                    const BoxClass cls = zt ? classify_preimage(z, side[i], *zt)
                                            : classify_binary64(activate(act, z, 0), side[i], threshold);
                    if (cls == BoxClass::wrong) wrong += pb.data[i].weight;
                }
                return wrong >= need_wrong;
            };
            if (const std::optional<BranchBoundResult> r = one_layer_search_binary64(*red, roots, ob, limits, hooks))
                return r->outcome == BranchBoundResult::Outcome::proven;
        }
        const std::optional<OneLayer> ol = OneLayer::of(*red);
        const BoxAssessor by_loss = lower_bound_assessor(*red, ol, ob);
        const BoxAssessor assess = [&](const Box& part) {
            BoxAssessment a;
            if (wrong_at(enclose(part)) >= need_wrong) {
                a.fate = BoxAssessment::Fate::settled;
                return a;
            }
            a = by_loss(part);
            if (a.fate == BoxAssessment::Fate::refuted) {  // of L' only: the part goes on to be split
                a.fate = BoxAssessment::Fate::split;
                a.witness = Value();
            }
            return a;
        };
        const BranchBoundResult r = branch_and_bound(roots, assess, limits);
        return r.outcome == BranchBoundResult::Outcome::proven;
    }

private:
    // a met with b (closed boxes of one size, b bounded), or nothing when they are disjoint.
    static std::optional<Box> meet(const Box& a, const Box& b) {
        Box m = b;
        for (std::size_t k = 0; k < b.size(); ++k) {
            if (a[k].lo && *a[k].lo > *m[k].lo) m[k].lo = a[k].lo;
            if (a[k].hi && *a[k].hi < *m[k].hi) m[k].hi = a[k].hi;
            if (*m[k].lo > *m[k].hi) return std::nullopt;
        }
        return m;
    }
    explicit OutputLayerSearch(const Problem& pb)
        : pb_(&pb), hidden_(pb), first_(pb.net.weight_offset(pb.net.layers.size() - 1)) {
        hidden_.net.layers.pop_back();
    }
    const Problem* pb_;
    Problem hidden_;  // the network without its output layer: chart_outputs gives the last hidden layer's outputs
    std::size_t first_;
};

}  // namespace

Verdict check_sublevel_accuracy(const Problem& pb, const Point& p, const Claim& c, const Options& opt) {
    if (!pb.classify) throw std::invalid_argument("accuracy needs a classify rule");
    if (pb.net.output_dim() != 1) throw std::invalid_argument("accuracy needs a scalar output");
    const std::string method = "sublevel-accuracy";
    const Box& r = c.region->box;
    validate_box(r, pb.net.num_params());
    const std::size_t n = pb.data.size();
    // With W the total weight: accuracy <= q  <=>  correct weight <= q W  <=>  wrong weight >= W - q W (at a point
    // every row is correct or wrong). With unit weights: correct <= floor(q n), wrong >= n - floor(q n).
    const Rational total = pb.total_weight();
    const Rational allowed = c.value * total;
    const Rational need_wrong = total - allowed;
    Object ev{{"checked", "the classes on {theta in R : L(theta) <= L(" + p.name + ")} against the claimed bound"},
              {"point", p.name},
              {"region", c.region->name},
              {"precision_bits", static_cast<long long>(opt.precision_bits)},
              {"claimed_at_most", c.value}};
    const std::optional<PointValue> lp = loss_at(pb, p.params);
    if (!lp)
        return Mint::inconclusive(method, unenclosed_loss_reason(pb, p.params, p.name), Value(std::move(ev)));
    ev.emplace_back("loss_at_point", Object{{"lower", lp->lo}, {"upper", lp->hi}});
    // P itself is in the sublevel set when it lies in R.
    const bool p_in_r = contains(r, p.params);
    if (p_in_r) {
        const Rational at_p = correct_at(pb, p.params);
        if (at_p > allowed) {
            ev.emplace_back("result", p.name + " itself lies in R and has a higher accuracy");
            ev.emplace_back("accuracy_at_point", Rational(at_p / total));
            ev.emplace_back("correct_at_point", correct_value(pb, at_p));  // format 1's key, kept
            return Mint::refuted(method, Value(std::move(ev)));
        }
    }
    // Strong convexity on R (P in R): the sublevel set lies within sublevel_radius of P, so only that part of R
    // is searched.
    std::vector<Box> roots{r};
    if (p_in_r && bounded(r)) {
        const StrongConvexity sc = strong_convexity(pb, p.params, r, std::nullopt, std::nullopt, opt);
        if (sc.certified) {
            roots = {clip_to_cube(r, p.params, sc.sublevel_radius)};
            ev.emplace_back("route", "strong-convexity");
            for (auto& kv : convexity_evidence(sc, opt)) ev.push_back(std::move(kv));
            ev.emplace_back("searched", region_value(pb.net, roots[0]));
        } else {
            ev.emplace_back("route", "branch-and-bound");
            ev.emplace_back("strong_convexity_declined", sc.note);
        }
    } else {
        ev.emplace_back("route", "branch-and-bound");
    }
    // An unbounded R where some unit has two unbounded incoming weights is covered exactly by ray-chart boxes
    // (ray_chart.hpp; docs/certificates.md, "Ray charts" and "sublevel-accuracy"): in weight coordinates no box
    // touching infinity fixes that unit's hyperplane direction, so no point's class is ever decided there. Each root
    // carries its chart group as one extra degenerate coordinate, which no bisection touches.
    const std::size_t np = pb.net.num_params();
    std::vector<std::vector<RayChart>> groups;
    std::vector<ContextAssessor> loss_assessors;
    LossObligation ob;
    ob.threshold = lp->hi;  // settled: L > L(P)+ on the box, so no point of it is in the sublevel set
    ob.strict = true;
    ob.refute = lp->lo;     // the loss assessor's own witnesses (L <= L(P)-) only mark where to look for ours
    ob.refute_strict = false;
    ob.monotone = false;    // a face where L is least says nothing of the classes on the rest of the box
    if (!bounded(r) && roots.size() == 1) {
        std::vector<ChartRoot> cover = chart_cover(pb.net, r);
        bool any = false;
        for (const ChartRoot& cr : cover) any = any || !cr.charts.empty();
        if (any) {
            roots.clear();
            for (ChartRoot& cr : cover) {
                const Rational id(static_cast<long>(groups.size()));
                groups.push_back(std::move(cr.charts));
                loss_assessors.push_back(chart_loss_context_assessor(pb, groups.back(), ob));
                cr.box.push_back(Range{id, id});
                roots.push_back(std::move(cr.box));
            }
            ev.emplace_back("ray_chart_roots", roots.size());
        }
    }
    // Without a hidden layer: contraction to the part of a box where L <= L(P) can hold, and the one-layer bound.
    const std::optional<OneLayer> one_layer = OneLayer::of(pb);
    if (one_layer && groups.empty()) ev.emplace_back("one_layer_bounds", true);
    // An exact point of R (theta, in weights), when its loss is certainly <= L(P) and it classifies more than
    // allowed: refuted.
    const auto witness_at = [&](const Vector& theta, BoxAssessment& a) {
        const Rational ct = correct_at(pb, theta);  // the classes first: no loss needed when they do not refute
        if (ct <= allowed) return;
        if (const auto lt = loss_at(pb, theta); lt && lt->hi <= lp->lo) {
            {
                a.fate = BoxAssessment::Fate::refuted;
                a.witness = Object{{"witness_point", point_value(pb.net, theta)},
                                   {"witness_loss", Object{{"lower", lt->lo}, {"upper", lt->hi}}},
                                   {"witness_accuracy", Rational(ct / total)},
                                   {"witness_correct", correct_value(pb, ct)}};  // format 1's key, kept
            }
        }
    };
    const auto witness = [&](const Box& box, BoxAssessment& a) { witness_at(sample(box), a); };
    // The output-layer search of a box in weight coordinates (OutputLayerSearch above; not run on chart boxes, where
    // it settled nothing the chart loss assessor left in the trap's first 10,000 boxes and doubled their cost).
    const std::optional<OutputLayerSearch> output_search = OutputLayerSearch::of(pb);
    const BranchBoundLimits output_limits = nested_search_limits(opt, 2048, "output layer");
    // On chart boxes the search with the reduced loss (settles_reduced), after the chart loss assessor. The trap's
    // plateau claim, certified with each (one thread, CPU): 128 boxes 61 s, 256 77 s, 512 95 s, 1,024 134 s (the
    // larger budgets save under 3% of the outer boxes).
    const BranchBoundLimits chart_output_limits = nested_search_limits(opt, 128, "output layer");
    const std::vector<RayChart> no_charts;
    const BoxAssessor assess = [&](const Box& box) {
        BoxAssessment a;
        if (n == 0) {
            a.fate = BoxAssessment::Fate::settled;
            return a;
        }
        if (one_layer) {
            // The classes from the output enclosures the examination computed; points of the box cut off have
            // L > L(P)+ >= L(P): they are not in the sublevel set.
            const OneLayer::Examination ex = one_layer->examine(box, lp->hi);
            if (ex.outputs.size() == n) {
                Rational wrong = 0;
                for (std::size_t i = 0; i < n; ++i)
                    if (classify_enclosure(ex.outputs[i], pb.data[i].y[0], pb.classify->threshold) == BoxClass::wrong)
                        wrong += pb.data[i].weight;
                if (wrong >= need_wrong) {
                    a.fate = BoxAssessment::Fate::settled;
                    return a;
                }
            }
            switch (ex.outcome) {
                case OneLayer::Examination::Outcome::empty:
                    a.fate = BoxAssessment::Fate::settled;
                    return a;
                case OneLayer::Examination::Outcome::shrunk:
                    a.replacement = ex.box;
                    return a;
                case OneLayer::Examination::Outcome::unknown:
                    break;  // the general tests below
                case OneLayer::Examination::Outcome::bounded:
                    a.bound.value = ex.bound;
                    a.coordinate = ex.coordinate;
                    if (ex.bound > lp->hi) a.fate = BoxAssessment::Fate::settled;
                    // A witness needs L(sample) <= L(P)-: impossible when the enclosure of L at the sample point (the
                    // gathered bound's centre) is already above it, so neither its classes nor its loss are computed.
                    else if (ex.bound <= lp->lo && !(ex.centre_loss && certainly_greater(*ex.centre_loss, lp->lo)))
                        witness(box, a);
                    return a;
            }
        }
        // The classes first: one forward pass, cheaper than the loss with its gradient.
        if (count(pb, enclose(box)).wrong >= need_wrong) {
            a.fate = BoxAssessment::Fate::settled;
            return a;
        }
        // The output layer inside the box: its own search with the hidden outputs' enclosures fixed.
        if (output_search && output_search->settles(no_charts, box, need_wrong, lp->hi, output_limits)) {
            a.fate = BoxAssessment::Fate::settled;
            return a;
        }
        IVector g;
        Interval l = loss_over_box_at_level(pb, box, &g, lp->hi);
        // The second-order form (a Hessian over the box) only when the first-order bounds fall short.
        if (!certainly_greater(l, lp->hi) && g.size() == box.size()) l = meet_second_order_at_level(pb, box, l, lp->hi);
        a.bound = LowerBound::of(l);
        if (certainly_greater(l, lp->hi)) {  // no point of the box is in the sublevel set
            a.fate = BoxAssessment::Fate::settled;
            return a;
        }
        // A witness needs L(theta) <= L(P)_lower at a point of the box: impossible when the box's bound is above.
        if (certainly_greater(l, lp->lo)) return a;
        witness(box, a);
        return a;
    };
    const auto group_of = [np](const Box& b) { return static_cast<std::size_t>(numerator(*b[np].lo)); };
    // The number of misclassified points' weight certainly wrong on a chart box, and the points undecided there.
    const auto chart_classes = [&](const std::vector<RayChart>& charts, const Box& box, std::vector<std::size_t>* open) {
        const std::vector<IVector> outs = chart_outputs(pb, charts, box);
        Rational wrong = 0;
        for (std::size_t i = 0; i < n; ++i)
            switch (classify_enclosure(outs[i][0], pb.data[i].y[0], pb.classify->threshold)) {
                case BoxClass::wrong: wrong += pb.data[i].weight; break;
                case BoxClass::unknown: if (open) open->push_back(i + 1); break;
                case BoxClass::correct: break;
            }
        return wrong;
    };
    // With contexts: a chart box's children search only the parts of the output layer's range that the reduction of
    // the chart loss assessor left open on it (docs/certificates.md, "The output-layer reduction", inherited
    // searches; what a reduction settled on a box holds on every part of it).
    const ContextAssessor chart_assess = [&](const Box& b, const BoxContext& inherited) {
        const std::size_t gid = group_of(b);
        const std::vector<RayChart>& charts = groups[gid];
        const Box box(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(np));
        BoxAssessment a;
        // The classes first (one forward pass): weight >= need_wrong misclassified at every point of the image.
        if (n == 0 || chart_classes(charts, box, nullptr) >= need_wrong) {
            a.fate = BoxAssessment::Fate::settled;
            return a;
        }
        // The loss: the chart bound and the output-layer reduction (settled: L > L(P)+ on the whole image).
        a = loss_assessors[gid](box, inherited);
        if (a.fate == BoxAssessment::Fate::settled) return a;
        // The output layer's range searched with the classes and the reduced loss together (settles_reduced).
        if (output_search && output_search->settles_reduced(charts, box, need_wrong, lp->hi, chart_output_limits,
                                                            open_output_parts(a.context))) {
            BoxAssessment done;
            done.fate = BoxAssessment::Fate::settled;
            return done;
        }
        // A point of loss <= L(P)- refutes the claim only when it also classifies more than allowed (below).
        a.fate = BoxAssessment::Fate::split;
        a.witness = Value();
        a.replacement.reset();
        if (!a.bound.value || *a.bound.value <= lp->lo) witness_at(chart_to_weights(charts, sample(box)), a);
        return a;
    };
    const ContextAssessor plain = [&assess](const Box& b, const BoxContext&) { return assess(b); };
    const BranchBoundResult s = branch_and_bound(roots, groups.empty() ? plain : chart_assess,
                                                 region_search_limits(opt, "sublevel accuracy"));
    add_search_stats(ev, s, opt);
    switch (s.outcome) {
        case BranchBoundResult::Outcome::proven:
            ev.emplace_back("result", "every point of R with loss <= L(" + p.name + ") misclassifies " +
                                          misclassified_text(pb, need_wrong, total));
            return Mint::certified(method, Value(std::move(ev)));
        case BranchBoundResult::Outcome::refuted:
            ev.emplace_back("result", "a point of R with loss <= L(" + p.name + ") and a higher accuracy");
            if (const auto* o = std::get_if<Object>(&s.witness.data))
                for (const auto& kv : *o) ev.push_back(kv);
            return Mint::refuted(method, Value(std::move(ev)));
        case BranchBoundResult::Outcome::exhausted:
            break;
    }
    if (!groups.empty() && s.box.size() == np + 1) {
        // The open box in weights (its image's hull), and the data points whose class it leaves undecided.
        const std::vector<RayChart>& charts = groups[group_of(s.box)];
        const Box box(s.box.begin(), s.box.begin() + static_cast<std::ptrdiff_t>(np));
        std::vector<std::size_t> open;
        chart_classes(charts, box, &open);
        List idx;
        for (std::size_t i : open) idx.emplace_back(static_cast<long long>(i));
        ev.emplace_back("failing_box", box_value(parameter_names(pb.net), chart_box_hull(charts, box)));
        ev.emplace_back("failing_box_undecided_points", std::move(idx));
    } else {
        ev.emplace_back("failing_box", box_value(parameter_names(pb.net), s.box));
    }
    return Mint::inconclusive(method,
                              "some sub-box of R may hold points with loss <= L(" + p.name +
                                  ") whose class is undecided, " + boxes_phrase(s) + ": " + raise_phrase(s) +
                                  " or the precision",
                              Value(std::move(ev)));
}

}  // namespace nncert::kernel::detail
