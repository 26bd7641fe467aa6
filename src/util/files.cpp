// File reading and the recursive *.nnc search used by `nncert check DIR`.
// Sorting matters: a report must not depend on the order the file system lists entries in.
#include "util/files.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>

namespace nncert::util {

namespace fs = std::filesystem;

std::optional<std::string> read_file(const std::string& path, std::string& error) {
    std::error_code ec;
    auto status = fs::status(path, ec);
    if (!fs::exists(status)) {
        error = "no such file or directory";
        return std::nullopt;
    }
    if (fs::is_directory(status)) {
        error = "is a directory";
        return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error = "cannot open file (permission denied?)";
        return std::nullopt;
    }
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) {
        error = "read error";
        return std::nullopt;
    }
    return bytes;
}

std::optional<std::vector<std::string>> find_scripts(const std::string& dir, std::string& error) {
    std::vector<std::string> found;
    std::error_code ec;
    fs::recursive_directory_iterator it(dir, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
        std::error_code type_ec;
        if (it->is_regular_file(type_ec) && it->path().extension() == ".nnc") found.push_back(it->path().string());
    }
    if (ec) {
        error = ec.message();
        return std::nullopt;
    }
    std::sort(found.begin(), found.end());
    return found;
}

}  // namespace nncert::util
