// The hinted paths of analyze_definiteness: a verified Cholesky certificate for large positive definite
// matrices, hinted negative directions, and the exact fallback where floating point cannot tell.
#include "hints/cholesky.hpp"
#include "hints/mpfr_linear_algebra.hpp"
#include "kernel/interval/box_definiteness.hpp"
#include "kernel/definiteness.hpp"
#include "kernel/pd_certificate.hpp"

#include <boost/test/unit_test.hpp>

using namespace nncert::kernel;

namespace {

// A dense symmetric matrix B^T B + shift I with small rational entries (B deterministic, n x n).
Matrix gram_plus(std::size_t n, const Rational& shift) {
    Matrix b(n, Vector(n));
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j) b[i][j] = Rational(static_cast<long>((i * 7 + j * 13) % 11) - 5, 3 + (i + j) % 4);
    Matrix h(n, Vector(n));
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j) {
            Rational s = 0;
            for (std::size_t k = 0; k < n; ++k) s += b[k][i] * b[k][j];
            h[i][j] = s;
        }
    for (std::size_t i = 0; i < n; ++i) h[i][i] += shift;
    return h;
}

Rational power_of_ten(int k) {
    Rational q = 1;
    for (int i = 0; i < k; ++i) q /= 10;
    return q;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(pd_certificate)

BOOST_AUTO_TEST_CASE(large_positive_definite_matrix_gets_a_verified_cholesky_certificate) {
    const Matrix h = gram_plus(40, 1);
    const DefinitenessResult r = analyze_definiteness(h);
    BOOST_TEST((r.kind == Definiteness::positive_definite));
    BOOST_TEST(r.method == "cholesky-certificate");
    BOOST_REQUIRE(r.lambda_min_lower.has_value());
    BOOST_TEST(*r.lambda_min_lower > 0);
    // The exact elimination agrees (and the bound is below its smallest pivot's scale: lambda_min <= min H_ii).
    DefinitenessOptions exact;
    exact.hint_threshold = 1000;
    BOOST_TEST((analyze_definiteness(h, exact).kind == Definiteness::positive_definite));
    Rational min_diag = h[0][0];
    for (std::size_t i = 0; i < h.size(); ++i) min_diag = h[i][i] < min_diag ? h[i][i] : min_diag;
    BOOST_TEST(*r.lambda_min_lower <= min_diag);
}

BOOST_AUTO_TEST_CASE(a_tampered_hint_is_rejected) {
    const Matrix h = gram_plus(30, 1);
    std::optional<nncert::hints::CholeskyHint> hint = nncert::hints::cholesky_hint(h, 0);
    BOOST_REQUIRE(hint.has_value());
    BOOST_TEST(verify_cholesky_certificate(h, *hint).has_value());
    // Claiming a far larger shift than the matrix allows must fail the exact check.
    nncert::hints::CholeskyHint bad = *hint;
    bad.shift *= 1000000;
    BOOST_TEST(!verify_cholesky_certificate(h, bad).has_value());
    // So must a factor whose first diagonal entry is wiped out (a small change would still be a valid
    // certificate: the check measures the residual exactly, so any factor that works is fine).
    bad = *hint;
    bad.r_int[0] = 0;
    BOOST_TEST(!verify_cholesky_certificate(h, bad).has_value());
    // And a non-symmetric matrix is never certified by this path.
    Matrix asym = h;
    asym[0][1] += 1;
    BOOST_TEST(!verify_cholesky_certificate(asym, *hint).has_value());
}

BOOST_AUTO_TEST_CASE(barely_indefinite_large_matrix_is_never_certified) {
    // B^T B is singular when B has a zero row... here: a rank-deficient Gram minus 10^-30 on the diagonal.
    Matrix h = gram_plus(30, 0);
    for (std::size_t j = 0; j < h.size(); ++j) {  // make row/column 0 a copy of row/column 1: singular
        h[0][j] = h[1][j];
        h[j][0] = h[j][1];
    }
    h[0][0] = h[1][1];
    for (std::size_t i = 0; i < h.size(); ++i) h[i][i] -= power_of_ten(30);
    const DefinitenessResult r = analyze_definiteness(h);
    BOOST_TEST((r.kind == Definiteness::indefinite));
    BOOST_TEST(r.quad < 0);
    BOOST_TEST(quadratic_form(h, r.witness) == r.quad);
}

BOOST_AUTO_TEST_CASE(barely_positive_definite_large_matrix_falls_back_to_exact) {
    // A singular Gram plus 10^-30 I: positive definite, far below what double precision can see.
    Matrix h = gram_plus(26, 0);
    for (std::size_t j = 0; j < h.size(); ++j) {
        h[0][j] = h[1][j];
        h[j][0] = h[j][1];
    }
    h[0][0] = h[1][1];
    for (std::size_t i = 0; i < h.size(); ++i) h[i][i] += power_of_ten(30);
    const DefinitenessResult r = analyze_definiteness(h);
    BOOST_TEST((r.kind == Definiteness::positive_definite));
    BOOST_TEST(r.method == "exact-ldlt");
}

// A Gram matrix of rank `rank` (n x n, rank < n): the Hessian 2 J^T J at an exact fit with fewer data points than
// parameters (review r10 F3).
Matrix rank_deficient(std::size_t n, std::size_t rank) {
    Matrix h(n, Vector(n));
    for (std::size_t k = 0; k < rank; ++k)
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t j = 0; j < n; ++j)
                h[i][j] += Rational(static_cast<long>((i * 7 + k * 13) % 11) - 5, 3 + (i + k) % 4) *
                           Rational(static_cast<long>((j * 7 + k * 13) % 11) - 5, 3 + (j + k) % 4);
    return h;
}

