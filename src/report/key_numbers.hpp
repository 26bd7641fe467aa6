// The few numbers of a claim's certificate, witness or evidence that a table row shows (Markdown and
// LaTeX appendix tables, JUnit messages), picked from the claim's JSON entry. The JSON keeps everything.
#pragma once

#include "report/json.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace nncert::report {

// One shown number: `name = text` (exact), `name ≈ text` (rounded to nearest), or `name ∈ [lower, upper]`
// (an interval rounded outward, so it still contains the exact one).
struct KeyNumber {
    enum class Kind { exact, approx, interval, count };
    std::string name;  // the JSON key, nested keys joined by '.' ("hessian.min_pivot")
    Kind kind = Kind::exact;
    std::string text;        // exact, approx, count
    std::string lower, upper;  // interval
};

// Up to `limit` numbers in the order the entry gives them: integers, exact values "p/q" (shown exactly
// when short, else to 6 significant digits) and {lower, upper} enclosures, searched in the certificate,
// witness or evidence, one level of nested objects deep (`not C` looks inside claim_refuted /
// claim_certified), and the name of the script's point that refutes a region claim (`witness_named_point`, shown
// as an exact value). Lists, prose and values the claim text already states (radius, claimed, point) are left out.
std::vector<KeyNumber> key_numbers(const Json& claim, std::size_t limit = 4);

// "loss = 18, min_pivot = 4/3" with the given symbols for "≈" and "∈" (Markdown: Unicode; LaTeX: math).
std::string join_key_numbers(const std::vector<KeyNumber>& numbers, const std::string& approx_symbol,
                             const std::string& element_symbol);

// A claim's run time (its "time_us") for a person: "0.04 ms", "12 ms", "3.2 s"; "" when absent.
std::string format_time_us(const Json& entry);

}  // namespace nncert::report
