// Reading input files with POSIX calls (regular files only, bounded size, errno reported) and the
// recursive *.nnc search of `nncert check DIR`, with its loop guard.
// Sorting matters: a report must not depend on the order the file system lists entries in.
#include "util/files.hpp"
#include "util/confusable.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>
#include <utility>

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/statfs.h>
#include <sys/stat.h>
#include <unistd.h>

namespace nncert::util {

namespace {

namespace fs = std::filesystem;

std::string kind_of(mode_t mode) {
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISFIFO(mode)) return "a FIFO";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISSOCK(mode)) return "a socket";
    return "not a regular file";
}

std::string not_regular(mode_t mode) {
    return S_ISDIR(mode) ? std::string("is a directory")
                         : "not a regular file (" + kind_of(mode) + "): nncert reads regular files only";
}

std::string open_error(int err) {
    switch (err) {
        case ENOENT: return "no such file or directory";
        case EACCES: return "cannot open file: permission denied";
        case ELOOP: return "too many levels of symbolic links";
        default: return std::string("cannot open file: ") + std::strerror(err);
    }
}

std::string too_large(std::uint64_t max_bytes) {
    return "file larger than " + std::to_string(max_bytes) + " bytes (the documented limit, docs/limits.md)";
}

// Closes the descriptor on every path out of read_file.
struct Fd {
    int fd;
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
};

}  // namespace

std::optional<std::string> read_file(const std::string& path, FileError& error, std::uint64_t max_bytes) {
    auto fail = [&](std::string code, std::string message) -> std::optional<std::string> {
        error = {std::move(code), std::move(message)};
        return std::nullopt;
    };
    // stat first, so a FIFO or a device is never even opened; fstat after opening, for the file we got.
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return fail("io", open_error(errno));
    if (!S_ISREG(st.st_mode)) return fail("io", not_regular(st.st_mode));
    Fd f{::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)};
    if (f.fd < 0) return fail("io", open_error(errno));
    if (::fstat(f.fd, &st) != 0) return fail("io", std::string("cannot stat file: ") + std::strerror(errno));
    if (!S_ISREG(st.st_mode)) return fail("io", not_regular(st.st_mode));
    if (static_cast<std::uint64_t>(st.st_size) > max_bytes) return fail("file-too-large", too_large(max_bytes));

    std::string bytes;
    bytes.reserve(static_cast<std::size_t>(st.st_size));
    char buf[1 << 16];
    for (;;) {
        const ssize_t n = ::read(f.fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) continue;
            return fail("io", std::string("read error: ") + std::strerror(errno));
        }
        if (n == 0) break;
        if (bytes.size() + static_cast<std::size_t>(n) > max_bytes) return fail("file-too-large", too_large(max_bytes));
        bytes.append(buf, static_cast<std::size_t>(n));
    }
    return bytes;
}

bool check_regular_file(const std::string& path, FileError& error) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) error = {"io", open_error(errno)};
    else if (!S_ISREG(st.st_mode)) error = {"io", not_regular(st.st_mode)};
    else return true;
    return false;
}

std::optional<std::string> read_file(const std::string& path, std::string& error, std::uint64_t max_bytes) {
    FileError e;
    auto bytes = read_file(path, e, max_bytes);
    if (!bytes) error = e.message;
    return bytes;
}

namespace {

// The kind of pseudo filesystem `dir` is on (proc, sysfs, ...), or nullptr for a real one (or unknown).
const char* pseudo_filesystem(const fs::path& dir) {
    struct statfs f {};
    if (::statfs(dir.c_str(), &f) != 0) return nullptr;
    switch (static_cast<unsigned long>(f.f_type)) {
        case PROC_SUPER_MAGIC: return "proc";
        case SYSFS_MAGIC: return "sysfs";
        case DEBUGFS_MAGIC: return "debugfs";
        case TRACEFS_MAGIC: return "tracefs";
        case CGROUP_SUPER_MAGIC: return "cgroup";
        case CGROUP2_SUPER_MAGIC: return "cgroup2";
        case SECURITYFS_MAGIC: return "securityfs";
        case DEVPTS_SUPER_MAGIC: return "devpts";
        case BPF_FS_MAGIC: return "bpf";
        case PSTOREFS_MAGIC: return "pstore";
        default: return nullptr;
    }
}

struct Walker {
    std::vector<FoundScript> found;
    std::set<std::pair<dev_t, ino_t>> walked;      // every folder walked so far
    std::vector<std::pair<dev_t, ino_t>> stack;    // the folders being walked (for loops)

    void error(const fs::path& p, std::string message) { found.push_back({p.string(), std::move(message)}); }

    void walk(const fs::path& dir, const struct stat& st) {
        // /proc, /sys and their kind list kernel objects, not files: through /proc/PID/cwd and root links a
        // walk reached every other process's files and ran without end. Such a folder is an error entry.
        if (const char* kind = pseudo_filesystem(dir)) {
            error(dir, std::string("a folder on a ") + kind +
                           " pseudo filesystem is not walked (its entries are kernel objects, and links there reach "
                           "other processes' files); name the scripts' own folder");
            return;
        }
        const std::pair<dev_t, ino_t> id{st.st_dev, st.st_ino};
        if (std::find(stack.begin(), stack.end(), id) != stack.end()) {
            error(dir, "symbolic link loop: this folder contains itself; nothing under it was checked");
            return;
        }
        if (!walked.insert(id).second) return;  // reached before through another link: walked once
        std::error_code ec;
        std::vector<fs::path> names;
        for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
            names.push_back(it->path());
        if (ec) {
            error(dir, "cannot list folder: " + ec.message());
            return;
        }
        std::sort(names.begin(), names.end());
        stack.push_back(id);
        for (const fs::path& p : names) entry(p);
        stack.pop_back();
    }

