// Adversarial soundness guards for the interval engine and the Cholesky certificate: boxes whose worst
// point is a corner (a kink touched, a tie at a threshold, a singular Hessian, a critical point on the
// boundary), extreme activation arguments, zero centres that tempt known_zero shortcuts, and tampered hints.
// Each test builds a case where a subtly wrong implementation would certify a false claim.
#include "hints/cholesky.hpp"
#include "kernel/activation.hpp"
#include "kernel/exact.hpp"
#include "kernel/definiteness.hpp"
#include "kernel/interval/activation.hpp"
#include "kernel/interval/box_definiteness.hpp"
#include "kernel/interval/enclose.hpp"
#include "kernel/kernel.hpp"
#include "kernel/pd_certificate.hpp"
#include "problems.hpp"
#include "test_interval_support.hpp"

#include <boost/test/unit_test.hpp>

#include <random>

using namespace nncert::kernel;
using namespace nncert::testing;

namespace {

Rational pow10_neg(unsigned k) { return Rational(Integer(1), boost::multiprecision::pow(Integer(10), k)); }

Rational rpow(const Rational& q, unsigned k) {
    Rational out = 1;
    for (unsigned i = 0; i < k; ++i) out *= q;
    return out;
}

Claim claim_of(ClaimKind k, std::optional<Rational> r, std::size_t p = 0) {
    Claim c;
    c.kind = k;
    c.point = p;
    c.radius = std::move(r);
    return c;
}

Outcome run(const Problem& pb, const std::vector<Point>& pts, const Claim& c, unsigned bits = 128) {
    Options o;
    o.precision_bits = bits;
    return check(pb, pts, c, o).outcome();
}

Claim negated(Claim c) {
    c.negated = true;
    return c;
}

const std::vector<unsigned> kPrecisions = {8, 53, 128, 1000};

// L(w, b) = b^6 + (w + b)^6: one cubic unit f = (w x + b)^3 on data (0, 0) and (1, 0), sse. In the
// coordinates u = b, v = w + b the Hessian is diag(30 u^4, 30 v^4): singular exactly where b = 0.
Problem sixth_powers() {
    Problem pb;
    pb.net.input_dim = 1;
    pb.net.layers = {{1, poly({0, 0, 0, 1})}};
    pb.data = {{{0}, {0}}, {{1}, {0}}};
    return pb;
}

// Linear regression f = w x + b on (0, 0), (1, 1), (2, 1): the unique critical point is (1/2, 1/6).
Problem line_fit() {
    Problem pb;
    pb.net.input_dim = 1;
    pb.net.layers = {{1, act(ActivationKind::identity)}};
    pb.data = {{{0}, {0}}, {{1}, {1}}, {{2}, {1}}};
    return pb;
}

Interval unbounded() {
    Interval x;
    mpfr_set_inf(&x.raw()->left, -1);
    mpfr_set_inf(&x.raw()->right, 1);
    return x;
}

// Stable 2000-bit references for extreme arguments (no cancellation in 1 - s or 1 - t^2).
Ref ref_smooth(const std::string& f, const Rational& q, int order) {
    Ref z(q), a, e, r, one;
    mpfr_set_ui(one.v, 1, MPFR_RNDN);
    mpfr_abs(a.v, z.v, MPFR_RNDN);
    const bool tanh_like = f == "tanh";
    if (tanh_like) mpfr_mul_2ui(a.v, a.v, 1, MPFR_RNDN);  // 2|z|
    mpfr_neg(e.v, a.v, MPFR_RNDN);
    mpfr_exp(e.v, e.v, MPFR_RNDN);  // e^{-|z|} (sigmoid) or e^{-2|z|} (tanh)
    Ref den;
    mpfr_add_ui(den.v, e.v, 1, MPFR_RNDN);
    if (f == "softplus" && order == 0) {  // max(z, 0) + log1p(e^{-|z|})
        mpfr_log1p(r.v, e.v, MPFR_RNDN);
        if (mpfr_sgn(z.v) > 0) mpfr_add(r.v, r.v, z.v, MPFR_RNDN);
        return r;
    }
    const std::string g = f == "softplus" ? "sigmoid" : f;
    const int k = f == "softplus" ? order - 1 : order;
    if (g == "sigmoid") {
        Ref s;  // sigmoid(z) = 1/(1 + e^{-z})
        mpfr_neg(s.v, z.v, MPFR_RNDN);
        mpfr_exp(s.v, s.v, MPFR_RNDN);
        mpfr_add_ui(s.v, s.v, 1, MPFR_RNDN);
        mpfr_ui_div(s.v, 1, s.v, MPFR_RNDN);
        if (k == 0) return s;
        Ref d;  // e^{-|z|} / (1 + e^{-|z|})^2
        mpfr_sqr(d.v, den.v, MPFR_RNDN);
        mpfr_div(d.v, e.v, d.v, MPFR_RNDN);
        if (k == 1) return d;
        Ref t;  // s'' = s' (1 - 2 s)
        mpfr_mul_2ui(t.v, s.v, 1, MPFR_RNDN);
        mpfr_ui_sub(t.v, 1, t.v, MPFR_RNDN);
        mpfr_mul(r.v, d.v, t.v, MPFR_RNDN);
        return r;
    }
    Ref t;  // tanh
    mpfr_tanh(t.v, z.v, MPFR_RNDN);
    if (k == 0) return t;
    Ref d;  // 4 e^{-2|z|} / (1 + e^{-2|z|})^2
    mpfr_sqr(d.v, den.v, MPFR_RNDN);
    mpfr_div(d.v, e.v, d.v, MPFR_RNDN);
    mpfr_mul_2ui(d.v, d.v, 2, MPFR_RNDN);
    if (k == 1) return d;
    mpfr_mul(r.v, t.v, d.v, MPFR_RNDN);
    mpfr_mul_si(r.v, r.v, -2, MPFR_RNDN);
    return r;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(soundness_audit)

// box_around must contain the exact rational box [c - r, c + r] at every precision, including the
// coarsest one (8 bits), for non-dyadic centres, huge and tiny magnitudes.
BOOST_AUTO_TEST_CASE(box_encloses_the_exact_box_at_every_precision) {
    const Vector centre = {Rational(1, 3), Rational(-2, 7), Rational(Integer(1) << 300) / 3, pow10_neg(400),
                           -rpow(Rational(10), 400) / 7, Rational(0)};
    for (unsigned bits : kPrecisions) {
        PrecisionScope scope(bits);
        for (const Rational& r : {Rational(0), pow10_neg(450), Rational(1, 10), Rational(5)}) {
            const IVector box = box_around(centre, r);
            for (std::size_t i = 0; i < centre.size(); ++i) {
                BOOST_TEST(box[i].lower() <= centre[i] - r);
                BOOST_TEST(box[i].upper() >= centre[i] + r);
            }
            const IVector pt = point_box(centre);
            for (std::size_t i = 0; i < centre.size(); ++i) BOOST_TEST(contains(pt[i], centre[i]));
        }
    }
}

// Intervals that merely touch 0 at an end are not certainly signed; NaN never decides anything.
BOOST_AUTO_TEST_CASE(touching_and_nan_intervals_are_never_certain) {
    PrecisionScope scope(64);
    const Interval up = Interval::hull(0, 1), down = Interval::hull(-1, 0), zero;
    BOOST_TEST(!certainly_positive(up));
    BOOST_TEST(!certainly_negative(down));
    BOOST_TEST(contains_zero(up));
    BOOST_TEST(contains_zero(down));
    BOOST_TEST(contains_zero(zero));
    BOOST_TEST(!certainly_greater(up, 0));
    BOOST_TEST(!certainly_less(down, 0));
    BOOST_TEST(certainly_at_least(up, 0));
    BOOST_TEST(!subset_of_interior(up, 0, 2));
    BOOST_TEST(!disjoint_from(up, -1, 0));
    Interval negzero;  // [-0, +0] is still the point 0
    mpfr_set_zero(&negzero.raw()->left, -1);
    BOOST_TEST(contains_zero(negzero));
    BOOST_TEST(!certainly_positive(negzero));
    BOOST_TEST(!certainly_negative(negzero));
    const Interval nan = Interval() / Interval();
    BOOST_TEST(nan.is_nan());
    BOOST_TEST(contains_zero(nan));
    BOOST_TEST(!certainly_at_least(nan, -1000));
    BOOST_TEST(!certainly_at_most(nan, 1000));
    BOOST_TEST(!certainly_less(nan, Interval(Rational(1000))));
    BOOST_TEST(!certainly_less(Interval(Rational(-1000)), nan));
    BOOST_TEST(!subset_of_interior(nan, -1000, 1000));
    // Derivatives of kinked units on NaN input are refused like a straddled kink.
    BOOST_CHECK_THROW(activate(act(ActivationKind::relu), nan, 1), KinkStraddled);
}

// A check leaves no precision behind, even when it throws.
BOOST_AUTO_TEST_CASE(precision_scopes_do_not_leak_out_of_checks) {
    const Problem pb = line_fit();
    const std::vector<Point> pts = {{"P", {Rational(1, 2), Rational(1, 6)}}};
    BOOST_TEST((run(pb, pts, claim_of(ClaimKind::critical, Rational(1, 100)), 64) == Outcome::certified));
    BOOST_CHECK_THROW(PrecisionScope::current(), std::logic_error);
    Claim bad = claim_of(ClaimKind::loss, Rational(1));  // a loss box claim without a range: malformed
    BOOST_CHECK_THROW(check(pb, pts, bad, {}), std::invalid_argument);
    BOOST_CHECK_THROW(PrecisionScope::current(), std::logic_error);
    {
        PrecisionScope outer(77);
        try {
            PrecisionScope inner(300);
            throw std::runtime_error("unwind");
        } catch (const std::runtime_error&) {
        }
        BOOST_TEST(PrecisionScope::current() == 77);
        BOOST_TEST(Interval(Rational(1, 3)).precision() == 77);
    }
    BOOST_CHECK_THROW(PrecisionScope::current(), std::logic_error);
}

// relu and leaky_relu (any slope, even negative or above 1): derivatives over an input interval that
// touches 0 at one end are refused; values over straddling intervals still enclose.
BOOST_AUTO_TEST_CASE(kinked_units_refuse_derivatives_on_touching_intervals) {
    PrecisionScope scope(8);
    std::vector<Activation> kinked = {act(ActivationKind::relu)};
    for (const Rational& alpha : {Rational(0), Rational(-1, 2), Rational(3), Rational(1, 3)}) {
        Activation a = act(ActivationKind::leaky_relu);
        a.alpha = alpha;
        kinked.push_back(a);
    }
    const Rational tiny = pow10_neg(300);
    for (const Activation& a : kinked) {
        for (const Interval& z : {Interval::hull(0, 1), Interval::hull(-1, 0), Interval(), Interval::hull(-tiny, tiny),
                                  Interval::hull(0, tiny), unbounded()}) {
            BOOST_CHECK_THROW(activate(a, z, 1), KinkStraddled);
            BOOST_CHECK_THROW(activate(a, z, 2), KinkStraddled);
        }
        std::mt19937_64 g(3);
        for (const auto& [lo, hi] : {std::pair<Rational, Rational>{Rational(-7, 3), Rational(5, 11)},
                                     {Rational(-1, 3), Rational(0)}, {Rational(0), Rational(2, 3)}, {-tiny, tiny}}) {
            const Interval v = activate(a, Interval::hull(lo, hi), 0);
            for (int k = 0; k < 20; ++k) {
                const Rational q = random_in(g, lo, hi);
                BOOST_TEST(contains(v, activate(a, q, 0)));
            }
            BOOST_TEST(contains(v, activate(a, lo, 0)));
            BOOST_TEST(contains(v, activate(a, hi, 0)));
        }
    }
}

// Smooth activations and their first two derivatives at extreme and degenerate arguments, at 8 and 128
// bits, against cancellation-free 2000-bit references.
BOOST_AUTO_TEST_CASE(smooth_activation_enclosures_at_extreme_arguments) {
    const std::vector<std::pair<std::string, ActivationKind>> kinds = {
        {"sigmoid", ActivationKind::sigmoid}, {"tanh", ActivationKind::tanh}, {"softplus", ActivationKind::softplus}};
    const Rational big = 1000000;
    const std::vector<std::pair<Rational, Rational>> boxes = {
        {0, 0}, {-pow10_neg(30), pow10_neg(30)}, {0, pow10_neg(30)}, {-50000, 50000}, {big, big + 1},
        {-big - 1, -big}, {Rational(-1, 3), Rational(1, 7)}, {Rational(700), Rational(700)}, {-40, Rational(-39)}};
    std::mt19937_64 g(11);
    for (const auto& [name, kind] : kinds)
        for (int order = 0; order <= 2; ++order)
            for (unsigned bits : {8u, 128u}) {
                PrecisionScope scope(bits);
                for (const auto& [lo, hi] : boxes) {
                    const Interval e = activate(act(kind), Interval::hull(lo, hi), order);
                    std::vector<Rational> qs = {lo, hi, (lo + hi) / 2};
                    for (int k = 0; k < 3; ++k) qs.push_back(random_in(g, lo, hi));
                    for (const Rational& q : qs) {
                        const bool ok = encloses(e, ref_smooth(name, q, order));
                        BOOST_TEST(ok, name << " order " << order << " at " << bits << " bits, z = " << q);
                    }
                }
            }
}

// Over the whole line and over astronomically large arguments (beyond MPFR's exponent range for e^z),
// the enclosures still contain the true values (whose ranges are known in closed form).
BOOST_AUTO_TEST_CASE(smooth_activation_enclosures_over_unbounded_and_huge_inputs) {
    PrecisionScope scope(64);
    const Interval all = unbounded();
    const Interval s0 = activate(act(ActivationKind::sigmoid), all, 0);
    BOOST_TEST((contains(s0, 0) && contains(s0, 1) && contains(s0, Rational(1, 2))));
    const Interval s1 = activate(act(ActivationKind::sigmoid), all, 1);
    BOOST_TEST((contains(s1, Rational(1, 4)) && contains(s1, 0)));
    // range [-sqrt(3)/18, sqrt(3)/18] = +-0.09622504..., both ends attained (at z = +-ln(2 + sqrt 3))
    const Interval s2 = activate(act(ActivationKind::sigmoid), all, 2);
    BOOST_TEST((contains(s2, Rational(-96225, 1000000)) && contains(s2, Rational(96225, 1000000))));
    const Interval t1 = activate(act(ActivationKind::tanh), all, 1);
    BOOST_TEST((contains(t1, 1) && contains(t1, 0)));
    const Interval t2 = activate(act(ActivationKind::tanh), all, 2);  // range +-4/(3 sqrt 3) = +-0.7698
    BOOST_TEST((contains(t2, Rational(-7698, 10000)) && contains(t2, Rational(7698, 10000))));
    const Interval sp = activate(act(ActivationKind::softplus), all, 0);
    BOOST_TEST(!certainly_greater(sp, 0));
    BOOST_TEST(!sp.is_bounded());  // softplus is unbounded above

    // z in [2^40, 2^41] and [-2^41, -2^40]: e^{+-z} over/underflows MPFR (exponents < 2^30).
    const Rational h = Rational(Integer(1) << 40);
    const Rational eps = Rational(1, Integer(1) << 1000);  // every true value below is within eps of its limit
    for (int sign : {1, -1}) {
        const Interval z = sign > 0 ? Interval::hull(h, 2 * h) : Interval::hull(-2 * h, -h);
        // Each true value lies strictly between the limit and the limit moved by eps: the enclosure must
        // reach into that gap (it can be neither certainly beyond the limit nor certainly short of it).
        auto reaches = [&](const Interval& e, const Rational& a, const Rational& b) {  // meets (a, b)
            return !certainly_at_most(e, a) && !certainly_at_least(e, b);
        };
        const Interval s = activate(act(ActivationKind::sigmoid), z, 0);
        BOOST_TEST((sign > 0 ? reaches(s, 1 - eps, 1) : reaches(s, 0, eps)));
        const Interval t = activate(act(ActivationKind::tanh), z, 0);
        BOOST_TEST((sign > 0 ? reaches(t, 1 - eps, 1) : reaches(t, -1, -1 + eps)));
        for (ActivationKind k : {ActivationKind::sigmoid, ActivationKind::tanh}) {
            BOOST_TEST(reaches(activate(act(k), z, 1), 0, eps));
            const Interval d2 = activate(act(k), z, 2);  // sign -sign(z), magnitude below eps
            BOOST_TEST((sign > 0 ? reaches(d2, -eps, 0) : reaches(d2, 0, eps)));
        }
        const Interval sp2 = activate(act(ActivationKind::softplus), z, 0);  // z < softplus(z) < z + eps
        if (sign > 0) BOOST_TEST((!certainly_greater(sp2, h + 1) && !certainly_less(sp2, 2 * h)));
        else BOOST_TEST(reaches(sp2, 0, eps));
        BOOST_TEST(reaches(activate(act(ActivationKind::softplus), z, 1), sign > 0 ? 1 - eps : Rational(0),
                           sign > 0 ? Rational(1) : eps));
    }
}

// poly derivatives of every order (beyond the degree too) enclose the exact values.
BOOST_AUTO_TEST_CASE(poly_derivatives_enclose_at_every_order) {
    const Activation p = poly({1, -3, 0, 2, Rational(-1, 5)});
    std::mt19937_64 g(5);
    for (unsigned bits : {8u, 128u}) {
        PrecisionScope scope(bits);
        for (const auto& [lo, hi] : {std::pair<Rational, Rational>{-2, Rational(1, 3)}, {0, 0}, {Rational(-1, 7), 5}}) {
            for (int order = 0; order <= 6; ++order) {
                const Interval e = activate(p, Interval::hull(lo, hi), order);
                for (const Rational& q : {lo, hi, random_in(g, lo, hi), random_in(g, lo, hi)})
                    BOOST_TEST(contains(e, activate(p, q, order)));
            }
        }
    }
}

// Zero parameters make many intermediate values the exact point 0; over a box of radius > 0 none of them
// is, and parameters whose range is [0, 2r] or [-2r, 0] touch 0 only at one end. A known_zero shortcut
// that fired on any of these would drop real terms. Corners and random points of each box must be
// enclosed by the loss, gradient and both Hessian enclosures (tight boxes, so a dropped term shows).
BOOST_AUTO_TEST_CASE(enclosures_around_zero_and_touching_parameters_contain_corner_values) {
    Problem pb;
    pb.net.input_dim = 2;
    pb.net.layers = {{2, poly({0, 1, Rational(1, 2), Rational(-1, 3)})},
                     {2, poly({Rational(1, 4), Rational(3, 2), 1})},
                     {1, act(ActivationKind::identity)}};
    pb.data = {{{0, 0}, {1}}, {{1, 0}, {-1}}, {{0, -2}, {Rational(1, 2)}}};
    pb.loss = LossKind::mse;
    const std::size_t n = pb.net.num_params();
    std::mt19937_64 g(23);
    // Centres: all zero; a generic point with zero output weights and zero biases; a point where every
    // parameter sits at +-r so that its box is [0, 2r] or [-2r, 0].
    Vector generic(n);
    for (Rational& q : generic) q = random_in(g, -1, 1);
    for (std::size_t l = 0; l < pb.net.layers.size(); ++l)
        for (std::size_t i = 0; i < pb.net.layers[l].width; ++i) generic[pb.net.bias_offset(l) + i] = 0;
    for (std::size_t k = pb.net.weight_offset(2); k < pb.net.bias_offset(2); ++k) generic[k] = 0;
    for (unsigned bits : {8u, 96u}) {
        PrecisionScope scope(bits);
        for (const Rational& r : {Rational(0), Rational(1, 1000), Rational(1, 4)}) {
            Vector touching(n);
            for (std::size_t i = 0; i < n; ++i) touching[i] = i % 2 ? r : Rational(-r);
            for (const Vector& centre : {Vector(n, Rational(0)), generic, touching}) {
                const IVector box = box_around(centre, r);
                const Interval l = loss_enclosure(pb, box);
                const IVector gr = gradient_enclosure(pb, box);
                const IMatrix h = hessian_enclosure(pb, box);
                const IMatrix hd = hessian_enclosure_by_duals(pb, box);
                for (int k = 0; k < 6; ++k) {
                    Vector q = centre;
                    for (std::size_t i = 0; i < n; ++i)  // corners, then inside
                        q[i] += k < 3 ? ((g() & 1) ? r : Rational(-r)) : random_in(g, -r, r);
                    BOOST_TEST(contains(l, loss(pb, q)));
                    const Vector ge = gradient(pb, q);
                    const Matrix he = hessian(pb, q);
                    for (std::size_t i = 0; i < n; ++i) {
                        BOOST_TEST(contains(gr[i], ge[i]));
                        for (std::size_t j = 0; j < n; ++j) {
                            BOOST_TEST(contains(h[i][j], he[i][j]), "H[" << i << "," << j << "] r = " << r);
                            BOOST_TEST(contains(hd[i][j], he[i][j]));
                        }
                    }
                }
            }
        }
    }
}

// z = w + b over w in [1/2, 3/2], b in [-1/2, 1/2] is [0, 2]: the kink is reached only at one corner.
// No derivative claim and no kink_free claim may be certified, at any precision; also through a second
// hidden layer and through a data point x = 0 (z = b alone).
BOOST_AUTO_TEST_CASE(a_kink_touched_at_a_box_corner_blocks_every_derivative_certificate) {
    Activation leaky = act(ActivationKind::leaky_relu);
    leaky.alpha = Rational(1, 10);
    for (const Activation& a : {act(ActivationKind::relu), leaky}) {
        const Problem pb = one_hidden(1, a, {{1, 1}, {2, 3}});
        const std::vector<Point> pts = {{"P", {1, 0, 1, 0}}};
        // Second case: data x = 0 so z = b, with b in [0, 1].
        const Problem pb0 = one_hidden(1, a, {{0, 1}, {1, 2}});
        const std::vector<Point> pts0 = {{"P", {1, Rational(1, 2), 1, 0}}};
        for (unsigned bits : kPrecisions)
            for (ClaimKind k : {ClaimKind::kink_free, ClaimKind::critical, ClaimKind::hessian_pd,
                                ClaimKind::strict_local_min}) {
                BOOST_TEST((run(pb, pts, claim_of(k, Rational(1, 2)), bits) != Outcome::certified));
                BOOST_TEST((run(pb0, pts0, claim_of(k, Rational(1, 2)), bits) != Outcome::certified));
                if (k != ClaimKind::kink_free) {
                    BOOST_TEST((run(pb, pts, negated(claim_of(k, Rational(1, 2))), bits) == Outcome::inconclusive));
                }
            }
    }
    // Two hidden relu layers: h1 = relu(x w1 + b1) in [1, 3] on x = 1, z2 = w2 h1 + b2 with w2 in [1/2, 3/2]
    // and b2 in [-1/2 - 0, ...]: z2 reaches 0 at a corner (w2 = 1/2, h1 = 1, b2 = -1/2).
    Problem deep;
    deep.net.input_dim = 1;
    deep.net.layers = {{1, act(ActivationKind::relu)}, {1, act(ActivationKind::relu)}, {1, act(ActivationKind::identity)}};
    deep.data = {{{1}, {1}}};
    // params: W1, b1, W2, b2, W3, b3; at the corner W1 = 1/2, b1 = 1/2 -> h1 = 1; W2 = 1/2, b2 = -1/2 -> z2 = 0.
    const std::vector<Point> dp = {{"P", {1, 1, 1, 0, 1, 0}}};
    for (unsigned bits : kPrecisions)
        for (ClaimKind k : {ClaimKind::kink_free, ClaimKind::critical, ClaimKind::hessian_pd, ClaimKind::strict_local_min})
            BOOST_TEST((run(deep, dp, claim_of(k, Rational(1, 2)), bits) != Outcome::certified));
}

// f = w x + b on (x = 1, y = 1), threshold 0, box w in [1/2, 3/2], b in [-1/2, 1/2]: f = 0 at one corner,
// a tie that counts as wrong. "accuracy = 1 everywhere on the box" is false there. Likewise a sigmoid
// output exactly 1/2 at a corner with threshold 1/2, and a label on the threshold.
BOOST_AUTO_TEST_CASE(accuracy_ties_at_a_corner_are_never_credited) {
    for (ActivationKind out : {ActivationKind::identity, ActivationKind::sigmoid}) {
        Problem pb;
        pb.net.input_dim = 1;
        pb.net.layers = {{1, act(out)}};
        pb.data = {{{1}, {1}}};
        pb.classify = ClassifyRule{out == ActivationKind::identity ? Rational(0) : Rational(1, 2)};
        const std::vector<Point> pts = {{"P", {1, 0}}};
        for (unsigned bits : kPrecisions) {
            Claim c = claim_of(ClaimKind::accuracy, Rational(1, 2));
            c.value = 1;
            BOOST_TEST((run(pb, pts, c, bits) != Outcome::certified));
            BOOST_TEST((run(pb, pts, negated(c), bits) != Outcome::refuted));
            c.value = 0;  // false at the centre
            BOOST_TEST((run(pb, pts, c, bits) != Outcome::certified));
        }
        // A label exactly on the threshold is never correct, however certain the output is.
        Problem on = pb;
        on.data = {{{1}, {pb.classify->threshold}}};
        Claim c = claim_of(ClaimKind::accuracy, Rational(1, 100));
        c.value = 1;
        BOOST_TEST((run(on, pts, c) == Outcome::refuted));
        c.value = 0;
        BOOST_TEST((run(on, pts, c) == Outcome::certified));
    }
}

// L = b^6 + (w + b)^6 over w in [3/2, 5/2], b in [0, 1]: min (3/2)^6 at the corner (3/2, 0), max
// 1 + (7/2)^6 at (5/2, 1). Ranges that exclude either extreme by 10^-60 are false; so is a gap to the
// minimising corner; and the Hessian is singular along the edge b = 0.
BOOST_AUTO_TEST_CASE(extremes_at_box_corners_are_never_excluded) {
    const Problem pb = sixth_powers();
    const Rational r(1, 2);
    const Rational lo = rpow(Rational(3, 2), 6), hi = 1 + rpow(Rational(7, 2), 6);
    const std::vector<Point> pts = {{"P", {2, Rational(1, 2)}}, {"Q", {Rational(3, 2), 0}}};
    BOOST_REQUIRE(loss(pb, pts[1].params) == lo);
    BOOST_REQUIRE(loss(pb, {Rational(5, 2), 1}) == hi);
    for (unsigned bits : kPrecisions) {
        Claim c = claim_of(ClaimKind::loss, r);
        c.lower = lo + pow10_neg(60);
        BOOST_TEST((run(pb, pts, c, bits) != Outcome::certified));
        c.lower.reset();
        c.upper = hi - pow10_neg(60);
        BOOST_TEST((run(pb, pts, c, bits) != Outcome::certified));
        c.lower = 0;
        c.upper = hi - pow10_neg(60);
        BOOST_TEST((run(pb, pts, c, bits) != Outcome::certified));
        Claim gap = claim_of(ClaimKind::gap, r);
        gap.other = 1;
        BOOST_TEST((run(pb, pts, gap, bits) != Outcome::certified));
        BOOST_TEST((run(pb, pts, claim_of(ClaimKind::hessian_pd, r), bits) != Outcome::certified));
        BOOST_TEST((run(pb, pts, claim_of(ClaimKind::strict_local_min, r), bits) != Outcome::certified));
        // The true range is certified-or-inconclusive, never refuted.
        c.lower = lo;
        c.upper = hi;
        BOOST_TEST((run(pb, pts, c, bits) != Outcome::refuted));
    }
    // Exact loss ranges at a point are closed: the exact value at either end is inside.
    const Rational lp = loss(pb, pts[0].params);
    Claim at = claim_of(ClaimKind::loss, std::nullopt);
    at.lower = lp;
    at.upper = lp;
    BOOST_TEST((run(pb, pts, at) == Outcome::certified));
    at.lower = lp + pow10_neg(80);
    at.upper.reset();
    BOOST_TEST((run(pb, pts, at) == Outcome::refuted));
    at.lower.reset();
    at.upper = lp - pow10_neg(80);
    BOOST_TEST((run(pb, pts, at) == Outcome::refuted));
    // Whenever a smaller box is certified PD, the exact Hessian is PD at its corners.
    for (const Rational& rr : {Rational(1, 4), Rational(1, 8), Rational(1, 1000)}) {
        if (run(pb, pts, claim_of(ClaimKind::hessian_pd, rr)) != Outcome::certified) continue;
        for (int sw : {-1, 1})
            for (int sb : {-1, 1}) {
                const Vector q = {2 + sw * rr, Rational(1, 2) + sb * rr};
                BOOST_TEST((analyze_definiteness(hessian(pb, q)).kind == Definiteness::positive_definite));
            }
    }
}

// The critical point (1/2, 1/6) of a least-squares line lies exactly on the boundary of the box (a face,
// then a corner), then just outside it. K(X) always contains it, so K(X) is never inside the interior of
// the box (no certificate) and never disjoint from it while the point is in the box (no refutation).
BOOST_AUTO_TEST_CASE(krawczyk_with_the_critical_point_on_the_boundary) {
    const Problem pb = line_fit();
    BOOST_REQUIRE(gradient(pb, {Rational(1, 2), Rational(1, 6)}) == Vector(2, Rational(0)));
    const Rational r(1, 8);
    const std::vector<Vector> on_boundary = {{Rational(1, 2) + r, Rational(1, 6)},
                                             {Rational(1, 2) - r, Rational(1, 6) + r},
                                             {Rational(1, 2) + r, Rational(1, 6) - r}};
    for (unsigned bits : kPrecisions)
        for (const Vector& c : on_boundary) {
            const std::vector<Point> pts = {{"P", c}};
            for (ClaimKind k : {ClaimKind::critical, ClaimKind::strict_local_min}) {
                BOOST_TEST((run(pb, pts, claim_of(k, r), bits) == Outcome::inconclusive));
                BOOST_TEST((run(pb, pts, negated(claim_of(k, r)), bits) == Outcome::inconclusive));
            }
        }
    // A fully dyadic fit, f = w x + b on (-1, 0), (1, 1): H = 4 I, Y = I / 4 exactly, so K(X) is exactly the
    // critical point (1/2, 1/2) with no rounding to hide a comparison against the closed box.
    Problem dyadic = line_fit();
    dyadic.data = {{{-1}, {0}}, {{1}, {1}}};
    BOOST_REQUIRE(gradient(dyadic, {Rational(1, 2), Rational(1, 2)}) == Vector(2, Rational(0)));
    for (unsigned bits : kPrecisions)
        for (const Vector& c : {Vector{Rational(1, 2) + r, Rational(1, 2)}, Vector{Rational(1, 2) - r, Rational(1, 2) + r}}) {
            const std::vector<Point> pts = {{"P", c}};
            for (ClaimKind k : {ClaimKind::critical, ClaimKind::strict_local_min})
                BOOST_TEST((run(dyadic, pts, claim_of(k, r), bits) == Outcome::inconclusive));
        }
    for (unsigned bits : kPrecisions) {
        const std::vector<Point> out = {{"P", {Rational(1, 2) + r + pow10_neg(40), Rational(1, 6)}}};
        for (ClaimKind k : {ClaimKind::critical, ClaimKind::strict_local_min})
            BOOST_TEST((run(pb, out, claim_of(k, r), bits) != Outcome::certified));
        // Radius 0 at the exact critical point: the box has no interior, so Krawczyk cannot certify, and it
        // must not refute either. On an exact problem the box {P} is decided exactly: P is critical.
        const std::vector<Point> at = {{"P", {Rational(1, 2), Rational(1, 6)}}};
        BOOST_TEST((run(pb, at, claim_of(ClaimKind::critical, Rational(0)), bits) ==
                    (pb.is_exact() ? Outcome::certified : Outcome::inconclusive)));
    }
}

// Interval matrices that contain a singular or an indefinite member are never certified PD, and ones
// that contain a PD (or the zero) member are never certified indefinite, whatever the untrusted hint says.
BOOST_AUTO_TEST_CASE(box_definiteness_respects_every_member) {
    PrecisionScope scope(64);
    auto iv = [](const Rational& a, const Rational& b) { return Interval::hull(a, b); };
    const std::vector<std::optional<Rational>> hints = {std::nullopt, Rational(1000000), pow10_neg(30), Rational(1, 2),
                                                        Rational(-5)};
    // [[ [1,3], 2 ], [2, [1,3]]] holds [[1,2],[2,1]] (indefinite) and [[3,2],[2,3]] (PD).
    const IMatrix mixed = {{iv(1, 3), iv(2, 2)}, {iv(2, 2), iv(1, 3)}};
    // [[1, [0,1]], [[0,1], 1]] holds [[1,1],[1,1]] (singular).
    const IMatrix singular = {{iv(1, 1), iv(0, 1)}, {iv(0, 1), iv(1, 1)}};
    // [0, 1] and [-1, 0] (1 x 1): hold 0.
    const IMatrix touch_up = {{iv(0, 1)}}, touch_down = {{iv(-1, 0)}};
    // The exact singular matrix diag(1, 0) up to rounding.
    const IMatrix diag10 = {{iv(1, 1), iv(0, 0)}, {iv(0, 0), iv(0, 0)}};
    for (const auto& h : hints) {
        BOOST_TEST((analyze_box_definiteness(mixed, h).kind == BoxDefiniteness::undecided));
        BOOST_TEST((analyze_box_definiteness(singular, h).kind != BoxDefiniteness::positive_definite));
        BOOST_TEST((analyze_box_definiteness(touch_up, h).kind == BoxDefiniteness::undecided));
        BOOST_TEST((analyze_box_definiteness(touch_down, h).kind == BoxDefiniteness::undecided));
        BOOST_TEST((analyze_box_definiteness(diag10, h).kind == BoxDefiniteness::undecided));
        BOOST_TEST((analyze_box_definiteness({{unbounded()}}, h).kind == BoxDefiniteness::undecided));
        // A genuinely PD box: a certified bound must be honest (below the true lambda_min 1 - 1/10 = 9/10
        // of the worst member [[1, 1/10], [1/10, 1]] - anything).
        const IMatrix pd = {{iv(1, 2), iv(Rational(-1, 10), Rational(1, 10))},
                            {iv(Rational(-1, 10), Rational(1, 10)), iv(1, 2)}};
        const BoxDefinitenessResult r = analyze_box_definiteness(pd, h);
        if (r.kind == BoxDefiniteness::positive_definite) BOOST_TEST(r.lambda_min_above < Rational(9, 10));
        BOOST_TEST((r.kind != BoxDefiniteness::indefinite));
    }
}

// Rounding direction of delta >= ||D||_F in the box test: with D = r v v^T (rank one, v = (1, 2)) and
// Hc = 5r I, the member Hc - D is singular, and ||D||_F = 5r exactly. When r has a 128-bit mantissa, 5r is
// not a 64-bit number: a delta rounded down would make Hc - delta I positive definite.
BOOST_AUTO_TEST_CASE(box_radius_bound_is_rounded_up) {
    PrecisionScope scope(256);
    for (int k = 1; k <= 24; ++k) {
        const Rational r = Rational((Integer(1) << 127) + k, Integer(1) << 130);
        auto iv = [&](const Rational& c, const Rational& d) { return Interval::hull(c - d, c + d); };
        const IMatrix h = {{iv(5 * r, r), iv(0, 2 * r)}, {iv(0, 2 * r), iv(5 * r, 4 * r)}};
        for (const auto& hint : {std::optional<Rational>{}, std::optional<Rational>{5 * r}})
            BOOST_TEST((analyze_box_definiteness(h, hint).kind != BoxDefiniteness::positive_definite), "k = " << k);
    }
}

// bce on a logistic unit with logits around +-6000 and labels 0, 1 and 1/2: the loss, gradient and
// Hessian enclosures contain 2000-bit references (softplus(z) - y z; mean (s - y)(x, 1); mean s'(x,1)(x,1)^T),
// and point loss ranges that exclude the true value by 10^-40 are not certified.
BOOST_AUTO_TEST_CASE(bce_enclosures_at_large_logits) {
    Problem pb;
    pb.net.input_dim = 1;
    pb.net.layers = {{1, act(ActivationKind::sigmoid)}};
    pb.loss = LossKind::bce;
    pb.data = {{{2}, {0}}, {{-2}, {1}}, {{1}, {Rational(1, 2)}}, {{-1}, {1}}, {{0}, {0}}};
    const Vector centre = {3000, Rational(-1, 3)};
    const Rational r = pow10_neg(3);
    std::mt19937_64 g(31);
    auto reference = [&](const Vector& th, Ref& l, Ref (&gr)[2], Ref (&h)[2][2]) {
        mpfr_set_zero(l.v, 1);
        for (auto& x : gr) mpfr_set_zero(x.v, 1);
        for (auto& row : h)
            for (auto& x : row) mpfr_set_zero(x.v, 1);
        for (const Sample& s : pb.data) {
            const Rational z = th[0] * s.x[0] + th[1];
            Ref sp = ref_smooth("softplus", z, 0), sg = ref_smooth("sigmoid", z, 0), d = ref_smooth("sigmoid", z, 1);
            Ref yz(s.y[0] * z), y(s.y[0]), res, t;
            mpfr_sub(t.v, sp.v, yz.v, MPFR_RNDN);
            mpfr_add(l.v, l.v, t.v, MPFR_RNDN);
            mpfr_sub(res.v, sg.v, y.v, MPFR_RNDN);
            const Rational xi[2] = {s.x[0], 1};
            for (int i = 0; i < 2; ++i) {
                Ref xq(xi[i]);
                mpfr_mul(t.v, res.v, xq.v, MPFR_RNDN);
                mpfr_add(gr[i].v, gr[i].v, t.v, MPFR_RNDN);
                for (int j = 0; j < 2; ++j) {
                    Ref xj(xi[i] * xi[j]);
                    mpfr_mul(t.v, d.v, xj.v, MPFR_RNDN);
                    mpfr_add(h[i][j].v, h[i][j].v, t.v, MPFR_RNDN);
                }
            }
        }
        const unsigned long n = pb.data.size();
        mpfr_div_ui(l.v, l.v, n, MPFR_RNDN);
        for (auto& x : gr) mpfr_div_ui(x.v, x.v, n, MPFR_RNDN);
        for (auto& row : h)
            for (auto& x : row) mpfr_div_ui(x.v, x.v, n, MPFR_RNDN);
    };
    for (unsigned bits : {8u, 128u}) {
        PrecisionScope scope(bits);
        for (const Rational& rad : {Rational(0), r}) {
            const IVector box = box_around(centre, rad);
            const Interval l = loss_enclosure(pb, box);
            const IVector gr = gradient_enclosure(pb, box);
            const IMatrix h = hessian_enclosure(pb, box);
            for (int k = 0; k < 4; ++k) {
                const Vector q = {random_in(g, centre[0] - rad, centre[0] + rad), random_in(g, centre[1] - rad, centre[1] + rad)};
                Ref rl, rg[2], rh[2][2];
                reference(q, rl, rg, rh);
                BOOST_TEST(encloses(l, rl));
                for (int i = 0; i < 2; ++i) {
                    BOOST_TEST(encloses(gr[i], rg[i]));
                    for (int j = 0; j < 2; ++j) BOOST_TEST(encloses(h[i][j], rh[i][j]));
                }
            }
        }
    }
    // Loss ranges at the point itself (radius 0) that miss the true loss by 10^-40.
    Ref rl, rg[2], rh[2][2];
    reference(centre, rl, rg, rh);
    Rational truth;
    {
        PrecisionScope scope(2000);
        truth = exact_rational(rl.v);  // within 2^-1900 of the true loss
    }
    const std::vector<Point> pts = {{"P", centre}};
    for (unsigned bits : kPrecisions) {
        Claim c = claim_of(ClaimKind::loss, std::nullopt);
        c.lower = truth + pow10_neg(40);
        BOOST_TEST((run(pb, pts, c, bits) != Outcome::certified));
        c.lower.reset();
        c.upper = truth - pow10_neg(40);
        BOOST_TEST((run(pb, pts, c, bits) != Outcome::certified));
        c.lower = truth - pow10_neg(40);
        c.upper = truth + pow10_neg(40);
        BOOST_TEST((run(pb, pts, c, bits) != Outcome::refuted));
    }
}

// The Cholesky certificate: exact reconstruction with the largest allowed entries (2^52, products 2^104
// in 128 bits), negative scale_bits, lower-triangle garbage in R, asymmetric matrices, bad shapes.
BOOST_AUTO_TEST_CASE(cholesky_certificate_rejects_every_false_claim_it_is_handed) {
    using nncert::hints::CholeskyHint;
    const std::int64_t m = std::int64_t(1) << 52;
    // R (upper triangular, 3 x 3) with maximal entries; H = R^T R / 4^s + shift I + small E.
    const std::vector<std::int64_t> r_int = {m, -m, m, 0, m, m - 1, 0, 0, m};
    for (int s : {0, 20, -3}) {
        const Rational four_s = s >= 0 ? Rational(Integer(1) << (2 * s)) : Rational(1) / Rational(Integer(1) << (-2 * s));
        Matrix g(3, Vector(3));
        for (std::size_t i = 0; i < 3; ++i)
            for (std::size_t j = 0; j < 3; ++j) {
                Integer acc = 0;
                for (std::size_t k = 0; k <= std::min(i, j); ++k) acc += Integer(r_int[k * 3 + i]) * Integer(r_int[k * 3 + j]);
                g[i][j] = Rational(acc) / four_s;
            }
        CholeskyHint hint;
        hint.shift = Rational(1, 4);
        hint.scale_bits = s;
        hint.r_int = r_int;
        Matrix h = g;
        for (std::size_t i = 0; i < 3; ++i) h[i][i] += Rational(1, 4) + Rational(1, 64);  // E = I/64
        const auto ok = verify_cholesky_certificate(h, hint);
        BOOST_REQUIRE(ok.has_value());
        BOOST_TEST(*ok <= Rational(1, 4) - Rational(1, 64) * Rational(173, 100));  // ||I/64||_F = sqrt(3)/64
        BOOST_TEST(*ok > 0);
        // The same hint against H - (1/2) I: lambda_min(H) could be as low as... E = -I/2 + I/64, too big.
        Matrix worse = h;
        for (std::size_t i = 0; i < 3; ++i) worse[i][i] -= Rational(1, 2);
        BOOST_TEST(!verify_cholesky_certificate(worse, hint).has_value());
        // An indefinite matrix: R^T R scaled, minus I. Every hint must fail.
        Matrix indef = g;
        for (std::size_t i = 0; i < 3; ++i) indef[i][i] -= 1;
        BOOST_TEST(!verify_cholesky_certificate(indef, hint).has_value());
        // Lower-triangle garbage in R is ignored (R is read as upper triangular), never used to pass.
        CholeskyHint garbage = hint;
        garbage.r_int[3] = m;
        garbage.r_int[6] = -m;
        garbage.r_int[7] = m;
        BOOST_TEST(verify_cholesky_certificate(h, garbage).has_value());
        BOOST_TEST(!verify_cholesky_certificate(indef, garbage).has_value());
        // Asymmetry in any off-diagonal pair is rejected.
        Matrix asym = h;
        asym[2][0] += pow10_neg(50);
        BOOST_TEST(!verify_cholesky_certificate(asym, hint).has_value());
        // Entries beyond 2^52, a wrong size, a zero or negative shift: rejected.
        CholeskyHint big = hint;
        big.r_int[0] = m + 1;
        BOOST_TEST(!verify_cholesky_certificate(h, big).has_value());
        big.r_int[0] = -m - 1;
        BOOST_TEST(!verify_cholesky_certificate(h, big).has_value());
        CholeskyHint shape = hint;
        shape.r_int.pop_back();
        BOOST_TEST(!verify_cholesky_certificate(h, shape).has_value());
        for (const Rational& sh : {Rational(0), Rational(-1, 4)}) {
            CholeskyHint neg = hint;
            neg.shift = sh;
            BOOST_TEST(!verify_cholesky_certificate(h, neg).has_value());
        }
    }
    // Off-diagonal residuals count twice in ||E||_F: H = (19/10) I - (J - I) (3 x 3, J all ones) has the
    // eigenvalue 19/10 - 2 < 0; with R = 0 and shift 19/10, ||E||_F = sqrt 6 > 19/10 (counting each
    // off-diagonal pair once would give sqrt 3 < 19/10 and a false certificate).
    {
        Matrix h(3, Vector(3, Rational(-1)));
        for (std::size_t i = 0; i < 3; ++i) h[i][i] = Rational(19, 10);
        CholeskyHint hint;
        hint.shift = Rational(19, 10);
        hint.r_int.assign(9, 0);
        BOOST_TEST(!verify_cholesky_certificate(h, hint).has_value());
    }
    // Rounding direction of the Frobenius bound: E = -v v^T is rank one, so ||E||_2 = ||E||_F = |v|^2, a
    // non-dyadic rational; H = c I - v v^T with c = |v|^2 - 2^-200 is indefinite. Any downward rounding in
    // the bound (of |E_ij|, its square, the sum or the square root) would certify it.
    for (const Vector& v : {Vector(3, Rational(1, 3)), Vector{Rational(1, 5), Rational(2, 5), Rational(2, 7)},
                            Vector{Rational(1, 7), Rational(1, 7)}, Vector{Rational(2, 3), Rational(1, 9), Rational(4, 11)}}) {
        const std::size_t n = v.size();
        Rational norm2 = 0;
        for (const Rational& x : v) norm2 += x * x;
        const Rational c = norm2 - Rational(1, Integer(1) << 200);
        Matrix h(n, Vector(n));
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t j = 0; j < n; ++j) h[i][j] = (i == j ? c : Rational(0)) - v[i] * v[j];
        BOOST_REQUIRE((analyze_definiteness(h, DefinitenessOptions{}).kind == Definiteness::indefinite));
        CholeskyHint hint;
        hint.shift = c;
        hint.r_int.assign(n * n, 0);
        BOOST_TEST(!verify_cholesky_certificate(h, hint).has_value());
    }
    // -I (3 x 3) and the zero matrix with hints of every scale: never certified.
    for (int s : {-40, -1, 0, 1, 60})
        for (const Rational& sh : {Rational(1), pow10_neg(30)}) {
            CholeskyHint hint;
            hint.shift = sh;
            hint.scale_bits = s;
            hint.r_int = {1, 0, 0, 0, 1, 0, 0, 0, 1};
            Matrix minus_i(3, Vector(3)), zero(3, Vector(3));
            for (std::size_t i = 0; i < 3; ++i) minus_i[i][i] = -1;
            BOOST_TEST(!verify_cholesky_certificate(minus_i, hint).has_value());
            BOOST_TEST(!verify_cholesky_certificate(zero, hint).has_value());
        }
}

BOOST_AUTO_TEST_SUITE_END()
