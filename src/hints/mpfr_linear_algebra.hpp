// UNTRUSTED numerical helpers: an approximate inverse and an eigenvalue estimate in plain MPFR rounding.
// Nothing here is a proof: results only steer the rigorous tests (Krawczyk stays sound for any Y).
// Lives outside src/kernel/ on purpose: the kernel folder holds only code whose results are trusted.
#pragma once

#include "kernel/exact.hpp"

#include <mpfr.h>
#include <optional>

namespace nncert::hints {

using kernel::Matrix;
using kernel::Rational;
using kernel::Vector;

// Gauss-Jordan elimination with partial pivoting at `bits` of working precision. Returns the computed
// inverse as exact rationals (the MPFR values themselves), or nothing when a pivot vanishes.
std::optional<Matrix> approximate_inverse_untrusted(const Matrix& m, mpfr_prec_t bits);

// Power iteration on an approximate inverse Y of a symmetric matrix M: 1 / (the dominant Rayleigh
// quotient of Y) estimates the eigenvalue of M of least magnitude. Nothing when the estimate is not > 0.
std::optional<Rational> smallest_eigenvalue_estimate_untrusted(const Matrix& inverse);

// A direction x (exact dyadic rationals) that the symmetric LDL^T of m without pivoting, at `bits` of working
// precision, suggests has x^T m x <= 0: at the first pivot d_k that is not positive, the solution of L^T x = e_k
// (x_j = 0 for j > k), for which x^T m x = d_k in exact arithmetic. Nothing when every pivot is positive (m looks
// positive definite) or a value leaves the exponent range. m: n x n, symmetric (only its lower triangle is read).
// O(n^3 / 6) MPFR operations: about 0.8 s at n = 481 and 128 bits.
std::optional<Vector> nonpositive_direction_untrusted(const Matrix& m, mpfr_prec_t bits);

}  // namespace nncert::hints
