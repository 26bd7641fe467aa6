// Regression tests for the third adversarial review of issue 8 (/work/coord/reviews/issue8-3.md): output
// files (check -o/--junit, plot, refine, snap, construct) that are one of the run's inputs by device and inode
// (finding 2); LaTeX and Markdown names in reports (finding 7).
#include "process.hpp"
#include "report/markup_escape.hpp"

#include <boost/test/unit_test.hpp>

namespace fs = std::filesystem;
using namespace nncert::test;

namespace {

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

ProcessResult run_nncert(const std::string& args) { return run_process(nncert_binary() + " " + args); }

std::string q(const fs::path& p) { return shell_quote(p.string()); }

const std::string inline_script =
    "nncert 1\ndata {\n  1 -> 1\n}\nnetwork {\n  input 1\n  dense 1 identity\n}\nloss sse\npoint p {\n"
    "  W1 = [[1]]\n  b1 = [0]\n}\nclaim loss p = 0\n";

const std::string csv_script =
    "nncert 1\ndata \"d.csv\"\nnetwork {\n  input 1\n  dense 1 identity\n}\nloss sse\npoint p {\n"
    "  W1 = [[1]]\n  b1 = [0]\n}\nclaim loss p = 0\n";

const std::string csv_text = "x,y\n1,1\n";

// Runs `check <args> <option> <out>` for -o and for --junit: exit 4 with `message` on stderr, and every
// file in `unchanged` (path, text) still holds its text.
void refused(const std::string& args, const fs::path& out, const std::string& message,
             const std::vector<std::pair<fs::path, std::string>>& unchanged) {
    for (const std::string option : {"-o", "--junit"}) {
        const ProcessResult r = run_nncert("check " + args + " " + option + " " + q(out));
        BOOST_TEST(r.exit == 4, option << ": " << r.err);
        BOOST_TEST(contains(r.err, option + " '"), r.err);
        BOOST_TEST(contains(r.err, message), r.err);
        for (const auto& [path, text] : unchanged) BOOST_TEST(read_text(path) == text, option << " changed " << path);
    }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(review8_3_fixes)

BOOST_AUTO_TEST_CASE(output_hard_linked_to_a_script_in_the_folder_is_refused) {
    TempDir tmp;
    fs::create_directory(tmp / "g");
    write_text(tmp / "g/a.nnc", inline_script);
    fs::create_hard_link(tmp / "g/a.nnc", tmp / "hard.txt");
    refused(q(tmp / "g"), tmp / "hard.txt", "is one of the scripts to check", {{tmp / "g/a.nnc", inline_script}});
}

BOOST_AUTO_TEST_CASE(output_symlinked_to_a_script_in_the_folder_is_refused) {
    TempDir tmp;
    fs::create_directory(tmp / "g");
    write_text(tmp / "g/a.nnc", inline_script);
    fs::create_symlink(tmp / "g/a.nnc", tmp / "soft.txt");
    refused(q(tmp / "g"), tmp / "soft.txt", "is one of the scripts to check", {{tmp / "g/a.nnc", inline_script}});
}

BOOST_AUTO_TEST_CASE(output_reached_through_a_symlinked_subfolder_is_refused) {
    TempDir tmp;
    fs::create_directory(tmp / "g");
    fs::create_directory(tmp / "ext");
    write_text(tmp / "ext/a.nnc", inline_script);
    fs::create_directory_symlink("../ext", tmp / "g/link");
    refused(q(tmp / "g"), tmp / "ext/a.nnc", "is one of the scripts to check", {{tmp / "ext/a.nnc", inline_script}});
}

BOOST_AUTO_TEST_CASE(output_onto_a_data_file_is_refused) {
    TempDir tmp;
    fs::create_directory(tmp / "g");
    write_text(tmp / "g/s.nnc", csv_script);
    write_text(tmp / "g/d.csv", csv_text);
    const std::vector<std::pair<fs::path, std::string>> kept{{tmp / "g/d.csv", csv_text}, {tmp / "g/s.nnc", csv_script}};
    // The script found by a walk, and the script named on the command line.
    refused(q(tmp / "g"), tmp / "g/d.csv", "is the data file", kept);
    refused(q(tmp / "g/s.nnc"), tmp / "g/d.csv", "is the data file", kept);
    // The data file reached through a hard link or a symbolic link outside the folder.
    fs::create_hard_link(tmp / "g/d.csv", tmp / "hard.csv");
    fs::create_symlink(tmp / "g/d.csv", tmp / "soft.csv");
    refused(q(tmp / "g"), tmp / "hard.csv", "is the data file", kept);
    refused(q(tmp / "g"), tmp / "soft.csv", "is the data file", kept);
    // A data file that does not exist yet: the report would be created there and then read as the CSV.
    write_text(tmp / "g/s.nnc", "nncert 1\ndata \"new.csv\"\n" + csv_script.substr(csv_script.find("network")));
    refused(q(tmp / "g/s.nnc"), tmp / "g/new.csv", "is the data file", {});
    BOOST_TEST(!fs::exists(tmp / "g/new.csv"));
}

BOOST_AUTO_TEST_CASE(plot_refine_snap_and_construct_outputs_onto_their_data_file_are_refused) {
    TempDir tmp;
    write_text(tmp / "s.nnc", csv_script);
    write_text(tmp / "d.csv", csv_text);
    fs::create_symlink(tmp / "d.csv", tmp / "out.json");  // plot takes only .json/.png/.svg/.pdf names
    const ProcessResult p = run_nncert("plot fits " + q(tmp / "s.nnc") + " -o " + q(tmp / "out.json"));
    BOOST_TEST(p.exit == 4, p.err);
    BOOST_TEST(contains(p.err, "is the data file"), p.err);
    const ProcessResult r = run_nncert("refine " + q(tmp / "s.nnc") + " --point p -o " + q(tmp / "d.csv"));
    BOOST_TEST(r.exit == 4, r.err);
    BOOST_TEST(contains(r.err, "is the data file"), r.err);
    BOOST_TEST(read_text(tmp / "d.csv") == csv_text);
    const ProcessResult sn = run_nncert("snap " + q(tmp / "s.nnc") + " --point p --output " + q(tmp / "d.csv"));
    BOOST_TEST(sn.exit == 4, sn.err);
    BOOST_TEST(contains(sn.err, "is the data file"), sn.err);
    BOOST_TEST(read_text(tmp / "d.csv") == csv_text);
    const std::string labels = "0,0,1\n1,0,0\n0,1,0\n1,1,1\n";
    write_text(tmp / "c.csv", labels);
    fs::create_hard_link(tmp / "c.csv", tmp / "out.nnc");
    const ProcessResult c = run_nncert("construct dead-layer --data " + q(tmp / "c.csv") +
                                       " --depth 2 --widths 3 --output " + q(tmp / "out.nnc"));
    BOOST_TEST(c.exit == 4, c.err);
    BOOST_TEST(contains(c.err, "is the --data file"), c.err);
    BOOST_TEST(read_text(tmp / "c.csv") == labels);
}

BOOST_AUTO_TEST_CASE(unrelated_outputs_are_still_written) {
    // The guard must not refuse what is safe: a report next to the scripts, and a folder with a script that
    // does not parse (its error is reported; it names no data file).
    TempDir tmp;
    fs::create_directory(tmp / "g");
    write_text(tmp / "g/s.nnc", csv_script);
    write_text(tmp / "g/d.csv", csv_text);
    write_text(tmp / "g/bad.nnc", "nncert 1\ndata \"d.csv\"\nnetwork {\n");
    const ProcessResult r = run_nncert("check " + q(tmp / "g") + " -o " + q(tmp / "g/report.txt") + " --junit " +
                                       q(tmp / "g/report.xml"));
    BOOST_TEST(r.exit == 2, r.err);  // the malformed script
    BOOST_TEST(contains(read_text(tmp / "g/report.txt"), "CERTIFIED"));
    BOOST_TEST(contains(read_text(tmp / "g/report.xml"), "<testsuite"));
    BOOST_TEST(read_text(tmp / "g/d.csv") == csv_text);
}

BOOST_AUTO_TEST_SUITE_END()

// Finding 7: the LaTeX report prints valid UTF-8 as UTF-8 (only bytes that are not UTF-8 as \xNN), and
// Markdown headings of files named `x`, `x #`, `x  ` render differently.
BOOST_AUTO_TEST_SUITE(review8_3_report_names)

BOOST_AUTO_TEST_CASE(latex_prints_utf8_names_as_utf8) {
    TempDir tmp;
    const std::string name = "donn\xc3\xa9" "es-\xc3\xa9.nnc";  // données-é.nnc
    const std::string bad = "n\xff" ".nnc";                      // not UTF-8
    write_text(tmp / name, inline_script);
    write_text(tmp / bad, inline_script);
    const ProcessResult r = run_process("cd " + q(tmp.path()) + " && " + nncert_binary() + " check --report latex " +
                                        shell_quote(name) + " " + shell_quote(bad));
    BOOST_TEST(r.exit == 0, r.err);
    // Since review 8-5 (F3) every non-ASCII character of a name is escaped, so any TeX engine sets it.
    BOOST_TEST(contains(r.out, "\\texttt{donn\\textbackslash{}u\\{00E9\\}es-\\textbackslash{}u\\{00E9\\}.nnc}"), r.out);
    BOOST_TEST(!contains(r.out, "xc3"), r.out);
    BOOST_TEST(contains(r.out, "\\texttt{n\\textbackslash{}xff.nnc}"), r.out);
    // pdflatex sets it (T1 fonts have the accented letters).
    write_text(tmp / "appendix.tex", "\\documentclass{article}\n\\usepackage[T1]{fontenc}\n\\usepackage{longtable}\n"
                                     "\\usepackage{booktabs}\n\\begin{document}\n" + r.out + "\\end{document}\n");
    const ProcessResult pdf = run_process("cd " + q(tmp.path()) + " && pdflatex -interaction=nonstopmode -halt-on-error appendix.tex");
    BOOST_TEST(pdf.exit == 0, pdf.out.substr(pdf.out.size() > 2000 ? pdf.out.size() - 2000 : 0));
}

BOOST_AUTO_TEST_CASE(markdown_headings_escape_hash_and_edge_spaces) {
    using nncert::report::markdown_heading;
    BOOST_TEST(markdown_heading("x") == "x");
    BOOST_TEST(markdown_heading("x #") == "x \\#");
    // Edge spaces are \u{0020} from the one escaper (review 8-5), its backslash escaped for Markdown.
    BOOST_TEST(markdown_heading("x  ") == "x \\\\u{0020}");
    BOOST_TEST(markdown_heading(" x") == "\\\\u{0020}x");
    BOOST_TEST(markdown_heading("  ") == "\\\\u{0020}\\\\u{0020}");
    BOOST_TEST(markdown_heading("a b") == "a b");  // inner spaces are kept
    // A name that spells the escape itself stays different: its backslash is doubled and escaped.
    BOOST_TEST(markdown_heading("x\\u{0020}") != markdown_heading("x "));
}

BOOST_AUTO_TEST_CASE(markdown_headings_render_differently) {
    TempDir tmp;
    const std::vector<std::string> names{"x", "x #", "x  ", "#", " x"};
    std::string args;
    for (const std::string& n : names) {
        write_text(tmp / n, inline_script);
        args += ' ';  // appended piecewise: GCC 12 -Wstringop-overflow false positive on " " + string
        args += shell_quote(n);
    }
    const ProcessResult r = run_process("cd " + q(tmp.path()) + " && " + nncert_binary() + " check --report md" + args);
    BOOST_TEST(r.exit == 0, r.err);
    write_text(tmp / "report.md", r.out);
    // Rendered as GitHub renders it (cmark-gfm, a Debian package installed by scripts/setup.sh).
    const ProcessResult html = run_process("cmark-gfm " + q(tmp / "report.md"));
    BOOST_REQUIRE_MESSAGE(html.exit == 0, "cmark-gfm: " + html.err);
    std::vector<std::string> headings;
    for (std::size_t at = 0; (at = html.out.find("<h2>", at)) != std::string::npos;) {
        const std::size_t end = html.out.find("</h2>", at);
        headings.push_back(html.out.substr(at + 4, end - at - 4));
        at = end;
    }
    BOOST_TEST_REQUIRE(headings.size() == names.size(), html.out);
    BOOST_TEST(headings[0] == "x");
    BOOST_TEST(headings[1] == "x #");
    for (std::size_t i = 0; i < headings.size(); ++i)
        for (std::size_t j = i + 1; j < headings.size(); ++j)
            BOOST_TEST(headings[i] != headings[j], names[i] << " and " << names[j] << " render as " << headings[i]);
}

BOOST_AUTO_TEST_SUITE_END()
