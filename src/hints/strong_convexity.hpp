// UNTRUSTED hints for the strong-convexity trap route (docs/certificates.md, "Traps by strong convexity"): the
// modulus lambda the kernel tries to certify, and Newton steps towards a box's minimiser. Nothing here is a proof.
#pragma once

#include "kernel/exact.hpp"

#include <optional>

namespace nncert::hints {

using kernel::Matrix;
using kernel::Rational;
using kernel::Vector;

// An estimate of the smallest eigenvalue of the symmetric n x n matrix h (LAPACK dsyevr in binary64 on the
// rationals rounded to double), as an exact dyadic; nothing when it is not finite or LAPACK fails.
std::optional<Rational> smallest_eigenvalue_untrusted(const Matrix& h);

// The Newton step s with h s ~ -g (binary64 Cholesky or LU), as exact dyadics; nothing when h is numerically
// singular or the step is not finite.
std::optional<Vector> newton_step_untrusted(const Matrix& h, const Vector& g);

}  // namespace nncert::hints
