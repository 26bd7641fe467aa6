// Line breaking for the writers of script text (wrap.hpp): the view rule's and the width rule's side of every tool.
#include "script/wrap.hpp"

#include "script/lexer.hpp"
#include "script/source.hpp"
#include "util/unicode.hpp"

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

namespace nncert::script {

namespace {

// A data row goes on to the next line after this word (cursor.hpp, row_goes_on_after, on the printed words).
bool row_goes_on(const std::string& word) {
    if (word == "->" || word == "weight") return true;
    const char last = word.back();
    return last == ',' || last == '+' || last == '-' || last == '*' || last == '/' || last == '(';
}

bool is_blank(char c) { return c == ' ' || c == '\t'; }

// A token of a run as the lexer reads it: its kind, and whether it is a literal longer than literal_view.
struct Piece {
    Tok kind;
    bool long_literal;
};

// Whether `line` may hold a number literal longer than literal_view characters: a stretch of more than that
// many characters that a literal can be made of (digits, letters, '.', '_' and an exponent's sign). Most lines
// hold none; only those that may are read token by token.
bool may_hold_long_literal(const std::string& line) {
    std::size_t run = 0;
    for (const char c : line) {
        const bool part = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '+' || c == '-';
        run = part ? run + 1 : 0;
        if (run > literal_view) return true;
    }
    return false;
}

// The tokens of a run of words, read by the lexer itself. A run the lexer refuses on its own (it cannot stand
// anywhere: a writer's bug that the re-read of the written script reports) counts as one word that may not follow
// a long literal.
std::vector<Piece> pieces_of(const std::string& run) {
    std::vector<Piece> out;
    try {
        for (const Token& t : lex(run, {"<wrap>", 1, 1}))
            if (t.kind != Tok::end) out.push_back({t.kind, t.kind == Tok::number && t.end - t.loc.offset > literal_view});
    } catch (const ParseError&) {
        out.assign(1, Piece{Tok::ident, run.size() > literal_view});
    }
    return out;
}

// The width rule on one line (lexer.cpp, may_follow_long_literal): the state after the tokens so far.
struct WidthState {
    bool long_literal = false;  // a literal longer than literal_view stands earlier on the line
    Tok prev = Tok::end;        // the last token on the line
    // Takes `pieces` in; false when one of them may not follow a long literal there.
    bool take(const std::vector<Piece>& pieces) {
        bool ok = true;
        for (const Piece& p : pieces) {
            if (long_literal && !may_follow_long_literal(prev, p.kind)) ok = false;
            if (p.long_literal) long_literal = true;
            prev = p.kind;
        }
        return ok;
    }
};

// One line (no line break in it), broken as wrap_lines says; each resulting line ends in "\n".
std::string wrap_line(const std::string& line, bool rows) {
    const bool width_rule = may_hold_long_literal(line);
    if (!width_rule && columns_after(0, line) <= view_width) return line + "\n";
    const std::size_t indent = std::min(line.find_first_not_of(" \t"), line.size());
    const std::size_t indent_cols = columns_after(0, line.substr(0, indent));
    // The code's words, grouped into the runs it may not be broken inside, then the comment's words.
    std::vector<std::string> runs, comment;
    bool joined = false;  // the next word joins the last run
    for (std::size_t i = indent; i < line.size();) {
        if (is_blank(line[i])) {
            ++i;
            continue;
        }
        if (line[i] == '#') {  // a comment: the rest of the line
            for (std::size_t j; i < line.size(); i = j) {
                j = std::min(line.find(' ', i), line.find('\t', i));
                if (j == std::string::npos) j = line.size();
                if (j > i) comment.push_back(line.substr(i, j - i));
                if (j < line.size()) ++j;
            }
            break;
        }
        std::size_t j = i;
        bool quoted = false;  // inside a quoted file name, which may hold blanks and '#'
        for (; j < line.size() && (quoted || (!is_blank(line[j]) && line[j] != '#')); ++j)
            if (line[j] == '"') quoted = !quoted;
        const std::string word = line.substr(i, j - i);
        i = j;
        if (joined) runs.back() += " " + word;
        else runs.push_back(word);
        joined = rows && !row_goes_on(word);
    }
    // A new line for a run of `cols` columns: indented 4 more than the broken line, or less when that much would
    // push a run that fits a line (a quoted file name of up to 160 columns) past the edge.
    const auto new_line = [&](std::size_t cols) {
        const std::size_t more = indent_cols + 4;
        return std::string(cols + more <= view_width || cols > view_width ? more : view_width - cols, ' ');
    };
    std::vector<std::vector<Piece>> pieces(runs.size());
    if (width_rule)
        for (std::size_t i = 0; i < runs.size(); ++i) pieces[i] = pieces_of(runs[i]);
    // Whether the list value that starts with run i (its runs up to one that ends with ',', '->', ']' or '}') may
    // follow what `state` has seen on the line, and not only at the start of a line: then a break before the value
    // keeps it whole (`1000000 * 1e64 + 1` is not split after its `1000000` when a long literal precedes it).
    const auto breaks_the_width_rule = [&](std::size_t i, WidthState state) {
        if (!state.long_literal) return false;
        WidthState fresh;
        bool here_ok = true, fresh_ok = true;
        for (std::size_t j = i; j < runs.size(); ++j) {
            here_ok = state.take(pieces[j]) && here_ok;
            fresh_ok = fresh.take(pieces[j]) && fresh_ok;
            if (pieces[j].empty()) continue;
            const Tok last = pieces[j].back().kind;
            if (last == Tok::comma || last == Tok::arrow || last == Tok::rbracket || last == Tok::rbrace) break;
        }
        return !here_ok && fresh_ok;
    };
    std::string out, current = line.substr(0, indent);
    std::size_t col = indent_cols;  // display columns of `current`
    WidthState state;
    bool first = true, broken = false;
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const std::string& run = runs[i];
        const std::size_t cols = columns_after(0, run);
        // The view rule: the run does not end within view_width on this line. The width rule: its list value may
        // not follow a long literal earlier on this line.
        const bool too_wide = col + 1 + cols > view_width;
        // A row goes on to the next line only after a token that ends in view: once past the edge it stays on.
        if (!first && (too_wide || breaks_the_width_rule(i, state)) && !(rows && col > view_width)) {
            out += current + "\n";
            current = new_line(cols);
            col = current.size();
            state = WidthState{};
            broken = true;
        } else if (!first) {
            current += ' ';
            ++col;
        }
        current += run;
        col += cols;
        state.take(pieces[i]);
        first = false;
    }
    for (std::size_t k = 0; k < comment.size(); ++k) {
        const std::size_t cols = columns_after(0, comment[k]);
        if (!first && col + 1 + cols > view_width) {
            out += current + "\n";
            current = k == 0 ? line.substr(0, indent) : line.substr(0, indent) + "#   ";
            col = columns_after(0, current);
            broken = true;
        } else if (!first) {
            current += ' ';
            ++col;
        }
        current += comment[k];
        col += cols;
        first = false;
    }
    // Unbroken and in view, the line stays as it was written (its blanks included); else its words are joined by
    // one blank (a line that ran past the edge only by its blanks now fits).
    return broken || columns_after(0, line) > view_width ? out + current + "\n" : line + "\n";
}

std::string trimmed(const std::string& line) {
    const std::size_t b = line.find_first_not_of(' ');
    if (b == std::string::npos) return "";
    return line.substr(b, line.find_last_not_of(' ') + 1 - b);
}

}  // namespace

