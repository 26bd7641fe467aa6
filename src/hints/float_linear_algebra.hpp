// UNTRUSTED double-precision linear algebra (LAPACK through OpenBLAS) for the ball engine: approximate
// inverses, Cholesky factors, eigenvalue estimates, negative-curvature directions. Nothing here is a proof:
// the kernel re-checks everything it uses with rigorous ball arithmetic (or uses it where any value is sound).
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

namespace nncert::hints {

// Row-major n x n matrices of doubles.
using DenseMatrix = std::vector<double>;

// R upper triangular (row-major, zeros below the diagonal) with R^T R ~ a (a symmetric); nothing when the
// floating-point factorisation breaks down (a is not numerically positive definite).
std::optional<DenseMatrix> cholesky_upper_untrusted(const DenseMatrix& a, std::size_t n);

// An approximate inverse of a (symmetric positive definite: Cholesky; otherwise LU with pivoting);
// nothing when the matrix is numerically singular.
std::optional<DenseMatrix> inverse_untrusted(const DenseMatrix& a, std::size_t n);

// The inverse (R^T R)^-1 from an upper factor r as returned by cholesky_upper_untrusted (LAPACK dpotri), so that
// one factorisation serves both an approximate inverse and a definiteness test; nothing if it is not finite.
std::optional<DenseMatrix> inverse_from_cholesky_untrusted(const DenseMatrix& r, std::size_t n);

// An estimate of the smallest eigenvalue of R^T R (inverse iteration with the two triangular solves);
// stops when the Rayleigh quotient settles (relative change below 1e-4) or after 60 steps.
double smallest_eigenvalue_estimate_untrusted(const DenseMatrix& r, std::size_t n);

// An approximate eigenvector of the smallest eigenvalue of the symmetric a (LAPACK dsyevr), and the value.
struct EigenPair {
    double value;
    std::vector<double> vector;
};
std::optional<EigenPair> lowest_eigenpair_untrusted(const DenseMatrix& a, std::size_t n);

}  // namespace nncert::hints
