// Regression tests for the sixth adversarial review of issue 8 (r8-6): scripts written by refine -o and snap -o
// (F1: a data path that a script string cannot hold; F1b: -o through a symbolic link), the one parser of
// --timeout/--max-memory, plot on a script name that is not UTF-8 (F6), the report's JSON keys (F7), and
// the layout rules' error files.
#include "process.hpp"
#include "script/lexer.hpp"
#include "script/parser.hpp"
#include "script/script.hpp"
#include "script/syntax.hpp"
#include "util/paths.hpp"

#include <boost/test/unit_test.hpp>

#include <sstream>

namespace fs = std::filesystem;
using namespace nncert::test;

namespace {

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

std::string q(const fs::path& p) { return shell_quote(p.string()); }

// A script reading `csv` with one point p near a critical point (refine moves it), and its CSV.
const std::string refine_script =
    "nncert 1\ndata \"d.csv\"\nnetwork {\n  input 1\n  dense 1 identity\n}\nloss sse\n"
    "point p { W1 = [[2.1]] b1 = [0.9] }\nclaim critical p within 1e-6\n";
const std::string refine_csv = "0,1\n1,3\n2,5.0001\n";

// The data path token of a script's text, as the parser reads it.
std::string data_token(const std::string& text) {
    const nncert::script::syntax::File f = nncert::script::parse_syntax(text, "w.nnc");
    return f.data && f.data->file ? *f.data->file : std::string("<none>");
}

std::string sha_of_data(const fs::path& script) {
    const auto s = nncert::script::parse_file(script.string());
    return s.data_files.size() == 1 ? s.data_files.front().sha256 : std::string("<none>");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(review8_6_fixes)

// F1, the rule: a name may go between quotes only when the lexer reads it back as one string token of exactly
// its bytes. Round trip: for every name string_problem accepts, `data "NAME"` parses back to NAME; for every
// name it refuses, it does not (or the text is rejected).
BOOST_AUTO_TEST_CASE(a_data_name_is_written_only_when_it_reads_back) {
    using nncert::script::string_problem;
    const std::vector<std::string> accepted = {"d.csv", "../q/x.csv", "a b/c.csv", "it's#1.csv", "x\\y.csv",
                                               "(x)[y]{z}=1,2.csv", std::string(40, 'a') + "/d.csv"};
    const std::vector<std::string> refused = {
        "x\"\nclaim not loss bad in [0, 1] #/d.csv",  // the review's folder: '"' and a line feed
        "x\"/d.csv", "a\nb.csv", "a\rb.csv", "a\tb.csv", "a\x01" "b.csv", "a\x7f" "b.csv", "bad\xff.csv",
        "a\xe2\x80\xae" "b.csv",      // U+202E RIGHT-TO-LEFT OVERRIDE
        "a\xe2\x80\x8b" "b.csv",      // U+200B ZERO WIDTH SPACE
        "a\xe2\x80\xa8" "b.csv",      // U+2028 LINE SEPARATOR
        "a" + std::string(40, ' ') + "b.csv",  // a run of spaces hiding the rest
        std::string(nncert::script::max_string_bytes + 1, 'a')};
    auto script_with = [](const std::string& name) {
        return "nncert 1\ndata \"" + name + "\"\nnetwork {\n  input 1\n  dense 1 identity\n}\nloss sse\n";
    };
    for (const std::string& name : accepted) {
        BOOST_TEST(string_problem(name) == "", name);
        BOOST_TEST(data_token(script_with(name)) == name, name);
    }
    for (const std::string& name : refused) {
        BOOST_TEST(string_problem(name) != "", name);
        bool reads_back = false;
        try {
            reads_back = data_token(script_with(name)) == name;
        } catch (const nncert::script::ParseError&) {
        }
        BOOST_TEST(!reads_back, name);
    }
}

// F1, end to end: a folder named `x"<LF>claim not loss bad in [0, 1] #` beside a link `x` to the same CSV made
// refine -o and snap -o write a script with an extra claim (the same-file check passed). Now refused, nothing
// written; the written text of an accepted awkward folder parses back with the data path token expected.
BOOST_AUTO_TEST_CASE(a_folder_name_cannot_become_script_code) {
    TempDir tmp;
    const std::string folder = "x\"\nclaim not loss p in [0, 1] #";
    fs::create_directories(tmp / "q" / folder);
    fs::create_directories(tmp / "o");
    write_text(tmp / "q" / folder / "s.nnc", refine_script);
    write_text(tmp / "q" / folder / "d.csv", refine_csv);
    fs::create_symlink(folder + "/d.csv", tmp / "q" / "x");
    const std::string cd = "cd " + q(tmp.path()) + " && " + nncert_binary();
    const std::string script = q(fs::path("q") / folder / "s.nnc");
    const ProcessResult r = run_process(cd + " refine " + script + " --point p -o o/r.nnc");
    BOOST_TEST(r.exit == 4, r.err);
    BOOST_TEST(contains(r.err, "cannot be named from the output's folder"), r.err);
    BOOST_TEST(contains(r.err, "would end the quoted name early"), r.err);
    BOOST_TEST(!fs::exists(tmp / "o" / "r.nnc"));
    const ProcessResult s = run_process(cd + " snap " + script + " --point p -o o/s.nnc");
    BOOST_TEST(s.exit == 4, s.err);
    BOOST_TEST(!fs::exists(tmp / "o" / "s.nnc"));
    // The library call says the same, before anything is written.
    BOOST_CHECK_THROW(nncert::script::text_for_output(refine_script, (tmp / "q" / folder / "s.nnc").string(),
                                                      (tmp / "q" / folder).string(), (tmp / "o" / "r.nnc").string()),
                      std::invalid_argument);
    // A folder with blanks, '#', ''' and '\' is a name a string holds: written, and read back token for token.
    const std::string odd = "sp ace#it's\\x";
    fs::create_directories(tmp / odd);
    write_text(tmp / odd / "s.nnc", refine_script);
    write_text(tmp / odd / "d.csv", refine_csv);
    const ProcessResult ok = run_process(cd + " refine " + q(fs::path(odd) / "s.nnc") + " --point p -o o/ok.nnc");
    BOOST_TEST_REQUIRE(ok.exit == 0, ok.err);
    const std::string written = read_text(tmp / "o" / "ok.nnc");
    BOOST_TEST(data_token(written) == "../" + odd + "/d.csv", written);
    BOOST_TEST(sha_of_data(tmp / "o" / "ok.nnc") == sha_of_data(tmp / odd / "s.nnc"));
}

// F1b: -o LINK with LINK a symbolic link to a file in another folder. The bytes land in the target; a data path
// rewritten for the link's folder made the target read another CSV. Now the path is made for the target's
// folder, and checked from the link's folder too: a link into another folder is refused (nothing written),
// a link within the folder (or a dangling one, which creates its target) is written and reads the same data.
BOOST_AUTO_TEST_CASE(output_through_a_symbolic_link) {
    TempDir tmp;
    fs::create_directories(tmp / "sub");
    fs::create_directories(tmp / "other" / "deep" / "sub");
    fs::create_directories(tmp / "o");
    write_text(tmp / "sub" / "s.nnc", refine_script);
    write_text(tmp / "sub" / "d.csv", refine_csv);
    write_text(tmp / "other" / "deep" / "sub" / "d.csv", "0,0\n1,0\n2,0\n");  // a decoy
    write_text(tmp / "other" / "deep" / "real.nnc", "");
    fs::create_symlink("other/deep/real.nnc", tmp / "lnk.nnc");
    const std::string cd = "cd " + q(tmp.path()) + " && " + nncert_binary();
    for (const std::string command : {"refine sub/s.nnc --point p", "snap sub/s.nnc --point p --max-move 10"}) {
        const ProcessResult r = run_process(cd + " " + command + " -o lnk.nnc");
        BOOST_TEST(r.exit == 4, command + ": " + r.err);
        BOOST_TEST(contains(r.err, "symbolic link to 'other/deep/real.nnc' in another folder"), r.err);
        BOOST_TEST(read_text(tmp / "other" / "deep" / "real.nnc") == "");
    }
    // util::written_path follows the link (and chains; a loop comes back unchanged).
    BOOST_TEST(nncert::util::written_path(tmp / "lnk.nnc") == tmp / "other/deep/real.nnc");
    fs::create_symlink("lnk.nnc", tmp / "lnk2.nnc");
    BOOST_TEST(nncert::util::written_path(tmp / "lnk2.nnc") == tmp / "other/deep/real.nnc");
    fs::create_symlink("loop-b", tmp / "loop-a");
    fs::create_symlink("loop-a", tmp / "loop-b");
    BOOST_TEST(nncert::util::written_path(tmp / "loop-a") == tmp / "loop-a");
    // Within one folder: written through the link into its target (existing or not yet), reading the same data
    // from the target's own path and through the link.
    write_text(tmp / "o" / "t.nnc", "");
    fs::create_symlink("t.nnc", tmp / "o" / "l.nnc");
    fs::create_symlink("new.nnc", tmp / "o" / "dangling.nnc");
    const std::string want = sha_of_data(tmp / "sub" / "s.nnc");
    for (const std::string out : {"o/l.nnc", "o/dangling.nnc"}) {
        const ProcessResult r = run_process(cd + " refine sub/s.nnc --point p -o " + out);
        BOOST_TEST(r.exit == 0, out + ": " + r.err);
    }
    for (const std::string f : {"o/t.nnc", "o/l.nnc", "o/new.nnc", "o/dangling.nnc"}) {
        BOOST_TEST(fs::file_size(tmp / f) > 0, f);
        BOOST_TEST(sha_of_data(tmp / f) == want, f);
        BOOST_TEST(data_token(read_text(tmp / f)) == "../sub/d.csv", f);
    }
}

BOOST_AUTO_TEST_SUITE_END()
