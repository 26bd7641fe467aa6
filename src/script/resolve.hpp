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

// Where each layer's parameters start in the flat parameter vector (W_l at start[l], b_l after its
// width x fan-in entries) and, last, their number: one pass over the layers. Network::weight_offset(l) scans the
// earlier layers, so calling it per entry or per layer made reading and printing quadratic in the depth (a 4 MB
// script of 100,000 layers did not finish reading in 60 s: review r8-8 F4).
std::vector<std::size_t> weight_offsets(const kernel::Network& net);

// Canonical text of one claim without the `claim` keyword (also ClaimEntry::text).
// `along`: the names of the claim's hinted directions.
std::string claim_text(const kernel::Claim& c, const std::vector<kernel::Point>& points,
                       const std::vector<std::string>& along = {});

}  // namespace nncert::script
