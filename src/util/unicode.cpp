// Classification of the code points that can make a script display differently from how it parses.
// Tables follow Unicode 15 (category Cf, bidi classes R/AL by block); sets err on the side of too many.
#include "util/unicode.hpp"

#include <unicode/uchar.h>

#include <array>
#include <cstdio>
#include <utility>

namespace nncert::util {

namespace {

bool in(char32_t cp, char32_t lo, char32_t hi) { return cp >= lo && cp <= hi; }

constexpr std::array<std::pair<char32_t, const char*>, 40> names{{
    {0x0009, "CHARACTER TABULATION"},
    {0x000B, "LINE TABULATION"},
    {0x000C, "FORM FEED"},
    {0x000D, "CARRIAGE RETURN"},
    {0x001B, "ESCAPE"},
    {0x007F, "DELETE"},
    {0x0085, "NEXT LINE"},
    {0x00A0, "NO-BREAK SPACE"},
    {0x00AD, "SOFT HYPHEN"},
    {0x034F, "COMBINING GRAPHEME JOINER"},
    {0x061C, "ARABIC LETTER MARK"},
    {0x115F, "HANGUL CHOSEONG FILLER"},
    {0x1160, "HANGUL JUNGSEONG FILLER"},
    {0x180E, "MONGOLIAN VOWEL SEPARATOR"},
    {0x200B, "ZERO WIDTH SPACE"},
    {0x200C, "ZERO WIDTH NON-JOINER"},
    {0x200D, "ZERO WIDTH JOINER"},
    {0x200E, "LEFT-TO-RIGHT MARK"},
    {0x200F, "RIGHT-TO-LEFT MARK"},
    {0x2028, "LINE SEPARATOR"},
    {0x2029, "PARAGRAPH SEPARATOR"},
    {0x202A, "LEFT-TO-RIGHT EMBEDDING"},
    {0x202B, "RIGHT-TO-LEFT EMBEDDING"},
    {0x202C, "POP DIRECTIONAL FORMATTING"},
    {0x202D, "LEFT-TO-RIGHT OVERRIDE"},
    {0x202E, "RIGHT-TO-LEFT OVERRIDE"},
    {0x202F, "NARROW NO-BREAK SPACE"},
    {0x205F, "MEDIUM MATHEMATICAL SPACE"},
    {0x2060, "WORD JOINER"},
    {0x2061, "FUNCTION APPLICATION"},
    {0x2062, "INVISIBLE TIMES"},
    {0x2063, "INVISIBLE SEPARATOR"},
    {0x2064, "INVISIBLE PLUS"},
    {0x2066, "LEFT-TO-RIGHT ISOLATE"},
    {0x2067, "RIGHT-TO-LEFT ISOLATE"},
    {0x2068, "FIRST STRONG ISOLATE"},
    {0x2069, "POP DIRECTIONAL ISOLATE"},
    {0x2800, "BRAILLE PATTERN BLANK"},
    {0x3164, "HANGUL FILLER"},
    {0xFEFF, "ZERO WIDTH NO-BREAK SPACE"},
}};

}  // namespace

std::size_t decode_utf8(std::string_view s, std::size_t i, char32_t& cp) {
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    char32_t v = 0, min = 0;
    if (b < 0x80) { cp = b; return 1; }
    if ((b & 0xE0) == 0xC0) { len = 2; v = b & 0x1F; min = 0x80; }
    else if ((b & 0xF0) == 0xE0) { len = 3; v = b & 0x0F; min = 0x800; }
    else if ((b & 0xF8) == 0xF0) { len = 4; v = b & 0x07; min = 0x10000; }
    else return 0;
    if (i + len > s.size()) return 0;
    for (std::size_t k = 1; k < len; ++k) {
        const auto c = static_cast<unsigned char>(s[i + k]);
        if ((c & 0xC0) != 0x80) return 0;
        v = (v << 6) | (c & 0x3F);
    }
    if (v < min || v > 0x10FFFF || in(v, 0xD800, 0xDFFF)) return 0;
    cp = v;
    return len;
}

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

bool is_odd_line_terminator(char32_t cp) {
    return cp == 0x0B || cp == 0x0C || cp == 0x0D || cp == 0x85 || cp == 0x2028 || cp == 0x2029;
}

bool is_control(char32_t cp) { return (cp < 0x20 && cp != 0x09 && cp != 0x0A) || in(cp, 0x7F, 0x9F); }

bool is_bidi_control(char32_t cp) {
    return cp == 0x061C || cp == 0x200E || cp == 0x200F || in(cp, 0x202A, 0x202E) || in(cp, 0x2066, 0x2069);
}

bool is_invisible(char32_t cp) {
    if (cp < 0xA0) return false;
    return cp == 0x00A0 || cp == 0x00AD || cp == 0x034F || in(cp, 0x0600, 0x0605) || cp == 0x06DD ||
           cp == 0x070F || in(cp, 0x0890, 0x0891) || cp == 0x08E2 || in(cp, 0x115F, 0x1160) || cp == 0x1680 ||
           in(cp, 0x17B4, 0x17B5) || in(cp, 0x180B, 0x180F) || in(cp, 0x2000, 0x200F) || in(cp, 0x2028, 0x202F) ||
           in(cp, 0x205F, 0x206F) || cp == 0x2800 || cp == 0x3000 || cp == 0x3164 || in(cp, 0xFE00, 0xFE0F) ||
           cp == 0xFEFF || cp == 0xFFA0 || in(cp, 0xFFF0, 0xFFFB) || cp == 0x110BD || cp == 0x110CD ||
           in(cp, 0x13430, 0x1343F) || in(cp, 0x1BCA0, 0x1BCA3) || in(cp, 0x1D173, 0x1D17A) ||
           // The whole block U+E0000..E0FFF: every code point in it is Default_Ignorable_Code_Point, assigned (tags,
           // variation selectors) or not, and renderers (HarfBuzz: browsers, GTK/Qt editors) draw each as nothing
           // (review r8-8 F1: U+E0080 after `d.csv` in a file name showed `d.csv` and read another file). Likewise
           // the unassigned U+FFF0..FFF8 before the interlinear annotation controls U+FFF9..FFFB.
           in(cp, 0xE0000, 0xE0FFF);
}

int display_columns(char32_t cp) {
    // Every non-ASCII code point takes its UTF-8 length: at least the 2 columns the widest viewer draws for one
    // code point (review r8-12 F2: glibc's wcwidth draws the 64 hexagrams U+4DC0..4DFF 2 wide where ICU's East
    // Asian Width says 1; no one width table is "the most any viewer draws"), and what `cut -c` counts where it
    // counts bytes (coreutils without the multibyte patch, as on Debian).
    if (cp < 0x80) return 1;
    // A code point a viewer may show as an escape: `less` draws a private-use, unassigned or format character as
    // `<U+E000>` (8 columns; 10 for `<U+10FFFF>`). They stand only in comments (the gate rejects them elsewhere),
    // where their width counts for the rows a line fills in a wrapping viewer (review r8-13 F4).
    if (is_font_dependent(cp)) return 10;
    const int8_t type = u_charType(UChar32(cp));
    if (type == U_UNASSIGNED || type == U_FORMAT_CHAR) return 10;
    return cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

bool is_font_dependent(char32_t cp) {
    return in(cp, 0xE000, 0xF8FF) || cp >= 0xF0000 ||        // private use (planes 15 and 16 whole)
           in(cp, 0xFDD0, 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;  // noncharacters
}

bool is_strong_rtl(char32_t cp) {
    if (cp < 0x0590) return false;  // nothing below Hebrew is R or AL
    if (in(cp, 0x0590, 0x08FF) || in(cp, 0xFB1D, 0xFDFF) || in(cp, 0xFE70, 0xFEFE) || in(cp, 0x10800, 0x10FFF) ||
        in(cp, 0x1E800, 0x1EFFF))
        return true;
    // The blocks cover every R and AL letter of Unicode 15; ICU's class catches one added elsewhere later (and
    // U+200F RIGHT-TO-LEFT MARK, which the gate rejects before this is asked).
    const UCharDirection d = u_charDirection(UChar32(cp));
    return d == U_RIGHT_TO_LEFT || d == U_RIGHT_TO_LEFT_ARABIC;
}

bool is_strong_ltr(char32_t cp) {
    if (cp < 0x80) return (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z');
    return u_charDirection(UChar32(cp)) == U_LEFT_TO_RIGHT && !is_strong_rtl(cp);
}

std::string code_point_name(char32_t cp) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
    std::string s = buf;
    for (const auto& [code, name] : names)
        if (code == cp) return s + " " + name;
    return s;
}

std::string escape_for_display(std::string_view s, bool keep_line_breaks) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        char32_t cp = 0;
        const std::size_t n = decode_utf8(s, i, cp);
        if (keep_line_breaks && n == 1 && (cp == '\n' || cp == '\t')) {
            out += static_cast<char>(cp);
        } else if (n == 0 || (cp < 0x80 && (cp == '\t' || cp == '\n' || is_control(cp)))) {
            const auto b = static_cast<unsigned char>(s[i]);
            if (n != 0 && b == '\n') out += "\\n";
            else if (n != 0 && b == '\r') out += "\\r";
            else if (n != 0 && b == '\t') out += "\\t";
            else {
                out += "\\x";
                out += hex[b >> 4];
                out += hex[b & 0xF];
            }
            i += 1;
            continue;
        } else if (cp == '\\') {
            out += "\\\\";
        } else if (cp == ' ' && (i == 0 || i + 1 == s.size() || s[i - 1] == ' ')) {
            // A space that begins or ends the text, or follows a space: trimmed, collapsed or pushing text
            // off-screen in some view, so written as an escape (the first space of an inner run stays).
            out += "\\u{0020}";
        } else if (cp >= 0x80) {
            // Every non-ASCII character: a Cyrillic a (U+0430) or an e + combining acute (U+0301) must not
            // look like the ASCII or precomposed name of another file (controls, bidi and invisible ones too).
            char buf[16];
            std::snprintf(buf, sizeof buf, "\\u{%04X}", static_cast<unsigned>(cp));
            out += buf;
        } else {
            out.append(s.substr(i, n));
        }
        i += n;
    }
    return out;
}

std::string quoted_for_display(std::string_view s) {
    std::string out = "\"";
    for (char c : escape_for_display(s)) {
        if (c == '"') out += '\\';
        out += c;
    }
    return out + "\"";
}

std::string quoted_name(std::string_view s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'') out += '\'';
        out += c;
    }
    return out + "'";
}

}  // namespace nncert::util
