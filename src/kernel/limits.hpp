// Documented resource limits of the kernel (docs/limits.md) and the exception that reports one.
// A limit never changes what a verdict means: kernel::check turns LimitExceeded into INCONCLUSIVE naming it.
#pragma once

#include "kernel/number.hpp"

#include <cstddef>
#include <stdexcept>
#include <string>

#include <gmp.h>

namespace nncert::kernel {

namespace limits {

// Parameters of one network (sum over layers of width * (fan-in + 1)). The front end rejects larger
// networks (error `limit`) before any point's parameter vector is allocated.
inline constexpr std::size_t max_parameters = 1'000'000;
// Data points times hidden and output units: the work and memory of one forward pass over the data set.
inline constexpr std::size_t max_data_units = 100'000'000;
// Parameters of a Hessian (exact or interval): it has n^2 entries.
inline constexpr std::size_t max_hessian_parameters = 4096;
// Bits (numerator plus denominator) of an exact number the forward pass may produce, and of the estimate
// degree * bits(z) a polynomial unit is evaluated only below. Composed `poly` layers grow numbers
// doubly exponentially; this stops them before GMP runs out of memory.
inline constexpr std::size_t max_number_bits = std::size_t(1) << 22;
// Terms of a polynomial in t along a descent ray (the degree of L(P + t d) grows with poly layers).
inline constexpr std::size_t max_ray_terms = 1 << 16;
// The exact segment claims (barrier, monotone) isolate the real roots of the loss along the segment, a
// polynomial in t, with Sturm sequences: their cost grows with the degree and the coefficients' bits much
// faster than the polynomial's size. Each product of the piecewise loss is checked against both bounds
// before it is computed (measured on 2026-12-01: a squaring tower of 7 layers, degree 508, takes 0.6 s;
// 8 layers, degree 1020, 4 s; 9 layers, degree 2044, 30 s; 14 layers ran to the --timeout).
inline constexpr std::size_t max_segment_degree = 512;
inline constexpr std::size_t max_segment_polynomial_bits = std::size_t(1) << 20;  // degree x coefficient bits
// Interval endpoints are read as exact rationals only inside [-2^E, 2^E] on the grid 2^-E, E below;
// beyond, an enclosure counts as unbounded (see Interval::is_bounded and docs/certificates.md).
inline constexpr long endpoint_exponent = 4096;
// Working precision of the interval engine, in bits (`precision BITS`, --precision). MPFR's cost grows
// faster than linearly with it, and every reported endpoint carries that many bits.
inline constexpr unsigned min_precision_bits = 8;
inline constexpr unsigned max_precision_bits = 16384;
// Activation patterns the pattern method may be asked to enumerate (`--max-patterns`).
inline constexpr std::size_t max_patterns = std::size_t(1) << 20;

}  // namespace limits

// A documented limit was reached. `limit` is its stable name (as in docs/limits.md); what() says what
// was too large and the bound.
struct LimitExceeded : std::runtime_error {
    std::string limit;
    LimitExceeded(std::string name, const std::string& what) : std::runtime_error(what), limit(std::move(name)) {}
};

// Bits of q (numerator plus denominator).
inline std::size_t bit_size(const Rational& q) {
    const mpq_srcptr r = q.backend().data();
    return mpz_sizeinbase(mpq_numref(r), 2) + mpz_sizeinbase(mpq_denref(r), 2);
}

// Throws LimitExceeded when an exact number would exceed limits::max_number_bits.
inline void require_number_bits(std::size_t bits, const char* where) {
    if (bits > limits::max_number_bits)
        throw LimitExceeded("max-number-bits", std::string("an exact number in ") + where + " would need about " +
                                                   std::to_string(bits) + " bits, over the limit of " +
                                                   std::to_string(limits::max_number_bits) +
                                                   " (composed poly layers or very deep networks grow numbers fast)");
}

// Throws LimitExceeded when a Hessian of n parameters would exceed limits::max_hessian_parameters.
inline void require_hessian_parameters(std::size_t n) {
    if (n > limits::max_hessian_parameters)
        throw LimitExceeded("max-hessian-parameters", "a Hessian of " + std::to_string(n) +
                                                          " parameters is over the limit of " +
                                                          std::to_string(limits::max_hessian_parameters) +
                                                          " (its n^2 entries would not fit in memory)");
}

// The size guard of the generic forward pass: exact numbers are checked, other number types are not.
inline void check_size(const Rational& q) { require_number_bits(bit_size(q), "the forward pass"); }
template <class Num>
void check_size(const Num&) {}

}  // namespace nncert::kernel
