// Command-line parsing for nncert: which command, its options, its paths.
// Any mistake is a UsageError (exit code 4); nothing here touches the file system.
#pragma once

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace nncert::cli {

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

enum class Command { help, version, check, print };

struct Args {
    Command command = Command::help;
    bool json = false;
    std::size_t max_patterns = 0;  // 0: the kernel's default
    std::optional<unsigned> precision;  // --precision BITS: overrides every script's `precision`
    std::vector<std::string> paths;
};

Args parse_args(const std::vector<std::string>& argv);  // argv without the program name

// The value of --precision BITS (8 to 1048576, as the script statement); UsageError otherwise.
unsigned parse_precision(const std::string& text);

std::string usage_text();

}  // namespace nncert::cli
