// UNTRUSTED: floating-point linear algebra in MPFR (round to nearest, no error bounds).
// Its outputs are hints: every certificate re-checks what it uses in interval or exact arithmetic.
#include "hints/mpfr_linear_algebra.hpp"

#include "kernel/limits.hpp"

#include <utility>
#include <vector>

namespace nncert::hints {

namespace {

// The exact value of a finite MPFR number (every one is a dyadic rational), if its exponent is within
// +-limits::endpoint_exponent (a hint of more extreme size is useless and would be a huge rational).
std::optional<Rational> to_rational(mpfr_srcptr x) {
    if (mpfr_zero_p(x)) return Rational(0);
    const long bound = kernel::limits::endpoint_exponent;
    if (mpfr_get_exp(x) > bound || mpfr_get_exp(x) < -bound) return std::nullopt;
    kernel::Integer z;
    const mpfr_exp_t e = mpfr_get_z_2exp(z.backend().data(), x);  // x = z * 2^e exactly
    Rational r(z);
    if (e > 0) mpq_mul_2exp(r.backend().data(), r.backend().data(), static_cast<mp_bitcnt_t>(e));
    if (e < 0) mpq_div_2exp(r.backend().data(), r.backend().data(), static_cast<mp_bitcnt_t>(-e));
    return r;
}

// A self-cleaning mpfr_t.
struct Fr {
    mpfr_t v;
    explicit Fr(mpfr_prec_t bits) { mpfr_init2(v, bits); mpfr_set_zero(v, 1); }
    Fr(const Fr& o) { mpfr_init2(v, mpfr_get_prec(o.v)); mpfr_set(v, o.v, MPFR_RNDN); }
    Fr& operator=(const Fr& o) { mpfr_set(v, o.v, MPFR_RNDN); return *this; }
    ~Fr() { mpfr_clear(v); }
};

using FrMatrix = std::vector<std::vector<Fr>>;

FrMatrix to_fr(const Matrix& m, mpfr_prec_t bits) {
    FrMatrix out(m.size(), std::vector<Fr>(m.empty() ? 0 : m[0].size(), Fr(bits)));
    for (std::size_t i = 0; i < m.size(); ++i)
        for (std::size_t j = 0; j < m[i].size(); ++j) mpfr_set_q(out[i][j].v, m[i][j].backend().data(), MPFR_RNDN);
    return out;
}

}  // namespace

std::optional<Matrix> approximate_inverse_untrusted(const Matrix& m, mpfr_prec_t bits) {
    const std::size_t n = m.size();
    FrMatrix a = to_fr(m, bits), inv(n, std::vector<Fr>(n, Fr(bits)));
    for (std::size_t i = 0; i < n; ++i) mpfr_set_ui(inv[i][i].v, 1, MPFR_RNDN);
    Fr f(bits), t(bits);
    for (std::size_t c = 0; c < n; ++c) {
        std::size_t piv = c;
        for (std::size_t r = c + 1; r < n; ++r)
            if (mpfr_cmpabs(a[r][c].v, a[piv][c].v) > 0) piv = r;
        if (mpfr_zero_p(a[piv][c].v)) return std::nullopt;
        std::swap(a[c], a[piv]);
        std::swap(inv[c], inv[piv]);
        // Row c of `a` is zero left of column c (already eliminated), and row c of `inv` is zero wherever the
        // identity's row was never touched: skip both kinds of known zeros (about half the work).
        for (std::size_t r = 0; r < n; ++r) {
            if (r == c || mpfr_zero_p(a[r][c].v)) continue;
            mpfr_div(f.v, a[r][c].v, a[c][c].v, MPFR_RNDN);
            for (std::size_t j = c; j < n; ++j) {
                if (mpfr_zero_p(a[c][j].v)) continue;
                mpfr_mul(t.v, f.v, a[c][j].v, MPFR_RNDN);
                mpfr_sub(a[r][j].v, a[r][j].v, t.v, MPFR_RNDN);
            }
            for (std::size_t j = 0; j < n; ++j) {
                if (mpfr_zero_p(inv[c][j].v)) continue;
                mpfr_mul(t.v, f.v, inv[c][j].v, MPFR_RNDN);
                mpfr_sub(inv[r][j].v, inv[r][j].v, t.v, MPFR_RNDN);
            }
        }
    }
    Matrix out(n, Vector(n));
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j) {
            mpfr_div(t.v, inv[i][j].v, a[i][i].v, MPFR_RNDN);
            if (!mpfr_number_p(t.v)) return std::nullopt;
            const std::optional<Rational> q = to_rational(t.v);
            if (!q) return std::nullopt;
            out[i][j] = *q;
        }
    return out;
}

