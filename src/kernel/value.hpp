// A small tree of exact values: the evidence a verdict carries (witnesses, certificate summaries).
// Reports turn it into JSON; nothing in it is a float.
#pragma once

#include "kernel/number.hpp"

#include <limits>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace nncert::kernel {

struct Value;
using List = std::vector<Value>;
using Object = std::vector<std::pair<std::string, Value>>;  // keeps insertion order

struct Value {
    std::variant<std::monostate, bool, long long, Rational, std::string, List, Object> data;

    Value() = default;
    Value(bool b) : data(b) {}
    Value(int i) : data(static_cast<long long>(i)) {}
    Value(long long i) : data(i) {}
    // A count too large for long long (never in practice) stays exact as a Rational instead of wrapping.
    Value(std::size_t i) {
        if (i <= static_cast<std::size_t>(std::numeric_limits<long long>::max())) data = static_cast<long long>(i);
        else data = Rational(Integer(i));
    }
    Value(Rational q) : data(std::move(q)) {}
    Value(std::string s) : data(std::move(s)) {}
    Value(const char* s) : data(std::string(s)) {}
    Value(List l) : data(std::move(l)) {}
    Value(Object o) : data(std::move(o)) {}

    bool is_null() const { return std::holds_alternative<std::monostate>(data); }
};

Value vector_value(const Vector& v);

}  // namespace nncert::kernel
