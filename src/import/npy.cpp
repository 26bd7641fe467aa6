// The .npy reader (npy.hpp). The header is a small Python literal; it is parsed here by a strict
// recursive reader of exactly the forms NumPy writes (strings, True/False, tuples of integers, a dict),
// with a clear error for anything else. The container is one header and one raw array: no archive.
#include "import/npy.hpp"

#include <cctype>

namespace nncert::import {

namespace {

// A Python literal value of the header: string, bool, or tuple of non-negative integers.
struct Literal {
    enum class Kind { string, boolean, tuple } kind = Kind::string;
    std::string text;
    bool flag = false;
    std::vector<std::size_t> items;
};

class HeaderReader {
public:
    HeaderReader(const std::string& s, const std::string& what) : s_(s), what_(what) {}

    std::map<std::string, Literal> dict() {
        std::map<std::string, Literal> out;
        expect('{');
        for (;;) {
            skip();
            if (peek() == '}') break;
            const std::string key = string();
            expect(':');
            if (out.count(key)) fail("key '" + key + "' appears twice");
            out[key] = value();
            skip();
            if (peek() == ',') {
                ++i_;
                continue;
            }
            if (peek() != '}') fail("expected ',' or '}'");
        }
        ++i_;
        skip();
        if (i_ != s_.size()) fail("text after the closing '}'");
        return out;
    }

private:
    [[noreturn]] void fail(const std::string& why) const {
        throw ImportError(what_ + ": malformed .npy header at byte " + std::to_string(i_) + ": " + why + " (header: " +
                          s_.substr(0, 200) + ")");
    }
    void skip() {
        while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\t')) ++i_;
    }
    char peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
    void expect(char c) {
        skip();
        if (peek() != c) fail(std::string("expected '") + c + "'");
        ++i_;
    }
    std::string string() {
        skip();
        const char q = peek();
        if (q != '\'' && q != '"') fail("expected a quoted string");
        std::string out;
        for (++i_; i_ < s_.size() && s_[i_] != q; ++i_) {
            if (s_[i_] == '\\') fail("escapes are not used in .npy headers");
            out += s_[i_];
        }
        if (i_ >= s_.size()) fail("unterminated string");
        ++i_;
        return out;
    }
    std::size_t integer() {
        skip();
        std::size_t v = 0, digits = 0;
        while (std::isdigit(static_cast<unsigned char>(peek()))) {
            if (++digits > 18) fail("dimension too large");
            v = v * 10 + static_cast<std::size_t>(s_[i_++] - '0');
        }
        if (digits == 0) fail("expected a whole number");
        if (peek() == 'L') ++i_;  // Python 2 longs
        return v;
    }
    Literal value() {
        skip();
        Literal l;
        if (peek() == '\'' || peek() == '"') {
            l.text = string();
            return l;
        }
        if (s_.compare(i_, 4, "True") == 0 || s_.compare(i_, 5, "False") == 0) {
            l.kind = Literal::Kind::boolean;
            l.flag = s_[i_] == 'T';
            i_ += l.flag ? 4 : 5;
            return l;
        }
        if (peek() == '(') {
            ++i_;
            l.kind = Literal::Kind::tuple;
            for (;;) {
                skip();
                if (peek() == ')') break;
                l.items.push_back(integer());
                skip();
                if (peek() == ',') {
                    ++i_;
                    continue;
                }
                if (peek() != ')') fail("expected ',' or ')' in the shape");
            }
            ++i_;
            return l;
        }
        if (peek() == '[') fail("a structured (record) dtype; only plain numeric arrays are supported");
        fail("expected a string, True, False or a tuple");
    }

