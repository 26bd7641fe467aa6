// Recursive-descent parser: script text -> syntax tree. Checks form, block multiplicity and names
// that need no context (parameter spelling, activation, loss, claim kinds); resolve.cpp does the rest.
#pragma once

#include "script/syntax.hpp"

#include <string>

namespace nncert::script {

syntax::File parse_syntax(const std::string& text, const std::string& filename);

// Claim keywords and their kinds, shared with the printer so the two cannot drift apart.
std::string claim_keyword(kernel::ClaimKind k);

}  // namespace nncert::script
