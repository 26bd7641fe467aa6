// Exact definiteness of a rational symmetric matrix by symmetric elimination (LDL^T), with witnesses.
#pragma once

#include "kernel/exact.hpp"
#include "kernel/progress.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace nncert::kernel {

enum class Definiteness {
    positive_definite,  // every pivot > 0
    indefinite,         // witness x with x^T H x < 0
    singular_psd,       // positive semidefinite and singular: witness x != 0 with H x = 0
};

struct DefinitenessResult {
    Definiteness kind = Definiteness::positive_definite;
    // How it was decided: "exact-ldlt" (elimination), "cholesky-certificate" (a verified shifted
    // Cholesky hint, see pd_certificate.hpp) or "hinted-direction" (a float hint re-checked exactly).
    std::string method = "exact-ldlt";
    std::optional<Rational> lambda_min_lower;  // cholesky-certificate: every eigenvalue exceeds this
    std::vector<std::size_t> pivot_order;  // indices in elimination order
    Vector pivots;                         // exact-ldlt: the (positive) pivots taken, in that order
    Vector witness;                        // integer entries; empty when positive definite
    Rational quad;                         // witness^T H witness, recomputed directly from H
};

// Symmetric Gaussian elimination on the Schur complement. A negative diagonal entry gives a
// negative direction at once; a positive one is taken as a pivot (for a positive definite H this is
// plain LDL^T without pivoting, in index order); when only zero diagonal entries remain, a nonzero
// off-diagonal entry gives a negative direction, and an all-zero block a null vector.
// Every witness is lifted back to the original coordinates and re-checked against H itself.
struct DefinitenessOptions {
    const Progress* progress = nullptr;
    // From this size on, untrusted floating-point hints are tried first (each re-checked exactly);
    // exact elimination, always decisive, remains the fallback. Smaller matrices go straight to it.
    std::size_t hint_threshold = 24;
};
DefinitenessResult analyze_definiteness(const Matrix& h, const DefinitenessOptions& options = {});

// The untrusted hints alone, each re-checked exactly (a Cholesky certificate, then a negative direction from
// double and from 128-bit LDL^T): a result when they settle the question, else nothing (not a proof of anything).
// For callers that only want a certificate of one kind and can do without one (box definiteness's search for a
// negative direction), at O(n^3) floating-point cost instead of the exact elimination's growing rationals.
std::optional<DefinitenessResult> analyze_definiteness_by_hints(const Matrix& h);

// The smallest positive pivot, or the certified eigenvalue bound: a positive number summarising a
// positive definite result.
Rational positivity_margin(const DefinitenessResult& r);

Rational quadratic_form(const Matrix& h, const Vector& x);

}  // namespace nncert::kernel
