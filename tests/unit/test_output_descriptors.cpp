// Output files are opened without blocking and checked by their descriptor (util::open_output_file,
// util::OutputFile): util::output_problem looks at the path first, but a FIFO put in its place after that look
// (a check-then-open race) must be refused, not waited on. Each open here runs in a child process under a time
// limit, so a regression fails (kind timeout) instead of hanging the suite.
#include "test_paths.hpp"
#include "process.hpp"
#include "runtime/isolate.hpp"
#include "util/files.hpp"
#include "util/output.hpp"

#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>
#include <string>

using namespace nncert;

namespace {

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

// What opening `path` for output says, from a child process that may take at most 20 s: "ok" after writing
// `text` and closing, or the reason it was refused.
runtime::Isolated open_in_child(const std::string& path, const std::string& text = "written\n") {
    return runtime::run_isolated(
        [&]() -> std::string {
            std::string why;
            auto file = util::OutputFile::open(path, why);
            if (!file) return "refused: " + why;
            *file << text;
            return file->close() ? "ok" : "close failed";
        },
        runtime::ResourceLimits{20, 0});
}

}  // namespace

BOOST_AUTO_TEST_SUITE(output_descriptors)

// A FIFO where the output should go, as if swapped in after output_problem looked: refused at once, whether or
// not something reads it; directly, and through a symbolic link (links are followed, the FIFO is what opens).
BOOST_AUTO_TEST_CASE(a_fifo_is_refused_by_its_descriptor_without_blocking) {
    const test::TempDir dir;
    const std::string fifo = (dir / "out.nnc").string();
    BOOST_TEST_REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    const runtime::Isolated alone = open_in_child(fifo);
    BOOST_TEST((alone.kind == runtime::Isolated::Kind::done), alone.detail);
    BOOST_TEST(contains(alone.payload, "refused: is a FIFO"), alone.payload);
    // With a reader, opening for writing succeeds: the descriptor's fstat refuses it before a byte is written.
    const int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
    BOOST_TEST_REQUIRE(reader >= 0);
    const runtime::Isolated read = open_in_child(fifo);
    BOOST_TEST((read.kind == runtime::Isolated::Kind::done), read.detail);
    BOOST_TEST(contains(read.payload, "refused: is a FIFO, not a regular file"), read.payload);
    char byte = 0;
    BOOST_TEST(::read(reader, &byte, 1) <= 0);  // nothing was written into it
    ::close(reader);
    const std::string link = (dir / "link.nnc").string();
    std::filesystem::create_symlink(fifo, link);
    const runtime::Isolated linked = open_in_child(link);
    BOOST_TEST(contains(linked.payload, "refused: is a FIFO"), linked.payload);
    // write_output_file (every command's -o/--output) goes the same way.
    const runtime::Isolated whole = runtime::run_isolated(
        [&]() -> std::string {
            std::ostringstream err;
            return util::write_output_file(fifo, "text", "nncert test", err) ? "ok" : err.str();
        },
        runtime::ResourceLimits{20, 0});
    BOOST_TEST((whole.kind == runtime::Isolated::Kind::done), whole.detail);
    BOOST_TEST(contains(whole.payload, "nncert test: error[io]: cannot write"), whole.payload);
}

// Devices and directories are refused by the descriptor too; a regular file is truncated and written; a new
// file is created; a dangling symbolic link creates its target.
BOOST_AUTO_TEST_CASE(regular_files_are_written_and_others_refused) {
    const test::TempDir dir;
    BOOST_TEST(contains(open_in_child("/dev/null").payload, "refused: is a character device"));
    BOOST_TEST(contains(open_in_child(dir.path().string()).payload, "refused: is a directory"));
    const std::string old = (dir / "old.txt").string();
    test::write_text(old, "a much longer previous content\n");
    BOOST_TEST(open_in_child(old, "new\n").payload == "ok");
    BOOST_TEST(test::read_text(old) == "new\n");
    BOOST_TEST(open_in_child((dir / "fresh.txt").string(), "fresh\n").payload == "ok");
    BOOST_TEST(test::read_text(dir / "fresh.txt") == "fresh\n");
    std::filesystem::create_symlink(dir / "target.txt", dir / "dangling.txt");
    BOOST_TEST(open_in_child((dir / "dangling.txt").string(), "via link\n").payload == "ok");
    BOOST_TEST(test::read_text(dir / "target.txt") == "via link\n");
    BOOST_TEST(contains(open_in_child((dir / "no-such-folder" / "x.txt").string()).payload, "refused: cannot be opened"));
}

// check -o and --junit open their files the same way (the guard before them is a path check): a FIFO is refused
// with a usage error, and the run does not hang.
BOOST_AUTO_TEST_CASE(check_outputs_refuse_a_fifo) {
    const test::TempDir dir;
    BOOST_TEST_REQUIRE(::mkfifo((dir / "report.json").c_str(), 0600) == 0);
    const std::string script = std::string(NNCERT_SOURCE_DIR) + "/proofs/generalized/swap-d2.nnc";
    for (const std::string option : {"-o", "--junit"}) {
        const test::ProcessResult r = test::run_process("timeout 60 " + test::nncert_binary() + " check " +
                                                        test::shell_quote(script) + " " + option + " " +
                                                        test::shell_quote((dir / "report.json").string()));
        BOOST_TEST(r.exit == 4, option << ": " << r.err);
        BOOST_TEST(contains(r.err, "FIFO"), r.err);
    }
}

BOOST_AUTO_TEST_SUITE_END()
