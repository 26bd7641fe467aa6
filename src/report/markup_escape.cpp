// Escaping for Markdown, LaTeX and XML, on top of visible_text (see markup_escape.hpp).
#include "report/markup_escape.hpp"

#include "util/unicode.hpp"

#include <cstdio>

namespace nncert::report {

std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = byte(i);
    std::size_t n;
    unsigned cp;
    if (c < 0x80) return 1;
    if (c >= 0xc2 && c <= 0xdf) { n = 2; cp = c & 0x1fu; }
    else if (c >= 0xe0 && c <= 0xef) { n = 3; cp = c & 0x0fu; }
    else if (c >= 0xf0 && c <= 0xf4) { n = 4; cp = c & 0x07u; }
    else return 0;
    if (i + n > s.size()) return 0;
    for (std::size_t k = 1; k < n; ++k) {
        if ((byte(i + k) & 0xc0) != 0x80) return 0;
        cp = (cp << 6) | (byte(i + k) & 0x3fu);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

std::string visible_text(std::string_view s, bool keep_line_breaks) {
    return util::escape_for_display(s, keep_line_breaks);
}

std::string markdown_text(std::string_view s) {
    // Table cells hold inline content only, so block markup (#, -, 1.) cannot start there; these can.
    static constexpr std::string_view markup = "\\`*_[]<>|~&$";
    std::string out;
    for (char c : visible_text(s)) {
        if (markup.find(c) != std::string_view::npos) out += '\\';
        out += c;
    }
    return out;
}

std::string markdown_heading(std::string_view s) {
    // CommonMark drops a closing `#` sequence (`## x #` is the heading "x"), so '#' is escaped everywhere.
    // The spaces around a heading's text, which it strips too, and every space after the first of a run,
    // which HTML collapses, are already written \u{0020} by visible_text (and that backslash is escaped by
    // markdown_text, so it renders as itself and cannot come from a name's own backslash).
    std::string out;
    for (char c : markdown_text(s)) {
        if (c == '#') out += '\\';
        out += c;
    }
    return out;
}

std::string markdown_code(std::string_view s) {
    std::string out = "`";
    for (char c : visible_text(s)) {
        if (c == '|') out += "\\|";
        else if (c == '`') out += "\xe2\x80\x98";  // U+2018
        else out += c;
    }
    return out + "`";
}

namespace {

// Pairs TeX's text fonts join into one glyph: -- and --- (dashes), `` and '' (curly quotes), ,, (a low
// quote in T1), !` and ?` (inverted marks; the typewriter font has these too).
bool ligature(char a, char b) {
    return (a == '-' && b == '-') || (a == '`' && b == '`') || (a == '\'' && b == '\'') || (a == ',' && b == ',') ||
           ((a == '!' || a == '?') && b == '`');
}

}  // namespace

std::string latex_text(std::string_view s, std::string_view break_after) {
    const std::string v = visible_text(s);
    std::string out;
    for (std::size_t i = 0; i < v.size(); ++i) {
        const char c = v[i];
        switch (c) {
            case '\\': out += "\\textbackslash{}"; break;
            case '{': out += "\\{"; break;
            case '}': out += "\\}"; break;
            case '$': out += "\\$"; break;
            case '&': out += "\\&"; break;
            case '#': out += "\\#"; break;
            case '%': out += "\\%"; break;
            case '_': out += "\\_"; break;
            case '~': out += "\\textasciitilde{}"; break;
            case '^': out += "\\textasciicircum{}"; break;
            case '<': out += "\\textless{}"; break;
            case '>': out += "\\textgreater{}"; break;
            case '|': out += "\\textbar{}"; break;
            default: out += c;
        }
        if (i + 1 < v.size() && ligature(c, v[i + 1])) out += "{}";  // `--` stays two hyphens: -{}-
        if (break_after.find(c) != std::string_view::npos) out += "\\allowbreak{}";
    }
    return out;
}

std::string xml_text(std::string_view s, bool keep_line_breaks) { return xml_entities(visible_text(s, keep_line_breaks)); }

std::string xml_entities(std::string_view s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&apos;"; break;
            default: out += c;
        }
    }
    return out;
}

}  // namespace nncert::report
