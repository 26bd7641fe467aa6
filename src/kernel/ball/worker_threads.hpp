// Worker threads of the ball engine. MPFR keeps per-thread caches (log 2, pi, the tables of exp) that the end
// of a thread does not free: every worker frees its own before it ends (LeakSanitizer found them, fuzz_check).
#pragma once

#include <mpfr.h>

#include <functional>
#include <thread>
#include <utility>

namespace nncert::kernel {

// std::thread(f, args...) that frees the thread's MPFR caches when f returns or throws.
template <class F, class... Args>
std::thread mpfr_worker(F&& f, Args&&... args) {
    return std::thread([f = std::forward<F>(f), ... args = std::forward<Args>(args)]() mutable {
        struct FreeCaches {
            ~FreeCaches() { mpfr_free_cache2(MPFR_FREE_LOCAL_CACHE); }
        } on_exit;
        std::invoke(f, args...);
    });
}

}  // namespace nncert::kernel
