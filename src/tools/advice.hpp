// What to try next when a claim is not certified: one sentence for the report's "next" field (refine,
// snap, a local_min or trap claim, a smaller box, more precision). Advice only: it decides nothing.
#pragma once

#include "kernel/verdict.hpp"
#include "script/script.hpp"

#include <string>

namespace nncert::tools {

// "" when the claim is certified or nothing useful can be said. `file` is the script's path as given,
// used to spell out commands (`nncert snap FILE --point P`).
std::string next_step(const script::Script& s, const script::ClaimEntry& claim, const kernel::Verdict& verdict,
                      const std::string& file);

}  // namespace nncert::tools
