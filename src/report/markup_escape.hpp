// Escaping of arbitrary report text (file names, messages, claims) for the markup formats: Markdown table
// cells, LaTeX, XML. Control characters and bytes that are not UTF-8 become a visible \xNN (a backslash \\)
// first, so no format can be broken or have its terminal-visible text forged by a file name.
#pragma once

#include <string>
#include <string_view>

namespace nncert::report {

// The one display escaper of every format, util::escape_for_display: TAB, LF, CR as \t \n \r, other control
// characters (U+0000-U+001F, U+007F) and bytes that are not UTF-8 as \xNN; every non-ASCII character
// (C1 controls such as U+0085 NEL, bidi controls, invisible characters, and letters such as U+0430 that look
// like ASCII ones) as \u{XXXX}; a space at either end or after a space as \u{0020}; a backslash as \\.
// Injective: two different names never give the same text.
// keep_line_breaks: '\n' and '\t' pass through (for multi-line XML character data).
std::string visible_text(std::string_view s, bool keep_line_breaks = false);

// Text for a GitHub-flavoured Markdown table cell (inline content): the ASCII punctuation that can start
// inline markup there (\ ` * _ [ ] < > | ~ & $) is backslash-escaped, as CommonMark allows.
std::string markdown_text(std::string_view s);
// Text for an ATX heading line (`## ...`): markdown_text with every '#' escaped (a closing `#` sequence
// is dropped by CommonMark); leading and trailing spaces and inner runs are \u{0020} from visible_text, so
// names such as `x`, `x #`, `x  ` and `a  b` give different rendered headings.
std::string markdown_heading(std::string_view s);
// A code span for a table cell: `...` with '|' escaped (GFM tables split on it even inside code spans);
// a backtick inside is replaced by U+2018, as a code span cannot contain its own fence reliably.
std::string markdown_code(std::string_view s);

// Length of the valid UTF-8 sequence starting at s[i] (1 for ASCII), or 0 when the byte there does not
// start one (overlong forms, surrogates and code points above U+10FFFF are invalid).
std::size_t utf8_sequence_length(std::string_view s, std::size_t i);

// Text for LaTeX's text mode: \ { } $ & # % _ ~ ^ < > | are written as commands or escapes, and the
// character pairs TeX's fonts join into one glyph (-- and --- as dashes, `` '' ,, as quotes, !` ?`) are
// kept apart with {} (`a--b` is a-{}-b), so the typeset text shows the characters the name has.
// break_after: ASCII characters after which a line may break (\allowbreak{}), e.g. "/" in paths.
std::string latex_text(std::string_view s, std::string_view break_after = {});

// Text for XML 1.0 attribute values and character data: & < > " ' escaped. XML 1.0 cannot carry control
// characters even as references, so they are made visible as above (line breaks and tabs kept on request).
std::string xml_text(std::string_view s, bool keep_line_breaks = false);
// Only the XML escapes of xml_text, for text already made visible piece by piece (visible_text is not
// idempotent: it doubles backslashes, so it must be applied exactly once).
std::string xml_entities(std::string_view s);

}  // namespace nncert::report
