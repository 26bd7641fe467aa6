// The command line as a user and a CI job meet it, through the real binary: --help for every command,
// one-line usage errors, --version with the build's commit, streaming (a script's results are written
// before the next script is read), --quiet, -o, --junit, the JSON Schema in docs/, and the LaTeX and
// Markdown reports of real runs (the LaTeX one compiled by pdflatex).
#include "test_paths.hpp"
#include "process.hpp"
#include "long_scripts.hpp"
#include "report/json.hpp"

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include <chrono>
#include <functional>
#include <map>
#include <regex>
#include <thread>

namespace fs = std::filesystem;
using nncert::report::Json;
using namespace nncert::test;

namespace {

const std::string source = NNCERT_SOURCE_DIR;

std::string in_source(const std::string& rel) { return shell_quote(source + "/" + rel); }

std::size_t count_lines(const std::string& s) {
    std::size_t n = 0;
    for (char c : s) n += c == '\n';
    return n;
}

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

// Runs the shipped schema validator (Debian python3-jsonschema under /usr/bin/python3) on files.
ProcessResult validate(const std::vector<fs::path>& files) {
    std::string cmd = "/usr/bin/python3 ";  // appended piecewise: GCC 12 -Wrestrict false positive on a + chain
    cmd += in_source("tests/tools/validate_json_schema.py");
    cmd += " ";
    cmd += in_source("docs/report.schema.json");
    for (const auto& f : files) {
        cmd += ' ';
        cmd += shell_quote(f.string());
    }
    return run_process(cmd);
}

// One run of the binary (from the source root) per distinct argument list, shared by the test cases that read
// it: a run over proofs/ takes tens of seconds under the sanitizers (scripts/test.sh), and several cases
// read the same run.
const ProcessResult& shared_run(const std::string& args) {
    static std::map<std::string, ProcessResult> runs;
    auto it = runs.find(args);
    if (it == runs.end())
        it = runs.emplace(args, run_process("cd " + shell_quote(source) + " && " + nncert_binary() + " " + args)).first;
    return it->second;
}

// The scripts of the "real run" the report formats are checked on: every proof (all claim kinds, certified) but
// the long ones (tests/long-scripts.txt: each has its own release-only test), and the interval tests (refuted and
// inconclusive claims too), named by absolute paths as a CI job would.
// Computed on first use, inside a test case, so that a failed check of tests/long-scripts.txt fails that case.
const std::string& real_run() {
    static const std::string paths = [] {
        std::string p;
        for (const fs::path& f : scripts_without_long(fs::path(source) / "proofs")) {
            p += shell_quote(f.string());
            p += ' ';
        }
        return p + in_source("tests/scripts/interval");
    }();
    return paths;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli)

BOOST_AUTO_TEST_CASE(every_command_has_help) {
    for (const std::string args : {"--help", "-h", "help", "check --help", "check -h", "print --help", "help check",
                                   "help print", "construct --help", "refine --help", "search --help",
                                   "check proofs --help", "plot --help", "plot segment --help", "plot fits -h",
                                   "help plot", "import --help", "snap --help"}) {
        BOOST_TEST_CONTEXT("nncert " << args) {
            ProcessResult r = run_process(nncert_binary() + " " + args);
            BOOST_TEST(r.exit == 0);
            BOOST_TEST(r.err.empty());
            std::string lower = r.out;
            for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            BOOST_TEST(contains(lower, "usage"));
            BOOST_TEST(count_lines(r.out) >= 3u);
        }
    }
    // Each command's help is its own.
    BOOST_TEST(contains(run_process(nncert_binary() + " check --help").out, "--junit"));
    BOOST_TEST(contains(run_process(nncert_binary() + " refine --help").out, "--point"));
    BOOST_TEST(!contains(run_process(nncert_binary() + " print --help").out, "--junit"));
}

BOOST_AUTO_TEST_CASE(usage_errors_are_one_line_and_a_pointer_to_help) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"", "nncert"},
        {"frobnicate", "nncert"},
        {"check", "nncert check"},
        {"check --bogus proofs", "nncert check"},
        {"check --max-patterns 0 proofs", "nncert check"},
        {"check --precision 3 proofs", "nncert check"},
        {"check --threads x proofs", "nncert check"},
        {"check --threads -1 proofs", "nncert check"},
        {"check --threads 1025 proofs", "nncert check"},
        {"check --report html proofs", "nncert check"},
        {"check --quiet --json proofs", "nncert check"},
        {"check -o", "nncert check"},
        {"check -o /nonexistent-dir/x.txt proofs", "nncert check"},
        {"print", "nncert print"},
        {"print a b", "nncert print"},
        {"refine", "nncert refine"},
        {"refine x.nnc --bogus", "nncert refine"},
        {"construct", "nncert construct"},
        {"search --frob", "nncert search"},
        {"help frobnicate", "nncert"},
        {"plot", "nncert plot"},
        {"import --bogus", "nncert import"},
        {"snap --bogus", "nncert snap"},
        {"snap", "nncert snap"},
        {"plot frobnicate x.nnc", "nncert plot"},
        {"plot fits proofs/paper/example1.nnc", "nncert plot fits"},
    };
    for (const auto& [args, who] : cases) {
        BOOST_TEST_CONTEXT("nncert " << args) {
            ProcessResult r = run_process("cd " + shell_quote(source) + " && " + nncert_binary() + " " + args);
            BOOST_TEST(r.exit == 4);
            BOOST_TEST(r.out.empty());
            BOOST_TEST(count_lines(r.err) == 2u, r.err);
            BOOST_TEST(r.err.starts_with(who + ": "), r.err);
            BOOST_TEST(contains(r.err, "\ntry '" + who + " --help'\n"), r.err);
        }
    }
}

