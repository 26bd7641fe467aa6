// Exact definiteness of a rational symmetric matrix by symmetric elimination (LDL^T), with witnesses.
#pragma once

#include "kernel/exact.hpp"

#include <cstddef>
#include <vector>

namespace nncert::kernel {

enum class Definiteness {
    positive_definite,  // every pivot > 0
    indefinite,         // witness x with x^T H x < 0
    singular_psd,       // positive semidefinite and singular: witness x != 0 with H x = 0
};

struct DefinitenessResult {
    Definiteness kind = Definiteness::positive_definite;
    std::vector<std::size_t> pivot_order;  // indices in elimination order
    Vector pivots;                         // the (positive) pivots taken, in that order
    Vector witness;                        // integer entries; empty when positive definite
    Rational quad;                         // witness^T H witness, recomputed directly from H
};

// Symmetric Gaussian elimination on the Schur complement. A negative diagonal entry gives a
// negative direction at once; a positive one is taken as a pivot (for a positive definite H this is
// plain LDL^T without pivoting, in index order); when only zero diagonal entries remain, a nonzero
// off-diagonal entry gives a negative direction, and an all-zero block a null vector.
// Every witness is lifted back to the original coordinates and re-checked against H itself.
DefinitenessResult analyze_definiteness(const Matrix& h);

Rational quadratic_form(const Matrix& h, const Vector& x);

}  // namespace nncert::kernel
