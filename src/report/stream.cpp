// Streaming writer for every report format. JSON is written piecewise with the same layout as
// Json::dump(pretty) of the finished document (nested values are re-indented), so a reader sees the
// same bytes whether or not the run was streamed; tests compare the two.
#include "report/stream.hpp"

#include "report/render_latex.hpp"
#include "report/render_markdown.hpp"
#include "report/render_text.hpp"
#include "report/report.hpp"

namespace nncert::report {

namespace {

// A pretty dump nested `spaces` deeper: string values never hold a raw line break (quote() escapes it),
// so every '\n' in a dump is layout.
std::string indented(const Json& v, std::size_t spaces) {
    std::string out;
    for (char c : v.dump(Layout::pretty)) {
        out += c;
        if (c == '\n') out.append(spaces, ' ');
    }
    return out;
}

// The document's head: "nncert", "format", "commit", "options" (the order document() gives, plus commit).
Json head(const std::string& version, const std::string& commit, const Json& options) {
    Json h;
    h.set("nncert", version);
    h.set("format", format_version);
    h.set("commit", commit);
    if (!options.is_null()) h.set("options", options);
    return h;
}

}  // namespace

std::optional<ReportFormat> parse_report_format(std::string_view name) {
    if (name == "text") return ReportFormat::text;
    if (name == "json") return ReportFormat::json;
    if (name == "md" || name == "markdown") return ReportFormat::markdown;
    if (name == "latex" || name == "tex") return ReportFormat::latex;
    return std::nullopt;
}

ReportStream::ReportStream(std::ostream& out, StreamOptions options, std::string version, std::string commit,
                           Json run_options)
    : out_(out), opt_(options), version_(std::move(version)), commit_(std::move(commit)), options_(std::move(run_options)) {
    const Json h = head(version_, commit_, options_);
    switch (opt_.format) {
        case ReportFormat::text: break;
        case ReportFormat::json: {
            std::string text = h.dump(Layout::pretty);
            text.resize(text.size() - 2);  // drop "\n}"
            out_ << text << ",\n  \"scripts\": [";
            break;
        }
        case ReportFormat::markdown: out_ << markdown_opening(h); break;
        case ReportFormat::latex: out_ << latex_opening(h); break;
    }
    out_.flush();
}

void ReportStream::add(Json script) {
    // Everything that allocates comes before the write: a std::bad_alloc here (a script whose evidence does not
    // fit under --max-memory) leaves the report as it was, and the caller adds an error entry instead (review
    // r8-10 F5: the run ended with an internal error and no summary).
    std::string text = scripts_.empty() ? "\n    " : ",\n    ";
    switch (opt_.format) {
        case ReportFormat::text: text = render_text_script(script, opt_.quiet); break;
        case ReportFormat::json: text += indented(script, 4); break;
        case ReportFormat::markdown: text = markdown_script(script, opt_.quiet); break;
        case ReportFormat::latex: text = latex_script(script, opt_.quiet); break;
    }
    std::optional<JunitPart> part;
    if (opt_.keep == StreamOptions::Keep::junit) part = junit_part(script);
    Json kept = opt_.keep == StreamOptions::Keep::all ? std::move(script) : slim_script(script);
    if (scripts_.size() == scripts_.capacity()) scripts_.reserve(2 * scripts_.size() + 8);
    if (part && junit_.size() == junit_.capacity()) junit_.reserve(2 * junit_.size() + 8);
    out_ << text;
    out_.flush();
    scripts_.push_back(std::move(kept));
    if (part) junit_.push_back(std::move(*part));
}

std::string ReportStream::junit() const { return junit_document(junit_); }

Json ReportStream::finish() {
    const bool any = !scripts_.empty();
    Json doc = document(version_, std::move(scripts_), options_);
    // document() has no commit; put it after "format", where the streamed head wrote it.
    Json::Object ordered;
    for (auto& [k, v] : doc.as_object()) {
        ordered.emplace_back(k, v);
        if (k == "format") ordered.emplace_back("commit", Json(commit_));
    }
    doc = Json(std::move(ordered));
    const Json& summary = doc.at("summary");
    switch (opt_.format) {
        case ReportFormat::text: out_ << render_text_summary(summary); break;
        case ReportFormat::json:
            out_ << (any ? "\n  ]" : "]") << ",\n  \"summary\": " << indented(summary, 2) << "\n}\n";
            break;
        case ReportFormat::markdown: out_ << markdown_closing(summary); break;
        case ReportFormat::latex: out_ << latex_closing(summary); break;
    }
    out_.flush();
    scripts_.clear();
    return doc;
}

}  // namespace nncert::report
