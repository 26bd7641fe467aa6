// Source locations and the one error type of the script front end.
// Every rejection carries a stable code (tests assert codes, not wording) and the offending position.
#pragma once

#include <chrono>
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

// A wall-clock limit on reading scripts and their CSV files (every command's --timeout; script/load.hpp), held
// while the object lives (one at a time; 0 seconds: none). Number parsing calls check_reading_deadline at every
// number and arithmetic step, and the canonical printer at every number it prints, which fails with code
// "limit" once the deadline has passed: a script of costly number expressions (20,000 rows of 65,000-bit
// quotients took 9.5 s) stops at the limit. `what` begins the message ("reading the script took longer ...").
class ReadingDeadline {
public:
    explicit ReadingDeadline(unsigned seconds, const char* what = "reading the script");
    // The limit of `seconds` counted from `start` (print: reading and printing share one limit).
    ReadingDeadline(unsigned seconds, std::chrono::steady_clock::time_point start, const char* what);
    ~ReadingDeadline();
    ReadingDeadline(const ReadingDeadline&) = delete;
    ReadingDeadline& operator=(const ReadingDeadline&) = delete;
};
// Reads the clock every 64th call (a step is at least one number); fails with "limit" at `at` when late.
void check_reading_deadline(const SourceLoc& at);

// The gate every script and CSV text passes before it is lexed, so that what a viewer shows is what is
// parsed (docs/format.md, "Characters"). Rejects invalid UTF-8 (overlong forms, surrogates, code points
// above U+10FFFF) with code "encoding", and with code "forbidden-character": every line terminator but LF
// (a CR is allowed only directly before LF), every other control character but TAB, and the bidi
// controls of "Trojan Source" (CVE-2021-42574). Invisible characters are the lexer's business (they are
// allowed in comments only). Column counts (code points) are well defined afterwards.
void check_text(const std::string& text, const std::string& file);

// Text hidden far to the right (docs/format.md, "Characters"): blanks (spaces and tabs, tab stops every 8
// columns) spanning more than this many columns inside a line, before anything that is checked (a token, or
// more of a quoted file name or a CSV line), are rejected with code "layout". `5 -> 7` followed by 400
// spaces and `weight 1e-1000` reads as `5 -> 7` in an editor without line wrapping. Before a comment, and at
// the end of a line, any run is allowed (what is there checks nothing).
inline constexpr std::size_t max_blank_columns = 32;
// Text hidden far below (docs/format.md, "Characters"): inside one item (a block, a claim, a data row, an
// expression) a token may follow at most this many lines without code (blank or holding only a comment);
// further down it is rejected with code "layout". `claim loss p = 0` with `* 0 + 10` 400 lines below read as
// a claim of loss 0 on its first screen. Between items (before a block keyword) any gap is allowed.
inline constexpr std::size_t max_quiet_lines = 8;
// The display column (0-based) after a space or a tab at display column `column`.
inline constexpr std::size_t after_blank(std::size_t column, char blank) {
    return blank == '\t' ? (column / 8 + 1) * 8 : column + 1;
}
// The "layout" error for text at `at` after a run of `columns` blank columns.
[[noreturn]] void fail_hidden_text(const SourceLoc& at, std::size_t columns);

// The older name of check_text (kept for callers written before the gate grew).
inline void check_utf8(const std::string& text, const std::string& file) { check_text(text, file); }

}  // namespace nncert::script
