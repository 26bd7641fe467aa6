// The loss Hessian over a box in ball arithmetic, by its structure: H = sum_i c_i J_i^T l''(u_i) J_i (one BLAS
// Gram product over all data points) + sum_i c_i sum_k l'_k(u_i) Hess u_ik (per data point) + 2 lambda I.
// Assumes a validated problem and a box of finite balls; derivatives throw KinkStraddled like the MPFI engine.
#pragma once

#include "kernel/ball/matrix.hpp"
#include "kernel/progress.hpp"

#include <optional>
#include <vector>

namespace nncert::kernel {

// An enclosure of every Hessian on the box: H = A + C with A in the ball matrix `h` (entrywise) and C symmetric
// with |C| 1 <= `curvature_rows` entrywise (C = 0 when the vector is empty). The second part holds the
// output-curvature term when it is only bounded, not computed (small residuals); see docs/certificates.md.
struct BoxHessian {
    BallMatrix h;
    std::vector<double> curvature_rows;
    bool curvature_computed = false;  // true: the curvature term is inside h and curvature_rows is empty
    // The rows of the Gram part over the box: for squared errors and bce they are the output Jacobians J_ik
    // (row i * outputs + k), so the gradient at the centre is rows^T s for the output weights s (jacobian_rows).
    BallMatrix rows;
    bool jacobian_rows = false;
};

// The output weights s_ik = c_i l'_k(u_i) of the gradient at the exact centre, by MPFI at `bits` (forward sweeps
// only, over `threads` chunks of data points), as balls (row i * outputs + k).
std::vector<Ball> centre_output_weights(const Problem& pb, const Vector& centre, unsigned bits, unsigned threads);

// Which losses the structured ball Hessian supports: every loss (l'' factored per loss in box_hessian.cpp).
// `full_curvature`: compute sum_i c_i l' Hess u_i entry by entry (forward-over-reverse per parameter, per
// data point: O(m p * width)) instead of bounding its row sums (one magnitude pass per data point: O(m p)).
// `tight_gram`: radius of the Gram product by two more dgemm instead of Cauchy-Schwarz. `threads` >= 1.
BoxHessian ball_hessian(const Problem& pb, const std::vector<Ball>& box, bool full_curvature, bool tight_gram,
                        unsigned threads, const Progress* progress = nullptr);

// The loss gradient at the exact point `centre`, by MPFI at `bits` of precision (over `threads` chunks of data
// points), converted to balls: the high-precision point quantity of Krawczyk's test (claims_ball.cpp).
std::vector<Ball> centre_gradient(const Problem& pb, const Vector& centre, unsigned bits, unsigned threads);

// The box [c - r, c + r] as balls (each coordinate rounded outward), and an upper bound (a double) of the
// largest distance from c_k to the ends of coordinate k over all k (>= r).
std::vector<Ball> ball_box(const Vector& centre, const Rational& r, double* reach = nullptr);

}  // namespace nncert::kernel
