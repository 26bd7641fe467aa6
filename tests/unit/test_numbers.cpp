// Unit tests of the exact number parser (src/script/number.cpp): decimals, expressions, limits.
// Values are compared as exact rationals built from integers, never from doubles.
#include "script/script.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

using nncert::kernel::Rational;
using nncert::script::ParseError;
using nncert::script::parse_number;

namespace {

Rational q(long p, long d = 1) { return Rational(p) / Rational(d); }

std::string number_error(const std::string& text) {
    try {
        parse_number(text);
    } catch (const ParseError& e) {
        return e.code;
    }
    return "none";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(numbers)

// Every float32/float64 is a dyadic rational; C99 hex floats (float.hex(), printf %a) carry it exactly.
BOOST_AUTO_TEST_CASE(hex_floats_and_numpy_decimals_are_exact) {
    BOOST_TEST(parse_number("0x1.99999ap-4") == q(0x199999a, 1) / Rational(nncert::kernel::Integer(1) << 28));
    BOOST_TEST(parse_number("0x1.999999999999ap-4") ==
               Rational(nncert::kernel::Integer("0x1999999999999a")) / Rational(nncert::kernel::Integer(1) << 56));
    BOOST_TEST(parse_number("0x1.8p+1") == q(3));
    BOOST_TEST(parse_number("0X1.8P1") == q(3));
    BOOST_TEST(parse_number("-0x1p-2") == q(-1, 4));
    BOOST_TEST(parse_number("0x.8p1") == q(1));
    BOOST_TEST(parse_number("0x3.p0") == q(3));
    BOOST_TEST(parse_number("0x0p+0") == q(0));
    BOOST_TEST(parse_number("0x0.0000000000001p-1022") == Rational(1) / Rational(nncert::kernel::Integer(1) << 1074));
    BOOST_TEST(parse_number("0x1p-4 + 1/16") == q(1, 8));
    // NumPy prints whole floats as `1.` and `-0.`, and small ones as `1.e-05`.
    BOOST_TEST(parse_number("1.") == q(1));
    BOOST_TEST(parse_number("-0.") == q(0));
    BOOST_TEST(parse_number("1.e-5") == q(1, 100000));
    BOOST_TEST(parse_number("2.5e+2") == q(250));
}

BOOST_AUTO_TEST_CASE(decimals_are_exact) {
    BOOST_TEST(parse_number("0.1") == q(1, 10));
    BOOST_TEST(parse_number("0.1") != Rational(0.1));  // the binary double nearest 0.1 is not 1/10
    BOOST_TEST(parse_number("0.08") == q(2, 25));      // leading zeros are not an octal prefix
    BOOST_TEST(parse_number("007") == q(7));
    BOOST_TEST(parse_number("3.25") == q(13, 4));
    BOOST_TEST(parse_number("0") == q(0));
    BOOST_TEST(parse_number("-0") == q(0));
    BOOST_TEST(parse_number("123456789012345678901234567890") ==
               Rational(nncert::kernel::Integer("123456789012345678901234567890")));
}

BOOST_AUTO_TEST_CASE(exponents) {
    BOOST_TEST(parse_number("-1.5e-3") == q(-3, 2000));
    BOOST_TEST(parse_number("1e3") == q(1000));
    BOOST_TEST(parse_number("2.5E+2") == q(250));
    BOOST_TEST(parse_number("12e-1") == q(6, 5));
    BOOST_TEST(parse_number("1e1000") == Rational(boost::multiprecision::pow(nncert::kernel::Integer(10), 1000)));
    BOOST_TEST(parse_number("1e-1000") * Rational(boost::multiprecision::pow(nncert::kernel::Integer(10), 1000)) == q(1));
}

BOOST_AUTO_TEST_CASE(expressions) {
    BOOST_TEST(parse_number("4 + 1/3") == q(13, 3));
    BOOST_TEST(parse_number("-13 - 1/6") == q(-79, 6));
    BOOST_TEST(parse_number("3 + 2/3") == q(11, 3));
    BOOST_TEST(parse_number("-1.5") == q(-3, 2));
    BOOST_TEST(parse_number("+2") == q(2));
    BOOST_TEST(parse_number("2 * -3") == q(-6));
    BOOST_TEST(parse_number("2 - -3") == q(5));
    BOOST_TEST(parse_number("--1") == q(1));
    BOOST_TEST(parse_number("-(1 + 2) * 3") == q(-9));
    BOOST_TEST(parse_number("1 - 2 - 3") == q(-4));       // left associative
    BOOST_TEST(parse_number("12 / 2 / 3") == q(2));       // left associative
    BOOST_TEST(parse_number("2 + 3 * 4") == q(14));       // * binds tighter
    BOOST_TEST(parse_number("1/3 + 1/3 + 1/3") == q(1));
    BOOST_TEST(parse_number("  7 # a comment\n") == q(7));
}

BOOST_AUTO_TEST_CASE(zero_denominator) {
    BOOST_TEST(number_error("1/0") == "zero-denominator");
    BOOST_TEST(number_error("1/(2 - 2)") == "zero-denominator");
    BOOST_TEST(number_error("1/0.0e5") == "zero-denominator");
}

BOOST_AUTO_TEST_CASE(too_large) {
    BOOST_TEST(number_error("1e1001") == "number-too-large");
    BOOST_TEST(number_error("1e-1001") == "number-too-large");
    // An exponent's leading zeros count against its 5 digits, an integer part has at most 64 characters (the
    // width rule, review r8-7 F3): error layout, not a size limit.
    BOOST_TEST(number_error("1e00001") == "none");
    BOOST_TEST(number_error("1e000000000000000001") == "layout");
    BOOST_TEST(number_error(std::string(1000, '9')) == "layout");
    BOOST_TEST(number_error(std::string("9.").append(999, '9')) == "none");  // 1000 digits
    BOOST_TEST(number_error(std::string(1001, '9')) == "number-too-large");
    BOOST_TEST(number_error(std::string("0.").append(1000, '1')) == "number-too-large");  // 1001 digits
}

BOOST_AUTO_TEST_CASE(malformed) {
    BOOST_TEST(number_error("1..") == "bad-number");
    BOOST_TEST(number_error("0x1.8") == "bad-number");      // a hex float needs its binary exponent
    BOOST_TEST(number_error("0x") == "bad-number");
    BOOST_TEST(number_error("0xp3") == "bad-number");
    BOOST_TEST(number_error("0x1p") == "bad-number");
    BOOST_TEST(number_error("0x1p+") == "bad-number");
    BOOST_TEST(number_error("0x1g") == "bad-number");
    BOOST_TEST(number_error("0x1.8p3g") == "bad-number");
    BOOST_TEST(number_error("0x1.8p3.5") == "bad-number");
    BOOST_TEST(number_error("0x10") == "bad-number");       // no hex integers
    BOOST_TEST(number_error("0x1p16385") == "number-too-large");
    BOOST_TEST(number_error("0x1p-99999999") == "number-too-large");
    BOOST_TEST(number_error("0x" + std::string(1001, 'f') + "p0") == "number-too-large");
    BOOST_TEST(number_error(".5") == "bad-number");
    BOOST_TEST(number_error("1e") == "bad-number");
    BOOST_TEST(number_error("1e+") == "bad-number");
    BOOST_TEST(number_error("2x") == "bad-number");
    BOOST_TEST(number_error("1.2.3") == "bad-number");
    BOOST_TEST(number_error(std::string(300, '(') + "1" + std::string(300, ')')) == "bad-number");  // depth limit
    BOOST_TEST(number_error("") == "syntax");
    BOOST_TEST(number_error("1 +") == "syntax");
    BOOST_TEST(number_error("(1") == "syntax");
    BOOST_TEST(number_error("1 2") == "syntax");
    BOOST_TEST(number_error("-+1") == "syntax");  // only '-' nests (factor := '-' factor)
    BOOST_TEST(number_error("x") == "syntax");
    BOOST_TEST(number_error("\xff") == "encoding");
}

BOOST_AUTO_TEST_CASE(error_location_and_format) {
    try {
        parse_number("1 + 2/0");
        BOOST_FAIL("expected a ParseError");
    } catch (const ParseError& e) {
        BOOST_TEST(e.code == "zero-denominator");
        BOOST_TEST(e.loc.file == "<number>");
        BOOST_TEST(e.loc.line == 1u);
        BOOST_TEST(e.loc.col == 7u);
        BOOST_TEST(e.format().rfind("<number>:1:7: error[zero-denominator]: ", 0) == 0u);
    }
}

BOOST_AUTO_TEST_SUITE_END()
