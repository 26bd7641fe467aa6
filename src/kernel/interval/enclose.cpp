// The generic autodiff code instantiated on intervals and interval duals (forward-over-reverse Hessian).
// Assumes a live PrecisionScope and a validated problem; soundness is that of interval arithmetic itself.
#include "kernel/interval/enclose.hpp"

#include "kernel/hessian_impl.hpp"

#include "kernel/ball/dinterval.hpp"

#include "kernel/autodiff.hpp"
#include "kernel/dual.hpp"
#include "kernel/interval/activation.hpp"

#include <stdexcept>

namespace nncert::kernel {

IVector box_around(const Vector& p, const Rational& r) {
    if (r < 0) throw std::invalid_argument("box radius must be >= 0");
    IVector box;
    box.reserve(p.size());
    for (const Rational& c : p) box.push_back(Interval::hull(c - r, c + r));
    return box;
}

IVector point_box(const Vector& p) { return IVector(p.begin(), p.end()); }

Interval loss_enclosure(const Problem& pb, const IVector& box) {
    return loss_and_gradient<Interval>(pb, box, nullptr);
}

IVector gradient_enclosure(const Problem& pb, const IVector& box) {
    IVector g;
    loss_and_gradient<Interval>(pb, box, &g);
    return g;
}

namespace {

// Entries (i, k) and (k, i) enclose the same function (the Hessian is symmetric), so each may be replaced
// by the intersection of both: never wider, still an enclosure.
void symmetrize(IMatrix& h) {
    for (std::size_t i = 0; i < h.size(); ++i)
        for (std::size_t k = i + 1; k < h.size(); ++k) {
            Interval both;
            mpfi_intersect(both.raw(), h[i][k].raw(), h[k][i].raw());
            // Both enclose the same set of values, so an empty intersection is an engine bug.
            if (!both.is_nan() && mpfi_is_empty(both.raw())) throw std::logic_error("asymmetric Hessian enclosure");
            h[i][k] = both;
            h[k][i] = both;
        }
}

}  // namespace

IMatrix hessian_enclosure(const Problem& pb, const IVector& box, const Progress* progress) {
    // The outer-product-plus-curvature form (hessian_impl.hpp): an interval extension of the exact
    // Hessian formula, evaluated over the box, and far cheaper than one dual pass per parameter.
    IMatrix h = hessian_detail::hessian<Interval>(pb, box, progress);
    symmetrize(h);
    return h;
}

IMatrix hessian_block_enclosure(const Problem& pb, const IVector& box, const std::vector<std::size_t>& coords) {
    std::vector<bool> want(box.size(), false);
    for (std::size_t k : coords) want.at(k) = true;
    const IMatrix h = hessian_detail::hessian<Interval>(pb, box, nullptr, &want);
    IMatrix b(coords.size(), IVector(coords.size()));
    for (std::size_t i = 0; i < coords.size(); ++i)
        for (std::size_t k = 0; k < coords.size(); ++k) b[i][k] = h[coords[i]][coords[k]];
    symmetrize(b);  // the same intersections as hessian_enclosure's on these entries
    return b;
}

std::optional<Interval> loss_and_gradient_by_doubles(const Problem& pb, const IVector& x, IVector* gradient) {
    if (!is_squared_error(pb.loss) || !ball_rounding::ieee_environment()) return std::nullopt;
    std::vector<DInterval> xd, gd;
    xd.reserve(x.size());
    for (const Interval& v : x) xd.push_back(DInterval::from_interval(v));
    const DInterval l = loss_and_gradient<DInterval>(pb, xd, gradient ? &gd : nullptr);
    if (gradient) {
        gradient->clear();
        gradient->reserve(gd.size());
        for (const DInterval& v : gd) gradient->push_back(to_interval(v));
    }
    return to_interval(l);
}

std::optional<IMatrix> hessian_block_by_doubles(const Problem& pb, const IVector& box,
                                                const std::vector<std::size_t>& coords) {
    // Squared errors only: the other losses' terms (softplus, softmax) would go through MPFI entry by entry.
    if (!is_squared_error(pb.loss) || !ball_rounding::ieee_environment()) return std::nullopt;
    std::vector<bool> want(box.size(), false);
    for (std::size_t k : coords) want.at(k) = true;
    std::vector<DInterval> th;
    th.reserve(box.size());
    for (const Interval& x : box) th.push_back(DInterval::from_interval(x));
    const std::vector<std::vector<DInterval>> h = hessian_detail::hessian<DInterval>(pb, th, nullptr, &want);
    IMatrix b(coords.size(), IVector(coords.size()));
    for (std::size_t i = 0; i < coords.size(); ++i)
        for (std::size_t k = 0; k < coords.size(); ++k) {
            const DInterval& e = h[coords[i]][coords[k]];
            if (!e.is_bounded()) return std::nullopt;  // MPFI's block may still be finite (a wider exponent range)
            b[i][k] = to_interval(e);
        }
    symmetrize(b);
    return b;
}

IMatrix hessian_enclosure_by_duals(const Problem& pb, const IVector& box) {
    // Every primal value is the box-wide interval, so each column encloses the Hessian over the box.
    IMatrix h = hessian_by_dual_passes<Interval>(pb, box);
    symmetrize(h);
    return h;
}

IVector outputs_enclosure(const Network& net, const IVector& box, const Vector& x) {
    Pass<Interval> p;
    forward(net, box, x, p);
    return p.a.back();
}

std::vector<Kink> straddled_kinks(const Problem& pb, const IVector& box) {
    std::vector<Kink> kinks;
    bool any_kinked = false;  // smooth networks have nothing to look for: skip the forward passes
    for (const Layer& l : pb.net.layers) any_kinked = any_kinked || l.activation.has_kink();
    if (!any_kinked) return kinks;
    Pass<Interval> p;
    for (std::size_t s = 0; s < pb.data.size(); ++s) {
        forward(pb.net, box, pb.data[s].x, p);
        for (std::size_t l = 0; l < pb.net.layers.size(); ++l) {
            if (!pb.net.layers[l].activation.has_kink()) continue;
            for (std::size_t i = 0; i < p.z[l].size(); ++i)
                if (contains_zero(p.z[l][i])) kinks.push_back({s, l, i});
        }
    }
    return kinks;
}

}  // namespace nncert::kernel
