// The second-order (Taylor) form of the loss over a box in its bounded coordinates, for the branch and bound:
// L(theta) = L(c) + g(c).d + 1/2 d^T H(xi) d, d = theta - c, bounded row by row and, where the Hessian is
// certainly positive definite on the box, from below by the minimum of the quadratic (docs/certificates.md,
// "The second-order form"). Assumes a live PrecisionScope, a validated problem and a twice differentiable loss
// on the box (the caller checks for kinks).
#pragma once

#include "kernel/interval/box.hpp"
#include "kernel/model.hpp"

#include <optional>
#include <vector>

namespace nncert::kernel {

struct TaylorBound {
    // Contains L(theta) for every theta in the box: the row-by-row form met with [lower, +inf) where the
    // positive definite bound applied (quadratic_lower_bound).
    Interval enclosure;
    // The positive definite bound applied (the Hessian block of the bounded coordinates, or its midpoint
    // matrix, passed an interval LDL^T with every pivot certainly positive).
    bool convex = false;
    // Per coordinate, the second-order spread |g_k(c)| w_k + |H_kk(X)| w_k^2 (w_k the width) for bounded
    // ranges; NaN for the others. A splitting heuristic, never a bound.
    std::vector<Interval> spread;
};

// Nothing when the box has no bounded range of positive width or a needed enclosure is not finite. Throws
// KinkStraddled where the Hessian does not exist (relu kinks inside the box).
// centre (if given) must be centre_box(box) (the caller computed it already, e.g. for the mean-value form).
// binary64: for squared errors, L(c) and g(c) over C in binary64 intervals (ball/dinterval.hpp, the same generic code,
// converted exactly; docs/certificates.md, "Binary64 intervals"), else in MPFI at the working precision; both enclose
// them. A caller comparing with a level computes the form again with binary64 = false when the bound misses the level
// narrowly (misses_narrowly, loss_bound.hpp).
std::optional<TaylorBound> taylor_form(const Problem& pb, const Box& box, const IVector& x,
                                       const IVector* centre = nullptr, bool binary64 = true);

// A lower bound (the lower end of the result) of b.d + 1/2 d^T A d over every d in the interval box `d`, every
// vector in b and every symmetric matrix in the interval matrix A (rows, b and d indexed alike):
// -1/2 (b - lam)^T A^{-1} (b - lam) + min_d lam.d when an interval LDL^T certifies every such A positive definite,
// else the same with A's midpoint matrix Am minus 1/2 sum_ij |A - Am|_ij |d_i| |d_j| when Am is certified positive
// definite; lam is the KKT multiplier of an approximate box-constrained minimiser (any lam is sound). Nothing
// when neither matrix is certified positive definite. Exposed for tests.
std::optional<Interval> quadratic_lower_bound(const std::vector<IVector>& a, const IVector& b, const IVector& d);

}  // namespace nncert::kernel
