// Verdicts of the interval engine's claims (`... within r`): certified strict minima of sigmoid, tanh and
// bce problems, refuted saddles and empty boxes, inconclusive wide boxes, kinks and missing boxes.
#include "kernel/kernel.hpp"
#include "test_interval_support.hpp"
#include "problems.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <iostream>

using namespace nncert::kernel;
using namespace nncert::testing;

namespace {

Vector decs(const std::vector<std::string>& v) {
    Vector out;
    for (const std::string& s : v) out.push_back(dec(s));
    return out;
}

Claim box_claim(ClaimKind k, const Rational& r, std::size_t p = 0) {
    Claim c;
    c.kind = k;
    c.point = p;
    c.radius = r;
    return c;
}

Rational ten_to_minus(int k) { return Rational(1, boost::multiprecision::pow(Integer(10), static_cast<unsigned>(k))); }

Outcome run(const Problem& pb, const std::vector<Point>& pts, const Claim& c, unsigned bits = 128) {
    Options o;
    o.precision_bits = bits;
    return check(pb, pts, c, o).outcome();
}

// 1-1-1 sigmoid hidden unit, identity output, sse; parameters (w, b, v, c). A strict minimum found by
// float Newton (Hessian eigenvalues about 0.0128, 0.0739, 1.19, 13.5), loss about 0.0029278705676.
Problem sigmoid_fit() {
    return one_hidden(1, act(ActivationKind::sigmoid),
                      {{-2, 0}, {-1, Rational(1, 8)}, {0, Rational(5, 8)}, {1, Rational(7, 8)}, {2, 1}});
}
const Vector sigmoid_min = decs({"2.0915199357271312", "0.5350584951319493", "1.017440029253224", "-0.03538548163255547"});

// The same network on other data: a nondegenerate saddle (eigenvalues about -0.0253, 0.0242, 1.08, 15.5).
Problem sigmoid_saddle_data() {
    return one_hidden(1, act(ActivationKind::sigmoid), {{-2, 0}, {-1, 1}, {0, 0}, {1, 1}, {2, 1}});
}
const Vector sigmoid_saddle = decs({"-0.9811182559975922", "1.2245169728141967", "-1.187515728633002", "1.4355357538025777"});

// 1-1-1 tanh: a strict minimum (eigenvalues about 0.194, 0.815, 6.49, 11.5).
Problem tanh_fit() {
    return one_hidden(1, act(ActivationKind::tanh),
                      {{-2, Rational(-7, 8)}, {-1, Rational(-5, 8)}, {0, Rational(1, 8)}, {1, Rational(3, 4)}, {2, Rational(7, 8)}});
}
const Vector tanh_min = decs({"0.9948519076958439", "0.15041382832821693", "0.9114337238342985", "-0.004556373890442941"});

// 1-2-1 tanh on seven points: a saddle with one slightly negative eigenvalue (about -0.000181).
Problem tanh_wide() {
    return one_hidden(2, act(ActivationKind::tanh),
                      {{-2, -1}, {-1, Rational(-3, 4)}, {0, Rational(1, 4)}, {1, Rational(3, 4)}, {2, 1},
                       {3, Rational(7, 8)}, {-3, Rational(-1, 2)}});
}
const Vector tanh_saddle = decs({"0.8592763173675898", "0.8399472143343545", "0.517492307303878", "1.9903521191141293",
                                 "1.3922568325088316", "-0.8740250263663597", "0.42390651651246836"});

// Logistic regression with bce (mean) on non-separable data: a unique strict minimum.
Problem logistic() {
    Problem pb;
    pb.net.input_dim = 1;
    pb.net.layers = {{1, act(ActivationKind::sigmoid)}};
    pb.loss = LossKind::bce;
    pb.data = {{{-2}, {0}}, {{-1}, {1}}, {{0}, {0}}, {{1}, {1}}, {{2}, {1}}};
    return pb;
}
const Vector logistic_min = decs({"1.0904255602981154", "0.6226900654337579"});

// Wall-clock time of one check, in milliseconds (printed for the report; never asserted).
Verdict timed(const std::string& what, const Problem& pb, const std::vector<Point>& pts, const Claim& c) {
    const auto t0 = std::chrono::steady_clock::now();
    Verdict v = check(pb, pts, c);
    const auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    BOOST_TEST_MESSAGE("timing " << what << ": " << ms << " ms");
    return v;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(interval_claims)

BOOST_AUTO_TEST_CASE(sigmoid_strict_minimum_certified) {
    const Problem pb = sigmoid_fit();
    const std::vector<Point> pts = {{"P", sigmoid_min}};
    const Verdict v = timed("sigmoid 1-1-1 strict_local_min", pb, pts, box_claim(ClaimKind::strict_local_min, ten_to_minus(10)));
    BOOST_TEST((v.outcome() == Outcome::certified));
    // The automatic engine choice: the ball engine decides; forced to MPFI, the exact LDL^T test decides.
    BOOST_TEST(v.method() == "krawczyk+box-cholesky");
    BOOST_TEST(v.engine() == "ball");
    Options mpfi_only;
    mpfi_only.engine = Engine::mpfi;
    const Verdict vm = check(pb, pts, box_claim(ClaimKind::strict_local_min, ten_to_minus(10)), mpfi_only);
    BOOST_TEST((vm.outcome() == Outcome::certified));
    BOOST_TEST(vm.method() == "krawczyk+box-ldlt");
    BOOST_TEST(vm.engine() == "mpfi");
    for (const Verdict* w : {&v, &vm}) {
        const Value* lam = field(w->evidence(), "lambda_min_greater_than");
        BOOST_REQUIRE(lam);
        BOOST_TEST(std::get<Rational>(lam->data) > Rational(1, 100));  // true lambda_min ~ 0.0128
        BOOST_TEST(std::get<Rational>(lam->data) < Rational(13, 1000));
    }
    BOOST_TEST((run(pb, pts, box_claim(ClaimKind::critical, ten_to_minus(10))) == Outcome::certified));
    BOOST_TEST((run(pb, pts, box_claim(ClaimKind::hessian_pd, ten_to_minus(10))) == Outcome::certified));
    BOOST_TEST((run(pb, pts, box_claim(ClaimKind::kink_free, ten_to_minus(10))) == Outcome::certified));
}

BOOST_AUTO_TEST_CASE(tanh_and_bce_strict_minima_certified) {
    const std::vector<Point> t = {{"T", tanh_min}};
    BOOST_TEST((timed("tanh 1-1-1 strict_local_min", tanh_fit(), t, box_claim(ClaimKind::strict_local_min, ten_to_minus(10)))
                    .outcome() == Outcome::certified));
    const std::vector<Point> l = {{"L", logistic_min}};
    BOOST_TEST((timed("bce logistic strict_local_min", logistic(), l, box_claim(ClaimKind::strict_local_min, ten_to_minus(10)))
                    .outcome() == Outcome::certified));
}

BOOST_AUTO_TEST_CASE(saddles_refuted) {
    const std::vector<Point> s = {{"S", sigmoid_saddle}};
    const Verdict v = timed("sigmoid saddle", sigmoid_saddle_data(), s, box_claim(ClaimKind::strict_local_min, ten_to_minus(10)));
    BOOST_TEST((v.outcome() == Outcome::refuted));
    BOOST_REQUIRE(field(v.evidence(), "curvature_at_most"));
    BOOST_TEST(std::get<Rational>(field(v.evidence(), "curvature_at_most")->data) < 0);
    BOOST_TEST((run(sigmoid_saddle_data(), s, box_claim(ClaimKind::critical, ten_to_minus(10))) == Outcome::certified));
    Claim negated = box_claim(ClaimKind::strict_local_min, ten_to_minus(10));
    negated.negated = true;
    BOOST_TEST((run(sigmoid_saddle_data(), s, negated) == Outcome::certified));
    const std::vector<Point> w = {{"W", tanh_saddle}};
    BOOST_TEST((timed("tanh 1-2-1 saddle", tanh_wide(), w, box_claim(ClaimKind::strict_local_min, ten_to_minus(10)))
                    .outcome() == Outcome::refuted));
}

BOOST_AUTO_TEST_CASE(box_without_critical_point_refuted) {
    Vector off = sigmoid_min;
    off[0] += Rational(1, 10);
    const std::vector<Point> pts = {{"Off", off}};
    const Verdict v = check(sigmoid_fit(), pts, box_claim(ClaimKind::critical, Rational(1, 1000)));
    BOOST_TEST((v.outcome() == Outcome::refuted));
    BOOST_TEST(std::get<std::string>(field(v.evidence(), "result")->data) == "no critical point in this box");
    BOOST_TEST((run(sigmoid_fit(), pts, box_claim(ClaimKind::strict_local_min, Rational(1, 1000))) == Outcome::refuted));
}

BOOST_AUTO_TEST_CASE(too_wide_or_too_coarse_is_inconclusive_then_certified) {
    const Problem pb = sigmoid_fit();
    const std::vector<Point> pts = {{"P", sigmoid_min}};
    const Verdict wide = check(pb, pts, box_claim(ClaimKind::strict_local_min, Rational(1, 2)));
    BOOST_TEST((wide.outcome() == Outcome::inconclusive));
    BOOST_TEST(!wide.reason().empty());
    // Krawczyk alone on the wide box: |I - Y H(X)| is far above 1, so no existence claim either.
    BOOST_TEST((run(pb, pts, box_claim(ClaimKind::critical, Rational(1, 2))) == Outcome::inconclusive));
    BOOST_TEST((run(pb, pts, box_claim(ClaimKind::critical, Rational(1, 100))) == Outcome::inconclusive));
    BOOST_TEST((run(pb, pts, box_claim(ClaimKind::strict_local_min, ten_to_minus(6))) == Outcome::certified));
    // Radius 10^-12 is far below what 32-bit endpoints can resolve; 128 bits certifies the same box.
    BOOST_TEST((run(pb, pts, box_claim(ClaimKind::critical, ten_to_minus(12)), 32) == Outcome::inconclusive));
    BOOST_TEST((run(pb, pts, box_claim(ClaimKind::critical, ten_to_minus(12)), 128) == Outcome::certified));
}

BOOST_AUTO_TEST_CASE(relu_box_straddling_a_kink_is_never_certified) {
    const Problem pb = example1();
    const std::vector<Point> pts = {{"K", {1, -3, 1, 0}}, {"Near", {1, Rational(-2999, 1000), 1, 0}}};
    for (ClaimKind k : {ClaimKind::critical, ClaimKind::strict_local_min, ClaimKind::hessian_pd})
        for (std::size_t p : {0, 1}) {
            const Verdict v = check(pb, pts, box_claim(k, Rational(1, 100), p));
            BOOST_TEST((v.outcome() == Outcome::inconclusive));
            BOOST_TEST(v.reason().find("straddles a kink") != std::string::npos);
        }
    BOOST_TEST((run(pb, pts, box_claim(ClaimKind::kink_free, Rational(1, 100), 0)) == Outcome::refuted));
    BOOST_TEST((run(pb, pts, box_claim(ClaimKind::kink_free, Rational(1, 100), 1)) == Outcome::inconclusive));
    BOOST_TEST((run(pb, pts, box_claim(ClaimKind::kink_free, Rational(1, 10000), 1)) == Outcome::certified));
}

BOOST_AUTO_TEST_CASE(transcendental_claims_need_a_box) {
    const Problem pb = sigmoid_fit();
    const std::vector<Point> pts = {{"P", sigmoid_min}, {"Q", {1, 0, 1, 0}}};
    for (ClaimKind k : {ClaimKind::loss, ClaimKind::gap, ClaimKind::kink_free, ClaimKind::critical,
                        ClaimKind::hessian_pd, ClaimKind::strict_local_min, ClaimKind::local_min}) {
        Claim c;
        c.kind = k;
        c.other = 1;
        const Verdict v = check(pb, pts, c);
        BOOST_TEST((v.outcome() == Outcome::inconclusive));
        BOOST_TEST(v.reason().find("within r") != std::string::npos);
    }
    Claim bce_exact;
    bce_exact.kind = ClaimKind::critical;
    const std::vector<Point> l = {{"L", logistic_min}};
    BOOST_TEST((run(logistic(), l, bce_exact) == Outcome::inconclusive));
}

BOOST_AUTO_TEST_CASE(loss_range_gap_and_accuracy_over_a_box) {
    Problem pb = sigmoid_fit();
    const std::vector<Point> pts = {{"P", sigmoid_min}, {"Q", {1, 0, 1, 0}}};
    Claim c = box_claim(ClaimKind::loss, ten_to_minus(10));
    c.lower = dec("0.0029278");
    c.upper = dec("0.0029279");
    BOOST_TEST((run(pb, pts, c) == Outcome::certified));
    c.lower = dec("0.003");
    c.upper = 1;
    BOOST_TEST((run(pb, pts, c) == Outcome::refuted));
    c.lower.reset();
    c.upper = dec("0.0029278705676");  // within the box's spread of the true loss 0.00292787056761...
    BOOST_TEST((run(pb, pts, c) != Outcome::certified));

    Claim g = box_claim(ClaimKind::gap, Rational(1, 1000), 1);  // loss near Q (about 0.085) > loss at P
    g.other = 0;
    BOOST_TEST((run(pb, pts, g) == Outcome::certified));
    std::swap(g.point, g.other);
    g.radius = ten_to_minus(10);
    BOOST_TEST((run(pb, pts, g) == Outcome::refuted));

    pb.classify = ClassifyRule{Rational(13, 100)};  // the point y = 1/8 is fitted at about 0.1418: wrong
    Claim a = box_claim(ClaimKind::accuracy, ten_to_minus(10));
    a.value = Rational(4, 5);
    BOOST_TEST((run(pb, pts, a) == Outcome::certified));
    a.value = 1;
    BOOST_TEST((run(pb, pts, a) == Outcome::refuted));
    a.radius = Rational(1);
    BOOST_TEST((run(pb, pts, a) == Outcome::refuted));  // undecided on the box, but 4/5 at the centre
    a.value = Rational(4, 5);
    BOOST_TEST((run(pb, pts, a) == Outcome::inconclusive));
}

BOOST_AUTO_TEST_CASE(exact_problems_keep_exact_claims_and_accept_boxes) {
    // Linear least squares y = w x + b on (0, 0), (1, 1), (2, 1): the minimum is exactly (1/2, 1/6).
    Problem pb;
    pb.net.input_dim = 1;
    pb.net.layers = {{1, act(ActivationKind::identity)}};
    pb.data = {{{0}, {0}}, {{1}, {1}}, {{2}, {1}}};
    const std::vector<Point> pts = {{"M", {Rational(1, 2), Rational(1, 6)}}};
    Claim exact;
    exact.kind = ClaimKind::strict_local_min;
    BOOST_TEST(check(pb, pts, exact).method() == "second-order");
    BOOST_TEST((run(pb, pts, exact) == Outcome::certified));
    BOOST_TEST((run(pb, pts, box_claim(ClaimKind::strict_local_min, Rational(1, 10))) == Outcome::certified));

    // A loss range without a box on an exact problem is decided exactly.
    const Problem e1 = example1();
    const std::vector<Point> bad = {{"bad", {1, -3, 1, 0}}};
    Claim range;
    range.kind = ClaimKind::loss;
    range.lower = 18;
    range.upper = 18;
    BOOST_TEST((run(e1, bad, range) == Outcome::certified));
    range.lower = Rational(18001, 1000);
    range.upper = 19;
    BOOST_TEST((run(e1, bad, range) == Outcome::refuted));
}

BOOST_AUTO_TEST_CASE(xor_plateaus_are_never_certified) {
    // 2-2-1 sigmoid network with sigmoid output on XOR (Hamey 1995: no strict local minimum at finite
    // weights). The origin is a critical point (every output is 1/2, the mean target); the others are
    // saturated plateau-like points. None may be certified a strict local minimum at any radius.
    Problem pb;
    pb.net.input_dim = 2;
    pb.net.layers = {{2, act(ActivationKind::sigmoid)}, {1, act(ActivationKind::sigmoid)}};
    pb.data = {{{0, 0}, {0}}, {{0, 1}, {1}}, {{1, 0}, {1}}, {{1, 1}, {0}}};
    const std::vector<Point> pts = {
        {"origin", Vector(9, Rational(0))},
        {"saturated", {8, 8, -8, -8, -4, 12, 10, -10, -5}},
        {"half", {6, 6, 6, 6, -3, -9, 1, -1, 0}}};
    for (std::size_t p = 0; p < pts.size(); ++p)
        for (const Rational& r : {ten_to_minus(12), ten_to_minus(6), Rational(1, 10)})
            BOOST_TEST((run(pb, pts, box_claim(ClaimKind::strict_local_min, r, p)) != Outcome::certified));
}

BOOST_AUTO_TEST_SUITE_END()
