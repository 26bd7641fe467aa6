// Loss and derivative enclosures along a segment (see segment_enclosure.hpp): the same interval forward
// pass and gradient as every box claim (enclose.hpp), on the box hull of each sub-segment.
#include "kernel/interval/segment_enclosure.hpp"

#include "kernel/interval/activation.hpp"
#include "kernel/interval/precision.hpp"
#include "kernel/segment/piecewise_loss.hpp"

#include <algorithm>
#include <stdexcept>

namespace nncert::kernel {

SegmentEnclosure::SegmentEnclosure(const Problem& pb, const Vector& p, const Vector& q)
    : pb_(pb), p_(p), q_(q), d_(p.size()) {
    if (p.size() != pb.net.num_params() || q.size() != pb.net.num_params())
        throw std::invalid_argument("SegmentEnclosure: points of the wrong size");
    for (std::size_t k = 0; k < p.size(); ++k) d_[k] = q[k] - p[k];
}

IVector SegmentEnclosure::box(const Rational& t0, const Rational& t1) const {
    IVector b;
    b.reserve(p_.size());
    for (std::size_t k = 0; k < p_.size(); ++k) {
        const Rational a = p_[k] + t0 * d_[k], c = p_[k] + t1 * d_[k];
        b.push_back(Interval::hull(std::min(a, c), std::max(a, c)));
    }
    return b;
}

Interval SegmentEnclosure::at(const Rational& t) const {
    return loss_enclosure(pb_, point_box(point_on_segment(p_, q_, t)));
}

std::optional<Interval> SegmentEnclosure::derivative(const Rational& t0, const Rational& t1) const {
    try {
        const IVector g = gradient_enclosure(pb_, box(t0, t1));
        Interval s;
        for (std::size_t k = 0; k < g.size(); ++k)
            if (!is_zero(d_[k])) s += g[k] * Interval(d_[k]);
        return s;
    } catch (const KinkStraddled&) {
        return std::nullopt;
    }
}

std::vector<Interval> SegmentEnclosure::loss(const Rational& t0, const Rational& t1) const {
    std::vector<Interval> out{loss_enclosure(pb_, box(t0, t1))};
    if (auto dl = derivative(t0, t1)) {
        const Rational tm = (t0 + t1) / 2;
        out.push_back(at(tm) + *dl * Interval::hull(t0 - tm, t1 - tm));
    }
    return out;
}

std::vector<SegmentBound> loss_bounds_along_segment(const Problem& pb, const Vector& p, const Vector& q,
                                                    std::size_t pieces, unsigned precision_bits) {
    if (pieces == 0) throw std::invalid_argument("loss_bounds_along_segment: pieces must be >= 1");
    validate(pb);
    PrecisionScope scope(precision_bits);
    const SegmentEnclosure L(pb, p, q);
    std::vector<SegmentBound> out;
    out.reserve(pieces);
    for (std::size_t i = 0; i < pieces; ++i) {
        SegmentBound b;
        b.t0 = Rational(static_cast<long long>(i), static_cast<long long>(pieces));
        b.t1 = Rational(static_cast<long long>(i + 1), static_cast<long long>(pieces));
        // Each enclosure contains L on the sub-segment, so the tightest ends of the bounded ones do too.
        for (const Interval& e : L.loss(b.t0, b.t1)) {
            if (!e.is_bounded()) continue;
            if (!b.bounded || e.lower() > b.lower) b.lower = e.lower();
            if (!b.bounded || e.upper() < b.upper) b.upper = e.upper();
            b.bounded = true;
        }
        out.push_back(std::move(b));
    }
    return out;
}

}  // namespace nncert::kernel
