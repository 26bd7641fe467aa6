// Exact evaluation by the generic autodiff code instantiated on GMP rationals and rational duals.
#include "kernel/exact.hpp"

#include "kernel/autodiff.hpp"
#include "kernel/dual.hpp"

#include <stdexcept>

namespace nncert::kernel {

Vector outputs(const Network& net, const Vector& params, const Vector& x) {
    Pass<Rational> p;
    forward(net, params, x, p);
    return p.a.back();
}

Rational loss(const Problem& pb, const Vector& params) {
    return loss_and_gradient<Rational>(pb, params, nullptr);
}

Vector gradient(const Problem& pb, const Vector& params) {
    Vector g;
    loss_and_gradient<Rational>(pb, params, &g);
    return g;
}

Matrix hessian_by_duals(const Problem& pb, const Vector& params) {
    return hessian_by_dual_passes<Rational>(pb, params);
}

std::vector<Kink> find_kinks(const Problem& pb, const Vector& params) {
    std::vector<Kink> kinks;
    Pass<Rational> p;
    for (std::size_t s = 0; s < pb.data.size(); ++s) {
        forward(pb.net, params, pb.data[s].x, p);
        for (std::size_t l = 0; l < pb.net.layers.size(); ++l) {
            if (!pb.net.layers[l].activation.has_kink()) continue;
            for (std::size_t i = 0; i < p.z[l].size(); ++i)
                if (p.z[l][i].sign() == 0) kinks.push_back({s, l, i});
        }
    }
    return kinks;
}

AccuracyCount count_correct(const Problem& pb, const Vector& params) {
    if (!pb.classify) throw std::invalid_argument("accuracy needs a classify rule");
    if (pb.net.output_dim() != 1) throw std::invalid_argument("accuracy needs a scalar output");
    const Rational& t = pb.classify->threshold;
    AccuracyCount c;
    for (std::size_t s = 0; s < pb.data.size(); ++s) {
        const int predicted = Rational(outputs(pb.net, params, pb.data[s].x)[0] - t).sign();
        const int actual = Rational(pb.data[s].y[0] - t).sign();
        if (predicted != 0 && predicted == actual) {
            ++c.correct;
            c.correct_weight += pb.data[s].weight;
        } else
            c.wrong.push_back(s);
    }
    return c;
}

bool has_row_weights(const Problem& pb) {
    for (const Sample& s : pb.data)
        if (s.weight != 1) return true;
    return false;
}

}  // namespace nncert::kernel
