// Minimal CSV reader: one row per line, fields split on commas, optional double-quoted fields
// (header names only), blank lines skipped (at most max_quiet_lines between two rows); a first row of names only is the header. Each numeric field goes through the script's exact number parser.
#include "script/csv.hpp"

#include "script/cursor.hpp"
#include "script/number.hpp"
#include "util/files.hpp"
#include "util/sha256.hpp"
#include "util/unicode.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace nncert::script {

namespace {

struct Field {
    std::string text;
    std::size_t col = 1;
    std::size_t start_vcol = 0;  // display column of its first character (the view rule)
    std::size_t end_vcol = 0;  // display column of its last character (tab stops every 8): the view rule
    bool quoted = false;
};

bool blank(char c) { return c == ' ' || c == '\t'; }

// Splits one line (no line break in it) into fields. Columns are counted as the scan goes, so a long
// line costs time proportional to its length.
class Splitter {
public:
    Splitter(std::string_view line, const std::string& label, std::size_t lineno)
        : line_(line), label_(label), lineno_(lineno) {}

    // Stops after `limit` + 1 fields (limit 0: none) when `limited` says so of the first field.
    template <class Limited>
    std::vector<Field> fields(std::size_t limit, Limited limited) {
        std::vector<Field> out;
        for (;;) {
            skip_blanks();
            Field f;
            f.col = col_;
            f.start_vcol = vcol_ + 1;
            if (i_ < line_.size() && line_[i_] == '"') {
                f.quoted = true;
                for (advance();; advance()) {
                    if (i_ >= line_.size()) fail("csv", {label_, lineno_, f.col}, "unterminated quoted field");
                    if (line_[i_] == '"') {
                        if (i_ + 1 < line_.size() && line_[i_ + 1] == '"') advance();
                        else break;
                    }
                    f.text += line_[i_];
                }
                advance();
                skip_blanks();
                if (i_ < line_.size() && line_[i_] != ',')
                    fail("csv", {label_, lineno_, col_}, "text after a closing quote");
            } else {
                const std::size_t start = i_;
                while (i_ < line_.size() && line_[i_] != ',') {
                    const bool is_blank = blank(line_[i_]);
                    advance();
                    if (!is_blank) f.end_vcol = vcol_;
                }
                std::size_t end = i_;
                while (end > start && blank(line_[end - 1])) --end;
                f.text.assign(line_.substr(start, end - start));
            }
            out.push_back(std::move(f));
            if (i_ >= line_.size()) return out;
            if (limit != 0 && out.size() > limit && limited(out.front())) return out;
            advance();  // the comma
        }
    }

private:
    void advance() {
        if ((static_cast<unsigned char>(line_[i_]) & 0xC0) != 0x80) {  // columns count code points
            ++col_;
            vcol_ = line_[i_] == '\t' ? after_blank(vcol_, '\t') : vcol_ + 1;
        }
        ++i_;
    }
    void skip_blanks() {
        while (i_ < line_.size() && blank(line_[i_])) advance();
    }

