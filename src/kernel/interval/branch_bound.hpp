// The one branch-and-bound driver of the interval engine: best-first bisection of boxes with exact, possibly
// infinite ends, until an assessor settles every leaf, refutes one, or the box budget runs out.
// It does no arithmetic on the quantity itself: the assessor encloses it (any number type) and decides.
#pragma once

#include "kernel/interval/box.hpp"
#include "kernel/progress.hpp"
#include "kernel/value.hpp"

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nncert::kernel {

// Per-box knowledge a ContextAssessor passes from a box to its parts; opaque to the driver.
using BoxContext = std::shared_ptr<const void>;

// What an assessor says about one box.
struct BoxAssessment {
    enum class Fate {
        settled,  // the property holds on the whole box
        split,    // undecided: bisect (or evaluate `replacement` instead)
        refuted,  // the property fails at an exact point of the box (`witness`)
    };
    Fate fate = Fate::split;
    // A lower bound of the assessed quantity over the box: the box's priority (lowest first) and what the
    // driver reports as the best bound reached. -inf (absent) when nothing is known.
    LowerBound bound;
    // split: a sub-box that carries the whole obligation of this box (e.g. a face where a monotone quantity
    // takes its infimum); it is assessed instead of bisecting.
    std::optional<Box> replacement;
    // split: the coordinate to bisect (default: default_split_coordinate).
    std::optional<std::size_t> coordinate;
    // refuted: the assessor's evidence (the exact point and what was certified at it).
    Value witness;
    // split: what the assessor learnt about this box that stays true on every part of it (e.g. the parts of an
    // inner search it settled); the driver hands it with each child (both halves, or the replacement) back to a
    // ContextAssessor and never looks inside. Empty: the children get none.
    BoxContext context;
};

using BoxAssessor = std::function<BoxAssessment(const Box& box)>;
// An assessor that also receives the context its box's parent left (empty for a root): see BoxContext.
using ContextAssessor = std::function<BoxAssessment(const Box& box, const BoxContext& context)>;

struct BranchBoundLimits {
    std::size_t max_boxes = 200000;  // assessments allowed before giving up
    const Progress* progress = nullptr;
    std::string stage = "branch and bound";
    // No assessment starts at or after this time (Options::deadline): the run ends `exhausted` as at the box cap.
    std::optional<std::chrono::steady_clock::time_point> deadline = std::nullopt;
    // Keep the boxes a run that is not proven leaves unsettled (BranchBoundResult::unsettled).
    bool keep_unsettled = false;
    // Boxes taken together: each round pops the `batch` open boxes that come first (lowest bound, then oldest),
    // assesses them, then takes their fates in that order (a refuted box ends the run there: the round's later
    // boxes count as not assessed and stay open). The run depends on `batch`, never on `threads` or on timing
    // (apart from the deadline). 1: one box at a time.
    std::size_t batch = 1;
    // Threads that assess a round's boxes at once (the calling thread is one of them; each runs at the calling
    // thread's interval precision). Above 1 the assessor must be safe to call concurrently.
    unsigned threads = 1;
    // Called on the calling thread for every box whose fate the run takes, in that order, with the assessment
    // (before the driver acts on it): per-box statistics that match the run's counts. May be empty.
    std::function<void(const Box& box, const BoxAssessment& a)> observe = nullptr;
};

struct BranchBoundResult {
    enum class Outcome {
        proven,     // every leaf settled: the property holds on every root box
        refuted,    // a leaf was refuted (`witness`, inside `box`, which lies in root `root`)
        exhausted,  // the budget ran out: `box` is the open box with the lowest bound
    };
    // Why an exhausted run stopped: the box cap, the deadline, or an open box that cannot be bisected (a point).
    enum class Stop { none, box_limit, time_limit, indivisible };
    Outcome outcome = Outcome::exhausted;
    Stop stop = Stop::none;
    std::size_t boxes = 0;      // assessments made
    std::size_t leaves = 0;     // settled leaves
    std::size_t max_depth = 0;  // bisections from a root to the deepest box assessed
    long long milliseconds = 0;
    // proven: the lowest bound over the settled leaves; exhausted and refuted: the lowest over settled and open
    // boxes (and the refuted box). Each way a lower bound of the quantity over the union of the roots.
    LowerBound bound;
    std::size_t root = 0;
    Box box;
    LowerBound box_bound;  // the bound of `box` alone
    Value witness;
    // The lowest bound over the settled leaves (absent: none settled).
    std::optional<LowerBound> settled_bound;
    // With keep_unsettled, for a run that is not proven: every box still open, the refuted or indivisible box
    // among them, lowest (inherited) bound first; with the settled leaves (and what the assessor's replacements
    // took off their boxes) they cover the roots.
    std::vector<Box> unsettled;
};

// Assesses the roots (each an independent obligation sharing one budget), then always the open box with the
// lowest bound, bisecting undecided ones. Sound by construction: a leaf counts only through its assessor's
// fate, and the children of a bisection cover their parent (closed halves [a, m] and [m, b]).
BranchBoundResult branch_and_bound(const std::vector<Box>& roots, const BoxAssessor& assess,
                                   const BranchBoundLimits& limits);
// The same driver with contexts: each root is assessed with an empty context, every other box with the context
// its parent's assessment returned.
BranchBoundResult branch_and_bound(const std::vector<Box>& roots, const ContextAssessor& assess,
                                   const BranchBoundLimits& limits);

// "box limit" / "time limit" / "indivisible box" for an exhausted run (evidence `stopped_by`); "" otherwise.
std::string stop_name(const BranchBoundResult& r);
// For an INCONCLUSIVE reason: "within N boxes" (box cap or indivisible box) or "in N boxes before the time limit
// (--timeout)", and the option that would help: "raise --max-boxes" or "raise --timeout".
std::string boxes_phrase(const BranchBoundResult& r);
std::string raise_phrase(const BranchBoundResult& r);

// The coordinate bisected when the assessor gives none: the widest bounded range, unless some range is
// unbounded and no bounded range is wider than 1 (then the unbounded range whose finite end is nearest 0).
// Nothing when every range is degenerate.
std::optional<std::size_t> default_split_coordinate(const Box& b);

// Evidence: a box as {parameter name: [lo, hi]} for the parameters whose range is not the whole line.
Value box_value(const std::vector<std::string>& names, const Box& b);

}  // namespace nncert::kernel
