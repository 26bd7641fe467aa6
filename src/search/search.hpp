// `nncert search`: an untrusted float search for bad strict local minima of 2-2-1 networks (Theorem 1), and with
// --traps for bad plateaus (deadlocks) to trap. Its answers are hints: the kernel re-checks every script it writes.
#pragma once

#include "search/net221.hpp"

#include <chrono>
#include <cstdint>
#include <ostream>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace nncert::search {

// How one training run ended.
enum class RunKind {
    strict_min,  // gradient ~ 0 after Newton polish, Hessian clearly positive definite, weights moderate
    large_min,   // as strict_min but some |weight| > the certification bound
    degenerate,  // gradient ~ 0 but the Hessian is (numerically) singular or indefinite
    plateau,     // weights escaped towards infinity, or the gradient kept shrinking without converging
};
const char* to_string(RunKind k);

struct Tolerances {
    double grad = 1e-9;        // |grad|_inf at which the double run counts as converged
    double eig_rel = 1e-5;     // lambda_min >= eig_rel * max(1, lambda_max) for a strict minimum
    double escape = 50;        // |weight| at which a run is declared escaping (plateau at infinity)
    double wmax = 20;          // |weight| bound for a certifiable strict minimum
    int max_iter = 400;
};

struct RunResult {
    RunKind kind = RunKind::plateau;
    Params<long double> theta{};
    long double loss = 0;
    int correct = 0;
    double grad_inf = 0;  // after the long double polish (strict/degenerate) or at the last iterate
    double lam_min = 0, lam_max = 0;
    double weight_max = 0;
    int iterations = 0;
};

// Levenberg-Marquardt damped Newton from `init`, then a long double Newton polish, then classification.
RunResult train(const Arch& ar, const Dataset& d, const Params<double>& init, const Tolerances& tol);

// Rows classified correctly: output - 1/2 and label - 1/2 have the same strict sign.
int correct_count(const Arch& ar, const Dataset& d, const Params<long double>& p);

// A bad strict minimum P and a point Q with lower loss (the best accuracy among the dataset's runs).
struct Pair {
    RunResult bad, better;
    bool valid = false;
    double ratio() const { return better.correct > 0 ? double(bad.correct) / better.correct : 1e9; }
};

struct DatasetOutcome {
    int runs = 0;
    int count[4] = {0, 0, 0, 0};  // by RunKind
    int distinct_strict = 0;      // distinct strict minima (by loss)
    double best_loss = 0;         // lowest loss over all runs
    int best_correct = 0;         // highest accuracy over all runs
    Pair best;                    // the pair with the lowest accuracy ratio (ties: larger loss gap)
    double score = 3;             // evolve's objective (lower is better): ratio of `best` + a small margin term;
                                  // 2 = no pair; in (2.5, 3] = no strict minimum (closer to definite is lower)
    // Trap mode (analyse with trap_ratio > 0): plateau runs paired like strict minima, with the best point of
    // lower loss; `bad_plateaus` counts those whose ratio is at most trap_ratio, `trap` is the one with the lowest
    // ratio (ties: the larger loss gap), valid when there is any plateau run with a more accurate lower-loss point.
    int bad_plateaus = 0;
    Pair trap;
};

// A wall-clock limit (`nncert search --timeout`), checked between training runs and in the loops over runs, so
// one dataset of 100,000 rows and 100,000 inits cannot outlast it by more than one training run.
struct Deadline {
    std::chrono::steady_clock::time_point at = std::chrono::steady_clock::time_point::max();
    static Deadline after(unsigned seconds);  // 0: none
    bool passed() const { return at != std::chrono::steady_clock::time_point::max() && std::chrono::steady_clock::now() >= at; }
};
// Thrown by analyse when the deadline has passed; the dataset's outcome is then unknown.
struct SearchStopped : std::runtime_error {
    SearchStopped() : std::runtime_error("the search passed its time limit") {}
};

// Trains `inits` random initialisations (seeded by `seed`) and pairs each strict minimum with the best
// point of lower loss; with trap_ratio > 0 each plateau run too (DatasetOutcome::trap, bad_plateaus).
// Throws SearchStopped once `deadline` has passed.
DatasetOutcome analyse(const Arch& ar, const Dataset& d, int inits, std::uint64_t seed, const Tolerances& tol,
                       const Deadline& deadline = {}, double trap_ratio = 0);

// Dataset families. `n` is the number of rows (repeated inputs count).
const std::vector<std::string>& family_names();
Dataset make_dataset(const std::string& family, int n, std::mt19937_64& rng);
// One evolve mutation: move a point, flip a label, or repeat an input with the opposite label.
Dataset mutate(const Dataset& d, std::mt19937_64& rng);

// A complete proof-script candidate for the pair (claims in the interval engine's syntax).
std::string write_script(const Arch& ar, const Dataset& d, const Pair& pr, const std::string& radius,
                         const std::string& header);

// The part of a script both writers share: data, network, loss, `classify threshold 1/2`, points bad and better.
std::string script_body(const Arch& ar, const Dataset& d, const Pair& pr);

// Trap mode (`--traps`). propose_region: tools::propose_trap's descent box around pr.bad (where training
// stalled) on the script_body problem, as `region bad_trap { ... }`; never throws (a failure is a note).
// write_trap_script: the script with that region and the claims `accuracy bad/better within radius = k/n`,
// `trap bad in bad_trap`, `gap bad_trap > better`, `loss bad_trap in [c, inf]` (c below halfway from L(better) to
// the loss the proposal's descent reached; only when that is above L(better)) and `accuracy bad in bad_trap <= k/n`;
// without a proposed region only the two accuracy claims.
struct TrapProposeOptions {
    int steps = 20000;         // descent steps from P (propose-trap --steps)
    int shrink = 6;            // halvings tried per bounded coordinate (propose-trap --shrink)
    int starts = 6;            // local minimisations per face estimate (propose-trap --starts)
    long double radius = 1;    // propose-trap --radius
    // propose-trap --grow: drift above which a coordinate runs to infinity. Smaller than propose-trap's default
    // (radius / 2): descent from a plateau point (|grad| 1e-9 to 1e-5) drifts little in 20,000 steps, and with
    // radius / 2 no coordinate was widened in any of the first proposals (docs/theorem1-search.md).
    long double grow = 1e-4L;
};
struct TrapRegion {
    bool proposed = false;       // `block` holds a region
    bool faces_clear = false;    // every finite face's float estimate was above L(bad)
    std::size_t widened = 0;     // coordinates widened to infinity
    long double loss_after = 0;  // the loss where the proposal's descent from bad ended
    std::string block;           // `region bad_trap { ... }`
    std::string note;            // one line: what the proposal saw, or why there is none
};
TrapRegion propose_region(const Arch& ar, const Dataset& d, const Pair& pr, const TrapProposeOptions& popt = {});
std::string write_trap_script(const Arch& ar, const Dataset& d, const Pair& pr, const std::string& radius,
                              const std::string& header, const TrapRegion& region);
// TrapRegion through a pipe (the command proposes in a child process under a time and memory limit).
std::string serialise(const TrapRegion& r);
TrapRegion deserialise_region(const std::string& text);

// Decimal text of a long double with `digits` significant digits, never in exponent notation.
std::string decimal(long double v, int digits = 20);
// A decimal with at most `digits` significant digits strictly below v > 0 ("0" for v <= 0).
std::string decimal_below(long double v, int digits);

// `args` are the words after `nncert search`; see search_usage(). Exit 0 done, 4 bad command line,
// 2 unreadable --data file or unwritable --out directory.
int run_search(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
std::string search_usage();

}  // namespace nncert::search
