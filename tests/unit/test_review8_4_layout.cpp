// Regression tests for the fourth adversarial review of issue 8 (r8-4), finding 9: text hidden far to the
// right behind a run of blanks (error[layout], script::max_blank_columns).
#include "test_paths.hpp"
#include "process.hpp"
#include "report/markup_escape.hpp"
#include "script/csv.hpp"
#include "script/script.hpp"
#include "util/files.hpp"
#include "util/unicode.hpp"

#include <boost/test/unit_test.hpp>

#include <sys/stat.h>

#include <regex>
#include <set>

namespace fs = std::filesystem;
using namespace nncert::test;
using nncert::script::ParseError;

namespace {

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

const std::string inline_script =
    "nncert 1\ndata {\n  1 -> 1\n}\nnetwork {\n  input 1\n  dense 1 identity\n}\nloss sse\npoint p {\n"
    "  W1 = [[1]]\n  b1 = [0]\n}\nclaim loss p = 0\n";

// The error parsing `text` raises (code "none" when it parses).
ParseError error_of(const std::string& text) {
    try {
        nncert::script::parse_text(text, "t.nnc", ".");
    } catch (const ParseError& e) {
        return e;
    }
    return ParseError("none", {}, "");
}

ParseError csv_error_of(const std::string& text) {
    try {
        nncert::script::parse_csv(text, "d.csv");
    } catch (const ParseError& e) {
        return e;
    }
    return ParseError("none", {}, "");
}

// inline_script with `row` as its one data row.
std::string with_row(const std::string& row) {
    std::string s = inline_script;
    s.replace(s.find("  1 -> 1\n"), 9, row + "\n");
    return s;
}

}  // namespace

// Finding 9: `5 -> 7` + 400 spaces + `weight 1e-1000` was accepted, and an editor without line wrapping shows
// only `5 -> 7`. A run of blanks wider than max_blank_columns before checked text is error[layout].
BOOST_AUTO_TEST_SUITE(review8_4_layout)

BOOST_AUTO_TEST_CASE(hidden_text_after_a_run_of_blanks_is_an_error) {
    using nncert::script::max_blank_columns;
    BOOST_TEST(max_blank_columns == 32u);
    const std::string at_limit = std::string(max_blank_columns, ' ');
    const std::string over = at_limit + " ";
    // Between tokens: 32 columns pass, 33 do not; the error points at the hidden token.
    BOOST_TEST(error_of(with_row("  1 ->" + at_limit + "1")).code == "none");
    const ParseError e = error_of(with_row("  1 -> 1" + over + "weight 1e-1000"));
    BOOST_TEST(e.code == "layout");
    BOOST_TEST(e.loc.line == 3u);
    BOOST_TEST(e.loc.col == 9u + over.size());
    BOOST_TEST(contains(e.format(), "t.nnc:3:42: error[layout]"), e.format());
    // Indentation counts too: a line that looks empty.
    BOOST_TEST(error_of(with_row(over + "1 -> 1")).code == "layout");
    BOOST_TEST(error_of(with_row(at_limit + "1 -> 1")).code == "none");
    // A TAB outside a comment is layout wherever it stands (viewers draw it 1 to 8 columns wide; review r8-12 F3,
    // unit review8_12_view), so no run of blanks holds one.
    BOOST_TEST(error_of(with_row("\t\t\t\t1 -> 1")).code == "layout");
    BOOST_TEST(error_of(with_row("\t1 -> 1")).code == "layout");
    BOOST_TEST(error_of(with_row("  1 -> 1\tweight 2")).code == "layout");
    // Before a comment or at the end of a line, any run is allowed: nothing checked is hidden there.
    BOOST_TEST(error_of(with_row("  1 -> 1" + std::string(400, ' ') + "# aligned comment")).code == "none");
    BOOST_TEST(error_of(with_row("  1 -> 1" + std::string(400, ' '))).code == "none");
    BOOST_TEST(error_of(with_row(std::string(400, ' ') + "# comment\n  1 -> 1")).code == "none");
    // Inside a quoted file name the same run hides the rest of the line.
    std::string s = inline_script;
    s.replace(s.find("data {"), s.find("network") - s.find("data {"), "data \"d" + over + "x.csv\"\n");
    BOOST_TEST(error_of(s).code == "layout");
    // In a CSV file (no comments): between fields, but not at the end of a line.
    BOOST_TEST(csv_error_of("1,1" + over + ",5\n").code == "layout");
    BOOST_TEST(csv_error_of("1," + over + "1\n").code == "layout");
    BOOST_TEST(csv_error_of("1," + at_limit + "1\n").code == "none");
    BOOST_TEST(csv_error_of("1,1" + std::string(400, ' ') + "\r\n2,2\n").code == "none");
    const ParseError c = csv_error_of("0,0\n1,1" + over + ",5\n");
    BOOST_TEST(c.code == "layout");
    BOOST_TEST(c.loc.line == 2u);
    BOOST_TEST(c.loc.col == 4u + over.size());
}

// Every script the repository ships obeys the rule (scripts.* run them all; this checks the widest run
// directly, so a new script that aligns with wide blanks fails here with its name).
BOOST_AUTO_TEST_CASE(repository_scripts_keep_their_blanks_narrow) {
    std::size_t scripts = 0;
    for (const char* folder : {"proofs", "tests/scripts", "docs"}) {
        for (const auto& entry : fs::recursive_directory_iterator(fs::path(NNCERT_SOURCE_DIR) / folder)) {
            if (!entry.is_regular_file() || entry.path().extension() != ".nnc") continue;
            if (entry.path().filename().string().starts_with("layout")) continue;  // the rejected examples
            ++scripts;
            const std::string text = read_text(entry.path());
            try {
                nncert::script::parse_text(text, entry.path().string(), entry.path().parent_path().string());
            } catch (const ParseError& e) {
                BOOST_TEST(e.code != "layout", e.format());
            }
        }
    }
    BOOST_TEST(scripts > 100u);
}

BOOST_AUTO_TEST_SUITE_END()

