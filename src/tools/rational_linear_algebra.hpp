// Small exact linear algebra for the untrusted generators: rank, solving, affine least squares.
// Plain Gauss-Jordan on GMP rationals; meant for the tens of unknowns the constructions need, not for speed.
#pragma once

#include "kernel/number.hpp"

#include <cstddef>
#include <optional>
#include <vector>

namespace nncert::tools {

// An affine function x -> w.x + b on R^d (w has d entries).
struct AffineMap {
    kernel::Vector w;
    kernel::Rational b;
    kernel::Rational at(const kernel::Vector& x) const;
};

kernel::Rational dot(const kernel::Vector& a, const kernel::Vector& b);

// Rank of the matrix whose rows are `rows` (all of one length). Exact.
std::size_t rank(std::vector<kernel::Vector> rows);

// The solution of A x = b for a square A (n rows of n entries, b of n entries), or nullopt when A is
// singular. Exact.
std::optional<kernel::Vector> solve(std::vector<kernel::Vector> A, kernel::Vector b);

// Affine least squares: the affine map g minimising sum_i (g(x_i) - y_i)^2 over the points x_i (each of
// d entries) and the residual sum of squares at g. nullopt when the points do not affinely span R^d (then
// the minimiser is not unique). Solves the normal equations [X 1]^T [X 1] theta = [X 1]^T y exactly.
struct AffineFit {
    AffineMap map;
    kernel::Rational residual;  // sum_i (g(x_i) - y_i)^2
};
std::optional<AffineFit> affine_least_squares(const std::vector<kernel::Vector>& xs, const kernel::Vector& ys);

}  // namespace nncert::tools
