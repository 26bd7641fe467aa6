// The kernel's memo of certified Hessian covers (docs/certificates.md, "Traps by strong convexity"): one check run
// asks the same cover of R for every region claim (trap, local_min P in R, loss R in, gap R >, accuracy P in R).
// Kernel-internal: only strong_convexity() records into it, after its own branch and bound; nothing outside the
// kernel can read or write it. Keyed exactly: the whole loss (network, data, loss kind, weight decay, classify
// rule), the box, the precision and the cover's budget.
#pragma once

#include "kernel/interval/branch_bound.hpp"
#include "kernel/kernel.hpp"

#include <optional>
#include <string>

namespace nncert::kernel::detail {

// One cover attempt: run with `floor` (every settled sub-box certified lambda_min > some c >= floor); proven:
// lambda_min(Hessian) > lambda on all of the box (lambda = the least such c); else `note` says why it failed.
struct CoverFact {
    Rational floor;
    bool proven = false;
    Rational lambda;
    BranchBoundResult search;
    std::string note;
};

// The exact key of a problem's loss: every field of Problem, spelled out (no hash: equal keys are equal problems).
std::string problem_key(const Problem& pb);

// A recorded cover that answers a request with floor `floor`: a proven one with lambda >= floor (the largest such
// lambda), else a failed one run with a floor <= `floor` (a higher floor settles no more sub-boxes, and a decline
// is always sound). Nothing when no recorded attempt answers it.
std::optional<CoverFact> recall_cover(const std::string& problem, const Box& r, unsigned bits, std::size_t budget,
                                      const Rational& floor);

// Records an attempt (the memo keeps the 64 most recent; thread-safe).
void record_cover(const std::string& problem, const Box& r, unsigned bits, std::size_t budget, const CoverFact& fact);

}  // namespace nncert::kernel::detail
