// Text rendering of a format-1 report document. It reads only the JSON, never kernel objects:
// whatever the text says, the JSON says too.
#include "report/render_text.hpp"

#include "report/approx.hpp"
#include "report/summary_text.hpp"

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

void render_claim(const std::string& file, const Json& c, std::string& out) {
    std::string verdict = upper(c.at("verdict").as_string());
    out += file + ":" + std::to_string(c.at("line").as_integer()) + ": " + verdict;
    out.append(verdict.size() < verdict_width ? verdict_width - verdict.size() : 0, ' ');
    // The claim as the script wrote it (radii like 1e-10, not 1/10000000000), when the report has it.
    const Json* written = c.find("as_written");
    out += "  " + (written ? *written : c.at("claim")).as_string();
    if (const Json* m = c.find("method"); m && !m->as_string().empty()) out += "  [" + m->as_string() + "]";
    out += '\n';
    if (const Json* w = c.find("witness")) out += "    witness: " + dump_with_approx(*w, c.find("approx")) + "\n";
    if (const Json* r = c.find("reason"); r && !r->as_string().empty()) out += "    reason: " + r->as_string() + "\n";
    if (const Json* n = c.find("next"); n && !n->as_string().empty()) out += "    next: " + n->as_string() + "\n";
}

}  // namespace

std::string render_error_line(const Json& script) {
    const Json& e = script.at("error");
    const Json* in = e.find("file");  // a data file the script names
    std::string out = (in ? *in : script.at("file")).as_string() + ":";
    long long line = e.at("line").as_integer();
    if (line > 0) out += std::to_string(line) + ":" + std::to_string(e.at("column").as_integer()) + ":";
    out += " error[" + e.at("code").as_string() + "]: " + e.at("message").as_string();
    return out;
}

std::string render_text_script(const Json& s, bool quiet) {
    std::string out;
    const std::string& file = s.at("file").as_string();
    if (s.find("error")) {
        out += render_error_line(s) + "\n";
    } else {
        for (const Json& c : s.at("claims").as_array())
            if (!quiet || c.at("verdict").as_string() != "certified") render_claim(file, c, out);
        if (quiet && out.empty()) return out;  // nothing needs attention
    }
    if (const Json* h = s.find("sha256")) out += "sha256 " + h->as_string() + "  " + file + "\n";
    return out;
}

std::string render_text_summary(const Json& summary) { return "summary: " + summary_sentence(summary) + "\n"; }

std::string render_text(const Json& doc) {
    std::string out;
    for (const Json& s : doc.at("scripts").as_array()) out += render_text_script(s);
    return out + render_text_summary(doc.at("summary"));
}

}  // namespace nncert::report
