// Review r8-9 of issue #8, F3 (session 26, helper h8r10): the view rule's list model. A data row's `weight` and a
// second target could stand wholly past column 160 behind a blank run, under a row that looked complete. Now
// `weight w` ends in view, blanks cover column 160 before more text only after a token that shows the line goes on
// (',', '->', '[', '(' or an operator), and a data row goes on to the next line after a ',' or '->' (so `nncert
// print` writes nothing past the edge).
#include "syntax_errors.hpp"
#include "process.hpp"
#include "script_compare.hpp"
#include "script/csv.hpp"
#include "script/lexer.hpp"
#include "script/number.hpp"
#include "script/script.hpp"

#include <boost/test/unit_test.hpp>

#include <sstream>
#include <string>

namespace {

using nncert::test::script_error;
namespace s = nncert::script;

std::string times(const std::string& piece, std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += piece;
    return out;
}

std::string blanks(std::size_t n) { return std::string(n, ' '); }

// `nncert 1` and a data block of `rows` (each a line, indented 2).
std::string data(const std::string& rows) { return "nncert 1\ndata {\n" + rows + "\n}\n"; }

using nncert::test::csv_error;  // syntax_errors.hpp

std::size_t widest_line(const std::string& text) {
    std::istringstream in(text);
    std::string line;
    std::size_t widest = 0;
    while (std::getline(in, line)) widest = std::max(widest, line.size());
    return widest;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(review8_10_fixes)

// `weight w` is not a list value: the word and its number end within column 160, behind blanks or not.
BOOST_AUTO_TEST_CASE(a_weight_ends_in_view) {
    const std::string inputs = "  " + times("1, ", 42) + "1";  // ends at column 128
    BOOST_TEST(script_error(data(inputs + " -> 3 weight 1/1000000")).first == "");
    BOOST_TEST(script_error(data(inputs + " -> 3" + blanks(32) + "weight 1/1000000")).first == "layout");  // F3
    BOOST_TEST(script_error(data(inputs + " -> 3 weight 1" + times("+0", 20))).first == "layout");   // its number
    BOOST_TEST(script_error(data(inputs + ", 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 -> 3 weight 2")).first == "layout");
    // A wide weighted row goes on to the next line after a ',' or '->' (or `weight`), and then reads.
    BOOST_TEST(script_error(data(inputs + ",\n    1, 1 -> 3 weight 2")).first == "");
    BOOST_TEST(script_error(data(inputs + " ->\n    3 weight 2")).first == "");
    BOOST_TEST(script_error(data(inputs + " -> 3 weight\n    1/1000000")).first == "");
    // The weight's number may be any expression in view.
    BOOST_TEST(script_error(data("  1 -> 3 weight 1/2 + 1/3")).first == "");
}

// Blanks that cover column 160 before more text make the line look ended there: `layout`, in every list.
BOOST_AUTO_TEST_CASE(blanks_never_cover_the_edge) {
    const std::string inputs = "  " + times("1, ", 42) + "1";  // ends at column 128
    const std::pair<std::string, std::string> rejected[] = {
        {"a second target", data(inputs + " -> 3" + blanks(32) + ", 4")},
        {"an input", data(inputs + blanks(32) + ", 4 -> 3")},
        {"a point value", "nncert 1\npoint p {\n  b1 = [" + times("0, ", 41) + "0" + blanks(32) + ", 5]\n}\n"},
        {"a poly coefficient",
         "nncert 1\nnetwork {\n  input 1\n  dense 1 poly(0, 1" + times(", 0", 38) + blanks(32) + ", 5)\n}\n"},
        {"a tab that reaches the edge", data("  " + times("1, ", 51) + "1\t\t, 2 -> 1")},
    };
    for (const auto& [what, text] : rejected)
        BOOST_TEST_CONTEXT(what) {
            BOOST_TEST(script_error(text).first == "layout");
        }
    // After a ',', '->', '[' or '(' a viewer sees the line go on, blanks or not.
    BOOST_TEST(script_error(data(inputs + "," + blanks(32) + "4 -> 3")).first == "");
    BOOST_TEST(script_error(data(inputs + " ->" + blanks(30) + "3")).first == "");
    BOOST_TEST(script_error("nncert 1\npoint p {\n  b1 = [" + times("0, ", 41) + "0," + blanks(32) + "5]\n}\n").first == "");
    // Blanks that stop before column 160 (text at 160 shows the line goes on), or that lie wholly past it after
    // text that reaches it, hide nothing a viewer would take as the line's end.
    const std::string to_159 = "  " + times("1, ", 52) + "1";  // `1` at column 159
    BOOST_TEST(to_159.size() == 159u);
    BOOST_TEST(script_error(data(to_159 + ",2 -> 3")).first == "");        // ',' at column 160
    BOOST_TEST(script_error(data(to_159 + ", 2 -> 3")).first == "");        // ',' at 160, blanks past it
    BOOST_TEST(script_error(data(to_159 + " -> 3")).first == "layout");     // a blank at 160, '->' at 161
    BOOST_TEST(script_error(data(to_159 + "0,    2 -> 3")).first == "");    // `10` ends at 160, blanks past it
    BOOST_TEST(script_error(data(to_159 + " ,2 -> 3")).first == "layout");
    // CSV lines: the same rule (the only blanks a CSV line may hold are around its fields).
    BOOST_TEST(csv_error(times("1, ", 43) + "3" + blanks(32) + ",4\n") == "layout:1:163");
    BOOST_TEST(csv_error(times("1, ", 43) + "3," + blanks(32) + "4\n") == "");
    BOOST_TEST(csv_error(times("1, ", 43) + "3" + blanks(28) + ",4\n") == "");  // blanks end at column 158
    BOOST_TEST(csv_error(times("1,", 80) + blanks(10) + "1\n") == "");
    // Blanks before a comment hide nothing that is checked, however far they reach.
    BOOST_TEST(script_error(data("  1 -> 3" + blanks(200) + "# note")).first == "");
}

// A data row goes on to the next line after a token it cannot end with, only if a viewer shows that token, and
// only to the very next line.
BOOST_AUTO_TEST_CASE(a_data_row_goes_on_after_a_comma_or_an_arrow) {
    const auto rows = [](const std::string& text) {
        return s::parse_syntax("nncert 1\ndata {\n" + text + "\n}\n", "t.nnc").data->rows;
    };
    const auto r = rows("  1, 2,\n    3 -> 4,\n  5\n  -1 -> 2 -\n  1");
    BOOST_TEST(r.size() == 2u);
    BOOST_TEST(r[0].x.size() == 3u);
    BOOST_TEST(r[0].y.size() == 2u);
    BOOST_TEST(r[1].x.front() == nncert::kernel::Rational(-1));
    BOOST_TEST(r[1].y.front() == nncert::kernel::Rational(1));
    BOOST_TEST(rows("  1 -> 2\n  -1 -> 3").size() == 2u);  // `2` ends a row: the next line is a row of its own
    BOOST_TEST(script_error(data("  1, 2,\n\n  3 -> 4")).first == "syntax");        // not past a line without code
    BOOST_TEST(script_error(data("  1, 2,\n  # note\n  3 -> 4")).first == "syntax");
    // A trailing comma past the edge is not shown: the next line would look like a row of its own.
    BOOST_TEST(script_error(data("  " + times("1, ", 60) + "1,\n  3 -> 4")).first == "syntax");
    BOOST_TEST(script_error(data("  " + times("1, ", 40) + "1,\n  3 -> 4")).first == "");
}

// What nncert print writes never runs past column 160: data rows are broken after ',' / '->' / `weight` and at the
// operators of print's form of a large number; it reads back to the same script and prints the same.
BOOST_AUTO_TEST_CASE(printed_text_stays_within_the_edge) {
    const std::string big = "(1e999 + 1) / 3";
    const std::string text = "nncert 1\ndata {\n  " + big + times(", 1/7", 15) + ",\n    " + times("1/7, ", 14) +
                             "1/7 -> 1\n  " + times("1, ", 30) + "1 -> 1 weight\n  (1e999 + 1) / 7\n  " +
                             times("-12/7, ", 15) + "\n    " + times("-12/7, ", 15) + "1 -> 1 weight 1/3\n}\n"
                             "network {\n  input 31\n  dense 1 poly(" + big + ", 1/3) nobias\n}\nloss sse\n"
                             "point p {\n  W1 = [[" + big + times(", 1/7", 15) + "\n    " + times(", 1/7", 15) +
                             "]]\n}\nclaim loss p in [" + big + ", (1e999 + 2) / 3]\n";
    const s::Script sc = s::parse_text(text, "t.nnc", ".");
    const std::string printed = s::print_canonical(sc);
    BOOST_TEST(widest_line(printed) <= s::view_width);
    BOOST_TEST(printed.size() > 2000u);  // the weight 1/7 of 1e999 + 1 and the claim's upper end: about 1,000 digits each
    try {
        const s::Script back = s::parse_text(printed, "t.nnc", ".");
        BOOST_TEST(nncert::test::script_differences(sc, back).empty());
        BOOST_TEST(s::print_canonical(back) == printed);
    } catch (const s::ParseError& e) {
        BOOST_TEST(false, "the printed script does not read: " << e.format());
    }
}

// Review r8-9 F4: the exact kernel's forward and backward sweeps looked up each layer's offset by scanning the layers
// before it (Network::weight_offset), once per layer and data point: quadratic in the depth. They now use one
// LayerOffsets per sweep. 100,000 `dense 1 identity` layers, two data rows: `claim loss p = 17` took 88 s with main
// d9b38a9 (11.4 s at 40,000 layers) and takes 2.9 s now (1.0 s), load about 9. No timed assertion: `--timeout 60`
// (reading, and per claim) turns a regression into an error or INCONCLUSIVE, which fails. 60, not 30: the sanitized
// binary's reading alone passed 30 s at load 11 (a flaky failure), while the quadratic sweeps took 88 s in release.
BOOST_AUTO_TEST_CASE(exact_sweeps_are_linear_in_the_depth) {
    namespace t = nncert::test;
    const std::size_t layers = 100000;
    std::string text = "nncert 1\ndata {\n  1 -> 5\n  2 -> 3\n}\nnetwork {\n  input 1\n";
    for (std::size_t l = 0; l < layers; ++l) text += "  dense 1 identity\n";
    text += "}\nloss sse\npoint p {\n";
    for (std::size_t l = 1; l <= layers; ++l) text += "  W" + std::to_string(l) + " = [[1]] b" + std::to_string(l) + " = [0]\n";
    text += "}\nclaim loss p = 17\n";
    t::TempDir dir;
    t::write_text(dir / "deep.nnc", text);
    const t::ProcessResult r =
        t::run_process(t::nncert_binary() + " check --timeout 60 " + t::shell_quote((dir / "deep.nnc").string()));
    BOOST_TEST(r.exit == 0, r.out + r.err);
    BOOST_TEST(r.out.find("CERTIFIED     loss p = 17  [exact-loss]") != std::string::npos, r.out);
}

BOOST_AUTO_TEST_SUITE_END()