    void entry(const fs::path& p) {
        struct stat lst {}, st {};
        if (::lstat(p.c_str(), &lst) != 0) {
            error(p, open_error(errno));
            return;
        }
        const bool link = S_ISLNK(lst.st_mode);
        if (::stat(p.c_str(), &st) != 0) {
            const int err = errno;
            if (link && err == ELOOP) error(p, "symbolic link loop (too many levels of symbolic links)");
            else if (link && err == ENOENT) error(p, "dangling symbolic link: its target does not exist");
            else error(p, open_error(err));
            return;
        }
        if (S_ISDIR(st.st_mode)) {
            walk(p, st);
        } else if (is_script_name(p.string())) {
            if (S_ISREG(st.st_mode)) found.push_back({p.string(), std::nullopt});
            else error(p, not_regular(st.st_mode));
        } else if (looks_like_script_name(p.filename().string())) {
            // Issue 8: every entry that looks like a script and is not checked is an error (review r8-12 F4:
            // "t.nnс" with a Cyrillic es, "t.nnc " and "t.nnc" + U+200B were skipped, and the run passed).
            error(p, "looks like a script but is not named *.nnc (its name shows as one ending in .nnc: a trailing "
                     "blank or invisible character, a look-alike letter, or a file named just .nnc); it was not "
                     "checked: rename it to end in .nnc, or to a name that does not look like a script's");
        }
    }
};

}  // namespace

bool is_script_name(const std::string& path) {
    const std::string ext = fs::path(path).extension().string();
    return ext.size() == 4 && ext[0] == '.' && (ext[1] | 0x20) == 'n' && (ext[2] | 0x20) == 'n' && (ext[3] | 0x20) == 'c';
}

std::vector<FoundScript> find_scripts(const std::string& dir) {
    Walker w;
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0) w.error(dir, open_error(errno));
    else if (!S_ISDIR(st.st_mode)) w.error(dir, "not a folder");
    else w.walk(dir, st);
    std::stable_sort(w.found.begin(), w.found.end(),
                     [](const FoundScript& a, const FoundScript& b) { return a.path < b.path; });
    return w.found;
}

namespace {

// The path made absolute, with symbolic links followed even when the last one dangles (an output file not
// written yet is reached through a link to it), then made weakly canonical. Absolute first: weakly_canonical
// leaves a relative path relative when none of it exists ("report.txt" stayed "report.txt" while the link
// "./d.csv" -> "report.txt" became "/cwd/report.txt", so a dangling link to the report was not caught).
std::filesystem::path resolved(std::filesystem::path p) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (const fs::path a = fs::absolute(p, ec); !ec) p = a;
    for (int hops = 0; hops < 40 && fs::is_symlink(p, ec); ++hops) {
        const fs::path target = fs::read_symlink(p, ec);
        if (ec) break;
        p = target.is_absolute() ? target : p.parent_path() / target;
    }
    const fs::path c = fs::weakly_canonical(p, ec);
    return ec ? p.lexically_normal() : c;
}

}  // namespace

bool same_file(const std::string& a, const std::string& b) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (fs::equivalent(a, b, ec) && !ec) return true;
    return resolved(a) == resolved(b);
}

std::optional<std::string> output_problem(const std::string& out, const std::vector<NamedInput>& inputs) {
    // stat, not open: opening a FIFO for writing blocks until a reader comes.
    struct stat st {};
    if (::stat(out.c_str(), &st) == 0 && !S_ISREG(st.st_mode))
        return S_ISDIR(st.st_mode) ? std::string("is a directory")
                                   : "is " + kind_of(st.st_mode) +
                                         ", not a regular file: nncert writes regular files only (a FIFO would "
                                         "block the run until something reads it); to write to standard output, "
                                         "leave the option out";
    for (const NamedInput& in : inputs)
        if (!in.path.empty() && same_file(out, in.path)) return "is " + in.role;
    return std::nullopt;
}

int open_output_file(const std::string& out, std::string& why) {
    const int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0666);
    if (fd < 0) {
        // ENXIO: a FIFO without a reader (O_NONBLOCK); EISDIR: a directory.
        const int e = errno;
        why = e == ENXIO ? "is a FIFO (or a device without its hardware), not a regular file: nncert writes regular "
                           "files only"
              : e == EISDIR ? "is a directory"
                            : std::string("cannot be opened for writing: ") + std::strerror(e);
        return -1;
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        why = ::fstat(fd, &st) != 0 ? std::string("cannot be examined (fstat failed)")
              : S_ISDIR(st.st_mode)  ? std::string("is a directory")
                                     : "is " + kind_of(st.st_mode) + ", not a regular file: nncert writes regular files only";
        ::close(fd);
        return -1;
    }
    const int flags = ::fcntl(fd, F_GETFL);
    if (::ftruncate(fd, 0) != 0 || flags < 0 || ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0) {
        why = std::string("cannot be truncated: ") + std::strerror(errno);
        ::close(fd);
        return -1;
    }
    return fd;
}

bool lies_under(const std::string& path, const std::string& dir) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return false;
    const fs::path d = fs::canonical(dir, ec);
    if (ec) return false;
    const fs::path p = fs::weakly_canonical(fs::absolute(path, ec), ec);  // absolute: see resolved()
    if (ec) return false;
    auto di = d.begin();
    auto pi = p.begin();
    for (; di != d.end(); ++di, ++pi)
        if (pi == p.end() || *pi != *di) return false;
    return pi != p.end();
}

}  // namespace nncert::util
