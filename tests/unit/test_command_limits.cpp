// Every command that reads a script reads it under its --timeout and --max-memory (script/load.hpp), and
// propose-trap's search runs under them too (issue 8, review 8-4: print took a minute and 3.5 GB on a 5.7 MB
// script, plot parsed before its limit applied, propose-trap ended in an internal error on 491,401 parameters).
// The inputs are generated here; small limits show that a limit applies (no test measures time).
#include "test_paths.hpp"
#include "process.hpp"
#include "runtime/isolate.hpp"
#include "runtime/memory.hpp"

#include <alloca.h>
#include <boost/test/unit_test.hpp>

#include <csignal>
#include <filesystem>
#include <memory>
#include <new>
#include <string>
#include <utility>
#include <vector>

using namespace nncert;
using test::nncert_binary;
using test::ProcessResult;
using test::run_process;
using test::shell_quote;

namespace {

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

std::string q(const std::filesystem::path& p) { return shell_quote(p.string()); }

// Every command run here is bounded by the shell's `timeout` too: a limit that does not apply is a failure
// (exit 124), never a hung test.
ProcessResult run(const std::string& args) { return run_process("timeout 120 " + nncert_binary() + " " + args); }

// `rows` data rows, each a short expression for a rational of about 131,000 bits: reading is costly per byte
// (each number is evaluated), and printing writes each as its whole value (about 40,000 digits).
std::string huge_numbers_script(int rows) {
    const std::string big = "0x1p16384*0x1p16384*0x1p16384*0x1p16383";
    std::string text = "nncert 1\ndata {\n";
    for (int i = 0; i < rows; ++i) text += "  (" + big + "+" + std::to_string(i + 1) + ")/(" + big + "-1) -> 0\n";
    return text + "}\nnetwork {\n  input 1\n  dense 1 identity\n}\nloss sse\npoint p {\n  W1 = [[1]]\n  b1 = [0]\n}\n"
                  "claim loss p = 0\n";
}

// An input-`n` network with one hidden layer of `n` relu units: n^2 + 2n + 1 parameters, every weight `w`.
std::string wide_script(int n, const std::string& w) {
    std::string row = "[";
    // 20 values a line: a fraction such as 1/100 across column 160 is `layout` (the view rule, review r8-10 F6).
    for (int j = 0; j < n; ++j) row += (j ? (j % 20 ? ", " : ",\n    ") : "") + w;
    row += "]";
    std::string x;
    for (int j = 0; j < n; ++j) x += (j ? ", " : "") + std::string(j % 2 ? "1" : "0");
    std::string text = "nncert 1\ndata {\n  " + x + " -> 1\n  " + x + " -> 0\n}\nnetwork {\n  input " +
                       std::to_string(n) + "\n  dense " + std::to_string(n) + " relu\n  dense 1 identity\n}\nloss mse\n"
                       "point p {\n  W1 = [";
    for (int i = 0; i < n; ++i) text += (i ? ", " : "") + row;
    text += "]\n  b1 = [";
    for (int i = 0; i < n; ++i) text += (i ? ", 1" : "1");
    text += "]\n  W2 = [[";
    for (int i = 0; i < n; ++i) text += (i ? ", 1" : "1");
    return text + "]]\n  b2 = [0]\n}\nclaim loss p = 0\n";
}

// One input, `units` relu units, four data rows.
std::string one_input_relu_script(int units) {
    std::string w1, b1, w2;
    for (int j = 0; j < units; ++j) {
        // 20 values a line: a fraction across column 160 is `layout` (the view rule, review r8-10 F6).
        const std::string sep = j == 0 ? "" : j % 20 ? ", " : ",\n    ";
        w1 += sep + "[" + std::to_string(j % 7 + 1) + "/5]";
        b1 += sep + std::to_string(j % 11 - 5) + "/5";
        w2 += sep + std::to_string(j % 5 - 2) + "/10";
    }
    return "nncert 1\ndata {\n  -2 -> 1\n  -1 -> 0\n  1 -> 1\n  2 -> 0\n}\nnetwork {\n  input 1\n  dense " +
           std::to_string(units) + " relu\n  dense 1 identity\n}\nloss mse\npoint p {\n  W1 = [" + w1 + "]\n  b1 = [" + b1 +
           "]\n  W2 = [[" + w2 + "]]\n  b2 = [0]\n}\nclaim loss p = 0\n";
}

// The same numbers as huge_numbers_script's rows, as a CSV file of rows `input, label` (construct dead-layer,
// import --data): reading 30,000 such rows takes seconds and about 1 GB.
std::string huge_numbers_csv(int rows) {
    const std::string big = "0x1p16384*0x1p16384*0x1p16384*0x1p16383";
    std::string text = "x,y\n";
    for (int i = 0; i < rows; ++i) text += "(" + big + "+" + std::to_string(i + 1) + ")/(" + big + "-1)," + std::to_string(i % 2) + "\n";
    return text;
}

// Uses about 16 KiB of stack per level (not a loop: each level adds to the previous one's result).
[[gnu::noinline]] int deep_stack(int levels) {
    volatile char* frame = static_cast<volatile char*>(alloca(16384));
    frame[0] = static_cast<char>(levels);
    frame[16383] = 1;
    return levels == 0 ? frame[0] : deep_stack(levels - 1) + frame[16383];
}

}  // namespace

