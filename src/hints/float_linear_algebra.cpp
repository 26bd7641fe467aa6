// UNTRUSTED: LAPACK (OpenBLAS's) in plain double rounding, no error bounds. Its results only steer the
// rigorous tests in src/kernel/ball/ (a bad hint can only make them inconclusive).
#include "hints/float_linear_algebra.hpp"

#include "hints/blas_serial.hpp"

#include <algorithm>
#include <cmath>

namespace nncert::hints {

namespace {

bool finite(const DenseMatrix& a) {
    return std::all_of(a.begin(), a.end(), [](double x) { return std::isfinite(x); });
}

}  // namespace

std::optional<DenseMatrix> cholesky_upper_untrusted(const DenseMatrix& a, std::size_t n) {
    if (n == 0 || !finite(a)) return std::nullopt;
    // Row-major a is its own column-major transpose (symmetric); LAPACK's lower factor L (column-major) is
    // R = L^T in row-major.
    DenseMatrix r = a;
    const int nn = static_cast<int>(n);
    int info = 0;
    blas::dpotrf("L", &nn, r.data(), &nn, &info);
    if (info != 0) return std::nullopt;
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < i; ++j) r[i * n + j] = 0;  // row-major lower part: LAPACK's untouched upper
    if (!finite(r)) return std::nullopt;
    return r;
}

std::optional<DenseMatrix> inverse_from_cholesky_untrusted(const DenseMatrix& r, std::size_t n) {
    if (n == 0 || r.size() != n * n) return std::nullopt;
    // The row-major upper R is, read column-major, LAPACK's lower factor L = R^T.
    const int nn = static_cast<int>(n);
    int info = 0;
    DenseMatrix y = r;
    blas::dpotri("L", &nn, y.data(), &nn, &info);
    if (info != 0) return std::nullopt;
    // LAPACK filled the column-major lower triangle = row-major upper: mirror it.
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < i; ++j) y[i * n + j] = y[j * n + i];
    if (!finite(y)) return std::nullopt;
    return y;
}

std::optional<DenseMatrix> inverse_untrusted(const DenseMatrix& a, std::size_t n) {
    if (n == 0 || !finite(a)) return std::nullopt;
    if (const std::optional<DenseMatrix> r = cholesky_upper_untrusted(a, n))
        if (std::optional<DenseMatrix> y = inverse_from_cholesky_untrusted(*r, n)) return y;
    const int nn = static_cast<int>(n);
    int info = 0;
    DenseMatrix y = a;
    std::vector<int> ipiv(n);
    blas::dgetrf(&nn, &nn, y.data(), &nn, ipiv.data(), &info);
    if (info != 0) return std::nullopt;
    int lwork = -1;
    double query = 0;
    blas::dgetri(&nn, y.data(), &nn, ipiv.data(), &query, &lwork, &info);
    lwork = std::max(1, static_cast<int>(query));
    std::vector<double> work(static_cast<std::size_t>(lwork));
    blas::dgetri(&nn, y.data(), &nn, ipiv.data(), work.data(), &lwork, &info);
    // Column-major inverse of a^T = (a^-1)^T; for the symmetric a this is a^-1 itself, read row-major.
    if (info != 0 || !finite(y)) return std::nullopt;
    return y;
}

double smallest_eigenvalue_estimate_untrusted(const DenseMatrix& r, std::size_t n) {
    std::vector<double> x(n), y(n);
    for (std::size_t i = 0; i < n; ++i) x[i] = 1.0 + static_cast<double>(i % 3);
    double previous = 0, estimate = 0;
    for (int it = 0; it < 60; ++it) {
        double norm = 0;
        for (double v : x) norm += v * v;
        norm = std::sqrt(norm);
        if (!(norm > 0) || !std::isfinite(norm)) return 0;
        for (std::size_t i = 0; i < n; ++i) y[i] = x[i] / norm;
        x = y;
        // x <- (R^T R)^-1 y: solve R^T w = y, then R x = w (row-major upper R).
        blas::dtrsv(CblasRowMajor, CblasUpper, CblasTrans, CblasNonUnit, static_cast<int>(n), r.data(),
                    static_cast<int>(n), x.data(), 1);
        blas::dtrsv(CblasRowMajor, CblasUpper, CblasNoTrans, CblasNonUnit, static_cast<int>(n), r.data(),
                    static_cast<int>(n), x.data(), 1);
        double rq = 0;  // y^T (R^T R)^-1 y with |y| = 1: the dominant eigenvalue of the inverse
        for (std::size_t i = 0; i < n; ++i) rq += y[i] * x[i];
        if (!(rq > 0) || !std::isfinite(rq)) return 0;
        estimate = 1.0 / rq;
        if (it > 2 && std::fabs(estimate - previous) <= 1e-4 * std::fabs(estimate)) break;
        previous = estimate;
    }
    return estimate;
}

std::optional<EigenPair> lowest_eigenpair_untrusted(const DenseMatrix& a, std::size_t n) {
    if (n == 0 || !finite(a)) return std::nullopt;
    DenseMatrix work_a = a;
    const int nn = static_cast<int>(n), one = 1;
    const double zero = 0, abstol = 0;
    int found = 0, info = 0, lwork = -1, liwork = -1, iquery = 0;
    double query = 0;
    // LAPACK's W has N entries even when one eigenvalue is asked for: DSTEBZ (the bisection behind RANGE = 'I')
    // uses all of W as workspace. A single double here was a stack overflow (it crashed ball_box_definiteness).
    std::vector<double> w(n), z(n);
    std::vector<int> isuppz(2);
    blas::dsyevr("V", "I", "L", &nn, work_a.data(), &nn, &zero, &zero, &one, &one, &abstol, &found, w.data(), z.data(), &nn,
            isuppz.data(), &query, &lwork, &iquery, &liwork, &info);
    if (info != 0) return std::nullopt;
    lwork = std::max(1, static_cast<int>(query));
    liwork = std::max(1, iquery);
    std::vector<double> work(static_cast<std::size_t>(lwork));
    std::vector<int> iwork(static_cast<std::size_t>(liwork));
    blas::dsyevr("V", "I", "L", &nn, work_a.data(), &nn, &zero, &zero, &one, &one, &abstol, &found, w.data(), z.data(), &nn,
            isuppz.data(), work.data(), &lwork, iwork.data(), &liwork, &info);
    if (info != 0 || found != 1 || !std::isfinite(w[0])) return std::nullopt;
    return EigenPair{w[0], z};
}

}  // namespace nncert::hints
