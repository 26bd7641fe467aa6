// Memory caps for a whole nncert process (check's children, refine, search): GMP and MPFR allocations
// through counting functions that fail at a cap, and the address-space limit of the process.
// Assumes install_gmp_allocator() runs before the first GMP allocation whose size the meter should see.
#pragma once

#include <cstddef>
#include <string>

namespace nncert::runtime {

// What an allocation past the cap (or a failed malloc) does.
enum class OnExhaustion {
    throw_bad_alloc,  // throw std::bad_alloc (the caller abandons the whole computation and exits)
    exit_process,     // _exit(memory_exit_code) at once: nothing in GMP's half-updated state is reused
};

// Exit status of a process stopped by exit_process (a check's child: see cli/isolate.hpp).
inline constexpr int memory_exit_code = 86;

// Replaces GMP's allocation functions (MPFR and MPFI use them too) by counting ones. Idempotent.
void install_gmp_allocator();
// Cap on the bytes GMP holds at once (0: no cap) and the reaction past it. Installs the allocator.
void set_gmp_cap(std::size_t bytes, OnExhaustion how);
// Bytes GMP holds now (as counted since install_gmp_allocator): every allocation and free of the calling thread, and
// those of other threads up to less than 64 KiB each that they have not yet moved into the shared count.
std::size_t gmp_bytes_in_use();

// Limits the process's address space to `bytes` (setrlimit RLIMIT_AS), so that every allocation past it
// fails (std::bad_alloc, or the GMP cap's reaction). Returns false, doing nothing, in AddressSanitizer
// builds, whose shadow memory needs terabytes of address space (the GMP cap still applies there).
bool limit_address_space(std::size_t bytes);
// False in AddressSanitizer builds, where limit_address_space does nothing (tests of --max-memory on
// non-GMP memory, such as float Hessians, then have nothing to observe).
bool address_space_limit_works();

// Bytes of address space this process may still map under its address-space limit (RLIMIT_AS's soft limit minus the
// VmSize of /proc/self/status); 0 when there is no limit or either cannot be read. For the claims' worker threads
// (kernel::Options::worker_memory_bytes): each takes a stack and its own buffers.
std::size_t address_space_headroom();

// The smallest nonzero --max-memory (MiB) of check, plot, refine and snap. The address-space limit counts
// what nncert holds before any work: about 180 MiB here (OpenBLAS's 128 MiB buffer, libraries, malloc
// arenas; runtime::address_space_mib). Below it every allocation would fail at once, so a smaller value
// is a usage error naming this minimum (docs/limits.md).
inline constexpr std::size_t min_memory_limit_mib = 256;

// The limit that stops a process started with --max-memory `requested_mib` (0: none), as a phrase for
// messages: `option_phrase` (the caller's wording of --max-memory, e.g. "the memory limit of 4096 MiB per claim
// (--max-memory)") when that option is what applies; "the address-space limit of N MiB (ulimit -v)" when the
// process runs under a smaller address-space limit it cannot raise (the option then cannot apply: setrlimit
// never raises a hard limit); "the memory available to the process" with neither. Reads getrlimit(RLIMIT_AS)
// of the calling process, which limit_address_space set to the option when it could (issue 8, review 3,
// finding 5: the message named --max-memory's 4096 MiB under `ulimit -v 262144`).
std::string memory_limit_phrase(std::size_t requested_mib, const std::string& option_phrase);

// Under an address-space limit, a stack that must grow when the heap has taken the rest ends in SIGSEGV, not in
// std::bad_alloc: the kernel cannot extend the stack mapping (even the unwinder that carries a bad_alloc needs stack).
// `nncert refine --max-memory 256` ended so, as a crash (review 8-4). After this call, a SIGSEGV at an address
// of the calling thread's stack region (below the caller's frame, within RLIMIT_STACK) is that: the handler (on
// an alternate stack) writes `message` (static text; may be empty) to standard error and _exits with
// `exit_code`. Any other SIGSEGV stays a crash (the default action). For the main thread of a process that has set,
// or is about to set, an address-space limit.
void report_stack_exhaustion(int exit_code, const char* message);

// Touches `bytes` of the calling thread's stack below its frame, so that the stack mapping is that large before any
// address-space limit is set (and in every child forked later): the usual depth of nncert's calls then never needs
// new address space. Called once by main.
void reserve_stack(std::size_t bytes);

// MiB -> bytes, saturating.
std::size_t mebibytes(std::size_t mib);

}  // namespace nncert::runtime
