// Exact numbers for the trusted kernel: GMP rationals through Boost.Multiprecision.
// Nothing here (or anywhere in src/kernel/) touches double; conversions from text live in src/script/.
#pragma once

#include <boost/multiprecision/gmp.hpp>

#include <string>
#include <type_traits>
#include <vector>

namespace nncert::kernel {

using Rational = boost::multiprecision::mpq_rational;
using Integer = boost::multiprecision::mpz_int;
using Vector = std::vector<Rational>;

// "p/q" or "p" in lowest terms, the canonical text of an exact value in reports.
std::string to_string(const Rational& q);

inline bool is_zero(const Rational& q) { return q.sign() == 0; }
// q == 1, without the temporary rational that Boost's comparison with an integer builds (a hot test in the loss).
inline bool is_one(const Rational& q) {
    mpq_srcptr r = q.backend().data();
    return mpz_cmp_ui(mpq_numref(r), 1) == 0 && mpz_cmp_ui(mpq_denref(r), 1) == 0;
}
// The rationals 0, 1 and 2, made once: the loss's sums start at 0 and squared errors double, per data point.
inline const Rational& rational_zero() {
    static const Rational z(0);
    return z;
}
inline const Rational& rational_two() {
    static const Rational t(2);
    return t;
}

// Does the number type Num offer exp, log1p and division (x / y), as enclosures? True for the interval
// engine's types (specialised beside them); false for exact rationals and the ray series, which never see a
// transcendental loss. The softmax cross-entropy (output_loss.hpp) is written only for types where it holds.
template <class Num>
struct TranscendentalOps : std::false_type {};

// acc += a * b, and acc -= a * b: the generic code's inner products call these so that a number type whose
// temporaries are costly (Interval: one heap allocation per MPFI result) can overload them with an in-place
// version. The overloads compute the same enclosure as the plain expression.
template <class Num>
void add_product(Num& acc, const Num& a, const Num& b) {
    acc += a * b;
}
template <class Num>
void sub_product(Num& acc, const Num& a, const Num& b) {
    acc -= a * b;
}

}  // namespace nncert::kernel
