// The losses and architectures of docs/format.md beyond plain sse: sse/2, data weights, weight decay,
// bias-free layers (exact engine) and the softmax cross-entropy (interval engine). Each is checked against an
// independent formulation: forward-mode duals for gradients, the dual-pass Hessian, duplicated rows for
// weights, a biased network with zero biases for nobias, 2000-bit MPFR for the cross-entropy.
#include "hints/float_loss.hpp"
#include "kernel/dual.hpp"
#include "kernel/exact.hpp"
#include "kernel/interval/activation.hpp"
#include "kernel/interval/enclose.hpp"
#include "kernel/interval/precision.hpp"
#include "kernel/kernel.hpp"
#include "kernel/nonsmooth.hpp"
#include "kernel/rescaling.hpp"
#include "problems.hpp"
#include "test_interval_support.hpp"

#include <boost/test/unit_test.hpp>

using namespace nncert::kernel;
using namespace nncert::testing;

namespace {

// A 2-3-2 network with mixed activations on four points (all exact).
Problem small_problem(LossKind loss) {
    Problem pb;
    pb.net.input_dim = 2;
    pb.net.layers = {{3, poly({0, 1, Rational(1, 3)})}, {2, act(ActivationKind::identity)}};
    pb.data = {{{1, 0}, {1, 0}}, {{0, 1}, {0, 1}}, {{-1, Rational(1, 2)}, {1, 1}}, {{Rational(1, 3), -1}, {0, 2}}};
    pb.loss = loss;
    return pb;
}

Vector some_point(std::size_t n) {
    Vector p(n);
    for (std::size_t k = 0; k < n; ++k) p[k] = Rational(static_cast<long>((k * 5) % 9) - 4, 5);
    return p;
}

// dL/dtheta_k by forward mode: the loss evaluated on duals seeded with e_k. Independent of reverse mode.
Vector forward_mode_gradient(const Problem& pb, const Vector& p) {
    Vector g(p.size());
    std::vector<Dual<Rational>> th(p.begin(), p.end());
    for (std::size_t k = 0; k < p.size(); ++k) {
        th[k].d = 1;
        g[k] = loss_and_gradient(pb, th, static_cast<std::vector<Dual<Rational>>*>(nullptr)).d;
        th[k].d = 0;
    }
    return g;
}

void check_consistent(const Problem& pb, const Vector& p) {
    BOOST_TEST(gradient(pb, p) == forward_mode_gradient(pb, p));
    BOOST_TEST(hessian(pb, p) == hessian_by_duals(pb, p));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(losses)

BOOST_AUTO_TEST_CASE(half_sse_is_half_of_sse) {
    Problem pb = small_problem(LossKind::sse);
    const Vector p = some_point(pb.net.num_params());
    const Rational l = loss(pb, p);
    const Vector g = gradient(pb, p);
    const Matrix h = hessian(pb, p);
    pb.loss = LossKind::half_sse;
    BOOST_TEST(loss(pb, p) == l / 2);
    const Vector g2 = gradient(pb, p);
    const Matrix h2 = hessian(pb, p);
    for (std::size_t i = 0; i < p.size(); ++i) {
        BOOST_TEST(g2[i] == g[i] / 2);
        for (std::size_t j = 0; j < p.size(); ++j) BOOST_TEST(h2[i][j] == h[i][j] / 2);
    }
    check_consistent(pb, p);
}

// A whole weight m is the same as the row repeated m times, for every squared-error loss (mse divides by
// the total weight, as the repeated dataset's mean does).
BOOST_AUTO_TEST_CASE(weights_are_multiplicities) {
    for (LossKind k : {LossKind::sse, LossKind::half_sse, LossKind::mse}) {
        Problem weighted = small_problem(k), repeated = small_problem(k);
        weighted.data[1].weight = 3;
        weighted.data[2].weight = 2;
        repeated.data.push_back(repeated.data[1]);
        repeated.data.push_back(repeated.data[1]);
        repeated.data.push_back(repeated.data[2]);
        const Vector p = some_point(weighted.net.num_params());
        BOOST_TEST(loss(weighted, p) == loss(repeated, p));
        BOOST_TEST(gradient(weighted, p) == gradient(repeated, p));
        BOOST_TEST(hessian(weighted, p) == hessian(repeated, p));
        check_consistent(weighted, p);
    }
}

BOOST_AUTO_TEST_CASE(fractional_weights_scale_each_row) {
    Problem pb = small_problem(LossKind::sse);
    const Vector p = some_point(pb.net.num_params());
    Rational expected = 0;
    for (std::size_t i = 0; i < pb.data.size(); ++i) {
        Problem one = pb;
        one.data = {pb.data[i]};
        expected += Rational(2 * static_cast<long>(i) + 1, 7) * loss(one, p);
        pb.data[i].weight = Rational(2 * static_cast<long>(i) + 1, 7);
    }
    BOOST_TEST(loss(pb, p) == expected);
    check_consistent(pb, p);
}

BOOST_AUTO_TEST_CASE(weight_decay_adds_lambda_norm_squared) {
    Problem pb = small_problem(LossKind::mse);
    const Vector p = some_point(pb.net.num_params());
    const Rational l = loss(pb, p);
    const Vector g = gradient(pb, p);
    const Matrix h = hessian(pb, p);
    pb.weight_decay = Rational(3, 100);
    Rational sq = 0;
    for (const Rational& t : p) sq += t * t;
    BOOST_TEST(loss(pb, p) == l + Rational(3, 100) * sq);
    const Vector g2 = gradient(pb, p);
    const Matrix h2 = hessian(pb, p);
    for (std::size_t i = 0; i < p.size(); ++i) {
        BOOST_TEST(g2[i] == g[i] + Rational(6, 100) * p[i]);
        for (std::size_t j = 0; j < p.size(); ++j) BOOST_TEST(h2[i][j] == h[i][j] + (i == j ? Rational(6, 100) : Rational(0)));
    }
    check_consistent(pb, p);
}

// A bias-free layer is the biased layer with its biases held at 0: same loss, and the gradient and Hessian
// are the biased ones with the bias rows and columns removed.
BOOST_AUTO_TEST_CASE(nobias_layers_are_zero_biases) {
    for (std::size_t which = 0; which < 2; ++which) {
        Problem biased = small_problem(LossKind::sse), free = biased;
        free.net.layers[which].bias = false;
        BOOST_TEST(free.net.num_params() == biased.net.num_params() - biased.net.layers[which].width);
        const Vector pf = some_point(free.net.num_params());
        Vector pb(biased.net.num_params());
        std::vector<std::size_t> map;  // free index -> biased index
        for (std::size_t l = 0; l < 2; ++l) {
            for (std::size_t k = biased.net.weight_offset(l); k < biased.net.bias_offset(l); ++k) map.push_back(k);
            if (free.net.has_bias(l))
                for (std::size_t k = biased.net.bias_offset(l); k < biased.net.layer_end(l); ++k) map.push_back(k);
        }
        BOOST_REQUIRE(map.size() == pf.size());
        for (std::size_t i = 0; i < pf.size(); ++i) pb[map[i]] = pf[i];
        BOOST_TEST(loss(free, pf) == loss(biased, pb));
        const Vector gf = gradient(free, pf), gb = gradient(biased, pb);
        const Matrix hf = hessian(free, pf), hb = hessian(biased, pb);
        for (std::size_t i = 0; i < pf.size(); ++i) {
            BOOST_TEST(gf[i] == gb[map[i]]);
            for (std::size_t j = 0; j < pf.size(); ++j) BOOST_TEST(hf[i][j] == hb[map[i]][map[j]]);
        }
        check_consistent(free, pf);
        BOOST_TEST(free.net.param_name(free.net.num_params() - 1) ==
                   (which == 1 ? "W2[2,3]" : "b2[2]"));
    }
}

BOOST_AUTO_TEST_CASE(everything_at_once_on_relu) {
    Problem pb = small_problem(LossKind::half_sse);
    pb.net.layers[0].activation = act(ActivationKind::relu);
    pb.net.layers[0].bias = false;
    pb.weight_decay = Rational(1, 10);
    pb.data[0].weight = Rational(5, 2);
    const Vector p = some_point(pb.net.num_params());
    BOOST_REQUIRE(find_kinks(pb, p).empty());
    check_consistent(pb, p);
}

BOOST_AUTO_TEST_CASE(validation_rejects_bad_weights_and_losses) {
    Problem pb = small_problem(LossKind::sse);
    pb.data[0].weight = 0;
    BOOST_CHECK_THROW(validate(pb), std::invalid_argument);
    pb = small_problem(LossKind::sse);
    pb.weight_decay = -1;
    BOOST_CHECK_THROW(validate(pb), std::invalid_argument);
    pb = small_problem(LossKind::cross_entropy);
    BOOST_CHECK_NO_THROW(validate(pb));
    pb.data[0].y[0] = -1;
    BOOST_CHECK_THROW(validate(pb), std::invalid_argument);
    pb = small_problem(LossKind::cross_entropy);
    pb.net.layers.back().activation = act(ActivationKind::sigmoid);
    BOOST_CHECK_THROW(validate(pb), std::invalid_argument);
    BOOST_TEST(!small_problem(LossKind::cross_entropy).is_exact());
    BOOST_TEST(small_problem(LossKind::half_sse).is_exact());
}

// Softmax cross-entropy: the interval loss at a point contains the 2000-bit value of
// sum_i w_i (-sum_k y_ik log softmax_k(f_i)) / W computed by the textbook formula.
BOOST_AUTO_TEST_CASE(cross_entropy_encloses_reference) {
    PrecisionScope scope(128);
    Problem pb = small_problem(LossKind::cross_entropy);
    pb.data[3].y = {Rational(1, 4), Rational(3, 4)};  // probability targets, not only one-hot
    pb.data[2].y = {0, 1};
    pb.data[2].weight = 3;
    const Vector p = some_point(pb.net.num_params());
    Ref total;
    for (const Sample& s : pb.data) {
        const Vector f = outputs(pb.net, p, s.x);  // the logits are exact (poly and identity units)
        Ref lse, t;                                 // log sum_j exp(f_j)
        for (const Rational& fj : f) {
            Ref e = ref_activation("exp", fj, 0);
            mpfr_add(lse.v, lse.v, e.v, MPFR_RNDN);
        }
        mpfr_log(lse.v, lse.v, MPFR_RNDN);
        for (std::size_t k = 0; k < f.size(); ++k) {  // -y_k (f_k - lse)
            Ref fk(f[k]), yk(s.y[k] * s.weight);
            mpfr_sub(fk.v, fk.v, lse.v, MPFR_RNDN);
            mpfr_mul(fk.v, fk.v, yk.v, MPFR_RNDN);
            mpfr_sub(total.v, total.v, fk.v, MPFR_RNDN);
        }
    }
    Ref w(pb.total_weight());
    mpfr_div(total.v, total.v, w.v, MPFR_RNDN);
    BOOST_TEST(encloses(loss_enclosure(pb, point_box(p)), total));
    pb.weight_decay = Rational(1, 8);
    Rational sq = 0;
    for (const Rational& t : p) sq += t * t;
    Ref decay(sq / 8);
    mpfr_add(total.v, total.v, decay.v, MPFR_RNDN);
    BOOST_TEST(encloses(loss_enclosure(pb, point_box(p)), total));
}

namespace {

bool overlap(const Interval& a, const Interval& b) {
    return mpfr_lessequal_p(a.lo(), b.hi()) && mpfr_lessequal_p(b.lo(), a.hi());
}

}  // namespace

// Gradient and Hessian of the cross-entropy: reverse mode against forward-mode interval duals, the fast
// Hessian against the dual-pass Hessian; at a point box all are tight, so they must overlap (and a wrong
// formula would be off by far more than their widths).
BOOST_AUTO_TEST_CASE(cross_entropy_derivatives_agree) {
    PrecisionScope scope(128);
    Problem pb = small_problem(LossKind::cross_entropy);
    pb.net.layers[0].activation = act(ActivationKind::tanh);
    pb.data[3].y = {Rational(1, 4), Rational(3, 4)};
    pb.data[1].weight = Rational(1, 2);
    pb.weight_decay = Rational(1, 100);
    const Vector p = some_point(pb.net.num_params());
    for (const Rational& r : {Rational(0), Rational(1, 1000)}) {
        const IVector box = box_around(p, r);
        const IVector g = gradient_enclosure(pb, box);
        std::vector<Dual<Interval>> th(box.begin(), box.end());
        for (std::size_t k = 0; k < p.size(); ++k) {
            th[k].d = Interval(Rational(1));
            const Interval fwd = loss_and_gradient(pb, th, static_cast<std::vector<Dual<Interval>>*>(nullptr)).d;
            th[k].d = Interval(Rational(0));
            BOOST_TEST(overlap(g[k], fwd));
            if (r == 0) BOOST_TEST(g[k].upper() - g[k].lower() < Rational(1, 100000000) * Rational(1, 1000000000000));
        }
        const IMatrix fast = hessian_enclosure(pb, box), duals = hessian_enclosure_by_duals(pb, box);
        for (std::size_t i = 0; i < p.size(); ++i)
            for (std::size_t j = 0; j < p.size(); ++j) BOOST_TEST(overlap(fast[i][j], duals[i][j]));
    }
}

// Methods whose theorem assumes the loss is a function of the network's outputs alone (the rescaling curve,
// dead layers, activation patterns) must refuse under weight decay rather than mis-certify or mis-refute.
BOOST_AUTO_TEST_CASE(output_only_methods_refuse_under_weight_decay) {
    Problem pb = example1();
    pb.weight_decay = Rational(1, 10);
    // Equal loss at a = 1001/1000 by coincidence: |in|^2 = 1, |out|^2 = a^2. Not a curve of constant loss.
    const Vector p{1, 0, Rational(1001, 1000), 0};
    BOOST_TEST(!find_rescaling_curve(pb, p).has_value());
    pb.weight_decay = 0;
    BOOST_TEST(find_rescaling_curve(pb, p).has_value());
    pb.weight_decay = Rational(1, 10);
    BOOST_TEST((check_patterns(pb, {1, -3, 1, 0}, 4096).kind == PatternResult::Kind::not_applicable));
    Claim c;
    c.kind = ClaimKind::strict_local_min;
    const Verdict strict = check(pb, {Point{"p", p}}, c);
    BOOST_TEST(strict.method() != "rescaling-curve");
    // A dead hidden unit with the output at the mean label: certified by dead-layer without decay; with
    // decay the decay gradient on W1, b1 is nonzero and the point is refuted by a ray instead.
    const Vector dead{-1, -10, 0, Rational(2, 5)};
    c.kind = ClaimKind::local_min;
    pb.weight_decay = 0;
    BOOST_TEST(check(pb, {Point{"d", dead}}, c).method() == "dead-layer");
    pb.weight_decay = Rational(1, 10);
    const Verdict v = check(pb, {Point{"d", dead}}, c);
    BOOST_TEST(v.method() != "dead-layer");
    BOOST_TEST((v.outcome() == Outcome::refuted));
}

// The untrusted float loss (hints/float_loss.hpp, which ray_chart.cpp's witness test uses to pass over points whose
// loss lies clearly above the refutation level) agrees with the kernel's loss to float accuracy for every activation
// and loss: exactly computed where the network is piecewise polynomial, the midpoint of a 128-bit enclosure elsewhere.
// A float loss that drifted (a wrong derivative order, a sign of bce's label term, a missing scale or weight decay)
// would make the witness test skip real witnesses.
BOOST_AUTO_TEST_CASE(float_loss_hint_agrees_with_the_kernel) {
    PrecisionScope scope(128);
    const auto agrees = [](const Problem& pb, const Vector& p) {
        const std::optional<double> f = nncert::hints::loss_in_doubles(pb, p);
        BOOST_TEST_REQUIRE(f.has_value());
        const std::vector<Interval> th(p.begin(), p.end());
        const Interval l = loss_and_gradient<Interval>(pb, th, nullptr);
        const double mid = midpoint(l).convert_to<double>();
        BOOST_TEST(std::fabs(*f - mid) <= 1e-12 * (1 + std::fabs(mid)), "float " << *f << " against " << mid);
    };
    for (LossKind k : {LossKind::sse, LossKind::half_sse, LossKind::mse}) {
        Problem pb = small_problem(k);
        pb.data[1].weight = Rational(5, 3);
        const Vector p = some_point(pb.net.num_params());
        agrees(pb, p);
        BOOST_TEST(*nncert::hints::loss_in_doubles(pb, p) == loss(pb, p).convert_to<double>(),
                   boost::test_tools::tolerance(1e-13));
    }
    const std::vector<std::pair<Rational, Rational>> data = {{-2, 1}, {Rational(1, 2), 0}, {3, 1}, {Rational(-7, 10), 0}};
    for (ActivationKind a : {ActivationKind::sigmoid, ActivationKind::tanh, ActivationKind::softplus, ActivationKind::relu,
                             ActivationKind::leaky_relu}) {
        Activation hidden = act(a);
        hidden.alpha = Rational(1, 10);
        Problem pb = one_hidden(3, hidden, data);
        pb.weight_decay = Rational(1, 100);
        const Vector p = some_point(pb.net.num_params());
        agrees(pb, p);
        pb.net.layers.back().activation = act(ActivationKind::sigmoid);
        for (LossKind k : {LossKind::sse, LossKind::mse, LossKind::bce}) {
            pb.loss = k;
            agrees(pb, p);
        }
    }
    // Two outputs and the softmax cross-entropy.
    Problem ce = small_problem(LossKind::cross_entropy);
    ce.net.layers[0].activation = act(ActivationKind::tanh);
    agrees(ce, some_point(ce.net.num_params()));
}

BOOST_AUTO_TEST_SUITE_END()
