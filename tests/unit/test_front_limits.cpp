// The front end's documented limits (docs/limits.md), each at its boundary: the largest allowed value
// parses, one more is rejected with the documented code. The file size limit is in hostile_files.
#include "script/lexer.hpp"
#include "script/number.hpp"
#include "script/script.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

using nncert::script::ParseError;
using nncert::script::parse_text;

namespace {

const std::string data = "data {\n  0 -> 0\n  1 -> 1\n}\n";
const std::string net = "network {\n  input 1\n  dense 1 identity\n}\nloss sse\n";

std::string code_of(const std::string& text) {
    try {
        parse_text(text, "t.nnc", ".");
    } catch (const ParseError& e) {
        return e.code;
    }
    return "none";
}

// A script whose one claim states the loss of point p as `value` (true or not: only parsing matters).
std::string with_value(const std::string& value) {
    return "nncert 1\n" + data + net + "point p {\n  W1 = [[1]]\n  b1 = [0]\n}\nclaim loss p = " + value + "\n";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(front_limits)

// In a point, where a literal may be longer than 64 characters (a claim's may not; its integer part never is:
// the width rule, docs/format.md "Characters").
BOOST_AUTO_TEST_CASE(literal_digits) {
    const auto in_point = [](const std::string& value) {
        return "nncert 1\n" + data + net + "point p {\n  W1 = [[" + value + "]]\n  b1 = [0]\n}\n";
    };
    BOOST_TEST(code_of(in_point(std::string(nncert::script::max_literal_digits + 1, '7'))) == "number-too-large");
    BOOST_TEST(code_of(in_point("1." + std::string(nncert::script::max_literal_digits - 1, '7'))) == "none");
    BOOST_TEST(code_of(in_point("1." + std::string(nncert::script::max_literal_digits, '7'))) == "number-too-large");
    BOOST_TEST(code_of(in_point("0." + std::string(nncert::script::max_literal_digits - 1, '7'))) == "none");
}

// A literal far over the limit is rejected after reading the limit's worth of digits, not all of it.
BOOST_AUTO_TEST_CASE(a_huge_literal_is_rejected_early) {
    const std::string huge(std::size_t{1} << 24, '9');  // 16 MB of digits
    BOOST_TEST(code_of(with_value(huge)) == "number-too-large");
    // 1e1, but its exponent's 16 MB of leading zeros pass the 5 exponent digits: layout, after reading 6 digits.
    BOOST_TEST(code_of(with_value("1e" + std::string(std::size_t{1} << 24, '0') + "1")) == "layout");
    BOOST_TEST(code_of(with_value("1e" + std::string(std::size_t{1} << 24, '9'))) == "number-too-large");
}

BOOST_AUTO_TEST_CASE(literal_exponent) {
    BOOST_TEST(code_of(with_value("1e1000")) == "none");
    BOOST_TEST(code_of(with_value("1e-1000")) == "none");
    BOOST_TEST(code_of(with_value("1e1001")) == "number-too-large");
    BOOST_TEST(code_of(with_value("1e-1001")) == "number-too-large");
}

BOOST_AUTO_TEST_CASE(expression_nesting) {
    const int d = nncert::script::max_expr_depth;
    // n copies of c, 100 a line (outside a list every token ends within column 160: the view rule).
    const auto run = [](std::size_t n, char c) {
        std::string out;
        for (std::size_t i = 0; i < n; ++i) out += (i % 100 == 99 ? std::string(1, c) + "\n" : std::string(1, c));
        return out;
    };
    BOOST_TEST(code_of(with_value(run(d, '(') + "1" + run(d, ')'))) == "none");
    BOOST_TEST(code_of(with_value(run(d + 1, '(') + "1" + run(d + 1, ')'))) == "bad-number");
    // The first '-' is the expression's sign; each further one is a nested factor.
    BOOST_TEST(code_of(with_value(run(d + 1, '-') + "1")) == "none");
    BOOST_TEST(code_of(with_value(run(d + 2, '-') + "1")) == "bad-number");
}

BOOST_AUTO_TEST_CASE(widths) {
    // No point, so nothing is allocated for the parameters: only the declared sizes are checked. A width of
    // 1000000 passes the width check (a bias-free layer on one input has exactly the 1000000 parameters the
    // parameter limit allows; the rows then have the wrong shape).
    BOOST_TEST(code_of("nncert 1\n" + data + "network {\n  input 1\n  dense 1000000 relu nobias\n}\nloss sse\n") ==
               "dimension");
    BOOST_TEST(code_of("nncert 1\n" + data + "network {\n  input 1\n  dense 1000001 relu nobias\n}\nloss sse\n") ==
               "bad-value");
    BOOST_TEST(code_of("nncert 1\n" + data + "network {\n  input 1000001\n  dense 1 relu\n}\nloss sse\n") ==
               "bad-value");
}

BOOST_AUTO_TEST_CASE(names_and_strings) {
    const std::string ok(nncert::script::max_name_bytes, 'p'), long_name(nncert::script::max_name_bytes + 1, 'p');
    const std::string point = "point NAME {\n  W1 = [[1]]\n  b1 = [0]\n}\n";
    auto named = [&](const std::string& n) {
        std::string s = "nncert 1\n" + data + net + point;
        s.replace(s.find("NAME"), 4, n);
        return s;
    };
    BOOST_TEST(code_of(named(ok)) == "none");
    BOOST_TEST(code_of(named(long_name)) == "name-too-long");
    auto file = [&](std::size_t n) { return "nncert 1\ndata \"" + std::string(n, 'f') + "\"\n" + net; };
    BOOST_TEST(code_of(file(140)) == "io");  // accepted; no such file
    // A name that reaches past column 160 is hidden in a viewer (the view rule, docs/limits.md) ...
    BOOST_TEST(code_of(file(nncert::script::max_string_bytes)) == "layout");
    // ... and past 4096 bytes the lexer stops reading it.
    BOOST_TEST(code_of(file(nncert::script::max_string_bytes + 1)) == "name-too-long");
}

BOOST_AUTO_TEST_CASE(precision_bits) {
    auto with_precision = [&](const std::string& bits) { return with_value("0") + "precision " + bits + "\n"; };
    BOOST_TEST(code_of(with_precision(std::to_string(nncert::script::min_precision_bits))) == "none");
    BOOST_TEST(code_of(with_precision(std::to_string(nncert::script::min_precision_bits - 1))) == "bad-value");
    BOOST_TEST(code_of(with_precision(std::to_string(nncert::script::max_precision_bits))) == "none");
    BOOST_TEST(code_of(with_precision(std::to_string(nncert::script::max_precision_bits + 1))) == "bad-value");
}

// `1e1000 * 1e1000 * ...` with 10,000 factors took 116 s: every step now stays within max_number_bits.
BOOST_AUTO_TEST_CASE(number_expressions_are_bounded_at_every_step) {
    std::string product = "1e1000";
    // Ten factors a line: the view rule (docs/limits.md) rejects a line wider than 160 columns first.
    for (int i = 0; i < 10000; ++i) product += (i % 10 == 9 ? "\n * 1e1000" : " * 1e1000");
    BOOST_TEST(code_of(with_value(product)) == "number-too-large");
    std::string quotient = "1";
    for (int i = 0; i < 10000; ++i) quotient += (i % 10 == 9 ? "\n / 1e1000" : " / 1e1000");
    BOOST_TEST(code_of(with_value(quotient)) == "number-too-large");
    // At the boundary: 2^65535 has 65536 bits and is allowed; 2^65536 is not. (16384 + 16384 + 16384 +
    // 16383 = 65535.)
    BOOST_TEST(code_of(with_value("0x1p16384 * 0x1p16384 * 0x1p16384 * 0x1p16383")) == "none");
    BOOST_TEST(code_of(with_value("0x1p16384 * 0x1p16384 * 0x1p16384 * 0x1p16384")) == "number-too-large");
    BOOST_TEST(code_of(with_value("1 / (0x1p16384 * 0x1p16384 * 0x1p16384 * 0x1p16384)")) == "number-too-large");
    BOOST_TEST(code_of(with_value("0x1p16384 * 0x1p16384 * 0x1p16384 * 0x1p16384 / 2")) == "number-too-large");
    // Sums: the same bound (a sum of many reciprocals grows its denominator).
    std::string harmonic = "0";
    for (int k = 1; k <= 60000; ++k) harmonic += (k % 10 == 0 ? "\n + 1/" : " + 1/") + std::to_string(k);
    BOOST_TEST(code_of(with_value(harmonic)) == "number-too-large");
    // CSV fields go through the same parser.
    BOOST_TEST(nncert::script::parse_number("2 * 0x1p16384 * 0x1p16384 * 0x1p16383") ==
               nncert::kernel::Rational(boost::multiprecision::pow(nncert::kernel::Integer(2), 49152)));
}

BOOST_AUTO_TEST_SUITE_END()
