// Exact decoding of IEEE binary16/32/64, bfloat16 and integer elements (tensor.hpp). Bit patterns only:
// sign, biased exponent and significand give m * 2^e exactly; NaN and infinities are refused.
#include "import/tensor.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace nncert::import {

namespace {

using kernel::Integer;
using kernel::Rational;

struct Format {
    int exp_bits, frac_bits;
};

Format format_of(DType t) {
    switch (t) {
        case DType::f16: return {5, 10};
        case DType::bf16: return {8, 7};
        case DType::f32: return {8, 23};
        default: return {11, 52};
    }
}

Rational pow2(long e) {
    const Integer p = Integer(1) << static_cast<unsigned>(e < 0 ? -e : e);
    return e < 0 ? Rational(1) / Rational(p) : Rational(p);
}

// The value of an IEEE bit pattern `bits` of the given format, exactly.
Rational float_value(std::uint64_t bits, Format f, const std::string& what, std::size_t index) {
    const std::uint64_t frac = bits & ((std::uint64_t(1) << f.frac_bits) - 1);
    const std::uint64_t biased = (bits >> f.frac_bits) & ((std::uint64_t(1) << f.exp_bits) - 1);
    const bool negative = (bits >> (f.frac_bits + f.exp_bits)) & 1;
    const long bias = (1L << (f.exp_bits - 1)) - 1;
    if (biased == (std::uint64_t(1) << f.exp_bits) - 1)
        throw ImportError(what + ": element " + std::to_string(index) + " is " + (frac ? "NaN" : "infinite") +
                          ", which has no exact value");
    Rational v;
    if (biased == 0) v = Rational(Integer(frac)) * pow2(1 - bias - f.frac_bits);  // subnormal (or zero)
    else v = Rational(Integer(frac | (std::uint64_t(1) << f.frac_bits))) * pow2(static_cast<long>(biased) - bias - f.frac_bits);
    return negative ? Rational(-v) : v;
}

std::uint64_t load(const unsigned char* p, std::size_t n, bool little) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < n; ++i) v |= std::uint64_t(p[little ? i : n - 1 - i]) << (8 * i);
    return v;
}

}  // namespace

std::string to_string(DType t) {
    switch (t) {
        case DType::f16: return "float16";
        case DType::bf16: return "bfloat16";
        case DType::f32: return "float32";
        case DType::f64: return "float64";
        case DType::i8: return "int8";
        case DType::i16: return "int16";
        case DType::i32: return "int32";
        case DType::i64: return "int64";
        case DType::u8: return "uint8";
        case DType::u16: return "uint16";
        case DType::u32: return "uint32";
        case DType::u64: return "uint64";
        case DType::boolean: return "bool";
    }
    return "?";
}

bool is_float(DType t) { return t == DType::f16 || t == DType::bf16 || t == DType::f32 || t == DType::f64; }

std::size_t byte_size(DType t) {
    switch (t) {
        case DType::i8: case DType::u8: case DType::boolean: return 1;
        case DType::f16: case DType::bf16: case DType::i16: case DType::u16: return 2;
        case DType::f32: case DType::i32: case DType::u32: return 4;
        default: return 8;
    }
}

std::string shape_text(const std::vector<std::size_t>& shape) {
    // A hostile header can give 100,000 dimensions: messages show the first 8 and how many there are.
    constexpr std::size_t shown = 8;
    std::string s = "(";
    for (std::size_t i = 0; i < shape.size() && i < shown; ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    if (shape.size() > shown) return s + ", ... (" + std::to_string(shape.size()) + " dimensions))";
    return s + (shape.size() == 1 ? ",)" : ")");
}

std::size_t element_count(const std::vector<std::size_t>& shape, const std::string& what, std::size_t limit) {
    std::size_t n = 1;
    for (std::size_t d : shape) {
        if (d != 0 && n > limit / d)
            throw ImportError(what + ": shape " + shape_text(shape) + " has more than " + std::to_string(limit) +
                              " elements (the import limit)");
        n *= d;
    }
    return n;
}

void ElementBudget::take(std::size_t n, const std::string& what) {
    if (n > max_import_elements - used_)
        throw ImportError(what + ": " + std::to_string(n) + " more elements would make " +
                          std::to_string(used_ + std::min(n, max_import_elements)) + "+ in this import, over the limit of " +
                          std::to_string(max_import_elements) +
                          " (docs/limits.md: a script that large could not be checked; its file would pass 64 MiB)");
    used_ += n;
}

kernel::Vector decode(const unsigned char* p, std::size_t count, DType t, bool little, const std::string& what) {
    kernel::Vector out;
    out.reserve(count);
    const std::size_t w = byte_size(t);
    for (std::size_t i = 0; i < count; ++i, p += w) {
        const std::uint64_t bits = load(p, w, little);
        switch (t) {
            case DType::f16: case DType::bf16: case DType::f32: case DType::f64:
                out.push_back(float_value(bits, format_of(t), what, i));
                break;
            case DType::boolean:
                if (bits > 1) throw ImportError(what + ": element " + std::to_string(i) + " is not a bool (0 or 1)");
                out.emplace_back(static_cast<long>(bits));
                break;
            case DType::u8: case DType::u16: case DType::u32: case DType::u64:
                out.emplace_back(Integer(bits));
                break;
            default: {  // signed: sign-extend from w bytes
                const unsigned shift = static_cast<unsigned>(64 - 8 * w);
                const std::int64_t s = static_cast<std::int64_t>(bits << shift) >> shift;
                out.emplace_back(Integer(s));
            }
        }
    }
    return out;
}

}  // namespace nncert::import
