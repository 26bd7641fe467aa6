// Resource limits (docs/limits.md): GMP allocation failures as exceptions, claims isolated under time and
// memory limits, kernel size limits turned into INCONCLUSIVE naming the limit, counts that never wrap.
#include "test_paths.hpp"
#include "kernel/kernel.hpp"
#include "kernel/limits.hpp"
#include "problems.hpp"
#include "process.hpp"
#include "report/json.hpp"
#include "runtime/isolate.hpp"
#include "runtime/memory.hpp"
#include "script/script.hpp"

#include <boost/test/unit_test.hpp>

#include <gmp.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <new>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace fs = std::filesystem;
using namespace nncert;
using kernel::Rational;

namespace {

// A kernel verdict's limit name, or "" when it was not stopped by a limit.
std::string limit_of(const kernel::Verdict& v) {
    if (v.method() != "limit") return "";
    const kernel::Value* l = testing::field(v.evidence(), "limit");
    return l ? std::get<std::string>(l->data) : "?";
}

// `depth` layers of poly(0, 0, 1) (z -> z^2) on input 3: the output is 3^(2^depth).
kernel::Problem squaring_tower(std::size_t depth) {
    kernel::Problem pb;
    pb.net.input_dim = 1;
    for (std::size_t l = 0; l < depth; ++l) pb.net.layers.push_back({1, testing::poly({0, 0, 1})});
    pb.data.push_back({{Rational(3)}, {Rational(1)}});
    return pb;
}

kernel::Point ones(const kernel::Problem& pb) {
    kernel::Point p{"p", kernel::Vector(pb.net.num_params(), Rational(0))};
    for (std::size_t l = 0; l < pb.net.layers.size(); ++l) p.params[pb.net.weight_offset(l)] = 1;
    return p;
}

// A V-shaped minimum that needs every activation pattern: one relu unit (kink line x2 = 0) with `kinks`
// distinct data inputs (i, 0) on its kink, all with positive residuals, and no output bias. The kinked inputs
// (i, 0, 1) span only two dimensions, so the pattern method enumerates all 2^kinks side assignments, each
// with an exact linear program for its KKT multipliers (about 0.1 ms each), and certifies.
std::string many_patterns_script(std::size_t kinks) {
    std::ostringstream s;
    s << "nncert 1\ndata {\n";
    for (std::size_t i = 1; i <= kinks; ++i) s << "  " << i << ", 0 -> " << -static_cast<long>(i % 3 + 1) << "\n";
    s << "}\nnetwork {\n  input 2\n  dense 1 relu\n  dense 1 identity nobias\n}\nloss sse\n"
         "point p { W1 = [[0, 1]] b1 = [0] W2 = [[1]] }\nclaim local_min p\n";
    return s.str();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(resource_limits)

BOOST_AUTO_TEST_CASE(gmp_allocation_past_the_cap_is_an_exception) {
    runtime::set_gmp_cap(std::size_t(1) << 20, runtime::OnExhaustion::throw_bad_alloc);
    bool threw = false;
    {
        mpz_t z;
        mpz_init_set_ui(z, 1);
        try {
            mpz_mul_2exp(z, z, std::size_t(1) << 26);  // 8 MiB of limbs, over the 1 MiB cap
        } catch (const std::bad_alloc&) {
            threw = true;
        }
        mpz_clear(z);
    }
    runtime::set_gmp_cap(0, runtime::OnExhaustion::throw_bad_alloc);
    BOOST_TEST(threw);
    // Below the cap, and after lifting it, GMP works as before.
    kernel::Integer big = kernel::Integer(1) << 100000;
    BOOST_TEST(msb(big) == 100000u);
}

BOOST_AUTO_TEST_CASE(isolated_jobs_report_how_they_ended) {
    using runtime::Isolated;
    const runtime::ResourceLimits generous{30, 0};
    BOOST_TEST((runtime::run_isolated([] { return std::string("result"); }, generous).kind == Isolated::Kind::done));
    BOOST_TEST(runtime::run_isolated([] { return std::string("result"); }, generous).payload == "result");
    const Isolated failed = runtime::run_isolated([]() -> std::string { throw std::runtime_error("boom"); }, generous);
    BOOST_TEST((failed.kind == Isolated::Kind::failed));
    BOOST_TEST(failed.detail == "boom");
    // GMP's own reaction to a failed allocation is abort(): a crash is reported, never lost.
    const Isolated crashed = runtime::run_isolated([]() -> std::string { std::abort(); }, generous);
    BOOST_TEST((crashed.kind == Isolated::Kind::crashed));
    // A job past the time limit is killed.
    const auto start = std::chrono::steady_clock::now();
    const Isolated slow = runtime::run_isolated(
        [] {
            std::this_thread::sleep_for(std::chrono::seconds(30));
            return std::string("late");
        },
        runtime::ResourceLimits{1, 0});
    BOOST_TEST((slow.kind == Isolated::Kind::timeout));
    BOOST_TEST((std::chrono::steady_clock::now() - start < std::chrono::seconds(10)));
    // A job past the memory limit (GMP numbers: counted in every build, sanitizers included) is stopped.
    const Isolated hungry = runtime::run_isolated(
        [] {
            kernel::Integer z = kernel::Integer(1) << (std::size_t(1) << 32);  // 512 MiB
            return std::to_string(msb(z));
        },
        runtime::ResourceLimits{60, 64});
    BOOST_TEST((hungry.kind == Isolated::Kind::memory));
}

// Checking 50,000 claims took over 300 s when every claim forked its own child (a fork copies the page tables
// of the parsed script: quadratic). One child now runs job after job; a job that is stopped, crashes or throws
// ends its child, and a fresh child goes on with the next job. Which process ran each job shows it.
// The kernel's own deadline under `check --timeout S` (Options::deadline): S minus a margin of S/10, at least
// min(1 s, S/2) and at most 10 s, so that a branch and bound reports its bound before the kill at S.
BOOST_AUTO_TEST_CASE(the_kernel_deadline_comes_a_margin_before_the_kill) {
    using std::chrono::milliseconds;
    BOOST_TEST(!runtime::kernel_time_budget(0).has_value());
    const auto ms = [](unsigned s) {
        return std::chrono::duration_cast<milliseconds>(*runtime::kernel_time_budget(s)).count();
    };
    BOOST_TEST(ms(1) == 500);
    BOOST_TEST(ms(2) == 1000);
    BOOST_TEST(ms(5) == 4000);
    BOOST_TEST(ms(20) == 18000);
    BOOST_TEST(ms(600) == 590000);
    BOOST_TEST(ms(86400) == 86390000);
    for (unsigned s = 1; s <= 200; ++s) BOOST_TEST((ms(s) > 0 && ms(s) < 1000LL * s));
}

BOOST_AUTO_TEST_CASE(isolated_job_sequences_share_a_child_until_one_does_not_finish) {
    using runtime::Isolated;
    std::vector<std::pair<Isolated::Kind, std::string>> got;
    runtime::run_isolated_each(
        8,
        [](std::size_t i) -> std::string {
            if (i == 2) throw std::runtime_error("boom");
            if (i == 4) std::this_thread::sleep_for(std::chrono::seconds(30));
            if (i == 5) std::abort();
            if (i == 6) {
                kernel::Integer z = kernel::Integer(1) << (std::size_t(1) << 32);  // 512 MiB of GMP number
                return std::to_string(msb(z));
            }
            return std::to_string(getpid());
        },
        runtime::ResourceLimits{2, 64},
        [&](std::size_t i, Isolated r) {
            BOOST_TEST(i == got.size());
            got.emplace_back(r.kind, r.kind == Isolated::Kind::done ? r.payload : r.detail);
            return true;
        });
    BOOST_TEST_REQUIRE(got.size() == 8u);
    const std::vector<Isolated::Kind> kinds{Isolated::Kind::done,    Isolated::Kind::done,   Isolated::Kind::failed,
                                            Isolated::Kind::done,    Isolated::Kind::timeout, Isolated::Kind::crashed,
                                            Isolated::Kind::memory,  Isolated::Kind::done};
    for (std::size_t i = 0; i < kinds.size(); ++i) BOOST_TEST((got[i].first == kinds[i]), "job " << i);
    BOOST_TEST(got[0].second == got[1].second);              // one child for the first two jobs
    BOOST_TEST(got[0].second != std::to_string(getpid()));   // and not the caller
    BOOST_TEST(got[2].second == "boom");
    BOOST_TEST(got[3].second != got[1].second);              // a new child after the job that threw
    BOOST_TEST(got[7].second != got[3].second);              // and after the stopped and crashed ones
    // done() returning false stops the sequence: no later job runs.
    std::size_t calls = 0;
    runtime::run_isolated_each(
        5, [](std::size_t) { return std::string("x"); }, runtime::ResourceLimits{30, 0},
        [&](std::size_t, Isolated) { return ++calls < 2; });
    BOOST_TEST(calls == 2u);
    // A job that ends its process without a result is reported once, never re-run forever.
    std::vector<Isolated::Kind> quiet;
    runtime::run_isolated_each(
        2, [](std::size_t) -> std::string { _exit(0); }, runtime::ResourceLimits{30, 0},
        [&](std::size_t, Isolated r) {
            quiet.push_back(r.kind);
            return true;
        });
    BOOST_TEST_REQUIRE(quiet.size() == 2u);
    BOOST_TEST((quiet[0] == Isolated::Kind::crashed));
}

BOOST_AUTO_TEST_CASE(composed_poly_layers_stop_at_the_number_size_limit) {
    // 3^(2^30) would need 1.7e9 bits: GMP used to abort() on this. Now: inconclusive, naming the limit.
    const kernel::Problem pb = squaring_tower(30);
    for (kernel::ClaimKind kind : {kernel::ClaimKind::loss, kernel::ClaimKind::critical, kernel::ClaimKind::local_min}) {
        kernel::Claim c;
        c.kind = kind;
        const kernel::Verdict v = kernel::check(pb, {ones(pb)}, c);
        BOOST_TEST((v.outcome() == kernel::Outcome::inconclusive));
        BOOST_TEST(limit_of(v) == "max-number-bits");
    }
    // A small tower is computed exactly as before: 3^(2^4) = 43046721, loss (43046721 - 1)^2.
    const kernel::Problem small = squaring_tower(4);
    kernel::Claim c;
    c.value = Rational(43046720) * Rational(43046720);
    BOOST_TEST((kernel::check(small, {ones(small)}, c).outcome() == kernel::Outcome::certified));
}

BOOST_AUTO_TEST_CASE(hessians_over_the_parameter_limit_are_inconclusive) {
    kernel::Problem pb;
    pb.net.input_dim = kernel::limits::max_hessian_parameters;
    pb.net.layers = {{1, testing::act(kernel::ActivationKind::identity)}};
    pb.data.push_back({kernel::Vector(pb.net.input_dim, Rational(1)), {Rational(0)}});
    kernel::Claim c;
    c.kind = kernel::ClaimKind::hessian_pd;
    const kernel::Verdict v = kernel::check(pb, {ones(pb)}, c);
    BOOST_TEST(limit_of(v) == "max-hessian-parameters");
}

BOOST_AUTO_TEST_CASE(networks_over_the_parameter_limit_are_rejected_before_allocation) {
    // Two layers of 10^6 units: 10^12 parameters. This used to allocate the parameter vector (bad_alloc).
    // The first already has 2 * 10^6 parameters: the error points at it.
    const std::string text =
        "nncert 1\ndata { 3 -> 1 }\nnetwork {\n  input 1\n  dense 1000000 relu\n  dense 1000000 relu\n"
        "  dense 1 identity\n}\nloss sse\npoint p { W1 = [[1]] b1 = [0] W2 = [[1]] b2 = [0] W3 = [[1]] b3 = [0] }\n"
        "claim loss p = 0\n";
    try {
        script::parse_text(text, "big.nnc", ".");
        BOOST_TEST(false, "the script parsed");
    } catch (const script::ParseError& e) {
        BOOST_TEST(e.code == "limit");
        BOOST_TEST(e.loc.line == 5u);
    }
}

BOOST_AUTO_TEST_CASE(counts_never_print_negative) {
    const std::size_t huge = std::numeric_limits<std::size_t>::max();
    const report::Json as_json(huge);
    BOOST_TEST((as_json.is_string() && as_json.as_string() == std::to_string(huge)));
    const kernel::Value v(huge);
    BOOST_TEST((std::get<Rational>(v.data) == Rational(kernel::Integer(huge))));
    // --max-patterns has an upper end (2^29 patterns took 80 minutes; 2^64 - 1 printed as -1).
    const std::string bin = test::shell_quote(NNCERT_BINARY), script = test::shell_quote(
        std::string(NNCERT_SOURCE_DIR) + "/proofs/paper/example1.nnc");
    for (const std::string& bad : {std::to_string(kernel::limits::max_patterns + 1), std::string("18446744073709551615"),
                                   std::string("18446744073709551616")})
        BOOST_TEST(test::run_process(bin + " check --max-patterns " + bad + " " + script).exit == 4);
    BOOST_TEST(test::run_process(bin + " check --timeout x " + script).exit == 4);
    BOOST_TEST(test::run_process(bin + " check --max-memory=-1 " + script).exit == 4);
    const test::ProcessResult ok = test::run_process(bin + " check --json --max-patterns " +
                                                     std::to_string(kernel::limits::max_patterns) +
                                                     " --timeout 0 --max-memory 0 " + script);
    BOOST_TEST(ok.exit == 0);
    const report::Json doc = report::Json::parse(ok.out);
    BOOST_TEST(doc.at("options").at("max_patterns").as_integer() == static_cast<long long>(kernel::limits::max_patterns));
}

BOOST_AUTO_TEST_CASE(a_claim_over_the_time_limit_is_inconclusive_and_the_report_stays_complete) {
    const test::TempDir dir;
    test::write_text(dir / "a-slow.nnc", many_patterns_script(20));
    fs::copy_file(fs::path(NNCERT_SOURCE_DIR) / "proofs/paper/example1.nnc", dir / "b-good.nnc");
    const test::ProcessResult r = test::run_process(test::shell_quote(NNCERT_BINARY) +
                                                    " check --json --timeout 1 --max-patterns 1048576 " +
                                                    test::shell_quote(dir.path().string()));
    BOOST_TEST(r.exit == 3);
    const report::Json doc = report::Json::parse(r.out);
    const auto& scripts = doc.at("scripts").as_array();
    BOOST_TEST_REQUIRE(scripts.size() == 2u);
    const report::Json& slow = scripts[0].at("claims").as_array().at(0);
    BOOST_TEST(slow.at("verdict").as_string() == "inconclusive");
    BOOST_TEST(slow.at("method").as_string() == "limit");
    BOOST_TEST(slow.at("evidence").at("limit").as_string() == "timeout");
    for (const report::Json& c : scripts[1].at("claims").as_array()) BOOST_TEST(c.at("verdict").as_string() == "certified");
    BOOST_TEST(doc.at("options").at("timeout_seconds").as_integer() == 1);
}

// Review r8-12 F9: time was bounded per claim only (2,000 claims of 30 s each ran within --timeout for 17 hours).
// Three slow claims (2^20 activation patterns each, far over 2 s) and a fast one, no per-claim limit, and
// --script-timeout 2: the first is stopped by the script's limit, the others are not run, and the next script is
// checked as usual. The `timeout 120` turns a regression (three unbounded claims) into a failure, not a hang.
BOOST_AUTO_TEST_CASE(the_script_timeout_bounds_all_claims_together) {
    const test::TempDir dir;
    std::string slow = many_patterns_script(20);
    slow += "claim local_min p\nclaim local_min p\nclaim loss p in [0, 1000]\n";
    test::write_text(dir / "a-slow.nnc", slow);
    fs::copy_file(fs::path(NNCERT_SOURCE_DIR) / "proofs/paper/example1.nnc", dir / "b-good.nnc");
    const auto start = std::chrono::steady_clock::now();
    const test::ProcessResult r = test::run_process(
        "timeout 120 " + test::shell_quote(NNCERT_BINARY) + " check --json --timeout 0 --script-timeout 2 " +
        "--max-patterns 1048576 " + test::shell_quote(dir.path().string()));
    BOOST_TEST(r.exit == 3, r.out << r.err);
    BOOST_TEST((std::chrono::steady_clock::now() - start < std::chrono::seconds(60)));
    const report::Json doc = report::Json::parse(r.out);
    BOOST_TEST(doc.at("options").at("script_timeout_seconds").as_integer() == 2);
    const auto& scripts = doc.at("scripts").as_array();
    BOOST_TEST_REQUIRE(scripts.size() == 2u);
    const auto& claims = scripts[0].at("claims").as_array();
    BOOST_TEST_REQUIRE(claims.size() == 4u);
    for (std::size_t i = 0; i < claims.size(); ++i) {
        BOOST_TEST(claims[i].at("verdict").as_string() == "inconclusive");
        BOOST_TEST(claims[i].at("method").as_string() == "limit");
        BOOST_TEST(claims[i].at("evidence").at("limit").as_string() == "script-timeout");
        const std::string reason = claims[i].at("reason").as_string();
        BOOST_TEST(reason.find(i == 0 ? "stopped by the time limit of 2 s per script (--script-timeout)"
                                      : "not checked: the time limit of 2 s per script (--script-timeout) ran out") !=
                       std::string::npos,
                   reason);
    }
    for (const report::Json& c : scripts[1].at("claims").as_array()) BOOST_TEST(c.at("verdict").as_string() == "certified");
    // Out of range: a usage error.
    BOOST_TEST(test::run_process(test::shell_quote(NNCERT_BINARY) + " check --script-timeout 86401 " +
                                 test::shell_quote((dir / "b-good.nnc").string()))
                   .exit == 4);
}

// A tanh network of 3 * units + 1 parameters and three data points, at a point far from critical.
std::string tanh_script(std::size_t units) {
    std::ostringstream s;
    s << "nncert 1\ndata {\n  1 -> 1\n  2 -> 0\n  -1 -> 1\n}\nnetwork {\n  input 1\n  dense " << units
      << " tanh\n  dense 1 identity\n}\nloss sse\npoint p {\n  W1 = [";
    // 20 values a line: a number across column 160 is `layout` (the view rule, review r8-10 F6).
    const auto sep = [](std::size_t j) { return j == 0 ? "" : j % 20 ? ", " : ",\n    "; };
    for (std::size_t j = 0; j < units; ++j) s << sep(j) << "[" << (j % 5 + 1) << "/7]";
    s << "]\n  b1 = [";
    for (std::size_t j = 0; j < units; ++j) s << sep(j) << "0." << j % 9;
    s << "]\n  W2 = [[";
    for (std::size_t j = 0; j < units; ++j) s << sep(j) << "0.1";
    s << "]]\n  b2 = [0]\n}\nclaim critical p within 1e-10\n";
    return s.str();
}

BOOST_AUTO_TEST_CASE(refine_stops_at_its_memory_limit_with_a_message) {
    // 9,001 parameters: the float Hessian of the damped Newton steps alone is 648 MB. (--max-memory is at least
    // 256 MiB, as for check: the script is read under it too, in the parent process.)
    const test::TempDir dir;
    test::write_text(dir / "net.nnc", tanh_script(3000));
    const test::ProcessResult r = test::run_process(test::shell_quote(NNCERT_BINARY) + " refine " +
                                                    test::shell_quote((dir / "net.nnc").string()) +
                                                    " --point p --max-memory 256 --timeout 20 --max-steps 2");
    // Under AddressSanitizer the address-space cap is off (runtime::limit_address_space) and refine's float
    // Hessians are not GMP memory: nothing stops it there, so only the release build can show the cap.
    if (nncert::runtime::address_space_limit_works()) {
        BOOST_TEST(r.exit == 3);
        BOOST_TEST(r.err.find("memory cap (--max-memory 256 MiB)") != std::string::npos, r.err);
    }
    BOOST_TEST(test::run_process(test::shell_quote(NNCERT_BINARY) + " refine " +
                                 test::shell_quote((dir / "net.nnc").string()) + " --point p --timeout x")
                   .exit == 4);
}

BOOST_AUTO_TEST_CASE(construct_and_search_refuse_absurd_sizes_before_allocating) {
    const test::TempDir dir;
    test::write_text(dir / "d.csv", "0, 0\n1, 1\n2, 0\n");
    const std::string bin = test::shell_quote(NNCERT_BINARY);
    // 10^6 x 10^6 parameters per layer, 10^6 layers: used to allocate everything up front.
    const test::ProcessResult c = test::run_process(bin + " construct dead-layer --data " +
                                                    test::shell_quote((dir / "d.csv").string()) +
                                                    " --depth 1000000 --widths 1000000");
    BOOST_TEST(c.exit != 0);
    BOOST_TEST(c.err.find("over the limit") != std::string::npos, c.err);
    // 99 point counts x 6 families x 10^7 datasets: 6e9 work units.
    const test::ProcessResult s = test::run_process(bin + " search --points 2-100 --datasets 10000000");
    BOOST_TEST(s.exit == 4);
    BOOST_TEST(s.err.find("over the limit") != std::string::npos, s.err);
    BOOST_TEST(test::run_process(bin + " search --points 4 --inits 10000000").exit == 4);
}

BOOST_AUTO_TEST_SUITE_END()
