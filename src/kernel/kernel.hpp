// The trusted kernel's whole face. Everything that can produce a Verdict is listed here.
//
//   check(problem, points, claim)  -> Verdict   decides one claim:
//     loss P = q            exact loss                                   (exact-loss)
//     gap P > Q             exact loss comparison                        (exact-loss)
//     kink_free P           no pre-activation of a kinked unit is 0      (exact-forward)
//     critical P            exact gradient is zero                       (exact-gradient)
//     hessian_pd P          exact LDL^T, every pivot > 0, or a verified   (exact-ldlt)
//                           shifted-Cholesky hint (large matrices)
//     strict_local_min P    critical + hessian_pd, no kink               (second-order)
//                           refuted also by a rescaling curve            (rescaling-curve)
//                           or an exactly flat polynomial curve          (flat-curve)
//     local_min P           zero-loss, output-range (relu output, rows grouped by input), dead-layer,
//                           second-order, symmetry-orbit (Morse-Bott),
//                           activation-patterns (KKT conditions per hidden unit: kinked minima, V-shaped
//                           valleys included), linear-relaxation (any depth); refuted by exact descent
//                           rays and curves of any order (first-order, second-order, higher-order,
//                           output-kink-ray, hinted-curve; see local_min.cpp)
//     ... along d1, d2      (local_min, strict_local_min) a hinted curve P + t d1 + t^2 d2 + ..., expanded
//                           exactly: a descent refutes, a constant loss refutes strictness
//   Losses: sse, sse/2, mse (exact), bce and cross_entropy (interval only), with row weights and weight
//   decay; methods that need a loss of the outputs alone refuse weight decay (docs/certificates.md).
//     accuracy P = q        exact outputs against the threshold rule     (exact-forward)
//     blind_spot P          some data point has every unit of a hidden    (exact-forward)
//                           relu layer at input < 0
//     loss P in [a, b]      exact loss in a closed range                 (exact-loss)
//     not C                 certified exactly when C is refuted
//
//   The interval engine (src/kernel/interval/, MPFI at Options::precision_bits) takes every claim with
//   `within r` (Claim::radius: the box of max-norm radius r around P), every loss range (Claim::lower /
//   upper), and every claim on a transcendental problem (sigmoid, tanh, softplus units or the bce loss):
//     critical P within r          exactly one critical point in the box     (krawczyk)
//     strict_local_min P within r  that point is a strict local min, the only
//                                  minimiser in the box; states lambda_min >  (krawczyk+box-ldlt)
//     hessian_pd P within r        every Hessian on the box is PD             (box-ldlt)
//     kink_free P within r         no kinked unit's input reaches 0 on the box (interval-forward)
//     loss P within r in [a, b]    the loss on the whole box is in [a, b]     (interval-loss)
//     gap P within r > Q           inf of the loss on the box > loss at Q     (interval-loss)
//     accuracy P within r = q      every point's class is fixed on the box    (interval-forward)
//     blind_spot P within r        one data point is a blind spot on the box  (interval-forward)
//   Without `within`, claims on a transcendental problem are INCONCLUSIVE ("needs `within r`"); a box
//   whose relu/leaky_relu inputs straddle 0 is INCONCLUSIVE for derivative claims ("straddles a kink").
//
// It takes plain data (model.hpp, claim.hpp) in exact rationals, never the parser or the file system.
#pragma once

#include "kernel/claim.hpp"
#include "kernel/model.hpp"
#include "kernel/progress.hpp"
#include "kernel/verdict.hpp"

#include <chrono>
#include <cstddef>
#include <optional>
#include <vector>

namespace nncert::kernel {

// Which arithmetic decides box derivative claims (`critical`, `hessian_pd`, `strict_local_min`, `local_min`
// with `within r`): automatic = the ball engine (binary64 balls + BLAS, src/kernel/ball/) first, then MPFI when
// the ball engine is inconclusive and the problem has at most mpfi_fallback_max_params parameters; ball = the
// ball engine only; mpfi = MPFI only (the engine before issue 10).
enum class Engine { automatic, ball, mpfi };
inline constexpr std::size_t mpfi_fallback_max_params = 600;

struct Options {
    // Cap on the activation patterns the pattern method may enumerate per hidden unit (it doubles per on-kink
    // pair; only units with linearly dependent kinked inputs enumerate, see docs/certificates.md).
    std::size_t max_patterns = 4096;
    // Working precision (bits) of the interval engine's MPFR/MPFI arithmetic.
    unsigned precision_bits = 128;
    // Most boxes one branch and bound may assess (trap faces, bounds over regions) before INCONCLUSIVE.
    std::size_t max_boxes = 200000;
    // When set, no branch and bound (trap faces, region bounds, sublevel accuracy, segments, covers) starts a box
    // at or after this time: it ends INCONCLUSIVE as at max_boxes, naming the time limit, with its best bound.
    // `check --timeout S` sets it a margin before the claim's process is killed (runtime::kernel_time_budget).
    std::optional<std::chrono::steady_clock::time_point> deadline;
    // Called during long computations (Hessians, eliminations) so a front end can show progress.
    Progress progress;
    Engine engine = Engine::automatic;
    // Threads one claim's check may use (0: every core): the ball engine's per-data-point sweeps, a trap's
    // faces and the branch and bound's rounds (interval/trap.cpp, branch_bound.hpp). Verdicts, counts and
    // witnesses do not depend on it. OpenBLAS runs on the calling thread (runtime/blas_pool.hpp).
    unsigned threads = 0;
    // Address space (bytes) the check's extra worker threads may take without reaching the process's memory limit
    // (0: no limit known): the ball engine starts no more workers than fit in it, a stack and its per-worker buffers
    // each, so that a memory limit never turns a verdict that fewer threads reach into "stopped by the memory limit"
    // (review r10 F4). Set by the front end from the limit it set (runtime::address_space_headroom).
    std::size_t worker_memory_bytes = 0;
};

Verdict check(const Problem& problem, const std::vector<Point>& points, const Claim& claim,
              const Options& options = {});

}  // namespace nncert::kernel
