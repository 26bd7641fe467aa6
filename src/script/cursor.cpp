// Token cursor with "expected X, found Y" syntax errors.
// Data rows are one per line; the cursor enforces that by hiding tokens on later lines.
#include "script/cursor.hpp"

#include <algorithm>
#include <string>

namespace nncert::script {

Cursor::Cursor(Lexer lexer) : lexer_(std::move(lexer)) {
    cur_ = lexer_.next();
    eol_.kind = Tok::eol;
}

const Token& Cursor::peek() const {
    if (row_line_ != 0 && cur_.loc.line != row_line_) {
        eol_.loc = have_prev_ ? prev_loc_ : cur_.loc;
        return eol_;
    }
    return cur_;
}

const Token& Cursor::peek_next() {
    if (cur_.kind == Tok::end) return cur_;
    if (!have_next_) {
        next_ = lexer_.next();
        have_next_ = true;
    }
    return next_;
}

Token Cursor::take() {
    Token t = peek();
    if (t.kind != Tok::end && t.kind != Tok::eol) {
        // Counted in screen rows of a viewer that wraps at view_width (Token::quiet_rows; review r8-12 F8): a line
        // without code is ceil(width / view_width) rows, so 8 comment lines of 4,000 characters are 200.
        if (have_prev_ && t.loc.offset != item_start_ && t.quiet_rows > max_quiet_lines)
            fail("layout", t.loc,
                 "this continues the " + std::string(item_line_ ? "item begun at line " + std::to_string(item_line_)
                                                                : "text above") +
                     " after " + std::to_string(t.loc.line - prev_loc_.line - 1) + " lines without code (" +
                     std::to_string(t.quiet_rows) + " screen rows where lines wrap at " + std::to_string(view_width) +
                     " columns); inside a block, a claim or an expression at most " + std::to_string(max_quiet_lines) +
                     " blank or comment-only lines may come between two tokens, a line longer than " +
                     std::to_string(view_width) + " columns counting as one per " + std::to_string(view_width) +
                     " columns (text far below is not seen with its start: docs/format.md, \"Characters\")");
        if (literal_limit_ != 0 && t.kind == Tok::number && t.end - t.loc.offset > literal_limit_)
            fail("layout", t.loc,
                 "a number of " + std::to_string(t.end - t.loc.offset) + " characters in a " + literal_where_ +
                     " (at most " + std::to_string(literal_limit_) +
                     "): a claim or a region compares its numbers exactly, and a viewer without line wrapping shows "
                     "only the first " + std::to_string(literal_limit_) +
                     " characters of a number (1.000... for 1 + 1e-990); write it shorter (1 + 1e-990, 1/3)");
        if (view_rule_ && lists_ == 0 && t.end_col > view_width)
            fail("layout", t.loc,
                 describe(t) + " ends at column " + std::to_string(t.end_col) + ", past the " +
                     std::to_string(view_width) +
                     " columns a viewer without line wrapping shows: outside a list (a data row, a point's or "
                     "direction's values, poly coefficients) every token must end within column " +
                     std::to_string(view_width) + "; break the line (docs/format.md, \"Characters\")");
        // The view rule's blank run (docs/format.md, "Characters"): blanks that cover column view_width before a
        // token make the line look ended in a viewer, while the token (a row's second target, a list's next
        // value) stands out of view: `1, 1, ..., 1 -> 3` + 32 blanks + `, 4` (review r8-9, F3).
        if (view_rule_ && t.blank_from < view_width && t.blank_to >= view_width &&
            !(have_prev_ && prev_loc_.line == t.loc.line && goes_on_after(prev_kind_)))
            fail("layout", t.loc,
                 "the blanks before " + describe(t) + " cover column " + std::to_string(view_width) +
                     ", the last one a viewer without line wrapping shows, after " + describe(prev_kind_) +
                     ": the line looks ended there while this continues it out of view; blanks may cover column " +
                     std::to_string(view_width) + " only after a ',', '->', '[', '(' or an operator, which show "
                     "that the line goes on (break the line, or remove the blanks)");
        if (first_col_ == 0 || t.start_col < first_col_) first_col_ = t.start_col;
        last_start_col_ = t.start_col;
        max_col_ = std::max(max_col_, t.end_col);
        if (lists_ != 0) {
            taken_text_ += t.text;
            taken_kinds_ += t.kind == Tok::number ? 'n' : t.kind == Tok::minus ? '-' : t.kind == Tok::slash ? '/' : '?';
        }
        last_end_ = t.end;
        prev_loc_ = t.loc;
        prev_kind_ = t.kind;
        have_prev_ = true;
        if (have_next_) {
            cur_ = std::move(next_);
            have_next_ = false;
        } else {
            cur_ = lexer_.next();
        }
        // A data row goes on to the next line after a token it cannot end with (docs/format.md, "Data"), if a
        // viewer shows that token: past column view_width the next line would look like a row of its own.
        if (row_line_ != 0 && t.loc.line == row_line_ && cur_.kind != Tok::end && cur_.loc.line == row_line_ + 1 &&
            row_goes_on_after(t) && t.end_col <= view_width)
            row_line_ = cur_.loc.line;
    }
    return t;
}

bool goes_on_after(Tok k) {
    switch (k) {
        case Tok::comma: case Tok::arrow: case Tok::lbracket: case Tok::lparen: case Tok::plus: case Tok::minus:
        case Tok::star: case Tok::slash: return true;
        default: return false;
    }
}

bool row_goes_on_after(const Token& t) {
    switch (t.kind) {
        case Tok::comma: case Tok::arrow: case Tok::plus: case Tok::minus: case Tok::star: case Tok::slash:
        case Tok::lparen: return true;
        case Tok::ident: return t.text == "weight";
        default: return false;
    }
}

void Cursor::unexpected(const std::string& what) const {
    fail("syntax", peek().loc, "expected " + what + ", found " + describe(peek()));
}

Token Cursor::expect(Tok k, const std::string& what) {
    if (!at(k)) unexpected(what);
    return take();
}

void Cursor::expect_word(const std::string& w) {
    if (!at_word(w)) unexpected("'" + w + "'");
    take();
}

}  // namespace nncert::script
