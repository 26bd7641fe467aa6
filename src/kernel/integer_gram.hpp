// Exact Gram matrices K^T K of integer matrices through BLAS: K is cut into 21-bit slices whose products are
// exact in binary64 (docs/certificates.md, "Exact integer Gram matrices through BLAS"); the slices recombine in GMP.
#pragma once

#include "kernel/number.hpp"

#include <cstddef>
#include <vector>

namespace nncert::kernel {

// Bits per slice, and the most rows one BLAS call may sum: rows * (2^21 - 1)^2 < 2^53 keeps every partial sum
// an integer of at most 53 bits, hence exact in any order and rounding direction.
inline constexpr unsigned integer_gram_slice_bits = 21;
inline constexpr std::size_t integer_gram_max_rows = 2048;

// upper += multiplier * (K^T K) on the upper triangle, K the rows x n row-major integer matrix k (rows <=
// integer_gram_max_rows), `upper` packed by rows: entry (r, c), c >= r, at index r*n - r*(r-1)/2 - r + c (as
// GramAccumulator). Returns false, adding nothing, when K has entries of more than max_slices * 21 bits (the GMP
// loop is then cheaper). Throws std::invalid_argument on bad shapes, and std::runtime_error when BLAS returned a
// value that is not an integer of at most 53 bits (impossible for a classical BLAS; checked as defence in depth,
// `upper` is then partly updated and must be discarded).
bool add_integer_gram(const std::vector<Integer>& k, std::size_t rows, std::size_t n, const Integer& multiplier,
                      std::vector<Integer>& upper, unsigned max_slices = 6);

}  // namespace nncert::kernel