std::optional<Vector> nonpositive_direction_untrusted(const Matrix& m, mpfr_prec_t bits) {
    const std::size_t n = m.size();
    // Lower triangle, right-looking: after step k, column k below the diagonal holds L's multipliers and the
    // trailing block the Schur complement.
    FrMatrix a = to_fr(m, bits);
    std::vector<Fr> column(n, Fr(bits));
    Fr t(bits);
    for (std::size_t k = 0; k < n; ++k) {
        if (!mpfr_number_p(a[k][k].v)) return std::nullopt;
        if (mpfr_sgn(a[k][k].v) <= 0) {
            // L^T x = e_k by back substitution over the first k + 1 coordinates.
            std::vector<Fr> x(k + 1, Fr(bits));
            mpfr_set_ui(x[k].v, 1, MPFR_RNDN);
            for (std::size_t j = k; j-- > 0;) {
                for (std::size_t i = j + 1; i <= k; ++i) {
                    mpfr_mul(t.v, a[i][j].v, x[i].v, MPFR_RNDN);
                    mpfr_sub(x[j].v, x[j].v, t.v, MPFR_RNDN);
                }
            }
            Vector out(n);
            for (std::size_t j = 0; j <= k; ++j) {
                if (!mpfr_number_p(x[j].v)) return std::nullopt;
                const std::optional<Rational> q = to_rational(x[j].v);
                if (!q) return std::nullopt;
                out[j] = *q;
            }
            return out;
        }
        for (std::size_t i = k + 1; i < n; ++i) {
            mpfr_set(column[i].v, a[i][k].v, MPFR_RNDN);
            mpfr_div(a[i][k].v, a[i][k].v, a[k][k].v, MPFR_RNDN);  // the multiplier l_ik
        }
        for (std::size_t i = k + 1; i < n; ++i) {
            if (mpfr_zero_p(a[i][k].v)) continue;
            for (std::size_t j = k + 1; j <= i; ++j) {
                mpfr_mul(t.v, a[i][k].v, column[j].v, MPFR_RNDN);
                mpfr_sub(a[i][j].v, a[i][j].v, t.v, MPFR_RNDN);
            }
        }
    }
    return std::nullopt;
}

std::optional<Rational> smallest_eigenvalue_estimate_untrusted(const Matrix& inverse) {
    const mpfr_prec_t bits = 64;
    const std::size_t n = inverse.size();
    if (n == 0) return std::nullopt;
    const FrMatrix y = to_fr(inverse, bits);
    std::vector<Fr> x(n, Fr(bits)), yx(n, Fr(bits));
    for (std::size_t i = 0; i < n; ++i) mpfr_set_ui(x[i].v, 1 + i % 3, MPFR_RNDN);  // avoid symmetric starts
    Fr norm(bits), t(bits), rq(bits), previous(bits);
    // Stops when the Rayleigh quotient settles (relative change below 2^-20 on two consecutive steps), at most
    // 200 steps: a 2 x 2 matrix needs a handful, not 200.
    int settled = 0;
    for (int it = 0; it < 200 && settled < 2; ++it) {
        mpfr_set(previous.v, rq.v, MPFR_RNDN);
        mpfr_set_zero(norm.v, 1);
        mpfr_set_zero(rq.v, 1);
        for (std::size_t i = 0; i < n; ++i) {
            mpfr_set_zero(yx[i].v, 1);
            for (std::size_t j = 0; j < n; ++j) {
                mpfr_mul(t.v, y[i][j].v, x[j].v, MPFR_RNDN);
                mpfr_add(yx[i].v, yx[i].v, t.v, MPFR_RNDN);
            }
            mpfr_mul(t.v, x[i].v, yx[i].v, MPFR_RNDN);
            mpfr_add(rq.v, rq.v, t.v, MPFR_RNDN);  // x^T Y x with |x| = 1 after the first sweep
            mpfr_mul(t.v, yx[i].v, yx[i].v, MPFR_RNDN);
            mpfr_add(norm.v, norm.v, t.v, MPFR_RNDN);
        }
        mpfr_sqrt(norm.v, norm.v, MPFR_RNDN);
        if (mpfr_zero_p(norm.v) || !mpfr_number_p(norm.v)) return std::nullopt;
        for (std::size_t i = 0; i < n; ++i) mpfr_div(x[i].v, yx[i].v, norm.v, MPFR_RNDN);
        if (it > 0) {
            mpfr_sub(t.v, rq.v, previous.v, MPFR_RNDN);
            mpfr_abs(t.v, t.v, MPFR_RNDN);
            mpfr_mul_2si(previous.v, rq.v, -20, MPFR_RNDN);
            mpfr_abs(previous.v, previous.v, MPFR_RNDN);
            settled = mpfr_lessequal_p(t.v, previous.v) ? settled + 1 : 0;
        }
    }
    if (mpfr_sgn(rq.v) <= 0 || !mpfr_number_p(rq.v)) return std::nullopt;
    mpfr_ui_div(t.v, 1, rq.v, MPFR_RNDN);
    return to_rational(t.v);
}

}  // namespace nncert::hints
