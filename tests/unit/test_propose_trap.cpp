// `nncert propose-trap`: the untrusted proposer's regions go back into the script and the kernel decides them;
// a proposal around a strict minimum is certified, one on XOR's plateau is never certified.
#include "test_paths.hpp"
#include "process.hpp"

#include <boost/test/unit_test.hpp>

#include <regex>

namespace t = nncert::test;

namespace {

// The script without its claims, then the proposal for `point` (its region and trap claim).
std::string with_proposal(const std::string& script, const std::string& point, const std::string& options,
                          int& exit_code) {
    const std::string root = NNCERT_SOURCE_DIR;
    const auto run = t::run_process(t::nncert_binary() + " propose-trap " + t::shell_quote(root + "/" + script) +
                                    " --point " + point + " " + options);
    exit_code = run.exit;
    const std::string text = t::read_text(root + "/" + script);
    return std::regex_replace(text, std::regex("\nclaim [^\n]*"), "") + "\n" + run.out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(propose_trap)

BOOST_AUTO_TEST_CASE(a_proposal_around_a_strict_minimum_is_certified) {
    int code = -1;
    const std::string text = with_proposal("proofs/traps/one-unit.nnc", "bad", "", code);
    BOOST_TEST(code == 0);
    BOOST_TEST(text.find("region bad_trap {") != std::string::npos);
    const t::TempDir dir;
    t::write_text(dir / "p.nnc", text);
    const auto check = t::run_process(t::nncert_binary() + " check " + t::shell_quote((dir / "p.nnc").string()));
    BOOST_TEST(check.exit == 0, check.out);
    BOOST_TEST(check.out.find("CERTIFIED     trap bad in bad_trap") != std::string::npos, check.out);
}

BOOST_AUTO_TEST_CASE(the_local_box_of_a_trained_minimum_is_a_small_cube_and_certified) {
    // A refined minimum: |grad L| ~ 1e-19 in long double, so the cube is at the floor (1e-15 of the weights' scale)
    // times the factor, written with two significant digits, and the kernel certifies it (strong convexity).
    int code = -1;
    const std::string text = with_proposal("proofs/traps/trained-tanh231.nnc", "trained", "", code);
    BOOST_TEST(code == 0);
    std::smatch m;
    BOOST_REQUIRE(std::regex_search(text, m, std::regex("region trained_trap \\{\n  around trained radius ([0-9.]+e-[0-9]+)\n\\}")));
    const double r = std::stod(m[1].str());
    BOOST_TEST(r > 1e-15);
    BOOST_TEST(r < 1e-12);
    const t::TempDir dir;
    t::write_text(dir / "p.nnc", text + "claim local_min trained in trained_trap\n");
    const auto check = t::run_process(t::nncert_binary() + " check " + t::shell_quote((dir / "p.nnc").string()));
    BOOST_TEST(check.exit == 0, check.out);
    BOOST_TEST(check.out.find("CERTIFIED     trap trained in trained_trap") != std::string::npos, check.out);
    BOOST_TEST(check.out.find("CERTIFIED     local_min trained in trained_trap") != std::string::npos, check.out);
}

BOOST_AUTO_TEST_CASE(a_larger_factor_gives_a_proportionally_larger_cube) {
    const std::string root = NNCERT_SOURCE_DIR;
    auto radius = [&](const std::string& options) {
        const auto run = t::run_process(t::nncert_binary() + " propose-trap " +
                                        t::shell_quote(root + "/proofs/traps/one-unit.nnc") + " --point bad " + options);
        BOOST_TEST(run.exit == 0, run.err);
        std::smatch m;
        BOOST_REQUIRE(std::regex_search(run.out, m, std::regex("around bad radius ([0-9.e-]+)")));
        return std::stod(m[1].str());
    };
    const double small = radius("--local"), large = radius("--local --factor 400");
    BOOST_TEST(large / small > 90);
    BOOST_TEST(large / small < 110);
}

BOOST_AUTO_TEST_CASE(descent_boxes_keep_their_width_after_rounding) {
    // --radius selects the descent box; a radius of 1e-6 must not be rounded to 4 decimals (that would make every
    // range 1e-4 wide): each end has enough decimals for its range.
    int code = -1;
    const std::string text = with_proposal("proofs/traps/one-unit.nnc", "bad", "--radius 1e-6 --shrink 0", code);
    BOOST_TEST(code == 0);
    const std::regex range("in \\[(-?[0-9.]+), (-?[0-9.]+)\\]");
    int ranges = 0;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), range); it != std::sregex_iterator(); ++it, ++ranges) {
        const double lo = std::stod((*it)[1].str()), hi = std::stod((*it)[2].str());
        BOOST_TEST(hi - lo > 2e-6 * 0.999);
        BOOST_TEST(hi - lo < 2e-6 * 1.05);
    }
    BOOST_TEST(ranges == 2);
    const t::TempDir dir;
    t::write_text(dir / "p.nnc", text);
    const auto check = t::run_process(t::nncert_binary() + " check " + t::shell_quote((dir / "p.nnc").string()));
    BOOST_TEST(check.out.find("CERTIFIED     trap bad in bad_trap") != std::string::npos, check.out);
}

