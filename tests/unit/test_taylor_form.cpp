// The second-order (Taylor) form of the loss over a box (kernel/interval/taylor_form.hpp): containment of exact
// losses at random exact points of random boxes, of sampled quadratics in the positive definite bound, refusal
// of matrices that are not positive definite, and the form's use in the branch and bound.
#include "kernel/autodiff.hpp"
#include "kernel/exact.hpp"
#include "kernel/interval/loss_bound.hpp"
#include "kernel/interval/taylor_form.hpp"
#include "problems.hpp"
#include "test_interval_support.hpp"

#include <boost/test/unit_test.hpp>

using namespace nncert::kernel;
using namespace nncert::testing;

namespace {

// A random exact point of the interval (its ends are MPFR numbers, exactly rational).
Rational point_in(std::mt19937_64& g, const Interval& x) { return random_in(g, exact_rational(x.lo()), exact_rational(x.hi())); }

// The lower end of x as an exact rational (x finite).
Rational lower_end(const Interval& x) { return exact_rational(x.lo()); }

// XOR-like data on a 2-2-1 network; parameters W1 (4), b1 (2), W2 (2), b2 (1).
Problem net221(Activation hidden, Activation out, LossKind loss) {
    Problem pb;
    pb.net.input_dim = 2;
    pb.net.layers = {{2, std::move(hidden)}, {1, std::move(out)}};
    pb.loss = loss;
    pb.data = {{{0, 0}, {0}}, {{0, 1}, {1}}, {{1, 0}, {1}}, {{1, 1}, {0}}, {{Rational(1, 2), Rational(-2)}, {1}}};
    return pb;
}

// A random box around a random centre: each range of width up to `w`, or (with `unbounded`) sometimes a half line.
Box random_box(std::mt19937_64& g, std::size_t n, const Rational& w, bool unbounded) {
    Box b(n);
    for (std::size_t k = 0; k < n; ++k) {
        const Rational c = random_in(g, -2, 2);
        const int kind = static_cast<int>(g() % 8);
        if (unbounded && kind == 0) b[k] = Range{c, std::nullopt};
        else if (unbounded && kind == 1) b[k] = Range{std::nullopt, c};
        else if (kind == 2) b[k] = Range{c, c};
        else b[k] = Range{c, Rational(c + random_in(g, 0, w))};
    }
    return b;
}

// A random exact point of a box (half lines sampled up to 30 beyond their finite end).
Vector random_point(std::mt19937_64& g, const Box& b) {
    Vector t(b.size());
    for (std::size_t k = 0; k < b.size(); ++k) {
        const Range& r = b[k];
        if (r.bounded()) t[k] = random_in(g, *r.lo, *r.hi);
        else if (r.lo) t[k] = *r.lo + random_in(g, 0, 30);
        else if (r.hi) t[k] = *r.hi - random_in(g, 0, 30);
        else t[k] = random_in(g, -30, 30);
    }
    return t;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(taylor_form_bounds)

BOOST_AUTO_TEST_CASE(quadratic_lower_bound_holds_at_sampled_points) {
    PrecisionScope scope(64);  // low precision: rounding matters
    std::mt19937_64 g(17);
    int certified = 0;
    for (int trial = 0; trial < 60; ++trial) {
        const std::size_t n = 1 + g() % 6;
        // A = B^T B + s I (positive definite for s > 0; s < 0 makes some trials indefinite), entries widened by up
        // to r; b and the box random.
        std::vector<std::vector<Rational>> bm(n, std::vector<Rational>(n));
        for (auto& row : bm)
            for (Rational& v : row) v = random_in(g, -2, 2);
        // Radii up to 1/20 keep most interval matrices positive definite; up to 2, mostly only their midpoints.
        const Rational s = random_in(g, Rational(-1, 4), 1), r = random_in(g, 0, trial % 2 ? Rational(2) : Rational(1, 20));
        std::vector<IVector> a(n, IVector(n));
        std::vector<std::vector<Rational>> am(n, std::vector<Rational>(n));
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t j = i; j < n; ++j) {
                Rational v = i == j ? s : Rational(0);
                for (std::size_t k = 0; k < n; ++k) v += bm[k][i] * bm[k][j];
                am[i][j] = am[j][i] = v;
                const Rational rad = random_in(g, 0, r);
                a[i][j] = a[j][i] = Interval::hull(v - rad, v + rad);
            }
        IVector b(n), d(n);
        for (std::size_t i = 0; i < n; ++i) {
            const Rational c = random_in(g, -3, 3), rb = random_in(g, 0, Rational(1, 10));
            b[i] = Interval::hull(c - rb, c + rb);
            const Rational w = random_in(g, Rational(1, 100), 3);
            d[i] = Interval::hull(-w, w);
        }
        const auto bound = quadratic_lower_bound(a, b, d);
        if (!bound) continue;
        ++certified;
        const Rational low = lower_end(*bound);
        for (int sample = 0; sample < 40; ++sample) {
            // A symmetric matrix of the interval matrix, a vector of b, a point of the box (ends included).
            // Every other sample is adversarial: d at a corner and each entry of A at the end that makes
            // d^T A d smallest (the worst case of the midpoint bound's spread term).
            const bool worst = sample % 2 == 1;
            Vector x(n);
            for (std::size_t i = 0; i < n; ++i)
                x[i] = worst ? (g() % 2 ? exact_rational(d[i].lo()) : exact_rational(d[i].hi())) : point_in(g, d[i]);
            std::vector<std::vector<Rational>> as(n, std::vector<Rational>(n));
            for (std::size_t i = 0; i < n; ++i)
                for (std::size_t j = i; j < n; ++j)
                    as[i][j] = as[j][i] = !worst                ? point_in(g, a[i][j])
                                          : x[i] * x[j] > 0 ? exact_rational(a[i][j].lo())
                                                            : exact_rational(a[i][j].hi());
            Rational q = 0;
            for (std::size_t i = 0; i < n; ++i) {
                q += point_in(g, b[i]) * x[i];
                for (std::size_t j = 0; j < n; ++j) q += as[i][j] * x[i] * x[j] / 2;
            }
            BOOST_TEST(low <= q);
        }
    }
    BOOST_TEST(certified >= 20);  // the positive definite path ran
}

BOOST_AUTO_TEST_CASE(matrices_that_are_not_positive_definite_get_no_bound) {
    PrecisionScope scope(128);
    const IVector b{Interval(Rational(1)), Interval(Rational(-1))}, d{Interval::hull(-1, 1), Interval::hull(-1, 1)};
    const auto m = [](const Rational& p, const Rational& q, const Rational& r) {
        return std::vector<IVector>{{Interval(p), Interval(q)}, {Interval(q), Interval(r)}};
    };
    BOOST_TEST(!quadratic_lower_bound(m(0, 0, 0), b, d));     // zero
    BOOST_TEST(!quadratic_lower_bound(m(-1, 0, -1), b, d));   // -I
    BOOST_TEST(!quadratic_lower_bound(m(1, 2, 1), b, d));     // indefinite with a positive diagonal
    BOOST_TEST(!quadratic_lower_bound(m(1, 1, 1), b, d));     // semidefinite
    // An interval matrix with a singular member but a positive definite midpoint gets the midpoint bound minus
    // the spread, which must still hold for the singular member [[1, 1], [1, 1]]: the minimum of
    // d1 - d2 + (d1 + d2)^2 / 2 over [-1, 1]^2 is -2, at (-1, 1).
    std::vector<IVector> wide = m(1, 0, 1);
    wide[0][1] = wide[1][0] = Interval::hull(-1, 1);
    const auto w = quadratic_lower_bound(wide, b, d);
    BOOST_TEST_REQUIRE(w.has_value());
    BOOST_TEST(lower_end(*w) <= -2);
    BOOST_TEST(quadratic_lower_bound(m(2, 1, 2), b, d).has_value());
}

BOOST_AUTO_TEST_CASE(the_minimum_over_the_box_is_nearly_attained) {
    // q(d) = d1 + d2 + (d1^2 + d2^2)/2 on [-1/4, 1/4]^2: the minimiser (-1, -1) lies outside; the minimum over the
    // box is at (-1/4, -1/4): -1/2 + 1/16 = -7/16. The global minimum -1 would be a far weaker bound.
    PrecisionScope scope(128);
    const std::vector<IVector> a{{Interval(Rational(1)), Interval(Rational(0))}, {Interval(Rational(0)), Interval(Rational(1))}};
    const IVector b{Interval(Rational(1)), Interval(Rational(1))};
    const IVector d{Interval::hull(Rational(-1, 4), Rational(1, 4)), Interval::hull(Rational(-1, 4), Rational(1, 4))};
    const auto q = quadratic_lower_bound(a, b, d);
    BOOST_TEST_REQUIRE(q.has_value());
    BOOST_TEST(lower_end(*q) <= Rational(-7, 16));
    BOOST_TEST(lower_end(*q) >= Rational(-7, 16) - Rational(1, 1000000));
}

BOOST_AUTO_TEST_CASE(the_form_contains_exact_losses_at_random_points) {
    // Polynomial units: the loss at an exact point is an exact rational.
    PrecisionScope scope(96);
    std::mt19937_64 g(23);
    int convex = 0, formed = 0;
    for (LossKind loss : {LossKind::sse, LossKind::mse, LossKind::half_sse})
    for (bool linear : {false, true}) {
        // A polynomial hidden layer (non-convex), or one linear layer (a convex quadratic: the positive definite
        // bound is exact there up to rounding).
        Problem pb = net221(poly({0, 1, Rational(1, 2), Rational(1, 6)}), act(ActivationKind::identity), loss);
        if (linear) pb.net.layers = {{1, act(ActivationKind::identity)}};
        for (int trial = 0; trial < 40; ++trial) {
            const Rational w = trial % 2 ? Rational(1, 50) : Rational(1, 2);
            const Box box = random_box(g, pb.net.num_params(), w, false);
            // Both routes of L(c) and g(c): binary64 intervals (odd trials) and MPFI.
            const auto t = taylor_form(pb, box, enclose(box), nullptr, trial % 2 == 1);
            if (!t) continue;
            ++formed;
            convex += t->convex;
            for (int s = 0; s < 15; ++s) {
                const Vector theta = random_point(g, box);
                const Rational l = nncert::kernel::loss(pb, theta);
                BOOST_TEST(contains(t->enclosure, l));
            }
        }
    }
    BOOST_TEST(formed >= 150);
    BOOST_TEST(convex >= 20);  // the positive definite bound was exercised (its containment is tested too)
}

BOOST_AUTO_TEST_CASE(the_form_contains_sigmoid_losses_over_boxes_with_infinite_ends) {
    std::mt19937_64 g(29);
    int convex = 0, formed = 0;
    for (LossKind loss : {LossKind::sse, LossKind::bce}) {
        const Problem pb = net221(act(ActivationKind::sigmoid), act(ActivationKind::sigmoid), loss);
        for (int trial = 0; trial < 50; ++trial) {
            const Rational w = trial % 3 == 0 ? Rational(1) : trial % 3 == 1 ? Rational(1, 20) : Rational(1, 400);
            std::optional<TaylorBound> t;
            Box box;
            {
                PrecisionScope scope(96);
                box = random_box(g, pb.net.num_params(), w, true);
                t = taylor_form(pb, box, enclose(box), nullptr, trial % 2 == 1);  // both routes
            }
            if (!t) continue;
            ++formed;
            convex += t->convex;
            for (int s = 0; s < 10; ++s) {
                PrecisionScope scope(600);  // a far tighter reference enclosure of the loss at the point
                const Interval at = loss_enclosure(pb, point_box(random_point(g, box)));
                BOOST_TEST(mpfr_lessequal_p(t->enclosure.lo(), at.lo()));
                BOOST_TEST(mpfr_greaterequal_p(t->enclosure.hi(), at.hi()));
            }
        }
    }
    BOOST_TEST(formed >= 40);
    BOOST_TEST(convex >= 1);
}

BOOST_AUTO_TEST_SUITE_END()
