// Dense matrices of balls and their rigorous products through BLAS (with kernel/integer_gram.hpp, the kernel's
// bounded interfaces to BLAS). Assumes rounding.hpp's model and a classical BLAS (each entry a sum of the n products).
#pragma once

#include "kernel/ball/ball.hpp"

#include <cstddef>
#include <vector>

namespace nncert::kernel {

// Row-major rows x cols matrix of balls <mid, rad>, stored as two arrays. Every entry is finite, or the
// matrix is flagged `whole` (some entry is the whole line: nothing may be concluded from it).
struct BallMatrix {
    std::size_t rows = 0, cols = 0;
    std::vector<double> mid, rad;

    BallMatrix() = default;
    BallMatrix(std::size_t r, std::size_t c) : rows(r), cols(c), mid(r * c, 0.0), rad(r * c, 0.0) {}
    Ball at(std::size_t i, std::size_t j) const { return Ball::from_parts(mid[i * cols + j], rad[i * cols + j]); }
    void set(std::size_t i, std::size_t j, const Ball& b) {
        mid[i * cols + j] = b.mid();
        rad[i * cols + j] = b.rad();
    }
    // True when every mid and rad is finite.
    bool finite() const;
};

// The largest n (inner dimension) the product bounds are proved for: n <= 2^25, so that
// gamma_n = n u / (1 - n u) <= (n + 1) u with u = 2^-52.
inline constexpr std::size_t max_inner_dimension = std::size_t(1) << 25;

// A * B (A: n x k, B: k x m balls): an enclosure of {X Y : X in A, Y in B}. Three dgemm calls (two when A or
// B is a point matrix). Bound (docs/certificates.md, "Ball matrix products"):
//   |X Y - fl(mA mB)| <= (1 + (k+1)u)(fl(|mA| Q1) + fl(rA Q2) + 4 k eta) + 2 k eta,
//   Q1 >= rB + (k+1)u |mB|,  Q2 >= |mB| + rB,  eta = 2^-1074,
// valid for any summation order and any mix of fused multiply-adds, in every rounding direction. Entries
// whose inputs exceed 2^490 in magnitude (or are not finite) make the result whole. Throws
// std::invalid_argument on mismatched shapes.
BallMatrix product(const BallMatrix& a, const BallMatrix& b);

// A^T A (A: m x p), symmetric, with the mid by one dsyrk and the radius bounded by Cauchy-Schwarz on the
// columns ("cheap": |A|^T |B| <= column norms outer product, O(m p) extra) or by two more dgemm ("tight").
// Same bound as product() with X^T Y for X, Y in A.
BallMatrix gram(const BallMatrix& a, bool tight);

// fl(A B) for point matrices (A: n x k, B: k x m doubles) by one dgemm, and for every row i an upper bound of
// sum_j |(A B)_ij - fl(A B)_ij| by the product lemma: (|A| ((k+1) u |B| 1))_i + 2 k eta m (a matrix-vector
// bound instead of a second dgemm). Inputs beyond the cap or not finite give NaN products and +inf bounds.
struct PointProduct {
    std::vector<double> mid;
    std::vector<double> row_error;
};
PointProduct point_product(const std::vector<double>& a, const std::vector<double>& b, std::size_t n, std::size_t k,
                           std::size_t m);

// Transpose (exact).
BallMatrix transpose(const BallMatrix& a);

// Entrywise a + b, rigorous.
BallMatrix sum(const BallMatrix& a, const BallMatrix& b);

// Every entry times the ball s, rigorous.
BallMatrix scaled(const BallMatrix& a, const Ball& s);

// An upper bound (a double) of sum_j |x_ij| over the ball entries of row i, for every row: sum (|mid| + rad).
std::vector<double> row_magnitude_sums(const BallMatrix& a);

// Upper bound of |A| v (A: n x n balls as magnitudes |mid| + rad, v >= 0): one matvec, rounded up by the
// product bound. Whole-line entries give +inf.
std::vector<double> magnitude_times(const BallMatrix& a, const std::vector<double>& v);

// Upper bounds of the Frobenius norm and of the max row sum of the radius matrix of a (rad entries only).
double radius_frobenius_bound(const BallMatrix& a);
double radius_row_sum_bound(const BallMatrix& a);

}  // namespace nncert::kernel
