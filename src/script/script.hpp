// The proof-script front end's public face: parse a .nnc script into the kernel's plain data,
// and print a parsed script back in canonical form. Untrusted: the kernel re-validates what it gets.
#pragma once

#include "kernel/claim.hpp"
#include "kernel/limits.hpp"
#include "kernel/model.hpp"
#include "kernel/number.hpp"
#include "script/source.hpp"

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace nncert::script {

struct ClaimEntry {
    kernel::Claim claim;
    std::string text;  // the claim in canonical form without `claim`, e.g. "not critical bad", "loss bad = 18"
    std::string written;  // the claim as the script wrote it, e.g. "critical bad within 1e-10" (for reports)
    SourceLoc loc;     // the `claim` keyword
    std::vector<std::string> along;  // the direction names of `along d1, d2` (claim.along holds their vectors)
};

// A file a script's verdicts depend on besides the script itself (its CSV data), as it was read.
struct InputFile {
    std::string file;    // data_file_path of the script's FILE: the path opened, and the name reports and errors use
    std::string sha256;  // of the exact bytes parsed
    std::optional<std::string> header;  // the first row, skipped as a header (names only), as written
};

struct Script {
    std::string path;  // as given
    int version = 1;
    kernel::Problem problem;
    std::vector<kernel::Point> points;
    std::vector<kernel::Point> directions;  // `direction NAME { ... }` blocks (full vectors, omitted entries 0)
    std::vector<ClaimEntry> claims;
    std::optional<std::string> data_file;  // CSV path as written, if data came from a file
    bool data_weighted = false;            // the CSV file's last field is each row's weight
    std::vector<InputFile> data_files;     // the CSV file read for data_file, with its digest
    std::optional<unsigned> precision;     // `precision BITS`, if given (the kernel default otherwise)
    std::optional<std::size_t> max_boxes;  // `max_boxes N`, if given (the kernel default otherwise)
    std::vector<kernel::Region> regions;   // `region R { ... }`, every range explicit
};

// Limits of `precision BITS` (and of `nncert check --precision`): docs/limits.md.
inline constexpr unsigned min_precision_bits = kernel::limits::min_precision_bits;
inline constexpr unsigned max_precision_bits = kernel::limits::max_precision_bits;
// Limit of `max_boxes N` (and of `nncert check --max-boxes`).
inline constexpr std::size_t max_max_boxes = 1000000000;

// Reads (util::read_file: regular files up to the size limit) and parses a script; error code "io" or
// "file-too-large" if the file cannot be read. CSV paths resolve relative to the script's directory.
Script parse_file(const std::string& path);

// Parses script text; `filename` is used in error locations and as Script::path, `base_dir`
// resolves relative CSV paths. Throws ParseError on the first error.
Script parse_text(const std::string& text, const std::string& filename, const std::string& base_dir);

// The path a `data "FILE"` line opens, and the name every report and message gives it: FILE itself when
// absolute, else base_dir/FILE, with `.` steps dropped and `X/..` collapsed the way the operating system
// resolves it (util::resolve_dot_dot: after a symbolic link to a folder, through the link's target), so
// `via/../d.csv` with via -> real/sub is opened and shown as real/d.csv, never as a different ./d.csv.
std::string data_file_path(const std::string& file, const std::string& base_dir);

// `text` (a script read from `filename`, data paths relative to `base_dir`) as it must be written at `out` to
// read the same data file: a relative `data "FILE"` is rewritten relative to the folder of the file that
// opening `out` writes (util::written_path: through a symbolic link, its target's folder; util::path_from;
// unchanged when that is the same folder, and an absolute FILE is kept). Verified, else std::invalid_argument
// says why: the new name reads back as one string token of exactly its bytes (string_problem: no '"', line
// break or rejected character from a folder's name), the written text lexes to the same tokens apart from
// that name, and the name resolves to the same file (util::same_file) both from the written file's folder and
// from out's own folder (a link in another folder is refused). For `refine -o` and `snap -o`
// (docs/format.md, "Data files").
std::string text_for_output(const std::string& text, const std::string& filename, const std::string& base_dir,
                            const std::string& out);

// Writes text_for_output(text, ...) to the file `out` (util::write_output_file). Returns the exit status: 0
// written; 4 refused by text_for_output, after "<who>: <why>; nothing written" on `err` (nothing written);
// 2 when writing failed (util::write_output_file's message). refine -o and snap -o end through this.
int write_script_output(const std::string& text, const std::string& filename, const std::string& base_dir,
                        const std::string& out, const std::string& who, std::ostream& err);

// The data files a script's text names (data_file_path of its `data "FILE"`, none for inline data), found
// by the parser alone: no CSV is read. For output guards that must know every input before truncating an
// output file (nncert check -o/--junit). Throws ParseError when the text does not parse.
std::vector<std::string> data_files_named(const std::string& text, const std::string& filename, const std::string& base_dir);

// Canonical text of a script: fixed block order, one item per line, numbers as reduced fractions.
// parse_text(print_canonical(s)) gives back an equal Script (same base_dir for CSV data).
std::string print_canonical(const Script& s);

// The whole string must be one number expression (see docs/format.md); errors name file "<number>".
kernel::Rational parse_number(const std::string& text);

}  // namespace nncert::script
