// Non-strict minima and degenerate saddles (issue 11): the linear relaxation at any depth, descent curves of
// order three and higher, flat curves against strictness; with the points each method must NOT certify.
#include "hints/descent_curves.hpp"
#include "hints/flat_curves.hpp"
#include "kernel/exact.hpp"
#include "kernel/kernel.hpp"
#include "kernel/nonsmooth.hpp"
#include "kernel/ray.hpp"
#include "problems.hpp"

#include <boost/test/unit_test.hpp>

#include <random>

using namespace nncert::kernel;
using namespace nncert::testing;

namespace {

Verdict run(const Problem& pb, const Vector& p, ClaimKind k, Curve along = {}) {
    Claim c;
    c.kind = k;
    c.along = std::move(along);
    return check(pb, {{"p", p}}, c);
}

// Issue 11's first example: 2-2-2-1 relu network, kink-free, every unit active on every data point.
Problem deep_relu() {
    Problem pb;
    pb.net.input_dim = 1;
    pb.net.layers = {{2, act(ActivationKind::relu)}, {2, act(ActivationKind::relu)}, {1, act(ActivationKind::identity)}};
    for (auto [x, y] : std::vector<std::pair<int, int>>{{-1, 1}, {0, 0}, {1, 1}}) pb.data.push_back({{x}, {y}});
    return pb;
}
// W1 = [[1], [1]], b1 = [3, 3], W2 = [[1, -1], [1, 1]], b2 = [1, 0], W3 = [[2/3, 0]], b3 = [0].
Vector deep_relu_point() { return {1, 1, 3, 3, 1, -1, 1, 1, 1, 0, Rational(2, 3), 0, 0}; }

// A chain of `depth` scalar identity layers (deep linear network 1-1-...-1) on 1-D data.
Problem chain(std::size_t depth, std::vector<std::pair<int, int>> data) {
    Problem pb;
    pb.net.input_dim = 1;
    for (std::size_t l = 0; l < depth; ++l) pb.net.layers.push_back({1, act(ActivationKind::identity)});
    for (auto [x, y] : data) pb.data.push_back({{x}, {y}});
    return pb;
}

const std::vector<std::pair<int, int>> correlated = {{1, 1}, {-1, -1}, {2, 3}, {-2, -3}};  // sum x y = 14, sum y = 0
const std::vector<std::pair<int, int>> uncorrelated = {{1, 1}, {-1, 1}, {0, -2}};       // sum x y = 0, sum y = 0

Vector shifted(Vector p, std::size_t k, const Rational& by) {
    p[k] += by;
    return p;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(flat_methods)

BOOST_AUTO_TEST_CASE(issue_example_deep_relu_is_a_local_min_by_linear_relaxation) {
    const Problem pb = deep_relu();
    const Vector p = deep_relu_point();
    BOOST_TEST(loss(pb, p) == Rational(2, 3));
    const Verdict v = run(pb, p, ClaimKind::local_min);
    BOOST_TEST((v.outcome() == Outcome::certified));
    BOOST_TEST(v.method() == "linear-relaxation");
    // Never strict: a relu network's minima lie on rescaling curves.
    BOOST_TEST((run(pb, p, ClaimKind::strict_local_min).outcome() == Outcome::refuted));
}

BOOST_AUTO_TEST_CASE(points_moved_1e_6_off_the_valley_are_not_certified) {
    const Problem pb = deep_relu();
    const Vector p = deep_relu_point();
    const Rational eps(1, 1000000);
    for (std::size_t k = 0; k < p.size(); ++k) {
        const Vector q = shifted(p, k, eps);
        // Some moves stay in the valley (e.g. along a rescaling curve to first order they do not, but moving
        // W3[1,2] from 0 changes the output): whatever the method, a certificate must mean L >= L(q) nearby,
        // which a nonzero gradient forbids.
        const Vector g = gradient(pb, q);
        bool critical = true;
        for (const Rational& x : g) critical = critical && is_zero(x);
        const Verdict v = run(pb, q, ClaimKind::local_min);
        if (!critical) {
            BOOST_TEST((v.outcome() == Outcome::refuted), "parameter " << k);
        } else {
            BOOST_TEST((v.outcome() != Outcome::refuted), "parameter " << k);
        }
    }
}

BOOST_AUTO_TEST_CASE(certified_points_have_no_lower_neighbour) {
    // Soundness spot check: around the certified points, random rational perturbations never lower the loss.
    std::mt19937 gen(11);
    std::uniform_int_distribution<int> step(-1000, 1000);
    struct Case {
        Problem pb;
        Vector p;
    };
    std::vector<Case> cases = {{deep_relu(), deep_relu_point()}, {chain(3, uncorrelated), Vector(6)}};
    for (const Case& c : cases) {
        BOOST_REQUIRE((run(c.pb, c.p, ClaimKind::local_min).outcome() == Outcome::certified));
        const Rational l0 = loss(c.pb, c.p);
        for (int trial = 0; trial < 200; ++trial) {
            Vector q = c.p;
            for (Rational& x : q) x += Rational(step(gen), 1000000);
            BOOST_TEST(loss(c.pb, q) >= l0);
        }
    }
}

BOOST_AUTO_TEST_CASE(issue_example_deep_linear_saddle_of_order_three) {
    const Problem pb = chain(3, correlated);
    const Vector o(6);
    BOOST_TEST((run(pb, o, ClaimKind::critical).outcome() == Outcome::certified));
    const Verdict v = run(pb, o, ClaimKind::local_min);
    BOOST_TEST((v.outcome() == Outcome::refuted));
    BOOST_TEST(v.method() == "higher-order");
    const Value* ray = field(v.evidence(), "descent_ray");
    BOOST_REQUIRE(ray != nullptr);
    BOOST_TEST(std::get<long long>(field(*ray, "order")->data) == 3);
    BOOST_TEST(field(*ray, "step") != nullptr);  // a concrete rational step of lower loss
}

BOOST_AUTO_TEST_CASE(saddles_of_every_order_are_refuted_never_certified) {
    // At the origin of a depth-D scalar linear chain the loss falls like -t^D along W_l = t: the Hessian is
    // positive semidefinite (D >= 3), every lower-order test passes, and only the order-D curve decides.
    for (std::size_t depth = 3; depth <= 6; ++depth) {
        const Problem pb = chain(depth, correlated);
        const Vector o(2 * depth);
        const Verdict v = run(pb, o, ClaimKind::local_min);
        BOOST_TEST((v.outcome() == Outcome::refuted), "depth " << depth);
        BOOST_TEST(v.method() == "higher-order", "depth " << depth);
        if (const Value* ray = field(v.evidence(), "descent_ray"))
            BOOST_TEST(std::get<long long>(field(*ray, "order")->data) == static_cast<long long>(depth));
        BOOST_TEST((run(pb, o, ClaimKind::strict_local_min).outcome() != Outcome::certified));
    }
}

BOOST_AUTO_TEST_CASE(degenerate_minimum_of_a_deep_linear_chain_is_certified_and_its_shift_is_not) {
    // With sum x y = 0 and sum y = 0 the origin is a (degenerate, non-strict) minimum: the best affine fit is 0.
    for (std::size_t depth = 2; depth <= 4; ++depth) {
        const Problem pb = chain(depth, uncorrelated);
        const Vector o(2 * depth);
        const Verdict v = run(pb, o, ClaimKind::local_min);
        BOOST_TEST((v.outcome() == Outcome::certified), "depth " << depth);
        // One hidden layer: the activation-pattern method comes first and agrees.
        BOOST_TEST(v.method() == (depth == 2 ? "activation-patterns" : "linear-relaxation"));
        // The output bias 1e-6 off: a nonzero gradient, refuted.
        const Verdict off = run(pb, shifted(o, 2 * depth - 1, Rational(1, 1000000)), ClaimKind::local_min);
        BOOST_TEST((off.outcome() == Outcome::refuted), "depth " << depth);
    }
}

BOOST_AUTO_TEST_CASE(linear_relaxation_fails_at_a_saddle_and_refuses_weight_decay) {
    const Problem pb = chain(3, correlated);
    const RelaxationResult r = check_relaxation(pb, Vector(6));
    BOOST_TEST((r.kind == RelaxationResult::Kind::fails));
    Problem decayed = chain(3, uncorrelated);
    decayed.weight_decay = Rational(1, 100);
    BOOST_TEST((check_relaxation(decayed, Vector(6)).kind == RelaxationResult::Kind::not_applicable));
}

// f(x) = v relu(w x), bias-free, at w = 0: every data point sits on the kink.
Problem bias_free_unit(std::vector<std::pair<int, int>> data) {
    Problem pb;
    pb.net.input_dim = 1;
    pb.net.layers = {{1, act(ActivationKind::relu)}, {1, act(ActivationKind::identity)}};
    pb.net.layers[0].bias = pb.net.layers[1].bias = false;
    for (auto [x, y] : data) pb.data.push_back({{x}, {y}});
    return pb;
}

BOOST_AUTO_TEST_CASE(kink_pairs_with_proportional_pre_activations_share_their_sign) {
    // x = 1 and x = 2 see z = w and z = 2 w: near P both are on or both off, so f(2) = 2 f(1) and
    // L = (a - 2)^2 + (2a + 1)^2 = 5 a^2 + 5 with a = f(1): a minimum. With independent kink signs the
    // relaxation would admit f(1) != 0 = f(2) and fail; with shared signs it certifies.
    const Problem pb = bias_free_unit({{1, 2}, {2, -1}});
    const Vector p = {0, 1};
    const RelaxationResult r = check_relaxation(pb, p);
    BOOST_TEST((r.kind == RelaxationResult::Kind::holds));
    BOOST_TEST(std::get<long long>(field(r.evidence, "kink_sign_variables")->data) == 1);
    // Targets not in the ratio -2 : 1: the residual is no longer orthogonal, and the point is a saddle
    // (a descends along the sign that lowers the loss), refuted, never certified.
    const Problem off = bias_free_unit({{1, 2}, {2, 1}});
    BOOST_TEST((check_relaxation(off, p).kind == RelaxationResult::Kind::fails));
    BOOST_TEST((run(off, p, ClaimKind::local_min).outcome() == Outcome::refuted));
}

BOOST_AUTO_TEST_CASE(opposite_kink_signs_are_complementary_whichever_comes_first) {
    // x = -1 comes first: its pre-activation -w has a negative leading coefficient, and x = 1 sees +w, the
    // opposite sign. Targets 1, 1 at outputs 0: moving w either way switches one unit on and lowers that
    // point's error to first order, so this is a saddle. Treating the two kink pairs as switching together
    // would cancel the residuals and certify it: the relaxation must fail and the claim must not be certified.
    const Problem pb = bias_free_unit({{-1, 1}, {1, 1}});
    const Vector p = {0, 1};
    BOOST_TEST((check_relaxation(pb, p).kind == RelaxationResult::Kind::fails));
    BOOST_TEST((run(pb, p, ClaimKind::local_min).outcome() != Outcome::certified));
    const Rational eps(1, 1000);
    BOOST_TEST(loss(pb, {eps, 1}) < loss(pb, p));  // the descent the certificate must not hide
}

BOOST_AUTO_TEST_CASE(a_v_shaped_minimum_is_beyond_the_relaxation_and_not_refuted) {
    // x = 1 and x = -1 see z = w and z = -w (exactly one is on near P); targets -1, -1 at outputs 0:
    // L = (v |w| + 1)^2 + 1 >= 2 = L(P). A minimum by first-order growth at a kink, which no polynomial
    // identity expresses: the relaxation fails, and the answer must not be a refutation.
    const Problem pb = bias_free_unit({{1, -1}, {-1, -1}});
    const Vector p = {0, 1};
    BOOST_TEST((check_relaxation(pb, p).kind == RelaxationResult::Kind::fails));
    BOOST_TEST((run(pb, p, ClaimKind::local_min).outcome() != Outcome::refuted));
}

BOOST_AUTO_TEST_CASE(hinted_curves_refute_only_when_the_loss_falls) {
    const Problem pb = chain(3, correlated);
    const Vector o(6);
    Vector d(6);
    d[0] = d[2] = d[4] = 1;  // W1 = W2 = W3 = t
    const Verdict v = run(pb, o, ClaimKind::local_min, {d});
    BOOST_TEST((v.outcome() == Outcome::refuted));
    BOOST_TEST(v.method() == "hinted-curve");
    // A hint along which the loss rises is only a hint: the certified minimum stays certified.
    const Problem ok = deep_relu();
    Vector up(13);
    up[12] = 1;  // the output bias
    const Verdict w = run(ok, deep_relu_point(), ClaimKind::local_min, {up});
    BOOST_TEST((w.outcome() == Outcome::certified));
    // A curve t d1 + t^2 d2 is expanded exactly: with d1 = 0 it is the ray along d2 at order 2 t -> t^2.
    const Series s = loss_along_curve(pb, o, {Vector(6), d});
    BOOST_TEST(s.at(6) == Rational(-28));
}

BOOST_AUTO_TEST_CASE(flat_lines_refute_strictness_and_need_exact_symmetry) {
    // A duplicated tanh-free unit: two identity units with equal incoming weights (one hidden layer).
    Problem pb = one_hidden(2, act(ActivationKind::relu), {{1, 2}, {2, 3}, {3, 5}});
    // W1 = [[1], [1]], b1 = [1, 1], W2 = [[1, 1]], b2 = [0]: the units are duplicates.
    const Vector dup = {1, 1, 1, 1, 1, 1, 0};
    const Verdict v = run(pb, dup, ClaimKind::strict_local_min);
    BOOST_TEST((v.outcome() == Outcome::refuted));  // by rescaling or by the duplicate line
    const auto lines = nncert::hints::propose_flat_lines(pb.net, dup, 16);
    BOOST_REQUIRE(!lines.empty());
    BOOST_TEST(flat_curve_witness(pb, dup, {lines.front().direction}).has_value());
    // 1e-6 apart, the units are no longer duplicates: that line changes the loss and must be rejected.
    const Vector apart = shifted(dup, 0, Rational(1, 1000000));
    BOOST_TEST(!flat_curve_witness(pb, apart, {lines.front().direction}).has_value());

    // GL(2) of an identity hidden layer (no rescaling curve applies to... identity units do rescale, so use
    // the nilpotent line directly): W -> (I + tE) W, next W -> next W (I - tE) keeps the product.
    Problem lin = one_hidden(2, act(ActivationKind::identity), {{1, 2}, {2, 3}, {3, 5}});
    const Vector q = {1, 2, 0, 1, 3, -1, 0};
    bool nilpotent_found = false;
    for (const auto& line : nncert::hints::propose_flat_lines(lin.net, q, 16))
        if (line.why.find("E = e_") != std::string::npos) {
            nilpotent_found = true;
            BOOST_TEST(flat_curve_witness(lin, q, {line.direction}).has_value());
        }
    BOOST_TEST(nilpotent_found);
    // A constant curve proves nothing.
    BOOST_TEST(!flat_curve_witness(lin, q, {Vector(7)}).has_value());
}

// A linear autoencoder 2-1-2 without biases (Baldi & Hornik) on data with covariance diag(8 a, 2 b).
Problem autoencoder(int a, int b) {
    Problem pb;
    pb.net.input_dim = 2;
    pb.net.layers = {{1, act(ActivationKind::identity)}, {2, act(ActivationKind::identity)}};
    pb.net.layers[0].bias = pb.net.layers[1].bias = false;
    for (auto [x1, x2] : std::vector<std::pair<int, int>>{{2 * a, 0}, {-2 * a, 0}, {0, b}, {0, -b}})
        pb.data.push_back({{x1, x2}, {x1, x2}});
    return pb;
}

BOOST_AUTO_TEST_CASE(symmetry_orbit_certifies_the_pca_minimum_of_a_bottleneck) {
    // The global minimum projects on the first principal axis; its Hessian is singular only along the GL(1)
    // orbit (W1 -> a W1, W2 -> W2 / a). The linear relaxation cannot see it (products of rank-1 factors span
    // every matrix); the symmetry-orbit method can.
    const Problem pb = autoencoder(1, 1);
    const Vector pca = {1, 0, 1, 0}, scaled = {3, 0, Rational(1, 3), 0};
    BOOST_TEST((check_relaxation(pb, pca).kind == RelaxationResult::Kind::fails));
    for (const Vector& p : {pca, scaled}) {
        const Verdict v = run(pb, p, ClaimKind::local_min);
        BOOST_TEST((v.outcome() == Outcome::certified));
        BOOST_TEST(v.method() == "symmetry-orbit");
        BOOST_TEST(std::get<long long>(field(v.evidence(), "orbit_dimension")->data) == 1);
    }
    // The minor axis is a saddle (negative curvature): refuted, never certified.
    BOOST_TEST((run(pb, {0, 1, 0, 1}, ClaimKind::local_min).outcome() == Outcome::refuted));
    // 1e-6 off the valley: not critical, refuted.
    BOOST_TEST((run(pb, {1, Rational(1, 1000000), 1, 0}, ClaimKind::local_min).outcome() == Outcome::refuted));
}

BOOST_AUTO_TEST_CASE(symmetry_orbit_does_not_certify_flat_directions_beyond_the_symmetries) {
    // Equal variances: every unit vector is a principal axis, so the minima form a circle times the GL(1)
    // orbit and the Hessian has a flat direction no symmetry explains. The method must decline (the point
    // is a minimum, so nothing may refute it either).
    const Problem pb = autoencoder(1, 2);  // covariance diag(8, 8)
    const Vector p = {1, 0, 1, 0};
    Matrix h = hessian(pb, p);
    const OrbitResult r = check_symmetry_orbit(pb, p, h, nullptr);
    BOOST_TEST((r.kind == OrbitResult::Kind::fails));
    BOOST_TEST((run(pb, p, ClaimKind::local_min).outcome() != Outcome::refuted));
    // Weight decay breaks the symmetry: the method refuses.
    Problem decayed = autoencoder(1, 1);
    decayed.weight_decay = Rational(1, 100);
    BOOST_TEST((check_symmetry_orbit(decayed, {1, 0, 1, 0}, hessian(decayed, {1, 0, 1, 0}), nullptr).kind ==
                OrbitResult::Kind::not_applicable));
}

BOOST_AUTO_TEST_CASE(proposer_finds_a_parabola_when_every_ray_rises) {
    // L(x, y) = y^2 - 3 x^2 y + 2 x^4 = (y - x^2)(y - 2 x^2): every line through 0 rises, the parabola
    // y = 3/2 x^2 falls like -t^4/4. The proposer sees only the Hessian and this expansion oracle.
    const Matrix h = {{0, 0}, {0, 2}};
    auto along = [](const nncert::hints::Curve& c) {
        // x(t), y(t) as coefficient vectors (constant term 0), then L by polynomial arithmetic.
        Series x, y;
        x.c.assign(c.size() + 1, Rational(0));
        y.c.assign(c.size() + 1, Rational(0));
        for (std::size_t k = 0; k < c.size(); ++k) {
            x.c[k + 1] = c[k][0];
            y.c[k + 1] = c[k][1];
        }
        x.trim();
        y.trim();
        const Series x2 = x * x;
        const Series l = y * y - Series(3) * x2 * y + Series(2) * x2 * x2;
        return l.c;
    };
    const auto curves = nncert::hints::propose_descent_curves(h, along, 4);
    BOOST_REQUIRE(!curves.empty());
    const Vector s = along(curves.front());
    std::size_t lead = 1;
    while (lead < s.size() && is_zero(s[lead])) ++lead;
    BOOST_REQUIRE(lead < s.size());
    BOOST_TEST(s[lead] < 0);
    BOOST_TEST(lead == 4u);
    BOOST_TEST(curves.front().size() == 2u);  // a genuine curve, not a ray
}

BOOST_AUTO_TEST_CASE(null_space_basis_spans_the_kernel) {
    const Matrix m = {{1, 2, 3}, {2, 4, 6}, {0, 0, 0}};
    const auto basis = nncert::hints::null_space_basis(m);
    BOOST_TEST(basis.size() == 2u);
    for (const Vector& v : basis)
        for (const Vector& row : m) {
            Rational s = 0;
            for (std::size_t i = 0; i < 3; ++i) s += row[i] * v[i];
            BOOST_TEST(is_zero(s));
        }
}

BOOST_AUTO_TEST_SUITE_END()
