// UNTRUSTED: `nncert propose-trap`, a float guess of a trap region around a point P (docs/format.md,
// "Proposing a trap"). Nothing here is a proof: the region it prints is checked by `claim trap P in R`.
#pragma once

#include "kernel/model.hpp"

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace nncert::tools {

// How the region is chosen: `local` is a cube at the scale of the gradient and Hessian at P (P near a strict
// minimum), `descent` the descent-and-shrink box (plateaus, saturation), `automatic` local when the float Hessian at
// P is positive definite, else descent.
enum class ProposeMode { automatic, local, descent };

// Largest --radius, --grow and --factor (docs/limits.md).
inline constexpr long double max_box_option = 1e6L;

struct ProposeTrapOptions {
    std::string point;           // P, a point of the script
    std::string name;            // the region's name (default "<P>_trap")
    ProposeMode mode = ProposeMode::automatic;
    long double factor = 4;      // local: the cube's radius over the estimated radius the faces need
    long double radius = 1;      // half-width of the bounded ranges before shrinking; distance of a widened
                                 // coordinate's finite end behind P
    long double grow = -1;       // drift above which a coordinate is widened to infinity (default radius / 2)
    int steps = 20000;           // gradient-descent steps from P
    int shrink = 6;              // halvings tried per bounded coordinate
    int starts = 6;              // local minimisations per face estimate
};

// One proposed range per parameter (absent end = infinite), with what the float search saw.
struct TrapProposal {
    std::vector<std::optional<long double>> lo, hi;
    std::vector<long double> drift;      // x_end - P after the descent
    long double loss_at_p = 0, loss_after = 0;
    long double worst_margin = 0;        // min over finite faces of (estimated face minimum - L(P))
    std::string worst_face;              // where that minimum was
    int steps = 0;
    // The local proposal (ranges [P_k - cube_radius, P_k + cube_radius], written `around P radius r`).
    bool local = false;
    std::string why_not_local;           // automatic mode: why the descent box was proposed instead
    std::string cube_radius;             // the radius as written: a short decimal rounded up
    long double lambda_min = 0;          // float smallest eigenvalue of the Hessian at P
    long double gradient_norm = 0;       // float |grad L(P)|_2
    long double needed_radius = 0;       // max(quadratic-model face radius, 2 |g| / lambda_min)
};

// Local mode (docs/format.md, "Proposing a trap"): with g, H the float gradient and Hessian at p (H positive definite),
// the quadratic model q(d) = g.d + d^T H d / 2 has its minimum over the face d_k = +-r at
// -g^T H^-1 g / 2 + (r - |d0_k|)^2 / (2 (H^-1)_kk), d0 = -H^-1 g; it is > 0 = q(0) once
// r > |d0_k| + sqrt((H^-1)_kk g^T H^-1 g). The cube's radius is opt.factor times the larger of the largest such r
// and 2 |g| / lambda_min (the radius the kernel's strong-convexity route needs with lambda = lambda_min), rounded
// up to two significant digits, so its ends are exact decimals at the scale of the trap, however small.
// Descent mode: follows gradient descent (backtracking steps, long double, the kernel's loss code) from p for opt.steps
// steps; coordinates that drifted more than opt.grow run to infinity in their direction (finite end
// opt.radius behind P); the others get [P_k - r_k, P_k + r_k] with r_k the smallest of radius, radius/2, ...
// (opt.shrink halvings) whose two faces still clear L(P) by the float estimate (projected descent from
// several starts on each face; an infinite end is sampled out to 1000 beyond P); ends are rounded outward to
// enough decimals for the range's width (at least 4). Automatic mode tries local first. Throws nothing numerical.
TrapProposal propose_trap(const kernel::Problem& pb, const kernel::Vector& p, const ProposeTrapOptions& opt);

// The `region NAME { ... }` block and a `claim trap P in NAME` line for the proposal.
std::string proposal_text(const kernel::Network& net, const TrapProposal& t, const std::string& name,
                          const std::string& point);

// `args` are the words after `nncert propose-trap`: SCRIPT --point P [options]. Writes the region block on
// `out`, a summary on `err`. Exit 0 proposed (faces clear by the float estimate), 3 proposed but some face
// looks below L(P), or stopped by --timeout / --max-memory (reading, then the search in a child process), 2
// unreadable script, 1 a script error, 4 bad command line.
int run_propose_trap(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
std::string propose_trap_usage();

}  // namespace nncert::tools
