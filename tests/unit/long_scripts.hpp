// Test helper: the proof scripts too long for every pass of the suite (tests/long-scripts.txt says which and
// why; tests/CMakeLists.txt gives each one its own release-only test), and the .nnc files of a folder without them.
#pragma once

#include "test_paths.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace nncert::test {

// The paths of tests/long-scripts.txt, absolute (source root + listed path); comment and blank lines skipped.
// A listed path that is not a file fails the calling test (a renamed script must not fall out of every pass).
inline std::vector<std::filesystem::path> long_scripts() {
    namespace fs = std::filesystem;
    const fs::path root(NNCERT_SOURCE_DIR);
    std::ifstream in(root / "tests" / "long-scripts.txt");
    BOOST_TEST_REQUIRE(static_cast<bool>(in), "cannot read tests/long-scripts.txt");
    std::vector<fs::path> out;
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] == '#') continue;
        const fs::path p = root / line;
        BOOST_TEST_REQUIRE(fs::is_regular_file(p), "tests/long-scripts.txt names " << line << ", which is not a file");
        out.push_back(p);
    }
    return out;
}

inline bool is_long_script(const std::filesystem::path& file) {
    namespace fs = std::filesystem;
    static const std::vector<fs::path> listed = long_scripts();  // read once: asked for every file of a walk
    return std::any_of(listed.begin(), listed.end(),
                       [&](const fs::path& p) { return fs::equivalent(p, file); });
}

// Every script file under `dir` (recursively, through folder links, sorted; an extension .nnc in any case, as
// `nncert check DIR` takes them), except the long scripts: what `nncert check DIR` would check, less those. `dir` is
// absolute.
inline std::vector<std::filesystem::path> scripts_without_long(const std::filesystem::path& dir) {
    namespace fs = std::filesystem;
    const auto script_extension = [](const fs::path& p) {
        std::string e = p.extension().string();
        for (char& c : e) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return e == ".nnc";
    };
    std::vector<fs::path> out;
    for (const auto& entry : fs::recursive_directory_iterator(dir, fs::directory_options::follow_directory_symlink))
        if (entry.is_regular_file() && script_extension(entry.path()) && !is_long_script(entry.path()))
            out.push_back(entry.path());
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace nncert::test
