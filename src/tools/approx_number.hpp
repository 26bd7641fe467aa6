// UNTRUSTED: a long double number type that satisfies the kernel's generic number concept (autodiff.hpp,
// hessian_impl.hpp, output_loss.hpp), so refine's fast Levenberg-Marquardt phase evaluates the very same
// network, loss, gradient and Hessian code as the kernel, in plain floating point. Its results steer the
// search only; every claim is decided later by the kernel.
#pragma once

#include "kernel/model.hpp"
#include "kernel/number.hpp"

#include <cmath>

namespace nncert::tools {

struct Approx {
    long double v = 0;
    Approx() = default;
    Approx(long double x) : v(x) {}
    Approx(const kernel::Rational& q) : v(q.convert_to<long double>()) {}
    Approx& operator+=(const Approx& o) { v += o.v; return *this; }
    Approx& operator-=(const Approx& o) { v -= o.v; return *this; }
    Approx& operator*=(const Approx& o) { v *= o.v; return *this; }
};

inline Approx operator+(Approx a, const Approx& b) { return a += b; }
inline Approx operator-(Approx a, const Approx& b) { return a -= b; }
inline Approx operator*(Approx a, const Approx& b) { return a *= b; }
inline Approx operator/(const Approx& a, const Approx& b) { return Approx(a.v / b.v); }
inline Approx operator-(const Approx& a) { return Approx(-a.v); }
inline bool known_zero(const Approx& a) { return a.v == 0; }
inline Approx exp(const Approx& a) { return Approx(std::exp(a.v)); }
inline Approx log1p(const Approx& a) { return Approx(std::log1p(a.v)); }

// The order-th derivative (0, 1, 2) of the activation at z; at a relu kink the left derivative.
Approx activate(const kernel::Activation& a, const Approx& z, int order);

}  // namespace nncert::tools

namespace nncert::kernel {
template <>
struct TranscendentalOps<tools::Approx> : std::true_type {};
}  // namespace nncert::kernel
