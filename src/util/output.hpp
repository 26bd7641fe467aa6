// Writing a command's result (to standard output, or to the file named by -o/--output) and noticing when that
// fails: a full disk or a closed pipe must not end in exit 0 with the result lost or truncated.
#pragma once

#include <memory>
#include <ostream>
#include <streambuf>
#include <string>
#include <string_view>
#include <vector>

namespace nncert::util {

// An output file as a stream, opened by util::open_output_file (never blocks on a FIFO, writes regular files
// only, even when the file was swapped after output_problem looked). Writes go through a buffer to write(2);
// a failed write or close leaves the stream failed, which finish_output reports.
class OutputFile : public std::ostream {
public:
    // The opened file, or nullptr with `why` (a phrase to follow the file's name).
    static std::unique_ptr<OutputFile> open(const std::string& path, std::string& why);
    ~OutputFile() override;
    // Writes what is buffered and closes the file; false (and the stream failed) when either failed.
    bool close();

private:
    class Buffer : public std::streambuf {
    public:
        explicit Buffer(int fd);
        bool flush_all();
        int fd;
        bool failed = false;

    protected:
        int_type overflow(int_type ch) override;
        std::streamsize xsputn(const char* s, std::streamsize n) override;
        int sync() override;

    private:
        std::vector<char> data_;
    };
    explicit OutputFile(int fd);
    Buffer buffer_;
};

// The exit status of a command whose result went to `out`: flushes `out` (and closes it when it is a file
// stream) and, when some write to it failed, prints "<who>: error[io]: writing <what> failed" to `err` and
// returns 2 (docs/format.md, exit codes) unless `code` is already 2, 4 (usage) or 5 (internal); otherwise
// returns `code` unchanged. Every nncert command ends through this (src/cli/main.cpp for standard output).
// An OutputFile (or std::ofstream) is closed too.
int finish_output(int code, std::ostream& out, std::string_view who, std::string_view what, std::ostream& err);

// Writes `text` to the file `path` (created or truncated), closes it and checks every step; false after one
// line "<who>: error[io]: cannot write '<path>'" to `err` when something failed (the file may then be partial).
// An existing file that is not a regular file (a FIFO, a device) is refused before it is opened
// (util::output_problem), and again by the descriptor it opened (OutputFile: a FIFO swapped in between is
// refused, never waited on), so a write never blocks; callers check their inputs with output_problem first.
bool write_output_file(const std::string& path, std::string_view text, std::string_view who, std::ostream& err);

}  // namespace nncert::util
