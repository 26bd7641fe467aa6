// Writing a command's result (to standard output, or to the file named by -o/--output) and noticing when that
// fails: a full disk or a closed pipe must not end in exit 0 with the result lost or truncated.
#pragma once

#include <ostream>
#include <string>
#include <string_view>

namespace nncert::util {

// The exit status of a command whose result went to `out`: flushes `out` (and closes it when it is a file
// stream) and, when some write to it failed, prints "<who>: error[io]: writing <what> failed" to `err` and
// returns 2 (docs/format.md, exit codes) unless `code` is already 2, 4 (usage) or 5 (internal); otherwise
// returns `code` unchanged. Every nncert command ends through this (src/cli/main.cpp for standard output).
int finish_output(int code, std::ostream& out, std::string_view who, std::string_view what, std::ostream& err);

// Writes `text` to the file `path` (created or truncated), closes it and checks every step; false after one
// line "<who>: error[io]: cannot write '<path>'" to `err` when something failed (the file may then be partial).
// An existing file that is not a regular file (a FIFO, a device) is refused before it is opened
// (util::output_problem), so a write never blocks; callers check their inputs with output_problem first.
bool write_output_file(const std::string& path, std::string_view text, std::string_view who, std::ostream& err);

}  // namespace nncert::util
