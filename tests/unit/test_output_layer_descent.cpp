// The output-layer reduction's descent hint (hints/output_layer_descent.cpp): an untrusted approximate minimiser of a
// one-layer squared-error loss over a box. The kernel only tests its point; these tests check that the point is in
// the box and that it finds known minimisers, inside the box and on its boundary.
#include "hints/output_layer_descent.hpp"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <random>
#include <vector>

using nncert::hints::OneLayerData;
using nncert::hints::one_layer_descent_untrusted;
using nncert::kernel::ActivationKind;

namespace {

// Ten 2-D points with targets f(w . x + b) of a known (w, b), one output, sse.
OneLayerData known_layer(ActivationKind kind, const std::vector<double>& u) {
    OneLayerData d;
    d.in = 2;
    d.out = 1;
    d.bias = true;
    d.activation = kind;
    std::mt19937_64 rng(5);
    std::uniform_real_distribution<double> x(-2, 2);
    for (int i = 0; i < 10; ++i) {
        const double a = x(rng), b = x(rng);
        const double z = u[0] * a + u[1] * b + u[2];
        d.x.insert(d.x.end(), {a, b});
        d.y.push_back(kind == ActivationKind::sigmoid ? 1 / (1 + std::exp(-z)) : kind == ActivationKind::tanh ? std::tanh(z) : z);
        d.weight.push_back(1);
    }
    return d;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(output_layer_descent)

BOOST_AUTO_TEST_CASE(finds_a_known_minimiser_inside_the_box) {
    const std::vector<double> best{0.75, -0.5, 0.25};
    for (const ActivationKind kind : {ActivationKind::identity, ActivationKind::sigmoid, ActivationKind::tanh}) {
        const OneLayerData d = known_layer(kind, best);
        const std::vector<double> lo{-1, -1, -1}, hi{1, 1, 1}, start{-0.9, 0.9, -0.9};
        const auto p = one_layer_descent_untrusted(d, lo, hi, start, 400, 0);
        BOOST_TEST_REQUIRE(p.has_value());
        for (std::size_t k = 0; k < 3; ++k) BOOST_TEST(std::fabs(p->u[k] - best[k]) < 0.05);
        BOOST_TEST(p->loss < 1e-3);
    }
}

BOOST_AUTO_TEST_CASE(stays_in_the_box_and_finds_a_minimiser_on_its_boundary) {
    // The unconstrained minimiser (2, -0.5, 0.25) lies outside: with the other coordinates free, the least loss over
    // the box has u_0 at its upper end 1 (the loss is convex along u_0 for the identity).
    const std::vector<double> best{2, -0.5, 0.25};
    const OneLayerData d = known_layer(ActivationKind::identity, best);
    const std::vector<double> lo{-1, -1, -1}, hi{1, 1, 1};
    const auto p = one_layer_descent_untrusted(d, lo, hi, {0, 0, 0}, 400, 0);
    BOOST_TEST_REQUIRE(p.has_value());
    BOOST_TEST(p->u[0] == 1.0);
    // Random boxes, starts and sigmoid data: every point returned is inside its box, and no worse than the start.
    std::mt19937_64 rng(11);
    std::uniform_real_distribution<double> c(-3, 3), w(0, 2);
    const OneLayerData s = known_layer(ActivationKind::sigmoid, {1, 1, -1});
    for (int k = 0; k < 200; ++k) {
        std::vector<double> l(3), h(3), start(3);
        for (std::size_t j = 0; j < 3; ++j) {
            l[j] = c(rng);
            h[j] = l[j] + (k % 10 == 0 ? 0 : w(rng));  // some degenerate ranges
            start[j] = l[j] + (h[j] - l[j]) * (c(rng) + 3) / 6;
        }
        if (k % 7 == 0) h[1] = HUGE_VAL;  // an unbounded range
        const auto a = one_layer_descent_untrusted(s, l, h, start, 40, 0);
        const auto at_start = one_layer_descent_untrusted(s, l, h, start, 1, 0);
        BOOST_TEST_REQUIRE(a.has_value());
        BOOST_TEST_REQUIRE(at_start.has_value());
        for (std::size_t j = 0; j < 3; ++j) {
            BOOST_TEST(a->u[j] >= l[j]);
            BOOST_TEST(a->u[j] <= h[j]);
            BOOST_TEST(std::isfinite(a->u[j]));
        }
        BOOST_TEST(a->loss <= at_start->loss);
    }
}

BOOST_AUTO_TEST_CASE(declines_what_it_cannot_do) {
    OneLayerData d = known_layer(ActivationKind::identity, {1, 1, 1});
    BOOST_TEST(!one_layer_descent_untrusted(d, {0, 0}, {1, 1}, {0, 0}, 10, 0).has_value());  // wrong size
    BOOST_TEST(!one_layer_descent_untrusted(d, {0, 0, 0}, {1, 1, 1}, {NAN, 0, 0}, 10, 0).has_value());
    d.activation = ActivationKind::relu;
    BOOST_TEST(!one_layer_descent_untrusted(d, {0, 0, 0}, {1, 1, 1}, {0, 0, 0}, 10, 0).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
