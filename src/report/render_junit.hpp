// JUnit XML (`nncert check --junit FILE`) in the shape GitHub test-report actions, GitLab
// (artifacts:reports:junit) and Jenkins (junit step) read: <testsuites> with one <testsuite> per script
// (its sha256 as a property) and one <testcase> per claim; a refuted or inconclusive claim is a <failure>
// (type "refuted" / "inconclusive", as both fail the run), a malformed or unreadable script one <testcase>
// with an <error>. Times are seconds, from the claims' "time_us". Rendered from the JSON document only.
#pragma once

#include "report/json.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace nncert::report {

std::string render_junit(const Json& doc);

// A failure's witness and evidence are shown up to this many bytes each (of their one-line JSON), then
// "... (N more bytes; the whole ... is in the JSON report, --report json)": exact evidence can be megabytes
// (an 18-layer squaring tower's gradient is 8.8 MB), which a CI view does not show usefully, and `check --junit`
// holds every failure's text until the file is written at the end (docs/limits.md).
inline constexpr std::size_t junit_evidence_bytes = 65536;

// One script's <testsuite> element and its counts, as render_junit writes them. `check --junit` renders each
// script's part as the script finishes and keeps only that (its memory does not grow with the evidence).
struct JunitPart {
    std::string xml;
    long long tests = 0, failures = 0, errors = 0, us = 0;
};
JunitPart junit_part(const Json& script);
// The whole file from the parts, in order: render_junit(doc) == junit_document(parts of doc's scripts).
std::string junit_document(const std::vector<JunitPart>& parts);

}  // namespace nncert::report
