// A kernel Value (a verdict's evidence) as one line of text, every exact rational printed exactly: for tests that
// compare evidence bit for bit across runs (thread counts, round sizes).
#pragma once

#include "kernel/value.hpp"

#include <sstream>
#include <string>
#include <type_traits>
#include <variant>

namespace nncert::test {

inline std::string value_text(const kernel::Value& v) {
    using kernel::List;
    using kernel::Rational;
    std::ostringstream out;
    std::visit(
        [&out](const auto& x) {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, std::monostate>) out << "null";
            else if constexpr (std::is_same_v<T, bool>) out << (x ? "true" : "false");
            else if constexpr (std::is_same_v<T, long long>) out << x;
            else if constexpr (std::is_same_v<T, Rational>) out << x;
            else if constexpr (std::is_same_v<T, std::string>) out << '"' << x << '"';
            else if constexpr (std::is_same_v<T, List>) {
                out << '[';
                for (const kernel::Value& e : x) out << value_text(e) << ',';
                out << ']';
            } else {
                out << '{';
                for (const auto& [k, e] : x) out << k << ':' << value_text(e) << ',';
                out << '}';
            }
        },
        v.data);
    return out.str();
}

}  // namespace nncert::test
