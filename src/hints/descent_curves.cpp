// UNTRUSTED search for descent curves at degenerate critical points (see descent_curves.hpp). Exact rational
// linear algebra is used only because the matrices are small and it avoids tolerances; nothing is trusted.
#include "hints/descent_curves.hpp"

#include "kernel/linear_algebra.hpp"

#include <cstdint>
#include <optional>

namespace nncert::hints {

namespace {

// Scales v by a positive rational so its entries are coprime integers (no change of direction).
Vector integral(Vector v) {
    using kernel::Integer;
    Integer l = 1;
    for (const Rational& q : v)
        if (!kernel::is_zero(q)) l = boost::multiprecision::lcm(l, boost::multiprecision::denominator(q));
    Integer g = 0;
    for (Rational& q : v) {
        q *= l;
        g = boost::multiprecision::gcd(g, boost::multiprecision::numerator(q));
    }
    if (g > 1)
        for (Rational& q : v) q /= g;
    return v;
}

bool is_zero_vector(const Vector& v) {
    for (const Rational& q : v)
        if (!kernel::is_zero(q)) return false;
    return true;
}

Vector combine(const std::vector<Vector>& basis, const std::vector<long long>& coef) {
    Vector d(basis[0].size());
    for (std::size_t k = 0; k < basis.size(); ++k)
        if (coef[k] != 0)
            for (std::size_t i = 0; i < d.size(); ++i) d[i] += Rational(coef[k]) * basis[k][i];
    return d;
}

// One solution x of m x = b, or nothing when the system is inconsistent.
std::optional<Vector> solve(const Matrix& m, const Vector& b) {
    const std::size_t n = m.size();
    Matrix aug(n, Vector(n + 1));
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = 0; j < n; ++j) aug[i][j] = m[i][j];
        aug[i][n] = b[i];
    }
    const std::vector<std::size_t> piv = kernel::rref(aug);
    for (std::size_t i = piv.size(); i < n; ++i)
        if (!kernel::is_zero(aug[i][n])) return std::nullopt;
    if (!piv.empty() && piv.back() == n) return std::nullopt;
    Vector x(n);
    for (std::size_t r = 0; r < piv.size(); ++r) x[piv[r]] = aug[r][n];
    return x;
}

// The first nonzero coefficient after the constant: its index, or 0 when the series is constant.
std::size_t leading(const Vector& c) {
    for (std::size_t k = 1; k < c.size(); ++k)
        if (!kernel::is_zero(c[k])) return k;
    return 0;
}

Rational coeff(const Vector& c, std::size_t k) { return k < c.size() ? c[k] : Rational(0); }

}  // namespace

std::vector<Vector> null_space_basis(const Matrix& m) {
    std::vector<Vector> basis = kernel::null_space(m, m.size());
    for (Vector& v : basis) v = integral(std::move(v));
    return basis;
}

std::vector<Vector> directions_from_monomials(
    const std::vector<std::pair<std::vector<std::pair<std::size_t, unsigned>>, Rational>>& monomials, std::size_t n) {
    std::vector<Vector> out;
    for (const auto& [factors, c] : monomials) {
        if (factors.empty() || kernel::is_zero(c)) continue;
        Vector d(n);
        for (const auto& [k, e] : factors) d[k] = 1;
        if (c > 0) {  // flip one factor of odd degree, if any
            bool flipped = false;
            for (const auto& [k, e] : factors)
                if (e % 2 == 1) {
                    d[k] = -1;
                    flipped = true;
                    break;
                }
            if (!flipped) continue;
        }
        out.push_back(std::move(d));
    }
    return out;
}

