// A per-thread memo of conversions of small rationals to pairs of doubles (DInterval's ends, Ball's midpoint and
// radius). The passes over a search's boxes convert the same few non-dyadic numbers at every box (decimal data such
// as 0.3, box ends such as 157/2000), each through MPFR. A conversion is a deterministic function of q, and the key is
// q itself (sign, numerator and denominator of one limb each, compared exactly), so a hit returns what the conversion
// would compute: the memo changes no result.
#pragma once

#include "kernel/number.hpp"

#include <gmp.h>

#include <cstdint>
#include <utility>

namespace nncert::kernel::detail {

// convert(q) for a rational q, remembered per thread and per Tag (one table per conversion) when q's numerator and
// denominator have one limb each; other q are converted every time.
template <class Tag, class Convert>
std::pair<double, double> remembered_conversion(const Rational& q, Convert convert) {
    struct Entry {
        mp_limb_t num = 0, den = 0;  // den 0: empty (a rational's denominator is never 0)
        int sign = 0;
        std::pair<double, double> value;
    };
    static thread_local Entry memo[256];
    mpq_srcptr r = q.backend().data();
    if (mpz_size(mpq_numref(r)) != 1 || mpz_size(mpq_denref(r)) != 1) return convert(q);
    const mp_limb_t num = mpz_getlimbn(mpq_numref(r), 0), den = mpz_getlimbn(mpq_denref(r), 0);
    const int sign = mpz_sgn(mpq_numref(r));
    const std::uint64_t h = (std::uint64_t{num} * 0x9E3779B97F4A7C15ull) ^ (std::uint64_t{den} * 0xC2B2AE3D27D4EB4Full) ^
                            static_cast<std::uint64_t>(sign + 1);
    Entry& e = memo[h >> 56];
    if (e.den == den && e.num == num && e.sign == sign) return e.value;
    e.value = convert(q);
    e.num = num;
    e.den = den;
    e.sign = sign;
    return e.value;
}

}  // namespace nncert::kernel::detail
