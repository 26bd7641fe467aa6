// Containment tests for the binary64 inf-sup intervals (kernel/ball/dinterval.hpp) and the second-order form's
// Hessian block computed in them (interval/enclose.hpp, hessian_block_by_doubles): random exact rationals inside
// the input intervals, the exact (or 2000-bit) value must lie in the output, in all four IEEE rounding directions;
// zeros, infinite ends, overflow and subnormal magnitudes; and the Hessian block against 600-bit MPFI enclosures at
// random exact points of random boxes, half-lines included.
#include "kernel/ball/ball.hpp"
#include "kernel/ball/dinterval.hpp"
#include "kernel/interval/activation.hpp"
#include "kernel/interval/box.hpp"
#include "kernel/exact.hpp"
#include "kernel/interval/enclose.hpp"
#include "kernel/interval/precision.hpp"
#include "test_interval_support.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <random>
#include <vector>

using namespace nncert::kernel;
using namespace nncert::testing;

namespace {

const double inf = std::numeric_limits<double>::infinity();

// q in [lo, hi], read exactly (an infinite end bounds nothing on its side).
bool holds(const DInterval& x, const Rational& q) {
    if (std::isnan(x.lo()) || std::isnan(x.hi())) return false;
    if (std::isfinite(x.lo()) && exact_double(x.lo()) > q) return false;
    if (std::isfinite(x.hi()) && q > exact_double(x.hi())) return false;
    if (x.lo() == inf || x.hi() == -inf) return false;
    return true;
}
bool holds(const DInterval& x, const Ref& r) {
    return (x.lo() == -inf || mpfr_cmp_d(r.v, x.lo()) >= 0) && (x.hi() == inf || mpfr_cmp_d(r.v, x.hi()) <= 0);
}

// A random rational of magnitude about 2^e, either sign, with a long denominator.
Rational random_rational(std::mt19937_64& g, int e) {
    Rational q(static_cast<long>(g() % 2000001) - 1000000, 999983);
    if (e >= 0) q *= Rational(Integer(1) << e);
    else q /= Rational(Integer(1) << -e);
    return q;
}

// A random interval and the exact rational ends it stands for (nothing for an infinite end): a point, a narrow or a
// wide interval around a random rational, sometimes a half-line or the exact zero.
struct IntervalSample {
    DInterval x;
    std::optional<Rational> lo, hi;
};
IntervalSample random_interval(std::mt19937_64& g, int e) {
    const int kind = static_cast<int>(g() % 8);
    if (kind == 0) return {DInterval(), Rational(0), Rational(0)};
    Rational a = random_rational(g, e), b = kind <= 2 ? a : random_rational(g, e - static_cast<int>(g() % 40));
    if (kind > 2) b = a + abs(b);
    const DInterval da(a), db(b);
    if (kind == 6) return {DInterval::from_ends(da.lo(), inf), a, std::nullopt};
    if (kind == 7) return {DInterval::from_ends(-inf, db.hi()), std::nullopt, b};
    return {DInterval::from_ends(da.lo(), db.hi()), a, b};
}
// A random exact point of the sample's range (beyond a finite end by up to 2^40 on an infinite side).
Rational point_of(std::mt19937_64& g, const IntervalSample& s) {
    const Rational far(Integer(1) << 40);
    const Rational lo = s.lo ? *s.lo : *s.hi - far * Rational(static_cast<long>(g() % 1000 + 1), 1000);
    const Rational hi = s.hi ? *s.hi : *s.lo + far * Rational(static_cast<long>(g() % 1000 + 1), 1000);
    return random_in(g, lo, hi);
}

Activation act(ActivationKind k) {
    Activation a;
    a.kind = k;
    return a;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(dinterval)

BOOST_AUTO_TEST_CASE(rationals_enter_as_enclosures) {
    std::mt19937_64 g(51);
    in_every_rounding_mode([&](int) {
        for (int e : {-1100, -1074, -1030, -60, -1, 0, 1, 60, 1000, 1030}) {
            for (int k = 0; k < 40; ++k) {
                const Rational q = random_rational(g, e);
                const DInterval x(q);
                BOOST_TEST(holds(x, q));
                BOOST_TEST(x.lo() <= x.hi());
            }
        }
        BOOST_TEST(known_zero(DInterval(Rational(0))));
        const DInterval half(Rational(1, 2));
        BOOST_TEST((half.lo() == 0.5 && half.hi() == 0.5));  // exact dyadics stay exact
    });
}

BOOST_AUTO_TEST_CASE(remembered_rational_conversions_equal_fresh_ones) {
    // DInterval(q) and Ball(q) remember small non-dyadic q per thread (rational_memo.hpp, 256 entries): with far more
    // distinct rationals than entries, asked in a scrambled order three times over and both types interleaved, every
    // answer must be MPFR's correctly rounded ends (DInterval) and the nearest double within one ulp holding q (Ball),
    // the same bits every time; -q and q, and p/q beside p/(q+1), must not be taken for one another.
    std::mt19937_64 g(2026);
    std::vector<Rational> qs;
    for (int i = 0; i < 3000; ++i) {
        const long num = static_cast<long>(g() % 200001) - 100000;
        const long den = 3 + static_cast<long>(g() % 5000);
        qs.emplace_back(num, den);
        qs.push_back(-qs.back());
    }
    qs.emplace_back(1, 3);
    qs.emplace_back(1, 4);  // dyadic: the exact path, never remembered
    const auto fresh_ends = [](const Rational& q) {
        mpfr_t t;
        mpfr_init2(t, 53);
        mpfr_set_q(t, q.backend().data(), MPFR_RNDD);
        const double lo = mpfr_get_d(t, MPFR_RNDD);
        mpfr_set_q(t, q.backend().data(), MPFR_RNDU);
        const double hi = mpfr_get_d(t, MPFR_RNDU);
        mpfr_clear(t);
        return std::pair<double, double>{lo, hi};
    };
    std::vector<std::pair<double, double>> first_ball(qs.size());
    for (int round = 0; round < 3; ++round)
        for (std::size_t i = 0; i < qs.size(); ++i) {
            // Round 0 in order (q right after -q), then two scrambled rounds.
            const std::size_t j = round == 0 ? i : (i * 7919 + static_cast<std::size_t>(round) * 31) % qs.size();
            const Rational& q = qs[j];
            const DInterval x(q);
            const auto [lo, hi] = fresh_ends(q);
            BOOST_TEST_REQUIRE((x.lo() == lo && x.hi() == hi), q << ": [" << x.lo() << ", " << x.hi() << "]");
            const Ball b(q);
            BOOST_TEST_REQUIRE(b.rad() <= std::fabs(std::nextafter(b.mid(), 2 * b.mid()) - b.mid()));
            BOOST_TEST_REQUIRE(exact_double(b.mid()) - exact_double(b.rad()) <= q);
            BOOST_TEST_REQUIRE(q <= exact_double(b.mid()) + exact_double(b.rad()));
            if (round == 0) {
                first_ball[j] = {b.mid(), b.rad()};
            } else {
                BOOST_TEST_REQUIRE((b.mid() == first_ball[j].first && b.rad() == first_ball[j].second));
            }
        }
}

BOOST_AUTO_TEST_CASE(down_and_up_are_the_neighbouring_doubles) {
    using dinterval_rounding::down;
    using dinterval_rounding::up;
    const double tiny = std::numeric_limits<double>::denorm_min(), big = std::numeric_limits<double>::max();
    BOOST_TEST(down(0.0) == -tiny);
    BOOST_TEST(down(-0.0) == -tiny);
    BOOST_TEST(up(0.0) == tiny);
    BOOST_TEST(up(-0.0) == tiny);
    BOOST_TEST(down(1.0) == std::nextafter(1.0, 0.0));
    BOOST_TEST(up(1.0) == std::nextafter(1.0, 2.0));
    BOOST_TEST(down(-1.0) == std::nextafter(-1.0, -2.0));
    BOOST_TEST(up(-1.0) == std::nextafter(-1.0, 0.0));
    BOOST_TEST(down(inf) == big);
    BOOST_TEST(down(-inf) == -inf);
    BOOST_TEST(up(-inf) == -big);
    BOOST_TEST(up(big) == inf);
    BOOST_TEST(down(-big) == -inf);
    BOOST_TEST(down(tiny) == 0.0);
    BOOST_TEST(std::isnan(down(std::nan(""))));
}

// Sums, differences, products and squares of random intervals (tiny to huge magnitudes, points, zeros,
// half-lines): the exact result at random exact points of the operands lies in the result, in every direction.
BOOST_AUTO_TEST_CASE(arithmetic_contains_the_exact_results) {
    std::mt19937_64 g(7);
    int checked = 0;
    in_every_rounding_mode([&](int) {
        for (int e : {-1070, -540, -60, -3, 0, 3, 60, 500, 1020}) {
            for (int k = 0; k < 60; ++k) {
                const IntervalSample a = random_interval(g, e), b = random_interval(g, static_cast<int>(g() % 3) == 0 ? -e : e);
                const DInterval sum = a.x + b.x, diff = a.x - b.x, prod = a.x * b.x, sq = sqr(a.x);
                DInterval acc = a.x;
                add_product(acc, a.x, b.x);
                for (int s = 0; s < 4; ++s) {
                    const Rational x = point_of(g, a), y = point_of(g, b);
                    BOOST_TEST(holds(sum, x + y));
                    BOOST_TEST(holds(diff, x - y));
                    BOOST_TEST(holds(prod, x * y));
                    BOOST_TEST(holds(sq, x * x));
                    ++checked;
                }
                BOOST_TEST(sq.lo() >= 0);
            }
        }
    });
    BOOST_TEST(checked > 5000);
    // Exact zeros stay exact, also against an infinite end; overflow goes to an infinite end, never past a value.
    const DInterval zero, half_line = DInterval::from_ends(10, inf), big(Rational(Integer(1) << 1000));
    BOOST_TEST(known_zero(zero * half_line));
    BOOST_TEST(known_zero(zero * DInterval::whole()));
    const DInterval z = DInterval::from_ends(0, 5) * half_line;
    BOOST_TEST((z.lo() == 0 && z.hi() == inf));
    // A sum of squares whose lower ends are 0 keeps the exact 0 (a loss >= 0 stays certainly >= 0, as in MPFI:
    // tests/scripts/traps/region-claims-without-points.nnc's `loss R in [0, inf]`).
    DInterval squares;
    for (int k = 0; k < 5; ++k) squares += sqr(DInterval::from_ends(-0.5 - k, 0.25 + k)) * DInterval(Rational(1, 3));
    BOOST_TEST(squares.lo() == 0);
    BOOST_TEST((DInterval::from_ends(0, 1) + DInterval::from_ends(-2, 0)).lo() == -2);
    const DInterval huge = big * big;
    BOOST_TEST(holds(huge, Rational(Integer(1) << 1000) * Rational(Integer(1) << 1000)));
    BOOST_TEST(huge.hi() == inf);
    BOOST_TEST(std::isnan((DInterval::whole() + DInterval::from_ends(std::nan(""), 1)).lo()) == false);
}

// sigmoid, tanh, softplus and their derivatives over random intervals (points, narrow, wide, saturated, half-lines):
// the 2000-bit value at random exact points of the interval lies in the result, in every rounding direction.
BOOST_AUTO_TEST_CASE(activations_contain_the_exact_values) {
    PrecisionScope scope(64);
    std::mt19937_64 g(3);
    int checked = 0;
    in_every_rounding_mode([&](int) {
        for (ActivationKind k : {ActivationKind::sigmoid, ActivationKind::tanh, ActivationKind::softplus})
            for (int order = 0; order <= 2; ++order)
                for (int e : {-40, -8, -1, 0, 2, 4, 5, 6, 9})
                    for (int n = 0; n < 12; ++n) {
                        IntervalSample s = random_interval(g, e);
                        if (k == ActivationKind::softplus && order == 0 && (!s.lo || !s.hi)) continue;
                        const DInterval y = activate(act(k), s.x, order);
                        const std::string name = k == ActivationKind::sigmoid ? "sigmoid"
                                                 : k == ActivationKind::tanh  ? "tanh"
                                                                              : "softplus";
                        for (int p = 0; p < 3; ++p) {
                            const Rational t = point_of(g, s);
                            const bool ok = holds(y, ref_activation(name, t, order));
                            BOOST_TEST(ok, name << "^(" << order << ") over [" << s.x.lo() << ", " << s.x.hi()
                                                << "] at " << t.convert_to<double>());
                            ++checked;
                        }
                    }
    });
    BOOST_TEST(checked > 3000);
}

// The MPFI engine's activations over intervals above 0 (order 0 through sigmoid(t) = 1 - sigmoid(-t), tanh(t) =
// 1 - 2 sigmoid(-2t), interval/activation.cpp), beside the other routes (saturated ends, mirrored): the 2000-bit value at random exact
// points of the interval (half-lines: up to 2^40 beyond the finite end) lies in the enclosure, at 64 and 128 bits, in
// every rounding direction; and an enclosure over [a, +inf] is at most 2^-60 wider than the exact range [f(a), 1].
BOOST_AUTO_TEST_CASE(mpfi_activations_near_one_contain_the_exact_values) {
    std::mt19937_64 g(17);
    int checked = 0;
    in_every_rounding_mode([&](int) {
        for (int bits : {64, 128, 512}) {  // 512: saturating_end's scratch numbers on the heap (above 256 bits)
            PrecisionScope scope(bits);
            for (ActivationKind k : {ActivationKind::sigmoid, ActivationKind::tanh, ActivationKind::softplus})
                for (int order = 0; order <= 2; ++order) {
                    if (k == ActivationKind::softplus && order == 0) continue;
                    const std::string name = k == ActivationKind::sigmoid ? "sigmoid"
                                             : k == ActivationKind::tanh  ? "tanh"
                                                                          : "softplus";
                    for (int n = 0; n < 40; ++n) {
                        // lo in (0, 60], hi = lo + a width from 2^-12 to 2^8, or +inf; sometimes mirrored below 0.
                        const Rational lo(static_cast<long>(g() % 60000 + 1), 1000);
                        const bool half_line = g() % 3 == 0, mirrored = g() % 4 == 0;
                        const Rational hi = lo + Rational(static_cast<long>(g() % 1000 + 1), 1000) *
                                                     Rational(Integer(1) << static_cast<int>(g() % 20), 4096);
                        Interval z = mirrored ? Interval::hull(-hi, -lo) : Interval::hull(lo, hi);
                        if (half_line) {
                            if (mirrored) mpfr_set_inf(&z.raw()->left, -1);
                            else mpfr_set_inf(&z.raw()->right, 1);
                        }
                        const Interval y = activate(act(k), z, order);
                        for (int p = 0; p < 3; ++p) {
                            Rational t = random_in(g, lo, half_line ? lo + Rational(Integer(1) << 40) : hi);
                            if (mirrored) t = -t;
                            BOOST_TEST(encloses(y, ref_activation(name, t, order)),
                                       name << "^(" << order << ") at " << t.convert_to<double>() << ", " << bits << " bits");
                            ++checked;
                        }
                        if (order == 0 && half_line && !mirrored && k != ActivationKind::softplus) {
                            // [f(lo), 1] exactly: through 1 - f, the enclosure's lower end is below f(lo) by at most
                            // what rounding lo to a double (f' <= 2 (1 - f) times lo 2^-52) and the balls' relative
                            // accuracy on 1 - f (2^-40) allow, plus 2^-60 (a ball around f near 1 loses 2^-52).
                            Ref f_lo = ref_activation(name, lo, 0), gap, allowed;
                            mpfr_sub(gap.v, f_lo.v, y.lo(), MPFR_RNDN);
                            mpfr_ui_sub(allowed.v, 1, f_lo.v, MPFR_RNDN);
                            mpfr_mul_d(allowed.v, allowed.v, lo.convert_to<double>() * 0x1p-50 + 0x1p-40, MPFR_RNDN);
                            mpfr_add_d(allowed.v, allowed.v, 0x1p-60, MPFR_RNDN);
                            // Below about 16 (8 for tanh) smooth_wide's balls around f itself decide first: a few
                            // 53-bit ulps of 1.
                            if (lo < (k == ActivationKind::tanh ? 9 : 18)) mpfr_set_d(allowed.v, 0x1p-49, MPFR_RNDN);
                            BOOST_TEST(mpfr_lessequal_p(gap.v, allowed.v), name << " over [" << lo.convert_to<double>() << ", inf]: " << mpfr_get_d(gap.v, MPFR_RNDN) << " > " << mpfr_get_d(allowed.v, MPFR_RNDN) << " at " << bits);
                        }
                    }
                }
        }
    });
    BOOST_TEST(checked > 4000);
}

// The second-order form's Hessian block in binary64 intervals: at random exact points of random boxes (a weight of
// the first layer on a half-line in some), the Hessian enclosed by MPFI at 600 bits over that point box lies inside
// the block, entry by entry; and the block is about as tight as hessian_block_enclosure's (MPFI at 64 bits).
BOOST_AUTO_TEST_CASE(the_hessian_block_contains_the_hessians_of_the_box) {
    std::mt19937_64 g(5);
    Problem pb;
    pb.net.input_dim = 2;
    pb.net.layers = {{2, act(ActivationKind::sigmoid)}, {1, act(ActivationKind::sigmoid)}};
    pb.data = {{{0, 1}, {0}}, {{2, 0}, {1}}, {{Rational(1, 2), Rational(1, 2)}, {0}}, {{-2, Rational(1, 2)}, {1}},
               {{Rational(3, 2), -1}, {1}}};
    Problem tanh_pb = pb;
    tanh_pb.net.layers = {{3, act(ActivationKind::tanh)}, {1, act(ActivationKind::identity)}};
    tanh_pb.loss = LossKind::mse;
    tanh_pb.weight_decay = Rational(1, 100);
    int checked = 0, blocks = 0;
    for (const Problem* p : {&pb, &tanh_pb}) {
        const std::size_t n = p->net.num_params();
        for (int trial = 0; trial < 24; ++trial) {
            Box box(n);
            for (std::size_t k = 0; k < n; ++k) {
                const Rational c = random_rational(g, 1), w = Rational(static_cast<long>(g() % 1000 + 1), 1000 << (trial % 8));
                box[k] = Range{c - w, c + w};
            }
            if (trial % 3 == 1) box[0].hi.reset();  // the first weight on [lo, +inf]
            if (trial % 3 == 2) box[3].lo.reset();  // a first-layer weight on [-inf, hi]
            std::vector<std::size_t> coords;
            for (std::size_t k = 0; k < n; ++k)
                if (box[k].bounded()) coords.push_back(k);
            std::optional<IMatrix> fast;
            IMatrix mpfi;
            {
                PrecisionScope scope(64);
                const IVector x = enclose(box);
                fast = hessian_block_by_doubles(*p, x, coords);
                mpfi = hessian_block_enclosure(*p, x, coords);
            }
            BOOST_TEST_REQUIRE(fast.has_value());
            ++blocks;
            for (int s = 0; s < 6; ++s) {
                Vector theta(n);
                for (std::size_t k = 0; k < n; ++k) {
                    const Rational lo = box[k].lo ? *box[k].lo : *box[k].hi - 1000;
                    const Rational hi = box[k].hi ? *box[k].hi : *box[k].lo + 1000;
                    theta[k] = random_in(g, lo, hi);
                }
                PrecisionScope scope(600);
                const IMatrix at = hessian_block_enclosure(*p, point_box(theta), coords);
                for (std::size_t i = 0; i < coords.size(); ++i)
                    for (std::size_t j = 0; j < coords.size(); ++j) {
                        const Interval& e = (*fast)[i][j];
                        BOOST_TEST((mpfr_lessequal_p(e.lo(), at[i][j].lo()) && mpfr_lessequal_p(at[i][j].hi(), e.hi())));
                        ++checked;
                    }
            }
            // Tightness (a heuristic property, not soundness): each entry at most a little wider than MPFI's.
            PrecisionScope scope(64);
            for (std::size_t i = 0; i < coords.size(); ++i)
                for (std::size_t j = 0; j < coords.size(); ++j) {
                    const Interval& e = (*fast)[i][j];
                    const double wf = mpfr_get_d(e.hi(), MPFR_RNDU) - mpfr_get_d(e.lo(), MPFR_RNDD);
                    const double wm = mpfr_get_d(mpfi[i][j].hi(), MPFR_RNDU) - mpfr_get_d(mpfi[i][j].lo(), MPFR_RNDD);
                    BOOST_TEST(wf <= wm * (1 + 1e-9) + 1e-12, "entry " << i << "," << j << ": " << wf << " vs " << wm);
                }
        }
    }
    BOOST_TEST(blocks == 48);
    BOOST_TEST(checked > 4000);
}

// activate_keeping_complement (the output-layer reduction's hidden outputs): sigmoid and tanh over point intervals at
// the listed t and over random intervals (narrow and wide, half-lines, saturated both ways), at 64 and 128 bits, in
// every rounding direction. Containment: each end's distance from its limit (1 - lo for an end at t >= 0, lo itself
// below 0; tanh: 1 - lo, lo + 1) is compared with the complement c computed by MPFR at 300 bits and rounded the
// conservative way. Relative accuracy: at a point t with |t| < 2^20 the ends' complements lie within c 2^-40 of c,
// plus the working precision's rounding of an end near 1 (2^(1 - bits)); e.g. sigmoid(60) = 1 - 8.76e-27 keeps its lower end at least
// 1 - 8.76e-27 (1 + 2^-40) at 128 bits, which [1 - 2^-53, 1] cannot.
namespace {

// The complement of f at the exact MPFR number t, at 300 bits, rounded in direction rnd: sigmoid c = e^-|t| / (1 +
// e^-|t|), tanh c = 2 e^-2|t| / (1 + e^-2|t|) (each a monotone function of the exponential, so rounding the steps
// the same way rounds the result that way).
void ref_complement(bool sigmoid, mpfr_srcptr t, mpfr_rnd_t rnd, mpfr_ptr out) {
    mpfr_t e, d;
    mpfr_init2(e, 300);
    mpfr_init2(d, 300);
    const mpfr_rnd_t opposite = rnd == MPFR_RNDU ? MPFR_RNDD : MPFR_RNDU;
    mpfr_abs(e, t, rnd);
    if (!sigmoid) mpfr_mul_2ui(e, e, 1, rnd);
    mpfr_neg(e, e, rnd);
    // c = 1 / (e^|t| + 1) (times 2 for tanh): rounding e^|t| + 1 the opposite way rounds c in direction rnd.
    mpfr_neg(d, e, opposite);
    mpfr_exp(d, d, opposite);
    mpfr_add_ui(d, d, 1, opposite);
    mpfr_ui_div(out, sigmoid ? 1 : 2, d, rnd);
    mpfr_clear(e);
    mpfr_clear(d);
}

// The end's complement: 1 - end (t >= 0), end (sigmoid, t < 0) or end + 1 (tanh, t < 0), exact at 400 bits (an end
// near 1 has at most 128 bits, an end near -1 too).
void end_complement(bool sigmoid, bool negative, mpfr_srcptr end, mpfr_ptr out) {
    if (!negative)
        mpfr_ui_sub(out, 1, end, MPFR_RNDN);
    else if (sigmoid)
        mpfr_set(out, end, MPFR_RNDN);
    else
        mpfr_add_ui(out, end, 1, MPFR_RNDN);
}

}  // namespace

BOOST_AUTO_TEST_CASE(complements_of_saturated_activations) {
    std::mt19937_64 g(41);
    int checked = 0, accurate = 0;
    mpfr_t c_lo, c_hi, got, slack;
    mpfr_init2(c_lo, 300);
    mpfr_init2(c_hi, 300);
    mpfr_init2(got, 400);
    mpfr_init2(slack, 300);
    const std::vector<double> points = {0,   1e-300, 5,   20,  36,  40,   60,   88,   200,
                                        700, 745,    746, 1e6, 3e6, 1e300, 0.7, 39.99, 40.01};
    // f over z: the ends' complements against the 300-bit complements at z's ends (f is monotone: the ends decide);
    // `relative`: also within c 2^-40 (+ the working precision near 1).
    const auto check = [&](bool sigmoid, const Interval& z, bool relative, int bits) {
        const std::optional<Interval> y = activate_keeping_complement(
            sigmoid ? ActivationKind::sigmoid : ActivationKind::tanh, z);
        BOOST_REQUIRE(y.has_value());
        for (int side = 0; side < 2; ++side) {
            mpfr_srcptr t = side == 0 ? z.lo() : z.hi();
            mpfr_srcptr end = side == 0 ? y->lo() : y->hi();
            const bool negative = mpfr_sgn(t) < 0;
            if (mpfr_inf_p(t)) {  // the limit, exactly
                BOOST_TEST(mpfr_cmp_si(end, negative ? (sigmoid ? 0 : -1) : 1) == 0);
                continue;
            }
            ref_complement(sigmoid, t, MPFR_RNDD, c_lo);
            ref_complement(sigmoid, t, MPFR_RNDU, c_hi);
            end_complement(sigmoid, negative, end, got);
            // The lower end of f has complement >= c for t >= 0 and <= c below 0; the upper end the reverse.
            const bool above = (side == 0) != negative;
            const bool ok = above ? mpfr_cmp(got, c_lo) >= 0 : mpfr_cmp(got, c_hi) <= 0;
            BOOST_TEST(ok, (sigmoid ? "sigmoid" : "tanh") << " end " << side << " at " << mpfr_get_d(t, MPFR_RNDN)
                                                          << ", " << bits << " bits");
            ++checked;
            if (!relative) continue;
            // |got - c| <= c 2^-40 + (an end near 1 or -1: 2^(1 - bits), its rounding there).
            mpfr_mul_2si(slack, c_hi, -40, MPFR_RNDU);
            if (!negative || !sigmoid) {
                mpfr_t r;
                mpfr_init2(r, 64);
                mpfr_set_ui_2exp(r, 1, 1 - bits, MPFR_RNDN);
                mpfr_add(slack, slack, r, MPFR_RNDU);
                mpfr_clear(r);
            }
            mpfr_t diff;
            mpfr_init2(diff, 500);
            mpfr_sub(diff, got, above ? c_lo : c_hi, MPFR_RNDN);
            mpfr_abs(diff, diff, MPFR_RNDU);
            const bool tight = mpfr_cmp(diff, slack) <= 0;
            BOOST_TEST(tight, (sigmoid ? "sigmoid" : "tanh") << " end " << side << " at " << mpfr_get_d(t, MPFR_RNDN)
                                                             << " not within c 2^-40, " << bits << " bits");
            accurate += tight ? 1 : 0;
            mpfr_clear(diff);
        }
    };
    in_every_rounding_mode([&](int) {
        for (int bits : {64, 128}) {
            PrecisionScope scope(bits);
            for (bool sigmoid : {true, false}) {
                for (double p : points)
                    for (double t : {p, -p}) {
                        // Relative accuracy up to |t| = 2^20 (beyond, c is only bounded by 2^-1500000).
                        check(sigmoid, Interval(exact_double(t)), std::fabs(t) < 0x1p20, bits);
                        // Half-lines from t: the limit at the infinite end.
                        Interval up(exact_double(t)), down(exact_double(t));
                        mpfr_set_inf(&up.raw()->right, 1);
                        mpfr_set_inf(&down.raw()->left, -1);
                        check(sigmoid, up, false, bits);
                        check(sigmoid, down, false, bits);
                    }
                // Ends that are not doubles: t = p + a rest below the double's last bit (split off exactly).
                for (int n = 0; n < 60; ++n) {
                    const Rational lo = Rational(static_cast<long>(g() % 2000000) - 1000000, 997) *
                                        Rational(1, static_cast<long>(1 + g() % 50));
                    const Rational hi = lo + Rational(static_cast<long>(g() % 1000), 1 + static_cast<long>(g() % 100000));
                    check(sigmoid, Interval::hull(lo, hi), false, bits);
                    check(sigmoid, Interval(lo), true, bits);
                }
            }
            // sigmoid(60) = 1 - 8.7565e-27: the lower end keeps the complement (binary64 ends cannot: [1 - 2^-53, 1]).
            if (bits == 128) {
                const std::optional<Interval> s60 = activate_keeping_complement(ActivationKind::sigmoid, Interval(Rational(60)));
                BOOST_REQUIRE(s60.has_value());
                mpfr_ui_sub(got, 1, s60->lo(), MPFR_RNDN);
                BOOST_TEST(mpfr_cmp_d(got, 8.76e-27 * (1 + 0x1p-40)) <= 0);
                BOOST_TEST(mpfr_cmp_d(got, 8.75e-27) >= 0);
            }
        }
    });
    // Neither NaN, nor an empty interval, nor another activation.
    PrecisionScope scope(128);
    Interval nan_z;
    mpfr_set_nan(&nan_z.raw()->left);
    BOOST_TEST(!activate_keeping_complement(ActivationKind::sigmoid, nan_z).has_value());
    Interval empty_z;
    mpfr_set_inf(&empty_z.raw()->left, 1);
    mpfr_set_inf(&empty_z.raw()->right, 1);
    BOOST_TEST(!activate_keeping_complement(ActivationKind::tanh, empty_z).has_value());
    BOOST_TEST(!activate_keeping_complement(ActivationKind::softplus, Interval(Rational(1))).has_value());
    BOOST_TEST(checked > 3000);
    BOOST_TEST(accurate > 1000);
    mpfr_clear(c_lo);
    mpfr_clear(c_hi);
    mpfr_clear(got);
    mpfr_clear(slack);
}

// Exact corner products and exact zero sums stay exact (dinterval.hpp): x - x is 0, and [0, 1] times a short
// significand is its exact multiple, so a ray chart's inner sum r a - a over r in [0, 1] ends at 0 exactly.
BOOST_AUTO_TEST_CASE(exact_products_and_zero_sums_stay_exact) {
    in_every_rounding_mode([&](int) {
        const DInterval r = DInterval::from_ends(0, 1), a = DInterval(Rational(5, 2)), one = DInterval(Rational(1));
        const DInterval inner = r * a - one * a;
        BOOST_TEST(inner.lo() == -2.5);
        BOOST_TEST(inner.hi() == 0.0);
        // A product with a long significand still moves outward.
        const DInterval third = DInterval(Rational(1, 3)) * DInterval(Rational(3));
        BOOST_TEST(third.lo() < 1.0);
        BOOST_TEST(third.hi() > 1.0);
        // Near the ends of the normal range the exactness test declines.
        const DInterval tiny = DInterval::from_ends(0x1p-1000, 0x1p-1000) * DInterval::from_ends(0x1p-30, 0x1p-30);
        BOOST_TEST(tiny.lo() < 0x1p-1030);
    });
}

// A point factor takes the two-corner path of mul_intervals: the same containment, in both operand orders, against
// random intervals of every magnitude (half-lines and the exact zero included), for short and long significands, tiny
// and huge points; short exact products keep their ends.
BOOST_AUTO_TEST_CASE(products_with_a_point_factor_contain_the_exact_results) {
    std::mt19937_64 g(11);
    int checked = 0;
    in_every_rounding_mode([&](int) {
        std::uniform_real_distribution<double> u(-4, 4);
        for (int e : {-1070, -540, -60, -3, 0, 3, 60, 500, 1020}) {
            for (int k = 0; k < 60; ++k) {
                const double xs[] = {1.0, -0.5, 23.4453125, u(g), std::ldexp(u(g), e), -std::ldexp(u(g), std::min(-e, 1020)),
                                     0x1p-1074, -DBL_MAX};
                const double x = xs[k % 8];
                const DInterval px = DInterval::from_ends(x, x);
                const IntervalSample b = random_interval(g, e);
                const DInterval left = px * b.x, right = b.x * px;
                BOOST_TEST((left.lo() == right.lo() && left.hi() == right.hi()));
                for (int s = 0; s < 4; ++s) {
                    const Rational y = point_of(g, b), q = exact_double(x) * y;
                    BOOST_TEST(holds(left, q), "x = " << x << " y in [" << b.x.lo() << ", " << b.x.hi() << "]: ["
                                                       << left.lo() << ", " << left.hi() << "]");
                    ++checked;
                }
                if (b.lo) BOOST_TEST(holds(left, exact_double(x) * *b.lo));
                if (b.hi) BOOST_TEST(holds(left, exact_double(x) * *b.hi));
            }
        }
        // Short significands: exact ends; a long one moves outward; the exact zero stays exact.
        const DInterval half = DInterval::from_ends(0.5, 0.5), y = DInterval::from_ends(-3, 1.5);
        const DInterval hy = half * y, my = DInterval::from_ends(-2, -2) * y;
        BOOST_TEST((hy.lo() == -1.5 && hy.hi() == 0.75));
        BOOST_TEST((my.lo() == -3.0 && my.hi() == 6.0));
        const DInterval t = DInterval::from_ends(0.1, 0.1) * DInterval::from_ends(3, 3);
        BOOST_TEST((exact_double(t.lo()) < exact_double(0.1) * 3 && exact_double(0.1) * 3 < exact_double(t.hi())));
        BOOST_TEST(known_zero(DInterval::from_ends(7, 7) * DInterval()));
        const DInterval hl = DInterval::from_ends(-2, -2) * DInterval::from_ends(1, inf);
        BOOST_TEST((hl.lo() == -inf && hl.hi() == -2.0));
    });
    BOOST_TEST(checked > 5000);
}

// Every sign pattern of the product's case table (review r13): all intervals with ends in a grid of special values
// (zeros of both signs, subnormals, DBL_MIN, short and long significands, near the overflow threshold, infinities)
// times each other, in both orders and all four rounding directions, against the exact products of their finite
// ends, 0 and the midpoint.
BOOST_AUTO_TEST_CASE(products_over_a_grid_of_special_ends_contain_the_exact_results) {
    const std::vector<double> v = {-inf, -DBL_MAX, -0x1p512, -23.4453125, -1.5, -0x1.0000004p0, -0x1p-1022,
                                   -0x1p-1074, -0.0, 0.0, 0x1p-1074, 0x1p-1022, 0x1.fffffffffffffp0, 0.5, 3,
                                   0x1.8p511, DBL_MAX, inf};
    std::vector<std::pair<double, double>> ends;
    for (std::size_t i = 0; i < v.size(); ++i)
        for (std::size_t j = i; j < v.size(); ++j)
            if (!(i == j && std::isinf(v[i]))) ends.emplace_back(v[i], v[j]);
    const auto points = [](double lo, double hi) {
        std::vector<Rational> out;
        if (std::isfinite(lo)) out.push_back(exact_double(lo));
        if (std::isfinite(hi)) out.push_back(exact_double(hi));
        if (lo <= 0 && hi >= 0) out.push_back(Rational(0));
        if (std::isfinite(lo) && std::isfinite(hi)) out.push_back((exact_double(lo) + exact_double(hi)) / 2);
        return out;
    };
    int checked = 0;
    in_every_rounding_mode([&](int) {
        for (const auto& [alo, ahi] : ends) {
            const DInterval a = DInterval::from_ends(alo, ahi);
            const std::vector<Rational> xs = points(alo, ahi);
            for (const auto& [blo, bhi] : ends) {
                const DInterval b = DInterval::from_ends(blo, bhi), ab = a * b, ba = b * a;
                BOOST_TEST_REQUIRE((ab.lo() <= ab.hi() && ab.lo() == ba.lo() && ab.hi() == ba.hi()));
                for (const Rational& x : xs)
                    for (const Rational& y : points(blo, bhi)) {
                        BOOST_TEST_REQUIRE(holds(ab, x * y), "[" << alo << ", " << ahi << "] * [" << blo << ", " << bhi
                                                                 << "] = [" << ab.lo() << ", " << ab.hi() << "]");
                        ++checked;
                    }
            }
        }
    });
    BOOST_TEST(checked > 100000);
}

// doubled(x) (the one-layer search's 2 u and 2 c_i products) holds 2 t for every t of x, in every rounding direction,
// and is exactly [2 lo, 2 hi] wherever that is finite: ends at and around DBL_MAX / 2, subnormals, zeros, infinities.
BOOST_AUTO_TEST_CASE(doubling_is_exact_and_contains_the_exact_results) {
    const std::vector<double> v = {-inf, -DBL_MAX, -0x1.0000000000001p1023, -DBL_MAX / 2, -0x1.fffffffffffffp1021,
                                   -23.4453125, -0x1.0000004p0, -0x1p-1022, -0x1p-1074, -0.0, 0.0, 0x1p-1074,
                                   0x1.8p-1070, 0x1p-1022, 0.5, 0x1.fffffffffffffp0, DBL_MAX / 2,
                                   0x1.0000000000001p1023, DBL_MAX, inf};
    int checked = 0;
    in_every_rounding_mode([&](int) {
        for (std::size_t i = 0; i < v.size(); ++i)
            for (std::size_t j = i; j < v.size(); ++j) {
                if (i == j && std::isinf(v[i])) continue;
                const DInterval x = DInterval::from_ends(v[i], v[j]), d = doubled(x);
                for (double e : {v[i], v[j]}) {
                    if (!std::isfinite(e)) continue;
                    BOOST_TEST_REQUIRE(holds(d, 2 * exact_double(e)), "2 [" << v[i] << ", " << v[j] << "] = [" << d.lo()
                                                                             << ", " << d.hi() << "]");
                    ++checked;
                }
                if (std::fabs(v[i]) <= DBL_MAX / 2 && std::fabs(v[j]) <= DBL_MAX / 2)
                    BOOST_TEST_REQUIRE((d.lo() == 2 * v[i] && d.hi() == 2 * v[j]));
                if (std::isinf(v[i])) BOOST_TEST_REQUIRE(d.lo() == -inf);
                if (std::isinf(v[j])) BOOST_TEST_REQUIRE(d.hi() == inf);
            }
    });
    BOOST_TEST(checked > 1000);
}

BOOST_AUTO_TEST_SUITE_END()
