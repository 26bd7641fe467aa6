// Exact re-check of a shifted-Cholesky certificate of positive definiteness (the hint comes from the
// untrusted src/hints/): H = R^T R + c I + E with c > ||E||_F proves every eigenvalue of H > c - ||E||_F > 0.
#pragma once

#include "hints/cholesky.hpp"
#include "kernel/exact.hpp"

#include <optional>

namespace nncert::kernel {

// The certified lower bound c - (an upper bound on ||E||_F) on the smallest eigenvalue, when it is
// positive; nothing otherwise (the hint was not good enough: that proves nothing either way).
std::optional<Rational> verify_cholesky_certificate(const Matrix& h, const hints::CholeskyHint& hint);

}  // namespace nncert::kernel
