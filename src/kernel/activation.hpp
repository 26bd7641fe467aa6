// Activations and their derivatives, generic over the number type: exact rationals here, dual numbers
// (for Hessians) in dual.hpp, intervals in the interval engine. Each backend supplies `activate`.
#pragma once

#include "kernel/limits.hpp"
#include "kernel/model.hpp"

#include <algorithm>
#include <stdexcept>

namespace nncert::kernel {

// True when q is certainly the exact value 0: lets sparse products skip work.
inline bool known_zero(const Rational& q) { return q.sign() == 0; }

// order-th derivative (0, 1, 2, ...) of the activation at z, exactly.
// At a kink (relu/leaky_relu at z = 0) the derivatives are the left-hand ones. No certificate relies
// on that value: every gradient or Hessian claim first checks that no data point sits on a kink.
inline Rational activate(const Activation& a, const Rational& z, int order) {
    switch (a.kind) {
        case ActivationKind::identity:
            return order == 0 ? z : Rational(order == 1 ? 1 : 0);
        case ActivationKind::relu:
            if (order >= 2) return Rational(0);
            if (z.sign() > 0) return order == 0 ? z : Rational(1);
            return Rational(0);
        case ActivationKind::leaky_relu:
            if (order >= 2) return Rational(0);
            if (z.sign() > 0) return order == 0 ? z : Rational(1);
            return order == 0 ? Rational(a.alpha * z) : a.alpha;
        case ActivationKind::poly: {
            // d^order/dz^order of sum_k c_k z^k, by Horner on the differentiated coefficients. The result
            // has about degree * bits(z) bits: bounded before it is computed (composed poly layers).
            const int n = static_cast<int>(a.coeffs.size());
            std::size_t coeff_bits = 0;
            for (const Rational& c : a.coeffs) coeff_bits = std::max(coeff_bits, bit_size(c));
            require_number_bits(static_cast<std::size_t>(n) * (bit_size(z) + coeff_bits + 8), "a poly unit");
            Rational acc = 0;
            for (int k = n - 1; k >= order; --k) {
                Rational c = a.coeffs[k];
                for (int f = 0; f < order; ++f) c *= (k - f);
                acc = acc * z + c;
            }
            return acc;
        }
        default:
            throw std::logic_error("activation " + to_string(a) + " has no exact evaluation");
    }
}

}  // namespace nncert::kernel
