// SHA-256 (FIPS 180-4), self-contained, so a report can bind each verdict to the exact bytes checked.
// Untrusted tooling: the kernel never sees it; only the report prints the digest.
#pragma once

#include <string>
#include <string_view>

namespace nncert::util {

// Lowercase hex digest (64 characters) of the given bytes.
std::string sha256_hex(std::string_view bytes);

}  // namespace nncert::util
