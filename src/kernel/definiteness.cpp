// Symmetric elimination with witness lifting (see definiteness.hpp and docs/certificates.md).
#include "kernel/definiteness.hpp"

#include "hints/cholesky.hpp"
#include "hints/mpfr_linear_algebra.hpp"
#include "kernel/pd_certificate.hpp"

#include <algorithm>
#include <stdexcept>

namespace nncert::kernel {

Rational quadratic_form(const Matrix& h, const Vector& x) {
    Rational q = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        if (is_zero(x[i])) continue;
        Rational row = 0;
        for (std::size_t j = 0; j < x.size(); ++j)
            if (!is_zero(x[j])) row += h[i][j] * x[j];
        q += x[i] * row;
    }
    return q;
}

namespace {

struct Step {
    std::size_t pivot;
    Rational value;  // S_pp at elimination time
    Vector row;      // S_pj at elimination time for the indices still remaining then (0 elsewhere)
};

// Scale x by the least common multiple of its denominators (a positive factor: signs of x^T H x and
// the null-vector property are kept) so that witnesses print as integers.
Vector to_integers(const Vector& x) {
    Integer l = 1;
    for (const Rational& q : x) {
        const Integer d = denominator(q);
        l = l / gcd(l, d) * d;
    }
    Vector out(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) out[i] = x[i] * Rational(l);
    return out;
}

// Given x on the still-remaining indices, solve for the eliminated ones (last step first) so that
// x^T H x equals the Schur complement's form on the remaining part.
Vector lift(const std::vector<Step>& steps, Vector x) {
    for (std::size_t k = steps.size(); k-- > 0;) {
        const Step& s = steps[k];
        Rational acc = 0;
        for (std::size_t j = 0; j < x.size(); ++j)
            if (j != s.pivot && !is_zero(s.row[j]) && !is_zero(x[j])) acc += s.row[j] * x[j];
        x[s.pivot] = -acc / s.value;
    }
    return x;
}

}  // namespace

Rational positivity_margin(const DefinitenessResult& r) {
    if (r.lambda_min_lower) return *r.lambda_min_lower;
    Rational m = r.pivots.empty() ? Rational(0) : r.pivots.front();
    for (const Rational& q : r.pivots)
        if (q < m) m = q;
    return m;
}

namespace {

// Untrusted hints first, each re-checked exactly here; nothing when they do not settle the question.
std::optional<DefinitenessResult> by_hints(const Matrix& h) {
    for (int attempt = 0; attempt < 3; ++attempt) {
        const std::optional<hints::CholeskyHint> hint = hints::cholesky_hint(h, attempt);
        if (!hint) break;
        if (std::optional<Rational> lower = verify_cholesky_certificate(h, *hint)) {
            DefinitenessResult r;
            r.kind = Definiteness::positive_definite;
            r.method = "cholesky-certificate";
            r.lambda_min_lower = *lower;
            return r;
        }
    }
    // A direction from double LDL^T, then one from LDL^T at 128 bits, which resolves negative eigenvalues far
    // below double's rounding (a singular positive semidefinite matrix shifted by -delta, delta ~ 1e-18 of its
    // norm: the exact elimination of such a 481 x 481 matrix ran for over 15 minutes; review r10, F3).
    const auto hinted = [&h](const std::optional<Vector>& x) -> std::optional<DefinitenessResult> {
        if (!x) return std::nullopt;
        DefinitenessResult r;
        r.witness = to_integers(*x);
        r.quad = quadratic_form(h, r.witness);
        if (r.quad.sign() >= 0) return std::nullopt;
        r.kind = Definiteness::indefinite;
        r.method = "hinted-direction";
        return r;
    };
    if (std::optional<DefinitenessResult> r = hinted(hints::negative_direction_hint(h))) return r;
    return hinted(hints::nonpositive_direction_untrusted(h, 128));
}

}  // namespace

std::optional<DefinitenessResult> analyze_definiteness_by_hints(const Matrix& h) { return by_hints(h); }

DefinitenessResult analyze_definiteness(const Matrix& h, const DefinitenessOptions& options) {
    const std::size_t n = h.size();
    for (const Vector& row : h)
        if (row.size() != n) throw std::invalid_argument("analyze_definiteness: matrix is not square");
    if (n >= options.hint_threshold)
        if (std::optional<DefinitenessResult> r = by_hints(h)) return *r;
    // The Schur complement is symmetric: only entries (i, j) with i <= j are kept up to date.
    Matrix s = h;
    auto at = [&s](std::size_t i, std::size_t j) -> Rational& { return i <= j ? s[i][j] : s[j][i]; };
    std::vector<std::size_t> remaining(n);
    for (std::size_t i = 0; i < n; ++i) remaining[i] = i;
    std::vector<Step> steps;
    DefinitenessResult res;

    auto finish = [&](Definiteness kind, Vector u) {
        res.kind = kind;
        res.witness = to_integers(lift(steps, std::move(u)));
        res.quad = quadratic_form(h, res.witness);
        // The lifted witness must behave as the elimination says; anything else is a kernel bug.
        const bool ok = kind == Definiteness::indefinite ? res.quad.sign() < 0 : res.quad.sign() == 0;
        if (!ok) throw std::logic_error("definiteness witness failed its re-check");
        return res;
    };

    while (!remaining.empty()) {
        for (std::size_t i : remaining) {
            if (s[i][i].sign() < 0) {
                Vector u(n);
                u[i] = 1;
                return finish(Definiteness::indefinite, std::move(u));
            }
        }
        auto pos = std::find_if(remaining.begin(), remaining.end(),
                                [&](std::size_t i) { return s[i][i].sign() > 0; });
        if (pos == remaining.end()) {
            // Zero diagonal: a nonzero S_ij makes u = e_i - sign(S_ij) e_j negative (u^T S u = -2|S_ij|).
            for (std::size_t i : remaining)
                for (std::size_t j : remaining)
                    if (i != j && !is_zero(at(i, j))) {
                        Vector u(n);
                        u[i] = 1;
                        u[j] = at(i, j).sign() > 0 ? -1 : 1;
                        return finish(Definiteness::indefinite, std::move(u));
                    }
            Vector u(n);
            u[remaining.front()] = 1;  // the remaining block is zero: a null direction
            return finish(Definiteness::singular_psd, std::move(u));
        }
        const std::size_t p = *pos;
        remaining.erase(pos);
        Step step{p, s[p][p], Vector(n)};
        for (std::size_t j : remaining) step.row[j] = at(p, j);
        Rational f;
        for (std::size_t r : remaining) {
            if (is_zero(step.row[r])) continue;
            f = step.row[r] / step.value;
            for (std::size_t c : remaining)
                if (c >= r && !is_zero(step.row[c])) s[r][c] -= f * step.row[c];
        }
        report(options.progress, "LDL^T elimination", n - remaining.size(), n);
        res.pivot_order.push_back(p);
        res.pivots.push_back(step.value);
        steps.push_back(std::move(step));
    }
    res.kind = Definiteness::positive_definite;
    return res;
}

}  // namespace nncert::kernel
