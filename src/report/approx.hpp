// Short decimal approximations of the exact numbers in a report: `approx` beside the exact values in the
// JSON, and "p/q (~ -1.9e-31)" in the text. Display only: nothing here is ever compared or checked.
#pragma once

#include "kernel/number.hpp"
#include "kernel/value.hpp"
#include "report/json.hpp"

#include <string>

namespace nncert::report {

// q to 6 significant digits, as C's %.6g prints it ("0.583907", "-1.94712e-31", "18"), rounded to nearest.
std::string approx_text(const kernel::Rational& q);

// The evidence tree with every exact rational replaced by approx_text and everything else dropped:
// objects keep only keys whose subtree holds a number, lists keep their length (null where an item holds
// none). Null when the whole tree holds no number.
Json approx_json(const kernel::Value& v);

// `exact` in one-line JSON, each string that has an approximation in the parallel tree `approx` followed by
// " (~ A)" when its exact text is not already short (a fraction, or more than 12 characters).
std::string dump_with_approx(const Json& exact, const Json* approx);

}  // namespace nncert::report
