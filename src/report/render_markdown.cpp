// Markdown rendering of report entries; every piece of text from a script or a file name is escaped
// (markup_escape.hpp), exact values shown exactly or as marked decimals (key_numbers.hpp).
#include "report/render_markdown.hpp"

#include "report/key_numbers.hpp"
#include "report/markup_escape.hpp"
#include "report/render_text.hpp"
#include "report/summary_text.hpp"

namespace nncert::report {

namespace {

bool certified(const Json& c) { return c.at("verdict").as_string() == "certified"; }

// The claim as the script wrote it (1e-10 rather than 1/10000000000) when the report has it, as in text.
const std::string& claim_text(const Json& c) {
    const Json* written = c.find("as_written");
    return (written ? *written : c.at("claim")).as_string();
}

std::string upper(std::string s) {
    for (char& c : s)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return s;
}

// The "key numbers" cell: the certificate's or witness's numbers; for an inconclusive claim, the reason.
std::string numbers_cell(const Json& c) {
    // Each name and number escaped on its own: the escaper writes every non-ASCII character as \u{XXXX}, so the
    // Unicode symbols this renderer adds (approximately, element of) are joined in after escaping.
    std::vector<KeyNumber> numbers = key_numbers(c);
    for (KeyNumber& k : numbers)
        for (std::string* t : {&k.name, &k.text, &k.lower, &k.upper}) *t = markdown_text(*t);
    std::string cell = join_key_numbers(numbers, "\xe2\x89\x88", "\xe2\x88\x88");
    if (const Json* r = c.find("reason"); r && !r->as_string().empty())
        cell += (cell.empty() ? "" : "; ") + markdown_text(r->as_string());
    return cell;
}

}  // namespace

std::string markdown_opening(const Json& head) {
    std::string out = "# nncert report\n\n";
    out += "Checked by nncert " + markdown_text(head.at("nncert").as_string());
    if (const Json* c = head.find("commit")) out += " (commit " + markdown_code(c->as_string()) + ")";
    out += ", report format " + std::to_string(head.at("format").as_integer()) +
           ". Exact values are written `p/q`; \xe2\x89\x88 marks a value rounded to 6 digits and "
           "\xe2\x88\x88 [a, b] an enclosure rounded outward. Each script is named by the SHA-256 of its bytes; a script "
           "that reads data files also lists theirs and one digest over the script and all its data (inputs "
           "sha256, docs/format.md \"Reports\").\n";
    return out;
}

std::string markdown_script(const Json& s, bool quiet) {
    const Json* error = s.find("error");
    if (quiet && !error) {
        bool any = false;
        for (const Json& c : s.at("claims").as_array()) any = any || !certified(c);
        if (!any) return "";
    }
    // Outside tables GFM keeps backslashes inside code spans literally (`a\|b`), so headings and the
    // error line are escaped text, not code spans.
    std::string out = "\n## " + markdown_heading(s.at("file").as_string()) + "\n\n";
    if (const Json* h = s.find("sha256")) out += "sha256 " + markdown_code(h->as_string()) + "\n\n";
    if (const Json* d = s.find("data_files"); d && !d->as_array().empty()) {
        for (const Json& f : d->as_array()) {
            out += "- data " + markdown_text(f.at("file").as_string()) + ": sha256 " +
                   markdown_code(f.at("sha256").as_string()) + "\n";
            // A skipped header row is said, so a reader sees which first row is not data (docs/format.md).
            if (const Json* h = f.find("header"))
                out += "- data " + markdown_text(f.at("file").as_string()) + ": header " +
                       markdown_code(h->as_string()) + " skipped (first row, names only)\n";
        }
        if (const Json* all = s.find("inputs_sha256"))
            out += "- inputs sha256 (the script and its data) " + markdown_code(all->as_string()) + "\n";
        out += "\n";
    }
    if (error) return out + "**error** " + markdown_text(render_error_line(s, false)) + "\n";
    out += "| line | claim | verdict | method | key numbers | time |\n";
    out += "|---:|---|---|---|---|---:|\n";
    for (const Json& c : s.at("claims").as_array()) {
        if (quiet && certified(c)) continue;
        const std::string verdict = upper(c.at("verdict").as_string());
        out += "| " + std::to_string(c.at("line").as_integer()) + " | " + markdown_code(claim_text(c)) +
               " | " + (certified(c) ? verdict : "**" + verdict + "**") + " | " +
               markdown_text(c.at("method").as_string()) + " | " + numbers_cell(c) + " | " + format_time_us(c) + " |\n";
    }
    return out;
}

std::string markdown_closing(const Json& summary) {
    return "\n**Summary:** " + markdown_text(summary_sentence(summary)) + ".\n";
}

}  // namespace nncert::report
