// Segment claims: exact polynomials and real roots (Sturm isolation, exact comparison of irrational numbers),
// the piecewise-polynomial loss along a segment against the exact loss at random rational t, and the claims'
// soundness on random ReLU networks: every certified barrier's t is re-checked, every refuted barrier is
// checked against sampled t, monotone verdicts against sorted samples, exact against interval verdicts.
#include "kernel/exact.hpp"
#include "kernel/kernel.hpp"
#include "kernel/segment/checks.hpp"
#include "kernel/segment/piecewise_loss.hpp"
#include "kernel/segment/polynomial.hpp"
#include "kernel/segment/real_root.hpp"
#include "problems.hpp"
#include "script/script.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <random>

namespace k = nncert::kernel;
using k::Polynomial;
using k::Rational;
using k::RealRoot;
using nncert::testing::act;
using nncert::testing::field;

namespace {

// `monotone P Q` between points p and q (by index), every other field at its default.
k::Claim monotone_claim(std::size_t p, std::size_t q) {
    k::Claim c;
    c.kind = k::ClaimKind::monotone;
    c.point = p;
    c.other = q;
    return c;
}

Polynomial linear_root(const Rational& r) { return Polynomial::linear(-r, 1); }  // t - r

Rational random_rational(std::mt19937_64& rng, long long lo, long long hi, long long den) {
    std::uniform_int_distribution<long long> num(lo * den, hi * den);
    return Rational(num(rng), den);
}

// A random ReLU network: 1 or 2 inputs, one or two hidden relu/leaky layers of width 1-3, identity output.
k::Problem random_problem(std::mt19937_64& rng) {
    std::uniform_int_distribution<int> coin(0, 1), width(1, 3), n(2, 5);
    k::Problem pb;
    pb.net.input_dim = 1 + static_cast<std::size_t>(coin(rng));
    const int hidden = 1 + coin(rng);
    for (int l = 0; l < hidden; ++l) {
        k::Activation a = act(coin(rng) ? k::ActivationKind::relu : k::ActivationKind::leaky_relu);
        a.alpha = Rational(1, 5);
        pb.net.layers.push_back({static_cast<std::size_t>(width(rng)), a});
    }
    pb.net.layers.push_back({1, act(k::ActivationKind::identity)});
    const int rows = n(rng);
    for (int i = 0; i < rows; ++i) {
        k::Vector x;
        for (std::size_t j = 0; j < pb.net.input_dim; ++j) x.push_back(random_rational(rng, -2, 2, 2));
        pb.data.push_back({x, {random_rational(rng, -2, 2, 2)}});
    }
    return pb;
}

k::Vector random_point(std::mt19937_64& rng, const k::Problem& pb) {
    k::Vector v;
    for (std::size_t i = 0; i < pb.net.num_params(); ++i) v.push_back(random_rational(rng, -2, 2, 4));
    return v;
}

Rational loss_at(const k::Problem& pb, const k::Vector& p, const k::Vector& q, const Rational& t) {
    return k::loss(pb, k::point_on_segment(p, q, t));
}

const Rational& rational_field(const k::Value& v, const std::string& key) {
    const k::Value* f = field(v, key);
    BOOST_TEST_REQUIRE(f != nullptr, "no field " << key);
    return std::get<Rational>(f->data);
}

// 0, 1 and random rationals in between, sorted.
std::vector<Rational> sample_ts(std::mt19937_64& rng, int count) {
    std::vector<Rational> ts{Rational(0), Rational(1)};
    std::uniform_int_distribution<long long> u(0, 9973);
    for (int i = 0; i < count; ++i) ts.push_back(Rational(u(rng), 9973));
    std::sort(ts.begin(), ts.end());
    return ts;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(real_roots)

BOOST_AUTO_TEST_CASE(polynomial_arithmetic) {
    const Polynomial p = linear_root(1) * linear_root(1) * linear_root(2);  // (t-1)^2 (t-2)
    BOOST_TEST((k::square_free(p) == linear_root(1) * linear_root(2)));
    BOOST_TEST((k::gcd(p, linear_root(1) * linear_root(3)) == linear_root(1)));
    Polynomial q, r;
    k::divide(p, linear_root(2), q, r);
    BOOST_TEST(r.is_zero());
    BOOST_TEST((q == linear_root(1) * linear_root(1)));
    BOOST_TEST(p(Rational(3)) == Rational(4));
    BOOST_TEST((p.derivative() == Polynomial(k::Vector{5, -8, 3})));  // p = t^3 - 4t^2 + 5t - 2
}

BOOST_AUTO_TEST_CASE(isolation_finds_exactly_the_roots) {
    std::mt19937_64 rng(11);
    for (int trial = 0; trial < 200; ++trial) {
        // Distinct rational roots in (0, 1), some repeated, and sqrt(1/2) and/or (sqrt(5) - 1) / 4 sometimes.
        std::vector<Rational> rs;
        std::uniform_int_distribution<int> count(0, 4), num(1, 96), coin(0, 1);
        for (int i = count(rng); i-- > 0;) {
            const Rational r(num(rng), 97);
            if (std::find(rs.begin(), rs.end(), r) == rs.end()) rs.push_back(r);
        }
        Polynomial p(Rational(3));
        for (const Rational& r : rs) p = p * linear_root(r) * (coin(rng) ? linear_root(r) : Polynomial(Rational(1)));
        const bool sqrt_half = coin(rng), golden = coin(rng);
        if (sqrt_half) p = p * Polynomial(k::Vector{Rational(-1, 2), 0, 1});       // t^2 - 1/2
        if (golden) p = p * Polynomial(k::Vector{Rational(-1, 2), 1, 2});          // 2t^2 + t - 1/2
        p = p * linear_root(Rational(3, 2)) * linear_root(Rational(-1, 3));        // roots outside (0, 1)
        if (p.is_constant()) continue;
        const std::vector<RealRoot> found = k::roots_between(p, Rational(0), Rational(1));
        BOOST_TEST_REQUIRE(found.size() == rs.size() + sqrt_half + golden);
        for (std::size_t i = 0; i + 1 < found.size(); ++i) BOOST_TEST(k::compare(found[i], found[i + 1]) < 0);
        for (const RealRoot& f : found) BOOST_TEST(k::sign_at(p, f) == 0);
        for (const Rational& r : rs) {
            int matches = 0;
            for (const RealRoot& f : found) matches += k::compare(f, RealRoot::rational(r)) == 0;
            BOOST_TEST(matches == 1);
        }
    }
}

BOOST_AUTO_TEST_CASE(irrational_numbers_compare_exactly) {
    const Polynomial half = Polynomial(k::Vector{Rational(-1, 2), 0, 1});  // t^2 - 1/2: sqrt(1/2) = 0.70710678...
    const auto a = k::roots_between(half, Rational(0), Rational(1));
    BOOST_TEST_REQUIRE(a.size() == 1u);
    BOOST_TEST(!a[0].is_rational());
    BOOST_TEST(k::compare(a[0], RealRoot::rational(Rational(7071, 10000))) > 0);
    BOOST_TEST(k::compare(a[0], RealRoot::rational(Rational(7072, 10000))) < 0);
    BOOST_TEST(k::sign_at(linear_root(Rational(7, 10)), a[0]) > 0);
    BOOST_TEST(k::sign_at(Polynomial(k::Vector{-1, 0, 2}), a[0]) == 0);  // 2t^2 - 1 vanishes there too
    // The same number from another polynomial and another isolating interval: equal.
    const auto b = k::roots_between(half * linear_root(Rational(1, 3)) * linear_root(Rational(9, 10)), Rational(1, 2),
                                    Rational(8, 10));
    BOOST_TEST_REQUIRE(b.size() == 1u);
    BOOST_TEST(k::compare(a[0], b[0]) == 0);
    // Close but different: sqrt(1/2) against the root of t^2 - 1/2 - 1e-30.
    const Polynomial near = Polynomial(k::Vector{Rational(-1, 2) - Rational(1, k::Integer("1000000000000000000000000000000")), 0, 1});
    const auto c = k::roots_between(near, Rational(0), Rational(1));
    BOOST_TEST_REQUIRE(c.size() == 1u);
    BOOST_TEST(k::compare(a[0], c[0]) < 0);
    const Rational s = k::rational_between(a[0], c[0]);
    BOOST_TEST(half.sign_at(s) > 0);
    BOOST_TEST(near.sign_at(s) < 0);
    // Breakpoints of a linear input are kept exact.
    const auto d = k::roots_between(Polynomial::linear(Rational(-1), Rational(33)), Rational(0), Rational(1));
    BOOST_TEST_REQUIRE(d.size() == 1u);
    BOOST_TEST(d[0].is_rational());
    BOOST_TEST(d[0].lower() == Rational(1, 33));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(segment_claims)

BOOST_AUTO_TEST_CASE(piecewise_loss_equals_the_exact_loss) {
    std::mt19937_64 rng(5);
    std::size_t irrational_breakpoints = 0;
    for (int trial = 0; trial < 60; ++trial) {
        const k::Problem pb = random_problem(rng);
        const k::Vector p = random_point(rng, pb), q = random_point(rng, pb);
        const k::SegmentLoss seg = k::loss_along_segment(pb, p, q, 4096);
        BOOST_TEST_REQUIRE(seg.complete);
        BOOST_TEST_REQUIRE(!seg.pieces.empty());
        BOOST_TEST(k::compare(seg.pieces.front().lo, RealRoot::rational(0)) == 0);
        BOOST_TEST(k::compare(seg.pieces.back().hi, RealRoot::rational(1)) == 0);
        for (std::size_t i = 0; i + 1 < seg.pieces.size(); ++i) {
            BOOST_TEST(k::compare(seg.pieces[i].hi, seg.pieces[i + 1].lo) == 0);  // the pieces tile [0, 1]
            irrational_breakpoints += !seg.pieces[i].hi.is_rational();
        }
        for (const Rational& t : sample_ts(rng, 40)) {
            const RealRoot rt = RealRoot::rational(t);
            int holding = 0;
            for (const k::LossPiece& piece : seg.pieces)
                if (k::compare(piece.lo, rt) <= 0 && k::compare(rt, piece.hi) <= 0) {
                    ++holding;
                    BOOST_TEST(piece.loss(t) == loss_at(pb, p, q, t));
                }
            BOOST_TEST(holding >= 1);
        }
    }
    BOOST_TEST(irrational_breakpoints > 0u, "no deep network produced an irrational breakpoint");
}

BOOST_AUTO_TEST_CASE(random_segments_are_decided_soundly) {
    std::mt19937_64 rng(17);
    int certified = 0, refuted = 0;
    for (int trial = 0; trial < 60; ++trial) {
        const k::Problem pb = random_problem(rng);
        const k::Point p{"P", random_point(rng, pb)}, q{"Q", random_point(rng, pb)};
        const Rational top = std::max(k::loss(pb, p.params), k::loss(pb, q.params));
        const std::vector<Rational> ts = sample_ts(rng, 150);

        // barrier P Q > h with h around the sampled maximum rise.
        Rational sampled_rise = 0;
        for (const Rational& t : ts) sampled_rise = std::max(sampled_rise, Rational(loss_at(pb, p.params, q.params, t) - top));
        for (const Rational& h : std::vector<Rational>{0, Rational(sampled_rise / 2), sampled_rise, Rational(sampled_rise + 1)}) {
            const k::Verdict v = k::detail::check_barrier_exact(pb, p, q, h, {});
            BOOST_TEST_REQUIRE((v.outcome() != k::Outcome::inconclusive));
            if (v.outcome() == k::Outcome::certified) {
                ++certified;
                const Rational& t = rational_field(v.evidence(), "t");
                BOOST_TEST((0 <= t && t <= 1));
                BOOST_TEST(loss_at(pb, p.params, q.params, t) - top > h);
            } else {
                ++refuted;
                for (const Rational& t : ts) BOOST_TEST(loss_at(pb, p.params, q.params, t) - top <= h);
            }
            // h below the sampled rise must be certified (a sampled t shows it).
            if (h < sampled_rise) BOOST_TEST((v.outcome() == k::Outcome::certified));
        }

        const k::Verdict m = k::detail::check_monotone_exact(pb, p, q, {});
        BOOST_TEST_REQUIRE((m.outcome() != k::Outcome::inconclusive));
        if (m.outcome() == k::Outcome::certified) {
            for (std::size_t i = 0; i + 1 < ts.size(); ++i)
                BOOST_TEST(loss_at(pb, p.params, q.params, ts[i]) >= loss_at(pb, p.params, q.params, ts[i + 1]));
        } else {
            const Rational& t1 = rational_field(m.evidence(), "t1");
            const Rational& t2 = rational_field(m.evidence(), "t2");
            BOOST_TEST((0 <= t1 && t1 < t2 && t2 <= 1));
            BOOST_TEST(loss_at(pb, p.params, q.params, t1) < loss_at(pb, p.params, q.params, t2));
        }
        // The interval route never contradicts the exact one on the same exact problem.
        for (const Rational& h : std::vector<Rational>{0, Rational(sampled_rise + 1)}) {
            const k::Verdict e = k::detail::check_barrier_exact(pb, p, q, h, {});
            const k::Verdict i = k::detail::check_barrier_interval(pb, p, q, h, {});
            if (i.outcome() != k::Outcome::inconclusive) BOOST_TEST((i.outcome() == e.outcome()));
        }
        const k::Verdict mi = k::detail::check_monotone_interval(pb, p, q, {});
        if (mi.outcome() != k::Outcome::inconclusive) BOOST_TEST((mi.outcome() == m.outcome()));
    }
    BOOST_TEST_MESSAGE("barrier: " << certified << " certified, " << refuted << " refuted");
    BOOST_TEST(certified >= 10);  // both outcomes are exercised
    BOOST_TEST(refuted >= 10);
}

BOOST_AUTO_TEST_CASE(monotone_segments_certify) {
    // Moving only the output bias towards the mean residual lowers the squared error monotonically.
    const k::Problem pb = nncert::testing::example1();  // parameters (w, b, v, c)
    const k::Point from{"from", {1, -3, 1, 3}}, to{"to", {1, -3, 1, 0}};
    const k::Verdict m = k::check(pb, {from, to}, monotone_claim(0, 1));
    BOOST_TEST((m.outcome() == k::Outcome::certified));
    BOOST_TEST(m.method() == "segment-polynomial");
    const k::Verdict back = k::check(pb, {from, to}, monotone_claim(1, 0));
    BOOST_TEST((back.outcome() == k::Outcome::refuted));
}

BOOST_AUTO_TEST_CASE(too_many_pieces_is_inconclusive) {
    // A dense 1-D dataset: every data point's kink is crossed along the segment.
    k::Problem pb = nncert::testing::one_hidden(1, act(k::ActivationKind::relu), {});
    for (int i = 0; i < 30; ++i) pb.data.push_back({{Rational(i, 10)}, {Rational(i % 3)}});
    const k::Point p{"P", {1, Rational(-1, 20), 1, 0}}, q{"Q", {1, Rational(-59, 20), 1, 0}};
    k::Options few;
    few.max_patterns = 3;
    const k::Verdict v = k::detail::check_barrier_exact(pb, p, q, Rational(1000), few);
    BOOST_TEST((v.outcome() == k::Outcome::inconclusive));
    BOOST_TEST(v.reason().find("--max-patterns") != std::string::npos);
    const k::Verdict all = k::detail::check_barrier_exact(pb, p, q, Rational(1000), {});
    BOOST_TEST((all.outcome() == k::Outcome::refuted));
    // The unit's input b + w x crosses 0 once for each x = 1/10 ... 29/10 (at x = 0 it stays negative).
    BOOST_TEST(std::get<long long>(field(all.evidence(), "pieces")->data) == 30);
}

BOOST_AUTO_TEST_CASE(script_syntax_round_trips) {
    const std::string text =
        "nncert 1\ndata {\n 1 -> 1\n}\nnetwork {\n input 1\n dense 1 relu\n dense 1 identity\n}\nloss sse\n"
        "point P { W1 = [[1]] b1 = [0] W2 = [[1]] b2 = [0] }\npoint Q { W1 = [[2]] b1 = [0] W2 = [[1]] b2 = [0] }\n"
        "claim barrier P Q > 0.5\nclaim not monotone Q P\n";
    const auto s = nncert::script::parse_text(text, "t.nnc", "");
    BOOST_TEST_REQUIRE(s.claims.size() == 2u);
    BOOST_TEST(s.claims[0].text == "barrier P Q > 1/2");
    BOOST_TEST(s.claims[1].text == "not monotone Q P");
    BOOST_TEST((s.claims[0].claim.kind == k::ClaimKind::barrier));
    BOOST_TEST(s.claims[0].claim.other == 1u);
    BOOST_TEST(s.claims[0].claim.value == Rational(1, 2));
    const auto t = nncert::script::parse_text(nncert::script::print_canonical(s), "t.nnc", "");
    BOOST_TEST(nncert::script::print_canonical(t) == nncert::script::print_canonical(s));
    BOOST_TEST(t.claims[1].text == "not monotone Q P");
}

BOOST_AUTO_TEST_SUITE_END()