BOOST_AUTO_TEST_CASE(version_names_the_commit) {
    ProcessResult r = run_process(nncert_binary() + " --version");
    BOOST_TEST(r.exit == 0);
    std::smatch m;
    const std::regex shape(R"(nncert [0-9]+\.[0-9]+\.[0-9]+ \(commit ([0-9a-f]{40}(-dirty)?|unknown), report format 1\)\n)");
    BOOST_TEST_REQUIRE(std::regex_match(r.out, m, shape), r.out);
    // Built from a git checkout: the commit is that checkout's HEAD (the build regenerates it). A commit made
    // after the last build fails this case until nncert is rebuilt: the binary under test is then not the
    // checkout's code (the "flaky" unit.cli of stop 25 was this, in a worktree committed to between a build
    // and its ctest).
    ProcessResult head = run_process("git -C " + shell_quote(source) + " rev-parse HEAD");
    if (head.exit == 0 && fs::exists(fs::path(source) / ".git"))
        BOOST_TEST(m[1].str().substr(0, 40) == head.out.substr(0, 40),
                   "nncert reports commit " << m[1].str() << " but the checkout's HEAD is " << head.out.substr(0, 40)
                                            << ": rebuild nncert (cmake --build) before running the tests");
    // The JSON report carries the same commit.
    ProcessResult j = run_process(nncert_binary() + " check --json " + in_source("proofs/exact"));
    BOOST_TEST(Json::parse(j.out).at("commit").as_string() == m[1].str());
}

BOOST_AUTO_TEST_CASE(results_stream_as_each_script_finishes) {
    // nncert reads regular files only (a FIFO is refused, never waited on), so the run is held between its
    // scripts another way: the first script's report is larger than the pipe it is written to, and the
    // test does not read until the pipe is full. A streaming nncert is then blocked writing the first
    // script's results, before it has read the second script; the test replaces the second script at that
    // moment, and the report must show the replacement. (A run that read every script before writing
    // would report the original.)
    TempDir tmp;
    std::string first = "nncert 1\ndata {\n  0 -> 0\n}\nnetwork {\n  input 1\n  dense 1 identity\n}\nloss sse\n"
                        "point p {\n  W1 = [[1]]\n  b1 = [0]\n}\n";
    for (int i = 0; i < 3000; ++i) first += "claim loss p = 0\n";  // about 150 KB of report
    write_text(tmp / "first.nnc", first);
    write_text(tmp / "second.nnc", "not a script\n");
    FILE* pipe = popen(("exec " + nncert_binary() + " check " + shell_quote((tmp / "first.nnc").string()) + " " +
                        shell_quote((tmp / "second.nnc").string()) + " </dev/null 2>/dev/null").c_str(), "r");
    BOOST_TEST_REQUIRE(pipe != nullptr);
    const int fd = fileno(pipe);
    fcntl(fd, F_SETPIPE_SZ, 4096);
    const int capacity = fcntl(fd, F_GETPIPE_SZ);
    bool full = false;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!full && std::chrono::steady_clock::now() < deadline) {
        int queued = 0;
        full = ioctl(fd, FIONREAD, &queued) == 0 && queued >= capacity;
        if (!full) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    BOOST_TEST(full, "the first script's results did not fill the pipe before the run ended");
    write_text(tmp / "second.tmp", read_text(source + "/proofs/exact/cubic-unit.nnc"));
    fs::rename(tmp / "second.tmp", tmp / "second.nnc");
    std::string seen;
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) seen.append(buf, n);
    const int status = pclose(pipe);
    BOOST_TEST(WIFEXITED(status));
    BOOST_TEST(WEXITSTATUS(status) == 0, seen.substr(seen.size() > 2000 ? seen.size() - 2000 : 0));
    BOOST_TEST(contains(seen, "second.nnc:"));
    BOOST_TEST(!contains(seen, "error["));
    BOOST_TEST(contains(seen, "summary: "));
}

