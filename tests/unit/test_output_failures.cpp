// Every nncert command that writes its result to standard output or to an -o/--output file exits non-zero
// with one error[io] line when that write fails, instead of exit 0 with the result lost (issue-14 review F4).
// Standard output fails on /dev/full; an output file (which must be a regular file: a device such as
// /dev/full is refused as -o, docs/limits.md) fails under a file-size limit of 0 (`ulimit -f 0`, SIGXFSZ
// ignored, so each write returns EFBIG as on a full disk). Runs the real binary; each command goes through
// util::finish_output or util::write_output_file.
#include "test_paths.hpp"
#include "process.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <vector>

using namespace nncert::test;

namespace {

const std::string source = NNCERT_SOURCE_DIR;

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

ProcessResult run_nncert(const std::string& args) { return run_process(nncert_binary() + " " + args); }

std::string src(const std::string& relative) { return shell_quote(source + "/" + relative); }

// A 1-1-1 sigmoid fit near its strict minimum: `refine` writes a refined script for it.
const std::string sigmoid_fit = R"(nncert 1
data {
  -2 -> 0
  -1 -> 1/8
  0 -> 5/8
  1 -> 7/8
  2 -> 1
}
network { input 1 dense 1 sigmoid dense 1 identity }
loss sse
point P { W1 = [[2.09152]] b1 = [0.535058] W2 = [[1.01744]] b2 = [-0.0353855] }
claim strict_local_min P within 1/2
)";

// The command succeeds when its output can be written, and fails with exit 2 and `what` on stderr when not.
void fails_on_full_disk(const std::string& command, const std::string& to_full, const std::string& what) {
    const ProcessResult ok = run_nncert(command + " > /dev/null");
    BOOST_TEST((ok.exit == 0 || ok.exit == 1 || ok.exit == 3), command << ": " << ok.err);
    const ProcessResult full = run_nncert(command + " " + to_full);
    BOOST_TEST(full.exit == 2, command << " " << to_full << ": " << full.err);
    BOOST_TEST(contains(full.err, what), command << " " << to_full << ": " << full.err);
}

// The same for an output file: `option FILE` with FILE a regular file that cannot grow (a full disk).
void fails_on_full_file(const std::string& command, const std::string& option, const std::string& what) {
    TempDir tmp;
    const std::string file = (tmp / "out.json").string();  // plot picks its format by the extension
    const ProcessResult ok = run_nncert(command + " " + option + " " + shell_quote(file));
    BOOST_TEST((ok.exit == 0 || ok.exit == 1 || ok.exit == 3), command << ": " << ok.err);
    // Standard error into the pipe that standard output goes to: the limit holds for every regular file the
    // process writes, the file run_process collects standard error in included.
    const ProcessResult full = run_process("trap '' XFSZ; ulimit -f 0; " + nncert_binary() + " " + command + " " +
                                           option + " " + shell_quote(file) + " 2>&1");
    BOOST_TEST(full.exit == 2, command << " " << option << ": " << full.out);
    BOOST_TEST(contains(full.out, what + " '" + file + "'"), command << " " << option << ": " << full.out);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(output_failures)

BOOST_AUTO_TEST_CASE(standard_output_on_a_full_disk) {
    const std::string script = src("proofs/generalized/swap-d2.nnc");
    const std::string stdout_failed = "error[io]: writing the result to standard output failed";
    for (const std::string& command : std::vector<std::string>{"check " + script, "print " + script, "construct partition --dim 2", "--help", "--version", "help check",
          "construct --help", "search --help", "propose-trap " + script + " --point bad --steps 10 --shrink 0 --starts 1"})
        fails_on_full_disk(command, "> /dev/full", stdout_failed);
    const ProcessResult help = run_nncert("--help > /dev/full");
    BOOST_TEST(help.err.rfind("nncert: error[io]", 0) == 0u, help.err);  // not "nncert --help: ..."
}

BOOST_AUTO_TEST_CASE(output_files_on_a_full_disk) {
    TempDir tmp;
    const std::string script = src("proofs/generalized/swap-d2.nnc");
    fails_on_full_file("construct partition --dim 2", "--output", "error[io]: cannot write");
    fails_on_full_file("check " + script, "-o", "error[io]: writing");
    fails_on_full_file("check " + script, "--junit", "error[io]: writing");
    fails_on_full_file("plot fits " + script, "-o", "nncert plot: error[io]: cannot write");
    // import, then refine and snap of what it wrote.
    const std::string fixtures = "tests/fixtures/import/";
    const std::string import = "import --weights " + src(fixtures + "relu141.safetensors") + " --data " +
                               src(fixtures + "relu141-data.npz") + " --activation relu --loss mse";
    fails_on_full_disk(import, "> /dev/full", "nncert import: error[io]: writing the result to standard output failed");
    fails_on_full_file(import, "-o", "nncert import: error[io]: cannot write");
    const std::string floats = shell_quote((tmp / "floats.nnc").string());
    BOOST_TEST_REQUIRE(run_nncert(import + " -o " + floats).exit == 0);
    fails_on_full_disk("snap " + floats + " --point trained", "> /dev/full", "nncert snap: error[io]: writing the result");
    fails_on_full_file("snap " + floats + " --point trained", "-o", "nncert snap: error[io]: cannot write");
    write_text(tmp / "sigmoid.nnc", sigmoid_fit);
    const std::string refine = "refine " + shell_quote((tmp / "sigmoid.nnc").string()) + " --point P --no-progress";
    fails_on_full_disk(refine, "> /dev/full", "nncert refine: error[io]: writing the result");
    fails_on_full_file(refine, "-o", "nncert refine: error[io]: cannot write");
    // A device as the output file is refused before anything is written (it is not a regular file).
    const ProcessResult device = run_nncert("check " + script + " -o /dev/full");
    BOOST_TEST(device.exit == 4, device.err);
    BOOST_TEST(contains(device.err, "not a regular file"), device.err);
}

BOOST_AUTO_TEST_SUITE_END()
