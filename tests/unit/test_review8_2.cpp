// Fixes of the second adversarial review of issue 8 (/work/coord/reviews/issue8-2.md): a --max-memory that
// hung, CSV headers that hid a data row, unbounded segment claims and reading, escaped echoes and names.
#include "process.hpp"
#include "runtime/blas_pool.hpp"
#include "runtime/isolate.hpp"
#include "runtime/memory.hpp"

#include <boost/test/unit_test.hpp>

#include <cblas.h>
#include <sys/resource.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

// OpenBLAS's (exported, undeclared) start of its thread pool: each worker maps its buffer as it starts.
extern "C" void blas_thread_init(void) __attribute__((weak));

using namespace nncert;
using test::nncert_binary;
using test::run_process;

namespace {

// A 2-parameter exact script whose one claim certifies at once.
const char* trivial_script =
    "nncert 1\ndata {\n  0 -> 0\n  1 -> 1\n}\nnetwork {\n  input 1\n  dense 1 identity\n}\nloss sse\n"
    "point p {\n  W1 = [[1]]\n  b1 = [0]\n}\nclaim loss p = 0\n";

// A product large enough for OpenBLAS's buffer (not its small-matrix path).
std::string blas_product() {
    const int n = 200;
    std::vector<double> a(n * n, 1.0), c(n * n);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0, a.data(), n, a.data(), n, 0.0, c.data(), n);
    return std::to_string(c[0]);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(review8_2_fixes)

// Finding 1: `check --max-memory 64` hung forever. The parent limited its address space while an OpenBLAS
// worker was still mapping its 128 MiB buffer (retried forever), and fork() joined that worker. Every
// command runs through a shell `timeout`, so a regression fails here instead of hanging ctest.
BOOST_AUTO_TEST_CASE(small_memory_limits_end_at_once_with_a_code) {
    test::TempDir dir;
    test::write_text(dir / "t.nnc", trivial_script);
    const std::string script = test::shell_quote((dir / "t.nnc").string());
    for (const char* mib : {"1", "64", "160", "255"}) {
        const auto r = run_process("timeout 60 " + nncert_binary() + " check --max-memory " + mib + " " + script);
        BOOST_TEST(r.exit == 4, "--max-memory " << mib << ": exit " << r.exit);
        BOOST_TEST(r.err.find("at least 256 MiB") != std::string::npos, r.err);
    }
    // The minimum itself works, and 0 (no limit) still does.
    for (const char* mib : {"256", "0"}) {
        const auto r = run_process("timeout 60 " + nncert_binary() + " check --max-memory " + mib + " " + script);
        BOOST_TEST(r.exit == 0, "--max-memory " << mib << ": exit " << r.exit << " " << r.err);
        BOOST_TEST(r.out.find("CERTIFIED") != std::string::npos);
    }
    const auto plot = run_process("timeout 60 " + nncert_binary() + " plot --max-memory 64 " + script);
    BOOST_TEST(plot.exit == 4, plot.err);
}

// Started under a small `ulimit -v`, OpenBLAS's threads spin on a buffer they cannot map as the library
// loads, before main: nncert hung before printing anything. It now says so and exits 4 at once.
BOOST_AUTO_TEST_CASE(a_small_ulimit_is_refused_at_start) {
    if (!runtime::address_space_limit_works()) return;  // AddressSanitizer needs terabytes of address space
    test::TempDir dir;
    test::write_text(dir / "t.nnc", trivial_script);
    const std::string script = test::shell_quote((dir / "t.nnc").string());
    for (const char* kib : {"100000", "150000"}) {
        const auto r = run_process(std::string("ulimit -v ") + kib + "; timeout 60 " + nncert_binary() + " check " + script);
        BOOST_TEST(r.exit == 4, "ulimit -v " << kib << ": exit " << r.exit);
        BOOST_TEST(r.err.find("address-space limit (ulimit -v)") != std::string::npos, r.err);
    }
}

// The mechanism itself, without the CLI's minimum: start OpenBLAS's pool (its workers map buffers as they
// start), limit the address space at once to far below what the process holds, then fork a child that
// multiplies matrices. It must end (here: out of memory), never hang in the fork or in OpenBLAS.
BOOST_AUTO_TEST_CASE(an_address_space_limit_never_hangs_openblas) {
    if (!runtime::address_space_limit_works()) return;  // AddressSanitizer: no address-space limit to test
    using runtime::Isolated;
    const auto start = std::chrono::steady_clock::now();
    const Isolated outer = runtime::run_isolated(
        [] {
            if (blas_thread_init) blas_thread_init();
            runtime::limit_address_space(runtime::mebibytes(64));
            const Isolated inner = runtime::run_isolated(blas_product, runtime::ResourceLimits{20, 64});
            return std::string(inner.kind == Isolated::Kind::timeout ? "timeout" : "ended");
        },
        runtime::ResourceLimits{40, 0});
    BOOST_TEST((outer.kind != Isolated::Kind::timeout));
    if (outer.kind == Isolated::Kind::done) BOOST_TEST(outer.payload == "ended");
    BOOST_TEST((std::chrono::steady_clock::now() - start < std::chrono::seconds(30)));
    // With room for the buffer, BLAS in a limited child works (the buffer was mapped before the limit).
    const Isolated fits = runtime::run_isolated(blas_product, runtime::ResourceLimits{20, 512});
    BOOST_TEST((fits.kind == Isolated::Kind::done));
    BOOST_TEST(fits.payload == "200.000000");
}

// Finding 4: reading a script had no time bound (20,000 rows of 65,000-bit quotients took 9.5 s with
// `--timeout 1`). Reading is now under --timeout too: error[limit] naming it, at the row it reached.
BOOST_AUTO_TEST_CASE(reading_a_script_is_bounded_by_the_timeout) {
    test::TempDir dir;
    // 49,152-bit factors: a row of four stays within the view rule's 160 columns (a list's number past the edge
    // must be one number, and a data row is one line).
    const std::string big = "0x1p16384*0x1p16384*0x1p16384";
    std::string text = "nncert 1\ndata {\n";
    for (int i = 0; i < 20000; ++i) text += "  (" + big + "+1)/(" + big + "+3)*(" + big + "+3)/(" + big + "+1) -> 1\n";
    text += "}\nnetwork {\n  input 1\n  dense 1 identity\n}\nloss sse\npoint p {\n  W1 = [[1]]\n  b1 = [0]\n}\n"
            "claim loss p = 0\n";
    test::write_text(dir / "slow.nnc", text);
    const auto start = std::chrono::steady_clock::now();
    const auto r = run_process("timeout 120 " + nncert_binary() + " check --timeout 1 " +
                               test::shell_quote((dir / "slow.nnc").string()));
    BOOST_TEST(r.exit == 2, r.out << r.err);
    BOOST_TEST(r.out.find("error[limit]: reading the script took longer than the time limit of 1 s") != std::string::npos,
               r.out);
    BOOST_TEST((std::chrono::steady_clock::now() - start < std::chrono::seconds(60)));
}

// Finding 5: `nncert search` echoed its command line raw, to standard output and into the `# ...` header of
// every script it wrote, so a newline in an argument forged a line (or ended the comment).
BOOST_AUTO_TEST_CASE(search_escapes_its_command_line) {
    test::TempDir dir;
    const std::string out_dir = (dir.path() / "o\nclaim loss p = 0\x1b[31m").string();
    const auto r = run_process(nncert_binary() + " search --points 4 --datasets 1 --inits 1 --steps 5 --threads 1 --out " +
                               test::shell_quote(out_dir));
    BOOST_TEST(r.out.find('\x1b') == std::string::npos, r.out);
    BOOST_TEST(r.out.find("\nclaim loss p = 0") == std::string::npos, r.out);
    BOOST_TEST(r.out.find("o\\nclaim loss p = 0\\x1b[31m") != std::string::npos, r.out);
    namespace fs = std::filesystem;
    if (fs::is_directory(out_dir))
        for (const auto& e : fs::directory_iterator(out_dir)) {
            const std::string script = test::read_text(e.path());
            BOOST_TEST(script.find('\x1b') == std::string::npos);
            BOOST_TEST(script.find("\nclaim loss p = 0") == std::string::npos, script.substr(0, 300));
        }
}

// Finding 6/7 (minor): a link to /proc made a folder walk visit every process's files without end; `*.NNC`
// was skipped silently; `data ""` said "is a directory".
BOOST_AUTO_TEST_CASE(folder_walks_refuse_proc_and_check_upper_case_names) {
    namespace fs = std::filesystem;
    test::TempDir dir;
    fs::create_directory(dir / "d");
    test::write_text(dir / "d" / "UPPER.NNC", trivial_script);
    fs::create_directory_symlink("/proc", dir / "d" / "p");
    const auto start = std::chrono::steady_clock::now();
    const auto r = run_process("timeout 60 " + nncert_binary() + " check " + test::shell_quote((dir / "d").string()));
    BOOST_TEST(r.exit == 2, r.out << r.err);
    BOOST_TEST(r.out.find("proc pseudo filesystem is not walked") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("UPPER.NNC:") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("CERTIFIED") != std::string::npos, r.out);
    BOOST_TEST((std::chrono::steady_clock::now() - start < std::chrono::seconds(30)));
    // An output named like a script (any case) inside a scanned folder is refused before it is truncated.
    const auto out = run_process(nncert_binary() + " check -o " + test::shell_quote((dir / "d" / "r.NNC").string()) + " " +
                                 test::shell_quote((dir / "d" / "UPPER.NNC").string()) + " " +
                                 test::shell_quote((dir / "d").string()));
    BOOST_TEST(out.exit == 4, out.err);
    test::write_text(dir / "e.nnc", std::string(trivial_script).replace(std::string(trivial_script).find("data {"), 27,
                                                                        "data \"\"\n"));
    const auto empty = run_process(nncert_binary() + " check " + test::shell_quote((dir / "e.nnc").string()));
    BOOST_TEST(empty.exit == 2, empty.out);
    BOOST_TEST(empty.out.find("error[io]: empty file name") != std::string::npos, empty.out);
}

BOOST_AUTO_TEST_SUITE_END()

// Review 3 of issue 8 (/work/coord/reviews/issue8-3.md), finding 5: under `ulimit -v` a claim or a script that
// ran out of memory was said to be stopped by --max-memory's value (4096 MiB) although the address-space limit
// it was started with (smaller, and not raisable) is what stopped it. Messages now name the limit that applied.
BOOST_AUTO_TEST_SUITE(review8_3_memory_reason)

BOOST_AUTO_TEST_CASE(the_phrase_names_the_limit_that_applies) {
    if (!runtime::address_space_limit_works()) return;  // AddressSanitizer: no address-space limit to set
    const runtime::Isolated run = runtime::run_isolated(
        [] {
            std::string out;
            // No address-space limit yet (the test runs without ulimit -v): the option or the machine.
            out += runtime::memory_limit_phrase(0, "OPTION") + "|";
            out += runtime::memory_limit_phrase(4096, "OPTION") + "|";
            // 2048 MiB set as a hard limit: an option above it cannot apply, one below it does.
            runtime::limit_address_space(runtime::mebibytes(2048));
            rlimit r{};
            getrlimit(RLIMIT_AS, &r);
            r.rlim_max = r.rlim_cur;
            setrlimit(RLIMIT_AS, &r);
            out += runtime::memory_limit_phrase(4096, "OPTION") + "|";
            out += runtime::memory_limit_phrase(0, "OPTION") + "|";
            out += runtime::memory_limit_phrase(1024, "OPTION");
            return out;
        },
        runtime::ResourceLimits{60, 0});
    BOOST_REQUIRE(run.kind == runtime::Isolated::Kind::done);
    const bool unlimited_at_start = run.payload.starts_with("the memory available to the process|OPTION|");
    // (A CI runner may itself run under ulimit -v; then the first two name it, which is right too.)
    BOOST_TEST((unlimited_at_start || run.payload.starts_with("the address-space limit of ")), run.payload);
    BOOST_TEST(run.payload.ends_with("|the address-space limit of 2048 MiB (ulimit -v)|"
                                     "the address-space limit of 2048 MiB (ulimit -v)|OPTION"),
               run.payload);
}

// End to end: a script whose CSV needs about 0.9 GB to read, under `ulimit -v` of about 600 MiB and the default
// --max-memory (4096 MiB): error[limit] for that script, naming the ulimit.
BOOST_AUTO_TEST_CASE(reading_under_ulimit_names_the_ulimit) {
    if (!runtime::address_space_limit_works()) return;  // AddressSanitizer needs terabytes of address space
    test::TempDir dir;
    {
        std::ofstream csv(dir / "big.csv", std::ios::binary);
        for (int i = 0; i < 2'000'000; ++i) csv << "0,0\n";
    }
    test::write_text(dir / "t.nnc", "nncert 1\ndata \"big.csv\"\nnetwork {\n  input 1\n  dense 1 identity\n}\n"
                                    "loss sse\npoint p {\n  W1 = [[1]]\n  b1 = [0]\n}\nclaim loss p = 0\n");
    const auto r = run_process("ulimit -v 614400; OPENBLAS_NUM_THREADS=1 timeout 120 " + nncert_binary() +
                               " check --json " + test::shell_quote((dir / "t.nnc").string()));
    BOOST_TEST(r.exit == 2, r.err);
    BOOST_TEST(r.out.find("\"limit\"") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("address-space limit of 600 MiB (ulimit -v)") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("MiB (--max-memory)") == std::string::npos, r.out);
}

// Finding 7's JSON part: JSON strings are UTF-8, so a file name with a byte that is not valid UTF-8 prints U+FFFD
// there, and names differing only in such bytes printed alike. The report now adds the name's bytes in hex.
BOOST_AUTO_TEST_CASE(json_names_files_with_invalid_utf8_exactly) {
    test::TempDir dir;
    const std::string a = std::string("a\xfe.nnc"), b = std::string("a\xff.nnc");
    test::write_text(dir / a, trivial_script);
    test::write_text(dir / b, trivial_script);
    test::write_text(dir / "plain.nnc", trivial_script);
    const auto r = run_process(nncert_binary() + " check --json " + test::shell_quote(dir.path().string()));
    BOOST_TEST(r.exit == 0, r.err);
    BOOST_TEST(r.out.find("\"file_bytes\": \"" + [&] {
        std::string hex;
        static constexpr char digits[] = "0123456789abcdef";
        for (unsigned char c : (dir / a).string()) hex += std::string{digits[c >> 4], digits[c & 0xf]};
        return hex;
    }() + "\"") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("61fe2e6e6e63\"") != std::string::npos, r.out);  // ... "a\xfe.nnc"
    BOOST_TEST(r.out.find("61ff2e6e6e63\"") != std::string::npos, r.out);  // ... "a\xff.nnc"
    // A valid name gets no file_bytes: exactly two in the report.
    std::size_t count = 0;
    for (std::size_t at = r.out.find("file_bytes"); at != std::string::npos; at = r.out.find("file_bytes", at + 1))
        ++count;
    BOOST_TEST(count == 2u, r.out);
}

BOOST_AUTO_TEST_SUITE_END()
