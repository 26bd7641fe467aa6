// Streams a report while the checking runs: each script's part is written (and flushed) the moment its
// entry is added, the summary at the end, in any of the report formats. The bytes written equal those of
// rendering the finished document at once, so streaming changes when output appears, never what it says.
#pragma once

#include "report/json.hpp"
#include "report/render_junit.hpp"

#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace nncert::report {

enum class ReportFormat { text, json, markdown, latex };

// "text" | "json" | "md" | "latex" -> format; nullopt for anything else.
std::optional<ReportFormat> parse_report_format(std::string_view name);

struct StreamOptions {
    ReportFormat format = ReportFormat::text;
    // Only what needs attention: claims not certified, scripts with errors, and the summary (which still
    // counts everything). Not for JSON, which always lists every claim.
    bool quiet = false;
    // What the stream keeps of each script for finish()'s document. `all`: the entry as added. `summary`: only what
    // the summary prints (report::slim_script: file, digests, error, and per claim line, claim, verdict, method,
    // reason, next, time; no certificate, witness or evidence, which can be megabytes). `junit`: that, plus each
    // script's JUnit part rendered as it is added (junit_part: a failure's witness and evidence shown up to
    // junit_evidence_bytes each), for junit(). So the process's memory does not grow with the evidence of a
    // folder's scripts (review r8-10 F5; with --junit it kept every failure's whole evidence before). `check` uses
    // `summary`, or `junit` with --junit; tests that compare the streamed bytes with the document use `all`.
    enum class Keep { all, junit, summary } keep = Keep::all;
};

class ReportStream {
public:
    // Writes the report's opening (JSON: the document up to "scripts"; md/LaTeX: title and table head).
    // `version`, `commit` and `options` become the document's "nncert", "commit" and "options".
    ReportStream(std::ostream& out, StreamOptions options, std::string version, std::string commit, Json run_options);

    // One script entry (report.hpp: script_json / error_script_json): rendered, written and flushed now.
    void add(Json script);

    // Writes the closing (summary) and returns the whole document, as report::document() builds it,
    // with "commit" after "format" (slim scripts under keep_slim). Call once.
    Json finish();

    std::size_t scripts() const { return scripts_.size(); }

    // Keep::junit: the JUnit file of the scripts added so far (render_junit of the full entries gives the same).
    std::string junit() const;

private:
    std::ostream& out_;
    StreamOptions opt_;
    std::string version_, commit_;
    Json options_;
    Json::Array scripts_;
    std::vector<JunitPart> junit_;
};

}  // namespace nncert::report
