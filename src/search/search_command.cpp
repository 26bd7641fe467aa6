// Command line of `nncert search`: options, the work list (n x family x dataset), two or more worker threads,
// progress on stderr, a summary on `out`, and proof-script candidates in --out. Untrusted: hints only.
#include "search/search.hpp"

#include "report/json.hpp"
#include "runtime/isolate.hpp"
#include "util/files.hpp"
#include "util/process.hpp"
#include "util/unicode.hpp"
#include "util/output.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <thread>

namespace nncert::search {

namespace {

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};
struct InputError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct Options {
    Arch arch;
    std::vector<int> points;
    std::vector<std::string> families = {"grid", "cloud", "clusters", "conflict", "xor", "ring"};
    int datasets = 50, inits = 100, steps = 200, threads = 0, max_scripts = 20;
    unsigned timeout_seconds = 0;  // --timeout: wall clock for the whole search; 0 (the default): none
    std::uint64_t seed = 1;
    double max_ratio = 0.5;
    std::string radius = "1e-10", out_dir, data_file, check_binary;
    Tolerances tol;
    // --traps: plateau runs paired like strict minima, scripts with a proposed trap region (trap-*.nnc).
    bool traps = false;
    TrapProposeOptions propose;
    // --check-boxes / --check-timeout: `nncert check --max-boxes N --timeout S` for every script checked
    // (trap mode's defaults: 20000 boxes, 30 s per claim; otherwise check's own defaults).
    std::optional<long> check_boxes;
    std::optional<unsigned> check_timeout;
};

// Limits (docs/limits.md): the search allocates one work unit per (points, family, dataset) and keeps every
// run of a dataset, so their counts are bounded before anything is allocated.
constexpr long max_units = 1'000'000;    // points x families x datasets
constexpr long max_inits = 100'000;      // --inits: runs kept per dataset
constexpr long max_data_rows = 100'000;  // rows of --data FILE.csv

long parse_count(const std::string& opt, const std::string& v, long lo, long hi) {
    std::size_t used = 0;
    long x = 0;
    try {
        x = std::stol(v, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != v.size() || v.empty() || x < lo || x > hi)
        throw UsageError(opt + " expects a whole number in [" + std::to_string(lo) + ", " + std::to_string(hi) +
                         "], got '" + v + "'");
    return x;
}

double parse_real(const std::string& opt, const std::string& v) {
    std::size_t used = 0;
    double x = 0;
    try {
        x = std::stod(v, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != v.size() || !(x > 0)) throw UsageError(opt + " expects a positive number, got '" + v + "'");
    return x;
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> parts;
    std::stringstream ss(s);
    std::string p;
    while (std::getline(ss, p, sep)) parts.push_back(p);
    return parts;
}

// "7", "3-9" or "3,5,10".
std::vector<int> parse_points(const std::string& v) {
    std::vector<int> pts;
    for (const std::string& part : split(v, ',')) {
        const std::size_t dash = part.find('-');
        if (dash != std::string::npos && dash > 0) {
            const int a = int(parse_count("--points", part.substr(0, dash), 2, 100));
            const int b = int(parse_count("--points", part.substr(dash + 1), a, 100));
            for (int k = a; k <= b; ++k) pts.push_back(k);
        } else {
            pts.push_back(int(parse_count("--points", part, 2, 100)));
        }
    }
    return pts;
}

Options parse(const std::vector<std::string>& args) {
    Options o;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= args.size()) throw UsageError(a + " needs a value");
            return args[++i];
        };
        if (a == "--hidden") {
            const std::string v = value();
            if (v == "sigmoid") o.arch.hidden = Hidden::sigmoid;
            else if (v == "tanh") o.arch.hidden = Hidden::tanh;
            else throw UsageError("--hidden expects sigmoid or tanh, got '" + v + "'");
        } else if (a == "--output") {
            const std::string v = value();
            if (v == "identity") o.arch.output = Output::identity;
            else if (v == "sigmoid") o.arch.output = Output::sigmoid;
            else throw UsageError("--output expects identity or sigmoid, got '" + v + "'");
        } else if (a == "--loss") {
            const std::string v = value();
            if (v == "sse") o.arch.loss = Loss::sse;
            else if (v == "mse") o.arch.loss = Loss::mse;
            else if (v == "bce") o.arch.loss = Loss::bce;
            else throw UsageError("--loss expects sse, mse or bce, got '" + v + "'");
        } else if (a == "--points") {
            o.points = parse_points(value());
        } else if (a == "--family") {
            o.families = split(value(), ',');
            for (const std::string& f : o.families)
                if (std::find(family_names().begin(), family_names().end(), f) == family_names().end())
                    throw UsageError("unknown family '" + f + "'");
        } else if (a == "--datasets") {
            o.datasets = int(parse_count(a, value(), 1, 10000000));
        } else if (a == "--inits") {
            o.inits = int(parse_count(a, value(), 1, max_inits));
        } else if (a == "--steps") {
            o.steps = int(parse_count(a, value(), 1, 10000000));
        } else if (a == "--threads") {
            o.threads = int(parse_count(a, value(), 1, 256));
        } else if (a == "--seed") {
            o.seed = std::uint64_t(parse_count(a, value(), 0, 2000000000000L));
        } else if (a == "--max-ratio") {
            o.max_ratio = parse_real(a, value());
        } else if (a == "--eig-rel") {
            o.tol.eig_rel = parse_real(a, value());
        } else if (a == "--wmax") {
            o.tol.wmax = parse_real(a, value());
        } else if (a == "--radius") {
            o.radius = value();
            parse_real(a, o.radius);
        } else if (a == "--out") {
            o.out_dir = value();
        } else if (a == "--max-scripts") {
            o.max_scripts = int(parse_count(a, value(), 0, 100000));
        } else if (a == "--data") {
            o.data_file = value();
        } else if (a == "--check") {
            o.check_binary = value();
        } else if (a == "--timeout") {
            o.timeout_seconds = unsigned(parse_count(a, value(), 0, 86400));
        } else if (a == "--traps") {
            o.traps = true;
        } else if (a == "--propose-steps") {
            o.propose.steps = int(parse_count(a, value(), 0, 1000000));
        } else if (a == "--propose-shrink") {
            o.propose.shrink = int(parse_count(a, value(), 0, 60));
        } else if (a == "--propose-grow") {
            o.propose.grow = parse_real(a, value());
            if (o.propose.grow > 1e6) throw UsageError("--propose-grow must be at most 1e6, got '" + args[i] + "'");
        } else if (a == "--propose-starts") {
            o.propose.starts = int(parse_count(a, value(), 1, 1000));
        } else if (a == "--check-boxes") {
            o.check_boxes = parse_count(a, value(), 1, 1000000000);
        } else if (a == "--check-timeout") {
            o.check_timeout = unsigned(parse_count(a, value(), 0, 86400));
        } else {
            throw UsageError("unknown option '" + a + "'");
        }
    }
    if (o.arch.loss == Loss::bce && o.arch.output != Output::sigmoid)
        throw UsageError("--loss bce needs --output sigmoid");
    if (o.points.empty() && o.data_file.empty()) throw UsageError("--points N (or --data FILE.csv) is required");
    const long units = static_cast<long>(o.points.size()) * static_cast<long>(o.families.size()) * o.datasets;
    if (o.data_file.empty() && units > max_units)  // each factor is bounded (100, the option's length, 10^7): no overflow
        throw UsageError(std::to_string(o.points.size()) + " point counts x " + std::to_string(o.families.size()) +
                         " families x " + std::to_string(o.datasets) + " datasets is " + std::to_string(units) +
                         " search units, over the limit of " + std::to_string(max_units));
    if (o.threads == 0) o.threads = int(std::max(2u, std::thread::hardware_concurrency()));
    if (o.traps) {
        if (!o.check_boxes) o.check_boxes = 20000;
        if (!o.check_timeout) o.check_timeout = 30;
    }
    return o;
}

