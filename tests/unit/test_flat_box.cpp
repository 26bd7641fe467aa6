// Morse-Bott over a box (morse-bott-slice) and critical-manifold refutations: the gallery's Yun et al. and
// Fukumizu-Amari points certify; points moved off their valleys, saddles on the same lines and families that
// leave the box must not.
#include "test_paths.hpp"
#include "kernel/kernel.hpp"
#include "script/script.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

using namespace nncert::kernel;
using nncert::script::parse_file;
using nncert::script::Script;

namespace {

const std::string gallery = std::string(NNCERT_SOURCE_DIR) + "/proofs/gallery/";

Verdict box_claim(const Script& s, std::size_t point, ClaimKind kind, const Rational& r, bool negated = false) {
    Claim c;
    c.kind = kind;
    c.point = point;
    c.radius = r;
    c.negated = negated;
    return check(s.problem, s.points, c);
}

std::size_t index_of(const Script& s, const std::string& name) {
    for (std::size_t i = 0; i < s.points.size(); ++i)
        if (s.points[i].name == name) return i;
    throw std::invalid_argument("no point " + name);
}

std::size_t param(const Network& net, const std::string& name) {
    for (std::size_t k = 0; k < net.num_params(); ++k)
        if (net.param_name(k) == name) return k;
    throw std::invalid_argument("no parameter " + name);
}

const Rational micro(1, 1000000);

}  // namespace

BOOST_AUTO_TEST_SUITE(flat_box)

BOOST_AUTO_TEST_CASE(yun_theorem2_minimum_certifies_and_its_neighbours_do_not) {
    Script s = parse_file(gallery + "yun-sra-jadbabaie-theorem2-sigmoid.nnc");
    const std::size_t hat = index_of(s, "hat");
    const Verdict v = box_claim(s, hat, ClaimKind::local_min, Rational(1, 1000000));
    BOOST_TEST((v.outcome() == Outcome::certified));
    BOOST_TEST(v.method() == "morse-bott-slice");
    // The output bias 1e-6 off the valley, with a box of 1e-7 that no longer reaches the valley.
    Script off = s;
    off.points[hat].params[param(s.problem.net, "b2[1]")] += micro;
    BOOST_TEST((box_claim(off, hat, ClaimKind::local_min, Rational(1, 10000000)).outcome() != Outcome::certified));
    // A first-layer weight 1e-6 off: the layer is no longer constant on the data (not this family's centre).
    Script tilted = s;
    tilted.points[hat].params[param(s.problem.net, "W1[1,1]")] += micro;
    BOOST_TEST((box_claim(tilted, hat, ClaimKind::local_min, Rational(1, 10000000)).outcome() != Outcome::certified));
}

BOOST_AUTO_TEST_CASE(yun_construction_with_the_wrong_curvature_is_a_saddle_not_a_minimum) {
    // u_j sigmoid''(v_j) < 0 (v_j > 0): the Hessian across the manifold has negative curvature; the
    // constant network is a saddle and the slice test must fail.
    Script s = parse_file(gallery + "yun-sra-jadbabaie-theorem2-sigmoid.nnc");
    const std::size_t hat = index_of(s, "hat");
    Vector& p = s.points[hat].params;
    p[param(s.problem.net, "b1[1]")] = 1;
    p[param(s.problem.net, "b1[2]")] = 2;
    // 1/3 - sigmoid(1) - sigmoid(2), to 36 digits.
    p[param(s.problem.net, "b2[1]")] =
        Rational(Integer("-127852232327455398997755504979089974"), Integer("100000000000000000000000000000000000"));
    BOOST_TEST((box_claim(s, hat, ClaimKind::local_min, Rational(1, 1000000)).outcome() != Outcome::certified));
}

