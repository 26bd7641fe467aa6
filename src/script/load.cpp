// Reading a script under the command's time and memory limits (script/load.hpp; docs/limits.md, "Reading").
// The time limit is the front end's ReadingDeadline (checked at every number and arithmetic step, every CSV
// row and every printed number); the memory limit is the process's address space and GMP's byte cap.
#include "script/load.hpp"

#include "runtime/blas_pool.hpp"
#include "runtime/memory.hpp"
#include "util/files.hpp"
#include "util/paths.hpp"
#include "util/unicode.hpp"

#include <sys/resource.h>

#include <new>
#include <stdexcept>

namespace nncert::script {

namespace {
// The soft address-space limit before the first cap_memory (restored by lift_memory_cap).
std::optional<rlimit> limit_before_cap;
}  // namespace

void cap_memory(std::size_t mib) {
    if (mib == 0) return;
    if (rlimit r{}; !limit_before_cap && getrlimit(RLIMIT_AS, &r) == 0) limit_before_cap = r;
    // Under the limit, a stack that cannot grow (the heap took the rest) ends the process with this message.
    runtime::report_stack_exhaustion(2, "nncert: error[limit]: the memory limit (--max-memory) was reached: "
                                        "the stack could not grow\n");
    runtime::limit_address_space(runtime::mebibytes(mib));
    runtime::set_gmp_cap(runtime::mebibytes(mib), runtime::OnExhaustion::throw_bad_alloc);
}

void lift_memory_cap() {
    if (!limit_before_cap) return;
    (void)setrlimit(RLIMIT_AS, &*limit_before_cap);  // a soft limit back up to at most the hard one
    runtime::set_gmp_cap(0, runtime::OnExhaustion::throw_bad_alloc);
    limit_before_cap.reset();
}

std::string memory_option_problem(std::size_t mib) {
    if (mib == 0 || mib >= runtime::min_memory_limit_mib) return "";
    return "--max-memory needs 0 (no limit) or at least " + std::to_string(runtime::min_memory_limit_mib) +
           " MiB: nncert holds about " + std::to_string(runtime::address_space_mib()) +
           " MiB of address space before any work (its libraries and BLAS buffer), got " + std::to_string(mib);
}

namespace {

// A whole number from 0 to `hi` written with the digits 0-9 only, or nullopt.
std::optional<std::size_t> whole_number(const std::string& text, std::size_t hi) {
    if (text.empty() || text.size() > 20 || text.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    std::size_t n = 0;
    for (const char c : text) {
        if (n > (hi - static_cast<std::size_t>(c - '0')) / 10) return std::nullopt;
        n = n * 10 + static_cast<std::size_t>(c - '0');
    }
    return n;
}

}  // namespace

runtime::ResourceLimits resource_limits(const std::optional<std::string>& timeout,
                                        const std::optional<std::string>& max_memory,
                                        const runtime::ResourceLimits& defaults) {
    runtime::ResourceLimits limits = defaults;
    if (timeout) {
        const std::optional<std::size_t> s = whole_number(*timeout, max_timeout_seconds);
        if (!s)
            throw std::invalid_argument("--timeout needs a whole number of seconds from 0 (no limit) to " +
                                        std::to_string(max_timeout_seconds) + ", got " + util::quoted_name(*timeout));
        limits.timeout_seconds = static_cast<unsigned>(*s);
    }
    if (max_memory) {
        const std::optional<std::size_t> m = whole_number(*max_memory, max_memory_option_mib);
        if (!m)
            throw std::invalid_argument("--max-memory needs 0 (no limit) or a whole number of MiB from " +
                                        std::to_string(runtime::min_memory_limit_mib) + " to " +
                                        std::to_string(max_memory_option_mib) + ", got " + util::quoted_name(*max_memory));
        if (const std::string why = memory_option_problem(*m); !why.empty()) throw std::invalid_argument(why);
        limits.max_memory_mib = *m;
    }
    return limits;
}

std::string reading_memory_message(std::size_t mib) {
    return "reading the script needs more than " +
           runtime::memory_limit_phrase(mib, "the memory limit of " + std::to_string(mib) + " MiB (--max-memory)");
}

LoadedScript load_script(const std::string& file, const std::string& base_dir, const ReadingLimits& limits) {
    cap_memory(limits.max_memory_mib);
    LoadedScript out;
    out.name = util::shown_path(file);
    const std::string& name = out.name;
    try {
        util::FileError read_error;
        out.bytes = util::read_file(name, read_error);
        if (!out.bytes) {
            out.error = ParseError(read_error.code, {name, 0, 0}, read_error.message);
            return out;
        }
        const ReadingDeadline reading(limits.timeout_seconds);
        out.script = parse_text(*out.bytes, name, base_dir);
    } catch (const ParseError& e) {
        out.script.reset();
        out.error = e;
    } catch (const std::bad_alloc&) {
        // What was allocated is released by the unwinding; the message may allocate again (a few bytes).
        out.script.reset();
        out.error = ParseError("limit", {name, 0, 0}, reading_memory_message(limits.max_memory_mib));
    }
    return out;
}

}  // namespace nncert::script
