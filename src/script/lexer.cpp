// Hand-written lexer: comments, identifiers, exact decimal literals, strings, punctuation.
// `->` is one token (never minus then greater), which is what lets data rows read `-1 -> 3`.
#include "script/lexer.hpp"

#include <cctype>

namespace nncert::script {

namespace {

bool is_ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex_digit(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

class Lexer {
public:
    Lexer(const std::string& text, const SourceLoc& start) : s_(text), loc_(start) {
        if (s_.compare(0, 3, "\xEF\xBB\xBF") == 0) i_ = 3;  // a byte-order mark is not content
    }

    std::vector<Token> run() {
        std::vector<Token> out;
        bool newline = false;
        for (;;) {
            newline = skip_blank() || newline;
            Token t;
            t.loc = loc_;
            t.loc.offset = i_;
            t.newline_before = newline;
            newline = false;
            if (i_ >= s_.size()) {
                out.push_back(t);
                return out;
            }
            const char c = s_[i_];
            if (is_ident_start(c)) {
                t.kind = Tok::ident;
                while (i_ < s_.size() && is_ident_char(s_[i_])) t.text += take();
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
            out.push_back(std::move(t));
        }
    }

private:
    char take() {
        const char c = s_[i_++];
        if (c == '\n') {
            ++loc_.line;
            loc_.col = 1;
        } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
            ++loc_.col;  // columns count code points, not UTF-8 continuation bytes
        }
        return c;
    }

    // Skips spaces and comments; reports whether a line break was crossed.
    bool skip_blank() {
        bool newline = false;
        while (i_ < s_.size()) {
            const char c = s_[i_];
            if (c == '\n') newline = true;
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') take();
            else if (c == '#') while (i_ < s_.size() && s_[i_] != '\n') take();
            else break;
        }
        return newline;
    }

    std::string digits() {
        std::string d;
        while (i_ < s_.size() && is_digit(s_[i_])) d += take();
        return d;
    }

    std::string number(const SourceLoc& at) {
        if (s_[i_] == '0' && i_ + 1 < s_.size() && (s_[i_ + 1] == 'x' || s_[i_ + 1] == 'X')) return hex_float(at);
        std::string text = digits();
        std::size_t count = text.size();
        if (i_ < s_.size() && s_[i_] == '.') {  // `1.` (as NumPy prints it) is 1: the fraction may be empty
            text += take();
            const std::string frac = digits();
            text += frac;
            count += frac.size();
        }
        if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
            text += take();
            if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) text += take();
            const std::string exp = digits();
            if (exp.empty()) fail("bad-number", loc_, "expected digits in the exponent");
            text += exp;
            const std::size_t nz = exp.find_first_not_of('0');
            const std::string sig = nz == std::string::npos ? "0" : exp.substr(nz);
            if (sig.size() > 4 || std::stol(sig) > max_literal_exponent)
                fail("number-too-large", at,
                     "exponent beyond +-" + std::to_string(max_literal_exponent) + " (the documented limit)");
        }
        if (i_ < s_.size() && (is_ident_char(s_[i_]) || s_[i_] == '.'))
            fail("bad-number", loc_, std::string("unexpected '") + s_[i_] + "' in a number");
        if (count > max_literal_digits)
            fail("number-too-large", at,
                 "a literal with more than " + std::to_string(max_literal_digits) + " digits (the documented limit)");
        return text;
    }

    std::string hex_digits() {
        std::string d;
        while (i_ < s_.size() && is_hex_digit(s_[i_])) d += take();
        return d;
    }

    // C99 hexadecimal floating literal, as printf("%a"), float.hex() and numpy's float.hex() write it:
    // 0x1.99999ap-4 is 0x199999a * 2^(-4 - 24), an exact dyadic rational. The binary exponent is required.
    std::string hex_float(const SourceLoc& at) {
        std::string text;
        text += take();
        text += take();  // 0x
        const std::string whole = hex_digits();
        std::string frac;
        text += whole;
        if (i_ < s_.size() && s_[i_] == '.') {
            text += take();
            frac = hex_digits();
            text += frac;
        }
        if (whole.empty() && frac.empty()) fail("bad-number", loc_, "expected hexadecimal digits after 0x");
        if (i_ >= s_.size() || (s_[i_] != 'p' && s_[i_] != 'P'))
            fail("bad-number", loc_,
                 "a hexadecimal float needs a binary exponent, as in 0x1.8p+0 (hex integers are not numbers here)");
        text += take();
        if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) text += take();
        const std::string exp = digits();
        if (exp.empty()) fail("bad-number", loc_, "expected decimal digits in the binary exponent after 'p'");
        text += exp;
        if (i_ < s_.size() && (is_ident_char(s_[i_]) || s_[i_] == '.'))
            fail("bad-number", loc_, std::string("unexpected '") + s_[i_] + "' in a hexadecimal float");
        const std::size_t nz = exp.find_first_not_of('0');
        const std::string sig = nz == std::string::npos ? "0" : exp.substr(nz);
        if (sig.size() > 6 || std::stol(sig) > max_binary_exponent)
            fail("number-too-large", at,
                 "binary exponent beyond +-" + std::to_string(max_binary_exponent) + " (the documented limit)");
        if (whole.size() + frac.size() > max_literal_digits)
            fail("number-too-large", at,
                 "a literal with more than " + std::to_string(max_literal_digits) + " digits (the documented limit)");
        return text;
    }

    std::string string(const SourceLoc& at) {
        take();  // opening quote
        std::string out;
        while (i_ < s_.size() && s_[i_] != '"') {
            if (s_[i_] == '\n') break;
            if (static_cast<unsigned char>(s_[i_]) < 0x20 && s_[i_] != '\t')
                fail("syntax", loc_, "control character in a string");
            out += take();
        }
        if (i_ >= s_.size() || s_[i_] != '"') fail("syntax", at, "unterminated string (strings end on the same line)");
        take();
        return out;
    }

    Tok punct(char c) {
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
        const auto b = static_cast<unsigned char>(c);
        std::string shown = b >= 0x20 && b < 0x7F ? std::string("'") + c + "'" : "a non-ASCII or control character";
        fail("syntax", loc_, "unexpected character " + shown);
    }

    const std::string& s_;
    std::size_t i_ = 0;
    SourceLoc loc_;
};

}  // namespace

std::vector<Token> lex(const std::string& text, const SourceLoc& start) { return Lexer(text, start).run(); }

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
