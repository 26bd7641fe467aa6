// The trusted kernel's whole face. Everything that can produce a Verdict is listed here.
//
//   check(problem, points, claim)  -> Verdict   decides one claim:
//     loss P = q            exact loss                                   (exact-loss)
//     gap P > Q             exact loss comparison                        (exact-loss)
//     kink_free P           no pre-activation of a kinked unit is 0      (exact-forward)
//     critical P            exact gradient is zero                       (exact-gradient)
//     hessian_pd P          exact LDL^T, every pivot > 0                 (exact-ldlt)
//     strict_local_min P    critical + hessian_pd, no kink               (second-order)
//     accuracy P = q        exact outputs against the threshold rule     (exact-forward)
//     not C                 certified exactly when C is refuted
//
// It takes plain data (model.hpp, claim.hpp) in exact rationals, never the parser or the file system.
#pragma once

#include "kernel/claim.hpp"
#include "kernel/model.hpp"
#include "kernel/verdict.hpp"

#include <cstddef>
#include <vector>

namespace nncert::kernel {

struct Options {
    // Cap on the activation patterns the pattern method may enumerate (it doubles per on-kink pair).
    std::size_t max_patterns = 4096;
    // Working precision (bits) of the interval engine's MPFR/MPFI arithmetic.
    unsigned precision_bits = 128;
};

Verdict check(const Problem& problem, const std::vector<Point>& points, const Claim& claim,
              const Options& options = {});

}  // namespace nncert::kernel
