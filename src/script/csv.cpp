// Minimal CSV reader: one row per line, fields split on commas, optional double-quoted fields
// (header only), blank lines skipped. Each numeric field goes through the script's exact number parser.
#include "script/csv.hpp"

#include "script/cursor.hpp"
#include "script/number.hpp"

#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace nncert::script {

namespace {

struct Field {
    std::string text;
    std::size_t col = 1;
    bool quoted = false;
};

std::size_t code_points(const std::string& s, std::size_t from, std::size_t to) {
    std::size_t n = 0;
    for (std::size_t i = from; i < to; ++i)
        if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++n;
    return n;
}

bool blank(char c) { return c == ' ' || c == '\t'; }

std::vector<Field> split(const std::string& line, const std::string& label, std::size_t lineno) {
    std::vector<Field> out;
    std::size_t i = 0;
    for (;;) {
        while (i < line.size() && blank(line[i])) ++i;
        Field f;
        f.col = 1 + code_points(line, 0, i);
        if (i < line.size() && line[i] == '"') {
            f.quoted = true;
            for (++i;; ++i) {
                if (i >= line.size()) fail("csv", {label, lineno, f.col}, "unterminated quoted field");
                if (line[i] == '"') {
                    if (i + 1 < line.size() && line[i + 1] == '"') ++i;
                    else break;
                }
                f.text += line[i];
            }
            ++i;
            while (i < line.size() && blank(line[i])) ++i;
            if (i < line.size() && line[i] != ',')
                fail("csv", {label, lineno, 1 + code_points(line, 0, i)}, "text after a closing quote");
        } else {
            const std::size_t start = i;
            while (i < line.size() && line[i] != ',') ++i;
            std::size_t end = i;
            while (end > start && blank(line[end - 1])) --end;
            f.text = line.substr(start, end - start);
        }
        out.push_back(std::move(f));
        if (i >= line.size()) return out;
        ++i;  // the comma
    }
}

// Text, not a number: the header test ("first row with a non-numeric field").
bool is_text(const Field& f) {
    return f.quoted || (!f.text.empty() && (std::isalpha(static_cast<unsigned char>(f.text[0])) || f.text[0] == '_'));
}

kernel::Rational field_value(const Field& f, const std::string& label, std::size_t lineno) {
    const SourceLoc at{label, lineno, f.col};
    if (f.text.empty()) fail("csv", at, "empty field");
    if (f.quoted) fail("csv", at, "quoted field where a number is expected");
    try {
        Cursor in(lex(f.text, at));
        const kernel::Rational v = parse_expr(in);
        if (!in.at(Tok::end)) in.unexpected("a comma or the end of the line");
        return v;
    } catch (const ParseError& e) {
        fail("csv", e.loc, "bad number field: " + e.message);
    }
}

}  // namespace

std::vector<syntax::ArrayRow> read_csv(const std::string& fs_path, const std::string& label, const SourceLoc& ref) {
    std::error_code ec;
    std::ifstream in;
    if (std::filesystem::is_regular_file(fs_path, ec)) in.open(fs_path, std::ios::binary);
    if (!in.is_open() || !in) fail("io", ref, "cannot read CSV file '" + label + "'");
    std::ostringstream buf;
    buf << in.rdbuf();
    if (in.bad()) fail("io", ref, "error reading CSV file '" + label + "'");
    std::string text = buf.str();
    check_utf8(text, label);
    if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);  // spreadsheet byte-order mark

    std::vector<syntax::ArrayRow> rows;
    bool first = true;
    std::size_t lineno = 0;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        ++lineno;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        const std::vector<Field> fields = split(line, label, lineno);
        if (first) {
            first = false;
            bool header = false;
            for (const Field& f : fields) header = header || is_text(f);
            if (header) continue;
        }
        syntax::ArrayRow r;
        r.loc = {label, lineno, 1};
        for (const Field& f : fields) r.values.push_back(field_value(f, label, lineno));
        rows.push_back(std::move(r));
    }
    return rows;
}

}  // namespace nncert::script
