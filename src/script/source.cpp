// Source locations, error formatting and the UTF-8 gate run before lexing.
// The UTF-8 check is strict (RFC 3629) so that no byte sequence can be read two ways.
#include "script/source.hpp"

namespace nncert::script {

namespace {
std::string render(const SourceLoc& loc, const std::string& code, const std::string& message) {
    // Appended piece by piece: `":" + std::to_string(...)` trips a GCC 12 -Wrestrict false positive.
    std::string where = loc.file;
    if (loc.line != 0) {
        where += ':';
        where += std::to_string(loc.line);
        where += ':';
        where += std::to_string(loc.col);
    }
    where += ": error[";
    where += code;
    where += "]: ";
    where += message;
    return where;
}
}  // namespace

ParseError::ParseError(std::string code_, SourceLoc loc_, std::string message_)
    : std::runtime_error(render(loc_, code_, message_)),
      code(std::move(code_)),
      loc(std::move(loc_)),
      message(std::move(message_)) {}

std::string ParseError::format() const { return render(loc, code, message); }

void fail(const std::string& code, const SourceLoc& loc, const std::string& message) {
    throw ParseError(code, loc, message);
}

void check_utf8(const std::string& text, const std::string& file) {
    std::size_t line = 1, col = 1;
    const std::size_t n = text.size();
    for (std::size_t i = 0; i < n;) {
        const auto b = static_cast<unsigned char>(text[i]);
        std::size_t len = 0;
        unsigned cp = 0, min = 0;
        if (b < 0x80) { len = 1; cp = b; }
        else if ((b & 0xE0) == 0xC0) { len = 2; cp = b & 0x1F; min = 0x80; }
        else if ((b & 0xF0) == 0xE0) { len = 3; cp = b & 0x0F; min = 0x800; }
        else if ((b & 0xF8) == 0xF0) { len = 4; cp = b & 0x07; min = 0x10000; }
        bool ok = len != 0 && i + len <= n;
        for (std::size_t k = 1; ok && k < len; ++k) {
            const auto c = static_cast<unsigned char>(text[i + k]);
            ok = (c & 0xC0) == 0x80;
            cp = (cp << 6) | (c & 0x3F);
        }
        if (ok) ok = cp >= min && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
        if (!ok) fail("encoding", {file, line, col}, "invalid UTF-8 byte sequence (the file must be UTF-8 text)");
        if (b == '\n') { ++line; col = 1; }
        else ++col;
        i += len;
    }
}

}  // namespace nncert::script
