// Rigorous intervals over MPFI (outward-rounded MPFR endpoints): the number type of the interval engine.
// Assumes a live PrecisionScope; rationals enter as tight enclosures (mpfi_set_q), never through double.
#pragma once

#include "kernel/interval/precision.hpp"
#include "kernel/number.hpp"

#include <mpfi.h>

#include <cstddef>

namespace nncert::kernel {

// A closed interval [lo, hi] that is guaranteed to contain the real quantity it stands for. It satisfies
// the generic number concept of autodiff.hpp and dual.hpp (default 0, from Rational, + - *, known_zero,
// activate). There is deliberately no operator< or ==: overlapping intervals have no order. Ask by
// certainty instead (certainly_less, contains, subset_of_interior, ...). A NaN endpoint (an undefined
// operation) makes every "certainly" predicate false, so it can only lead to INCONCLUSIVE.
class Interval {
public:
    Interval();                       // the exact point 0
    Interval(const Rational& q);      // tightest enclosure of q at the working precision (implicit on purpose:
                                      // the generic code writes Num(rational))
    Interval(const Interval& o);      // keeps o's precision and value exactly
    Interval(Interval&& o) noexcept;
    Interval& operator=(const Interval& o);  // adopts o's precision first, so the value is never rounded
    Interval& operator=(Interval&& o) noexcept;
    ~Interval();

    // Outward-rounded enclosure of the exact rational interval [lo, hi] (lo <= hi).
    static Interval hull(const Rational& lo, const Rational& hi);
    // The exact value of an MPFR number, widened only if the working precision is smaller than its own.
    static Interval from_mpfr(mpfr_srcptr x);

    mpfi_ptr raw() { return v_; }
    mpfi_srcptr raw() const { return v_; }
    mpfr_srcptr lo() const { return &v_->left; }
    mpfr_srcptr hi() const { return &v_->right; }
    mpfr_prec_t precision() const { return mpfi_get_prec(v_); }

    // The endpoints as exact rationals of bounded size, rounded OUTWARD to the grid 2^-E
    // (E = limits::endpoint_exponent): lower() <= every point <= upper(). Endpoints on the grid (every
    // number of ordinary size) come out exactly. Throw std::domain_error unless is_bounded().
    Rational lower() const;
    Rational upper() const;
    bool is_nan() const { return mpfi_nan_p(v_) != 0; }
    // Both endpoints finite and of magnitude below 2^E. An enclosure reaching beyond (saturated units,
    // huge boxes) is treated as unbounded: reading it as a rational could take gigabytes, and it decides
    // nothing an unbounded one would not.
    bool is_bounded() const;

    Interval& operator+=(const Interval& o);
    Interval& operator-=(const Interval& o);
    Interval& operator*=(const Interval& o);

private:
    // Up to inline_bits of precision (the default 128 among them) the endpoints' limbs live in the object itself
    // (MPFR's documented custom interface, mpfr_custom_init_set), not on the heap: an interval claim creates and
    // destroys millions of temporaries, and mpfr_init2/mpfr_clear with their allocations were about a fifth of
    // its instructions (docs/benchmarks.md, "Intervals without heap limbs"). Such endpoints are never given to
    // mpfr_clear, mpfr_set_prec or mpfi_swap; wider precisions keep MPFI's own allocation. Either way the value
    // and the precision are what MPFI computes: only where the limbs are stored differs.
    static constexpr mpfr_prec_t inline_bits = 128;
    static constexpr std::size_t inline_limbs = 2;  // per endpoint: 128 bits in 64-bit limbs
    void init(mpfr_prec_t precision);                // at `precision`, value +0; inline when it fits
    void release();                                  // mpfi_clear when the limbs are MPFI's own
    mpfi_t v_;
    mp_limb_t store_[2 * inline_limbs];
    bool inline_ = false;
};

Interval operator+(const Interval& a, const Interval& b);
Interval operator-(const Interval& a, const Interval& b);
Interval operator*(const Interval& a, const Interval& b);
Interval operator/(const Interval& a, const Interval& b);  // the whole line (or NaN) if b contains 0
Interval operator-(const Interval& a);
// acc += a * b and acc -= a * b in place (number.hpp): the product goes through one per-thread temporary at
// acc's precision instead of a fresh heap-allocated Interval, with the same outward rounding.
void add_product(Interval& acc, const Interval& a, const Interval& b);
void sub_product(Interval& acc, const Interval& a, const Interval& b);

// Elementary functions, each outward-rounded by MPFI: the result contains f(x) for every x in the input.
Interval exp(const Interval& x);
Interval log(const Interval& x);
Interval log1p(const Interval& x);
Interval tanh(const Interval& x);
Interval cosh(const Interval& x);
Interval sqr(const Interval& x);      // tight for intervals around 0 (unlike x * x)
Interval mul_2si(const Interval& x, long k);  // x * 2^k, exact up to the working precision
Interval hull(const Interval& a, const Interval& b);

// Exact rationals derived from endpoints: a midpoint (a dyadic on the grid 2^-E near the centre; inside
// the interval unless the interval is narrower than the grid) and an upper bound on max |x|. Both throw
// std::domain_error unless is_bounded().
Rational midpoint(const Interval& x);
Rational magnitude(const Interval& x);

// Predicates named by certainty: true only when the statement holds for every point of the interval.
bool known_zero(const Interval& x);  // the exact point 0: lets sparse products skip work soundly
bool certainly_positive(const Interval& x);
bool certainly_negative(const Interval& x);
bool certainly_less(const Interval& a, const Interval& b);
bool certainly_less(const Interval& a, const Rational& q);
bool certainly_greater(const Interval& a, const Rational& q);
bool certainly_at_most(const Interval& a, const Rational& q);   // every point <= q
bool certainly_at_least(const Interval& a, const Rational& q);  // every point >= q
// Possibility: true when q lies in the closed interval (or the interval is NaN: anything is possible).
bool contains(const Interval& a, const Rational& q);
bool contains_zero(const Interval& a);
// Set relations with an exact rational interval [lo, hi].
bool subset_of(const Interval& a, const Rational& lo, const Rational& hi);
bool subset_of_interior(const Interval& a, const Rational& lo, const Rational& hi);
bool disjoint_from(const Interval& a, const Rational& lo, const Rational& hi);

// The exact value of a finite MPFR number; throws std::domain_error on NaN or infinity. Its size is that of
// x's exponent: use only where the exponent is known to be moderate (else the grid functions below).
Rational exact_rational(mpfr_srcptr x);
// x rounded down (up) to the grid 2^-E, E = limits::endpoint_exponent, exactly; x must be finite with
// |x| < 2^E (the result then has at most about 2E bits).
Rational grid_floor(mpfr_srcptr x);
Rational grid_ceil(mpfr_srcptr x);
// The same rounding (rnd MPFR_RNDD: grid_floor, MPFR_RNDU: grid_ceil) always through a scaled MPFR temporary: the
// general path grid_floor and grid_ceil take only for x off the grid; kept callable so tests can compare the two.
Rational grid_by_mpfr(mpfr_srcptr x, mpfr_rnd_t rnd);
// True when x is finite and |x| < 2^E.
bool within_grid_range(mpfr_srcptr x);

// Intervals enclose exp, log1p and division: the softmax cross-entropy may be evaluated on them.
template <>
struct TranscendentalOps<Interval> : std::true_type {};

}  // namespace nncert::kernel
