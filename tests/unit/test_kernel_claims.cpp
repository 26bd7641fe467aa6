// Verdicts of the exact claims: what must be certified, what must be refuted (with its witness), and
// what must stay inconclusive.
#include "kernel/kernel.hpp"
#include "problems.hpp"

#include <boost/test/unit_test.hpp>

using namespace nncert::kernel;
using namespace nncert::testing;

namespace {

Claim claim(ClaimKind k, std::size_t p = 0, bool negated = false) {
    Claim c;
    c.kind = k;
    c.point = p;
    c.negated = negated;
    return c;
}

// A one-layer (no hidden layer) poly model: f(x) = p(w x + b), p(z) = z + z^2, squared loss.
Problem poly_single() {
    Problem pb;
    pb.net.input_dim = 1;
    pb.net.layers = {{1, poly({0, 1, 1})}};
    pb.data = {{{0}, {0}}, {{1}, {0}}};
    return pb;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(kernel_claims)

BOOST_AUTO_TEST_CASE(loss_and_gap) {
    const Problem pb = example1();
    const std::vector<Point> pts = {{"bad", {1, -3, 1, 0}}, {"good", {-7, -4, 1, 0}}};
    Claim c = claim(ClaimKind::loss);
    c.value = 18;
    BOOST_TEST((check(pb, pts, c).outcome() == Outcome::certified));
    c.value = Rational(18001, 1000);
    const Verdict wrong = check(pb, pts, c);
    BOOST_TEST((wrong.outcome() == Outcome::refuted));
    BOOST_TEST((std::get<Rational>(field(wrong.evidence(), "loss")->data) == 18));
    Claim g = claim(ClaimKind::gap);
    g.other = 1;
    BOOST_TEST((check(pb, pts, g).outcome() == Outcome::certified));
    std::swap(g.point, g.other);
    BOOST_TEST((check(pb, pts, g).outcome() == Outcome::refuted));
    g.other = g.point;  // a point is never strictly better than itself
    BOOST_TEST((check(pb, pts, g).outcome() == Outcome::refuted));
}

BOOST_AUTO_TEST_CASE(kinks_block_smooth_certificates) {
    const Problem pb = example1();
    const std::vector<Point> pts = {{"bad", {1, -3, 1, 0}}};
    BOOST_TEST((check(pb, pts, claim(ClaimKind::kink_free)).outcome() == Outcome::refuted));
    BOOST_TEST((check(pb, pts, claim(ClaimKind::kink_free, 0, true)).outcome() == Outcome::certified));
    // The only kinked data point (x = 3) fits its target exactly, so the loss is differentiable at `bad` and
    // `critical` is decided (docs/certificates.md, "Kinked points with zero residual"); the Hessian is not.
    BOOST_TEST((check(pb, pts, claim(ClaimKind::critical)).outcome() == Outcome::certified));
    for (ClaimKind k : {ClaimKind::hessian_pd}) {
        BOOST_TEST((check(pb, pts, claim(k)).outcome() == Outcome::inconclusive));
        // `not` of an inconclusive claim stays inconclusive: never certified by default.
        BOOST_TEST((check(pb, pts, claim(k, 0, true)).outcome() == Outcome::inconclusive));
    }
    // Not strict, whatever the kink: the rescaling curve keeps the loss at 18.
    const Verdict s = check(pb, pts, claim(ClaimKind::strict_local_min));
    BOOST_TEST((s.outcome() == Outcome::refuted));
    BOOST_TEST(s.method() == "rescaling-curve");
}

BOOST_AUTO_TEST_CASE(a_unit_with_zero_weights_gives_no_rescaling_curve) {
    // One relu unit with all weights 0: rescaling does not move it (no rescaling curve). Its outgoing weight
    // is 0, so its bias moves freely without changing the function: a flat line, checked by the exact
    // expansion, refutes strictness (flat-curve), never the rescaling argument.
    const Problem pb = example1();
    const std::vector<Point> pts = {{"zero", {0, 0, 0, 0}}};
    const Verdict v = check(pb, pts, claim(ClaimKind::strict_local_min));
    BOOST_TEST((v.outcome() == Outcome::refuted));
    BOOST_TEST(v.method() == "flat-curve");
    BOOST_TEST(field(v.evidence(), "curve") != nullptr);
}

BOOST_AUTO_TEST_CASE(printed_example2_is_not_critical) {
    const Problem pb = example2();
    const std::vector<Point> pts = {{"printed", {-5, -1, 1, -8, 1, -1, -1}}};
    const Verdict v = check(pb, pts, claim(ClaimKind::critical));
    BOOST_TEST((v.outcome() == Outcome::refuted));
    const Value* g = field(v.evidence(), "nonzero_gradient");
    BOOST_REQUIRE(g);
    BOOST_TEST((std::get<Rational>(field(*g, "b2[1]")->data) == 18));
    BOOST_TEST((check(pb, pts, claim(ClaimKind::critical, 0, true)).outcome() == Outcome::certified));
    BOOST_TEST((check(pb, pts, claim(ClaimKind::strict_local_min)).outcome() == Outcome::refuted));
}

BOOST_AUTO_TEST_CASE(strict_minimum_and_saddle_of_a_poly_model) {
    // L(w, b) = (b + b^2)^2 + (w + b + (w + b)^2)^2. At (0, 0): L = 0, gradient 0, H = 2 [[1, 1], [1, 2]] > 0.
    const Problem pb = poly_single();
    const std::vector<Point> pts = {{"min", {0, 0}}, {"saddle", {Rational(-1, 2), Rational(-1, 2)}}};
    BOOST_TEST((check(pb, pts, claim(ClaimKind::critical)).outcome() == Outcome::certified));
    BOOST_TEST((check(pb, pts, claim(ClaimKind::hessian_pd)).outcome() == Outcome::certified));
    BOOST_TEST((check(pb, pts, claim(ClaimKind::strict_local_min)).outcome() == Outcome::certified));
    // At (-1/2, -1/2): b = -1/2 is where z + z^2 has its minimum, so each residual is stationary.
    const Verdict s = check(pb, pts, claim(ClaimKind::strict_local_min, 1));
    BOOST_TEST((check(pb, pts, claim(ClaimKind::critical, 1)).outcome() == Outcome::certified));
    BOOST_TEST((s.outcome() == Outcome::refuted));
    BOOST_TEST(std::get<Rational>(field(s.evidence(), "curvature")->data) < 0);
    const Value* descent = field(s.evidence(), "descent_ray");
    BOOST_REQUIRE(descent);
    BOOST_TEST(std::get<Rational>(field(*descent, "loss_at_point_plus_step")->data) <
               std::get<Rational>(field(*descent, "loss_at_point")->data));
}

BOOST_AUTO_TEST_CASE(rescaling_symmetry_is_not_a_strict_minimum) {
    // Example 2 corrected, global point: loss 0 but the relu rescaling makes the Hessian singular.
    const Problem pb = example2();
    const std::vector<Point> pts = {{"global", {-5, 1, 1, -8, 1, -1, -1}}};
    const Verdict v = check(pb, pts, claim(ClaimKind::strict_local_min));
    BOOST_TEST((v.outcome() != Outcome::certified));
    BOOST_TEST((check(pb, pts, claim(ClaimKind::hessian_pd)).outcome() == Outcome::refuted));
    BOOST_TEST((check(pb, pts, claim(ClaimKind::local_min)).outcome() == Outcome::certified));
}

BOOST_AUTO_TEST_CASE(accuracy_counts_ties_as_wrong) {
    Problem pb;
    pb.net.input_dim = 1;
    pb.net.layers = {{1, act(ActivationKind::identity)}};
    pb.data = {{{1}, {1}}, {{-1}, {0}}, {{0}, {1}}};
    pb.classify = ClassifyRule{Rational(1, 2)};
    // f(x) = x + 1/2: outputs 3/2 (right), -1/2 (right), 1/2 (a tie: wrong).
    const std::vector<Point> pts = {{"p", {1, Rational(1, 2)}}};
    Claim c = claim(ClaimKind::accuracy);
    c.value = Rational(2, 3);
    BOOST_TEST((check(pb, pts, c).outcome() == Outcome::certified));
    c.value = 1;
    BOOST_TEST((check(pb, pts, c).outcome() == Outcome::refuted));
}

BOOST_AUTO_TEST_CASE(transcendental_networks_are_not_decided_exactly) {
    Problem pb = example1();
    pb.net.layers[0].activation = act(ActivationKind::sigmoid);
    const std::vector<Point> pts = {{"p", {1, -3, 1, 0}}};
    Claim c = claim(ClaimKind::loss);
    c.value = 18;
    BOOST_TEST((check(pb, pts, c).outcome() == Outcome::inconclusive));
}

BOOST_AUTO_TEST_SUITE_END()
