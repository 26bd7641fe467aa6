// File names that show like other file names (review r8-8's open homoglyph class): util::confusable_name_problem,
// UTS #39 through ICU, and the script gate that calls it for every quoted name (docs/format.md, "Characters").
#include "syntax_errors.hpp"
#include "script/lexer.hpp"
#include "util/confusable.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

namespace {

using nncert::util::confusable_name_problem;

bool rejected(const std::string& name) { return !confusable_name_problem(name).empty(); }

}  // namespace

BOOST_AUTO_TEST_SUITE(confusable_names)

BOOST_AUTO_TEST_CASE(ascii_names_always_pass) {
    for (const char* name : {"data.csv", "d0ta.csv", "l1I|.csv", "rn.csv", "a/b/c.csv", "", "..", "x y.csv"})
        BOOST_TEST(confusable_name_problem(name).empty(), name);
}

BOOST_AUTO_TEST_CASE(one_script_per_piece_passes) {
    BOOST_TEST(!rejected("caf\u00e9.csv"));                                  // Latin with a composed accent
    BOOST_TEST(!rejected("\u0434\u0430\u043d\u043d\u044b\u0435.csv"));       // Cyrillic name, Latin extension
    BOOST_TEST(!rejected("donn\u00e9es/\u0434\u0430\u043d\u043d\u044b\u0435.csv"));  // Latin folder, Cyrillic file
    BOOST_TEST(!rejected("\u03b5\u03bb\u03bb\u03b7\u03bd\u03b9\u03ba\u03ac.csv"));  // Greek
    BOOST_TEST(!rejected("\u30c7\u30fc\u30bf.csv"));                         // Katakana
    BOOST_TEST(!rejected("\u6570\u636e-data.csv"));                          // Han with Latin: highly restrictive allows it
}

BOOST_AUTO_TEST_CASE(mixed_scripts_in_a_piece_are_rejected) {
    BOOST_TEST(rejected("d\u0430ta.csv"));         // Cyrillic a among Latin letters
    BOOST_TEST(rejected("dat\u03b1.csv"));         // Greek alpha among Latin letters
    BOOST_TEST(rejected("ok/d\u0430ta.csv"));      // in the file part of a path
    BOOST_TEST(rejected("d\u0430ta/ok.csv"));      // in a folder
    BOOST_TEST(rejected("data.c\u0455v"));         // in the extension (Cyrillic dze)
    BOOST_TEST(confusable_name_problem("d\u0430ta.csv").find("scripts") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(ascii_lookalikes_are_rejected) {
    // Whole-script: every letter Cyrillic, yet the name shows as the ASCII "cop.csv".
    const std::string why = confusable_name_problem("\u0441\u043e\u0440.csv");
    BOOST_TEST(why.find("\"cop\"") != std::string::npos, why);
    // Per piece: a real accent elsewhere in the name does not hide it (review r8-9 F1).
    BOOST_TEST(rejected("\u00e9/\u0441\u043e\u0440.csv"));
    BOOST_TEST(rejected("\u0441\u043e\u0440.\u00e9.csv"));
    BOOST_TEST(rejected("data\u20101.csv"));  // U+2010 HYPHEN for '-'
    BOOST_TEST(rejected("data\u2024csv"));    // U+2024 ONE DOT LEADER for '.'
    BOOST_TEST(rejected("\u0251.csv"));       // U+0251 LATIN SMALL LETTER ALPHA: Latin, but shows as 'a'
}

BOOST_AUTO_TEST_CASE(decomposed_names_are_rejected) {
    const std::string why = confusable_name_problem("cafe\u0301.csv");
    BOOST_TEST(why.find("NFC") != std::string::npos, why);
}

BOOST_AUTO_TEST_CASE(mixed_digit_systems_are_rejected) {
    // ARABIC-INDIC digits are right-to-left (rejected earlier by the lexer); DEVANAGARI digits with ASCII ones
    // are left-to-right and reach this check.
    BOOST_TEST(rejected("x\u09671.csv"));  // BENGALI DIGIT ONE and ASCII 1
}

BOOST_AUTO_TEST_CASE(the_script_gate_calls_it) {
    const std::string head = "nncert 1\ndata \"";
    const auto error = [&](const std::string& name) {
        return nncert::test::script_error(head + name + "\"\nnetwork {\n  input 1\n  dense 1 identity\n}\nloss sse\n");
    };
    BOOST_TEST(error("d\u0430ta.csv").first == "forbidden-character");
    BOOST_TEST(error("cafe\u0301.csv").first == "forbidden-character");
    BOOST_TEST(error("caf\u00e9.csv").first == "");
    BOOST_TEST(nncert::script::string_problem("\u0441\u043e\u0440.csv").find("cop") != std::string::npos);
    BOOST_TEST(nncert::script::string_problem("caf\u00e9.csv").empty());
}

BOOST_AUTO_TEST_SUITE_END()
