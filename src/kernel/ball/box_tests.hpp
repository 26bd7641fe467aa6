// Krawczyk's test and positive definiteness over a box, on the ball Hessian enclosure (box_hessian.hpp) with
// untrusted LAPACK hints (src/hints/float_linear_algebra.hpp). Assumes an IEEE environment (rounding.hpp).
#pragma once

#include "kernel/ball/box_hessian.hpp"
#include "kernel/interval/krawczyk.hpp"
#include "kernel/interval/box_definiteness.hpp"

#include <optional>
#include <string>

namespace nncert::kernel {

struct BallKrawczykResult {
    KrawczykOutcome outcome = KrawczykOutcome::undecided;
    std::optional<double> contraction;     // upper bound on the max row sum of |I - Y F'(X)|
    std::optional<std::size_t> coordinate;  // no_zero: where K misses B; undecided: where K leaves int B
    std::optional<Rational> offset_lower, offset_upper;  // K_i - P_i at that coordinate (exact dyadic ends)
    std::string note;
};

// K(X) = P - Y F(P) + (I - Y F'(X)) (X - P) in offset form: K_i - P_i lies in -(Y F)_i + [-s_i, s_i] * reach,
// s_i an upper bound of row i of |I - Y F'(X)|, F'(X) the enclosure `h` (including its curvature row bounds),
// F(P) the enclosure `f_centre` of the gradient at the centre, reach >= max |X_k - P_k|. Decided exactly
// against B = [P - r, P + r]: inside the interior -> unique zero; disjoint in some coordinate -> no zero.
// Y is any double matrix: an untrusted approximate inverse of mid F'(X), from `cholesky_of_mid` (an untrusted
// upper factor R with R^T R ~ mid, hints::cholesky_upper_untrusted) when given, else computed from mid.
BallKrawczykResult ball_krawczyk(const BoxHessian& h, const std::vector<Ball>& f_centre, const Rational& r,
                                 double reach, const std::vector<double>* cholesky_of_mid = nullptr);

struct BallDefinitenessResult {
    BoxDefiniteness kind = BoxDefiniteness::undecided;
    Rational lambda_min_above;   // positive_definite: every matrix of the enclosure has lambda_min > this (> 0)
    Rational perturbation_bound;  // an upper bound of ||A - mid||_2 over the enclosure (radius and curvature part)
    Rational residual_bound;     // positive_definite: ||mid - s I - R^T R||_2 bound of the verified factor
    Vector witness;              // indefinite: an integer direction x
    Rational curvature_bound;    // indefinite: x^T A x <= this < 0 for every A of the enclosure
};

// Positive definite: an untrusted Cholesky factor R of mid - s I, then rigorously
// lambda_min(A) >= s - ||mid - s I - R^T R||_2 - ||A - mid||_2 > 0 for every A of the enclosure (Weyl).
// Indefinite: an untrusted lowest eigenvector x (scaled to integers), then rigorously x^T A x < 0.
// `cholesky_of_mid` (optional, untrusted, as for ball_krawczyk) saves the factorisation behind the shift's estimate.
BallDefinitenessResult ball_box_definiteness(const BoxHessian& h, const std::vector<double>* cholesky_of_mid = nullptr);

}  // namespace nncert::kernel