// x0, x1, label rows; coordinates must be multiples of 1/100 (the search keeps them as hundredths).
Dataset read_data(const std::string& path) {
    util::FileError error;
    const std::optional<std::string> text = util::read_file(path, error);  // regular files only: no FIFO hang
    if (!text) throw InputError("cannot read " + util::escape_for_display(path) + ": " + error.message);
    std::istringstream in(*text);
    Dataset d;
    std::string line;
    int lineno = 0;
    while (std::getline(in, line)) {
        ++lineno;
        if (line.find_first_not_of(" \t\r") == std::string::npos || line[line.find_first_not_of(" \t")] == '#')
            continue;
        if (static_cast<long>(d.size()) >= max_data_rows)
            throw InputError(path + ": more than " + std::to_string(max_data_rows) + " rows (the limit of --data)");
        const std::vector<std::string> f = split(line, ',');
        try {
            if (f.size() != 3) throw std::invalid_argument("fields");
            const double a = std::stod(f[0]) * coord_scale, b = std::stod(f[1]) * coord_scale;
            const int y = std::stoi(f[2]);
            if (std::abs(a - std::round(a)) > 1e-9 || std::abs(b - std::round(b)) > 1e-9 || (y != 0 && y != 1))
                throw std::invalid_argument("range");
            d.push_back({int(std::lround(a)), int(std::lround(b)), y});
        } catch (const std::exception&) {
            throw InputError(path + ":" + std::to_string(lineno) +
                             ": expected 'x1, x2, label' with multiples of 0.01 and a 0/1 label");
        }
    }
    if (d.empty()) throw InputError(path + ": no rows");
    return d;
}

