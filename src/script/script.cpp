// Entry points of the front end: file reading, then parse (parser.cpp) and resolve (resolve.cpp).
// Passes run in a line: text -> tokens -> syntax tree -> kernel data; no pass reaches back.
#include "script/script.hpp"

#include "script/parser.hpp"
#include "script/resolve.hpp"

#include "script/lexer.hpp"
#include "script/wrap.hpp"

#include "util/files.hpp"
#include "util/output.hpp"
#include "util/paths.hpp"
#include "util/unicode.hpp"

#include <algorithm>
#include <filesystem>
#include <ostream>
#include <stdexcept>

namespace nncert::script {

Script parse_text(const std::string& text, const std::string& filename, const std::string& base_dir) {
    return resolve(parse_syntax(text, filename), filename, base_dir);
}

std::string data_file_path(const std::string& file, const std::string& base_dir) {
    const std::filesystem::path p = std::filesystem::path(file).is_absolute() ? std::filesystem::path(file)
                                                                              : std::filesystem::path(base_dir) / file;
    return util::resolve_dot_dot(p).string();
}

std::string text_for_output(const std::string& text, const std::string& filename, const std::string& base_dir,
                            const std::string& out) {
    namespace fs = std::filesystem;
    const syntax::File f = parse_syntax(text, filename);
    if (!f.data || !f.data->file || f.data->file->empty() || fs::path(*f.data->file).is_absolute()) return text;
    const std::string read = data_file_path(*f.data->file, base_dir);
    // The bytes land in the file that opening `out` reaches: through a symbolic link, its target's folder. The
    // chain is read once: its folders are checked below too.
    const std::vector<fs::path> chain = util::link_chain(out);
    const fs::path target = chain.empty() ? fs::path(out) : chain.back();
    const fs::path out_dir = target.parent_path();
    const std::string ref = util::path_from(out_dir, read).string();
    const std::string cannot = "the data file " + util::quoted_name(read) + " cannot be named from the output's folder by a `data \"FILE\"` line";
    const std::string advice = "; write the output next to the script or give the script an absolute data path";
    // The name goes between quotes as it is (a script string has no escapes): it must read back as one string
    // token of exactly these bytes, or text from a folder's name would become script code.
    if (const std::string why = string_problem(ref); !why.empty())
        throw std::invalid_argument(cannot + " (tried " + util::quoted_name(ref) + ": " + why + ")" + advice);
    // The view rule: a quoted name ends within column 160, so one wider than a line cannot be written at all.
    const std::string quoted = "\"" + ref + "\"";
    if (const std::size_t cols = columns_after(0, quoted); cols > view_width)
        throw std::invalid_argument(cannot + " (tried " + util::quoted_name(ref) + ": quoted, it is " + std::to_string(cols) +
                                    " columns wide, and a file name must end within column " + std::to_string(view_width) +
                                    ")" + advice);
    std::string rewritten = text;
    const std::size_t at = f.data->file_loc.offset;  // the opening quote; the string has no escapes
    rewritten.replace(at, f.data->file->size() + 2, quoted);
    // A longer name pushes the rest of its line to the right: a line that now runs past column 160 is broken as
    // every writer breaks its lines (wrap.hpp; review r8-11: `data "FILE"` rewritten by refine -o and snap -o). A
    // script that reads its data from a file has no data rows, so a line break may stand between any two tokens.
    const std::size_t line_begin = rewritten.rfind('\n', at) == std::string::npos ? 0 : rewritten.rfind('\n', at) + 1;
    std::size_t line_end = std::min(rewritten.find('\n', at), rewritten.size());
    if (line_end > line_begin && rewritten[line_end - 1] == '\r') --line_end;  // a CRLF line keeps its CR
    const std::string line = rewritten.substr(line_begin, line_end - line_begin), broken = wrap_lines(line);
    rewritten.replace(line_begin, line.size(), broken);
    // Checked, not assumed. Token by token the written text is the text read, apart from that one name and the
    // line breaks on its line ...
    const std::vector<Token> before = lex(text, {filename, 1, 1});
    std::vector<Token> after;
    try {
        after = lex(rewritten, {filename, 1, 1});
    } catch (const ParseError& e) {
        // A non-ASCII name before more code on its line is `layout` (review r8-12 F1): the rewritten text would not read.
        throw std::invalid_argument(cannot + " (tried " + util::quoted_name(ref) + ": " + e.message + ")" + advice);
    }
    bool same = before.size() == after.size();
    for (std::size_t k = 0; same && k < before.size(); ++k) {
        const bool is_name = before[k].kind == Tok::string && before[k].loc.offset == at;
        const bool on_broken_line = after[k].loc.offset > line_begin && after[k].loc.offset < line_begin + broken.size();
        same = before[k].kind == after[k].kind && (on_broken_line || before[k].newline_before == after[k].newline_before) &&
               (is_name ? after[k].text == ref : before[k].text == after[k].text);
    }
    if (!same) throw std::invalid_argument(cannot + " (tried " + util::quoted_name(ref) + ")" + advice);
    // ... and it reads the same file: from the folder it is written to, and from every folder on the way there
    // (the folder `out` names, and each link's folder in a chain), where `nncert check` through that link
    // resolves it.
    // Each folder once: without a link, `out`'s folder is out_dir, and the script is not read twice from it.
    std::vector<fs::path> dirs{out_dir};
    for (const fs::path& hop : chain.empty() ? std::vector<fs::path>{fs::path(out)} : chain)
        if (std::find(dirs.begin(), dirs.end(), hop.parent_path()) == dirs.end()) dirs.push_back(hop.parent_path());
    for (const fs::path& dir : dirs) {
        std::vector<std::string> named;
        try {
            named = data_files_named(rewritten, out, dir.empty() ? "." : dir.string());
        } catch (const ParseError&) {
        }
        if (named.size() != 1 || !util::same_file(named.front(), read)) {
            if (dir != out_dir)
                throw std::invalid_argument(
                    "the output is a symbolic link to " + util::quoted_name(target.string()) +
                    " in another folder: the written script would read the data file " + util::quoted_name(read) +
                    " at its own path and another file through the link; write to " +
                    util::quoted_name(target.string()) + " itself, or give the script an absolute data path");
            throw std::invalid_argument(cannot + " (tried " + util::quoted_name(ref) + ")" + advice);
        }
    }
    return rewritten;
}

int write_script_output(const std::string& text, const std::string& filename, const std::string& base_dir,
                        const std::string& out, const std::string& who, std::ostream& err) {
    std::string moved;
    try {
        moved = text_for_output(text, filename, base_dir, out);
    } catch (const std::exception& e) {
        err << who << ": " << util::escape_for_display(e.what()) << "; nothing written\n";
        return 4;
    }
    return util::write_output_file(out, moved, who, err) ? 0 : 2;
}

std::vector<std::string> data_files_named(const std::string& text, const std::string& filename, const std::string& base_dir) {
    const syntax::File f = parse_syntax(text, filename);
    std::vector<std::string> out;
    if (f.data && f.data->file && !f.data->file->empty()) out.push_back(data_file_path(*f.data->file, base_dir));
    return out;
}

Script parse_file(const std::string& path) {
    util::FileError error;
    const std::optional<std::string> text = util::read_file(path, error);
    if (!text) fail(error.code, {path, 0, 0}, error.message);
    return parse_text(*text, path, std::filesystem::path(path).parent_path().string());
}

}  // namespace nncert::script
