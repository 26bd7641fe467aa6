// Integer accumulation of outer products (see gram.hpp). Uses GMP's fused mpz_addmul directly.
#include "kernel/gram.hpp"

namespace nncert::kernel {

GramAccumulator::GramAccumulator(std::size_t n) : n_(n), upper_(n * (n + 1) / 2), scaled_(n), ints_(n) {}

void GramAccumulator::add(const Vector& j, const Rational& w) {
    nonzero_.clear();
    Integer d = 1;
    for (std::size_t r = 0; r < n_; ++r) {
        if (is_zero(j[r])) continue;
        nonzero_.push_back(r);
        const Integer& q = denominator(j[r]);
        if (q != 1) d = d / gcd(d, q) * q;
    }
    if (nonzero_.empty()) return;
    // w j j^T = (wp/wq) (J/d)(J/d)^T with J integer: denominator d^2 wq, numerator wp J J^T.
    const Integer wp = numerator(w), wq = denominator(w);
    const Integer d2 = d * d * wq;
    if (denom_ % d2 != 0) {  // grow the common denominator to lcm(denom_, d^2)
        const Integer grown = denom_ / gcd(denom_, d2) * d2;
        const Integer f = grown / denom_;
        for (Integer& m : upper_)
            if (m != 0) m *= f;
        denom_ = grown;
    }
    const Integer s = denom_ / d2;
    for (std::size_t r : nonzero_) {
        ints_[r] = numerator(j[r]) * (d / denominator(j[r]));
        scaled_[r] = ints_[r] * s * wp;
    }
    for (std::size_t a = 0; a < nonzero_.size(); ++a) {
        const std::size_t r = nonzero_[a];
        Integer* row = &upper_[r * n_ - r * (r - 1) / 2 - r];  // entry (r, c) at row[c]
        for (std::size_t b = a; b < nonzero_.size(); ++b) {
            const std::size_t c = nonzero_[b];
            mpz_addmul(row[c].backend().data(), scaled_[r].backend().data(), ints_[c].backend().data());
        }
    }
}

Matrix GramAccumulator::result() const {
    Matrix m(n_, Vector(n_));
    for (std::size_t r = 0; r < n_; ++r) {
        const Integer* row = &upper_[r * n_ - r * (r - 1) / 2 - r];
        for (std::size_t c = r; c < n_; ++c) {
            if (row[c] == 0) continue;
            m[r][c] = Rational(row[c], denom_);
            m[c][r] = m[r][c];
        }
    }
    return m;
}

}  // namespace nncert::kernel
