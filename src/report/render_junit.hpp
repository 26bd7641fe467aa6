// JUnit XML (`nncert check --junit FILE`) in the shape GitHub test-report actions, GitLab
// (artifacts:reports:junit) and Jenkins (junit step) read: <testsuites> with one <testsuite> per script
// (its sha256 as a property) and one <testcase> per claim; a refuted or inconclusive claim is a <failure>
// (type "refuted" / "inconclusive", as both fail the run), a malformed or unreadable script one <testcase>
// with an <error>. Times are seconds, from the claims' "time_us". Rendered from the JSON document only.
#pragma once

#include "report/json.hpp"

#include <string>

namespace nncert::report {

std::string render_junit(const Json& doc);

}  // namespace nncert::report
