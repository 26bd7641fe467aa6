// Source locations and the one error type of the script front end.
// Every rejection carries a stable code (tests assert codes, not wording) and the offending position.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

namespace nncert::script {

// 1-based line and column (columns count Unicode code points). line 0 means "the whole file" (io errors).
struct SourceLoc {
    std::string file;
    std::size_t line = 0, col = 0;
    std::size_t offset = 0;  // byte offset in the text (for tools that rewrite a script in place)
};

// Thrown on the first error; the front end reports it and stops (no recovery, no cascades).
struct ParseError : std::runtime_error {
    std::string code;
    SourceLoc loc;
    std::string message;

    ParseError(std::string code, SourceLoc loc, std::string message);
    // "file:line:col: error[code]: message" ("file: error[code]: message" when line is 0).
    std::string format() const;
};

[[noreturn]] void fail(const std::string& code, const SourceLoc& loc, const std::string& message);

// Rejects invalid UTF-8 (overlong forms, surrogates, code points above U+10FFFF) with code "encoding".
// Checked before lexing so that later column counts (code points) are well defined.
void check_utf8(const std::string& text, const std::string& file);

}  // namespace nncert::script
