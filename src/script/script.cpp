// Entry points of the front end: file reading, then parse (parser.cpp) and resolve (resolve.cpp).
// Passes run in a line: text -> tokens -> syntax tree -> kernel data; no pass reaches back.
#include "script/script.hpp"

#include "script/parser.hpp"
#include "script/resolve.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace nncert::script {

Script parse_text(const std::string& text, const std::string& filename, const std::string& base_dir) {
    return resolve(parse_syntax(text, filename), filename, base_dir);
}

Script parse_file(const std::string& path) {
    std::error_code ec;
    std::ifstream in;
    if (std::filesystem::is_regular_file(path, ec)) in.open(path, std::ios::binary);
    if (!in.is_open() || !in) fail("io", {path, 0, 0}, "cannot read the file");
    std::ostringstream buf;
    buf << in.rdbuf();
    if (in.bad()) fail("io", {path, 0, 0}, "error while reading the file");
    return parse_text(buf.str(), path, std::filesystem::path(path).parent_path().string());
}

}  // namespace nncert::script
