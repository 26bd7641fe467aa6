// Test helper: run a shell command (usually the real nncert binary) and collect its exit code, standard
// output and standard error; plus a temporary folder that removes itself. POSIX only, like the CLI.
#pragma once

#include "test_paths.hpp"
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace nncert::test {

struct ProcessResult {
    int exit = -1;  // -1 when the process did not exit normally (a signal)
    std::string out, err;
};

inline std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

inline std::string read_text(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

inline void write_text(const std::filesystem::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary);
    out << text;
}

class TempDir {
public:
    TempDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "nncert-test-XXXXXX").string();
        if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

// Runs `command` through /bin/sh with standard input from /dev/null; stderr is captured through a file.
inline ProcessResult run_process(const std::string& command) {
    TempDir tmp;
    const std::string err_file = (tmp / "stderr").string();
    ProcessResult r;
    FILE* pipe = popen(("(" + command + ") </dev/null 2>" + shell_quote(err_file)).c_str(), "r");
    if (!pipe) return r;
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) r.out.append(buf, n);
    const int status = pclose(pipe);
    r.exit = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.err = read_text(err_file);
    return r;
}

// The nncert binary under test, quoted for the shell.
inline std::string nncert_binary() { return shell_quote(NNCERT_BINARY); }

// The binary the verdict-only tests over whole folders run (the scripts.* tests, unit.ball_engine_scripts):
// this build's, or the one named by $NNCERT_CHECK_BINARY (scripts/test.sh runs them through the sanitizer
// build's binary and again through the release binary this way, without building the unit tests twice).
inline std::string checked_binary() {
    const char* other = std::getenv("NNCERT_CHECK_BINARY");
    return other && *other ? other : NNCERT_BINARY;
}

}  // namespace nncert::test
