// The loss along the segment theta(t) = P + t (Q - P), 0 <= t <= 1, of an exact network (identity, relu,
// leaky_relu and poly units; squared-error losses; weight decay), as an exact piecewise polynomial in t.
// On each piece every kinked unit of every data point keeps one sign, so the network is a polynomial map
// there; the breakpoints are roots of pre-activations (polynomials in t of degree up to the layer's depth,
// so deeper layers give irrational breakpoints), isolated exactly (real_root.hpp).
#pragma once

#include "kernel/model.hpp"
#include "kernel/segment/polynomial.hpp"
#include "kernel/segment/real_root.hpp"

#include <cstddef>
#include <vector>

namespace nncert::kernel {

namespace limits {
// Sign decisions of kinked units (relu, leaky_relu inputs) the exact segment claims' piecewise loss may make,
// summed over every forward pass along the segment (each pass decides every kinked unit of every data point
// on one piece): the work of `barrier`/`monotone` on exact problems grows with pieces x data x units
// (docs/limits.md; kernel::check answers INCONCLUSIVE, limit `max-segment-sign-tests`).
inline constexpr std::size_t max_segment_sign_tests = 4'000'000;
}  // namespace limits

struct LossPiece {
    RealRoot lo, hi;    // lo < hi; the pieces tile [0, 1] in order
    Polynomial loss;    // L(theta(t)) for every t in [lo, hi] (the loss is continuous, so the closed piece)
    Rational sample;    // a rational strictly inside (lo, hi), where the polynomial was checked against loss()
};

struct SegmentLoss {
    std::vector<LossPiece> pieces;
    bool complete = true;  // false: more than max_pieces pieces; `pieces` then covers only part of [0, 1]
};

// Requires an exact problem (Problem::is_exact) and points of the right size (std::invalid_argument
// otherwise). Each piece's polynomial is re-checked against the exact loss at its sample point (a mismatch
// is a kernel bug: std::logic_error). Stops after max_pieces pieces (complete = false). Throws LimitExceeded
// ("max-segment-sign-tests") after limits::max_segment_sign_tests sign decisions of kinked units.
SegmentLoss loss_along_segment(const Problem& pb, const Vector& p, const Vector& q, std::size_t max_pieces);

// The parameter point P + t (Q - P), exactly.
Vector point_on_segment(const Vector& p, const Vector& q, const Rational& t);

}  // namespace nncert::kernel
