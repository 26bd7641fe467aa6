// Picking and formatting the key numbers of a claim entry (see key_numbers.hpp for the rules).
#include "report/key_numbers.hpp"

#include "report/decimal.hpp"

#include <array>

namespace nncert::report {

namespace {

constexpr std::size_t exact_width = 14;  // an exact value longer than this is shown rounded
constexpr int shown_digits = 6;

// Values the claim's own text states, or bookkeeping rather than a result.
// Parameter-keyed entries ("W1[1,2]": ...) are coordinates of a vector, not key numbers.
bool skipped(const std::string& key) {
    static constexpr std::array<const char*, 5> keys = {"radius", "point", "precision_bits", "data", "unit"};
    for (const char* k : keys)
        if (key == k) return true;
    return key.starts_with("claimed") || key.find('[') != std::string::npos;
}

std::optional<KeyNumber> number_of(const std::string& name, const Json& v) {
    KeyNumber k;
    k.name = name;
    // The one name among the numbers: the script's point that refutes a region claim (the claim text does not say
    // which point of the script it was; review 15, F5).
    if (v.is_string() && (name == "witness_named_point" || name.ends_with(".witness_named_point"))) {
        k.text = v.as_string();
        return k;
    }
    if (v.is_integer()) {
        k.kind = KeyNumber::Kind::count;
        k.text = std::to_string(v.as_integer());
        return k;
    }
    if (v.is_string()) {
        const auto q = parse_exact(v.as_string());
        if (!q) return std::nullopt;
        if (v.as_string().size() <= exact_width) {
            k.kind = KeyNumber::Kind::exact;
            k.text = v.as_string();
        } else {
            k.kind = KeyNumber::Kind::approx;
            k.text = decimal(*q, shown_digits, Rounding::nearest);
        }
        return k;
    }
    if (v.is_object() && v.as_object().size() == 2) {
        const Json* lo = v.find("lower");
        const Json* hi = v.find("upper");
        if (!lo || !hi || !lo->is_string() || !hi->is_string()) return std::nullopt;
        const auto a = parse_exact(lo->as_string());
        const auto b = parse_exact(hi->as_string());
        if (!a || !b) return std::nullopt;
        k.kind = KeyNumber::Kind::interval;
        k.lower = lo->as_string().size() <= exact_width ? lo->as_string() : decimal(*a, shown_digits, Rounding::down);
        k.upper = hi->as_string().size() <= exact_width ? hi->as_string() : decimal(*b, shown_digits, Rounding::up);
        return k;
    }
    return std::nullopt;
}

void collect(const Json& obj, const std::string& prefix, int depth, std::size_t limit, std::vector<KeyNumber>& out) {
    if (!obj.is_object()) return;
    for (const auto& [key, value] : obj.as_object()) {
        if (out.size() >= limit) return;
        if (skipped(key)) continue;
        // Weighted rows: `correct` and `total` count rows, while the value (accuracy = correct_weight /
        // total_weight) is a ratio of weights; the weights are shown, the row counts stay in the JSON.
        if (obj.find(key + "_weight")) continue;
        const std::string name = prefix.empty() ? key : prefix + "." + key;
        if (auto k = number_of(name, value)) {
            out.push_back(std::move(*k));
        } else if (value.is_object() && depth == 0) {
            // `not C`: the inner claim's evidence carries the numbers, under its own names.
            const bool wrapper = key == "claim_refuted" || key == "claim_certified";
            collect(value, wrapper ? prefix : name, wrapper ? 0 : 1, limit, out);
        }
    }
}

}  // namespace

std::vector<KeyNumber> key_numbers(const Json& claim, std::size_t limit) {
    std::vector<KeyNumber> out;
    for (const char* field : {"certificate", "witness", "evidence"})
        if (const Json* v = claim.find(field)) collect(*v, "", 0, limit, out);
    return out;
}

std::string join_key_numbers(const std::vector<KeyNumber>& numbers, const std::string& approx_symbol,
                             const std::string& element_symbol) {
    std::string out;
    for (const KeyNumber& k : numbers) {
        if (!out.empty()) out += ", ";
        switch (k.kind) {
            case KeyNumber::Kind::exact:
            case KeyNumber::Kind::count: out += k.name + " = " + k.text; break;
            case KeyNumber::Kind::approx: out += k.name + " " + approx_symbol + " " + k.text; break;
            case KeyNumber::Kind::interval:
                out += k.name + " " + element_symbol + " [" + k.lower + ", " + k.upper + "]";
                break;
        }
    }
    return out;
}

std::string format_time_us(const Json& entry) {
    const Json* t = entry.find("time_us");
    if (!t || !t->is_integer()) return "";
    const long long us = t->as_integer();
    const kernel::Rational q(us);
    if (us < 1000000) return decimal(q / 1000, 2, Rounding::nearest) + " ms";
    return decimal(q / 1000000, 3, Rounding::nearest) + " s";
}

}  // namespace nncert::report
