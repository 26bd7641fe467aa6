// The view rule's column count (util::display_columns): a character counts at least as many columns as the widest
// viewer draws it (since review r8-12 F2: its UTF-8 length, at least 2, for every non-ASCII character), so text past
// column 160 in one viewer is past it in every viewer.
#include "syntax_errors.hpp"
#include "util/unicode.hpp"
#include <boost/test/unit_test.hpp>
#include <string>

namespace {

using nncert::test::script_error;
using nncert::util::display_columns;

std::string repeat(const std::string& piece, std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += piece;
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(display_width)

BOOST_AUTO_TEST_CASE(columns_per_character) {
    BOOST_TEST(display_columns(U'a') == 1);
    BOOST_TEST(display_columns(U' ') == 1);
    BOOST_TEST(display_columns(U'\u00A0') == 2);  // no-break space: 2 bytes
    BOOST_TEST(display_columns(U'\u6570') == 3);  // CJK ideograph: wide, 3 bytes
    BOOST_TEST(display_columns(U'\uFF21') == 3);  // fullwidth A
    // East Asian Ambiguous: one column in a Western locale, two in a CJK one (review r8-10 F3).
    BOOST_TEST(display_columns(U'\u0434') == 2);  // Cyrillic small de
    BOOST_TEST(display_columns(U'\u03B1') == 2);  // Greek small alpha
    BOOST_TEST(display_columns(U'\u00E9') == 2);  // e with acute
    BOOST_TEST(display_columns(U'\u2500') == 3);  // box drawing
}

BOOST_AUTO_TEST_CASE(ambiguous_letters_in_a_file_name_count_twice) {
    // 78 Cyrillic letters: 78 columns in a Western terminal, 156 in a CJK-locale one, which then hides `/2` of
    // `loss sse/2` (halving every loss the script certifies).
    const std::string name = repeat("\u0434\u0430\u043D\u043D\u044B\u0435", 13);  // "данные" x 13
    const std::string net = "\nnetwork {\n  input 1\n  dense 1 identity\n}\n";
    BOOST_TEST(script_error("nncert 1\ndata \"" + name + ".csv\" loss sse/2" + net).first == "layout");
    // Since review r8-12 F1 nothing but `weighted` and a comment may follow a non-ASCII name on its line, however
    // short (unit review8_12_view); on the next line `loss sse/2` reads.
    const std::string half = repeat("\u0434\u0430\u043D\u043D\u044B\u0435", 6);
    BOOST_TEST(script_error("nncert 1\ndata \"" + half + ".csv\" loss sse/2" + net).first == "layout");
    BOOST_TEST(script_error("nncert 1\ndata \"" + half + ".csv\"\nloss sse/2" + net).first == "");
    // The name itself ends within column 160: 13 x 6 letters of 2 columns, 6 + 156 + 5 = 167, are layout.
    BOOST_TEST(script_error("nncert 1\ndata \"" + name + ".csv\"\nloss sse/2" + net).first == "layout");
}

BOOST_AUTO_TEST_SUITE_END()
