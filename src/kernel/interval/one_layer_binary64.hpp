// One-layer loss bounds in binary64 intervals (ball/dinterval.hpp): the gathered bound's binary64 core, shared by
// OneLayer (one_layer.hpp) and the binary64 branch and bound of an output layer (docs/certificates.md, "The gathered
// bound in binary64", "The output-layer search in binary64"). Every operation rounds outward, whatever the rounding
// mode; a computation that overflows, meets a NaN or runs with flush-to-zero declines (nothing), and the caller then
// takes the MPFI route. Assumes a live PrecisionScope and a validated problem.
#pragma once

#include "kernel/ball/dinterval.hpp"
#include "kernel/interval/branch_bound.hpp"
#include "kernel/interval/loss_bound.hpp"
#include "kernel/model.hpp"

#include <cstddef>
#include <functional>
#include <optional>
#include <vector>

namespace nncert::kernel {

// A one-layer problem (one dense layer, one output, sigmoid or tanh, squared error, no weight decay) as binary64
// data: z_i = a_i . theta, L(theta) = sum_i c_i (f(z_i) - y_i)^2. Every coefficient is an outward pair of doubles
// around the exact rational (a_ik, c_i = loss scale * weight_i, y_i).
struct OneLayerBinary64 {
    // Nothing when the problem is not of that form.
    static std::optional<OneLayerBinary64> of(const Problem& pb);

    ActivationKind kind = ActivationKind::sigmoid;
    std::size_t n = 0, p = 0;                 // data points, parameters (the inputs, then 1 for the bias)
    std::vector<double> alo, ahi;             // a_ik, row-major n x p
    std::vector<char> nonzero;                // a_ik != 0 exactly, row-major
    std::vector<double> ad;                   // a_ik rounded to nearest (the untrusted hint's data only)
    std::vector<double> clo, chi, ylo, yhi;   // c_i and y_i

    DInterval a(std::size_t i, std::size_t k) const { return DInterval::from_ends(alo[i * p + k], ahi[i * p + k]); }
    // a_ik x: x itself where a_ik is exactly 1 (the bias's column, and hidden outputs saturated to 1), which is the
    // product exactly, without a product's outward step.
    DInterval times_a(std::size_t i, std::size_t k, const DInterval& x) const {
        return alo[i * p + k] == 1 && ahi[i * p + k] == 1 ? x : a(i, k) * x;
    }

    // The gathered second-order bound over the box theta = c + d, c the point enclosed by cd[k] (a point of the box),
    // d_k in d[k] (enclosing [lo_k - c_k, hi_k - c_k]), u[i] an enclosure of f(Z_i) over the box
    // (docs/certificates.md, "One-layer bounds", "The gathered bound in binary64"): a lower bound of L over the box,
    // or nothing when an end overflows. `dmid_lo`, `dmid_hi`: the untrusted hint's box for d (any values are sound);
    // `wide[k]`: range k is not a single number. `coordinate` (when given) receives the range of largest spread,
    // `centre` (when given) an enclosure of L(c).
    std::optional<double> gathered_bound(const std::vector<DInterval>& cd, const std::vector<DInterval>& d,
                                         const std::vector<double>& dmid_lo, const std::vector<double>& dmid_hi,
                                         const std::vector<bool>& wide, const std::vector<DInterval>& u,
                                         std::optional<std::size_t>* coordinate, DInterval* centre) const;
};

// The branch and bound of "L > t" (or >= t; ob.sense +1) over bounded boxes of a one-layer problem, in binary64
// boxes (docs/certificates.md, "The output-layer search in binary64"): the same examination as
// one_layer_loss_assessor (natural bound, one round of contraction at level t, the gathered bound, a witness test at
// the centre), each in binary64 intervals, and that assessor itself on every box where binary64 cannot decide (a
// bound within 2^-30 (1 + |t|) of t, an enclosure that is not finite). Roots are taken with their ends rounded
// outward to doubles (a superset: every bound below still holds on the roots). The result as branch_and_bound's
// (at most limits.max_boxes assessments, limits.keep_unsettled honoured; the bound of a run must be capped at t by
// the caller, as for one_layer_loss_assessor: capped_bound). Nothing when the problem is not of the form above,
// a root is unbounded, or the floating-point environment is outside the rounding model.
// What a caller adds to the search (claims_sublevel.cpp's search with the classes).
struct OneLayerSearchHooks {
    // Called first on every box, with its ranges [lo_k, hi_k] (exact doubles): true settles the box, with no bound
    // (-inf). Empty: nothing.
    std::function<bool(const std::vector<double>& lo, const std::vector<double>& hi)> also_settled;
    // No witness ends the run: a box is split where a witness would have been tried (the caller's witnesses of L'
    // would only split the box), and the run goes on.
    bool witness_splits = false;
};
std::optional<BranchBoundResult> one_layer_search_binary64(const Problem& pb, const std::vector<Box>& roots,
                                                           const LossObligation& ob, const BranchBoundLimits& limits,
                                                           const OneLayerSearchHooks& hooks = {});

}  // namespace nncert::kernel
