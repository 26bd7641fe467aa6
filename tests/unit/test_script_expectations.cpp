// Runs the real nncert binary on every .nnc under proofs/ and tests/scripts/ and checks the exit code,
// error code and verdicts each script declares in its header comments (`# expect-exit: N`, ...), and that
// every JSON report it printed meets docs/report.schema.json (one validator run per folder).
#include "test_paths.hpp"
#include "long_scripts.hpp"
#include "process.hpp"
#include "report/json.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdlib>

#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using nncert::report::Json;

namespace {

// What a script's header comments promise. Absent expect-exit means 0 (fully certified), or 2 when an
// expect-error is given, so an error script need not repeat the code its error implies.
struct Expectations {
    std::optional<int> exit;
    std::optional<std::string> error;
    std::optional<std::vector<std::string>> verdicts;
    std::vector<std::string> malformed;  // header lines that mention a key without being exactly a directive
    int expected_exit() const { return exit ? *exit : error ? 2 : 0; }
};

std::string trim(const std::string& s) {
    auto b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

// The lines of a file that may hold a directive: the first directive_lines (review r8-12 F6: `# expect-exit: 0` on
// line 1 and `# expect-exit: 1` 300 comment lines below, and the last one won). cmake/nncertConfig.cmake.in keeps
// the same number.
constexpr int directive_lines = 8;

// Reads the whole file, split at '\n' only. Directives stand in the leading block of comment (and blank) lines,
// within its first directive_lines lines. A line there that mentions expect-exit, expect-error or expect-verdicts
// anywhere must be exactly `# <key>: <value>` from column 1, with single spaces and an optional CR at the end,
// and at most 160 columns: anything else (a directive behind a run of blanks, past a viewer's edge, after a tab
// or a line separator) could change the expected outcome with nothing visible (review r8-10 F1). A key given
// twice, and a line that mentions a key anywhere later in the file (far down the header, or in the script's
// body), could too: the one a reader sees first is not the one that counts (review r8-12 F6). Each such line is
// recorded in `malformed` ("line N: why") and fails the script. The CMake package's reader
// (cmake/nncertConfig.cmake.in) keeps the same rule for expect-exit.
Expectations read_expectations(std::istream& in) {
    static const std::regex directive(
        "# (expect-exit: ([0-9]{1,3})|expect-error: ([a-z0-9_-]+)|expect-verdicts: ([a-z_]+( [a-z_]+)*))\r?");
    Expectations e;
    std::string line;
    bool header = true;
    // Screen rows the lines before this one fill in a viewer that wraps at 160 columns: a directive starts within
    // the first directive_lines rows a reader sees, in `less` too (review r8-13 F1: a 10,000-character line 1 put
    // `# expect-exit` 63 rows down, while 8 *lines* allowed it). Bytes count (the widest drawing).
    std::size_t rows_before = 0;
    for (int number = 1; std::getline(in, line); ++number) {
        const std::size_t rows_here = std::max<std::size_t>(1, (line.size() + 159) / 160);
        const std::size_t starts_at_row = rows_before + 1;
        rows_before += rows_here;
        const std::string text = trim(line);
        if (header && !text.empty() && text[0] != '#') header = false;
        const bool mentions = line.find("expect-exit") != std::string::npos ||
                              line.find("expect-error") != std::string::npos ||
                              line.find("expect-verdicts") != std::string::npos;
        if (!mentions) continue;
        const std::string where = "line " + std::to_string(number) + ": ";
        if (!header || starts_at_row > static_cast<std::size_t>(directive_lines)) {
            e.malformed.push_back(where + "mentions an expectation after the header's first " +
                                  std::to_string(directive_lines) +
                                  " lines (screen rows of 160 columns; directives stand there, once each)");
            continue;
        }
        std::smatch m;
        if (line.size() > 160 || !std::regex_match(line, m, directive)) {
            e.malformed.push_back(where + "mentions an expectation but is not exactly `# expect-<key>: <value>` "
                                          "from column 1 with single spaces");
            continue;
        }
        const bool repeated = (m[2].matched && e.exit) || (m[3].matched && e.error) || (m[4].matched && e.verdicts);
        if (repeated) {
            e.malformed.push_back(where + "repeats a directive the header already gave (each key once)");
            continue;
        }
        if (m[2].matched) e.exit = std::stoi(m[2].str());
        else if (m[3].matched) e.error = m[3].str();
        else {
            std::istringstream words(m[4].str());
            std::vector<std::string> list;
            for (std::string w; words >> w;) list.push_back(w);
            e.verdicts = list;
        }
    }
    return e;
}

Expectations read_expectations(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return read_expectations(in);
}

using nncert::test::shell_quote;

struct RunResult {
    std::string out;
    int status = -1;  // raw wait status
};

RunResult run(const std::string& command) {
    RunResult r;
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) return r;
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) r.out.append(buf, n);
    r.status = pclose(pipe);
    return r;
}

