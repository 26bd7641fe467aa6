// Containment of the smooth activations (sigmoid, tanh, softplus; orders 0..2, and 3 for balls) and of exp, log1p
// at huge and tiny arguments (|z| from 1e-300 to 1e300), point-like and wide, in the interval and the ball engine.
// The references are rigorous 2000-bit MPFI brackets by overflow-free formulas (e^-|z| underflows to [0, tiny]).
#include "kernel/ball/ball.hpp"
#include "kernel/ball/worker_threads.hpp"
#include "kernel/interval/activation.hpp"
#include "kernel/interval/interval.hpp"
#include "test_interval_support.hpp"

#include <boost/test/unit_test.hpp>

#include <mpfi.h>

#include <cfenv>
#include <optional>
#include <thread>
#include <random>
#include <string>
#include <vector>

using namespace nncert::kernel;
using namespace nncert::testing;

namespace {

// A 2000-bit MPFI interval: a rigorous bracket of the true value (MPFI rounds outward, also on over- and
// underflow: e^-1e300 becomes [0, the smallest positive MPFR number]).
struct Bracket {
    mpfi_t v;
    Bracket() { mpfi_init2(v, 2000); mpfi_set_ui(v, 0); }
    explicit Bracket(const Rational& q) : Bracket() { mpfi_set_q(v, q.backend().data()); }
    Bracket(const Bracket& o) : Bracket() { mpfi_set(v, o.v); }
    Bracket& operator=(const Bracket& o) { mpfi_set(v, o.v); return *this; }
    ~Bracket() { mpfi_clear(v); }
};

Bracket add(const Bracket& a, const Bracket& b) { Bracket r; mpfi_add(r.v, a.v, b.v); return r; }
Bracket sub(const Bracket& a, const Bracket& b) { Bracket r; mpfi_sub(r.v, a.v, b.v); return r; }
Bracket mul(const Bracket& a, const Bracket& b) { Bracket r; mpfi_mul(r.v, a.v, b.v); return r; }
Bracket div(const Bracket& a, const Bracket& b) { Bracket r; mpfi_div(r.v, a.v, b.v); return r; }
Bracket num(long k) { return Bracket(Rational(k)); }

// The smallest positive MPFR number: every true value below it in magnitude lies strictly between 0 and it.
Bracket smallest_positive() {
    Bracket b;
    mpfr_set_ui_2exp(&b.v->left, 1, mpfr_get_emin() - 1, MPFR_RNDN);
    mpfr_set(&b.v->right, &b.v->left, MPFR_RNDN);
    return b;
}

Bracket reference(ActivationKind kind, const Rational& q, int order);

// f^(order)(q) for f = sigmoid, tanh, softplus, by formulas that keep relative accuracy everywhere: with
// E = e^-|q| (no overflow), sigmoid = 1/(1+E) or E/(1+E), sigmoid' = E/(1+E)^2, sigmoid'' = -tanh(q/2) sigmoid',
// sigmoid''' = sigmoid' (1 - 6 sigmoid'); tanh (|q| >= 1) = sign (1-E^2)/(1+E^2), tanh' = 4E^2/(1+E^2)^2,
// tanh'' = -2 tanh tanh', tanh''' = -2 tanh' (1 - 3 tanh^2); tanh(q/2) (|q| >= 2) = sign (1-E)/(1+E);
// near 0 MPFI's own tanh (relative accuracy at tiny q); softplus = max(q, 0) + log1p(E), then sigmoid.
Bracket reference_raw(ActivationKind kind, const Rational& q, int order) {
    Bracket e(q < 0 ? Rational(q) : Rational(-q));
    mpfi_exp(e.v, e.v);
    const Bracket one = num(1);
    const bool neg = q < 0, small = q > -1 && q < 1;
    if (kind == ActivationKind::softplus) {
        if (order > 0) return reference(ActivationKind::sigmoid, q, order - 1);
        Bracket l;
        mpfi_log1p(l.v, e.v);
        return neg ? l : add(Bracket(q), l);
    }
    if (kind == ActivationKind::sigmoid) {
        const Bracket ope = add(one, e);
        const Bracket s = neg ? div(e, ope) : div(one, ope);
        const Bracket s1 = div(e, mul(ope, ope));
        Bracket half;  // tanh(q/2)
        if (q > -2 && q < 2) {
            const Rational h = q / 2;
            mpfi_set_q(half.v, h.backend().data());
            mpfi_tanh(half.v, half.v);
        } else {
            half = div(sub(one, e), ope);
            if (neg) mpfi_neg(half.v, half.v);
        }
        if (order == 0) return s;
        if (order == 1) return s1;
        if (order == 2) return mul(num(-1), mul(half, s1));
        return mul(s1, sub(one, mul(num(6), s1)));
    }
    const Bracket e2 = mul(e, e), ope2 = add(one, e2);
    Bracket t, t1;
    if (small) {
        mpfi_set_q(t.v, q.backend().data());
        mpfi_tanh(t.v, t.v);
        t1 = sub(one, mul(t, t));
    } else {
        t = div(sub(one, e2), ope2);
        if (neg) mpfi_neg(t.v, t.v);
        t1 = div(mul(num(4), e2), mul(ope2, ope2));
    }
    if (order == 0) return t;
    if (order == 1) return t1;
    if (order == 2) return mul(num(-2), mul(t, t1));
    return mul(mul(num(-2), t1), sub(one, mul(num(3), mul(t, t))));
}

// For |q| >= 1e9, e^-|q| < 2^-1.4e9 lies far below the smallest positive MPFR number m (about 2^-1.07e9), and so
// does every tail value (at most 8 e^-|q|): its raw bracket (a few m wide from rounding up) is snapped to [0, m]
// or [-m, 0], exact descriptions, as no MPFR number lies strictly between 0 and m.
Bracket reference(ActivationKind kind, const Rational& q, int order) {
    Bracket b = reference_raw(kind, q, order);
    static const Rational far(1000000000);
    if (q > -far && q < far) return b;
    const Bracket m = smallest_positive();
    Bracket tiny;
    mpfr_mul_2ui(&tiny.v->left, &m.v->left, 4, MPFR_RNDU);  // 16 m: the raw brackets' tails end below it
    if (mpfr_cmpabs(&b.v->left, &tiny.v->left) <= 0 && mpfr_cmpabs(&b.v->right, &tiny.v->left) <= 0) {
        if (mpfr_sgn(&b.v->right) <= 0) {  // a one-signed tail (a bracket across 0 is kept as it is)
            mpfr_neg(&b.v->left, &m.v->left, MPFR_RNDN);
            mpfr_set_zero(&b.v->right, -1);
        } else if (mpfr_sgn(&b.v->left) >= 0) {
            mpfr_set_zero(&b.v->left, 1);
            mpfr_set(&b.v->right, &m.v->left, MPFR_RNDN);
        }
    }
    return b;
}

Rational power_of_ten(int e) {
    Rational r = 1;
    for (int k = 0; k < std::abs(e); ++k) r *= 10;
    return e < 0 ? Rational(1 / r) : r;
}

// Centres from 0 to 1e300 in magnitude, both signs: tiny, ordinary, around the double exp overflow (709.78) and
// underflow (745), beyond the double range of e^z, and beyond MPFR's exponent range of e^z (|z| >= 1e10).
std::vector<Rational> centres() {
    std::vector<Rational> out = {Rational(0)};
    const Rational positive[] = {power_of_ten(-300), power_of_ten(-20), Rational(1, 3), Rational(5, 2),
                                 Rational(40), Rational(70978, 100), Rational(745), Rational(1000),
                                 power_of_ten(4), power_of_ten(6), power_of_ten(8), power_of_ten(10),
                                 power_of_ten(20), power_of_ten(100), power_of_ten(300)};
    for (const Rational& q : positive) {
        out.push_back(q);
        out.push_back(-q);
    }
    return out;
}

// Input ranges around c: the point, point-like (relative width 2^-120, and 2^-40 absolute for moderate c), and
// wide ones (half to whole, the symmetric range, c to 2c, c +- 1).
std::vector<std::pair<Rational, Rational>> ranges_around(const Rational& c) {
    const Rational a = c < 0 ? Rational(-c) : c;
    const Rational rel = a * Rational(Integer(1), Integer(1) << 120);
    std::vector<std::pair<Rational, Rational>> out = {{c, c}, {c - rel, c + rel}, {c, c + Rational(Integer(1), Integer(1) << 40)},
                                                      {c - 1, c + 1}, {-a, a}};
    if (c != 0) {
        out.push_back({c < 0 ? c : c / 2, c < 0 ? c / 2 : c});
        out.push_back({c < 0 ? 2 * c : c, c < 0 ? c : 2 * c});
    }
    return out;
}

Rational exact_of(mpfr_srcptr x) {
    Rational r;
    mpfr_get_q(r.backend().data(), x);
    return r;
}

// The exact points at which the truth is compared: both ends and a few random points in between.
std::vector<Rational> samples(std::mt19937_64& g, const Rational& lo, const Rational& hi) {
    std::vector<Rational> out = {lo, hi};
    for (int k = 0; k < 2; ++k) out.push_back(random_in(g, lo, hi));
    return out;
}

// [lo, hi] (MPFR numbers) contains the bracket of the truth: lo <= its lower end and its upper end <= hi.
bool interval_holds(const Interval& f, const Bracket& truth) {
    return !f.is_nan() && mpfr_lessequal_p(f.lo(), &truth.v->left) && mpfr_lessequal_p(&truth.v->right, f.hi());
}

// The whole line holds everything; a finite ball must hold the bracket (exact comparisons with its rational ends).
bool ball_holds(const Ball& f, const Bracket& truth) {
    if (!f.is_finite()) return true;
    const Rational lo = f.lower(), hi = f.upper();
    return mpfr_cmp_q(&truth.v->left, lo.backend().data()) >= 0 && mpfr_cmp_q(&truth.v->right, hi.backend().data()) <= 0;
}

const ActivationKind smooth_kinds[] = {ActivationKind::sigmoid, ActivationKind::tanh, ActivationKind::softplus};

std::string show(mpfr_srcptr x) {
    char buf[128];
    mpfr_snprintf(buf, sizeof buf, "%.20Rg", x);
    return buf;
}

// "[lo, hi]", appended piece by piece: g++ 12 -O3 gave a false -Wstringop-overflow on "[" + show(...) + ...
std::string bracketed(mpfr_srcptr lo, mpfr_srcptr hi) {
    std::string s = "[";
    s += show(lo);
    s += ", ";
    s += show(hi);
    s += "]";
    return s;
}

std::string show(const Interval& f) { return bracketed(f.lo(), f.hi()); }
std::string show(const Bracket& b) { return bracketed(&b.v->left, &b.v->right); }

std::string show(const Rational& q) {
    std::string s = q.str();
    return s.size() > 60 ? s.substr(0, 28) + "..." + s.substr(s.size() - 28) : s;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(activation_extremes)

BOOST_AUTO_TEST_CASE(reference_brackets_are_narrow_where_the_value_is_representable) {
    // The references must be able to fail a wrong enclosure: narrow at ordinary points, [0, tiny] in the tails.
    const Bracket s = reference(ActivationKind::sigmoid, Rational(0), 0);
    BOOST_TEST(mpfr_cmp_d(&s.v->left, 0.5) == 0);
    BOOST_TEST(mpfr_cmp_d(&s.v->right, 0.5) == 0);
    const Bracket tail = reference(ActivationKind::sigmoid, -power_of_ten(300), 1);
    BOOST_TEST(mpfr_zero_p(&tail.v->left));
    BOOST_TEST(mpfr_cmp_d(&tail.v->right, 1e-300) < 0);
    const Bracket top = reference(ActivationKind::softplus, power_of_ten(300), 0);
    BOOST_TEST(mpfr_cmp_d(&top.v->left, 1e300) <= 0);
    BOOST_TEST(mpfr_cmp_d(&top.v->right, 1.0000001e300) < 0);
    const Bracket t = reference(ActivationKind::tanh, Rational(1, 3), 2);
    Bracket w;
    mpfi_diam_abs(&w.v->left, t.v);
    BOOST_TEST(mpfr_cmp_si_2exp(&w.v->left, 1, -1600) < 0);
    // A wrong enclosure is caught: [0, 0] for sigmoid(-1e300) (the bug the point-like path had).
    PrecisionScope scope(128);
    BOOST_TEST(!interval_holds(Interval(Rational(0)), reference(ActivationKind::sigmoid, -power_of_ten(10), 0)));
}

BOOST_AUTO_TEST_CASE(interval_activations_contain_the_truth_at_huge_and_tiny_arguments) {
    std::mt19937_64 g(4242);
    int checked = 0;
    for (int precision : {53, 128, 300}) {
        PrecisionScope scope(precision);
        for (const ActivationKind kind : smooth_kinds) {
            const Activation act{kind, Rational(0), {}};
            for (const Rational& c : centres())
                for (const auto& [lo, hi] : ranges_around(c)) {
                    const Interval z = lo == hi ? Interval(lo) : Interval::hull(lo, hi);
                    const Rational zlo = exact_of(z.lo()), zhi = exact_of(z.hi());
                    for (int order = 0; order <= 2; ++order) {
                        const Interval f = activate(act, z, order);
                        for (const Rational& q : samples(g, zlo, zhi)) {
                            ++checked;
                            const Bracket truth = reference(kind, q, order);
                            BOOST_TEST(interval_holds(f, truth),
                                       to_string(act) << " order " << order << ": " << show(f) << " misses " << show(truth) << " at " << show(q) << " over ["
                                                      << show(zlo) << ", " << show(zhi) << "], precision " << precision);
                        }
                    }
                }
        }
    }
    BOOST_TEST(checked > 3000);
}

BOOST_AUTO_TEST_CASE(interval_exp_log1p_tanh_contain_the_truth_at_huge_and_tiny_arguments) {
    std::mt19937_64 g(99);
    PrecisionScope scope(128);
    for (const Rational& c : centres())
        for (const auto& [lo, hi] : ranges_around(c)) {
            const Interval z = lo == hi ? Interval(lo) : Interval::hull(lo, hi);
            const Interval ez = exp(z), tz = tanh(z);
            for (const Rational& q : samples(g, exact_of(z.lo()), exact_of(z.hi()))) {
                Bracket e(q);
                mpfi_exp(e.v, e.v);
                BOOST_TEST(interval_holds(ez, e), "exp at " << show(q));
                BOOST_TEST(interval_holds(tz, reference(ActivationKind::tanh, q, 0)), "tanh " << show(tz) << " misses " << show(reference(ActivationKind::tanh, q, 0)) << " at " << show(q));
                if (q > -1) {
                    Bracket l(q);
                    mpfi_log1p(l.v, l.v);
                    const Interval lz = log1p(Interval(q));
                    BOOST_TEST(interval_holds(lz, l), "log1p at " << show(q));
                }
            }
        }
}

BOOST_AUTO_TEST_CASE(ball_activations_contain_the_truth_at_huge_and_tiny_arguments) {
    int checked = 0, finite = 0;
    for (int mode : {FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO}) {
        std::mt19937_64 g(17 + mode);
        std::fesetround(mode);
        for (const ActivationKind kind : smooth_kinds) {
            const Activation act{kind, Rational(0), {}};
            for (const Rational& c : centres()) {
                std::vector<Ball> balls;
                for (const auto& [lo, hi] : ranges_around(c)) balls.push_back(lo == hi ? Ball(lo) : Ball::hull(lo, hi));
                // Narrow balls take the MPFR-at-the-midpoint path (radius <= 2^-30, |mid| <= 2^20).
                const Ball b(c);
                if (b.is_finite()) balls.push_back(Ball::from_parts(b.mid(), 0x1p-31));
                for (const Ball& z : balls) {
                    if (!z.is_finite()) continue;
                    for (int order = 0; order <= 3; ++order) {
                        const Ball f = activate(act, z, order);
                        if (f.is_finite()) ++finite;
                        for (const Rational& q : samples(g, z.lower(), z.upper())) {
                            ++checked;
                            BOOST_TEST(ball_holds(f, reference(kind, q, order)),
                                       to_string(act) << " order " << order << " at " << show(q) << " over "
                                                      << z.mid() << " +- " << z.rad() << ", rounding " << mode);
                        }
                    }
                }
            }
        }
        std::fesetround(FE_TONEAREST);
    }
    BOOST_TEST(checked > 3000);
    BOOST_TEST(finite > checked / 12);  // most outputs are finite balls, not the whole line
}

BOOST_AUTO_TEST_CASE(ball_exp_and_log1p_contain_the_truth_at_huge_and_tiny_arguments) {
    for (int mode : {FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO}) {
        std::mt19937_64 g(3 + mode);
        std::fesetround(mode);
        for (const Rational& c : centres())
            for (const auto& [lo, hi] : ranges_around(c)) {
                const Ball z = lo == hi ? Ball(lo) : Ball::hull(lo, hi);
                if (!z.is_finite()) continue;
                const Ball ez = exp(z);
                for (const Rational& q : samples(g, z.lower(), z.upper())) {
                    Bracket e(q);
                    mpfi_exp(e.v, e.v);
                    BOOST_TEST(ball_holds(ez, e), "exp at " << show(q) << ", rounding " << mode);
                    if (q > -1) {
                        Bracket l(q);
                        mpfi_log1p(l.v, l.v);
                        BOOST_TEST(ball_holds(log1p(Ball(q)), l), "log1p at " << show(q) << ", rounding " << mode);
                    }
                }
                if (z.lower() > -1) {
                    const Ball lz = log1p(z);
                    for (const Rational& q : samples(g, z.lower(), z.upper())) {
                        Bracket l(q);
                        mpfi_log1p(l.v, l.v);
                        BOOST_TEST(ball_holds(lz, l), "log1p over a ball at " << show(q));
                    }
                }
            }
        std::fesetround(FE_TONEAREST);
    }
}

namespace {

// An interval's ends exactly, in MPFR's hexadecimal notation (signed zeros included), and its precision.
std::string exact_text(const Interval& x) {
    char* text = nullptr;
    if (mpfr_asprintf(&text, "%Ra %Ra /%ld", x.lo(), x.hi(), static_cast<long>(x.precision())) < 0) return "?";
    std::string out(text);
    mpfr_free_str(text);
    return out;
}

// activate() of sigmoid, tanh and softplus (orders 0..2) on intervals that differ only in what the remembered
// enclosures are keyed by: the sign of a zero end, z's precision, the working precision, the order, the kind; with
// point-like, wide, saturated and infinite ones. Computed in `order` (indices into the cases), each case as often as
// it appears, on a new thread (a fresh table); the results in case order.
std::vector<std::string> activations_in_order(const std::vector<std::size_t>& order) {
    std::vector<std::string> out;
    // mpfr_worker: the thread frees its MPFR caches (LeakSanitizer reported log2's cache of a plain std::thread).
    std::thread t = nncert::kernel::mpfr_worker([&] {
        struct Case {
            ActivationKind kind;
            int order;
            unsigned z_bits, work_bits;
            Rational lo, hi;
            bool negative_zero;  // lo is 0, written as -0
        };
        std::vector<Case> cases;
        const std::vector<std::pair<Rational, Rational>> ranges = {
            {Rational(1, 3), Rational(1, 3)}, {Rational(1, 2), Rational(1, 2)}, {Rational(0), Rational(1)},
            {Rational(-2), Rational(3, 2)},  {Rational(30), Rational(60)},    {Rational(0), Rational(0)},
            {Rational(37), Rational(10000)}};
        for (ActivationKind kind : {ActivationKind::sigmoid, ActivationKind::tanh, ActivationKind::softplus})
            for (int k = 0; k <= 2; ++k)
                for (unsigned zb : {64u, 128u})
                    for (unsigned wb : {64u, 128u})
                        for (const auto& [lo, hi] : ranges)
                            for (bool nz : {false, true})
                                if (!nz || lo == 0) cases.push_back({kind, k, zb, wb, lo, hi, nz});
        std::vector<std::string> results(cases.size());
        for (std::size_t i : order) {
            const Case& c = cases[i % cases.size()];
            std::optional<Interval> z;
            {
                PrecisionScope zs(c.z_bits);
                z = Interval::hull(c.lo, c.hi);
                if (c.negative_zero) mpfr_neg(&z->raw()->left, &z->raw()->left, MPFR_RNDN);  // 0 -> -0
            }
            PrecisionScope ws(c.work_bits);
            Activation a;
            a.kind = c.kind;
            results[i % cases.size()] = exact_text(activate(a, *z, c.order));
        }
        out = std::move(results);
    });
    t.join();
    return out;
}

}  // namespace

// The table of remembered smooth enclosures (activation.cpp) returns exactly what computing again gives: the same
// cases in three orders, once each or repeated among the others, give the same bits.
BOOST_AUTO_TEST_CASE(remembered_activations_are_the_same_bits_as_fresh_ones) {
    constexpr std::size_t n = 3 * 3 * 2 * 2 * 9;  // the cases above
    std::vector<std::size_t> forward, backward, repeated;
    for (std::size_t i = 0; i < n; ++i) forward.push_back(i);
    backward.assign(forward.rbegin(), forward.rend());
    for (std::size_t round = 0; round < 3; ++round)
        for (std::size_t i = 0; i < n; ++i) repeated.push_back((i * 7 + round * 11) % n);
    const std::vector<std::string> a = activations_in_order(forward), b = activations_in_order(backward),
                                   c = activations_in_order(repeated);
    BOOST_TEST_REQUIRE(a.size() == n);
    for (std::size_t i = 0; i < n; ++i) {
        BOOST_TEST_CONTEXT("case " << i) {
            BOOST_TEST(!a[i].empty());
            BOOST_TEST(a[i] == b[i]);
            BOOST_TEST(a[i] == c[i]);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
