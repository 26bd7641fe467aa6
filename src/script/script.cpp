// Entry points of the front end: file reading, then parse (parser.cpp) and resolve (resolve.cpp).
// Passes run in a line: text -> tokens -> syntax tree -> kernel data; no pass reaches back.
#include "script/script.hpp"

#include "script/parser.hpp"
#include "script/resolve.hpp"

#include "util/files.hpp"

#include <filesystem>

namespace nncert::script {

Script parse_text(const std::string& text, const std::string& filename, const std::string& base_dir) {
    return resolve(parse_syntax(text, filename), filename, base_dir);
}

std::string data_file_path(const std::string& file, const std::string& base_dir) {
    const std::filesystem::path p = std::filesystem::path(file).is_absolute() ? std::filesystem::path(file)
                                                                              : std::filesystem::path(base_dir) / file;
    return p.string();
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
