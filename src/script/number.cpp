// Exact decimal literals and arithmetic expressions over rationals.
// Integers are built from digit strings as mpz values; a rational is only ever a quotient of two of them.
#include "script/number.hpp"

#include <algorithm>

#include "script/script.hpp"

namespace nncert::script {

using kernel::Integer;
using kernel::Rational;

namespace {

Integer pow10(std::size_t e) {
    Integer r = 1;
    if (e > 0) r = boost::multiprecision::pow(Integer(10), static_cast<unsigned>(e));
    return r;
}

// The value, once its size is known to be within max_number_bits (number-too-large at `at` otherwise).
const Rational& bounded(const Rational& v, const SourceLoc& at) {
    check_reading_deadline(at);
    const auto too_big = [](const Integer& n) { return n != 0 && boost::multiprecision::msb(n) >= max_number_bits; };
    if (too_big(boost::multiprecision::abs(boost::multiprecision::numerator(v))) ||
        too_big(boost::multiprecision::denominator(v)))
        fail("number-too-large", at,
             "a number with a numerator or denominator over " + std::to_string(max_number_bits) +
                 " bits (about 19,700 digits; the documented limit on every step of a number expression)");
    return v;
}

class ExprParser {
public:
    explicit ExprParser(Cursor& in) : in_(in) {}

    Rational expr() {
        Rational v;
        if (in_.at(Tok::plus)) {
            in_.take();
            v = term();
        } else if (in_.at(Tok::minus)) {
            in_.take();
            v = -term();
        } else {
            v = term();
        }
        while (in_.at(Tok::plus) || in_.at(Tok::minus)) {
            const SourceLoc at = in_.peek().loc;
            const bool plus = in_.take().kind == Tok::plus;
            const Rational t = term();
            v = plus ? Rational(v + t) : Rational(v - t);
            bounded(v, at);
        }
        return v;
    }

private:
    Rational term() {
        Rational v = factor();
        while (in_.at(Tok::star) || in_.at(Tok::slash)) {
            const SourceLoc op = in_.peek().loc;
            const bool times = in_.take().kind == Tok::star;
            const SourceLoc at = in_.peek().loc;
            const Rational f = factor();
            if (times) {
                v *= f;
            } else {
                if (f.sign() == 0) fail("zero-denominator", at, "division by zero");
                v /= f;
            }
            bounded(v, op);
        }
        return v;
    }

    Rational factor() {
        if (in_.at(Tok::number)) {
            const Token t = in_.take();
            return bounded(decimal_value(t.text), t.loc);
        }
        if (!in_.at(Tok::lparen) && !in_.at(Tok::minus)) in_.unexpected("a number");
        if (++depth_ > max_expr_depth)
            fail("bad-number", in_.peek().loc,
                 "expression nested deeper than " + std::to_string(max_expr_depth) + " levels");
        Rational v;
        if (in_.take().kind == Tok::minus) {
            v = -factor();
        } else {
            v = expr();
            in_.expect(Tok::rparen, "')' or an operator");
        }
        --depth_;
        return v;
    }

