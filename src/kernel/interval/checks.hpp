// Kernel-internal: the interval engine's claim checks (`... within r`) and the evidence they share.
// Assumes the caller (check.cpp) validated the problem and points; each check opens its own PrecisionScope.
#pragma once

#include "kernel/detail/checks.hpp"
#include "kernel/ball/dinterval.hpp"
#include "kernel/interval/interval.hpp"

#include <optional>
#include <string>
#include <utility>

namespace nncert::kernel::detail {

// True when every claim about pb can be decided in exact rationals: exact activations, polynomial loss.
bool exact_problem(const Problem& pb);

// How a data point with target y is classified on a set of parameters whose network output encloses f, under the
// classify threshold t (docs/format.md, "Loss and classification"): correct, or wrong, at every point of the set,
// or unknown. A target on the threshold is never credited (wrong), as in exact.hpp; nor is an output that may
// equal t. Used by `accuracy P within r` (claims_values.cpp) and `accuracy P in R` (claims_sublevel.cpp).
enum class BoxClass { correct, wrong, unknown };
BoxClass classify_enclosure(const Interval& f, const Rational& y, const Rational& t);
// The same for a binary64 enclosure f of the output (ball/dinterval.hpp): `actual` the sign of y - t, `td` the tightest
// binary64 interval around t; each "certainly" is read on the ends against the far end of td, so it implies the exact
// one.
BoxClass classify_binary64(const DInterval& f, int actual, const DInterval& td);
// Doubles lo <= f^-1(t) <= hi for f sigmoid or tanh and t inside f's open range (one_layer_detail::inverse_bound at
// the ends of t's enclosure at the working precision, then rounded outward to doubles); nothing for other activations
// or another t.
std::optional<std::pair<double, double>> preimage_bounds(const Activation& act, const Rational& t);
// classify_enclosure of f(z) for every z of the binary64 interval z, f increasing (sigmoid, tanh), read off z against
// bounds zt of f^-1(t) from preimage_bounds, without evaluating f: f(z) > t where z > zt.second (f(z) >= t where
// z >= zt.second), f(z) < t where z < zt.first (f(z) <= t where z <= zt.first). `actual` as above.
BoxClass classify_preimage(const DInterval& z, int actual, const std::pair<double, double>& zt);

// Entry point from check.cpp: every claim with a radius, every claim with a loss range, and every claim
// on a problem that is not exact. Throws std::invalid_argument on malformed claims (negative radius,
// a loss range with no end), like validate().
Verdict check_interval(const Problem& pb, const std::vector<Point>& points, const Claim& c, const Options& opt);

// The ball engine (src/kernel/ball/claims_ball.cpp) on critical, hessian_pd and strict_local_min over a box:
// its verdict, or nothing when the MPFI engine must decide (Options::engine, FTZ/DAZ set, a straddled kink, or
// an inconclusive ball answer on a problem small enough for MPFI).
std::optional<Verdict> ball_engine_verdict(ClaimKind kind, const Problem& pb, const Point& p, const Rational& r,
                                           const Options& opt);

Verdict check_critical_box(const Problem& pb, const Point& p, const Rational& r, const Options& opt);
Verdict check_strict_local_min_box(const Problem& pb, const Point& p, const Rational& r, const Options& opt);
// `local_min P within r`: the box contains a (possibly non-strict) local minimum of the loss.
Verdict check_local_min_box(const Problem& pb, const Point& p, const Rational& r, const Options& opt);
// The Morse-Bott route of `local_min P within r` (morse_bott_box.cpp): certified, or nothing with the reasons
// each family gave appended to `notes`.
std::optional<Verdict> morse_bott_box(const Problem& pb, const Point& p, const Rational& r, const Options& opt,
                                      std::vector<std::string>& notes);
// A family of critical points of dimension >= 1 certified to lie in the box (the Morse-Bott families without
// the Hessian condition): then the box holds infinitely many critical points. The evidence, or nothing.
std::optional<Value> critical_family_in_box(const Problem& pb, const Point& p, const Rational& r, const Options& opt);
Verdict check_hessian_pd_box(const Problem& pb, const Point& p, const Rational& r, const Options& opt);
Verdict check_kink_free_box(const Problem& pb, const Point& p, const Rational& r, const Options& opt);
// `blind_spot P within r`: one data point is in a blind spot of one hidden relu layer on the whole box.
Verdict check_blind_spot_box(const Problem& pb, const Point& p, const Rational& r, const Options& opt);
Verdict check_loss_box(const Problem& pb, const Point& p, const std::optional<Rational>& r,
                       const std::optional<Rational>& lower, const std::optional<Rational>& upper,
                       const Options& opt);
Verdict check_gap_box(const Problem& pb, const Point& p, const Rational& r, const Point& q, const Options& opt);
Verdict check_accuracy_box(const Problem& pb, const Point& p, const Rational& r, const Rational& claimed,
                           const Options& opt);

// Region claims (claims_trap.cpp, claims_sublevel.cpp, claims_local_min_box.cpp): `trap P in R` (or within r),
// `loss R in [a, b]`, `gap R > Q`, `accuracy P in R <= q`, `local_min P in R`. The claim carries the region.
Verdict check_trap(const Problem& pb, const Point& p, const Claim& c, const Options& opt);
// The region claims `loss R in [a, b]` and `gap R > Q` also try the script's named points that lie in R (`points`)
// before their search: one whose loss is certainly outside the claim refutes it, the point itself the witness.
Verdict check_region_loss(const Problem& pb, const std::vector<Point>& points, const Claim& c, const Options& opt);
Verdict check_region_gap(const Problem& pb, const std::vector<Point>& points, const Claim& c, const Point& q,
                         const Options& opt);
Verdict check_sublevel_accuracy(const Problem& pb, const Point& p, const Claim& c, const Options& opt);
Verdict check_local_min_region(const Problem& pb, const Point& p, const Claim& c, const Options& opt);

// Evidence: an interval as {lower, upper} with exact rational ends ("-inf"/"+inf"/"nan" when not finite).
Value enclosure_value(const Interval& x);
// Evidence every interval verdict carries: the box and the precision it was decided at.
Object box_evidence(const Point& p, const std::optional<Rational>& r, const Options& opt, std::string checked);
// When a kinked unit's input straddles 0 on the box: the inconclusive verdict derivative checks give.
std::optional<Verdict> straddle_guard(const Problem& pb, const Point& p, const Rational& r, const Options& opt,
                                      const std::string& method);

}  // namespace nncert::kernel::detail
