// Text rendering of a format-1 report document. It reads only the JSON, never kernel objects:
// whatever the text says, the JSON says too. Every string from the document is printed through
// escape_for_display, so no file name or message can start a line of its own (a forged verdict line).
#include "report/render_text.hpp"

#include "report/approx.hpp"
#include "report/summary_text.hpp"
#include "util/unicode.hpp"

#include <cstddef>

namespace nncert::report {

namespace {

// Verdict words padded to one width so the claims line up when scanning a long report.
constexpr std::size_t verdict_width = 12;  // strlen("INCONCLUSIVE")

std::string upper(std::string s) {
    for (char& c : s)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return s;
}

// A string of the document as one safe line fragment.
std::string shown(const Json& j) { return util::escape_for_display(j.as_string()); }

void render_claim(const std::string& file, const Json& c, std::string& out) {
    std::string verdict = upper(shown(c.at("verdict")));
    out += file + ":" + std::to_string(c.at("line").as_integer()) + ": " + verdict;
    out.append(verdict.size() < verdict_width ? verdict_width - verdict.size() : 0, ' ');
    // The claim as the script wrote it (radii like 1e-10, not 1/10000000000), when the report has it.
    const Json* written = c.find("as_written");
    out += "  " + shown(written ? *written : c.at("claim"));
    if (const Json* m = c.find("method"); m && !m->as_string().empty()) out += "  [" + shown(*m) + "]";
    out += '\n';
    if (const Json* w = c.find("witness")) out += "    witness: " + dump_with_approx(*w, c.find("approx")) + "\n";
    if (const Json* r = c.find("reason"); r && !r->as_string().empty()) out += "    reason: " + shown(*r) + "\n";
    if (const Json* n = c.find("next"); n && !n->as_string().empty()) out += "    next: " + shown(*n) + "\n";
}

}  // namespace

std::string render_error_line(const Json& script, bool display) {
    auto shown = [display](const Json& j) { return display ? util::escape_for_display(j.as_string()) : j.as_string(); };
    const Json& e = script.at("error");
    const Json* in = e.find("file");  // a data file the script names
    std::string out = shown(in ? *in : script.at("file")) + ":";
    long long line = e.at("line").as_integer();
    if (line > 0) out += std::to_string(line) + ":" + std::to_string(e.at("column").as_integer()) + ":";
    out += " error[" + shown(e.at("code")) + "]: " + shown(e.at("message"));
    return out;
}

std::string render_text_script(const Json& s, bool quiet) {
    std::string out;
    const std::string file = shown(s.at("file"));
    if (s.find("error")) {
        out += render_error_line(s) + "\n";
    } else {
        for (const Json& c : s.at("claims").as_array())
            if (!quiet || c.at("verdict").as_string() != "certified") render_claim(file, c, out);
        if (quiet && out.empty()) return out;  // nothing needs attention
    }
    if (const Json* h = s.find("sha256")) out += "sha256 " + shown(*h) + "  " + file + "\n";
    // The data files the verdicts also depend on, and one digest over all of them (docs/format.md).
    if (const Json* d = s.find("data_files"); d && !d->as_array().empty()) {
        for (const Json& f : d->as_array()) {
            out += "sha256 " + shown(f.at("sha256")) + "  " + shown(f.at("file")) + "\n";
            // A skipped header row is said, so a reader sees which first row is not data (docs/format.md).
            if (const Json* h = f.find("header"))
                out += "data " + shown(f.at("file")) + ": header " + util::quoted_for_display(h->as_string()) +
                       " skipped (first row, names only)\n";
        }
        if (const Json* all = s.find("inputs_sha256")) out += "inputs-sha256 " + shown(*all) + "  " + file + " and its data\n";
    }
    return out;
}

std::string render_text_summary(const Json& summary) { return "summary: " + summary_sentence(summary) + "\n"; }

std::string render_text(const Json& doc) {
    std::string out;
    for (const Json& s : doc.at("scripts").as_array()) out += render_text_script(s);
    return out + render_text_summary(doc.at("summary"));
}

}  // namespace nncert::report
