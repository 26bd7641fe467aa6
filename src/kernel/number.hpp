// Exact numbers for the trusted kernel: GMP rationals through Boost.Multiprecision.
// Nothing here (or anywhere in src/kernel/) touches double; conversions from text live in src/script/.
#pragma once

#include <boost/multiprecision/gmp.hpp>

#include <string>
#include <vector>

namespace nncert::kernel {

using Rational = boost::multiprecision::mpq_rational;
using Integer = boost::multiprecision::mpz_int;
using Vector = std::vector<Rational>;

// "p/q" or "p" in lowest terms, the canonical text of an exact value in reports.
std::string to_string(const Rational& q);

inline bool is_zero(const Rational& q) { return q.sign() == 0; }

}  // namespace nncert::kernel
