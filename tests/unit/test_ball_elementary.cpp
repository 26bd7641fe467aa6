// Containment tests for the ball engine's own elementary functions (kernel/ball/elementary.hpp): e^-x, e^-x - 1,
// tanh, sigmoid at exact doubles and 1/y over balls, against 2000-bit MPFR values, in all four rounding directions,
// at the reduction's edges (multiples of 1/8, the table's end), tiny, subnormal, huge and non-finite arguments;
// the ranges of sigmoid and tanh and their first two derivatives over intervals (derivative_range).
#include "kernel/ball/elementary.hpp"
#include "test_interval_support.hpp"

#include <boost/test/unit_test.hpp>

#include <cfenv>
#include <cfloat>
#include <cmath>
#include <functional>
#include <limits>
#include <random>
#include <vector>

using namespace nncert::kernel;
using namespace nncert::kernel::ball_elementary;
using namespace nncert::testing;

namespace {

bool holds(const Ball& b, const Ref& truth) {
    if (!b.is_finite()) return false;
    const Ref lo(b.lower()), hi(b.upper());
    return mpfr_lessequal_p(lo.v, truth.v) && mpfr_lessequal_p(truth.v, hi.v);
}

// rad(b) <= 2^-bits * |truth| (a relative tightness check: the enclosure is useful, not just sound).
bool tight(const Ball& b, const Ref& truth, int bits) {
    Ref bound(exact_double(b.rad())), t;
    mpfr_abs(t.v, truth.v, MPFR_RNDN);
    mpfr_mul_2si(bound.v, bound.v, bits, MPFR_RNDN);
    return mpfr_lessequal_p(bound.v, t.v);
}

Ref ref_exp_neg(double x, bool minus_one) {
    Ref r(exact_double(-x));
    if (minus_one) mpfr_expm1(r.v, r.v, MPFR_RNDN);
    else mpfr_exp(r.v, r.v, MPFR_RNDN);
    return r;
}

// Arguments x >= 0 of e^-x: random ones over [0, 45] and many magnitudes, and the edges of the reduction
// x = n + i/8 + r (multiples of 1/8 and their neighbours), of the table (40) and of the double range.
std::vector<double> exp_arguments(std::mt19937_64& g) {
    std::vector<double> xs = {0.0, DBL_TRUE_MIN, DBL_MIN, 1e-300, 0x1p-60, 1e-17, 1e-8, 0.125, 39.875, 40.0, 41.0,
                              1e10, DBL_MAX};
    for (int j = 1; j <= 8 * 41; j += 7) {
        const double x = j * 0.125;
        xs.push_back(x);
        xs.push_back(std::nextafter(x, 0.0));
        xs.push_back(std::nextafter(x, 100.0));
    }
    // The table's steps j/32 (every one below 2, then every 13th), their neighbours, and remainders r at the binary64
    // polynomial's ends (2^-20 and just below it, just below 1/32).
    for (int j = 1; j <= 32 * 41; j += j < 64 ? 1 : 13) {
        const double x = j / 32.0;
        for (double r : {0.0, 0x1p-20, std::nextafter(0x1p-20, 0.0), 0x1p-30, std::nextafter(1 / 32.0, 0.0)}) {
            xs.push_back(x + r);
            if (r == 0) xs.push_back(std::nextafter(x, 0.0));
        }
    }
    std::uniform_real_distribution<double> u(0, 45), e(-40, 3);
    for (int k = 0; k < 300; ++k) {
        xs.push_back(u(g));
        xs.push_back(std::pow(10.0, e(g)));
    }
    return xs;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(ball_elementary)

BOOST_AUTO_TEST_CASE(taylor_remainder_constant_bounds_r13_over_13_factorial) {
    // |e^-r - sum_{k<=12} (-r)^k/k!| <= r^13/13! <= r * 8^-12 / 13! for 0 <= r < 1/8: the code uses r * 2^-68.
    Rational factorial = 1;
    for (int k = 2; k <= 13; ++k) factorial *= k;
    Rational eight_12 = 1, two_68 = 1;
    for (int k = 0; k < 12; ++k) eight_12 *= 8;
    for (int k = 0; k < 68; ++k) two_68 *= 2;
    BOOST_TEST(1 / (eight_12 * factorial) <= 1 / two_68);
    // The binary64 polynomial (degree 8 on [2^-20, 1/32)): its Lagrange remainder r^9/9! <= r 32^-8 / 9! <= r 2^-58.
    Rational f9 = 1, two_40 = 1, two_58 = 1;
    for (int k = 2; k <= 9; ++k) f9 *= k;
    for (int k = 0; k < 40; ++k) two_40 *= 2;
    for (int k = 0; k < 58; ++k) two_58 *= 2;
    BOOST_TEST(1 / (two_40 * f9) <= 1 / two_58);
    // e^-40 < 2^-57: the saturated enclosures beyond the table.
    Ref e40 = ref_exp_neg(40, false), bound(Rational(1) / (two_68 / 2048));
    BOOST_TEST(mpfr_less_p(e40.v, bound.v));
}

BOOST_AUTO_TEST_CASE(exp_neg_contains_2000_bit_values_in_every_rounding_mode) {
    in_every_rounding_mode([](int mode) {
        std::mt19937_64 g(31 + mode);
        for (double x : exp_arguments(g)) {
            const ExpNeg v = exp_neg(x);
            const Ref e = ref_exp_neg(x, false), em1 = ref_exp_neg(x, true);
            BOOST_TEST(holds(v.e, e), "e^-x at x = " << x << ": " << v.e.mid() << " +- " << v.e.rad());
            BOOST_TEST(holds(v.em1, em1), "e^-x - 1 at x = " << x << ": " << v.em1.mid() << " +- " << v.em1.rad());
            if (x < 40) {  // relative tightness (not in the subnormal range, where absolute gaps are 2^-1074)
                BOOST_TEST(tight(v.e, e, 48), "e^-x radius at x = " << x << ": " << v.e.rad());
                if (x >= 0x1p-1000) BOOST_TEST(tight(v.em1, em1, 46), "e^-x - 1 radius at x = " << x << ": " << v.em1.rad());
            }
        }
    });
    const double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
    BOOST_TEST(exp_neg(inf).e.is_finite());  // e^-inf = 0 lies in <0, 2^-57>
    BOOST_TEST(exp_neg(inf).e.mid() == 0);
    BOOST_TEST(!exp_neg(nan).e.is_finite());
    BOOST_TEST(!exp_neg(-1.0).e.is_finite());
    BOOST_TEST(!exp_neg(-1.0).em1.is_finite());
}

BOOST_AUTO_TEST_CASE(tanh_and_sigmoid_contain_2000_bit_values_in_every_rounding_mode) {
    in_every_rounding_mode([](int mode) {
        std::mt19937_64 g(97 + mode);
        std::vector<double> zs = {0.0, -0.0, DBL_TRUE_MIN, -DBL_MIN, 1e-300, -1e-17, 19.999, 20.0, -20.0, 20.5, 39.9,
                                  -40.0, 40.0, 60.0, -60.0, 1e300, -DBL_MAX, DBL_MAX};
        for (double x : exp_arguments(g)) {
            zs.push_back(x);
            zs.push_back(-x);
            zs.push_back(x / 2);  // tanh reduces at 2 |z|
            zs.push_back(-x / 2);
        }
        for (double z : zs) {
            const Ball t = tanh_at(z), s = sigmoid_at(z);
            const Ref rt = ref_activation("tanh", exact_double(z), 0), rs = ref_activation("sigmoid", exact_double(z), 0);
            BOOST_TEST(holds(t, rt), "tanh(" << z << ") in " << t.mid() << " +- " << t.rad());
            BOOST_TEST(holds(s, rs), "sigmoid(" << z << ") in " << s.mid() << " +- " << s.rad());
            if (std::fabs(z) >= 0x1p-1000 && std::fabs(z) < 20) BOOST_TEST(tight(t, rt, 46), "tanh(" << z << ") radius " << t.rad());
            if (std::fabs(z) < 40) BOOST_TEST(tight(s, rs, 47), "sigmoid(" << z << ") radius " << s.rad());
        }
    });
    const double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
    for (double z : {inf, -inf, nan}) {
        BOOST_TEST(!tanh_at(z).is_finite());
        BOOST_TEST(!sigmoid_at(z).is_finite());
    }
    BOOST_TEST((tanh_at(0.0).mid() == 0 && tanh_at(0.0).rad() == 0));  // exact at 0
}

BOOST_AUTO_TEST_CASE(reciprocal_contains_every_reciprocal_of_members_in_every_rounding_mode) {
    in_every_rounding_mode([](int mode) {
        std::mt19937_64 g(5 + mode);
        std::uniform_real_distribution<double> e(-300, 300), w(-60, 0);
        for (int trial = 0; trial < 2000; ++trial) {
            const double mid = (g() % 2 ? -1 : 1) * std::pow(10.0, e(g));
            const double rad = trial % 4 == 0 ? 0 : std::fabs(mid) * std::pow(2.0, w(g)) * (trial % 4 == 3 ? 0.6 : 1);
            const Ball d = Ball::from_parts(mid, rad), inv = reciprocal(d);
            if (!inv.is_finite()) {
                BOOST_TEST(rad >= std::fabs(mid) / 4, "no reciprocal of " << mid << " +- " << rad);
                continue;
            }
            for (int k = 0; k < 3; ++k) {
                const Rational y = random_in(g, d.lower(), d.upper());
                BOOST_TEST(holds(inv, Ref(1 / y)), "1 / " << y << " in " << inv.mid() << " +- " << inv.rad());
            }
        }
    });
    BOOST_TEST(!reciprocal(Ball::from_parts(1, 1)).is_finite());  // contains 0
    BOOST_TEST(!reciprocal(Ball::from_parts(0, 0)).is_finite());
    BOOST_TEST(!reciprocal(Ball::from_parts(1, 0.75)).is_finite());  // too wide for the bound: declined
    BOOST_TEST(!reciprocal(Ball::from_parts(DBL_TRUE_MIN, 0)).is_finite());  // 1 / mid overflows
    BOOST_TEST(!reciprocal(Ball::whole()).is_finite());
}

// derivative_range: every value of f^(order) over [lo, hi] lies in the hull of at_lo, at_hi and the extra points.
// Checked at the ends, at random doubles inside, at the doubles next to the extrema +-c (sigmoid'') and +-c/2
// (tanh''), and at the extrema themselves (2000-bit values at c = ln(2 + sqrt 3)), in every rounding mode.
BOOST_AUTO_TEST_CASE(derivative_range_contains_every_value_over_the_interval_in_every_rounding_mode) {
    Ref c;  // ln(2 + sqrt 3), the extremum of sigmoid'' (tanh'': c / 2)
    mpfr_sqrt_ui(c.v, 3, MPFR_RNDN);
    mpfr_add_ui(c.v, c.v, 2, MPFR_RNDN);
    mpfr_log(c.v, c.v, MPFR_RNDN);
    const double cd = mpfr_get_d(c.v, MPFR_RNDN);
    in_every_rounding_mode([&](int mode) {
        std::mt19937_64 g(411 + mode);
        for (const ActivationKind kind : {ActivationKind::sigmoid, ActivationKind::tanh}) {
            const bool sigmoid = kind == ActivationKind::sigmoid;
            const char* name = sigmoid ? "sigmoid" : "tanh";
            const double limit = sigmoid ? 36 : 18, crit = sigmoid ? cd : cd / 2;
            std::uniform_real_distribution<double> centre(-limit, limit), near(-2 * crit, 2 * crit), width(-30, 3);
            for (int trial = 0; trial < 400; ++trial) {
                const double m = trial % 3 == 0 ? near(g) : centre(g), w = std::pow(2.0, width(g));
                const double lo = std::fmax(-limit, m - w), hi = std::fmin(limit, m + w);
                for (int order = 0; order <= 2; ++order) {
                    const auto r = derivative_range(kind, lo, hi, order);
                    BOOST_TEST_REQUIRE(r.has_value());
                    Ref bottom(r->at_lo.lower()), top(r->at_lo.upper());
                    const auto widen = [&](const Rational& q) {
                        const Ref x(q);
                        if (mpfr_less_p(x.v, bottom.v)) bottom = x;
                        if (mpfr_greater_p(x.v, top.v)) top = x;
                    };
                    widen(r->at_hi.lower());
                    widen(r->at_hi.upper());
                    for (int k = 0; k < r->n_extra; ++k) widen(exact_double(r->extra[k]));
                    const auto inside = [&](const Ref& v) {
                        return mpfr_lessequal_p(bottom.v, v.v) && mpfr_lessequal_p(v.v, top.v);
                    };
                    std::vector<double> ts = {lo, hi, -crit, crit, std::nextafter(-crit, 0.0), std::nextafter(crit, 0.0),
                                              std::nextafter(crit, 9.0), std::nextafter(-crit, -9.0), 0.0};
                    std::uniform_real_distribution<double> in(lo, hi);
                    for (int k = 0; k < 6; ++k) ts.push_back(in(g));
                    for (double t : ts) {
                        if (t < lo || t > hi) continue;
                        BOOST_TEST(inside(ref_activation(name, exact_double(t), order)),
                                   name << "^(" << order << ")(" << t << ") over [" << lo << ", " << hi << "]");
                    }
                    // The extrema themselves (irrational points): f''(-+c) = +-sqrt(3)/18, tanh''(-+c/2) = +-4 sqrt(3)/9.
                    if (order == 2)
                        for (int s : {-1, 1}) {
                            Ref x(c);
                            if (!sigmoid) mpfr_div_2ui(x.v, x.v, 1, MPFR_RNDN);
                            if (s < 0) mpfr_neg(x.v, x.v, MPFR_RNDN);
                            if (mpfr_cmp_d(x.v, lo) < 0 || mpfr_cmp_d(x.v, hi) > 0) continue;
                            Ref v;
                            mpfr_sqrt_ui(v.v, 3, MPFR_RNDN);
                            mpfr_mul_si(v.v, v.v, sigmoid ? 1 : 8, MPFR_RNDN);
                            mpfr_div_si(v.v, v.v, s < 0 ? 18 : -18, MPFR_RNDN);
                            BOOST_TEST(inside(v), name << "'' at its extremum " << s << " c in [" << lo << ", " << hi << "]");
                        }
                    // The balls at the ends are tight (relative 2^-44): the range is useful, not only sound.
                    if (order < 2 || (lo != 0 && hi != 0)) {
                        BOOST_TEST(tight(r->at_lo, ref_activation(name, exact_double(lo), order), 44));
                        BOOST_TEST(tight(r->at_hi, ref_activation(name, exact_double(hi), order), 44));
                    }
                }
            }
        }
    });
    // Infinite ends contribute the exact limits: values at large t (up to 2^20) lie in the hull too.
    for (const ActivationKind kind : {ActivationKind::sigmoid, ActivationKind::tanh}) {
        const char* name = kind == ActivationKind::sigmoid ? "sigmoid" : "tanh";
        const double inf = std::numeric_limits<double>::infinity();
        for (const auto& [lo, hi] : std::vector<std::pair<double, double>>{{-inf, -3}, {-inf, 2}, {1, inf}, {-inf, inf},
                                                                            {-17.5, inf}, {-inf, 0}})
            for (int order = 0; order <= 2; ++order) {
                const auto r = derivative_range(kind, lo, hi, order);
                BOOST_TEST_REQUIRE(r.has_value());
                Ref bottom(r->at_lo.lower()), top(r->at_lo.upper());
                for (const Rational& q : {r->at_hi.lower(), r->at_hi.upper()}) {
                    const Ref x(q);
                    if (mpfr_less_p(x.v, bottom.v)) bottom = x;
                    if (mpfr_greater_p(x.v, top.v)) top = x;
                }
                for (int k = 0; k < r->n_extra; ++k) {
                    const Ref x(exact_double(r->extra[k]));
                    if (mpfr_less_p(x.v, bottom.v)) bottom = x;
                    if (mpfr_greater_p(x.v, top.v)) top = x;
                }
                for (double t : {-0x1p20, -300.0, -40.0, -20.0, -3.0, -1.3, -0.6, 0.0, 0.6, 1.3, 2.0, 19.0, 45.0, 0x1p20}) {
                    if (t < lo || t > hi) continue;
                    const Ref v = ref_activation(name, exact_double(t), order);
                    BOOST_TEST((mpfr_lessequal_p(bottom.v, v.v) && mpfr_lessequal_p(v.v, top.v)),
                               name << "^(" << order << ")(" << t << ") over [" << lo << ", " << hi << "]");
                }
            }
    }
    // Declined: saturated or non-finite ends, lo > hi, other kinds and orders.
    const double nan = std::numeric_limits<double>::quiet_NaN();
    BOOST_TEST(!derivative_range(ActivationKind::sigmoid, -37, 0, 0).has_value());
    BOOST_TEST(!derivative_range(ActivationKind::sigmoid, 0, 36.5, 1).has_value());
    BOOST_TEST(derivative_range(ActivationKind::sigmoid, -36, 36, 2).has_value());
    BOOST_TEST(!derivative_range(ActivationKind::tanh, -18.5, 0, 0).has_value());
    BOOST_TEST(!derivative_range(ActivationKind::tanh, 1, 0, 0).has_value());
    BOOST_TEST(!derivative_range(ActivationKind::tanh, nan, 0, 0).has_value());
    BOOST_TEST(!derivative_range(ActivationKind::sigmoid, std::numeric_limits<double>::infinity(),
                                 std::numeric_limits<double>::infinity(), 0).has_value());  // lo = +inf
    BOOST_TEST(!derivative_range(ActivationKind::sigmoid, 37, std::numeric_limits<double>::infinity(), 1).has_value());
    BOOST_TEST(!derivative_range(ActivationKind::sigmoid, 0, 1, 3).has_value());
    BOOST_TEST(!derivative_range(ActivationKind::softplus, 0, 1, 1).has_value());
    BOOST_TEST(!derivative_range(ActivationKind::relu, 0, 1, 0).has_value());
    // The peak of f' at 0 and both extrema of f'' are added when the interval reaches them.
    BOOST_TEST(derivative_range(ActivationKind::sigmoid, -1, 1, 1)->n_extra == 1);
    BOOST_TEST(derivative_range(ActivationKind::sigmoid, 0.5, 1, 1)->n_extra == 0);
    BOOST_TEST(derivative_range(ActivationKind::sigmoid, -2, 2, 2)->n_extra == 2);
    BOOST_TEST(derivative_range(ActivationKind::tanh, -0.7, -0.6, 2)->n_extra == 1);
    BOOST_TEST(derivative_range(ActivationKind::tanh, -0.6, 0.6, 2)->n_extra == 0);
}

BOOST_AUTO_TEST_SUITE_END()
