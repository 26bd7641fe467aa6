// Checked output for every command (util/output.hpp): the stream's state after a flush says whether all the
// bytes reached the operating system; a file stream is closed too, so its last buffer is written and checked.
#include "util/output.hpp"

#include "util/files.hpp"
#include "util/unicode.hpp"

#include <algorithm>
#include <cerrno>
#include <fstream>

#include <unistd.h>

namespace nncert::util {

OutputFile::Buffer::Buffer(int fd_) : fd(fd_), data_(1 << 16) { setp(data_.data(), data_.data() + data_.size()); }

bool OutputFile::Buffer::flush_all() {
    const char* p = pbase();
    while (!failed && p < pptr()) {
        const ssize_t n = ::write(fd, p, static_cast<std::size_t>(pptr() - p));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) failed = true;
        else p += n;
    }
    setp(data_.data(), data_.data() + data_.size());
    return !failed;
}

OutputFile::Buffer::int_type OutputFile::Buffer::overflow(int_type ch) {
    if (!flush_all()) return traits_type::eof();
    if (traits_type::eq_int_type(ch, traits_type::eof())) return traits_type::not_eof(ch);
    *pptr() = traits_type::to_char_type(ch);
    pbump(1);
    return ch;
}

std::streamsize OutputFile::Buffer::xsputn(const char* s, std::streamsize n) {
    std::streamsize done = 0;
    while (done < n) {
        if (pptr() == epptr() && !flush_all()) return done;
        const std::streamsize room = std::min<std::streamsize>(epptr() - pptr(), n - done);
        std::copy(s + done, s + done + room, pptr());
        pbump(static_cast<int>(room));
        done += room;
    }
    return done;
}

int OutputFile::Buffer::sync() { return flush_all() ? 0 : -1; }

OutputFile::OutputFile(int fd) : std::ostream(nullptr), buffer_(fd) { rdbuf(&buffer_); }

std::unique_ptr<OutputFile> OutputFile::open(const std::string& path, std::string& why) {
    const int fd = open_output_file(path, why);
    if (fd < 0) return nullptr;
    return std::unique_ptr<OutputFile>(new OutputFile(fd));
}

bool OutputFile::close() {
    if (buffer_.fd < 0) return static_cast<bool>(*this);
    const bool written = buffer_.flush_all();
    const bool closed = ::close(buffer_.fd) == 0;
    buffer_.fd = -1;
    if (!written || !closed) setstate(std::ios::badbit);
    return written && closed;
}

OutputFile::~OutputFile() { close(); }

int finish_output(int code, std::ostream& out, std::string_view who, std::string_view what, std::ostream& err) {
    out.flush();
    if (auto* file = dynamic_cast<std::ofstream*>(&out); file && file->is_open()) file->close();
    if (auto* file = dynamic_cast<OutputFile*>(&out)) file->close();
    if (out) return code;
    err << who << ": error[io]: writing " << escape_for_display(what) << " failed\n";
    return code == 4 || code == 5 ? code : 2;
}

bool write_output_file(const std::string& path, std::string_view text, std::string_view who, std::ostream& err) {
    // Opening a FIFO blocks until a reader comes: a non-regular file is refused before it is opened, and the
    // descriptor opened is checked again (a FIFO swapped in after the first look is refused, not waited on).
    std::string why;
    std::unique_ptr<OutputFile> file;
    if (const auto problem = output_problem(path, {})) why = *problem;
    else file = OutputFile::open(path, why);
    if (!file) {
        err << who << ": error[io]: cannot write " << escape_for_display(quoted_name(path)) << ": it "
            << escape_for_display(why) << "\n";
        return false;
    }
    file->write(text.data(), static_cast<std::streamsize>(text.size()));
    if (file->close() && *file) return true;
    err << who << ": error[io]: cannot write " << escape_for_display(quoted_name(path)) << "\n";
    return false;
}

}  // namespace nncert::util
