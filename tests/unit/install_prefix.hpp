// Installs this build (cmake --install) into a fresh prefix, for the tests of the installed CMake package.
#pragma once

#include "process.hpp"
#include "test_paths.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <string>

namespace nncert::test {

// Installs NNCERT_BUILD_DIR into tmp/prefix (a test failure when cmake --install fails); returns the prefix.
inline std::filesystem::path install_build(const TempDir& tmp) {
    const std::filesystem::path prefix = tmp / "prefix";
    std::string cmd = "cmake --install ";
    cmd += shell_quote(NNCERT_BUILD_DIR);
    cmd += " --prefix " + shell_quote(prefix.string());
    const ProcessResult r = run_process(cmd);
    BOOST_TEST_REQUIRE(r.exit == 0, r.out << r.err);
    return prefix;
}

}  // namespace nncert::test
