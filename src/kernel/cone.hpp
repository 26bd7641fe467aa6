// Exact membership of a vector in the convex cone of finitely many vectors: the KKT multipliers of the
// activation-pattern method (docs/certificates.md, "activation-patterns"). Phase-1 simplex over Q.
#pragma once

#include "kernel/exact.hpp"

#include <cstddef>
#include <optional>
#include <vector>

namespace nncert::kernel {

struct ConeMembership {
    enum class Kind {
        member,      // lambda >= 0 with sum_i lambda_i a_i == e, verified exactly on the given vectors
        not_member,  // no such lambda (the linear program is infeasible, or e is not in the span)
        limit        // the simplex stopped at its pivot cap: undecided (never counts as member)
    } kind = Kind::not_member;
    Vector lambda;           // member: the multipliers, one per vector
    Vector farkas;           // not_member (when found): y with y . a_i >= 0 for every i and y . e < 0, checked
    std::size_t pivots = 0;  // simplex pivots used
};

// Indices of coordinates (rows of the n x m matrix whose columns are a[0..m-1], all of length n) that
// form a basis of its row space: rank r <= min(n, m) of them. Multiplying columns by nonzero numbers
// (signs) does not change the answer, so callers compute it once per set of normals. Exact elimination.
std::vector<std::size_t> independent_rows(const std::vector<Vector>& a, std::size_t n);

// The coefficients mu with sum_q mu_q a_q == e, for linearly independent a's: `rows` must be
// independent_rows(a, n) with rows.size() == a.size() (std::logic_error otherwise). Solved exactly on
// those rows and then checked on every coordinate; nothing when e is not in the span of the a's.
std::optional<Vector> independent_combination(const Vector& e, const std::vector<Vector>& a,
                                              const std::vector<std::size_t>& rows);

// For e outside the span of the a's: y = -(e minus its orthogonal projection on that span), so that
// y . a_i = 0 for every i and y . e < 0 (exact Gram-Schmidt). Nothing when e is in the span.
std::optional<Vector> outside_span_direction(const Vector& e, const std::vector<Vector>& a);

// For linearly independent a's (rows as in independent_combination): u with a_i . u = 0 for i != q and
// a_q . u = 1, supported on `rows`. Exact.
Vector dual_direction(const std::vector<Vector>& a, const std::vector<std::size_t>& rows, std::size_t q, std::size_t n);

// The pivot cap for a cone test with r independent rows and m vectors: 8 (r + m) + 8. Bland's rule
// needs a handful of pivots per row on these small programs; the cap makes the cost of one test at
// most (cap) pivots of r (r + m) rational operations each. docs/limits.md (`max-cone-pivots`).
std::size_t cone_pivot_cap(std::size_t rows, std::size_t vectors);

// Is e (length n) a nonnegative combination of the vectors a (each of length n)? `rows` must be
// independent_rows(a, n) (or those of the a's up to column signs). The system restricted to those
// rows has the same solutions as the whole one whenever e lies in the span of the a's; a solution of
// the restricted system is accepted only after sum_i lambda_i a_i == e is checked on every coordinate.
// Phase 1 of the simplex method with Bland's rule (smallest entering index, ties in the ratio test to
// the smallest basic index), which cannot cycle; at most max_pivots pivots, then Kind::limit. When e is
// not a member, `farkas` is filled from the simplex's final duals (or from outside_span_direction).
ConeMembership cone_membership(const Vector& e, const std::vector<Vector>& a, const std::vector<std::size_t>& rows,
                               std::size_t max_pivots);

}  // namespace nncert::kernel
