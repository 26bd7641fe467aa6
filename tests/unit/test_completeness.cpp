// The cheap completeness gaps of issue 8 (scripts in tests/scripts/completeness/), and their soundness
// guards: `C` and `C within 0` never get opposite verdicts; softplus enclosures contain the true value.
#include "test_paths.hpp"
#include "kernel/interval/activation.hpp"
#include "kernel/interval/precision.hpp"
#include "kernel/kernel.hpp"
#include "script/script.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using namespace nncert;
using kernel::Interval;
using kernel::Outcome;
using kernel::Rational;

namespace {

bool opposite(Outcome a, Outcome b) {
    return (a == Outcome::certified && b == Outcome::refuted) || (a == Outcome::refuted && b == Outcome::certified);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(completeness)

BOOST_AUTO_TEST_CASE(a_claim_and_the_same_claim_within_0_never_disagree) {
    std::size_t compared = 0, decided_both = 0;
    for (const char* folder : {"proofs", "tests/scripts/completeness", "tests/scripts/mutants"}) {
        for (const auto& entry : fs::recursive_directory_iterator(fs::path(NNCERT_SOURCE_DIR) / folder)) {
            if (entry.path().extension() != ".nnc") continue;
            std::ifstream in(entry.path(), std::ios::binary);
            std::ostringstream text;
            text << in.rdbuf();
            script::Script s;
            try {
                s = script::parse_text(text.str(), entry.path().string(), entry.path().parent_path().string());
            } catch (const script::ParseError&) {
                continue;
            }
            if (!s.problem.is_exact()) continue;
            for (const script::ClaimEntry& c : s.claims) {
                if (c.claim.radius || c.claim.lower || c.claim.upper || !c.claim.along.empty()) continue;  // `along`: no box form
                if (c.claim.kind == kernel::ClaimKind::barrier || c.claim.kind == kernel::ClaimKind::monotone) continue;
                kernel::Claim boxed = c.claim;
                boxed.radius = Rational(0);
                if (c.claim.kind == kernel::ClaimKind::loss) boxed.lower = boxed.upper = c.claim.value;  // `= q` as [q, q]
                const Outcome a = kernel::check(s.problem, s.points, c.claim).outcome();
                const Outcome b = kernel::check(s.problem, s.points, boxed).outcome();
                BOOST_TEST(!opposite(a, b), entry.path().string() << ": " << c.text);
                ++compared;
                decided_both += a != Outcome::inconclusive && b != Outcome::inconclusive;
            }
        }
    }
    BOOST_TEST(compared > 50u);
    BOOST_TEST(decided_both > 40u);
}

BOOST_AUTO_TEST_CASE(softplus_enclosures_contain_the_value_and_never_overflow) {
    kernel::PrecisionScope scope(128);
    const kernel::Activation sp{kernel::ActivationKind::softplus, Rational(0), {}};
    // softplus(t) lies in [max(t, 0), max(t, 0) + log 2]; check the enclosure is finite and consistent with that.
    for (const char* t : {"1e300", "-1e300", "0", "1", "-1", "1e-300", "1e10", "-1e10"}) {
        const Rational q = script::parse_number(t);
        const Interval e = kernel::activate(sp, Interval(q), 0);
        BOOST_TEST(e.is_bounded(), t);
        const Rational base = q > 0 ? q : Rational(0);
        const Rational slack = base / Rational(kernel::Integer(1) << 100) + Rational(1, 1000000);  // rounding
        BOOST_TEST(kernel::certainly_at_least(e, base - slack), t);
        BOOST_TEST(kernel::certainly_at_most(e, base + Rational(7, 10) + slack), t);  // log 2 < 0.7
    }
    // Over an interval: [softplus(a), softplus(b)], and a point's enclosure lies inside the interval's.
    const Interval wide = kernel::activate(sp, Interval::hull(Rational(-5), script::parse_number("1e300")), 0);
    const Interval one = kernel::activate(sp, Interval(Rational(1)), 0);
    BOOST_TEST(!wide.is_nan());
    BOOST_TEST(kernel::certainly_at_least(one, wide.lower()));
    BOOST_TEST(kernel::certainly_positive(wide));
}

BOOST_AUTO_TEST_SUITE_END()
