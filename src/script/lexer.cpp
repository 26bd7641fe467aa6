// Hand-written lazy lexer: comments, identifiers, exact decimal literals, strings, punctuation.
// `->` is one token (never minus then greater), which is what lets data rows read `-1 -> 3`.
#include "script/lexer.hpp"

#include "util/confusable.hpp"
#include "util/unicode.hpp"

#include <algorithm>
#include <cctype>

namespace nncert::script {

namespace {

bool is_ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex_digit(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

std::string name_too_long_message() {
    return "a name longer than " + std::to_string(max_name_bytes) + " characters";
}

}  // namespace

std::string identifier_problem(std::string_view text) {
    if (text.empty()) return "a name must not be empty";
    if (!is_ident_start(text[0])) return "a name must start with a letter or '_'";
    if (!std::all_of(text.begin(), text.end(), is_ident_char)) return "a name may contain only letters, digits and '_'";
    if (text.size() > max_name_bytes) return name_too_long_message();
    return "";
}

std::string string_problem(std::string_view text) {
    if (text.find('"') != std::string_view::npos) return "it holds a '\"', which would end the quoted name early";
    if (text.find_first_of("\n\r") != std::string_view::npos) return "it holds a line break, which would end the line";
    std::string quoted(1, '"');
    quoted.append(text).push_back('"');
    try {
        check_text(quoted, "<string>");
        const std::vector<Token> tokens = lex(quoted, {"<string>", 1, 1});
        if (tokens.size() != 2 || tokens[0].kind != Tok::string || tokens[1].kind != Tok::end || tokens[0].text != text)
            return "it does not read back as the same quoted name";
    } catch (const ParseError& e) {
        return e.message;
    }
    return "";
}

Lexer::Lexer(std::string_view text, const SourceLoc& start, LexMode mode) : s_(text), mode_(mode), loc_(start) {
    if (s_.substr(0, 3) == "\xEF\xBB\xBF") {
        i_ = 3;  // a byte-order mark is not content; viewers draw it as nothing, `<U+FEFF>` or 3 bytes (cut -c)
        wide_ = Wide::bom;
        wide_bom_ = true;
    }
}

Token Lexer::next() {
    newline_ = skip_blank() || newline_;
    Token t;
    t.loc = loc_;
    t.loc.offset = i_;
    t.newline_before = newline_;
    t.blank_from = blank_from_;
    t.blank_to = blank_to_;
    t.quiet_rows = quiet_rows_;
    newline_ = false;
    t.end = i_;
    // From the source, not from t.text: a number's text is normalised (an exponent's leading zeros dropped), so
    // its length is not its width on the line (review r8-11, F4: `1e-00999` at column 157 looked wholly past 160).
    t.start_col = vcol_ + 1;
    if (i_ >= s_.size()) return t;
    code_on_line_ = true;
    const char c = s_[i_];
    if (is_ident_start(c)) {
        t.kind = Tok::ident;
        const std::size_t from = i_;
        while (i_ < s_.size() && is_ident_char(s_[i_])) take();
        if (i_ - from > max_name_bytes)
            fail("name-too-long", t.loc, name_too_long_message());
        t.text.assign(s_.substr(from, i_ - from));
    } else if (is_digit(c)) {
        t.kind = Tok::number;
        t.text = number(t.loc);
    } else if (c == '"') {
        t.kind = Tok::string;
        t.text = string(t.loc);
    } else if (c == '.' && i_ + 1 < s_.size() && is_digit(s_[i_ + 1])) {
        fail("bad-number", loc_, "a number must start with a digit (write 0.5, not .5)");
    } else {
        t.kind = punct(c);
        t.text = take();
        if (t.kind == Tok::at_most) t.text += take();  // '<' '=' (punct checked the '=')
        if (t.kind == Tok::minus && i_ < s_.size() && s_[i_] == '>') {
            t.kind = Tok::arrow;
            t.text += take();
        }
    }
    t.end = i_;
    t.end_col = vcol_;
    prev_end_col_ = vcol_;
    after_long_literal(t);
    after_wide_text(t);
    return t;
}

bool may_follow_long_literal(Tok prev, Tok k) {
    const bool after_separator = prev == Tok::comma || prev == Tok::arrow || prev == Tok::lbracket;
    switch (k) {
        case Tok::comma: case Tok::arrow: case Tok::rbracket: case Tok::rbrace: case Tok::end: return true;
        case Tok::lbracket: case Tok::minus: return after_separator;
        case Tok::number: return after_separator || prev == Tok::minus;
        default: return false;
    }
}

// After text whose width depends on the viewer, nothing whose place on the line matters (docs/format.md,
// "Characters"; review r8-12 F1, F2): a combining accent is drawn 0 or 2 columns wide, a Cyrillic letter 1 or 2, a
// hexagram 1 (ICU) or 2 (glibc), a byte-order mark 0, 3 (`cut -c`) or 8 (`<U+FEFF>`), so no count of columns after
// them holds in every viewer. The rules that forbid text past column view_width count such text at its widest
// (display_columns); the rules that permit text past it (a list's number wholly past the edge, blanks that cover
// the edge after a ',') would need its narrowest. Forbidding lists and expressions on such a line closes both: every
// line with position-sensitive code is ASCII, where a character is a column in every viewer.
void Lexer::after_wide_text(const Token& t) {
    if (t.newline_before) wide_ = Wide::none;  // a new line (line 1 may have held only a comment)
    if (t.kind == Tok::end) return;
    bool ok = true;
    switch (wide_) {
        case Wide::none: break;
        case Wide::name:
            ok = t.kind == Tok::ident && t.text == "weighted";
            wide_ = Wide::done;
            break;
        case Wide::bom:
            ok = t.kind == Tok::ident && t.text == "nncert";
            wide_ = Wide::bom_version;
            break;
        case Wide::bom_version:
            ok = t.kind == Tok::number;
            wide_ = Wide::done;
            break;
        case Wide::done: ok = false; break;
    }
    if (!ok) {
        const std::string edge = std::to_string(view_width);
        if (wide_bom_)
            fail("layout", t.loc,
                 describe(t) + " stands on line 1 after a byte-order mark: viewers draw it 0 to 8 columns wide "
                               "(nothing, 3 bytes for `cut -c`, `<U+FEFF>`), so nncert cannot know where column " +
                     edge + " falls on that line; line 1 may hold only `nncert 1` (and a comment): put this on the "
                            "next line");
        fail("layout", t.loc,
             describe(t) + " follows a quoted file name with non-ASCII characters on its line: viewers draw a "
                           "non-ASCII character 0 to 2 columns wide (a combining accent, a Cyrillic or CJK letter; "
                           "`cut -c` may count its bytes), so nncert cannot know where column " +
                 edge + " falls after it; after such a name its line may hold only `weighted` and a comment: put "
                        "this on the next line");
    }
    if (t.kind == Tok::string && std::any_of(t.text.begin(), t.text.end(), [](char c) { return (c & 0x80) != 0; })) {
        wide_ = Wide::name;
        wide_bom_ = false;
    }
}

// The width rule's last part (docs/format.md, "Characters"): what may follow a long literal on its line.
void Lexer::after_long_literal(const Token& t) {
    if (t.newline_before) long_literal_ = 0;
    if (long_literal_ != 0) {
        if (!may_follow_long_literal(prev_, t.kind))
            fail("layout", t.loc,
                 describe(t) + " comes after a number of " +
                     std::to_string(long_literal_) +
                     " characters on this line: a viewer without line wrapping shows that number up to its right "
                     "edge and not what follows it; after a number longer than " + std::to_string(literal_view) +
                     " characters a line may hold only more list values (',', '->', ']', '}' and numbers): put "
                     "this on the next line");
    }
    if (t.kind == Tok::number && t.end - t.loc.offset > literal_view) long_literal_ = t.end - t.loc.offset;
    prev_ = t.kind;
}

char Lexer::take() {
    const char c = s_[i_++];
    if (c == '\n') {
        ++loc_.line;
        loc_.col = 1;
        vcol_ = 0;
        code_on_line_ = false;
    } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
        ++loc_.col;  // columns count code points, not UTF-8 continuation bytes
        // Display columns: a wide (CJK) character takes two (review r8-9 F2). The gate checked the UTF-8.
        char32_t cp = static_cast<unsigned char>(c);
        if (cp >= 0x80 && util::decode_utf8(s_, i_ - 1, cp) == 0) cp = 0xFFFD;
        vcol_ = c == '\t' ? after_blank(vcol_, c) : vcol_ + std::size_t(util::display_columns(cp));
    }
    return c;
}

// Skips spaces and comments; reports whether a line break was crossed. (The gate lets CR through only
// in CRLF, so LF alone decides where lines end.)
// The blanks just before a token on its line may span at most max_blank_columns display columns (tab stops
// every 8; outside comments everything is ASCII, so a code point is a column): text far to the right of a
// run of blanks is hidden in an editor without line wrapping. A comment or a line end resets the run.
bool Lexer::skip_blank() {
    bool newline = false;
    std::size_t from = 0, to = 0;  // display columns of the current run of blanks (from == to: none)
    quiet_rows_ = 0;
    while (i_ < s_.size()) {
        const char c = s_[i_];
        if (c == '\t' && mode_ == LexMode::script)
            fail("layout", loc_,
                 "a TAB outside a comment: viewers draw a TAB 1 to 8 columns wide (`cut -c` counts one character, "
                 "editors use tab sizes 4 or 8), so nncert cannot know what is in view after it; use spaces");
        if (c == ' ' || c == '\t') {
            if (from == to) from = vcol_;
            take();
            to = vcol_;
        } else if (c == '\r' || c == '\n') {
            if (c == '\n') count_rows();
            newline = newline || c == '\n';
            from = to = 0;
            take();
        } else if (c == '#' && mode_ == LexMode::script) {
            comment();
            from = to = 0;
        } else {
            break;
        }
    }
    if (i_ < s_.size() && to - from > max_blank_columns) fail_hidden_text(loc_, to - from);
    blank_from_ = from;
    blank_to_ = to;
    return newline;
}

// Adds the screen rows of the line that ends at s_[i_] (a LF) to quiet_rows_ (Token::quiet_rows): a line without
// code is max(1, ceil(width / view_width)) rows in a viewer that wraps at view_width columns, and on the previous
// token's line the rows after the one it ends on count (a comment or blanks after it).
void Lexer::count_rows() {
    const std::size_t width = vcol_ - (i_ > 0 && s_[i_ - 1] == '\r' ? 1 : 0);  // a CR before the LF shows nothing
    const auto rows = [](std::size_t columns) { return (columns + view_width - 1) / view_width; };
    if (code_on_line_)
        quiet_rows_ += rows(width) - std::min(rows(width), rows(prev_end_col_));
    else
        quiet_rows_ += std::max<std::size_t>(1, rows(width));
}

// Right-to-left letters in comments (docs/format.md, "Characters"; review r8-10, F2). A viewer that follows the
// text takes a line's base direction from its first strong letter (UAX #9, P2/P3), and GTK editors (gedit, GNOME
// Text Editor: Pango's auto-dir) give a line without strong letters, such as the data row `1 -> 0`, the direction of
// the lines around it. So in a comment after code no right-to-left letter may stand at all, and in a comment on a
// line of its own the first strong letter must be left-to-right (`# note: שלום`): then every line of a script
// that has a strong letter is left-to-right, and so is every line's context.
void Lexer::comment() {
    const bool after_code = code_on_line_;
    bool ltr_seen = false;  // a strong left-to-right letter earlier in the comment (without code: on the line)
    while (i_ < s_.size() && s_[i_] != '\n') {
        char32_t cp = 0;
        const std::size_t len = util::decode_utf8(s_, i_, cp);
        if (len > 1 && util::is_strong_rtl(cp)) {
            if (after_code)
                fail("forbidden-character", loc_,
                     util::code_point_name(cp) +
                         ": a right-to-left letter in a comment after code can make a viewer show that code right "
                         "to left; put the comment on a line of its own");
            if (!ltr_seen)
                fail("forbidden-character", loc_,
                     util::code_point_name(cp) +
                         ": a comment whose first letter is right-to-left makes viewers show the lines after it right "
                         "to left; start the comment with a left-to-right word (`# note: ...`)");
        } else if (util::is_strong_ltr(cp)) {
            ltr_seen = true;
        }
        for (std::size_t k = 0; k < std::max<std::size_t>(len, 1); ++k) take();
    }
}

// Appends digits to `out` while there are digits; fails once more than `limit` have been seen, so a huge
// literal is rejected after reading limit + 1 digits. Returns how many digits were read.
std::size_t Lexer::digits(std::string& out, std::size_t limit, const SourceLoc& at) {
    std::size_t n = 0;
    while (i_ < s_.size() && is_digit(s_[i_])) {
        if (++n > limit)
            fail("number-too-large", at,
                 "a literal with more than " + std::to_string(max_literal_digits) + " digits (the documented limit)");
        out += take();
    }
    return n;
}

// Reads the digits of an exponent (after its sign) into `out`, without leading zeros, and fails as soon as
// their value passes `limit` (so a huge exponent is rejected early), or their count, leading zeros included,
// passes max_exponent_digits (error "layout": `1e` + 997 zeros + `1` is 10 while a viewer shows 1e000...).
// `what` names the exponent in messages.
void Lexer::exponent(std::string& out, long limit, const SourceLoc& at, const std::string& what) {
    std::string exp;
    std::size_t count = 0;
    while (i_ < s_.size() && is_digit(s_[i_])) {
        const char c = take();
        if (!exp.empty() || c != '0') exp += c;
        if (exp.size() > 7 || (!exp.empty() && std::stol(exp) > limit))
            fail("number-too-large", at, what + " beyond +-" + std::to_string(limit) + " (the documented limit)");
        if (++count > max_exponent_digits)
            fail("layout", at,
                 "the " + what + " of this number has more than " + std::to_string(max_exponent_digits) +
                     " digits (leading zeros count): a viewer without line wrapping shows its first zeros and "
                     "not its value; write the exponent without leading zeros");
    }
    out += exp.empty() ? std::string("0") : exp;
}

void Lexer::exponent_in_view(const std::string& before, const SourceLoc& at) const {
    if (before.size() <= max_chars_before_exponent) return;
    fail("layout", at,
         "the exponent of this number comes after " + std::to_string(before.size()) + " characters (at most " +
             std::to_string(max_chars_before_exponent) +
             "): it changes the value of the digits before it, which a viewer without line wrapping shows alone; "
             "write at most " + std::to_string(max_chars_before_exponent) +
             " characters before the exponent (5e-999, not 0.000...5e1)");
}

// `chars`: the characters of a literal's integer part (`0x` included), which a viewer must show whole.
void Lexer::integer_in_view(std::size_t chars, const SourceLoc& at) const {
    if (chars <= max_chars_before_point) return;
    fail("layout", at,
         "the integer part of this number has " + std::to_string(chars) + " characters (at most " +
             std::to_string(max_chars_before_point) +
             "): a viewer without line wrapping shows 0000... or 1000... up to its right edge, not the number's "
             "size; write it without leading zeros, or with an exponent (1e999, 5e70)");
}

std::string Lexer::number(const SourceLoc& at) {
    if (s_[i_] == '0' && i_ + 1 < s_.size() && (s_[i_ + 1] == 'x' || s_[i_ + 1] == 'X')) return hex_float(at);
    std::string text;
    std::size_t count = digits(text, max_literal_digits, at);
    integer_in_view(text.size(), at);
    if (i_ < s_.size() && s_[i_] == '.') {  // `1.` (as NumPy prints it) is 1: the fraction may be empty
        text += take();
        count += digits(text, max_literal_digits - count, at);
    }
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
        exponent_in_view(text, at);
        text += take();
        if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) text += take();
        if (i_ >= s_.size() || !is_digit(s_[i_])) fail("bad-number", loc_, "expected digits in the exponent");
        exponent(text, max_literal_exponent, at, "exponent");
    }
    if (i_ < s_.size() && (is_ident_char(s_[i_]) || s_[i_] == '.'))
        fail("bad-number", loc_, std::string("unexpected '") + s_[i_] + "' in a number");
    return text;
}

