// Boxes with exact, possibly infinite ends (region.hpp) as interval vectors, and the finite points of a box
// the branch and bound evaluates. Assumes a live PrecisionScope wherever an Interval is built.
#pragma once

#include "kernel/interval/enclose.hpp"
#include "kernel/region.hpp"

#include <optional>

namespace nncert::kernel {

// Outward-rounded enclosure of a range; an infinite end becomes an infinite MPFR end (MPFI treats the result
// as the unbounded set of reals it stands for: every operation's result contains f(x) for every real x in
// it, and [0, 0] * [a, +inf] is [0, 0]).
Interval enclose(const Range& r);
IVector enclose(const Box& b);

// A lower end of an enclosure that may be -inf (absent): box priorities and reported bounds.
struct LowerBound {
    std::optional<Rational> value;  // absent: -inf (also for a NaN end: nothing is known)

    static LowerBound of(const Interval& x);  // the exact lower end of x
    // Strictly greater than q (false for -inf).
    bool above(const Rational& q) const { return value && *value > q; }
    bool at_least(const Rational& q) const { return value && *value >= q; }
};
// a < b, with -inf below every rational and equal to itself.
bool lower_than(const LowerBound& a, const LowerBound& b);
const LowerBound& lowest(const LowerBound& a, const LowerBound& b);

// Where a range is bisected: [a, b] at a short dyadic rational strictly between a and b near the middle;
// [a, +inf] at a + max(1, |a|), [-inf, b] at b - max(1, |b|) (so repeated splits of an unbounded range reach
// any magnitude in logarithmically many steps); [-inf, +inf] at 0. Throws std::logic_error for a degenerate range.
Rational split_point(const Range& r);

// A finite point of the range: its split point, or the point itself when degenerate. sample(b) is the point
// of the box made of these: for a bounded box, a point near its centre.
Rational sample(const Range& r);
Vector sample(const Box& b);

// The centre of a box in its bounded coordinates, with the unbounded ranges kept whole: the expansion point
// of the mean-value form (the mean-value theorem is applied in the bounded coordinates only).
IVector centre_box(const Box& b);

// Exact width of a bounded range; nothing for an unbounded one.
std::optional<Rational> width(const Range& r);

}  // namespace nncert::kernel
