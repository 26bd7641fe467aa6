// Exact forward pass, loss, gradient and Hessian against hand expansions and exact difference quotients.
#include "kernel/exact.hpp"
#include "problems.hpp"

#include <boost/test/unit_test.hpp>

using namespace nncert::kernel;
using namespace nncert::testing;

BOOST_AUTO_TEST_SUITE(kernel_exact)

BOOST_AUTO_TEST_CASE(paper_example1_losses) {
    const Problem pb = example1();
    BOOST_TEST(loss(pb, {1, -3, 1, 0}) == Rational(18));
    BOOST_TEST(loss(pb, {-7, -4, 1, 0}) == Rational(14));
    const Vector out = outputs(pb.net, {1, -3, 1, 0}, {5});
    BOOST_TEST(out.at(0) == Rational(2));
}

BOOST_AUTO_TEST_CASE(paper_example2_printed_is_not_critical) {
    const Problem pb = example2();
    // As printed: dL/dc = 18 and 6, every other entry 0 (claims.md's erratum).
    const Vector g1 = gradient(pb, {-5, -1, 1, -8, 1, -1, -1});
    const Vector g2 = gradient(pb, {-3, -1, Rational(13, 3), -10, 1, -1, -3});
    BOOST_TEST(g1.back() == Rational(18));
    BOOST_TEST(g2.back() == Rational(6));
    BOOST_TEST(loss(pb, {-5, -1, 1, -8, 1, -1, -1}) == Rational(29));
    // Corrected (second input weight +1).
    BOOST_TEST(loss(pb, {-5, 1, 1, -8, 1, -1, -1}) == Rational(0));
    BOOST_TEST(loss(pb, {-3, 1, Rational(13, 3), -10, 1, -1, -3}) == Rational(8, 3));
}

BOOST_AUTO_TEST_CASE(linear_regression_by_hand) {
    // f(x) = w x + c on (1, 1), (2, 3): L = (w + c - 1)^2 + (2w + c - 3)^2.
    Problem pb;
    pb.net.input_dim = 1;
    pb.net.layers = {{1, act(ActivationKind::identity)}};
    pb.data = {{{1}, {1}}, {{2}, {3}}};
    const Rational w(1, 3), c(-2, 5);
    const Rational r1 = w + c - 1, r2 = 2 * w + c - 3;
    BOOST_TEST(loss(pb, {w, c}) == r1 * r1 + r2 * r2);
    const Vector g = gradient(pb, {w, c});
    BOOST_TEST(g[0] == 2 * r1 + 4 * r2);
    BOOST_TEST(g[1] == 2 * r1 + 2 * r2);
    const Matrix h = hessian(pb, {w, c});
    BOOST_TEST(h[0][0] == Rational(10));
    BOOST_TEST(h[0][1] == Rational(6));
    BOOST_TEST(h[1][0] == Rational(6));
    BOOST_TEST(h[1][1] == Rational(4));
    // mse divides by N * output_dim.
    pb.loss = LossKind::mse;
    BOOST_TEST(loss(pb, {w, c}) == (r1 * r1 + r2 * r2) / 2);
}

BOOST_AUTO_TEST_CASE(poly_unit_by_hand) {
    // f(x) = v * p(w x + b) + c with p(z) = 1 + z + z^2 / 2 on one point (x, y) = (2, 1).
    Problem pb = one_hidden(1, poly({1, 1, Rational(1, 2)}), {{2, 1}});
    const Rational w(1, 2), b(-1, 3), v(3), c(1, 7);
    const Rational z = 2 * w + b, p = 1 + z + z * z / 2, dp = 1 + z;
    const Rational r = v * p + c - 1;
    BOOST_TEST(loss(pb, {w, b, v, c}) == r * r);
    const Vector g = gradient(pb, {w, b, v, c});
    BOOST_TEST(g[0] == 2 * r * v * dp * 2);
    BOOST_TEST(g[1] == 2 * r * v * dp);
    BOOST_TEST(g[2] == 2 * r * p);
    BOOST_TEST(g[3] == 2 * r);
    const Matrix h = hessian(pb, {w, b, v, c});
    // d2L/db2 = 2 (v dp)^2 + 2 r v p''  with p'' = 1.
    BOOST_TEST(h[1][1] == 2 * v * dp * v * dp + 2 * r * v);
    // d2L/dv dc = 2 p.
    BOOST_TEST(h[2][3] == 2 * p);
}

