// What you see is what is checked (issue 8, review 8-3 finding 1): a CSV's first row that is skipped as a
// header (names only, such as `O,S`, which a reader may take for 0,5) is shown in every report format.
#include "process.hpp"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

namespace fs = std::filesystem;
using namespace nncert::test;

namespace {

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

// y = x on the CSV's rows: the loss is 0 exactly when no data row has y != x.
const std::string script = R"(nncert 1
data "d.csv"
network {
  input 1
  dense 1 identity
}
loss sse
point p {
  W1 = [[1]]
  b1 = [0]
}
claim loss p = 0
)";

// Writes the script and d.csv (with `csv` as its text) into `dir`; returns the script's path, quoted.
std::string setup(const TempDir& dir, const std::string& csv) {
    write_text(dir / "s.nnc", script);
    write_text(dir / "d.csv", csv);
    return shell_quote((dir / "s.nnc").string());
}

ProcessResult check(const std::string& args) { return run_process(nncert_binary() + " check " + args); }

}  // namespace

BOOST_AUTO_TEST_SUITE(csv_header_shown)

BOOST_AUTO_TEST_CASE(skipped_header_is_in_text_and_json) {
    TempDir dir;
    const std::string s = setup(dir, "O,S\r\n1,1\n");
    const ProcessResult text = check(s);
    BOOST_TEST(text.exit == 0);
    BOOST_TEST(contains(text.out, ": header \"O,S\" skipped (first row, names only)\n"), text.out);
    BOOST_TEST(contains(text.out, "data " + (dir / "d.csv").string() + ": header"), text.out);

    const ProcessResult json = check("--json " + s);
    BOOST_TEST(json.exit == 0);
    const auto doc = nlohmann::json::parse(json.out);
    const auto& files = doc.at("scripts").at(0).at("data_files");
    BOOST_TEST(files.size() == 1u);
    BOOST_TEST(files.at(0).at("header").get<std::string>() == "O,S");  // as written, without the CR
}

BOOST_AUTO_TEST_CASE(no_header_shows_none) {
    TempDir dir;
    const std::string s = setup(dir, "1,1\n2,2\n");
    const ProcessResult text = check(s);
    BOOST_TEST(text.exit == 0);
    BOOST_TEST(!contains(text.out, "header"), text.out);
    const ProcessResult json = check("--json " + s);
    BOOST_TEST(json.exit == 0);
    const auto doc = nlohmann::json::parse(json.out);
    BOOST_TEST(!doc.at("scripts").at(0).at("data_files").at(0).contains("header"));
    for (const char* f : {"md", "latex"}) BOOST_TEST(!contains(check("--report " + std::string(f) + " " + s).out, "header"));
}

// Markdown, LaTeX and JUnit say it too, each in its own markup; every format escapes the row with the one
// display escaper (util::escape_for_display: a space after a space is `\u{0020}` everywhere).
BOOST_AUTO_TEST_CASE(every_format_shows_it) {
    TempDir dir;
    // A TAB in a CSV file is layout since review r8-12 F3, so a run of spaces is what the escaper shows here (the
    // second space of a run as \u{0020}, which a view would collapse).
    const std::string s = setup(dir, "x_in,  y_out\n1,1\n");
    BOOST_TEST(contains(check(s).out, "header \"x_in, \\u{0020}y_out\" skipped"));
    BOOST_TEST(contains(check("--report md " + s).out, ": header `x_in, \\u{0020}y_out` skipped (first row, names only)"));
    BOOST_TEST(contains(check("--report latex " + s).out,
                        ": header \\texttt{x\\_in, \\textbackslash{}u\\{0020\\}y\\_out} skipped (first row, names only)"));
    const fs::path junit = dir / "j.xml";
    BOOST_TEST(check("--junit " + shell_quote(junit.string()) + " " + s).exit == 0);
    BOOST_TEST(contains(read_text(junit), "name=\"header:" + (dir / "d.csv").string() + "\""), read_text(junit));
}

BOOST_AUTO_TEST_SUITE_END()
