// The summary sentence every human-readable report ends with, from a document's "summary" object:
// "3 claims: 2 certified, 1 refuted, 0 inconclusive; 0 errors".
#pragma once

#include "report/json.hpp"

#include <string>

namespace nncert::report {

std::string summary_sentence(const Json& summary);

}  // namespace nncert::report
