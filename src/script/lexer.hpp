// Tokens of the script language. The lexer validates number literals (form and size limits) so
// that every later stage can convert a number token without further checks, and applies the character
// rules that depend on where a character stands (comment, string, code).
#pragma once

#include "script/source.hpp"

#include <string>
#include <string_view>
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
    std::size_t start_col = 0;    // display column of its first character in the source (tab stops every 8)
    std::size_t end_col = 0;      // display column of its last character (tab stops every 8; see view_width)
    // The blanks just before it on its line cover display columns blank_from + 1 to blank_to (equal: none). The
    // view rule (Cursor::take) asks whether they cover column view_width: the line would look ended there.
    std::size_t blank_from = 0, blank_to = 0;
    // Screen rows between the previous token's row and this token's line, in a viewer that wraps lines at view_width
    // columns: each line without code between them counts max(1, ceil(width / view_width)), and the previous token's
    // line the rows after the one that token ends on (review r8-12 F8: 8 comment lines of 4,000 characters, or a
    // line of 10,000 blanks, put the rest of a claim hundreds of rows down). Cursor::take bounds it by
    // max_quiet_lines inside an item. At least the number of lines between them.
    std::size_t quiet_rows = 0;
};

// Limits on one literal, documented in docs/format.md.
inline constexpr std::size_t max_literal_digits = 1000;
inline constexpr long max_literal_exponent = 1000;
inline constexpr long max_binary_exponent = 16384;  // of a hex float's p exponent (binary128 needs 16494 - 112)
// What a viewer without line wrapping is assumed to show of a literal: its first 64 characters (docs/format.md,
// "Characters", the width rule; error "layout"). Within them come
// - its exponent marker (`e`/`E`, a hex float's `p`/`P`: at most the 65th character): `0.` + 998 zeros + `1e999`
//   is 1 while a viewer shows 0.0000... to its right edge;
// - its point, or its end: the integer part (`0x` included) has at most 64 characters, so its size is seen:
//   997 zeros + `18` is 18, `000...0.5` is 1/2, `1` + 999 zeros is 1e999, while a viewer shows 0000... or 1000...;
// and an exponent has at most max_exponent_digits digits, leading zeros included (`1e` + 997 zeros + `1` is 10).
// So only fraction digits can be out of view: they change the value by less than one unit of the last digit in
// view. Two more rules keep what follows a long literal in view (see Lexer) and keep claims exact (see
// Cursor::set_literal_limit).
inline constexpr std::size_t literal_view = 64;
inline constexpr std::size_t max_chars_before_exponent = literal_view;
inline constexpr std::size_t max_chars_before_point = literal_view;
inline constexpr std::size_t max_exponent_digits = 5;  // 16384, the largest binary exponent, has 5
// What a viewer without line wrapping is assumed to show of a line: its first 160 display columns (docs/format.md,
// "Characters", the view rule; error "layout"). Outside a list every token ends within them, and a number of a
// list that runs past them is written as one number, of which only fraction digits are out of view when it starts
// within them (parser.cpp, csv.cpp: list_number_view_problem): `claim loss p = 0+0+...+1` (1,200 characters of
// short tokens) is the claim of loss 1 while a viewer shows 0+0+0..., and `1` at the edge may be 1e-999.
inline constexpr std::size_t view_width = 160;

// What '#' means: a comment to the end of the line in scripts; an error in a CSV field (a CSV file has no
// comments, so `3#0` is not the number 3).
enum class LexMode { script, csv_field };

// Longest identifier (a point name, a keyword) and longest quoted string (a CSV file name), in bytes. A name is
// held to what a viewer shows of a token (literal_view, as number literals are): two names that differ only past
// the 64th character would look the same in a report column or an editor, while the claims about them differ.
inline constexpr std::size_t max_name_bytes = literal_view;
inline constexpr std::size_t max_string_bytes = 4096;

// Why `text` cannot be read back as one identifier token (a point name, a region name), or "" when it can:
// a letter or '_' first, then letters, digits and '_', at most max_name_bytes. The lexer reads identifiers by
// these rules; a generator asks this before writing a name into a script, so what it writes `check` reads.
std::string identifier_problem(std::string_view text);

// Why `text` written between double quotes cannot be read back as one string token holding exactly `text`
// (a `data "FILE"` name), or "" when it can: no '"', no line terminator, no character the gate or the lexer
// rejects (controls, invalid UTF-8, invisible and bidi characters, a long run of spaces), at most
// max_string_bytes. Decided by reading `"text"` back through the gate and the lexer (not by a second list of
// rules), so a tool that writes a file name into a script (refine -o, snap -o) writes what `check` reads.
std::string string_problem(std::string_view text);

