// Every OpenBLAS call nncert makes, one at a time in the process (issue 8, review r8-11 finding F7).
//
// Why: OpenBLAS (0.3.21, Debian's pthreads build, no thread-local buffers) gives each level-2/3 call a 128 MiB
// work buffer from a table of slots; a call that finds every mapped slot busy maps a new one, and when the
// mapping fails (an address-space limit: `--max-memory` in a claim's child) it retries forever. The claim then
// spun until `--timeout` (forever with `--timeout 0`), reported as a time limit. runtime::settle_blas maps slot 0
// before any limit is set; with this lock held around every call no two calls are ever in OpenBLAS at once, so
// slot 0 is always free and no call maps anything after it. A fork() waits for a call in progress (the lock's
// pthread_atfork handlers), so a child never inherits the lock held by a thread it does not have.
//
// The functions are cblas_dgemm, cblas_dsyrk and cblas_dtrsv with the same arguments (row- or column-major,
// shapes and leading dimensions as CBLAS documents them), and LAPACK's dpotrf, dpotri, dgetrf, dgetri and dsyevr
// (OpenBLAS's, column-major, Fortran conventions: every argument by pointer, `info` as LAPACK documents it; the
// hidden lengths of character arguments are supplied here); they add only the lock. No other file calls BLAS or
// LAPACK (unit.review8_11_fixes, every_blas_call_goes_through_the_lock).
#pragma once

#include <cblas.h>

namespace nncert::blas {

// C = alpha op(A) op(B) + beta C; C is m x n, op(A) m x k, op(B) k x n.
void dgemm(CBLAS_ORDER order, CBLAS_TRANSPOSE trans_a, CBLAS_TRANSPOSE trans_b, int m, int n, int k, double alpha,
           const double* a, int lda, const double* b, int ldb, double beta, double* c, int ldc);
// C = alpha op(A) op(A)^T + beta C on the `uplo` triangle of the n x n matrix C; op(A) is n x k.
void dsyrk(CBLAS_ORDER order, CBLAS_UPLO uplo, CBLAS_TRANSPOSE trans, int n, int k, double alpha, const double* a,
           int lda, double beta, double* c, int ldc);
// x = op(A)^-1 x for the n x n triangular A.
void dtrsv(CBLAS_ORDER order, CBLAS_UPLO uplo, CBLAS_TRANSPOSE trans, CBLAS_DIAG diag, int n, const double* a,
           int lda, double* x, int incx);


// LAPACK (column-major): Cholesky factor, inverse from it, LU factor, inverse from it, selected eigenpairs.
void dpotrf(const char* uplo, const int* n, double* a, const int* lda, int* info);
void dpotri(const char* uplo, const int* n, double* a, const int* lda, int* info);
void dgetrf(const int* m, const int* n, double* a, const int* lda, int* ipiv, int* info);
void dgetri(const int* n, double* a, const int* lda, const int* ipiv, double* work, const int* lwork, int* info);
void dsyevr(const char* jobz, const char* range, const char* uplo, const int* n, double* a, const int* lda,
            const double* vl, const double* vu, const int* il, const int* iu, const double* abstol, int* m, double* w,
            double* z, const int* ldz, int* isuppz, double* work, const int* lwork, int* iwork, const int* liwork,
            int* info);

}  // namespace nncert::blas
