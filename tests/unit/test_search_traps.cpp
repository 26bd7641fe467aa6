// `nncert search --traps`: plateau runs paired with better points, trap scripts with a proposed region that
// `nncert check` reads, XOR's plateau never certified as a trap, no script where no plateau run is bad, usage errors.
#include "search/search.hpp"
#include "script/script.hpp"
#include "test_paths.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <stdlib.h>

using namespace nncert::search;
namespace fs = std::filesystem;

namespace {

// The ten points of docs/theorem1-search.md; with a sigmoid output unit, training stalls on plateaus.
const char* const t1_csv =
    "2.41, -2.59, 1\n-0.1, -1.69, 0\n1.12, 1.23, 0\n-2.54, -0.01, 0\n-0.1, -1.68, 1\n-0.37, -1.99, 1\n"
    "1.48, 1.84, 1\n0.1, 1.11, 0\n2.25, -2.62, 0\n0.09, 1.05, 1\n";

struct TempDir {
    fs::path path;
    TempDir() {
        std::string tmpl = (fs::temp_directory_path() / "nncert-traps-XXXXXX").string();
        path = ::mkdtemp(tmpl.data());
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    std::string write(const std::string& name, const std::string& text) const {
        std::ofstream(path / name, std::ios::binary) << text;
        return (path / name).string();
    }
};

std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

Dataset rows(std::initializer_list<Row> r) { return Dataset(r); }

// Small proposals and checks: each test stays at a few seconds of CPU.
const std::vector<std::string> quick = {"--threads", "2", "--propose-steps", "500", "--propose-shrink", "0",
                                        "--propose-starts", "1", "--check-boxes", "200", "--check-timeout", "0"};

std::vector<std::string> with_quick(std::vector<std::string> a) {
    a.insert(a.end(), quick.begin(), quick.end());
    return a;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(search_traps)

BOOST_AUTO_TEST_CASE(plateau_runs_are_paired_only_in_trap_mode) {
    const Dataset d = rows({{241, -259, 1}, {-10, -169, 0}, {112, 123, 0}, {-254, -1, 0}, {-10, -168, 1},
                            {-37, -199, 1}, {148, 184, 1}, {10, 111, 0}, {225, -262, 0}, {9, 105, 1}});
    Arch ar;
    ar.output = Output::sigmoid;
    const DatasetOutcome plain = analyse(ar, d, 60, 1, Tolerances{});
    BOOST_TEST(plain.bad_plateaus == 0);
    BOOST_TEST(!plain.trap.valid);
    const DatasetOutcome traps = analyse(ar, d, 60, 1, Tolerances{}, {}, 0.5);
    BOOST_TEST(traps.count[int(RunKind::plateau)] > 0);
    BOOST_TEST(traps.bad_plateaus >= 1);
    BOOST_TEST(traps.bad_plateaus <= traps.count[int(RunKind::plateau)]);
    BOOST_TEST_REQUIRE(traps.trap.valid);
    const Pair& p = traps.trap;
    BOOST_TEST(to_string(p.bad.kind) == std::string("plateau"));
    BOOST_TEST(p.better.loss < p.bad.loss);
    BOOST_TEST(p.ratio() <= 0.5);
    BOOST_TEST(p.bad.correct == correct_count(ar, d, p.bad.theta));
    // The strict-minimum side is unchanged by trap mode.
    for (int k = 0; k < 4; ++k) BOOST_TEST(plain.count[k] == traps.count[k]);
    BOOST_TEST(plain.score == traps.score);
}

BOOST_AUTO_TEST_CASE(a_trap_script_holds_the_region_and_is_read_by_check) {
    TempDir t;
    const std::string csv = t.write("t1.csv", t1_csv);
    const fs::path out_dir = t.path / "out";
    std::ostringstream out, err;
    const int rc = run_search(with_quick({"--data", csv, "--inits", "60", "--output", "sigmoid", "--traps", "--out",
                                          out_dir.string(), "--max-scripts", "1", "--check", NNCERT_BINARY}),
                              out, err);
    BOOST_TEST(rc == 0, err.str());
    const std::string o = out.str();
    BOOST_TEST(o.find("\tbad_plateau\tbest_trap_ratio\ttrap_candidates\n") != std::string::npos, o);
    BOOST_TEST(o.find("trap candidate n=10 file#0: bad (plateau) 5/10") != std::string::npos, o);
    const fs::path script = out_dir / "trap-n10-file-0.nnc";
    BOOST_TEST_REQUIRE(fs::exists(script));
    const std::string text = read(script);
    BOOST_TEST(text.find("region bad_trap {\n") != std::string::npos);
    BOOST_TEST(text.find("claim trap bad in bad_trap\n") != std::string::npos);
    BOOST_TEST(text.find("claim gap bad_trap > better\n") != std::string::npos);
    BOOST_TEST(text.find("claim accuracy bad in bad_trap <= 5/10\n") != std::string::npos);
    // The script parses, and P is inside the proposed region (trap's first condition; the kernel checks it too).
    const nncert::script::Script s = nncert::script::parse_text(text, script.string(), t.path.string());
    BOOST_TEST_REQUIRE(s.regions.size() == 1u);
    BOOST_TEST_REQUIRE(s.points.size() == 2u);
    BOOST_TEST(s.claims.size() == 6u);
    // The checker ran on it and every claim got a verdict; the two point accuracies are decided in one box each.
    BOOST_TEST(o.find(" [check exit ") != std::string::npos, o);
    BOOST_TEST(o.find("accuracy bad within 1/10000000000 = 1/2 certified") != std::string::npos, o);
    BOOST_TEST(o.find("accuracy better within 1/10000000000 = 1 certified") != std::string::npos, o);
    BOOST_TEST(o.find("trap bad in bad_trap ") != std::string::npos, o);
    BOOST_TEST(o.find("# traps: 1 candidates, 1 regions proposed") != std::string::npos, o);
    BOOST_TEST(o.find("1 checked (--max-boxes 200, --timeout 0 per claim)") != std::string::npos, o);
}

BOOST_AUTO_TEST_CASE(xor_plateau_is_never_a_certified_trap) {
    // From every finite point of the 2-2-1 sigmoid network on XOR a strictly decreasing path to zero error exists:
    // the search finds a 2/4 plateau against a 4/4 point, proposes a region, and the kernel must not certify it.
    TempDir t;
    const std::string csv = t.write("xor.csv", "-1, -1, 0\n1, 1, 0\n-1, 1, 1\n1, -1, 1\n");
    const fs::path out_dir = t.path / "out";
    std::ostringstream out, err;
    const int rc = run_search(with_quick({"--data", csv, "--inits", "40", "--output", "sigmoid", "--traps", "--out",
                                          out_dir.string(), "--check", NNCERT_BINARY}),
                              out, err);
    BOOST_TEST(rc == 0, err.str());
    const std::string o = out.str();
    BOOST_TEST_REQUIRE(fs::exists(out_dir / "trap-n4-file-0.nnc"), o);
    BOOST_TEST(o.find("trap bad in bad_trap ") != std::string::npos, o);
    BOOST_TEST(o.find("trap bad in bad_trap certified") == std::string::npos, o);
    BOOST_TEST(o.find(": 0 traps certified") != std::string::npos, o);
}

BOOST_AUTO_TEST_CASE(no_bad_plateau_no_script) {
    TempDir t;
    const std::string csv = t.write("sep.csv", "-1, -1, 0\n-1, 1, 0\n1, -1, 1\n1, 1, 1\n0.5, 0.5, 1\n-0.5, 0.5, 0\n");
    const fs::path out_dir = t.path / "out";
    std::ostringstream out, err;
    BOOST_TEST(run_search(with_quick({"--data", csv, "--inits", "40", "--traps", "--out", out_dir.string()}), out,
                          err) == 0);
    const std::string o = out.str();
    BOOST_TEST(o.find("\t0\t-\t0\n") != std::string::npos, o);  // bad_plateau, best_trap_ratio, trap_candidates
    BOOST_TEST(o.find("trap candidate n=") == std::string::npos, o);
    BOOST_TEST(o.find("# traps: 0 candidates, 0 regions proposed") != std::string::npos, o);
    BOOST_TEST(fs::is_empty(out_dir));
}

BOOST_AUTO_TEST_CASE(trap_options_are_checked) {
    const std::vector<std::vector<std::string>> bad = {
        {"--traps"},  // no --points, no --data
        {"--points", "5", "--traps", "--propose-steps", "x"},
        {"--points", "5", "--traps", "--propose-steps", "-1"},
        {"--points", "5", "--traps", "--propose-shrink", "61"},
        {"--points", "5", "--traps", "--propose-starts", "0"},
        {"--points", "5", "--traps", "--propose-grow", "0"},
        {"--points", "5", "--traps", "--propose-grow", "2e6"},
        {"--points", "5", "--check-boxes", "0"},
        {"--points", "5", "--check-timeout", "86401"},
        {"--points", "5", "--check-timeout"},
    };
    for (const auto& args : bad) {
        std::ostringstream out, err;
        BOOST_TEST(run_search(args, out, err) == 4, args.back());
        BOOST_TEST(err.str().find("try 'nncert search --help'") != std::string::npos);
    }
    const std::string help = search_usage();
    for (const char* opt : {"--traps", "--propose-steps", "--propose-shrink", "--propose-starts", "--propose-grow",
                            "--check-boxes", "--check-timeout"})
        BOOST_TEST(help.find(opt) != std::string::npos, opt);
}

BOOST_AUTO_TEST_CASE(a_region_survives_the_pipe) {
    TrapRegion r;
    r.proposed = true;
    r.faces_clear = true;
    r.widened = 3;
    r.loss_after = 1.25L;
    r.note = "descent box: 3 of 9 widened";
    r.block = "region bad_trap {\n  W1 in [-inf, 2]\n}\n";
    const TrapRegion q = deserialise_region(serialise(r));
    BOOST_TEST(q.proposed);
    BOOST_TEST(q.faces_clear);
    BOOST_TEST(q.widened == 3u);
    BOOST_TEST(double(q.loss_after) == 1.25);
    BOOST_TEST(q.note == r.note);
    BOOST_TEST(q.block == r.block);
    BOOST_CHECK_THROW(deserialise_region("1 1 3"), std::exception);
    // Without a region the script keeps the two point claims only.
    Pair pr;
    pr.valid = true;
    pr.bad.correct = 1;
    pr.better.correct = 2;
    pr.better.theta[8] = 0.5L;
    TrapRegion none;
    none.note = "no proposal: stopped";
    const std::string s = write_trap_script(Arch{}, rows({{0, 0, 0}, {100, 0, 1}}), pr, "1e-10", "# t\n", none);
    BOOST_TEST(s.find("# region bad_trap (untrusted, tools::propose_trap): no proposal: stopped\n") != std::string::npos);
    BOOST_TEST(s.find("claim accuracy bad within 1e-10 = 1/2\n") != std::string::npos);
    BOOST_TEST(s.find("claim trap") == std::string::npos);
    BOOST_TEST(s.find("region bad_trap {") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(decimal_below_is_short_and_below) {
    BOOST_TEST(decimal_below(2.1534L, 3) == "2.15");
    BOOST_TEST(decimal_below(2.15L, 3) == "2.14");  // strictly below, even on v's own digits
    BOOST_TEST(decimal_below(0.000123456L, 2) == "0.00012");
    BOOST_TEST(decimal_below(1234.5L, 2) == "1200");
    BOOST_TEST(decimal_below(0, 3) == "0");
    BOOST_TEST(decimal_below(-1, 3) == "0");
}

BOOST_AUTO_TEST_SUITE_END()
