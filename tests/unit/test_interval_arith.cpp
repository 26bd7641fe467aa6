// Containment tests for every interval routine: random exact rationals inside the inputs, the true value
// (exact, or 2000-bit MPFR by textbook formulas), and the engine's enclosure must contain it.
#include "kernel/activation.hpp"
#include "kernel/interval/activation.hpp"
#include "test_interval_support.hpp"
#include "problems.hpp"
#include "runtime/memory.hpp"

#include <boost/test/unit_test.hpp>

#include <functional>
#include <random>
#include <utility>
#include <tuple>
#include <vector>

using namespace nncert::kernel;
using namespace nncert::testing;

namespace {

struct Box1 {
    Rational lo, hi;
};

// Input intervals of many widths and places, including points and intervals with an end at 0.
std::vector<Box1> inputs(std::mt19937_64& g, bool positive) {
    std::vector<Box1> out;
    const std::vector<Rational> widths = {0, Rational(1, 1000000000), Rational(1, 1000), Rational(1, 2), 3};
    for (int k = 0; k < 40; ++k) {
        Rational c = random_in(g, positive ? Rational(1, 100) : Rational(-6), 6);
        const Rational w = widths[k % widths.size()];
        Rational lo = c - w, hi = c + w;
        if (positive && lo <= 0) lo = c / 2;
        out.push_back({lo, hi});
    }
    if (!positive) {
        out.push_back({0, 1});
        out.push_back({-1, 0});
        out.push_back({0, 0});
    }
    return out;
}

using UnaryRef = std::function<Ref(const Rational&)>;
using UnaryEnc = std::function<Interval(const Interval&)>;

// For each input box and a few points q in it: encl(box) and encl(point q) both contain ref(q).
void check_unary(const UnaryEnc& enc, const UnaryRef& ref, bool positive, unsigned bits) {
    std::mt19937_64 g(bits * 7919 + (positive ? 1 : 0));
    PrecisionScope scope(bits);
    for (const Box1& b : inputs(g, positive)) {
        const Interval whole = enc(Interval::hull(b.lo, b.hi));
        for (int k = 0; k < 6; ++k) {
            const Rational q = random_in(g, b.lo, b.hi);
            const Ref truth = ref(q);
            BOOST_TEST(encloses(whole, truth));
            BOOST_TEST(encloses(enc(Interval(q)), truth));
        }
    }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(interval_arith)

BOOST_AUTO_TEST_CASE(needs_a_precision_scope) {
    BOOST_CHECK_THROW(Interval(), std::logic_error);
    {
        PrecisionScope outer(64);
        {
            PrecisionScope inner(200);
            BOOST_TEST(Interval().precision() == 200);
        }
        BOOST_TEST(Interval().precision() == 64);
    }
    BOOST_CHECK_THROW(Interval(), std::logic_error);
}

BOOST_AUTO_TEST_CASE(rationals_enter_tightly_never_through_double) {
    PrecisionScope scope(128);
    const Interval tenth(Rational(1, 10));
    BOOST_TEST(contains(tenth, Rational(1, 10)));
    // The double nearest 0.1 is 3602879701896397 / 2^55: not inside the enclosure of 1/10.
    BOOST_TEST(!contains(tenth, Rational(Integer(3602879701896397LL), Integer(1) << 55)));
    BOOST_TEST(tenth.upper() - tenth.lower() < Rational(1, Integer(1) << 120));
    // A dyadic is exact: a point interval with exact rational ends.
    const Interval e(Rational(3, 8));
    BOOST_TEST(known_zero(e - e) == true);
    BOOST_TEST(e.lower() == Rational(3, 8));
    BOOST_TEST(e.upper() == Rational(3, 8));
}

// Rationals whose denominator is a power of two take a direct route (interval.cpp): the same ends, bit for bit and
// sign of zero included, as mpfi_set_q, at precisions that hold them exactly and that must round them; other
// rationals and 0 as before.
BOOST_AUTO_TEST_CASE(dyadic_rationals_enter_as_mpfi_set_q_gives_them) {
    std::mt19937_64 g(5);
    int dyadic = 0;
    for (const unsigned bits : {8u, 53u, 127u, 128u, 129u, 300u}) {
        PrecisionScope scope(bits);
        for (int k = 0; k < 300; ++k) {
            Integer n = 0;
            for (int w = 0, words = 1 + static_cast<int>(g() % 5); w < words; ++w) n = (n << 64) + Integer(g());
            n >>= static_cast<unsigned>(g() % 300);
            if (g() % 2) n = -n;
            const unsigned shift = static_cast<unsigned>(g() % 400);
            Rational q = k % 7 == 6 ? Rational(n, Integer(3) << shift)   // not dyadic
                                    : Rational(n, Integer(1) << shift);  // dyadic (or an integer)
            if (k % 50 == 0) q = 0;
            if (denominator(q) == (Integer(1) << msb(denominator(q)))) ++dyadic;
            const Interval mine(q);
            mpfi_t ref;
            mpfi_init2(ref, bits);
            mpfi_set_q(ref, q.backend().data());
            BOOST_TEST(mpfr_equal_p(mine.lo(), &ref->left), q << " at " << bits);
            BOOST_TEST(mpfr_equal_p(mine.hi(), &ref->right), q << " at " << bits);
            BOOST_TEST(mpfr_signbit(mine.lo()) == mpfr_signbit(&ref->left));
            BOOST_TEST(mpfr_signbit(mine.hi()) == mpfr_signbit(&ref->right));
            BOOST_TEST(mine.precision() == bits);
            mpfi_clear(ref);
        }
    }
    BOOST_TEST(dyadic > 1000);
    // The default interval is MPFI's zero [+0, -0] (mpfi_set_ui(0)) at every precision, inline or not.
    for (const unsigned bits : {8u, 128u, 129u, 300u}) {
        PrecisionScope scope(bits);
        const Interval z;
        BOOST_TEST(mpfr_zero_p(z.lo()));
        BOOST_TEST(mpfr_zero_p(z.hi()));
        BOOST_TEST(!mpfr_signbit(z.lo()));
        BOOST_TEST(mpfr_signbit(z.hi()));
    }
}

BOOST_AUTO_TEST_CASE(assignment_keeps_precision_and_value) {
    PrecisionScope low(16);
    Interval a(Rational(1, 3));  // 16 bits
    Interval b;
    {
        PrecisionScope high(300);
        b = Interval(Rational(1, 3));  // 300 bits
    }
    a = b;  // must adopt 300 bits, not round into 16
    BOOST_TEST(a.precision() == 300);
    BOOST_TEST(a.upper() - a.lower() < Rational(1, Integer(1) << 290));
    Interval c(a);
    BOOST_TEST(c.lower() == a.lower());
    BOOST_TEST(c.upper() == a.upper());
}

// Endpoints of up to 128 bits keep their limbs inside the Interval, wider ones on MPFI's heap (interval.hpp):
// copies, moves and assignments between every pair of kinds keep value and precision, also through a vector
// that reallocates (moves) its elements and through self-assignment, and NaN and signed zeros survive.
BOOST_AUTO_TEST_CASE(inline_and_heap_endpoints_copy_move_and_assign) {
    const unsigned precisions[] = {8, 64, 127, 128, 129, 192, 300};
    std::vector<Interval> made;
    std::vector<std::pair<Rational, Rational>> ends;
    std::vector<mpfr_prec_t> precs;
    for (const unsigned bits : precisions) {
        PrecisionScope scope(bits);
        made.push_back(Interval::hull(Rational(-1, 3), Rational(5, 7)));
        made.push_back(Interval(Rational(bits, 11)));
        made.push_back(Interval());
        Interval nan;
        mpfi_div(nan.raw(), Interval().raw(), Interval().raw());
        made.push_back(nan);
    }
    for (const Interval& x : made) {
        precs.push_back(x.precision());
        ends.emplace_back(x.is_nan() ? Rational(0) : x.lower(), x.is_nan() ? Rational(0) : x.upper());
    }
    const auto same = [&](const Interval& x, std::size_t i) {
        BOOST_TEST(x.precision() == precs[i]);
        BOOST_TEST(x.is_nan() == made[i].is_nan());
        if (!x.is_nan()) {
            BOOST_TEST(x.lower() == ends[i].first);
            BOOST_TEST(x.upper() == ends[i].second);
            BOOST_TEST(mpfr_signbit(x.lo()) == mpfr_signbit(made[i].lo()));
            BOOST_TEST(mpfr_signbit(x.hi()) == mpfr_signbit(made[i].hi()));
        }
    };
    for (std::size_t i = 0; i < made.size(); ++i) {
        for (std::size_t j = 0; j < made.size(); ++j) {
            Interval copy(made[i]);
            same(copy, i);
            Interval target(made[j]);
            target = made[i];  // copy assignment across kinds
            same(target, i);
            Interval moved_to(made[j]);
            moved_to = Interval(made[i]);  // move assignment across kinds
            same(moved_to, i);
            Interval constructed(std::move(copy));  // move construction
            same(constructed, i);
            copy = made[j];  // a moved-from interval is assignable again
            same(copy, j);
        }
        Interval self(made[i]);
        Interval& alias = self;
        self = static_cast<const Interval&>(alias);
        same(self, i);
        self = static_cast<Interval&&>(alias);
        same(self, i);
    }
    std::vector<Interval> grown;  // reallocations move every element
    for (std::size_t round = 0; round < 20; ++round)
        for (std::size_t i = 0; i < made.size(); ++i) grown.push_back(made[i]);
    for (std::size_t k = 0; k < grown.size(); ++k) same(grown[k], k % made.size());
    // Arithmetic on inline endpoints rounds outward like any other: 1/3 at 128 bits.
    PrecisionScope scope(128);
    const Interval third = Interval(Rational(1)) / Interval(Rational(3));
    BOOST_TEST(contains(third, Rational(1, 3)));
    BOOST_TEST(third.upper() - third.lower() < Rational(1, Integer(1) << 125));
}

// Where the limbs live, seen through GMP's counting allocation functions (runtime/memory.hpp): an Interval of up to
// 128 bits allocates nothing, a wider one its two endpoints' limbs, and both give them back.
BOOST_AUTO_TEST_CASE(intervals_of_up_to_128_bits_allocate_nothing) {
    nncert::runtime::install_gmp_allocator();
    const std::size_t before = nncert::runtime::gmp_bytes_in_use();
    for (const unsigned bits : {8u, 64u, 127u, 128u}) {
        PrecisionScope scope(bits);
        Interval a, b(a), c(std::move(b));
        c = a;
        BOOST_TEST(nncert::runtime::gmp_bytes_in_use() == before);
    }
    for (const unsigned bits : {129u, 300u}) {
        PrecisionScope scope(bits);
        {
            Interval a;
            BOOST_TEST(nncert::runtime::gmp_bytes_in_use() > before);
        }
        BOOST_TEST(nncert::runtime::gmp_bytes_in_use() == before);
    }
}

BOOST_AUTO_TEST_CASE(predicates_by_certainty) {
    PrecisionScope scope(64);
    const Interval x = Interval::hull(-1, 2), y = Interval::hull(1, 3), z = Interval::hull(Rational(5, 2), 4);
    BOOST_TEST(!certainly_less(x, y));  // overlapping: no order
    BOOST_TEST(!certainly_less(y, x));
    BOOST_TEST(certainly_less(x, z));
    BOOST_TEST(!certainly_positive(x));
    BOOST_TEST(!certainly_negative(x));
    BOOST_TEST(contains_zero(x));
    BOOST_TEST(certainly_positive(y));
    BOOST_TEST(subset_of(y, 1, 3));
    BOOST_TEST(!subset_of_interior(y, 1, 3));
    BOOST_TEST(subset_of_interior(y, Rational(99, 100), Rational(301, 100)));
    BOOST_TEST(disjoint_from(z, -1, 2));
    BOOST_TEST(!known_zero(Interval::hull(0, Rational(1, Integer(1) << 100))));
    BOOST_TEST(known_zero(Interval()));
    // NaN (log of a negative interval) is never certainly anything.
    const Interval nan = log(Interval(Rational(-1)));
    BOOST_TEST(nan.is_nan());
    BOOST_TEST(!certainly_positive(nan));
    BOOST_TEST(!certainly_negative(nan));
    BOOST_TEST(!subset_of(nan, -100, 100));
    BOOST_TEST(!disjoint_from(nan, -100, 100));
    BOOST_TEST(!known_zero(nan));
}

BOOST_AUTO_TEST_CASE(ring_operations_and_aliasing) {
    for (unsigned bits : {24u, 128u}) {
        std::mt19937_64 g(bits);
        PrecisionScope scope(bits);
        const std::vector<Box1> in = inputs(g, false);
        for (std::size_t k = 0; k + 1 < in.size(); ++k) {
            const Interval a = Interval::hull(in[k].lo, in[k].hi), b = Interval::hull(in[k + 1].lo, in[k + 1].hi);
            Interval self = a;
            self += self;  // aliasing: x += x
            Interval sq = a;
            sq *= sq;
            for (int t = 0; t < 5; ++t) {
                const Rational p = random_in(g, in[k].lo, in[k].hi), q = random_in(g, in[k + 1].lo, in[k + 1].hi);
                BOOST_TEST(contains(a + b, Rational(p + q)));
                BOOST_TEST(contains(a - b, Rational(p - q)));
                BOOST_TEST(contains(a * b, Rational(p * q)));
                BOOST_TEST(contains(-a, Rational(-p)));
                BOOST_TEST(contains(self, Rational(2 * p)));
                BOOST_TEST(contains(sq, Rational(p * p)));
                BOOST_TEST(contains(sqr(a), Rational(p * p)));
                if (!is_zero(q) && !contains_zero(b)) BOOST_TEST(contains(a / b, Rational(p / q)));
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(elementary_functions) {
    for (unsigned bits : {24u, 128u}) {
        check_unary([](const Interval& x) { return exp(x); },
                    [](const Rational& q) { return ref_activation("exp", q, 0); }, false, bits);
        check_unary([](const Interval& x) { return log(x); },
                    [](const Rational& q) { return ref_activation("log", q, 0); }, true, bits);
    }
}

BOOST_AUTO_TEST_CASE(smooth_activations_and_derivatives) {
    const std::vector<std::pair<std::string, ActivationKind>> kinds = {
        {"sigmoid", ActivationKind::sigmoid}, {"tanh", ActivationKind::tanh}, {"softplus", ActivationKind::softplus}};
    for (const auto& [name, kind] : kinds)
        for (int order = 0; order <= 2; ++order)
            for (unsigned bits : {24u, 128u}) {
                const Activation a = act(kind);
                check_unary([&](const Interval& x) { return activate(a, x, order); },
                            [&, n = name](const Rational& q) { return ref_activation(n, q, order); }, false, bits);
            }
}

// activate_binary64 (the one-layer bound's centre values): the binary64 route at any width, points included. It
// contains the 2000-bit values at random points of inputs of every width (check_unary), declines only in
// saturation, and at points is at most 2^-44 wide (relative to the value, or absolute below 1; measured: about
// 2^-47.5 for tanh' and tanh'').
BOOST_AUTO_TEST_CASE(binary64_route_encloses_at_any_width) {
    const std::vector<std::pair<std::string, ActivationKind>> kinds = {
        {"sigmoid", ActivationKind::sigmoid}, {"tanh", ActivationKind::tanh}, {"softplus", ActivationKind::softplus}};
    int declined = 0, taken = 0;
    for (const auto& [name, kind] : kinds)
        for (int order = kind == ActivationKind::softplus ? 1 : 0; order <= 2; ++order) {
            const Activation a = act(kind);
            check_unary(
                [&, k = kind](const Interval& x) {
                    const std::optional<Interval> r = activate_binary64(k, x, order);
                    if (r) ++taken; else ++declined;
                    return r ? *r : activate(a, x, order);
                },
                [&, n = name](const Rational& q) { return ref_activation(n, q, order); }, false, 128);
            PrecisionScope scope(128);
            std::mt19937_64 g(order + 17);
            for (int t = 0; t < 200; ++t) {
                const Rational q = random_in(g, -12, 12);
                const std::optional<Interval> r = activate_binary64(kind, Interval(q), order);
                BOOST_TEST_REQUIRE(r.has_value());
                const Ref v = ref_activation(name, q, order);
                BOOST_TEST(encloses(*r, v), name << order << " at " << q);
                const Rational av = abs(exact_rational(v.v)), scale = av > 1 ? av : Rational(1);
                BOOST_TEST(Rational(r->upper() - r->lower()) <= scale / (Integer(1) << 44), name << order << " at " << q);
            }
            BOOST_TEST(!activate_binary64(kind, Interval(Rational(100)), order).has_value());  // saturated
        }
    PrecisionScope scope(128);
    BOOST_TEST(!activate_binary64(ActivationKind::softplus, Interval(Rational(1)), 0).has_value());
    BOOST_TEST(!activate_binary64(ActivationKind::relu, Interval(Rational(1)), 0).has_value());
    BOOST_TEST(taken > 1000);
    BOOST_TEST(declined < taken);
}

// Wide intervals of sigmoid, tanh and softplus's derivatives take the binary64 route (activation.cpp, smooth_wide):
// the result must contain the values at the ends, at random points and at the interior extrema (0 for f', +-c
// for sigmoid'' and +-c/2 for tanh'', c = ln(2 + sqrt 3)), and be at most 2^-25 of the exact range's width wider
// than that range (plus 2^-100) for f and f': the route may only be taken where it costs (almost) no tightness.
BOOST_AUTO_TEST_CASE(wide_smooth_intervals_contain_their_extrema_and_stay_tight) {
    PrecisionScope scope(128);
    Ref c;
    mpfr_sqrt_ui(c.v, 3, MPFR_RNDN);
    mpfr_add_ui(c.v, c.v, 2, MPFR_RNDN);
    mpfr_log(c.v, c.v, MPFR_RNDN);
    std::mt19937_64 g(2026);
    const std::vector<std::pair<std::string, ActivationKind>> kinds = {
        {"sigmoid", ActivationKind::sigmoid}, {"tanh", ActivationKind::tanh}, {"softplus", ActivationKind::softplus}};
    for (const auto& [name, kind] : kinds)
        for (int order = 0; order <= 2; ++order) {
            const Activation a = act(kind);
            const std::vector<std::pair<Rational, Rational>> boxes = {
                {-3, 3}, {Rational(-3, 2), Rational(-1, 2)}, {1, 2}, {Rational(-1, 10), Rational(1, 5)}, {-17, 17},
                {Rational(1, 3), Rational(7, 10)}, {-30, -20}, {5, 40}, {Rational(-2, 3), Rational(-3, 5)}};
            for (int trial = 0; trial < 60; ++trial) {
                Rational lo, hi;
                if (trial < static_cast<int>(boxes.size())) {
                    std::tie(lo, hi) = boxes[trial];
                } else {
                    const Rational m = random_in(g, -8, 8), w = random_in(g, Rational(1, 1000), 3);
                    lo = m - w;
                    hi = m + w;
                }
                const Interval whole = activate(a, Interval::hull(lo, hi), order);
                // The exact range: the values at the ends and at the interior critical points of f^(order).
                std::vector<Ref> values = {ref_activation(name, lo, order), ref_activation(name, hi, order)};
                const int o = kind == ActivationKind::softplus ? order - 1 : order;
                std::vector<Ref> crits;
                if (o == 1) crits.emplace_back(Rational(0));
                if (o == 2)
                    for (int s : {-1, 1}) {
                        Ref x(c);
                        if (kind == ActivationKind::tanh) mpfr_div_2ui(x.v, x.v, 1, MPFR_RNDN);
                        if (s < 0) mpfr_neg(x.v, x.v, MPFR_RNDN);
                        crits.push_back(x);
                    }
                for (const Ref& x : crits) {
                    const Ref lo_r(lo), hi_r(hi);
                    if (mpfr_less_p(x.v, lo_r.v) || mpfr_greater_p(x.v, hi_r.v)) continue;
                    // f^(o) at x by the same textbook formula, through sigmoid/tanh at 2000 bits.
                    Ref s, v, one;
                    mpfr_set_ui(one.v, 1, MPFR_RNDN);
                    if (kind == ActivationKind::tanh) mpfr_tanh(s.v, x.v, MPFR_RNDN);
                    else {
                        mpfr_neg(s.v, x.v, MPFR_RNDN);
                        mpfr_exp(s.v, s.v, MPFR_RNDN);
                        mpfr_add_ui(s.v, s.v, 1, MPFR_RNDN);
                        mpfr_ui_div(s.v, 1, s.v, MPFR_RNDN);
                    }
                    if (kind == ActivationKind::tanh) {  // 1 - t^2, or -2 t (1 - t^2)
                        mpfr_sqr(v.v, s.v, MPFR_RNDN);
                        mpfr_ui_sub(v.v, 1, v.v, MPFR_RNDN);
                        if (o == 2) {
                            mpfr_mul(v.v, v.v, s.v, MPFR_RNDN);
                            mpfr_mul_si(v.v, v.v, -2, MPFR_RNDN);
                        }
                    } else {  // s (1 - s), or s (1 - s)(1 - 2 s)
                        mpfr_ui_sub(v.v, 1, s.v, MPFR_RNDN);
                        mpfr_mul(v.v, v.v, s.v, MPFR_RNDN);
                        if (o == 2) {
                            Ref t;
                            mpfr_mul_2ui(t.v, s.v, 1, MPFR_RNDN);
                            mpfr_ui_sub(t.v, 1, t.v, MPFR_RNDN);
                            mpfr_mul(v.v, v.v, t.v, MPFR_RNDN);
                        }
                    }
                    values.push_back(v);
                }
                for (int k = 0; k < 5; ++k) values.push_back(ref_activation(name, random_in(g, lo, hi), order));
                Ref bottom = values[0], top = values[0];
                for (const Ref& v : values) {
                    BOOST_TEST(encloses(whole, v), name << "^(" << order << ") over [" << lo << ", " << hi << "]");
                    if (mpfr_less_p(v.v, bottom.v)) bottom = v;
                    if (mpfr_greater_p(v.v, top.v)) top = v;
                }
                // Tightness against the range (every point of which is one of the values above or between them).
                Ref range, width, slack;
                mpfr_sub(range.v, top.v, bottom.v, MPFR_RNDN);
                mpfr_sub(width.v, whole.hi(), whole.lo(), MPFR_RNDN);
                mpfr_mul_2si(slack.v, range.v, -25, MPFR_RNDN);
                mpfr_add(slack.v, slack.v, range.v, MPFR_RNDN);
                Ref tiny;
                mpfr_set_ui_2exp(tiny.v, 1, -100, MPFR_RNDN);
                mpfr_add(slack.v, slack.v, tiny.v, MPFR_RNDN);
                if (o <= 1)  // (order 2 may take MPFI's formula, whose product is wider: only its containment is checked)
                    BOOST_TEST(mpfr_lessequal_p(width.v, slack.v), name << "^(" << order << ") over [" << lo << ", " << hi
                                                                        << "]: width " << mpfr_get_d(width.v, MPFR_RNDN)
                                                                        << " against " << mpfr_get_d(range.v, MPFR_RNDN));
            }
        }
}

BOOST_AUTO_TEST_CASE(exact_activations_match_the_rational_ones) {
    Activation leaky = act(ActivationKind::leaky_relu);
    leaky.alpha = Rational(-1, 3);  // any slope, even a negative one
    const std::vector<Activation> acts = {act(ActivationKind::identity), act(ActivationKind::relu), leaky,
                                          poly({1, -2, Rational(1, 2), 3})};
    std::mt19937_64 g(42);
    PrecisionScope scope(64);
    for (const Activation& a : acts)
        for (int order = 0; order <= 2; ++order)
            for (const Box1& b : inputs(g, false)) {
                const Interval box = Interval::hull(b.lo, b.hi);
                if (a.has_kink() && order > 0 && b.lo <= 0 && b.hi >= 0) {
                    // No derivative enclosure across a kink: the engine must refuse, not guess.
                    BOOST_CHECK_THROW(activate(a, box, order), KinkStraddled);
                    continue;
                }
                const Interval whole = activate(a, box, order);
                for (int k = 0; k < 6; ++k) {
                    const Rational q = random_in(g, b.lo, b.hi);
                    if (a.has_kink() && is_zero(q)) continue;
                    BOOST_TEST(contains(whole, activate(a, q, order)));
                }
            }
}

// Products (operator*, add_product, sub_product) are MPFI's bit for bit: the corner products interval.cpp takes for
// nonzero finite ends, and mpfi_mul for the rest (zero, infinite, NaN ends), at 53, 64, 128 and 200 bits, on random
// intervals of every sign pattern.
BOOST_AUTO_TEST_CASE(products_are_mpfis_bit_for_bit) {
    std::mt19937_64 rng(20261202);
    const auto same = [](mpfi_srcptr x, mpfi_srcptr y) {
        const auto end = [](mpfr_srcptr a, mpfr_srcptr b) {
            return (mpfr_nan_p(a) && mpfr_nan_p(b)) || (mpfr_equal_p(a, b) && mpfr_signbit(a) == mpfr_signbit(b));
        };
        return mpfi_get_prec(x) == mpfi_get_prec(y) && end(&x->left, &y->left) && end(&x->right, &y->right);
    };
    int checked = 0, corner = 0;
    for (unsigned bits : {53u, 64u, 128u, 200u}) {
        PrecisionScope scope(bits);
        const auto random_end = [&]() -> Rational {
            switch (rng() % 8) {
                case 0: return Rational(0);
                default: {
                    const long num = static_cast<long>(rng() % 2000001) - 1000000;
                    const long den = static_cast<long>(rng() % 999) + 1;
                    return Rational(num, den) * Rational(1, 3);
                }
            }
        };
        for (int i = 0; i < 3000; ++i) {
            Rational a0 = random_end(), a1 = random_end(), b0 = random_end(), b1 = random_end();
            if (a1 < a0) std::swap(a0, a1);
            if (b1 < b0) std::swap(b0, b1);
            Interval a = Interval::hull(a0, a1), b = Interval::hull(b0, b1);
            if (rng() % 16 == 0) mpfr_set_inf(&a.raw()->right, 1);
            if (rng() % 16 == 0) mpfr_set_inf(&b.raw()->left, -1);
            const Interval p = a * b;
            mpfi_t ref;
            mpfi_init2(ref, bits);
            mpfi_mul(ref, a.raw(), b.raw());
            BOOST_TEST(same(p.raw(), ref));
            Interval acc = Interval::hull(Rational(-1, 7), Rational(2, 7)), acc2 = acc;
            add_product(acc, a, b);
            sub_product(acc2, a, b);
            mpfi_t ra, rs;
            mpfi_init2(ra, bits);
            mpfi_init2(rs, bits);
            const Interval start = Interval::hull(Rational(-1, 7), Rational(2, 7));
            mpfi_add(ra, start.raw(), ref);
            mpfi_sub(rs, start.raw(), ref);
            BOOST_TEST(same(acc.raw(), ra));
            BOOST_TEST(same(acc2.raw(), rs));
            mpfi_clear(ref);
            mpfi_clear(ra);
            mpfi_clear(rs);
            ++checked;
            corner += bits <= 128 && mpfr_regular_p(a.lo()) && mpfr_regular_p(a.hi()) && mpfr_regular_p(b.lo()) &&
                      mpfr_regular_p(b.hi());
        }
    }
    BOOST_TEST(checked == 12000);
    BOOST_TEST(corner > 3000);
}

BOOST_AUTO_TEST_SUITE_END()
