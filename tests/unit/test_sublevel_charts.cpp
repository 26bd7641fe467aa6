// The sublevel-accuracy search's class decisions in ray charts (kernel/interval/ray_chart.hpp, chart_outputs;
// docs/certificates.md, "sublevel-accuracy"): the outputs over a chart box contain the outputs at every exact point
// of the box's image (containment), and they are narrow enough to decide classes where the unit's direction is fixed.
#include "kernel/ball/ball.hpp"
#include "kernel/interval/activation.hpp"
#include "kernel/interval/box.hpp"
#include "kernel/interval/checks.hpp"
#include "kernel/interval/enclose.hpp"
#include "kernel/interval/loss_bound.hpp"
#include "kernel/interval/ray_chart.hpp"
#include "kernel/kernel.hpp"
#include "problems.hpp"
#include "test_interval_support.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <random>

using namespace nncert::kernel;
using namespace nncert::testing;
using nncert::kernel::detail::BoxClass;
using nncert::kernel::detail::classify_binary64;
using nncert::kernel::detail::classify_enclosure;
using nncert::kernel::detail::classify_preimage;
using nncert::kernel::detail::preimage_bounds;

namespace {

// The 2-2-1 sigmoid network of the Theorem 1 trap (docs/paper.md, seventh attempt), on its ten points.
Problem theorem1_sigmoid() {
    Problem pb;
    pb.net.input_dim = 2;
    pb.net.layers = {{2, act(ActivationKind::sigmoid)}, {1, act(ActivationKind::sigmoid)}};
    pb.loss = LossKind::sse;
    const auto r = [](long p, long q) { return Rational(p, q); };
    pb.data = {{{0, 0}, {1}},          {{r(-1, 2), 0}, {1}},       {{-1, 0}, {1}},         {{r(3, 2), r(1, 2)}, {1}},
               {{r(9, 5), r(1, 5)}, {1}}, {{2, 2}, {0}},            {{2, r(-3, 2)}, {0}},  {{r(1, 2), 1}, {0}},
               {{r(3, 10), r(-4, 5)}, {0}}, {{r(-1, 2), r(4, 5)}, {0}}};
    return pb;
}

// Its region `plateau` (parameters W1[1,1], W1[1,2], W1[2,1], W1[2,2], b1[1], b1[2], W2[1,1], W2[1,2], b2[1]): six
// unbounded ranges in the first layer, a bounded output layer.
Box plateau() {
    Box b(9);
    b[0] = {Rational(5), std::nullopt};
    b[1] = {Rational(5), std::nullopt};
    b[2] = {Rational(5), std::nullopt};
    b[3] = {std::nullopt, Rational(-5)};
    b[4] = {std::nullopt, Rational(-10)};
    b[5] = {std::nullopt, Rational(-10)};
    b[6] = b[7] = {Rational(1785, 10000), Rational(9785, 10000)};
    b[8] = {Rational(-7805, 10000), Rational(195, 10000)};
    return b;
}

bool in_region(const Box& b, const Vector& v) {
    for (std::size_t k = 0; k < b.size(); ++k)
        if (!b[k].contains(v[k])) return false;
    return true;
}

// A random exact point of a range: up to 10^6 beyond its finite end when unbounded.
Rational random_point(const Range& r, std::mt19937_64& g) {
    if (r.bounded()) return random_in(g, *r.lo, *r.hi);
    if (r.lo) return *r.lo + random_in(g, 0, 1) * Rational(1000000);
    if (r.hi) return *r.hi - random_in(g, 0, 1) * Rational(1000000);
    return random_in(g, -1000, 1000);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sublevel_charts)

BOOST_AUTO_TEST_CASE(chart_outputs_contain_exact_points) {
    PrecisionScope scope(128);
    std::mt19937_64 g(29);
    const Problem pb = theorem1_sigmoid();
    const Box region = plateau();
    const std::vector<ChartRoot> roots = chart_cover(pb.net, region);
    BOOST_REQUIRE(roots.size() > 1);
    std::size_t decided = 0, charted = 0;
    for (std::size_t ri = 0; ri < roots.size(); ri += 5) {
        const ChartRoot& root = roots[ri];
        charted += root.charts.empty() ? 0 : 1;
        for (int t = 0; t < 3; ++t) {
            // A random sub-box of the root: each range cut at two random points (an unbounded end kept half the time).
            Box b = root.box;
            for (Range& r : b) {
                const Rational p = random_point(r, g), q = random_point(r, g);
                const bool keep_open = !r.hi && t % 2 == 0;
                r.lo = std::min(p, q);
                if (!keep_open) r.hi = std::max(p, q);
            }
            const std::vector<IVector> outs = chart_outputs(pb, root.charts, b);
            BOOST_REQUIRE(outs.size() == pb.data.size());
            for (const IVector& o : outs) {
                BOOST_REQUIRE(o.size() == 1u);
                if (certainly_greater(o[0], Rational(1, 2)) || certainly_less(o[0], Rational(1, 2))) ++decided;
            }
            for (int u = 0; u < 6; ++u) {
                Vector theta;
                for (const Range& r : b) theta.push_back(random_point(r, g));
                const Vector w = chart_to_weights(root.charts, theta);
                BOOST_TEST(in_region(region, w));  // the cover's exactness, one way (unit.ray_chart tests both)
                for (std::size_t i = 0; i < pb.data.size(); ++i) {
                    // The output at w lies in the point's own enclosure; it must lie in the box's: they meet.
                    const Interval at = outputs_enclosure(pb.net, point_box(w), pb.data[i].x)[0];
                    Interval both;
                    mpfi_intersect(both.raw(), at.raw(), outs[i][0].raw());
                    BOOST_TEST(!mpfi_is_empty(both.raw()));
                }
            }
        }
    }
    BOOST_TEST(charted > 0u);
    BOOST_TEST(decided > 0u);  // not a whole-line enclosure everywhere: some classes are decided on the boxes
}

BOOST_AUTO_TEST_CASE(parts_reuse_the_hidden_outputs_of_unchanged_units_bit_for_bit) {
    // chart_loss_context_assessor hands an undecided box's parts its hidden outputs, and a part takes a first-layer
    // unit's from there when that unit's incoming ranges are unchanged (hidden_by_interval_preactivations). Those must
    // be the enclosures a fresh computation gives, bit for bit, for parts cut along every coordinate (either unit's,
    // a chart's scale or ratio, the output layer's), two levels deep.
    PrecisionScope scope(128);
    const Problem pb = theorem1_sigmoid();
    const std::vector<ChartRoot> roots = chart_cover(pb.net, plateau());
    LossObligation ob;
    ob.threshold = Rational(23551, 10000);  // about L(bad): most boxes stay undecided and pass contexts on
    ob.strict = true;
    const auto same_bits = [](const std::vector<IVector>& a, const std::vector<IVector>& b) {
        if (a.size() != b.size()) return false;
        for (std::size_t s = 0; s < a.size(); ++s) {
            if (a[s].size() != b[s].size()) return false;
            for (std::size_t i = 0; i < a[s].size(); ++i)
                if (mpfr_get_prec(a[s][i].lo()) != mpfr_get_prec(b[s][i].lo()) || !mpfr_equal_p(a[s][i].lo(), b[s][i].lo()) ||
                    !mpfr_equal_p(a[s][i].hi(), b[s][i].hi()))
                    return false;
        }
        return true;
    };
    std::size_t compared = 0;
    for (std::size_t ri = 0; ri < roots.size(); ri += 9) {
        const ChartRoot& root = roots[ri];
        const ContextAssessor assess = chart_loss_context_assessor(pb, root.charts, ob);
        const BoxAssessment a = assess(root.box, nullptr);
        if (!a.context) continue;
        for (std::size_t k = 0; k < root.box.size(); ++k) {
            if (root.box[k].degenerate()) continue;
            Box left = root.box, right = root.box;
            left[k].hi = right[k].lo = split_point(root.box[k]);
            for (const Box* part : {&left, &right}) {
                BOOST_TEST_REQUIRE(same_bits(chart_hidden_outputs(pb, root.charts, *part, a.context),
                                             chart_hidden_outputs(pb, root.charts, *part, nullptr)));
                ++compared;
                // One level further down: the part's own context, its parts cut along the next coordinate.
                const BoxAssessment pa = assess(*part, a.context);
                const std::size_t k2 = (k + 1) % part->size();
                if (!pa.context || (*part)[k2].degenerate()) continue;
                Box down = *part;
                down[k2].hi = split_point((*part)[k2]);
                BOOST_TEST_REQUIRE(same_bits(chart_hidden_outputs(pb, root.charts, down, pa.context),
                                             chart_hidden_outputs(pb, root.charts, down, nullptr)));
                ++compared;
            }
        }
    }
    BOOST_TEST_MESSAGE("compared " << compared);
    BOOST_TEST(compared > 100u);
}

// The binary64 class decisions of the sublevel search's output-layer search (checks.hpp: classify_preimage, read off z
// against bounds of f^-1(t), and classify_binary64 on a binary64 enclosure of f): never the opposite of what the MPFI
// enclosure of f at 200 bits says at either end of z (f is increasing, so the ends decide every z between), for sigmoid
// and tanh, thresholds inside the range (1/2, 1/3, 9/10, -1/2 for tanh), targets above, below and on the threshold;
// and they decide most intervals away from the preimage (not vacuous). Fails if correct and wrong are swapped.
BOOST_AUTO_TEST_CASE(binary64_classes_never_contradict_the_mpfi_classes) {
    PrecisionScope scope(200);
    std::mt19937_64 g(77);
    std::uniform_real_distribution<double> centre(-12, 12), spread(0, 3);
    int decided = 0, compared = 0;
    for (const ActivationKind kind : {ActivationKind::sigmoid, ActivationKind::tanh}) {
        const Activation f = act(kind);
        std::vector<Rational> ts = {Rational(1, 2), Rational(1, 3), Rational(9, 10)};
        if (kind == ActivationKind::tanh) ts.push_back(Rational(-1, 2));
        for (const Rational& t : ts) {
            const std::optional<std::pair<double, double>> zt = preimage_bounds(f, t);
            BOOST_REQUIRE(zt.has_value());
            BOOST_TEST(zt->first <= zt->second);
            const DInterval td(t);
            for (const Rational& y : {Rational(1), Rational(0), t, Rational(-1)}) {
                const int actual = Rational(y - t).sign();
                for (int trial = 0; trial < 400; ++trial) {
                    double lo = centre(g), hi = lo + (trial % 4 == 0 ? 0.0 : spread(g));
                    if (trial % 7 == 0) lo = hi = (trial % 2 ? zt->first : zt->second);  // on the bounds themselves
                    const DInterval z = DInterval::from_ends(lo, hi);
                    const BoxClass at_lo = classify_enclosure(activate(f, Interval(exact_double(lo)), 0), y, t);
                    const BoxClass at_hi = classify_enclosure(activate(f, Interval(exact_double(hi)), 0), y, t);
                    for (const BoxClass c : {classify_preimage(z, actual, *zt),
                                             classify_binary64(activate(f, z, 0), actual, td)}) {
                        ++compared;
                        if (c == BoxClass::unknown) continue;
                        ++decided;
                        const BoxClass other = c == BoxClass::correct ? BoxClass::wrong : BoxClass::correct;
                        BOOST_TEST((at_lo != other && at_hi != other),
                                   "z = [" << lo << ", " << hi << "], t = " << t << ", y = " << y);
                    }
                }
            }
        }
    }
    BOOST_TEST(decided * 4 > compared * 3);
    BOOST_TEST_MESSAGE("binary64 classes: " << decided << " of " << compared << " decided");
}

BOOST_AUTO_TEST_SUITE_END()
