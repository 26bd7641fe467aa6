// Regression tests for the fifth adversarial review of issue 8 (r8-5), what a report shows of paths and
// names: confusable and blank-padded names (F3, F5, F8), names quoted in messages, the data file reached
// through a symbolic link and `..` (F1), data references of scripts written elsewhere (F2), claims continued
// far below (F11), exponents far to the right of a literal (F4), and plot legends of `_` names (F9).
#include "test_paths.hpp"
#include "process.hpp"
#include "report/json.hpp"
#include "report/markup_escape.hpp"
#include "script/lexer.hpp"
#include "script/number.hpp"
#include "script/script.hpp"
#include "script/source.hpp"
#include "util/paths.hpp"
#include "util/unicode.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <regex>
#include <set>
#include <sstream>

namespace fs = std::filesystem;
using namespace nncert::test;
using nncert::script::ParseError;
using nncert::util::escape_for_display;

namespace {

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

std::string q(const fs::path& p) { return shell_quote(p.string()); }

// What a browser or TeX shows of a run of blanks: one space.
std::string collapse_blanks(std::string s) {
    s.erase(std::unique(s.begin(), s.end(), [](char a, char b) { return a == ' ' && b == ' '; }), s.end());
    return s;
}

bool ascii_only(const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// A script reading `csv` (a name as written between the quotes), loss 0 at p when the CSV's target is 1.
std::string csv_script(const std::string& csv) {
    return "nncert 1\ndata \"" + csv +
           "\"\nnetwork {\n  input 1\n  dense 1 identity\n}\nloss sse\npoint p {\n  W1 = [[0]]\n  b1 = [1]\n}\n"
           "claim loss p = 0\n";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(review8_5_paths)

// F3: a Cyrillic a, an NFD e + combining acute and a trailing space looked like the names of decoy files.
BOOST_AUTO_TEST_CASE(display_escapes_every_non_ascii_character_and_edge_blanks) {
    BOOST_TEST(escape_for_display("d\xD0\xB0ta.csv") == "d\\u{0430}ta.csv");
    BOOST_TEST(escape_for_display("caf\xC3\xA9.csv") == "caf\\u{00E9}.csv");      // NFC
    BOOST_TEST(escape_for_display("cafe\xCC\x81.csv") == "cafe\\u{0301}.csv");    // NFD: differs visibly
    BOOST_TEST(escape_for_display("data.csv ") == "data.csv\\u{0020}");
    BOOST_TEST(escape_for_display(" data.csv") == "\\u{0020}data.csv");
    BOOST_TEST(escape_for_display("a b") == "a b");  // a single inner space stays
    BOOST_TEST(escape_for_display("a  b") == "a \\u{0020}b");
    BOOST_TEST(escape_for_display("\xF0\x9D\x94\x84") == "\\u{1D504}");
    // Injective on these neighbours, and pure ASCII without two blanks in a row.
    const std::vector<std::string> names{"data.csv", "d\xD0\xB0ta.csv", "data.csv ", " data.csv", "data .csv",
                                         "data  .csv", "data\\u{0020}.csv", "caf\xC3\xA9", "cafe\xCC\x81",
                                         std::string(150, ' ') + "x"};
    std::set<std::string> shown;
    for (const std::string& n : names) {
        const std::string e = escape_for_display(n);
        shown.insert(e);
        BOOST_TEST(ascii_only(e), e);
        BOOST_TEST(!contains(e, "  "), e);
    }
    BOOST_TEST(shown.size() == names.size());
}

// F3 end to end. Since the look-alike rule (docs/format.md, "Characters"; unit.confusable_names) a Cyrillic
// `а` among Latin letters, beside the decoy `data.csv`, is rejected before any file is read. A name that passes
// (one script per piece) is shown escaped in the text report; the JSON report is ASCII and keeps the exact name
// as \u escapes.
BOOST_AUTO_TEST_CASE(reports_show_a_confusable_data_file_escaped) {
    TempDir tmp;
    write_text(tmp / "d\xD0\xB0ta.csv", "0,1\n");
    write_text(tmp / "data.csv", "0,5\n");  // the decoy
    write_text(tmp / "s.nnc", csv_script("d\xD0\xB0ta.csv"));
    const ProcessResult mixed = run_process("cd " + q(tmp.path()) + " && " + nncert_binary() + " check s.nnc");
    BOOST_TEST(mixed.exit == 2, mixed.out + mixed.err);
    BOOST_TEST(contains(mixed.out + mixed.err, "error[forbidden-character]"), mixed.out + mixed.err);
    BOOST_TEST(ascii_only(mixed.out), mixed.out);
    const std::string cyrillic = "\xD0\xB4\xD0\xB0\xD0\xBD\xD0\xBD\xD1\x8B\xD0\xB5.csv";  // "данные.csv"
    write_text(tmp / cyrillic, "0,1\n");
    write_text(tmp / "s.nnc", csv_script(cyrillic));
    const ProcessResult text = run_process("cd " + q(tmp.path()) + " && " + nncert_binary() + " check s.nnc");
    BOOST_TEST(text.exit == 0, text.err);
    BOOST_TEST(contains(text.out, "  \\u{0434}\\u{0430}\\u{043D}\\u{043D}\\u{044B}\\u{0435}.csv\n"), text.out);
    BOOST_TEST(ascii_only(text.out), text.out);
    const ProcessResult json = run_process("cd " + q(tmp.path()) + " && " + nncert_binary() + " check s.nnc --json");
    BOOST_TEST(json.exit == 0, json.err);
    BOOST_TEST(ascii_only(json.out), json.out);
    BOOST_TEST(contains(json.out, "\"\\u0434\\u0430\\u043d\\u043d\\u044b\\u0435.csv\""), json.out);
    // The value is unchanged: a JSON reader gets the file's real name back.
    const auto doc = nncert::report::Json::parse(json.out);
    BOOST_TEST(doc.at("scripts").as_array().at(0).at("data_files").as_array().at(0).at("file").as_string() ==
               cyrillic);
    // A trailing blank in the name is visible at the end of the text report's line.
    write_text(tmp / "data.csv ", "0,1\n");
    write_text(tmp / "t.nnc", csv_script("data.csv "));
    const ProcessResult trail = run_process("cd " + q(tmp.path()) + " && " + nncert_binary() + " check t.nnc");
    BOOST_TEST(trail.exit == 0, trail.err);
    BOOST_TEST(contains(trail.out, "  data.csv\\u{0020}\n"), trail.out);
}

// F5: a script name with a long run of spaces pushed the real verdict off-screen behind a forged one.
BOOST_AUTO_TEST_CASE(a_run_of_spaces_in_a_script_name_is_shown_escaped) {
    TempDir tmp;
    fs::create_directory(tmp / "proofs");
    const std::string name = "ok.nnc:11: CERTIFIED loss p = 0" + std::string(150, ' ') + "x.nnc";
    write_text(tmp / "proofs" / name, csv_script("../d.csv"));
    write_text(tmp / "d.csv", "0,5\n");  // loss 16: REFUTED
    const ProcessResult r = run_process("cd " + q(tmp.path()) + " && " + nncert_binary() + " check proofs");
    BOOST_TEST(r.exit == 1, r.err);
    // Every line shows the blanks of the name as escapes, so none has a blank run hiding what follows.
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) {
        BOOST_TEST(!contains(line, std::string(8, ' ')), line);
        if (contains(line, "x.nnc:12:")) BOOST_TEST(contains(line, "REFUTED"), line);
    }
    BOOST_TEST(contains(r.out, "CERTIFIED loss p = 0 \\u{0020}\\u{0020}"), r.out);
}

// F8: `a b.nnc` and `a  b.nnc` rendered alike in Markdown (HTML collapses blanks) and LaTeX (TeX does).
BOOST_AUTO_TEST_CASE(markup_names_differ_after_blank_collapse) {
    using nncert::report::latex_text;
    using nncert::report::markdown_heading;
    using nncert::report::markdown_text;
    using nncert::report::xml_text;
    const std::vector<std::string> names{"s/a b.nnc", "s/a  b.nnc", "s/a   b.nnc", "s/a b.nnc ", " s/a b.nnc"};
    for (auto render : {+[](std::string_view s) { return markdown_heading(s); },
                        +[](std::string_view s) { return markdown_text(s); },
                        +[](std::string_view s) { return latex_text(s, "/"); },
                        +[](std::string_view s) { return xml_text(s); }}) {
        std::set<std::string> shown;
        for (const std::string& n : names) shown.insert(collapse_blanks(render(n)));
        BOOST_TEST(shown.size() == names.size());
    }
    BOOST_TEST(markdown_heading("x  ") == "x \\\\u{0020}");  // renders as x \u{0020}
    BOOST_TEST(markdown_heading("x #") == "x \\#");
}

// Messages quote paths with '...': a ' inside the path is written twice, so the quote cannot be forged.
BOOST_AUTO_TEST_CASE(messages_quote_paths_with_doubled_quotes) {
    BOOST_TEST(nncert::util::quoted_name("it's.csv") == "'it''s.csv'");
    BOOST_TEST(nncert::util::quoted_name("x.csv' is fine, and 'y") == "'x.csv'' is fine, and ''y'");
    TempDir tmp;
    write_text(tmp / "it's.nnc", csv_script("d.csv"));
    write_text(tmp / "d.csv", "0,1\n");
    const ProcessResult r = run_process("cd " + q(tmp.path()) + " && " + nncert_binary() +
                                        " check \"it's.nnc\" -o \"d.csv\"");
    BOOST_TEST(r.exit == 4, r.err);
    BOOST_TEST(contains(r.err, "-o 'd.csv' is the data file 'd.csv' that the script 'it''s.nnc' reads"), r.err);
}

// F1: via -> real/sub, real/sub/x.nnc reads "../d.csv": the system opens real/d.csv, the reports said d.csv
// (the lexical normal form), an existing different file. The name shown is now the path opened.
BOOST_AUTO_TEST_CASE(dot_dot_after_a_folder_link_is_resolved_as_the_system_does) {
    using nncert::util::resolve_dot_dot;
    TempDir tmp;
    fs::create_directories(tmp / "real" / "sub");
    fs::create_directory_symlink("real/sub", tmp / "via");
    fs::create_symlink("loop", tmp / "loop");
    const fs::path t = tmp.path();
    BOOST_TEST(resolve_dot_dot(t / "via" / ".." / "d.csv") == t / "real" / "d.csv");
    BOOST_TEST(resolve_dot_dot(t / "real" / "sub" / ".." / "d.csv") == t / "real" / "d.csv");
    BOOST_TEST(resolve_dot_dot(t / "via" / "." / "d.csv") == t / "via" / "d.csv");  // no `..`: the link stays
    BOOST_TEST(resolve_dot_dot(t / "via" / ".." / ".." / "real" / "d.csv") == t / "real" / "d.csv");
    BOOST_TEST(resolve_dot_dot("./d.csv") == "d.csv");
    BOOST_TEST(resolve_dot_dot(t / "real" / ".." / ".." / "d.csv") == t.parent_path() / "d.csv");
    // `X/..` with X missing or a file fails to open: kept, so that it still fails (not opened as ./d.csv).
    BOOST_TEST(resolve_dot_dot(t / "none" / ".." / "d.csv") == t / "none" / ".." / "d.csv");
    write_text(tmp / "file", "");
    BOOST_TEST(resolve_dot_dot(t / "file" / ".." / "d.csv") == t / "file" / ".." / "d.csv");
    BOOST_TEST(resolve_dot_dot("../d.csv") == "../d.csv");
    BOOST_TEST(resolve_dot_dot("/../d.csv") == "/d.csv");
    BOOST_TEST(resolve_dot_dot(t / "loop" / ".." / "d.csv") == t / "loop" / ".." / "d.csv");  // a loop: unchanged
    BOOST_TEST(nncert::script::data_file_path("../d.csv", (t / "via").string()) == (t / "real" / "d.csv").string());

    write_text(tmp / "real" / "d.csv", "0,1\n");  // loss 0 at p
    write_text(tmp / "d.csv", "0,5\n");           // the decoy the old reports named
    write_text(tmp / "real" / "sub" / "x.nnc", csv_script("../d.csv"));
    const ProcessResult r = run_process("cd " + q(tmp.path()) + " && " + nncert_binary() + " check via/x.nnc");
    BOOST_TEST(r.exit == 0, r.err);
    BOOST_TEST(contains(r.out, "  real/d.csv\n"), r.out);
    BOOST_TEST(!contains(r.out, "  d.csv\n"), r.out);
    const ProcessResult j = run_process("cd " + q(tmp.path()) + " && " + nncert_binary() + " check via/x.nnc --json");
    const auto doc = nncert::report::Json::parse(j.out);
    BOOST_TEST(doc.at("scripts").as_array().at(0).at("data_files").as_array().at(0).at("file").as_string() ==
               "real/d.csv");
    // An error in the CSV is located in the file read, by that name.
    write_text(tmp / "real" / "d.csv", "0,1,2\n");
    const ProcessResult e = run_process("cd " + q(tmp.path()) + " && " + nncert_binary() + " check via/x.nnc");
    BOOST_TEST(e.exit == 2, e.err + e.out);
    BOOST_TEST(contains(e.out + e.err, "real/d.csv:1:1: error[dimension]"), e.out + e.err);
}

// F2: `refine -o` and `snap -o` into another folder copied `data "d.csv"` unchanged, so the written script
// read a different file (or none). The written script, checked from where it was written, reads the same bytes.
BOOST_AUTO_TEST_CASE(scripts_written_elsewhere_read_the_same_data) {
    TempDir tmp;
    fs::create_directories(tmp / "sub");
    fs::create_directories(tmp / "o" / "deep");
    write_text(tmp / "sub" / "s.nnc",
               "nncert 1\ndata \"d.csv\"\nnetwork {\n  input 1\n  dense 1 identity\n}\nloss sse\n"
               "point p { W1 = [[2.1]] b1 = [0.9] }\nclaim critical p within 1e-6\n");
    write_text(tmp / "sub" / "d.csv", "0,1\n1,3\n2,5.0001\n");
    write_text(tmp / "d.csv", "0,0\n1,0\n2,0\n");  // a decoy where the unchanged reference would point
    write_text(tmp / "sub" / "r.nnc",
               "nncert 1\ndata \"dl.csv\"\nnetwork {\n  input 1\n  dense 2 relu\n  dense 1 identity\n}\nloss sse\n"
               "point p { W1 = [[1],[-1]] b1 = [-0.5, 0.5] W2 = [[1, 1]] b2 = [0.000001] }\n");
    write_text(tmp / "sub" / "dl.csv", "0,0\n1,1\n2,0\n3,1\n");
    auto data_digest = [&](const fs::path& script) {
        const auto s = nncert::script::parse_file(script.string());
        BOOST_REQUIRE(s.data_files.size() == 1);
        return s.data_files.front().sha256;
    };
    const std::string want = data_digest(tmp / "sub" / "s.nnc"), want_l = data_digest(tmp / "sub" / "r.nnc");
    const std::string cd = "cd " + q(tmp.path()) + " && " + nncert_binary();
    for (const std::string out : {"out.nnc", "o/deep/out.nnc", "sub/same.nnc"}) {
        const ProcessResult r = run_process(cd + " refine sub/s.nnc --point p -o " + out);
        BOOST_TEST(r.exit == 0, out + ": " + r.err);
        BOOST_TEST(data_digest(tmp / out) == want, out);
        // Checked from another working folder too: the reference is relative to the script's folder.
        const ProcessResult c = run_process("cd / && " + nncert_binary() + " check " + q(tmp / out));
        BOOST_TEST(c.exit == 0, out + ": " + c.out + c.err);
    }
    BOOST_TEST(contains(read_text(tmp / "out.nnc"), "data \"sub/d.csv\""), read_text(tmp / "out.nnc"));
    BOOST_TEST(contains(read_text(tmp / "o/deep/out.nnc"), "data \"../../sub/d.csv\""));
    BOOST_TEST(contains(read_text(tmp / "sub/same.nnc"), "data \"d.csv\""));  // same folder: unchanged
    for (const std::string out : {"o/snap.nnc", "snap.nnc"}) {
        const ProcessResult r = run_process(cd + " snap sub/r.nnc --point p --max-move 10 -o " + out);
        BOOST_TEST(r.exit == 0, out + ": " + r.err);
        BOOST_TEST(data_digest(tmp / out) == want_l, out);
    }
    // A folder whose name a script string cannot hold (a '"'): refused before any work, nothing written.
    fs::create_directories(tmp / "q\"x");
    write_text(tmp / "q\"x" / "s.nnc", read_text(tmp / "sub" / "s.nnc"));
    write_text(tmp / "q\"x" / "d.csv", read_text(tmp / "sub" / "d.csv"));
    const ProcessResult bad = run_process(cd + " refine 'q\"x/s.nnc' --point p -o o/bad.nnc");
    BOOST_TEST(bad.exit == 4, bad.err);
    BOOST_TEST(contains(bad.err, "cannot be named from the output's folder"), bad.err);
    BOOST_TEST(!fs::exists(tmp / "o" / "bad.nnc"));
}

// F11: `claim loss p = 0` on line 12 and `* 0 + 10` 400 lines below read as one claim of loss 10, certified at
// line 12. A token inside an item may follow at most max_quiet_lines blank or comment-only lines.
BOOST_AUTO_TEST_CASE(an_item_cannot_continue_far_below) {
    using nncert::script::max_quiet_lines;
    const std::string head = "nncert 1\ndata {\n  0 -> 1\n}\nnetwork {\n  input 1\n  dense 1 identity\n}\nloss sse\n"
                             "point p {\n  W1 = [[0]]\n  b1 = [0]\n}\n";
    auto code_at = [&](const std::string& text) -> std::pair<std::string, std::size_t> {
        try {
            nncert::script::parse_text(text, "v.nnc", ".");
            return {"", 0};
        } catch (const ParseError& e) {
            return {e.code, e.loc.line};
        }
    };
    const std::string claim = "claim loss p = 0   # a perfect fit?\n";
    const std::size_t claim_line = 14;
    // The mutant: 400 blank lines, then the rest of the expression.
    const auto far = code_at(head + claim + std::string(400, '\n') + "* 0 + 1\n");
    BOOST_TEST(far.first == "layout");
    BOOST_TEST(far.second == claim_line + 401);
    // Comment lines are lines without code too.
    std::string comments;
    for (std::size_t k = 0; k <= max_quiet_lines; ++k) comments += "# note\n";
    BOOST_TEST(code_at(head + claim + comments + "* 0 + 1\n").first == "layout");
    // At the limit it is one claim, as before.
    BOOST_TEST(code_at(head + claim + std::string(max_quiet_lines, '\n') + "* 0 + 1\n").first == "");
    // Inside a block (a point's parameters) too.
    BOOST_TEST(code_at("nncert 1\ndata {\n  0 -> 1\n}\nnetwork {\n  input 1\n  dense 1 identity\n}\nloss sse\n"
                       "point p {\n  W1 = [[0]]\n" + std::string(max_quiet_lines + 1, '\n') + "  b1 = [0]\n}\n")
                   .first == "layout");
    // Between items any gap is allowed: a new claim far below is a claim of its own.
    BOOST_TEST(code_at(head + claim + std::string(400, '\n') + "claim loss p = 1\n").first == "");
    BOOST_TEST(code_at(std::string(50, '\n') + head).first == "");
}

// F4: `0.` + 998 zeros + `1e999` is 1 while a viewer shows 0.000... to its right edge; the exponent must come
// within the literal's first max_chars_before_exponent characters (also in CSV fields), and the printer
// writes no longer mantissa before an exponent.
BOOST_AUTO_TEST_CASE(an_exponent_must_stay_in_view) {
    using nncert::script::max_chars_before_exponent;
    auto code_of = [](const std::string& number) {
        try {
            nncert::script::parse_number(number);
            return std::string();
        } catch (const ParseError& e) {
            return e.code;
        }
    };
    const std::string far = "0." + std::string(998, '0') + "1e999";
    BOOST_TEST(code_of(far) == "layout");
    BOOST_TEST(code_of("0." + std::string(max_chars_before_exponent - 3, '0') + "1e3") == "");  // 64 before e
    BOOST_TEST(code_of("0." + std::string(max_chars_before_exponent - 2, '0') + "1e3") == "layout");
    BOOST_TEST(code_of("0x1." + std::string(max_chars_before_exponent - 4, '0') + "p+0") == "");
    BOOST_TEST(code_of("0x1." + std::string(max_chars_before_exponent - 3, '0') + "p+0") == "layout");
    BOOST_TEST(code_of("0." + std::string(998, '0') + "1") == "");  // no exponent: what is shown is the value
    // A CSV row hiding its exponent is refused the same way.
    TempDir tmp;
    write_text(tmp / "d.csv", "0," + far + "\n");
    write_text(tmp / "s.nnc", csv_script("d.csv"));
    BOOST_CHECK_EXCEPTION(nncert::script::parse_file((tmp / "s.nnc").string()), ParseError,
                          [](const ParseError& e) { return e.code == "layout" && e.loc.line == 1; });
    // The canonical printer: a number with a long mantissa and more than 1000 digits is written in pieces, and
    // its text parses back (no exponent after more than 64 characters).
    const nncert::kernel::Rational big =
        nncert::kernel::Rational(nncert::kernel::Integer(std::string(100, '7'))) * nncert::script::parse_number("1e1000");
    const std::string text = nncert::script::number_text(big);
    BOOST_TEST(nncert::script::parse_number(text) == big);
    const std::regex literal_with_exponent("[0-9.]+[eE]");
    for (std::sregex_iterator it(text.begin(), text.end(), literal_with_exponent), end; it != end; ++it)
        BOOST_TEST(it->length() <= static_cast<long>(max_chars_before_exponent) + 1);
}

// F9: matplotlib drops legend labels that start with '_'; a point named `_bad` vanished from the fits legend.
BOOST_AUTO_TEST_CASE(plot_legends_show_underscore_names) {
    TempDir tmp;
    write_text(tmp / "l.json",
               R"({"nncert_plot": 1, "kind": "fits", "script": "l.nnc", "data": [[0, 0], [1, 1]], "curves": [)"
               R"({"point": "good", "x": [0, 1], "y": [0, 1], "loss": "0"},)"
               R"({"point": "_bad", "x": [0, 1], "y": [1, 0], "loss": "13"}]})");
    const std::string py = "import json, sys; sys.path.insert(0, sys.argv[1]); import nncert_plot as n; "
                           "fig = n.fits(json.load(open(sys.argv[2]))); "
                           "print('\\n'.join(t.get_text() for t in fig.axes[0].get_legend().get_texts()))";
    const ProcessResult r = run_process("/usr/bin/python3 -c " + shell_quote(py) + " " +
                                        shell_quote(std::string(NNCERT_SOURCE_DIR) + "/plot") + " " + q(tmp / "l.json"));
    BOOST_TEST(r.exit == 0, r.err);
    BOOST_TEST(contains(r.out, "_bad (loss 13)\n"), r.out);
    BOOST_TEST(contains(r.out, "good (loss 0)\n"), r.out);
}

BOOST_AUTO_TEST_SUITE_END()
