// Ray charts: the unbounded faces of a trap region covered by boxes in (scale, ratio) coordinates per unit.
//
// Why: a face of R = prod_k [lo_k, hi_k] with infinite ends contains, for a unit whose incoming weights run to
// infinity, every direction of its separating hyperplane. A box in weight coordinates that touches infinity
// fixes no ratio between those weights, so no pre-activation w . a + b has a known sign on it, however often
// it is bisected (docs/paper.md, Theorem 1, fifth attempt). In a ray chart the unit's unbounded weights are
// w_j = c_j + dir_j t_j (t_j >= 0, c_j the finite end), with the largest t_lead = s (the scale) and the others
// t_j = s r_j, r_j in [0, 1]; then w . a + b = (corner part) + s * (inner part), and a box in (s, r) fixes the
// hyperplane's direction to within its r ranges at every scale at once. Proof that the charts cover the face
// exactly (no point more, none less): docs/certificates.md, "Ray charts".
// Kernel-internal; assumes a live PrecisionScope wherever an Interval is built.
#pragma once

#include "kernel/interval/branch_bound.hpp"
#include "kernel/interval/loss_bound.hpp"
#include "kernel/model.hpp"

#include <cstddef>
#include <optional>
#include <vector>

namespace nncert::kernel {

// One charted unit: flat parameter indices `coords` (>= 2, all incoming weights or the bias of unit `unit` of
// layer `layer`), their finite ends `corner` and directions `dir` (+1: the range is [c, +inf], -1: [-inf, c]).
// In a chart box, coordinate coords[lead] holds the scale s >= 0 and every other coords[j] the ratio r_j in
// [0, 1]; the weight is w_j = corner_j + dir_j * s * r_j (r_lead = 1).
struct RayChart {
    std::size_t layer = 0, unit = 0;
    std::vector<std::size_t> coords;
    std::vector<Rational> corner;
    std::vector<int> dir;
    std::size_t lead = 0;
};

// A box in chart coordinates, with the charts that give it meaning: parameters not in any chart keep their own
// range; charted ones hold s (the lead) or r_j.
struct ChartRoot {
    std::vector<RayChart> charts;  // empty: a plain box in weight coordinates
    Box box;                       // Network::num_params() ranges
};

// Covers the box `face` (weight coordinates, possibly infinite ends) by boxes whose images are exactly the face
// (docs/certificates.md, "Ray charts"): for every unit with at least two unbounded incoming ranges, each whole line
// is cut at 0, each half-line [c, +inf) into a near part [c, c + T] (T = 2 (1 + |c|), kept in weight coordinates)
// and a far part [c + T, +inf) (mirrored for (-inf, c]), and where two or more far parts remain they are charted,
// one root per choice of lead. Returns {face} unchanged (no charts) when no unit has two unbounded incoming
// ranges, or when the cover would need more than `max_roots` boxes.
std::vector<ChartRoot> chart_cover(const Network& net, const Box& face, std::size_t max_roots = 4096);

// The weight box that contains the image of a chart box (exact ends; +-inf where the scale is unbounded and a
// ratio can be positive): for reports.
Box chart_box_hull(const std::vector<RayChart>& charts, const Box& box);

// The exact weight vector of a point of a chart box (theta in chart coordinates).
Vector chart_to_weights(const std::vector<RayChart>& charts, const Vector& theta);

// An enclosure of the loss over a chart box: the natural extension with factored pre-activations, intersected
// with the mean-value form in the bounded parameters outside the charts; `gradient` (if given) gets the weight
// gradient's enclosure over the box (empty where a relu kink is straddled). For the assessor and for tests.
Interval loss_over_chart_box(const Problem& pb, const std::vector<RayChart>& charts, const Box& box,
                             IVector* gradient = nullptr);

// The network's outputs on every data point over a chart box (one IVector per point, in data order), with the
// charted units' pre-activations in factored form as in loss_over_chart_box: each enclosure holds the output at every
// weight vector the box stands for. For the sublevel-accuracy search, which decides classes from them.
std::vector<IVector> chart_outputs(const Problem& pb, const std::vector<RayChart>& charts, const Box& box);

// The output-layer reduction (docs/certificates.md, "The output-layer reduction") on a chart box, for the obligation
// "L > threshold" (>= when not strict): settled when the output layer's own branch and bound (at most `budget` boxes)
// proves it, and in any case a lower bound of L over the box (-inf when a sample point of the output layer's range
// already shows that the reduction cannot settle the box, before any search). Nothing when it does not apply (not
// exactly one hidden layer, weight decay, a hidden output whose effect on a point's loss has no certain sign). The
// assessor tries it on every chart box before the bound above (which it computes only where the reduction does not
// settle the box); exposed for tests, with the hidden outputs from `source`: as the assessor gets them (the first
// layer's pre-activations in MPFI, then sigmoid and tanh through activate_keeping_complement, ball/dinterval.hpp),
// from the bound's own forward pass run in MPFI, or from an MPFI forward pass of the reduction's own (the same
// enclosures as the MPFI bound's pass).
struct ReducedBound {
    bool settled = false;
    LowerBound bound;
};
enum class HiddenSource { assessor, interval_pass, own_pass };
std::optional<ReducedBound> output_reduction_bound(const Problem& pb, const std::vector<RayChart>& charts, const Box& box,
                                                   std::size_t budget, const Rational& threshold, bool strict = true,
                                                   HiddenSource source = HiddenSource::assessor);

// The output-layer reduction's problem itself (docs/certificates.md, "The output-layer reduction") over a chart box:
// a network without a hidden layer on data (q_i, y_i) whose loss L'(u) satisfies L(theta) >= L'(u(theta)) at every
// theta of the box's image, u(theta) the output layer's parameters. Nothing where the reduction does not apply (as
// for output_reduction_bound). For the sublevel-accuracy search, which settles parts of the output layer's range by
// L' or by the classes (claims_sublevel.cpp).
std::optional<Problem> output_reduction_problem(const Problem& pb, const std::vector<RayChart>& charts, const Box& box);

// The parts of the output layer's range V that a context returned by chart_loss_context_assessor leaves open: for
// every theta of that box's image (and of its parts') whose output-layer parameters lie in none of them, L(theta)
// exceeds the obligation's threshold. Nothing when the context says nothing (an empty context: all of V is open).
std::optional<std::vector<Box>> open_output_parts(const BoxContext& context);

// The hidden outputs of every data point over a chart box of a network with one hidden layer, as the context
// assessor computes them for its output-layer reduction (the first layer's pre-activations in MPFI), with units reused
// from `context` (returned by chart_loss_context_assessor for a box containing this one, or empty) where their
// incoming ranges are unchanged. For tests: reuse must give the same enclosures bit for bit.
std::vector<IVector> chart_hidden_outputs(const Problem& pb, const std::vector<RayChart>& charts, const Box& box,
                                          const BoxContext& context);

// The assessor of LossObligation `ob` (loss_bound.hpp) on chart boxes: the same settle / collapse / witness /
// bisect logic as loss_assessor, with the charted units' pre-activations in factored form, the mean-value form
// over the bounded parameters outside the charts, and witnesses mapped back to weights (in the face).
BoxAssessor chart_loss_assessor(const Problem& pb, const std::vector<RayChart>& charts, const LossObligation& ob);

// The same assessor for the driver with contexts (branch_bound.hpp): a box whose output-layer search did not settle
// it passes on the parts of the output layer's range V that search left open, and its parts search only those,
// each with its own reduction (docs/certificates.md, "The output-layer reduction", inherited searches), and its
// hidden outputs, which a part reuses for every first-layer unit whose incoming ranges it shares. The contexts it
// returns and reads are its own; give it only contexts from the same assessor (same problem, charts and precision).
ContextAssessor chart_loss_context_assessor(const Problem& pb, const std::vector<RayChart>& charts,
                                            const LossObligation& ob);

}  // namespace nncert::kernel
