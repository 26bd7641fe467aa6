// blind_spot P, exactly (exact-forward): some data point at which every unit of some hidden relu layer has a
// strictly negative pre-activation (the paper's "blind spot", Section 3.2). See docs/certificates.md.
#include "kernel/autodiff.hpp"
#include "kernel/detail/checks.hpp"
#include "kernel/detail/mint.hpp"

namespace nncert::kernel::detail {

std::vector<std::size_t> hidden_relu_layers(const Network& net) {
    std::vector<std::size_t> out;
    for (std::size_t l = 0; l + 1 < net.layers.size(); ++l)
        // leaky_relu(0) is relu exactly (it outputs 0 for every negative input): it has blind spots too.
        if (net.layers[l].activation.kind == ActivationKind::relu ||
            (net.layers[l].activation.kind == ActivationKind::leaky_relu && is_zero(net.layers[l].activation.alpha)))
            out.push_back(l);
    return out;
}

Verdict no_relu_layer_refutation(const std::string& method) {
    return Mint::refuted(method, Object{{"hidden_relu_layers", 0},
                                        {"reason", "the network has no hidden relu layer, so no data point can be in "
                                                   "a blind spot"}});
}

Verdict check_blind_spot(const Problem& pb, const Point& p) {
    const std::string method = "exact-forward";
    const std::vector<std::size_t> relu = hidden_relu_layers(pb.net);
    if (relu.empty()) return no_relu_layer_refutation(method);
    List blind, alive;
    Pass<Rational> pass;
    for (std::size_t s = 0; s < pb.data.size(); ++s) {
        forward(pb.net, p.params, pb.data[s].x, pass);
        for (std::size_t l : relu) {
            std::size_t on = pass.z[l].size();  // the first unit with pre-activation >= 0, if any
            for (std::size_t i = 0; i < pass.z[l].size() && on == pass.z[l].size(); ++i)
                if (pass.z[l][i].sign() >= 0) on = i;
            if (on == pass.z[l].size())
                blind.emplace_back(Object{{"data", s + 1}, {"input", vector_value(pb.data[s].x)}, {"layer", l + 1}});
            else
                alive.emplace_back(Object{{"data", s + 1}, {"layer", l + 1}, {"unit", on + 1},
                                          {"pre_activation", pass.z[l][on]}});
        }
    }
    if (!blind.empty()) {
        const std::size_t count = blind.size();
        return Mint::certified(method, Object{{"blind_spots", Value(std::move(blind))}, {"count", count}});
    }
    // The witness: for every data point and every hidden relu layer, one unit whose input is >= 0.
    return Mint::refuted(method, Object{{"hidden_relu_layers", relu.size()}, {"active_units", Value(std::move(alive))}});
}

}  // namespace nncert::kernel::detail
