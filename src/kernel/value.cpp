// Conversions into the evidence tree.
#include "kernel/value.hpp"

namespace nncert::kernel {

Value vector_value(const Vector& v) {
    List out;
    out.reserve(v.size());
    for (const Rational& q : v) out.emplace_back(q);
    return Value(std::move(out));
}

}  // namespace nncert::kernel
