// Halving search for an exact descent step along a given direction.
#include "kernel/descent.hpp"

namespace nncert::kernel {

std::optional<DescentStep> find_descent_step(const Problem& pb, const Vector& p, const Vector& d,
                                             int max_halvings) {
    const Rational base = loss(pb, p);
    Rational t = 1;
    Vector q(p.size());
    for (int k = 0; k <= max_halvings; ++k, t /= 2) {
        for (std::size_t i = 0; i < p.size(); ++i) q[i] = p[i] + t * d[i];
        const Rational l = loss(pb, q);
        if (l < base) return DescentStep{t, base, l};
    }
    return std::nullopt;
}

Value descent_value(const DescentStep& s) {
    return Object{{"step", s.t}, {"loss_at_point", s.loss_before}, {"loss_at_point_plus_step", s.loss_after}};
}

}  // namespace nncert::kernel
