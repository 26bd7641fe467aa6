// Human-readable report, rendered from the JSON document (so text and --json can never disagree).
// One line per claim, an error line per malformed script, a sha256 line per script, then a summary.
#pragma once

#include "report/json.hpp"

#include <string>

namespace nncert::report {

// Lines end in '\n'. Throws JsonError if the document does not have the format-1 shape.
// Equal to the concatenation of render_text_script over the scripts and render_text_summary.
std::string render_text(const Json& doc);

// One script entry's lines (claims or its error line, then its sha256 line). quiet: only claims that are
// not certified and error lines; nothing for a script whose every claim is certified.
std::string render_text_script(const Json& script, bool quiet = false);
// The closing `summary: ...` line, from a document's "summary".
std::string render_text_summary(const Json& summary);

// `file:line:col: error[code]: message` (without line:col when the error has no position), no newline.
// display: every string through util::escape_for_display (a terminal line); false: the strings raw, for a
// markup format that escapes the whole line itself (escaping twice would show doubled backslashes).
std::string render_error_line(const Json& script, bool display = true);

}  // namespace nncert::report
