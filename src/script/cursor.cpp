// Token cursor with "expected X, found Y" syntax errors.
// Data rows are one per line; the cursor enforces that by hiding tokens on later lines.
#include "script/cursor.hpp"

namespace nncert::script {

Cursor::Cursor(std::vector<Token> tokens) : toks_(std::move(tokens)) {
    if (toks_.empty() || toks_.back().kind != Tok::end) toks_.push_back(Token{});
    eol_.kind = Tok::eol;
}

const Token& Cursor::peek() const {
    const Token& t = toks_[i_];
    if (row_line_ != 0 && t.loc.line != row_line_) {
        eol_.loc = i_ > 0 ? toks_[i_ - 1].loc : t.loc;
        return eol_;
    }
    return t;
}

Token Cursor::take() {
    Token t = peek();
    if (t.kind != Tok::end && t.kind != Tok::eol) {
        ++i_;
        last_end_ = t.end;
    }
    return t;
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
