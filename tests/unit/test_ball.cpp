// Containment tests for the ball engine's scalar arithmetic (kernel/ball/ball.hpp): random exact rationals
// inside the input balls, the exact (or 2000-bit) value must lie in the output ball, in all four IEEE rounding
// directions; adversarial magnitudes (near overflow, underflow, subnormal), inf and NaN; and the generic
// autodiff code (loss, gradient, Hessian) on balls against exact and MPFI values.
#include "kernel/ball/ball.hpp"
#include "kernel/autodiff.hpp"
#include "kernel/dual.hpp"
#include "kernel/exact.hpp"
#include "kernel/hessian_impl.hpp"
#include "kernel/interval/activation.hpp"
#include "kernel/interval/enclose.hpp"
#include "test_interval_support.hpp"

#include <boost/test/unit_test.hpp>

#include <cfenv>
#include <cmath>
#include <functional>
#include <random>
#include <xmmintrin.h>

using namespace nncert::kernel;
using namespace nncert::testing;

namespace {

bool ball_contains(const Ball& b, const Rational& q) { return b.is_finite() && b.lower() <= q && q <= b.upper(); }

// A random rational of magnitude about 10^e (positive or negative), with a long denominator.
Rational random_rational(std::mt19937_64& g, int e) {
    Rational scale = 1;
    for (int k = 0; k < std::abs(e); ++k) scale *= 10;
    if (e < 0) scale = 1 / scale;
    const Rational frac(static_cast<long>(g() % 2000001) - 1000000, 999983);
    return frac * scale;
}

// A random ball: an enclosure of a random rational, widened by a random radius of relative size ~10^-w.
Ball random_ball(std::mt19937_64& g, int e) {
    const Rational c = random_rational(g, e);
    const Ball b(c);
    const int w = static_cast<int>(g() % 4);
    if (w == 0) return b;  // a tight point
    const double widen = std::ldexp(std::fabs(b.mid()) + 1e-300, -static_cast<int>(g() % 60)) * (w == 3 ? 1e3 : 1);
    return Ball::from_parts(b.mid(), b.rad() + widen);
}

Rational point_in(std::mt19937_64& g, const Ball& b) { return random_in(g, b.lower(), b.upper()); }

// Third derivatives at 2000 bits by textbook formulas: tanh''' = -2 (1 - t^2)(1 - 3 t^2), sigmoid''' =
// s1 (1 - 6 s1) with s1 = sigmoid', softplus''' = sigmoid''.
Ref third_derivative(const std::string& f, const Rational& q) {
    if (f == "softplus") return ref_activation("sigmoid", q, 2);
    Ref d1 = ref_activation(f, q, 1), r, t;
    if (f == "tanh") {
        Ref v = ref_activation(f, q, 0);
        mpfr_sqr(t.v, v.v, MPFR_RNDN);
        mpfr_mul_ui(t.v, t.v, 3, MPFR_RNDN);
        mpfr_ui_sub(t.v, 1, t.v, MPFR_RNDN);
        mpfr_mul(r.v, d1.v, t.v, MPFR_RNDN);
        mpfr_mul_si(r.v, r.v, -2, MPFR_RNDN);
        return r;
    }
    mpfr_mul_ui(t.v, d1.v, 6, MPFR_RNDN);
    mpfr_ui_sub(t.v, 1, t.v, MPFR_RNDN);
    mpfr_mul(r.v, d1.v, t.v, MPFR_RNDN);
    return r;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(ball_arith)

BOOST_AUTO_TEST_CASE(rationals_enter_as_tight_enclosures) {
    std::mt19937_64 g(11);
    for (int e : {-330, -320, -310, -300, -20, -1, 0, 1, 20, 300, 307}) {
        for (int k = 0; k < 30; ++k) {
            const Rational q = random_rational(g, e);
            const Ball b(q);
            BOOST_TEST(ball_contains(b, q));
            if (e > -300 && e < 300 && q != 0) BOOST_TEST(b.rad() <= std::fabs(b.mid()) * 0x1p-51);
        }
    }
    BOOST_TEST(Ball(Rational(3)).rad() == 0.0);
    BOOST_TEST(Ball(Rational(1, 8)).rad() == 0.0);
    BOOST_TEST(Ball(Rational(1, 10)).rad() > 0.0);  // 1/10 is no double
    BOOST_TEST(known_zero(Ball(Rational(0))));
    // Beyond the double range: the whole line, never a wrong finite ball.
    Rational huge = 1;
    for (int k = 0; k < 400; ++k) huge *= 10;
    BOOST_TEST(!Ball(huge).is_finite());
    BOOST_TEST(!certainly_positive(Ball(huge)));
    BOOST_TEST(contains(Ball(huge), Rational(-5)));
    // Far below the smallest subnormal: still contained (a ball around 0 of radius 2^-1074).
    BOOST_TEST(ball_contains(Ball(1 / huge), 1 / huge));
    BOOST_TEST(ball_contains(Ball(-1 / huge), -1 / huge));
}

// The dyadic fast path of Ball(Rational) (numerator < 2^53, denominator 2^e with e <= 1000) and its edges:
// each side of every bound must give a ball containing the rational, a zero radius only when exact.
BOOST_AUTO_TEST_CASE(dyadic_rationals_enter_as_exact_points_and_their_edges_stay_contained) {
    Rational two53 = 1;
    for (int k = 0; k < 53; ++k) two53 *= 2;
    std::vector<Rational> cases;
    for (int e : {0, 1, 3, 52, 999, 1000, 1001, 1020, 1074, 1080}) {
        Rational den = 1;
        for (int k = 0; k < e; ++k) den *= 2;
        for (const Rational& n : std::vector<Rational>{Rational(1), Rational(-3), Rational(two53 - 1), Rational(1 - two53),
                                                        Rational(two53 + 1), Rational(two53 * 3 + 1)})
            cases.push_back(n / den);
    }
    cases.push_back(Rational(5, 24));  // denominator not a power of two
    for (const Rational& q : cases) {
        const Ball b(q);
        BOOST_TEST(ball_contains(b, q));
        if (b.rad() == 0.0) BOOST_TEST(Rational(b.mid()) == q);
    }
    BOOST_TEST(Ball(Rational(-3, 1024)).rad() == 0.0);
    BOOST_TEST(Ball(Rational(-3, 1024)).mid() == -3.0 / 1024);
    BOOST_TEST(Ball((two53 - 1) / 1024).rad() == 0.0);
}

BOOST_AUTO_TEST_CASE(sum_difference_product_contain_the_exact_value_in_every_rounding_mode) {
    in_every_rounding_mode([](int mode) {
        std::mt19937_64 g(1000 + mode);
        for (int trial = 0; trial < 600; ++trial) {
            const int ea = static_cast<int>(g() % 41) - 20, eb = static_cast<int>(g() % 41) - 20;
            const Ball a = random_ball(g, ea), b = random_ball(g, eb);
            for (int k = 0; k < 3; ++k) {
                const Rational x = point_in(g, a), y = point_in(g, b);
                BOOST_TEST(ball_contains(a + b, x + y));
                BOOST_TEST(ball_contains(a - b, x - y));
                BOOST_TEST(ball_contains(a * b, x * y));
                BOOST_TEST(ball_contains(-a, -x));
                Ball acc = a;
                acc *= b;
                acc += a;
                acc -= b;
                BOOST_TEST(ball_contains(acc, x * y + x - y));
            }
        }
    });
}

BOOST_AUTO_TEST_CASE(ill_conditioned_sums_and_products) {
    in_every_rounding_mode([](int) {
        // 1e16 + 1 - 1e16: the 1 is lost in the midpoint but must stay inside the radius.
        const Ball big(Rational(10000000000000000LL)), one(Rational(1)), third(Rational(1, 3));
        BOOST_TEST(ball_contains(big + one - big, Rational(1)));
        BOOST_TEST(ball_contains((big + third) - big, Rational(1, 3)));
        // x - x is 0 but not known to be: contains 0, never "known zero" (that would skip real work).
        const Ball x(Rational(7, 3));
        BOOST_TEST(contains_zero(x - x));
        BOOST_TEST(!known_zero(x - x));
        // A long alternating sum of huge and small terms.
        Ball s;
        Rational exact = 0;
        for (int k = 1; k <= 200; ++k) {
            const Rational t = Rational(k % 2 ? 1 : -1) * (Rational(1, k) + (k % 7 == 0 ? Rational(1000000000000LL) : 0));
            s += Ball(t);
            exact += t;
        }
        BOOST_TEST(ball_contains(s, exact));
        // Products of a ball around 1 with itself many times: the radius grows, containment holds.
        Ball p(Rational(1000001, 1000000));
        Rational pe(1000001, 1000000), q = pe;
        for (int k = 0; k < 60; ++k) {
            p = p * Ball(q);
            pe *= q;
        }
        BOOST_TEST(ball_contains(p, pe));
    });
}

BOOST_AUTO_TEST_CASE(huge_tiny_subnormal_inf_and_nan) {
    in_every_rounding_mode([](int) {
        const double dmax = std::numeric_limits<double>::max(), dmin = std::numeric_limits<double>::min();
        const double sub = std::numeric_limits<double>::denorm_min();
        // Overflow of the midpoint or the radius: the whole line, never a finite ball (also when rounding
        // down turns the overflow into DBL_MAX).
        const Ball h = Ball::from_parts(dmax / 2, 0);
        BOOST_TEST(!(h * Ball(Rational(4))).is_finite());
        BOOST_TEST(!(h + h + h).is_finite());
        BOOST_TEST(!certainly_positive(h + h + h));
        BOOST_TEST(!(Ball::from_parts(1, dmax) * Ball::from_parts(1, 4)).is_finite());
        // Underflow: products of tiny numbers, into subnormals and to 0, stay enclosed.
        const double tinies[] = {dmin, dmin / 3, sub, 3 * sub, 1e-200, 1e-160};
        for (double a : tinies)
            for (double b : {1e-150, 1e-200, 0.5, 3.0, 1e-10, sub}) {
                const Ball pa = Ball::from_parts(a, 0), pb = Ball::from_parts(-b, 0);
                BOOST_TEST(ball_contains(pa * pb, exact_double(a) * exact_double(-b)));
                BOOST_TEST(ball_contains(pa + pb, exact_double(a) - exact_double(b)));
                BOOST_TEST(ball_contains(pa * pa * pa, exact_double(a) * exact_double(a) * exact_double(a)));
                const Ball wa = Ball::from_parts(a, a), wb = Ball::from_parts(b, b / 2);
                BOOST_TEST(ball_contains(wa * wb, exact_double(a) * 2 * exact_double(b) * Rational(3, 2)));
            }
        // A product that is positive but underflows to 0 in the midpoint must not be certainly 0 or negative.
        const Ball u = Ball::from_parts(1e-200, 0) * Ball::from_parts(1e-200, 0);
        BOOST_TEST(contains(u, exact_double(1e-200) * exact_double(1e-200)));
        BOOST_TEST(!certainly_negative(u));
        BOOST_TEST(!known_zero(u));
        // inf and NaN inputs are the whole line; nothing is certain about them.
        const double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
        for (const Ball& w : {Ball::from_parts(inf, 0), Ball::from_parts(nan, 0), Ball::from_parts(1, inf),
                              Ball::from_parts(1, nan), Ball::from_parts(1, -1), Ball::whole()}) {
            BOOST_TEST(!w.is_finite());
            BOOST_TEST(!certainly_positive(w));
            BOOST_TEST(!certainly_negative(w));
            BOOST_TEST(!certainly_less(w, Rational(0)));
            BOOST_TEST(!certainly_greater(w, Rational(0)));
            BOOST_TEST(contains(w, Rational(123)));
            BOOST_TEST(!(w + Ball(Rational(1))).is_finite());
            BOOST_TEST(!(w * Ball(Rational(2))).is_finite());
            BOOST_TEST(!certainly_positive(w * w));
            // An exact zero factor still gives the exact zero (0 * x = 0 for every real x).
            BOOST_TEST(known_zero(w * Ball()));
        }
    });
}

BOOST_AUTO_TEST_CASE(the_step_above_either_zero_is_positive) {
    // succ(-0.0) was -denorm_min (the bit pattern of -0 plus one): an upper bound below an exact 0, or below a
    // negative value of modulus under denorm_min/2 that rounding to nearest underflows to -0.
    const double sub = std::numeric_limits<double>::denorm_min();
    BOOST_TEST(nncert::kernel::ball_rounding::succ(0.0) == sub);
    BOOST_TEST(nncert::kernel::ball_rounding::succ(-0.0) == sub);
    BOOST_TEST(nncert::kernel::ball_rounding::up(-0.0 * 5.0) > 0);
    BOOST_TEST(nncert::kernel::ball_rounding::succ(-sub) == sub);
    BOOST_TEST(nncert::kernel::ball_rounding::succ(sub) == 2 * sub);
}

BOOST_AUTO_TEST_CASE(predicates_are_exact_and_named_by_certainty) {
    const Ball b = Ball::hull(Rational(1, 3), Rational(2, 3));
    BOOST_TEST(ball_contains(b, Rational(1, 3)));
    BOOST_TEST(ball_contains(b, Rational(2, 3)));
    BOOST_TEST(certainly_positive(b));
    BOOST_TEST(certainly_less(b, Rational(1)));
    BOOST_TEST(!certainly_less(b, Rational(1, 2)));
    BOOST_TEST(certainly_greater(b, Rational(1, 4)));
    BOOST_TEST(subset_of_interior(b, Rational(0), Rational(1)));
    BOOST_TEST(disjoint_from(b, Rational(1), Rational(2)));
    BOOST_TEST(!disjoint_from(b, Rational(1, 2), Rational(2)));
    const Ball pt(Rational(1, 2));
    BOOST_TEST(certainly_at_most(pt, Rational(1, 2)));
    BOOST_TEST(certainly_at_least(pt, Rational(1, 2)));
    BOOST_TEST(!certainly_less(pt, Ball(Rational(1, 2))));
    BOOST_TEST(certainly_less(pt, Ball(Rational(3, 4))));
    BOOST_TEST(magnitude(Ball::from_parts(-2, 0.5)) == Rational(5, 2));
    BOOST_TEST(midpoint(Ball::from_parts(-2, 0.5)) == Rational(-2));
    const Ball h = hull(Ball(Rational(-1)), Ball(Rational(5, 2)));
    BOOST_TEST(ball_contains(h, Rational(-1)));
    BOOST_TEST(ball_contains(h, Rational(5, 2)));
    PrecisionScope scope(128);
    const Interval iv = to_interval(Ball::from_parts(0.1, 1e-3));
    BOOST_TEST(iv.lower() <= exact_double(0.1) - exact_double(1e-3));
    BOOST_TEST(iv.upper() >= exact_double(0.1) + exact_double(1e-3));
    const Ball back = Ball::from_interval(Interval::hull(Rational(1, 7), Rational(2, 7)));
    BOOST_TEST(ball_contains(back, Rational(1, 7)));
    BOOST_TEST(ball_contains(back, Rational(2, 7)));
}

BOOST_AUTO_TEST_CASE(activations_contain_2000_bit_values) {
    in_every_rounding_mode([](int mode) {
        std::mt19937_64 g(77 + mode);
        const std::pair<ActivationKind, const char*> kinds[] = {
            {ActivationKind::tanh, "tanh"}, {ActivationKind::sigmoid, "sigmoid"}, {ActivationKind::softplus, "softplus"}};
        for (const auto& [kind, name] : kinds) {
            const Activation act{kind, Rational(0), {}};
            for (int trial = 0; trial < 60; ++trial) {
                const Rational c = random_in(g, Rational(-30), Rational(30));
                const Rational widths[] = {0, Rational(1, 1000000000000LL), Rational(1, 10000), Rational(1, 2), 5};
                const Rational w = widths[trial % 5];
                const Ball z = Ball::hull(c - w, c + w);
                for (int order = 0; order <= 3; ++order) {
                    const Ball f = activate(act, z, order);
                    for (int k = 0; k < 3; ++k) {
                        const Rational q = point_in(g, z);
                        const Ref truth = order == 3 ? third_derivative(name, q) : ref_activation(name, q, order);
                        Ref lo(f.lower()), hi(f.upper());
                        BOOST_TEST((mpfr_lessequal_p(lo.v, truth.v) && mpfr_lessequal_p(truth.v, hi.v)),
                                   name << " order " << order << " at " << q << " in " << f.mid() << " +- " << f.rad());
                    }
                }
            }
        }
    });
}

BOOST_AUTO_TEST_CASE(kinked_units_and_polynomials) {
    std::mt19937_64 g(5);
    Activation relu{ActivationKind::relu, Rational(0), {}}, leaky{ActivationKind::leaky_relu, Rational(1, 10), {}};
    Activation poly{ActivationKind::poly, Rational(0), {Rational(1, 3), Rational(-2), Rational(0), Rational(5, 7)}};
    for (int trial = 0; trial < 200; ++trial) {
        const Rational c = random_in(g, Rational(-3), Rational(3)), w = random_in(g, Rational(0), Rational(1));
        const Ball z = Ball::hull(c - w, c + w);
        for (const Activation* a : {&relu, &leaky, &poly}) {
            const Rational q = point_in(g, z);
            BOOST_TEST(ball_contains(activate(*a, z, 0), activate(*a, q, 0)));
            if (a == &poly || !contains_zero(z))
                for (int order = 1; order <= 3; ++order)
                    BOOST_TEST(ball_contains(activate(*a, z, order), activate(*a, q, order)));
        }
    }
    BOOST_CHECK_THROW(activate(relu, Ball::hull(Rational(-1), Rational(1)), 1), KinkStraddled);
}

BOOST_AUTO_TEST_CASE(flush_to_zero_is_detected) {
    BOOST_TEST(ball_rounding::ieee_environment());
    const unsigned saved = _mm_getcsr();
    _mm_setcsr(saved | (1u << 15));  // FTZ
    const bool with_ftz = ball_rounding::ieee_environment();
    _mm_setcsr(saved | (1u << 6));  // DAZ
    const bool with_daz = ball_rounding::ieee_environment();
    _mm_setcsr(saved);
    BOOST_TEST(!with_ftz);
    BOOST_TEST(!with_daz);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(ball_autodiff)

namespace {

// A 2-3-2-1 network with polynomial units (exact) or tanh units, on 5 points.
Problem small_problem(ActivationKind kind, LossKind loss) {
    Problem pb;
    pb.net.input_dim = 2;
    Activation act{kind, Rational(0), {}};
    if (kind == ActivationKind::poly) act.coeffs = {Rational(1, 5), Rational(1), Rational(-1, 3)};
    pb.net.layers = {{3, act}, {2, act}, {1, Activation{}}};
    std::mt19937_64 g(3);
    for (int i = 0; i < 5; ++i)
        pb.data.push_back({{random_in(g, -1, 1), random_in(g, -1, 1)}, {random_in(g, -1, 1)}, Rational(1 + i % 2)});
    pb.loss = loss;
    return pb;
}

Vector random_point(std::mt19937_64& g, std::size_t n) {
    Vector v(n);
    for (Rational& q : v) q = random_in(g, Rational(-1), Rational(1));
    return v;
}

std::vector<Ball> ball_box(const Vector& c, const Rational& r) {
    std::vector<Ball> box;
    for (const Rational& q : c) box.push_back(Ball::hull(q - r, q + r));
    return box;
}

}  // namespace

BOOST_AUTO_TEST_CASE(loss_gradient_hessian_enclose_exact_values_over_a_box) {
    in_every_rounding_mode([](int mode) {
        std::mt19937_64 g(21 + mode);
        for (LossKind loss : {LossKind::sse, LossKind::mse}) {
            Problem pb = small_problem(ActivationKind::poly, loss);
            pb.weight_decay = Rational(1, 100);
            const Vector c = random_point(g, pb.net.num_params());
            const Rational r(1, 1000);
            const std::vector<Ball> box = ball_box(c, r);
            std::vector<Ball> grad;
            const Ball l = loss_and_gradient<Ball>(pb, box, &grad);
            const auto h = hessian_detail::hessian<Ball>(pb, box, nullptr);
            const auto hd = hessian_by_dual_passes<Ball>(pb, box);
            for (int k = 0; k < 4; ++k) {
                Vector q = c;
                for (Rational& x : q) x += random_in(g, -r, r);
                BOOST_TEST(ball_contains(l, nncert::kernel::loss(pb, q)));
                const Vector ge = gradient(pb, q);
                const Matrix he = hessian(pb, q);
                for (std::size_t i = 0; i < ge.size(); ++i) {
                    BOOST_TEST(ball_contains(grad[i], ge[i]));
                    for (std::size_t j = 0; j < ge.size(); ++j) {
                        BOOST_TEST(ball_contains(h[i][j], he[i][j]));
                        BOOST_TEST(ball_contains(hd[i][j], he[i][j]));
                    }
                }
            }
        }
    });
}

BOOST_AUTO_TEST_CASE(tanh_network_agrees_with_mpfi_at_exact_points) {
    std::mt19937_64 g(8);
    for (LossKind loss : {LossKind::sse, LossKind::bce, LossKind::cross_entropy}) {
        Problem pb = small_problem(ActivationKind::tanh, loss);
        if (loss == LossKind::bce) pb.net.layers.back().activation.kind = ActivationKind::sigmoid;
        if (loss == LossKind::cross_entropy) {
            pb.net.layers.back().width = 2;
            for (Sample& s : pb.data) s.y = {Rational(1, 3), Rational(2, 3)};
        }
        if (loss == LossKind::bce)
            for (Sample& s : pb.data) s.y = {Rational(1, 4)};
        const Vector c = random_point(g, pb.net.num_params());
        const Rational r(1, 100000);
        const std::vector<Ball> box = ball_box(c, r);
        std::vector<Ball> grad;
        const Ball l = loss_and_gradient<Ball>(pb, box, &grad);
        const auto h = hessian_detail::hessian<Ball>(pb, box, nullptr);
        PrecisionScope scope(200);
        for (int k = 0; k < 3; ++k) {
            Vector q = c;
            for (Rational& x : q) x += random_in(g, -r, r);
            // The 200-bit enclosures at the exact point q are far narrower than the balls: each ball must
            // contain them (hence the true value).
            const IVector pq = point_box(q);
            const Interval li = loss_enclosure(pb, pq);
            const IVector gi = gradient_enclosure(pb, pq);
            const IMatrix hi = hessian_enclosure(pb, pq);
            BOOST_TEST((l.lower() <= li.lower() && li.upper() <= l.upper()));
            for (std::size_t i = 0; i < gi.size(); ++i) {
                BOOST_TEST((grad[i].lower() <= gi[i].lower() && gi[i].upper() <= grad[i].upper()));
                for (std::size_t j = 0; j < gi.size(); ++j)
                    BOOST_TEST((h[i][j].lower() <= hi[i][j].lower() && hi[i][j].upper() <= h[i][j].upper()));
            }
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
