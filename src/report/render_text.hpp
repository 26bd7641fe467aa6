// Human-readable report, rendered from the JSON document (so text and --json can never disagree).
// One line per claim, an error line per malformed script, a sha256 line per script, then a summary.
#pragma once

#include "report/json.hpp"

#include <string>

namespace nncert::report {

// Lines end in '\n'. Throws JsonError if the document does not have the format-1 shape.
std::string render_text(const Json& doc);

// `file:line:col: error[code]: message` (without line:col when the error has no position), no newline.
std::string render_error_line(const Json& script);

}  // namespace nncert::report
