// UNTRUSTED hint for the one-layer loss bound (kernel/interval/one_layer.cpp): an approximate minimiser of a convex
// quadratic over a box, in binary64. The kernel's bound is valid for every point it is given; this only makes it tight.
#pragma once

#include "kernel/exact.hpp"

#include <mpfr.h>
#include <vector>

namespace nncert::hints {

using kernel::Matrix;
using kernel::Rational;
using kernel::Vector;

struct BoxQuadraticPoint {
    Vector d;  // the approximate minimiser, exact dyadics inside [lo, hi]
    Vector e;  // e_i = a_i . d (rounded: any values will do for the kernel)
};

// Approximately minimises  g.d + 1/2 sum_i q_i (a_i . d)^2 + 1/2 s |d|^2  over lo <= d <= hi (q_i >= 0, s >= 0) by
// projected gradient steps from d = 0. g and q are read through mpfr_get_d; a is n x p, given in binary64 row-major
// (a[i * p + k]; callers convert their exact coefficients once, not per call).
BoxQuadraticPoint box_quadratic_minimiser_untrusted(const std::vector<mpfr_srcptr>& g,
                                                    const std::vector<mpfr_srcptr>& q, const std::vector<double>& a,
                                                    const Rational& s, const Vector& lo, const Vector& hi);

// The same in binary64 throughout (the one-layer bound's binary64 route): g, q, s, lo, hi as doubles, and the
// minimiser d and e_i = a_i . d returned as doubles (finite; 0 where a step overflowed).
struct BoxQuadraticPointD {
    std::vector<double> d, e;
};
BoxQuadraticPointD box_quadratic_minimiser_untrusted_d(const std::vector<double>& g, const std::vector<double>& q,
                                                       const std::vector<double>& a, double s,
                                                       const std::vector<double>& lo, const std::vector<double>& hi);

}  // namespace nncert::hints
