// Rigorous ball matrix products on top of BLAS dgemm/dsyrk (with integer_gram.cpp, the kernel's only BLAS
// calls), and the small magnitude helpers the box tests need. Assumes rounding.hpp's model; the product bound is proved in
// docs/certificates.md ("Ball matrix products").
#include "kernel/ball/matrix.hpp"

#include "hints/blas_serial.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace nncert::kernel {

namespace {

using namespace ball_rounding;

constexpr double unit = 0x1p-52;       // u: relative error of one operation in any rounding direction
constexpr double eta = 0x1p-1074;      // the subnormal spacing: absolute error of an underflowing product
constexpr double input_cap = 0x1p+490;  // inputs below this cannot overflow any partial sum (k <= 2^25)

// (k + 1) u, exact.
double gamma_bound(std::size_t k) { return static_cast<double>(k + 1) * unit; }

bool within_cap(const std::vector<double>& v) {
    for (double x : v)
        if (!(std::fabs(x) <= input_cap)) return false;  // NaN fails too
    return true;
}

std::vector<double> absolute(const std::vector<double>& v) {
    std::vector<double> out(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) out[i] = std::fabs(v[i]);
    return out;
}

bool all_zero(const std::vector<double>& v) {
    return std::all_of(v.begin(), v.end(), [](double x) { return x == 0; });
}

// C = A B (row-major, A: n x k, B: k x m) by one dgemm with alpha = 1 on a zeroed C, beta = 0.
std::vector<double> gemm(const std::vector<double>& a, const std::vector<double>& b, std::size_t n, std::size_t k,
                         std::size_t m, bool transpose_a = false) {
    std::vector<double> c(n * m, 0.0);
    if (n == 0 || m == 0 || k == 0) return c;
    blas::dgemm(CblasRowMajor, transpose_a ? CblasTrans : CblasNoTrans, CblasNoTrans, static_cast<int>(n),
                static_cast<int>(m), static_cast<int>(k), 1.0, a.data(), static_cast<int>(transpose_a ? n : k), b.data(),
                static_cast<int>(m), 0.0, c.data(), static_cast<int>(m));
    return c;
}

BallMatrix whole_matrix(std::size_t r, std::size_t c) {
    BallMatrix out(r, c);
    std::fill(out.rad.begin(), out.rad.end(), inf);
    return out;
}

// rad = (1 + (k+1)u)(r1 + r2 + 4 k eta) + 2 k eta, every step rounded up; a non-finite mid or bound makes
// the entry whole.
void finish_radius(BallMatrix& out, const std::vector<double>& r1, const std::vector<double>* r2, std::size_t k) {
    const double factor = 1.0 + gamma_bound(k);  // exact
    const double four_k_eta = std::ldexp(4.0 * static_cast<double>(k), -1074);  // exact multiples of 2^-1074
    const double two_k_eta = std::ldexp(2.0 * static_cast<double>(k), -1074);
    for (std::size_t i = 0; i < out.mid.size(); ++i) {
        double s = add_up(r1[i], four_k_eta);
        if (r2) s = add_up(s, (*r2)[i]);
        double r = add_up(mul_up(factor, s), two_k_eta);
        if (!std::isfinite(out.mid[i]) || !(r <= max_finite)) {
            out.mid[i] = 0;
            r = inf;
        }
        out.rad[i] = r;
    }
}

}  // namespace

bool BallMatrix::finite() const {
    for (std::size_t i = 0; i < mid.size(); ++i)
        if (!std::isfinite(mid[i]) || !(rad[i] <= max_finite)) return false;
    return true;
}

BallMatrix product(const BallMatrix& a, const BallMatrix& b) {
    if (a.cols != b.rows) throw std::invalid_argument("ball product: inner dimensions differ");
    const std::size_t n = a.rows, k = a.cols, m = b.cols;
    if (k > max_inner_dimension || !within_cap(a.mid) || !within_cap(a.rad) || !within_cap(b.mid) ||
        !within_cap(b.rad))
        return whole_matrix(n, m);
    BallMatrix out(n, m);
    out.mid = gemm(a.mid, b.mid, n, k, m);
    const double g = gamma_bound(k);
    const std::vector<double> abs_bm = absolute(b.mid);
    std::vector<double> q1(abs_bm.size());
    for (std::size_t i = 0; i < q1.size(); ++i) q1[i] = add_up(b.rad[i], mul_up(g, abs_bm[i]));
    const std::vector<double> r1 = gemm(absolute(a.mid), q1, n, k, m);
    if (all_zero(a.rad)) {
        finish_radius(out, r1, nullptr, k);
    } else {
        std::vector<double> q2(abs_bm.size());
        for (std::size_t i = 0; i < q2.size(); ++i) q2[i] = add_up(abs_bm[i], b.rad[i]);
        const std::vector<double> r2 = gemm(a.rad, q2, n, k, m);
        finish_radius(out, r1, &r2, k);
    }
    return out;
}

