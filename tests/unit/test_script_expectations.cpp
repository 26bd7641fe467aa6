// Runs the real nncert binary on every .nnc under proofs/ and tests/scripts/ and checks the exit code,
// error code and verdicts each script declares in its header comments (`# expect-exit: N`, ...), and that
// every JSON report it printed meets docs/report.schema.json (one validator run per folder).
#include "test_paths.hpp"
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
    int expected_exit() const { return exit ? *exit : error ? 2 : 0; }
};

std::string trim(const std::string& s) {
    auto b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

// Reads the leading block of comment (and blank) lines; stops at the first line of script text.
Expectations read_expectations(const fs::path& file) {
    Expectations e;
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) {
        line = trim(line);
        if (line.empty()) continue;
        if (line[0] != '#') break;
        std::string body = trim(line.substr(1));
        auto value = [&](const std::string& key) -> std::optional<std::string> {
            if (body.rfind(key, 0) != 0) return std::nullopt;
            return trim(body.substr(key.size()));
        };
        if (auto v = value("expect-exit:")) e.exit = std::stoi(*v);
        else if (auto v = value("expect-error:")) e.error = *v;
        else if (auto v = value("expect-verdicts:")) {
            std::istringstream words(*v);
            std::vector<std::string> list;
            for (std::string w; words >> w;) list.push_back(w);
            e.verdicts = list;
        }
    }
    return e;
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

// The folders to check: those named after `--` on the command line (relative to the source root; ctest
// registers one test per folder, see tests/CMakeLists.txt), else proofs/ and tests/scripts/ whole.
std::vector<std::string> requested_folders() {
    const auto& suite = boost::unit_test::framework::master_test_suite();
    std::vector<std::string> dirs;
    for (int i = 1; i < suite.argc; ++i) dirs.emplace_back(suite.argv[i]);
    if (dirs.empty()) dirs = {"proofs", "tests/scripts"};
    return dirs;
}

// A named folder holds its own scripts only (its subfolders are groups of their own); the default
// folders are searched recursively.
std::vector<fs::path> find_scripts() {
    std::vector<fs::path> found;
    const auto& suite = boost::unit_test::framework::master_test_suite();
    const bool named = suite.argc > 1;
    for (const std::string& sub : requested_folders()) {
        const fs::path dir = fs::path(NNCERT_SOURCE_DIR) / sub;
        BOOST_TEST_REQUIRE(fs::is_directory(dir), "no folder " << dir.string());
        auto take = [&](const fs::directory_entry& entry) {
            if (entry.is_regular_file() && entry.path().extension() == ".nnc") found.push_back(entry.path());
        };
        if (named) for (const auto& entry : fs::directory_iterator(dir)) take(entry);
        else for (const auto& entry : fs::recursive_directory_iterator(dir)) take(entry);
    }
    std::sort(found.begin(), found.end());
    return found;
}

// The binary under test: this build's, or $NNCERT_CHECK_BINARY (process.hpp).
std::string binary_under_test() { return nncert::test::checked_binary(); }

// Checks one script; its JSON report, when the run printed one, is kept in `report` for the schema check.
void check_script(const fs::path& file, const fs::path& report) {
    Expectations want = read_expectations(file);
    // `exec` so the shell is replaced and a signal shows in the wait status, not as a shell exit 128+n.
    RunResult got = run("exec " + shell_quote(binary_under_test()) + " check --json " + shell_quote(file.string()));
    nncert::test::write_text(report, got.out);
    // A crash or a signal is never an expected outcome. (No _REQUIRE here: one bad script must not
    // stop the others from being checked.)
    if (!WIFEXITED(got.status)) {
        BOOST_TEST(false, "nncert did not exit normally (wait status " << got.status << ")");
        return;
    }
    int code = WEXITSTATUS(got.status);
    BOOST_TEST(code == want.expected_exit());

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
    // Appended piecewise: GCC 12 -Wstringop-overflow false positive on a `" " + string` chain.
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
