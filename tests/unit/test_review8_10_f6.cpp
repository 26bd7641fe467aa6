// Review r8-10 of issue #8, F6 (session 30, helper f6): a number of a list that starts within column 160 and runs
// past it showed only its start, so `1` at the edge could be 1e-999 or 1/1000000. Now only fraction digits may be out
// of view there (one decimal literal, its point within column 160), and every tool that writes scripts breaks its
// lines as `nncert print` does (script/wrap.hpp), so what the tools write keeps the rule.
#include "construct_support.hpp"
#include "process.hpp"
#include "script_compare.hpp"
#include "syntax_errors.hpp"
#include "test_paths.hpp"
#include "writer_checks.hpp"
#include "import/import_command.hpp"
#include "script/csv.hpp"
#include "script/lexer.hpp"
#include "script/number.hpp"
#include "script/script.hpp"
#include "script/wrap.hpp"
#include "tools/refine.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <cstring>
#include <sstream>
#include <string>

namespace {

using nncert::test::script_error;
namespace s = nncert::script;
using nncert::test::line_past_the_edge;
using nncert::test::read_error;
namespace k = nncert::kernel;

std::string times(const std::string& piece, std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += piece;
    return out;
}

// A data row whose number `n` starts at column `col` (n is the row's last input; the target follows), in a script.
std::string row_with_input_at(std::size_t col, const std::string& n) {
    // "  " + "0, " x m puts the next value at column 3 + 3 m; blanks before the first value move it by 0-2.
    const std::size_t m = (col - 3) / 3;
    return "nncert 1\ndata {\n  " + std::string((col - 3) % 3, ' ') + times("0, ", m) + n + " -> 1\n}\n";
}

// A point whose W1 row has `n` as its last value, starting at column `col`.
std::string point_with_value_at(std::size_t col, const std::string& n) {
    // "  W1 = [[" is 9 columns; "0, " x m puts the next value at column 10 + 3 m.
    const std::size_t m = (col - 10) / 3;
    return "nncert 1\npoint p {\n  W1 = [[" + std::string((col - 10) % 3, ' ') + times("0, ", m) + n + "]]\n}\n";
}

using nncert::test::csv_error;  // syntax_errors.hpp

// A CSV line whose field `n` starts at column `col` (odd columns: "0," x m puts the next field at 1 + 2 m; an even
// one starts with the field "00").
std::string csv_with_field_at(std::size_t col, const std::string& n) {
    return (col % 2 == 0 ? "00," + times("0,", (col - 4) / 2) : times("0,", (col - 1) / 2)) + n + ",1\n";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(review8_10_f6)

// Accepted: of a number that starts in view, only fraction digits are out of view: one decimal literal (with a
// '-' or not) whose point stands within column 160, in a data row, a point, a CSV field. A number that starts past
// the edge is still one number in any of the forms of before (a fraction, nncert print's pieces).
BOOST_AUTO_TEST_CASE(fraction_digits_may_cross_the_edge) {
    const std::string digits = times("3", 300);
    // A literal (with a '-' when `minus`) starting at column `col` whose point stands at column col + 7 or, when that
    // is past the edge, at column 160 (the last one in view).
    const auto literal = [&](std::size_t col, bool minus) {
        const std::size_t start = col + (minus ? 1 : 0);
        const std::string head = std::string("1234567.").substr(start + 7 > 160 ? start + 7 - 160 : 0);
        return (minus ? "-" : "") + head + digits;
    };
    for (const std::size_t col : {120u, 150u, 153u, 155u, 158u}) {
        BOOST_TEST_CONTEXT("a literal at column " << col) {
            BOOST_TEST(script_error(row_with_input_at(col, literal(col, false))).first == "");
            BOOST_TEST(script_error(row_with_input_at(col, literal(col, true))).first == "");
            BOOST_TEST(script_error(point_with_value_at(col, literal(col, false))).first == "");
            BOOST_TEST(script_error(point_with_value_at(col, literal(col, true))).first == "");
            BOOST_TEST(csv_error(csv_with_field_at(col, literal(col, false))) == "");
            BOOST_TEST(csv_error(csv_with_field_at(col, literal(col, true))) == "");
        }
    }
    // The point exactly at column 160 (the last one in view).
    BOOST_TEST(script_error(row_with_input_at(159, "0." + digits)).first == "");
    BOOST_TEST(script_error(row_with_input_at(158, "-0." + digits)).first == "");
    BOOST_TEST(csv_error(csv_with_field_at(159, "0." + digits)) == "");
    BOOST_TEST(csv_error(csv_with_field_at(157, "12." + digits)) == "");
    // Numbers wholly past the edge: one number, as before (the line visibly runs on past the edge).
    BOOST_TEST(script_error(row_with_input_at(170, "1/1000000")).first == "");
    BOOST_TEST(script_error(row_with_input_at(170, "1e-999")).first == "");
    BOOST_TEST(script_error(row_with_input_at(170, s::number_text(k::Rational(k::Integer(10)) / 3 +
                                                                 k::Rational(boost::multiprecision::pow(k::Integer(10), 70)))))
                   .first == "");
    BOOST_TEST(csv_error(csv_with_field_at(171, "1/1000000")) == "");
    // Numbers that end within column 160 may be any expression.
    BOOST_TEST(script_error(row_with_input_at(150, "1e-999")).first == "");
    BOOST_TEST(script_error(row_with_input_at(150, "0+0+1")).first == "");
}

// Rejected (error layout, at the number): anything else that starts within column 160 and ends past it.
BOOST_AUTO_TEST_CASE(other_numbers_may_not_cross_the_edge) {
    const std::string big = s::number_text(k::Rational(boost::multiprecision::pow(k::Integer(10), 70)) + 1);
    BOOST_TEST(big == "1000000 * 1e64 + 1");  // nncert print's piece form
    const std::pair<std::string, std::size_t> cases[] = {
        {"1e-999", 160},      // `1` in view, the exponent past the edge
        {"1e-999", 158},      // `1e-` in view
        {"1.5e-999", 158},    // the point in view, an exponent past the edge
        {"1/1000000", 160},   // `1` or `1/` in view
        {"1/1000000", 157},
        {"12345", 158},       // a whole number: no point in view
        {"12345.5", 158},     // the point past the edge
        {"12345678.5", 153},  // the point at column 161
        {"0x1p+999", 160},    // hexadecimal
        {"0x1.8p3", 156},
        {"-1.5", 160},        // a '-' in view, the literal past the edge
        {"-12/7", 157},
        {"0+0+0+1", 158},     // an expression
        {big, 155},           // nncert print's pieces: print breaks its line before them
    };
    for (const auto& [n, col] : cases)
        BOOST_TEST_CONTEXT(n << " at column " << col) {
            const auto row = script_error(row_with_input_at(col, n));
            BOOST_TEST(row.first == "layout");
            BOOST_TEST(row.second == 3u);  // the row's line
            BOOST_TEST(script_error(point_with_value_at(col, n)).first == "layout");
            if (n.find(' ') == std::string::npos)  // a CSV field has no blanks around its operators here
                BOOST_TEST(csv_error(csv_with_field_at(col, n)) == "layout:1:" + std::to_string(col));
        }
    // The first character past the edge decides: the same numbers one column earlier end in view.
    BOOST_TEST(script_error(row_with_input_at(155, "1e-999")).first == "");
    BOOST_TEST(script_error(row_with_input_at(152, "1/1000000")).first == "");
    BOOST_TEST(csv_error(csv_with_field_at(156, "12345")) == "");
    // A number over two lines: a '-' past the edge of one line before a number in view on the next (the number in
    // view is not what it is), and a fraction begun past the edge and ended in view. Each token that starts in view
    // counts: the number is then one decimal literal with its point in view, or layout.
    BOOST_TEST(script_error("nncert 1\npoint p {\n  W1 = [[" + times("0, ", 55) + "  -\n    5]]\n}\n").first == "layout");
    BOOST_TEST(script_error("nncert 1\npoint p {\n  W1 = [[" + times("0, ", 55) + "  1 /\n    3]]\n}\n").first == "layout");
    BOOST_TEST(script_error("nncert 1\npoint p {\n  W1 = [[" + times("0, ", 55) + "  1,\n    -5]]\n}\n").first == "");
    // Poly coefficients are a list too.
    BOOST_TEST(script_error("nncert 1\nnetwork {\n  input 1\n  dense 1 poly(" + times("0, ", 48) + "1e-999)\n}\n").first ==
               "layout");
    BOOST_TEST(script_error("nncert 1\nnetwork {\n  input 1\n  dense 1 poly(" + times("0, ", 47) + "  1.5" +
                            times("5", 100) + "\n  )\n}\n")
                   .first == "");
}

// The shared line breaker: rows are broken only after ',', '->', `weight` or an operator in view, and not at all once
// past the edge; other lines anywhere; a comment goes on on lines that start with '#'; a quoted name stays whole.
BOOST_AUTO_TEST_CASE(wrap_keeps_lines_in_view) {
    const std::string long_centre = "0." + times("7", 999);  // 1000 digits, the literal limit
    const std::string targets = times("2, ", 60) + "1";
    const std::string text =
        "nncert 1\n# " + times("comment words ", 30) + "\n" +
        "data {\n  " + times("1/3, ", 40) + "1 -> " + targets + " weight 1/7  # " + times("note ", 40) + "\n  " +
        times("-1/9, ", 39) + long_centre + ", 1 -> " + targets + "\n}\n"
        "network {\n  input 41\n  dense 2 poly(" + times("1/5, ", 40) + "1) nobias\n  dense 61 identity nobias\n}\n"
        "loss sse\n"
        "point p {\n  W1 = [[" + times(long_centre + ", ", 40) + "1], [" + times("-1/11, ", 40) + "1]]\n"
        "  W2 = [" + times("[1, 1], ", 60) + "[1, 1]]\n}\n"
        "claim loss p in [0" + times(" + 1/3", 60) + ", inf]\n";
    const std::string wrapped = s::wrap_script(text);
    BOOST_TEST(line_past_the_edge(text) != "");
    BOOST_TEST(line_past_the_edge(wrapped) == "");
    // The second row starts with short values and runs past the edge at its long centre: the wrapper broke it
    // before the centre (after a ',' in view), and the centre's line holds the rest of the row (a row goes on to the
    // next line only after a token in view).
    BOOST_TEST(wrapped.find("\n      " + long_centre + ", 1 -> " + targets + "\n") != std::string::npos);
    BOOST_TEST(wrapped.find("\n  #   note note") != std::string::npos);  // the row's comment goes on as a comment
    // The wide text itself is layout (its row's `weight` and its claim run past the edge); the wrapped one reads, with
    // every value written.
    BOOST_TEST(script_error(text).first == "layout");
    try {
        const s::Script sc = s::parse_text(wrapped, "t.nnc", ".");
        const k::Rational third(1, 3), centre = s::parse_number(long_centre);
        BOOST_TEST(sc.problem.data.size() == 2u);
        k::Vector inputs(40, third);
        inputs.push_back(1);
        BOOST_TEST((sc.problem.data[0].x == inputs));
        BOOST_TEST((sc.problem.data[0].weight == k::Rational(1, 7)));
        BOOST_TEST((sc.problem.data[1].x[39] == centre));
        BOOST_TEST((sc.problem.data[1].y.size() == 61u));
        BOOST_TEST((sc.problem.net.layers[0].activation.coeffs.size() == 41u));
        BOOST_TEST((sc.points[0].params[39] == centre));
        BOOST_TEST((sc.points[0].params[40] == 1));
        BOOST_TEST((sc.points[0].params[41] == k::Rational(-1, 11)));
        BOOST_TEST(sc.claims.size() == 1u);
        BOOST_TEST((sc.claims[0].claim.lower == std::optional<k::Rational>(k::Rational(20))));
    } catch (const s::ParseError& e) {
        BOOST_TEST(false, e.format());
    }
    // A quoted file name is one word, blanks and '#' included.
    const std::string name_line = "data \"" + times("a b#", 20) + ".csv\" " + times("x ", 50);
    BOOST_TEST(s::wrap_lines(name_line).find("\"" + times("a b#", 20) + ".csv\"") != std::string::npos);
    // Short lines are unchanged, and a text without a final line break keeps none.
    BOOST_TEST(s::wrap_script("nncert 1\nloss sse") == "nncert 1\nloss sse");
}

// What every tool writes on wide inputs reads back and keeps every line within column 160 wherever a line break may
// stand (before this change they wrote wide rows and points on one line).
BOOST_AUTO_TEST_CASE(writers_keep_the_view_rule) {
    nncert::test::TempDir dir;
    // construct dead-layer with wide CSV data: 40 inputs of 1/3 and a target of 1/7 per row.
    {
        std::string csv;
        for (int r = 0; r < 3; ++r) csv += times(std::to_string(r) + "/3,", 40) + std::to_string(r) + "/7\n";
        nncert::test::write_text(dir / "wide.csv", csv);
        std::string text, err;
        BOOST_TEST(nncert::test::construct_run({"dead-layer", "--data", (dir / "wide.csv").string(), "--depth", "2",
                                                "--widths", "3"},
                                               &text, &err) == 0,
                   err);
        BOOST_TEST(line_past_the_edge(text) == "");
        BOOST_TEST(read_error(text) == "");
        BOOST_TEST(nncert::test::all_certified(nncert::test::parse_generated(text)));
    }
    // construct partition at its largest dimension.
    {
        std::string text, err;
        BOOST_TEST(nncert::test::construct_run({"partition", "--dim", "16"}, &text, &err) == 0, err);
        BOOST_TEST(line_past_the_edge(text) == "");
        BOOST_TEST(read_error(text) == "");
    }
    // import of a wide weight matrix: 1 x 40 float64 weights 0.1 (55 digits each, exactly), data of 40 inputs.
    {
        std::string header = R"({"0.weight":{"dtype":"F64","shape":[1,40],"data_offsets":[0,320]}})";
        std::string bytes;
        const double tenth = 0.1;
        std::uint64_t bits = 0;
        std::memcpy(&bits, &tenth, sizeof bits);
        for (int i = 0; i < 40; ++i)
            for (int b = 0; b < 8; ++b) bytes += static_cast<char>((bits >> (8 * b)) & 0xff);
        std::string file;
        for (int b = 0; b < 8; ++b) file += static_cast<char>((std::uint64_t(header.size()) >> (8 * b)) & 0xff);
        nncert::test::write_text(dir / "w.safetensors", file + header + bytes);
        nncert::test::write_text(dir / "d.csv", times("1/3,", 40) + "1\n" + times("2,", 40) + "-1\n");
        nncert::import::ImportOptions o;
        o.weights = (dir / "w.safetensors").string();
        o.data = (dir / "d.csv").string();
        const std::string text = nncert::import::import_script(o);
        BOOST_TEST(text.find("0.1000000000000000055511151231257827021181583404541015625") != std::string::npos);
        BOOST_TEST(line_past_the_edge(text) == "");
        BOOST_TEST(read_error(text) == "");
        // A float that is a whole number of more than 64 digits (1e300) is written in number_text's form: its
        // 301-digit literal broke the width rule, and import refused its own script (exit 4).
        const double huge = 1e300;
        std::memcpy(&bits, &huge, sizeof bits);
        std::string one;
        for (int b = 0; b < 8; ++b) one += static_cast<char>((bits >> (8 * b)) & 0xff);
        header = R"({"0.weight":{"dtype":"F64","shape":[1,1],"data_offsets":[0,8]}})";
        file.clear();
        for (int b = 0; b < 8; ++b) file += static_cast<char>((std::uint64_t(header.size()) >> (8 * b)) & 0xff);
        nncert::test::write_text(dir / "huge.safetensors", file + header + one);
        nncert::test::write_text(dir / "d1.csv", "1,1\n");
        o.weights = (dir / "huge.safetensors").string();
        o.data = (dir / "d1.csv").string();
        try {
            const std::string huge_text = nncert::import::import_script(o);
            BOOST_TEST(line_past_the_edge(huge_text) == "");
            const s::Script sc = s::parse_text(huge_text, "<import>", ".");
            BOOST_TEST((sc.points[0].params[0] == k::Rational(huge)));
        } catch (const std::exception& e) {
            BOOST_TEST(false, e.what());
        }
    }
    // refine --digits 1000: centres of 1000 digits, each on a line of its own with its point in view.
    {
        const std::string script = "nncert 1\ndata {\n  -2 -> 0\n  -1 -> 1/8\n  0 -> 5/8\n  1 -> 7/8\n  2 -> 1\n}\n"
                                   "network { input 1 dense 1 sigmoid dense 1 identity }\nloss sse\n"
                                   "point P { W1 = [[2.09152]] b1 = [0.535058] W2 = [[1.01744]] b2 = [-0.0353855] }\n"
                                   "claim strict_local_min P within 1/2\n";
        nncert::tools::RefineOptions opt;
        opt.point = "P";
        opt.digits = 1000;
        opt.radius = k::Rational(1, 1000000000);
        const auto r = nncert::tools::refine_script(script, "t.nnc", "", opt);
        BOOST_TEST(r.converged);
        BOOST_TEST(r.text.size() > 4000u);  // four centres of about 1000 digits
        BOOST_TEST(line_past_the_edge(r.text) == "");
        try {
            const s::Script after = s::parse_text(r.text, "t.nnc", "");
            BOOST_TEST((after.points[0].params == r.centre));
        } catch (const s::ParseError& e) {
            BOOST_TEST(false, e.format());
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
