// The two working commands: `check` (report on many scripts) and `print` (canonical form of one).
// Each writes its output and returns the process exit code (report/exit_codes.hpp).
#pragma once

#include "cli/args.hpp"

namespace nncert::cli {

int run_check(const Args& args);
int run_print(const Args& args);

}  // namespace nncert::cli
