// blind_spot P within r (interval-forward): one data point is in a blind spot of one hidden relu layer (every
// unit's pre-activation < 0) at every parameter point of the box. Assumes check_interval opened the scope.
#include "kernel/interval/activation.hpp"  // activate() on intervals, for the generic forward pass

#include "kernel/autodiff.hpp"
#include "kernel/detail/mint.hpp"
#include "kernel/interval/checks.hpp"
#include "kernel/interval/enclose.hpp"

namespace nncert::kernel::detail {

Verdict check_blind_spot_box(const Problem& pb, const Point& p, const Rational& r, const Options& opt) {
    const std::string method = "interval-forward";
    const std::vector<std::size_t> relu = hidden_relu_layers(pb.net);
    if (relu.empty()) return no_relu_layer_refutation(method);
    List blind;
    Pass<Interval> pass;
    const IVector box = box_around(p.params, r);
    for (std::size_t s = 0; s < pb.data.size(); ++s) {
        forward(pb.net, box, pb.data[s].x, pass);
        for (std::size_t l : relu) {
            bool all_negative = true;
            for (const Interval& z : pass.z[l]) all_negative = all_negative && certainly_negative(z);
            if (all_negative)
                blind.emplace_back(Object{{"data", s + 1}, {"input", vector_value(pb.data[s].x)}, {"layer", l + 1}});
        }
    }
    Object ev = box_evidence(p, r, opt, "relu input intervals over the box, per data point and hidden relu layer");
    if (!blind.empty()) {
        ev.emplace_back("blind_spots", Value(std::move(blind)));
        return Mint::certified(method, Value(std::move(ev)));
    }
    // Refuted when the centre itself has no blind spot: then no data point is one at every point of the box.
    if (exact_problem(pb)) {
        const Verdict at_centre = check_blind_spot(pb, p);
        if (at_centre.outcome() == Outcome::refuted) {
            ev.emplace_back("centre", at_centre.evidence());
            return Mint::refuted(method, Value(std::move(ev)));
        }
    } else {
        const IVector centre = point_box(p.params);
        bool every_pair_alive = true;
        for (std::size_t s = 0; s < pb.data.size() && every_pair_alive; ++s) {
            forward(pb.net, centre, pb.data[s].x, pass);
            for (std::size_t l : relu) {
                bool alive = false;
                for (const Interval& z : pass.z[l]) alive = alive || certainly_at_least(z, Rational(0));
                every_pair_alive = every_pair_alive && alive;
            }
        }
        if (every_pair_alive) {
            ev.emplace_back("centre", "every data point has, in every hidden relu layer, a unit whose input at the "
                                      "centre is certainly >= 0");
            return Mint::refuted(method, Value(std::move(ev)));
        }
    }
    return Mint::inconclusive(method,
                              "no data point is certainly in a blind spot on the whole box, and the centre is not "
                              "certainly free of blind spots: shrink the radius or raise the precision",
                              Value(std::move(ev)));
}

}  // namespace nncert::kernel::detail
