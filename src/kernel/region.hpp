// Regions of parameter space as plain data: closed boxes whose coordinate ranges may run to -inf or +inf.
// Built by the front end (`region R { ... }`, or the cube `within r`); the kernel re-validates them.
#pragma once

#include "kernel/number.hpp"

#include <optional>
#include <string>
#include <vector>

namespace nncert::kernel {

// One coordinate's range {t : lo <= t <= hi}; an absent end is infinite (lo: -inf, hi: +inf), so a range is
// a closed subset of the real line (an infinite end is not a point of it). lo <= hi when both are finite.
struct Range {
    std::optional<Rational> lo, hi;

    bool bounded() const { return lo && hi; }
    bool degenerate() const { return lo && hi && *lo == *hi; }
    bool contains(const Rational& t) const { return (!lo || *lo <= t) && (!hi || t <= *hi); }
    // t lies strictly inside: above a finite lower end and below a finite upper end.
    bool interior(const Rational& t) const { return (!lo || *lo < t) && (!hi || t < *hi); }
};

// A box: one range per flat parameter (Network::num_params() entries, in the parameter layout).
using Box = std::vector<Range>;

// A named region of a script: the box R of `trap P in R`, `loss R in [a, b]`, `local_min P in R`.
struct Region {
    std::string name;
    Box box;

    bool bounded() const;  // every range has two finite ends
};

// Whether the point theta (one entry per range) lies in the closed box b.
bool contains(const Box& b, const Vector& theta);

// The closed cube [p_k - r, p_k + r] around p (r >= 0): the region of `trap P within r`.
Box cube(const Vector& p, const Rational& r);

// Throws std::invalid_argument when the box has the wrong size or a range with lo > hi (a front-end bug).
void validate_box(const Box& b, std::size_t num_params);

// "[-inf, 3/2]" style text of a range (for evidence and messages).
std::string to_string(const Range& r);

}  // namespace nncert::kernel
