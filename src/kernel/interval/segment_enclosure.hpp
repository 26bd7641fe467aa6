// Rigorous enclosures of the loss and its derivative along the segment theta(t) = P + t (Q - P) over
// sub-segments [t0, t1] of [0, 1], for any problem (exact or transcendental): the segment claims'
// `segment-subdivision` method uses them, and `nncert plot segment` draws them as the certified band.
// Assumes a live PrecisionScope while enclosures are built.
#pragma once

#include "kernel/interval/enclose.hpp"

#include <optional>
#include <vector>

namespace nncert::kernel {

class SegmentEnclosure {
public:
    // p and q must outlive the object and have the problem's parameter count.
    SegmentEnclosure(const Problem& pb, const Vector& p, const Vector& q);

    // The box hull of theta([t0, t1]) (it contains theta(t) for every t in [t0, t1]), outward rounded.
    IVector box(const Rational& t0, const Rational& t1) const;
    // L(theta(t)) at one rational t.
    Interval at(const Rational& t) const;
    // L'(t) = grad L(theta(t)) . (Q - P) for every t in [t0, t1]; nothing when a relu/leaky_relu input
    // straddles 0 on the box (the loss need not be differentiable there).
    std::optional<Interval> derivative(const Rational& t0, const Rational& t1) const;
    // Enclosures of L(theta(t)) for every t in [t0, t1]: the loss over the box hull, and, when the derivative
    // exists, the mean-value form L(theta(tm)) + L'([t0, t1]) ([t0, t1] - tm). Each is valid on its own.
    std::vector<Interval> loss(const Rational& t0, const Rational& t1) const;

private:
    const Problem& pb_;
    const Vector& p_;
    const Vector& q_;
    Vector d_;
};

// One sub-segment of the certified band: lower <= L(theta(t)) <= upper for every t in [t0, t1] (exact
// rationals: the endpoints of the tightest of the enclosures above). bounded is false when no finite
// enclosure exists at this precision (then lower and upper are meaningless).
struct SegmentBound {
    Rational t0, t1, lower, upper;
    bool bounded = false;
};

// The band over `pieces` equal sub-segments of [0, 1] (pieces >= 1), at `precision_bits`.
std::vector<SegmentBound> loss_bounds_along_segment(const Problem& pb, const Vector& p, const Vector& q,
                                                    std::size_t pieces, unsigned precision_bits);

}  // namespace nncert::kernel