BallMatrix gram(const BallMatrix& a, bool tight) {
    const std::size_t m = a.rows, p = a.cols;
    if (m > max_inner_dimension || !within_cap(a.mid) || !within_cap(a.rad)) return whole_matrix(p, p);
    BallMatrix out(p, p);
    if (m > 0 && p > 0)
        blas::dsyrk(CblasRowMajor, CblasUpper, CblasTrans, static_cast<int>(p), static_cast<int>(m), 1.0,
                    a.mid.data(), static_cast<int>(p), 0.0, out.mid.data(), static_cast<int>(p));
    for (std::size_t i = 0; i < p; ++i)
        for (std::size_t j = 0; j < i; ++j) out.mid[i * p + j] = out.mid[j * p + i];  // mirror the upper triangle
    const double g = gamma_bound(m);
    if (tight) {
        const std::vector<double> abs_m = absolute(a.mid);
        std::vector<double> q1(abs_m.size()), q2(abs_m.size());
        for (std::size_t i = 0; i < q1.size(); ++i) {
            q1[i] = add_up(a.rad[i], mul_up(g, abs_m[i]));
            q2[i] = add_up(abs_m[i], a.rad[i]);
        }
        const std::vector<double> r1 = gemm(abs_m, q1, p, m, p, true);
        const std::vector<double> r2 = gemm(a.rad, q2, p, m, p, true);
        finish_radius(out, r1, &r2, m);
    } else {
        // Cauchy-Schwarz on exact reals: (|mA|^T Q1)_ij <= ||col_i |mA| ||_2 ||col_j Q1||_2, likewise rA^T Q2, with
        // Q1 = rA + gamma |mA| and Q2 = |mA| + rA entrywise (rounded up). These bound the exact products directly,
        // so only the mid's own rounding term 2 m eta is added. The column sums of squares are accumulated row by
        // row (contiguous, no m x p temporaries), each column's terms in the order of its rows.
        std::vector<double> s1(p, 0.0), sq1(p, 0.0), sr(p, 0.0), sq2(p, 0.0);
        for (std::size_t i = 0; i < m; ++i) {
            const double* mid_row = a.mid.data() + i * p;
            const double* rad_row = a.rad.data() + i * p;
            for (std::size_t j = 0; j < p; ++j) {
                const double am = std::fabs(mid_row[j]), rd = rad_row[j];
                const double q1 = add_up(rd, mul_up(g, am)), q2 = add_up(am, rd);
                s1[j] = add_up(s1[j], mul_up(am, am));
                sq1[j] = add_up(sq1[j], mul_up(q1, q1));
                sr[j] = add_up(sr[j], mul_up(rd, rd));
                sq2[j] = add_up(sq2[j], mul_up(q2, q2));
            }
        }
        // IEEE sqrt is correctly rounded in the current direction: up() of it is above the exact root.
        std::vector<double> n1(p), nq1(p), nr(p), nq2(p);
        for (std::size_t j = 0; j < p; ++j) {
            n1[j] = up(std::sqrt(s1[j]));
            nq1[j] = up(std::sqrt(sq1[j]));
            nr[j] = up(std::sqrt(sr[j]));
            nq2[j] = up(std::sqrt(sq2[j]));
        }
        const double two_m_eta = std::ldexp(2.0 * static_cast<double>(m), -1074);
        for (std::size_t i = 0; i < p; ++i)
            for (std::size_t j = 0; j < p; ++j) {
                double r = add_up(add_up(mul_up(n1[i], nq1[j]), mul_up(nr[i], nq2[j])), two_m_eta);
                if (!std::isfinite(out.mid[i * p + j]) || !(r <= max_finite)) r = inf;
                out.rad[i * p + j] = r;
            }
    }
    // (i, j) and (j, i) enclose the same exact entry of the symmetric X^T X: keep the smaller radius of the two.
    for (std::size_t i = 0; i < p; ++i)
        for (std::size_t j = 0; j < i; ++j) {
            const double r = std::min(out.rad[i * p + j], out.rad[j * p + i]);
            out.rad[i * p + j] = out.rad[j * p + i] = r;
        }
    return out;
}