std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
    h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    h *= 0xff51afd7ed558ccdULL;
    return h ^ (h >> 33);
}

std::uint64_t text_hash(const std::string& s) {
    std::uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
    return h;
}

struct Unit {
    int n = 0;
    std::string family;
    int index = 0;
    // results
    Dataset data;
    DatasetOutcome outcome;
    long datasets_tried = 0, runs = 0;
    long kinds[4] = {0, 0, 0, 0};
    long datasets_with_strict = 0, distinct_strict = 0;
    long bad_plateaus = 0;  // --traps: plateau runs with accuracy ratio <= --max-ratio
    bool finished = false;  // false: not started, or stopped by --timeout (its results are not reported)
};

void run_unit(const Options& o, Unit& u, const Deadline& deadline) {
    std::uint64_t s = mix(mix(mix(o.seed, std::uint64_t(u.n)), text_hash(u.family)), std::uint64_t(u.index));
    std::mt19937_64 rng(s);
    auto account = [&](const DatasetOutcome& oc) {
        u.datasets_tried++;
        u.runs += oc.runs;
        for (int k = 0; k < 4; ++k) u.kinds[k] += oc.count[k];
        if (oc.count[int(RunKind::strict_min)] > 0) u.datasets_with_strict++;
        u.distinct_strict += oc.distinct_strict;
        u.bad_plateaus += oc.bad_plateaus;
    };
    const double trap_ratio = o.traps ? o.max_ratio : 0;
    if (u.family == "file") {
        u.data = read_data(o.data_file);
        u.outcome = analyse(o.arch, u.data, o.inits, mix(s, 1), o.tol, deadline, trap_ratio);
        account(u.outcome);
        return;
    }
    u.data = make_dataset(u.family, u.n, rng);
    if (u.family != "evolve") {
        u.outcome = analyse(o.arch, u.data, o.inits, mix(s, 1), o.tol, deadline, trap_ratio);
        account(u.outcome);
        return;
    }
    // Evolve: a hill climb on the dataset, minimising the accuracy ratio of its worst strict minimum.
    const int quick = std::max(8, o.inits / 2);
    DatasetOutcome cur = analyse(o.arch, u.data, quick, mix(s, 1), o.tol, deadline, trap_ratio);
    account(cur);
    for (int step = 0; step < o.steps; ++step) {
        Dataset cand = mutate(u.data, rng);
        DatasetOutcome oc = analyse(o.arch, cand, quick, mix(s, std::uint64_t(step) + 2), o.tol, deadline, trap_ratio);
        account(oc);
        if (oc.score <= cur.score) {
            u.data = cand;
            cur = oc;
        }
    }
    u.outcome = analyse(o.arch, u.data, o.inits, mix(s, 0xabcdef), o.tol, deadline, trap_ratio);
    account(u.outcome);
}

