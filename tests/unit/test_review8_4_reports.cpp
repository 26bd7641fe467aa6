// Regression tests for the fourth adversarial review of issue 8 (r8-4), reports: JUnit names of x/y.nnc and
// x.y.nnc that merged, TeX ligatures in LaTeX names (`--` set as an en dash), and one display escaper for
// every format (a CSV header's quotes, a tab shown as \t everywhere).
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

std::string q(const fs::path& p) { return shell_quote(p.string()); }

const std::string csv_script =
    "nncert 1\ndata \"d.csv\"\nnetwork {\n  input 1\n  dense 1 identity\n}\nloss sse\npoint p {\n"
    "  W1 = [[1]]\n  b1 = [0]\n}\nclaim loss p = 0\n";

const std::string inline_script =
    "nncert 1\ndata {\n  1 -> 1\n}\nnetwork {\n  input 1\n  dense 1 identity\n}\nloss sse\npoint p {\n"
    "  W1 = [[1]]\n  b1 = [0]\n}\nclaim loss p = 0\n";

}  // namespace

BOOST_AUTO_TEST_SUITE(review8_4_reports)

// Finding: x/y.nnc and x.y.nnc gave the same JUnit classname and test names, so a CI view merged them.
BOOST_AUTO_TEST_CASE(junit_names_are_injective) {
    TempDir tmp;
    fs::create_directory(tmp / "x");
    const std::vector<std::string> names{"x/y.nnc", "x.y.nnc", "x.y", "x%2Ey.nnc", "x\\y.nnc", "y.nnc", "y"};
    std::string args;
    for (const std::string& n : names) {
        write_text(tmp / n, inline_script);
        args += ' ';
        args += shell_quote(n);
    }
    const ProcessResult r =
        run_process("cd " + q(tmp.path()) + " && " + nncert_binary() + " check --junit out.xml" + args);
    BOOST_TEST(r.exit == 0, r.err);
    const std::string xml = read_text(tmp / "out.xml");
    std::set<std::string> keys;
    std::size_t cases = 0;
    const std::regex testcase(R"re(<testcase name="([^"]*)" classname="([^"]*)")re");
    for (std::sregex_iterator it(xml.begin(), xml.end(), testcase), end; it != end; ++it) {
        ++cases;
        keys.insert((*it)[2].str() + "\n" + (*it)[1].str());
    }
    BOOST_TEST(cases == names.size(), xml);
    BOOST_TEST(keys.size() == names.size(), xml);
    // Ordinary paths keep their dotted form.
    BOOST_TEST(contains(xml, "classname=\"x.y\""), xml);
    BOOST_TEST(contains(xml, "classname=\"x%2Ey\""), xml);
}

// Finding: `--` in a name or message was set by TeX as an en dash (and `` '' ,, !` ?` as other glyphs).
BOOST_AUTO_TEST_CASE(latex_keeps_ligature_pairs_apart) {
    using nncert::report::latex_text;
    BOOST_TEST(latex_text("a--b") == "a-{}-b");
    BOOST_TEST(latex_text("---") == "-{}-{}-");
    BOOST_TEST(latex_text("``x''") == "`{}`x'{}'");
    BOOST_TEST(latex_text(",,") == ",{},");
    BOOST_TEST(latex_text("!`?`") == "!{}`?{}`");
    BOOST_TEST(latex_text("a-b, c'd") == "a-b, c'd");  // single characters are left alone
    BOOST_TEST(latex_text("a/b--c", "/") == "a/\\allowbreak{}b-{}-c");
    // In a real report (the path cell wraps after '/', and the file name's dashes are kept apart there too),
    // and the table still compiles.
    TempDir tmp;
    write_text(tmp / "a--b.nnc", inline_script);
    const ProcessResult r = run_process("cd " + q(tmp.path()) + " && " + nncert_binary() + " check --report latex a--b.nnc");
    BOOST_TEST(r.exit == 0, r.err);
    BOOST_TEST(contains(r.out, "\\texttt{a-{}-b.nnc}"), r.out);
    BOOST_TEST(!contains(r.out, "a--b"), r.out);
    write_text(tmp / "appendix.tex", "\\documentclass{article}\n\\usepackage[T1]{fontenc}\n\\usepackage{longtable}\n"
                                     "\\usepackage{booktabs}\n\\begin{document}\n" + r.out + "\\end{document}\n");
    const ProcessResult pdf =
        run_process("cd " + q(tmp.path()) + " && pdflatex -interaction=nonstopmode -halt-on-error appendix.tex");
    BOOST_TEST(pdf.exit == 0, pdf.out.substr(pdf.out.size() > 2000 ? pdf.out.size() - 2000 : 0));
}

// One escaper for every format: a tab, a line feed, a C1 control and a quote in a name or a header read the
// same in text, Markdown, LaTeX and JUnit; the text report's quoted header escapes its quotes.
BOOST_AUTO_TEST_CASE(one_escaper_for_every_format) {
    namespace r = nncert::report;
    const std::string odd = "a\tb\nc\xc2\x85" "d\\e\x01";
    const std::string shown = "a\\tb\\nc\\u{0085}d\\\\e\\x01";
    BOOST_TEST(nncert::util::escape_for_display(odd) == shown);
    BOOST_TEST(r::visible_text(odd) == shown);
    BOOST_TEST(r::xml_text(odd) == shown);
    BOOST_TEST(r::latex_text(odd) == "a\\textbackslash{}tb\\textbackslash{}nc\\textbackslash{}u\\{0085\\}d"
                                     "\\textbackslash{}\\textbackslash{}e\\textbackslash{}x01");
    BOOST_TEST(r::markdown_code(odd) == "`" + shown + "`");
    BOOST_TEST(nncert::util::quoted_for_display("\"x\",y") == "\"\\\"x\\\",y\"");
    // Injective: a text spelling the escape of a quote differs from the quote.
    BOOST_TEST(nncert::util::quoted_for_display("\\\"") != nncert::util::quoted_for_display("\""));

    TempDir tmp;
    write_text(tmp / "s.nnc", csv_script);
    // (A TAB in a CSV file is layout since review r8-12 F3: a second space, `\u{0020}`, stands for it here.)
    write_text(tmp / "d.csv", "\"x\",  y\n1,1\n");
    const ProcessResult text = run_process(nncert_binary() + " check " + q(tmp / "s.nnc"));
    BOOST_TEST(text.exit == 0, text.err);
    BOOST_TEST(contains(text.out, ": header \"\\\"x\\\", \\u{0020}y\" skipped (first row, names only)"), text.out);
    const ProcessResult md = run_process(nncert_binary() + " check --report md " + q(tmp / "s.nnc"));
    BOOST_TEST(contains(md.out, ": header `\"x\", \\u{0020}y` skipped"), md.out);
    const ProcessResult tex = run_process(nncert_binary() + " check --report latex " + q(tmp / "s.nnc"));
    BOOST_TEST(contains(tex.out, ": header \\texttt{\"x\", \\textbackslash{}u\\{0020\\}y} skipped"), tex.out);
}

BOOST_AUTO_TEST_SUITE_END()