// C99 hexadecimal floating literal, as printf("%a"), float.hex() and numpy's float.hex() write it:
// 0x1.99999ap-4 is 0x199999a * 2^(-4 - 24), an exact dyadic rational. The binary exponent is required.
std::string Lexer::hex_float(const SourceLoc& at) {
    std::string text;
    text += take();
    text += take();  // 0x
    std::size_t count = 0;
    auto hex_digits = [&] {
        std::size_t n = 0;
        while (i_ < s_.size() && is_hex_digit(s_[i_])) {
            if (++count > max_literal_digits)
                fail("number-too-large", at,
                     "a literal with more than " + std::to_string(max_literal_digits) + " digits (the documented limit)");
            text += take();
            ++n;
        }
        return n;
    };
    const std::size_t whole = hex_digits();
    integer_in_view(text.size(), at);
    std::size_t frac = 0;
    if (i_ < s_.size() && s_[i_] == '.') {
        text += take();
        frac = hex_digits();
    }
    if (whole == 0 && frac == 0) fail("bad-number", loc_, "expected hexadecimal digits after 0x");
    if (i_ >= s_.size() || (s_[i_] != 'p' && s_[i_] != 'P'))
        fail("bad-number", loc_,
             "a hexadecimal float needs a binary exponent, as in 0x1.8p+0 (hex integers are not numbers here)");
    exponent_in_view(text, at);
    text += take();
    if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) text += take();
    if (i_ >= s_.size() || !is_digit(s_[i_]))
        fail("bad-number", loc_, "expected decimal digits in the binary exponent after 'p'");
    exponent(text, max_binary_exponent, at, "binary exponent");
    if (i_ < s_.size() && (is_ident_char(s_[i_]) || s_[i_] == '.'))
        fail("bad-number", loc_, std::string("unexpected '") + s_[i_] + "' in a hexadecimal float");
    return text;
}

