// blind_spot P and blind_spot P within r: the paper's examples, strictness at kinks, deep and relu-free
// networks, transcendental layers before a relu layer, and property tests against a naive re-computation
// (exact points) and against exact samples of the box (a certified box has the blind spot everywhere).
#include "kernel/autodiff.hpp"
#include "kernel/kernel.hpp"
#include "problems.hpp"

#include <boost/test/unit_test.hpp>

#include <random>

using namespace nncert::kernel;
using namespace nncert::testing;

namespace {

Outcome outcome(const Problem& pb, const Vector& p, std::optional<Rational> radius = std::nullopt) {
    Claim c;
    c.kind = ClaimKind::blind_spot;
    c.radius = radius;
    return check(pb, {{"p", p}}, c).outcome();
}

Verdict verdict(const Problem& pb, const Vector& p) {
    Claim c;
    c.kind = ClaimKind::blind_spot;
    return check(pb, {{"p", p}}, c);
}

// Naive: some data point where every unit of some hidden relu layer has a negative input (exact).
bool naive_blind_spot(const Problem& pb, const Vector& p) {
    Pass<Rational> pass;
    for (const Sample& s : pb.data) {
        forward(pb.net, p, s.x, pass);
        for (std::size_t l = 0; l + 1 < pb.net.layers.size(); ++l) {
            if (pb.net.layers[l].activation.kind != ActivationKind::relu) continue;
            bool all = true;
            for (const Rational& z : pass.z[l]) all = all && z < 0;
            if (all) return true;
        }
    }
    return false;
}

// Two relu layers of widths 2 and 2 on 1-D input, identity output; parameters W1, b1, W2, b2, W3, b3.
Problem deep(std::vector<std::pair<Rational, Rational>> data) {
    Problem pb;
    pb.net.input_dim = 1;
    pb.net.layers = {{2, act(ActivationKind::relu)}, {2, act(ActivationKind::relu)}, {1, act(ActivationKind::identity)}};
    for (auto& [x, y] : data) pb.data.push_back({{x}, {y}});
    return pb;
}

Rational rand_q(std::mt19937_64& g, long range, long den) {
    return Rational(static_cast<long>(g() % static_cast<unsigned long>(2 * range * den + 1)) - range * den, den);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(blind_spot)

BOOST_AUTO_TEST_CASE(paper_example2) {
    const Problem pb = example2();
    // The exact fit: both units off at x = 1 (row 3).
    const Vector global{-5, 1, 1, -8, 1, -1, -1};
    const Verdict v = verdict(pb, global);
    BOOST_TEST((v.outcome() == Outcome::certified));
    BOOST_TEST(v.method() == "exact-forward");
    const Value* spots = field(v.evidence(), "blind_spots");
    BOOST_TEST_REQUIRE(spots);
    BOOST_TEST(std::get<List>(spots->data).size() == 1u);
    // The local minimum: x = 10 sits on unit 2's kink (input exactly 0), which is not a blind spot.
    const Vector local{-3, 1, Rational(13, 3), -10, 1, -1, -3};
    BOOST_TEST((outcome(pb, local) == Outcome::refuted));
    BOOST_TEST((outcome(pb, global, Rational(1, 100)) == Outcome::certified));
    BOOST_TEST((outcome(pb, local, Rational(1, 100)) == Outcome::refuted));
    // A box wide enough to switch a unit on at x = 1 certifies nothing; its centre has a blind spot, so it
    // is not refuted either.
    BOOST_TEST((outcome(pb, global, Rational(3)) == Outcome::inconclusive));
}

BOOST_AUTO_TEST_CASE(paper_example1) {
    // The bad point: the unit is off at x = 1 and x = -1.
    BOOST_TEST((outcome(example1(), {1, -3, 1, 0}) == Outcome::certified));
    BOOST_TEST((outcome(example1(), {-7, -4, 1, 0}) == Outcome::certified));  // off at x = 5, 4, 3, 1
    BOOST_TEST((outcome(example1(), {1, 10, 1, 0}) == Outcome::refuted));     // on everywhere
}

BOOST_AUTO_TEST_CASE(deep_networks_and_layers_without_relu) {
    const Problem pb = deep({{0, 1}, {1, 2}});
    // Layer 1 on at both points, layer 2 off at x = 1 only.
    const Vector p{1, 1, 1, 1, /*W2*/ -1, 0, -1, 0, /*b2*/ 1, 1, /*W3*/ 1, 1, /*b3*/ 0};
    const Verdict v = verdict(pb, p);
    BOOST_TEST((v.outcome() == Outcome::certified));
    const Value* spots = field(v.evidence(), "blind_spots");
    BOOST_TEST_REQUIRE(spots);
    const Value& first = std::get<List>(spots->data).at(0);
    BOOST_TEST(std::get<long long>(field(first, "layer")->data) == 2);
    BOOST_TEST(std::get<long long>(field(first, "data")->data) == 2);
    // No hidden relu layer: leaky_relu units are never off; a relu output layer is not hidden.
    Activation leaky = act(ActivationKind::leaky_relu);
    leaky.alpha = Rational(1, 10);
    BOOST_TEST((outcome(one_hidden(1, leaky, {{1, 1}}), {-1, -1, 1, 0}) == Outcome::refuted));
    Problem relu_out = one_hidden(1, act(ActivationKind::identity), {{1, 1}});
    relu_out.net.layers.back().activation = act(ActivationKind::relu);
    BOOST_TEST((outcome(relu_out, {-1, -1, 1, -5}) == Outcome::refuted));
    BOOST_TEST((outcome(relu_out, {-1, -1, 1, -5}, Rational(1, 10)) == Outcome::refuted));
}

BOOST_AUTO_TEST_CASE(transcendental_layer_before_relu) {
    // tanh layer, then a relu layer: the relu inputs are transcendental; only boxes (radius 0 included) decide.
    Problem pb;
    pb.net.input_dim = 1;
    pb.net.layers = {{1, act(ActivationKind::tanh)}, {1, act(ActivationKind::relu)}, {1, act(ActivationKind::identity)}};
    pb.data = {{{1}, {0}}, {{-1}, {0}}};
    // relu input = tanh(x) - 2 < 0 everywhere: a blind spot at every data point.
    const Vector p{1, 0, 1, -2, 1, 0};
    BOOST_TEST((outcome(pb, p, Rational(0)) == Outcome::certified));
    BOOST_TEST((outcome(pb, p, Rational(1, 10)) == Outcome::certified));
    // relu input = tanh(x) + 2 > 0: certainly alive at the centre, refuted.
    const Vector q{1, 0, 1, 2, 1, 0};
    BOOST_TEST((outcome(pb, q, Rational(0)) == Outcome::refuted));
    BOOST_TEST((outcome(pb, q, Rational(1, 10)) == Outcome::refuted));
    // relu input = tanh(x) at x = -1 is negative, at x = 1 positive, plus a box so wide that neither is sure.
    const Vector r{1, 0, 1, 0, 1, 0};
    BOOST_TEST((outcome(pb, r, Rational(0)) == Outcome::certified));
    BOOST_TEST((outcome(pb, r, Rational(2)) == Outcome::inconclusive));
    // Without a box the kernel answers inconclusive (the front end rejects such a claim: needs-within).
    BOOST_TEST((outcome(pb, p) == Outcome::inconclusive));
}

BOOST_AUTO_TEST_CASE(random_points_match_the_naive_definition) {
    std::mt19937_64 g(314);
    std::size_t certified = 0, refuted = 0, kinked = 0;
    for (int t = 0; t < 400; ++t) {
        const std::size_t m = 1 + g() % 3, n = 2 + g() % 4;
        std::vector<std::pair<Rational, Rational>> data;
        for (std::size_t i = 0; i < n; ++i) data.emplace_back(rand_q(g, 3, 1), rand_q(g, 3, 2));
        Problem pb = t % 3 == 2 ? deep(data) : one_hidden(m, act(ActivationKind::relu), data);
        Vector p(pb.net.num_params());
        for (Rational& x : p) x = rand_q(g, 2, 1);
        // Put one unit exactly on a data point's kink sometimes: input 0 is not "off".
        if (t % 4 == 0) p[pb.net.bias_offset(0)] = -p[pb.net.weight_offset(0)] * pb.data[0].x[0];
        const bool expect = naive_blind_spot(pb, p);
        BOOST_TEST_CONTEXT("point " << t) {
            BOOST_TEST((outcome(pb, p) == (expect ? Outcome::certified : Outcome::refuted)));
            BOOST_TEST((outcome(pb, p, Rational(0)) == (expect ? Outcome::certified : Outcome::refuted)));
        }
        (expect ? certified : refuted) += 1;
        kinked += t % 4 == 0;
    }
    BOOST_TEST(certified >= 80u);
    BOOST_TEST(refuted >= 80u);
}

BOOST_AUTO_TEST_CASE(certified_boxes_hold_at_exact_samples) {
    // Containment: when `blind_spot P within r` is certified, every exact sample of the box has a blind spot
    // (at the same data point and layer, which the naive check does not need).
    std::mt19937_64 g(2718);
    std::size_t boxes = 0;
    for (int t = 0; t < 200; ++t) {
        std::vector<std::pair<Rational, Rational>> data;
        for (int i = 0; i < 3; ++i) data.emplace_back(rand_q(g, 3, 1), 0);
        const Problem pb = one_hidden(2, act(ActivationKind::relu), data);
        Vector p(pb.net.num_params());
        for (Rational& x : p) x = rand_q(g, 2, 2);
        const Rational r(1 + static_cast<long>(g() % 4), 8);
        if (outcome(pb, p, r) != Outcome::certified) continue;
        ++boxes;
        for (int s = 0; s < 30; ++s) {
            Vector q = p;
            for (Rational& x : q) x += r * rand_q(g, 1, 16);  // |offset| <= r
            BOOST_TEST(naive_blind_spot(pb, q), "certified box " << t << " has a sample without a blind spot");
        }
    }
    BOOST_TEST(boxes >= 20u);
}

BOOST_AUTO_TEST_SUITE_END()
