// Best-first branch and bound: a priority queue of open boxes ordered by their parent's lower bound (lowest
// first, ties in creation order, so runs are deterministic), one assessment per box popped.
#include "kernel/interval/branch_bound.hpp"

#include <chrono>
#include <queue>
#include <stdexcept>

namespace nncert::kernel {

namespace {

struct Open {
    Box box;
    LowerBound bound;  // inherited from the parent: valid for every sub-box
    std::size_t depth = 0, root = 0, seq = 0;
    BoxContext context;  // the parent's assessment's context (empty for a root)
};

struct Later {  // priority_queue keeps the "largest" on top: the lowest bound, then the oldest
    bool operator()(const Open& a, const Open& b) const {
        if (lower_than(a.bound, b.bound)) return false;
        if (lower_than(b.bound, a.bound)) return true;
        return a.seq > b.seq;
    }
};

}  // namespace

std::optional<std::size_t> default_split_coordinate(const Box& b) {
    std::optional<std::size_t> widest, unbounded;
    Rational best_w = 0, best_end = 0;
    for (std::size_t k = 0; k < b.size(); ++k) {
        const Range& r = b[k];
        if (r.bounded()) {
            const Rational w = *r.hi - *r.lo;
            if (w > 0 && (!widest || w > best_w)) {
                widest = k;
                best_w = w;
            }
        } else {
            const Rational end = r.lo ? abs(*r.lo) : r.hi ? abs(*r.hi) : Rational(0);
            if (!unbounded || end < best_end) {
                unbounded = k;
                best_end = end;
            }
        }
    }
    if (unbounded && (!widest || best_w <= 1)) return unbounded;
    return widest ? widest : unbounded;
}

BranchBoundResult branch_and_bound(const std::vector<Box>& roots, const BoxAssessor& assess,
                                   const BranchBoundLimits& limits) {
    return branch_and_bound(roots, ContextAssessor([&assess](const Box& b, const BoxContext&) { return assess(b); }),
                            limits);
}

BranchBoundResult branch_and_bound(const std::vector<Box>& roots, const ContextAssessor& assess,
                                   const BranchBoundLimits& limits) {
    const auto start = std::chrono::steady_clock::now();
    BranchBoundResult res;
    std::priority_queue<Open, std::vector<Open>, Later> open;
    std::size_t seq = 0;
    for (std::size_t i = 0; i < roots.size(); ++i) open.push({roots[i], LowerBound{}, 0, i, seq++, nullptr});
    std::optional<LowerBound> settled_low;
    auto finish = [&](BranchBoundResult::Outcome o) {
        res.outcome = o;
        res.settled_bound = settled_low;
        if (limits.keep_unsettled && o != BranchBoundResult::Outcome::proven) {
            // The refuted or indivisible box (already in res.box, popped) first, then the queue in its order.
            if (o == BranchBoundResult::Outcome::refuted || res.stop == BranchBoundResult::Stop::indivisible)
                res.unsettled.push_back(res.box);
            for (; !open.empty(); open.pop()) res.unsettled.push_back(open.top().box);
        }
        res.milliseconds =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
        report(limits.progress, limits.stage, res.boxes, limits.max_boxes);
        return res;
    };
    while (!open.empty()) {
        const bool late = limits.deadline && std::chrono::steady_clock::now() >= *limits.deadline;
        if (res.boxes >= limits.max_boxes || late) {
            // Stopped like this, the run never certifies: the open boxes are undecided.
            res.stop = res.boxes >= limits.max_boxes ? BranchBoundResult::Stop::box_limit
                                                     : BranchBoundResult::Stop::time_limit;
            const Open& worst = open.top();
            res.bound = settled_low ? lowest(*settled_low, worst.bound) : worst.bound;
            res.root = worst.root;
            res.box = worst.box;
            res.box_bound = worst.bound;
            return finish(BranchBoundResult::Outcome::exhausted);
        }
        Open cur = open.top();
        open.pop();
        ++res.boxes;
        if (res.boxes % 64 == 0) report(limits.progress, limits.stage, res.boxes, limits.max_boxes);
        if (cur.depth > res.max_depth) res.max_depth = cur.depth;
        BoxAssessment a = assess(cur.box, cur.context);
        switch (a.fate) {
            case BoxAssessment::Fate::settled:
                ++res.leaves;
                settled_low = settled_low ? lowest(*settled_low, a.bound) : a.bound;
                continue;
            case BoxAssessment::Fate::refuted: {
                res.root = cur.root;
                res.box = std::move(cur.box);
                res.box_bound = a.bound;
                res.witness = std::move(a.witness);
                // The settled leaves, the open boxes and this one cover the roots: the lowest of their bounds is
                // a lower bound over all of them (a.bound alone holds only on this box).
                const LowerBound own = lower_than(a.bound, cur.bound) ? cur.bound : a.bound;
                const LowerBound low = open.empty() ? own : lowest(own, open.top().bound);
                res.bound = settled_low ? lowest(*settled_low, low) : low;
                return finish(BranchBoundResult::Outcome::refuted);
            }
            case BoxAssessment::Fate::split:
                break;
        }
        // The parent's bound is valid on every part of it; keep the better of the two it has.
        const LowerBound bound = lower_than(a.bound, cur.bound) ? cur.bound : a.bound;
        if (a.replacement) {
            if (a.replacement->size() != cur.box.size()) throw std::logic_error("replacement box of another size");
            open.push({std::move(*a.replacement), bound, cur.depth, cur.root, seq++, std::move(a.context)});
            continue;
        }
        const std::optional<std::size_t> k = a.coordinate ? a.coordinate : default_split_coordinate(cur.box);
        if (!k || *k >= cur.box.size() || cur.box[*k].degenerate()) {
            // A point (or an assessor asking to split a degenerate range) cannot be bisected: it stays open
            // with its bound, and the run ends here. Its own bound may now lie above another open box's
            // (inherited) bound: the run's bound is the lowest of the settled leaves, this box and the open boxes.
            const LowerBound low = open.empty() ? bound : lowest(bound, open.top().bound);
            res.bound = settled_low ? lowest(*settled_low, low) : low;
            res.root = cur.root;
            res.box = std::move(cur.box);
            res.box_bound = bound;
            res.stop = BranchBoundResult::Stop::indivisible;
            return finish(BranchBoundResult::Outcome::exhausted);
        }
        const Rational m = split_point(cur.box[*k]);
        Box left = cur.box, right = std::move(cur.box);
        left[*k].hi = m;
        right[*k].lo = m;
        open.push({std::move(left), bound, cur.depth + 1, cur.root, seq++, a.context});
        open.push({std::move(right), bound, cur.depth + 1, cur.root, seq++, std::move(a.context)});
    }
    res.bound = settled_low ? *settled_low : LowerBound{};
    return finish(BranchBoundResult::Outcome::proven);
}

std::string stop_name(const BranchBoundResult& r) {
    if (r.outcome != BranchBoundResult::Outcome::exhausted) return "";
    switch (r.stop) {
        case BranchBoundResult::Stop::box_limit: return "box limit";
        case BranchBoundResult::Stop::time_limit: return "time limit";
        case BranchBoundResult::Stop::indivisible: return "indivisible box";
        case BranchBoundResult::Stop::none: break;
    }
    return "";
}

std::string boxes_phrase(const BranchBoundResult& r) {
    const std::string n = std::to_string(r.boxes) + " boxes";
    if (r.outcome == BranchBoundResult::Outcome::exhausted && r.stop == BranchBoundResult::Stop::time_limit)
        return "in " + n + " before the time limit (--timeout)";
    return "within " + n;
}

std::string raise_phrase(const BranchBoundResult& r) {
    return r.outcome == BranchBoundResult::Outcome::exhausted && r.stop == BranchBoundResult::Stop::time_limit
               ? "raise --timeout"
               : "raise --max-boxes";
}

Value box_value(const std::vector<std::string>& names, const Box& b) {
    Object o;
    for (std::size_t k = 0; k < b.size(); ++k) {
        if (!b[k].lo && !b[k].hi) continue;
        o.emplace_back(k < names.size() ? names[k] : std::to_string(k + 1),
                       List{b[k].lo ? Value(*b[k].lo) : Value("-inf"), b[k].hi ? Value(*b[k].hi) : Value("+inf")});
    }
    return o;
}

}  // namespace nncert::kernel
