// The one way every nncert command reads a script (check, print, plot, refine, snap, propose-trap): the file by
// util::read_file's rules, then parsing and resolving (with its CSV file) under the command's --timeout and
// --max-memory, so that no script can make a command run or grow past its limits before any work starts.
#pragma once

#include "runtime/isolate.hpp"
#include "script/script.hpp"

#include <cstddef>
#include <optional>
#include <string>

namespace nncert::script {

// The limits a command reads its script under: the same values, and defaults, as its work's own limits.
struct ReadingLimits {
    unsigned timeout_seconds = 600;     // wall clock for reading one script and its CSV file; 0: none
    std::size_t max_memory_mib = 4096;  // memory of the whole process from now on (see cap_memory); 0: none
};

// Caps this process's memory at `mib` MiB (0: nothing) for the rest of its life: the address-space limit
// (runtime::limit_address_space) and GMP's byte cap, past either of which an allocation throws std::bad_alloc.
// Forked children (runtime/isolate.hpp) set their own limits of the same size. Idempotent.
void cap_memory(std::size_t mib);
// Undoes cap_memory: the address-space limit the process had before it, and no GMP cap. For work after
// reading that is not nncert's own (plot's renderer, a Python process started with the parent's limits).
void lift_memory_cap();

// Why `--max-memory mib` cannot be used, or "" when it can: every command takes 0 (no limit) or at least
// runtime::min_memory_limit_mib (the address space nncert holds before any work; docs/limits.md).
std::string memory_option_problem(std::size_t mib);

// Largest --timeout (seconds) and --max-memory (MiB) any command takes.
inline constexpr unsigned max_timeout_seconds = 86400;
inline constexpr std::size_t max_memory_option_mib = std::size_t(1) << 20;

// The one parser of --timeout S and --max-memory MIB, for every command that takes them (refine, snap,
// propose-trap, construct, import; check, print and plot through cli/args.cpp): the values as typed, nullopt
// when the option was not given (then `defaults` applies). S: a whole number from 0 (none) to
// max_timeout_seconds; MIB: 0 (none) or a whole number from runtime::min_memory_limit_mib to
// max_memory_option_mib (memory_option_problem). Only the digits 0-9 (no sign, blank, fraction or exponent);
// std::invalid_argument naming the option, the range and the value otherwise (overflow included).
runtime::ResourceLimits resource_limits(const std::optional<std::string>& timeout,
                                        const std::optional<std::string>& max_memory,
                                        const runtime::ResourceLimits& defaults = {});

// A script as read: the bytes (absent when the file could not be read), the parsed script, or the error.
struct LoadedScript {
    // The file's name in every message and as Script::path: util::shown_path(file), so a path with `..` is
    // named as the system resolves it by every command (check, print, plot, refine, snap, propose-trap).
    std::string name;
    std::optional<std::string> bytes;
    std::optional<Script> script;
    // The first error: "io" / "file-too-large" (line 0; bytes absent), a parse error, or "limit" when reading
    // passed the time limit (at the position reached) or the memory limit (line 0).
    std::optional<ParseError> error;
};

// Reads `file` (CSV paths relative to `base_dir`) under `limits`: cap_memory(limits.max_memory_mib) first, then
// the read and the parse under a ReadingDeadline of limits.timeout_seconds. Never throws for what is in the file:
// a failed allocation becomes error "limit" naming the memory limit (runtime::memory_limit_phrase).
LoadedScript load_script(const std::string& file, const std::string& base_dir, const ReadingLimits& limits);

// The message of a memory limit met while reading (or printing) a script with --max-memory `mib`.
std::string reading_memory_message(std::size_t mib);

}  // namespace nncert::script
