// Test helper: the error code and line of reading a text as a script's syntax (script::parse_syntax: layout,
// characters, tokens; shapes and names are not checked), for suites that probe the front end's rejections.
#pragma once

#include "script/parser.hpp"

#include <cstddef>
#include <string>
#include <utility>

namespace nncert::test {

// {"", 0} when `text` reads; else {the ParseError's code, its line}.
inline std::pair<std::string, std::size_t> script_error(const std::string& text) {
    try {
        script::parse_syntax(text, "t.nnc");
        return {"", 0};
    } catch (const script::ParseError& e) {
        return {e.code, e.loc.line};
    }
}

}  // namespace nncert::test
