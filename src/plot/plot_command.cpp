// Running `nncert plot`: parse the script, export the numbers, hand them to the renderer (no shell: the
// interpreter is executed directly with the JSON file and the output path as arguments).
#include "plot/plot_command.hpp"

#include "runtime/isolate.hpp"
#include "runtime/memory.hpp"
#include "script/parser.hpp"
#include "script/load.hpp"
#include "script/script.hpp"
#include "util/files.hpp"
#include "util/sha256.hpp"
#include "util/unicode.hpp"
#include "util/output.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <thread>
#include <filesystem>
#include <fstream>
#include <iostream>

extern char** environ;

#ifndef NNCERT_SOURCE_PLOT_SCRIPT
#define NNCERT_SOURCE_PLOT_SCRIPT ""
#endif

namespace nncert::plot {

namespace {

namespace fs = std::filesystem;

std::string extension(const std::string& path) {
    std::string e = fs::path(path).extension().string();
    for (char& c : e) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return e;
}

// How the renderer ended (run_renderer).
struct RendererEnd {
    enum class Kind { exited, not_started, timeout, memory, signal } kind = Kind::not_started;
    int code = 0;  // exit status (exited) or signal number (signal)
};

// Exit status of the shipped renderer when Python runs out of memory (plot/nncert_plot.py catches MemoryError);
// the same number as a claim's child stopped by the memory cap.
constexpr int renderer_memory_exit = runtime::memory_exit_code;

// Runs argv[0] with the arguments under the command's --timeout and --max-memory (review r8-10 F8: the renderer
// ran 42 s under --timeout 10): its own wall-clock limit of `timeout_seconds` (0: none; killed with SIGKILL at the
// deadline) and an address-space limit of `max_memory_mib` (setrlimit RLIMIT_AS in the child before exec; 0:
// none). OpenBLAS (numpy's) is held to one thread in the renderer: several spin forever under an address-space
// limit (runtime/blas_pool.hpp, docs/limits.md). The environment is built before fork: the child only calls
// async-signal-safe functions.
RendererEnd run_renderer(const std::vector<std::string>& argv, unsigned timeout_seconds, std::size_t max_memory_mib) {
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    std::vector<std::string> env_text;
    for (char** e = environ; *e; ++e)
        if (!std::string_view(*e).starts_with("OPENBLAS_NUM_THREADS=")) env_text.emplace_back(*e);
    env_text.emplace_back("OPENBLAS_NUM_THREADS=1");
    std::vector<char*> env;
    for (std::string& e : env_text) env.push_back(e.data());
    env.push_back(nullptr);
    struct rlimit as {};
    const bool limit_memory = max_memory_mib != 0;
    if (limit_memory) as.rlim_cur = as.rlim_max = static_cast<rlim_t>(runtime::mebibytes(max_memory_mib));
    std::cout.flush();
    std::cerr.flush();
    const pid_t parent = getpid();
    const pid_t pid = fork();
    if (pid < 0) return {};
    if (pid == 0) {
        // The renderer's time limit is this process's clock: it ends with this process (review r8-13 F7).
        runtime::end_with_parent(parent, 127);
        if (limit_memory) {
            // Never raise a smaller limit the process already runs under (setrlimit could not anyway).
            struct rlimit now {};
            if (getrlimit(RLIMIT_AS, &now) == 0 && (now.rlim_cur == RLIM_INFINITY || now.rlim_cur > as.rlim_cur))
                setrlimit(RLIMIT_AS, &as);
        }
        // nncert ignores SIGPIPE (src/cli/main.cpp); an ignored signal stays ignored across exec.
        signal(SIGPIPE, SIG_DFL);
        execve(args[0], args.data(), env.data());
        _exit(127);
    }
    using clock = std::chrono::steady_clock;
    const auto deadline = clock::now() + std::chrono::seconds(timeout_seconds);
    int status = 0;
    bool timed_out = false;
    for (;;) {
        const pid_t r = waitpid(pid, &status, timeout_seconds ? WNOHANG : 0);
        if (r == pid) break;
        if (r < 0 && errno != EINTR) return {};
        if (r == 0) {
            if (clock::now() >= deadline) {
                kill(pid, SIGKILL);
                timed_out = true;
                while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
                }
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }
    if (timed_out) return {RendererEnd::Kind::timeout, 0};
    if (WIFEXITED(status)) {
        const int code = WEXITSTATUS(status);
        if (code == 127) return {RendererEnd::Kind::not_started, code};
        if (code == renderer_memory_exit && limit_memory) return {RendererEnd::Kind::memory, code};
        return {RendererEnd::Kind::exited, code};
    }
    const int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    // Not our kill: the kernel's OOM killer (as runtime::isolate's classify_end reads it).
    if (sig == SIGKILL && limit_memory) return {RendererEnd::Kind::memory, sig};
    return {RendererEnd::Kind::signal, sig};
}

// Whether `path` can be written, checked before any work so a bad path costs one line, not a renderer
// traceback: an existing file is opened for appending (unchanged), a new one is created and removed again.
// Opened without blocking and checked by its descriptor: a FIFO swapped in after util::output_problem looked is
// refused here, never waited on.
bool writable(const std::string& path) {
    std::error_code ec;
    const bool existed = fs::exists(path, ec);
    if (fs::is_directory(path, ec)) return false;
    const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0666);
    if (fd < 0) return false;
    struct stat st {};
    const bool ok = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    ::close(fd);
    if (ok && !existed) fs::remove(path, ec);
    return ok;
}

int usage(const Options& o, const std::string& message) {
    std::cerr << "nncert plot " << kind_name(o.request.kind) << ": " << util::escape_for_display(message)
              << "\ntry 'nncert plot " << kind_name(o.request.kind) << " --help'\n";
    return 4;
}

}  // namespace

std::string renderer_path() {
    if (const char* env = std::getenv("NNCERT_PLOT_SCRIPT"); env && *env) return env;
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const fs::path installed = exe.parent_path().parent_path() / "share" / "nncert" / "nncert_plot.py";
        if (fs::exists(installed, ec)) return installed.string();
    }
    const std::string source = NNCERT_SOURCE_PLOT_SCRIPT;
    if (!source.empty() && fs::exists(source, ec)) return source;
    return "";
}