std::size_t columns_after(std::size_t col, const std::string& text) {
    for (std::size_t i = 0; i < text.size();) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            col = c == '\t' ? after_blank(col, '\t') : col + 1;
            ++i;
            continue;
        }
        char32_t cp = 0xFFFD;
        const std::size_t n = util::decode_utf8(text, i, cp);
        col += static_cast<std::size_t>(util::display_columns(n ? cp : char32_t(0xFFFD)));
        i += n ? n : 1;
    }
    return col;
}

std::string wrap_lines(const std::string& text, bool rows) {
    std::string out;
    for (std::size_t begin = 0; begin < text.size();) {
        std::size_t end = text.find('\n', begin);
        const bool last = end == std::string::npos;
        if (last) end = text.size();
        const std::string line = wrap_line(text.substr(begin, end - begin), rows);
        out += last ? line.substr(0, line.size() - 1) : line;  // a last line without "\n" keeps none
        begin = end + 1;
    }
    return out;
}

std::string wrap_script(const std::string& text) {
    std::string out;
    bool data = false;  // inside a `data {` block: every line a row
    for (std::size_t begin = 0; begin < text.size();) {
        std::size_t end = text.find('\n', begin);
        const bool last = end == std::string::npos;
        if (last) end = text.size();
        const std::string line = text.substr(begin, end - begin), t = trimmed(line);
        begin = end + 1;
        std::string wrapped;
        if (t == "data {") {
            wrapped = line + "\n";
            data = true;
        } else if (data && t == "}") {
            wrapped = line + "\n";
            data = false;
        } else {
            wrapped = wrap_line(line, data);
        }
        out += last ? wrapped.substr(0, wrapped.size() - 1) : wrapped;
    }
    return out;
}

}  // namespace nncert::script