std::string Lexer::string(const SourceLoc& at) {
    take();  // opening quote
    std::string out;
    std::size_t spaces = 0;
    while (i_ < s_.size() && s_[i_] != '"' && s_[i_] != '\n' && s_[i_] != '\r') {
        char32_t cp = 0;
        const std::size_t len = util::decode_utf8(s_, i_, cp);
        if (cp == '\t' || util::is_invisible(cp) || util::is_font_dependent(cp))
            fail("forbidden-character", loc_,
                 util::code_point_name(cp) + " in a string: a file name must show every character it has");
        // As in a comment after code: right-to-left letters reorder how the name is shown (a '/' between two
        // of them takes their direction, so a/b/d.csv in Hebrew letters shows as b/a/d.csv: another folder).
        if (len > 1 && util::is_strong_rtl(cp))
            fail("forbidden-character", loc_,
                 util::code_point_name(cp) +
                     ": a right-to-left letter in a file name makes a viewer show the path's parts in another order "
                     "(another file); rename the file or folder");
        if (out.size() + len > max_string_bytes)
            fail("name-too-long", at, "a string longer than " + std::to_string(max_string_bytes) + " bytes");
        // A file name with a long run of spaces hides the rest of the line as blanks before a token do.
        spaces = cp == ' ' ? spaces + 1 : 0;
        if (spaces > max_blank_columns) fail_hidden_text(loc_, spaces);
        for (std::size_t k = 0; k < len; ++k) out += take();
    }
    if (i_ >= s_.size() || s_[i_] != '"') fail("syntax", at, "unterminated string (strings end on the same line)");
    // A name that shows like another one (mixed scripts, another normal form, an ASCII look-alike) would
    // make a reader open a different file than the one checked (review r8-8: homoglyphs).
    if (const std::string why = util::confusable_name_problem(out); !why.empty())
        fail("forbidden-character", at, "this file name could pass for another: " + why);
    take();
    return out;
}