std::string arch_text(const Arch& a) {
    return std::string("2-2-1, hidden ") + (a.hidden == Hidden::sigmoid ? "sigmoid" : "tanh") + ", output " +
           (a.output == Output::sigmoid ? "sigmoid" : "identity") + ", loss " +
           (a.loss == Loss::sse ? "sse" : a.loss == Loss::mse ? "mse" : "bce");
}

// The command line as one line of text: each argument escaped as the report escapes names
// (util::escape_for_display), so a newline or a control character in an argument can neither forge a line of
// the summary nor end the `# ...` comment of a written script.
std::string command_text(const std::vector<std::string>& args) {
    std::string s = "nncert search";
    for (const std::string& a : args) {
        s += ' ';
        s += util::escape_for_display(a);
    }
    return s;
}

bool promising(const Options& o, const Unit& u) {
    return u.outcome.best.valid && u.outcome.best.ratio() <= o.max_ratio + 1e-12;
}

// --traps: the dataset's worst plateau run is at most --max-ratio as accurate as a lower-loss point.
bool trap_candidate(const Options& o, const Unit& u) {
    return o.traps && u.outcome.trap.valid && u.outcome.trap.ratio() <= o.max_ratio + 1e-12;
}

// What `--check` adds to a candidate's line: the checker's exit code and, with verdicts, each claim's verdict
// read from its JSON report. Started without a shell: the paths are arguments, never parsed as a command line.
struct CheckTally {
    long scripts = 0, certified_traps = 0, refuted_traps = 0, certified_all = 0;
};

std::string run_check(const Options& o, const std::string& path, bool verdicts, CheckTally* tally) {
    std::vector<std::string> argv = {o.check_binary, "check"};
    if (verdicts) argv.insert(argv.end(), {"--report", "json"});
    if (o.check_boxes) argv.insert(argv.end(), {"--max-boxes", std::to_string(*o.check_boxes)});
    if (o.check_timeout) argv.insert(argv.end(), {"--timeout", std::to_string(*o.check_timeout)});
    argv.insert(argv.end(), {"--", path});
    util::ProgramResult rc;
    try {
        rc = util::run_program(argv, verdicts ? util::Stream::capture : util::Stream::discard);
    } catch (const std::system_error& e) {
        return " [check not run: " + util::escape_for_display(e.what()) + "]";
    }
    std::string text = " [check exit " + std::to_string(rc.exited ? rc.exit_code : -1);
    if (verdicts && rc.exited) {
        if (tally) tally->scripts++;
        if (tally && rc.exit_code == 0) tally->certified_all++;
        try {
            const report::Json doc = report::Json::parse(rc.out);
            const report::Json& script = doc.at("scripts").as_array().at(0);
            if (const report::Json* e = script.find("error")) {
                text += ": error " + util::escape_for_display(e->at("message").as_string());
            } else {
                std::string sep = ": ";
                for (const report::Json& c : script.at("claims").as_array()) {
                    std::string claim = c.at("claim").as_string();
                    if (claim.rfind("claim ", 0) == 0) claim.erase(0, 6);
                    const std::string& v = c.at("verdict").as_string();
                    text += sep + util::escape_for_display(claim) + " " + v;
                    sep = "; ";
                    if (tally && claim.rfind("trap ", 0) == 0) {
                        tally->certified_traps += v == "certified";
                        tally->refuted_traps += v == "refuted";
                    }
                }
            }
        } catch (const std::exception& e) {  // JsonError, or an array index out of range
            text += ": unreadable report (" + util::escape_for_display(e.what()) + ")";
        }
    }
    return text + "]";
}

