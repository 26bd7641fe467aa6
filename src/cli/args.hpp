// Command-line parsing for nncert: which command, its options, its paths.
// Any mistake is a UsageError (exit code 4); nothing here touches the file system.
#pragma once

#include <cstddef>
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
    std::vector<std::string> paths;
};

Args parse_args(const std::vector<std::string>& argv);  // argv without the program name

std::string usage_text();

}  // namespace nncert::cli
