// `local_min P within r`: the closed box of max-norm radius r around P contains a local minimum of the loss
// (possibly non-strict). Methods are tried in order; the first that decides gives the verdict.
// Assumes check_interval opened the PrecisionScope.
#include "kernel/detail/mint.hpp"
#include "kernel/interval/checks.hpp"

namespace nncert::kernel::detail {

Verdict check_local_min_box(const Problem& pb, const Point& p, const Rational& r, const Options& opt) {
    // A strict local minimum certified over the box (Krawczyk + positive definite Hessian on the box) is
    // in particular a local minimum in the box; its refutations (no critical point in the box, or negative
    // curvature along one direction on the whole box) leave no interior local minimum either.
    // (The loss is smooth on the box: a box straddling a kink gets no verdict from the strict test. A local
    // minimum of a smooth function on R^n is a critical point with a positive semidefinite Hessian, also when
    // it lies on the box's boundary.)
    const Verdict strict = check_strict_local_min_box(pb, p, r, opt);
    if (strict.outcome() != Outcome::inconclusive) return strict;
    // Non-strict minima: a family of critical points through the box (Morse-Bott, morse_bott_box.cpp).
    std::vector<std::string> notes;
    if (auto v = morse_bott_box(pb, p, r, opt, notes)) return *v;
    std::string more;
    for (const std::string& n : notes) more += " [" + n + "]";
    return Mint::with_engine(Mint::inconclusive(
        "interval",
        "no box method certified a local minimum in the box: the strict test (" + strict.method() +
            ") said: " + (strict.reason().empty() ? to_string(strict.outcome()) : strict.reason()) + more,
        strict.evidence()), strict.engine());
}

}  // namespace nncert::kernel::detail
