// Soundness property test of the exact local-minimum methods: whatever `local_min` or
// `strict_local_min` certifies must survive random exact perturbations (no nearby point of lower loss).
// Cases: the paper's minima under random unit rescalings and permutations (still minima), the same with
// one weight nudged (usually not), and random points with forced kinks on random datasets.
#include "kernel/exact.hpp"
#include "kernel/kernel.hpp"
#include "problems.hpp"

#include <boost/test/unit_test.hpp>

#include <random>

using namespace nncert::kernel;
using namespace nncert::testing;

namespace {

struct Case {
    Problem pb;
    Vector p;
};

Rational rand_q(std::mt19937_64& g, long range, long den) {
    std::uniform_int_distribution<long> d(-range * den, range * den);
    return Rational(d(g), den);
}

// Unit j of the single hidden layer: scale incoming weights and bias by a, outgoing by 1/a.
Vector rescale(const Network& net, Vector p, std::size_t j, const Rational& a) {
    const std::size_t n_in = net.fan_in(0), m = net.layers[0].width;
    for (std::size_t d = 0; d < n_in; ++d) p[net.weight_offset(0) + j * n_in + d] *= a;
    p[net.bias_offset(0) + j] *= a;
    for (std::size_t o = 0; o < net.output_dim(); ++o) p[net.weight_offset(1) + o * m + j] /= a;
    return p;
}

Vector swap_units(const Network& net, Vector p, std::size_t i, std::size_t j) {
    const std::size_t n_in = net.fan_in(0), m = net.layers[0].width;
    for (std::size_t d = 0; d < n_in; ++d) std::swap(p[net.weight_offset(0) + i * n_in + d], p[net.weight_offset(0) + j * n_in + d]);
    std::swap(p[net.bias_offset(0) + i], p[net.bias_offset(0) + j]);
    for (std::size_t o = 0; o < net.output_dim(); ++o) std::swap(p[net.weight_offset(1) + o * m + i], p[net.weight_offset(1) + o * m + j]);
    return p;
}

// No sampled point within eps (max-norm) has a lower loss (strict: every sampled point has a higher one).
bool survives_perturbations(const Case& c, std::mt19937_64& g, bool strict) {
    const Rational base = loss(c.pb, c.p);
    for (const long inv_eps : {1000L, 1000000L}) {
        for (int s = 0; s < 150; ++s) {
            Vector q = c.p;
            bool moved = false;
            for (Rational& x : q) {
                const Rational d = rand_q(g, 1, 1000) / inv_eps;  // |d| <= 1/inv_eps
                moved = moved || d != 0;
                x += d;
            }
            const Rational l = loss(c.pb, q);
            if (l < base || (strict && moved && l == base)) return false;
        }
        for (std::size_t k = 0; k < c.p.size(); ++k)  // each coordinate, both ways
            for (const int sign : {-1, 1}) {
                Vector q = c.p;
                q[k] += Rational(sign, inv_eps);
                if (loss(c.pb, q) < base) return false;
            }
    }
    return true;
}

std::vector<Case> paper_minima() {
    const Problem e3 = one_hidden(3, act(ActivationKind::relu), {{-1, 3}, {0, 0}, {1, -1}, {10, -3}, {11, -4}, {12, -6}});
    return {
        {example1(), {1, -3, 1, 0}},
        {example1(), {-7, -4, 1, 0}},
        {example2(), {-3, 1, Rational(13, 3), -10, 1, -1, -3}},
        {example2(), {-5, 1, 1, -8, 1, -1, -1}},
        {e3, {-2, 1, 1, Rational(11, 3), -10, -11, 1, -1, -1, -3}},
        {e3, {Rational(-3, 2), Rational(-3, 2), Rational(3, 2), 1, 0, Rational(-79, 6), 1, 1, -1, -1}},
    };
}

Outcome local_min_outcome(const Case& c, ClaimKind kind = ClaimKind::local_min) {
    Claim claim;
    claim.kind = kind;
    return check(c.pb, {{"p", c.p}}, claim).outcome();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(soundness_exact)

BOOST_AUTO_TEST_CASE(certified_minima_have_no_lower_neighbours) {
    std::mt19937_64 g(20261127);
    const Rational factors[] = {Rational(1, 3), Rational(1, 2), Rational(5, 4), 2, 3};
    std::size_t certified = 0, refuted = 0, total = 0;
    for (const Case& base : paper_minima()) {
        const std::size_t m = base.pb.net.layers[0].width;
        for (int variant = 0; variant < 16; ++variant) {
            Case c = base;
            for (std::size_t j = 0; j < m; ++j) c.p = rescale(c.pb.net, c.p, j, factors[g() % 5]);
            if (m > 1) c.p = swap_units(c.pb.net, c.p, g() % m, g() % m);
            const bool nudged = variant % 2 == 1;  // odd variants: one weight off by 1/1000
            if (nudged) c.p[g() % c.p.size()] += Rational(g() % 2 ? 1 : -1, 1000);
            const Outcome o = local_min_outcome(c);
            ++total;
            if (o == Outcome::refuted) ++refuted;
            if (o != Outcome::certified) continue;
            ++certified;
            BOOST_TEST(survives_perturbations(c, g, false), "certified local_min has a lower neighbour, variant " << variant);
        }
        // The unnudged minima are minima: never refuted.
        BOOST_TEST((local_min_outcome(base) == Outcome::certified));
    }
    BOOST_TEST_MESSAGE("soundness_exact: " << certified << " certified, " << refuted << " refuted of " << total);
    BOOST_TEST(certified >= 48u);  // every unnudged variant is a minimum and must be certified
}

BOOST_AUTO_TEST_CASE(random_kinked_points_never_certify_falsely) {
    std::mt19937_64 g(7);
    std::size_t certified = 0;
    for (int t = 0; t < 600; ++t) {
        const std::size_t m = 1 + g() % 3, n = 3 + g() % 4;
        std::vector<std::pair<Rational, Rational>> data;
        for (std::size_t i = 0; i < n; ++i) data.emplace_back(rand_q(g, 3, 1), rand_q(g, 3, 2));
        Activation hidden = act(g() % 3 == 0 ? ActivationKind::leaky_relu : ActivationKind::relu);
        hidden.alpha = Rational(1, 4);
        Case c{one_hidden(m, hidden, data), {}};
        c.p.resize(c.pb.net.num_params());
        for (Rational& x : c.p) x = rand_q(g, 2, 2);
        // Force kinks: unit j passes exactly through a data point's input.
        for (std::size_t j = 0; j < m; ++j)
            if (g() % 2) c.p[c.pb.net.bias_offset(0) + j] = -c.p[c.pb.net.weight_offset(0) + j] * data[g() % n].first;
        // Half of the points get their output bias at the mean residual (then d/dc = 0), to make
        // near-minima more common.
        if (g() % 2) {
            Rational mean = 0;
            for (const Sample& s : c.pb.data) mean += outputs(c.pb.net, c.p, s.x)[0] - s.y[0];
            c.p.back() -= mean / c.pb.data.size();
        }
        for (ClaimKind kind : {ClaimKind::local_min, ClaimKind::strict_local_min}) {
            if (local_min_outcome(c, kind) != Outcome::certified) continue;
            ++certified;
            BOOST_TEST(survives_perturbations(c, g, kind == ClaimKind::strict_local_min), "trial " << t);
        }
    }
    BOOST_TEST_MESSAGE("random kinked points: " << certified << " certified");
}

BOOST_AUTO_TEST_SUITE_END()
