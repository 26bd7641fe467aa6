// A 1-D subdivision driver: covers [0, 1] with sub-segments [t0, t1] (bisecting), asking a test about each
// until it holds on every one, fails on one, or the budget runs out. The segment claims (barrier, monotone)
// on transcendental problems use it. When the shared branch-and-bound driver (branch_bound.hpp, NOTES.md:
// "one box engine") lands, this becomes a thin call to it with one dimension; the interface stays.
#pragma once

#include "kernel/number.hpp"

#include <cstddef>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

namespace nncert::kernel {

enum class SubDecision { holds, fails, split };

struct SubdivisionResult {
    bool all_hold = false;                                 // the test held on sub-segments covering [0, 1]
    std::optional<std::pair<Rational, Rational>> failing;  // the first sub-segment where the test failed
    std::vector<std::pair<Rational, Rational>> undecided;  // left when the budget ran out (or too narrow)
    std::size_t tested = 0;                                // sub-segments tested
};

// test(t0, t1) for 0 <= t0 < t1 <= 1. A sub-segment narrower than min_width that still asks for a split is
// left undecided; at most `budget` tests are made. Depth-first from the left, so `failing` is the leftmost
// failure found.
SubdivisionResult subdivide_unit_interval(const std::function<SubDecision(const Rational&, const Rational&)>& test,
                                          std::size_t budget, const Rational& min_width);

}  // namespace nncert::kernel
