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
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

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

// Runs argv[0] with the arguments, waits, returns its exit status (-1 when it could not run or was killed).
int run_program(const std::vector<std::string>& argv) {
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    std::cout.flush();
    std::cerr.flush();
    const pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        execv(args[0], args.data());
        _exit(127);
    }
    int status = 0;
    if (waitpid(pid, &status, 0) < 0) return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
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
                      << runtime::memory_limit_phrase(o.max_memory_mib, "the memory limit of " +
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

    script::lift_memory_cap();  // the renderer (Python, matplotlib) is not nncert's reading or computing
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
    const int status = ok ? run_program({python, renderer, tmp, o.output}) : -1;
    std::error_code ec;
    fs::remove(tmp, ec);
    if (status != 0) {
        std::cerr << "nncert plot: error: the renderer failed (" << python << " " << renderer << ": "
                  << (status == 127 ? std::string("cannot run the interpreter; it needs Debian's python3-matplotlib")
                                    : "exit status " + std::to_string(status)) + ")\n";
        return 2;
    }
    return 0;
}

}  // namespace nncert::plot