BOOST_AUTO_TEST_CASE(quiet_output_file_and_junit) {
    TempDir tmp;
    // Every claim certifies: --quiet prints the summary line alone, the one the full report ends with. (A few
    // exact proofs: the whole of proofs/ runs in unit.cli's other cases and in the scripts.proofs.* tests.)
    const std::string certified = "proofs/exact proofs/flat proofs/losses";
    ProcessResult q = run_process("cd " + shell_quote(source) + " && " + nncert_binary() + " check --quiet " + certified);
    BOOST_TEST(q.exit == 0);
    BOOST_TEST(count_lines(q.out) == 1u);
    BOOST_TEST(q.out.starts_with("summary: "));
    const ProcessResult full = run_process("cd " + shell_quote(source) + " && " + nncert_binary() + " check " + certified);
    BOOST_TEST(full.exit == 0);
    BOOST_TEST(count_lines(full.out) > 1u);
    BOOST_TEST(full.out.ends_with("\n" + q.out), full.out);

    // -o: nothing on stdout, the file holds what stdout would have.
    const std::string scripts = in_source("proofs/paper/example1.nnc") + " " + in_source("tests/scripts/interval");
    ProcessResult plain = run_process(nncert_binary() + " check " + scripts);
    ProcessResult to_file = run_process(nncert_binary() + " check -o " + shell_quote((tmp / "r.txt").string()) + " --junit " +
                                        shell_quote((tmp / "j.xml").string()) + " " + scripts);
    BOOST_TEST(to_file.exit == plain.exit);
    BOOST_TEST(plain.exit == 1);  // the interval folder has refuted claims
    BOOST_TEST(to_file.out.empty());
    BOOST_TEST(read_text(tmp / "r.txt") == plain.out);

    // The JUnit file counts what the JSON report counts.
    ProcessResult j = run_process(nncert_binary() + " check --json " + scripts);
    const Json sum = Json::parse(j.out).at("summary");
    namespace pt = boost::property_tree;
    pt::ptree tree;
    BOOST_REQUIRE_NO_THROW(pt::read_xml((tmp / "j.xml").string(), tree));
    BOOST_TEST(tree.get<long long>("testsuites.<xmlattr>.tests") == sum.at("claims").as_integer() + sum.at("errors").as_integer());
    BOOST_TEST(tree.get<long long>("testsuites.<xmlattr>.failures") ==
               sum.at("refuted").as_integer() + sum.at("inconclusive").as_integer());
    BOOST_TEST(tree.get<long long>("testsuites.<xmlattr>.errors") == sum.at("errors").as_integer());
    BOOST_TEST(sum.at("refuted").as_integer() > 0);
}

BOOST_AUTO_TEST_CASE(json_reports_meet_the_schema) {
    TempDir tmp;
    std::vector<fs::path> files;
    // Runs of several scripts: certified, refuted and inconclusive claims, every error code, an unreadable path,
    // one run that only certifies. The report of every single script of every folder (the mutants included)
    // is validated by the scripts.* tests (test_script_expectations.cpp), so no run of every folder is
    // repeated here.
    const std::vector<std::string> runs = {real_run(), "tests/scripts/errors", "tests/scripts/interval", "proofs/exact",
                                           "no-such-file.nnc"};
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const ProcessResult& r = shared_run("check --json " + runs[i]);
        BOOST_TEST(r.exit >= 0);
        files.push_back(tmp / ("run" + std::to_string(i) + ".json"));
        write_text(files.back(), r.out);
        const Json doc = Json::parse(r.out);
        for (const Json& s : doc.at("scripts").as_array())
            if (const Json* c = s.find("claims"))
                for (const Json& claim : c->as_array()) BOOST_TEST(claim.at("time_us").as_integer() >= 0);
    }
    ProcessResult ok = validate(files);
    BOOST_TEST(ok.exit == 0, ok.err);

    // The schema is not vacuous: documents with one thing wrong are rejected.
    const Json good = Json::parse(read_text(files[2]));
    auto mutate = [&](const std::string& name, auto change) {
        Json doc = good;
        change(doc);
        files = {tmp / (name + ".json")};
        write_text(files[0], doc.dump());
        ProcessResult bad = validate(files);
        BOOST_TEST(bad.exit == 1, name << " was accepted");
    };
    auto member = [](Json& object, const std::string& key) -> Json& {
        for (auto& [k, v] : object.as_object())
            if (k == key) return v;
        throw std::runtime_error("no key " + key);
    };
    auto first_claim = [&](Json& d) -> Json& {
        return member(member(d, "scripts").as_array()[0], "claims").as_array()[0];
    };
    BOOST_TEST_REQUIRE(good.as_object()[4].first == "scripts");
    mutate("bad-verdict", [&](Json& d) { first_claim(d).set("verdict", "certifed"); });
    mutate("certified-without-certificate", [&](Json& d) {
        Json& c = first_claim(d);
        Json::Object kept;
        for (auto& [k, v] : c.as_object())
            if (k != "certificate" && k != "witness" && k != "reason") kept.emplace_back(k, v);
        kept.emplace_back("verdict", Json("certified"));
        c = Json(kept);
    });
    mutate("negative-time", [&](Json& d) { first_claim(d).set("time_us", -1); });
    mutate("bad-hash", [&](Json& d) { d.as_object()[4].second.as_array()[0].set("sha256", "xyz"); });
    mutate("no-summary", [&](Json& d) { d.as_object().pop_back(); });
    mutate("bad-inputs-hash", [&](Json& d) { d.as_object()[4].second.as_array()[0].set("inputs_sha256", "xyz"); });
    mutate("format-2", [&](Json& d) { d.set("format", 2); });
}

