// The `direction` block and `along` hints (issue 11): how they parse, resolve, print and fail.
#include "script/script.hpp"
#include "script/source.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

using nncert::script::parse_text;
using nncert::script::ParseError;
using nncert::script::print_canonical;
using nncert::script::Script;
namespace k = nncert::kernel;

namespace {

const std::string head =
    "nncert 1\ndata {\n  1 -> 1\n  -1 -> -1\n}\nnetwork { input 1 dense 1 identity dense 1 identity }\nloss sse\n"
    "point o { W1 = [[0]] b1 = [0] W2 = [[0]] b2 = [0] }\n";

std::string error_code(const std::string& text) {
    try {
        parse_text(text, "t.nnc", "");
    } catch (const ParseError& e) {
        return e.code;
    }
    return "";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(flat_syntax)

BOOST_AUTO_TEST_CASE(directions_default_to_zero_and_curves_keep_their_order) {
    const Script s = parse_text(head + "direction d1 { W2 = [[1]] }\ndirection d2 { b1 = [-1/2] }\n"
                                       "claim not local_min o along d1, d2\nclaim strict_local_min o along d2\n",
                                "t.nnc", "");
    BOOST_REQUIRE(s.directions.size() == 2u);
    BOOST_TEST((s.directions[0].params == k::Vector{0, 0, 1, 0}));
    BOOST_TEST((s.directions[1].params == k::Vector{0, k::Rational(-1, 2), 0, 0}));
    BOOST_REQUIRE(s.claims[0].claim.along.size() == 2u);
    BOOST_TEST((s.claims[0].claim.along[0] == s.directions[0].params));
    BOOST_TEST((s.claims[0].claim.along[1] == s.directions[1].params));
    BOOST_TEST(s.claims[0].text == "not local_min o along d1, d2");
    BOOST_TEST(s.claims[1].text == "strict_local_min o along d2");
    // The canonical form prints only nonzero parameters of a direction and parses back to the same curve.
    const std::string printed = print_canonical(s);
    BOOST_TEST(printed.find("direction d1 {\n  W2 = [[1]]\n}") != std::string::npos);
    const Script t = parse_text(printed, "t.nnc", "");
    BOOST_TEST((t.claims[0].claim.along == s.claims[0].claim.along));
    BOOST_TEST(print_canonical(t) == printed);
}

BOOST_AUTO_TEST_CASE(misused_hints_are_rejected_with_their_codes) {
    BOOST_TEST(error_code(head + "claim local_min o along nowhere\n") == "unknown-point");
    BOOST_TEST(error_code(head + "direction d { b2 = [1] }\nclaim critical o along d\n") == "syntax");
    BOOST_TEST(error_code(head + "direction d { b2 = [1] }\nclaim local_min o within 1 along d\n") == "syntax");
    BOOST_TEST(error_code(head + "direction o { b2 = [1] }\n") == "duplicate");
    BOOST_TEST(error_code(head + "direction d { b2 = [1] }\ndirection d { b1 = [1] }\n") == "duplicate");
    BOOST_TEST(error_code(head + "direction d { b3 = [1] }\n") == "unknown-parameter");
    BOOST_TEST(error_code(head + "direction d { b2 = [1, 2] }\n") == "dimension");
    BOOST_TEST(error_code(head + "direction d { b2 = [1] }\nclaim local_min o along d,\n") == "syntax");
    // A point cannot serve as a direction: they share names but not roles.
    BOOST_TEST(error_code(head + "claim local_min o along o\n") == "unknown-point");
}

BOOST_AUTO_TEST_SUITE_END()
