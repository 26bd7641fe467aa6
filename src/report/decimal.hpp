// Short decimal views of exact values for tables a person reads (Markdown, LaTeX, JUnit messages).
// Rounding is directed where it matters: an interval's ends are rounded outward, so the printed interval
// still contains the exact one. The exact value stays in the JSON report; these are views of it.
#pragma once

#include "kernel/number.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace nncert::report {

enum class Rounding { nearest, down, up };  // down: toward -infinity, up: toward +infinity

// q with `digits` significant digits (1 to 60), trailing zeros dropped: "0.944778", "-3.5e-12", "1.2e+08".
// Plain notation for exponents -4..digits-1, scientific otherwise. Exact when q has a short expansion.
std::string decimal(const kernel::Rational& q, int digits, Rounding mode = Rounding::nearest);

// The exact value written "p/q" or "p" (as in reports), or nullopt for any other text.
std::optional<kernel::Rational> parse_exact(std::string_view text);

}  // namespace nncert::report
