// Decimal approximations in reports: the JSON keeps exact values and adds `approx`; the text shows both.
#include "kernel/number.hpp"
#include "report/approx.hpp"

#include <boost/test/unit_test.hpp>

using namespace nncert;
using kernel::Rational;

BOOST_AUTO_TEST_SUITE(approx)

BOOST_AUTO_TEST_CASE(short_decimals) {
    BOOST_TEST(report::approx_text(Rational(18)) == "18");
    BOOST_TEST(report::approx_text(Rational(1, 10000000000LL)) == "1e-10");
    BOOST_TEST(report::approx_text(Rational(-19, 100)) == "-0.19");
    BOOST_TEST(report::approx_text(Rational(2, 3)) == "0.666667");
    const Rational tiny = Rational(-19) / Rational(kernel::Integer(10) * boost::multiprecision::pow(kernel::Integer(10), 31));
    BOOST_TEST(report::approx_text(tiny) == "-1.9e-31");
}

BOOST_AUTO_TEST_CASE(approx_tree_mirrors_numbers_only) {
    kernel::Object ev{{"point", "bad"}, {"loss", Rational(1, 3)}, {"list", kernel::List{kernel::Value("x"), kernel::Value(Rational(1, 4))}}};
    const report::Json a = report::approx_json(kernel::Value(ev));
    BOOST_TEST(a.find("point") == nullptr);
    BOOST_TEST(a.at("loss").as_string() == "0.333333");
    BOOST_TEST(a.at("list").as_array().at(0).is_null());
    BOOST_TEST(a.at("list").as_array().at(1).as_string() == "0.25");
    BOOST_TEST(report::approx_json(kernel::Value(kernel::Object{{"p", "q"}})).is_null());
}

BOOST_AUTO_TEST_CASE(text_shows_exact_then_approx) {
    report::Json exact, approx;
    exact.set("r", "1/10000000000");
    exact.set("n", "18");
    approx.set("r", "1e-10");
    approx.set("n", "18");
    BOOST_TEST(report::dump_with_approx(exact, &approx) == R"({"r": "1/10000000000" (~ 1e-10), "n": "18"})");
}

BOOST_AUTO_TEST_SUITE_END()