BOOST_AUTO_TEST_CASE(the_128_bit_direction_refutes_what_double_cannot_see) {
    // rank 30 of 60, minus 10^-30 I: the negative eigenvalues are far below double's rounding, so before the 128-bit
    // LDL^T hint only the exact elimination found them (at 481 x 481: over 15 minutes).
    Matrix h = rank_deficient(60, 30);
    for (std::size_t i = 0; i < h.size(); ++i) h[i][i] -= power_of_ten(30);
    const std::optional<Vector> from_double = nncert::hints::negative_direction_hint(h);
    BOOST_TEST((!from_double || quadratic_form(h, *from_double) >= 0));  // no witness in double
    const std::optional<Vector> x = nncert::hints::nonpositive_direction_untrusted(h, 128);
    BOOST_REQUIRE(x.has_value());
    BOOST_TEST(quadratic_form(h, *x) < 0);
    const DefinitenessResult r = analyze_definiteness(h);
    BOOST_TEST((r.kind == Definiteness::indefinite));
    BOOST_TEST(r.method == "hinted-direction");
    BOOST_TEST(r.quad < 0);
    BOOST_TEST(quadratic_form(h, r.witness) == r.quad);
    // A positive definite matrix gets no direction.
    BOOST_TEST(!nncert::hints::nonpositive_direction_untrusted(gram_plus(30, 1), 128).has_value());
}

BOOST_AUTO_TEST_CASE(a_singular_interval_hessian_is_undecided_by_hints) {
    // A thin interval matrix around a singular positive semidefinite centre: neither positive definite over the
    // box nor certainly indefinite. The positive-definiteness test of Hc - delta I is refuted by the 128-bit
    // direction, and the search for a negative direction of Hc and Hc + delta I uses only the hints.
    const Matrix hc = rank_deficient(60, 30);
    PrecisionScope scope(128);
    IMatrix h(hc.size(), IVector(hc.size()));
    const Rational r = power_of_ten(20);
    for (std::size_t i = 0; i < hc.size(); ++i)
        for (std::size_t j = 0; j < hc.size(); ++j) h[i][j] = Interval::hull(hc[i][j] - r, hc[i][j] + r);
    const BoxDefinitenessResult d = analyze_box_definiteness(h, std::nullopt);
    BOOST_TEST((d.kind == BoxDefiniteness::undecided));
    BOOST_TEST(d.delta > 0);
}

BOOST_AUTO_TEST_CASE(minus_identity_and_zero_stay_uncertified_at_size) {
    Matrix neg(30, Vector(30)), zero(30, Vector(30));
    for (std::size_t i = 0; i < 30; ++i) neg[i][i] = -1;
    BOOST_TEST((analyze_definiteness(neg).kind == Definiteness::indefinite));
    BOOST_TEST((analyze_definiteness(zero).kind == Definiteness::singular_psd));
}

// Regression guards from the soundness audit: the residual bound overflowing MPFR's exponent range
// once read as 0 and certified anything.
// verify_cholesky_certificate converts the upward-rounded MPFR bound on ||E||_F with a local
// exact_rational that does not check for infinity. When ||E||_F^2 overflows MPFR's exponent range
// (default emax = 2^30 - 1), acc becomes +inf, mpfr_get_z_2exp returns 0, and the "upper bound" on
// ||E||_F is read as 0: the certificate then proves lambda_min > shift for any matrix.
// Here H = [[-1]] (negative definite) is certified with lambda_min > 1, using a hint whose negative
// scale_bits makes R = 2^(2^28) (so R^T R = 2^(2^29) and E^2 ~ 2^(2^30) overflows).
BOOST_AUTO_TEST_CASE(cholesky_certificate_with_overflowing_residual_certifies_minus_one) {
    const Matrix h{{Rational(-1)}};
    nncert::hints::CholeskyHint hint;
    hint.shift = 1;
    hint.scale_bits = -(1 << 28);
    hint.r_int = {1};
    const std::optional<Rational> lower = verify_cholesky_certificate(h, hint);
    BOOST_TEST(!lower.has_value());
}

// The same overflow from a huge matrix entry instead of a huge factor: H = [[-2^(2^29)]], R = 0.
BOOST_AUTO_TEST_CASE(cholesky_certificate_with_huge_negative_entry_is_certified) {
    const Matrix h{{Rational(-(Integer(1) << (1 << 29)))}};
    nncert::hints::CholeskyHint hint;
    hint.shift = 1;
    hint.scale_bits = 0;
    hint.r_int = {0};
    BOOST_TEST(!verify_cholesky_certificate(h, hint).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
