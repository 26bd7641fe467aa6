// Plain-data helpers of regions: boundedness, cubes, validation, text.
// Exact rationals only; infinite ends are absent optionals, never sentinel numbers.
#include "kernel/region.hpp"

#include <stdexcept>

namespace nncert::kernel {

bool Region::bounded() const {
    for (const Range& r : box)
        if (!r.bounded()) return false;
    return true;
}

bool contains(const Box& b, const Vector& theta) {
    for (std::size_t k = 0; k < b.size(); ++k)
        if (!b[k].contains(theta[k])) return false;
    return true;
}

Box cube(const Vector& p, const Rational& r) {
    if (r < 0) throw std::invalid_argument("box radius must be >= 0");
    Box b;
    b.reserve(p.size());
    for (const Rational& c : p) b.push_back({Rational(c - r), Rational(c + r)});
    return b;
}

void validate_box(const Box& b, std::size_t num_params) {
    if (b.size() != num_params)
        throw std::invalid_argument("region has " + std::to_string(b.size()) + " ranges for " +
                                    std::to_string(num_params) + " parameters");
    for (const Range& r : b)
        if (r.lo && r.hi && *r.hi < *r.lo) throw std::invalid_argument("region range with lower end above upper end");
}

std::string to_string(const Range& r) {
    std::string s = "[";  // appended piece by piece: GCC 12 -Wrestrict false positive on "literal" + string
    s += r.lo ? to_string(*r.lo) : std::string("-inf");
    s += ", ";
    s += r.hi ? to_string(*r.hi) : std::string("inf");
    s += "]";
    return s;
}

}  // namespace nncert::kernel
