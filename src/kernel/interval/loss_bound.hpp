// Bounds of the loss over boxes with possibly infinite ends, as branch-and-bound assessors: the natural
// interval extension intersected with a mean-value form, collapse to a face where the loss is monotone, and
// exact witness points. Assumes a live PrecisionScope and a validated problem; smooth on the boxes it meets
// unless the network has kinks (then derivatives are skipped where a kink is straddled).
#pragma once

#include "kernel/interval/branch_bound.hpp"
#include "kernel/interval/taylor_form.hpp"
#include "kernel/model.hpp"

#include <functional>
#include <optional>
#include <string>

namespace nncert::kernel {

// The loss at an exact point: lo == hi == the exact value on an exact problem, else an outward enclosure.
// Nothing when the enclosure is not finite (overflow at this precision).
struct PointValue {
    Rational lo, hi;
};
std::optional<PointValue> loss_at(const Problem& pb, const Vector& theta);
// Why loss_at found nothing at theta, as a reason naming the point `name`: an enclosure that is not finite at the
// working precision ("raise the precision"), or one whose ends are finite but beyond 2^limits::endpoint_exponent in
// magnitude, which no precision brings back (review 15, F3: the message blamed the precision for a loss near 10^1800).
std::string unenclosed_loss_reason(const Problem& pb, const Vector& theta, const std::string& name);

// The obligation "s * L(theta) > threshold (strict) or >= threshold on the box", s = +1 (a lower bound of the
// loss) or -1 (an upper bound), and when a box's exact sample point theta shows it false: s * L(theta) <= refute
// (refute_strict = false: the claim was strict, so equality refutes) or < refute.
struct LossObligation {
    int sense = 1;
    Rational threshold;
    bool strict = true;
    Rational refute;
    bool refute_strict = false;
    // Replace a box by its face where s * L is smallest when the gradient has a certain sign in a coordinate
    // (valid for lower bounds of s * L; never for properties other than the bound itself).
    bool monotone = true;
    // Mean-value form L(c) + sum_k g_k(X) (X_k - c_k) over the bounded coordinates.
    bool mean_value = true;
    // The second-order form L(c) + g(c).d + 1/2 d^T H(X) d over the bounded coordinates (taylor_form.hpp), on
    // boxes the first-order bounds leave undecided.
    bool second_order = true;
};

// The assessor: settled when the enclosure of s * L over the box clears the threshold; refuted when the
// box's sample point (box.hpp) certainly violates it (the witness carries the point and its loss); otherwise
// split, bisecting the coordinate of largest smear |dL/dtheta_k| * width_k (unbounded ranges first while the
// bound is -inf), or replaced by a face where s * L is monotone. `names` name parameters in evidence.
BoxAssessor loss_assessor(const Problem& pb, const LossObligation& ob);

// An enclosure of the loss over the box (natural extension, intersected with the mean-value form when the
// gradient over the box is finite): the bound the assessor uses, exposed for tests and single-box checks.
// `centre_loss` receives the mean-value form's enclosure of L over C (centre_box: the sample point in the
// bounded coordinates, the unbounded ranges whole) when the form was computed.
// `centre` receives centre_box(box) when the form was computed (for meet_second_order).
// `binary64`: for squared errors, the natural enclosure, the gradient over X and the mean-value form's L(C) in binary64
// intervals (ball/dinterval.hpp; not on a box of single numbers); false: in MPFI at the working precision. Both are
// sound; a caller comparing with a level recomputes in MPFI when the binary64 bound misses it narrowly
// (misses_narrowly, loss_over_box_at_level).
Interval loss_over_box(const Problem& pb, const Box& box, IVector* gradient = nullptr,
                       std::optional<Interval>* centre_loss = nullptr, IVector* centre = nullptr,
                       bool binary64 = true);

// The route rule of every binary64 bound: true when the lower end of q lies below t by at most 2^-30 (1 + |t|)
// (compared in binary64). A binary64 enclosure that misses a level that narrowly is computed again in MPFI at the
// working precision, so that no verdict hangs on the binary64 ends' outward steps. A choice of route, never a bound.
bool misses_narrowly(const Interval& q, const Rational& t);

// loss_over_box (its gradient into `gradient`), computed again in MPFI when, for a squared error, the binary64 lower
// end misses `level` narrowly (misses_narrowly): for the searches that compare the loss over a box with L(P).
Interval loss_over_box_at_level(const Problem& pb, const Box& box, IVector* gradient, const Rational& level);

// l (an enclosure of the loss over the box, e.g. loss_over_box's) met with the second-order form
// (taylor_form.hpp) where it exists (smooth on the box, finite enclosures); `form` receives the form.
// `centre`, if given, is centre_box(box) (loss_over_box's by-product), not computed again. `binary64`: as taylor_form's.
Interval meet_second_order(const Problem& pb, const Box& box, const Interval& l,
                           std::optional<TaylorBound>* form = nullptr, const IVector* centre = nullptr,
                           bool binary64 = true);

// meet_second_order, computed again with binary64 = false when, for a squared error, the result's lower end misses
// `level` narrowly (misses_narrowly): for the searches that compare the loss over a box with L(P).
Interval meet_second_order_at_level(const Problem& pb, const Box& box, const Interval& l, const Rational& level);

// Pieces every loss assessor shares (loss_assessor here, the ray-chart and one-layer assessors):

// x intersected with y, both enclosures of the same quantity (a NaN side yields the other); throws
// std::logic_error if they are disjoint, which only a bug can cause.
Interval meet_enclosures(const Interval& x, const Interval& y);
// [0, max |x|] (the upper end may be +inf): the factor of a first-order spread |g_k| * width_k.
Interval magnitude_of(const Interval& x);
// The width a range counts for bisection priorities: its exact width when bounded, else the length of the
// piece its next cut takes off (box.hpp's split_point): 2 (1 + |finite end|), 2 for the whole line.
Rational split_width(const Range& r);
// {parameter name: value} of an exact point (the `witness_point` of every loss witness).
Value point_value(const Network& net, const Vector& theta);
// Whether a box whose lower bound of s * L is `bound` can still hold a point that refutes `ob`.
bool witness_possible(const LowerBound& bound, const LossObligation& ob);
// Whether a loss enclosure v certainly refutes `ob`: s * L <= refute (or < refute) for every value in v.
bool refutes(const LossObligation& ob, const PointValue& v);
// The evidence {witness_point, witness_loss} of a refuting point theta with loss enclosure v.
Object loss_witness_entries(const Network& net, const Vector& theta, const PointValue& v);
// The evidence {witness_point, witness_loss} when theta certainly refutes `ob` (s * L(theta) <= refute, or <
// refute), else nothing.
std::optional<Value> loss_witness(const Problem& pb, const Vector& theta, const LossObligation& ob);
// Monotone collapse: the face of `box` where s * L takes its infimum, moving each coordinate k that `movable`
// admits, whose gradient enclosure g_k (of L; s = `sense`) has a certain sign, to the finite end s * L decreases
// towards; nothing when no coordinate moves. Valid for lower bounds of s * L only.
std::optional<Box> monotone_face(const Box& box, const IVector& g, int sense,
                                 const std::function<bool(std::size_t)>& movable);

}  // namespace nncert::kernel
