// Exact rational linear algebra shared by the kernel and its hints: reduced row echelon form, rank, null
// space. Header-only and trusted (the kernel's Morse-Bott method relies on it; the hints reuse it).
#pragma once

#include "kernel/exact.hpp"

#include <utility>
#include <vector>

namespace nncert::kernel {

// Reduces m (rows x cols) in place to reduced row echelon form; returns the pivot column of each pivot row.
inline std::vector<std::size_t> rref(Matrix& m) {
    std::vector<std::size_t> pivots;
    const std::size_t rows = m.size(), cols = rows ? m[0].size() : 0;
    std::size_t r = 0;
    for (std::size_t c = 0; c < cols && r < rows; ++c) {
        std::size_t piv = r;
        while (piv < rows && is_zero(m[piv][c])) ++piv;
        if (piv == rows) continue;
        std::swap(m[piv], m[r]);
        const Rational inv = Rational(1) / m[r][c];
        for (std::size_t j = c; j < cols; ++j) m[r][j] *= inv;
        for (std::size_t i = 0; i < rows; ++i) {
            if (i == r || is_zero(m[i][c])) continue;
            const Rational f = m[i][c];
            for (std::size_t j = c; j < cols; ++j) m[i][j] -= f * m[r][j];
        }
        pivots.push_back(c);
        ++r;
    }
    return pivots;
}

// A basis of { x : m x = 0 } (m has `cols` columns; rows may be empty): one vector per free column, with 1
// there, 0 at the other free columns, and the pivot entries solved; so the basis is linearly independent.
inline std::vector<Vector> null_space(Matrix m, std::size_t cols) {
    const std::vector<std::size_t> piv = rref(m);
    std::vector<bool> is_pivot(cols, false);
    for (std::size_t c : piv) is_pivot[c] = true;
    std::vector<Vector> basis;
    for (std::size_t f = 0; f < cols; ++f) {
        if (is_pivot[f]) continue;
        Vector v(cols);
        v[f] = 1;
        for (std::size_t r = 0; r < piv.size(); ++r) v[piv[r]] = -m[r][f];
        basis.push_back(std::move(v));
    }
    return basis;
}

inline std::size_t rank(Matrix m) { return rref(m).size(); }

}  // namespace nncert::kernel
