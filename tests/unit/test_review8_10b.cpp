// Review r8-10 of issue #8, findings F8 and F5 (session 26, helper h8r10b): `nncert plot`'s renderer runs under the
// command's --timeout and --max-memory (F8), and `check` reports every script of a folder when a result is too big to
// hold under --max-memory (F5). Through the real binary; renderers are stand-ins (NNCERT_PLOT_SCRIPT), so a figure
// that takes long or much memory costs no CPU here.
#include "process.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

namespace fs = std::filesystem;
using namespace nncert::test;

namespace {

// A one-unit regression script with three data rows; the numbers for `plot fits` take milliseconds.
const std::string small_script =
    "nncert 1\ndata {\n  0 -> 1\n  1 -> 2\n  2 -> 2\n}\nnetwork {\n  input 1\n  dense 1 identity\n}\nloss sse\n"
    "point p {\n  W1 = [[0]]\n  b1 = [1]\n}\n";

ProcessResult plot_with_renderer(const TempDir& tmp, const std::string& renderer_body, const std::string& options) {
    write_text(tmp / "s.nnc", small_script);
    write_text(tmp / "renderer.py", renderer_body);
    return run_process("NNCERT_PLOT_SCRIPT=" + shell_quote((tmp / "renderer.py").string()) + " " + nncert_binary() +
                       " plot fits " + shell_quote((tmp / "s.nnc").string()) + " -o " +
                       shell_quote((tmp / "f.png").string()) + " " + options);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(review8_10b_fixes)

// F8: a renderer that never ends is killed at --timeout: exit 3 naming the time limit. Before, nncert waited for it
// (`plot --timeout 10` ran 42 s); this renderer sleeps 600 s, past the ctest TIMEOUT, so a regression fails there.
BOOST_AUTO_TEST_CASE(the_renderer_is_stopped_at_the_time_limit) {
    TempDir tmp;
    const ProcessResult r = plot_with_renderer(tmp, "import time\ntime.sleep(600)\n", "--timeout 1");
    BOOST_TEST(r.exit == 3, r.out << r.err);
    BOOST_TEST(r.err.find("renderer was stopped by the time limit of 1 s (--timeout)") != std::string::npos, r.err);
}

// F8: the renderer runs under --max-memory as an address-space limit. The stand-in maps 2 GiB (untouched pages, no
// real memory): it succeeds without a limit and fails with MemoryError under 256 MiB, where the shipped renderer
// exits 86 and nncert reports the memory limit, exit 3.
BOOST_AUTO_TEST_CASE(the_renderer_runs_under_the_memory_limit) {
    const std::string renderer =
        "import os, sys\ntry:\n    b = bytearray(2 << 30)\nexcept MemoryError:\n    os._exit(86)\n"
        "open(sys.argv[2], 'w').write('figure')\n";
    {
        TempDir tmp;
        const ProcessResult r = plot_with_renderer(tmp, renderer, "--max-memory 0");
        BOOST_TEST(r.exit == 0, r.out << r.err);
        BOOST_TEST(read_text(tmp / "f.png") == "figure");
    }
    {
        TempDir tmp;
        const ProcessResult r = plot_with_renderer(tmp, renderer, "--max-memory 256");
        BOOST_TEST(r.exit == 3, r.out << r.err);
        BOOST_TEST(r.err.find("renderer was stopped by the memory limit of 256 MiB (--max-memory)") != std::string::npos,
                   r.err);
    }
}

// F8: other renderer failures keep their exit 2 and name the status.
BOOST_AUTO_TEST_CASE(a_failing_renderer_is_still_exit_2) {
    TempDir tmp;
    const ProcessResult r = plot_with_renderer(tmp, "import sys\nsys.exit(7)\n", "--timeout 60");
    BOOST_TEST(r.exit == 2, r.out << r.err);
    BOOST_TEST(r.err.find("the renderer failed") != std::string::npos, r.err);
    BOOST_TEST(r.err.find("exit status 7") != std::string::npos, r.err);
}

BOOST_AUTO_TEST_SUITE_END()
