// OpenBLAS set up for forking and address-space limits (see blas_pool.hpp). blas_shutdown is OpenBLAS's own
// exported clean-up (it runs at exit too); after it OpenBLAS re-initialises its buffer table on the next call.
#include "runtime/blas_pool.hpp"

#include "hints/blas_serial.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>

// Exported by OpenBLAS but not declared in its headers. Weak, so a BLAS without them still links.
extern "C" void blas_shutdown(void) __attribute__((weak));
extern "C" void openblas_set_num_threads(int) __attribute__((weak));
extern "C" int openblas_get_num_threads(void) __attribute__((weak));

namespace nncert::runtime {

std::size_t startup_address_space_mib() {
    const int threads = openblas_get_num_threads ? std::max(1, openblas_get_num_threads()) : 1;
    // 64 MiB of libraries and heap, and 136 MiB (a buffer, rounded up) for each worker thread (the calling
    // thread maps its own only after settle_blas has freed theirs); at least 256 MiB, the --max-memory minimum.
    return std::max<std::size_t>(256, 64 + 136 * static_cast<std::size_t>(std::max(1, threads - 1)));
}

std::string startup_limit_problem() {
    rlimit r{};
    if (getrlimit(RLIMIT_AS, &r) != 0 || r.rlim_cur == RLIM_INFINITY) return "";
    const std::size_t have = static_cast<std::size_t>(r.rlim_cur >> 20), need = startup_address_space_mib();
    if (have >= need) return "";
    return "nncert: started under an address-space limit (ulimit -v) of " + std::to_string(have) +
           " MiB; it needs at least " + std::to_string(need) +
           " MiB to start (OpenBLAS maps a 128 MiB buffer per thread as it loads). Limit nncert's memory with "
           "--max-memory instead, or set OPENBLAS_NUM_THREADS=1\n";
}

void settle_blas() {
    static bool settled = false;
    if (settled) return;
    settled = true;
    // One thread: the pool is never restarted (only multi-threaded calls start it), so no thread of
    // OpenBLAS ever allocates behind our back. Our matrices are small (hints, ball products of a few
    // thousand entries), and each claim runs in a forked child where a pool would be rebuilt anyway.
    if (openblas_set_num_threads) openblas_set_num_threads(1);
    // Joins the workers (each first finishes mapping its buffer, unlimited) and unmaps every buffer.
    if (blas_shutdown) blas_shutdown();
    // Maps the first slot of OpenBLAS's buffer table now, while nothing limits the address space. A level-3
    // product takes it only above OpenBLAS's small-matrix size (a 4x4 dgemm, used here before, ran without it,
    // so the first real product in a claim's child mapped 128 MiB under the limit: review r8-11 F7); dsyrk has
    // no small-matrix path, so a 1x1 one takes the buffer and gives it back. Every later call goes through
    // blas_serial.hpp's lock, one at a time, and reuses this slot, here and in forked children.
    const double a = 1.0;
    double c = 0.0;
    blas::dsyrk(CblasRowMajor, CblasUpper, CblasTrans, 1, 1, 1.0, &a, 1, 0.0, &c, 1);
}

unsigned long address_space_mib() {
    std::FILE* f = std::fopen("/proc/self/status", "r");
    if (!f) return 0;
    char line[256];
    unsigned long kib = 0;
    while (std::fgets(line, sizeof line, f))
        if (std::strncmp(line, "VmSize:", 7) == 0) kib = std::strtoul(line + 7, nullptr, 10);
    std::fclose(f);
    return kib / 1024;
}

}  // namespace nncert::runtime
