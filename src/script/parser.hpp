// Recursive-descent parser: script text -> syntax tree. Checks form, block multiplicity and names
// that need no context (parameter spelling, activation, loss, claim kinds); resolve.cpp does the rest.
#pragma once

#include "script/syntax.hpp"

#include <cstddef>
#include <string>

namespace nncert::script {

// Most directions in one `along d1, ..., dk` hint: the kernel expands the loss along P + t d1 + ... + t^k dk
// exactly, at a cost that grows like k^2 to k^3 (review r8-8 F6: k = 1,000 ran into a 50 s timeout where the
// unhinted claim was refuted in 0.07 s). A curve of degree 16 is far beyond what a flat or descent curve needs.
inline constexpr std::size_t max_along_directions = 16;

syntax::File parse_syntax(const std::string& text, const std::string& filename);

// Claim keywords and their kinds, shared with the printer so the two cannot drift apart.
std::string claim_keyword(kernel::ClaimKind k);

}  // namespace nncert::script
