// Dual numbers v + d*eps (eps^2 = 0) over any kernel number type. Running the reverse-mode gradient
// on duals seeded with direction u yields H u exactly: forward-over-reverse Hessian columns.
#pragma once

#include "kernel/activation.hpp"

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

template <class T>
Dual<T> activate(const Activation& act, const Dual<T>& z, int order) {
    Dual<T> r(activate(act, z.v, order));
    if (!known_zero(z.d)) r.d = T(activate(act, z.v, order + 1) * z.d);
    return r;
}

}  // namespace nncert::kernel
