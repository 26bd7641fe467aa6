// Exact integer Gram matrices through BLAS dsyrk/dgemm on 21-bit slices (integer_gram.hpp). The exactness lemma
// (every partial sum an integer of at most 53 bits) is proved in docs/certificates.md; each BLAS result is also
// checked to be such an integer before it is used.
#include "kernel/integer_gram.hpp"

#include "hints/blas_serial.hpp"

#include <gmp.h>

#include <cmath>
#include <cstdint>
#include <stdexcept>

namespace nncert::kernel {

namespace {

constexpr unsigned bits = integer_gram_slice_bits;
constexpr double exact_limit = 9007199254740992.0;  // 2^53

// Bits [offset, offset + bits) of |v| (GMP limbs are 64-bit here: static_assert below).
std::uint64_t field(mpz_srcptr v, std::size_t offset) {
    const mp_size_t limb = static_cast<mp_size_t>(offset / 64);
    const unsigned shift = static_cast<unsigned>(offset % 64);
    std::uint64_t x = static_cast<std::uint64_t>(mpz_getlimbn(v, limb)) >> shift;
    if (shift + bits > 64) x |= static_cast<std::uint64_t>(mpz_getlimbn(v, limb + 1)) << (64 - shift);
    return x & ((std::uint64_t{1} << bits) - 1);
}

static_assert(sizeof(mp_limb_t) == 8, "GMP limbs of 64 bits expected");

bool exact_integer(double x) { return std::fabs(x) <= exact_limit && x == std::trunc(x); }

}  // namespace

bool add_integer_gram(const std::vector<Integer>& k, std::size_t rows, std::size_t n, const Integer& multiplier,
                      std::vector<Integer>& upper, unsigned max_slices) {
    if (k.size() != rows * n || upper.size() != n * (n + 1) / 2 || rows > integer_gram_max_rows)
        throw std::invalid_argument("add_integer_gram: shapes do not match");
    if (rows == 0 || n == 0 || multiplier == 0) return true;
    std::size_t widest = 0;
    for (const Integer& v : k) widest = std::max(widest, v == 0 ? std::size_t{0} : mpz_sizeinbase(v.backend().data(), 2));
    if (widest == 0) return true;
    const std::size_t slices = (widest + bits - 1) / bits;
    if (slices > max_slices) return false;
    // Sign-magnitude digits: K = sum_t 2^(21 t) K_t with |K_t| <= 2^21 - 1, entries of K_t exact doubles.
    std::vector<std::vector<double>> sl(slices, std::vector<double>(rows * n, 0.0));
    for (std::size_t i = 0; i < k.size(); ++i) {
        mpz_srcptr v = k[i].backend().data();
        const int sign = mpz_sgn(v);
        if (sign == 0) continue;
        for (std::size_t t = 0; t < slices; ++t) {
            const double d = static_cast<double>(field(v, t * bits));
            sl[t][i] = sign < 0 ? -d : d;
        }
    }
    // Level s collects the slice pairs t + u = s: K^T K = sum_s 2^(21 s) sum_{t+u=s} K_t^T K_u. Each BLAS result is
    // an integer of at most 53 bits; a level is a sum of at most 2 * slices of them, exact in int64.
    const int nn = static_cast<int>(n), kk = static_cast<int>(rows);
    std::vector<double> x(n * n);
    std::vector<std::int64_t> level(n * n);
    mpz_t term;
    mpz_init(term);
    bool ok = true;
    for (std::size_t s = 0; s + 1 < 2 * slices && ok; ++s) {
        std::fill(level.begin(), level.end(), 0);
        for (std::size_t t = s >= slices ? s - slices + 1 : 0; 2 * t <= s && ok; ++t) {
            const std::size_t u = s - t;
            if (t == u) {
                blas::dsyrk(CblasRowMajor, CblasUpper, CblasTrans, nn, kk, 1.0, sl[t].data(), nn, 0.0, x.data(), nn);
                for (std::size_t i = 0; i < n && ok; ++i)
                    for (std::size_t j = i; j < n; ++j) {
                        const double v = x[i * n + j];
                        if (!exact_integer(v)) { ok = false; break; }
                        level[i * n + j] += static_cast<std::int64_t>(v);
                    }
            } else {
                // K_t^T K_u + K_u^T K_t: (i, j) gets x(i, j) + x(j, i).
                blas::dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, nn, nn, kk, 1.0, sl[t].data(), nn, sl[u].data(), nn,
                            0.0, x.data(), nn);
                for (std::size_t i = 0; i < n && ok; ++i)
                    for (std::size_t j = i; j < n; ++j) {
                        const double a = x[i * n + j], b = x[j * n + i];
                        if (!exact_integer(a) || !exact_integer(b)) { ok = false; break; }
                        level[i * n + j] += static_cast<std::int64_t>(a) + static_cast<std::int64_t>(b);
                    }
            }
        }
        if (!ok) break;
        // Fold the level in: upper += multiplier * level * 2^(21 s).
        for (std::size_t i = 0; i < n; ++i) {
            Integer* row = &upper[i * n - i * (i - 1) / 2 - i];  // entry (i, j) at row[j]
            for (std::size_t j = i; j < n; ++j) {
                const std::int64_t v = level[i * n + j];
                if (v == 0) continue;
                mpz_set_si(term, static_cast<long>(v));
                mpz_mul_2exp(term, term, bits * s);
                mpz_addmul(row[j].backend().data(), term, multiplier.backend().data());
            }
        }
    }
    mpz_clear(term);
    if (!ok)  // impossible for a classical BLAS (docs/certificates.md); never use a product that is not exact
        throw std::runtime_error("BLAS returned an inexact integer product: the exact Gram matrix is abandoned");
    return true;
}

}  // namespace nncert::kernel
