// Canonical text of exact values.
#include "kernel/number.hpp"

namespace nncert::kernel {

std::string to_string(const Rational& q) { return q.str(); }

}  // namespace nncert::kernel