BOOST_AUTO_TEST_SUITE(command_limits)

// print: reading and printing under --timeout (one limit for both) and --max-memory; error[limit], exit 2,
// nothing on standard output. Before, print had neither option and printed about 40 KB per 95-byte row.
BOOST_AUTO_TEST_CASE(print_reads_and_prints_under_its_limits) {
    const test::TempDir dir;
    test::write_text(dir / "big.nnc", huge_numbers_script(4000));
    const ProcessResult t = run("print --timeout 1 " + q(dir / "big.nnc") + " > " + q(dir / "out.nnc"));
    BOOST_TEST(t.exit == 2, t.err);
    // Stopped while reading or while printing, whichever the second ends in.
    const bool named = contains(t.err, "error[limit]: reading and printing the script took longer than the time limit of 1 s (--timeout)") ||
                       contains(t.err, "error[limit]: reading the script took longer than the time limit of 1 s (--timeout)");
    BOOST_TEST(named, t.err);
    BOOST_TEST(std::filesystem::file_size(dir / "out.nnc") == 0u);
    if (runtime::address_space_limit_works()) {
        test::write_text(dir / "wide.nnc", huge_numbers_script(20000));
        const ProcessResult m = run("print --max-memory 256 --timeout 0 " + q(dir / "wide.nnc") + " > " + q(dir / "out2.nnc"));
        BOOST_TEST(m.exit == 2, m.err);
        BOOST_TEST(contains(m.err, "error[limit]: "), m.err);
        BOOST_TEST(contains(m.err, "needs more than the memory limit of 256 MiB (--max-memory)"), m.err);
        BOOST_TEST(std::filesystem::file_size(dir / "out2.nnc") == 0u);
    }
    BOOST_TEST(run("print --max-memory 100 " + q(dir / "big.nnc")).exit == 4);
    BOOST_TEST(run("print --timeout x " + q(dir / "big.nnc")).exit == 4);
    // Within its limits print is unchanged: the output parses back.
    test::write_text(dir / "small.nnc", huge_numbers_script(2));
    const ProcessResult ok = run("print --timeout 60 --max-memory 1024 " + q(dir / "small.nnc"));
    BOOST_TEST(ok.exit == 0, ok.err);
    BOOST_TEST(contains(ok.out, "claim loss p = 0"));
}

// plot: the script is read under --timeout and --max-memory, not before they apply.
BOOST_AUTO_TEST_CASE(plot_reads_under_its_limits) {
    const test::TempDir dir;
    test::write_text(dir / "big.nnc", huge_numbers_script(30000));
    const ProcessResult r = run("plot fits " + q(dir / "big.nnc") + " --timeout 1 -o " + q(dir / "f.json"));
    BOOST_TEST(r.exit == 2, r.err);
    BOOST_TEST(contains(r.err, "error[limit]: reading the script took longer than the time limit of 1 s (--timeout)"), r.err);
    BOOST_TEST(!std::filesystem::exists(dir / "f.json"));
}

// refine and snap read under their limits too, and take the same smallest --max-memory as check; snap's solve
// runs under the cap (10,000 relu units: its exact elimination needs far more than 256 MiB).
BOOST_AUTO_TEST_CASE(refine_and_snap_read_and_work_under_their_limits) {
    const test::TempDir dir;
    test::write_text(dir / "big.nnc", huge_numbers_script(30000));
    for (const std::string command : {"refine", "snap"}) {
        const ProcessResult r = run(command + " " + q(dir / "big.nnc") + " --point p --timeout 1");
        BOOST_TEST(r.exit == 2, command << ": " << r.err);
        BOOST_TEST(contains(r.err, "error[limit]: reading the script took longer than the time limit of 1 s (--timeout)"),
                   command << ": " << r.err);
        const ProcessResult small = run(command + " " + q(dir / "big.nnc") + " --point p --max-memory 100");
        BOOST_TEST(small.exit == 4, command << ": " << small.err);
        BOOST_TEST(contains(small.err, "--max-memory needs 0 (no limit) or at least 256 MiB"), small.err);
    }
    if (runtime::address_space_limit_works()) {
        test::write_text(dir / "wide.nnc", one_input_relu_script(10000));
        const ProcessResult s = run("snap " + q(dir / "wide.nnc") + " --point p --max-memory 256 --timeout 60");
        BOOST_TEST(s.exit == 3, s.err);
        BOOST_TEST(contains(s.err, "stopped by the memory cap (--max-memory 256 MiB) while solving for the exact point"),
                   s.err);
    }
}

