// Verdict-only differential test over whole folders: the mutants, the interval tests and every proof through
// the binary with each engine forced; assumes the binary's JSON report (docs/report.schema.json).
#include "engine_comparison.hpp"

#include <boost/test/unit_test.hpp>

// The same mutants and proofs as MPFI, through the binary: with `--engine ball` every claim's verdict agrees
// with `--engine mpfi` or is inconclusive, and the proofs still certify with the ball engine alone wherever
// it applies. A verdict-only test over whole folders, like the scripts.* tests: scripts/test.sh runs it through
// the release binary ($NNCERT_CHECK_BINARY; under the sanitizers it took minutes, the mutants with the MPFI
// engine most), `ctest` in any one build through that build's binary.
BOOST_AUTO_TEST_SUITE(ball_engine_scripts)

BOOST_AUTO_TEST_CASE(mutants_and_proofs_through_the_ball_engine_alone) {
    BOOST_TEST(nncert::test::compare_engines_through_the_binary(nncert::test::checked_binary(),
                                                  {"tests/scripts/mutants", "tests/scripts/interval", "proofs"}) >= 20);
}

BOOST_AUTO_TEST_SUITE_END()
