// The one-layer loss bounds (kernel/interval/one_layer.cpp): the gathered second-order bound lies below the loss at
// random exact points of random boxes (2000-bit references, independent formulas), is tight on small boxes, and the
// contraction keeps every sampled point whose loss is <= the level.
#include "kernel/autodiff.hpp"
#include "kernel/interval/box.hpp"
#include "kernel/interval/one_layer.hpp"
#include "kernel/interval/one_layer_binary64.hpp"
#include "problems.hpp"
#include "test_interval_support.hpp"

#include <boost/test/unit_test.hpp>

using namespace nncert::kernel;
using namespace nncert::testing;

namespace {

struct Case {
    std::string name;  // activation name for ref_activation ("identity", "poly": exact)
    Activation f;
    LossKind loss;
    bool bias;
    Rational decay;
};

std::vector<Case> cases() {
    const Activation cubic = poly({Rational(0), Rational(1), Rational(0), Rational(1, 3)});
    return {
        {"sigmoid", act(ActivationKind::sigmoid), LossKind::sse, true, Rational(0)},
        {"sigmoid", act(ActivationKind::sigmoid), LossKind::mse, false, Rational(1, 50)},
        {"tanh", act(ActivationKind::tanh), LossKind::half_sse, true, Rational(0)},
        {"tanh", act(ActivationKind::tanh), LossKind::sse, true, Rational(1, 10)},
        {"softplus", act(ActivationKind::softplus), LossKind::sse, true, Rational(0)},
        {"identity", act(ActivationKind::identity), LossKind::mse, true, Rational(1, 7)},
        {"poly", cubic, LossKind::sse, true, Rational(0)},
    };
}

Problem problem_of(const Case& c) {
    Problem pb;
    pb.net.input_dim = 2;
    Layer l;
    l.width = 1;
    l.activation = c.f;
    l.bias = c.bias;
    pb.net.layers = {l};
    pb.loss = c.loss;
    pb.weight_decay = c.decay;
    // Brady-Raghavan-Slawny-like: heavy points that pin the unit, light points on the wrong side.
    pb.data = {{{Rational(0), Rational(0)}, {Rational(1, 10)}, Rational(100)},
               {{Rational(4), Rational(2)}, {Rational(9, 10)}, Rational(100)},
               {{Rational(0), Rational(4)}, {Rational(1, 10)}, Rational(3, 2)},
               {{Rational(14, 5), Rational(2)}, {Rational(1, 10)}, Rational(1)},
               {{Rational(-3, 2), Rational(-2)}, {Rational(9, 10)}, Rational(1)}};
    return pb;
}

Vector linear_form(const Problem& pb, std::size_t i) {
    Vector a = pb.data[i].x;
    if (pb.net.has_bias(0)) a.emplace_back(1);
    return a;
}

// The loss at an exact point, at 2000 bits: scale * sum_i w_i (f(z_i) - y_i)^2 + lambda |theta|^2.
Ref ref_loss(const Problem& pb, const Case& c, const Vector& th) {
    Ref total;
    const Rational scale = loss_scale(pb);
    for (std::size_t i = 0; i < pb.data.size(); ++i) {
        const Vector a = linear_form(pb, i);
        Rational z = 0;
        for (std::size_t k = 0; k < a.size(); ++k) z += a[k] * th[k];
        Ref fz;
        if (c.name == "identity") {
            fz = Ref(z);
        } else if (c.name == "poly") {
            Rational v = 0, power = 1;
            for (const Rational& co : c.f.coeffs) {
                v += co * power;
                power *= z;
            }
            fz = Ref(v);
        } else {
            fz = ref_activation(c.name, z, 0);
        }
        Ref y(pb.data[i].y[0]), w(scale * pb.data[i].weight);
        mpfr_sub(fz.v, fz.v, y.v, MPFR_RNDN);
        mpfr_sqr(fz.v, fz.v, MPFR_RNDN);
        mpfr_mul(fz.v, fz.v, w.v, MPFR_RNDN);
        mpfr_add(total.v, total.v, fz.v, MPFR_RNDN);
    }
    Rational decay = 0;
    for (const Rational& t : th) decay += t * t;
    Ref d(pb.weight_decay * decay);
    mpfr_add(total.v, total.v, d.v, MPFR_RNDN);
    return total;
}

Box random_box(std::mt19937_64& g, std::size_t p, const Rational& size) {
    Box b(p);
    for (auto& r : b) {
        const Rational c = random_in(g, -3, 3), h = random_in(g, 0, size);
        r.lo = c - h;
        r.hi = c + h;
    }
    return b;
}

Vector random_point(std::mt19937_64& g, const Box& b) {
    Vector th;
    for (const Range& r : b) th.push_back(random_in(g, *r.lo, *r.hi));
    return th;
}

// Where a lower bound over a bounded box is tested: the sample point, the two extreme corners, then n random points
// (in that order, so that callers draw the same random numbers as before).
std::vector<Vector> probe_points(std::mt19937_64& g, const Box& box, int n) {
    std::vector<Vector> points{sample(box)};
    Vector lo, hi;
    for (const Range& r : box) {
        lo.push_back(*r.lo);
        hi.push_back(*r.hi);
    }
    points.push_back(lo);
    points.push_back(hi);
    for (int s = 0; s < n; ++s) points.push_back(random_point(g, box));
    return points;
}

bool inside(const Box& b, const Vector& th) {
    for (std::size_t k = 0; k < b.size(); ++k)
        if (!b[k].contains(th[k])) return false;
    return true;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(one_layer)

BOOST_AUTO_TEST_CASE(applies_only_without_a_hidden_layer_and_with_squared_errors) {
    PrecisionScope scope(128);
    Problem pb = problem_of(cases()[0]);
    BOOST_TEST(OneLayer::of(pb).has_value());
    Problem relu = pb;
    relu.net.layers[0].activation = act(ActivationKind::relu);
    BOOST_TEST(!OneLayer::of(relu).has_value());
    Problem bce = pb;
    bce.loss = LossKind::bce;
    BOOST_TEST(!OneLayer::of(bce).has_value());
    BOOST_TEST(!OneLayer::of(one_hidden(2, act(ActivationKind::tanh), {{1, 2}, {2, 1}})).has_value());
}

BOOST_AUTO_TEST_CASE(lower_bound_is_below_the_loss_at_random_points) {
    PrecisionScope scope(128);
    std::mt19937_64 g(2026);
    for (const Case& c : cases()) {
        const Problem pb = problem_of(c);
        const std::optional<OneLayer> ol = OneLayer::of(pb);
        BOOST_REQUIRE(ol.has_value());
        const std::size_t p = pb.net.num_params();
        for (const Rational& size : {Rational(1, 1000000), Rational(1, 1000), Rational(1, 10), Rational(2), Rational(60)}) {
            for (int trial = 0; trial < 12; ++trial) {
                const Box box = random_box(g, p, size);
                const std::optional<Rational> lb = ol->lower_bound(box);
                if (!lb) continue;
                const std::vector<Vector> points = probe_points(g, box, 16);
                for (const Vector& th : points) {
                    const Ref l = ref_loss(pb, c, th);
                    BOOST_TEST(mpfr_cmp_q(l.v, lb->backend().data()) >= 0, c.name << " size " << size);
                }
                // Tight on tiny boxes: within 1% of the loss at the sample point (plus 1e-2; a vacuous bound fails).
                if (size == Rational(1, 1000000)) {
                    Ref l = ref_loss(pb, c, points[0]);
                    Ref b(*lb * Rational(101, 100) + Rational(1, 100));
                    BOOST_TEST(mpfr_cmp(b.v, l.v) >= 0, c.name << ": bound " << *lb);
                }
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(contraction_keeps_every_point_at_or_below_the_level) {
    PrecisionScope scope(128);
    std::mt19937_64 g(77);
    int shrunk = 0, empty = 0;
    for (const Case& c : cases()) {
        if (c.name != "sigmoid" && c.name != "tanh" && c.name != "identity") continue;
        const Problem pb = problem_of(c);
        const std::optional<OneLayer> ol = OneLayer::of(pb);
        BOOST_REQUIRE(ol.has_value());
        const std::size_t p = pb.net.num_params();
        for (const Rational& size : {Rational(1, 100), Rational(1), Rational(40)}) {
            for (int trial = 0; trial < 16; ++trial) {
                const Box box = random_box(g, p, size);
                std::vector<Vector> points;
                for (int s = 0; s < 24; ++s) points.push_back(random_point(g, box));
                // The level: the loss at the first point (rounded up) plus a random share of its size.
                const Ref l0 = ref_loss(pb, c, points[0]);
                Rational level = exact_rational(l0.v) * random_in(g, 1, Rational(11, 10)) + Rational(1, 1000000);
                if (trial % 4 == 3) level = level / 4;  // often below every sampled loss: may be empty
                const OneLayer::Contraction ct = ol->contract(box, level);
                if (ct.empty) ++empty;
                if (ct.shrunk) ++shrunk;
                if (!ct.empty)
                    for (std::size_t k = 0; k < p; ++k) {  // a sub-box
                        BOOST_TEST(*ct.box[k].lo <= *ct.box[k].hi);
                        BOOST_TEST(*box[k].lo <= *ct.box[k].lo);
                        BOOST_TEST(*ct.box[k].hi <= *box[k].hi);
                    }
                for (const Vector& th : points) {
                    const Ref l = ref_loss(pb, c, th);
                    if (mpfr_cmp_q(l.v, level.backend().data()) > 0) continue;
                    BOOST_TEST(!ct.empty, c.name << ": a point with L <= level in an empty contraction");
                    BOOST_TEST(inside(ct.box, th), c.name << ": a point with L <= level cut off");
                }
            }
        }
    }
    BOOST_TEST(shrunk > 0);  // the tests above must exercise the cutting
    BOOST_TEST(empty > 0);
}

BOOST_AUTO_TEST_CASE(contraction_of_the_brady_box_pins_the_unit) {
    // proofs/gallery/brady-raghavan-slawny.nnc: [-100, 100]^3 at level 0.3615 shrinks to a box a few units wide.
    PrecisionScope scope(128);
    Problem pb = problem_of(cases()[0]);
    pb.data[2].weight = 100;
    pb.data[2].y = {Rational(1, 10)};
    pb.data[4].x = {Rational(18, 5), Rational(8, 5)};
    const std::optional<OneLayer> ol = OneLayer::of(pb);
    Box box(3, Range{Rational(-100), Rational(100)});
    OneLayer::Contraction ct{false, box, true};
    for (int i = 0; i < 8 && ct.shrunk && !ct.empty; ++i) ct = ol->contract(ct.box, dec("0.3615"));
    BOOST_TEST(!ct.empty);
    for (const Range& r : ct.box) BOOST_TEST(Rational(*r.hi - *r.lo) < 4);
    // The fit (loss ~0.36157) is inside; at a level below the global minimum the box empties.
    const Vector fit{dec("1.08193594954887892542736505908"), dec("-0.000502466201632813319678330975972"),
                     dec("-2.219770119385833399032011643")};
    BOOST_TEST(inside(ct.box, fit));
    OneLayer::Contraction low{false, box, true};
    for (int i = 0; i < 40 && low.shrunk && !low.empty; ++i) low = ol->contract(low.box, dec("0.01"));
    BOOST_TEST(low.empty);
}

// The contraction's f^-1 bounds (64 bits, directed roundings) against 2000-bit MPFI enclosures of the inverse, at
// exact 128-bit numbers t across the range, next to its ends and at its centre: the upper bound is never below the
// true value, the lower never above it, and both are within 2^-56 (relative) of it.
BOOST_AUTO_TEST_CASE(inverse_bounds_enclose_the_inverse_tightly) {
    std::mt19937_64 g(4242);
    int checked = 0;
    for (const ActivationKind kind : {ActivationKind::sigmoid, ActivationKind::tanh}) {
        const Rational bottom = kind == ActivationKind::sigmoid ? Rational(0) : Rational(-1);
        std::vector<Rational> ts;
        for (int k = 0; k < 300; ++k) ts.push_back(random_in(g, bottom, 1));
        for (const int e : {1, 20, 60, 127, 200, 1000}) {
            const Rational eps(Integer(1), Integer(1) << e);
            ts.push_back(bottom + eps);
            ts.push_back(1 - eps);
        }
        ts.push_back(Rational(1, 2));
        ts.push_back(Rational(0));
        for (const Rational& q : ts) {
            if (q <= bottom || q >= 1) continue;
            mpfr_t t;
            mpfr_init2(t, 128);
            mpfr_set_q(t, q.backend().data(), MPFR_RNDN);
            if (mpfr_cmp_q(t, bottom.backend().data()) <= 0 || mpfr_cmp_ui(t, 1) >= 0) {
                mpfr_clear(t);
                continue;
            }
            const std::optional<Rational> up = one_layer_detail::inverse_bound(kind, t, true);
            const std::optional<Rational> down = one_layer_detail::inverse_bound(kind, t, false);
            BOOST_TEST_REQUIRE(up.has_value());
            BOOST_TEST_REQUIRE(down.has_value());
            PrecisionScope scope(2000);
            const Interval v = Interval::from_mpfr(t);
            const Interval ref = kind == ActivationKind::sigmoid ? Interval(log(v) - log1p(-v))
                                                                 : Interval(mul_2si(log1p(v) - log1p(-v), -1));
            BOOST_TEST(mpfr_cmp_q(ref.lo(), up->backend().data()) <= 0, "upper bound below f^-1 at " << q);
            BOOST_TEST(mpfr_cmp_q(ref.hi(), down->backend().data()) >= 0, "lower bound above f^-1 at " << q);
            const Rational au = abs(ref.upper()), scale = au > 1 ? au : Rational(1);
            BOOST_TEST(Rational(*up - ref.upper()) <= scale / (Integer(1) << 56));
            BOOST_TEST(Rational(ref.lower() - *down) <= scale / (Integer(1) << 56));
            mpfr_clear(t);
            ++checked;
        }
    }
    BOOST_TEST(checked > 600);
}

// Cut ends: rounded outward onto the multiples of 2^(e - 24), never by a full step; exact without a width exponent.
BOOST_AUTO_TEST_CASE(cut_ends_round_outward_onto_the_grid) {
    std::mt19937_64 g(99);
    for (int k = 0; k < 400; ++k) {
        const Rational q = random_in(g, -300, 300) * Rational(1, Integer(1) << (g() % 60));
        mpfr_t x;
        mpfr_init2(x, 128);
        mpfr_set_q(x, q.backend().data(), MPFR_RNDN);
        const Rational xv = exact_rational(x);
        const mpfr_exp_t e = static_cast<mpfr_exp_t>(g() % 80) - 60;
        const Rational step = e >= 24 ? Rational(Integer(1) << (e - 24)) : Rational(Integer(1), Integer(1) << (24 - e));
        const std::optional<Rational> down = one_layer_detail::cut_end(x, true, e);
        const std::optional<Rational> up = one_layer_detail::cut_end(x, false, e);
        BOOST_TEST_REQUIRE(down.has_value());
        BOOST_TEST_REQUIRE(up.has_value());
        BOOST_TEST(*down <= xv);
        BOOST_TEST(xv <= *up);
        BOOST_TEST(Rational(xv - *down) < step);
        BOOST_TEST(Rational(*up - xv) < step);
        const Rational md = *down / step, mu = *up / step;
        BOOST_TEST(denominator(md) == 1);  // multiples of the step
        BOOST_TEST(denominator(mu) == 1);
        BOOST_TEST(*one_layer_detail::cut_end(x, true, std::nullopt) == xv);
        mpfr_clear(x);
    }
}

// The loss enclosure at the sample point that the assessor uses to skip hopeless witnesses contains the 2000-bit
// loss there, for every supported activation, loss, bias and weight decay.
BOOST_AUTO_TEST_CASE(centre_loss_encloses_the_loss_at_the_sample_point) {
    PrecisionScope scope(128);
    std::mt19937_64 g(31);
    int checked = 0;
    for (const Case& c : cases()) {
        const Problem pb = problem_of(c);
        const std::optional<OneLayer> ol = OneLayer::of(pb);
        BOOST_REQUIRE(ol.has_value());
        for (const Rational& size : {Rational(1, 1000), Rational(1, 3), Rational(5)}) {
            for (int trial = 0; trial < 8; ++trial) {
                const Box box = random_box(g, pb.net.num_params(), size);
                const OneLayer::Examination ex = ol->examine(box, std::nullopt);
                if (ex.outcome != OneLayer::Examination::Outcome::bounded) continue;
                BOOST_TEST_REQUIRE(ex.centre_loss.has_value());
                BOOST_TEST(encloses(*ex.centre_loss, ref_loss(pb, c, sample(box))), c.name << " size " << size);
                ++checked;
            }
        }
    }
    BOOST_TEST(checked > 100);
}

// The binary64 route of the gathered bound (docs/certificates.md, "The gathered bound in binary64"): below the
// 2000-bit loss at the sample point, the box's corners and random exact points of random boxes (sigmoid and tanh,
// every squared error, with and without bias), within 1e-9 of the MPFI route's bound where both exist (so it is the
// same bound, not a vacuous one), and declining (nothing) on unbounded boxes, where an end overflows, or for weight
// decay. Boxes from 2^-1000 wide (subnormal half-widths) to 10^300 wide, and ends up to 10^300.
BOOST_AUTO_TEST_CASE(binary64_bound_is_below_the_loss_and_matches_the_mpfi_bound) {
    PrecisionScope scope(128);
    std::mt19937_64 g(1409);
    const std::vector<Case> fast = {
        {"sigmoid", act(ActivationKind::sigmoid), LossKind::sse, true, Rational(0)},
        {"sigmoid", act(ActivationKind::sigmoid), LossKind::mse, false, Rational(0)},
        {"tanh", act(ActivationKind::tanh), LossKind::half_sse, true, Rational(0)},
        {"tanh", act(ActivationKind::tanh), LossKind::sse, false, Rational(0)},
    };
    int compared = 0, declined = 0;
    for (const Case& c : fast) {
        const Problem pb = problem_of(c);
        const std::optional<OneLayer> ol = OneLayer::of(pb);
        BOOST_REQUIRE(ol.has_value());
        const std::size_t p = pb.net.num_params();
        const Rational tiny = Rational(1) / boost::multiprecision::pow(boost::multiprecision::mpz_int(2), 1000);
        const Rational huge = boost::multiprecision::pow(boost::multiprecision::mpz_int(10), 300);
        for (const Rational& size : {tiny, Rational(1, 1000000), Rational(1, 1000), Rational(1, 10), Rational(2),
                                     Rational(60), Rational(100000), huge}) {
            for (int trial = 0; trial < 10; ++trial) {
                Box box = random_box(g, p, size);
                if (trial == 9) box[0].hi = box[0].lo;  // a degenerate range (a face's fixed coordinate)
                const std::optional<Rational> fb = ol->lower_bound_binary64(box);
                const std::optional<Rational> mb = ol->lower_bound_mpfi(box);
                if (!fb) {
                    ++declined;
                    continue;
                }
                const std::vector<Vector> points = probe_points(g, box, 12);
                for (const Vector& th : points) {
                    const Ref l = ref_loss(pb, c, th);
                    BOOST_TEST(mpfr_cmp_q(l.v, fb->backend().data()) >= 0, c.name << " size " << size);
                }
                if (mb) {
                    const Rational gap = *mb - *fb;
                    const Rational scale = 1 + (*mb < 0 ? Rational(-*mb) : *mb);
                    BOOST_TEST(gap <= scale / 1000000000, c.name << " size " << size << ": binary64 " << *fb
                                                                 << ", mpfi " << *mb);
                    ++compared;
                }
            }
        }
        // Unbounded boxes have no gathered bound on either route.
        Box open = random_box(g, p, Rational(1));
        open[1].hi.reset();
        BOOST_TEST(!ol->lower_bound_binary64(open).has_value());
        // Data far out: z_i overflows binary64, and the route declines instead of rounding inward.
        Problem far = pb;
        for (Sample& smp : far.data) smp.x[0] *= huge;
        const std::optional<OneLayer> fo = OneLayer::of(far);
        BOOST_REQUIRE(fo.has_value());
        Box wide_box = random_box(g, p, Rational(1));
        wide_box[0].lo = -huge;
        wide_box[0].hi = huge;
        BOOST_TEST(!fo->lower_bound_binary64(wide_box).has_value());
    }
    BOOST_TEST(compared > 200);
    // Weight decay keeps the MPFI route.
    const Problem decayed = problem_of(cases()[1]);
    const std::optional<OneLayer> od = OneLayer::of(decayed);
    BOOST_REQUIRE(od.has_value());
    BOOST_TEST(!od->lower_bound_binary64(random_box(g, decayed.net.num_params(), Rational(1))).has_value());
    BOOST_TEST_MESSAGE("binary64 bounds compared: " << compared << ", declined: " << declined);
}

// The output-layer search in binary64 (docs/certificates.md, "The output-layer search in binary64") against the MPFI
// driver with the one-layer assessor, on random boxes at levels just below, near and above the loss somewhere in the
// box: a proven run has every probed point above the level, a refuted run's level is reached at some probed point or
// its witness, neither route proves what the other refutes, the run's bound (capped at t) lies below the loss at every
// probe, and every probed point at or below the level lies in one of the boxes a run leaves open (keep_unsettled).
BOOST_AUTO_TEST_CASE(binary64_search_agrees_with_the_mpfi_driver_and_keeps_every_low_point_open) {
    PrecisionScope scope(128);
    std::mt19937_64 g(2027);
    const std::vector<Case> fast = {
        {"sigmoid", act(ActivationKind::sigmoid), LossKind::sse, true, Rational(0)},
        {"sigmoid", act(ActivationKind::sigmoid), LossKind::mse, false, Rational(0)},
        {"tanh", act(ActivationKind::tanh), LossKind::half_sse, true, Rational(0)},
    };
    int proven = 0, refuted = 0, other = 0, agreed = 0;
    for (const Case& c : fast) {
        const Problem pb = problem_of(c);
        const std::optional<OneLayer> ol = OneLayer::of(pb);
        BOOST_REQUIRE(ol.has_value());
        const std::size_t p = pb.net.num_params();
        for (const Rational& size : {Rational(1, 1000), Rational(1, 10), Rational(1), Rational(4)}) {
            for (int trial = 0; trial < 12; ++trial) {
                const Box box = random_box(g, p, size);
                const std::vector<Vector> points = probe_points(g, box, 40);
                std::vector<Rational> loss;
                Rational least;
                for (std::size_t j = 0; j < points.size(); ++j) {
                    const Ref l = ref_loss(pb, c, points[j]);
                    Rational q;
                    mpq_t m;
                    mpq_init(m);
                    mpfr_get_q(m, l.v);
                    q = Rational(m);
                    mpq_clear(m);
                    loss.push_back(q);
                    if (j == 0 || q < least) least = q;
                }
                const Rational offsets[3] = {Rational(-1, 10), Rational(-1, 1000), Rational(1, 1000)};
                LossObligation ob;
                ob.threshold = least + offsets[trial % 3];
                ob.strict = true;
                ob.refute = ob.threshold;
                ob.refute_strict = false;
                BranchBoundLimits limits{200, nullptr, "test"};
                limits.keep_unsettled = true;
                const std::optional<BranchBoundResult> f = one_layer_search_binary64(pb, {box}, ob, limits);
                BOOST_REQUIRE(f.has_value());
                const BranchBoundResult m = branch_and_bound({box}, lower_bound_assessor(pb, ol, ob), limits);
                using O = BranchBoundResult::Outcome;
                BOOST_TEST(!(f->outcome == O::proven && m.outcome == O::refuted), c.name << " size " << size);
                BOOST_TEST(!(f->outcome == O::refuted && m.outcome == O::proven), c.name << " size " << size);
                if (f->outcome == m.outcome) ++agreed;
                const LowerBound capped = capped_bound(f->bound, ob.threshold);
                for (std::size_t j = 0; j < points.size(); ++j) {
                    if (f->outcome == O::proven) BOOST_TEST(loss[j] > ob.threshold, c.name << " size " << size);
                    if (capped.value) BOOST_TEST(loss[j] >= *capped.value, c.name << " size " << size);
                    if (f->outcome != O::proven && loss[j] <= ob.threshold) {
                        bool covered = false;
                        for (const Box& o : f->unsettled) covered = covered || inside(o, points[j]);
                        BOOST_TEST(covered, c.name << " size " << size << ": a point at or below the level left no box");
                    }
                }
                if (f->outcome == O::proven) ++proven;
                else if (f->outcome == O::refuted) ++refuted;
                else ++other;
            }
        }
    }
    BOOST_TEST(proven > 20);
    BOOST_TEST(refuted > 20);
    BOOST_TEST_MESSAGE("binary64 searches: " << proven << " proven, " << refuted << " refuted, " << other
                                             << " exhausted; same outcome as the MPFI driver: " << agreed);
}

BOOST_AUTO_TEST_SUITE_END()
