// Sparse multivariate polynomials with exact rational coefficients, for the linear-relaxation method
// (relaxation.cpp). Assumes variables are small integers; "boolean" variables (e^2 = e) are reduced on the fly.
#pragma once

#include "kernel/number.hpp"

#include <cstdint>
#include <map>
#include <stdexcept>
#include <vector>

namespace nncert::kernel {

// Thrown when a product would exceed the work budget the caller set (the method then answers inconclusive).
struct PolyBudgetExceeded : std::runtime_error {
    PolyBudgetExceeded() : std::runtime_error("polynomial work budget exceeded") {}
};

// The budget shared by every operation of one computation: term-by-term multiplications performed, and
// the largest number of terms any polynomial may hold. `boolean_from`: variables with index >= it satisfy
// v^2 = v (they only ever take the values 0 and 1), so their exponents are capped at 1.
struct PolyContext {
    std::uint64_t work_left = 0;
    std::size_t max_terms = 0;
    std::uint32_t boolean_from = UINT32_MAX;
};

// A monomial: (variable, exponent) pairs, sorted by variable, every exponent >= 1.
using Monomial = std::vector<std::pair<std::uint32_t, std::uint32_t>>;

class MultiPoly {
public:
    MultiPoly() = default;
    explicit MultiPoly(const Rational& c) {
        if (!is_zero(c)) terms_[{}] = c;
    }
    static MultiPoly variable(std::uint32_t v) {
        MultiPoly p;
        p.terms_[{{v, 1}}] = Rational(1);
        return p;
    }

    const std::map<Monomial, Rational>& terms() const { return terms_; }
    std::size_t size() const { return terms_.size(); }
    // The constant term (the value at the origin).
    Rational constant() const {
        const auto it = terms_.find({});
        return it == terms_.end() ? Rational(0) : it->second;
    }

    MultiPoly& add(const MultiPoly& o, const Rational& scale, const PolyContext& ctx) {
        if (is_zero(scale)) return *this;
        for (const auto& [m, c] : o.terms_) accumulate(m, c * scale);
        if (terms_.size() > ctx.max_terms) throw PolyBudgetExceeded();
        return *this;
    }

    MultiPoly times(const MultiPoly& o, PolyContext& ctx) const {
        const std::uint64_t cost = static_cast<std::uint64_t>(terms_.size()) * o.terms_.size();
        if (cost > ctx.work_left) throw PolyBudgetExceeded();
        ctx.work_left -= cost;
        MultiPoly r;
        for (const auto& [ma, ca] : terms_)
            for (const auto& [mb, cb] : o.terms_) r.accumulate(multiply(ma, mb, ctx.boolean_from), ca * cb);
        if (r.terms_.size() > ctx.max_terms) throw PolyBudgetExceeded();
        return r;
    }

    MultiPoly scaled(const Rational& s) const {
        MultiPoly r;
        if (is_zero(s)) return r;
        for (const auto& [m, c] : terms_) r.terms_[m] = c * s;
        return r;
    }

private:
    void accumulate(const Monomial& m, const Rational& c) {
        if (is_zero(c)) return;
        auto [it, fresh] = terms_.try_emplace(m, c);
        if (fresh) return;
        it->second += c;
        if (is_zero(it->second)) terms_.erase(it);
    }

    static Monomial multiply(const Monomial& a, const Monomial& b, std::uint32_t boolean_from) {
        Monomial r;
        r.reserve(a.size() + b.size());
        std::size_t i = 0, j = 0;
        while (i < a.size() || j < b.size()) {
            if (j == b.size() || (i < a.size() && a[i].first < b[j].first)) r.push_back(a[i++]);
            else if (i == a.size() || b[j].first < a[i].first) r.push_back(b[j++]);
            else {
                const std::uint32_t v = a[i].first;
                r.push_back({v, v >= boolean_from ? 1u : a[i].second + b[j].second});
                ++i;
                ++j;
            }
        }
        return r;
    }

    std::map<Monomial, Rational> terms_;
};

}  // namespace nncert::kernel
