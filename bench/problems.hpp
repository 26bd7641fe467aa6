// Deterministic benchmark problems: one-hidden-layer ReLU networks with small rational weights and
// data chosen so that no data point sits on a kink.
#pragma once

#include "kernel/exact.hpp"

#include <cstdint>

namespace nncert::bench {

using kernel::Rational;

// A tiny deterministic generator (no <random> distributions: their output differs across libraries).
struct Lcg {
    std::uint64_t s;
    std::int64_t next(std::int64_t lo, std::int64_t hi) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        return lo + static_cast<std::int64_t>((s >> 33) % static_cast<std::uint64_t>(hi - lo + 1));
    }
    Rational rational(std::int64_t range, std::int64_t den) { return Rational(next(-range * den, range * den), den); }
};

struct Instance {
    kernel::Problem problem;
    kernel::Vector params;
};

// 1-D input, `hidden` relu units, identity output: 3 * hidden + 1 parameters, `points` data points.
inline Instance relu_instance(std::size_t hidden, std::size_t points, std::uint64_t seed = 1) {
    Lcg g{seed};
    Instance in;
    kernel::Activation relu;
    relu.kind = kernel::ActivationKind::relu;
    in.problem.net.input_dim = 1;
    in.problem.net.layers = {{hidden, relu}, {1, kernel::Activation{}}};
    in.params.resize(in.problem.net.num_params());
    for (Rational& q : in.params) q = g.rational(3, 7);
    for (std::size_t i = 0; i < points; ++i) {
        kernel::Sample s{{g.rational(5, 11)}, {g.rational(5, 3)}};
        in.problem.data.push_back(s);
    }
    // Nudge any data point off a kink (a zero pre-activation); rare, but keep the instance kink-free.
    while (!kernel::find_kinks(in.problem, in.params).empty())
        for (const kernel::Kink& k : kernel::find_kinks(in.problem, in.params))
            in.problem.data[k.sample].x[0] += Rational(1, 1009);
    return in;
}

}  // namespace nncert::bench
