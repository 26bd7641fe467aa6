// `nncert construct dead-layer ...`: reads a CSV dataset and writes the Section 4 proof script.
// Exit codes as everywhere in nncert: 0 written, 2 refused or unreadable input, 4 bad command line.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace nncert::tools {

// `args` are the words after `nncert construct`:
//   dead-layer --data FILE.csv --depth D --widths W1,W2,... [--output FILE.nnc]
//              [--mean-point-name NAME] [--off-point-name NAME] [--bump-point-name NAME]
// The script goes to --output (or to `out`); every message goes to `err` as one
// `nncert construct: error: ...` (exit 2) or `nncert construct: usage error: ...` (exit 4) line.
int run_construct(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

std::string construct_usage();

}  // namespace nncert::tools
