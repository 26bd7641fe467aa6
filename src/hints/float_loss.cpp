// The generic forward pass and loss (kernel/autodiff.hpp) on plain doubles: a number type with the operations that
// code asks for, and nothing rigorous about it (float_loss.hpp).
#include "hints/float_loss.hpp"

#include "kernel/autodiff.hpp"

#include <gmp.h>

#include <algorithm>
#include <cmath>

namespace nncert::hints {
namespace float_number {

// q to a nearby double (within a few ulps; the nearest is not needed here) from the leading bits of its numerator and
// denominator: a fraction of mpq_get_d's cost, which divides the whole numbers (the trap's boxes and reduced problems
// carry 128-bit ends). 0 for 0; +-inf or 0 beyond the double range (ldexp).
double approx_double(const kernel::Rational& q) {
    mpq_srcptr r = q.backend().data();
    if (mpz_sgn(mpq_numref(r)) == 0) return 0;
    long en = 0, ed = 0;
    const double n = mpz_get_d_2exp(&en, mpq_numref(r)), d = mpz_get_d_2exp(&ed, mpq_denref(r));
    return std::ldexp(n / d, static_cast<int>(std::clamp<long>(en - ed, -4000, 4000)));
}

// A double dressed as the generic code's number (kernel/number.hpp's concept): rationals enter by approx_double.
struct Float {
    double v = 0;
    Float() = default;
    explicit Float(double x) : v(x) {}
    Float(const kernel::Rational& q) : v(approx_double(q)) {}
    Float& operator+=(const Float& o) { v += o.v; return *this; }
    Float& operator-=(const Float& o) { v -= o.v; return *this; }
    friend Float operator+(Float a, Float b) { return Float(a.v + b.v); }
    friend Float operator-(Float a, Float b) { return Float(a.v - b.v); }
    friend Float operator-(Float a) { return Float(-a.v); }
    friend Float operator*(Float a, Float b) { return Float(a.v * b.v); }
    friend Float operator/(Float a, Float b) { return Float(a.v / b.v); }
};

inline bool known_zero(const Float& x) { return x.v == 0; }
inline Float exp(const Float& x) { return Float(std::exp(x.v)); }
inline Float log1p(const Float& x) { return Float(std::log1p(x.v)); }

// The activation's value (order 0) or first derivative (order 1); higher orders are not needed by the loss.
inline Float activate(const kernel::Activation& a, const Float& x, int order) {
    using kernel::ActivationKind;
    const double z = x.v;
    const auto sigmoid = [](double t) { return t >= 0 ? 1 / (1 + std::exp(-t)) : std::exp(t) / (1 + std::exp(t)); };
    switch (a.kind) {
        case ActivationKind::identity: return Float(order == 0 ? z : 1.0);
        case ActivationKind::relu: return Float(order == 0 ? (z > 0 ? z : 0.0) : (z > 0 ? 1.0 : 0.0));
        case ActivationKind::leaky_relu: {
            const double alpha = approx_double(a.alpha);
            return Float(order == 0 ? (z > 0 ? z : alpha * z) : (z > 0 ? 1.0 : alpha));
        }
        case ActivationKind::poly: {
            double value = 0, slope = 0;  // Horner for the polynomial and its derivative
            for (std::size_t k = a.coeffs.size(); k-- > 0;) {
                slope = slope * z + value;
                value = value * z + approx_double(a.coeffs[k]);
            }
            return Float(order == 0 ? value : slope);
        }
        case ActivationKind::sigmoid: {
            const double s = sigmoid(z);
            return Float(order == 0 ? s : s * (1 - s));
        }
        case ActivationKind::tanh: {
            const double t = std::tanh(z);
            return Float(order == 0 ? t : 1 - t * t);
        }
        case ActivationKind::softplus:
            return Float(order == 0 ? (z > 0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z))) : sigmoid(z));
    }
    return Float(std::nan(""));
}

}  // namespace float_number
}  // namespace nncert::hints

namespace nncert::kernel {
template <>
struct TranscendentalOps<hints::float_number::Float> : std::true_type {};
}  // namespace nncert::kernel

namespace nncert::hints {

std::optional<double> loss_in_doubles(const kernel::Problem& pb, const kernel::Vector& theta) {
    using float_number::Float;
    if (theta.size() != pb.net.num_params()) return std::nullopt;
    const std::vector<Float> th(theta.begin(), theta.end());
    const double l = kernel::loss_and_gradient<Float>(pb, th, nullptr).v;
    if (std::isnan(l)) return std::nullopt;
    return l;
}

}  // namespace nncert::hints
