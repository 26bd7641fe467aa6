// Test helper: the same folders through the nncert binary with `--engine ball` and with `--engine mpfi`,
// compared claim by claim (Boost.Test assertions; the caller has included Boost.Test and runs in a test case).
#pragma once

#include "test_paths.hpp"
#include "process.hpp"
#include "long_scripts.hpp"
#include "report/json.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

namespace nncert::test {

// Runs `binary` over `dirs` with `--engine ball` and with `--engine mpfi`: every claim's ball verdict agrees
// with the MPFI one or is inconclusive. Returns how many claims the ball engine decided alone.
inline int compare_engines_through_the_binary(const std::string& binary, const std::vector<std::string>& dirs) {
    using nncert::report::Json;
    // Each folder as its scripts, less the long ones (tests/long-scripts.txt: their own release-only tests check
    // them, with the default engine choice).
    std::string paths;
    for (const std::string& d : dirs)
        for (const std::filesystem::path& p : scripts_without_long(std::filesystem::path(NNCERT_SOURCE_DIR) / d)) {
            paths += ' ';  // appended piecewise: GCC 12 -Wstringop-overflow false positive
            paths += shell_quote(p.string());
        }
    const Json ball = Json::parse(run_process(shell_quote(binary) + " check --json --engine ball" + paths).out);
    const Json mpfi = Json::parse(run_process(shell_quote(binary) + " check --json --engine mpfi" + paths).out);
    const auto& sb = ball.at("scripts").as_array();
    const auto& sm = mpfi.at("scripts").as_array();
    BOOST_REQUIRE(sb.size() == sm.size());
    int by_ball = 0;
    for (std::size_t i = 0; i < sb.size(); ++i) {
        const Json* cb = sb[i].find("claims");
        const Json* cm = sm[i].find("claims");
        if (!cb || !cm) continue;
        BOOST_REQUIRE(cb->as_array().size() == cm->as_array().size());
        for (std::size_t k = 0; k < cb->as_array().size(); ++k) {
            const std::string b = cb->as_array()[k].at("verdict").as_string(), m = cm->as_array()[k].at("verdict").as_string();
            BOOST_TEST((b == m || b == "inconclusive"), sb[i].at("file").as_string() << " claim " << k << ": ball " << b
                                                                                << ", mpfi " << m);
            if (cb->as_array()[k].at("engine").as_string() == "ball") ++by_ball;
        }
    }
    return by_ball;
}

}  // namespace nncert::test
