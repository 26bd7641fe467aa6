// Regression tests for the fourth adversarial review of issue 8 (r8-4), outputs: a dangling link to the output
// as a data file (relative paths were not made absolute), import and every other writing command writing over
// an input, and outputs that are FIFOs or devices (a run blocked forever). One guard: util::output_problem.
#include "test_paths.hpp"
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

// Every command runs under `timeout`: before the fix a FIFO output blocked the run forever, and a hang must
// fail this test (exit 124) rather than stall the suite. No assertion depends on how long a run takes.
ProcessResult run_nncert(const std::string& args) { return run_process("timeout 60 " + nncert_binary() + " " + args); }

std::string q(const fs::path& p) { return shell_quote(p.string()); }

const std::string csv_script =
    "nncert 1\ndata \"d.csv\"\nnetwork {\n  input 1\n  dense 1 identity\n}\nloss sse\npoint p {\n"
    "  W1 = [[1]]\n  b1 = [0]\n}\nclaim loss p = 0\n";

const std::string import_fixtures = std::string(NNCERT_SOURCE_DIR) + "/tests/fixtures/import/";

}  // namespace

BOOST_AUTO_TEST_SUITE(review8_4_outputs)

// Finding 1a: a data file that is a dangling symbolic link to the report. The report was created first and
// then read back as the CSV (exit 2); the link is resolved even though its target does not exist yet.
BOOST_AUTO_TEST_CASE(a_dangling_link_to_the_output_as_data_file_is_refused) {
    TempDir tmp;
    fs::create_directory(tmp / "g");
    write_text(tmp / "g/s.nnc", csv_script);
    for (const std::string& target : {std::string("report.txt"), std::string("../g/./report.txt"),
                                     (tmp / "g/report.txt").string()}) {
        fs::remove(tmp / "g/d.csv");
        fs::create_symlink(target, tmp / "g/d.csv");
        for (const std::string option : {"-o", "--junit"}) {
            for (const fs::path& out : {tmp / "g/report.txt", fs::path("report.txt")}) {
                const std::string run = out.is_absolute() ? "check " + q(tmp / "g/s.nnc")
                                                          : "check s.nnc";
                const ProcessResult r = run_process("cd " + q(tmp / "g") + " && timeout 60 " + nncert_binary() + " " +
                                                    run + " " + option + " " + q(out));
                BOOST_TEST(r.exit == 4, target << " " << option << ": " << r.err);
                BOOST_TEST(contains(r.err, "is the data file"), r.err);
                BOOST_TEST(!fs::exists(tmp / "g/report.txt"), target << " " << option);
            }
        }
    }
    // The same relative spelling hid a new .nnc report under the folder being checked (`check . -o new.nnc`,
    // which a later walk would read as a script).
    fs::remove(tmp / "g/d.csv");
    const ProcessResult walk = run_process("cd " + q(tmp / "g") + " && timeout 60 " + nncert_binary() + " check . -o new.nnc");
    BOOST_TEST(walk.exit == 4, walk.err);
    BOOST_TEST(contains(walk.err, "is a .nnc file under the folder"), walk.err);
    BOOST_TEST(!fs::exists(tmp / "g/new.nnc"));
    fs::create_symlink("report.txt", tmp / "g/d.csv");
    // The guard's own helper, both ways round.
    BOOST_TEST(nncert::util::same_file((tmp / "g/d.csv").string(), (tmp / "g/report.txt").string()));
    BOOST_TEST(nncert::util::same_file((tmp / "g/report.txt").string(), (tmp / "g/d.csv").string()));
    BOOST_TEST(!nncert::util::same_file((tmp / "g/d.csv").string(), (tmp / "g/other.txt").string()));
}