BOOST_AUTO_TEST_CASE(correlated_labels_leave_the_constant_network_non_critical) {
    Script s = parse_file(gallery + "yun-sra-jadbabaie-theorem2-sigmoid.nnc");
    s.problem.data[0].y[0] = Rational(1, 10);  // sum_i (y_i - ybar) x_i != 0
    const std::size_t hat = index_of(s, "hat");
    BOOST_TEST((box_claim(s, hat, ClaimKind::local_min, Rational(1, 1000000)).outcome() != Outcome::certified));
    // Whatever decides strictness here, it is not a family of critical points (there is none).
    BOOST_TEST(box_claim(s, hat, ClaimKind::strict_local_min, Rational(1, 1000000)).method() != "critical-manifold");
}

BOOST_AUTO_TEST_CASE(fukumizu_amari_line_certifies_inside_and_not_outside_the_unit_interval) {
    Script s = parse_file(gallery + "fukumizu-amari-duplicated-tanh.nnc");
    const std::size_t half = index_of(s, "half");
    const Verdict v = box_claim(s, half, ClaimKind::local_min, Rational(1, 10000000000LL));
    BOOST_TEST((v.outcome() == Outcome::certified));
    BOOST_TEST(v.method() == "morse-bott-slice");
    // Not strict, and more than one critical point in the box: refuted by the line itself.
    const Verdict strict = box_claim(s, half, ClaimKind::strict_local_min, Rational(1, 10000000000LL));
    BOOST_TEST((strict.outcome() == Outcome::refuted));
    BOOST_TEST(strict.method() == "critical-manifold");
    // lambda = 2 (outgoing weights 2 v*, -v*): the same line, but lambda (1 - lambda) < 0 turns the positive
    // definite A into negative curvature: a saddle, never a certified minimum.
    Script saddle = s;
    Vector& p = saddle.points[half].params;
    const std::size_t va = param(s.problem.net, "W2[1,1]"), vb = param(s.problem.net, "W2[1,2]");
    const Rational vstar = p[va] + p[vb];
    p[va] = 2 * vstar;
    p[vb] = -vstar;
    BOOST_TEST((box_claim(saddle, half, ClaimKind::local_min, Rational(1, 10000000000LL)).outcome() !=
                Outcome::certified));
    // The copies 1e-6 apart: no longer duplicates, no family, nothing certified.
    Script apart = s;
    apart.points[half].params[param(s.problem.net, "W1[2,1]")] += micro;
    BOOST_TEST((box_claim(apart, half, ClaimKind::local_min, Rational(1, 10000000000LL)).outcome() !=
                Outcome::certified));
    BOOST_TEST(box_claim(apart, half, ClaimKind::strict_local_min, Rational(1, 10000000000LL)).method() !=
               "critical-manifold");
}

BOOST_AUTO_TEST_CASE(a_line_through_the_wrong_critical_point_is_not_a_manifold_in_the_box) {
    // The reduced point moved 1e-6: the duplicated point is 1e-6 from the line, and a box of 1e-8 misses it.
    Script s = parse_file(gallery + "fukumizu-amari-duplicated-tanh.nnc");
    const std::size_t half = index_of(s, "half");
    for (const char* name : {"b1[1]", "b1[2]"}) s.points[half].params[param(s.problem.net, name)] += micro;
    BOOST_TEST((box_claim(s, half, ClaimKind::local_min, Rational(1, 100000000)).outcome() != Outcome::certified));
    BOOST_TEST(box_claim(s, half, ClaimKind::critical, Rational(1, 100000000)).method() != "critical-manifold");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(flat_box_refusals)

BOOST_AUTO_TEST_CASE(weight_decay_breaks_both_families) {
    for (const char* file : {"fukumizu-amari-duplicated-tanh.nnc", "yun-sra-jadbabaie-theorem2-sigmoid.nnc"}) {
        Script s = parse_file(gallery + file);
        s.problem.weight_decay = Rational(1, 1000);
        const std::size_t p = 0;
        BOOST_TEST(box_claim(s, p, ClaimKind::local_min, Rational(1, 10000000000LL)).method() != "morse-bott-slice");
        BOOST_TEST(box_claim(s, p, ClaimKind::strict_local_min, Rational(1, 10000000000LL)).method() !=
                   "critical-manifold");
    }
}

BOOST_AUTO_TEST_SUITE_END()
