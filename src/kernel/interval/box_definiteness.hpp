// Definiteness of every matrix in a symmetric interval matrix [Hc - D, Hc + D], decided by exact LDL^T.
// Assumes the interval matrix is symmetric (hessian_enclosure makes it so) and bounded.
#pragma once

#include "kernel/interval/enclose.hpp"

#include <optional>

namespace nncert::kernel {

enum class BoxDefiniteness {
    positive_definite,  // every symmetric matrix in the box has lambda_min > lambda_min_above
    indefinite,         // witness x: x^T A x <= curvature_bound < 0 for every matrix A in the box
    undecided,
};

struct BoxDefinitenessResult {
    BoxDefiniteness kind = BoxDefiniteness::undecided;
    Rational delta;             // rational upper bound on ||D||_F, D the entrywise radius about Hc
    Rational lambda_min_above;  // positive_definite: lambda_min(A) > this (>= 0) for every A in the box
    Vector witness;             // indefinite: the direction (integers)
    Rational curvature_bound;   // indefinite: x^T Hc x + |x|^T D |x|, an upper bound on x^T A x
};

// Hc = exact rational midpoints, D = exact entrywise distances to the ends, delta >= ||D||_F. Weyl:
// lambda_min(A) >= lambda_min(Hc) - ||A - Hc||_2 >= lambda_min(Hc) - delta. So if Hc - (delta + c) I
// passes the exact LDL^T test, every A has lambda_min(A) > c. `lambda_hint` (untrusted, an estimate of
// lambda_min(Hc)) proposes c; c = 0 is always tried too. Indefiniteness: a witness x of Hc (or of
// Hc + delta I) with x^T Hc x + |x|^T D |x| < 0 bounds x^T A x below 0 for every A in the box.
BoxDefinitenessResult analyze_box_definiteness(const IMatrix& h, const std::optional<Rational>& lambda_hint);

// True when every symmetric matrix A in the box has lambda_min(A) > c (c >= 0 exact): the same Weyl argument,
// with the exact LDL^T of Hc - (delta + c) I. False when that test fails (not a proof of anything).
bool box_lambda_min_above(const IMatrix& h, const Rational& c);

// The best lower bound of this kind at most two exact LDL^T can show: with `hint` (untrusted, an estimate of
// lambda_min(Hc)) c1 = 15/16 (hint - delta) rounded down to 24 bits is tried first when it exceeds `floor`, then
// `floor` itself (floor > 0 exact). Returns c >= floor with lambda_min(A) > c for every symmetric A in the box,
// or nothing when neither test passes (not a proof of anything).
std::optional<Rational> box_lambda_min_lower(const IMatrix& h, const Rational& floor,
                                             const std::optional<Rational>& hint);

// An upper bound on sqrt(s), s >= 0 rational, as an exact dyadic (upward-rounded MPFR at 64 bits); nothing when
// it overflows MPFR's exponent range.
std::optional<Rational> sqrt_upper(const Rational& s);

// q rounded down to 24 significant bits, an exact dyadic <= q (q > 0): a short shift or lambda, so the shifted
// LDL^T (box-ldlt, strong convexity) does not carry long numbers for nothing.
Rational short_below(const Rational& q);

}  // namespace nncert::kernel
