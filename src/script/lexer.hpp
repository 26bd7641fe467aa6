// Tokens of the script language. The lexer validates number literals (form and size limits) so
// that every later stage can convert a number token without further checks.
#pragma once

#include "script/source.hpp"

#include <string>
#include <vector>

namespace nncert::script {

enum class Tok {
    ident,     // [A-Za-z_][A-Za-z0-9_]*
    number,    // unsigned literal: DECIMAL digits ['.' [digits]] [('e'|'E') ['+'|'-'] digits],
               // or HEXFLOAT '0x' hexdigits ['.' [hexdigits]] ('p'|'P') ['+'|'-'] digits (C99 %a)
    string,    // "..." on one line, no escapes; text holds the contents
    lbrace, rbrace, lbracket, rbracket, lparen, rparen,
    comma, equals, greater, at_most, arrow, plus, minus, star, slash,
    end,       // end of input
    // at_most is the two characters `<=` (a lone `<` is no token)
    eol,       // never lexed: what a Cursor shows past the end of a one-line data row
};

struct Token {
    Tok kind = Tok::end;
    std::string text;
    SourceLoc loc;
    bool newline_before = false;  // a line break precedes it: data rows end at line ends
    std::size_t end = 0;          // byte offset just past the token
};

// Limits on one literal, documented in docs/format.md.
inline constexpr std::size_t max_literal_digits = 1000;
inline constexpr long max_literal_exponent = 1000;
inline constexpr long max_binary_exponent = 16384;  // of a hex float's p exponent (binary128 needs 16494 - 112)

// Lexes `text` (already checked to be UTF-8); positions count from `start` (1-based line and col).
// The result always ends with one Tok::end token.
std::vector<Token> lex(const std::string& text, const SourceLoc& start);

// How a token is named in "expected ..., found ..." messages.
std::string describe(const Token& t);
std::string describe(Tok k);

}  // namespace nncert::script
