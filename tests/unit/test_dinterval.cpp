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

#include <cmath>
#include <limits>
#include <optional>
#include <random>

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
        for (int bits : {64, 128}) {
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

BOOST_AUTO_TEST_SUITE_END()
