// Parameter layout, names and shape validation of the plain model data.
#include "kernel/model.hpp"

#include <algorithm>
#include <stdexcept>

namespace nncert::kernel {

std::size_t Network::weight_offset(std::size_t l) const {
    std::size_t off = 0;
    for (std::size_t k = 0; k < l; ++k) off += layers[k].width * fan_in(k) + (layers[k].bias ? layers[k].width : 0);
    return off;
}

std::size_t Network::num_params() const { return weight_offset(layers.size()); }

LayerOffsets::LayerOffsets(const Network& net) {
    w.reserve(net.layers.size() + 1);
    b.reserve(net.layers.size());
    std::size_t off = 0;
    for (std::size_t l = 0; l < net.layers.size(); ++l) {
        w.push_back(off);
        b.push_back(off + net.layers[l].width * net.fan_in(l));
        off = b.back() + (net.layers[l].bias ? net.layers[l].width : 0);
    }
    w.push_back(off);
}

std::string Network::param_name(std::size_t k) const {
    // The offsets accumulate layer by layer (weight_offset(l) scans the earlier layers: calling it per layer made
    // one name O(L^2), and naming every parameter of a refutation O(L^3) on deep networks; review r8-8 F4).
    std::size_t end = 0;
    for (std::size_t l = 0; l < layers.size(); ++l) {
        const std::size_t w = end, b = w + layers[l].width * fan_in(l);
        end = b + (layers[l].bias ? layers[l].width : 0);
        if (k >= end) continue;
        const std::string layer = std::to_string(l + 1);
        if (k >= b) return "b" + layer + "[" + std::to_string(k - b + 1) + "]";
        const std::size_t r = (k - w) / fan_in(l), c = (k - w) % fan_in(l);
        return "W" + layer + "[" + std::to_string(r + 1) + "," + std::to_string(c + 1) + "]";
    }
    throw std::out_of_range("parameter index out of range");
}

std::string ParamNames::operator()(std::size_t k) const {
    if (k >= size()) throw std::out_of_range("parameter index out of range");
    // The layer l with w[l] <= k < w[l + 1]: the last offset not above k (bias-free and empty layers share an
    // offset with the next; upper_bound skips past them to the layer that holds k).
    const std::size_t l = std::size_t(std::upper_bound(off_.w.begin(), off_.w.end(), k) - off_.w.begin()) - 1;
    const std::string layer = std::to_string(l + 1);
    if (k >= off_.bias(l)) return "b" + layer + "[" + std::to_string(k - off_.bias(l) + 1) + "]";
    const std::size_t fan_in = net_.fan_in(l), r = (k - off_.weight(l)) / fan_in, c = (k - off_.weight(l)) % fan_in;
    return "W" + layer + "[" + std::to_string(r + 1) + "," + std::to_string(c + 1) + "]";
}

bool Network::is_exact() const {
    for (const Layer& layer : layers)
        if (!layer.activation.is_exact()) return false;
    return true;
}

std::string to_string(const Activation& a) {
    switch (a.kind) {
        case ActivationKind::identity: return "identity";
        case ActivationKind::relu: return "relu";
        case ActivationKind::leaky_relu: return "leaky_relu(" + to_string(a.alpha) + ")";
        case ActivationKind::poly: {
            std::string s = "poly(";
            for (std::size_t i = 0; i < a.coeffs.size(); ++i) s += (i ? ", " : "") + to_string(a.coeffs[i]);
            return s + ")";
        }
        case ActivationKind::sigmoid: return "sigmoid";
        case ActivationKind::tanh: return "tanh";
        case ActivationKind::softplus: return "softplus";
    }
    return "?";
}

std::string to_string(LossKind k) {
    switch (k) {
        case LossKind::sse: return "sse";
        case LossKind::half_sse: return "sse/2";
        case LossKind::mse: return "mse";
        case LossKind::bce: return "bce";
        case LossKind::cross_entropy: return "cross_entropy";
    }
    return "?";
}

void validate(const Problem& p) {
    if (p.net.input_dim == 0) throw std::invalid_argument("network input dimension is 0");
    if (p.net.layers.empty()) throw std::invalid_argument("network has no layers");
    for (const Layer& layer : p.net.layers) {
        if (layer.width == 0) throw std::invalid_argument("layer of width 0");
        if (layer.activation.kind == ActivationKind::poly && layer.activation.coeffs.empty())
            throw std::invalid_argument("poly activation without coefficients");
    }
    if (p.data.empty()) throw std::invalid_argument("empty dataset");
    for (const Sample& s : p.data) {
        if (s.x.size() != p.net.input_dim || s.y.size() != p.net.output_dim())
            throw std::invalid_argument("data row does not match the network's dimensions");
        if (s.weight.sign() <= 0) throw std::invalid_argument("a data point's weight must be > 0");
        if (p.loss == LossKind::cross_entropy)
            for (const Rational& y : s.y)
                if (y.sign() < 0) throw std::invalid_argument("cross_entropy targets must be >= 0");
    }
    if (p.weight_decay.sign() < 0) throw std::invalid_argument("weight decay must be >= 0");
    const ActivationKind out = p.net.layers.back().activation.kind;
    if (p.loss == LossKind::bce && out != ActivationKind::sigmoid)
        throw std::invalid_argument("the bce loss needs a sigmoid output layer");
    if (p.loss == LossKind::cross_entropy && (out != ActivationKind::identity || p.net.output_dim() < 2))
        throw std::invalid_argument("the cross_entropy loss needs an identity output layer with >= 2 units");
}

Rational Problem::total_weight() const {
    Rational w = 0;
    for (const Sample& s : data) w += s.weight;
    return w;
}

void validate(const Problem& p, const Point& pt) {
    validate(p);
    if (pt.params.size() != p.net.num_params())
        throw std::invalid_argument("point " + pt.name + " has the wrong number of parameters");
}

}  // namespace nncert::kernel
