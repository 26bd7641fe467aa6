// Builds the JSON report document (format 1) from kernel verdicts; the text output is rendered from it.
// Exact values are JSON strings "p/q" or "p", never floats. The shape is spelled out at document().
#pragma once

#include "kernel/value.hpp"
#include "kernel/verdict.hpp"
#include "report/exit_codes.hpp"
#include "report/json.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nncert::report {

inline constexpr int format_version = 1;

// Error code for an unexpected exception while checking one script (exit code 5, not 2).
inline constexpr std::string_view internal_error_code = "internal";
// Error code for a file that cannot be read or a path that does not exist.
inline constexpr std::string_view io_error_code = "io";

// Rational -> "p/q" or "p"; Object -> object (order kept); List -> array; long long -> integer.
Json to_json(const kernel::Value& v);
Json to_json(const kernel::Rational& q);

// "certified" | "refuted" | "inconclusive": the report's spelling of an outcome.
std::string outcome_name(kernel::Outcome o);

// One claim's entry. The verdict must come from kernel::check: this is the only way a claim gets a
// "verdict" field, so the report cannot say "certified" without a kernel Verdict behind it.
Json claim_json(std::string_view text, std::size_t line, const kernel::Verdict& verdict);

// An entry for a claim whose check was stopped from outside the kernel by a resource limit (`limit`:
// "timeout", "max-memory"): always inconclusive, method "limit", so a limit can never certify or refute.
Json stopped_claim_json(std::string_view text, std::size_t line, std::string_view limit, std::string_view reason);

struct ErrorInfo {
    std::string code;
    std::size_t line = 0;    // 0 when the error has no position (e.g. unreadable file)
    std::size_t column = 0;
    std::string message;
    std::string file;        // set only when the error is in another file than the script (a data file)
};

// A file a script reads besides itself (its CSV data), with the SHA-256 of the bytes that were parsed.
// `header` is the CSV's first row when it was skipped as a header (names only), as written: every report
// shows it, so a reader sees that this row is not data.
struct FileDigest {
    std::string file;
    std::string sha256;
    std::optional<std::string> header;
};

// A script that parsed: its claims in order, the data files it read, and "inputs_sha256", the digest of
// every byte its verdicts depend on (util::combined_sha256 of the script's and the data files' digests).
Json script_json(std::string_view file, std::string_view sha256, Json::Array claims,
                 const std::vector<FileDigest>& data_files = {});
// A script that did not parse or could not be read (sha256 absent when the bytes were never read).
Json error_script_json(std::string_view file, const std::optional<std::string>& sha256, const ErrorInfo& error);

// The exit code one script entry calls for.
ExitCode exit_code_of_script(const Json& script);

// A script entry with only what the summary (document()) reads: every member but "claims" as it is, and of each
// claim "line", "claim", "verdict", "method", "reason", "next" and "time_us". Its exit code and counts equal the
// full entry's; `check --junit` keeps each script's JUnit part besides (report::junit_part; tests:
// unit.review8_10b_fixes, unit.review8_10c_fixes).
Json slim_script(const Json& script);

// The whole document; the summary (counts and exit_code) is computed from the script entries:
//   {"nncert": version, "format": 1, "options": {...} (when given),
//    "scripts": [ {"file", "sha256", "data_files": [{"file", "sha256", "header"?}] (when it reads a CSV file),
//                  "inputs_sha256", "claims": [ {"claim", "line", "verdict", "method",
//                    "certificate" | "witness" | "reason" (+ "evidence" when nonempty)} ]}
//               | {"file", "sha256" (if read), "error": {"code", "line", "column", "message", "file"?}} ],
//    "summary": {"scripts", "claims", "certified", "refuted", "inconclusive", "errors", "exit_code"}}
Json document(std::string_view version, Json::Array scripts, Json options = {});

// The exit code recorded in a document's summary.
ExitCode exit_code_of_document(const Json& doc);

}  // namespace nncert::report
