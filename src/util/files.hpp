// File-system helpers for the CLI: reading a script's bytes and finding scripts under a folder.
// Untrusted tooling; errors come back as values so the caller can report them per path.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace nncert::util {

// The whole file as bytes, or nullopt with `error` set (e.g. "cannot open file").
std::optional<std::string> read_file(const std::string& path, std::string& error);

// Every regular file named *.nnc under dir (recursively), sorted by path so runs are deterministic.
// Returns nullopt with `error` set when the walk fails (e.g. permission denied).
std::optional<std::vector<std::string>> find_scripts(const std::string& dir, std::string& error);

}  // namespace nncert::util
