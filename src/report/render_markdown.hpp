// Markdown report (`nncert check --report md`): per script a heading, its sha256 and a table of every
// claim (line, claim, verdict, method, key numbers, time), then the summary. GitHub-flavoured Markdown,
// ready to paste into a paper's supplementary material or a pull request. Rendered from the JSON only.
#pragma once

#include "report/json.hpp"

#include <string>

namespace nncert::report {

// The title and the provenance line, from a document's "nncert", "commit" and "format".
std::string markdown_opening(const Json& doc_head);
// One script entry: heading, sha256, table (quiet: only claims not certified; nothing for a clean script).
std::string markdown_script(const Json& script, bool quiet);
// The summary paragraph, from a document's "summary".
std::string markdown_closing(const Json& summary);

}  // namespace nncert::report
