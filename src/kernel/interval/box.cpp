// Exact boxes to intervals, split points and sample points. Infinite ends enter MPFI as MPFR infinities;
// finite ends are rounded outward, so the enclosure always contains the exact box.
#include "kernel/interval/box.hpp"

#include <stdexcept>

namespace nncert::kernel {

Interval enclose(const Range& r) {
    if (r.lo && r.hi) return Interval::hull(*r.lo, *r.hi);
    Interval lo_part = r.lo ? Interval(*r.lo) : Interval();
    Interval hi_part = r.hi ? Interval(*r.hi) : Interval();
    Interval out;
    mpfr_t lo, hi;
    mpfr_init2(lo, PrecisionScope::current());
    mpfr_init2(hi, PrecisionScope::current());
    if (r.lo) mpfr_set(lo, lo_part.lo(), MPFR_RNDD);
    else mpfr_set_inf(lo, -1);
    if (r.hi) mpfr_set(hi, hi_part.hi(), MPFR_RNDU);
    else mpfr_set_inf(hi, 1);
    mpfi_interv_fr(out.raw(), lo, hi);
    mpfr_clear(lo);
    mpfr_clear(hi);
    return out;
}

IVector enclose(const Box& b) {
    IVector out;
    out.reserve(b.size());
    for (const Range& r : b) out.push_back(enclose(r));
    return out;
}

LowerBound LowerBound::of(const Interval& x) {
    if (x.is_nan() || !mpfr_number_p(x.lo())) return {};
    return {exact_rational(x.lo())};
}

bool lower_than(const LowerBound& a, const LowerBound& b) {
    if (!a.value) return b.value.has_value();
    return b.value && *a.value < *b.value;
}

const LowerBound& lowest(const LowerBound& a, const LowerBound& b) { return lower_than(b, a) ? b : a; }

namespace {

Rational max_one_abs(const Rational& a) {
    const Rational m = abs(a);
    return m < 1 ? Rational(1) : m;
}

// A dyadic rational in the middle half of (a, b), a < b, with as few bits as the width allows: keeps the
// ends of deep boxes short, so their conversion to MPFR stays exact and cheap.
Rational short_middle(const Rational& a, const Rational& b) {
    const Rational q = (b - a) / 4, mid = (a + b) / 2;
    // step = the largest power of two <= q = n/d: with e = msb(n) - msb(d), 2^(e-1) < q < 2^(e+1).
    const long e = static_cast<long>(msb(numerator(q))) - static_cast<long>(msb(denominator(q)));
    const auto power_of_two = [](long k) {
        return k >= 0 ? Rational(Integer(1) << k) : Rational(Integer(1), Integer(1) << -k);
    };
    Rational step = power_of_two(e);
    if (step > q) step = power_of_two(e - 1);
    const Rational s = mid / step;
    Integer k = numerator(s) / denominator(s);  // truncation toward 0: |k step - mid| < step <= w / 4
    const Rational m = Rational(k) * step;
    return (a < m && m < b) ? m : mid;
}

}  // namespace

Rational split_point(const Range& r) {
    if (r.degenerate()) throw std::logic_error("split of a degenerate range");
    if (r.lo && r.hi) return short_middle(*r.lo, *r.hi);
    if (r.lo) return *r.lo + max_one_abs(*r.lo);
    if (r.hi) return *r.hi - max_one_abs(*r.hi);
    return Rational(0);
}

Rational sample(const Range& r) { return r.degenerate() ? *r.lo : split_point(r); }

Vector sample(const Box& b) {
    Vector v;
    v.reserve(b.size());
    for (const Range& r : b) v.push_back(sample(r));
    return v;
}

IVector centre_box(const Box& b) {
    IVector out;
    out.reserve(b.size());
    for (const Range& r : b) out.push_back(r.bounded() ? Interval(sample(r)) : enclose(r));
    return out;
}

std::optional<Rational> width(const Range& r) {
    if (!r.bounded()) return std::nullopt;
    return Rational(*r.hi - *r.lo);
}

}  // namespace nncert::kernel
