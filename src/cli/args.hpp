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
    unsigned timeout_seconds = 600;     // --timeout S: wall-clock seconds per claim (0: none)
    std::size_t max_memory_mib = 4096;  // --max-memory MIB: memory per claim and for reading scripts (0: none)
    std::vector<std::string> paths;
};

Args parse_args(const std::vector<std::string>& argv);  // argv without the program name

// The value of --precision BITS (8 to 1048576, as the script statement); UsageError otherwise.
unsigned parse_precision(const std::string& text);

// Upper ends of --timeout (seconds) and --max-memory (MiB): one day and 1 TiB.
inline constexpr unsigned max_timeout_seconds = 86400;
inline constexpr std::size_t max_memory_limit_mib = std::size_t(1) << 20;

std::string usage_text();

}  // namespace nncert::cli