// The folders (or single scripts) to check: those named after `--` on the command line (relative to the source
// root; ctest registers one test per folder and one per long script, see tests/CMakeLists.txt), else proofs/ and
// tests/scripts/ whole.
std::vector<std::string> requested_folders() {
    const auto& suite = boost::unit_test::framework::master_test_suite();
    std::vector<std::string> dirs;
    for (int i = 1; i < suite.argc; ++i) dirs.emplace_back(suite.argv[i]);
    if (dirs.empty()) dirs = {"proofs", "tests/scripts"};
    return dirs;
}

// A named folder holds its own scripts only (its subfolders are groups of their own), less the long scripts
// (tests/long-scripts.txt), which ctest checks one by one, each named as a file; the default folders are searched
// recursively, long scripts included.
std::vector<fs::path> find_scripts() {
    std::vector<fs::path> found;
    const auto& suite = boost::unit_test::framework::master_test_suite();
    const bool named = suite.argc > 1;
    for (const std::string& sub : requested_folders()) {
        const fs::path dir = fs::path(NNCERT_SOURCE_DIR) / sub;
        if (named && fs::is_regular_file(dir) && dir.extension() == ".nnc") {
            found.push_back(dir);
            continue;
        }
        BOOST_TEST_REQUIRE(fs::is_directory(dir), "no folder " << dir.string());
        auto take = [&](const fs::directory_entry& entry) {
            if (entry.is_regular_file() && entry.path().extension() == ".nnc") found.push_back(entry.path());
        };
        if (named) {
            for (const auto& entry : fs::directory_iterator(dir))
                if (!nncert::test::is_long_script(entry.path())) take(entry);
        } else {
            for (const auto& entry : fs::recursive_directory_iterator(dir)) take(entry);
        }
    }
    std::sort(found.begin(), found.end());
    return found;
}

// The binary under test: this build's, or $NNCERT_CHECK_BINARY (process.hpp).
std::string binary_under_test() { return nncert::test::checked_binary(); }

// Whether a process's stderr holds a report of ASan, LSan or UBSan, whatever exit code the sanitizer chose.
bool has_sanitizer_report(const std::string& diagnostics) {
    for (const char* mark : {"ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:"})
        if (diagnostics.find(mark) != std::string::npos) return true;
    return false;
}