int search(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    const Options o = parse(args);
    std::vector<Unit> units;
    if (!o.data_file.empty()) {
        units.push_back({});
        units.back().family = "file";
        units.back().n = static_cast<int>(read_data(o.data_file).size());  // fails early on a bad file
    } else {
        for (int n : o.points)
            for (const std::string& f : o.families)
                for (int i = 0; i < o.datasets; ++i) {
                    Unit u;
                    u.n = n;
                    u.family = f;
                    u.index = i;
                    units.push_back(u);
                }
    }
    if (!o.out_dir.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(o.out_dir, ec);
        if (ec) throw InputError("cannot create " + o.out_dir + ": " + ec.message());
    }
    const auto t0 = std::chrono::steady_clock::now();
    // --timeout: no unit starts after the deadline, and a running one stops at its next training run; the report
    // then covers the units that finished (docs/limits.md).
    const Deadline deadline = Deadline::after(o.timeout_seconds);
    std::atomic<bool> stopped{false};
    std::atomic<std::size_t> next{0}, done{0};
    std::atomic<int> found{0}, traps_found{0};
    std::mutex err_mutex;
    auto worker = [&]() {
        for (;;) {
            if (deadline.passed()) {
                stopped = true;
                return;
            }
            const std::size_t k = next.fetch_add(1);
            if (k >= units.size()) return;
            try {
                run_unit(o, units[k], deadline);
            } catch (const SearchStopped&) {
                stopped = true;
                return;
            }
            units[k].finished = true;
            if (promising(o, units[k])) found++;
            if (trap_candidate(o, units[k])) traps_found++;
            const std::size_t d = ++done;
            std::lock_guard<std::mutex> lock(err_mutex);
            const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            if (d == units.size() || d % std::max<std::size_t>(1, units.size() / 20) == 0) {
                err << "search: " << d << "/" << units.size() << " units, " << found.load() << " promising, ";
                if (o.traps) err << traps_found.load() << " trap candidates, ";
                err << std::fixed << std::setprecision(1) << secs << " s\n";
            }
        }
    };
    std::vector<std::thread> pool;
    for (int t = 0; t < o.threads; ++t) pool.emplace_back(worker);
    for (std::thread& t : pool) t.join();
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    // Summary, in work-list order (independent of the thread schedule).
    out << "# " << command_text(args) << "\n# " << arch_text(o.arch) << "; seed " << o.seed << ", " << o.inits
        << " inits per dataset, promising = a strict minimum with accuracy <= " << o.max_ratio
        << " x that of a lower-loss point";
    if (o.traps)
        out << "; trap candidate = a dataset with a plateau run (bad_plateau counts them) of accuracy <= " << o.max_ratio
            << " x that of a lower-loss point";
    out << "\nn\tfamily\tdatasets\truns\tstrict\tlarge\tdegenerate\tplateau\tdata_w_strict\tdistinct_strict"
           "\tbest_ratio\tpromising";
    if (o.traps) out << "\tbad_plateau\tbest_trap_ratio\ttrap_candidates";
    out << "\n";
    std::map<std::pair<int, std::string>, std::vector<const Unit*>> groups;
    for (const Unit& u : units)
        if (u.finished) groups[{u.n, u.family}].push_back(&u);
    for (const auto& [key, us] : groups) {
        long ds = 0, runs = 0, kinds[4] = {0, 0, 0, 0}, wstrict = 0, distinct = 0;
        int prom = 0, tcands = 0;
        long bad_plateaus = 0;
        double best = 9, best_trap = 9;
        for (const Unit* u : us) {
            ds += u->datasets_tried;
            runs += u->runs;
            for (int k = 0; k < 4; ++k) kinds[k] += u->kinds[k];
            wstrict += u->datasets_with_strict;
            distinct += u->distinct_strict;
            if (u->outcome.best.valid) best = std::min(best, u->outcome.best.ratio());
            prom += promising(o, *u);
            bad_plateaus += u->bad_plateaus;
            if (u->outcome.trap.valid) best_trap = std::min(best_trap, u->outcome.trap.ratio());
            tcands += trap_candidate(o, *u);
        }
        out << key.first << "\t" << key.second << "\t" << ds << "\t" << runs << "\t" << kinds[0] << "\t" << kinds[1]
            << "\t" << kinds[2] << "\t" << kinds[3] << "\t" << wstrict << "\t" << distinct << "\t";
        if (best < 9) out << std::setprecision(3) << std::defaultfloat << best;
        else out << "-";
        out << "\t" << prom;
        if (o.traps) {
            out << "\t" << bad_plateaus << "\t";
            if (best_trap < 9) out << std::setprecision(3) << std::defaultfloat << best_trap;
            else out << "-";
            out << "\t" << tcands;
        }
        out << "\n";
    }
    // The finished units that `pick` selects, by n, then by `rank` (lower first; ties keep the search's order).
    const auto sorted_candidates = [&](const auto& pick, const auto& rank) {
        std::vector<const Unit*> picked;
        for (const Unit& u : units)
            if (u.finished && pick(u)) picked.push_back(&u);
        std::stable_sort(picked.begin(), picked.end(), [&](const Unit* a, const Unit* b) {
            if (a->n != b->n) return a->n < b->n;
            return rank(*a) < rank(*b);
        });
        return picked;
    };
    // Candidates: the most promising units per n, best score first.
    const std::vector<const Unit*> cands = sorted_candidates([&](const Unit& u) { return promising(o, u); },
                                                             [](const Unit& u) { return u.outcome.score; });
    // A written script's path (--out DIR, PREFIX n<N>-FAMILY-<I>.nnc), its header, and whether it may be written:
    // a file already there may be (a link to) the --data CSV, which later units read again.
    const auto script_path = [&](const std::string& prefix, const Unit& u) {
        return std::filesystem::path(o.out_dir) /
               (prefix + "n" + std::to_string(u.data.size()) + "-" + u.family + "-" + std::to_string(u.index) + ".nnc");
    };
    const auto script_header = [&](const std::string& what, const Unit& u) {
        std::ostringstream hdr;
        hdr << "# " << what << " written by the untrusted search (float hints; the kernel decides).\n"
            << "# " << command_text(args) << "\n# " << arch_text(o.arch) << "; family " << u.family << ", dataset "
            << u.index << ", n = " << u.data.size() << "\n";
        return hdr.str();
    };
    const auto writable = [&](const std::filesystem::path& path) {
        std::vector<util::NamedInput> inputs;
        if (!o.data_file.empty()) inputs.push_back({o.data_file, "the --data file " + util::quoted_name(o.data_file)});
        if (const auto problem = util::output_problem(path.string(), inputs)) {
            err << "nncert search: " << util::escape_for_display(path.string()) << " "
                << util::escape_for_display(*problem) << "; not overwritten\n";
            return false;
        }
        return true;
    };
    std::map<int, int> written;
    for (const Unit* u : cands) {
        const Pair& pr = u->outcome.best;
        const int n = int(u->data.size());
        out << "candidate n=" << n << " " << u->family << "#" << u->index << ": bad " << pr.bad.correct << "/" << n
            << " (loss " << decimal(pr.bad.loss, 10) << ", lambda_min " << decimal(pr.bad.lam_min, 4)
            << ", max|w| " << decimal(pr.bad.weight_max, 3) << "), better " << pr.better.correct << "/" << n
            << " (loss " << decimal(pr.better.loss, 10) << ")";
        if (!o.out_dir.empty() && written[n] < o.max_scripts) {
            written[n]++;
            const std::filesystem::path path = script_path("", *u);
            const std::string hdr = script_header("Theorem 1 candidate", *u);
            if (!writable(path)) return out << "\n", 4;
            if (!util::write_output_file(path.string(), write_script(o.arch, u->data, pr, o.radius, hdr),
                                         "nncert search", err))
                return out << "\n", 2;  // a script half written (a full disk) must not be checked or counted
            out << " -> " << util::escape_for_display(path.string());
            if (!o.check_binary.empty() && stopped) out << " [check not run: the search was stopped by --timeout]";
            else if (!o.check_binary.empty()) out << run_check(o, path.string(), false, nullptr);
        }
        out << "\n";
    }
    // Trap candidates (--traps): the worst plateau run per dataset, with a proposed trap region around it.
    const std::vector<const Unit*> tcands = sorted_candidates([&](const Unit& u) { return trap_candidate(o, u); },
                                                              [](const Unit& u) { return u.outcome.trap.ratio(); });
    std::map<int, int> trap_written;
    long proposals = 0, clear = 0;
    CheckTally tally;
    for (const Unit* u : tcands) {
        const Pair& pr = u->outcome.trap;
        const int n = int(u->data.size());
        out << "trap candidate n=" << n << " " << u->family << "#" << u->index << ": bad (plateau) " << pr.bad.correct
            << "/" << n << " (loss " << decimal(pr.bad.loss, 10) << ", |grad|_inf " << std::setprecision(2)
            << std::scientific << pr.bad.grad_inf << std::defaultfloat << ", max|w| " << decimal(pr.bad.weight_max, 3)
            << "), better " << pr.better.correct << "/" << n << " (loss " << decimal(pr.better.loss, 10) << ")";
        if (!o.out_dir.empty() && trap_written[n] < o.max_scripts) {
            // Proposing costs time: in a child process under propose-trap's limits (600 s, 4096 MiB), and within
            // what is left of --timeout.
            runtime::ResourceLimits limits;
            if (o.timeout_seconds) {
                const auto left = std::chrono::duration_cast<std::chrono::seconds>(deadline.at - std::chrono::steady_clock::now());
                if (stopped || left.count() < 1) {
                    out << " [not proposed: past the time limit of " << o.timeout_seconds << " s (--timeout)]\n";
                    continue;
                }
                limits.timeout_seconds = unsigned(std::min<long long>(limits.timeout_seconds, left.count()));
            }
            trap_written[n]++;
            const std::filesystem::path path = script_path("trap-", *u);
            const std::string hdr = script_header("Trap candidate", *u);
            if (!writable(path)) return out << "\n", 4;
            const runtime::Isolated run = runtime::run_isolated(
                [&]() { return serialise(propose_region(o.arch, u->data, pr, o.propose)); }, limits);
            TrapRegion region;
            if (run.kind == runtime::Isolated::Kind::done) {
                try {
                    region = deserialise_region(run.payload);
                } catch (const std::exception& e) {
                    region.note = std::string("no proposal: ") + e.what();
                }
            } else if (run.kind == runtime::Isolated::Kind::timeout)
                region.note = "no proposal: stopped by the time limit of " + std::to_string(limits.timeout_seconds) + " s";
            else if (run.kind == runtime::Isolated::Kind::memory)
                region.note = "no proposal: stopped by " +
                              runtime::memory_stop_phrase(run.result_over_cap, limits,
                                                          "the memory limit of " + std::to_string(limits.max_memory_mib) + " MiB");
            else
                region.note = "no proposal: " + run.detail;
            std::replace(region.note.begin(), region.note.end(), '\n', ' ');
            proposals += region.proposed;
            clear += region.proposed && region.faces_clear;
            if (!util::write_output_file(path.string(), write_trap_script(o.arch, u->data, pr, o.radius, hdr, region),
                                         "nncert search", err))
                return out << "\n", 2;
            out << " [" << util::escape_for_display(region.note) << "] -> " << util::escape_for_display(path.string());
            if (!o.check_binary.empty()) out << run_check(o, path.string(), true, &tally);
        }
        out << "\n";
    }
    long total_runs = 0, total_ds = 0;
    std::size_t finished = 0;
    for (const Unit& u : units) {
        if (!u.finished) continue;
        ++finished;
        total_runs += u.runs;
        total_ds += u.datasets_tried;
    }
    if (o.traps) {
        out << "# traps: " << tcands.size() << " candidates, " << proposals << " regions proposed (" << clear
            << " with every face estimate above L(bad))";
        if (!o.check_binary.empty())
            out << ", " << tally.scripts << " checked (--max-boxes " << *o.check_boxes << ", --timeout "
                << *o.check_timeout << " per claim): " << tally.certified_traps << " traps certified, "
                << tally.refuted_traps << " refuted, " << tally.certified_all << " scripts with every claim certified";
        out << "\n";
    }
    out << "# " << total_ds << " datasets, " << total_runs << " training runs, " << cands.size()
        << " promising, " << std::fixed << std::setprecision(1) << secs << " s on " << o.threads << " threads\n";
    if (stopped) {
        out << "# stopped by the time limit of " << o.timeout_seconds << " s (--timeout) after " << finished << " of "
            << units.size() << " units: the lines above cover the finished units only\n";
        err << "nncert search: stopped by the time limit of " << o.timeout_seconds << " s (--timeout) after "
            << finished << " of " << units.size() << " units\n";
        return 3;
    }
    return 0;
}

}  // namespace

