// Regression tests for the sixth adversarial review of issue 8 (r8-6): scripts written by refine -o and snap -o
// (F1: a data path that a script string cannot hold; F1b: -o through a symbolic link), the one parser of
// --timeout/--max-memory, plot on a script name that is not UTF-8 (F6), the report's JSON keys (F7), and
// the layout rules' error files.
#include "test_paths.hpp"
#include "process.hpp"
#include "script/lexer.hpp"
#include "script/load.hpp"
#include "script/parser.hpp"
#include "script/script.hpp"
#include "script/syntax.hpp"
#include "util/paths.hpp"

#include <boost/test/unit_test.hpp>

#include <optional>
#include <sstream>

namespace fs = std::filesystem;
using namespace nncert::test;

namespace {

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

std::string q(const fs::path& p) { return shell_quote(p.string()); }

// a + b, built by append: GCC 12 warns (-Wstringop-overflow, a false positive) about "literal" + std::string.
std::string cat(std::string a, const std::string& b) { return a.append(b); }

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
        cat("a", std::string(40, ' ')) + "b.csv",  // a run of spaces hiding the rest
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

// Review r8-7 F1 and F2: a chain of exactly 40 links opens (Linux's limit is 40), so the bytes land in its last
// target; before, written_path gave up after 40 hops and the data path was checked for the wrong folder. And a link
// in the middle of a chain is a folder from which the written script may be read too: it is checked.
BOOST_AUTO_TEST_CASE(output_through_a_chain_of_links) {
    TempDir tmp;
    fs::create_directories(tmp / "sub");
    fs::create_directories(tmp / "A");
    fs::create_directories(tmp / "B");
    write_text(tmp / "sub" / "s.nnc", refine_script);
    write_text(tmp / "sub" / "d.csv", refine_csv);
    write_text(tmp / "B" / "real.nnc", "");
    // c0 -> c1 -> ... -> c39 -> ../B/real.nnc: 40 links in folder A, the last into folder B.
    fs::create_symlink("../B/real.nnc", tmp / "A" / "c39");
    for (int k = 38; k >= 0; --k)
        fs::create_symlink(cat("c", std::to_string(k + 1)), tmp / "A" / cat("c", std::to_string(k)));
    const std::vector<fs::path> chain = nncert::util::link_chain(tmp / "A" / "c0");
    BOOST_TEST(chain.size() == 41u);
    BOOST_TEST(nncert::util::written_path(tmp / "A" / "c0") == tmp / "A" / ".." / "B" / "real.nnc");
    // One more link in front: 41 links, which open() refuses (ELOOP).
    fs::create_symlink("c0", tmp / "A" / "c-1");
    BOOST_TEST(nncert::util::link_chain(tmp / "A" / "c-1").empty());
    BOOST_TEST(nncert::util::written_path(tmp / "A" / "c-1") == tmp / "A" / "c-1");
    const std::string cd = "cd " + q(tmp.path()) + " && " + nncert_binary();
    // A and B are siblings: `../sub/d.csv` names the same file from both, so the script is written, into B.
    ProcessResult r = run_process(cd + " refine sub/s.nnc --point p -o A/c0");
    BOOST_TEST(r.exit == 0, r.err);
    BOOST_TEST(data_token(read_text(tmp / "B" / "real.nnc")) == "../sub/d.csv");
    // The same 40 links one folder deeper (x/A/c0 -> ... -> ../../B/real2.nnc): from x/A that path names x/sub/d.csv,
    // a decoy. Before, the data path was made for x/A (`../../sub/d.csv`), and the bytes landed in B, where that
    // path leaves the tree. Now the path is made for B and refused because x/A reads the decoy.
    fs::create_directories(tmp / "x" / "A");
    fs::create_directories(tmp / "x" / "sub");
    write_text(tmp / "x" / "sub" / "d.csv", "0,0\n1,0\n2,0\n");
    write_text(tmp / "B" / "real2.nnc", "");
    fs::create_symlink("../../B/real2.nnc", tmp / "x" / "A" / "c39");
    for (int k = 38; k >= 0; --k)
        fs::create_symlink(cat("c", std::to_string(k + 1)), tmp / "x" / "A" / cat("c", std::to_string(k)));
    for (const std::string command : {"refine sub/s.nnc --point p", "snap sub/s.nnc --point p --max-move 10"}) {
        r = run_process(cd + " " + command + " -o x/A/c0");
        BOOST_TEST(r.exit == 4, command + ": " + r.err);
        BOOST_TEST(read_text(tmp / "B" / "real2.nnc") == "");
    }
    // W/L1 -> B/L2 -> ../real.nnc: the bytes land in W, next to the first link, but the script is also read as
    // W/B/L2, from folder W/B, where the data path written for W names another file. Refused, nothing written.
    fs::create_directories(tmp / "W" / "B");
    write_text(tmp / "W" / "real.nnc", "");
    fs::create_symlink("../real.nnc", tmp / "W" / "B" / "L2");
    fs::create_symlink("B/L2", tmp / "W" / "L1");
    r = run_process(cd + " refine sub/s.nnc --point p -o W/L1");
    BOOST_TEST(r.exit == 4, r.err);
    BOOST_TEST(read_text(tmp / "W" / "real.nnc") == "");
}

// The one parser of --timeout and --max-memory (script::resource_limits), used by refine, snap, propose-trap,
// construct and import: before, five copies differed (refine and propose-trap took --max-memory up to 2^24,
// the others 2^20; construct's std::stoul threw on 2^64). Its errors, and each command giving them.
BOOST_AUTO_TEST_CASE(one_parser_of_timeout_and_max_memory) {
    using nncert::script::resource_limits;
    using Opt = std::optional<std::string>;
    auto problem = [](const Opt& t, const Opt& m) -> std::string {
        try {
            (void)resource_limits(t, m);
            return "";
        } catch (const std::invalid_argument& e) {
            return e.what();
        }
    };
    const auto none = resource_limits(std::nullopt, std::nullopt);
    BOOST_TEST(none.timeout_seconds == 600u);
    BOOST_TEST(none.max_memory_mib == 4096u);
    const auto refine_defaults = resource_limits(std::nullopt, Opt("0"), {120, 4096});
    BOOST_TEST(refine_defaults.timeout_seconds == 120u);
    BOOST_TEST(refine_defaults.max_memory_mib == 0u);
    BOOST_TEST(resource_limits(Opt("0"), Opt("256")).timeout_seconds == 0u);
    BOOST_TEST(resource_limits(Opt("86400"), Opt("1048576")).max_memory_mib == 1048576u);
    BOOST_TEST(resource_limits(Opt("007"), std::nullopt).timeout_seconds == 7u);
    const std::string timeout_rule = "--timeout needs a whole number of seconds from 0 (no limit) to 86400, got ";
    for (const std::string bad : {"86401", "-1", "+5", " 5", "5 ", "", "1e3", "0x10", "1.5", "nan", "inf",
                                  "4294967296", "18446744073709551616", "99999999999999999999999999"})
        BOOST_TEST(problem(Opt(bad), std::nullopt) == timeout_rule + "'" + bad + "'", bad);
    const std::string memory_rule = "--max-memory needs 0 (no limit) or a whole number of MiB from 256 to 1048576, got ";
    for (const std::string bad : {"1048577", "16777216", "", "-0", "1e3", "4096 ", "18446744073709551616"})
        BOOST_TEST(problem(std::nullopt, Opt(bad)) == memory_rule + "'" + bad + "'", bad);
    for (const std::string small : {"1", "100", "255"})
        BOOST_TEST(problem(std::nullopt, Opt(small)).starts_with("--max-memory needs 0 (no limit) or at least 256 MiB"),
                   small);
    // Every command that takes them says the same, exit 4, before reading anything.
    TempDir tmp;
    write_text(tmp / "s.nnc", refine_script);
    write_text(tmp / "d.csv", refine_csv);
    const std::string s = q(tmp / "s.nnc");
    const std::vector<std::string> commands = {
        "refine " + s + " --point p", "snap " + s + " --point p", "propose-trap " + s + " --point p",
        "import --weights " + q(tmp / "w.safetensors") + " --data " + q(tmp / "d.csv"),
        "construct dead-layer --data " + q(tmp / "d.csv") + " --depth 2 --widths 3"};
    for (const std::string& c : commands) {
        const ProcessResult t = run_process(nncert_binary() + " " + c + " --timeout 1e3");
        BOOST_TEST(t.exit == 4, c + ": " + t.err);
        BOOST_TEST(contains(t.err, timeout_rule + "'1e3'"), c + ": " + t.err);
        const ProcessResult m = run_process(nncert_binary() + " " + c + " --max-memory 16777216");
        BOOST_TEST(m.exit == 4, c + ": " + m.err);
        BOOST_TEST(contains(m.err, memory_rule + "'16777216'"), c + ": " + m.err);
    }
}

// F6: `nncert plot` on a script path with a byte that is not UTF-8 ended in exit 5 (nlohmann's dump threw);
// figure titles showed names raw (a Cyrillic a looked like a Latin one). Now the JSON holds the name with
// U+FFFD plus every byte in hex (script_bytes), and the escaped file name (script_shown) that titles show.
BOOST_AUTO_TEST_CASE(plot_names_that_are_not_utf8_or_confusable) {
    TempDir tmp;
    write_text(tmp / "d.csv", refine_csv);
    const std::string bad = "bad\xff.nnc", cyrillic = "d\xd0\xb0ta.nnc";
    write_text(tmp / bad, refine_script);
    write_text(tmp / cyrillic, refine_script);
    const std::string cd = "cd " + q(tmp.path()) + " && " + nncert_binary();
    const ProcessResult r = run_process(cd + " plot fits " + shell_quote(bad) + " -o b.json");
    BOOST_TEST_REQUIRE(r.exit == 0, r.err);
    const std::string b = read_text(tmp / "b.json");
    BOOST_TEST(contains(b, "\"script_bytes\": \"626164ff2e6e6e63\""), b);
    BOOST_TEST(contains(b, "\"script\": \"bad\xef\xbf\xbd.nnc\""), b);  // U+FFFD
    const ProcessResult c = run_process(cd + " plot fits " + shell_quote(cyrillic) + " -o c.json");
    BOOST_TEST_REQUIRE(c.exit == 0, c.err);
    const std::string cj = read_text(tmp / "c.json");
    BOOST_TEST(contains(cj, "\"script_shown\": \"d\\\\u{0430}ta.nnc\""), cj);
    BOOST_TEST(!contains(cj, "script_bytes"));
    // The renderer's default title shows the escaped name; the figure itself is written.
    const std::string py = "import json, sys; sys.path.insert(0, sys.argv[1]); import nncert_plot as n; "
                           "print(n.fits(json.load(open(sys.argv[2]))).axes[0].get_title())";
    const ProcessResult t = run_process("/usr/bin/python3 -c " + shell_quote(py) + " " +
                                        shell_quote(std::string(NNCERT_SOURCE_DIR) + "/plot") + " " + q(tmp / "c.json"));
    BOOST_TEST(t.exit == 0, t.err);
    BOOST_TEST(t.out == "d\\u{0430}ta.nnc: data and fitted functions\n", t.out);
    const ProcessResult png = run_process(cd + " plot fits " + shell_quote(bad) + " -o b.png");
    BOOST_TEST(png.exit == 0, png.err);
    BOOST_TEST(fs::exists(tmp / "b.png"));
}

// F7: report format 1 promises never to rename or remove a key, but counting row weights replaced the
// sublevel-accuracy evidence keys correct_at_point and witness_correct. Both are back beside the new
// accuracy_at_point and witness_accuracy: a whole number of rows with unit weights (as before), else the weight.
BOOST_AUTO_TEST_CASE(format_1_keeps_its_accuracy_evidence_keys) {
    TempDir tmp;
    write_text(tmp / "u.nnc", "nncert 1\ndata {\n  1 -> 1\n  -1 -> 1\n}\nnetwork {\n  input 1\n  dense 1 identity\n}\n"
                              "loss sse\nclassify threshold 0\npoint P {\n  W1 = [[1]]\n  b1 = [0]\n}\n"
                              "region near {\n  around P radius 1/10\n}\nclaim accuracy P in near <= 1/4\n");
    const ProcessResult unit = run_process(nncert_binary() + " check --json " + q(tmp / "u.nnc"));
    BOOST_TEST(unit.exit == 1, unit.out + unit.err);
    BOOST_TEST(contains(unit.out, "\"correct_at_point\": 1\n"), unit.out);
    BOOST_TEST(contains(unit.out, "\"accuracy_at_point\": \"1/2\""), unit.out);
    const std::string weighted = std::string(NNCERT_SOURCE_DIR) + "/tests/scripts/weights/accuracy-weighted-refuted.nnc";
    const ProcessResult w = run_process(nncert_binary() + " check --json " + q(weighted));
    BOOST_TEST(contains(w.out, "\"correct_at_point\": \"3\""), w.out);
    const std::string witness = std::string(NNCERT_SOURCE_DIR) + "/tests/scripts/traps/one-layer-near-misses.nnc";
    const ProcessResult n = run_process(nncert_binary() + " check --json " + q(witness));
    BOOST_TEST(contains(n.out, "\"witness_correct\": "), n.out);
    BOOST_TEST(contains(n.out, "\"witness_accuracy\": "), n.out);
}

// F2: `claim loss bad = ` + 997 zeros + `18` is 18 while an editor shows 0000... (and a CSV field `000...05`
// is 5). A literal's integer part has at most max_chars_before_point characters (review r8-7 F3 widened the
// leading-zero rule to the whole integer part: zeros alone and long integers are out of view too).
BOOST_AUTO_TEST_CASE(leading_zeros_cannot_hide_a_value) {
    using nncert::script::max_chars_before_point;
    auto code_of = [](const std::string& number) {
        try {
            nncert::script::parse_number(number);
            return std::string();
        } catch (const nncert::script::ParseError& e) {
            return e.code;
        }
    };
    BOOST_TEST(code_of(std::string(997, '0') + "18") == "layout");
    BOOST_TEST(code_of(std::string(max_chars_before_point - 2, '0') + "18") == "");
    BOOST_TEST(code_of(std::string(max_chars_before_point - 1, '0') + "18") == "layout");
    BOOST_TEST(code_of(std::string(max_chars_before_point + 1, '0') + ".5") == "layout");
    BOOST_TEST(code_of(std::string(max_chars_before_point, '0') + ".5") == "");  // the point is the 65th character
    BOOST_TEST(code_of(cat("0x", std::string(max_chars_before_point - 2, '0')) + "1p0") == "layout");
    BOOST_TEST(code_of(cat("0x", std::string(max_chars_before_point - 3, '0')) + "1p0") == "");  // 64 before p
    BOOST_TEST(code_of(std::string(999, '0')) == "layout");                   // zeros alone: 0 shown as 0000...
    BOOST_TEST(code_of(cat("0.", std::string(990, '0')) + "1") == "");        // only fraction digits out of view
    BOOST_TEST(code_of(cat("7", std::string(999, '0'))) == "layout");         // 7e999 shown as 7000...
    // In a CSV field too, located at its row.
    TempDir tmp;
    write_text(tmp / "d.csv", cat("0,1\n1,", std::string(997, '0')) + "5\n");
    write_text(tmp / "s.nnc", refine_script);
    BOOST_CHECK_EXCEPTION(nncert::script::parse_file((tmp / "s.nnc").string()), nncert::script::ParseError,
                          [](const nncert::script::ParseError& e) { return e.code == "layout" && e.loc.line == 2; });
}

// F3: `check via/../sub/x.nnc` with via -> real/sub checks real/sub/x.nnc but named it as typed, which reads as
// ./sub/x.nnc (here a decoy claiming the opposite). Named as the system resolves it now, as data files are.
BOOST_AUTO_TEST_CASE(a_script_path_after_a_folder_link_is_named_resolved) {
    TempDir tmp;
    fs::create_directories(tmp / "real" / "sub");
    fs::create_directories(tmp / "sub");
    const std::string script = "nncert 1\ndata {\n  0 -> 1\n}\nnetwork {\n  input 1\n  dense 1 identity\n}\nloss sse\n"
                               "point p {\n  W1 = [[0]]\n  b1 = [1]\n}\n";
    write_text(tmp / "real" / "sub" / "x.nnc", script + "claim loss p = 0\n");
    write_text(tmp / "sub" / "x.nnc", script + "claim loss p = 1\n");  // the decoy the typed name suggests
    fs::create_directory_symlink("real/sub", tmp / "via");
    const std::string cd = "cd " + q(tmp.path()) + " && " + nncert_binary();
    const ProcessResult r = run_process(cd + " check via/../sub/x.nnc");
    BOOST_TEST(r.exit == 0, r.out + r.err);
    BOOST_TEST(contains(r.out, "real/sub/x.nnc"), r.out);
    BOOST_TEST(!contains(r.out, "via/../sub"), r.out);
    const ProcessResult j = run_process(cd + " check --json via/../sub/x.nnc");
    BOOST_TEST(contains(j.out, "\"file\": \"real/sub/x.nnc\""), j.out);
    const ProcessResult walk = run_process(cd + " check via/..");
    BOOST_TEST(walk.exit == 0, walk.out + walk.err);
    BOOST_TEST(contains(walk.out, "real/sub/x.nnc"), walk.out);
    BOOST_TEST(!contains(walk.out, "via/.."), walk.out);
    // Without `..` a path is named as typed (a link stays a link).
    const ProcessResult plain = run_process(cd + " check via/x.nnc");
    BOOST_TEST(contains(plain.out, "via/x.nnc"), plain.out);
}

// F4: the Markdown/LaTeX key numbers of a weighted exact accuracy showed `correct = 1, total = 2,
// correct_weight = 3` next to 3/4 (total_weight cut by the four-number limit). The weights the value is made of
// are shown now, the row counts stay in the JSON.
BOOST_AUTO_TEST_CASE(key_numbers_of_a_weighted_accuracy_show_its_weights) {
    const std::string weighted = std::string(NNCERT_SOURCE_DIR) + "/tests/scripts/weights/accuracy-weighted.nnc";
    const ProcessResult md = run_process(nncert_binary() + " check --report md " + q(weighted));
    BOOST_TEST(contains(md.out, "accuracy = 3/4, correct\\_weight = 3, total\\_weight = 4 |"), md.out);
    BOOST_TEST(!contains(md.out, "correct = 1"), md.out);
    const ProcessResult tex = run_process(nncert_binary() + " check --report latex " + q(weighted));
    BOOST_TEST(contains(tex.out, "correct\\_\\allowbreak{}weight $=$ 3, total\\_\\allowbreak{}weight $=$ 4 &"), tex.out);
    BOOST_TEST(!contains(tex.out, "correct $=$ 1"), tex.out);
    const ProcessResult j = run_process(nncert_binary() + " check --json " + q(weighted));
    BOOST_TEST(contains(j.out, "\"total\": 2"), j.out);
}

BOOST_AUTO_TEST_SUITE_END()
