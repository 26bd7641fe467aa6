// Data rows from a CSV file: comma-separated exact numbers, an optional header row.
// Errors point into the CSV file itself (file:line:col), not into the script.
#pragma once

#include "script/syntax.hpp"

#include <optional>
#include <string>
#include <vector>

namespace nncert::script {

// A CSV file as read: its rows (fields in order), the SHA-256 of the very bytes they were parsed from, and
// the header row that was skipped, as written (without its line ending), so every report can show it.
struct CsvData {
    std::vector<syntax::ArrayRow> rows;
    std::string sha256;
    std::optional<std::string> header;
};

// Parses CSV text; `label` names the file in error locations. One row per line (LF or CRLF; the text
// passes the same character gate as scripts, and may not contain invisible characters at all), fields
// split on commas, each a number expression of the script language without comments (`3#0` is an
// error[csv]); an optional header row (the first row, when every field is an ASCII name) that is skipped
// and, when `header` is given, stored there as written (else left empty); blank lines skipped.
std::vector<syntax::ArrayRow> parse_csv(const std::string& text, const std::string& label,
                                        std::optional<std::string>* header = nullptr);

// Reads `fs_path` (util::read_file: regular files up to the size limit) and parses it; `ref` (the
// script's data "..." token) is where an unreadable file is reported (code "io" or "file-too-large").
CsvData read_csv(const std::string& fs_path, const std::string& label, const SourceLoc& ref);

}  // namespace nncert::script
