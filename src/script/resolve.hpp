// Second pass: syntax tree -> kernel plain data. Resolves point names, lays out parameters with
// the kernel's Network offsets, loads CSV data and checks every dimension against the network.
#pragma once

#include "script/script.hpp"
#include "script/syntax.hpp"

#include <string>

namespace nncert::script {

Script resolve(const syntax::File& file, const std::string& path, const std::string& base_dir);
// The same, consuming the tree: numbers are moved into the Script instead of copied (half the memory of a
// large script at its peak). The tree's numbers are unspecified afterwards.
Script resolve(syntax::File&& file, const std::string& path, const std::string& base_dir);

// Canonical text of one claim without the `claim` keyword (also ClaimEntry::text).
// `along`: the names of the claim's hinted directions.
std::string claim_text(const kernel::Claim& c, const std::vector<kernel::Point>& points,
                       const std::vector<std::string>& along = {});

}  // namespace nncert::script
