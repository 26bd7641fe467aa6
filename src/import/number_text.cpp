// Exact and rounded number text for imported floats (number_text.hpp).
#include "import/number_text.hpp"

#include "script/number.hpp"

#include <mpfr.h>

#include <stdexcept>

namespace nncert::import {

using kernel::Integer;
using kernel::Rational;

namespace {

// Multiplicity of the prime p in n > 0, dividing it out.
unsigned strip(Integer& n, unsigned p) {
    unsigned k = 0;
    while (n % p == 0) {
        n /= p;
        ++k;
    }
    return k;
}

}  // namespace

std::string exact_decimal(const Rational& q) {
    Integer den = denominator(q);
    const unsigned twos = strip(den, 2), fives = strip(den, 5);
    if (den != 1) return script::number_text(q);
    const unsigned k = std::max(twos, fives);  // q * 10^k is an integer
    // A literal has at most 1000 digits (docs/format.md); tiny subnormals need more: write p/q then. Its
    // integer part has at most 64 characters (the width rule, lexer.hpp): a huge value is written as p then.
    if (k > 900) return script::number_text(q);
    Integer scaled = numerator(q) * boost::multiprecision::pow(Integer(10), k) / denominator(q);
    const bool negative = scaled < 0;
    const std::string digits = (negative ? Integer(-scaled) : scaled).str();
    std::string out = negative ? "-" : "";
    // An integer: its size is seen only when it has at most 64 digits (the width rule), else it is written as p.
    if (k == 0) return digits.size() > script::max_chars_before_point ? script::number_text(q) : out += digits;
    const std::size_t lead = digits.size() > k ? digits.size() - k : 0;  // digits before the point
    if (lead > script::max_chars_before_point) return script::number_text(q);
    if (lead == 0) out += '0';
    else out.append(digits, 0, lead);
    out += '.';
    if (digits.size() < k) out.append(k - digits.size(), '0');
    out.append(digits, lead);
    return out;
}

std::string hex_float(const Rational& q) {
    if (q == 0) return "0x0p+0";
    const Integer den = denominator(q);
    if ((den & (den - 1)) != 0) throw std::invalid_argument("not a dyadic rational: " + script::number_text(q));
    Integer m = abs(numerator(q));
    const long k = static_cast<long>(msb(den));  // q = m / 2^k
    const long bits = static_cast<long>(msb(m));  // m = 1.f * 2^bits
    Integer frac = m - (Integer(1) << static_cast<unsigned>(bits));
    long nbits = bits;
    const long pad = (4 - nbits % 4) % 4;
    frac <<= static_cast<unsigned>(pad);
    nbits += pad;
    std::string hex;
    for (long d = nbits / 4 - 1; d >= 0; --d) {
        const unsigned digit = static_cast<unsigned>((frac >> static_cast<unsigned>(4 * d)) & 15);
        hex += static_cast<char>(digit < 10 ? '0' + digit : 'a' + digit - 10);
    }
    while (!hex.empty() && hex.back() == '0') hex.pop_back();
    const long e = bits - k;
    std::string out = q < 0 ? "-0x1" : "0x1";
    if (!hex.empty()) {
        out += '.';
        out += hex;
    }
    out += e >= 0 ? "p+" : "p";
    out += std::to_string(e);
    return out;
}

std::string rounded_decimal(const Rational& q, unsigned digits) {
    mpfr_t x;
    mpfr_init2(x, static_cast<mpfr_prec_t>(digits * 4 + 64));
    mpfr_set_q(x, q.backend().data(), MPFR_RNDN);
    std::string out(1, '0');
    if (!mpfr_zero_p(x)) {
        mpfr_exp_t e = 0;
        char* raw = mpfr_get_str(nullptr, &e, 10, digits, x, MPFR_RNDN);
        std::string d = raw;
        mpfr_free_str(raw);
        std::string sign;
        if (d[0] == '-') {
            sign = "-";
            d.erase(0, 1);
        }
        d.erase(d.find_last_not_of('0') + 1);  // value = 0.d * 10^e
        // Appended piece by piece: chains of `+` on temporaries trip GCC 12's -Wrestrict false positive.
        const long m = static_cast<long>(d.size());
        out.assign(sign);
        // A script literal's exponent may follow at most 64 characters (lexer:
        // max_chars_before_exponent); with a longer mantissa the number is written plainly (at most 1000 + 20
        // digits: D <= 1000 and the exponents that reach this branch are small) or as the canonical exact text.
        const long plain = e > 0 ? std::max<long>(m, e) : m + 1 - e;
        if ((e > 20 || e < -6) && m + 1 > static_cast<long>(script::max_chars_before_exponent)) {
            // ... with at most 64 digits before its point (the width rule).
            if (plain > 1000 || e > static_cast<long>(script::max_chars_before_point)) {
                const Integer scaled(d);
                const long k = e - m;
                const Integer ten = boost::multiprecision::pow(Integer(10), static_cast<unsigned>(k >= 0 ? k : -k));
                Rational v = k >= 0 ? Rational(scaled * ten) : Rational(scaled, ten);
                out = script::number_text(sign.empty() ? v : Rational(-v));
                mpfr_clear(x);
                return out;
            }
        }
        if ((e > 20 || e < -6) && m + 1 <= static_cast<long>(script::max_chars_before_exponent)) {
            out += d[0];
            if (m > 1) {
                out += '.';
                out.append(d, 1);
            }
            out += 'e';
            out += std::to_string(e - 1);
        } else if (e >= m) {
            out += d;
            out.append(static_cast<std::size_t>(e - m), '0');
        } else if (e > 0) {
            out.append(d, 0, static_cast<std::size_t>(e));
            out += '.';
            out.append(d, static_cast<std::size_t>(e));
        } else {
            out += "0.";
            out.append(static_cast<std::size_t>(-e), '0');
            out += d;
        }
    }
    mpfr_clear(x);
    return out;
}

}  // namespace nncert::import