// Central difference quotients of a polynomial are exact up to O(h^2); with h = 10^-6 the error is far
// below 10^-6, while any wrong derivative formula is off by O(1).
BOOST_AUTO_TEST_CASE(gradient_and_hessian_match_difference_quotients) {
    Problem pb;
    pb.net.input_dim = 2;
    pb.net.layers = {{3, poly({0, 1, Rational(1, 3), Rational(-1, 5)})},
                     {2, act(ActivationKind::leaky_relu)},
                     {1, act(ActivationKind::identity)}};
    pb.net.layers[1].activation.alpha = Rational(1, 10);
    pb.data = {{{1, 2}, {1}}, {{-1, Rational(1, 2)}, {0}}, {{3, -2}, {-1}}, {{0, 1}, {2}}};
    Vector th(pb.net.num_params());
    for (std::size_t k = 0; k < th.size(); ++k) th[k] = Rational(static_cast<long>((k * 7) % 11) - 5, 7 + k % 3);
    BOOST_REQUIRE(find_kinks(pb, th).empty());
    const Vector g = gradient(pb, th);
    const Matrix h = hessian(pb, th);
    const Rational eps(1, 1000000), tol(1, 1000000);
    for (std::size_t k = 0; k < th.size(); ++k) {
        Vector up = th, down = th;
        up[k] += eps;
        down[k] -= eps;
        const Rational dq = (loss(pb, up) - loss(pb, down)) / (2 * eps);
        BOOST_TEST(abs(dq - g[k]) < tol, "gradient entry " << pb.net.param_name(k));
        const Vector gu = gradient(pb, up), gd = gradient(pb, down);
        for (std::size_t i = 0; i < th.size(); ++i) {
            BOOST_TEST(h[i][k] == h[k][i]);
            BOOST_TEST(abs((gu[i] - gd[i]) / (2 * eps) - h[i][k]) < tol);
        }
    }
}

// The fast Hessian (integer Gram part + sparse curvature tangents) against plain dual numbers, on a
// deep network mixing poly, leaky_relu and a curved multi-output layer, for both losses.
BOOST_AUTO_TEST_CASE(fast_hessian_equals_dual_reference) {
    for (LossKind loss_kind : {LossKind::sse, LossKind::mse}) {
        Problem pb;
        pb.net.input_dim = 2;
        pb.net.layers = {{3, poly({0, 1, Rational(1, 3), Rational(-1, 5)})},
                         {2, act(ActivationKind::leaky_relu)},
                         {2, poly({1, 2, 3})}};
        pb.net.layers[1].activation.alpha = Rational(1, 10);
        pb.data = {{{1, 2}, {1, 0}}, {{-1, Rational(1, 2)}, {0, 2}}, {{3, -2}, {-1, 1}}, {{0, 1}, {2, 3}}};
        pb.loss = loss_kind;
        Vector th(pb.net.num_params());
        for (std::size_t k = 0; k < th.size(); ++k) th[k] = Rational(static_cast<long>((k * 5) % 13) - 6, 3 + k % 4);
        BOOST_REQUIRE(find_kinks(pb, th).empty());
        const Matrix fast = hessian(pb, th), ref = hessian_by_duals(pb, th);
        for (std::size_t i = 0; i < th.size(); ++i)
            for (std::size_t j = 0; j < th.size(); ++j) BOOST_TEST(fast[i][j] == ref[i][j]);
    }
    // And on the paper's example 3 (relu, kink-free exact-fit point).
    Problem e3 = one_hidden(3, act(ActivationKind::relu), {{-1, 3}, {0, 0}, {1, -1}, {10, -3}, {11, -4}, {12, -6}});
    const Vector fit = {-1, -1, 1, Rational(-1, 2), 3, Rational(-21, 2), 4, 1, -2, -3};
    BOOST_TEST((hessian(e3, fit) == hessian_by_duals(e3, fit)));
    const Vector off = {-1, -1, 1, Rational(-1, 3), 3, Rational(-21, 2), 4, 1, -2, -3};
    BOOST_TEST((hessian(e3, off) == hessian_by_duals(e3, off)));
}

BOOST_AUTO_TEST_CASE(kinks_are_found_and_named) {
    const Problem pb = example1();
    const std::vector<Kink> k = find_kinks(pb, {1, -3, 1, 0});
    BOOST_REQUIRE_EQUAL(k.size(), 1u);
    BOOST_TEST(k[0].sample == 2u);  // x = 3
    BOOST_TEST(k[0].layer == 0u);
    BOOST_TEST(k[0].unit == 0u);
    BOOST_TEST(find_kinks(pb, {-7, -4, 1, 0}).empty());
}

BOOST_AUTO_TEST_CASE(parameter_names_follow_the_layout) {
    const Problem pb = example2();
    BOOST_TEST(pb.net.num_params() == 7u);
    BOOST_TEST(pb.net.param_name(0) == "W1[1,1]");
    BOOST_TEST(pb.net.param_name(1) == "W1[2,1]");
    BOOST_TEST(pb.net.param_name(2) == "b1[1]");
    BOOST_TEST(pb.net.param_name(5) == "W2[1,2]");
    BOOST_TEST(pb.net.param_name(6) == "b2[1]");
}

BOOST_AUTO_TEST_SUITE_END()
