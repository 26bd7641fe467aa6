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
// The shape a reader wants, when known (`fields` 0: any): a data row with more than `fields` fields stops at the
// first extra one, before the rest of its line is parsed (review r8-12 F12: one line of 8,000,001 fields took 9 s
// and 1 GB before its error), with error "dimension" at the row, "CSV row has more than N fields; the network needs
// " + `needed`. A first row that may be a header (its first field is a name) is read whole.
struct CsvShape {
    std::size_t fields = 0;
    std::string needed;
};

std::vector<syntax::ArrayRow> parse_csv(const std::string& text, const std::string& label,
                                        std::optional<std::string>* header = nullptr, const CsvShape& shape = {});

// Reads `fs_path` (util::read_file: regular files up to the size limit) and parses it; `ref` (the
// script's data "..." token) is where an unreadable file is reported (code "io" or "file-too-large").
CsvData read_csv(const std::string& fs_path, const std::string& label, const SourceLoc& ref,
                 const CsvShape& shape = {});

}  // namespace nncert::script