// The width rule's last part (docs/format.md, "Characters"): whether a token of kind `k` may stand on the line of
// a literal longer than literal_view characters, after it, when the token before it is of kind `prev`: only more
// list values (',', '->', ']', '}', and a number, or a '-' or '[', after ',', '->' or '['). The lexer enforces it;
// the writers' line breaker (wrap.hpp) starts a new line where it would not hold.
bool may_follow_long_literal(Tok prev, Tok k);

// Produces tokens on demand, so the memory a parse needs does not grow with the number of tokens.
// `text` must have passed check_text and must outlive the lexer; positions count from `start` (1-based
// line and col). After the last token, next() returns Tok::end forever.
// Rules beyond the gate (docs/format.md, "Characters"): outside comments only ASCII is allowed, and an
// invisible character there is reported as "forbidden-character" (a zero-width space in a number or a
// file name would make two different scripts look alike); a comment that follows code on its line may not
// contain right-to-left letters (they can make a viewer show the code of that line right to left), and a
// comment on a line of its own that holds one must have a left-to-right letter before it (else viewers show
// that line, and letterless data rows after it, right to left).
// After a literal longer than literal_view characters (a long literal), the rest of its line may hold only more
// list values: `,`, `->`, `]`, `}`, and numbers (with a sign) that follow `,`, `->` or `[`; anything else
// (an operator, a parenthesis, a word such as `weight` or `within`, a name) is error "layout", at that token:
// a viewer shows the long literal up to its right edge and not what comes after it.
// Outside comments a TAB is error "layout" (viewers draw it 1 to 8 columns wide), and after a quoted file name that
// holds a non-ASCII character the rest of its line may hold only `weighted` (and a comment): error "layout" at the
// next token otherwise (viewers draw non-ASCII characters 0, 1 or 2 columns wide; review r8-12 F1, F2, F3). The
// same after a byte-order mark, where line 1 may hold only `nncert 1`.
class Lexer {
public:
    Lexer(std::string_view text, const SourceLoc& start, LexMode mode = LexMode::script);
    Token next();

private:
    char take();
    bool skip_blank();
    void comment();
    void count_rows();
    std::size_t digits(std::string& out, std::size_t limit, const SourceLoc& at);
    std::string number(const SourceLoc& at);
    std::string hex_float(const SourceLoc& at);
    void exponent(std::string& out, long limit, const SourceLoc& at, const std::string& what);
    void exponent_in_view(const std::string& before, const SourceLoc& at) const;
    void integer_in_view(std::size_t chars, const SourceLoc& at) const;
    void after_long_literal(const Token& t);
    std::string string(const SourceLoc& at);
    Tok punct(char c);
    [[noreturn]] void bad_character();

    std::string_view s_;
    LexMode mode_;
    std::size_t i_ = 0;
    SourceLoc loc_;
    std::size_t vcol_ = 0;       // display columns before the next character on its line (tab stops every 8)
    bool newline_ = false;       // a line break since the last token
    std::size_t blank_from_ = 0, blank_to_ = 0;  // display columns of the blanks before the next token (skip_blank)
    bool code_on_line_ = false;  // a token was produced on the current line
    std::size_t long_literal_ = 0;  // characters of a long literal earlier on the current line (0: none)
    Tok prev_ = Tok::end;           // kind of the last token produced
    std::size_t prev_end_col_ = 0;  // display column where the last token produced ends
    std::size_t quiet_rows_ = 0;    // Token::quiet_rows of the next token (skip_blank)
    // What may still follow on a line after text that viewers draw with different widths (after_wide_text): a
    // quoted file name holding a non-ASCII character (then `weighted`), or a byte-order mark (then `nncert 1`).
    enum class Wide { none, name, bom, bom_version, done };
    Wide wide_ = Wide::none;
    bool wide_bom_ = false;  // wide_ follows the byte-order mark (else a file name)
    void after_wide_text(const Token& t);
};

// All tokens of `text` at once (for tests and tools); the result ends with one Tok::end token.
std::vector<Token> lex(const std::string& text, const SourceLoc& start, LexMode mode = LexMode::script);

// How a token is named in "expected ..., found ..." messages.
std::string describe(const Token& t);
std::string describe(Tok k);

}  // namespace nncert::script
