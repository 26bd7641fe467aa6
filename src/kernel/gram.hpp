// Exact sums of outer products J J^T in integer arithmetic: each J is scaled to integers by its
// denominators' lcm, and the accumulator keeps one common denominator, grown only when needed.
// This is the dense O(N P^2) part of a squared-loss Hessian, so it must avoid rational arithmetic: from 32
// parameters on, rows are buffered (per weight) and summed as exact integer Gram matrices through BLAS on 21-bit
// slices (integer_gram.hpp), otherwise (and for entries too wide to slice cheaply) by GMP's mpz_addmul.
#pragma once

#include "kernel/exact.hpp"

#include <vector>

namespace nncert::kernel {

class GramAccumulator {
public:
    // n parameters; use_blas false forces the GMP loop (tests compare both ways).
    explicit GramAccumulator(std::size_t n, bool use_blas = true);
    void add(const Vector& j, const Rational& w = Rational(1));  // adds w j j^T (w > 0)
    Matrix result();  // the exact sum, as a full symmetric rational matrix (sums the buffered rows first)

    // Parameters from which the BLAS path is used (below it the GMP loop is as fast and needs no buffer).
    static constexpr std::size_t blas_min_params = 32;

private:
    struct Pending {  // buffered integer rows J (row-major, n each) of one weight, with their scale d (j = J / d)
        Rational weight;
        std::vector<Integer> rows, scale;
        std::size_t count = 0;
    };
    void accumulate(const Integer* ints, const Integer& d, const Rational& w);  // the GMP loop, one row
    Integer make_room(const Integer& d2);  // grows denom_ to a multiple of d2; returns denom_ / d2
    void flush(Pending& p);

    std::size_t n_;
    bool use_blas_;
    std::size_t chunk_rows_;
    std::vector<Integer> upper_;  // row-major upper triangle of the numerator matrix
    Integer denom_ = 1;           // sum = numerator / denom_
    std::vector<Integer> scaled_, ints_;
    std::vector<std::size_t> nonzero_;
    std::vector<Pending> pending_;  // at most max_weights distinct weights are buffered
    static constexpr std::size_t max_weights = 4;
};

}  // namespace nncert::kernel
