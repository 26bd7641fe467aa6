// Saturation and wide boxes (issue 8, item 8): interval endpoints near MPFR's exponent limit are read as
// exact rationals only on the grid 2^-E, rounded outward, so reports and exact steps stay small and sound.
#include "test_paths.hpp"
#include "kernel/interval/interval.hpp"
#include "kernel/interval/loss_bound.hpp"
#include "kernel/interval/precision.hpp"
#include "kernel/limits.hpp"
#include "process.hpp"
#include "report/json.hpp"

#include <boost/test/unit_test.hpp>

#include <mpfr.h>

#include <algorithm>
#include <random>
#include <regex>
#include <string>

using namespace nncert;
using kernel::Integer;
using kernel::Interval;
using kernel::Rational;

namespace {

int cmp(mpfr_srcptr x, const Rational& q) { return mpfr_cmp_q(x, q.backend().data()); }

const Rational grid_step = Rational(1) / Rational(Integer(1) << kernel::limits::endpoint_exponent);

// Sigmoid units saturated at |w x| = 1e8 (3 GB for a 216-byte script before), and the same with a box of
// radius 1e8 around a moderate point.
std::string saturated_script(const std::string& weight, const std::string& radius) {
    return "nncert 1\ndata {\n  1 -> 1\n  -1 -> 0\n}\nnetwork {\n  input 1\n  dense 1 sigmoid\n}\nloss sse\n"
           "point p { W1 = [[" + weight + "]] b1 = [0] }\n"
           "claim loss p within " + radius + " in [0, 2]\nclaim critical p within " + radius +
           "\nclaim hessian_pd p within " + radius + "\nclaim strict_local_min p within " + radius +
           "\nclaim gap p within " + radius + " > p\n";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(saturation)

BOOST_AUTO_TEST_CASE(grid_rounding_is_outward_and_exact_for_ordinary_numbers) {
    std::mt19937_64 rng(8);
    mpfr_t x;
    mpfr_init2(x, 200);
    for (int k = 0; k < 2000; ++k) {
        // Mantissas of 200 random bits, exponents from far below the grid to near its top.
        mpfr_set_ui(x, 0, MPFR_RNDN);
        for (int w = 0; w < 4; ++w) {
            mpfr_mul_2ui(x, x, 50, MPFR_RNDN);
            mpfr_add_ui(x, x, rng() >> 14, MPFR_RNDN);
        }
        const long e = static_cast<long>(rng() % 12000) - 8000;
        mpfr_mul_2si(x, x, e - 200, MPFR_RNDN);
        if (rng() & 1) mpfr_neg(x, x, MPFR_RNDN);
        if (!kernel::within_grid_range(x)) {
            BOOST_TEST(mpfr_get_exp(x) > kernel::limits::endpoint_exponent);
            continue;
        }
        const Rational lo = kernel::grid_floor(x), hi = kernel::grid_ceil(x);
        BOOST_TEST(cmp(x, lo) >= 0);
        BOOST_TEST(cmp(x, hi) <= 0);
        BOOST_TEST((hi - lo <= grid_step));
        BOOST_TEST(denominator(lo) <= denominator(grid_step));
        // An ordinary number (its last bit at or above the grid) comes out exactly.
        if (mpfr_get_exp(x) - 200 >= -kernel::limits::endpoint_exponent) BOOST_TEST((lo == hi));
    }
    mpfr_clear(x);
}

// grid_floor and grid_ceil return an on-grid x (its last bit at or above 2^-E) directly, without the scaled MPFR
// temporary: on random values at several precisions, on and off the grid (and on it only through trailing zero bits),
// both agree with the general MPFR path and with the exact floor and ceiling of x 2^E over 2^E.
BOOST_AUTO_TEST_CASE(grid_fast_path_agrees_with_the_mpfr_path) {
    std::mt19937_64 rng(9);
    const long E = kernel::limits::endpoint_exponent;
    int on_grid = 0, off_grid = 0;
    for (const mpfr_prec_t prec : {mpfr_prec_t(2), mpfr_prec_t(53), mpfr_prec_t(128), mpfr_prec_t(300)}) {
        mpfr_t x;
        mpfr_init2(x, prec);
        for (int k = 0; k < 1500; ++k) {
            mpfr_set_ui(x, 0, MPFR_RNDN);
            for (mpfr_prec_t w = 0; w < prec; w += 50) {
                mpfr_mul_2ui(x, x, 50, MPFR_RNDN);
                mpfr_add_ui(x, x, rng() >> 14, MPFR_RNDN);
            }
            // Every third value keeps only a few leading bits (trailing zeros at full precision).
            if (k % 3 == 0) {
                mpfr_prec_round(x, 3, MPFR_RNDN);
                mpfr_prec_round(x, prec, MPFR_RNDN);
            }
            // Exponents around the grid's last bit, and far on either side of it (below 2^E in magnitude).
            const long around = static_cast<long>(rng() % 2 ? rng() % 600 : rng() % 9000) - 300;
            mpfr_set_exp(x, std::min<long>(E, -E + around + (k % 2 ? prec : 0)));
            if (rng() & 1) mpfr_neg(x, x, MPFR_RNDN);
            if (mpfr_zero_p(x) || !kernel::within_grid_range(x)) continue;
            const Rational lo = kernel::grid_floor(x), hi = kernel::grid_ceil(x);
            BOOST_TEST((lo == kernel::grid_by_mpfr(x, MPFR_RNDD)));
            BOOST_TEST((hi == kernel::grid_by_mpfr(x, MPFR_RNDU)));
            // The reference: x exactly, scaled by 2^E, floor and ceiling as integers.
            const Rational scaled = kernel::exact_rational(x) * Rational(Integer(1) << E);
            Integer f = numerator(scaled) / denominator(scaled);  // truncates towards 0
            if (f * denominator(scaled) > numerator(scaled)) f -= 1;
            const Integer c = f * denominator(scaled) == numerator(scaled) ? f : Integer(f + 1);
            BOOST_TEST((lo == Rational(f) * grid_step));
            BOOST_TEST((hi == Rational(c) * grid_step));
            (lo == hi ? on_grid : off_grid) += 1;
        }
        mpfr_clear(x);
    }
    BOOST_TEST(on_grid > 1000);
    BOOST_TEST(off_grid > 1000);
}

BOOST_AUTO_TEST_CASE(saturated_enclosures_give_short_rationals) {
    kernel::PrecisionScope scope(128);
    // e^-1e8 = 2^-144269504...: its exact endpoints would be a 18 MB rational; on the grid it is [0, 2^-E].
    const Interval tiny = exp(Interval(Rational(-100000000)));
    BOOST_TEST(tiny.is_bounded());
    BOOST_TEST((tiny.lower() == 0));
    BOOST_TEST((tiny.upper() == grid_step));
    BOOST_TEST(kernel::bit_size(kernel::midpoint(tiny)) <= 2u * kernel::limits::endpoint_exponent + 2);
    // e^1e8 is finite in MPFR but far beyond 2^E: treated as unbounded, never converted.
    const Interval huge = exp(Interval(Rational(100000000)));
    BOOST_TEST(!huge.is_bounded());
    BOOST_CHECK_THROW(huge.lower(), std::domain_error);
    // Ordinary enclosures are unchanged: [1/3] at 128 bits is read exactly.
    const Interval third = Interval(Rational(1, 3));
    BOOST_TEST(cmp(third.lo(), third.lower()) == 0);
    BOOST_TEST(cmp(third.hi(), third.upper()) == 0);
}

BOOST_AUTO_TEST_CASE(saturated_scripts_give_short_reports) {
    const test::TempDir dir;
    test::write_text(dir / "a-saturated.nnc", saturated_script("100000000", "1"));
    test::write_text(dir / "b-wide-box.nnc", saturated_script("1", "100000000"));
    test::write_text(dir / "c-both.nnc", saturated_script("1e300", "1e300"));
    const test::ProcessResult r =
        test::run_process(test::shell_quote(NNCERT_BINARY) + " check --json " + test::shell_quote(dir.path().string()));
    BOOST_TEST(r.exit == 3);
    // 174 MB of JSON for one claim before; now each report is a few kilobytes.
    BOOST_TEST(r.out.size() < 60000u);
    const report::Json doc = report::Json::parse(r.out);
    for (const report::Json& s : doc.at("scripts").as_array()) {
        BOOST_TEST_CONTEXT(s.at("file").as_string()) {
            const auto& claims = s.at("claims").as_array();
            BOOST_TEST_REQUIRE(claims.size() == 5u);
            // The loss of a sigmoid unit on two points is always in [0, 2]: certified however saturated.
            BOOST_TEST(claims[0].at("verdict").as_string() == "certified");
            // A box is never better than its own centre: never certified.
            BOOST_TEST(claims[4].at("verdict").as_string() != "certified");
            for (const report::Json& c : claims) BOOST_TEST(c.at("method").as_string() != "limit");
        }
    }
}

BOOST_AUTO_TEST_CASE(precision_is_limited) {
    BOOST_CHECK_THROW(kernel::PrecisionScope(kernel::limits::max_precision_bits + 1), std::invalid_argument);
    kernel::PrecisionScope top(kernel::limits::max_precision_bits);
    BOOST_TEST(kernel::PrecisionScope::current() == static_cast<mpfr_prec_t>(kernel::limits::max_precision_bits));
    const std::string script = std::string(NNCERT_SOURCE_DIR) + "/proofs/smooth/sigmoid-min.nnc";
    const test::ProcessResult r =
        test::run_process(test::shell_quote(NNCERT_BINARY) + " check --precision 16385 " + test::shell_quote(script));
    BOOST_TEST(r.exit == 4);
}

// A loss at a point beyond the grid's range (finite, above 2^4096) is not a precision problem: the reason says so
// instead of "raise the precision" (review 15, F3: mse + l2 with a weight of 2^3000, a loss near 10^1800).
BOOST_AUTO_TEST_CASE(a_loss_beyond_the_grid_is_not_blamed_on_the_precision) {
    kernel::PrecisionScope scope(128);
    kernel::Problem pb;
    pb.net.input_dim = 1;
    kernel::Activation tanh_unit;
    tanh_unit.kind = kernel::ActivationKind::tanh;
    kernel::Activation identity;
    pb.net.layers = {{1, tanh_unit}, {1, identity}};
    pb.data = {{{Rational(1)}, {Rational(0)}}};
    pb.loss = kernel::LossKind::sse;
    pb.weight_decay = Rational(1, 1000);
    kernel::Vector theta = {Rational(Integer(1) << 3000), Rational(0), Rational(1), Rational(0)};
    BOOST_TEST(!kernel::loss_at(pb, theta).has_value());
    const std::string huge = kernel::unenclosed_loss_reason(pb, theta, "A");
    BOOST_TEST(huge.find("beyond 2^4096") != std::string::npos, huge);
    BOOST_TEST(huge.find("raise the precision") == std::string::npos, huge);
    theta[0] = Rational(Integer(1) << 2000);  // 2^4000 / 1000: within the grid's range, enclosed
    BOOST_TEST(kernel::loss_at(pb, theta).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
