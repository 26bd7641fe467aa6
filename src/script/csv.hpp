// Data rows from a CSV file: comma-separated exact numbers, an optional header row.
// Errors point into the CSV file itself (file:line:col), not into the script.
#pragma once

#include "script/syntax.hpp"

#include <string>
#include <vector>

namespace nncert::script {

// Reads `fs_path`; `label` names the file in error locations; `ref` (the script's data "..." token)
// is where an unreadable file is reported (code "io"). Rows keep their fields in order.
std::vector<syntax::ArrayRow> read_csv(const std::string& fs_path, const std::string& label, const SourceLoc& ref);

}  // namespace nncert::script
