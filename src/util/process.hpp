// Starting another program without a shell (posix_spawn): arguments are passed as they are, so no
// quote, space or `;` in a path can run a command. Used by `nncert search --check` and by tests.
#pragma once

#include <string>
#include <vector>

namespace nncert::util {

enum class Stream { discard, capture, inherit };

struct ProgramResult {
    bool exited = false;  // false: killed by a signal
    int exit_code = -1;   // when exited
    int signal = 0;       // when not exited
    std::string out;      // stdout, when captured
};

// Runs argv[0] (a path; not searched on PATH) with the arguments argv[1..], stdin from /dev/null, and
// waits for it. Throws std::system_error when the program cannot be started (e.g. it does not exist).
ProgramResult run_program(const std::vector<std::string>& argv, Stream out = Stream::discard,
                          Stream err = Stream::discard);

}  // namespace nncert::util
