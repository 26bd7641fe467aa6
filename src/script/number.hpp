// Exact numbers from text: decimal literals and + - * / ( ) expressions, straight into GMP rationals.
// Never through double: 0.1 is 1/10 and -13 - 1/6 is -79/6.
#pragma once

#include "kernel/number.hpp"
#include "script/cursor.hpp"

#include <string>

namespace nncert::script {

// Value of a number token's text, decimal or C99 hex float (the lexer has already checked its form and size).
kernel::Rational decimal_value(const std::string& literal);

// Largest numerator and denominator (in bits) of a literal's value and of every intermediate and final
// result of a number expression: 65536 bits, about 19,700 decimal digits (a literal alone needs at most
// 20,384: a 1000-digit hex mantissa times 2^16384). Bounds the cost of expressions such as 1e1000 * 1e1000
// * ... (each operation works on numbers of at most this size). docs/limits.md.
inline constexpr unsigned max_number_bits = 65536;

// expr := ['+'|'-'] term { ('+'|'-') term };  term := factor { ('*'|'/') factor };
// factor := DECIMAL | '(' expr ')' | '-' factor.  Fails with "zero-denominator" on division by 0 and
// with "number-too-large" as soon as a result has a numerator or denominator over max_number_bits.
kernel::Rational parse_expr(Cursor& in);

// Canonical text that parses back to the same value within every limit: "p" or "p/q" in lowest terms, "-"
// in front when negative, as long as p and q have at most 64 digits (the width rule: lexer.hpp, literal_view).
// Longer ones are written "m e t" when that fits (1e1000, not 1 and a thousand zeros; m at most 64 digits),
// else as sums of 64-digit pieces times powers of ten, c0 * 1e128 + c1 * 1e64 + c2, in a Horner form over
// runs of 960 digits ((...) * 1e960 + ...), parenthesised in a fraction. So no printed literal is longer
// than 64 characters: printed text fits the width rule anywhere, claims included.
std::string number_text(const kernel::Rational& q);

// The view rule's test for a number of a list that runs past column view_width (docs/format.md, "Characters"):
// whether it is written as one number, so that what is out of view is the rest of that number and never more of
// an expression (`0+0+...+1`). `text` is its tokens' text without blanks, `kinds` one character per token ('n' a
// number literal, '-', '/', '?' another token: Cursor::taken_kinds). One number is a literal, a fraction of two
// literals, either with a leading '-', or exactly number_text(value) (what `nncert print` and the tools write).
bool written_as_one_number(const std::string& text, const std::string& kinds, const kernel::Rational& value);

// The view rule for a number of a list that ends past column view_width (docs/format.md, "Characters"): "" when it
// may stand there, else why not (a phrase for the "layout" message). `text` and `kinds` are as above, `first_col`
// the smallest display column where one of its tokens starts (it may span lines), `literal_col` where its last token
// starts (or a larger column: stricter). A number whose every token starts past the edge is wholly out of view (the
// line visibly runs on) and is written as one number (written_as_one_number). One that starts within view_width and
// ends past it shows only its start, so the part
// past the edge may hold only fraction digits: it is one decimal literal with an optional leading '-' (kinds "n" or
// "-n"), without an exponent or a hexadecimal prefix, whose point stands within column view_width; then every digit
// out of view changes the value by less than one unit of the last digit in view. `1` + `e-999`, `1/` + `1000000`,
// `12` + `345` (the point past the edge) and nncert print's 64-digit pieces are rejected: the tools break their
// lines before such a number (wrap.hpp).
std::string list_number_view_problem(const std::string& text, const std::string& kinds, std::size_t first_col,
                                     std::size_t literal_col, const kernel::Rational& value);

// Nesting limit of parentheses and unary minus (keeps the recursive parser off the stack limit).
inline constexpr int max_expr_depth = 256;

}  // namespace nncert::script
