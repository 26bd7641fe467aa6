// local_min P: (possibly non-strict) local minimality, trying each sound method in turn.
// Methods: zero loss (global), second order at kink-free points. Anything else is inconclusive.
#include "kernel/definiteness.hpp"
#include "kernel/descent.hpp"
#include "kernel/detail/checks.hpp"
#include "kernel/detail/mint.hpp"

namespace nncert::kernel::detail {

Verdict check_local_min(const Problem& pb, const Point& p, const Options&) {
    // A sum of squares is never negative, so loss 0 is a global minimum.
    if (is_zero(loss(pb, p.params)))
        return Mint::certified("zero-loss", Object{{"loss", Rational(0)}, {"global", true}});
    if (!find_kinks(pb, p.params).empty())
        return *kink_guard(pb, p, "local-min");
    // Kink-free: near P the loss is a polynomial; the second-order conditions decide most cases.
    Verdict v = check_strict_local_min(pb, p);
    if (v.outcome() == Outcome::certified)
        return Mint::certified("second-order", Object{{"strict", true}, {"second_order", v.evidence()}});
    if (v.outcome() == Outcome::refuted) return Mint::refuted("second-order", v.evidence());
    return Mint::inconclusive("local-min", v.reason(), v.evidence());
}

}  // namespace nncert::kernel::detail
