// Dead layers: a hidden relu layer negative on every data point outputs 0 near P, so the network is a
// constant there, and a constant is best exactly at the (data-weighted) mean label.
#include "kernel/autodiff.hpp"
#include "kernel/nonsmooth.hpp"

namespace nncert::kernel {

DeadLayerResult find_dead_layer(const Problem& pb, const Vector& p) {
    const Network& net = pb.net;
    DeadLayerResult r;
    std::vector<bool> dead(net.layers.size(), true);
    for (std::size_t l = 0; l + 1 < net.layers.size(); ++l)
        dead[l] = net.layers[l].activation.kind == ActivationKind::relu;
    dead.back() = false;  // the output layer is never the dead layer
    Pass<Rational> pass;
    for (const Sample& s : pb.data) {
        forward(net, p, s.x, pass);
        for (std::size_t l = 0; l < dead.size(); ++l)
            for (std::size_t i = 0; dead[l] && i < pass.z[l].size(); ++i)
                if (pass.z[l][i].sign() >= 0) dead[l] = false;
    }
    for (std::size_t l = 0; l < dead.size(); ++l) {
        if (!dead[l]) continue;
        r.found = true;
        r.layer = l;
        forward(net, p, pb.data.front().x, pass);
        r.constant_output = pass.a.back();
        const std::size_t k = net.output_dim();
        r.mean_label.assign(k, Rational(0));
        for (const Sample& s : pb.data)
            for (std::size_t o = 0; o < k; ++o) r.mean_label[o] += s.weight * s.y[o];
        const Rational total = pb.total_weight();
        for (Rational& m : r.mean_label) m /= total;
        r.bias_direction.assign(p.size(), Rational(0));
        if (net.has_bias(net.layers.size() - 1)) {  // without an output bias there is no such direction
            const std::size_t b = net.bias_offset(net.layers.size() - 1);
            for (std::size_t o = 0; o < k; ++o) r.bias_direction[b + o] = r.mean_label[o] - r.constant_output[o];
        }
        break;
    }
    return r;
}

}  // namespace nncert::kernel