BOOST_AUTO_TEST_CASE(local_mode_refuses_a_point_where_the_hessian_is_not_positive_definite) {
    const std::string root = NNCERT_SOURCE_DIR;
    const auto run = t::run_process(t::nncert_binary() + " propose-trap " +
                                    t::shell_quote(root + "/tests/scripts/traps/xor-never-trapped.nnc") +
                                    " --point saturated --local");
    BOOST_TEST(run.exit == 3);
    BOOST_TEST(run.out.empty(), run.out);
    BOOST_TEST(run.err.find("no local box") != std::string::npos, run.err);
}

BOOST_AUTO_TEST_CASE(a_proposal_on_the_xor_plateau_is_flagged_and_never_certified) {
    int code = -1;
    const std::string text = with_proposal("tests/scripts/traps/xor-never-trapped.nnc", "saturated", "--steps 3000", code);
    BOOST_TEST(code == 3);  // the float estimate already sees a face below L(P)
    const t::TempDir dir;
    t::write_text(dir / "p.nnc", text);
    const auto check = t::run_process(t::nncert_binary() + " check " + t::shell_quote((dir / "p.nnc").string()));
    BOOST_TEST(check.out.find("trap saturated in saturated_trap") != std::string::npos, check.out);
    BOOST_TEST(check.out.find("CERTIFIED     trap saturated") == std::string::npos, check.out);
}

BOOST_AUTO_TEST_CASE(usage_errors_are_one_line_and_exit_4) {
    const std::string root = NNCERT_SOURCE_DIR;
    const std::string script = t::shell_quote(root + "/proofs/traps/one-unit.nnc");
    for (const std::string& args : {script, script + " --point nowhere", script + " --point bad --radius -1",
                                    script + " --point bad --steps x", std::string("--point bad"),
                                    script + " --point bad --local --radius 1", script + " --point bad --descent --local",
                                    script + " --point bad --factor 1/2"}) {
        const auto r = t::run_process(t::nncert_binary() + " propose-trap " + args);
        BOOST_TEST(r.exit == 4, args);
        BOOST_TEST(r.err.find("nncert propose-trap: ") == 0, r.err);
        BOOST_TEST(r.out.empty());
    }
    // The region's name must read back as a name (script::identifier_problem): a given one at once, the default
    // P_trap once P is found (a 64-letter P makes it 69 letters, past the name limit).
    const auto spaced = t::run_process(t::nncert_binary() + " propose-trap " + script + " --point bad --name 'a b'");
    BOOST_TEST(spaced.exit == 4, spaced.err);
    BOOST_TEST(spaced.err.find("--name 'a b' is no region name") != std::string::npos, spaced.err);
    const t::TempDir dir;
    const std::string long_point(64, 'p');
    t::write_text(dir / "long.nnc", std::regex_replace(t::read_text(root + "/proofs/traps/one-unit.nnc"),
                                                       std::regex("\\bbad\\b"), long_point));
    const std::string long_script = t::shell_quote((dir / "long.nnc").string());
    const auto defaulted = t::run_process(t::nncert_binary() + " propose-trap " + long_script + " --point " + long_point);
    BOOST_TEST(defaulted.exit == 4, defaulted.err);
    BOOST_TEST(defaulted.err.find("give one with --name") != std::string::npos, defaulted.err);
    BOOST_TEST(defaulted.out.empty());
    const auto renamed =
        t::run_process(t::nncert_binary() + " propose-trap " + long_script + " --point " + long_point + " --name r");
    BOOST_TEST(renamed.exit == 0, renamed.err);
    BOOST_TEST(renamed.out.find("region r {") != std::string::npos, renamed.out);
    const auto help = t::run_process(t::nncert_binary() + " propose-trap --help");
    BOOST_TEST(help.exit == 0);
    BOOST_TEST(help.out.find("usage: nncert propose-trap") == 0);
}

BOOST_AUTO_TEST_SUITE_END()
