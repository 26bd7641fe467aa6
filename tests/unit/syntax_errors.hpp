// Test helper: the error code and line of reading a text as a script's syntax (script::parse_syntax: layout,
// characters, tokens; shapes and names are not checked), for suites that probe the front end's rejections.
#pragma once

#include "script/csv.hpp"
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

// "code:line:col" of reading `text` as a script's syntax, or "" when it reads.
inline std::string script_error_at(const std::string& text) {
    try {
        script::parse_syntax(text, "t.nnc");
        return "";
    } catch (const script::ParseError& e) {
        return e.code + ":" + std::to_string(e.loc.line) + ":" + std::to_string(e.loc.col);
    }
}

// The same for a CSV file's text (script::parse_csv).
inline std::string csv_error(const std::string& text) {
    try {
        script::parse_csv(text, "d.csv");
        return "";
    } catch (const script::ParseError& e) {
        return e.code + ":" + std::to_string(e.loc.line) + ":" + std::to_string(e.loc.col);
    }
}

}  // namespace nncert::test
