// Ray charts of unbounded trap faces (kernel/interval/ray_chart.hpp; docs/certificates.md, "Ray charts"): the
// cover is exact (every chart point lies in the face, every face point has a chart preimage in some root) and
// the loss bound over a chart box contains the loss at every exact point of the box (containment).
#include "kernel/autodiff.hpp"
#include "kernel/interval/activation.hpp"
#include "kernel/interval/box.hpp"
#include "kernel/interval/loss_bound.hpp"
#include "kernel/interval/ray_chart.hpp"
#include "kernel/kernel.hpp"
#include "problems.hpp"
#include "test_interval_support.hpp"

#include <boost/test/unit_test.hpp>

#include <functional>

using namespace nncert::kernel;
using namespace nncert::testing;

namespace {

// A 2-2-1 sigmoid network on five points in the plane (parameters W1 (4), b1 (2), W2 (2), b2 (1)).
Problem net221(LossKind loss) {
    Problem pb;
    pb.net.input_dim = 2;
    pb.net.layers = {{2, act(ActivationKind::sigmoid)}, {1, act(ActivationKind::sigmoid)}};
    pb.loss = loss;
    pb.data = {{{0, 0}, {1}}, {{Rational(3, 2), Rational(1, 2)}, {1}}, {{2, 2}, {0}}, {{Rational(1, 2), 1}, {0}},
               {{Rational(-1, 2), Rational(4, 5)}, {0}}};
    return pb;
}

// The face of the fifth-attempt region (docs/paper.md) at W1[1,2] = 5, with a whole line for b1[2].
Box face_box() {
    Box b(9);
    b[0] = {Rational(5), std::nullopt};
    b[1] = {Rational(5), Rational(5)};
    b[2] = {Rational(5), std::nullopt};
    b[3] = {std::nullopt, Rational(-5)};
    b[4] = {std::nullopt, Rational(-10)};
    b[5] = {std::nullopt, std::nullopt};
    for (std::size_t k = 6; k < 9; ++k) b[k] = {Rational(-1), Rational(1)};
    return b;
}

bool in_box(const Box& b, const Vector& v) {
    for (std::size_t k = 0; k < b.size(); ++k)
        if (!b[k].contains(v[k])) return false;
    return true;
}

// A random exact point of a chart box: s up to 10^6 beyond its lower end when unbounded.
Vector random_point(const Box& b, std::mt19937_64& g) {
    Vector v;
    for (const Range& r : b) {
        if (r.bounded())
            v.push_back(random_in(g, *r.lo, *r.hi));
        else if (r.lo)
            v.push_back(*r.lo + random_in(g, 0, 1) * Rational(1000000));
        else if (r.hi)
            v.push_back(*r.hi - random_in(g, 0, 1) * Rational(1000000));
        else
            v.push_back(random_in(g, -1000, 1000));
    }
    return v;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(ray_chart)

BOOST_AUTO_TEST_CASE(cover_is_exact) {
    const Problem pb = net221(LossKind::sse);
    const Box face = face_box();
    const std::vector<ChartRoot> roots = chart_cover(pb.net, face);
    // Unit 1: W1[1,1], b1[1] unbounded: near/far per range, 2 leads when both are far: 2 + 1 + 1 + 1 = 5 options.
    // Unit 2: three unbounded, b1[2] a whole line cut in two: 2 x (3 + 3 x 2 + 3 x 1 + 1) = 26 options.
    BOOST_TEST(roots.size() == 5u * 26u);
    std::size_t both = 0;
    std::mt19937_64 g(7);
    for (const ChartRoot& r : roots) {
        BOOST_TEST(r.charts.size() <= 2u);
        both += r.charts.size() == 2u ? 1 : 0;
        for (int t = 0; t < 200; ++t) {
            const Vector w = chart_to_weights(r.charts, random_point(r.box, g));
            BOOST_TEST(in_box(face, w));  // every chart point lies in the face
        }
    }
    BOOST_TEST(both == 2u * 18u);  // unit 1 is charted in 2 options, unit 2 in 2 x (3 + 3 x 2) = 18

    // Every face point has a preimage: t_j = |w_j - c_j|, lead = argmax, r_j = t_j / t_lead.
    for (int t = 0; t < 300; ++t) {
        const Vector w = random_point(face, g);
        bool found = false;
        for (const ChartRoot& r : roots) {
            Vector th = w;
            bool ok = true;
            for (const RayChart& c : r.charts) {
                std::vector<Rational> tj;
                for (std::size_t j = 0; j < c.coords.size(); ++j) {
                    const Rational d = c.dir[j] > 0 ? Rational(w[c.coords[j]] - c.corner[j]) : Rational(c.corner[j] - w[c.coords[j]]);
                    ok = ok && d >= 0;
                    tj.push_back(d);
                }
                if (!ok) break;
                const Rational s = tj[c.lead];
                for (std::size_t j = 0; j < c.coords.size(); ++j) {
                    if (j == c.lead) continue;
                    if (tj[j] > s) ok = false;
                    th[c.coords[j]] = s == 0 ? Rational(0) : Rational(tj[j] / s);
                }
                th[c.coords[c.lead]] = s;
            }
            if (ok && in_box(r.box, th) && chart_to_weights(r.charts, th) == w) found = true;
        }
        BOOST_TEST(found);
    }
}

BOOST_AUTO_TEST_CASE(no_chart_without_two_unbounded_weights) {
    const Problem pb = net221(LossKind::sse);
    Box b = face_box();
    b[0] = {Rational(5), Rational(6)};  // unit 1 keeps only b1[1] unbounded
    b[3] = {Rational(-6), Rational(-5)};
    b[5] = {Rational(-1), Rational(0)};  // unit 2 keeps only W1[2,1] unbounded
    const std::vector<ChartRoot> roots = chart_cover(pb.net, b);
    BOOST_TEST(roots.size() == 1u);
    BOOST_TEST(roots[0].charts.empty());
}

BOOST_AUTO_TEST_CASE(a_cover_over_the_cap_is_not_built) {
    // Both hidden units with three whole lines: 2^3 x 13 = 104 options each, 10,816 roots > 4096: the face is
    // searched in weight coordinates, and the options are counted, not built (review r8-5: 262,400 options
    // per face were built before the cap was checked, 41-102 s).
    const Problem pb = net221(LossKind::sse);
    Box b = face_box();
    for (std::size_t k : {0, 2, 3, 4, 5}) b[k] = {std::nullopt, std::nullopt};
    b[1] = {std::nullopt, std::nullopt};
    b[6] = {Rational(0), Rational(0)};  // the face: W2[1,1] = 0
    const std::vector<ChartRoot> roots = chart_cover(pb.net, b);
    BOOST_TEST(roots.size() == 1u);
    BOOST_TEST(roots[0].charts.empty());
    BOOST_TEST(chart_cover(pb.net, b, 20000).size() == 104u * 104u);  // under a larger cap it is built
}

BOOST_AUTO_TEST_CASE(loss_bound_contains_exact_points) {
    PrecisionScope scope(128);
    std::mt19937_64 g(11);
    for (LossKind loss : {LossKind::sse, LossKind::bce}) {
        const Problem pb = net221(loss);
        const std::vector<ChartRoot> roots = chart_cover(pb.net, face_box());
        for (std::size_t ri = 0; ri < roots.size(); ri += 7) {  // every seventh root: both, one and no charts
            const ChartRoot& root = roots[ri];
            for (int t = 0; t < 4; ++t) {
                // A random sub-box of the root: each range cut at two random points (s kept unbounded half the time).
                Box b = root.box;
                for (Range& r : b) {
                    const Vector p = random_point(Box{r}, g), q = random_point(Box{r}, g);
                    const Rational lo = std::min(p[0], q[0]), hi = std::max(p[0], q[0]);
                    r.lo = lo;
                    if (r.hi || t % 2) r.hi = hi;
                }
                IVector grad;
                const Interval l = loss_over_chart_box(pb, root.charts, b, &grad);
                for (int u = 0; u < 8; ++u) {
                    const Vector w = chart_to_weights(root.charts, random_point(b, g));
                    const auto v = loss_at(pb, w);
                    BOOST_REQUIRE(v.has_value());
                    // The exact loss lies in [v.lo, v.hi]; it must lie in l too: the two must overlap.
                    BOOST_TEST(!certainly_less(l, v->lo));     // not all of l below the point's loss
                    BOOST_TEST(!certainly_greater(l, v->hi));  // nor all of it above
                    std::vector<Interval> gx;
                    if (!grad.empty()) loss_and_gradient<Interval>(pb, IVector(w.begin(), w.end()), &gx);
                    if (!grad.empty())
                        for (std::size_t k = 6; k < 9; ++k) {
                            Interval both;
                            mpfi_intersect(both.raw(), gx[k].raw(), grad[k].raw());
                            BOOST_TEST(!mpfi_is_empty(both.raw()));  // the gradient enclosure meets the point's
                        }
                }
            }
        }
    }
}

// The output-layer reduction (docs/certificates.md, "The output-layer reduction"): its bound over a chart box lies
// below the loss at every exact point of the box, for squared error and bce, with output weights of both signs (a
// sign that is not certain over the box makes the reduction decline; it must then say nothing). Thresholds below,
// near and above the sampled losses: "settled" (L > t on the box) never where a sampled point has L <= t, and the
// runs that stop early (a point of the output layer's range whose reduced loss is <= t) still report a bound that
// holds on the whole box.
BOOST_AUTO_TEST_CASE(output_reduction_bound_is_below_exact_points) {
    PrecisionScope scope(128);
    std::mt19937_64 g(23);
    std::size_t applied = 0, settled = 0, stopped = 0, open = 0;
    for (LossKind loss : {LossKind::sse, LossKind::bce}) {
        const Problem pb = net221(loss);
        for (int sign = 0; sign < 3; ++sign) {
            Box face = face_box();
            // Output weights positive, negative, or mixed (the last: every W2 range straddles 0 unless cut below).
            for (std::size_t k = 6; k < 8; ++k)
                face[k] = sign == 0 ? Range{Rational(1, 10), Rational(2)}
                          : sign == 1 ? Range{Rational(-2), Rational(-1, 10)}
                                      : Range{Rational(-1), Rational(1)};
            const std::vector<ChartRoot> roots = chart_cover(pb.net, face);
            for (std::size_t ri = 0; ri < roots.size(); ri += 5) {
                const ChartRoot& root = roots[ri];
                for (int t = 0; t < 3; ++t) {
                    Box b = root.box;
                    for (Range& r : b) {
                        const Vector p = random_point(Box{r}, g), q = random_point(Box{r}, g);
                        r.lo = std::min(p[0], q[0]);
                        if (r.hi || t % 2) r.hi = std::max(p[0], q[0]);
                    }
                    std::vector<PointValue> at;
                    for (int u = 0; u < 8; ++u) {
                        const auto v = loss_at(pb, chart_to_weights(root.charts, random_point(b, g)));
                        BOOST_REQUIRE(v.has_value());
                        at.push_back(*v);
                    }
                    Rational least = at[0].hi;
                    for (const PointValue& v : at) least = std::min(least, v.hi);
                    for (const Rational& threshold : {Rational(0), Rational(least / 2), Rational(least * 9 / 10), least,
                                                      Rational(least * 2)}) {
                        // The assessor's way: for squared errors the hidden outputs from MPFI pre-activations through
                        // activate_keeping_complement (the same digits as MPFI's activation, not the same last
                        // bits), checked against the exact points below.
                        const std::optional<ReducedBound> rb = output_reduction_bound(pb, root.charts, b, 32, threshold);
                        // The hidden outputs of the bound's forward pass in MPFI and a forward pass of the reduction's
                        // own give the same enclosures, hence the same answer.
                        const std::optional<ReducedBound> pass = output_reduction_bound(
                            pb, root.charts, b, 32, threshold, true, HiddenSource::interval_pass);
                        const std::optional<ReducedBound> own =
                            output_reduction_bound(pb, root.charts, b, 32, threshold, true, HiddenSource::own_pass);
                        BOOST_TEST(pass.has_value() == own.has_value());
                        if (pass && own) {
                            BOOST_TEST(pass->settled == own->settled);
                            BOOST_TEST(pass->bound.value.has_value() == own->bound.value.has_value());
                            if (pass->bound.value && own->bound.value) BOOST_TEST(*pass->bound.value == *own->bound.value);
                        }
                        if (pass && pass->bound.value)
                            for (const PointValue& v : at) BOOST_TEST(*pass->bound.value <= v.hi);
                        if (!rb) continue;
                        ++applied;
                        if (rb->settled) ++settled;
                        if (!rb->bound.value) {
                            ++stopped;
                            BOOST_TEST(!rb->settled);
                            continue;
                        }
                        if (!rb->settled) ++open;
                        for (const PointValue& v : at) {
                            BOOST_TEST(*rb->bound.value <= v.hi);  // the exact loss is >= v.lo; the bound may not exceed it
                            if (rb->settled) BOOST_TEST(v.hi > threshold);  // settled: L > t at every point of the box
                        }
                    }
                }
            }
        }
    }
    // The reduction ran on many boxes (both losses, known output signs), and each of its outcomes occurred.
    BOOST_TEST(applied >= 100u);
    BOOST_TEST(settled >= 10u);
    BOOST_TEST(stopped >= 10u);
    BOOST_TEST(open >= 10u);
}

// The reduction applies on a box of known output signs and declines once the loss has weight decay (every way of
// getting the hidden outputs).
BOOST_AUTO_TEST_CASE(output_reduction_declines_where_unproven) {
    PrecisionScope scope(128);
    Problem pb = net221(LossKind::sse);
    Box b = face_box();
    b[6] = {Rational(1, 10), Rational(2)};
    b[7] = {Rational(1, 10), Rational(2)};
    for (Range& r : b)
        if (!r.bounded()) r = {r.lo ? *r.lo : Rational(-20), r.hi ? *r.hi : Rational(20)};
    BOOST_TEST(output_reduction_bound(pb, {}, b, 8, Rational(0)).has_value());
    BOOST_TEST(output_reduction_bound(pb, {}, b, 8, Rational(0), true, HiddenSource::own_pass).has_value());
    BOOST_TEST(output_reduction_bound(pb, {}, b, 8, Rational(0), true, HiddenSource::interval_pass).has_value());
    pb.weight_decay = Rational(1, 100);
    BOOST_TEST(!output_reduction_bound(pb, {}, b, 8, Rational(0)).has_value());
    BOOST_TEST(!output_reduction_bound(pb, {}, b, 8, Rational(0), true, HiddenSource::own_pass).has_value());
    BOOST_TEST(!output_reduction_bound(pb, {}, b, 8, Rational(0), true, HiddenSource::interval_pass).has_value());
}

// Inherited output-layer searches (docs/certificates.md, "The output-layer reduction", inherited searches): chart boxes
// assessed by chart_loss_context_assessor, then their parts (the driver's halves, or the replacement) with the
// context each parent returned, down three levels. Every box settled that way (and every box settled from scratch,
// chart_loss_assessor) has L > t at random exact points of it, and every reported bound lies below them. Thresholds
// at and just above the least sampled loss of the top box make parents stop with open parts that their parts must
// search again (a search that dropped one would settle a box that holds a point with L <= t).
BOOST_AUTO_TEST_CASE(inherited_searches_settle_only_where_the_loss_is_above) {
    PrecisionScope scope(128);
    std::mt19937_64 g(41);
    std::size_t boxes = 0, inherited = 0, settled_inherited = 0, agree = 0;
    for (LossKind loss : {LossKind::sse, LossKind::bce}) {
        const Problem pb = net221(loss);
        for (int sign = 0; sign < 2; ++sign) {
            Box face = face_box();
            for (std::size_t k = 6; k < 8; ++k)
                face[k] = sign == 0 ? Range{Rational(1, 10), Rational(2)} : Range{Rational(-2), Rational(-1, 10)};
            const std::vector<ChartRoot> roots = chart_cover(pb.net, face);
            for (std::size_t ri = 3; ri < roots.size(); ri += 17) {
                const ChartRoot& root = roots[ri];
                Box top = root.box;
                for (Range& r : top) {
                    const Vector p = random_point(Box{r}, g), q = random_point(Box{r}, g);
                    r.lo = std::min(p[0], q[0]);
                    if (r.hi) r.hi = std::max(p[0], q[0]);
                }
                const auto points_of = [&](const Box& b) {
                    std::vector<PointValue> at;
                    for (int u = 0; u < 10; ++u) {
                        Vector theta = random_point(b, g);
                        if (u < 4)  // the output layer's parameters at corners of their range, where L is least or most
                            for (std::size_t k = 6; k < 9; ++k)
                                if (b[k].bounded()) theta[k] = ((u >> (k - 6)) & 1) ? *b[k].hi : *b[k].lo;
                        const auto v = loss_at(pb, chart_to_weights(root.charts, theta));
                        BOOST_REQUIRE(v.has_value());
                        at.push_back(*v);
                    }
                    return at;
                };
                const std::vector<PointValue> at_top = points_of(top);
                Rational least = at_top[0].hi;
                for (const PointValue& v : at_top) least = std::min(least, v.hi);
                for (const Rational& t : {Rational(least * 9 / 10), least, Rational(least * 11 / 10)}) {
                    LossObligation ob;
                    ob.threshold = t;
                    ob.refute = t;
                    const ContextAssessor with = chart_loss_context_assessor(pb, root.charts, ob);
                    const BoxAssessor scratch = chart_loss_assessor(pb, root.charts, ob);
                    std::function<void(const Box&, const BoxContext&, int)> walk = [&](const Box& b, const BoxContext& ctx,
                                                                                       int depth) {
                        const BoxAssessment a = with(b, ctx);
                        const BoxAssessment s = scratch(b);
                        ++boxes;
                        if (ctx) ++inherited;
                        if (a.fate == s.fate) ++agree;
                        const std::vector<PointValue> at = points_of(b);
                        for (const BoxAssessment* x : {&a, &s})
                            for (const PointValue& v : at) {
                                if (x->bound.value) BOOST_TEST(*x->bound.value <= v.hi);
                                if (x->fate == BoxAssessment::Fate::settled) BOOST_TEST(v.hi > t);
                            }
                        if (a.fate == BoxAssessment::Fate::settled && ctx) ++settled_inherited;
                        if (a.fate != BoxAssessment::Fate::split || depth == 3) return;
                        if (a.replacement) return walk(*a.replacement, a.context, depth + 1);
                        const std::optional<std::size_t> k = a.coordinate ? a.coordinate : default_split_coordinate(b);
                        if (!k || b[*k].degenerate()) return;
                        const Rational m = split_point(b[*k]);
                        Box left = b, right = b;
                        left[*k].hi = m;
                        right[*k].lo = m;
                        walk(left, a.context, depth + 1);
                        walk(right, a.context, depth + 1);
                    };
                    walk(top, nullptr, 0);
                }
            }
        }
    }
    BOOST_TEST_MESSAGE("boxes " << boxes << ", with a context " << inherited << " (settled " << settled_inherited
                                << "), same fate both ways " << agree);
    BOOST_TEST(inherited >= 50u);
    BOOST_TEST(settled_inherited >= 10u);
}

BOOST_AUTO_TEST_SUITE_END()
