// Shared by the libFuzzer harnesses: what counts as a finding. A rejection must carry a code documented
// in docs/format.md (the table is read once, at start); anything else that escapes, and any violated
// property, aborts with the input's reason on stderr, which libFuzzer reports as a crash and saves.
#pragma once

#include "script/script.hpp"
#include "script/source.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>

namespace nncert::fuzz {

// A directory that does not exist: `data "x.csv"` in a fuzzed script resolves against it and fails with
// error[io] instead of reading files next to the harness.
inline const std::string no_dir = "/nonexistent-nncert-fuzz-dir";

inline const std::set<std::string>& documented_codes() {
    static const std::set<std::string> codes = [] {
        std::ifstream in(std::string(NNCERT_SOURCE_DIR) + "/docs/format.md", std::ios::binary);
        std::ostringstream s;
        s << in.rdbuf();
        const std::string text = s.str();
        const std::size_t at = text.find("\n## Errors");
        std::set<std::string> out;
        if (at == std::string::npos) return out;
        const std::string table = text.substr(at);
        const std::regex row(R"(\n\| `([a-z-]+)` \|)");
        for (std::sregex_iterator it(table.begin(), table.end(), row), end; it != end; ++it) out.insert((*it)[1]);
        return out;
    }();
    if (codes.empty()) {
        std::fprintf(stderr, "fuzz: no error codes found in docs/format.md\n");
        std::abort();
    }
    return codes;
}

[[noreturn]] inline void finding(const std::string& what) {
    std::fprintf(stderr, "fuzz finding: %s\n", what.c_str());
    std::abort();
}

inline void require_documented(const script::ParseError& e) {
    if (!documented_codes().count(e.code)) finding("undocumented error code '" + e.code + "': " + e.format());
    if (e.message.empty()) finding("error without a message: " + e.code);
}

// The prologue of the script harnesses: the parsed and resolved script, or nothing when the input is
// rejected with a documented code (any other rejection is a finding).
inline std::optional<script::Script> parse_script(const std::uint8_t* data, std::size_t size) {
    try {
        return script::parse_text(std::string(reinterpret_cast<const char*>(data), size), "fuzz.nnc", no_dir);
    } catch (const script::ParseError& e) {
        require_documented(e);
        return std::nullopt;
    }
}

}  // namespace nncert::fuzz
