// LaTeX rendering of report entries; every piece of text is escaped (markup_escape.hpp) and exact values
// are shown exactly or as marked decimals (key_numbers.hpp), in math mode only for the symbols.
#include "report/render_latex.hpp"

#include "report/key_numbers.hpp"
#include "report/markup_escape.hpp"
#include "report/render_text.hpp"
#include "report/summary_text.hpp"

#include <algorithm>

namespace nncert::report {

namespace {

constexpr const char* columns = "6";

bool certified(const Json& c) { return c.at("verdict").as_string() == "certified"; }

// The claim as the script wrote it (1e-10 rather than 1/10000000000) when the report has it, as in text.
const std::string& claim_text(const Json& c) {
    const Json* written = c.find("as_written");
    return (written ? *written : c.at("claim")).as_string();
}

std::string tt(const std::string& s) { return "\\texttt{" + latex_text(s) + "}"; }

// Text that may wrap after each of the given characters (paths after '/', method names after '+').
std::string wrapping(const std::string& text, std::string_view after) { return latex_text(text, after); }

std::string tt_path(const std::string& path) { return "\\texttt{" + wrapping(path, "/") + "}"; }

// A row spanning the table, wrapping within 90% of the text width: a spanning p{\linewidth} cell comes out
// wider than the columns it spans (pdflatex reports an overfull alignment), 0.9 leaves room.
std::string full_row(const std::string& content, const char* end = " \\\\\n") {
    return std::string("\\multicolumn{") + columns + "}{@{}p{0.9\\linewidth}@{}}{" + content + "}" + end;
}

// Key numbers; the symbols are set in math mode, the names and values as text.
std::string numbers_cell(const Json& c) {
    std::string out;
    for (const KeyNumber& k : key_numbers(c)) {
        if (!out.empty()) out += ", ";
        out += wrapping(k.name, "_.");  // long names wrap inside the column
        switch (k.kind) {
            case KeyNumber::Kind::exact:
            case KeyNumber::Kind::count: out += " $=$ " + wrapping(k.text, "/"); break;
            case KeyNumber::Kind::approx: out += " $\\approx$ " + latex_text(k.text); break;
            case KeyNumber::Kind::interval:
                out += " $\\in$ [" + wrapping(k.lower, "/") + ", " + wrapping(k.upper, "/") + "]";
                break;
        }
    }
    if (const Json* r = c.find("reason"); r && !r->as_string().empty())
        out += (out.empty() ? "" : "; ") + wrapping(r->as_string(), "/,");  // long fractions may wrap
    return out;
}

std::string time_cell(const Json& c) {
    std::string t = format_time_us(c);
    const auto space = t.find(' ');
    return space == std::string::npos ? t : t.substr(0, space) + "\\," + t.substr(space + 1);
}

}  // namespace

std::string latex_opening(const Json& head) {
    std::string out = "% nncert report: nncert " + latex_text(head.at("nncert").as_string());
    if (const Json* c = head.find("commit")) out += " (commit " + latex_text(c->as_string()) + ")";
    out += ", report format " + std::to_string(head.at("format").as_integer()) + ".\n";
    out += "% Needs \\usepackage{longtable} and \\usepackage{booktabs} in the preamble.\n";
    // util::escape_for_display writes every non-ASCII character as an escape, so the text is ASCII.
    out += "% All text is ASCII (names' non-ASCII characters are written \\u{XXXX}); \\usepackage[T1]{fontenc}\n"
           "% gives < > | their typewriter glyphs (the default OT1 encoding substitutes them).\n";
    out += "% Exact values are p/q; \\approx marks a value rounded to 6 digits, \\in [a, b] an enclosure rounded outward.\n";
    out += "{\\footnotesize\\setlength{\\tabcolsep}{4pt}\\setlength{\\LTleft}{0pt}\\setlength{\\LTright}{0pt}\n";
    // longtable sets the columns chunk by chunk and never narrows them again; a full-width row (file, hash,
    // summary) stretches the last column to the page in the first chunk, so any later widening of the r/l
    // columns (a bold "inconclusive", a longer time) pushed the table past the page. The header row therefore
    // reserves their widest content (phantoms: a 5-digit line, a bold "inconclusive", "99999.9 ms"), and the
    // p columns leave room for it and the column gaps: the table is never wider than the page.
    out += "\\begin{longtable}{@{}r p{0.20\\linewidth} l p{0.12\\linewidth} p{0.18\\linewidth} r@{}}\n";
    out += "\\toprule\n\\phantom{99999}\\llap{line} & claim & \\rlap{verdict}\\phantom{\\textbf{inconclusive}} & method & "
           "key numbers & \\phantom{99999.9\\,ms}\\llap{time} \\\\\n\\midrule\n\\endhead\n";
    return out;
}

std::string latex_script(const Json& s, bool quiet) {
    const Json* error = s.find("error");
    if (quiet && !error) {
        bool any = false;
        for (const Json& c : s.at("claims").as_array()) any = any || !certified(c);
        if (!any) return "";
    }
    std::string out = full_row(tt_path(s.at("file").as_string()), " \\\\*\n");
    if (const Json* h = s.find("sha256")) out += full_row("\\scriptsize sha256 " + tt(h->as_string()), " \\\\*\n");
    // The data files the verdicts depend on, and the digest over the script and all of them.
    if (const Json* d = s.find("data_files"); d && !d->as_array().empty()) {
        for (const Json& f : d->as_array()) {
            out += full_row("\\scriptsize data " + tt_path(f.at("file").as_string()) + " sha256 " +
                                tt(f.at("sha256").as_string()),
                            " \\\\*\n");
            // A skipped header row is said, so a reader sees which first row is not data (docs/format.md).
            if (const Json* h = f.find("header"))
                out += full_row("\\scriptsize data " + tt_path(f.at("file").as_string()) + ": header " +
                                    tt(h->as_string()) + " skipped (first row, names only)",
                                " \\\\*\n");
        }
        if (const Json* all = s.find("inputs_sha256"))
            out += full_row("\\scriptsize inputs sha256 " + tt(all->as_string()), " \\\\*\n");
    }
    if (error) {
        out += full_row("\\textbf{error} " + tt(render_error_line(s, false)));
    } else {
        for (const Json& c : s.at("claims").as_array()) {
            if (quiet && certified(c)) continue;
            const std::string verdict = c.at("verdict").as_string();
            // \raggedright in the narrow paragraph columns (each cell is a group; the row ends in an r column).
            out += std::to_string(c.at("line").as_integer()) + " & \\raggedright\\texttt{" +
                   wrapping(claim_text(c), "/,") + "} & " +
                   (certified(c) ? verdict : "\\textbf{" + verdict + "}") + " & \\raggedright " +
                   wrapping(c.at("method").as_string(), "+") + " & \\raggedright " + numbers_cell(c) + " & " +
                   time_cell(c) + " \\\\\n";
        }
    }
    return out + "\\midrule\n";
}

std::string latex_closing(const Json& summary) {
    return full_row(latex_text(summary_sentence(summary)) + ".") + "\\bottomrule\n\\end{longtable}\n}\n";
}

}  // namespace nncert::report