std::string search_usage() {
    return "usage: nncert search --points N|A-B|A,B,... [--hidden sigmoid|tanh] [--output identity|sigmoid]\n"
           "                     [--loss sse|mse|bce] [--family F,...] [--datasets D] [--inits K] [--steps S]\n"
           "                     [--seed S] [--threads T] [--max-ratio Q] [--eig-rel E] [--wmax W]\n"
           "                     [--radius R] [--out DIR] [--max-scripts M] [--check NNCERT_BINARY] [--timeout S]\n"
           "                     [--traps [--propose-steps N] [--propose-shrink H] [--propose-starts S]\n"
           "                     [--propose-grow G]] [--check-boxes N] [--check-timeout S]\n"
           "       nncert search --data FILE.csv [same options]   (rows 'x1, x2, label', multiples of 0.01)\n"
           "  families: grid cloud clusters conflict xor ring evolve (evolve: D hill climbs of S steps)\n"
           "  --timeout S (0 to 86400; default 0, none): no unit starts after S seconds and a running one stops at\n"
           "  its next training run; the summary and scripts cover the finished units, --check is not run, exit 3.\n"
           "  --traps: also pair plateau runs (training stalled: weights escaping or the gradient still shrinking)\n"
           "  with the most accurate lower-loss run; a dataset whose worst plateau run has at most Q (--max-ratio)\n"
           "  of that accuracy is a trap candidate, and with --out DIR gets trap-nN-FAMILY-I.nnc: the stalled point\n"
           "  P as `bad`, the better point, a region proposed by propose-trap's descent box from P (its --steps,\n"
           "  --shrink, --starts, --grow: defaults 20000, 6, 6, 1e-4; in a child process, at most 600 s and 4096 MiB,\n"
           "  within --timeout) and the claims trap, gap, loss over the region, and the accuracies.\n"
           "  --check-boxes N / --check-timeout S: run `check --max-boxes N --timeout S` (per claim; with --traps\n"
           "  default 20000 and 30, and each claim's verdict is shown; otherwise check's own defaults).\n";
}

int run_search(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    try {
        for (const std::string& a : args)
            if (a == "--help" || a == "-h") {
                out << search_usage();
                return 0;
            }
        return search(args, out, err);
    } catch (const UsageError& e) {
        err << "nncert search: " << util::escape_for_display(e.what()) << "\ntry 'nncert search --help'\n";
        return 4;
    } catch (const InputError& e) {
        err << "nncert search: error: " << e.what() << "\n";
        return 2;
    }
}

}  // namespace nncert::search
