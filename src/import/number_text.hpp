// Script text for exact numbers coming from binary floats: the full decimal expansion (every dyadic
// rational has a finite one), a C99 hex float, or a rounding to D significant digits.
#pragma once

#include "kernel/number.hpp"

#include <string>

namespace nncert::import {

// Exact: "0.100000001490116119384765625" for the float32 nearest 0.1; "p/q" when q has a prime factor
// other than 2 and 5 (then no finite decimal exists), or when the decimal would pass the 1000-digit literal
// limit (subnormals below about 1e-900).
std::string exact_decimal(const kernel::Rational& q);
// Exact C99 hex float, normalised as printf("%a") writes it: "0x1.99999ap-4", "-0x1p+0", "0x0p+0".
// Throws std::invalid_argument when q is not dyadic.
std::string hex_float(const kernel::Rational& q);
// q rounded to nearest with `digits` significant decimal digits: "0.1", "-1.2346e-7" (NOT exact).
std::string rounded_decimal(const kernel::Rational& q, unsigned digits);

}  // namespace nncert::import