    Cursor& in_;
    int depth_ = 0;
};

}  // namespace

// literal = '0x' hexdigits ['.' hexdigits] ('p'|'P') ['+'|'-'] digits, validated by the lexer: mantissa times 2^e.
static Rational hex_value(const std::string& literal) {
    const std::size_t ppos = literal.find_first_of("pP");
    long exp = std::stol(literal.substr(ppos + 1));
    std::string mant = literal.substr(2, ppos - 2);
    if (const std::size_t dot = mant.find('.'); dot != std::string::npos) {
        exp -= 4 * static_cast<long>(mant.size() - dot - 1);
        mant.erase(dot, 1);
    }
    Integer num = 0;
    for (char c : mant) num = num * 16 + (c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
    const Integer p2 = boost::multiprecision::pow(Integer(2), static_cast<unsigned>(exp < 0 ? -exp : exp));
    if (exp >= 0) return Rational(Integer(num * p2));
    return Rational(num) / Rational(p2);
}

Rational decimal_value(const std::string& literal) {
    if (literal.size() > 1 && (literal[1] == 'x' || literal[1] == 'X')) return hex_value(literal);
    // literal = digits ['.' [digits]] [('e'|'E') ['+'|'-'] digits], already validated by the lexer.
    const std::size_t epos = literal.find_first_of("eE");
    const std::string mant = literal.substr(0, epos);
    long exp = epos == std::string::npos ? 0 : std::stol(literal.substr(epos + 1));
    std::string digits = mant;
    const std::size_t dot = mant.find('.');
    if (dot != std::string::npos) {
        digits = mant.substr(0, dot) + mant.substr(dot + 1);
        exp -= static_cast<long>(mant.size() - dot - 1);
    }
    // Boost reads a leading 0 as an octal prefix, so strip leading zeros before the exact conversion.
    const std::size_t nz = digits.find_first_not_of('0');
    const Integer num(nz == std::string::npos ? std::string("0") : digits.substr(nz));
    if (exp >= 0) return Rational(Integer(num * pow10(static_cast<std::size_t>(exp))));
    return Rational(num) / Rational(pow10(static_cast<std::size_t>(-exp)));
}

Rational parse_expr(Cursor& in) {
    check_reading_deadline(in.peek().loc);
    return ExprParser(in).expr();
}

namespace {

// A run of at most 960 digits (no sign) as a flat sum of pieces of at most 64 digits, each times a power of
// ten: `c0 * 1e128 + c1 * 1e64 + c2`, zero pieces left out. Every literal fits the width rule (lexer.hpp,
// literal_view), and every partial sum is at most the run's value.
std::string short_pieces(const std::string& run) {
    const std::size_t piece = literal_view;
    std::size_t first = run.size() % piece;
    if (first == 0) first = piece;
    std::string out;
    for (std::size_t i = 0, len = first; i < run.size(); i += len, len = piece) {
        const std::string chunk = run.substr(i, len);
        const std::size_t nz = chunk.find_first_not_of('0');
        if (nz == std::string::npos) continue;
        const std::size_t after = run.size() - i - len;  // digits after this piece: its power of ten
        if (!out.empty()) out += " + ";
        out += chunk.substr(nz);
        if (after > 0) out += " * 1e" + std::to_string(after);
    }
    return out.empty() ? std::string("0") : out;
}

// Text of a whole number n >= 0 that parses back to n with every literal and intermediate result within
// the limits, and every literal within the width rule (see number_text).
std::string integer_text(const Integer& n) {
    const std::string s = n.str();
    if (s.size() <= literal_view) return s;
    const std::size_t zeros = s.size() - 1 - s.find_last_not_of('0');
    // `m e t` only when the whole literal, exponent included, stays within the width rule (at most literal_view
    // characters, so any operator may follow it: fuzz finding of 1 December 2026, a 60-digit m with `e1000`
    // written before `/33`), which also keeps the exponent in view (lexer: max_chars_before_exponent).
    std::string exponent = "e";  // appended: `"e" + str` trips GCC 12's -Wstringop-overflow false positive
    exponent += std::to_string(zeros);
    static_assert(max_chars_before_exponent >= literal_view, "a literal within literal_view has its exponent in view");
    if (s.size() - zeros + exponent.size() <= literal_view && zeros <= static_cast<std::size_t>(max_literal_exponent))
        return s.substr(0, s.size() - zeros) + exponent;
    // Horner form in base 10^960 over runs of 960 digits, each a flat sum of 64-digit pieces: every
    // intermediate value is at most max(n, 10^960), and parentheses nest at most 21 deep (n has at most
    // max_number_bits bits, about 19,730 digits; max_expr_depth is 256).
    const std::size_t run = 15 * literal_view;
    std::size_t first = s.size() % run;
    if (first == 0) first = run;
    std::string out = short_pieces(s.substr(0, first));
    for (std::size_t i = first; i < s.size(); i += run) {
        const std::string pieces = short_pieces(s.substr(i, run));
        out = (out.find(' ') == std::string::npos ? out : "(" + out + ")") + " * 1e" + std::to_string(run);
        if (pieces != "0") out += " + " + pieces;
    }
    return out;
}

}  // namespace

std::string number_text(const Rational& q) {
    const Integer num = boost::multiprecision::numerator(q), den = boost::multiprecision::denominator(q);
    const auto wrap = [](std::string t) { return t.find(' ') == std::string::npos ? t : "(" + t + ")"; };
    std::string s = num < 0 ? "-" : "";
    const std::string n = integer_text(boost::multiprecision::abs(num));
    if (den == 1) return s + (s.empty() ? n : wrap(n));
    s += wrap(n);
    s += '/';  // appended in two steps: `"/" + str` trips a GCC 12 -Wrestrict false positive at -O2
    s += wrap(integer_text(den));
    return s;
}

bool written_as_one_number(const std::string& text, const std::string& kinds, const Rational& value) {
    if (kinds == "n" || kinds == "-n" || kinds == "n/n" || kinds == "-n/n") return true;
    std::string canonical = number_text(value);
    canonical.erase(std::remove(canonical.begin(), canonical.end(), ' '), canonical.end());
    return text == canonical;
}

std::string list_number_view_problem(const std::string& text, const std::string& kinds, std::size_t first_col,
                                     std::size_t literal_col, const Rational& value) {
    if (first_col > view_width)
        return written_as_one_number(text, kinds, value)
                   ? std::string()
                   : "is an expression: past the edge a list may hold only whole numbers (one literal, a fraction p/q "
                     "of two, or the form nncert print writes); compute it, or break the line before the edge";
    const std::string edge = std::to_string(view_width);
    const std::string starts = "starts within it, so a viewer shows only its start: ";
    const std::string fix = "; break the line before it (docs/format.md, \"Characters\")";
    if (kinds != "n" && kinds != "-n")
        return starts + "only one decimal literal, whose digits past the edge are fraction digits, may do that (`1/` "
                        "at the edge may be 1/1000000)" + fix;
    const std::string literal = kinds == "n" ? text : text.substr(1);
    if (literal.find_first_not_of("0123456789.") != std::string::npos)
        return starts + "a literal with an exponent or in hexadecimal may not (`1` at the edge may be 1e-999)" + fix;
    const std::size_t point = literal.find('.');
    if (point == std::string::npos || literal_col + point > view_width)
        return starts + "its decimal point must stand within column " + edge +
               ", so that only fraction digits are out of view (`12` at the edge may be 12345)" + fix;
    return "";
}

Rational parse_number(const std::string& text) {
    const std::string file = "<number>";
    check_text(text, file);
    Cursor in(Lexer(text, {file, 1, 1}));
    const Rational v = parse_expr(in);
    if (!in.at(Tok::end)) in.unexpected("end of the number expression");
    return v;
}

}  // namespace nncert::script
