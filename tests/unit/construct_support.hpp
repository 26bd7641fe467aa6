// Test helpers shared by the construct suites (dead-layer and partition generators): run the command in
// process and capture what it writes, read a generated script back, and ask the kernel about every claim.
#pragma once

#include "kernel/kernel.hpp"
#include "script/script.hpp"
#include "tools/construct_command.hpp"

#include <sstream>
#include <string>
#include <vector>

namespace nncert::test {

// `nncert construct ARGS...` in this process: its exit code; what it wrote to stdout and stderr when asked for.
inline int construct_run(const std::vector<std::string>& args, std::string* out_text = nullptr,
                                  std::string* err_text = nullptr) {
    std::ostringstream out, err;
    const int code = tools::run_construct(args, out, err);
    if (out_text) *out_text = out.str();
    if (err_text) *err_text = err.str();
    return code;
}

// A generated script's text, parsed (relative data files would be read from the working folder).
inline script::Script parse_generated(const std::string& text) { return script::parse_text(text, "<construct>", "."); }

// Whether the script has claims and the kernel certifies every one of them.
inline bool all_certified(const script::Script& s) {
    bool ok = !s.claims.empty();
    for (const auto& c : s.claims)
        ok = ok && kernel::check(s.problem, s.points, c.claim).outcome() == kernel::Outcome::certified;
    return ok;
}

}  // namespace nncert::test
