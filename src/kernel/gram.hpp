// Exact sums of outer products J J^T in integer arithmetic: each J is scaled to integers by its
// denominators' lcm, and the accumulator keeps one common denominator, grown only when needed.
// This is the dense O(N P^2) part of a squared-loss Hessian, so it must avoid rational arithmetic.
#pragma once

#include "kernel/exact.hpp"

#include <vector>

namespace nncert::kernel {

class GramAccumulator {
public:
    explicit GramAccumulator(std::size_t n);
    void add(const Vector& j, const Rational& w = Rational(1));  // adds w j j^T (w > 0)
    Matrix result() const;      // the exact sum, as a full symmetric rational matrix

private:
    std::size_t n_;
    std::vector<Integer> upper_;  // row-major upper triangle of the numerator matrix
    Integer denom_ = 1;           // sum = numerator / denom_
    std::vector<Integer> scaled_, ints_;
    std::vector<std::size_t> nonzero_;
};

}  // namespace nncert::kernel
