// Split points of dyadic box ends computed in integers (kernel/interval/box.cpp, dyadic_short_middle) and of decimal
// ends through short_middle's memo against the rational formula they replace, and the remembered f, f', f'' of
// derivative_range (kernel/ball/elementary.cpp, derivatives_at) and values of activation_value_at (ball.cpp) against
// fresh evaluations, bit for bit, with many table collisions.
#include "kernel/ball/ball.hpp"
#include "kernel/ball/elementary.hpp"
#include "kernel/interval/box.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <cstring>
#include <random>
#include <stdexcept>
#include <vector>

using namespace nncert::kernel;

namespace {

// The rational formula of short_middle as it stood before the integer route (main d9b38a9), kept as the reference.
Rational reference_short_middle(const Rational& a, const Rational& b) {
    const Rational q = (b - a) / 4, mid = (a + b) / 2;
    const long e = static_cast<long>(msb(numerator(q))) - static_cast<long>(msb(denominator(q)));
    const auto power_of_two = [](long k) {
        return k >= 0 ? Rational(Integer(1) << k) : Rational(Integer(1), Integer(1) << -k);
    };
    Rational step = power_of_two(e);
    if (step > q) step = power_of_two(e - 1);
    const Rational s = mid / step;
    Integer k = numerator(s) / denominator(s);
    const Rational m = Rational(k) * step;
    return (a < m && m < b) ? m : mid;
}

// n / 2^k with n of up to `bits` random bits and a random sign.
Rational random_dyadic(std::mt19937_64& g, int bits, int k) {
    Integer n = 0;
    for (int i = 0; i < bits; i += 32) n = (n << 32) + static_cast<std::uint32_t>(g());
    if (bits % 32) n >>= 32 - bits % 32;
    if (g() & 1) n = -n;
    return k >= 0 ? Rational(n, Integer(1) << k) : Rational(n * (Integer(1) << -k));
}

std::uint64_t bits_of(double x) {
    std::uint64_t b;
    std::memcpy(&b, &x, sizeof b);
    return b;
}

bool same_bits(const Ball& a, const Ball& b) {
    return bits_of(a.mid()) == bits_of(b.mid()) && bits_of(a.rad()) == bits_of(b.rad());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(box_split)

BOOST_AUTO_TEST_CASE(dyadic_split_points_equal_the_rational_formula) {
    std::mt19937_64 g(1013);
    int checked = 0;
    for (int trial = 0; trial < 20000; ++trial) {
        const int bits = 1 + static_cast<int>(g() % 90);
        const int ka = static_cast<int>(g() % 140) - 20, kb = static_cast<int>(g() % 140) - 20;
        Rational a = random_dyadic(g, bits, ka), b;
        switch (g() % 4) {
            case 0: b = random_dyadic(g, 1 + static_cast<int>(g() % 90), kb); break;  // unrelated ends
            case 1: b = a + random_dyadic(g, 1 + static_cast<int>(g() % 8), kb); break;  // narrow
            case 2: b = -a; break;                                                        // symmetric about 0
            default: b = a + Rational(1, Integer(1) << static_cast<int>(g() % 200)); break;  // one unit apart
        }
        if (a == b) continue;
        if (b < a) std::swap(a, b);
        const Rational m = split_point(Range{a, b});
        BOOST_TEST_REQUIRE(m == reference_short_middle(a, b), "[" << a << ", " << b << "]: " << m);
        BOOST_TEST_REQUIRE((a < m && m < b));
        ++checked;
    }
    BOOST_TEST(checked > 19000);
    // Edges: width one unit of the finer end, ends of opposite signs, integers, a zero end.
    const std::vector<std::pair<Rational, Rational>> edges{
        {Rational(0), Rational(1)},          {Rational(-1), Rational(1)},        {Rational(1, 4), Rational(1, 2)},
        {Rational(-3, 8), Rational(-1, 4)},  {Rational(5), Rational(6)},         {Rational(0), Rational(1, 1024)},
        {Rational(-1, 1024), Rational(0)},   {Rational(7, 2), Rational(1000)},   {Rational(-1000), Rational(-999)},
        {Rational(1, 3), Rational(1, 2)},    {Rational(-2, 3), Rational(5, 7)},  {Rational(1, 2), Rational(2, 3)}};
    for (const auto& [a, b] : edges) {
        const Rational m = split_point(Range{a, b});
        BOOST_TEST(m == reference_short_middle(a, b), "[" << a << ", " << b << "]: " << m);
        BOOST_TEST((a < m && m < b));
        // Dyadic results are in lowest terms (the rational compares equal either way; its text must be short).
        BOOST_TEST(denominator(m) == denominator(reference_short_middle(a, b)));
    }
}

BOOST_AUTO_TEST_CASE(remembered_split_points_of_decimal_ranges_equal_the_rational_formula) {
    // Non-dyadic ends of one limb each go through a per-thread memo of 64 entries (box.cpp, short_middle): with far
    // more distinct ranges than entries, asked three times in a scrambled order, every split point must equal the
    // reference formula, and [a, b] must not be taken for [-b, -a], [a, b'] or [-a, b].
    std::mt19937_64 g(4242);
    std::vector<std::pair<Rational, Rational>> ranges;
    for (int i = 0; i < 1500; ++i) {
        Rational a(static_cast<long>(g() % 20001) - 10000, 3 + static_cast<long>(g() % 3000));
        Rational b = a + Rational(1 + static_cast<long>(g() % 5000), 1 + static_cast<long>(g() % 2000));
        ranges.emplace_back(a, b);
        ranges.emplace_back(-b, -a);
        ranges.emplace_back(a, b + Rational(1, 7));
        // [-x, y] beside [x, y] (0 < x < y): the same limbs, told apart only by the lower end's sign.
        const Rational x(1 + static_cast<long>(g() % 5000), 3 + static_cast<long>(g() % 3000));
        const Rational y = x + Rational(1 + static_cast<long>(g() % 5000), 3 + static_cast<long>(g() % 2000));
        ranges.emplace_back(x, y);
        ranges.emplace_back(-x, y);
    }
    ranges.emplace_back(Rational(157, 2000), Rational(2157, 2000));  // the Theorem 1 sigmoid trap's output weights
    ranges.emplace_back(Rational(-2161, 2000), Rational(639, 2000));
    // Round 0 in order (each range right after its look-alikes, so that a memo confusing them would answer from
    // their entry), then two scrambled rounds.
    for (int round = 0; round < 3; ++round)
        for (std::size_t i = 0; i < ranges.size(); ++i) {
            const std::size_t j = round == 0 ? i : (i * 7919 + static_cast<std::size_t>(round) * 17) % ranges.size();
            const auto& [a, b] = ranges[j];
            const Rational m = split_point(Range{a, b});
            BOOST_TEST_REQUIRE(m == reference_short_middle(a, b), "[" << a << ", " << b << "]: " << m);
            BOOST_TEST_REQUIRE((a < m && m < b));
        }
}

BOOST_AUTO_TEST_CASE(remembered_activation_values_equal_fresh_evaluations) {
    // activation_value_at (ball.hpp) remembers sigmoid and tanh per thread (1024 entries keyed by the kind and the
    // bits of z): bit for bit what sigmoid_at and tanh_at compute, with many collisions and both kinds at the same
    // points; other kinds are refused.
    std::mt19937_64 g(99);
    std::uniform_real_distribution<double> u(-45, 45);
    std::vector<double> zs;
    for (int i = 0; i < 5000; ++i) zs.push_back(u(g));
    zs.push_back(0.0);
    zs.push_back(-0.0);
    for (int round = 0; round < 3; ++round)
        for (std::size_t i = 0; i < zs.size(); ++i) {
            const double z = zs[(i * 7919 + static_cast<std::size_t>(round) * 13) % zs.size()];
            BOOST_TEST_REQUIRE(same_bits(activation_value_at(ActivationKind::sigmoid, z), ball_elementary::sigmoid_at(z)));
            BOOST_TEST_REQUIRE(same_bits(activation_value_at(ActivationKind::tanh, z), ball_elementary::tanh_at(z)));
        }
    BOOST_CHECK_THROW(activation_value_at(ActivationKind::softplus, 1.0), std::invalid_argument);
    BOOST_CHECK_THROW(activation_value_at(ActivationKind::relu, 1.0), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(remembered_derivatives_equal_fresh_evaluations) {
    // derivative_range remembers f, f', f'' per end (a table of 256 entries keyed by the kind and the bits of t):
    // order 0 at a point must equal sigmoid_at / tanh_at (the same operations, not remembered) bit for bit,
    // whatever was asked before, with far more distinct points than entries, both kinds at the same points, and
    // orders 1 and 2 in between.
    std::mt19937_64 g(77);
    std::uniform_real_distribution<double> u(-17.5, 17.5);
    std::vector<double> ts;
    for (int i = 0; i < 3000; ++i) ts.push_back(u(g));
    ts.push_back(0.0);
    ts.push_back(-0.0);
    for (int round = 0; round < 3; ++round)
        for (std::size_t i = 0; i < ts.size(); ++i) {
            const double t = ts[(i * 7919 + static_cast<std::size_t>(round) * 13) % ts.size()];
            for (ActivationKind kind : {ActivationKind::sigmoid, ActivationKind::tanh}) {
                const bool sigmoid = kind == ActivationKind::sigmoid;
                const auto r0 = ball_elementary::derivative_range(kind, t, t, 0);
                BOOST_TEST_REQUIRE(r0.has_value());
                const Ball fresh = sigmoid ? ball_elementary::sigmoid_at(t) : ball_elementary::tanh_at(t);
                BOOST_TEST_REQUIRE(same_bits(r0->at_lo, fresh), "t = " << t << (sigmoid ? " sigmoid" : " tanh"));
                BOOST_TEST_REQUIRE(same_bits(r0->at_hi, fresh));
                const auto r1 = ball_elementary::derivative_range(kind, t, t, 1);
                const auto r2 = ball_elementary::derivative_range(kind, t, t, 2);
                BOOST_TEST_REQUIRE((r1.has_value() && r2.has_value()));
                // f' > 0 everywhere; f'' has the sign of -t for both kinds.
                BOOST_TEST_REQUIRE(r1->at_lo.mid() > 0);
                if (t != 0) BOOST_TEST_REQUIRE((r2->at_lo.mid() < 0) == (t > 0));
            }
        }
}

BOOST_AUTO_TEST_SUITE_END()
