// Floating-point loss, gradient and Hessian of a 2-2-1 network (untrusted search only; never the kernel).
// Closed-form derivatives, generic over double / long double, with nncert's parameter layout.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <utility>
#include <vector>

namespace nncert::search {

// Flat layout as in nncert scripts: W1 row-major (W1[1,1], W1[1,2], W1[2,1], W1[2,2]), b1[1], b1[2],
// W2[1,1], W2[1,2], b2[1].
constexpr std::size_t num_params = 9;

enum class Hidden { sigmoid, tanh };
enum class Output { identity, sigmoid };
enum class Loss { sse, mse, bce };

struct Arch {
    Hidden hidden = Hidden::sigmoid;
    Output output = Output::identity;
    Loss loss = Loss::sse;
};

// One data row. Inputs are multiples of 1/100 kept as integers, so a script prints them exactly.
constexpr int coord_scale = 100;
struct Row {
    int x0 = 0, x1 = 0;  // hundredths
    int y = 0;           // 0 or 1
    double fx0() const { return x0 / double(coord_scale); }
    double fx1() const { return x1 / double(coord_scale); }
};
using Dataset = std::vector<Row>;

template <class T>
using Params = std::array<T, num_params>;
template <class T>
using Mat = std::array<std::array<T, num_params>, num_params>;

template <class T>
inline T sigm(T z) {
    return z >= 0 ? T(1) / (T(1) + std::exp(-z)) : std::exp(z) / (T(1) + std::exp(z));
}

// Value, first and second derivative of the hidden activation.
template <class T>
inline void hidden_act(Hidden h, T z, T& a, T& d1, T& d2) {
    if (h == Hidden::sigmoid) {
        a = sigm(z);
        d1 = a * (T(1) - a);
        d2 = d1 * (T(1) - T(2) * a);
    } else {
        a = std::tanh(z);
        d1 = T(1) - a * a;
        d2 = T(-2) * a * d1;
    }
}

// Network output (after the output activation) and pre-activation u at one input.
template <class T>
inline T output(const Arch& ar, const Params<T>& p, T x0, T x1, T* u_out = nullptr) {
    T a1, a2, d1, d2;
    hidden_act(ar.hidden, p[0] * x0 + p[1] * x1 + p[4], a1, d1, d2);
    hidden_act(ar.hidden, p[2] * x0 + p[3] * x1 + p[5], a2, d1, d2);
    const T u = p[6] * a1 + p[7] * a2 + p[8];
    if (u_out) *u_out = u;
    return ar.output == Output::sigmoid ? sigm(u) : u;
}

template <class T>
inline T softplus(T u) {
    return u > 0 ? u + std::log1p(std::exp(-u)) : std::log1p(std::exp(u));
}

template <class T>
inline T loss_scale(const Arch& ar, std::size_t n) {
    return ar.loss == Loss::sse ? T(1) : T(1) / T(n);
}

// The loss; with g (and H) also the gradient (and Hessian).
template <class T>
T evaluate(const Arch& ar, const Dataset& d, const Params<T>& p, Params<T>* g = nullptr, Mat<T>* H = nullptr) {
    T L = 0;
    if (g) g->fill(T(0));
    if (H)
        for (auto& r : *H) r.fill(T(0));
    for (const Row& row : d) {
        const T x0 = T(row.x0) / T(coord_scale), x1 = T(row.x1) / T(coord_scale), y = T(row.y);
        T a[2], s[2], s2[2];
        hidden_act(ar.hidden, p[0] * x0 + p[1] * x1 + p[4], a[0], s[0], s2[0]);
        hidden_act(ar.hidden, p[2] * x0 + p[3] * x1 + p[5], a[1], s[1], s2[1]);
        const T u = p[6] * a[0] + p[7] * a[1] + p[8];
        T l, l1, l2;  // loss term and its first two derivatives in u
        if (ar.loss == Loss::bce) {
            const T f = sigm(u);
            l = softplus(u) - y * u;
            l1 = f - y;
            l2 = f * (T(1) - f);
        } else if (ar.output == Output::sigmoid) {
            const T f = sigm(u), fp = f * (T(1) - f);
            l = (f - y) * (f - y);
            l1 = T(2) * (f - y) * fp;
            l2 = T(2) * (fp * fp + (f - y) * fp * (T(1) - T(2) * f));
        } else {
            l = (u - y) * (u - y);
            l1 = T(2) * (u - y);
            l2 = T(2);
        }
        L += l;
        if (!g) continue;
        const T xi[3] = {x0, x1, T(1)};
        Params<T> du;
        const std::size_t in_idx[2][3] = {{0, 1, 4}, {2, 3, 5}};
        for (int j = 0; j < 2; ++j)
            for (int k = 0; k < 3; ++k) du[in_idx[j][k]] = p[6 + j] * s[j] * xi[k];
        du[6] = a[0];
        du[7] = a[1];
        du[8] = T(1);
        for (std::size_t i = 0; i < num_params; ++i) (*g)[i] += l1 * du[i];
        if (!H) continue;
        for (std::size_t i = 0; i < num_params; ++i)
            for (std::size_t k = 0; k < num_params; ++k) (*H)[i][k] += l2 * du[i] * du[k];
        for (int j = 0; j < 2; ++j)
            for (int k = 0; k < 3; ++k) {
                for (int m = 0; m < 3; ++m)
                    (*H)[in_idx[j][k]][in_idx[j][m]] += l1 * p[6 + j] * s2[j] * xi[k] * xi[m];
                const T c = l1 * s[j] * xi[k];
                (*H)[in_idx[j][k]][6 + j] += c;
                (*H)[6 + j][in_idx[j][k]] += c;
            }
    }
    const T sc = loss_scale<T>(ar, d.size());
    if (sc != T(1)) {
        L *= sc;
        if (g)
            for (T& v : *g) v *= sc;
        if (H)
            for (auto& r : *H)
                for (T& v : r) v *= sc;
    }
    return L;
}

// Cholesky solve of (A + mu I) x = b; false when the shifted matrix is not (numerically) positive definite.
template <class T>
bool chol_solve(const Mat<T>& A, T mu, const Params<T>& b, Params<T>& x) {
    Mat<T> Lm{};
    for (std::size_t i = 0; i < num_params; ++i) {
        for (std::size_t j = 0; j <= i; ++j) {
            T s = A[i][j] + (i == j ? mu : T(0));
            for (std::size_t k = 0; k < j; ++k) s -= Lm[i][k] * Lm[j][k];
            if (i == j) {
                if (!(s > T(0))) return false;
                Lm[i][i] = std::sqrt(s);
            } else {
                Lm[i][j] = s / Lm[j][j];
            }
        }
    }
    Params<T> y{};
    for (std::size_t i = 0; i < num_params; ++i) {
        T s = b[i];
        for (std::size_t k = 0; k < i; ++k) s -= Lm[i][k] * y[k];
        y[i] = s / Lm[i][i];
    }
    for (std::size_t i = num_params; i-- > 0;) {
        T s = y[i];
        for (std::size_t k = i + 1; k < num_params; ++k) s -= Lm[k][i] * x[k];
        x[i] = s / Lm[i][i];
    }
    return true;
}

// Gaussian elimination with partial pivoting (for plain Newton steps at indefinite points).
template <class T>
bool lu_solve(Mat<T> A, Params<T> b, Params<T>& x) {
    const std::size_t n = num_params;
    for (std::size_t c = 0; c < n; ++c) {
        std::size_t piv = c;
        for (std::size_t r = c + 1; r < n; ++r)
            if (std::abs(A[r][c]) > std::abs(A[piv][c])) piv = r;
        if (A[piv][c] == T(0)) return false;
        std::swap(A[c], A[piv]);
        std::swap(b[c], b[piv]);
        for (std::size_t r = c + 1; r < n; ++r) {
            const T f = A[r][c] / A[c][c];
            for (std::size_t k = c; k < n; ++k) A[r][k] -= f * A[c][k];
            b[r] -= f * b[c];
        }
    }
    for (std::size_t i = n; i-- > 0;) {
        T s = b[i];
        for (std::size_t k = i + 1; k < n; ++k) s -= A[i][k] * x[k];
        x[i] = s / A[i][i];
    }
    return true;
}

// Eigenvalues of a symmetric matrix by cyclic Jacobi rotations, ascending.
inline std::array<double, num_params> eigenvalues(Mat<double> A) {
    const std::size_t n = num_params;
    for (int sweep = 0; sweep < 100; ++sweep) {
        double off = 0;
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t j = i + 1; j < n; ++j) off += A[i][j] * A[i][j];
        if (off < 1e-300) break;
        for (std::size_t p = 0; p < n; ++p)
            for (std::size_t q = p + 1; q < n; ++q) {
                if (std::abs(A[p][q]) < 1e-300) continue;
                const double theta = (A[q][q] - A[p][p]) / (2 * A[p][q]);
                const double t = (theta >= 0 ? 1.0 : -1.0) / (std::abs(theta) + std::sqrt(theta * theta + 1));
                const double c = 1 / std::sqrt(t * t + 1), s = t * c;
                for (std::size_t k = 0; k < n; ++k) {
                    const double akp = A[k][p], akq = A[k][q];
                    A[k][p] = c * akp - s * akq;
                    A[k][q] = s * akp + c * akq;
                }
                for (std::size_t k = 0; k < n; ++k) {
                    const double apk = A[p][k], aqk = A[q][k];
                    A[p][k] = c * apk - s * aqk;
                    A[q][k] = s * apk + c * aqk;
                }
            }
    }
    std::array<double, num_params> ev;
    for (std::size_t i = 0; i < n; ++i) ev[i] = A[i][i];
    std::sort(ev.begin(), ev.end());
    return ev;
}

}  // namespace nncert::search