int run_plot(const Options& o) {
    const std::string ext = extension(o.output);
    const bool data_only = ext == ".json";
    if (!data_only && ext != ".png" && ext != ".svg" && ext != ".pdf")
        return usage(o, "the output must end in .png, .svg, .pdf (a figure) or .json (the numbers), got " + util::quoted_name(o.output));
    for (const std::string* out : {&o.output, &o.data_json}) {
        if (out->empty()) continue;
        // Before writable(), which opens the file: a FIFO would block it (util::output_problem).
        if (const auto problem = util::output_problem(*out, {{o.script, "the script itself"}}))
            return usage(o, "the output " + util::quoted_name(*out) + " " + *problem);
        if (!writable(*out)) return usage(o, "cannot write " + util::quoted_name(*out));
    }
    if (!o.data_json.empty() && util::same_file(o.output, o.data_json))
        return usage(o, "-o and --data name the same file " + util::quoted_name(o.output));
    // Reading is bounded by the same --timeout and --max-memory as computing the numbers (script/load.hpp):
    // a script that takes long to read stopped only after it was read.
    const std::string base = fs::path(o.script).parent_path().empty() ? std::string(".") : fs::path(o.script).parent_path().string();
    script::LoadedScript loaded = script::load_script(o.script, base, {o.timeout_seconds, o.max_memory_mib});
    if (loaded.error) {
        std::cerr << loaded.error->format() << "\n";
        return 2;
    }
    const script::Script& s = *loaded.script;
    const std::string* const bytes = &*loaded.bytes;
    // The data file was read already, but writing the figure over it would destroy it (device and inode,
    // so a hard or symbolic link to it is caught too).
    if (s.data_file)
        for (const std::string* out : {&o.output, &o.data_json}) {
            const std::string d = script::data_file_path(*s.data_file, base);
            if (out->empty()) continue;
            if (const auto problem = util::output_problem(*out, {{d, "the data file " + util::quoted_name(d) + " that the script reads"}}))
                return usage(o, "the output " + util::quoted_name(*out) + " " + *problem);
        }
    // The numbers are computed in a child process under the same limits as `check`'s claims
    // (runtime/isolate.hpp): an exact segment with thousands of pieces cannot hang the command.
    Request r = o.request;
    if (s.precision && r.precision_bits == 128) r.precision_bits = *s.precision;
    const std::string sha = util::sha256_hex(*bytes);
    const runtime::Isolated run = runtime::run_isolated(
        [&]() -> std::string {
            // A trap's face searches stop by themselves a margin before the kill at --timeout, as `check`'s do.
            if (const auto budget = runtime::kernel_time_budget(o.timeout_seconds))
                r.deadline = std::chrono::steady_clock::now() + *budget;
            // Built piecewise: GCC 12 warns (-Wrestrict, a false positive) about "J" + std::string.
            try {
                // replace: a name that is not UTF-8 (a script path, a --title) is written with U+FFFD, not thrown
                // as an internal error (plot_data adds "script_bytes" for the script's name).
                std::string text = plot_data(s, sha, r).dump(1, ' ', false, nlohmann::json::error_handler_t::replace);
                text.insert(text.begin(), 'J');
                return text;
            } catch (const PlotError& e) {
                std::string message = e.what();
                message.insert(message.begin(), 'E');
                return message;
            }
        },
        runtime::ResourceLimits{o.timeout_seconds, o.max_memory_mib});
    switch (run.kind) {
        case runtime::Isolated::Kind::done: break;
        case runtime::Isolated::Kind::timeout:
            std::cerr << "nncert plot: stopped by the time limit of " << o.timeout_seconds
                      << " s (--timeout); nothing written (fewer --pieces or --samples, or a larger --timeout)\n";
            return 3;
        case runtime::Isolated::Kind::memory:
            std::cerr << "nncert plot: stopped by "
                      << runtime::memory_stop_phrase(run.result_over_cap, {o.timeout_seconds, o.max_memory_mib},
                                                     "the memory limit of " +
                                                                            std::to_string(o.max_memory_mib) +
                                                                            " MiB (--max-memory)")
                      << "; nothing written\n";
            return 3;
        case runtime::Isolated::Kind::failed:
        case runtime::Isolated::Kind::crashed:
            std::cerr << "nncert: internal error: " << util::escape_for_display(run.detail) << "\n";
            return 5;
    }
    if (run.payload.starts_with("E")) return usage(o, run.payload.substr(1));
    const std::string text = run.payload.substr(1);
    auto write = [&](const std::string& path) { return util::write_output_file(path, text + "\n", "nncert plot", std::cerr); };
    if (!o.data_json.empty() && !write(o.data_json)) return 2;
    if (data_only) return write(o.output) ? 0 : 2;

    // The renderer (Python, matplotlib) runs under its own limits (run_renderer), not the reading's cap.
    script::lift_memory_cap();
    const std::string renderer = o.renderer.empty() ? renderer_path() : o.renderer;
    if (renderer.empty()) {
        std::cerr << "nncert plot: error: the renderer nncert_plot.py was not found (set NNCERT_PLOT_SCRIPT, or "
                     "install nncert with cmake --install)\n";
        return 2;
    }
    std::string python = o.python;
    if (python.empty()) {
        const char* env = std::getenv("NNCERT_PYTHON");
        python = env && *env ? env : "/usr/bin/python3";
    }
    // The numbers go to a private temporary file next to nothing else; removed afterwards.
    std::string tmp = (fs::temp_directory_path() / "nncert-plot-XXXXXX").string();
    const int fd = mkstemp(tmp.data());
    if (fd < 0) {
        std::cerr << "nncert plot: error[io]: cannot create a temporary file\n";
        return 2;
    }
    close(fd);
    const bool ok = write(tmp);
    const RendererEnd end = ok ? run_renderer({python, renderer, tmp, o.output}, o.timeout_seconds, o.max_memory_mib)
                               : RendererEnd{};
    std::error_code ec;
    fs::remove(tmp, ec);
    if (!ok) return 2;
    switch (end.kind) {
        case RendererEnd::Kind::exited:
            if (end.code == 0) return 0;
            std::cerr << "nncert plot: error: the renderer failed (" << python << " " << renderer << ": exit status "
                      << end.code << ")\n";
            return 2;
        case RendererEnd::Kind::not_started:
            std::cerr << "nncert plot: error: the renderer failed (" << python << " " << renderer
                      << ": cannot run the interpreter; it needs Debian's python3-matplotlib)\n";
            return 2;
        case RendererEnd::Kind::timeout:
            std::cerr << "nncert plot: the renderer was stopped by the time limit of " << o.timeout_seconds
                      << " s (--timeout); the figure " << util::quoted_name(o.output)
                      << " may be missing or incomplete (fewer --samples, or a larger --timeout)\n";
            return 3;
        case RendererEnd::Kind::memory:
            std::cerr << "nncert plot: the renderer was stopped by "
                      << runtime::memory_limit_phrase(o.max_memory_mib, "the memory limit of " +
                                                                            std::to_string(o.max_memory_mib) +
                                                                            " MiB (--max-memory)")
                      << "; the figure " << util::quoted_name(o.output) << " may be missing or incomplete\n";
            return 3;
        case RendererEnd::Kind::signal:
            std::cerr << "nncert plot: error: the renderer failed (" << python << " " << renderer << ": signal "
                      << end.code << " (" << strsignal(end.code) << "))\n";
            return 2;
    }
    return 0;
}

}  // namespace nncert::plot
