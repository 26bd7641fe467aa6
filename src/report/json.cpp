// Writer and reader for report::Json. The writer is the one that matters (reports are read by other
// tools); the reader is strict and small, enough for tests and the text renderer to read reports back.
#include "report/json.hpp"

#include "util/unicode.hpp"

#include <charconv>

namespace nncert::report {

namespace {

[[noreturn]] void type_error(const char* wanted) { throw JsonError(std::string("JSON value is not ") + wanted, 0); }

// Length of the valid UTF-8 sequence starting at s[i], or 0 if it is not one (overlong forms,
// surrogates and code points above U+10FFFF are invalid).
std::size_t utf8_length(std::string_view s, std::size_t i) {
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char c = byte(i);
    std::size_t n;
    unsigned cp;
    if (c < 0x80) return 1;
    if (c >= 0xc2 && c <= 0xdf) { n = 2; cp = c & 0x1f; }
    else if (c >= 0xe0 && c <= 0xef) { n = 3; cp = c & 0x0f; }
    else if (c >= 0xf0 && c <= 0xf4) { n = 4; cp = c & 0x07; }
    else return 0;
    if (i + n > s.size()) return 0;
    for (std::size_t k = 1; k < n; ++k) {
        if ((byte(i + k) & 0xc0) != 0x80) return 0;
        cp = (cp << 6) | (byte(i + k) & 0x3f);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

void append_utf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xc0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xe0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    } else {
        out += static_cast<char>(0xf0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    }
}

void write(const Json& v, Layout layout, int depth, std::string& out) {
    auto newline = [&](int d) {
        if (layout != Layout::pretty) return;
        out += '\n';
        out.append(static_cast<std::size_t>(2 * d), ' ');
    };
    const char* comma = layout == Layout::line ? ", " : ",";
    const char* colon = layout == Layout::compact ? ":" : ": ";
    if (v.is_null()) {
        out += "null";
    } else if (v.is_bool()) {
        out += v.as_bool() ? "true" : "false";
    } else if (v.is_integer()) {
        out += std::to_string(v.as_integer());
    } else if (v.is_string()) {
        out += quote(v.as_string());
    } else if (v.is_array()) {
        const auto& a = v.as_array();
        if (a.empty()) { out += "[]"; return; }
        out += '[';
        for (std::size_t i = 0; i < a.size(); ++i) {
            if (i) out += comma;
            newline(depth + 1);
            write(a[i], layout, depth + 1, out);
        }
        newline(depth);
        out += ']';
    } else {
        const auto& o = v.as_object();
        if (o.empty()) { out += "{}"; return; }
        out += '{';
        for (std::size_t i = 0; i < o.size(); ++i) {
            if (i) out += comma;
            newline(depth + 1);
            out += quote(o[i].first);
            out += colon;
            write(o[i].second, layout, depth + 1, out);
        }
        newline(depth);
        out += '}';
    }
}

class Reader {
public:
    explicit Reader(std::string_view text) : s_(text) {}

    Json document() {
        Json v = value(0);
        skip_space();
        if (i_ != s_.size()) fail("trailing characters after the JSON value");
        return v;
    }

private:
    // Deep nesting would overflow the stack; reports never nest this deep.
    static constexpr int max_depth = 512;

    [[noreturn]] void fail(const std::string& what) const {
        throw JsonError("JSON parse error at byte " + std::to_string(i_) + ": " + what, i_);
    }
    void skip_space() {
        while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
    }
    bool eat(char c) {
        skip_space();
        if (i_ < s_.size() && s_[i_] == c) { ++i_; return true; }
        return false;
    }
    void expect(char c) {
        if (!eat(c)) fail(std::string("expected '") + c + "'");
    }
    bool literal(std::string_view word) {
        if (s_.substr(i_, word.size()) != word) return false;
        i_ += word.size();
        return true;
    }

    Json value(int depth) {
        if (depth > max_depth) fail("nesting too deep");
        skip_space();
        if (i_ >= s_.size()) fail("unexpected end of input");
        char c = s_[i_];
        if (c == '{') return object(depth);
        if (c == '[') return array(depth);
        if (c == '"') return Json(string());
        if (c == '-' || (c >= '0' && c <= '9')) return integer();
        if (literal("null")) return Json();
        if (literal("true")) return Json(true);
        if (literal("false")) return Json(false);
        fail("unexpected character");
    }

    Json object(int depth) {
        ++i_;
        Json::Object o;
        if (eat('}')) return Json(std::move(o));
        do {
            skip_space();
            if (i_ >= s_.size() || s_[i_] != '"') fail("expected a string key");
            std::string key = string();
            expect(':');
            o.emplace_back(std::move(key), value(depth + 1));
        } while (eat(','));
        expect('}');
        return Json(std::move(o));
    }

    Json array(int depth) {
        ++i_;
        Json::Array a;
        if (eat(']')) return Json(std::move(a));
        do a.push_back(value(depth + 1));
        while (eat(','));
        expect(']');
        return Json(std::move(a));
    }

    Json integer() {
        std::size_t start = i_;
        if (s_[i_] == '-') ++i_;
        std::size_t digits = i_;
        while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
        if (i_ == digits) fail("expected a digit");
        if (s_[digits] == '0' && i_ - digits > 1) fail("leading zero");
        if (i_ < s_.size() && (s_[i_] == '.' || s_[i_] == 'e' || s_[i_] == 'E'))
            fail("non-integer numbers are not supported (exact values are strings)");
        long long n = 0;
        auto [end, ec] = std::from_chars(s_.data() + start, s_.data() + i_, n);
        if (ec != std::errc() || end != s_.data() + i_) fail("integer out of range");
        return Json(n);
    }

    unsigned hex4() {
        if (i_ + 4 > s_.size()) fail("truncated \\u escape");
        unsigned v = 0;
        for (int k = 0; k < 4; ++k) {
            char c = s_[i_++];
            v <<= 4;
            if (c >= '0' && c <= '9') v |= unsigned(c - '0');
            else if (c >= 'a' && c <= 'f') v |= unsigned(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F') v |= unsigned(c - 'A' + 10);
            else fail("bad hex digit in \\u escape");
        }
        return v;
    }

    std::string string() {
        ++i_;  // opening quote
        std::string out;
        while (true) {
            if (i_ >= s_.size()) fail("unterminated string");
            unsigned char c = static_cast<unsigned char>(s_[i_]);
            if (c == '"') { ++i_; return out; }
            if (c < 0x20) fail("unescaped control character in string");
            if (c != '\\') {
                std::size_t n = utf8_length(s_, i_);
                if (n == 0) fail("invalid UTF-8 in string");
                out.append(s_.substr(i_, n));
                i_ += n;
                continue;
            }
            if (++i_ >= s_.size()) fail("unterminated escape");
            char e = s_[i_++];
            switch (e) {
                case '"': out += '"'; break;
                case '\\': out += '\\'; break;
                case '/': out += '/'; break;
                case 'b': out += '\b'; break;
                case 'f': out += '\f'; break;
                case 'n': out += '\n'; break;
                case 'r': out += '\r'; break;
                case 't': out += '\t'; break;
                case 'u': {
                    unsigned cp = hex4();
                    if (cp >= 0xdc00 && cp <= 0xdfff) fail("unpaired low surrogate");
                    if (cp >= 0xd800 && cp <= 0xdbff) {
                        if (!literal("\\u")) fail("unpaired high surrogate");
                        unsigned low = hex4();
                        if (low < 0xdc00 || low > 0xdfff) fail("bad low surrogate");
                        cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
                    }
                    append_utf8(out, cp);
                    break;
                }
                default: fail("unknown escape");
            }
        }
    }

    std::string_view s_;
    std::size_t i_ = 0;
};

}  // namespace

bool Json::as_bool() const {
    if (auto p = std::get_if<bool>(&data_)) return *p;
    type_error("a boolean");
}
long long Json::as_integer() const {
    if (auto p = std::get_if<long long>(&data_)) return *p;
    type_error("an integer");
}
const std::string& Json::as_string() const {
    if (auto p = std::get_if<std::string>(&data_)) return *p;
    type_error("a string");
}
const Json::Array& Json::as_array() const {
    if (auto p = std::get_if<Array>(&data_)) return *p;
    type_error("an array");
}
Json::Array& Json::as_array() {
    if (auto p = std::get_if<Array>(&data_)) return *p;
    type_error("an array");
}
const Json::Object& Json::as_object() const {
    if (auto p = std::get_if<Object>(&data_)) return *p;
    type_error("an object");
}
Json::Object& Json::as_object() {
    if (auto p = std::get_if<Object>(&data_)) return *p;
    type_error("an object");
}

const Json* Json::find(std::string_view key) const {
    auto p = std::get_if<Object>(&data_);
    if (!p) return nullptr;
    for (const auto& [k, v] : *p)
        if (k == key) return &v;
    return nullptr;
}

const Json& Json::at(std::string_view key) const {
    if (!is_object()) type_error("an object");
    if (const Json* v = find(key)) return *v;
    throw JsonError("JSON object has no key \"" + std::string(key) + "\"", 0);
}

Json& Json::set(std::string key, Json value) {
    if (is_null()) data_ = Object{};
    auto& o = as_object();
    for (auto& [k, v] : o)
        if (k == key) return v = std::move(value);
    o.emplace_back(std::move(key), std::move(value));
    return o.back().second;
}

Json& Json::push(Json value) {
    if (is_null()) data_ = Array{};
    auto& a = as_array();
    a.push_back(std::move(value));
    return a.back();
}

std::string Json::dump(Layout layout) const {
    std::string out;
    write(*this, layout, 0, out);
    return out;
}

Json Json::parse(std::string_view text) { return Reader(text).document(); }

std::string quote(std::string_view s) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out = "\"";
    for (std::size_t i = 0; i < s.size();) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        switch (c) {
            case '"': out += "\\\""; ++i; continue;
            case '\\': out += "\\\\"; ++i; continue;
            case '\b': out += "\\b"; ++i; continue;
            case '\f': out += "\\f"; ++i; continue;
            case '\n': out += "\\n"; ++i; continue;
            case '\r': out += "\\r"; ++i; continue;
            case '\t': out += "\\t"; ++i; continue;
            default: break;
        }
        if (c < 0x20 || c == 0x7f) {
            out += "\\u00";
            out += hex[c >> 4];
            out += hex[c & 0xf];
            ++i;
            continue;
        }
        char32_t cp = 0;
        std::size_t n = util::decode_utf8(s, i, cp);
        if (n == 0) {
            out += "\\ufffd";
            ++i;
        } else if (cp >= 0x80) {
            // Exact but visible: a viewer of the JSON sees \u202e, not a reordered line, and \u0430, not a
            // Cyrillic a that looks like the ASCII one (the document is ASCII; its values are unchanged).
            auto unit = [&](unsigned u) {
                out += "\\u";
                for (int shift = 12; shift >= 0; shift -= 4) out += hex[(u >> shift) & 0xf];
            };
            if (cp < 0x10000) {
                unit(static_cast<unsigned>(cp));
            } else {
                unit(0xd800 + ((static_cast<unsigned>(cp) - 0x10000) >> 10));
                unit(0xdc00 + ((static_cast<unsigned>(cp) - 0x10000) & 0x3ff));
            }
            i += n;
        } else {
            out.append(s.substr(i, n));
            i += n;
        }
    }
    out += '"';
    return out;
}

}  // namespace nncert::report
