// The loss of one data point as a function of the network's last layer, generic over the number type:
// its value and its derivative in u (the output f, or for bce the output pre-activation z). autodiff.hpp and
// hessian_impl.hpp both use it, so the gradient, the Hessian and the loss cannot disagree about the loss.
#pragma once

#include "kernel/activation.hpp"

#include <stdexcept>
#include <vector>

namespace nncert::kernel {

// bce is differentiated through the output pre-activation z: with f = sigmoid(z),
// -(y log f + (1 - y) log(1 - f)) = softplus(z) - y z exactly, whose z-derivative is f - y. This avoids
// log(0) and the division by f(1 - f) that the chain rule through f would need.
inline bool through_preactivation(LossKind k) { return k == LossKind::bce; }

// Softmax probabilities of the logits f: p_k = 1 / sum_j exp(f_j - f_k) (the j = k term is exactly 1).
// Every p_k is computed on its own, in (0, 1], with no overflow for any logits; for intervals each encloses
// the true probability at every point of the box. Only for types with TranscendentalOps.
template <class Num>
std::vector<Num> softmax(const std::vector<Num>& f) {
    if constexpr (!TranscendentalOps<Num>::value) {
        throw std::logic_error("softmax needs exp: the cross-entropy loss has no exact evaluation");
    } else {
        std::vector<Num> p;
        p.reserve(f.size());
        for (std::size_t k = 0; k < f.size(); ++k) {
            Num s = Num(Rational(1));
            for (std::size_t j = 0; j < f.size(); ++j)
                if (j != k) s += exp(Num(f[j] - f[k]));
            p.push_back(Num(Rational(1)) / s);
        }
        return p;
    }
}

// The unweighted, unscaled loss of one data point with targets y, given the output f and the output
// pre-activation z (both output_dim entries); fills du (output_dim entries) with its derivative in u:
//   squared errors (sse, sse/2, mse): sum_k (f_k - y_k)^2,           du_k = 2 (f_k - y_k)
//   bce:            sum_k softplus(z_k) - y_k z_k,                     du_k = sigmoid(z_k) - y_k   (u = z)
//                   (evaluated as bce_term, without cancellation)
//   cross_entropy:  (sum_k y_k) log sum_j exp(f_j) - sum_k y_k f_k,    du_k = (sum_j y_j) p_k - y_k
// The cross-entropy equals -sum_k y_k log softmax_k(f); log sum_j exp(f_j) is evaluated as
// f_1 + log1p(sum_{j>1} exp(f_j - f_1)), exact in real arithmetic.
// x^2. For intervals the one-variable square (sqr: [-1, 2]^2 = [0, 4], not [-2, 4] as x * x gives, and
// [-inf, inf]^2 = [0, inf]), for every other number type the product.
template <class Num>
Num square(const Num& x) {
    if constexpr (requires { sqr(x); }) return sqr(x);
    else return x * x;
}

// softplus(z) - y z written as (1 - y) softplus(z) + y softplus(-z) (equal because softplus(z) - z = softplus(-z)):
// the same function, but with no difference of two unbounded terms, so its enclosure stays finite (tends to 0)
// when the pre-activation z runs to +inf or -inf on the side of the label.
template <class Num>
Num bce_term(const Num& z, const Rational& y) {
    static const Activation softplus{ActivationKind::softplus, Rational(0), {}};
    if (is_zero(y)) return activate(softplus, z, 0);
    if (y == 1) return activate(softplus, Num(Num(Rational(0)) - z), 0);
    return Num(Rational(1 - y)) * activate(softplus, z, 0) + Num(y) * activate(softplus, Num(Num(Rational(0)) - z), 0);
}

template <class Num>
Num point_loss(LossKind kind, const std::vector<Num>& f, const std::vector<Num>& z, const Vector& y,
               std::vector<Num>& du) {
    du.assign(f.size(), Num());
    Num l = Num(rational_zero());
    switch (kind) {
        case LossKind::sse:
        case LossKind::half_sse:
        case LossKind::mse: {
            const Num two = Num(rational_two());
            for (std::size_t k = 0; k < f.size(); ++k) {
                const Num r = f[k] - Num(y[k]);
                l += square(r);
                du[k] = two * r;
            }
            return l;
        }
        case LossKind::bce: {
            for (std::size_t k = 0; k < f.size(); ++k) {
                l += bce_term(z[k], y[k]);
                du[k] = f[k] - Num(y[k]);  // f = sigmoid(z)
            }
            return l;
        }
        case LossKind::cross_entropy: {
            if constexpr (!TranscendentalOps<Num>::value) {
                throw std::logic_error("the cross-entropy loss has no exact evaluation");
            } else {
                Rational sy = 0;
                for (const Rational& t : y) sy += t;
                Num s = Num(Rational(0));
                for (std::size_t j = 1; j < f.size(); ++j) s += exp(Num(f[j] - f[0]));
                const Num lse = f[0] + log1p(s);
                l = Num(sy) * lse;
                for (std::size_t k = 0; k < f.size(); ++k)
                    if (!is_zero(y[k])) l -= Num(y[k]) * f[k];
                const std::vector<Num> p = softmax(f);
                for (std::size_t k = 0; k < f.size(); ++k) du[k] = Num(sy) * p[k] - Num(y[k]);
                return l;
            }
        }
    }
    throw std::logic_error("unknown loss");
}

}  // namespace nncert::kernel
