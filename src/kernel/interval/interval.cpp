// Interval arithmetic on the MPFI C API, exact conversions to rationals, predicates by certainty.
// Assumes MPFI's documented guarantee: every operation rounds the left end down and the right end up.
#include "kernel/interval/interval.hpp"

#include "kernel/limits.hpp"

#include <climits>
#include <stdexcept>

namespace nncert::kernel {

namespace {

mpq_srcptr q_of(const Rational& q) { return q.backend().data(); }

// Fresh result at the working precision; MPFI rounds outward into it.
Interval fresh() { return Interval(); }

// NaN compares false with everything in MPFR; each predicate below checks NaN first anyway so that
// its meaning ("for every point") does not hang on that convention.
int cmp_q(mpfr_srcptr x, const Rational& q) { return mpfr_cmp_q(x, q_of(q)); }

}  // namespace

Rational exact_rational(mpfr_srcptr x) {
    if (mpfr_nan_p(x) || mpfr_inf_p(x)) throw std::domain_error("interval endpoint is not finite");
    Rational r;
    if (mpfr_zero_p(x)) return r;
    // x = z * 2^e exactly, z written straight into the numerator (denominator 1: canonical), then the power of two
    // (mpq_mul_2exp / mpq_div_2exp keep the fraction canonical).
    const mpfr_exp_t e = mpfr_get_z_2exp(mpq_numref(r.backend().data()), x);
    if (e > 0) mpq_mul_2exp(r.backend().data(), r.backend().data(), static_cast<mp_bitcnt_t>(e));
    if (e < 0) mpq_div_2exp(r.backend().data(), r.backend().data(), static_cast<mp_bitcnt_t>(-e));
    return r;
}

namespace {

// x rounded to the grid 2^-E in direction `rnd` (MPFR_RNDD: down, MPFR_RNDU: up), as an exact rational.
// MPFR writes x = m * 2^(EXP(x) - PREC(x)) with m an integer (|m| < 2^PREC(x)), so x is a multiple of 2^-E whenever
// EXP(x) - PREC(x) >= -E: then x is its own grid point in either direction and is returned exactly (the fast path,
// every endpoint of ordinary size). Otherwise the scaled value x 2^E is rounded to an integer in MPFR at a precision
// that holds it exactly.
Rational to_grid(mpfr_srcptr x, mpfr_rnd_t rnd) {
    if (!within_grid_range(x)) throw std::domain_error("interval endpoint is not finite or beyond 2^E");
    if (mpfr_zero_p(x)) return Rational(0);
    if (mpfr_get_exp(x) - mpfr_get_prec(x) >= -limits::endpoint_exponent) return exact_rational(x);
    return grid_by_mpfr(x, rnd);
}

}  // namespace

Rational grid_by_mpfr(mpfr_srcptr x, mpfr_rnd_t rnd) {
    if (!within_grid_range(x)) throw std::domain_error("interval endpoint is not finite or beyond 2^E");
    if (mpfr_zero_p(x)) return Rational(0);
    mpfr_t t;
    // Precision of x plus the exponent shift: the scaled value and its integer part are exact.
    mpfr_init2(t, mpfr_get_prec(x) + 2 * limits::endpoint_exponent + 8);
    mpfr_mul_2si(t, x, limits::endpoint_exponent, MPFR_RNDN);  // exact: a power of two
    mpfr_rint(t, t, rnd);                                      // exact: the integer fits t's precision
    Integer z;
    mpfr_get_z(z.backend().data(), t, MPFR_RNDN);  // exact: t is an integer
    mpfr_clear(t);
    Rational r(z);
    mpq_div_2exp(r.backend().data(), r.backend().data(), static_cast<mp_bitcnt_t>(limits::endpoint_exponent));
    return r;
}

bool within_grid_range(mpfr_srcptr x) {
    if (!mpfr_number_p(x)) return false;
    return mpfr_zero_p(x) || mpfr_get_exp(x) <= limits::endpoint_exponent;  // |x| < 2^exp
}

Rational grid_floor(mpfr_srcptr x) { return to_grid(x, MPFR_RNDD); }
Rational grid_ceil(mpfr_srcptr x) { return to_grid(x, MPFR_RNDU); }

bool Interval::is_bounded() const {
    return !is_nan() && mpfi_bounded_p(v_) != 0 && within_grid_range(lo()) && within_grid_range(hi());
}

static_assert(sizeof(mp_limb_t) * 8 * 2 == 128, "inline_limbs assumes 64-bit limbs");

void Interval::init(mpfr_prec_t precision) {
    if (precision <= inline_bits && mpfr_custom_get_size(precision) <= inline_limbs * sizeof(mp_limb_t)) {
        mpfr_custom_init(store_, precision);
        mpfr_custom_init(store_ + inline_limbs, precision);
        // MPFI's own zero [+0, -0] (what mpfi_set_ui(v, 0) gives), set directly.
        mpfr_custom_init_set(&v_->left, MPFR_ZERO_KIND, 0, precision, store_);
        mpfr_custom_init_set(&v_->right, -MPFR_ZERO_KIND, 0, precision, store_ + inline_limbs);
        inline_ = true;
    } else {
        mpfi_init2(v_, precision);
        mpfi_set_ui(v_, 0);  // MPFI's own zero (its signed zeros), as before
        inline_ = false;
    }
}

void Interval::release() {
    if (!inline_) mpfi_clear(v_);
}

Interval::Interval() { init(PrecisionScope::current()); }

Interval::Interval(const Rational& q) {
    init(PrecisionScope::current());
    // A non-zero dyadic q = n / 2^k (box ends, sample points, integers): each end is n 2^-k correctly rounded
    // outward by MPFR, which is what mpfi_set_q computes, without its division. Other rationals (and 0, whose
    // signed zeros init already set): mpfi_set_q.
    mpq_srcptr r = q_of(q);
    if (mpz_sgn(mpq_numref(r)) == 0) return;
    const mp_bitcnt_t k = mpz_scan1(mpq_denref(r), 0);
    if (mpz_sizeinbase(mpq_denref(r), 2) == k + 1 && k <= static_cast<mp_bitcnt_t>(LONG_MAX)) {
        mpfr_set_z_2exp(&v_->left, mpq_numref(r), -static_cast<long>(k), MPFR_RNDD);
        mpfr_set_z_2exp(&v_->right, mpq_numref(r), -static_cast<long>(k), MPFR_RNDU);
        return;
    }
    mpfi_set_q(v_, r);
}

Interval::Interval(const Interval& o) {
    init(o.precision());
    mpfi_set(v_, o.v_);
}

Interval::Interval(Interval&& o) noexcept {
    init(o.precision());
    // Heap limbs on both sides: take o's (o keeps the fresh zero). Otherwise copy: exact at equal precision.
    if (!inline_ && !o.inline_) mpfi_swap(v_, o.v_);
    else mpfi_set(v_, o.v_);
}

Interval& Interval::operator=(const Interval& o) {
    if (this == &o) return *this;
    // A new precision needs new endpoints before the copy (never after: that would round the value).
    if (precision() != o.precision()) {
        release();
        init(o.precision());
    }
    mpfi_set(v_, o.v_);
    return *this;
}

Interval& Interval::operator=(Interval&& o) noexcept {
    if (this == &o) return *this;
    if (!inline_ && !o.inline_) {
        mpfi_swap(v_, o.v_);
        return *this;
    }
    if (precision() != o.precision()) {
        release();
        init(o.precision());
    }
    mpfi_set(v_, o.v_);
    return *this;
}

Interval::~Interval() { release(); }

Interval Interval::hull(const Rational& lo, const Rational& hi) {
    if (hi < lo) throw std::invalid_argument("interval with lower end above upper end");
    Interval r;
    mpfi_interv_q(r.v_, q_of(lo), q_of(hi));
    return r;
}

Interval Interval::from_mpfr(mpfr_srcptr x) {
    Interval r;
    mpfi_set_fr(r.v_, x);
    return r;
}

Rational Interval::lower() const { return grid_floor(lo()); }
Rational Interval::upper() const { return grid_ceil(hi()); }

Interval& Interval::operator+=(const Interval& o) {
    mpfi_add(v_, v_, o.v_);
    return *this;
}
Interval& Interval::operator-=(const Interval& o) {
    mpfi_sub(v_, v_, o.v_);
    return *this;
}
Interval& Interval::operator*=(const Interval& o) {
    mpfi_mul(v_, v_, o.v_);
    return *this;
}

Interval operator+(const Interval& a, const Interval& b) {
    Interval r = fresh();
    mpfi_add(r.raw(), a.raw(), b.raw());
    return r;
}
Interval operator-(const Interval& a, const Interval& b) {
    Interval r = fresh();
    mpfi_sub(r.raw(), a.raw(), b.raw());
    return r;
}
namespace {

// r = a * b, the same interval as mpfi_mul (r distinct from a and b). Where every end of a and b is a nonzero finite
// number and r's precision is at most 128 bits, the two ends are computed here, without the MPFR temporaries that
// mpfi_mul allocates on the heap for every call: the lower end is the least of the four exact end products rounded
// down, the upper end the greatest rounded up (the product's range over a box is attained at its corners), and since
// MPFR rounds correctly and rounding is monotone, rounding the right corner product is rounding that least (greatest)
// value: MPFI's own result, bit for bit. The sign cases pick the corner products that can be extreme. Anything else
// (zero, infinite or NaN ends, a product rounded to zero, wider precisions) is left to mpfi_mul.
void multiply(mpfi_ptr r, mpfi_srcptr a, mpfi_srcptr b) {
    mpfr_srcptr al = &a->left, ah = &a->right, bl = &b->left, bh = &b->right;
    const mpfr_prec_t prec = mpfr_get_prec(&r->left);
    if (r == a || r == b || prec > 128 || mpfr_get_prec(&r->right) != prec || !mpfr_regular_p(al) ||
        !mpfr_regular_p(ah) || !mpfr_regular_p(bl) || !mpfr_regular_p(bh)) {
        mpfi_mul(r, a, b);
        return;
    }
    mpfr_ptr lo = &r->left, hi = &r->right;
    const int sa = mpfr_sgn(al) > 0 ? 1 : mpfr_sgn(ah) < 0 ? -1 : 0;  // a > 0, a < 0, or a contains 0 inside
    const int sb = mpfr_sgn(bl) > 0 ? 1 : mpfr_sgn(bh) < 0 ? -1 : 0;
    if (sa == 0 && sb == 0) {
        // lo = min(al bh, ah bl), hi = max(al bl, ah bh): the second candidates in stack limbs at r's precision.
        mp_limb_t limbs[2][2];
        mpfr_t t, u;
        mpfr_custom_init(limbs[0], prec);
        mpfr_custom_init(limbs[1], prec);
        mpfr_custom_init_set(t, MPFR_ZERO_KIND, 0, prec, limbs[0]);
        mpfr_custom_init_set(u, MPFR_ZERO_KIND, 0, prec, limbs[1]);
        mpfr_mul(lo, al, bh, MPFR_RNDD);
        mpfr_mul(t, ah, bl, MPFR_RNDD);
        if (mpfr_less_p(t, lo)) mpfr_set(lo, t, MPFR_RNDD);  // exact: same precision
        mpfr_mul(hi, al, bl, MPFR_RNDU);
        mpfr_mul(u, ah, bh, MPFR_RNDU);
        if (mpfr_greater_p(u, hi)) mpfr_set(hi, u, MPFR_RNDU);
    } else {
        // (lower corner, upper corner) per sign case.
        mpfr_srcptr l1, l2, h1, h2;
        if (sa > 0) {
            if (sb > 0) l1 = al, l2 = bl, h1 = ah, h2 = bh;
            else if (sb < 0) l1 = ah, l2 = bl, h1 = al, h2 = bh;
            else l1 = ah, l2 = bl, h1 = ah, h2 = bh;
        } else if (sa < 0) {
            if (sb > 0) l1 = al, l2 = bh, h1 = ah, h2 = bl;
            else if (sb < 0) l1 = ah, l2 = bh, h1 = al, h2 = bl;
            else l1 = al, l2 = bh, h1 = al, h2 = bl;
        } else {
            if (sb > 0) l1 = al, l2 = bh, h1 = ah, h2 = bh;
            else l1 = ah, l2 = bl, h1 = al, h2 = bl;
        }
        mpfr_mul(lo, l1, l2, MPFR_RNDD);
        mpfr_mul(hi, h1, h2, MPFR_RNDU);
    }
    // A product rounded to zero (underflow) or beyond the exponent range: MPFI's conventions decide those.
    if (!mpfr_regular_p(lo) || !mpfr_regular_p(hi)) mpfi_mul(r, a, b);
}

}  // namespace

Interval operator*(const Interval& a, const Interval& b) {
    Interval r = fresh();
    multiply(r.raw(), a.raw(), b.raw());
    return r;
}
Interval operator/(const Interval& a, const Interval& b) {
    Interval r = fresh();
    mpfi_div(r.raw(), a.raw(), b.raw());
    return r;
}
Interval operator-(const Interval& a) {
    Interval r = fresh();
    mpfi_neg(r.raw(), a.raw());
    return r;
}

namespace {

// One reusable MPFI temporary per thread, resized to the accumulator's precision when it differs.
mpfi_ptr product_temporary(mpfr_prec_t precision) {
    struct Temporary {
        mpfi_t v;
        bool ready = false;
        ~Temporary() {
            if (ready) mpfi_clear(v);
        }
    };
    thread_local Temporary t;
    if (!t.ready) {
        mpfi_init2(t.v, precision);
        t.ready = true;
    } else if (mpfi_get_prec(t.v) != precision) {
        mpfi_set_prec(t.v, precision);
    }
    return t.v;
}

}  // namespace

void add_product(Interval& acc, const Interval& a, const Interval& b) {
    mpfi_ptr t = product_temporary(PrecisionScope::current());
    multiply(t, a.raw(), b.raw());
    mpfi_add(acc.raw(), acc.raw(), t);
}

void sub_product(Interval& acc, const Interval& a, const Interval& b) {
    mpfi_ptr t = product_temporary(PrecisionScope::current());
    multiply(t, a.raw(), b.raw());
    mpfi_sub(acc.raw(), acc.raw(), t);
}

#define NNCERT_UNARY(name, fn)            \
    Interval name(const Interval& x) {    \
        Interval r = fresh();             \
        fn(r.raw(), x.raw());             \
        return r;                         \
    }
NNCERT_UNARY(exp, mpfi_exp)
NNCERT_UNARY(log, mpfi_log)
NNCERT_UNARY(log1p, mpfi_log1p)
NNCERT_UNARY(tanh, mpfi_tanh)
NNCERT_UNARY(cosh, mpfi_cosh)
NNCERT_UNARY(sqr, mpfi_sqr)
#undef NNCERT_UNARY

Interval mul_2si(const Interval& x, long k) {
    Interval r = fresh();
    mpfi_mul_2si(r.raw(), x.raw(), k);
    return r;
}

Interval hull(const Interval& a, const Interval& b) {
    Interval r = fresh();
    mpfi_union(r.raw(), a.raw(), b.raw());
    return r;
}

Rational midpoint(const Interval& x) {
    if (!x.is_bounded()) throw std::domain_error("midpoint of an unbounded interval");
    mpfr_t m;
    mpfr_init2(m, x.precision());
    mpfi_mid(m, x.raw());
    Rational r = grid_floor(m);
    mpfr_clear(m);
    return r;
}

Rational magnitude(const Interval& x) {
    const Rational l = abs(x.lower()), u = abs(x.upper());
    return l < u ? u : l;
}

bool known_zero(const Interval& x) {
    return !x.is_nan() && mpfr_zero_p(x.lo()) && mpfr_zero_p(x.hi());
}
bool certainly_positive(const Interval& x) { return !x.is_nan() && mpfr_sgn(x.lo()) > 0; }
bool certainly_negative(const Interval& x) { return !x.is_nan() && mpfr_sgn(x.hi()) < 0; }
bool certainly_less(const Interval& a, const Interval& b) {
    return !a.is_nan() && !b.is_nan() && mpfr_less_p(a.hi(), b.lo());
}
bool certainly_less(const Interval& a, const Rational& q) { return !a.is_nan() && cmp_q(a.hi(), q) < 0; }
bool certainly_greater(const Interval& a, const Rational& q) { return !a.is_nan() && cmp_q(a.lo(), q) > 0; }
bool certainly_at_most(const Interval& a, const Rational& q) { return !a.is_nan() && cmp_q(a.hi(), q) <= 0; }
bool certainly_at_least(const Interval& a, const Rational& q) { return !a.is_nan() && cmp_q(a.lo(), q) >= 0; }
bool contains(const Interval& a, const Rational& q) {
    return a.is_nan() || (cmp_q(a.lo(), q) <= 0 && cmp_q(a.hi(), q) >= 0);
}
bool contains_zero(const Interval& a) { return a.is_nan() || (mpfr_sgn(a.lo()) <= 0 && mpfr_sgn(a.hi()) >= 0); }
bool subset_of(const Interval& a, const Rational& lo, const Rational& hi) {
    return certainly_at_least(a, lo) && certainly_at_most(a, hi);
}
bool subset_of_interior(const Interval& a, const Rational& lo, const Rational& hi) {
    return certainly_greater(a, lo) && certainly_less(a, hi);
}
bool disjoint_from(const Interval& a, const Rational& lo, const Rational& hi) {
    return certainly_less(a, lo) || certainly_greater(a, hi);
}

}  // namespace nncert::kernel
