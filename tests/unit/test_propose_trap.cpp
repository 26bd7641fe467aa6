// `nncert propose-trap`: the untrusted proposer's regions go back into the script and the kernel decides them;
// a proposal around a strict minimum is certified, one on XOR's plateau is never certified.
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
                                    script + " --point bad --steps x", std::string("--point bad")}) {
        const auto r = t::run_process(t::nncert_binary() + " propose-trap " + args);
        BOOST_TEST(r.exit == 4, args);
        BOOST_TEST(r.err.find("nncert propose-trap: ") == 0, r.err);
        BOOST_TEST(r.out.empty());
    }
    const auto help = t::run_process(t::nncert_binary() + " propose-trap --help");
    BOOST_TEST(help.exit == 0);
    BOOST_TEST(help.out.find("usage: nncert propose-trap") == 0);
}

BOOST_AUTO_TEST_SUITE_END()
