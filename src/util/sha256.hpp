// SHA-256 (FIPS 180-4), self-contained, so a report can bind each verdict to the exact bytes checked.
// Untrusted tooling: the kernel never sees it; only the report prints the digest.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace nncert::util {

// Lowercase hex digest (64 characters) of the given bytes.
std::string sha256_hex(std::string_view bytes);

// One digest for several files (a script and the data it reads): the SHA-256 of their lowercase hex
// digests, in order, each followed by "\n". Anyone can recompute it with standard tools:
//   sha256sum script.nnc data.csv | cut -d' ' -f1 | sha256sum
std::string combined_sha256(const std::vector<std::string>& hex_digests);

}  // namespace nncert::util
