// Magnitude bounds of activations and conversions for Mag (magnitude.hpp).
// Assumes rounding.hpp's model; the smooth units use the whole-line derivative bounds of ball.cpp.
#include "kernel/ball/magnitude.hpp"

#include <cmath>
#include <stdexcept>

namespace nncert::kernel {

using namespace ball_rounding;

Mag::Mag(const Rational& q) { v = of(Ball(q)).v; }

Mag Mag::of(const Ball& b) {
    if (!b.is_finite()) return of(inf);
    return of(add_up(std::fabs(b.mid()), b.rad()));
}

Mag activate(const Activation& a, const Mag& z, int order) {
    switch (a.kind) {
        case ActivationKind::identity: return order == 0 ? z : Mag::of(order == 1 ? 1 : 0);
        case ActivationKind::relu:
        case ActivationKind::leaky_relu: {
            // Off the kink (the ball pass checked it), relu and leaky_relu are linear with slope 1 or alpha.
            const double slope = a.kind == ActivationKind::relu ? 1.0 : std::fmax(1.0, Mag(a.alpha).v);
            if (order == 0) return Mag::of(mul_up(slope, z.v));
            return Mag::of(order == 1 ? slope : 0);
        }
        case ActivationKind::poly: {  // sum_k |c_k| k!/(k-order)! |z|^(k-order), by Horner on magnitudes
            Mag acc;
            const int n = static_cast<int>(a.coeffs.size());
            for (int k = n - 1; k >= order; --k) {
                Rational ck = a.coeffs[k];
                for (int f = 0; f < order; ++f) ck *= (k - f);
                acc = acc * z + Mag(ck);
            }
            return acc;
        }
        case ActivationKind::sigmoid:
        case ActivationKind::tanh:
            return Mag::of(smooth_derivative_bound(a.kind, order));
        case ActivationKind::softplus:
            // softplus(x) = log(1 + e^x) <= max(x, 0) + log 2 <= |x| + 1.
            if (order == 0) return Mag::of(add_up(z.v, 1.0));
            return Mag::of(smooth_derivative_bound(a.kind, order));
    }
    throw std::logic_error("unknown activation");
}

}  // namespace nncert::kernel
