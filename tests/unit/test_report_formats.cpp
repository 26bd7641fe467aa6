// Report formats rendered in-process: streaming writes the same bytes as rendering the finished document
// (JSON and text), quiet reports keep exactly the failures, Markdown/LaTeX/JUnit escape hostile text,
// key numbers and decimal views are exact or rounded in the stated direction, JUnit XML parses.
#include "report/decimal.hpp"
#include "report/key_numbers.hpp"
#include "report/markup_escape.hpp"
#include "report/render_junit.hpp"
#include "report/render_latex.hpp"
#include "report/render_markdown.hpp"
#include "report/render_text.hpp"
#include "report/report.hpp"
#include "report/stream.hpp"
#include "script/script.hpp"

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <boost/test/unit_test.hpp>

#include <optional>
#include <random>
#include <sstream>
#include <string>

namespace r = nncert::report;
using nncert::kernel::Rational;
using r::Json;

namespace {

Json claim(const std::string& text, int line, const std::string& verdict, Json evidence = Json::Object{}) {
    Json c;
    c.set("claim", text);
    c.set("line", line);
    c.set("verdict", verdict);
    c.set("method", "exact-loss");
    if (verdict == "certified") c.set("certificate", std::move(evidence));
    else if (verdict == "refuted") c.set("witness", std::move(evidence));
    else c.set("reason", "needs a smaller box");
    c.set("time_us", 1234);
    return c;
}

// Three scripts: one clean, one with a refuted and an inconclusive claim, one malformed; the second
// has a hostile file name (Markdown, LaTeX and XML metacharacters and a control character).
Json::Array sample_scripts() {
    const std::string hostile = "we|ird_$&<x>\x1b[31m%#~^{}\\.nnc";
    r::ErrorInfo syntax{"syntax", 3, 7, "expected '=' <here> & \"there\"", ""};
    Json a = r::script_json("a.nnc", std::string(64, 'a'),
                            {claim("loss bad = 18", 12, "certified", Json::Object{{"loss", Json("18")}})});
    a.set("time_us", 2000);
    Json b = r::script_json(
        hostile, std::string(64, 'b'),
        {claim("gap bad > good", 5, "refuted",
               Json::Object{{"loss", Json("1/3")}, {"other_loss", Json("123456789012345678/1000000000000000000")}}),
         claim("loss P within 1/10 in [0, 1]", 6, "inconclusive"),
         claim("critical good", 7, "certified", Json::Object{{"parameters", Json(4)}})});
    Json c = r::error_script_json("broken.nnc", std::string(64, 'c'), syntax);
    return {a, b, c};
}

Json head_options() { return Json::Object{{"max_patterns", Json(4096)}, {"precision_bits", Json(128)}}; }

std::string stream_all(r::ReportFormat format, bool quiet, Json* doc_out = nullptr) {
    std::ostringstream out;
    r::ReportStream s(out, {format, quiet}, "9.9.9", "0123456789abcdef0123456789abcdef01234567", head_options());
    for (Json& script : sample_scripts()) s.add(script);
    Json doc = s.finish();
    if (doc_out) *doc_out = doc;
    return out.str();
}

// The exact value of a decimal view, read by the script number parser (which reads 1e-06 exactly).
std::optional<Rational> decimal_value(const std::string& text) {
    try {
        return nncert::script::parse_number(text);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

}  // namespace

BOOST_AUTO_TEST_SUITE(report_formats)

BOOST_AUTO_TEST_CASE(streamed_json_equals_the_finished_document) {
    Json doc;
    const std::string streamed = stream_all(r::ReportFormat::json, false, &doc);
    BOOST_TEST(streamed == doc.dump(r::Layout::pretty) + "\n");
    BOOST_TEST(doc.at("commit").as_string() == "0123456789abcdef0123456789abcdef01234567");
    BOOST_TEST(doc.at("summary").at("exit_code").as_integer() == 2);
    // The document is report::document()'s, with "commit" after "format".
    Json plain = r::document("9.9.9", sample_scripts(), head_options());
    BOOST_TEST(doc.as_object().size() == plain.as_object().size() + 1);
    BOOST_TEST(doc.as_object()[2].first == "commit");
    BOOST_TEST((doc.at("scripts") == plain.at("scripts")));

    // No scripts at all: still one valid document.
    std::ostringstream empty;
    r::ReportStream s(empty, {r::ReportFormat::json, false}, "9.9.9", "unknown", head_options());
    Json e = s.finish();
    BOOST_TEST(empty.str() == e.dump(r::Layout::pretty) + "\n");
    BOOST_TEST((Json::parse(empty.str()) == e));
}

BOOST_AUTO_TEST_CASE(each_script_is_written_when_added) {
    std::ostringstream out;
    r::ReportStream s(out, {r::ReportFormat::text, false}, "9.9.9", "unknown", head_options());
    Json::Array scripts = sample_scripts();
    s.add(scripts[0]);
    BOOST_TEST(out.str() == r::render_text_script(scripts[0]));
    BOOST_TEST(contains(out.str(), "a.nnc:12: CERTIFIED"));
    s.add(scripts[1]);
    BOOST_TEST(contains(out.str(), ":5: REFUTED"));
    BOOST_TEST(!contains(out.str(), "summary:"));
    s.add(scripts[2]);
    Json doc = s.finish();
    BOOST_TEST(out.str() == r::render_text(doc));
}

BOOST_AUTO_TEST_CASE(quiet_keeps_failures_and_the_full_summary) {
    const std::string text = stream_all(r::ReportFormat::text, true);
    BOOST_TEST(!contains(text, "a.nnc"));           // every claim certified: not listed
    BOOST_TEST(!contains(text, "critical good"));   // a certified claim of a failing script
    BOOST_TEST(contains(text, ":5: REFUTED"));
    BOOST_TEST(contains(text, ":6: INCONCLUSIVE"));
    BOOST_TEST(contains(text, "broken.nnc:3:7: error[syntax]"));
    BOOST_TEST(contains(text, "summary: 4 claims: 2 certified, 1 refuted, 1 inconclusive; 1 error\n"));
    for (r::ReportFormat f : {r::ReportFormat::markdown, r::ReportFormat::latex}) {
        const std::string quiet = stream_all(f, true), full = stream_all(f, false);
        BOOST_TEST(!contains(quiet, "a.nnc"));
        BOOST_TEST(contains(full, "a.nnc"));
        BOOST_TEST(!contains(quiet, "critical good"));
        BOOST_TEST(contains(full, "critical good"));
        BOOST_TEST(contains(quiet, "4 claims: 2 certified, 1 refuted, 1 inconclusive; 1 error"));
    }
}

BOOST_AUTO_TEST_CASE(markdown_table) {
    const std::string md = stream_all(r::ReportFormat::markdown, false);
    BOOST_TEST(contains(md, "| 12 | `loss bad = 18` | CERTIFIED | exact\\-loss | loss = 18 | 1.2 ms |\n") == false);
    BOOST_TEST(contains(md, "| 12 | `loss bad = 18` | CERTIFIED | exact-loss | loss = 18 | 1.2 ms |\n"));
    BOOST_TEST(contains(md, "sha256 `" + std::string(64, 'a') + "`"));
    // A long exact value is shown rounded and marked; the short one exactly.
    BOOST_TEST(contains(md, "loss = 1/3, other\\_loss \xe2\x89\x88 0.123457"));
    BOOST_TEST(contains(md, "**REFUTED**"));
    BOOST_TEST(contains(md, "needs a smaller box"));
    // The hostile name cannot open a column, a code span or a terminal escape.
    // The heading is escaped text (GFM keeps backslashes literally in a code span outside a table).
    // A literal backslash is doubled (as in the text report), so `\x1b` from an escape and a name's own
    // backslash never look the same (issue 8, second review).
    // In a heading '#' is escaped too (CommonMark drops a closing `#` sequence; review 8-3 finding 7).
    BOOST_TEST(contains(md, "## we\\|ird\\_\\$\\&\\<x\\>\\\\x1b\\[31m%\\#\\~^{}\\\\\\\\.nnc\n"), md);
    BOOST_TEST(!contains(md, "\x1b"));
    // Every table row has the header's number of cells (unescaped '|' count).
    std::istringstream lines(md);
    for (std::string line; std::getline(lines, line);) {
        if (!line.starts_with("|")) continue;
        std::size_t bars = 0;
        for (std::size_t i = 0; i < line.size(); ++i)
            if (line[i] == '|' && (i == 0 || line[i - 1] != '\\')) ++bars;
        BOOST_TEST(bars == 7u, line);
    }
}

BOOST_AUTO_TEST_CASE(latex_table) {
    const std::string tex = stream_all(r::ReportFormat::latex, false);
    BOOST_TEST(contains(tex, "\\begin{longtable}"));
    BOOST_TEST(contains(tex, "\\end{longtable}"));
    BOOST_TEST(contains(tex, "12 & \\raggedright\\texttt{loss bad = 18} & certified & \\raggedright exact-loss & "
                             "\\raggedright loss $=$ 18 & 1.2\\,ms \\\\\n"));
    BOOST_TEST(contains(tex, "other\\_\\allowbreak{}loss $\\approx$ 0.123457"));
    BOOST_TEST(contains(tex, "\\texttt{we\\textbar{}ird\\_\\$\\&\\textless{}x\\textgreater{}\\textbackslash{}x1b[31m\\%\\#"
                             "\\textasciitilde{}\\textasciicircum{}\\{\\}\\textbackslash{}\\textbackslash{}.nnc}"));
    BOOST_TEST(!contains(tex, "\x1b"));
    // Braces balance (escaped ones excluded) and every row has six cells.
    long depth = 0;
    for (std::size_t i = 0; i < tex.size(); ++i) {
        if (tex[i] == '\\' && i + 1 < tex.size() && (tex[i + 1] == '{' || tex[i + 1] == '}')) {
            ++i;
            continue;
        }
        if (tex[i] == '{') ++depth;
        if (tex[i] == '}') --depth;
        BOOST_TEST_REQUIRE(depth >= 0);
    }
    BOOST_TEST(depth == 0);
}

BOOST_AUTO_TEST_CASE(junit_xml_parses_with_the_right_counts) {
    Json doc;
    stream_all(r::ReportFormat::text, false, &doc);
    const std::string xml = r::render_junit(doc);
    BOOST_TEST(!contains(xml, "\x1b"));
    namespace pt = boost::property_tree;
    pt::ptree tree;
    std::istringstream in(xml);
    BOOST_REQUIRE_NO_THROW(pt::read_xml(in, tree));
    const pt::ptree& suites = tree.get_child("testsuites");
    BOOST_TEST(suites.get<int>("<xmlattr>.tests") == 5);  // 4 claims + 1 malformed script
    BOOST_TEST(suites.get<int>("<xmlattr>.failures") == 2);
    BOOST_TEST(suites.get<int>("<xmlattr>.errors") == 1);
    BOOST_TEST(suites.get<std::string>("<xmlattr>.time") == "0.002000");
    std::vector<std::string> names;
    int failures = 0, errors = 0;
    for (const auto& [tag, suite] : suites) {
        if (tag != "testsuite") continue;
        names.push_back(suite.get<std::string>("<xmlattr>.name"));
        for (const auto& [ctag, tc] : suite) {
            if (ctag != "testcase") continue;
            if (auto f = tc.get_child_optional("failure")) {
                ++failures;
                const std::string type = f->get<std::string>("<xmlattr>.type");
                BOOST_TEST((type == "refuted" || type == "inconclusive"));
            }
            if (tc.get_child_optional("error")) ++errors;
        }
    }
    BOOST_TEST(names.size() == 3u);
    BOOST_TEST(names[1] == "we|ird_$&<x>\\x1b[31m%#~^{}\\\\.nnc");  // round-trips, control character made visible
    BOOST_TEST(failures == 2);
    BOOST_TEST(errors == 1);
}

BOOST_AUTO_TEST_CASE(decimal_views_round_as_stated) {
    BOOST_TEST(r::decimal(Rational(1, 3), 6) == "0.333333");
    BOOST_TEST(r::decimal(Rational(2, 3), 6) == "0.666667");
    BOOST_TEST(r::decimal(Rational(2, 3), 6, r::Rounding::down) == "0.666666");
    BOOST_TEST(r::decimal(Rational(-2, 3), 6, r::Rounding::down) == "-0.666667");
    BOOST_TEST(r::decimal(Rational(-2, 3), 6, r::Rounding::up) == "-0.666666");
    BOOST_TEST(r::decimal(Rational(18), 6) == "18");
    BOOST_TEST(r::decimal(Rational(1, 8), 6) == "0.125");
    BOOST_TEST(r::decimal(Rational(123456789), 6) == "1.23457e+08");
    BOOST_TEST(r::decimal(Rational(1, 1000000), 6) == "1e-06");
    BOOST_TEST(r::decimal(Rational(9999999, 10000000), 3, r::Rounding::up) == "1");
    BOOST_TEST(r::decimal(Rational(0), 6) == "0");
    // Outward rounding keeps the exact value inside, for random fractions.
    std::mt19937_64 rng(7);
    for (int i = 0; i < 2000; ++i) {
        const Rational q(static_cast<long long>(rng() % 2000001) - 1000000, static_cast<long long>(rng() % 99999) + 1);
        const Rational scaled = q * Rational(1, static_cast<long long>(1 + rng() % 1000000));
        for (int digits : {1, 3, 6}) {
            const auto lo = decimal_value(r::decimal(scaled, digits, r::Rounding::down));
            const auto hi = decimal_value(r::decimal(scaled, digits, r::Rounding::up));
            BOOST_TEST_REQUIRE(lo.has_value());
            BOOST_TEST_REQUIRE(hi.has_value());
            BOOST_TEST((*lo <= scaled && scaled <= *hi), r::decimal(scaled, 20) << " digits " << digits);
        }
    }
    BOOST_TEST((r::parse_exact("-3/4") == Rational(-3, 4)));
    BOOST_TEST(!r::parse_exact("3/0"));
    BOOST_TEST(!r::parse_exact("1.5"));
    BOOST_TEST(!r::parse_exact("exactly zero"));
}

BOOST_AUTO_TEST_CASE(key_numbers_pick_numbers_only) {
    Json c = claim("not strict_local_min S", 3, "certified",
                   Json::Object{{"claim_refuted",
                                 Json::Object{{"checked", Json("prose is left out")},
                                              {"radius", Json("1/10")},
                                              {"direction", Json::Object{{"W1[1,1]", Json("1")}}},
                                              {"curvature", Json("-20/3")},
                                              {"box", Json::Object{{"lower", Json("1/3")}, {"upper", Json("2/3")}}},
                                              {"hessian", Json::Object{{"min_pivot", Json("4/3")}}},
                                              {"order", Json(2)}}}});
    const auto k = r::key_numbers(c);
    BOOST_TEST_REQUIRE(k.size() == 4u);
    BOOST_TEST(k[0].name == "curvature");
    BOOST_TEST(k[1].name == "box");
    BOOST_TEST((k[1].kind == r::KeyNumber::Kind::interval));
    BOOST_TEST(k[2].name == "hessian.min_pivot");
    BOOST_TEST(k[3].name == "order");
    BOOST_TEST(r::join_key_numbers(k, "~", "in") == "curvature = -20/3, box in [1/3, 2/3], hessian.min_pivot = 4/3, order = 2");
}

// A region claim refuted by one of the script's points names it among the numbers (review 15, F5: the Markdown and
// LaTeX tables left the reader to guess which point), and no other string becomes a key number.
BOOST_AUTO_TEST_CASE(key_numbers_name_the_refuting_point) {
    Json c = claim("loss R in [0, 1/2]", 7, "refuted",
                   Json::Object{{"region", Json("R")},
                                {"result", Json("a point of the script, in the region, whose loss is above the claimed upper end")},
                                {"witness_named_point", Json("p_1")},
                                {"witness_loss", Json::Object{{"lower", Json("1")}, {"upper", Json("1")}}}});
    const auto k = r::key_numbers(c);
    BOOST_TEST_REQUIRE(k.size() == 2u);
    BOOST_TEST(r::join_key_numbers(k, "~", "in") == "witness_named_point = p_1, witness_loss in [1, 1]");
}

BOOST_AUTO_TEST_CASE(escaping) {
    BOOST_TEST(r::visible_text("a\tb\x7f") == "a\\tb\\x7f");
    BOOST_TEST(r::visible_text("ok\xff") == "ok\\xff");
    // Injective (issue 8, second review): a name spelling an escape differs from the name it spells.
    BOOST_TEST(r::visible_text("x\\x0afake") == "x\\\\x0afake");
    BOOST_TEST(r::visible_text("x\\x0afake") != r::visible_text("x\nfake"));
    BOOST_TEST(r::visible_text("a\xff") != r::visible_text("a\xfe"));
    BOOST_TEST(r::xml_text("<a href='x'>&\"</a>") == "&lt;a href=&apos;x&apos;&gt;&amp;&quot;&lt;/a&gt;");
    BOOST_TEST(r::xml_text("line\nnext", true) == "line\nnext");
    BOOST_TEST(r::xml_text("line\nnext") == "line\\nnext");
    BOOST_TEST(r::markdown_code("a|b`c") == "`a\\|b\xe2\x80\x98" "c`");
    BOOST_TEST(r::markdown_text("*x*_[y](z)") == "\\*x\\*\\_\\[y\\](z)");
    BOOST_TEST(r::latex_text("50% of $x_1$") == "50\\% of \\$x\\_1\\$");
}

BOOST_AUTO_TEST_SUITE_END()
