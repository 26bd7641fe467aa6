// Depth-first bisection of [0, 1] (see subdivision.hpp). Only rational dyadic ends are produced, so every
// sub-segment a certificate names is exact.
#include "kernel/interval/subdivision.hpp"

namespace nncert::kernel {

SubdivisionResult subdivide_unit_interval(const std::function<SubDecision(const Rational&, const Rational&)>& test,
                                          std::size_t budget, const Rational& min_width) {
    SubdivisionResult out;
    std::vector<std::pair<Rational, Rational>> todo{{Rational(0), Rational(1)}};  // a stack, leftmost last
    while (!todo.empty()) {
        auto [t0, t1] = todo.back();
        todo.pop_back();
        if (out.tested >= budget) {
            out.undecided.emplace_back(t0, t1);
            continue;
        }
        ++out.tested;
        switch (test(t0, t1)) {
            case SubDecision::holds: break;
            case SubDecision::fails:
                out.failing = std::make_pair(t0, t1);
                return out;
            case SubDecision::split:
                if (t1 - t0 < min_width) {
                    out.undecided.emplace_back(t0, t1);
                } else {
                    const Rational m = (t0 + t1) / 2;
                    todo.emplace_back(m, t1);
                    todo.emplace_back(t0, m);
                }
                break;
        }
    }
    out.all_hold = out.undecided.empty();
    return out;
}

}  // namespace nncert::kernel
