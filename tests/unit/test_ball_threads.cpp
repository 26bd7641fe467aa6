// The ball engine on 1, 2 and 3 threads: its Hessian enclosures, its centre gradients and the certificates of
// its claims (critical, hessian_pd, strict_local_min within r) must be the same to the last bit, so that a proof
// re-runs to the same report on a machine with another number of cores (docs/certificates.md, "Rounds and
// threads"). Problems of 300 data points, several chunks of the engine's fixed partition, every loss.
#include "kernel/ball/box_hessian.hpp"
#include "kernel/interval/enclose.hpp"
#include "kernel/interval/precision.hpp"
#include "kernel/kernel.hpp"
#include "problems.hpp"
#include "value_text.hpp"

#include <boost/test/unit_test.hpp>

#include <random>
#include <sstream>
#include <string>
#include <variant>

using namespace nncert::kernel;
using nncert::test::value_text;
using nncert::testing::act;

namespace {

// A smooth network (2 inputs, 3 tanh units, identity outputs: 3 for cross_entropy; one sigmoid output for bce) with `points` random data points and
// labels that suit the loss (bce: in [0, 1]; cross_entropy: non-negative), and a random centre: the residuals
// are not small, so the curvature term is large and every sum of the engine has many terms.
struct Instance {
    Problem pb;
    Vector centre;
};

Instance instance(std::mt19937_64& g, LossKind loss, std::size_t points) {
    Instance in;
    const std::size_t outputs = loss == LossKind::cross_entropy ? 3 : 1;
    in.pb.loss = loss;
    in.pb.net.input_dim = 2;
    in.pb.net.layers = {{3, act(ActivationKind::tanh)},
                        {outputs, act(loss == LossKind::bce ? ActivationKind::sigmoid : ActivationKind::identity)}};
    in.pb.weight_decay = Rational(1, 1000);
    in.centre.resize(in.pb.net.num_params());
    for (Rational& q : in.centre) q = Rational(static_cast<long>(g() % 17) - 8, 8);
    for (std::size_t i = 0; i < points; ++i) {
        Sample s;
        s.x = {Rational(static_cast<long>(g() % 17) - 8, 4), Rational(static_cast<long>(g() % 17) - 8, 4)};
        for (std::size_t k = 0; k < outputs; ++k)
            s.y.push_back(loss == LossKind::bce || loss == LossKind::cross_entropy
                              ? Rational(static_cast<long>(g() % 5), 4)
                              : Rational(static_cast<long>(g() % 41) - 20, 8));
        // Unequal weights: the Gram term takes the general product, and mse's scale is not a power of two.
        s.weight = Rational(1 + static_cast<long>(g() % 3));
        in.pb.data.push_back(std::move(s));
    }
    return in;
}

// Every bit of a ball Hessian enclosure (doubles printed exactly, as hexadecimal floats).
std::string hessian_text(const BoxHessian& h) {
    std::ostringstream out;
    out << std::hexfloat << "computed " << h.curvature_computed << " jacobian_rows " << h.jacobian_rows << " h";
    for (std::size_t i = 0; i < h.h.mid.size(); ++i) out << ' ' << h.h.mid[i] << '~' << h.h.rad[i];
    out << " curvature";
    for (double c : h.curvature_rows) out << ' ' << c;
    out << " rows";
    for (std::size_t i = 0; i < h.rows.mid.size(); ++i) out << ' ' << h.rows.mid[i] << '~' << h.rows.rad[i];
    return out.str();
}

std::string balls_text(const std::vector<Ball>& v) {
    std::ostringstream out;
    out << std::hexfloat;
    for (const Ball& b : v) out << b.mid() << '~' << b.rad() << ' ';
    return out.str();
}

const LossKind losses[] = {LossKind::sse, LossKind::half_sse, LossKind::mse, LossKind::bce, LossKind::cross_entropy};

}  // namespace

BOOST_AUTO_TEST_SUITE(ball_threads)

// The ball Hessian (curvature bounded and computed, Gram radius by Cauchy-Schwarz and by products), the gradient
// at the centre and the output weights at the centre, bit for bit on 1, 2 and 3 threads.
BOOST_AUTO_TEST_CASE(ball_hessian_and_centre_gradient_do_not_depend_on_the_threads) {
    std::mt19937_64 g(42);
    for (LossKind loss : losses) {
        const Instance in = instance(g, loss, 300);
        const std::vector<Ball> box = ball_box(in.centre, Rational(1, 1000));
        for (bool full : {false, true})
            for (bool tight : {false, true}) {
                const std::string one = hessian_text(ball_hessian(in.pb, box, full, tight, 1));
                if (!full) BOOST_TEST(one.find(" curvature ") != std::string::npos);  // a bounded curvature term
                for (unsigned threads : {2u, 3u})
                    BOOST_TEST((hessian_text(ball_hessian(in.pb, box, full, tight, threads)) == one),
                               to_string(loss) << " full " << full << " tight " << tight << " threads " << threads);
            }
        PrecisionScope scope(128);  // the caller's scope, as check_interval opens it (claims_ball.cpp)
        const std::string grad = balls_text(centre_gradient(in.pb, in.centre, 128, 1));
        const std::string weights = balls_text(centre_output_weights(in.pb, in.centre, 128, 1));
        for (unsigned threads : {2u, 3u}) {
            BOOST_TEST((balls_text(centre_gradient(in.pb, in.centre, 128, threads)) == grad),
                       to_string(loss) << " threads " << threads);
            BOOST_TEST((balls_text(centre_output_weights(in.pb, in.centre, 128, threads)) == weights),
                       to_string(loss) << " threads " << threads);
        }
    }
}

// The claims through kernel::check with the ball engine forced: the same outcome, method, reason and evidence
// (contraction bounds, Krawczyk images, perturbation and residual bounds) on 1, 2 and 3 threads, at random centres:
// refutations (no critical point in the box), definite or indefinite Hessians, and inconclusive answers reached
// after the computed-curvature attempts.
BOOST_AUTO_TEST_CASE(ball_claims_report_the_same_on_one_two_and_three_threads) {
    std::mt19937_64 g(7);
    int compared = 0, decided = 0;
    for (LossKind loss : losses) {
        const Instance in = instance(g, loss, 300);
        for (const Rational& r : {Rational(1, 1000000), Rational(1, 1000)})
            for (ClaimKind kind : {ClaimKind::critical, ClaimKind::hessian_pd, ClaimKind::strict_local_min}) {
                Claim c;
                c.kind = kind;
                c.point = 0;
                c.radius = r;
                const std::vector<Point> pts = {{"P", in.centre}};
                std::string first;
                for (unsigned threads : {1u, 2u, 3u}) {
                    Options opt;
                    opt.engine = Engine::ball;
                    opt.threads = threads;
                    const Verdict v = check(in.pb, pts, c, opt);
                    BOOST_TEST(v.engine() == "ball");
                    const std::string text = to_string(v.outcome()) + " | " + v.method() + " | " + v.reason() +
                                             " | " + value_text(v.evidence());
                    if (threads == 1) {
                        first = text;
                        ++compared;
                        decided += v.outcome() != Outcome::inconclusive;
                    } else {
                        BOOST_TEST(text == first, to_string(loss) << ' ' << to_string(kind) << " r " << r
                                                                  << " threads " << threads);
                    }
                }
            }
    }
    BOOST_TEST(compared == 30);
    BOOST_TEST(decided > 0);
}

BOOST_AUTO_TEST_SUITE_END()
