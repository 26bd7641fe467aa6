// `check`: collect scripts, hash and parse each, ask the kernel about each claim, and stream the report:
// each script's results are written as soon as it is checked. The script is parsed from the very bytes
// that were hashed, so the digest names exactly what was checked.
#include "cli/commands.hpp"

#include "tools/advice.hpp"

#include "kernel/kernel.hpp"
#include "runtime/isolate.hpp"
#include "runtime/memory.hpp"
#include "report/render_junit.hpp"
#include "report/render_text.hpp"
#include "report/report.hpp"
#include "report/stream.hpp"
#include "script/load.hpp"
#include "script/script.hpp"
#include "util/files.hpp"
#include "util/paths.hpp"
#include "util/output.hpp"
#include "util/sha256.hpp"
#include "util/unicode.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <chrono>
#include <fstream>
#include <iostream>
#include <new>
#include <memory>
#include <optional>
#include <unistd.h>

#ifndef NNCERT_VERSION
#define NNCERT_VERSION "unknown"
#endif

namespace nncert::cli {

namespace {

namespace fs = std::filesystem;
using report::ErrorInfo;
using report::Json;

ErrorInfo io_error(std::string message) {
    ErrorInfo e;
    e.code = report::io_error_code;
    e.message = std::move(message);
    return e;
}

// A path named on the command line, or one found under a folder; `error` set when it cannot be used.
struct Target {
    std::string path;
    std::optional<ErrorInfo> error;
};

std::vector<Target> collect(const std::vector<std::string>& given) {
    std::vector<Target> out;
    for (const auto& typed : given) {
        // `via/../sub/x.nnc` with via -> real/sub opens real/sub/x.nnc: named so (util::shown_path), not as
        // typed, which a reader takes for ./sub/x.nnc, as data files are named. Paths without `..` as typed.
        const std::string p = util::shown_path(typed);
        std::error_code ec;
        if (!fs::is_directory(p, ec)) {  // files, and whatever is not there: read_file says what is wrong
            out.push_back({p, std::nullopt});
            continue;
        }
        std::vector<util::FoundScript> found = util::find_scripts(p);
        if (found.empty())  // an empty folder must not look like a clean pass
            out.push_back({p, io_error("no .nnc scripts in folder")});
        for (auto& f : found)
            out.push_back({std::move(f.path), f.error ? std::optional<ErrorInfo>(io_error(*f.error)) : std::nullopt});
    }
    return out;
}

// The error entry; it names the file the error is in when that is not the script itself (a data file).
Json parse_error_json(const std::string& file, const std::string& sha, const script::ParseError& e) {
    return report::error_script_json(file, sha, ErrorInfo{e.code, e.loc.line, e.loc.col, e.message, e.loc.file});
}

std::string base_dir_of(const std::string& path) {
    fs::path parent = fs::path(path).parent_path();
    return parent.empty() ? std::string(".") : parent.string();
}

long long microseconds(std::chrono::steady_clock::duration d) {
    return std::chrono::duration_cast<std::chrono::microseconds>(d).count();
}

// The options one script is checked with: the script's `precision` unless the command line overrides it.
kernel::Options options_for(const script::Script& s, kernel::Options options, const Args& args) {
    if (args.precision) options.precision_bits = *args.precision;
    else if (s.precision) options.precision_bits = *s.precision;
    if (args.max_boxes) options.max_boxes = *args.max_boxes;
    else if (s.max_boxes) options.max_boxes = *s.max_boxes;
    return options;
}

Json check_one(const std::string& file, const kernel::Options& defaults, const Args& args) {
    // Reading is bounded by --timeout and --max-memory too (script/load.hpp): error `limit` for this script,
    // and the other scripts go on.
    script::LoadedScript loaded =
        script::load_script(file, base_dir_of(file), {args.timeout_seconds, args.max_memory_mib});
    if (!loaded.bytes) return report::error_script_json(file, std::nullopt, ErrorInfo{loaded.error->code, 0, 0, loaded.error->message, ""});
    const std::string sha = util::sha256_hex(*loaded.bytes);
    if (loaded.error) return parse_error_json(file, sha, *loaded.error);
    const script::Script& s = *loaded.script;
    kernel::Options options = options_for(s, defaults, args);

    Json::Array claims;
    std::optional<Json> internal_error;
    const bool interactive = isatty(STDERR_FILENO);
    // Each claim is checked in a child process under the time and memory limits (runtime/isolate.hpp): a
    // claim that runs out of either is inconclusive, naming the limit, and the others are still checked. One
    // child checks claim after claim while they finish (a fork per claim made many-claim scripts quadratic).
    runtime::ResourceLimits limits{args.timeout_seconds, args.max_memory_mib};
    // All claims of the script together: the claim running when it runs out is stopped, the later ones are not run
    // (review r8-12 F9: 2,000 claims of 30 s each stayed within --timeout for 17 hours).
    limits.run_timeout_seconds = args.script_timeout_seconds;
    auto job_start = std::chrono::steady_clock::now();  // the parent's view of when the current claim began
    runtime::run_isolated_each(
        s.claims.size(),
        [&](std::size_t i) {
            const script::ClaimEntry& entry = s.claims[i];
            kernel::Options claim_options = options;
            // Half of what the claim's child may still map, for its worker threads (the computation keeps the rest).
            claim_options.worker_memory_bytes = runtime::address_space_headroom() / 2;
            // Long computations (large Hessians, eliminations) report their stage on an interactive terminal,
            // at most five times a second; pipes and logs stay clean.
            if (interactive) {
                claim_options.progress = [where = util::escape_for_display(file) + ":" + std::to_string(entry.loc.line),
                                          last = std::chrono::steady_clock::time_point{}](
                                             std::string_view stage, std::size_t done, std::size_t total) mutable {
                    const auto now = std::chrono::steady_clock::now();
                    if (now - last < std::chrono::milliseconds(200) && done < total) return;
                    last = now;
                    std::cerr << "\r\033[K" << where << ": " << stage << " " << done << "/" << total << std::flush;
                };
            }
            const auto start = std::chrono::steady_clock::now();
            // Branch and bound stops by itself a margin before the kill at --timeout, with its best bound.
            if (const auto budget = runtime::kernel_time_budget(limits.timeout_seconds)) claim_options.deadline = start + *budget;
            kernel::Verdict v = kernel::check(s.problem, s.points, entry.claim, claim_options);
            const auto elapsed = std::chrono::steady_clock::now() - start;
            if (interactive) std::cerr << "\r\033[K" << std::flush;
            Json c = report::claim_json(entry.text, entry.loc.line, v);
            if (!entry.written.empty() && entry.written != entry.text) c.set("as_written", entry.written);
            if (std::string next = tools::next_step(s, entry, v, file); !next.empty()) c.set("next", std::move(next));
            c.set("time_us", microseconds(elapsed));
            return c.dump(report::Layout::compact);
        },
        limits,
        [&](std::size_t i, runtime::Isolated run) {
            const script::ClaimEntry& entry = s.claims[i];
            const auto now = std::chrono::steady_clock::now();
            const auto began = job_start;
            job_start = now;
            if (interactive && run.kind != runtime::Isolated::Kind::done) std::cerr << "\r\033[K" << std::flush;
            // The parent holds each result under --max-memory too: a result it cannot parse there is that claim's
            // memory limit, not an internal error of the run (review r8-10 F5).
            if (run.kind == runtime::Isolated::Kind::done) {
                try {
                    Json c = Json::parse(run.payload);
                    claims.push_back(std::move(c));
                    return true;
                } catch (const std::bad_alloc&) {
                    std::string().swap(run.payload);
                    run.kind = runtime::Isolated::Kind::memory;
                    run.result_too_big = true;
                }
            }
            std::optional<Json> stopped;
            if (const auto why = runtime::claim_stop_reason(run, limits))
                stopped = report::stopped_claim_json(entry.text, entry.loc.line, why->limit, why->reason);
            if (stopped) {
                if (!entry.written.empty() && entry.written != entry.text) stopped->set("as_written", entry.written);
                stopped->set("time_us", microseconds(now - began));
                claims.push_back(std::move(*stopped));
                return true;
            }
            // The kernel throws only on front-end bugs (shapes it was promised), and a crash is a bug too: that
            // is ours, not the user's. The other scripts are still checked and reported.
            const std::string what =
                run.kind == runtime::Isolated::Kind::failed ? run.detail : "the check ended with " + run.detail;
            std::cerr << "nncert: internal error: " << util::escape_for_display(file) << ":" << entry.loc.line << ": "
                      << util::escape_for_display(what) << "\n";
            ErrorInfo info;
            info.code = report::internal_error_code;
            info.line = entry.loc.line;
            info.column = entry.loc.col;
            info.message = "internal error while checking claim: " + what;
            internal_error = report::error_script_json(file, sha, info);
            return false;
        });
    if (internal_error) return std::move(*internal_error);
    std::vector<report::FileDigest> data;
    for (const script::InputFile& d : s.data_files) data.push_back({d.file, d.sha256, d.header});
    Json entry = report::script_json(file, sha, std::move(claims), data);
    entry.set("precision_bits", static_cast<long long>(options.precision_bits));
    entry.set("max_boxes", options.max_boxes);
    return entry;
}

// Progress goes to stderr only for an interactive terminal and several scripts, so pipes and logs stay clean.
class Progress {
public:
    explicit Progress(std::size_t total) : total_(total), on_(total > 1 && isatty(STDERR_FILENO)) {}
    void step(std::size_t i, const std::string& file) {
        if (on_) std::cerr << "\r\033[K[" << i + 1 << "/" << total_ << "] " << util::escape_for_display(file) << std::flush;
    }
    // Before results are written to the same terminal.
    void clear() {
        if (on_) std::cerr << "\r\033[K" << std::flush;
    }
    ~Progress() {
        if (on_) std::cerr << "\r\033[K" << std::flush;
    }

private:
    std::size_t total_;
    bool on_;
};

// Refuses (UsageError, exit 4) an output (-o, --junit) that is one of the run's inputs, or that exists and is not
// a regular file (a FIFO would block the run forever), before it is opened and truncated: every script named or
// found by the walk, and every data file those scripts name (script::data_files_named: parsed, no CSV read).
// util::output_problem compares by device and inode when both exist (a hard link, a symbolic link, a script
// reached through a linked folder), else by resolved path (an output not yet written that a script names as its
// data file, directly or through a dangling symbolic link). A script that cannot be read or parsed here names no
// data file: the run reports its error and reads nothing for it.
void guard_outputs(const Args& args, const std::vector<Target>& targets) {
    std::vector<util::NamedInput> inputs;
    for (const std::string& in : args.paths) inputs.push_back({in, "one of the scripts to check"});
    for (const Target& t : targets) {
        if (t.error) continue;
        inputs.push_back({t.path, "one of the scripts to check (the same file as " + util::quoted_name(t.path) + ")"});
        std::vector<std::string> data;
        try {
            util::FileError read_error;
            const auto bytes = util::read_file(t.path, read_error);
            if (!bytes) continue;
            const script::ReadingDeadline reading(args.timeout_seconds);
            data = script::data_files_named(*bytes, t.path, base_dir_of(t.path));
        } catch (const std::exception&) {
            continue;  // a parse error, the memory or time limit: reported when the script is checked
        }
        for (const std::string& d : data) inputs.push_back({d, "the data file " + util::quoted_name(d) + " that the script " + util::quoted_name(t.path) + " reads"});
    }
    for (const auto& [out, option] : {std::pair{&args.output, "-o"}, std::pair{&args.junit, "--junit"}}) {
        if (out->empty()) continue;
        if (const auto problem = util::output_problem(*out, inputs))
            throw UsageError(std::string(option) + " " + util::quoted_name(*out) + " " + *problem, "check");
        // A new .nnc file under a searched folder would be found by a later run's walk as a script.
        for (const std::string& in : args.paths)
            if (util::is_script_name(*out) && util::lies_under(*out, in))
                throw UsageError(std::string(option) + " " + util::quoted_name(*out) + " is a .nnc file under the folder " + util::quoted_name(in) +
                                     "', which is searched for scripts",
                                 "check");
    }
}

// A file named on the command line for output, opened before any work so a bad path fails at once; without
// blocking, and refused unless the descriptor is a regular file (util::OutputFile: a FIFO swapped in after
// guard_outputs looked is refused, never waited on).
std::unique_ptr<util::OutputFile> open_output(const std::string& path, const char* option) {
    if (path.empty()) return nullptr;
    std::string why;
    auto f = util::OutputFile::open(path, why);
    if (!f) throw UsageError(std::string(option) + ": cannot write " + util::quoted_name(path) + ": it " + why, "check");
    return f;
}

}  // namespace

int run_check(const Args& args) {
    // Reading scripts is capped by the same memory limit as each claim (a failed allocation ends that
    // script with error `limit`); each claim's child process sets its own limits (runtime/isolate.hpp).
    script::cap_memory(args.max_memory_mib);
    kernel::Options options;
    if (args.max_patterns) options.max_patterns = args.max_patterns;
    options.engine = args.engine;
    options.threads = args.threads;

    // The walk comes first: opening an output truncates it, so every input must be known before that.
    std::vector<Target> targets = collect(args.paths);
    if (args.list) {
        // What a check of these paths would check, and nothing else: a build tool (nncert_add_proofs, at configure
        // time) learns of every entry the walk refuses (a look-alike name, a dangling link, a FIFO) from nncert's own
        // walk, so its list of tests cannot pass over a script that `nncert check DIR` would report.
        int status = report::to_int(report::ExitCode::certified);
        for (const Target& t : targets) {
            if (t.error) {
                std::cerr << report::render_error_line(report::error_script_json(t.path, std::nullopt, *t.error)) << "\n";
                status = report::to_int(report::ExitCode::malformed);
            } else {
                std::cout << util::escape_for_display(t.path) << "\n";
            }
        }
        return status;
    }
    std::unique_ptr<util::OutputFile> output, junit;
    try {
        if (!args.output.empty() && !args.junit.empty() && util::same_file(args.output, args.junit))
            throw UsageError("-o and --junit name the same file (" + util::quoted_name(args.output) + ", " + util::quoted_name(args.junit) + ")", "check");
        if (!args.output.empty() || !args.junit.empty()) guard_outputs(args, targets);
        output = open_output(args.output, "-o");
        junit = open_output(args.junit, "--junit");
    } catch (const UsageError& e) {
        std::cerr << "nncert check: " << util::escape_for_display(e.what()) << "\ntry 'nncert check --help'\n";
        return report::to_int(report::ExitCode::usage);
    }

    Json opts;
    opts.set("max_patterns", options.max_patterns);
    opts.set("engine", args.engine == kernel::Engine::automatic ? "auto"
                       : args.engine == kernel::Engine::ball    ? "ball"
                                                                : "mpfi");
    opts.set("threads", static_cast<long long>(args.threads));
    opts.set("timeout_seconds", args.timeout_seconds);
    opts.set("script_timeout_seconds", args.script_timeout_seconds);
    opts.set("max_memory_mib", args.max_memory_mib);
    // The command line's --precision, or the default that scripts without `precision` use.
    opts.set("precision_bits", static_cast<long long>(args.precision ? *args.precision : options.precision_bits));
    opts.set("max_boxes", args.max_boxes ? *args.max_boxes : options.max_boxes);

    // The stream keeps of each script only what the summary prints and, with --junit, the script's JUnit part (a
    // failure's witness and evidence cut at report::junit_evidence_bytes each): the parent's memory does not grow
    // with the evidence of the scripts checked (docs/limits.md).
    const auto keep = args.junit.empty() ? report::StreamOptions::Keep::summary : report::StreamOptions::Keep::junit;
    report::ReportStream stream(output ? static_cast<std::ostream&>(*output) : std::cout, {args.report, args.quiet, keep},
                                NNCERT_VERSION, build_commit_id(), std::move(opts));
    {
        Progress progress(targets.size());
        std::ostream& result = output ? static_cast<std::ostream&>(*output) : std::cout;
        // Once a write of the result failed (a closed pipe: `nncert check proofs | head -1`, a full disk) the
        // run ends as error[io], exit 2 (util::finish_output): checking the other scripts would be work no one
        // reads. Claim children are reaped before the result of a script is written, so none outlives this.
        std::size_t i = 0;
        for (; i < targets.size() && result.good(); ++i) {
            progress.step(i, targets[i].path);
            const auto start = std::chrono::steady_clock::now();
            // A script whose results (exact evidence can be megabytes) this process cannot hold or render under
            // --max-memory ends as error `limit`; the run goes on and prints its summary (review r8-10 F5: it
            // ended with "internal error: std::bad_alloc", exit 5, and the later scripts were never checked).
            const auto too_big = [&] {
                return report::error_script_json(
                    targets[i].path, std::nullopt,
                    ErrorInfo{"limit", 0, 0,
                              "the results of this script are too big to hold or report under " +
                                  runtime::memory_limit_phrase(args.max_memory_mib,
                                                               "the memory limit of " +
                                                                   std::to_string(args.max_memory_mib) +
                                                                   " MiB (--max-memory)"),
                              ""});
            };
            try {
                Json entry = targets[i].error
                                 ? report::error_script_json(targets[i].path, std::nullopt, *targets[i].error)
                                 : check_one(targets[i].path, options, args);
                entry.set("time_us", microseconds(std::chrono::steady_clock::now() - start));
                progress.clear();
                stream.add(std::move(entry));  // writes nothing when it throws
            } catch (const std::bad_alloc&) {
                progress.clear();
                Json entry = too_big();
                entry.set("time_us", microseconds(std::chrono::steady_clock::now() - start));
                stream.add(std::move(entry));
            }
        }
        // The scripts left unchecked are errors of the run, so that the --junit file (and the JSON's counts) never
        // pass for a clean run of fewer scripts (review r8-13 F6: `check --junit r.xml proofs | head -1` left a
        // green JUnit file of 2 tests while 299 scripts, a refuted one among them, were never checked).
        for (; i < targets.size(); ++i)
            stream.add(report::error_script_json(
                targets[i].path, std::nullopt,
                ErrorInfo{"io", 0, 0, "not checked: writing the report failed (a closed pipe, a full disk) before this script", ""}));
    }
    Json doc = stream.finish();
    report::ExitCode code = report::exit_code_of_document(doc);
    // A report that could not be written must not pass for a clean run (standard output is checked by main).
    int status = report::to_int(code);
    if (junit) {
        *junit << stream.junit();
        status = util::finish_output(status, *junit, "nncert check", util::quoted_name(args.junit), std::cerr);
    }
    if (output) status = util::finish_output(status, *output, "nncert check", util::quoted_name(args.output), std::cerr);
    return status;
}

int run_print(const Args& args) {
    // Reading, and printing, are bounded by --timeout and --max-memory (script/load.hpp): a short expression
    // for a huge number prints as its whole value (a 5.7 MB script took a minute and 3.5 GB).
    const std::string& file = args.paths.front();
    const auto start = std::chrono::steady_clock::now();
    script::LoadedScript loaded = script::load_script(file, base_dir_of(file), {args.timeout_seconds, args.max_memory_mib});
    const auto fail = [&](const script::ParseError& e) {
        const std::string& name = loaded.name;  // as the system resolves it, as check names it
        const Json j = loaded.bytes ? parse_error_json(name, util::sha256_hex(*loaded.bytes), e)
                                    : report::error_script_json(name, std::nullopt, ErrorInfo{e.code, 0, 0, e.message, ""});
        std::cerr << report::render_error_line(j) << "\n";
        return report::to_int(report::ExitCode::malformed);
    };
    if (loaded.error) return fail(*loaded.error);
    std::string text;
    try {
        const script::ReadingDeadline printing(args.timeout_seconds, start, "reading and printing the script");
        text = script::print_canonical(*loaded.script);
    } catch (const script::ParseError& e) {
        return fail(e);
    } catch (const std::bad_alloc&) {
        return fail(script::ParseError("limit", {file, 0, 0},
                                       "printing the script needs more than " +
                                           runtime::memory_limit_phrase(args.max_memory_mib,
                                                                        "the memory limit of " +
                                                                            std::to_string(args.max_memory_mib) +
                                                                            " MiB (--max-memory)")));
    }
    std::cout << text << std::flush;
    return report::to_int(report::ExitCode::certified);
}

}  // namespace nncert::cli
