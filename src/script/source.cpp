// Source locations, error formatting and the UTF-8 gate run before lexing.
// The gate is strict (RFC 3629 UTF-8, no odd line breaks or bidi controls) so no text can be read two ways.
#include "script/source.hpp"

#include <chrono>

#include "util/unicode.hpp"

namespace nncert::script {

namespace {
// Escaped for display: a file name (from the command line or a folder) may hold any byte.
std::string render(const SourceLoc& loc, const std::string& code, const std::string& message) {
    // Appended piece by piece: `":" + std::to_string(...)` trips a GCC 12 -Wrestrict false positive.
    std::string where = util::escape_for_display(loc.file);
    if (loc.line != 0) {
        where += ':';
        where += std::to_string(loc.line);
        where += ':';
        where += std::to_string(loc.col);
    }
    where += ": error[";
    where += code;
    where += "]: ";
    where += util::escape_for_display(message);
    return where;
}
}  // namespace

ParseError::ParseError(std::string code_, SourceLoc loc_, std::string message_)
    : std::runtime_error(render(loc_, code_, message_)),
      code(std::move(code_)),
      loc(std::move(loc_)),
      message(std::move(message_)) {}

std::string ParseError::format() const { return render(loc, code, message); }

namespace {

struct Deadline {
    bool on = false;
    unsigned seconds = 0;
    const char* what = "reading the script";
    std::chrono::steady_clock::time_point at;
    unsigned calls = 0;
} reading_deadline;

}  // namespace

ReadingDeadline::ReadingDeadline(unsigned seconds, const char* what)
    : ReadingDeadline(seconds, std::chrono::steady_clock::now(), what) {}

ReadingDeadline::ReadingDeadline(unsigned seconds, std::chrono::steady_clock::time_point start, const char* what) {
    reading_deadline = Deadline{seconds != 0, seconds, what, start + std::chrono::seconds(seconds), 0};
}

ReadingDeadline::~ReadingDeadline() { reading_deadline = Deadline{}; }

void check_reading_deadline(const SourceLoc& at) {
    if (!reading_deadline.on || ++reading_deadline.calls % 64 != 0) return;
    if (std::chrono::steady_clock::now() < reading_deadline.at) return;
    reading_deadline.on = false;  // one error per script
    fail("limit", at,
         std::string(reading_deadline.what) + " took longer than the time limit of " +
             std::to_string(reading_deadline.seconds) + " s (--timeout)");
}

void fail(const std::string& code, const SourceLoc& loc, const std::string& message) {
    throw ParseError(code, loc, message);
}

void fail_hidden_text(const SourceLoc& at, std::size_t columns) {
    fail("layout", at,
         "text after " + std::to_string(columns) + " columns of blanks (more than " +
             std::to_string(max_blank_columns) +
             "): a viewer without line wrapping shows the line without it; remove the blanks or break the line");
}

void check_text(const std::string& text, const std::string& file) {
    std::size_t line = 1, col = 1;
    const std::size_t n = text.size();
    for (std::size_t i = 0; i < n;) {
        char32_t cp = 0;
        const std::size_t len = util::decode_utf8(text, i, cp);
        if (len == 0) fail("encoding", {file, line, col}, "invalid UTF-8 byte sequence (the file must be UTF-8 text)");
        const bool crlf = cp == '\r' && i + 1 < n && text[i + 1] == '\n';
        if (!crlf && (util::is_control(cp) || util::is_odd_line_terminator(cp)))
            fail("forbidden-character", {file, line, col},
                 util::code_point_name(cp) +
                     (util::is_odd_line_terminator(cp)
                          ? ": a line break for some viewers but not for the checker (lines end at LF or CRLF only)"
                          : ": a control character (only TAB, LF and CRLF are allowed)"));
        if (util::is_bidi_control(cp))
            fail("forbidden-character", {file, line, col},
                 util::code_point_name(cp) +
                     ": a bidirectional control reorders how text is displayed (\"Trojan Source\", CVE-2021-42574)");
        if (cp == '\n') {
            ++line;
            col = 1;
        } else if (!crlf) {
            ++col;
        }
        i += len;
    }
}

}  // namespace nncert::script
