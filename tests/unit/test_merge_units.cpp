// Merging identical hidden units at a point (kernel/merge_units.hpp) and the loss claims at a point that use it
// and the precision retry (claims_values.cpp): merging never changes a network output; near-identical units are
// never merged; the weight decay uses the original parameters; a retry names its precision.
#include "kernel/exact.hpp"
#include "kernel/kernel.hpp"
#include "kernel/merge_units.hpp"
#include "problems.hpp"
#include "script/script.hpp"

#include <boost/test/unit_test.hpp>

#include <random>

using namespace nncert;
using kernel::ActivationKind;
using kernel::Outcome;
using kernel::Rational;
using kernel::Vector;
using testing::act;
using testing::field;

namespace {

Rational num(const char* text) { return script::parse_number(text); }

// A network with three hidden layers of exact activations (the exact forward pass is the reference).
kernel::Network deep_net(std::size_t input, std::size_t w1, std::size_t w2, std::size_t w3, std::size_t out) {
    kernel::Network net;
    net.input_dim = input;
    net.layers = {{w1, act(ActivationKind::relu)},
                  {w2, testing::poly({Rational(1), Rational(-1), Rational(1, 2)})},
                  {w3, act(ActivationKind::identity), false},
                  {out, act(ActivationKind::identity)}};
    return net;
}

// Sets unit v's incoming row (and bias) of layer l equal to unit u's.
void copy_unit(const kernel::Network& net, Vector& params, std::size_t l, std::size_t u, std::size_t v) {
    const std::size_t n_in = net.fan_in(l), w = net.weight_offset(l);
    for (std::size_t j = 0; j < n_in; ++j) params[w + v * n_in + j] = params[w + u * n_in + j];
    if (net.has_bias(l)) params[net.bias_offset(l) + v] = params[net.bias_offset(l) + u];
}

Rational small_rational(std::mt19937& gen) {
    std::uniform_int_distribution<int> n(-6, 6), d(1, 4);
    return Rational(n(gen), d(gen));
}

kernel::Verdict check_text(const std::string& text, std::size_t claim_index) {
    const script::Script s = script::parse_text(text, "merge.nnc", ".");
    return kernel::check(s.problem, s.points, s.claims.at(claim_index).claim);
}

const std::string two_softplus_header = R"(nncert 1
data {
  1 -> 0
}
network {
  input 1
  dense 2 softplus
  dense 1 identity
}
loss sse
)";

}  // namespace

BOOST_AUTO_TEST_SUITE(merge_units)

BOOST_AUTO_TEST_CASE(merging_never_changes_an_output) {
    std::mt19937 gen(20261201);
    std::size_t merged_total = 0;
    for (int trial = 0; trial < 60; ++trial) {
        const kernel::Network net = deep_net(2, 5, 4, 3, 2);
        Vector params(net.num_params());
        for (Rational& t : params) t = small_rational(gen);
        // Plant copies in every hidden layer (and in the output layer, which must stay as it is).
        std::uniform_int_distribution<std::size_t> pick(0, 2);
        for (std::size_t l = 0; l < net.layers.size(); ++l) {
            const std::size_t width = net.layers[l].width;
            for (std::size_t k = pick(gen); k > 0; --k) {
                std::uniform_int_distribution<std::size_t> unit(0, width - 1);
                copy_unit(net, params, l, unit(gen), unit(gen));
            }
        }
        const kernel::MergedNetwork m = kernel::merge_identical_units(net, params);
        merged_total += m.merged;
        BOOST_TEST(m.net.num_params() == m.params.size());
        BOOST_TEST(m.net.output_dim() == net.output_dim());
        BOOST_TEST(m.net.layers.back().width == net.layers.back().width);
        std::size_t removed = 0;
        for (std::size_t l = 0; l < net.layers.size(); ++l) removed += net.layers[l].width - m.net.layers[l].width;
        BOOST_TEST(removed == m.merged);
        for (int s = 0; s < 8; ++s) {
            const Vector x{small_rational(gen), small_rational(gen)};
            BOOST_TEST(kernel::outputs(m.net, m.params, x) == kernel::outputs(net, params, x));
        }
    }
    BOOST_TEST(merged_total > 30u);  // the planted copies were found
}