// propose-trap: 491,401 parameters (input 700, 700 relu units) ended in exit 5 (std::bad_alloc: a float Hessian
// of 2 TB); now the local box is refused above the Hessian limit, and the search runs in a child process under
// --timeout and --max-memory, stopping with exit 3 and a message naming the limit.
BOOST_AUTO_TEST_CASE(propose_trap_runs_under_limits) {
    const test::TempDir dir;
    test::write_text(dir / "huge.nnc", wide_script(700, "0"));
    const ProcessResult local = run("propose-trap " + q(dir / "huge.nnc") + " --point p --local");
    BOOST_TEST(local.exit == 3, local.err);
    BOOST_TEST(contains(local.err, "no local box: the network has 491401 parameters, more than the 4096 a Hessian may have"),
               local.err);
    // 10,201 parameters: read at once; no local box (over the Hessian limit), so 20,000 descent steps and the faces.
    test::write_text(dir / "descent.nnc", wide_script(100, "1/100"));
    // Which phase the 1 s runs out in depends on the machine's load (reading 10,201 parameters took more than 1 s
    // at load 18): either message is the time limit, and the test must not assert a speed.
    const ProcessResult descent = run("propose-trap " + q(dir / "descent.nnc") + " --point p --timeout 1");
    BOOST_TEST(descent.exit == 3, descent.err);
    BOOST_TEST((contains(descent.err, "p: stopped by the time limit of 1 s (--timeout); nothing proposed") ||
                contains(descent.err, "error[limit]: reading the script took longer than the time limit of 1 s (--timeout)")),
               descent.err);
    BOOST_TEST(descent.out.empty(), descent.out);
    if (runtime::address_space_limit_works()) {
        // 3,969 parameters: the float Hessian and its copies need several hundred MiB.
        test::write_text(dir / "wide.nnc", wide_script(62, "1/100"));
        const ProcessResult m = run("propose-trap " + q(dir / "wide.nnc") + " --point p --local --max-memory 256");
        BOOST_TEST(m.exit == 3, m.err);
        BOOST_TEST(contains(m.err, "p: stopped by the memory limit of 256 MiB (--max-memory); nothing proposed"), m.err);
    }
    BOOST_TEST(run("propose-trap " + q(dir / "huge.nnc") + " --point p --max-memory 100").exit == 4);
    BOOST_TEST(run("propose-trap " + q(dir / "huge.nnc") + " --point p --timeout -1").exit == 4);
    // Reading is bounded too.
    test::write_text(dir / "big.nnc", huge_numbers_script(30000));
    const ProcessResult read = run("propose-trap " + q(dir / "big.nnc") + " --point p --timeout 1");
    BOOST_TEST(read.exit == 3, read.err);
    BOOST_TEST(contains(read.err, "error[limit]: reading the script took longer than the time limit of 1 s (--timeout)"),
               read.err);
}

// construct (dead-layer and partition) and import read and build in a child process under --timeout and
// --max-memory (runtime/isolated_command.hpp); stopped, they write nothing and exit 3 naming the limit. Before,
// neither had the options, and a 64 MiB CSV of long rationals could take about 7 GB.
BOOST_AUTO_TEST_CASE(construct_and_import_work_under_their_limits) {
    const test::TempDir dir;
    test::write_text(dir / "big.csv", huge_numbers_csv(30000));
    const std::string weights = std::string(NNCERT_SOURCE_DIR) + "/tests/fixtures/import/deep-linear.npz";
    const std::vector<std::pair<std::string, std::string>> commands{
        {"nncert construct", "construct dead-layer --data " + q(dir / "big.csv") + " --depth 2 --widths 3 --output " + q(dir / "c.nnc")},
        {"nncert import", "import --weights " + shell_quote(weights) + " --data " + q(dir / "big.csv") +
                              " --activation identity --loss sse -o " + q(dir / "c.nnc")}};
    for (const auto& [who, command] : commands) {
        const ProcessResult t = run(command + " --timeout 1");
        BOOST_TEST(t.exit == 3, command << ": " << t.err);
        BOOST_TEST(contains(t.err, who + ": stopped by the time limit of 1 s (--timeout); nothing written"), t.err);
        BOOST_TEST(!std::filesystem::exists(dir / "c.nnc"));
        if (runtime::address_space_limit_works()) {
            const ProcessResult m = run(command + " --timeout 0 --max-memory 256");
            BOOST_TEST(m.exit == 3, command << ": " << m.err);
            BOOST_TEST(contains(m.err, who + ": stopped by the memory limit of 256 MiB (--max-memory); nothing written"),
                       m.err);
            BOOST_TEST(!std::filesystem::exists(dir / "c.nnc"));
        }
        for (const std::string bad : {" --max-memory 100", " --timeout x", " --timeout 86401", " --max-memory 2000000"}) {
            const ProcessResult u = run(command + bad);
            BOOST_TEST(u.exit == 4, command << bad << ": " << u.err);
        }
    }
    // Within the limits both work as before (exit 0, the script written and readable).
    test::write_text(dir / "small.csv", "x,y\n0,0\n1,1\n2,4\n3,9\n");
    const ProcessResult c = run("construct dead-layer --data " + q(dir / "small.csv") + " --depth 2 --widths 3 --timeout 60 "
                                "--max-memory 1024 --output " + q(dir / "c.nnc"));
    BOOST_TEST(c.exit == 0, c.err);
    BOOST_TEST(run("check " + q(dir / "c.nnc")).exit == 0);
    const ProcessResult i = run("import --weights " + shell_quote(weights) + " --data " + q(dir / "small.csv") +
                                " --activation identity --loss sse --timeout 60 --max-memory 1024");
    BOOST_TEST(i.exit == 0, i.err);
    BOOST_TEST(contains(i.out, "claim local_min"), i.out);
    const ProcessResult p = run("construct partition --dim 2 --timeout 60 --max-memory 1024");
    BOOST_TEST(p.exit == 0, p.err);
    BOOST_TEST(run("construct partition --dim 2 --max-memory 100").exit == 4);
}

