// Code points that make text display differently from how it parses: line terminators other than LF,
// control characters, bidi controls ("Trojan Source", CVE-2021-42574), invisible characters, RTL letters.
// Shared by the script gate (what a script may contain) and the reports (what is escaped when printed).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace nncert::util {

// Decodes the UTF-8 sequence at s[i] (RFC 3629: no overlong forms, surrogates or code points above
// U+10FFFF). Returns its length in bytes and sets cp, or returns 0 when the bytes are not valid UTF-8.
std::size_t decode_utf8(std::string_view s, std::size_t i, char32_t& cp);

// Appends the UTF-8 encoding of cp (a Unicode scalar value).
void append_utf8(std::string& out, char32_t cp);

// Line terminators other than LF (U+000A): VT, FF, CR, NEL (U+0085), LINE SEPARATOR (U+2028),
// PARAGRAPH SEPARATOR (U+2029). Some viewer breaks the line at each of them.
bool is_odd_line_terminator(char32_t cp);

// C0 controls other than TAB and LF, DEL, and the C1 controls U+0080..U+009F (CR included: the script
// gate lets CR through only as part of CRLF).
bool is_control(char32_t cp);

// Explicit bidirectional formatting characters: LRE, RLE, PDF, LRO, RLO (U+202A..U+202E), LRI, RLI, FSI,
// PDI (U+2066..U+2069), and the marks LRM, RLM, ALM (U+200E, U+200F, U+061C). They reorder how a line is
// displayed without changing its bytes' order.
bool is_bidi_control(char32_t cp);

// Characters that show nothing, or show as a blank, where a reader would see no character or a plain
// space: zero-width characters and the other format characters (Unicode category Cf, bidi controls
// aside), soft hyphen, combining grapheme joiner, Hangul fillers, variation selectors, tag characters,
// the braille blank, and every space other than U+0020.
bool is_invisible(char32_t cp);

// Letters of right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, NKo, ... : bidi classes R and AL,
// taken block-wise so the set is a superset, and every other code point ICU classes R or AL). A line whose
// first strong letter is one of them is shown right to left by viewers that pick the direction from the text.
bool is_strong_rtl(char32_t cp);

// Strong left-to-right characters (bidi class L, as ICU's u_charDirection gives it) that is_strong_rtl does not
// claim: Latin, Greek, Cyrillic, CJK, ... A line whose first strong character (UAX #9, rule P2) is one of these
// has a left-to-right base direction (P3) in every viewer that follows the text.
bool is_strong_ltr(char32_t cp);

// Code points whose look depends on the font, or that no font is meant to show: private use (U+E000..F8FF,
// planes 15 and 16) and the noncharacters (U+FDD0..FDEF, U+xxFFFE, U+xxFFFF). A viewer draws them as nothing,
// a box or a private glyph, so a file name holding one can pass for another; the script gate rejects them there.
bool is_font_dependent(char32_t cp);

// Display columns of cp counted for the rules that forbid text past column 160, the most any viewer draws: 1 for
// ASCII, and for every other code point its UTF-8 length (2 to 4): at least 2, the widest any viewer draws one code
// point (CJK, East Asian Ambiguous letters in a CJK locale, glibc's 2-wide hexagrams: review r8-9 F2, r8-10 F3,
// r8-12 F2), and the columns of `cut -c` where it counts bytes; 10 for a private-use, unassigned or format
// character, which `less` shows as `<U+XXXX>` (review r8-13 F4; such characters stand only in comments). Rules
// that *permit* text past column 160 never see non-ASCII: after a non-ASCII file name only
// `weighted` and a comment may stand on its line (docs/format.md, "Characters"; review r8-12 F1).
int display_columns(char32_t cp);

// "U+202E RIGHT-TO-LEFT OVERRIDE" for the characters above (the name when it is known), else "U+00E9".
std::string code_point_name(char32_t cp);

// Text safe to print on one line of a terminal report, and the one escaper of every report format
// (report::visible_text is this function): a backslash becomes "\\", TAB/LF/CR "\t" "\n" "\r", other
// controls (C0, DEL) and bytes that are not valid UTF-8 "\xHH", and every other non-ASCII character
// "\u{XXXX}" (at least four hex digits: "\u{0085}", "\u{202E}", "\u{0430}" for a Cyrillic a, "\u{0301}" for
// a combining accent): C1 controls, line terminators, bidi and invisible characters could not be seen, and a
// letter that looks like an ASCII one, or a name in another Unicode normal form, would read as the name of a
// different file. A space at the start or the end of the text, or right after another space, is "\u{0020}"
// (views trim the ends and collapse runs, and a long run pushes what follows off-screen); a single space
// between other characters stays. ASCII text otherwise passes unchanged, so ordinary names are shown as they
// are; the result is injective (two different texts never look the same) and pure ASCII.
// keep_line_breaks: LF and TAB pass through (multi-line XML character data).
std::string escape_for_display(std::string_view s, bool keep_line_breaks = false);

// `s` between double quotes, escaped as above and with each '"' inside written \" (a backslash of the text
// itself is doubled, so the closing quote cannot be forged): "x_in,\"y\"".
std::string quoted_for_display(std::string_view s);

// A name (a path, an option's value) quoted inside a message that is escaped as a whole when printed
// (escape_for_display of the message): 'NAME' with each ' inside written twice ('it''s.csv'), so the closing
// quote cannot be forged, and without escaping anything else here (that is the printer's one escaping,
// which would otherwise double this function's backslashes).
std::string quoted_name(std::string_view s);

}  // namespace nncert::util
