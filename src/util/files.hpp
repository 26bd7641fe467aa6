// File-system helpers: reading an input file (a script, a CSV file) and finding scripts under a folder.
// Untrusted tooling; errors come back as values so the caller can report them per path.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nncert::util {

// Largest input file read (a script, a CSV data file): 64 MiB. docs/limits.md.
inline constexpr std::uint64_t max_file_bytes = std::uint64_t{64} << 20;

// Why a file could not be read: code "io" (missing, not a regular file, permission, read error such as
// EIO) or "file-too-large" (over the size limit); message says which, in words.
struct FileError {
    std::string code;
    std::string message;
};

// The whole file as bytes. Only regular files are read (symbolic links are followed): a FIFO, a device
// or a socket is refused without reading from it, so nothing can block or stream forever. The size is
// checked before reading and again while reading (a file that grows past max_bytes is refused too).
std::optional<std::string> read_file(const std::string& path, FileError& error,
                                     std::uint64_t max_bytes = max_file_bytes);
// The same with the message only.
std::optional<std::string> read_file(const std::string& path, std::string& error,
                                     std::uint64_t max_bytes = max_file_bytes);

// Whether path is (or links to) a regular file; error says what it is otherwise. For readers that open
// the file themselves (libzip), so that a FIFO is refused before anything blocks on it.
bool check_regular_file(const std::string& path, FileError& error);

// One script found under a folder, or an entry that looks like one and cannot be checked (error set).
struct FoundScript {
    std::string path;
    std::optional<std::string> error;
};

// A script's name: extension .nnc in any case (.NNC, .Nnc), so a folder walk on a case-insensitive
// filesystem checks what the user sees as scripts instead of skipping them silently.
bool is_script_name(const std::string& path);

// Every file named *.nnc under dir, recursively, sorted by path so runs are deterministic. Symbolic links
// are followed, to files and to folders; a folder reached a second time through another link is walked
// once. Nothing that might hold a script is skipped silently: a *.nnc that is not a regular file (FIFO,
// device, socket), a dangling symbolic link (whatever its name: it may have meant a folder), a link
// that leads back into a folder being walked (a loop), a folder that cannot be listed, and a file whose name
// is not a script's but shows as one (util::looks_like_script_name: `t.nnс` with a Cyrillic es, `t.nnc `, a
// file named `.nnc`) each come back as an entry with an error.
std::vector<FoundScript> find_scripts(const std::string& dir);

// Whether two paths name the same file however spelled (./x, x, a symbolic or hard link): the same inode
// when both exist, else the same weakly canonical path (an output that does not exist yet).
bool same_file(const std::string& a, const std::string& b);

// An input of a command, for output_problem: its path and how the command names it ("the --data file",
// "the data file 'd.csv' that the script reads").
struct NamedInput {
    std::string path;
    std::string role;
};

// Why a command must not write its output to `out`, or nullopt when it may. Every command that writes a
// file asks this before any work (docs/format.md, "Output files"):
// - `out` exists and is not a regular file (a FIFO, whose opening blocks until a reader comes, so a run
//   would hang; a device, a socket, a directory): nncert writes regular files only. Symbolic links are
//   followed; a dangling one is fine (the file is created at its target).
// - `out` is the same file as one of `inputs` (same_file: device and inode, or the resolved path of a file
//   not yet created, through dangling symbolic links on either side): writing would destroy an input, or
//   a later read of that input would read the output instead.
// The reason is a phrase to follow the output's name: "is the --data file", "is a FIFO, not a regular file ...".
std::optional<std::string> output_problem(const std::string& out, const std::vector<NamedInput>& inputs);

// Opens `out` for writing as output_problem allows, closing its check-then-open gap: the file is opened
// without blocking (O_NONBLOCK: a FIFO put in its place after output_problem looked, with no reader, fails at
// once instead of waiting for one) and not truncated; fstat of the descriptor then refuses anything but a
// regular file (a FIFO that has a reader, a device, a socket, a directory) before a byte is written; only a
// regular file is truncated (ftruncate) and handed back, with O_NONBLOCK cleared. Symbolic links are followed,
// as by output_problem (a dangling one creates its target): what is refused is the kind of file finally opened,
// whatever the path went through. A new file gets mode 0666 minus the umask. Returns the descriptor
// (O_CLOEXEC), or -1 with `why` a phrase to follow the output's name ("is a FIFO, not a regular file ...",
// "cannot be opened: permission denied").
int open_output_file(const std::string& out, std::string& why);

// Whether `path` lies under the folder `dir` (canonical paths, symbolic links resolved; false when `dir`
// is not a folder).
bool lies_under(const std::string& path, const std::string& dir);

}  // namespace nncert::util
