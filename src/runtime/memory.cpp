// Counting GMP allocation functions and the address-space limit. GMP documents that its allocation
// functions must not return on failure; exit_process honours that, and throw_bad_alloc is used only
// where the process abandons every GMP object of the failed computation (refine, search, the parent's
// parse of one script), never to go on computing with numbers that were being updated.
#include "runtime/memory.hpp"

#include "runtime/blas_pool.hpp"

#include <alloca.h>
#include <gmp.h>
#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <new>

#if defined(__SANITIZE_ADDRESS__)
#define NNCERT_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NNCERT_ASAN 1
#endif
#endif
#ifdef NNCERT_ASAN
#include <sanitizer/asan_interface.h>
#endif

namespace nncert::runtime {

namespace {

// Atomic: the ball engine's worker threads (and any other thread) allocate GMP numbers too. Relaxed order: the
// meter orders nothing else. The cap test and the count are not one step, so threads allocating at once may
// pass the cap by what they ask together; the address-space limit stays the hard bound.
std::atomic<std::size_t> in_use{0};
std::atomic<std::size_t> cap{0};
std::atomic<OnExhaustion> reaction{OnExhaustion::throw_bad_alloc};

[[noreturn]] void exhausted() {
    if (reaction.load(std::memory_order_relaxed) == OnExhaustion::exit_process) {
        static const char msg[] = "nncert: memory limit reached\n";
        [[maybe_unused]] ssize_t n = write(STDERR_FILENO, msg, sizeof msg - 1);
        _exit(memory_exit_code);
    }
    throw std::bad_alloc();
}

// in_use -= min(in_use, n): a caller passing a smaller size than it was given leaves the meter too high (the cap
// then applies early, never late).
void uncount(std::size_t n) {
    std::size_t now = in_use.load(std::memory_order_relaxed);
    while (!in_use.compare_exchange_weak(now, now - std::min(now, n), std::memory_order_relaxed)) {
    }
}

// Each thread's allocations minus its frees not yet moved into in_use: a thread moves them when they reach
// pending_max either way (and when it ends), so that two threads do not update one shared counter at every GMP
// allocation (with two threads on the Theorem 1 trap, the contended counter's updates took about 3.5% of the samples).
// in_use then lags each thread's own count by less than pending_max: the cap test below adds the calling thread's
// pending allocations, so the cap can be passed by less than pending_max per other thread (beside what threads
// allocating at once ask together, as before); at least 256 MiB is allowed (min_memory_limit_mib).
// Trivially destructible, so that a free after the thread's destructors still finds it; `closed` stops moving then.
constexpr long long pending_max = 64 * 1024;
struct Pending {
    long long bytes;
    bool closed;
};
thread_local Pending pending{};

// Constructs this thread's ThreadEnd (below), whose destructor moves the pending count and empties the free lists.
void arm_thread_end();

void move_pending() {
    if (pending.bytes > 0) in_use.fetch_add(static_cast<std::size_t>(pending.bytes), std::memory_order_relaxed);
    else if (pending.bytes < 0) uncount(static_cast<std::size_t>(-pending.bytes));
    pending.bytes = 0;
}

void count(std::size_t n) {
    if (pending.closed) {
        in_use.fetch_add(n, std::memory_order_relaxed);
        return;
    }
    arm_thread_end();
    pending.bytes += static_cast<long long>(n);
    if (pending.bytes >= pending_max) move_pending();
}

void count_free(std::size_t n) {
    if (pending.closed) {
        uncount(n);
        return;
    }
    pending.bytes -= static_cast<long long>(n);
    if (pending.bytes <= -pending_max) move_pending();
}

bool over_cap(std::size_t more) {
    const std::size_t c = cap.load(std::memory_order_relaxed);
    if (c == 0) return false;
    const std::size_t own = pending.bytes > 0 ? static_cast<std::size_t>(pending.bytes) : 0;
    return more > c || own > c - more || in_use.load(std::memory_order_relaxed) > c - more - own;
}

// Small blocks: per-thread free lists of GMP's and MPFR's blocks of at most small_block_max bytes, in size classes of
// 16 bytes. The trap and region searches create and drop millions of one- and two-limb rationals (box copies, split
// points, conversions), and glibc's malloc and free took about 18% of their instructions (docs/benchmarks.md, "Small
// GMP blocks"); a free list takes a few. A block joins the list of the class of the size it is freed with only when
// malloc_usable_size shows it holds that class's bytes, and a realloc stays in place only when the block holds the new
// size: so a block handed out always holds what was asked, whatever size a caller passes back (GMP and MPFR pass the
// block's size, but MPFR's strings come back as strlen + 1, and blocks allocated before install_gmp_allocator came from
// plain malloc). A caller passing 0 as the size frees to malloc. The meter counts the sizes asked for, as without the
// lists; the lists hold at most small_blocks_per_class blocks per class and thread (at most 1 MiB in all per thread),
// freed when the thread ends. Under AddressSanitizer a block on a list is poisoned, and a block handed out is poisoned
// past the size asked for, so that its checks still see a use after free or an overflow into the class's slack.
constexpr std::size_t small_block_step = 16;
constexpr std::size_t small_block_max = 64;
constexpr std::size_t small_block_classes = small_block_max / small_block_step;
constexpr std::size_t small_blocks_per_class = 4096;

void poison(void* p, std::size_t n) {
#ifdef NNCERT_ASAN
    ASAN_POISON_MEMORY_REGION(p, n);
#else
    (void)p, (void)n;
#endif
}
void unpoison(void* p, std::size_t n) {
#ifdef NNCERT_ASAN
    ASAN_UNPOISON_MEMORY_REGION(p, n);
#else
    (void)p, (void)n;
#endif
}

// 0 for sizes that are not small (and for 0), else 1 + the class index: 1..16 bytes -> 1, 17..32 -> 2, ...
std::size_t small_class(std::size_t n) { return n != 0 && n <= small_block_max ? (n + small_block_step - 1) / small_block_step : 0; }

// A class's block prepared for n bytes: the first n usable, the rest of the class's bytes poisoned (ASan only).
void* fit(void* p, std::size_t n, std::size_t cls) {
    unpoison(p, n);
    poison(static_cast<char*>(p) + n, cls * small_block_step - n);
    return p;
}

// The lists themselves are trivially destructible, so that a free after this thread's destructors ran (another
// thread_local object's destructor freeing a number) still finds valid memory; `closed` then sends it to free().
struct SmallBlocks {
    struct Node {
        Node* next;
    };
    Node* head[small_block_classes];
    std::size_t count[small_block_classes];
    bool closed;
};
thread_local SmallBlocks small_blocks{};

void free_block(void* p) {
    unpoison(p, malloc_usable_size(p));
    std::free(p);
}

// What a thread leaves when it ends (its thread_local destructor): its pending count, moved into in_use, and its free
// lists, emptied; both are closed after (a later count goes to in_use directly, a later free to free()).
struct ThreadEnd {
    bool armed = false;
    ~ThreadEnd() {
        move_pending();
        pending.closed = true;
        small_blocks.closed = true;
        for (std::size_t c = 0; c < small_block_classes; ++c)
            while (SmallBlocks::Node* b = small_blocks.head[c]) {
                unpoison(b, sizeof(SmallBlocks::Node));
                small_blocks.head[c] = b->next;
                free_block(b);
            }
    }
};
thread_local ThreadEnd thread_end;
thread_local bool thread_end_armed = false;  // trivially destructible: read also after ThreadEnd's destructor ran

void arm_thread_end() {
    if (thread_end_armed) return;
    thread_end.armed = true;  // the first use on this thread constructs it (and registers its destructor)
    thread_end_armed = true;
}

// A block of class cls for n bytes: from this thread's list, else a fresh malloc of the class's bytes.
void* take_small(std::size_t n, std::size_t cls) {
    if (SmallBlocks::Node* b = small_blocks.head[cls - 1]) {
        unpoison(b, sizeof(SmallBlocks::Node));
        small_blocks.head[cls - 1] = b->next;
        --small_blocks.count[cls - 1];
        return fit(b, n, cls);
    }
    void* p = std::malloc(cls * small_block_step);
    return p ? fit(p, n, cls) : nullptr;
}

void give_small(void* p, std::size_t cls) {
    if (small_blocks.closed || small_blocks.count[cls - 1] >= small_blocks_per_class ||
        malloc_usable_size(p) < cls * small_block_step) {
        free_block(p);
        return;
    }
    arm_thread_end();  // a thread that only frees keeps blocks too: its lists are emptied when it ends
    unpoison(p, sizeof(SmallBlocks::Node));
    auto* b = static_cast<SmallBlocks::Node*>(p);
    b->next = small_blocks.head[cls - 1];
    small_blocks.head[cls - 1] = b;
    ++small_blocks.count[cls - 1];
    poison(p, cls * small_block_step);
}

void* counted_alloc(std::size_t n) {
    if (over_cap(n)) exhausted();
    const std::size_t cls = small_class(n);
    void* p = cls ? take_small(n, cls) : std::malloc(n);
    if (!p) exhausted();
    count(n);
    return p;
}

void* counted_realloc(void* p, std::size_t old_size, std::size_t new_size) {
    if (new_size > old_size && over_cap(new_size - old_size)) exhausted();
    const std::size_t old_cls = small_class(old_size), new_cls = small_class(new_size);
    void* q = nullptr;
    const std::size_t held = old_cls != 0 ? malloc_usable_size(p) : 0;
    if (new_cls != 0 && held >= new_size) {
        q = p;  // the block already holds the new size
        unpoison(q, new_size);
        poison(static_cast<char*>(q) + new_size, held - new_size);
    } else if (old_cls == 0 && new_cls == 0) {
        q = std::realloc(p, new_size);
        if (!q) exhausted();
    } else {
        // Into, out of or within the small classes: a fresh block (from a list for a small size).
        q = new_cls ? take_small(new_size, new_cls) : std::malloc(new_size);
        if (!q) exhausted();
        // At most what the block holds (old_size is the caller's word; a small block's holding is known).
        std::memcpy(q, p, std::min({old_size, new_size, old_cls ? held : old_size}));
        if (old_cls) give_small(p, old_cls);
        else std::free(p);
    }
    count(new_size);
    count_free(old_size);
    return q;
}

void counted_free(void* p, std::size_t size) {
    if (const std::size_t cls = small_class(size)) give_small(p, cls);
    else std::free(p);
    count_free(size);  // a caller passing 0 as the size leaves the meter too high, never too low
}

}  // namespace

void install_gmp_allocator() {
    // Once (a thread-safe static); before the first GMP allocation the meter should see.
    static const bool done = (mp_set_memory_functions(counted_alloc, counted_realloc, counted_free), true);
    (void)done;
}

void set_gmp_cap(std::size_t bytes, OnExhaustion how) {
    install_gmp_allocator();
    reaction.store(how, std::memory_order_relaxed);
    cap.store(bytes, std::memory_order_relaxed);
}

std::size_t gmp_bytes_in_use() {
    const long long total = static_cast<long long>(in_use.load(std::memory_order_relaxed)) + pending.bytes;
    return total > 0 ? static_cast<std::size_t>(total) : 0;
}

bool address_space_limit_works() {
#ifdef NNCERT_ASAN
    return false;
#else
    return true;
#endif
}

bool limit_address_space(std::size_t bytes) {
#ifdef NNCERT_ASAN
    (void)bytes;
    return false;
#else
    settle_blas();  // before the limit: OpenBLAS retries a buffer it cannot map forever (blas_pool.hpp)
    // Under a small limit every thread shares the main malloc arena: glibc reserves 64 MiB of address space for
    // each new arena (a thread's first malloc), and when the limit refuses it, falls back to the main arena and tries
    // again on the next malloc; at 256-350 MiB two or three threads made a 1 s claim take 9-17 s of refused mmap
    // calls, reported as the time limit (review r8-13 F3). Above 1 GiB the reservations fit and threads keep their
    // own arenas (less lock contention).
    if (bytes < (std::size_t(1) << 30)) mallopt(M_ARENA_MAX, 1);
    rlimit r{};
    if (getrlimit(RLIMIT_AS, &r) != 0) return false;
    const rlim_t want = static_cast<rlim_t>(bytes);
    if (r.rlim_max != RLIM_INFINITY && want > r.rlim_max) return false;
    r.rlim_cur = want;
    return setrlimit(RLIMIT_AS, &r) == 0;
#endif
}

std::size_t address_space_headroom() {
    rlimit r{};
    if (getrlimit(RLIMIT_AS, &r) != 0 || r.rlim_cur == RLIM_INFINITY) return 0;
    const std::size_t used = static_cast<std::size_t>(address_space_mib()) << 20;
    const std::size_t limit = static_cast<std::size_t>(r.rlim_cur);
    if (used == 0 || used >= limit) return 0;
    return limit - used;
}

std::string memory_limit_phrase(std::size_t requested_mib, const std::string& option_phrase) {
    rlimit r{};
    const bool finite = getrlimit(RLIMIT_AS, &r) == 0 && r.rlim_cur != RLIM_INFINITY;
    // Below the option (or with no option): the address-space limit is what a failed allocation met.
    if (finite && (requested_mib == 0 || static_cast<std::size_t>(r.rlim_cur) < mebibytes(requested_mib)))
        return "the address-space limit of " + std::to_string(static_cast<std::size_t>(r.rlim_cur) >> 20) +
               " MiB (ulimit -v)";
    if (requested_mib == 0) return "the memory available to the process";
    return option_phrase;
}

namespace {

std::uintptr_t stack_lo = 0, stack_hi = 0;
int stack_exit_code = 0;
const char* stack_message = "";
alignas(16) char alternate_stack[1 << 16];

extern "C" void on_segv(int, siginfo_t* info, void*) {
    const auto a = reinterpret_cast<std::uintptr_t>(info->si_addr);
    if (info->si_code == SEGV_MAPERR && a >= stack_lo && a < stack_hi) {
        if (const std::size_t n = std::strlen(stack_message); n > 0) {
            [[maybe_unused]] const ssize_t w = write(STDERR_FILENO, stack_message, n);
        }
        _exit(stack_exit_code);
    }
    // The default action, a crash: pending until the handler returns (a fault would also recur on return).
    signal(SIGSEGV, SIG_DFL);
    raise(SIGSEGV);
}

}  // namespace

void report_stack_exhaustion(int exit_code, const char* message) {
#ifdef NNCERT_ASAN
    (void)exit_code;  // AddressSanitizer keeps its own SIGSEGV handler; no address-space limit applies there
    (void)message;
    return;
#endif
    char here = 0;
    rlimit s{};
    const std::uintptr_t one_gib = std::uintptr_t(1) << 30;
    const std::uintptr_t span =
        getrlimit(RLIMIT_STACK, &s) == 0 && s.rlim_cur != RLIM_INFINITY ? std::min<std::uintptr_t>(s.rlim_cur, one_gib)
                                                                         : one_gib;
    stack_hi = reinterpret_cast<std::uintptr_t>(&here);
    stack_lo = stack_hi > span ? stack_hi - span : 0;
    stack_exit_code = exit_code;
    stack_message = message;
    stack_t ss{};
    ss.ss_sp = alternate_stack;
    ss.ss_size = sizeof alternate_stack;
    sigaltstack(&ss, nullptr);
    struct sigaction sa {};
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, nullptr);
}

namespace {
// Writes every page of a `bytes` array on this frame; the compiler may not drop it (volatile).
[[gnu::noinline]] void touch_stack(std::size_t bytes) {
    volatile char* p = static_cast<volatile char*>(alloca(bytes));
    for (std::size_t i = 0; i < bytes; i += 4096) p[i] = 0;
}
}  // namespace

void reserve_stack(std::size_t bytes) { touch_stack(bytes); }

std::size_t mebibytes(std::size_t mib) {
    constexpr std::size_t mib_bytes = std::size_t(1) << 20;
    if (mib > std::numeric_limits<std::size_t>::max() / mib_bytes) return std::numeric_limits<std::size_t>::max();
    return mib * mib_bytes;
}

}  // namespace nncert::runtime
