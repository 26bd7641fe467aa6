// local_min: each nonsmooth method on hand-computed cases, including the cases it must NOT certify.
#include "kernel/kernel.hpp"
#include "kernel/ray.hpp"
#include "problems.hpp"

#include <boost/test/unit_test.hpp>

using namespace nncert::kernel;
using namespace nncert::testing;

namespace {

Verdict local_min(const Problem& pb, const Vector& p, std::size_t max_patterns = 4096) {
    Claim c;
    c.kind = ClaimKind::local_min;
    Options opt;
    opt.max_patterns = max_patterns;
    return check(pb, {{"p", p}}, c, opt);
}

// Depth-3 relu net (input 1, hidden widths `w1`, `w2`, scalar identity output) on 1-D data.
Problem deep(std::size_t w1, std::size_t w2, std::vector<std::pair<Rational, Rational>> data) {
    Problem pb;
    pb.net.input_dim = 1;
    pb.net.layers = {{w1, act(ActivationKind::relu)}, {w2, act(ActivationKind::relu)},
                     {1, act(ActivationKind::identity)}};
    for (auto& [x, y] : data) pb.data.push_back({{x}, {y}});
    return pb;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(local_min_methods)

BOOST_AUTO_TEST_CASE(paper_example1_by_patterns) {
    const Verdict v = local_min(example1(), {1, -3, 1, 0});
    BOOST_TEST((v.outcome() == Outcome::certified));
    BOOST_TEST(v.method() == "activation-patterns");
    BOOST_TEST(std::get<long long>(field(v.evidence(), "kink_pairs")->data) == 1);
    // One kink pair, an independent normal: decided by its two sides, no pattern enumerated.
    BOOST_TEST(std::get<long long>(field(v.evidence(), "kink_sides_checked")->data) == 2);
    BOOST_TEST(std::get<long long>(field(v.evidence(), "patterns_evaluated")->data) == 0);
}

BOOST_AUTO_TEST_CASE(a_kink_where_one_pattern_fails_is_not_certified) {
    // Example 1 with the kink's label moved from 0 to 1/10: the residual at the kink is no longer 0,
    // so the pattern with the unit on there violates its normal equations.
    Problem pb = one_hidden(1, act(ActivationKind::relu), {{5, 2}, {4, 1}, {3, Rational(1, 10)}, {1, -3}, {-1, 3}});
    const Verdict v = local_min(pb, {1, -3, 1, 0});
    BOOST_TEST((v.outcome() == Outcome::refuted));
    const Value* ray = field(v.evidence(), "descent_ray");
    BOOST_REQUIRE(ray);
    // The witness re-checks: the exact loss at P + t d is below L(P).
    BOOST_TEST(std::get<Rational>(field(*ray, "loss_at_point_plus_step")->data) <
               std::get<Rational>(field(*ray, "loss_at_point")->data));
}

BOOST_AUTO_TEST_CASE(leaky_relu_kinks_use_both_slopes) {
    // Example 1's data with leaky units (alpha = 1/2) at the same weights: off-pieces now carry slope 1/2,
    // so the normal equations differ and this point is not a local minimum any more.
    Activation leaky = act(ActivationKind::leaky_relu);
    leaky.alpha = Rational(1, 2);
    Problem pb = one_hidden(1, leaky, {{5, 2}, {4, 1}, {3, 0}, {1, -3}, {-1, 3}});
    BOOST_TEST((local_min(pb, {1, -3, 1, 0}).outcome() != Outcome::certified));
}

BOOST_AUTO_TEST_CASE(independent_kinks_need_no_pattern_enumeration) {
    // Example 2's local point has one kink pair: its normal is independent, so its two sides decide every
    // pattern and even a cap of 1 pattern does not stop the method.
    const Problem pb = example2();
    const Vector local = {-3, 1, Rational(13, 3), -10, 1, -1, -3};
    BOOST_TEST((local_min(pb, local).outcome() == Outcome::certified));
    const Verdict capped = local_min(pb, local, 1);
    BOOST_TEST((capped.outcome() == Outcome::certified));
    BOOST_TEST(capped.method() == "activation-patterns");
}

// A V-shaped minimum whose three kinked inputs (1,1), (2,2), (-1,-1) are linearly dependent (one relu unit
// without bias, kink line x1 = x2, nor output bias): every pattern needs its own cone test.
Problem dependent_kinks() {
    Problem pb;
    pb.net.input_dim = 2;
    pb.net.layers = {{1, act(ActivationKind::relu), false}, {1, act(ActivationKind::identity), false}};
    for (const auto& x : std::vector<Vector>{{1, 1}, {2, 2}, {-1, -1}}) pb.data.push_back({x, {-1}});
    pb.data.push_back({{1, 0}, {1}});  // z = 1 > 0: fits exactly (output 1)
    return pb;
}

BOOST_AUTO_TEST_CASE(dependent_kinks_are_enumerated_with_exact_cone_tests) {
    const Problem pb = dependent_kinks();
    const Vector p = {1, -1, 1};
    const Verdict v = local_min(pb, p);
    BOOST_TEST((v.outcome() == Outcome::certified));
    BOOST_TEST(v.method() == "activation-patterns");
    BOOST_TEST(std::get<long long>(field(v.evidence(), "patterns_evaluated")->data) == 8);
    BOOST_TEST(std::get<long long>(field(v.evidence(), "cone_tests")->data) > 0);
    // The loss really is >= L(P) nearby (every output is V relu(.) >= 0 > -1 on the kinked points): no ray
    // descends.
    for (const Vector& d : std::vector<Vector>{{1, 0, 0}, {0, 1, 0}, {-1, 1, 0}, {1, 1, -1}, {-1, -1, 1}, {0, 0, -1}})
        BOOST_TEST(!descent_ray_witness(pb, p, d));
}

BOOST_AUTO_TEST_CASE(pattern_cap_gives_inconclusive_not_certified) {
    // The dependent kinks above: 2^3 = 8 patterns. Under a cap of 4 the unit falls back to its base and
    // single flips with multipliers 0 (which this V-shaped minimum does not meet: not certified); under a
    // cap of 3 even those do not fit and the reason says to raise the cap.
    const Problem pb = dependent_kinks();
    const Vector p = {1, -1, 1};
    BOOST_TEST((local_min(pb, p, 4).outcome() != Outcome::certified));
    const Verdict capped = local_min(pb, p, 3);
    BOOST_TEST((capped.outcome() == Outcome::inconclusive));
    BOOST_TEST(capped.reason().find("raise --max-patterns") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(dead_layer_at_the_mean_is_certified_and_off_the_mean_refuted) {
    // Layer 1 dead (weights 0, bias -1); layer 2 active on its bias; output = b3 (weights 0).
    const Problem pb = deep(2, 2, {{0, 1}, {1, 2}, {2, 6}});  // mean label 3
    auto point = [](Rational out) {
        return Vector{0, 0, -1, -1,  0, 0, 0, 0, 1, 1,  0, 0, out};
    };
    const Verdict at_mean = local_min(pb, point(3));
    BOOST_TEST((at_mean.outcome() == Outcome::certified));
    BOOST_TEST(at_mean.method() == "dead-layer");
    const Verdict off = local_min(pb, point(Rational(3001, 1000)));
    BOOST_TEST((off.outcome() == Outcome::refuted));
    BOOST_TEST(off.method() == "dead-layer");
}

BOOST_AUTO_TEST_CASE(two_hidden_layers_at_a_kink_by_linear_relaxation) {
    // Example 1's bad function through two relu layers: layer 2 sits on kinks wherever layer 1 is off
    // (x = 1 and x = -1, residuals 3 and -3). Both kink pairs have the same pre-activation b2 near P, so they
    // switch together, their outputs move together, and the residuals cancel: a local minimum, certified by
    // the linear relaxation with shared kink signs. Moving the output bias by 1/1000 must not certify.
    const Problem pb = deep(1, 1, {{5, 2}, {4, 1}, {3, 0}, {1, -3}, {-1, 3}});
    const Vector p = {1, -3, 1, 0, 1, 0};
    const Verdict v = local_min(pb, p);
    BOOST_TEST((v.outcome() == Outcome::certified));
    BOOST_TEST(v.method() == "linear-relaxation");
    const Verdict off = local_min(pb, {1, -3, 1, 0, 1, Rational(1, 1000)});
    BOOST_TEST((off.outcome() != Outcome::certified));
}

BOOST_AUTO_TEST_CASE(ray_expansion_is_the_exact_polynomial) {
    // Example 1 at its bad point along c: L(P + t e_c) = 18 + 2 t (sum of residuals) + 5 t^2, with
    // residuals = outputs (2, 1, 0, 0, 0) - labels (2, 1, 0, -3, 3) = (0, 0, 0, 3, -3).
    const Problem pb = example1();
    const Series s = loss_along_ray(pb, {1, -3, 1, 0}, {0, 0, 0, 1});
    BOOST_REQUIRE(s.c.size() == 3u);
    BOOST_TEST(s.c[0] == Rational(18));
    BOOST_TEST(s.c[1] == Rational(0));  // residuals (0, 0, 0, 3, -3) sum to 0
    BOOST_TEST(s.c[2] == Rational(5));
    // Along w the unit switches on at the kink x = 3 for t > 0: the series must match the exact loss
    // at a small t.
    const Vector d = {1, 0, 0, 0};
    const Series sw = loss_along_ray(pb, {1, -3, 1, 0}, d);
    const Rational t(1, 1000);
    Rational poly = 0;
    for (std::size_t k = sw.c.size(); k-- > 0;) poly = poly * t + sw.c[k];
    BOOST_TEST(poly == loss(pb, {1 + t, -3, 1, 0}));
}

BOOST_AUTO_TEST_SUITE_END()
