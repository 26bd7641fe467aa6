// Exact numbers from text: decimal literals and + - * / ( ) expressions, straight into GMP rationals.
// Never through double: 0.1 is 1/10 and -13 - 1/6 is -79/6.
#pragma once

#include "kernel/number.hpp"
#include "script/cursor.hpp"

#include <string>

namespace nncert::script {

// Value of a number token's text, decimal or C99 hex float (the lexer has already checked its form and size).
kernel::Rational decimal_value(const std::string& literal);

// expr := ['+'|'-'] term { ('+'|'-') term };  term := factor { ('*'|'/') factor };
// factor := DECIMAL | '(' expr ')' | '-' factor.  Fails with "zero-denominator" on division by 0.
kernel::Rational parse_expr(Cursor& in);

// Canonical text: "p" or "p/q" in lowest terms, "-" in front when negative. Re-parses to the same value.
std::string number_text(const kernel::Rational& q);

// Nesting limit of parentheses and unary minus (keeps the recursive parser off the stack limit).
inline constexpr int max_expr_depth = 256;

}  // namespace nncert::script
