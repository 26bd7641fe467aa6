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

Script parse_file(const std::string& path) {
    util::FileError error;
    const std::optional<std::string> text = util::read_file(path, error);
    if (!text) fail(error.code, {path, 0, 0}, error.message);
    return parse_text(*text, path, std::filesystem::path(path).parent_path().string());
}

}  // namespace nncert::script
