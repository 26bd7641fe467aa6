// Worker threads of the ball engine. MPFR keeps per-thread caches (log 2, pi, the tables of exp) that the end
// of a thread does not free: every worker frees its own before it ends (LeakSanitizer found them, fuzz_check).
#pragma once

#include <mpfr.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

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

// Starts make(first), make(first + 1), ... (each returning a std::thread) into `pool`, at most `count` of them, and
// returns how many started. A thread that cannot be started (std::system_error, e.g. EAGAIN when --max-memory's
// address-space limit refuses its stack; std::bad_alloc for its state) ends the starting, not the caller: every
// user gives the same results on fewer threads, the calling thread doing the rest, so a machine or a memory limit
// that allows fewer threads than asked changes only the time. (Review r8-11, F3: `check --threads 500`, or 8
// threads under --max-memory 256, threw from std::thread's constructor with started threads in the pool, whose
// destructors called std::terminate: the claim's child aborted and the script's other claims were lost.)
template <class Make>
unsigned start_workers(std::vector<std::thread>& pool, unsigned first, unsigned count, Make&& make) {
    pool.reserve(pool.size() + count);  // so that push_back never throws with a started thread in hand
    unsigned started = 0;
    for (; started < count; ++started) {
        try {
            pool.push_back(make(first + started));
        } catch (const std::exception&) {
            break;
        }
    }
    return started;
}

// The fixed partition of a problem's data points for the ball engine's sums: chunks of this many points, the same
// on any number of threads, so that a sum over the data points is the same sequence of roundings on any machine.
inline constexpr std::size_t ball_chunk_points = 64;

inline std::size_t ball_chunks(std::size_t points) { return (points + ball_chunk_points - 1) / ball_chunk_points; }

// Runs compute(worker, chunk) for chunk = 0 .. chunks - 1 on up to `threads` threads (the calling thread is worker
// 0, the others are mpfr_workers 1, 2, ...; a worker takes the next chunk not taken, in any order of time), and
// combine(worker, chunk) once per chunk **in chunk order** (chunk c after chunk c - 1, under a lock), so that
// the combination is the same sequence of operations on any number of threads. A worker computes into its own
// buffer (indexed by `worker`), then waits until the previous chunk is combined, combines, and takes the next:
// one buffer per worker, never one per chunk. The first exception of compute or combine is rethrown here after
// every worker has stopped.
template <class Compute, class Combine>
void ordered_chunks(std::size_t chunks, unsigned threads, Compute&& compute, Combine&& combine) {
    threads = static_cast<unsigned>(std::max<std::size_t>(1, std::min<std::size_t>(threads, chunks)));
    std::atomic<std::size_t> next_chunk{0};
    std::atomic<bool> failed{false};
    std::mutex lock;
    std::condition_variable combined;
    std::size_t next_combine = 0;  // under `lock`
    std::exception_ptr error;      // under `lock`
    auto run = [&](unsigned worker) {
        try {
            while (!failed) {
                const std::size_t c = next_chunk++;
                if (c >= chunks) return;
                compute(worker, c);
                // Every chunk before c is taken by a worker that waits only for chunks before its own: no deadlock.
                std::unique_lock<std::mutex> guard(lock);
                combined.wait(guard, [&] { return failed || next_combine == c; });
                if (failed) return;
                combine(worker, c);
                ++next_combine;
                combined.notify_all();
            }
        } catch (...) {
            std::lock_guard<std::mutex> guard(lock);
            if (!error) error = std::current_exception();
            failed = true;
            combined.notify_all();
        }
    };
    std::vector<std::thread> pool;
    // Workers take chunks as they come, so fewer of them than asked (start_workers) changes nothing but the time.
    start_workers(pool, 1, threads - 1, [&](unsigned t) { return mpfr_worker(run, t); });
    run(0);
    for (std::thread& t : pool) t.join();
    if (error) std::rethrow_exception(error);
}

}  // namespace nncert::kernel
