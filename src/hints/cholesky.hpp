// UNTRUSTED hints for definiteness, computed in double precision: a shifted Cholesky factor that the
// kernel turns into an exact positive-definiteness certificate, and a candidate negative direction.
// Nothing here decides anything: the kernel re-checks every hint exactly (kernel/pd_certificate.hpp).
#pragma once

#include "kernel/exact.hpp"

#include <cstdint>
#include <optional>
#include <vector>

namespace nncert::hints {

// H is claimed to be R^T R + shift I + E with R = r_int / 2^scale_bits (upper triangular, row-major,
// n x n, |entries| <= 2^52) and E small; the kernel computes E exactly and bounds it.
struct CholeskyHint {
    kernel::Rational shift;
    int scale_bits = 0;
    std::vector<std::int64_t> r_int;
};

// attempt 0, 1, 2, ...: successively smaller shifts (a fraction of an estimate of the smallest
// eigenvalue). Nothing when the double Cholesky of H itself fails or the attempts are used up.
std::optional<CholeskyHint> cholesky_hint(const kernel::Matrix& h, int attempt);

// A direction x (exact dyadic rationals) that float LDL^T suggests has x^T H x < 0, if any.
std::optional<kernel::Vector> negative_direction_hint(const kernel::Matrix& h);

}  // namespace nncert::hints
