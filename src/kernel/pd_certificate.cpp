// Verification of a shifted-Cholesky hint in exact arithmetic. R^T R is summed in 128-bit integers
// (|R_int| <= 2^52, so each product < 2^104 and up to 2^22 of them fit); E = H - c I - R^T R / 4^s is
// exact rational; ||E||_F^2 is bounded from above with upward-rounded MPFR (a rigorous upper bound).
#include "kernel/pd_certificate.hpp"

#include "kernel/interval/interval.hpp"  // exact_rational: the exact value of a finite MPFR number

#include <mpfr.h>

#include <cstdint>
#include <vector>

namespace nncert::kernel {

namespace {

Integer from_int128(__int128 v) {
    const bool neg = v < 0;
    unsigned __int128 u = neg ? static_cast<unsigned __int128>(-(v + 1)) + 1 : static_cast<unsigned __int128>(v);
    Integer hi(static_cast<std::uint64_t>(u >> 64)), lo(static_cast<std::uint64_t>(u));
    Integer out = (hi << 64) + lo;
    return neg ? Integer(-out) : out;
}

}  // namespace

std::optional<Rational> verify_cholesky_certificate(const Matrix& h, const hints::CholeskyHint& hint) {
    const std::size_t n = h.size();
    // A scale beyond 2^+-4096 is no sensible hint (and would make the exact arithmetic below enormous).
    if (n == 0 || n > (std::size_t(1) << 22) || hint.r_int.size() != n * n || hint.shift <= 0 ||
        hint.scale_bits > 4096 || hint.scale_bits < -4096)
        return std::nullopt;
    for (std::int64_t v : hint.r_int)
        if (v > (std::int64_t(1) << 52) || v < -(std::int64_t(1) << 52)) return std::nullopt;
    const Rational denom = hint.scale_bits >= 0 ? Rational(Integer(1) << (2 * hint.scale_bits))
                                                : Rational(1) / Rational(Integer(1) << (-2 * hint.scale_bits));
    mpfr_t acc, term;
    mpfr_init2(acc, 64);
    mpfr_init2(term, 64);
    mpfr_set_ui(acc, 0, MPFR_RNDU);
    // G = R^T R (upper triangle), accumulated row by row of R for cache-friendly access.
    std::vector<__int128> g(n * (n + 1) / 2, 0);
    auto row_start = [n](std::size_t i) { return i * n - i * (i - 1) / 2 - i; };  // g[row_start(i) + j]
    for (std::size_t k = 0; k < n; ++k) {
        const std::int64_t* rk = &hint.r_int[k * n];
        for (std::size_t i = k; i < n; ++i) {
            if (rk[i] == 0) continue;
            const __int128 a = rk[i];
            __int128* gi = &g[row_start(i)];
            for (std::size_t j = i; j < n; ++j) gi[j] += a * rk[j];
        }
    }
    Rational e;
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = i; j < n; ++j) {
            if (i != j && h[i][j] != h[j][i]) {  // only symmetric matrices are certified here
                mpfr_clear(acc);
                mpfr_clear(term);
                return std::nullopt;
            }
            e = h[i][j] - Rational(from_int128(g[row_start(i) + j])) / denom;
            if (i == j) e -= hint.shift;
            if (is_zero(e)) continue;
            e = abs(e);
            mpfr_set_q(term, e.backend().data(), MPFR_RNDU);
            mpfr_sqr(term, term, MPFR_RNDU);
            if (i != j) mpfr_mul_ui(term, term, 2, MPFR_RNDU);  // E is symmetric: (i, j) and (j, i)
            mpfr_add(acc, acc, term, MPFR_RNDU);
        }
    }
    // ||E||_F <= sqrt(acc) rounded up; the bound c - ||E||_F must be positive. An overflow to +inf
    // (astronomically large entries or factors) proves nothing: only a finite bound is read back.
    mpfr_sqrt(acc, acc, MPFR_RNDU);
    if (!mpfr_number_p(acc)) {
        mpfr_clear(acc);
        mpfr_clear(term);
        return std::nullopt;
    }
    const Rational frob_upper = exact_rational(acc);  // acc is finite (checked above)
    mpfr_clear(acc);
    mpfr_clear(term);
    const Rational lower = hint.shift - frob_upper;
    if (lower.sign() <= 0) return std::nullopt;
    return lower;
}

}  // namespace nncert::kernel
