// LaTeX report (`nncert check --report latex`): one longtable of every claim (line, claim, verdict, method,
// key numbers, time), grouped by script with its sha256, and the summary; for a paper's appendix.
// The preamble needs \usepackage{longtable} and \usepackage{booktabs}. Rendered from the JSON only.
#pragma once

#include "report/json.hpp"

#include <string>

namespace nncert::report {

// A provenance comment and the table's head.
std::string latex_opening(const Json& doc_head);
// One script entry's rows (quiet: only claims not certified; nothing for a clean script).
std::string latex_script(const Json& script, bool quiet);
// The summary row and the end of the table.
std::string latex_closing(const Json& summary);

}  // namespace nncert::report
