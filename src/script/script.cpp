// Entry points of the front end: file reading, then parse (parser.cpp) and resolve (resolve.cpp).
// Passes run in a line: text -> tokens -> syntax tree -> kernel data; no pass reaches back.
#include "script/script.hpp"

#include "script/parser.hpp"
#include "script/resolve.hpp"

#include "util/files.hpp"
#include "util/paths.hpp"
#include "util/unicode.hpp"

#include <filesystem>
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
    const syntax::File f = parse_syntax(text, filename);
    if (!f.data || !f.data->file || f.data->file->empty() || std::filesystem::path(*f.data->file).is_absolute())
        return text;
    const std::string read = data_file_path(*f.data->file, base_dir);
    const std::filesystem::path out_dir = std::filesystem::path(out).parent_path();
    const std::string ref = util::path_from(out_dir, read).string();
    std::string rewritten = text;
    const std::size_t at = f.data->file_loc.offset;  // the opening quote; the string has no escapes
    rewritten.replace(at, f.data->file->size() + 2, "\"" + ref + "\"");
    // The written script must read the same file from where it is written: checked, not assumed (a name
    // that a script string cannot hold, or a link that resolves otherwise, is refused).
    std::vector<std::string> named;
    try {
        named = data_files_named(rewritten, out, out_dir.empty() ? "." : out_dir.string());
    } catch (const ParseError&) {
    }
    if (named.size() != 1 || !util::same_file(named.front(), read))
        throw std::invalid_argument("the data file " + util::quoted_name(read) +
                                    " cannot be named from the output's folder by a `data \"FILE\"` line (tried " +
                                    util::quoted_name(ref) + "); write the output next to the script or give the "
                                    "script an absolute data path");
    return rewritten;
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
