// Review r8-8 of issue #8: code points that a viewer draws as nothing, a box or a private glyph in a quoted file
// name (F1). (F2, strictness at a singular Hessian, is tests/scripts/completeness/degenerate-strict-minimum.nnc
// and unit.advice.)
#include "syntax_errors.hpp"
#include "script/lexer.hpp"
#include "script/parser.hpp"
#include "util/unicode.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <utility>

namespace {

using nncert::test::script_error;


// a + b, built by append: GCC 12 warns (-Wstringop-overflow, a false positive) about "literal" + std::string.
std::string cat(std::string a, const std::string& b) { return a.append(b); }

std::string utf8(char32_t cp) {
    std::string s;
    nncert::util::append_utf8(s, cp);
    return s;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(review8_8_fixes)

// F1: `data "d.csv<U+E0080>"` showed as `data "d.csv"` in HarfBuzz-based viewers and read a decoy file. Every
// Default_Ignorable_Code_Point (assigned or not: U+FFF0..FFF8 and the whole block U+E0000..E0FFF), private use and
// the noncharacters are forbidden-character in a file name; refine -o and snap -o refuse them (string_problem).
BOOST_AUTO_TEST_CASE(default_ignorable_private_use_and_noncharacters_in_a_file_name) {
    for (const char32_t cp : {char32_t(0xFFF0), char32_t(0xFFF8), char32_t(0xE0000), char32_t(0xE0002), char32_t(0xE0080),
                              char32_t(0xE01F0), char32_t(0xE0FFF), char32_t(0xE000), char32_t(0xF8FF), char32_t(0xF0000),
                              char32_t(0x10FFFF), char32_t(0xFDD0), char32_t(0xFFFE), char32_t(0x1FFFF)})
        BOOST_TEST_CONTEXT(nncert::util::code_point_name(cp)) {
            const std::string name = cat("d.csv", utf8(cp));
            BOOST_TEST(!nncert::script::string_problem(name).empty());
            const auto [code, line] =
                script_error(cat(cat("nncert 1\ndata \"", name), "\"\nnetwork {\n  input 1\n  dense 1 identity\n}\n"));
            BOOST_TEST(code == "forbidden-character");
            BOOST_TEST(line == 2u);
        }
    // Letters and symbols that show stay allowed (reports escape every non-ASCII character anyway), in a name of
    // one script: "d" + a Cyrillic letter mixes scripts, which the look-alike rule rejects (unit.confusable_names).
    for (const char32_t cp : {char32_t(0xE9), char32_t(0x434), char32_t(0x4E2D), char32_t(0xFFFD), char32_t(0x1F600)})
        BOOST_TEST_CONTEXT(nncert::util::code_point_name(cp)) {
            BOOST_TEST(nncert::script::string_problem(cat(cat(utf8(cp), utf8(cp)), ".csv")).empty());
        }
}

BOOST_AUTO_TEST_SUITE_END()
