// What a reviewer sees is what is checked: the character gate (line terminators, controls, bidi,
// invisible characters; docs/format.md "Characters"), CSV parsed without the script's comment rule, and
// report text that no file name or message can forge a line in. Each test failed before the gate.
#include "test_paths.hpp"
#include "report/json.hpp"
#include "report/render_text.hpp"
#include "report/report.hpp"
#include "script/csv.hpp"
#include "script/script.hpp"
#include "util/unicode.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

namespace r = nncert::report;
using nncert::report::Json;
using nncert::script::ParseError;
using nncert::script::parse_text;

namespace {

const std::string head =
    "nncert 1\ndata {\n  0 -> 0\n  1 -> 1\n}\nnetwork {\n  input 1\n  dense 1 identity\n}\nloss sse\n"
    "point p {\n  W1 = [[1]]\n  b1 = [0]\n}\n";

// The error parsing `text` raises (code "none" when it parses).
ParseError error_of(const std::string& text) {
    try {
        parse_text(text, "t.nnc", ".");
    } catch (const ParseError& e) {
        return e;
    }
    return ParseError("none", {}, "");
}

// The script with its data read from the named CSV file.
std::string with_data_file(const std::string& name) {
    std::string s = head;
    s.replace(s.find("data {"), s.find("network") - s.find("data {"), "data \"" + name + "\"\n");
    return s;
}

std::string csv_error(const std::string& text) {
    try {
        nncert::script::parse_csv(text, "d.csv");
    } catch (const ParseError& e) {
        return e.code;
    }
    return "none";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(hostile_text)

// A claim after a lone CR (or any other line terminator but LF) used to be part of the comment before it:
// shown on its own line, never checked.
BOOST_AUTO_TEST_CASE(every_odd_line_terminator_is_rejected_where_it_stands) {
    for (const char* sep : {"\r", "\v", "\f", "\xC2\x85", "\xE2\x80\xA8", "\xE2\x80\xA9"}) {
        const ParseError e = error_of(head + "claim loss p = 0   # ok" + std::string(sep) + "claim loss p = 5\n");
        BOOST_TEST(e.code == "forbidden-character");
        BOOST_TEST(e.loc.line == 15u);
        BOOST_TEST(e.loc.col == 24u);
    }
}

BOOST_AUTO_TEST_CASE(crlf_is_a_line_end_and_lines_count_the_same) {
    std::string crlf;
    for (char c : head + "claim loss p = 0\nclaim bogus p\n") crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    const ParseError e = error_of(crlf);
    BOOST_TEST(e.code == "unknown-claim");
    BOOST_TEST(e.loc.line == 16u);  // the same line as in the LF file
    BOOST_TEST(e.loc.col == 7u);
    // One row per line holds with CRLF ends: two rows stay two rows.
    BOOST_TEST(error_of(crlf.substr(0, crlf.find("claim bogus"))).code == "none");
}

BOOST_AUTO_TEST_CASE(controls_and_bidi_controls_are_rejected_in_comments_and_strings) {
    for (const std::string& bad : {std::string("\x1b[2K"), std::string("\b"), std::string(1, '\0'), std::string("\x7f"),
                                  std::string("\xE2\x80\xAE"), std::string("\xE2\x81\xA6"), std::string("\xE2\x80\x8F"),
                                  std::string("\xD8\x9C")}) {
        BOOST_TEST(error_of(head + "claim loss p = 0 # " + bad + "\n").code == "forbidden-character");
        BOOST_TEST(error_of(head + "# " + bad + "\nclaim loss p = 0\n").code == "forbidden-character");
        BOOST_TEST(error_of(head + "claim loss p = 0\n" + "# x" + bad).code == "forbidden-character");
    }
}

BOOST_AUTO_TEST_CASE(invisible_characters_are_rejected_outside_comments_only) {
    for (const char* zw : {"\xE2\x80\x8B", "\xE2\x80\x8C", "\xE2\x80\x8D", "\xE2\x81\xA0", "\xEF\xBB\xBF",
                                 "\xC2\xAD", "\xE3\x85\xA4", "\xC2\xA0", "\xE2\x80\x83", "\xEF\xB8\x8F"}) {
        BOOST_TEST(error_of(head + "claim loss p = 1" + std::string(zw) + "0\n").code == "forbidden-character");
        BOOST_TEST(error_of(head + "claim loss " + std::string(zw) + "p = 0\n").code == "forbidden-character");
        BOOST_TEST(error_of(with_data_file(std::string("a").append(zw).append(".csv"))).code == "forbidden-character");
        BOOST_TEST(error_of(head + "claim loss p = 0   # note" + std::string(zw) + "\n").code == "none");
    }
    // Other non-ASCII outside comments is a plain syntax error; in a file name it is allowed.
    BOOST_TEST(error_of(head + "claim loss p = 0 \xC3\xA9\n").code == "syntax");
    BOOST_TEST(error_of(with_data_file("caf\xC3\xA9.csv")).code == "io");  // allowed, and there is no such file
    BOOST_TEST(error_of(with_data_file("a\tb.csv")).code == "forbidden-character");
}

BOOST_AUTO_TEST_CASE(right_to_left_letters_only_in_comments_of_their_own_line) {
    const std::string shalom = "\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D";
    // On a line of its own after a left-to-right letter (review r8-10 F2: a comment line whose first strong letter is
    // right-to-left makes viewers show the letterless rows after it right to left; unit review8_10c_fixes).
    BOOST_TEST(error_of(head + "# note: " + shalom + "\nclaim loss p = 0\n").code == "none");
    BOOST_TEST(error_of(head + "# " + shalom + "\nclaim loss p = 0\n").code == "forbidden-character");
    BOOST_TEST(error_of(head + "claim loss p = 0   # " + shalom + "\n").code == "forbidden-character");
    std::string row = head;
    row.replace(row.find("  1 -> 1\n"), 9, "  1 -> 1 # " + shalom + "\n");
    BOOST_TEST(error_of(row + "claim loss p = 0\n").code == "forbidden-character");
}

BOOST_AUTO_TEST_CASE(a_leading_byte_order_mark_is_allowed) {
    BOOST_TEST(error_of("\xEF\xBB\xBF" + head + "claim loss p = 0\n").code == "none");
}

// The script lexer's comment rule used to apply inside CSV fields: `3#0` read as 3.
BOOST_AUTO_TEST_CASE(csv_has_no_comments_and_the_same_gate) {
    BOOST_TEST(csv_error("x,y\n1,3#0\n") == "csv");
    BOOST_TEST(csv_error("x,y\n1,3 # 0\n") == "csv");
    BOOST_TEST(csv_error("x,y\n0,0\r5,5\n") == "forbidden-character");
    BOOST_TEST(csv_error("x,y\n0,0\xE2\x80\xA8" "5,5\n") == "forbidden-character");
    BOOST_TEST(csv_error("x,y\n0,\xE2\x80\x8B" "1\n") == "forbidden-character");
    BOOST_TEST(csv_error("\"x\xE2\x80\xAE\",y\n0,1\n") == "forbidden-character");
    BOOST_TEST(csv_error("\xEF\xBB\xBFx,y\r\n0,1\r\n1,1/3\r\n") == "none");
    const auto rows = nncert::script::parse_csv("x,y\r\n0,1\r\n\r\n2,1/3\r\n", "d.csv");
    BOOST_TEST(rows.size() == 2u);
    BOOST_TEST(rows[1].loc.line == 4u);
}

BOOST_AUTO_TEST_CASE(csv_columns_are_counted_in_code_points) {
    try {
        // A header name may not hold non-ASCII any more (review 8-3), so the multi-byte text before the error
        // is the byte-order mark: 3 bytes, no column.
        nncert::script::parse_csv("\xEF\xBB\xBFx,y\n1, 2,\n", "d.csv");
        BOOST_TEST(false, "an empty field must be rejected");
    } catch (const ParseError& e) {
        BOOST_TEST(e.code == "csv");
        BOOST_TEST(e.loc.line == 2u);
        BOOST_TEST(e.loc.col == 6u);
    }
    try {
        nncert::script::parse_csv("\"\xC3\xA9t\xC3\xA9\",y,\n", "d.csv");
        BOOST_TEST(false, "a non-ASCII first row is data, and a quoted field is not a number");
    } catch (const ParseError& e) {
        BOOST_TEST(e.code == "csv");
        BOOST_TEST(e.loc.line == 1u);
        BOOST_TEST(e.loc.col == 1u);
    }
}

BOOST_AUTO_TEST_CASE(display_escaping_keeps_ordinary_text_and_shows_the_rest) {
    using nncert::util::escape_for_display;
    BOOST_TEST(escape_for_display("proofs/paper/example1.nnc") == "proofs/paper/example1.nnc");
    // Non-ASCII is shown as code points since review 8-5 (F3: a Cyrillic a read as the ASCII one).
    BOOST_TEST(escape_for_display("caf\xC3\xA9 \xE6\x97\xA5") == "caf\\u{00E9} \\u{65E5}");
    BOOST_TEST(escape_for_display("a\nb\rc\td\\e") == "a\\nb\\rc\\td\\\\e");
    BOOST_TEST(escape_for_display("\x1b[2K\x7f") == "\\x1b[2K\\x7f");
    BOOST_TEST(escape_for_display("x\xE2\x80\xAEy\xE2\x80\x8Bz\xC2\x85") == "x\\u{202E}y\\u{200B}z\\u{0085}");
    BOOST_TEST(escape_for_display("\xff\xc3") == "\\xff\\xc3");
}

// A file name with a newline used to print a line of its own, e.g. one that reads as a certified claim.
BOOST_AUTO_TEST_CASE(report_lines_cannot_be_forged_by_names_or_messages) {
    const std::string forged = "x.nnc\nproofs/main.nnc:1: CERTIFIED     loss p = 0  [exact-loss]\nsha256 00  a";
    r::ErrorInfo syntax{"syntax", 3, 7, "expected '=', found \"\n\xE2\x80\xAE\"", ""};
    r::ErrorInfo io{"io", 0, 0, "no such file", ""};
    Json claim;
    claim.set("claim", "loss p = 0");
    claim.set("line", 1);
    claim.set("verdict", "inconclusive");
    claim.set("method", "m\nx");
    claim.set("reason", "r\nproofs/main.nnc:2: CERTIFIED");
    const Json doc = r::document("0", {r::script_json(forged, "aa", {claim}),
                                       r::error_script_json(forged, std::string("bb"), syntax),
                                       r::error_script_json(forged + "\xE2\x80\xA8", std::nullopt, io)});
    const std::string text = r::render_text(doc);
    std::size_t lines = 0;
    for (char c : text) lines += c == '\n';
    BOOST_TEST(lines == 7u);  // claim, reason, sha256, error, sha256, error, summary
    BOOST_TEST(text.find("\nproofs/main.nnc") == std::string::npos);
    BOOST_TEST(text.find("\xE2\x80") == std::string::npos);
    // The JSON keeps the exact names, escaped: valid JSON that reads back the same, one line per value.
    const std::string json = doc.dump(r::Layout::pretty);
    BOOST_TEST(json.find("\xE2\x80") == std::string::npos);
    BOOST_TEST((Json::parse(json) == doc));
}

BOOST_AUTO_TEST_CASE(json_escapes_invisible_and_bidi_characters_exactly) {
    BOOST_TEST(r::quote("a\xE2\x80\xAE" "b\xE2\x80\xA8" "c\xC2\x85\xF3\xA0\x80\x81") ==
               "\"a\\u202eb\\u2028c\\u0085\\udb40\\udc01\"");
    BOOST_TEST(Json::parse(r::quote("a\xE2\x80\xAE\xF3\xA0\x80\x81")).as_string() == "a\xE2\x80\xAE\xF3\xA0\x80\x81");
}

// The fuzzers assert that every rejection carries a documented code; this keeps the documentation whole:
// every code the front end can raise (a literal `fail("code"` in src/) is in docs/format.md's table, and
// every documented code has a rejected script in tests/scripts/errors/ (file-too-large, which needs a
// 64 MiB file, is tested in hostile_files instead).
BOOST_AUTO_TEST_CASE(every_error_code_is_documented_and_has_a_rejected_script) {
    namespace fs = std::filesystem;
    const fs::path root = NNCERT_SOURCE_DIR;
    auto read = [](const fs::path& p) {
        std::ifstream in(p, std::ios::binary);
        std::ostringstream s;
        s << in.rdbuf();
        return s.str();
    };
    std::set<std::string> raised, documented, scripted;
    const std::regex fail_call(R"re(fail\("([a-z-]+)")re"), table_row(R"re(\n\| `([a-z-]+)` \|)re"),
        header(R"re(# expect-error: ([a-z-]+))re");
    for (const auto& e : fs::recursive_directory_iterator(root / "src")) {
        const std::string text = read(e.path());
        for (std::sregex_iterator it(text.begin(), text.end(), fail_call), end; it != end; ++it) raised.insert((*it)[1]);
    }
    const std::string format = read(root / "docs" / "format.md");
    const std::string errors = format.substr(format.find("\n## Errors"));
    for (std::sregex_iterator it(errors.begin(), errors.end(), table_row), end; it != end; ++it) documented.insert((*it)[1]);
    for (const auto& e : fs::directory_iterator(root / "tests" / "scripts" / "errors")) {
        const std::string text = read(e.path());
        std::smatch m;
        if (std::regex_search(text, m, header)) scripted.insert(m[1]);
    }
    BOOST_TEST(raised.size() >= 20u);
    for (const std::string& c : raised) BOOST_TEST(documented.count(c) == 1u, "undocumented error code " << c);
    for (const std::string& c : documented)
        if (c != "file-too-large") BOOST_TEST(scripted.count(c) == 1u, "no tests/scripts/errors/ script for " << c);
}

BOOST_AUTO_TEST_SUITE_END()