// Finding 1b: `import --data X -o X` overwrote its input; every command that writes refuses its inputs.
BOOST_AUTO_TEST_CASE(import_refuses_to_write_over_its_inputs) {
    TempDir tmp;
    fs::copy_file(import_fixtures + "relu141.safetensors", tmp / "w.safetensors");
    fs::copy_file(import_fixtures + "relu141-data.npz", tmp / "d.npz");
    const std::string weights = read_text(tmp / "w.safetensors"), data = read_text(tmp / "d.npz");
    fs::create_symlink(tmp / "d.npz", tmp / "link.nnc");
    const std::string base = "import --weights " + q(tmp / "w.safetensors") + " --data " + q(tmp / "d.npz") +
                             " --activation relu --loss mse -o ";
    for (const auto& [out, role] : {std::pair{tmp / "d.npz", "the --data file"},
                                    std::pair{tmp / "w.safetensors", "the --weights file"},
                                    std::pair{tmp / "link.nnc", "the --data file"}}) {
        const ProcessResult r = run_nncert(base + q(out));
        BOOST_TEST(r.exit == 4, out << ": " << r.err);
        BOOST_TEST(contains(r.err, role), r.err);
    }
    BOOST_TEST(read_text(tmp / "w.safetensors") == weights);
    BOOST_TEST(read_text(tmp / "d.npz") == data);
    // A new file is still written.
    const ProcessResult ok = run_nncert(base + q(tmp / "out.nnc"));
    BOOST_TEST(ok.exit == 0, ok.err);
    BOOST_TEST(contains(read_text(tmp / "out.nnc"), "nncert 1"));
}

// Finding 1c: a FIFO as -o or --junit blocked forever in open(); every writing command refuses an output
// that exists and is not a regular file (FIFO, device) before opening it, with a usage error.
BOOST_AUTO_TEST_CASE(fifo_and_device_outputs_are_refused_without_blocking) {
    TempDir tmp;
    write_text(tmp / "s.nnc", csv_script);
    write_text(tmp / "d.csv", "x,y\n1,1\n");
    write_text(tmp / "c.csv", "0,0,1\n1,0,0\n0,1,0\n1,1,1\n");
    BOOST_REQUIRE(mkfifo((tmp / "fifo.nnc").c_str(), 0600) == 0);
    BOOST_REQUIRE(mkfifo((tmp / "fifo.json").c_str(), 0600) == 0);
    for (const std::string& out : {(tmp / "fifo.nnc").string(), std::string("/dev/null")}) {
        for (const std::string option : {"-o", "--junit"}) {
            const ProcessResult r = run_nncert("check " + q(tmp / "s.nnc") + " " + option + " " + shell_quote(out));
            BOOST_TEST(r.exit == 4, option << " " << out << ": " << r.err);
            BOOST_TEST(contains(r.err, "not a regular file"), r.err);
        }
        const std::vector<std::string> commands{
            "refine " + q(tmp / "s.nnc") + " --point p -o " + shell_quote(out),
            "snap " + q(tmp / "s.nnc") + " --point p -o " + shell_quote(out),
            "construct dead-layer --data " + q(tmp / "c.csv") + " --depth 2 --widths 3 --output " + shell_quote(out),
            "import --weights " + shell_quote(import_fixtures + "relu141.safetensors") + " --data " +
                shell_quote(import_fixtures + "relu141-data.npz") + " --activation relu --loss mse -o " + shell_quote(out)};
        for (const std::string& c : commands) {
            const ProcessResult r = run_nncert(c);
            BOOST_TEST(r.exit == 4, c << ": " << r.err);
            BOOST_TEST(contains(r.err, "not a regular file"), c << ": " << r.err);
        }
    }
    const ProcessResult plot = run_nncert("plot fits " + q(tmp / "s.nnc") + " -o " + q(tmp / "fifo.json"));
    BOOST_TEST(plot.exit == 4, plot.err);
    BOOST_TEST(contains(plot.err, "not a regular file"), plot.err);
    // The helper every command uses; a directory is refused as well, a missing file is fine.
    BOOST_TEST(nncert::util::output_problem((tmp / "fifo.nnc").string(), {}).has_value());
    BOOST_TEST(nncert::util::output_problem(tmp.path().string(), {}).value() == "is a directory");
    BOOST_TEST(!nncert::util::output_problem((tmp / "new.txt").string(), {}).has_value());
    BOOST_TEST(!nncert::util::output_problem((tmp / "d.csv").string(), {{(tmp / "s.nnc").string(), "x"}}).has_value());
    BOOST_TEST(nncert::util::output_problem((tmp / "d.csv").string(), {{(tmp / "./d.csv").string(), "the data"}}).value() ==
               "is the data");
}

BOOST_AUTO_TEST_SUITE_END()