Tok Lexer::punct(char c) {
    switch (c) {
        case '{': return Tok::lbrace;
        case '}': return Tok::rbrace;
        case '[': return Tok::lbracket;
        case ']': return Tok::rbracket;
        case '(': return Tok::lparen;
        case ')': return Tok::rparen;
        case ',': return Tok::comma;
        case '=': return Tok::equals;
        case '>': return Tok::greater;
        case '<':
            if (i_ + 1 < s_.size() && s_[i_ + 1] == '=') return Tok::at_most;
            break;
        case '+': return Tok::plus;
        case '-': return Tok::minus;
        case '*': return Tok::star;
        case '/': return Tok::slash;
        default: break;
    }
    bad_character();
}

void Lexer::bad_character() {
    char32_t cp = 0;
    util::decode_utf8(s_, i_, cp);
    if (util::is_invisible(cp))
        fail("forbidden-character", loc_,
             util::code_point_name(cp) + ": an invisible character outside a comment");
    std::string shown = "'";
    if (cp >= 0x20 && cp != 0x7F) util::append_utf8(shown, cp);
    shown += "' (" + util::code_point_name(cp) + ")";
    if (cp == '#') shown += ": a CSV field has no comments";
    fail("syntax", loc_, "unexpected character " + shown);
}

std::vector<Token> lex(const std::string& text, const SourceLoc& start, LexMode mode) {
    Lexer lexer(text, start, mode);
    std::vector<Token> out;
    do out.push_back(lexer.next());
    while (out.back().kind != Tok::end);
    return out;
}

std::string describe(Tok k) {
    switch (k) {
        case Tok::ident: return "a name";
        case Tok::number: return "a number";
        case Tok::string: return "a quoted file name";
        case Tok::lbrace: return "'{'";
        case Tok::rbrace: return "'}'";
        case Tok::lbracket: return "'['";
        case Tok::rbracket: return "']'";
        case Tok::lparen: return "'('";
        case Tok::rparen: return "')'";
        case Tok::comma: return "','";
        case Tok::equals: return "'='";
        case Tok::greater: return "'>'";
        case Tok::at_most: return "'<='";
        case Tok::arrow: return "'->'";
        case Tok::plus: return "'+'";
        case Tok::minus: return "'-'";
        case Tok::star: return "'*'";
        case Tok::slash: return "'/'";
        case Tok::end: return "end of file";
        case Tok::eol: return "end of line (a data row must fit on one line)";
    }
    return "?";
}

std::string describe(const Token& t) {
    switch (t.kind) {
        case Tok::ident: return "'" + t.text + "'";
        case Tok::number: return "number " + t.text;
        case Tok::string: return "\"" + t.text + "\"";
        default: return describe(t.kind);
    }
}

}  // namespace nncert::script