BOOST_AUTO_TEST_CASE(units_that_become_identical_after_the_previous_layer_merge_too) {
    // Layer 1: units 1 and 2 identical. Layer 2: rows (1, -1, 3) and (-1, 1, 3) differ, but over the merged
    // columns both are (0, 3): identical, so layer 2 shrinks to one unit as well.
    kernel::Network net;
    net.input_dim = 1;
    net.layers = {{3, act(ActivationKind::sigmoid)}, {2, act(ActivationKind::tanh)}, {1, act(ActivationKind::identity)}};
    const Vector params{2, 2, 5, 0, 0, 1, 1, -1, 3, -1, 1, 3, 7, 7, 1, 1, 0};
    BOOST_REQUIRE(params.size() == net.num_params());
    const kernel::MergedNetwork m = kernel::merge_identical_units(net, params);
    BOOST_TEST(m.merged == 2u);
    BOOST_TEST(m.net.layers[0].width == 2u);
    BOOST_TEST(m.net.layers[1].width == 1u);
    // W1 = [[2], [5]], b1 = [0, 1], W2 = [[0, 3]], b2 = [7], W3 = [[2]], b3 = [0]
    const Vector expected{2, 5, 0, 1, 0, 3, 7, 2, 0};
    BOOST_TEST(m.params == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(near_identical_units_and_output_units_are_never_merged) {
    kernel::Network net;
    net.input_dim = 1;
    net.layers = {{3, act(ActivationKind::softplus)}, {2, act(ActivationKind::identity)}};
    const Rational big = num("1e300"), tiny = num("1e-300");
    // Rows equal, biases 1e-300 apart; a third unit with the row 1e-300 apart. Output rows identical.
    const Vector params{big, big, big + tiny, 0, tiny, 0, 1, -1, 1, 1, -1, 1, 0, 0};
    BOOST_REQUIRE(params.size() == net.num_params());
    const kernel::MergedNetwork m = kernel::merge_identical_units(net, params);
    BOOST_TEST(m.merged == 0u);
    BOOST_TEST(m.params == params, boost::test_tools::per_element());
    BOOST_TEST(m.net.layers[0].width == 3u);
    BOOST_TEST(m.net.layers[1].width == 2u);
}

BOOST_AUTO_TEST_CASE(the_cancelling_softplus_pair_is_decided_at_the_working_precision) {
    const std::string text = two_softplus_header + R"(point p {
  W1 = [[1e300], [1e300]]
  b1 = [0, 0]
  W2 = [[1, -1]]
  b2 = [0]
}
claim loss p in [0, 0]
)";
    const kernel::Verdict v = check_text(text, 0);
    BOOST_TEST((v.outcome() == Outcome::certified));
    BOOST_REQUIRE(field(v.evidence(), "identical_units_merged"));
    BOOST_TEST(std::get<long long>(field(v.evidence(), "identical_units_merged")->data) == 1);
    BOOST_TEST(std::get<long long>(field(v.evidence(), "precision_bits")->data) == 128);
    BOOST_TEST(!field(v.evidence(), "precision_bits_tried_before"));
}

BOOST_AUTO_TEST_CASE(a_retry_names_the_precision_that_decided_and_the_ones_before) {
    const std::string text = two_softplus_header + R"(point q {
  W1 = [[1e300], [1e300]]
  b1 = [1, 0]
  W2 = [[1, -1]]
  b2 = [-1]
}
claim loss q in [0, 1e-100]
claim loss q in [1e-100, 1]
)";
    for (std::size_t i : {0u, 1u}) {
        const kernel::Verdict v = check_text(text, i);
        BOOST_TEST((v.outcome() == (i == 0 ? Outcome::certified : Outcome::refuted)));
        const long long bits = std::get<long long>(field(v.evidence(), "precision_bits")->data);
        BOOST_TEST(bits > 128);
        BOOST_TEST(bits <= 16384);
        const kernel::Value* tried = field(v.evidence(), "precision_bits_tried_before");
        BOOST_REQUIRE(tried);
        const auto& list = std::get<kernel::List>(tried->data);
        BOOST_REQUIRE(!list.empty());
        BOOST_TEST(std::get<long long>(list.front().data) == 128);
        BOOST_TEST(!field(v.evidence(), "identical_units_merged"));
    }
    // The same claims at a fixed 128 bits, as a box of radius 1e-1000 (boxes are never retried): undecided.
    const std::string boxed = two_softplus_header + R"(point q {
  W1 = [[1e300], [1e300]]
  b1 = [1, 0]
  W2 = [[1, -1]]
  b2 = [-1]
}
claim loss q within 1e-1000 in [0, 1e-100]
)";
    BOOST_TEST((check_text(boxed, 0).outcome() == Outcome::inconclusive));
}

BOOST_AUTO_TEST_CASE(an_undecidable_point_claim_stops_at_the_precision_limit) {
    // The loss is exactly 0 but the units differ (they agree only at the data point): [0, 0] never decides.
    const std::string text = R"(nncert 1
data {
  1, 1 -> 0
}
network {
  input 2
  dense 2 softplus
  dense 1 identity
}
loss sse
point s {
  W1 = [[1e300, 0], [0, 1e300]]
  b1 = [0, 0]
  W2 = [[1, -1]]
  b2 = [0]
}
claim loss s in [0, 0]
)";
    const kernel::Verdict v = check_text(text, 0);
    BOOST_TEST((v.outcome() == Outcome::inconclusive));
    BOOST_TEST(std::get<long long>(field(v.evidence(), "precision_bits")->data) == 16384);
}

BOOST_AUTO_TEST_SUITE_END()
