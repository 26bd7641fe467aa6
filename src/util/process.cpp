// posix_spawn with file actions for /dev/null and a pipe; the child runs exactly argv, no shell involved.
// The pipe is drained before waiting, so a child writing much output cannot deadlock against us.
#include "util/process.hpp"
#include "util/unicode.hpp"

#include <cerrno>
#include <system_error>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace nncert::util {

namespace {

[[noreturn]] void raise(int err, const std::string& what) { throw std::system_error(err, std::generic_category(), what); }

// Frees the file actions on every path out.
struct Actions {
    posix_spawn_file_actions_t a;
    Actions() {
        if (int e = posix_spawn_file_actions_init(&a)) raise(e, "posix_spawn_file_actions_init");
    }
    ~Actions() { posix_spawn_file_actions_destroy(&a); }
};

}  // namespace

ProgramResult run_program(const std::vector<std::string>& argv, Stream out, Stream err) {
    if (argv.empty()) raise(EINVAL, "run_program: no program");
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);

    int pipe_fd[2] = {-1, -1};
    if (out == Stream::capture && ::pipe2(pipe_fd, O_CLOEXEC) != 0) raise(errno, "pipe");
    auto close_pipe = [&] {
        for (int& fd : pipe_fd)
            if (fd >= 0) ::close(fd), fd = -1;
    };
    Actions actions;
    posix_spawn_file_actions_addopen(&actions.a, 0, "/dev/null", O_RDONLY, 0);
    if (out == Stream::discard) posix_spawn_file_actions_addopen(&actions.a, 1, "/dev/null", O_WRONLY, 0);
    if (out == Stream::capture) posix_spawn_file_actions_adddup2(&actions.a, pipe_fd[1], 1);
    if (err == Stream::discard) posix_spawn_file_actions_addopen(&actions.a, 2, "/dev/null", O_WRONLY, 0);
    if (err == Stream::capture) raise(EINVAL, "run_program: stderr can be discarded or inherited");

    // nncert ignores SIGPIPE (src/cli/main.cpp) and an ignored signal stays ignored across exec: the program
    // started gets the default disposition, as from a shell.
    posix_spawnattr_t attr;
    if (int e = posix_spawnattr_init(&attr)) raise(e, "posix_spawnattr_init");
    sigset_t defaults;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);
    pid_t pid = 0;
    const int spawned = posix_spawn(&pid, args[0], &actions.a, &attr, args.data(), environ);
    posix_spawnattr_destroy(&attr);
    if (int e = spawned) {
        close_pipe();
        raise(e, "cannot start " + quoted_name(argv[0]));
    }
    ProgramResult r;
    if (out == Stream::capture) {
        ::close(pipe_fd[1]);
        pipe_fd[1] = -1;
        char buf[1 << 16];
        for (;;) {
            const ssize_t n = ::read(pipe_fd[0], buf, sizeof buf);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            r.out.append(buf, static_cast<std::size_t>(n));
        }
        close_pipe();
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) raise(errno, "waitpid");
    r.exited = WIFEXITED(status);
    if (r.exited) r.exit_code = WEXITSTATUS(status);
    else if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
    return r;
}

}  // namespace nncert::util