// Checks one script; its JSON report, when the run printed one, is kept in `report` for the schema check.
void check_script(const fs::path& file, const fs::path& report) {
    Expectations want = read_expectations(file);
    if (!want.malformed.empty()) {
        for (const std::string& why : want.malformed) BOOST_TEST(false, file.string() << ":" << why);
        return;
    }
    // `exec` so the shell is replaced and a signal shows in the wait status, not as a shell exit 128+n.
    // stderr is kept to look for a sanitizer's report (scripts/test.sh runs the sanitized binary): whatever exit
    // code the sanitizer chose, a report is never an expected outcome (review r8-10 F4).
    const fs::path err = report.string() + ".stderr";
    RunResult got = run("exec " + shell_quote(binary_under_test()) + " check --json " + shell_quote(file.string()) +
                        " 2>" + shell_quote(err.string()));
    nncert::test::write_text(report, got.out);
    const std::string diagnostics = nncert::test::read_text(err);
    BOOST_TEST(!has_sanitizer_report(diagnostics), "a sanitizer report on stderr:\n" << diagnostics);
    // A crash or a signal is never an expected outcome. (No _REQUIRE here: one bad script must not
    // stop the others from being checked.)
    if (!WIFEXITED(got.status)) {
        BOOST_TEST(false, "nncert did not exit normally (wait status " << got.status << ")");
        return;
    }
    int code = WEXITSTATUS(got.status);
    BOOST_TEST(code == want.expected_exit(), "exit " << code << ", expected " << want.expected_exit() << "; stderr:\n"
                                                 << diagnostics.substr(0, 4000));

    Json doc;
    try {
        doc = Json::parse(got.out);
    } catch (const std::exception& e) {
        BOOST_TEST(false, "stdout is not a JSON report: " << e.what());
        return;
    }
    BOOST_TEST(doc.at("summary").at("exit_code").as_integer() == code);
    const auto& scripts = doc.at("scripts").as_array();
    if (scripts.size() != 1u) {
        BOOST_TEST(false, "report has " << scripts.size() << " script entries, expected 1");
        return;
    }
    const Json& s = scripts[0];

    const Json* error = s.find("error");
    if (want.error) {
        BOOST_TEST((error != nullptr), "expected error " << *want.error << " but the script parsed");
        if (error) BOOST_TEST(error->at("code").as_string() == *want.error);
        return;
    }
    if (error) {
        BOOST_TEST(false, "unexpected error: " << error->dump(nncert::report::Layout::line));
        return;
    }

    std::vector<std::string> verdicts;
    for (const Json& c : s.at("claims").as_array()) verdicts.push_back(c.at("verdict").as_string());
    if (want.verdicts) BOOST_TEST(verdicts == *want.verdicts, boost::test_tools::per_element());
    // A proof with no claims would pass vacuously.
    if (file.string().find("/proofs/") != std::string::npos) BOOST_TEST(!verdicts.empty(), "a proof makes no claims");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(script_expectations)

BOOST_AUTO_TEST_CASE(every_script_meets_its_expectations) {
    std::vector<fs::path> scripts = find_scripts();
    BOOST_TEST_REQUIRE(!scripts.empty(), "no .nnc scripts found in the requested folders");
    nncert::test::TempDir reports;
    // Appended piecewise (here and in expectation_lines): GCC 12 -Wstringop-overflow false positive on a `" " + string` chain.
    std::string validate = "/usr/bin/python3 ";
    validate += shell_quote(std::string(NNCERT_SOURCE_DIR) + "/tests/tools/validate_json_schema.py");
    validate += ' ';
    validate += shell_quote(std::string(NNCERT_SOURCE_DIR) + "/docs/report.schema.json");
    for (std::size_t i = 0; i < scripts.size(); ++i) {
        const fs::path& file = scripts[i];
        // Named after the script, so that the validator's messages say which report is wrong.
        const fs::path report = reports / (std::to_string(i) + "-" + file.stem().string() + ".json");
        BOOST_TEST_CONTEXT("script " << fs::relative(file, NNCERT_SOURCE_DIR).string()) {
            try {
                check_script(file, report);
            } catch (const std::exception& e) {  // e.g. a report missing a key
                BOOST_TEST(false, "exception: " << e.what());
            }
        }
        validate += ' ';
        validate += shell_quote(report.string());
    }
    // Every report of every folder meets the published schema (unit.cli shows the schema is not vacuous).
    const nncert::test::ProcessResult valid = nncert::test::run_process(validate);
    BOOST_TEST(valid.exit == 0, valid.err);
}

BOOST_AUTO_TEST_SUITE_END()

// The expectation reader itself (review r8-10 F1): what counts as a directive, and what fails the script.
BOOST_AUTO_TEST_SUITE(expectation_lines)

Expectations read_header(const std::string& text) {
    std::istringstream in(text);
    return read_expectations(in);
}

BOOST_AUTO_TEST_CASE(exact_directives_are_read) {
    const Expectations e = read_header("# A proof.\n\n# expect-exit: 1\r\n# expect-verdicts: certified refuted\nnncert 1\n");
    BOOST_TEST(e.malformed.empty());
    BOOST_TEST(e.expected_exit() == 1);
    BOOST_TEST((e.verdicts == std::vector<std::string>{"certified", "refuted"}));
    BOOST_TEST(read_header("# expect-error: layout\nnncert 1\n").expected_exit() == 2);
    // Prose that names no key is not a directive.
    BOOST_TEST(read_header("# we expect this to certify\nnncert 1\n").malformed.empty());
}

BOOST_AUTO_TEST_CASE(hidden_or_loose_directives_fail_the_script) {
    const std::vector<std::string> hidden = {
        std::string("#").append(300, ' ').append("expect-exit: 1\n"),  // behind a blank run: a viewer shows '#'
        std::string("#").append(40, '\t').append("expect-exit: 1\n"),  // the same with tabs
        std::string("# ok").append(200, ' ').append("# expect-exit: 1\n"),  // past column 160 after text
        "# ok\r# expect-exit: 2\n",                             // after a lone CR
        "# ok\u2028# expect-exit: 2\n",                         // after a Unicode line separator
        std::string(200, ' ').append("# expect-exit: 1\n"),      // the whole line pushed past the edge
        "#expect-exit: 1\n", "# expect-exit:  1\n", "# expect-exit: 1 2\n", "# expect-exit: 1 # 0\n",
        "# expect-verdicts: certified  refuted\n", "# expect-error: layout extra words\n",
        std::string("# expect-verdicts:").append(170, ' ').append("refuted\n"),
    };
    for (const std::string& line : hidden) {
        BOOST_TEST_CONTEXT("header line of " << line.size() << " bytes") {
            BOOST_TEST(read_header(line + "nncert 1\n").malformed.size() == 1u);
        }
    }
}

// Directives stand in the header's first lines, each once (review r8-12 F6): a second one, or one further down
// (300 license lines below, or in the body), fails the script naming its line, never "the last one wins".
BOOST_AUTO_TEST_CASE(repeated_or_late_directives_fail_the_script) {
    const auto malformed = [](const std::string& text) { return read_header(text).malformed; };
    // The finding: line 1 says 0, line 303 says 1.
    std::string license = "# expect-exit: 0\n# Theorem 1: the loss at p is 5.\n";
    for (int i = 0; i < 300; ++i) license += "# license text\n";
    license += "# expect-exit: 1\nnncert 1\n";
    BOOST_TEST((malformed(license) == std::vector<std::string>{
                    "line 303: mentions an expectation after the header's first 8 lines (screen rows of 160 columns; "
                    "directives stand there, once each)"}));
    BOOST_TEST((malformed("# expect-exit: 0\n# expect-exit: 1\nnncert 1\n") ==
                std::vector<std::string>{"line 2: repeats a directive the header already gave (each key once)"}));
    BOOST_TEST(malformed("# expect-exit: 1\n# expect-exit: 1\nnncert 1\n").size() == 1u);  // even the same value
    BOOST_TEST(malformed("# expect-error: layout\n# expect-error: io\nnncert 1\n").size() == 1u);
    BOOST_TEST(malformed("# expect-verdicts: certified\n# expect-verdicts: refuted\nnncert 1\n").size() == 1u);
    // After the header, in the script's body.
    BOOST_TEST((malformed("nncert 1\n# expect-exit: 3\n") ==
                std::vector<std::string>{"line 2: mentions an expectation after the header's first 8 lines "
                                         "(screen rows of 160 columns; directives stand there, once each)"}));
    // Line 8 is the last that may hold one; line 9 is too far down, even inside the header.
    std::string eight;
    for (int i = 0; i < 7; ++i) eight += "#\n";
    BOOST_TEST(malformed(eight + "# expect-exit: 1\nnncert 1\n").empty());
    BOOST_TEST(read_header(eight + "# expect-exit: 1\nnncert 1\n").expected_exit() == 1);
    BOOST_TEST(malformed(eight + "#\n# expect-exit: 1\nnncert 1\n").size() == 1u);
    // Rows, not lines (review r8-13 F1): a 10,000-character comment on line 1 fills 63 rows of a wrapping viewer, so
    // a directive on line 2 is far below the first screen; a line of 160 characters is one row, of 161 two.
    BOOST_TEST(malformed("# " + std::string(9998, 'x') + "\n# expect-exit: 1\nnncert 1\n").size() == 1u);
    BOOST_TEST(malformed("# " + std::string(158, 'x') + "\n" + eight.substr(2) + "# expect-exit: 1\nnncert 1\n").empty());
    BOOST_TEST(malformed("# " + std::string(159, 'x') + "\n" + eight.substr(2) + "# expect-exit: 1\nnncert 1\n").size() == 1u);
    // Different keys, once each, stay fine.
    BOOST_TEST(malformed("# expect-exit: 1\n# expect-verdicts: refuted\nnncert 1\n").empty());
}

// A sanitizer's report on stderr fails the script whatever the exit code (review r8-10 F4).
BOOST_AUTO_TEST_CASE(sanitizer_reports_are_recognised) {
    BOOST_TEST(has_sanitizer_report("==1==ERROR: AddressSanitizer: heap-use-after-free on address 0x1\n"));
    BOOST_TEST(has_sanitizer_report("==7==ERROR: LeakSanitizer: detected memory leaks\n"));
    BOOST_TEST(has_sanitizer_report("src/x.cpp:3:5: runtime error: signed integer overflow\n"));
    BOOST_TEST(!has_sanitizer_report("nncert: error[limit]: the memory limit (--max-memory) was reached\n"));
}

BOOST_AUTO_TEST_SUITE_END()
