// Dual numbers v + d*eps (eps^2 = 0) over any kernel number type. Running the reverse-mode gradient
// on duals seeded with direction u yields H u exactly: forward-over-reverse Hessian columns.
#pragma once

#include "kernel/activation.hpp"
#include "kernel/autodiff.hpp"

#include <vector>

namespace nncert::kernel {

template <class T>
struct Dual {
    T v{};  // value
    T d{};  // derivative along the seeded direction

    Dual() = default;
    Dual(const T& value) : v(value), d() {}
    Dual(const T& value, const T& deriv) : v(value), d(deriv) {}

    Dual& operator+=(const Dual& o) {
        v += o.v;
        if (!known_zero(o.d)) d += o.d;
        return *this;
    }
    Dual& operator-=(const Dual& o) {
        v -= o.v;
        if (!known_zero(o.d)) d -= o.d;
        return *this;
    }
};

template <class T>
bool known_zero(const Dual<T>& x) { return known_zero(x.v) && known_zero(x.d); }

template <class T>
Dual<T> operator+(Dual<T> a, const Dual<T>& b) { return a += b; }
template <class T>
Dual<T> operator-(Dual<T> a, const Dual<T>& b) { return a -= b; }
template <class T>
Dual<T> operator-(const Dual<T>& a) { return Dual<T>(T(-a.v), T(-a.d)); }

template <class T>
Dual<T> operator*(const Dual<T>& a, const Dual<T>& b) {
    Dual<T> r(T(a.v * b.v));
    // Skip products with a zero tangent: most seeded directions touch few intermediate values.
    if (!known_zero(b.d)) r.d += T(a.v * b.d);
    if (!known_zero(a.d)) r.d += T(a.d * b.v);
    return r;
}

// exp, log1p and division on duals over a type that has them (the interval engine's): so the softmax
// cross-entropy runs on interval duals too (TranscendentalOps below).
template <class T>
    requires TranscendentalOps<T>::value
Dual<T> exp(const Dual<T>& a) {
    const T e = exp(a.v);
    return Dual<T>(e, known_zero(a.d) ? T() : T(e * a.d));
}
template <class T>
    requires TranscendentalOps<T>::value
Dual<T> log1p(const Dual<T>& a) {
    return Dual<T>(log1p(a.v), known_zero(a.d) ? T() : T(a.d / T(T(Rational(1)) + a.v)));
}
template <class T>
    requires TranscendentalOps<T>::value
Dual<T> operator/(const Dual<T>& a, const Dual<T>& b) {  // (a/b)' = (a' b - a b') / b^2
    const T q = a.v / b.v;
    T d = a.d;
    if (!known_zero(b.d)) d -= q * b.d;
    return Dual<T>(q, known_zero(d) ? T() : T(d / b.v));
}
template <class T>
struct TranscendentalOps<Dual<T>> : TranscendentalOps<T> {};

template <class T>
Dual<T> activate(const Activation& act, const Dual<T>& z, int order) {
    Dual<T> r(activate(act, z.v, order));
    if (!known_zero(z.d)) r.d = T(activate(act, z.v, order + 1) * z.d);
    return r;
}

// The Hessian by plain forward-over-reverse: column k is the derivative of the gradient along e_k.
// One full dual pass per parameter: slow, but independent of hessian_impl.hpp, so the tests compare the
// two (exactly for rationals; as overlapping enclosures for intervals).
template <class T>
std::vector<std::vector<T>> hessian_by_dual_passes(const Problem& pb, const std::vector<T>& params) {
    const std::size_t n = params.size();
    require_hessian_parameters(n);
    std::vector<std::vector<T>> h(n, std::vector<T>(n));
    std::vector<Dual<T>> th(params.begin(), params.end());
    std::vector<Dual<T>> g;
    for (std::size_t k = 0; k < n; ++k) {
        th[k].d = T(Rational(1));
        loss_and_gradient(pb, th, &g);
        th[k].d = T(Rational(0));
        for (std::size_t i = 0; i < n; ++i) h[i][k] = g[i].d;
    }
    return h;
}

}  // namespace nncert::kernel