    std::string_view line_;
    const std::string& label_;
    std::size_t lineno_;
    std::size_t i_ = 0, col_ = 1;
    std::size_t vcol_ = 0;  // display columns up to i_
};

// A column name of a header row: ASCII only, quoted or not: an ASCII letter or `_`, then ASCII letters, digits,
// `_`, `.`, `-` or spaces, and not a word a spreadsheet writes for a number (inf, infinity, nan, in any case).
// Non-ASCII is never a name: en dashes, other scripts' digits, mathematical digits and the like look like
// numbers to a reader (review 8-3, finding 1), so a first row holding them is data (and then error[csv]).
// A number, quoted or not, or an empty field is never a name.
bool is_name(const Field& f) {
    if (f.text.empty()) return false;
    const unsigned char c = static_cast<unsigned char>(f.text[0]);
    if (!(std::isalpha(c) || c == '_')) return false;  // std::isalpha is false for bytes >= 0x80 in the C locale
    for (char ch : f.text) {
        const unsigned char u = static_cast<unsigned char>(ch);
        if (!(std::isalnum(u) || u == '_' || u == '.' || u == '-' || u == ' ')) return false;
    }
    std::string lower;
    for (char ch : f.text) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return lower != "inf" && lower != "infinity" && lower != "nan";
}

// `hint` is added to every message (the header rule, for a first row that is data).
kernel::Rational field_value(const Field& f, const std::string& label, std::size_t lineno, const std::string& hint) {
    const SourceLoc at{label, lineno, f.col};
    if (f.text.empty()) fail("csv", at, "empty field" + hint);
    if (f.quoted) fail("csv", at, "quoted field where a number is expected" + hint);
    try {
        Cursor in(Lexer(f.text, at, LexMode::csv_field));
        in.open_list();  // records the field's tokens
        const kernel::Rational v = parse_expr(in);
        if (!in.at(Tok::end)) in.unexpected("a comma or the end of the line");
        // The view rule (docs/format.md, "Characters"): a field that runs past column view_width is one number
        // (`1,0+0+...+5` shows 1,0+0+0... and has the target 5), and of one that starts in view only fraction
        // digits are out of view (a field `1` at the edge may read 1e-999, `1/` may read 1/1000000).
        if (f.end_vcol > view_width) {
            // The display column where its last token starts (used when the field is one literal, maybe after '-').
            std::size_t literal_col = f.start_vcol;
            for (std::size_t i = 0; i < f.text.size() && !std::isdigit(static_cast<unsigned char>(f.text[i])); ++i)
                literal_col = f.text[i] == '\t' ? after_blank(literal_col - 1, '\t') + 1 : literal_col + 1;
            const std::string problem =
                list_number_view_problem(in.taken_text(), in.taken_kinds(), f.start_vcol, literal_col, v);
            if (!problem.empty())
                fail("layout", at,
                     "this field runs past column " + std::to_string(view_width) +
                         ", the edge of what a viewer without line wrapping shows, and " + problem);
        }
        return v;
    } catch (const ParseError& e) {
        // Limits and layout rules keep their own code (docs/limits.md, docs/format.md "Characters");
        // everything else about a field is error[csv].
        if (e.code == "number-too-large" || e.code == "limit" || e.code == "layout") throw;
        fail("csv", e.loc, "bad number field: " + e.message + hint);
    }
}

// A CSV file has no comments, so an invisible character or a TAB cannot be anywhere in it, and a run of blanks
// wider than max_blank_columns may stand only at the end of a line (text after it can be hidden to the
// right; docs/format.md, "Characters"). A line whose first strong letter is right-to-left is rejected as in a
// script's comment: viewers would show it, and the letterless rows after it, right to left (review r8-10, F2).
// (Any other non-ASCII text is an error `csv` later: no field may hold it.)
void check_visible(const std::string& text, const std::string& label) {
    std::size_t line = 1, col = 1, vcol = 0;  // vcol: display columns before text[i] on its line
    std::size_t from = 0, to = 0;  // display columns of the current run of blanks (from == to: none)
    char32_t last = 0;             // the last character on the line that is not a blank (0: none)
    bool ltr_seen = false;         // a strong left-to-right letter earlier on the line
    for (std::size_t i = 0; i < text.size();) {
        char32_t cp = 0;
        const std::size_t len = util::decode_utf8(text, i, cp);  // the gate has checked the encoding
        if (util::is_invisible(cp) && !(i == 0 && cp == 0xFEFF))
            fail("forbidden-character", {label, line, col},
                 util::code_point_name(cp) + ": an invisible character in a CSV file");
        if (len > 1 && !ltr_seen && util::is_strong_rtl(cp))
            fail("forbidden-character", {label, line, col},
                 util::code_point_name(cp) +
                     ": a line whose first letter is right-to-left makes viewers show it and the rows after it "
                     "right to left");
        ltr_seen = ltr_seen || util::is_strong_ltr(cp);
        if (cp == '\t')
            fail("layout", {label, line, col},
                 "a TAB in a CSV file: viewers draw a TAB 1 to 8 columns wide (`cut -c` counts one character, "
                 "editors use tab sizes 4 or 8), so nncert cannot know what is in view after it; use spaces");
        if (cp == ' ') {
            if (from == to) from = to = vcol;
            to = after_blank(to, static_cast<char>(cp));
        } else if (cp == '\r' || cp == '\n') {
            from = to = 0;
            last = 0;
        } else {
            if (to - from > max_blank_columns) fail_hidden_text({label, line, col}, to - from);
            // Blanks that cover column view_width make the line look ended while this field goes on out of view
            // (`1,1` + blanks + `,5`: the view rule, review r8-9 F3).
            if (from < view_width && to >= view_width && last != ',')
                fail("layout", {label, line, col},
                     "the blanks before this cover column " + std::to_string(view_width) +
                         ", the last one a viewer without line wrapping shows, after a field: the line looks ended "
                         "there while this continues it out of view; blanks may cover column " +
                         std::to_string(view_width) + " only after a ',' (docs/format.md, \"Characters\")");
            from = to = 0;
            last = cp;
        }
        if (cp == '\n') {
            ++line;
            col = 1;
            vcol = 0;
            ltr_seen = false;
        } else {
            ++col;
            vcol = cp == '\t' ? after_blank(vcol, '\t') : cp == 0xFEFF && i == 0 ? vcol : vcol + std::size_t(util::display_columns(cp));
        }
        i += len;
    }
}

}  // namespace

