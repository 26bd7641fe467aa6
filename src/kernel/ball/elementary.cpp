// exp(-x), tanh, sigmoid and 1/y as binary64 balls (elementary.hpp): argument reduction by exact subtractions
// (Sterbenz), a degree-8 polynomial of e^-r - 1 on [2^-20, 1/32) in plain binary64 with an a-priori error bound
// (the degree-12 Taylor polynomial in ball arithmetic below 2^-20), tables of e^-n, e^-i/32 and e^-i/32 - 1.
// Assumes rounding.hpp's model; the tables come from MPFI at 128 bits, outward rounded (docs/certificates.md).
#include "kernel/ball/elementary.hpp"

#include "kernel/ball/dinterval.hpp"
#include "kernel/interval/interval.hpp"

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace nncert::kernel::ball_elementary {

namespace {

using namespace ball_rounding;

constexpr int taylor_degree = 12;
// r^13 / 13! <= r * 8^-12 / 13! = r * 2.34e-21 <= r * 2^-68 for 0 <= r < 1/8 (checked in the tests).
constexpr double taylor_remainder_factor = 0x1p-68;
constexpr int table_end = 40;  // e^-x tabulated for x < 40; e^-40 = 4.25e-18 < 2^-57 beyond
constexpr double saturated = 0x1p-57;
constexpr int steps = 32;  // the table's step 1/32: x = j/32 + r, 0 <= r < 1/32
// The binary64 polynomial's range [fast_from, 1/32) and error bound: |p - (e^-r - 1)| <= r 2^-51 there
// (docs/certificates.md, "exp(-x), tanh, sigmoid at an exact double, in balls"). Below 2^-20 the ball Taylor
// polynomial (no underflow analysis needed).
constexpr double fast_from = 0x1p-20;
constexpr double fast_error_factor = 0x1p-51;
constexpr int fast_degree = 8;

Ball one() { return Ball::from_parts(1, 0); }

struct Tables {
    std::array<Ball, taylor_degree + 1> inverse_factorial;  // 1 / k!, k = 0..12
    std::array<Ball, steps * table_end> e_of_steps;         // e^-(j/32), j = 0..1279, as e^-n * e^-(i/32)
    std::array<Ball, steps> em1_of_steps;                   // e^-(i/32) - 1, i = 0..31 (relative accuracy)
    // (-1)^k / k! for k = 2..8 (index k): doubles within one ulp of the rationals (DInterval's lower ends).
    std::array<double, fast_degree + 1> poly{};
};

// e^-q (or e^-q - 1) for an exact rational q, enclosed by MPFI at 128 bits and rounded outward to a ball.
Ball exp_of_minus(const Rational& q, bool minus_one = false) {
    PrecisionScope scope(128);
    const Interval e = exp(Interval(-q));
    return Ball::from_interval(minus_one ? e - Interval(Rational(1)) : e);
}

const Tables& tables() {
    static const Tables t = [] {
        Tables r;
        Rational f = 1;
        for (int k = 0; k <= taylor_degree; ++k) {
            if (k > 0) f *= k;
            r.inverse_factorial[k] = Ball(1 / f);
            if (k >= 2 && k <= fast_degree) r.poly[k] = DInterval(Rational(k % 2 == 0 ? 1 : -1) / f).lo();
        }
        std::array<Ball, table_end> whole_part;
        std::array<Ball, steps> part;
        for (int n = 0; n < table_end; ++n) whole_part[n] = exp_of_minus(Rational(n));
        for (int i = 0; i < steps; ++i) {
            part[i] = exp_of_minus(Rational(i, steps));
            r.em1_of_steps[i] = exp_of_minus(Rational(i, steps), true);
        }
        for (int j = 0; j < steps * table_end; ++j) r.e_of_steps[j] = whole_part[j / steps] * part[j % steps];
        return r;
    }();
    return t;
}

// e^-r - 1 for an exact double 0 <= r < 1/8 (called for r < 2^-20 only, where expm1_neg_fast's error analysis would
// meet underflow): the Taylor polynomial sum_{k=1..12} (-r)^k / k! by Horner in balls, widened by the Lagrange
// remainder e^-xi r^13 / 13! <= r * 2^-68 (0 <= xi <= r).
Ball expm1_neg_small(double r, const Tables& t) {
    if (r == 0) return Ball();  // e^0 - 1 = 0 exactly
    const Ball u = Ball::from_parts(-r, 0);
    Ball q = t.inverse_factorial[taylor_degree];
    for (int k = taylor_degree - 1; k >= 1; --k) q = q * u + t.inverse_factorial[k];
    const Ball p = q * u;
    return Ball::from_parts(p.mid(), add_up(p.rad(), mul_up(r, taylor_remainder_factor)));
}

// e^-r - 1 for an exact double 2^-20 <= r < 1/32 in plain binary64: p = r^2 S(r) - r with S(r) = sum_{k=2..8}
// (-r)^(k-2) / k! by Horner, every intermediate a normal double, so each operation's error is at most 2^-52 of its
// result in any rounding direction (with or without FMA); the bound |p - (e^-r - 1)| <= r 2^-51 (rounding errors
// and the Lagrange remainder r^9 / 9!) is proved in docs/certificates.md.
Ball expm1_neg_fast(double r, const Tables& t) {
    double s = t.poly[fast_degree];
    for (int k = fast_degree - 1; k >= 2; --k) s = s * r + t.poly[k];
    const double p = (r * r) * s - r;
    return Ball::from_parts(p, mul_up(r, fast_error_factor));
}

}  // namespace

ExpNeg exp_neg(double x) {
    if (!(x >= 0)) return {Ball::whole(), Ball::whole()};
    if (!(x < table_end)) return {Ball::from_parts(0, saturated), Ball::from_parts(-1, saturated)};
    const Tables& t = tables();
    // x = j/32 + r with 0 <= r < 1/32, j = trunc(32 x) (32 x is an exact scaling, j < 1280 fits an int). The
    // subtraction is exact (Sterbenz: for j >= 1, j/32 <= x < (j + 1)/32 <= 2 j/32; for j = 0, r = x), so r is the
    // exact remainder in any rounding direction; j/32 is an exact scaling.
    const int j = static_cast<int>(x * steps);
    const double r = x - j * (1.0 / steps);
    const Ball em1_r = r == 0 ? Ball() : r >= fast_from ? expm1_neg_fast(r, t) : expm1_neg_small(r, t);
    if (j == 0) return {one() + em1_r, em1_r};
    const Ball e_j = t.e_of_steps[j];
    const Ball e = e_j * (one() + em1_r);
    // e^-x - 1 = (e^-j/32 - 1) + e^-j/32 (e^-r - 1): for j < 32 from the table of e^-i/32 - 1, which keeps its
    // relative accuracy (|e^-x - 1| >= 1/32 - 1/2048 there); from j = 32 on |e^-x - 1| > 0.6 and e - 1 loses nothing.
    if (j < steps) return {e, t.em1_of_steps[j] + e_j * em1_r};
    return {e, e - one()};
}

Ball reciprocal(const Ball& d) {
    if (!d.is_finite() || d.mid() == 0) return Ball::whole();
    const double q = 1 / d.mid();  // any nonzero double would do: the radius below is rigorous for every q
    if (!std::isfinite(q) || q == 0) return Ball::whole();
    // For y in d: e = 1 - q y lies in the ball E, |e| <= eps; then 1/y = q / (1 - e) and
    // |1/y - q| = |q| |e| / (1 - e) <= |q| eps (1 + 2 eps) for eps <= 1/2 (and y != 0, since q y = 1 - e > 0).
    const Ball err = one() - Ball::from_parts(q, 0) * d;
    const double eps = add_up(std::fabs(err.mid()), err.rad());
    if (!(eps <= 0.5)) return Ball::whole();
    const double growth = eps <= 0x1p-20 ? 1 + 0x1p-19 : 2.0;  // 1 + 2 eps, bounded above
    return Ball::from_parts(q, mul_up(mul_up(std::fabs(q), eps), growth));
}

Ball tanh_at(double z) {
    if (!std::isfinite(z)) return Ball::whole();
    // tanh(a) = (1 - e^-2a) / (1 + e^-2a) = -m / (2 + m), m = e^-2a - 1, a = |z|; 2a is exact (or overflows to
    // inf or DBL_MAX, both in the saturated range). tanh is odd.
    const Ball m = exp_neg(2 * std::fabs(z)).em1;
    const Ball t = -m * reciprocal(Ball::from_parts(2, 0) + m);
    return z < 0 ? -t : t;
}

Ball sigmoid_at(double z) {
    if (!std::isfinite(z)) return Ball::whole();
    // sigmoid(a) = 1 / (1 + e^-a), sigmoid(-a) = e^-a / (1 + e^-a), a = |z|.
    const ExpNeg en = exp_neg(std::fabs(z));
    const Ball inv = reciprocal(one() + en.e);
    return z < 0 ? en.e * inv : inv;
}

namespace {

// f, f', f'' at an exact double t, as balls. With a = |t|, e = e^-a and m = e^-a - 1 (exp_neg):
// sigmoid(a) = 1 / (1 + e), sigmoid(-a) = e / (1 + e), sigmoid'(+-a) = sigmoid(a) sigmoid(-a) (even),
// sigmoid''(a) = sigmoid'(a) (1 - 2 sigmoid(a)) = sigmoid'(a) m / (1 + e) (odd). With e = e^-2a, m = e^-2a - 1:
// tanh(a) = -m / (2 + m) (odd), tanh'(+-a) = 4 e / (2 + m)^2 = 1 / cosh^2 a (even), tanh''(a) = -2 tanh(a) tanh'(a)
// (odd). No difference of nearly equal numbers (1 - s, 1 - t^2), so every ball keeps its relative accuracy while
// a is below the saturated range.
struct Derivatives {
    Ball f[3];
};

Derivatives sigmoid_derivatives(double t) {
    const ExpNeg en = exp_neg(std::fabs(t));
    const Ball pos = reciprocal(one() + en.e);  // sigmoid(a)
    const Ball neg = en.e * pos;                // sigmoid(-a)
    const Ball d1 = pos * neg;
    const Ball d2 = d1 * (en.em1 * pos);  // sigmoid''(a)
    return t < 0 ? Derivatives{{neg, d1, -d2}} : Derivatives{{pos, d1, d2}};
}

Derivatives tanh_derivatives(double t) {
    const ExpNeg en = exp_neg(2 * std::fabs(t));                 // 2a: an exact doubling
    const Ball r = reciprocal(Ball::from_parts(2, 0) + en.em1);  // 1 / (1 + e^-2a)
    const Ball th = -en.em1 * r;                                 // tanh(a)
    const Ball d1 = Ball::from_parts(4, 0) * en.e * (r * r);
    const Ball d2 = Ball::from_parts(-2, 0) * th * d1;  // tanh''(a)
    return t < 0 ? Derivatives{{-th, d1, -d2}} : Derivatives{{th, d1, d2}};
}

// The second derivative's interior extrema: the third derivative sigmoid' (1 - 6 sigmoid') vanishes where
// sigmoid' = 1/6, at t = -c (the maximum sqrt(3)/18) and t = +c (the minimum -sqrt(3)/18), c = ln(2 + sqrt 3) =
// 1.31696; tanh(t) = 2 sigmoid(2t) - 1 puts tanh's at +-c/2 = +-0.658479 with extrema +-4 sqrt(3)/9 (tanh'' =
// 8 sigmoid''(2t)). sigmoid'' increases on (-inf, -c], decreases on [-c, c], increases on [c, inf) (tanh'' likewise
// with c/2). Here c_in < c < c_out and top >= the maximum; the constants are checked once per process: the tops
// exactly in rationals ((18 top)^2 > 3, (9 top / 4)^2 > 3), the c's by MPFI at 128 bits (c_in < ln(2 + sqrt 3)
// iff (e^c_in - 2)^2 < 3 with e^c_in > 2; c < atanh(1/sqrt 3) iff 3 tanh^2(c) < 1), so a wrong constant stops the
// check with a logic error instead of giving a wrong enclosure.
struct Extrema {
    double c_in, c_out, top;
};
constexpr Extrema sigmoid_extrema{1.3169, 1.3170, 0.09622504486494};
constexpr Extrema tanh_extrema{0.6584, 0.6585, 0.769800358919502};

bool extrema_checked() {
    PrecisionScope scope(128);
    const Interval two(Rational(2)), three(Rational(3));
    const auto ln_side = [&](double c, bool below) {  // c < ln(2 + sqrt 3) (below) or c > ln(2 + sqrt 3)
        const Interval x = exp(Interval(exact_double(c))) - two;
        return certainly_positive(x) && (below ? certainly_less(sqr(x), three) : certainly_less(three, sqr(x)));
    };
    const auto tanh_side = [&](double c, bool below) {  // c < atanh(1/sqrt 3) (below) or c > atanh(1/sqrt 3)
        const Interval y = three * sqr(tanh(Interval(exact_double(c))));
        return below ? certainly_less(y, Rational(1)) : certainly_greater(y, Rational(1));
    };
    const Rational s_top = 18 * exact_double(sigmoid_extrema.top);
    const Rational t_top = 9 * exact_double(tanh_extrema.top) / 4;
    return ln_side(sigmoid_extrema.c_in, true) && ln_side(sigmoid_extrema.c_out, false) &&
           tanh_side(tanh_extrema.c_in, true) && tanh_side(tanh_extrema.c_out, false) && s_top * s_top > 3 &&
           t_top * t_top > 3;
}

// f, f', f'' at t, remembered: the forward pass asks for f and the Hessian's preparation for f' and f'' at the
// same interval ends, so each end's exponential is computed once instead of three times. A direct-mapped table
// keyed by the kind and the exact bits of t, per thread; an entry holds exactly what the call computed (the
// enclosures hold in every rounding direction, so a remembered one stays valid).
Derivatives derivatives_at(bool sigmoid, double t) {
    struct Entry {
        std::uint64_t key = 0;
        bool used = false, sigmoid = false;
        Derivatives value;
    };
    constexpr std::size_t size = 256;
    thread_local std::array<Entry, size> table;
    std::uint64_t bits;
    std::memcpy(&bits, &t, sizeof bits);
    const std::size_t slot = static_cast<std::size_t>((bits * 0x9E3779B97F4A7C15ull) >> 56) ^ (sigmoid ? 1u : 0u);
    Entry& e = table[slot % size];
    if (e.used && e.key == bits && e.sigmoid == sigmoid) return e.value;
    e.value = sigmoid ? sigmoid_derivatives(t) : tanh_derivatives(t);
    e.key = bits;
    e.sigmoid = sigmoid;
    e.used = true;
    return e.value;
}

}  // namespace

std::optional<DerivativeRange> derivative_range(ActivationKind kind, double lo, double hi, int order) {
    const bool sigmoid = kind == ActivationKind::sigmoid;
    if (!sigmoid && kind != ActivationKind::tanh) return std::nullopt;
    const double limit = sigmoid ? 36 : 18;  // a = |t| (2a for tanh) below exp_neg's saturation at 40
    // An end is finite and unsaturated, or infinite (-inf for lo, +inf for hi).
    const auto usable = [limit](double t, double infinite) { return std::fabs(t) <= limit || t == infinite; };
    const double inf = std::numeric_limits<double>::infinity();
    if (order < 0 || order > 2 || !(lo <= hi) || !usable(lo, -inf) || !usable(hi, inf)) return std::nullopt;
    static const bool checked = extrema_checked();
    if (!checked) throw std::logic_error("wrong constants for the extrema of sigmoid'' or tanh''");
    // At an infinite end the limit, exactly: f(-+inf) = 0, 1 (sigmoid), -+1 (tanh); f'(+-inf) = f''(+-inf) = 0.
    const auto at = [&](double t) {
        if (std::isinf(t)) return Ball::from_parts(order > 0 ? 0.0 : t > 0 ? 1.0 : sigmoid ? 0.0 : -1.0, 0);
        return derivatives_at(sigmoid, t).f[order];
    };
    DerivativeRange r;
    r.at_lo = at(lo);
    r.at_hi = at(hi);
    if (order == 1 && lo < 0 && hi > 0) r.extra[r.n_extra++] = sigmoid ? 0.25 : 1;  // f' peaks at 0 (1/4, 1)
    if (order == 2) {
        const Extrema& x = sigmoid ? sigmoid_extrema : tanh_extrema;
        // -c is in [lo, hi] unless lo > -c_in or hi < -c_out (then it is not); +c likewise.
        if (lo <= -x.c_in && hi >= -x.c_out) r.extra[r.n_extra++] = x.top;
        if (lo <= x.c_out && hi >= x.c_in) r.extra[r.n_extra++] = -x.top;
    }
    return r;
}

}  // namespace nncert::kernel::ball_elementary
