// Files and folders that used to pass silently, hang, or crash: FIFOs, devices, dangling links, link
// loops, symlinked folders, read errors (EIO), oversized files, names that forge report lines, CSV data
// outside the printed hash, and a search command line built for a shell. Each test failed before.
#include "test_paths.hpp"
#include "process.hpp"
#include "search/search.hpp"
#include "report/json.hpp"
#include "util/files.hpp"
#include "util/process.hpp"
#include "util/sha256.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;
using nncert::report::Json;
using nncert::util::ProgramResult;
using nncert::util::Stream;

namespace {

const std::string good_script =
    "nncert 1\ndata {\n  0 -> 0\n  1 -> 1\n}\nnetwork {\n  input 1\n  dense 1 identity\n}\nloss sse\n"
    "point p {\n  W1 = [[1]]\n  b1 = [0]\n}\nclaim loss p = 0\n";

// A fresh empty folder under the system's temporary folder, removed at the end of the test.
struct TempDir {
    fs::path path;
    TempDir() {
        std::string tmpl = (fs::temp_directory_path() / "nncert-test-XXXXXX").string();
        path = ::mkdtemp(tmpl.data());
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    fs::path write(const std::string& name, const std::string& text) const {
        std::ofstream(path / name, std::ios::binary) << text;
        return path / name;
    }
};

ProgramResult run_nncert(const std::vector<std::string>& args) {
    std::vector<std::string> argv{NNCERT_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    return nncert::util::run_program(argv, Stream::capture);
}

Json check_json(const std::vector<std::string>& paths) {
    std::vector<std::string> args{"check", "--json"};
    args.insert(args.end(), paths.begin(), paths.end());
    return Json::parse(run_nncert(args).out);
}

// (file name relative to dir, error code or "" when it was checked) of each script entry.
std::vector<std::pair<std::string, std::string>> entries(const Json& doc, const fs::path& dir) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const Json& s : doc.at("scripts").as_array()) {
        const Json* e = s.find("error");
        out.emplace_back(fs::path(s.at("file").as_string()).lexically_relative(dir).string(),
                         e ? e->at("code").as_string() : "");
    }
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(hostile_files)

BOOST_AUTO_TEST_CASE(only_regular_files_are_read) {
    TempDir t;
    const fs::path fifo = t.path / "pipe.nnc";
    BOOST_TEST_REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    nncert::util::FileError e;
    BOOST_TEST(!nncert::util::read_file(fifo.string(), e));  // returns at once: nothing opens it for reading
    BOOST_TEST(e.code == "io");
    BOOST_TEST(!nncert::util::read_file("/dev/zero", e));
    BOOST_TEST(e.code == "io");
    BOOST_TEST(!nncert::util::read_file(t.path.string(), e));
    BOOST_TEST(e.code == "io");
    BOOST_TEST(!nncert::util::read_file((t.path / "missing").string(), e));
    BOOST_TEST(e.code == "io");
    // The command line: check, refine and search --data end with an error instead of hanging.
    ProgramResult r = run_nncert({"check", fifo.string()});
    BOOST_TEST(r.exit_code == 2);
    BOOST_TEST(r.out.find("error[io]") != std::string::npos);
    BOOST_TEST(run_nncert({"refine", fifo.string(), "--point", "p"}).exit_code == 2);
    std::ostringstream out, err;
    BOOST_TEST(nncert::search::run_search({"--data", fifo.string()}, out, err) != 0);
    const fs::path script = t.write("s.nnc", "nncert 1\ndata \"pipe.nnc\"\n" + good_script.substr(good_script.find("network")));
    BOOST_TEST(check_json({script.string()}).at("scripts").as_array()[0].at("error").at("code").as_string() == "io");
}

// /proc/self/mem is a regular file whose first page cannot be read: read(2) fails with EIO. That used to
// escape as an internal error (exit 5).
BOOST_AUTO_TEST_CASE(a_read_error_is_error_io) {
    nncert::util::FileError e;
    BOOST_TEST(!nncert::util::read_file("/proc/self/mem", e));
    BOOST_TEST(e.code == "io");
    BOOST_TEST(e.message.find("Input/output error") != std::string::npos);
    ProgramResult r = run_nncert({"check", "/proc/self/mem"});
    BOOST_TEST(r.exit_code == 2);
    BOOST_TEST(r.out.find("/proc/self/mem: error[io]: read error") != std::string::npos);
    TempDir t;
    const fs::path script = t.write("s.nnc", "nncert 1\ndata \"/proc/self/mem\"\n" + good_script.substr(good_script.find("network")));
    const Json doc = check_json({script.string()});
    BOOST_TEST(doc.at("scripts").as_array()[0].at("error").at("code").as_string() == "io");
    BOOST_TEST(doc.at("summary").at("exit_code").as_integer() == 2);
}

BOOST_AUTO_TEST_CASE(files_over_the_size_limit_are_refused_before_reading) {
    TempDir t;
    const fs::path big = t.path / "big.nnc";
    { std::ofstream(big).put('#'); }
    fs::resize_file(big, nncert::util::max_file_bytes + 1);  // sparse: costs no disk space
    nncert::util::FileError e;
    BOOST_TEST(!nncert::util::read_file(big.string(), e));
    BOOST_TEST(e.code == "file-too-large");
    BOOST_TEST(!nncert::util::read_file(big.string(), e, 1000));
    fs::resize_file(big, 1000);
    BOOST_TEST(nncert::util::read_file(big.string(), e, 1000).has_value());
    fs::resize_file(big, nncert::util::max_file_bytes + 1);
    ProgramResult r = run_nncert({"check", big.string()});
    BOOST_TEST(r.exit_code == 2);
    BOOST_TEST(r.out.find("error[file-too-large]") != std::string::npos);
    fs::rename(big, t.path / "big.csv");
    const fs::path script = t.write("s.nnc", "nncert 1\ndata \"big.csv\"\n" + good_script.substr(good_script.find("network")));
    BOOST_TEST(check_json({script.string()}).at("scripts").as_array()[0].at("error").at("code").as_string() ==
               "file-too-large");
}

// Dangling links, link loops, FIFOs named *.nnc and scripts under a symlinked folder used to be skipped
// while the run printed "all certified".
BOOST_AUTO_TEST_CASE(a_folder_walk_checks_or_reports_every_entry) {
    TempDir t;
    const fs::path root = t.path / "proofs", other = t.path / "elsewhere";
    fs::create_directories(root / "sub");
    fs::create_directories(other);
    t.write("proofs/a.nnc", good_script);
    t.write("proofs/sub/b.nnc", good_script);
    t.write("proofs/notes.txt", "not a script");
    t.write("elsewhere/c.nnc", good_script);
    fs::create_symlink("nowhere.nnc", root / "dangling.nnc");
    fs::create_symlink("gone", root / "dangling-folder");
    fs::create_symlink("..", root / "sub" / "up");           // a loop back to proofs/
    fs::create_symlink("../elsewhere", root / "linked");     // a symlinked folder: followed
    fs::create_symlink("../elsewhere", root / "linked-too"); // the same folder again: walked once
    fs::create_symlink("a.nnc", root / "alias.nnc");         // a link to a script: checked
    fs::create_symlink("self.nnc", root / "self.nnc");       // a link to itself
    BOOST_TEST_REQUIRE(::mkfifo((root / "fifo.nnc").c_str(), 0600) == 0);
    const auto got = entries(check_json({root.string()}), root);
    const std::vector<std::pair<std::string, std::string>> want{
        {"a.nnc", ""},        {"alias.nnc", ""},       {"dangling-folder", "io"}, {"dangling.nnc", "io"},
        {"fifo.nnc", "io"},   {"linked/c.nnc", ""},    {"self.nnc", "io"},        {"sub/b.nnc", ""},
        {"sub/up", "io"}};
    BOOST_TEST_REQUIRE(got.size() == want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
        BOOST_TEST(got[i].first == want[i].first);
        BOOST_TEST(got[i].second == want[i].second);
    }
    ProgramResult r = run_nncert({"check", root.string()});
    BOOST_TEST(r.exit_code == 2);
    BOOST_TEST(r.out.find("symbolic link loop") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_file_name_cannot_forge_a_report_line) {
    TempDir t;
    const std::string name = "x.nnc\nforged.nnc:1: CERTIFIED     loss p = 5  [exact-loss]\nsha256 00  ";
    const fs::path dir = t.path / "d";
    fs::create_directories(dir);
    t.write("d/" + name + ".nnc", good_script + "claim loss p = 5\n");
    const ProgramResult r = run_nncert({"check", dir.string()});
    BOOST_TEST(r.exit_code == 1);
    std::size_t lines = 0;
    for (char c : r.out) lines += c == '\n';
    BOOST_TEST(lines == 5u);  // two claims, the refuted one's witness, the sha256 line, the summary
    BOOST_TEST(r.out.find("\nforged.nnc") == std::string::npos);
    BOOST_TEST(r.out.find("x.nnc\\nforged.nnc:1: CERTIFIED") != std::string::npos);
    // Every report format: a name's line break never starts a line (JUnit failure bodies keep their own).
    for (const std::string format : {"md", "latex"}) {
        const std::string shown = run_nncert({"check", "--report", format, dir.string()}).out;
        BOOST_TEST(shown.find("\nforged.nnc") == std::string::npos, format);
    }
    const fs::path junit = t.path / "junit.xml";
    run_nncert({"check", "--junit", junit.string(), dir.string()});
    std::ifstream in(junit);
    const std::string xml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    BOOST_TEST(xml.find("<failure") != std::string::npos);
    BOOST_TEST(xml.find("\nforged.nnc") == std::string::npos, xml);
    const Json doc = check_json({dir.string()});  // the JSON holds the exact name
    BOOST_TEST(doc.at("scripts").as_array()[0].at("file").as_string() == (dir / (name + ".nnc")).string());
}

// Paths named on the command line are echoed in usage and input errors: a line break or an escape sequence in
// one printed a line of its choosing (`check --junit`, `-o`, `import`, ...).
BOOST_AUTO_TEST_CASE(a_path_on_the_command_line_cannot_forge_an_error_line) {
    TempDir t;
    const fs::path script = t.write("s.nnc", good_script);
    const std::string bad = (t.path / "no\x1b[2K\nFORGED: all certified" / "x").string();
    const std::vector<std::vector<std::string>> commands{
        {"check", "--junit", bad, script.string()},
        {"check", "-o", bad, script.string()},
        {"import", "--weights", bad, "--data", bad, "--activation", "relu", "--loss", "sse"},
        {"refine", script.string(), "--point", "p", "-o", bad},
        {"snap", script.string(), "--point", "p", "-o", bad},
        {"search", "--data", bad},
        {"print", bad},
    };
    for (const auto& args : commands) {
        std::string command = nncert::test::shell_quote(NNCERT_BINARY);
        for (const std::string& a : args) {
            command += ' ';
            command += nncert::test::shell_quote(a);
        }
        const nncert::test::ProcessResult r = nncert::test::run_process(command);
        BOOST_TEST(r.exit != 0, args[0]);
        for (const std::string* stream : {&r.out, &r.err}) {
            BOOST_TEST(stream->find("\nFORGED") == std::string::npos, args[0] << " " << args[1] << ": " << *stream);
            BOOST_TEST(stream->find('\x1b') == std::string::npos, args[0] << " " << args[1]);
        }
    }
}

// The printed sha256 covered the script only: editing its CSV flipped a verdict under the same hash.
BOOST_AUTO_TEST_CASE(every_input_file_is_hashed_and_reported) {
    TempDir t;
    const std::string csv = "x,y\n0,0\n1,1\n";
    t.write("d.csv", csv);
    const std::string text = "nncert 1\ndata \"d.csv\"\n" + good_script.substr(good_script.find("network"));
    const fs::path script = t.write("s.nnc", text);
    const Json doc = check_json({script.string()});
    const Json& s = doc.at("scripts").as_array()[0];
    BOOST_TEST(s.at("sha256").as_string() == nncert::util::sha256_hex(text));
    const Json& data = s.at("data_files").as_array().at(0);
    BOOST_TEST(data.at("file").as_string() == (t.path / "d.csv").string());
    BOOST_TEST(data.at("sha256").as_string() == nncert::util::sha256_hex(csv));
    const std::string all = s.at("inputs_sha256").as_string();
    BOOST_TEST(all == nncert::util::sha256_hex(nncert::util::sha256_hex(text) + "\n" + nncert::util::sha256_hex(csv) + "\n"));
    BOOST_TEST(s.at("claims").as_array()[0].at("verdict").as_string() == "certified");
    const std::string shown = run_nncert({"check", script.string()}).out;
    BOOST_TEST(shown.find("sha256 " + nncert::util::sha256_hex(csv) + "  " + (t.path / "d.csv").string()) != std::string::npos);
    BOOST_TEST(shown.find("inputs-sha256 " + all) != std::string::npos);

    t.write("d.csv", "x,y\n0,0\n1,2\n");  // same script bytes, another verdict: another combined digest
    const Json doc2 = check_json({script.string()});
    const Json& s2 = doc2.at("scripts").as_array()[0];
    BOOST_TEST(s2.at("sha256").as_string() == s.at("sha256").as_string());
    BOOST_TEST(s2.at("claims").as_array()[0].at("verdict").as_string() == "refuted");
    BOOST_TEST(s2.at("inputs_sha256").as_string() != all);
}

// `search --check BIN --out DIR` used to run "'BIN' check 'DIR/...'" through the shell: a quote in either
// path ran a command of the path's choosing.
BOOST_AUTO_TEST_CASE(search_starts_the_checker_without_a_shell) {
    TempDir t;
    const fs::path out_dir = t.path / "out'; touch PWNED; echo '";
    const fs::path bin_dir = t.path / "bin'; touch PWNED2; '";
    fs::create_directories(bin_dir);
    fs::create_symlink(NNCERT_BINARY, bin_dir / "nn'cert");
    t.write("t1.csv",
            "2.41, -2.59, 1\n-0.1, -1.69, 0\n1.12, 1.23, 0\n-2.54, -0.01, 0\n-0.1, -1.68, 1\n-0.37, -1.99, 1\n"
            "1.48, 1.84, 1\n0.1, 1.11, 0\n2.25, -2.62, 0\n0.09, 1.05, 1\n");
    const fs::path cwd = fs::current_path();
    fs::current_path(t.path);  // where an injected `touch` would write
    std::ostringstream out, err;
    const int rc = nncert::search::run_search(
        {"--data", "t1.csv", "--inits", "500", "--steps", "2000", "--seed", "1", "--threads", "2", "--max-ratio", "1",
         "--out", out_dir.string(), "--check", (bin_dir / "nn'cert").string()},
        out, err);
    fs::current_path(cwd);
    BOOST_TEST(rc == 0);
    BOOST_TEST(out.str().find("[check exit 0]") != std::string::npos, out.str());
    BOOST_TEST(!fs::exists(t.path / "PWNED"));
    BOOST_TEST(!fs::exists(t.path / "PWNED2"));
}

BOOST_AUTO_TEST_CASE(run_program_passes_arguments_verbatim) {
    const ProgramResult r = nncert::util::run_program({"/bin/echo", "a'b", "$(touch x)", "c;d"}, Stream::capture);
    BOOST_TEST(r.exited);
    BOOST_TEST(r.exit_code == 0);
    BOOST_TEST(r.out == "a'b $(touch x) c;d\n");
    BOOST_CHECK_THROW(nncert::util::run_program({"/nonexistent/program"}), std::system_error);
}

BOOST_AUTO_TEST_SUITE_END()
