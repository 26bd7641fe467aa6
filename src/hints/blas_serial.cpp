// One OpenBLAS call at a time (see blas_serial.hpp for why).
#include "hints/blas_serial.hpp"

#include <pthread.h>

#include <cstddef>
#include <mutex>

extern "C" {
// Fortran LAPACK symbols exported by OpenBLAS; trailing size_t are the hidden lengths of character arguments.
void dpotrf_(const char* uplo, const int* n, double* a, const int* lda, int* info, std::size_t);
void dpotri_(const char* uplo, const int* n, double* a, const int* lda, int* info, std::size_t);
void dgetrf_(const int* m, const int* n, double* a, const int* lda, int* ipiv, int* info);
void dgetri_(const int* n, double* a, const int* lda, const int* ipiv, double* work, const int* lwork, int* info);
void dsyevr_(const char* jobz, const char* range, const char* uplo, const int* n, double* a, const int* lda,
             const double* vl, const double* vu, const int* il, const int* iu, const double* abstol, int* m, double* w,
             double* z, const int* ldz, int* isuppz, double* work, const int* lwork, int* iwork, const int* liwork,
             int* info, std::size_t, std::size_t, std::size_t);
}

namespace nncert::blas {

namespace {

std::mutex& blas_call_lock() {
    static std::mutex m;
    return m;
}

// Taken in fork's prepare step and released on both sides, so the child's copy of the lock is free even when
// another thread of the parent was inside OpenBLAS.
void blas_lock_for_fork() { blas_call_lock().lock(); }
void blas_unlock_after_fork() { blas_call_lock().unlock(); }

std::unique_lock<std::mutex> blas_exclusive() {
    static const int registered = pthread_atfork(blas_lock_for_fork, blas_unlock_after_fork, blas_unlock_after_fork);
    (void)registered;  // a failure leaves fork unguarded; nncert forks only from threads outside OpenBLAS calls
    return std::unique_lock<std::mutex>(blas_call_lock());
}

}  // namespace

void dgemm(CBLAS_ORDER order, CBLAS_TRANSPOSE trans_a, CBLAS_TRANSPOSE trans_b, int m, int n, int k, double alpha,
           const double* a, int lda, const double* b, int ldb, double beta, double* c, int ldc) {
    const auto held = blas_exclusive();
    cblas_dgemm(order, trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

void dsyrk(CBLAS_ORDER order, CBLAS_UPLO uplo, CBLAS_TRANSPOSE trans, int n, int k, double alpha, const double* a,
           int lda, double beta, double* c, int ldc) {
    const auto held = blas_exclusive();
    cblas_dsyrk(order, uplo, trans, n, k, alpha, a, lda, beta, c, ldc);
}

void dtrsv(CBLAS_ORDER order, CBLAS_UPLO uplo, CBLAS_TRANSPOSE trans, CBLAS_DIAG diag, int n, const double* a,
           int lda, double* x, int incx) {
    const auto held = blas_exclusive();
    cblas_dtrsv(order, uplo, trans, diag, n, a, lda, x, incx);
}

void dpotrf(const char* uplo, const int* n, double* a, const int* lda, int* info) {
    const auto held = blas_exclusive();
    dpotrf_(uplo, n, a, lda, info, 1);
}

void dpotri(const char* uplo, const int* n, double* a, const int* lda, int* info) {
    const auto held = blas_exclusive();
    dpotri_(uplo, n, a, lda, info, 1);
}

void dgetrf(const int* m, const int* n, double* a, const int* lda, int* ipiv, int* info) {
    const auto held = blas_exclusive();
    dgetrf_(m, n, a, lda, ipiv, info);
}

void dgetri(const int* n, double* a, const int* lda, const int* ipiv, double* work, const int* lwork, int* info) {
    const auto held = blas_exclusive();
    dgetri_(n, a, lda, ipiv, work, lwork, info);
}

void dsyevr(const char* jobz, const char* range, const char* uplo, const int* n, double* a, const int* lda,
            const double* vl, const double* vu, const int* il, const int* iu, const double* abstol, int* m, double* w,
            double* z, const int* ldz, int* isuppz, double* work, const int* lwork, int* iwork, const int* liwork,
            int* info) {
    const auto held = blas_exclusive();
    dsyevr_(jobz, range, uplo, n, a, lda, vl, vu, il, iu, abstol, m, w, z, ldz, isuppz, work, lwork, iwork, liwork, info,
            1, 1, 1);
}

}  // namespace nncert::blas