PointProduct point_product(const std::vector<double>& a, const std::vector<double>& b, std::size_t n, std::size_t k,
                           std::size_t m) {
    PointProduct out;
    if (k > max_inner_dimension || !within_cap(a) || !within_cap(b)) {
        out.mid.assign(n * m, std::numeric_limits<double>::quiet_NaN());
        out.row_error.assign(n, inf);
        return out;
    }
    out.mid = gemm(a, b, n, k, m);
    const double g = gamma_bound(k);
    std::vector<double> col(k, 0.0);  // (k+1) u |B| 1, rounded up
    for (std::size_t t = 0; t < k; ++t) {
        double s = 0;
        for (std::size_t j = 0; j < m; ++j) s = add_up(s, std::fabs(b[t * m + j]));
        col[t] = mul_up(g, s);
    }
    const double floor = std::ldexp(2.0 * static_cast<double>(k) * static_cast<double>(m), -1074);  // exact
    out.row_error.assign(n, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
        double s = floor;
        for (std::size_t t = 0; t < k; ++t) s = add_up(s, mul_up(std::fabs(a[i * k + t]), col[t]));
        for (std::size_t j = 0; j < m; ++j)
            if (!std::isfinite(out.mid[i * m + j])) s = inf;
        out.row_error[i] = s;
    }
    return out;
}

BallMatrix transpose(const BallMatrix& a) {
    BallMatrix t(a.cols, a.rows);
    for (std::size_t i = 0; i < a.rows; ++i)
        for (std::size_t j = 0; j < a.cols; ++j) {
            t.mid[j * a.rows + i] = a.mid[i * a.cols + j];
            t.rad[j * a.rows + i] = a.rad[i * a.cols + j];
        }
    return t;
}

BallMatrix sum(const BallMatrix& a, const BallMatrix& b) {
    if (a.rows != b.rows || a.cols != b.cols) throw std::invalid_argument("ball sum: shapes differ");
    BallMatrix out(a.rows, a.cols);
    for (std::size_t i = 0; i < a.mid.size(); ++i) {
        const Ball s = Ball::from_parts(a.mid[i], a.rad[i]) + Ball::from_parts(b.mid[i], b.rad[i]);
        out.mid[i] = s.mid();
        out.rad[i] = s.rad();
    }
    return out;
}

BallMatrix scaled(const BallMatrix& a, const Ball& s) {
    BallMatrix out(a.rows, a.cols);
    for (std::size_t i = 0; i < a.mid.size(); ++i) {
        const Ball v = Ball::from_parts(a.mid[i], a.rad[i]) * s;
        out.mid[i] = v.mid();
        out.rad[i] = v.rad();
    }
    return out;
}

std::vector<double> row_magnitude_sums(const BallMatrix& a) {
    std::vector<double> out(a.rows, 0.0);
    for (std::size_t i = 0; i < a.rows; ++i) {
        double s = 0;
        for (std::size_t j = 0; j < a.cols; ++j)
            s = add_up(s, add_up(std::fabs(a.mid[i * a.cols + j]), a.rad[i * a.cols + j]));
        out[i] = std::isfinite(s) ? s : inf;
    }
    return out;
}

std::vector<double> magnitude_times(const BallMatrix& a, const std::vector<double>& v) {
    if (v.size() != a.cols) throw std::invalid_argument("magnitude_times: shapes differ");
    std::vector<double> out(a.rows, 0.0);
    for (std::size_t i = 0; i < a.rows; ++i) {
        double s = 0;
        for (std::size_t j = 0; j < a.cols; ++j) {
            if (v[j] == 0) continue;
            s = add_up(s, mul_up(add_up(std::fabs(a.mid[i * a.cols + j]), a.rad[i * a.cols + j]), v[j]));
        }
        out[i] = s == s ? s : inf;
    }
    return out;
}

double radius_frobenius_bound(const BallMatrix& a) {
    double s = 0;
    for (double r : a.rad) s = add_up(s, mul_up(r, r));
    return s == s ? up(std::sqrt(s)) : inf;
}

double radius_row_sum_bound(const BallMatrix& a) {
    double worst = 0;
    for (std::size_t i = 0; i < a.rows; ++i) {
        double s = 0;
        for (std::size_t j = 0; j < a.cols; ++j) s = add_up(s, a.rad[i * a.cols + j]);
        if (!(s <= worst)) worst = s;  // NaN makes it NaN: checked by the caller as "not finite"
    }
    return worst == worst ? worst : inf;
}

}  // namespace nncert::kernel
