// A read position in a token stream, shared by the script parser, the number parser and CSV fields.
// Its one piece of mode: a "row line" past which every token looks like Tok::eol (data rows).
#pragma once

#include "script/lexer.hpp"

#include <string>

namespace nncert::script {

// Pulls tokens from a Lexer one at a time (at most two are held), so parsing needs memory for the
// syntax tree only, not for every token of the file.
// A data row cannot end with this token (a ',', '->', an operator, '(' or the word `weight`): its row goes on to
// the next line.
bool row_goes_on_after(const Token& t);
// A line visibly goes on after this token (',', '->', '[', '(' or an operator): blanks after it may cover column
// view_width (the view rule's blank run, Cursor::take).
bool goes_on_after(Tok k);

class Cursor {
public:
    explicit Cursor(Lexer lexer);

    const Token& peek() const;
    // The token after peek() (ignores the row restriction): one token of lookahead, for `-inf`.
    const Token& peek_next();
    // Byte offset just past the last token taken (0 before any).
    std::size_t last_end() const { return last_end_; }
    bool at(Tok k) const { return peek().kind == k; }
    bool at_word(const std::string& w) const { return at(Tok::ident) && peek().text == w; }
    Token take();
    // Takes a token of kind k or fails with code "syntax": "expected <what>, found <token>".
    Token expect(Tok k, const std::string& what);
    Token expect(Tok k) { return expect(k, describe(k)); }
    void expect_word(const std::string& w);
    [[noreturn]] void unexpected(const std::string& what) const;

    // The current token begins an item (a block or a claim): it may follow any number of lines without code.
    // Every other token taken may follow at most max_quiet_lines of them (error "layout").
    void begin_item() {
        item_start_ = cur_.loc.offset;
        item_line_ = cur_.loc.line;
    }

    // Restrict reading to tokens on `line` (0 lifts the restriction). A data row goes on to the next line (and
    // the restriction moves there) when the last token taken on its line is one a row cannot end with
    // (row_goes_on_after): `1, 2,` then `3 -> 4` on the next line is one row. Never past a line without code.
    void set_row_line(std::size_t line) { row_line_ = line; }

    // While `chars` is not 0, taking a number literal longer than `chars` characters is error "layout". Claims and
    // regions compare exactly (`not loss P = 1.000...01`, a range's end), so every digit of their numbers must be
    // in view (docs/format.md, "Characters"); points and data may hold long literals (refine's centres).
    // `where` names the item in the message ("claim", "region").
    void set_literal_limit(std::size_t chars, const char* where = "") {
        literal_limit_ = chars;
        literal_where_ = where;
    }

    // The view rule (docs/format.md, "Characters"), for scripts only (CSV fields and number texts read alone have
    // no place on a line; csv.cpp checks its fields itself): outside a list, taking a token that ends past column
    // view_width is error "layout". The parser opens a list (ListScope in parser.cpp) for a data row, a point's or
    // direction's array and poly coefficients, whose numbers it checks itself (list_number_view_problem).
    void enable_view_rule() { view_rule_ = true; }
    void open_list() { ++lists_; }
    void close_list() { --lists_; }
    // The tokens taken since the last reset (their texts without blanks, and one character per token for its kind:
    // 'n' a number, '-', '/', '?' anything else), the smallest display column where one of them starts (on any of
    // its lines: a '-' past the edge of one line before a number in view on the next is seen as little as a number
    // cut at the edge) and the largest end column among them: what the parser needs to decide whether a list's
    // number that runs past the edge shows all but fraction digits (list_number_view_problem in number.hpp).
    void reset_taken() {
        max_col_ = 0;
        first_col_ = 0;
        last_start_col_ = 0;
        taken_text_.clear();
        taken_kinds_.clear();
    }
    std::size_t max_col() const { return max_col_; }
    std::size_t first_col() const { return first_col_; }
    std::size_t last_start_col() const { return last_start_col_; }  // where the last token taken starts
    const std::string& taken_text() const { return taken_text_; }
    const std::string& taken_kinds() const { return taken_kinds_; }

private:
    Lexer lexer_;
    Token cur_, next_;
    bool have_next_ = false;
    bool have_prev_ = false;
    SourceLoc prev_loc_;  // the last token taken: where the end of a data row is reported
    Tok prev_kind_ = Tok::end;
    std::size_t row_line_ = 0;
    std::size_t last_end_ = 0;
    std::size_t item_start_ = static_cast<std::size_t>(-1);  // offset of the token that began the current item
    std::size_t item_line_ = 0;
    std::size_t literal_limit_ = 0;
    const char* literal_where_ = "";
    bool view_rule_ = false;
    std::size_t lists_ = 0;
    std::size_t max_col_ = 0;
    std::size_t first_col_ = 0;  // smallest start column; 0: nothing taken since reset_taken
    std::size_t last_start_col_ = 0;  // start column of the last token taken (Token::start_col)
    std::string taken_text_, taken_kinds_;
    mutable Token eol_;  // rebuilt by peek() to point at the row's last token
};

}  // namespace nncert::script