std::vector<Curve> propose_descent_curves(const Matrix& h, const CurveLoss& along, std::size_t max_curves) {
    std::vector<Curve> found;
    const std::size_t n = h.size();
    if (n == 0 || max_curves == 0) return found;
    const std::vector<Vector> basis = null_space_basis(h);
    if (basis.empty()) return found;
    const std::size_t k = basis.size();

    // Candidate first-order directions d1 in the null space.
    std::vector<std::vector<long long>> coefs;
    for (std::size_t a = 0; a < k; ++a) {
        std::vector<long long> c(k, 0);
        c[a] = 1;
        coefs.push_back(c);
    }
    coefs.emplace_back(k, 1);  // the symmetric choice: every null direction at once
    {
        std::vector<long long> alt(k);
        for (std::size_t a = 0; a < k; ++a) alt[a] = a % 2 ? -1 : 1;
        coefs.push_back(alt);
    }
    for (std::size_t a = 0; a < k && coefs.size() < 400; ++a)
        for (std::size_t b = a + 1; b < k && coefs.size() < 400; ++b)
            for (long long s : {1LL, -1LL}) {
                std::vector<long long> c(k, 0);
                c[a] = 1;
                c[b] = s;
                coefs.push_back(c);
            }
    std::uint64_t state = 0x9E3779B97F4A7C15ULL;  // fixed seed: the search is reproducible
    for (int r = 0; r < 24; ++r) {
        std::vector<long long> c(k);
        for (std::size_t a = 0; a < k; ++a) {
            state = state * 6364136223846793005ULL + 1442695040888963407ULL;
            c[a] = static_cast<long long>((state >> 33) % 5) - 2;  // in {-2, ..., 2}
        }
        coefs.push_back(c);
    }

    struct Flat {
        Vector d1;
        Vector series;
    };
    std::vector<Flat> quartic;  // directions whose expansion starts at order >= 4 (or is constant)
    for (const std::vector<long long>& c : coefs) {
        Vector d1 = combine(basis, c);
        if (is_zero_vector(d1)) continue;
        const Vector s = along({d1});
        const std::size_t lead = leading(s);
        if (lead != 0 && s[lead] < 0) {
            found.push_back({d1});
        } else if (lead != 0 && lead % 2 == 1) {  // odd order, positive: the opposite ray falls
            for (Rational& q : d1) q = -q;
            found.push_back({d1});
        } else if (lead == 0 || lead >= 4) {
            if (quartic.size() < 6) quartic.push_back({d1, s});
        }
        if (found.size() >= max_curves) return found;
    }
    if (!found.empty()) return found;

    // Fourth order along t d1 + t^2 d2: with h d1 = 0 and a zero cubic term, the t^4 coefficient is
    // q(d2) = 1/2 d2^T h d2 + b^T d2 + q0; b is read off the expansion at d2 = e_j.
    for (const Flat& f : quartic) {
        const Rational q0 = coeff(f.series, 4);
        Vector b(n);
        for (std::size_t j = 0; j < n; ++j) {
            Vector e(n);
            e[j] = 1;
            b[j] = coeff(along({f.d1, e}), 4) - q0 - h[j][j] / 2;
        }
        // b with a component along a null vector v: q(s v) = q0 + s (b . v) is unbounded below in s.
        // Otherwise b lies in the range of h and d2 solves h d2 = -b (the minimiser of q).
        Vector d2;
        for (const Vector& v : basis) {
            Rational vb = 0;
            for (std::size_t i = 0; i < n; ++i) vb += v[i] * b[i];
            if (kernel::is_zero(vb)) continue;
            const Rational mag = (q0 < 0 ? -q0 : q0) + 1;
            const Rational scale = -(mag / vb);  // (b . v) * scale = -mag < -|q0|
            d2.resize(n);
            for (std::size_t i = 0; i < n; ++i) d2[i] = scale * v[i];
            break;
        }
        if (d2.empty()) {
            Vector minus_b(n);
            for (std::size_t i = 0; i < n; ++i) minus_b[i] = -b[i];
            if (auto x = solve(h, minus_b)) d2 = *x;
        }
        if (d2.empty()) continue;
        const Vector s = along({f.d1, d2});
        const std::size_t lead = leading(s);
        if (lead != 0 && s[lead] < 0) found.push_back({f.d1, d2});
        if (found.size() >= max_curves) break;
    }
    return found;
}

}  // namespace nncert::hints
