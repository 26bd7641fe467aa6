// A tiny JSON value (null, bool, integer, string, array, insertion-ordered object) with a writer and a reader.
// Deliberately no floating-point numbers: exact values travel as strings "p/q", so nothing can round them.
#pragma once

#include <concepts>
#include <limits>
#include <type_traits>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace nncert::report {

struct JsonError : std::runtime_error {
    std::size_t offset = 0;  // byte offset in the parsed text
    JsonError(const std::string& what, std::size_t at) : std::runtime_error(what), offset(at) {}
};

// compact: {"a":1,"b":[1,2]}   line: {"a": 1, "b": [1, 2]}   pretty: indented by two spaces, one item a line.
enum class Layout { compact, line, pretty };

class Json {
public:
    using Array = std::vector<Json>;
    using Object = std::vector<std::pair<std::string, Json>>;  // insertion order is kept and written

    Json() = default;
    Json(std::nullptr_t) {}
    Json(bool b) : data_(b) {}
    template <std::integral T>
        requires(!std::same_as<T, bool>)
    Json(T i) {  // an unsigned value above LLONG_MAX is written as its decimal string, never wrapped negative
        if constexpr (std::is_unsigned_v<T>) {
            if (i > static_cast<std::make_unsigned_t<long long>>(std::numeric_limits<long long>::max())) {
                data_ = std::to_string(i);
                return;
            }
        }
        data_ = static_cast<long long>(i);
    }
    Json(std::string s) : data_(std::move(s)) {}
    Json(std::string_view s) : data_(std::string(s)) {}
    Json(const char* s) : data_(std::string(s)) {}
    Json(Array a) : data_(std::move(a)) {}
    Json(Object o) : data_(std::move(o)) {}

    bool is_null() const { return std::holds_alternative<std::monostate>(data_); }
    bool is_bool() const { return std::holds_alternative<bool>(data_); }
    bool is_integer() const { return std::holds_alternative<long long>(data_); }
    bool is_string() const { return std::holds_alternative<std::string>(data_); }
    bool is_array() const { return std::holds_alternative<Array>(data_); }
    bool is_object() const { return std::holds_alternative<Object>(data_); }

    // Typed access; each throws JsonError when the value has another type.
    bool as_bool() const;
    long long as_integer() const;
    const std::string& as_string() const;
    const Array& as_array() const;
    Array& as_array();
    const Object& as_object() const;
    Object& as_object();

    // Object lookup: nullptr when absent (or when this is not an object).
    const Json* find(std::string_view key) const;
    // Object lookup that throws JsonError when the key is absent.
    const Json& at(std::string_view key) const;
    // Object: replace the value under key, or append it (a null value becomes an empty object first).
    Json& set(std::string key, Json value);
    // Array: append (a null value becomes an empty array first).
    Json& push(Json value);

    std::string dump(Layout layout = Layout::pretty) const;
    // Parses one JSON text (surrounding whitespace allowed). Rejects fractions and exponents:
    // this reader only needs to read back what the writer produces.
    static Json parse(std::string_view text);

    friend bool operator==(const Json&, const Json&) = default;

private:
    std::variant<std::monostate, bool, long long, std::string, Array, Object> data_;
};

// The JSON string literal for s, quotes included. Control characters and every non-ASCII character
// (line and paragraph separators, bidi controls, invisible characters, and letters such as a Cyrillic a that
// look like ASCII ones) are written as \uXXXX escapes: the value is unchanged, a viewer of the JSON sees
// which characters a name has, and the document is plain ASCII. A byte that is not part of valid UTF-8
// becomes U+FFFD so the output is always valid JSON (reports carry such names' bytes in `file_bytes`).
std::string quote(std::string_view s);

}  // namespace nncert::report
