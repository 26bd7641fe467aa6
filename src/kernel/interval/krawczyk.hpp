// Krawczyk's existence-and-uniqueness test for zeros of the loss gradient in a box (see math.md).
// Assumes a live PrecisionScope and that no kinked unit's input straddles 0 on the box (else KinkStraddled).
#pragma once

#include "kernel/interval/enclose.hpp"

#include <optional>
#include <string>

namespace nncert::kernel {

enum class KrawczykOutcome {
    unique_zero,  // K(X) inside the interior of the exact box B: exactly one critical point in B
    no_zero,      // K(X) misses B in some coordinate: no critical point in B
    undecided,
};

struct KrawczykResult {
    KrawczykOutcome outcome = KrawczykOutcome::undecided;
    IVector image;    // K(X), one interval per parameter (empty if the test could not run)
    IMatrix hessian;  // the Hessian enclosure F'(X) over the box, for the definiteness test
    std::optional<Matrix> inverse;              // the untrusted Y (a hint for the eigenvalue estimate)
    std::optional<Rational> contraction;        // upper bound on the max-row-sum norm of I - Y F'(X)
    std::optional<std::size_t> coordinate;      // no_zero: a parameter where K misses B; undecided: one
                                                // where K leaves the interior of B
    std::string note;                           // undecided: why, and what to try
};

// X = the outward-rounded enclosure of the exact box B = [P - r, P + r]; x~ = P; Y = an untrusted
// approximate inverse of mid F'(X). K(X) = P - Y F(P) + (I - Y F'(X)) (X - P).
// Soundness: every zero of F in X lies in K(X). If K(X) is inside int(B) (checked exactly against the
// rational ends of B), then K(X) is inside int(X), so F has exactly one zero in X (Krawczyk), and that
// zero lies in K(X), hence in B. If K(X) misses B, no zero of F lies in B.
KrawczykResult krawczyk(const Problem& pb, const Vector& centre, const Rational& radius);

}  // namespace nncert::kernel
