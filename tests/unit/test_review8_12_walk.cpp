// Review r8-12 (issue 8), findings F4, F6, F10 and F11:
// - F4: `nncert check DIR` and nncert_add_proofs skipped, silently, files whose names show as *.nnc and are not
//   (`t.nnс` with a Cyrillic es, `t.nnc ` with a trailing space, `t.nnc` + U+200B, `t.nnｃ` fullwidth, `.nnc`):
//   each is now an io error entry of the walk, and `nncert check --list` lets the CMake package refuse them.
// - F6: two `# expect-exit` lines in the CMake package's reader, the last (300 lines down) winning: a second
//   directive, or one after the file's first 8 lines, now stops the configure naming the line (the repository's
//   own harness: suite expectation_lines, tests/unit/test_script_expectations.cpp).
// - F10: docs/format.md's recipe for inputs_sha256 hashes file contents only, so a name holding a backslash
//   gives nncert's value too.
// - F11: a closed standard output killed nncert by SIGPIPE (status 141, no word); now error[io], exit 2.
#include "install_prefix.hpp"
#include "process.hpp"
#include "util/confusable.hpp"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <regex>
#include <set>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace nncert::test;

namespace {

const std::string source = NNCERT_SOURCE_DIR;

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

const std::string good_script =
    "nncert 1\ndata { 0 -> 0 }\nnetwork { input 1 dense 1 identity }\nloss sse\npoint p { W1 = [[0]] b1 = [0] }\n"
    "claim loss p = 0\n";
// False: the loss at p is 0. Checked, it is refuted (exit 1); skipped, the run passed.
const std::string false_script =
    "nncert 1\ndata { 0 -> 0 }\nnetwork { input 1 dense 1 identity }\nloss sse\npoint p { W1 = [[0]] b1 = [0] }\n"
    "claim loss p = 5\n";

// The finding's five names, and more of the kind: each shows as a name ending in .nnc.
const std::vector<std::string> look_alikes = {
    "theorem1.nn\xd1\x81",          // Cyrillic es U+0441
    "theorem2.nnc ",                // a trailing space
    "theorem3.nnc\xe2\x80\x8b",     // a trailing ZERO WIDTH SPACE
    "theorem4.nn\xef\xbd\x83",      // FULLWIDTH LATIN SMALL LETTER C
    ".nnc",                         // a dot file: fs::path::extension() is empty
    "theorem5.NN\xd0\xa1",          // capital Cyrillic ES, capital NN
    "theorem6.nnc\t",               // a trailing tab
    "theorem7.n\xe2\x80\x8dnc",     // ZERO WIDTH JOINER inside
    "theorem8.nnc\xc2\xa0",         // NO-BREAK SPACE
    "theorem9.\xd5\xb8\xd5\xb8\x63",  // Armenian vo vo (U+0578) + Latin c: skeleton "nnc"
    "theorem10.nnc\n",              // a trailing line feed
    "theorem11.nnc\xe2\x80\xae",    // a trailing RIGHT-TO-LEFT OVERRIDE
    // Review r8-13 F5: dots that are not U+002E, and a trailing dot.
    "theorem12\xef\xbd\xa1nnc",      // HALFWIDTH IDEOGRAPHIC FULL STOP U+FF61
    "theorem13\xef\xb9\x92nnc",      // SMALL FULL STOP U+FE52
    "theorem14\xef\xbc\x8ennc",      // FULLWIDTH FULL STOP U+FF0E
    "theorem15\xc2\xb7nnc",          // MIDDLE DOT U+00B7
    "theorem16.nnc.",               // a trailing dot
};
// Names that do not look like a script's: never errors, never checked.
const std::vector<std::string> other_names = {
    "notes.txt", "data.csv", "theorem.nnc~", "theorem.nnc.orig", "README", "x.nn", "x.nncc",
    "donn\xc3\xa9" "es.csv", "nnc", "x-nnc", "\xd0\xb4\xd0\xb0\xd0\xbd\xd0\xbd\xd1\x8b\xd0\xb5.txt",
};

// Runs nncert with `args` (argv, no shell), its standard output the write end of a pipe whose read end is closed
// before nncert starts (a reader that went away, as `| head -1` after its line), SIGPIPE at its default as a shell
// leaves it. Returns the wait status; stderr goes to `err_file`.
int run_into_closed_pipe(const std::vector<std::string>& args, const fs::path& err_file) {
    int fds[2];
    BOOST_TEST_REQUIRE(::pipe(fds) == 0);
    ::close(fds[0]);
    std::vector<char*> argv;
    std::vector<std::string> owned = {NNCERT_BINARY};
    owned.insert(owned.end(), args.begin(), args.end());
    for (std::string& a : owned) argv.push_back(a.data());
    argv.push_back(nullptr);
    const std::string err = err_file.string();
    const pid_t pid = ::fork();
    BOOST_TEST_REQUIRE(pid >= 0);
    if (pid == 0) {
        ::signal(SIGPIPE, SIG_DFL);
        const int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        const int in = ::open("/dev/null", O_RDONLY);
        if (e < 0 || in < 0 || ::dup2(fds[1], 1) < 0 || ::dup2(e, 2) < 0 || ::dup2(in, 0) < 0) ::_exit(126);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    ::close(fds[1]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) return -1;
    return status;
}

// Configures the downstream project in `project` against `prefix`; output and errors with whitespace collapsed
// (CMake wraps long messages).
ProcessResult configure(const fs::path& project, const fs::path& prefix, const fs::path& work) {
    ProcessResult r = run_process("cmake -S " + shell_quote(project.string()) + " -B " + shell_quote(work.string()) +
                                  " -DCMAKE_PREFIX_PATH=" + shell_quote(prefix.string()));
    r.out = std::regex_replace(r.out + r.err, std::regex("\\s+"), " ");
    return r;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(review8_12_walk)

BOOST_AUTO_TEST_CASE(names_that_show_as_scripts_are_recognised) {
    for (const std::string& name : look_alikes) BOOST_TEST(nncert::util::looks_like_script_name(name), name);
    for (const std::string& name : other_names) BOOST_TEST(!nncert::util::looks_like_script_name(name), name);
    // A script's own name ends in .nnc too (the walk asks only of names that are not scripts').
    BOOST_TEST(nncert::util::looks_like_script_name("good.nnc"));
    BOOST_TEST(nncert::util::looks_like_script_name("UPPER.NNC"));
}

// F4: the finding's folder. Every look-alike is an io error entry naming it; the good script is still checked.
BOOST_AUTO_TEST_CASE(a_folder_walk_reports_look_alike_names) {
    TempDir tmp;
    const fs::path proofs = tmp / "proofs";
    fs::create_directories(proofs / "sub");
    write_text(proofs / "good.nnc", good_script);
    for (const std::string& name : look_alikes) write_text(proofs / "sub" / name, false_script);
    for (const std::string& name : other_names) write_text(proofs / name, false_script);
    const ProcessResult r = run_process(nncert_binary() + " check --json " + shell_quote(proofs.string()));
    BOOST_TEST(r.exit == 2, r.err);  // 0: "1 claim: 1 certified"
    const auto doc = nlohmann::json::parse(r.out);
    std::set<std::string> refused;
    int certified = 0;
    for (const auto& s : doc.at("scripts")) {
        if (s.contains("error")) {
            BOOST_TEST(s.at("error").at("code").get<std::string>() == "io");
            BOOST_TEST(contains(s.at("error").at("message").get<std::string>(), "looks like a script but is not named *.nnc"));
            refused.insert(fs::path(s.at("file").get<std::string>()).filename().string());
        } else {
            BOOST_TEST(s.at("file").get<std::string>() == (proofs / "good.nnc").string());
            certified += s.at("claims").at(0).at("verdict").get<std::string>() == "certified";
        }
    }
    BOOST_TEST(certified == 1);
    BOOST_TEST(refused == std::set<std::string>(look_alikes.begin(), look_alikes.end()));

    // The text report names each (escaped), and --list refuses the folder with the same errors.
    const ProcessResult text = run_process(nncert_binary() + " check " + shell_quote(proofs.string()));
    BOOST_TEST(text.exit == 2);
    BOOST_TEST(contains(text.out, "theorem1.nn\\u{0441}"), text.out);
    BOOST_TEST(contains(text.out, "theorem3.nnc\\u{200B}"), text.out);
    const ProcessResult list = run_process(nncert_binary() + " check --list " + shell_quote(proofs.string()));
    BOOST_TEST(list.exit == 2);
    BOOST_TEST(list.out == (proofs / "good.nnc").string() + "\n");
    BOOST_TEST(contains(list.err, "theorem1.nn\\u{0441}"), list.err);
    BOOST_TEST(contains(list.err, "error[io]"), list.err);
}

// `check --list` on a clean folder: the scripts `check` would check, in its order, and exit 0; nothing checked
// (the false script is listed, not refuted).
BOOST_AUTO_TEST_CASE(list_prints_what_check_would_check) {
    TempDir tmp;
    fs::create_directories(tmp / "p/b");
    write_text(tmp / "p/b/x.nnc", false_script);
    write_text(tmp / "p/a.NNC", good_script);
    write_text(tmp / "p/notes.txt", "");
    const ProcessResult r = run_process(nncert_binary() + " check --list " + shell_quote((tmp / "p").string()));
    BOOST_TEST(r.exit == 0, r.err);
    BOOST_TEST(r.out == (tmp / "p/a.NNC").string() + "\n" + (tmp / "p/b/x.nnc").string() + "\n");
    BOOST_TEST(r.err.empty(), r.err);
}

// F4 and F6 in the installed CMake package: a look-alike script name, a second directive, and a directive 300
// lines down each stop the configure, naming the file (and line); the unmodified project configures.
BOOST_AUTO_TEST_CASE(add_proofs_refuses_look_alikes_and_late_directives) {
    TempDir tmp;
    const fs::path prefix = install_build(tmp);
    const fs::path copy = tmp / "copy";
    fs::copy(source + "/tests/downstream", copy, fs::copy_options::recursive);
    const ProcessResult clean = configure(copy, prefix, tmp / "w0");
    BOOST_TEST(clean.exit == 0, clean.out);

    write_text(copy / "proofs" / look_alikes[0], false_script);
    const ProcessResult alike = configure(copy, prefix, tmp / "w1");
    BOOST_TEST(alike.exit != 0, alike.out);  // registered only paper.good and paper.sub.refuted, "100% passed"
    BOOST_TEST(contains(alike.out, "looks like a script but is not named *.nnc"), alike.out);
    BOOST_TEST(contains(alike.out, "theorem1.nn\\u{0441}"), alike.out);
    fs::remove(copy / "proofs" / look_alikes[0]);

    const fs::path refuted = copy / "proofs/sub/refuted.nnc";
    const std::string original = read_text(refuted);
    const std::string body = original.substr(original.find('\n') + 1);  // without its `# expect-exit: 1`
    BOOST_TEST_REQUIRE(original.starts_with("# expect-exit: 1\n"));
    // The finding: expect-exit 0 on line 1, a 300-line licence, expect-exit 1 on line 303.
    std::string licence = "# expect-exit: 0\n# Theorem 1: every claim below is certified.\n";
    for (int i = 0; i < 300; ++i) licence += "# licence text\n";
    write_text(refuted, licence + "# expect-exit: 1\n" + body);
    const ProcessResult late = configure(copy, prefix, tmp / "w2");
    BOOST_TEST(late.exit != 0, late.out);  // "nncert.theorem ... Passed"
    BOOST_TEST(contains(late.out, "refuted.nnc:303: mentions expect-exit after the header's first 8 lines"), late.out);

    write_text(refuted, "# expect-exit: 0\n# expect-exit: 1\n" + body);
    const ProcessResult twice = configure(copy, prefix, tmp / "w3");
    BOOST_TEST(twice.exit != 0, twice.out);
    BOOST_TEST(contains(twice.out, "refuted.nnc:2: a second `# expect-exit` line"), twice.out);

    write_text(refuted, "# expect-exit: 1\n" + body + "# expect-exit: 0\n");  // in the script's body
    const ProcessResult in_body = configure(copy, prefix, tmp / "w4");
    BOOST_TEST(in_body.exit != 0, in_body.out);
    BOOST_TEST(contains(in_body.out, "mentions expect-exit after the header's first 8 lines"), in_body.out);

    // Line 8 still holds one.
    write_text(refuted, "#\n#\n#\n#\n#\n#\n#\n# expect-exit: 1\n" + body);
    const ProcessResult eighth = configure(copy, prefix, tmp / "w5");
    BOOST_TEST(eighth.exit == 0, eighth.out);
}

// F11: a reader that went away is a failed write, error[io] and exit 2, for every command that writes to
// standard output (not status 141 by SIGPIPE with no word).
BOOST_AUTO_TEST_CASE(a_closed_pipe_is_a_failed_write) {
    TempDir tmp;
    const std::vector<std::vector<std::string>> commands = {
        {"check", source + "/proofs/segments"},
        {"check", "--json", source + "/tests/scripts/good"},
        {"print", source + "/proofs/paper/example1.nnc"},
        {"--version"},
        {"check", "--help"},
    };
    for (const auto& args : commands) {
        const int status = run_into_closed_pipe(args, tmp / "err");
        const std::string err = read_text(tmp / "err");
        BOOST_TEST_CONTEXT(args.front() << " " << args.back()) {
            BOOST_TEST(!WIFSIGNALED(status), "killed by signal " << (WIFSIGNALED(status) ? WTERMSIG(status) : 0));
            BOOST_TEST((WIFEXITED(status) && WEXITSTATUS(status) == 2), err);
            BOOST_TEST(contains(err, "error[io]: writing the result to standard output failed"), err);
        }
    }
}

// Review r8-13 F6: after a failed write the run stops, and the scripts it did not check are errors of the run in the
// --junit file (before, that file was well-formed and green: 2 tests, 0 failures, 0 errors, while the other scripts,
// a refuted one among them, were never checked).
BOOST_AUTO_TEST_CASE(a_stopped_run_leaves_no_green_junit_file) {
    TempDir tmp;
    const fs::path junit = tmp / "r.xml";
    const int status = run_into_closed_pipe({"check", "--junit", junit.string(), source + "/proofs/paper"}, tmp / "err");
    BOOST_TEST((WIFEXITED(status) && WEXITSTATUS(status) == 2), read_text(tmp / "err"));
    const std::string xml = read_text(junit);
    const std::regex errors(R"re(<testsuites[^>]*errors="([0-9]+)")re");
    std::smatch m;
    BOOST_TEST_REQUIRE(std::regex_search(xml, m, errors), xml.substr(0, 400));
    BOOST_TEST(std::stoi(m[1]) >= 1, xml.substr(0, 400));
    BOOST_TEST(contains(xml, "not checked: writing the report failed"), xml.substr(0, 400));
}

// Review r8-13 F7: a claim's child ends with the checking process. Before, after `kill -TERM` of `nncert check`,
// its child went on with the claim past --timeout, with no one to stop it.
BOOST_AUTO_TEST_CASE(a_claims_child_ends_with_its_parent) {
    TempDir tmp;
    // 2^20 activation patterns: about 50 s, far longer than the test.
    std::string slow = "nncert 1\ndata {\n";
    for (int i = 1; i <= 20; ++i) slow += "  " + std::to_string(i) + ", 0 -> " + std::to_string(-(i % 3 + 1)) + "\n";
    slow += "}\nnetwork {\n  input 2\n  dense 1 relu\n  dense 1 identity nobias\n}\nloss sse\n"
            "point p { W1 = [[0, 1]] b1 = [0] W2 = [[1]] }\nclaim local_min p\n";
    const fs::path script = tmp / "orphan-probe-slow.nnc";
    write_text(script, slow);
    const std::string q = shell_quote(script.string());
    // Built by appending (g++ 12 -O3 gives a false -Wstringop-overflow on "(" + std::string(...) + ...).
    std::string cmd = "(";
    cmd += NNCERT_BINARY;
    cmd += " check --timeout 0 --max-patterns 1048576 " + q;
    cmd += " >/dev/null 2>&1 & p=$!; sleep 2; kill -TERM $p; wait $p; sleep 1; ";
    // Every nncert process whose command line names the script (the shells running this line name it too).
    cmd += "left=$(for x in $(pgrep -f -- " + q + "); do [ \"$(cat /proc/$x/comm 2>/dev/null)\" = nncert ] && echo $x; done); ";
    cmd += "echo ${left:-none})";
    const ProcessResult r = run_process(cmd);
    BOOST_TEST(contains(r.out, "none"), r.out);
    run_process("pkill -KILL -f -- " + q);  // a child left by a regression must not outlive the test
}

// Review r8-13 F2: a number, size or name given as '' is a usage error (exit 4), not the option's default.
BOOST_AUTO_TEST_CASE(empty_option_values_are_usage_errors) {
    const std::string script = shell_quote(source + "/proofs/paper/example1.nnc");
    for (const std::string command :
         {"check --timeout ''", "check --script-timeout ''", "check --max-memory ''", "check --precision ''",
          "check --engine ''", "check --report ''", "check --threads ''", "check --max-boxes ''", "print --timeout ''",
          "print --max-memory ''"}) {
        const ProcessResult r = run_process(shell_quote(NNCERT_BINARY) + " " + command + " " + script);
        BOOST_TEST(r.exit == 4, command << ": " << r.out << r.err);
        BOOST_TEST(contains(r.err, "needs a value, got ''"), command << ": " << r.err);
    }
}

// F10: the recipe docs/format.md gives for inputs_sha256, run as written, gives nncert's value for a data file
// whose name holds a backslash (GNU sha256sum escapes such a name and starts its line with '\').
BOOST_AUTO_TEST_CASE(the_documented_inputs_hash_recipe_matches) {
    const std::string doc = read_text(source + "/docs/format.md");
    std::smatch m;
    BOOST_TEST_REQUIRE(std::regex_search(doc, m, std::regex("`(for f in script\\.nnc data\\.csv; do [^`]*)`")));
    const std::string recipe = m[1].str();
    TempDir tmp;
    write_text(tmp / "a\\b.csv", "0,0\n1,1\n");
    write_text(tmp / "t.nnc", "nncert 1\ndata \"a\\b.csv\"\nnetwork { input 1 dense 1 identity }\nloss sse\n"
                              "point p { W1 = [[1]] b1 = [0] }\nclaim loss p = 0\n");
    const ProcessResult r = run_process(nncert_binary() + " check --json " + shell_quote((tmp / "t.nnc").string()));
    BOOST_TEST_REQUIRE(r.exit == 0, r.out << r.err);
    const std::string want = nlohmann::json::parse(r.out).at("scripts").at(0).at("inputs_sha256").get<std::string>();
    std::string command = std::regex_replace(recipe, std::regex("script\\.nnc"), shell_quote("t.nnc"));
    command = std::regex_replace(command, std::regex("data\\.csv"), shell_quote("a\\b.csv"));
    const ProcessResult got = run_process("cd " + shell_quote(tmp.path().string()) + " && " + command);
    BOOST_TEST(got.exit == 0, got.err);
    BOOST_TEST(got.out == want + "\n", command << " printed " << got.out);
}

BOOST_AUTO_TEST_SUITE_END()
