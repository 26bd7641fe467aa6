// How a path is written for a reader: the file the operating system opens by it, named without the `..`
// steps that would make it read as another file (a `..` after a symbolic link to a folder).
// Untrusted tooling: what it changes is only the spelling of a path, never which file it names.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace nncert::util {

// `p` with `.` and empty components dropped and every `X/..` collapsed the way the operating system
// resolves it: dropped when X is a folder, and after replacing X by the link's target when X is a symbolic
// link (`via/../d.csv` with via -> real/sub names real/d.csv, not ./d.csv, and is written so); kept when X
// does not exist or is not a folder (opening fails then, and still fails the same way). Other links, the last component included, stay as written. A leading `..` stays (it is resolved from
// the working folder, which is a real folder). After 40 links (a loop) `p` comes back unchanged: opening it
// fails the same way. docs/format.md, "Data files".
std::filesystem::path resolve_dot_dot(const std::filesystem::path& p);

// How every command names a path the user typed (a script on the command line): as typed, or, when it has a
// `..` component, as resolve_dot_dot gives it (`via/../sub/x.nnc` with via -> real/sub is real/sub/x.nnc, the
// file opened, not ./sub/x.nnc). The same file either way.
std::string shown_path(const std::string& typed);

// The path that names `target` from the folder `dir` (both as the operating system resolves them, so the
// `..` steps of the result are physical): `target` relative to `dir` through their canonical folders, the
// last component of `target` kept as written (a link stays a link). An absolute path when the two have no
// common root.
// The paths opening `p` for writing passes through: `p` itself, then, while the last one is a symbolic link,
// its target (a relative target read from its link's folder), last the file the bytes land in (also when it does
// not exist yet: opening creates it). Empty when opening cannot succeed through the chain: a link cannot be read,
// or more than 40 links (Linux's MAXSYMLINKS: the 41st gives ELOOP; a chain of exactly 40 opens). For scripts
// written with -o: every folder on the chain is one from which someone may read the written script.
std::vector<std::filesystem::path> link_chain(const std::filesystem::path& p);

// The file that opening `p` for writing reaches: link_chain(p)'s last path, or `p` itself when the chain is
// empty (opening `p` then fails the same way). For scripts written with -o: their data paths must be relative
// to the folder the bytes land in.
std::filesystem::path written_path(const std::filesystem::path& p);

std::filesystem::path path_from(const std::filesystem::path& dir, const std::filesystem::path& target);

}  // namespace nncert::util
