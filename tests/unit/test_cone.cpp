// The exact cone test of the activation-pattern method (kernel/cone.hpp) against a brute-force reference
// (Caratheodory: every linearly independent subset solved exactly), its pivot cap, and the kink-by-kink
// route on independent normals.
#include "kernel/cone.hpp"

#include <boost/test/unit_test.hpp>

#include <random>

using namespace nncert::kernel;

namespace {

// Reference: e is in cone(a) iff it is a nonnegative combination of a linearly independent subset
// (Caratheodory); each subset is solved by exact least squares and checked. Exponential: small m only.
bool in_cone_by_subsets(const Vector& e, const std::vector<Vector>& a) {
    const std::size_t m = a.size();
    bool zero = true;
    for (const Rational& q : e) zero = zero && is_zero(q);
    if (zero) return true;
    for (std::size_t mask = 1; mask < (std::size_t(1) << m); ++mask) {
        std::vector<Vector> sub;
        for (std::size_t i = 0; i < m; ++i)
            if ((mask >> i) & 1) sub.push_back(a[i]);
        const std::vector<std::size_t> rows = independent_rows(sub, e.size());
        if (rows.size() != sub.size()) continue;  // dependent subset
        const std::optional<Vector> mu = independent_combination(e, sub, rows);
        if (!mu) continue;
        bool nonnegative = true;
        for (const Rational& q : *mu) nonnegative = nonnegative && q >= 0;
        if (nonnegative) return true;
    }
    return false;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cone)

BOOST_AUTO_TEST_CASE(agrees_with_caratheodory_on_random_small_cones) {
    std::mt19937 rng(12);
    std::uniform_int_distribution<int> small(-2, 2), dim(1, 4), count(0, 7);
    std::size_t members = 0, non_members = 0;
    for (int trial = 0; trial < 1500; ++trial) {
        const std::size_t n = static_cast<std::size_t>(dim(rng)), m = static_cast<std::size_t>(count(rng));
        std::vector<Vector> a(m, Vector(n));
        for (Vector& v : a)
            for (Rational& q : v) q = small(rng);
        if (m >= 2 && trial % 3 == 0)  // dependent sets, duplicate directions
            for (std::size_t d = 0; d < n; ++d) a[1][d] = 2 * a[0][d];
        Vector e(n);
        if (trial % 2 == 0) {  // often a member by construction
            for (const Vector& v : a) {
                const int c = small(rng);
                if (c > 0)
                    for (std::size_t d = 0; d < n; ++d) e[d] += Rational(c, 3) * v[d];
            }
        } else {
            for (Rational& q : e) q = small(rng);
        }
        const std::vector<std::size_t> rows = independent_rows(a, n);
        const ConeMembership got = cone_membership(e, a, rows, cone_pivot_cap(rows.size(), m));
        BOOST_TEST_REQUIRE((got.kind != ConeMembership::Kind::limit));
        const bool expected = in_cone_by_subsets(e, a);
        BOOST_TEST((got.kind == ConeMembership::Kind::member) == expected, "trial " << trial);
        if (got.kind == ConeMembership::Kind::member) {
            ++members;
            Vector sum(n);
            for (std::size_t i = 0; i < m; ++i) {
                BOOST_TEST(got.lambda[i] >= 0);
                for (std::size_t d = 0; d < n; ++d) sum[d] += got.lambda[i] * a[i][d];
            }
            BOOST_TEST((sum == e));
        } else {
            ++non_members;
        }
    }
    BOOST_TEST(members > 300u);  // both answers are exercised
    BOOST_TEST(non_members > 300u);
}

BOOST_AUTO_TEST_CASE(rows_span_the_row_space_whatever_the_column_signs) {
    const std::vector<Vector> a = {{1, 2, 3}, {2, 4, 6}, {0, 1, 1}};  // columns; rows (1,2,0), (2,4,1), (3,6,1)
    const std::vector<std::size_t> rows = independent_rows(a, 3);
    BOOST_TEST(rows.size() == 2u);
    std::vector<Vector> flipped = a;
    for (Rational& q : flipped[1]) q = -q;
    BOOST_TEST((independent_rows(flipped, 3) == rows));
}

BOOST_AUTO_TEST_CASE(the_pivot_cap_makes_the_test_undecided_never_a_member) {
    const std::vector<Vector> a = {{1, 0}, {0, 1}, {1, 1}};
    const Vector e = {2, 3};
    const std::vector<std::size_t> rows = independent_rows(a, 2);
    BOOST_TEST((cone_membership(e, a, rows, 100).kind == ConeMembership::Kind::member));
    const ConeMembership capped = cone_membership(e, a, rows, 0);
    BOOST_TEST((capped.kind == ConeMembership::Kind::limit));
    BOOST_TEST(capped.lambda.empty());
    BOOST_TEST(cone_pivot_cap(2, 3) == 48u);
}

BOOST_AUTO_TEST_CASE(independent_combinations_are_exact_or_absent) {
    const std::vector<Vector> a = {{1, 1, 0}, {0, 1, 1}};
    const std::vector<std::size_t> rows = independent_rows(a, 3);
    BOOST_TEST_REQUIRE(rows.size() == 2u);
    const std::optional<Vector> mu = independent_combination({Rational(1, 2), 3, Rational(5, 2)}, a, rows);
    BOOST_TEST_REQUIRE(mu.has_value());
    BOOST_TEST(((*mu) == Vector{Rational(1, 2), Rational(5, 2)}));
    BOOST_TEST(!independent_combination({1, 0, 0}, a, rows));  // outside the span
    BOOST_CHECK_THROW(independent_combination({1, 1}, {{1, 1}, {2, 2}}, {0}), std::logic_error);
}

BOOST_AUTO_TEST_SUITE_END()