// search --timeout: no unit starts after it and a running unit stops at its next training run (one dataset of
// 1,000 rows and 100,000 inits, or 100,000 datasets, would each run for many minutes); the summary covers the
// finished units and says that the search was stopped, exit 3.
BOOST_AUTO_TEST_CASE(search_stops_at_its_timeout) {
    const test::TempDir dir;
    std::string rows;
    for (int i = 0; i < 1000; ++i)
        rows += std::to_string(i % 37) + "." + std::to_string(10 + i % 89) + ", " + std::to_string(i % 23) + ".5, " +
                std::to_string(i % 2) + "\n";
    test::write_text(dir / "d.csv", rows);
    for (const std::string& work : {"--data " + q(dir / "d.csv") + " --inits 100000", std::string("--points 10 --family grid --datasets 100000")}) {
        const ProcessResult r = run("search " + work + " --threads 2 --timeout 1");
        BOOST_TEST(r.exit == 3, work << ": " << r.err);
        BOOST_TEST(contains(r.err, "nncert search: stopped by the time limit of 1 s (--timeout) after "), r.err);
        BOOST_TEST(contains(r.out, "# stopped by the time limit of 1 s (--timeout) after "), r.out);
    }
    BOOST_TEST(run("search --points 4 --timeout 86401").exit == 4);
    BOOST_TEST(run("search --points 4 --timeout -1").exit == 4);
    // A search that finishes within its time limit is unchanged: exit 0, no "stopped" line.
    const ProcessResult ok = run("search --points 4 --family grid --datasets 1 --inits 2 --threads 1 --timeout 600");
    BOOST_TEST(ok.exit == 0, ok.err);
    BOOST_TEST(!contains(ok.out, "stopped"), ok.out);
}

// Review 8-4: `nncert refine --max-memory 256` ended in SIGSEGV, an internal error. Under an address-space limit,
// once the heap has taken the address space the stack cannot grow, and the kernel sends SIGSEGV (throwing
// std::bad_alloc needs stack too). A child that fills its heap and then needs 3 MiB more stack was "crashed";
// it is now stopped by the memory limit. Any other SIGSEGV stays a crash.
BOOST_AUTO_TEST_CASE(a_stack_that_cannot_grow_under_the_memory_limit_is_the_memory_limit) {
    if (!runtime::address_space_limit_works()) return;  // AddressSanitizer: no address-space limit to fill
    const runtime::Isolated full = runtime::run_isolated(
        [] {
            std::vector<std::unique_ptr<char[]>> held;
            held.reserve(1 << 16);
            try {
                for (;;) held.emplace_back(new char[1 << 16]);
            } catch (const std::bad_alloc&) {
            }
            return std::to_string(held.size()) + " " + std::to_string(deep_stack(200));
        },
        runtime::ResourceLimits{120, 256});
    BOOST_TEST((full.kind == runtime::Isolated::Kind::memory), "kind " << int(full.kind) << ": " << full.detail);
    const runtime::Isolated bug = runtime::run_isolated(
        [] {
            std::raise(SIGSEGV);
            return std::string("not reached");
        },
        runtime::ResourceLimits{120, 256});
    BOOST_TEST((bug.kind == runtime::Isolated::Kind::crashed), "kind " << int(bug.kind) << ": " << bug.detail);
}

BOOST_AUTO_TEST_SUITE_END()
