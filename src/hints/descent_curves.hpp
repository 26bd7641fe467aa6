// UNTRUSTED proposer of descent curves at degenerate critical points (positive semidefinite, singular
// Hessian): null directions of the Hessian, their sums and symmetric choices, and curves t d1 + t^2 d2 whose
// fourth-order term is negative. Nothing here decides anything: the kernel expands every proposed curve
// exactly (kernel/ray.hpp) and accepts it only if the loss provably falls along it.
#pragma once

#include "kernel/exact.hpp"

#include <functional>
#include <vector>

namespace nncert::hints {

using kernel::Matrix;
using kernel::Rational;
using kernel::Vector;

// A polynomial curve t -> P + t c[0] + t^2 c[1] + ...
using Curve = std::vector<Vector>;
// The exact coefficients of t -> L(P + t c[0] + t^2 c[1] + ...), constant first (the kernel's expansion).
using CurveLoss = std::function<Vector(const Curve&)>;

// A rational basis of the null space of the square matrix m (exact Gaussian elimination), integer entries.
std::vector<Vector> null_space_basis(const Matrix& m);

// Curves along which the loss seems to fall, given the Hessian h (n x n, rational) at a critical point and
// the exact expansion `along`. Returns at most `max_curves` candidates (best first), possibly none.
// Tries, for d1 among null directions (basis vectors, their sum and alternating sum, pairwise sums and
// differences, pseudo-random integer combinations): the ray d1 or -d1 when the cubic term is nonzero; then
// the curve t d1 + t^2 d2 with d2 minimising the quartic term (a least-squares solve against h).
std::vector<Curve> propose_descent_curves(const Matrix& h, const CurveLoss& along, std::size_t max_curves);

// "Products of null directions": a polynomial term  c * prod_k theta_k^e_k  of <residual, outputs> (the
// linear relaxation's failing monomials) suggests moving exactly those parameters, with signs making
// c * prod s_k^e_k < 0; the loss then falls at that order unless the outputs' own change is faster.
// Returns one direction (entries +-1 on the factors) per monomial whose sign can be made negative.
std::vector<Vector> directions_from_monomials(
    const std::vector<std::pair<std::vector<std::pair<std::size_t, unsigned>>, Rational>>& monomials, std::size_t n);

}  // namespace nncert::hints
