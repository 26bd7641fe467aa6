// Ball conversions (through MPFR, never through libm or a cast), exact predicates, activations.
// Assumes rounding.hpp's model for the arithmetic; MPFR/MPFI do their own (software) directed rounding.
#include "kernel/ball/ball.hpp"
#include "kernel/ball/elementary.hpp"
#include "kernel/ball/rational_memo.hpp"

#include "kernel/activation.hpp"
#include "kernel/interval/activation.hpp"
#include "kernel/interval/interval.hpp"

#include <mpfr.h>

#include <stdexcept>

#if defined(__x86_64__) || defined(__SSE2__)
#include <xmmintrin.h>
#endif

namespace nncert::kernel {

namespace ball_rounding {

bool ieee_environment() {
#if defined(__x86_64__) || defined(__SSE2__)
    const unsigned csr = _mm_getcsr();
    const unsigned ftz = 1u << 15, daz = 1u << 6;
    return (csr & (ftz | daz)) == 0;
#else
    return true;
#endif
}

}  // namespace ball_rounding

namespace {

using namespace ball_rounding;

Rational exact(double d) { return exact_double(d); }

// A self-cleaning mpfr_t of `bits` precision with the full default exponent range.
struct Fr {
    mpfr_t v;
    explicit Fr(mpfr_prec_t bits) { mpfr_init2(v, bits); }
    ~Fr() { mpfr_clear(v); }
    Fr(const Fr&) = delete;
    Fr& operator=(const Fr&) = delete;
};

// <m, r> with m the double nearest x (an MPFR number) and r >= |x - m|, rounded up; whole line when x is
// not finite or beyond the double range.
Ball ball_of(mpfr_srcptr x, double extra_rad) {
    if (!mpfr_number_p(x)) return Ball::whole();
    const double m = mpfr_get_d(x, MPFR_RNDN);
    if (!std::isfinite(m) || std::fabs(m) >= max_finite) return Ball::whole();
    Fr diff(64);
    mpfr_sub_d(diff.v, x, m, MPFR_RNDA);  // |x - m| rounded away from zero
    const double d = mpfr_get_d(diff.v, MPFR_RNDA);
    return Ball::from_parts(m, add_up(std::fabs(d), extra_rad));
}

}  // namespace

Ball::Ball(const Rational& q) {
    // Dyadic fast path (weights k/8, inputs j/4, small integers): q = n / 2^e with |n| < 2^53 and e <= 1000 is
    // exactly the double n * 2^-e (n has at most 53 significant bits and |q| >= 2^-1000 is no subnormal), so
    // the ball is the exact point. mpz_get_d is exact for |n| < 2^53 and ldexp is exact for a normal result.
    const __mpz_struct* num = mpq_numref(q.backend().data());
    const __mpz_struct* den = mpq_denref(q.backend().data());
    if (mpz_sizeinbase(num, 2) <= 53) {
        const std::size_t den_bits = mpz_sizeinbase(den, 2);
        if (den_bits <= 1001 && mpz_scan1(den, 0) == den_bits - 1) {  // den = 2^(den_bits - 1)
            mid_ = std::ldexp(mpz_get_d(num), -static_cast<int>(den_bits - 1));
            rad_ = 0;
            return;
        }
    }
    // The nearest double and its radius, remembered for small q (rational_memo.hpp: data and box ends are converted
    // again at every box of a search).
    struct Tag {};
    const auto parts = detail::remembered_conversion<Tag>(q, [](const Rational& v) {
        Fr x(53);
        const int t = mpfr_set_q(x.v, v.backend().data(), MPFR_RNDN);
        const double m = mpfr_get_d(x.v, MPFR_RNDN);
        if (!std::isfinite(m) || std::fabs(m) >= max_finite) return std::pair<double, double>{m, inf};  // whole
        // Exact when MPFR said so and the double is the same number (not a subnormal rounding of it).
        if (t == 0 && mpfr_cmp_d(x.v, m) == 0) return std::pair<double, double>{m, 0};
        // |q - m| <= half a 53-bit gap of x plus the double's own rounding of x: at most ulp(m) (also for
        // subnormal m, whose gap 2^-1074 exceeds both together).
        return std::pair<double, double>{m, ulp(m)};
    });
    if (parts.second == inf) {
        *this = whole();
        return;
    }
    mid_ = parts.first;
    rad_ = parts.second;
}

Ball Ball::hull(const Rational& lo, const Rational& hi) {
    if (hi < lo) throw std::invalid_argument("ball with lower end above upper end");
    Fr l(64), h(64);
    mpfr_set_q(l.v, lo.backend().data(), MPFR_RNDD);
    mpfr_set_q(h.v, hi.backend().data(), MPFR_RNDU);
    Fr c(128);
    mpfr_add(c.v, l.v, h.v, MPFR_RNDN);  // any centre is sound: the distances below are rounded up
    mpfr_div_2ui(c.v, c.v, 1, MPFR_RNDN);
    const double m = mpfr_get_d(c.v, MPFR_RNDN);
    if (!std::isfinite(m) || std::fabs(m) >= max_finite) return whole();
    Fr d1(64), d2(64);
    mpfr_d_sub(d1.v, m, l.v, MPFR_RNDU);  // m - lo, rounded up
    mpfr_sub_d(d2.v, h.v, m, MPFR_RNDU);  // hi - m, rounded up
    const double r = std::fmax(mpfr_get_d(d1.v, MPFR_RNDU), mpfr_get_d(d2.v, MPFR_RNDU));
    return from_parts(m, r < 0 ? 0 : r);
}

Ball Ball::from_interval(const Interval& x) {
    if (!x.is_bounded()) return whole();
    Fr c(x.precision() + 2);
    mpfr_add(c.v, x.lo(), x.hi(), MPFR_RNDN);
    mpfr_div_2ui(c.v, c.v, 1, MPFR_RNDN);
    const double m = mpfr_get_d(c.v, MPFR_RNDN);
    if (!std::isfinite(m) || std::fabs(m) >= max_finite) return whole();
    Fr d1(64), d2(64);
    mpfr_d_sub(d1.v, m, x.lo(), MPFR_RNDU);
    mpfr_sub_d(d2.v, x.hi(), m, MPFR_RNDU);
    const double r = std::fmax(mpfr_get_d(d1.v, MPFR_RNDU), mpfr_get_d(d2.v, MPFR_RNDU));
    return from_parts(m, r < 0 ? 0 : r);
}

Interval to_interval(const Ball& b) {
    Interval r;
    if (!b.is_finite()) {
        mpfr_set_inf(&r.raw()->left, -1);
        mpfr_set_inf(&r.raw()->right, 1);
        return r;
    }
    mpfr_set_d(&r.raw()->left, b.mid(), MPFR_RNDD);
    mpfr_sub_d(&r.raw()->left, &r.raw()->left, b.rad(), MPFR_RNDD);
    mpfr_set_d(&r.raw()->right, b.mid(), MPFR_RNDU);
    mpfr_add_d(&r.raw()->right, &r.raw()->right, b.rad(), MPFR_RNDU);
    return r;
}

Rational exact_double(double d) {
    if (!std::isfinite(d)) throw std::domain_error("an exact value of a non-finite double was asked for");
    Rational r;
    mpq_set_d(r.backend().data(), d);  // exact for every finite double
    return r;
}

Rational Ball::lower() const {
    if (!is_finite()) throw std::domain_error("the ball is the whole line");
    return exact(mid_) - exact(rad_);
}
Rational Ball::upper() const {
    if (!is_finite()) throw std::domain_error("the ball is the whole line");
    return exact(mid_) + exact(rad_);
}

Rational midpoint(const Ball& x) {
    if (!x.is_finite()) throw std::domain_error("midpoint of the whole line");
    return exact(x.mid());
}
Rational magnitude(const Ball& x) {
    if (!x.is_finite()) throw std::domain_error("magnitude of the whole line");
    return exact(std::fabs(x.mid())) + exact(x.rad());
}

// Comparisons of doubles are exact; lower/upper ends are compared exactly as rationals where they would
// need an addition.
bool certainly_positive(const Ball& x) { return x.is_finite() && x.mid() > x.rad(); }
bool certainly_negative(const Ball& x) { return x.is_finite() && -x.mid() > x.rad(); }
bool certainly_less(const Ball& a, const Ball& b) {
    return a.is_finite() && b.is_finite() && a.upper() < b.lower();
}
bool certainly_less(const Ball& a, const Rational& q) { return a.is_finite() && a.upper() < q; }
bool certainly_greater(const Ball& a, const Rational& q) { return a.is_finite() && a.lower() > q; }
bool certainly_at_most(const Ball& a, const Rational& q) { return a.is_finite() && a.upper() <= q; }
bool certainly_at_least(const Ball& a, const Rational& q) { return a.is_finite() && a.lower() >= q; }
bool contains(const Ball& a, const Rational& q) { return !a.is_finite() || (a.lower() <= q && q <= a.upper()); }
bool contains_zero(const Ball& a) { return !a.is_finite() || std::fabs(a.mid()) <= a.rad(); }
bool subset_of(const Ball& a, const Rational& lo, const Rational& hi) {
    return certainly_at_least(a, lo) && certainly_at_most(a, hi);
}
bool subset_of_interior(const Ball& a, const Rational& lo, const Rational& hi) {
    return certainly_greater(a, lo) && certainly_less(a, hi);
}
bool disjoint_from(const Ball& a, const Rational& lo, const Rational& hi) {
    return certainly_less(a, lo) || certainly_greater(a, hi);
}

namespace {

// Apply an MPFI function at 64 bits to the ball, and come back.
template <class F>
Ball through_interval(F f, const Ball& x) {
    if (!x.is_finite()) return Ball::whole();
    PrecisionScope scope(64);
    return Ball::from_interval(f(to_interval(x)));
}

}  // namespace

Ball exp(const Ball& x) {
    return through_interval([](const Interval& i) { return exp(i); }, x);
}
Ball log1p(const Ball& x) {
    return through_interval([](const Interval& i) { return log1p(i); }, x);
}
Ball operator/(const Ball& a, const Ball& b) {
    if (!a.is_finite() || !b.is_finite() || contains_zero(b)) return Ball::whole();
    PrecisionScope scope(64);
    return Ball::from_interval(to_interval(a) / to_interval(b));
}
Ball hull(const Ball& a, const Ball& b) {
    if (!a.is_finite() || !b.is_finite()) return Ball::whole();
    const Rational lo = std::min(a.lower(), b.lower()), hi = std::max(a.upper(), b.upper());
    return Ball::hull(lo, hi);
}

namespace {

// Bounds over the whole real line of |f^(k)| for k = 0..4 of the smooth units, rounded up to short dyadics
// (true maxima, checked numerically in the tests: tanh 1, 1, 0.770, 2, 4.09; sigmoid 1, 0.25, 0.0962, 0.125,
// 0.1277; softplus is sigmoid one order down). Used to widen the value at mid to the whole ball:
// |f(x) - f(mid)| <= rad * sup |f'|.
}  // namespace

double smooth_derivative_bound(ActivationKind k, int order) {
    static const double tanh_b[] = {1, 1, 0.78125, 2, 4.125}, sigmoid_b[] = {1, 0.25, 0.09765625, 0.125, 0.1328125},
                        softplus_b[] = {1, 1, 0.25, 0.09765625, 0.125};
    if (order < 0 || order > 4 || (k == ActivationKind::softplus && order == 0))
        throw std::logic_error("no bound of this derivative over the whole line");
    switch (k) {
        case ActivationKind::tanh: return tanh_b[order];
        case ActivationKind::sigmoid: return sigmoid_b[order];
        case ActivationKind::softplus: return softplus_b[order];
        default: throw std::logic_error("no derivative bound for this activation");
    }
}

// The memo of activation_value_at (ball.hpp): a direct-mapped per-thread table; the cached ball is the same
// deterministic enclosure, so reuse changes no result.
Ball activation_value_at(ActivationKind k, double z) {
    if (k != ActivationKind::sigmoid && k != ActivationKind::tanh)
        throw std::invalid_argument("activation_value_at: sigmoid or tanh only");
    struct Entry {
        double z;
        int kind = -1;
        Ball value;
    };
    static thread_local Entry cache[1024];
    std::uint64_t bits;
    std::memcpy(&bits, &z, sizeof bits);
    Entry& e = cache[(bits ^ (bits >> 29) ^ (bits >> 47) ^ static_cast<std::uint64_t>(k)) & 1023];
    if (e.kind == static_cast<int>(k) && std::memcmp(&e.z, &z, sizeof z) == 0) return e.value;
    const Ball b = k == ActivationKind::tanh ? ball_elementary::tanh_at(z) : ball_elementary::sigmoid_at(z);
    e.z = z;
    e.kind = static_cast<int>(k);
    e.value = b;
    return b;
}

namespace {

double derivative_bound(ActivationKind k, int order) { return smooth_derivative_bound(k, order); }

// The order-th derivative of a smooth unit at the exact double z, as a ball: ball algebra on activation_value_at.
Ball smooth_at(ActivationKind k, double z, int order) {
    // Small integer constants as exact points (no conversion from Rational on this per-unit path).
    const Ball one = Ball::from_parts(1, 0), minus_two = Ball::from_parts(-2, 0), two = Ball::from_parts(2, 0),
               three = Ball::from_parts(3, 0), six = Ball::from_parts(6, 0);
    switch (k) {
        case ActivationKind::tanh: {
            const Ball t = activation_value_at(k, z);
            if (order == 0) return t;
            const Ball d1 = one - t * t;  // tanh' = 1 - tanh^2
            if (order == 1) return d1;
            if (order == 2) return minus_two * t * d1;  // tanh'' = -2 tanh tanh'
            return minus_two * d1 * (one - three * t * t);  // tanh''' = -2 tanh' (1 - 3 tanh^2)
        }
        case ActivationKind::sigmoid:
        case ActivationKind::softplus: {
            const Ball s = activation_value_at(k == ActivationKind::softplus ? ActivationKind::sigmoid : k, z);
            const Ball s1 = s * (one - s);          // sigmoid'
            const Ball s2 = s1 * (one - two * s);   // sigmoid''
            const Ball s3 = s1 * (one - six * s1);  // sigmoid'''
            if (k == ActivationKind::sigmoid) {
                const Ball seq[] = {s, s1, s2, s3};
                return seq[order];
            }
            if (order == 0) {  // softplus(z) = log1p(exp(z))
                Fr x(64), y(64);
                mpfr_set_d(x.v, z, MPFR_RNDN);
                mpfr_exp(y.v, x.v, MPFR_RNDN);
                mpfr_log1p(y.v, y.v, MPFR_RNDN);
                const Ball v = ball_of(y.v, 0);
                return Ball::from_parts(v.mid(), add_up(v.rad(), 4 * ulp(v.mid())));
            }
            const Ball seq[] = {s, s1, s2};
            return seq[order - 1];
        }
        default: throw std::logic_error("not a smooth activation");
    }
}

Ball kinked(const Ball& z, const Rational& neg, int order) {
    if (order == 0) {
        if (certainly_positive(z)) return z;
        if (certainly_negative(z)) return Ball(neg) * z;
        if (!z.is_finite()) return Ball::whole();
        // Continuous at 0: the image of [lo, hi] is the hull of [0, max(hi, 0)] and neg * [min(lo, 0), 0].
        // Here lo <= 0 <= hi: the image is the hull of 0, hi and neg * lo.
        const Rational lo = z.lower(), hi = z.upper(), a = neg * lo;
        const Rational l = a < 0 ? a : Rational(0), h = a > hi ? a : hi;
        return Ball::hull(l, h);
    }
    if (contains_zero(z)) throw KinkStraddled();
    if (order >= 2) return Ball();
    return certainly_positive(z) ? Ball(Rational(1)) : Ball(neg);
}

Ball poly(const std::vector<Rational>& c, const Ball& z, int order) {
    Ball acc;
    const int n = static_cast<int>(c.size());
    for (int k = n - 1; k >= order; --k) {
        Rational ck = c[k];
        for (int f = 0; f < order; ++f) ck *= (k - f);
        acc = acc * z + Ball(ck);
    }
    return acc;
}

}  // namespace

Ball activate(const Activation& a, const Ball& z, int order) {
    switch (a.kind) {
        case ActivationKind::identity: return order == 0 ? z : Ball(Rational(order == 1 ? 1 : 0));
        case ActivationKind::relu: return kinked(z, Rational(0), order);
        case ActivationKind::leaky_relu: return kinked(z, a.alpha, order);
        case ActivationKind::poly: return poly(a.coeffs, z, order);
        case ActivationKind::sigmoid:
        case ActivationKind::tanh:
        case ActivationKind::softplus: {
            if (order < 0 || order > 3) throw std::logic_error("no ball enclosure of derivatives of order > 3");
            if (!z.is_finite()) return Ball::whole();
            if (z.rad() <= 0x1p-30 && std::fabs(z.mid()) <= 0x1p+20) {
                const Ball at_mid = smooth_at(a.kind, z.mid(), order);
                if (z.rad() == 0) return at_mid;
                const double spread = mul_up(z.rad(), derivative_bound(a.kind, order + 1));
                return Ball::from_parts(at_mid.mid(), add_up(at_mid.rad(), spread));
            }
            if (order == 3) {  // wide ball: the global bound of the third derivative
                const double b = derivative_bound(a.kind, 3);
                return Ball::from_parts(0, b);
            }
            PrecisionScope scope(64);
            return Ball::from_interval(activate(a, to_interval(z), order));
        }
    }
    throw std::logic_error("unknown activation");
}

}  // namespace nncert::kernel
