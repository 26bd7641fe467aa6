// Loss bounds over boxes for networks without a hidden layer: one dense layer with a scalar output, a smooth
// activation f and a squared-error loss. There z_i = a_i . theta is linear in the parameters, so
// L(theta) = sum_i c_i (f(a_i . theta) - y_i)^2 + lambda |theta|^2 is a sum of one-variable terms of linear forms
// (docs/certificates.md, "One-layer bounds"). Assumes a live PrecisionScope and a validated problem.
#pragma once

#include "kernel/interval/branch_bound.hpp"
#include "kernel/interval/enclose.hpp"
#include "kernel/interval/loss_bound.hpp"
#include "kernel/interval/one_layer_binary64.hpp"
#include "kernel/model.hpp"

#include <optional>

namespace nncert::kernel {

class OneLayer {
public:
    // The problem in this form, or nothing when it has a hidden layer, several outputs, a kinked activation or
    // another loss. Keeps a reference to pb (and enclosures of its data at the current precision).
    static std::optional<OneLayer> of(const Problem& pb);

    // What one look at a bounded box gives, for a loss level ell (docs/certificates.md, "One-layer bounds").
    struct Examination {
        // empty: no theta of the box has L(theta) <= ell. shrunk: `box` is a sub-box holding every theta of the
        // box with L(theta) <= ell, some range cut by a quarter or more. bounded: `bound` is a lower bound of L
        // over the box (the gathered second-order bound). unknown: none of these (an unbounded box, or an
        // enclosure that is not finite).
        enum class Outcome { empty, shrunk, bounded, unknown };
        Outcome outcome = Outcome::unknown;
        Box box;
        Rational bound;
        std::optional<std::size_t> coordinate;  // bounded: the range to bisect (largest spread |v_k| width_k)
        IVector outputs;  // f(a_i . X) for each data point: enclosures of the outputs over the box (when computed)
        // bounded: an enclosure of L at the box's sample point (sample(box), the gathered bound's centre).
        std::optional<Interval> centre_loss;
    };
    // One round of contraction at level ell (when given), then, unless it cut the box, the bound.
    Examination examine(const Box& box, const std::optional<Rational>& level) const;

    // The gathered second-order bound alone; nothing unless the box is bounded and every enclosure finite.
    std::optional<Rational> lower_bound(const Box& box) const;
    // The same bound by its binary64 route alone (sigmoid or tanh, no weight decay; docs/certificates.md, "The gathered
    // bound in binary64"), for tests: nothing where that route does not apply or an end is not finite.
    std::optional<Rational> lower_bound_binary64(const Box& box) const;
    // ... and by its MPFI route alone (every supported activation and weight decay), for tests.
    std::optional<Rational> lower_bound_mpfi(const Box& box) const;

    // Contraction alone, repeated up to four rounds while a range loses an eighth of its width. Only sigmoid,
    // tanh and identity outputs on bounded boxes cut; otherwise the box comes back unchanged.
    struct Contraction {
        bool empty = false;
        Box box;
        bool shrunk = false;  // some range lost at least a quarter of its width
    };
    Contraction contract(const Box& box, const Rational& level) const;

    const Problem* problem() const { return pb_; }

private:
    explicit OneLayer(const Problem& pb) : pb_(&pb) {}
    struct Terms;                                       // per-box enclosures (one_layer.cpp)
    Terms terms(const Box& box) const;                  // Z_i and f(Z_i)
    // The natural bound: the sum of each term's least value over the box (and the weight decay's), enclosed.
    Interval natural(const Terms& t, const Box& box, IVector& low) const;
    // One round of cuts at `level` into b (a copy of the box the terms are of): false when no theta qualifies.
    // `natural_bound`: the natural bound of the box (its lower end).
    bool cut(const Terms& t, const Rational& level, Box& b, std::optional<Rational>* natural_bound = nullptr) const;
    // The gathered bound, and the coordinate of largest spread.
    // centre_loss (when given) receives the enclosure of L at the centre c = sample(box).
    // `level` (when given): a binary64 bound within 2^-30 (1 + |level|) of it is computed again in MPFI.
    std::optional<Rational> bound_from(const Terms& t, const Box& box, std::optional<std::size_t>* coordinate,
                                       Interval* centre_loss = nullptr,
                                       const std::optional<Rational>& level = std::nullopt) const;
    // The MPFI route of bound_from (any supported activation and weight decay).
    std::optional<Rational> bound_mpfi(const Terms& t, const Box& box, std::optional<std::size_t>* coordinate,
                                       Interval* centre_loss) const;
    // The binary64 route: sigmoid or tanh without weight decay; nothing when it does not apply or an end overflows.
    std::optional<double> bound_binary64(const Terms& t, const Box& box, std::optional<std::size_t>* coordinate,
                                         Interval* centre_loss) const;
    const Problem* pb_;
    Matrix a_;      // a_i: the coefficients of z_i in theta (x_i, then 1 for the bias)
    Vector c_;      // c_i = loss scale * w_i
    std::vector<double> ad_;  // a_ in binary64 (row-major), converted once for the untrusted hint of bound_from
    IMatrix ia_;    // enclosures of a_ik, c_i and y_i
    IVector ic_, iy_;
    bool invertible_ = false;  // f is sigmoid, tanh or the identity
    // The binary64 route's data (one_layer_binary64.hpp): present when it applies (f sigmoid or tanh, no weight decay).
    std::optional<OneLayerBinary64> b64_;
};

// The assessor of "L >= t" (or > t) on boxes, sense +1 (loss_bound.hpp), for one-layer problems: examine at level t
// (a box holding no point with L <= t is settled; a box that shrinks is replaced by the sub-box; a box whose bound
// clears t is settled), then the witness at the box's sample point, then a split of the widest range. `inner` (the
// general assessor) decides the boxes the one-layer bound cannot enclose. The lower bounds it reports for a settled
// box hold on that box, except that points removed by a contraction are only known to have L > t: a caller
// reporting the run's bound must cap it at t.
BoxAssessor one_layer_loss_assessor(const OneLayer& ol, const LossObligation& ob, BoxAssessor inner);

// loss_assessor(pb, ob), wrapped by one_layer_loss_assessor when `one_layer` is given and ob.sense is +1.
BoxAssessor lower_bound_assessor(const Problem& pb, const std::optional<OneLayer>& one_layer, const LossObligation& ob);

// The bound of a run of one_layer_loss_assessor at threshold t, as reported: at most t (see above).
LowerBound capped_bound(const LowerBound& b, const Rational& t);

// Pieces of the contraction, exposed for tests (docs/certificates.md, "One-layer bounds", "As implemented").
namespace one_layer_detail {
// An upper (up) or lower bound of f^-1(t), f sigmoid or tanh, at an exact t inside f's open range ((0, 1) or
// (-1, 1)): an exact number of 64 bits. Nothing when a step leaves MPFR's range.
std::optional<Rational> inverse_bound(ActivationKind kind, mpfr_srcptr t, bool up);
// x rounded down (down) or up to a multiple of 2^(e - 24) (e: the width exponent of the range the cut applies to,
// 2^(e-1) <= width < 2^e); x exactly when e is empty. Nothing when x is not finite or beyond the grid's range.
std::optional<Rational> cut_end(mpfr_srcptr x, bool down, std::optional<mpfr_exp_t> e);
}  // namespace one_layer_detail

}  // namespace nncert::kernel
