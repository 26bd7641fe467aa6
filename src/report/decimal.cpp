// Decimal rounding of exact rationals with integer arithmetic only (GMP), so `down` and `up` are exact
// floor and ceiling of the scaled value: no float is involved anywhere.
#include "report/decimal.hpp"

#include <algorithm>

namespace nncert::report {

namespace {

using kernel::Integer;
using kernel::Rational;

Integer pow10(int k) { return boost::multiprecision::pow(Integer(10), static_cast<unsigned>(k)); }

// floor(n / d) and ceil(n / d) for d > 0.
Integer floor_div(const Integer& n, const Integer& d) {
    Integer q = n / d;  // truncates toward zero
    if (q * d != n && n.sign() < 0) q -= 1;
    return q;
}
Integer ceil_div(const Integer& n, const Integer& d) { return -floor_div(-n, d); }

}  // namespace

std::string decimal(const Rational& q, int digits, Rounding mode) {
    digits = std::clamp(digits, 1, 60);
    if (q.sign() == 0) return "0";
    const bool negative = q.sign() < 0;
    const Rational a = negative ? Rational(-q) : q;
    const Integer num = boost::multiprecision::numerator(a), den = boost::multiprecision::denominator(a);
    // e = floor(log10 a): start from the digit counts, then correct by at most one either way.
    int e = static_cast<int>(num.str().size()) - static_cast<int>(den.str().size());
    auto at_least = [&](int k) {  // a >= 10^k
        return k >= 0 ? num >= den * pow10(k) : num * pow10(-k) >= den;
    };
    while (!at_least(e)) --e;
    while (at_least(e + 1)) ++e;
    // m = a * 10^(digits - 1 - e), rounded; the magnitude rounds down for (down, positive) and (up, negative).
    const int shift = digits - 1 - e;
    const Integer n = shift >= 0 ? Integer(num * pow10(shift)) : num;
    const Integer d = shift >= 0 ? den : Integer(den * pow10(-shift));
    Integer m;
    if (mode == Rounding::nearest) m = floor_div(2 * n + d, 2 * d);
    else if ((mode == Rounding::down) != negative) m = floor_div(n, d);
    else m = ceil_div(n, d);
    if (m == pow10(digits)) {  // 9.99... rounded up to 10.0...
        m /= 10;
        ++e;
    }
    std::string ds = m.str();  // exactly `digits` digits
    std::string sign = negative ? "-" : "";
    std::string out;
    if (e >= -4 && e < digits) {
        if (e >= 0) {
            out = ds.substr(0, static_cast<std::size_t>(e) + 1);
            std::string frac = ds.substr(static_cast<std::size_t>(e) + 1);
            while (!frac.empty() && frac.back() == '0') frac.pop_back();
            if (!frac.empty()) out += "." + frac;
        } else {
            std::string frac = std::string(static_cast<std::size_t>(-e - 1), '0') + ds;
            while (!frac.empty() && frac.back() == '0') frac.pop_back();
            out = "0." + frac;
        }
    } else {
        std::string frac = ds.substr(1);
        while (!frac.empty() && frac.back() == '0') frac.pop_back();
        out = ds.substr(0, 1) + (frac.empty() ? "" : "." + frac);
        const std::string exp = std::to_string(e < 0 ? -e : e);
        out += std::string("e") + (e < 0 ? "-" : "+") + (exp.size() < 2 ? "0" : "") + exp;
    }
    return sign + out;
}

std::optional<Rational> parse_exact(std::string_view text) {
    std::size_t i = 0;
    if (i < text.size() && text[i] == '-') ++i;
    const std::size_t digits_begin = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    if (i == digits_begin) return std::nullopt;
    std::size_t slash = std::string_view::npos;
    if (i < text.size() && text[i] == '/') {
        slash = i++;
        const std::size_t den_begin = i;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
        if (i == den_begin) return std::nullopt;
    }
    if (i != text.size()) return std::nullopt;
    if (slash == std::string_view::npos) return Rational(Integer(std::string(text)));
    const Integer den(std::string(text.substr(slash + 1)));
    if (den.sign() == 0) return std::nullopt;
    return Rational(Integer(std::string(text.substr(0, slash))), den);
}

}  // namespace nncert::report