// --threads sets the threads of each claim's check (kernel::Options::threads) and is reported; the report is the same
// on 1 and 2 threads except the times: the wall-clock time of each claim and script (`time_us`) and the times the
// evidence of a branch and bound reports (unit.trap_threads checks the trap faces in the kernel itself).
BOOST_AUTO_TEST_CASE(threads_option_changes_nothing_but_the_time) {
    const auto without_times = [](Json doc) {
        std::function<void(Json&)> strip = [&](Json& j) {
            if (j.is_object()) {
                Json::Object kept;
                for (auto& [k, v] : j.as_object())
                    if (k != "time_us" && k != "threads" && k != "milliseconds" && k != "cpu_milliseconds") {
                        strip(v);
                        kept.emplace_back(k, v);
                    }
                j = Json(kept);
            } else if (j.is_array()) {
                for (Json& e : j.as_array()) strip(e);
            }
        };
        strip(doc);
        return doc.dump();
    };
    const std::string scripts = "proofs/traps/one-unit.nnc proofs/traps/plain-tanh221-bce.nnc tests/scripts/traps";
    const ProcessResult& one = shared_run("check --json --threads 1 " + scripts);
    const ProcessResult& two = shared_run("check --json --threads 2 " + scripts);
    BOOST_TEST(one.exit == two.exit);
    const Json a = Json::parse(one.out), b = Json::parse(two.out);
    BOOST_TEST(a.at("options").at("threads").as_integer() == 1);
    BOOST_TEST(b.at("options").at("threads").as_integer() == 2);
    BOOST_TEST(a.at("scripts").as_array().size() > 3u);
    BOOST_TEST(without_times(a) == without_times(b));
    BOOST_TEST(Json::parse(shared_run("check --json proofs/exact").out).at("options").at("threads").as_integer() == 0);
}

BOOST_AUTO_TEST_CASE(markdown_and_latex_reports_of_a_real_run) {
    TempDir tmp;
    const Json doc = Json::parse(shared_run("check --json " + real_run()).out);
    const long long claims = doc.at("summary").at("claims").as_integer();

    const ProcessResult& md = shared_run("check --report md " + real_run());
    BOOST_TEST(md.exit == 1);
    std::size_t rows = 0;
    std::istringstream lines(md.out);
    for (std::string line; std::getline(lines, line);)
        if (std::regex_match(line, std::regex(R"(\| [0-9]+ \| `.*)"))) ++rows;
    BOOST_TEST(static_cast<long long>(rows) == claims);
    BOOST_TEST(contains(md.out, "**Summary:** "));

    // The LaTeX table compiles in a minimal document.
    const ProcessResult& tex = shared_run("check --report latex " + real_run());
    BOOST_TEST(tex.exit == 1);
    write_text(tmp / "appendix.tex", "\\documentclass{article}\n\\usepackage[T1]{fontenc}\n\\usepackage{longtable}\n"
                                     "\\usepackage{booktabs}\n\\begin{document}\n" + tex.out + "\\end{document}\n");
    ProcessResult pdf = run_process("cd " + shell_quote(tmp.path().string()) +
                                    " && pdflatex -interaction=nonstopmode -halt-on-error appendix.tex");
    BOOST_TEST(pdf.exit == 0, pdf.out.substr(pdf.out.size() > 3000 ? pdf.out.size() - 3000 : 0));
    BOOST_TEST(fs::exists(tmp / "appendix.pdf"));
    BOOST_TEST(!contains(pdf.out, "Overfull \\hbox"), "the table is wider than the page");
}

BOOST_AUTO_TEST_SUITE_END()
