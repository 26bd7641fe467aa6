// Integer accumulation of outer products (see gram.hpp): GMP's fused mpz_addmul row by row, or buffered rows
// summed as exact integer Gram matrices through BLAS (integer_gram.hpp; exactness in docs/certificates.md).
#include "kernel/gram.hpp"

#include "kernel/integer_gram.hpp"

#include <algorithm>

namespace nncert::kernel {

GramAccumulator::GramAccumulator(std::size_t n, bool use_blas)
    : n_(n),
      use_blas_(use_blas && n >= blas_min_params),
      // About 2^22 buffered entries per weight (and at most what one exact BLAS sum allows).
      chunk_rows_(std::clamp<std::size_t>(n ? (std::size_t{1} << 22) / n : 1, 64, integer_gram_max_rows)),
      upper_(n * (n + 1) / 2),
      scaled_(n),
      ints_(n) {}

Integer GramAccumulator::make_room(const Integer& d2) {
    if (denom_ % d2 != 0) {  // grow the common denominator to lcm(denom_, d2)
        const Integer grown = denom_ / gcd(denom_, d2) * d2;
        const Integer f = grown / denom_;
        for (Integer& m : upper_)
            if (m != 0) m *= f;
        denom_ = grown;
    }
    return denom_ / d2;
}

void GramAccumulator::accumulate(const Integer* ints, const Integer& d, const Rational& w) {
    // w j j^T = (wp/wq) (J/d)(J/d)^T with J integer: denominator d^2 wq, numerator wp J J^T.
    nonzero_.clear();
    for (std::size_t r = 0; r < n_; ++r)
        if (ints[r] != 0) nonzero_.push_back(r);
    if (nonzero_.empty()) return;
    const Integer wp = numerator(w), wq = denominator(w);
    const Integer s = make_room(d * d * wq);
    for (std::size_t r : nonzero_) scaled_[r] = ints[r] * s * wp;
    for (std::size_t a = 0; a < nonzero_.size(); ++a) {
        const std::size_t r = nonzero_[a];
        Integer* row = &upper_[r * n_ - r * (r - 1) / 2 - r];  // entry (r, c) at row[c]
        for (std::size_t b = a; b < nonzero_.size(); ++b) {
            const std::size_t c = nonzero_[b];
            mpz_addmul(row[c].backend().data(), scaled_[r].backend().data(), ints[c].backend().data());
        }
    }
}

void GramAccumulator::add(const Vector& j, const Rational& w) {
    Integer d = 1;
    bool any = false;
    for (std::size_t r = 0; r < n_; ++r) {
        if (is_zero(j[r])) continue;
        any = true;
        const Integer& q = denominator(j[r]);
        if (q != 1) d = d / gcd(d, q) * q;
    }
    if (!any) return;
    for (std::size_t r = 0; r < n_; ++r) ints_[r] = is_zero(j[r]) ? Integer(0) : Integer(numerator(j[r]) * (d / denominator(j[r])));
    Pending* p = nullptr;
    if (use_blas_) {
        for (Pending& q : pending_)
            if (q.weight == w) p = &q;
        if (!p && pending_.size() < max_weights) {
            pending_.push_back(Pending{w, {}, {}, 0});
            p = &pending_.back();
        }
    }
    if (!p) {
        accumulate(ints_.data(), d, w);
        return;
    }
    p->rows.insert(p->rows.end(), ints_.begin(), ints_.end());
    p->scale.push_back(d);
    if (++p->count == chunk_rows_) flush(*p);
}

void GramAccumulator::flush(Pending& p) {
    if (p.count == 0) return;
    // Common scale of the buffered rows: j_i = K_i / L with K_i = J_i (L / d_i), so sum w j_i j_i^T =
    // (wp / (wq L^2)) K^T K.
    Integer l = 1;
    for (const Integer& d : p.scale) l = l / gcd(l, d) * d;
    for (std::size_t i = 0; i < p.count; ++i) {
        const Integer f = l / p.scale[i];
        if (f != 1)
            for (std::size_t c = 0; c < n_; ++c) p.rows[i * n_ + c] *= f;
    }
    const Integer wp = numerator(p.weight), wq = denominator(p.weight);
    const Integer s = make_room(l * l * wq);
    if (!add_integer_gram(p.rows, p.count, n_, Integer(s * wp), upper_)) {
        for (std::size_t i = 0; i < p.count; ++i) accumulate(&p.rows[i * n_], l, p.weight);  // too wide: GMP loop
    }
    p.rows.clear();
    p.scale.clear();
    p.count = 0;
}

Matrix GramAccumulator::result() {
    for (Pending& p : pending_) flush(p);
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
