// Puts OpenBLAS into the state a process needs before it limits its own address space or forks: no worker
// threads and its one work buffer already mapped. Assumes OpenBLAS (pthreads or serial build) is linked.
#pragma once

#include <cstddef>
#include <string>

namespace nncert::runtime {

// Address space (MiB) a process needs at start: OpenBLAS maps a 128 MiB buffer for each of its threads when
// it is loaded (before main), and a thread that cannot map it retries forever. Measured: 52 MiB before
// OpenBLAS's buffers, 131 MiB per buffer (2 cores: 184 MiB at start).
std::size_t startup_address_space_mib();
// A message when the process was started under an address-space limit (`ulimit -v`) below
// startup_address_space_mib(): some OpenBLAS thread may then be spinning, and joining it (at fork or exit)
// would hang, so the caller prints the message and leaves with _exit. Empty when the limit is enough.
std::string startup_limit_problem();

// Idempotent; called by limit_address_space before the limit is set, and at the start of `nncert`.
//
// Why: OpenBLAS starts one worker thread per core when it is loaded (before main), and each worker maps a
// 128 MiB buffer; a buffer that cannot be mapped is retried forever. Under an address-space limit set
// before a worker got its buffer, that worker spins, and the fork() of every claim's child joins it in
// OpenBLAS's fork handler: `check --max-memory 64` hung forever (issue 8, second review, finding 1).
// This sets OpenBLAS to one thread, stops the pool and frees its buffers (blas_shutdown), then makes one
// 1x1 dsyrk so that the first slot of OpenBLAS's buffer table is mapped while nothing limits it; later calls
// (all through hints/blas_serial.hpp's lock, one at a time), in this process and in forked children, reuse
// that buffer and map nothing (review r8-11, F7).
void settle_blas();

// Address space (MiB) the process holds after settle_blas, as /proc/self/status reports it (VmSize);
// 0 where it cannot be read. For messages and tests of the --max-memory minimum.
unsigned long address_space_mib();

}  // namespace nncert::runtime