    const std::string& s_;
    const std::string& what_;
    std::size_t i_ = 0;
};

DType dtype_of(const std::string& descr, bool& little, const std::string& what) {
    if (descr.size() < 3) throw ImportError(what + ": unsupported dtype '" + descr + "'");
    const char order = descr[0];
    const std::string code = descr.substr(1);
    if (order != '<' && order != '>' && order != '|' && order != '=')
        throw ImportError(what + ": unsupported dtype '" + descr + "' (byte order must be <, >, | or =)");
    little = order != '>';  // '=' is native: every platform numpy writes .npy on today is little-endian
    static const std::pair<const char*, DType> codes[] = {
        {"f2", DType::f16}, {"f4", DType::f32}, {"f8", DType::f64}, {"i1", DType::i8},  {"i2", DType::i16},
        {"i4", DType::i32}, {"i8", DType::i64}, {"u1", DType::u8},  {"u2", DType::u16}, {"u4", DType::u32},
        {"u8", DType::u64}, {"b1", DType::boolean}};
    for (const auto& [c, t] : codes)
        if (code == c) return t;
    throw ImportError(what + ": unsupported dtype '" + descr +
                      "' (supported: float16/32/64, signed and unsigned integers, bool; not complex, object or strings)");
}

}  // namespace

Tensor parse_npy(const std::string& b, const std::string& what, ElementBudget* budget) {
    static const std::string magic = "\x93NUMPY";
    if (b.size() < 10 || b.compare(0, 6, magic) != 0) throw ImportError(what + ": not a .npy file (no \\x93NUMPY magic)");
    const int major = static_cast<unsigned char>(b[6]);
    std::size_t header_len = 0, start = 0;
    if (major == 1) {
        header_len = static_cast<unsigned char>(b[8]) | (std::size_t(static_cast<unsigned char>(b[9])) << 8);
        start = 10;
    } else if (major == 2 || major == 3) {
        if (b.size() < 12) throw ImportError(what + ": truncated .npy header");
        for (int k = 0; k < 4; ++k) header_len |= std::size_t(static_cast<unsigned char>(b[8 + k])) << (8 * k);
        start = 12;
    } else {
        throw ImportError(what + ": .npy format version " + std::to_string(major) + " is not supported (1, 2 or 3)");
    }
    if (header_len > b.size() - start) throw ImportError(what + ": truncated .npy header");
    std::string header = b.substr(start, header_len);
    while (!header.empty() && (header.back() == '\n' || header.back() == ' ' || header.back() == '\0')) header.pop_back();
    const auto dict = HeaderReader(header, what).dict();
    for (const char* key : {"descr", "fortran_order", "shape"})
        if (!dict.count(key)) throw ImportError(what + ": the .npy header lacks '" + key + "'");
    const Literal& descr = dict.at("descr");
    const Literal& fortran = dict.at("fortran_order");
    const Literal& shape = dict.at("shape");
    if (descr.kind != Literal::Kind::string) throw ImportError(what + ": 'descr' is not a dtype string");
    if (fortran.kind != Literal::Kind::boolean) throw ImportError(what + ": 'fortran_order' is not True or False");
    if (shape.kind != Literal::Kind::tuple) throw ImportError(what + ": 'shape' is not a tuple");
    Tensor t;
    bool little = true;
    t.dtype = dtype_of(descr.text, little, what);
    t.shape = shape.items;
    const std::size_t n = element_count(t.shape, what);
    if (budget) budget->take(n, what);
    const std::size_t data = start + header_len;
    if (b.size() - data != n * byte_size(t.dtype))
        throw ImportError(what + ": " + std::to_string(b.size() - data) + " data bytes, but " + to_string(t.dtype) +
                          " of shape " + shape_text(t.shape) + " needs " + std::to_string(n * byte_size(t.dtype)));
    kernel::Vector v = decode(reinterpret_cast<const unsigned char*>(b.data() + data), n, t.dtype, little, what);
    if (fortran.flag && t.shape.size() > 1) {  // column-major: reorder into row-major
        t.values.resize(n);
        std::vector<std::size_t> idx(t.shape.size(), 0);
        for (std::size_t f = 0; f < n; ++f) {
            std::size_t c = 0;
            for (std::size_t d = 0; d < t.shape.size(); ++d) c = c * t.shape[d] + idx[d];
            t.values[c] = v[f];
            for (std::size_t d = 0; d < t.shape.size(); ++d) {  // Fortran order: first index fastest
                if (++idx[d] < t.shape[d]) break;
                idx[d] = 0;
            }
        }
    } else {
        t.values = std::move(v);
    }
    return t;
}

}  // namespace nncert::import
