// Evidence shared by the interval checks: exact enclosure ends, the box and precision, the kink guard.
// Assumes a live PrecisionScope wherever an Interval is built.
#include "kernel/detail/mint.hpp"
#include "kernel/interval/checks.hpp"
#include "kernel/interval/enclose.hpp"
#include "kernel/limits.hpp"

namespace nncert::kernel::detail {

namespace {

// An endpoint for a report, rounded outward to the grid 2^-E (interval.hpp) so that it stays short: a
// lower end rounds down, an upper end up; beyond 2^E a lower end prints as 2^E or -inf, an upper end as
// -2^E or +inf. Every printed enclosure contains the computed one.
Value endpoint_value(mpfr_srcptr x, bool lower) {
    if (mpfr_nan_p(x)) return Value("nan");
    if (within_grid_range(x)) return Value(lower ? grid_floor(x) : grid_ceil(x));
    Rational bound(Integer(1) << limits::endpoint_exponent);
    if (lower) return mpfr_sgn(x) > 0 ? Value(bound) : Value("-inf");
    return mpfr_sgn(x) < 0 ? Value(Rational(-bound)) : Value("+inf");
}

}  // namespace

bool exact_problem(const Problem& pb) { return pb.is_exact(); }

Value enclosure_value(const Interval& x) {
    return Object{{"lower", endpoint_value(x.lo(), true)}, {"upper", endpoint_value(x.hi(), false)}};
}

Object box_evidence(const Point& p, const std::optional<Rational>& r, const Options& opt, std::string checked) {
    Object ev{{"checked", std::move(checked)}, {"point", p.name}};
    if (r) ev.emplace_back("radius", *r);
    ev.emplace_back("precision_bits", static_cast<long long>(opt.precision_bits));
    return ev;
}

std::optional<Verdict> straddle_guard(const Problem& pb, const Point& p, const Rational& r, const Options& opt,
                                      const std::string& method) {
    const std::vector<Kink> kinks = straddled_kinks(pb, box_around(p.params, r));
    if (kinks.empty()) return std::nullopt;
    Object ev = box_evidence(p, r, opt, "pre-activations of kinked units over the box");
    ev.emplace_back("kinks", kinks_value(pb, kinks));
    return Mint::inconclusive(
        method,
        "the box straddles a kink: " + std::to_string(kinks.size()) +
            " relu/leaky_relu input interval(s) contain 0, where the loss need not be differentiable, so no "
            "derivative certificate applies; shrink the radius or move the centre off the kink",
        Value(std::move(ev)));
}

}  // namespace nncert::kernel::detail
