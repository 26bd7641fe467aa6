// Line breaking for the writers of script text (wrap.hpp): the view rule's side of every tool.
#include "script/wrap.hpp"

#include "script/lexer.hpp"

#include <algorithm>
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

// One line (no line break in it), broken as wrap_lines says; each resulting line ends in "\n".
std::string wrap_line(const std::string& line, bool rows) {
    if (line.size() <= view_width) return line + "\n";  // bytes: never fewer than display columns in UTF-8
    const std::size_t indent = std::min(line.find_first_not_of(' '), line.size());
    const std::string more(indent + 4, ' ');
    // The code's words, grouped into the runs it may not be broken inside, then the comment's words.
    std::vector<std::string> runs, comment;
    bool joined = false;  // the next word joins the last run
    for (std::size_t i = indent; i < line.size();) {
        if (line[i] == ' ') {
            ++i;
            continue;
        }
        if (line[i] == '#') {  // a comment: the rest of the line
            for (std::size_t j; i < line.size(); i = j) {
                j = line.find(' ', i);
                if (j == std::string::npos) j = line.size();
                if (j > i) comment.push_back(line.substr(i, j - i));
                if (j < line.size()) ++j;
            }
            break;
        }
        std::size_t j = i;
        bool quoted = false;  // inside a quoted file name, which may hold blanks and '#'
        for (; j < line.size() && (quoted || (line[j] != ' ' && line[j] != '#')); ++j)
            if (line[j] == '"') quoted = !quoted;
        const std::string word = line.substr(i, j - i);
        i = j;
        if (joined) runs.back() += " " + word;
        else runs.push_back(word);
        joined = rows && !row_goes_on(word);
    }
    std::string out, current = line.substr(0, indent);
    bool first = true;
    for (const std::string& run : runs) {
        // A row goes on to the next line only after a token that ends in view: once past the edge it stays on.
        if (!first && current.size() + 1 + run.size() > view_width && !(rows && current.size() > view_width)) {
            out += current + "\n";
            current = more;
        } else if (!first) {
            current += ' ';
        }
        current += run;
        first = false;
    }
    for (std::size_t k = 0; k < comment.size(); ++k) {
        if (!first && current.size() + 1 + comment[k].size() > view_width) {
            out += current + "\n";
            current = k == 0 ? line.substr(0, indent) : line.substr(0, indent) + "#   ";
        } else if (!first) {
            current += ' ';
        }
        current += comment[k];
        first = false;
    }
    return out + current + "\n";
}

std::string trimmed(const std::string& line) {
    const std::size_t b = line.find_first_not_of(' ');
    if (b == std::string::npos) return "";
    return line.substr(b, line.find_last_not_of(' ') + 1 - b);
}

}  // namespace

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