std::vector<syntax::ArrayRow> parse_csv(const std::string& text, const std::string& label,
                                        std::optional<std::string>* header_out, const CsvShape& shape) {
    if (header_out) header_out->reset();
    check_text(text, label);
    check_visible(text, label);
    const std::size_t bom = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;  // spreadsheet byte-order mark

    std::vector<syntax::ArrayRow> rows;
    bool first = true;
    std::size_t lineno = 0;
    const std::string header_rule =
        " (the first row is a header only when every field is a name: an ASCII letter or `_`, then ASCII letters, digits, `_`, `.`, `-` or spaces)";
    // The header, if the first non-blank row is one: its line and field count, checked against the first data row.
    std::size_t header_line = 0, header_fields = 0;
    std::size_t quiet_rows = 0;  // screen rows since the last row's (lines wrapping at view_width columns)
    bool seen_row = false;       // a row (a header or data) before this line
    const auto rows_of = [](std::size_t columns) { return (columns + view_width - 1) / view_width; };
    for (std::size_t begin = bom; begin < text.size();) {
        std::size_t end = text.find('\n', begin);
        if (end == std::string::npos) end = text.size();
        std::string_view line(text.data() + begin, end - begin);
        begin = end + 1;
        ++lineno;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);  // CRLF (the gate allows no other CR)
        // Screen rows of a viewer that wraps at view_width columns (check_visible let no TAB through, so a line's
        // widest drawing is its length in bytes: util::display_columns): a blank line is max(1, ceil(width / 160))
        // rows, and after a row the rows its trailing blanks fill.
        const std::size_t width = line.size();
        const std::size_t first_shown = line.find_first_not_of(' ');
        if (first_shown == std::string_view::npos) {
            quiet_rows += std::max<std::size_t>(1, rows_of(width));
            continue;
        }
        // Far below (docs/format.md, "Characters"; review r8-12 F7): a row more than max_quiet_lines rows below the
        // one before it is not seen with it (`0,0`, 400 blank lines, `0,5`: an editor's first screen shows one row).
        if (seen_row && quiet_rows > max_quiet_lines)
            fail("layout", {label, lineno, first_shown + 1},
                 "this row comes " + std::to_string(quiet_rows) + " screen rows (lines wrapping at " +
                     std::to_string(view_width) + " columns) of blank lines below the row before it; at most " +
                     std::to_string(max_quiet_lines) +
                     " blank lines may stand between two rows (a row far below is not seen with the rows above: "
                     "docs/format.md, \"Characters\"); remove the blank lines");
        const std::size_t last_shown = line.find_last_not_of(' ') + 1;
        quiet_rows = rows_of(width) - rows_of(last_shown);
        seen_row = true;
        // A data row on line 1 after a byte-order mark (which viewers draw 0 to 8 columns wide: nothing, 3 bytes for
        // `cut -c`, `<U+FEFF>`) must show whole in every viewer, so that no rule about column view_width depends on
        // how the mark is drawn (checked below, once the row is known not to be a header, whose place on the line
        // changes no value).
        const bool bom_line = bom != 0 && lineno == 1 && last_shown > view_width - 8;
        // Every row but a first one that may be a header (its first field a name) stops at the first field past
        // the shape (review r8-12 F12), with the code it had when read whole: the fields read, the extra one
        // included, are parsed first (a bad one is `csv` as before); then the first data row after a header is
        // the header rule's `csv` (cut at the header's width), any other row `dimension` (at the network's).
        const bool after_header = header_line != 0 && rows.empty();
        const std::size_t limit = shape.fields != 0 && after_header ? header_fields : shape.fields;
        const bool maybe_header = first;
        const std::vector<Field> fields =
            Splitter(line, label, lineno).fields(limit, [&](const Field& f) { return !maybe_header || !is_name(f); });
        // Cut at the first extra field (checked below, after the fields read, which keep their own errors).
        const bool cut = limit != 0 && fields.size() > limit && !(maybe_header && is_name(fields.front()));
        // A header is a first row whose fields are all names; any other first row is data, so a row a
        // reader sees as data (`0,"5"`, `inf,5`) is never silently skipped.
        if (first) {
            first = false;
            bool header = true;
            for (const Field& f : fields) header = header && is_name(f);
            if (header) {
                header_line = lineno;
                header_fields = fields.size();
                if (header_out) *header_out = std::string(line);  // shown in every report (docs/format.md)
                continue;
            }
        }
        if (bom_line)
            fail("layout", {label, lineno, last_shown},
                 "this row on line 1, after a byte-order mark, runs past column " + std::to_string(view_width - 8) +
                     ": viewers draw the mark 0 to 8 columns wide, so nncert cannot know where column " +
                     std::to_string(view_width) + " falls on this line; break the row or remove the mark");
        syntax::ArrayRow r;
        r.loc = {label, lineno, 1};
        r.values.reserve(fields.size());
        const bool first_row = rows.empty() && !header_line;
        for (const Field& f : fields) r.values.push_back(field_value(f, label, lineno, first_row ? header_rule : ""));
        if (cut) {
            if (after_header)
                fail("csv", {label, header_line, 1},
                     "the header has " + std::to_string(header_fields) + " field" + (header_fields == 1 ? "" : "s") +
                         " but the first data row (line " + std::to_string(lineno) + ") has more: a header names "
                         "every column");
            fail("dimension", {label, lineno, 1},
                 "CSV row has more than " + std::to_string(limit) + " field" + (limit == 1 ? "" : "s") +
                     "; the network needs " + shape.needed);
        }
        if (header_line && rows.empty() && fields.size() != header_fields)
            fail("csv", {label, header_line, 1},
                 "the header has " + std::to_string(header_fields) + " field" + (header_fields == 1 ? "" : "s") +
                     " but the first data row (line " + std::to_string(lineno) + ") has " +
                     std::to_string(fields.size()) + ": a header names every column");
        rows.push_back(std::move(r));
    }
    return rows;
}

CsvData read_csv(const std::string& fs_path, const std::string& label, const SourceLoc& ref, const CsvShape& shape) {
    util::FileError error;
    const std::optional<std::string> text = util::read_file(fs_path, error);
    if (!text) fail(error.code, ref, "cannot read CSV file " + util::quoted_name(label) + ": " + error.message);
    CsvData d;
    d.sha256 = util::sha256_hex(*text);
    d.rows = parse_csv(*text, label, &d.header, shape);
    return d;
}

}  // namespace nncert::script
