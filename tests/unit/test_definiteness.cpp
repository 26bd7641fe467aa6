// Exact LDL^T definiteness: certified only for positive definite matrices; every witness re-checked.
#include "kernel/definiteness.hpp"

#include <boost/test/unit_test.hpp>

using namespace nncert::kernel;

namespace {

Matrix identity(std::size_t n, Rational s = 1) {
    Matrix m(n, Vector(n));
    for (std::size_t i = 0; i < n; ++i) m[i][i] = s;
    return m;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(definiteness)

BOOST_AUTO_TEST_CASE(positive_definite_is_certified_with_positive_pivots) {
    const Matrix h = {{4, 2, 0}, {2, 3, 1}, {0, 1, 2}};
    const DefinitenessResult r = analyze_definiteness(h);
    BOOST_TEST((r.kind == Definiteness::positive_definite));
    BOOST_REQUIRE_EQUAL(r.pivots.size(), 3u);
    BOOST_TEST(r.pivots[0] == Rational(4));
    BOOST_TEST(r.pivots[1] == Rational(2));
    BOOST_TEST(r.pivots[2] == Rational(3, 2));
    BOOST_TEST(r.witness.empty());
}

BOOST_AUTO_TEST_CASE(minus_identity_and_zero_are_not_positive_definite) {
    const DefinitenessResult neg = analyze_definiteness(identity(3, -1));
    BOOST_TEST((neg.kind == Definiteness::indefinite));
    BOOST_TEST(neg.quad < 0);
    const DefinitenessResult zero = analyze_definiteness(identity(3, 0));
    BOOST_TEST((zero.kind == Definiteness::singular_psd));
    BOOST_TEST(zero.quad == 0);
}

BOOST_AUTO_TEST_CASE(zero_diagonal_with_coupling_is_indefinite) {
    const Matrix h = {{0, 1}, {1, 0}};
    const DefinitenessResult r = analyze_definiteness(h);
    BOOST_TEST((r.kind == Definiteness::indefinite));
    BOOST_TEST(quadratic_form(h, r.witness) < 0);
}

BOOST_AUTO_TEST_CASE(singular_psd_gives_a_null_vector) {
    const Matrix h = {{1, 1, 0}, {1, 1, 0}, {0, 0, 2}};
    const DefinitenessResult r = analyze_definiteness(h);
    BOOST_TEST((r.kind == Definiteness::singular_psd));
    for (std::size_t i = 0; i < 3; ++i) {
        Rational hx = 0;
        for (std::size_t j = 0; j < 3; ++j) hx += h[i][j] * r.witness[j];
        BOOST_TEST(hx == 0);
    }
    bool nonzero = false;
    for (const Rational& q : r.witness) nonzero = nonzero || q != 0;
    BOOST_TEST(nonzero);
}

BOOST_AUTO_TEST_CASE(negative_pivot_late_is_lifted_to_a_valid_witness) {
    // Leading minors 2, 2*2-1 = 3, then det < 0: the third pivot is negative.
    const Matrix h = {{2, 1, 3}, {1, 2, 3}, {3, 3, 1}};
    const DefinitenessResult r = analyze_definiteness(h);
    BOOST_TEST((r.kind == Definiteness::indefinite));
    BOOST_TEST(quadratic_form(h, r.witness) < 0);
    BOOST_TEST(r.quad == quadratic_form(h, r.witness));
    for (const Rational& q : r.witness) BOOST_TEST(denominator(q) == 1);
}

BOOST_AUTO_TEST_CASE(nearly_singular_but_positive_definite) {
    // [[1, 1], [1, 1 + 10^-30]] is positive definite; a float Cholesky would round it to singular.
    Rational tiny(1);
    for (int i = 0; i < 30; ++i) tiny /= 10;
    const Matrix h = {{1, 1}, {1, 1 + tiny}};
    const DefinitenessResult r = analyze_definiteness(h);
    BOOST_TEST((r.kind == Definiteness::positive_definite));
    BOOST_TEST(r.pivots[1] == tiny);
}

BOOST_AUTO_TEST_SUITE_END()
