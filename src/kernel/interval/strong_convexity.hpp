// Strong convexity over a bounded box (docs/certificates.md, "Traps by strong convexity"): Hessian >= lambda I on
// all of R and the gradient at a centre c in R give L(theta) >= L(c) + g.(theta - c) + lambda/2 |theta - c|^2 on R.
// Kernel-internal; used by `trap`, `local_min P in R`, `loss R in`, `gap R > Q`, `accuracy P in R`. Assumes a live
// PrecisionScope and a validated problem.
#pragma once

#include "kernel/interval/branch_bound.hpp"
#include "kernel/interval/loss_bound.hpp"
#include "kernel/kernel.hpp"

#include <optional>
#include <string>

namespace nncert::kernel::detail {

struct StrongConvexity {
    bool certified = false;  // everything below holds; otherwise `note` says why the route declined
    std::string note;
    Vector centre;            // c, a point of R
    PointValue at_centre;     // L(c): exact on exact problems, else an enclosure
    Rational lambda;          // every Hessian on R has lambda_min > lambda > 0
    Rational gradient_sq;     // >= |grad L(c)|_2^2
    Rational gradient_norm;   // >= |grad L(c)|_2
    Rational sublevel_radius; // >= 2 |grad L(c)|_2 / lambda: {theta in R : L(theta) <= L(c)} lies in that ball
    Rational loss_lower;      // <= L(c) - |grad L(c)|^2 / (2 lambda) <= inf over R of L
    BranchBoundResult search; // the cover of R by sub-boxes whose interval Hessian has lambda_min > lambda
    bool cover_reused = false; // the cover was certified by an earlier claim of this process (cover_memo.hpp)
    std::size_t budget = 0;    // the cover's box budget
};

// Certifies lambda_min(Hessian) > lambda on all of the bounded box r (c in r) and encloses grad L(c). The cover
// is a branch and bound over r with max_boxes / 64 + 1 boxes in which every sub-box certifies its own c >= a
// floor, and lambda is the least of them; the floor is 1/64 of an untrusted eigenvalue estimate at c, raised to
// what the caller needs: with `distance` D, D > 2 |grad L(c)| / lambda (the trap condition); with `loss_target`
// a, loss_lower >= a. It declines before the cover when that need is 9/10 of the estimate or more. A sub-box
// with certain negative curvature ends the route, and so does a relu/leaky_relu input reaching 0 on r (no second
// derivative there). Covers are remembered for the run (cover_memo.hpp): a later claim on the same loss, box
// and precision whose floor the recorded lambda meets reuses it.
StrongConvexity strong_convexity(const Problem& pb, const Vector& c, const Box& r,
                                 const std::optional<Rational>& distance, const std::optional<Rational>& loss_target,
                                 const Options& opt);

// A centre for a region without a named point: the box's sample point moved by up to 8 untrusted Newton steps
// (each clipped into r; stopping once a step is below the working precision's resolution). Any point of r is
// sound; a point near the minimiser makes the bounds tight.
Vector convexity_centre(const Problem& pb, const Box& r);

// Strong convexity with P's trap condition: the Euclidean distance from p to R's nearest face (minus the layer
// thickness d when given) exceeds 2 |grad L(p)| / lambda. certified = the trap holds by this route.
struct ConvexityTrap {
    StrongConvexity sc;
    Rational distance;  // min over finite ends of |p_k - end| (minus d)
};
ConvexityTrap convexity_trap(const Problem& pb, const Vector& p, const Box& r, const std::optional<Rational>& layer,
                             const Options& opt);

// Evidence of a certified route: lambda, the gradient bound, the radius, the lower bound, the cover's boxes.
Object convexity_evidence(const StrongConvexity& sc, const Options& opt);

bool bounded(const Box& r);

// R intersected with the cube of max-norm radius rho around p (p in R): it holds the Euclidean ball's part in R.
Box clip_to_cube(const Box& r, const Vector& p, const Rational& rho);

}  // namespace nncert::kernel::detail
