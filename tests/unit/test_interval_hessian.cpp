// The fast Hessian enclosure (outer products + curvature tangents) against the independent dual-number
// enclosure: both enclose the same true Hessians, so every pair of entries must overlap; and on exact
// networks at a point box both must contain the exact rational Hessian.
#include "kernel/exact.hpp"
#include "kernel/interval/enclose.hpp"
#include "kernel/interval/precision.hpp"
#include "test_interval_support.hpp"

#include <boost/test/unit_test.hpp>

#include <mpfi.h>

using namespace nncert::kernel;
using namespace nncert::testing;

namespace {

Activation act(ActivationKind k) {
    Activation a;
    a.kind = k;
    return a;
}

bool overlap(const Interval& a, const Interval& b) {
    return mpfr_lessequal_p(a.lo(), b.hi()) && mpfr_lessequal_p(b.lo(), a.hi());
}

bool contains_exact(const Interval& e, const Rational& q) { return encloses(e, Ref(q)); }

Problem smooth_problem(ActivationKind hidden, ActivationKind output, LossKind loss) {
    Problem pb;
    pb.net.input_dim = 2;
    pb.net.layers = {{3, act(hidden)}, {1, act(output)}};
    pb.data = {{{1, 0}, {1}}, {{0, 1}, {0}}, {{-1, Rational(1, 2)}, {1}}, {{Rational(1, 3), -1}, {0}}};
    pb.loss = loss;
    return pb;
}

Vector some_point(std::size_t n) {
    Vector p(n);
    for (std::size_t k = 0; k < n; ++k) p[k] = Rational(static_cast<long>((k * 5) % 9) - 4, 5);
    return p;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(interval_hessian)

BOOST_AUTO_TEST_CASE(fast_and_dual_enclosures_overlap_on_smooth_networks) {
    PrecisionScope scope(128);
    const Problem problems[] = {smooth_problem(ActivationKind::tanh, ActivationKind::identity, LossKind::sse),
                                smooth_problem(ActivationKind::sigmoid, ActivationKind::sigmoid, LossKind::mse),
                                smooth_problem(ActivationKind::softplus, ActivationKind::sigmoid, LossKind::bce)};
    for (const Problem& pb : problems) {
        const Vector p = some_point(pb.net.num_params());
        for (const Rational& r : {Rational(0), Rational(1, 1000)}) {
            const IVector box = box_around(p, r);
            const IMatrix fast = hessian_enclosure(pb, box), duals = hessian_enclosure_by_duals(pb, box);
            for (std::size_t i = 0; i < p.size(); ++i)
                for (std::size_t j = 0; j < p.size(); ++j) BOOST_TEST(overlap(fast[i][j], duals[i][j]));
        }
    }
}

BOOST_AUTO_TEST_CASE(fast_enclosure_contains_the_exact_hessian_at_a_point) {
    PrecisionScope scope(128);
    Activation poly = act(ActivationKind::poly);
    poly.coeffs = {0, 1, Rational(1, 2), Rational(-1, 7)};
    Problem pb;
    pb.net.input_dim = 2;
    pb.net.layers = {{3, poly}, {2, act(ActivationKind::leaky_relu)}, {1, act(ActivationKind::identity)}};
    pb.net.layers[1].activation.alpha = Rational(1, 4);
    pb.data = {{{1, 0}, {1}}, {{0, 1}, {0}}, {{-1, Rational(1, 2)}, {2}}};
    const Vector p = some_point(pb.net.num_params());
    BOOST_REQUIRE(find_kinks(pb, p).empty());
    const Matrix exact = hessian(pb, p);
    const IMatrix enc = hessian_enclosure(pb, point_box(p));
    for (std::size_t i = 0; i < p.size(); ++i)
        for (std::size_t j = 0; j < p.size(); ++j) BOOST_TEST(contains_exact(enc[i][j], exact[i][j]));
}

// hessian_block_enclosure (the second-order form's H_FF) is entry for entry the same intervals, to the bit, as the
// rows and columns `coords` of hessian_enclosure: on point and wide boxes, with an unbounded range (the loss form
// expands in the bounded coordinates only), for coordinates in any order.
BOOST_AUTO_TEST_CASE(the_block_is_the_same_intervals_as_the_whole_hessian) {
    PrecisionScope scope(128);
    const Problem problems[] = {smooth_problem(ActivationKind::tanh, ActivationKind::identity, LossKind::sse),
                                smooth_problem(ActivationKind::sigmoid, ActivationKind::sigmoid, LossKind::mse),
                                smooth_problem(ActivationKind::softplus, ActivationKind::sigmoid, LossKind::bce)};
    const auto end_same = [](mpfr_srcptr x, mpfr_srcptr y) {
        return (mpfr_nan_p(x) && mpfr_nan_p(y)) || (mpfr_equal_p(x, y) && mpfr_signbit(x) == mpfr_signbit(y));
    };
    const auto same = [&](const Interval& a, const Interval& b) {
        return end_same(a.lo(), b.lo()) && end_same(a.hi(), b.hi()) && a.precision() == b.precision();
    };
    int compared = 0;
    for (const Problem& pb : problems) {
        const Vector p = some_point(pb.net.num_params());
        const std::size_t n = p.size();
        for (const Rational& r : {Rational(0), Rational(1, 1000), Rational(1, 4)})
            for (bool unbounded : {false, true}) {
                IVector box = box_around(p, r);
                if (unbounded) mpfr_set_inf(&box[0].raw()->right, 1);  // the first weight in [p_0 - r, +inf]
                const IMatrix whole = hessian_enclosure(pb, box);
                for (const std::vector<std::size_t>& coords :
                     {std::vector<std::size_t>{1, 2, 5}, std::vector<std::size_t>{n - 1, 0, 3}, std::vector<std::size_t>{4}}) {
                    const IMatrix b = hessian_block_enclosure(pb, box, coords);
                    BOOST_TEST_REQUIRE(b.size() == coords.size());
                    for (std::size_t i = 0; i < coords.size(); ++i)
                        for (std::size_t k = 0; k < coords.size(); ++k) {
                            BOOST_TEST(same(b[i][k], whole[coords[i]][coords[k]]));
                            ++compared;
                        }
                }
            }
    }
    BOOST_TEST(compared > 200);
}

BOOST_AUTO_TEST_SUITE_END()
