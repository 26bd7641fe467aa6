// Exact boxes to intervals, split points and sample points. Infinite ends enter MPFI as MPFR infinities;
// finite ends are rounded outward, so the enclosure always contains the exact box.
#include "kernel/interval/box.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <stdexcept>

namespace nncert::kernel {

Interval enclose(const Range& r) {
    if (r.lo && r.hi) return Interval::hull(*r.lo, *r.hi);
    Interval lo_part = r.lo ? Interval(*r.lo) : Interval();
    Interval hi_part = r.hi ? Interval(*r.hi) : Interval();
    Interval out;
    mpfr_t lo, hi;
    mpfr_init2(lo, PrecisionScope::current());
    mpfr_init2(hi, PrecisionScope::current());
    if (r.lo) mpfr_set(lo, lo_part.lo(), MPFR_RNDD);
    else mpfr_set_inf(lo, -1);
    if (r.hi) mpfr_set(hi, hi_part.hi(), MPFR_RNDU);
    else mpfr_set_inf(hi, 1);
    mpfi_interv_fr(out.raw(), lo, hi);
    mpfr_clear(lo);
    mpfr_clear(hi);
    return out;
}

IVector enclose(const Box& b) {
    IVector out;
    out.reserve(b.size());
    for (const Range& r : b) out.push_back(enclose(r));
    return out;
}

LowerBound LowerBound::of(const Interval& x) {
    if (x.is_nan() || !mpfr_number_p(x.lo())) return {};
    return {exact_rational(x.lo())};
}

bool lower_than(const LowerBound& a, const LowerBound& b) {
    if (!a.value) return b.value.has_value();
    return b.value && *a.value < *b.value;
}

const LowerBound& lowest(const LowerBound& a, const LowerBound& b) { return lower_than(b, a) ? b : a; }

namespace {

Rational max_one_abs(const Rational& a) {
    const Rational m = abs(a);
    return m < 1 ? Rational(1) : m;
}

// k when the positive integer d is 2^k, else -1.
long power_of_two_exponent(mpz_srcptr d) {
    const mp_bitcnt_t k = mpz_scan1(d, 0);
    if (mpz_sizeinbase(d, 2) != k + 1 || k > (1ul << 30)) return -1;
    return static_cast<long>(k);
}

// The rational n 2^e (n an integer), in lowest terms.
Rational dyadic(mpz_t n, long e) {
    Rational r;
    mpq_ptr q = r.backend().data();
    if (mpz_sgn(n) == 0) return r;
    if (e < 0) {
        const long shift = std::min(static_cast<long>(mpz_scan1(n, 0)), -e);  // n != 0: a 1 bit exists
        mpz_tdiv_q_2exp(n, n, static_cast<mp_bitcnt_t>(shift));                // exact: n's low bits are zeros
        e += shift;
    }
    if (e >= 0) {
        mpz_mul_2exp(mpq_numref(q), n, static_cast<mp_bitcnt_t>(e));
    } else {
        mpz_set(mpq_numref(q), n);  // odd now, so n / 2^-e is in lowest terms
        mpz_set_ui(mpq_denref(q), 0);
        mpz_setbit(mpq_denref(q), static_cast<mp_bitcnt_t>(-e));
    }
    return r;
}

static_assert(sizeof(long) >= 8, "mpz_get_si / mpz_set_si carry 64-bit integers here");

// The rational n 2^e for a 64-bit integer n, in lowest terms (dyadic above without an mpz argument).
Rational small_dyadic(std::int64_t n, long e) {
    Rational r;
    if (n == 0) return r;
    if (e < 0) {
        const long shift = std::min(static_cast<long>(__builtin_ctzll(static_cast<std::uint64_t>(n))), -e);
        n /= std::int64_t(1) << shift;  // exact: n's low bits are zeros
        e += shift;
    }
    mpq_ptr q = r.backend().data();
    mpz_set_si(mpq_numref(q), static_cast<long>(n));
    if (e > 0) mpz_mul_2exp(mpq_numref(q), mpq_numref(q), static_cast<mp_bitcnt_t>(e));
    if (e < 0) {
        mpz_set_ui(mpq_denref(q), 0);
        mpz_setbit(mpq_denref(q), static_cast<mp_bitcnt_t>(-e));
    }
    return r;
}

// short_middle below for dyadic a = A / 2^K, b = B / 2^K (A < B integers), in integers: the same number, without
// the rationals' divisions and gcds. With W = B - A and S = A + B: q = (b - a) / 4 = W / 2^(K+2), so step =
// 2^(msb(W) - K - 2) (the largest power of two <= q); s = mid / step = S / 2^p with p = msb(W) - 1; k = s
// truncated toward 0; m = k step = k 2^(p - 1 - K), compared with a and b in units of 2^-(K+2). Nothing when an
// end is not dyadic.
std::optional<Rational> dyadic_short_middle(const Rational& a, const Rational& b) {
    mpq_srcptr qa = a.backend().data(), qb = b.backend().data();
    const long ka = power_of_two_exponent(mpq_denref(qa)), kb = power_of_two_exponent(mpq_denref(qb));
    if (ka < 0 || kb < 0) return std::nullopt;
    const long k_common = std::max(ka, kb);
    // The same steps in 64-bit integers when A and B have at most 59 bits (so 4A, 4B and A + B fit): the ends of
    // deep boxes, without the six mpz temporaries. Division by 2^p truncates toward 0, as mpz_tdiv_q_2exp.
    const std::size_t bits_a = mpz_sizeinbase(mpq_numref(qa), 2) + static_cast<std::size_t>(k_common - ka);
    const std::size_t bits_b = mpz_sizeinbase(mpq_numref(qb), 2) + static_cast<std::size_t>(k_common - kb);
    if (bits_a <= 59 && bits_b <= 59) {
        const std::int64_t big_a = mpz_get_si(mpq_numref(qa)) * (std::int64_t(1) << (k_common - ka));
        const std::int64_t big_b = mpz_get_si(mpq_numref(qb)) * (std::int64_t(1) << (k_common - kb));
        const std::int64_t w = big_b - big_a, sum = big_a + big_b;  // w > 0
        const long p = 64 - __builtin_clzll(static_cast<std::uint64_t>(w)) - 2;  // msb(W) - 1 >= -1
        const std::int64_t k = p >= 0 ? sum / (std::int64_t(1) << p) : sum * 2;
        const std::int64_t m4 = k * (std::int64_t(1) << (p + 1));  // |m4| <= 2 |sum| < 2^61
        const bool inside = 4 * big_a < m4 && m4 < 4 * big_b;
        return inside ? small_dyadic(k, p - 1 - k_common) : small_dyadic(sum, -(k_common + 1));
    }
    mpz_t big_a, big_b, w, sum, k, m4;
    mpz_inits(big_a, big_b, w, sum, k, m4, static_cast<mpz_ptr>(nullptr));
    mpz_mul_2exp(big_a, mpq_numref(qa), static_cast<mp_bitcnt_t>(k_common - ka));
    mpz_mul_2exp(big_b, mpq_numref(qb), static_cast<mp_bitcnt_t>(k_common - kb));
    mpz_sub(w, big_b, big_a);  // > 0
    mpz_add(sum, big_a, big_b);
    const long p = static_cast<long>(mpz_sizeinbase(w, 2)) - 2;  // msb(W) - 1 >= -1
    if (p >= 0) mpz_tdiv_q_2exp(k, sum, static_cast<mp_bitcnt_t>(p));
    else mpz_mul_2exp(k, sum, 1);
    mpz_mul_2exp(m4, k, static_cast<mp_bitcnt_t>(p + 1));  // m 2^(K+2)
    mpz_mul_2exp(big_a, big_a, 2);
    mpz_mul_2exp(big_b, big_b, 2);
    const bool inside = mpz_cmp(big_a, m4) < 0 && mpz_cmp(m4, big_b) < 0;
    Rational r = inside ? dyadic(k, p - 1 - k_common) : dyadic(sum, -(k_common + 1));
    mpz_clears(big_a, big_b, w, sum, k, m4, static_cast<mpz_ptr>(nullptr));
    return r;
}

Rational short_middle_of_rationals(const Rational& a, const Rational& b);

// One limb of a rational's numerator or denominator as a memo key part, or nothing when it has more than one.
std::optional<mp_limb_t> single_limb(mpz_srcptr z) {
    if (mpz_size(z) != 1) return std::nullopt;
    return mpz_getlimbn(z, 0);
}

// A dyadic rational in the middle half of (a, b), a < b, with as few bits as the width allows: keeps the
// ends of deep boxes short, so their conversion to MPFR stays exact and cheap.
Rational short_middle(const Rational& a, const Rational& b) {
    if (std::optional<Rational> m = dyadic_short_middle(a, b)) return *std::move(m);
    // Non-dyadic ends (decimal ranges such as [157/2000, 2157/2000], which a search keeps unsplit in every box it
    // samples) take rational divisions and gcds. A per-thread memo keyed by both ends (signs, numerators and
    // denominators of one limb each, compared exactly) keeps the answer when it is a dyadic n 2^e with a 64-bit n,
    // as (n, e): a deterministic function of (a, b), so a hit returns what the computation would.
    mpq_srcptr qa = a.backend().data(), qb = b.backend().data();
    const auto an = single_limb(mpq_numref(qa)), ad = single_limb(mpq_denref(qa));
    const auto bn = single_limb(mpq_numref(qb)), bd = single_limb(mpq_denref(qb));
    if (!an || !ad || !bn || !bd) return short_middle_of_rationals(a, b);
    struct Entry {
        mp_limb_t key[4] = {0, 0, 0, 0};  // key[1] (a's denominator) 0: empty
        int signs = 0;
        std::int64_t n = 0;
        long e = 0;
    };
    static thread_local Entry memo[64];
    const int signs = 3 * (mpz_sgn(mpq_numref(qa)) + 1) + mpz_sgn(mpq_numref(qb)) + 1;
    const std::uint64_t h = std::uint64_t{*an} * 0x9E3779B97F4A7C15ull ^ std::uint64_t{*ad} * 0xC2B2AE3D27D4EB4Full ^
                            std::uint64_t{*bn} * 0x165667B19E3779F9ull ^ std::uint64_t{*bd} * 0x27D4EB2F165667C5ull ^
                            static_cast<std::uint64_t>(signs);
    Entry& e = memo[h >> 58];
    if (e.key[0] == *an && e.key[1] == *ad && e.key[2] == *bn && e.key[3] == *bd && e.signs == signs)
        return small_dyadic(e.n, e.e);
    Rational m = short_middle_of_rationals(a, b);
    mpq_srcptr qm = m.backend().data();
    const long k = power_of_two_exponent(mpq_denref(qm));
    if (k >= 0 && mpz_fits_slong_p(mpq_numref(qm))) e = Entry{{*an, *ad, *bn, *bd}, signs, mpz_get_si(mpq_numref(qm)), -k};
    return m;
}

// short_middle's computation in rationals (ends that are not both dyadic).
Rational short_middle_of_rationals(const Rational& a, const Rational& b) {
    const Rational q = (b - a) / 4, mid = (a + b) / 2;
    // step = the largest power of two <= q = n/d: with e = msb(n) - msb(d), 2^(e-1) < q < 2^(e+1).
    const long e = static_cast<long>(msb(numerator(q))) - static_cast<long>(msb(denominator(q)));
    const auto power_of_two = [](long k) {
        return k >= 0 ? Rational(Integer(1) << k) : Rational(Integer(1), Integer(1) << -k);
    };
    Rational step = power_of_two(e);
    if (step > q) step = power_of_two(e - 1);
    const Rational s = mid / step;
    Integer k = numerator(s) / denominator(s);  // truncation toward 0: |k step - mid| < step <= w / 4
    const Rational m = Rational(k) * step;
    return (a < m && m < b) ? m : mid;
}

}  // namespace

Rational split_point(const Range& r) {
    if (r.degenerate()) throw std::logic_error("split of a degenerate range");
    if (r.lo && r.hi) return short_middle(*r.lo, *r.hi);
    if (r.lo) return *r.lo + max_one_abs(*r.lo);
    if (r.hi) return *r.hi - max_one_abs(*r.hi);
    return Rational(0);
}

Rational sample(const Range& r) { return r.degenerate() ? *r.lo : split_point(r); }

Vector sample(const Box& b) {
    Vector v;
    v.reserve(b.size());
    for (const Range& r : b) v.push_back(sample(r));
    return v;
}

IVector centre_box(const Box& b) {
    IVector out;
    out.reserve(b.size());
    for (const Range& r : b) out.push_back(r.bounded() ? Interval(sample(r)) : enclose(r));
    return out;
}

std::optional<Rational> width(const Range& r) {
    if (!r.bounded()) return std::nullopt;
    return Rational(*r.hi - *r.lo);
}

}  // namespace nncert::kernel
