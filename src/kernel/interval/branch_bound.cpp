// Best-first branch and bound: a heap of open boxes ordered by their parent's lower bound (lowest first, ties in
// creation order, so runs are deterministic), assessed in rounds of BranchBoundLimits::batch boxes popped.
#include "kernel/interval/branch_bound.hpp"

#include "kernel/ball/worker_threads.hpp"
#include "kernel/interval/precision.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace nncert::kernel {

namespace {

struct Open {
    Box box;
    LowerBound bound;  // inherited from the parent: valid for every sub-box
    std::size_t depth = 0, root = 0, seq = 0;
    BoxContext context;  // the parent's assessment's context (empty for a root)
};

struct Later {  // the heap keeps the "largest" at its front: the lowest bound, then the oldest
    bool operator()(const Open& a, const Open& b) const {
        if (lower_than(a.bound, b.bound)) return false;
        if (lower_than(b.bound, a.bound)) return true;
        return a.seq > b.seq;
    }
};

// Worker threads for the rounds of one run (BranchBoundLimits::threads). run(n, job) calls job(0..n-1), each
// index once, spread over the workers and the calling thread, and returns when every call has returned; job
// must not throw. Each worker opens a PrecisionScope at the precision of the thread that made the pool (the
// precision is thread-local, precision.hpp), and frees its MPFR caches when it ends (worker_threads.hpp).
class AssessPool {
public:
    explicit AssessPool(std::size_t workers) {
        std::optional<unsigned> bits;
        try {
            bits = static_cast<unsigned>(PrecisionScope::current());
        } catch (const std::logic_error&) {  // no live scope: the assessor uses no interval arithmetic
        }
        // The calling thread takes jobs too, and a round's results do not depend on who assessed what, so workers
        // that cannot start (start_workers) leave fewer threads and the same results.
        try {
            start_workers(threads_, 0, static_cast<unsigned>(workers), [this, bits](unsigned) {
                return mpfr_worker([this, bits] {
                    std::optional<PrecisionScope> scope;
                    if (bits) scope.emplace(*bits);
                    loop();
                });
            });
        } catch (...) {  // the pool's reserve failed (nothing started)
            end();
            throw;
        }
    }
    ~AssessPool() { end(); }
    AssessPool(const AssessPool&) = delete;
    AssessPool& operator=(const AssessPool&) = delete;

    void run(std::size_t n, const std::function<void(std::size_t)>& job) {
        std::unique_lock<std::mutex> lock(m_);
        job_ = &job;
        n_ = n;
        next_ = 0;
        ++round_;
        start_.notify_all();
        take(lock);
        done_.wait(lock, [this] { return busy_ == 0; });
        job_ = nullptr;
    }

private:
    void end() {
        {
            const std::lock_guard<std::mutex> lock(m_);
            stop_ = true;
        }
        start_.notify_all();
        for (std::thread& t : threads_) t.join();
    }
    // Calls job on indices not yet taken until none is left (the lock is held between calls, not during them).
    void take(std::unique_lock<std::mutex>& lock) {
        while (next_ < n_) {
            const std::size_t i = next_++;
            ++busy_;
            lock.unlock();
            (*job_)(i);
            lock.lock();
            if (--busy_ == 0 && next_ >= n_) done_.notify_all();
        }
    }
    void loop() {
        std::unique_lock<std::mutex> lock(m_);
        std::size_t seen = 0;
        for (;;) {
            start_.wait(lock, [&] { return stop_ || round_ != seen; });
            if (stop_) return;
            seen = round_;
            take(lock);
        }
    }

    std::mutex m_;
    std::condition_variable start_, done_;
    const std::function<void(std::size_t)>* job_ = nullptr;
    std::size_t n_ = 0, next_ = 0, busy_ = 0, round_ = 0;
    bool stop_ = false;
    std::vector<std::thread> threads_;
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
    // The open boxes as a binary heap (std::push_heap/pop_heap with Later: the front is the next box).
    std::vector<Open> open;
    const auto push = [&open](Open o) {
        open.push_back(std::move(o));
        std::push_heap(open.begin(), open.end(), Later{});
    };
    const auto pop = [&open] {
        std::pop_heap(open.begin(), open.end(), Later{});
        Open o = std::move(open.back());
        open.pop_back();
        return o;
    };
    std::size_t seq = 0;
    for (std::size_t i = 0; i < roots.size(); ++i) push({roots[i], LowerBound{}, 0, i, seq++, nullptr});
    std::optional<LowerBound> settled_low;
    auto finish = [&](BranchBoundResult::Outcome o) {
        res.outcome = o;
        res.settled_bound = settled_low;
        if (limits.keep_unsettled && o != BranchBoundResult::Outcome::proven) {
            // The refuted or indivisible box (already in res.box, popped) first, then the open boxes in their order.
            if (o == BranchBoundResult::Outcome::refuted || res.stop == BranchBoundResult::Stop::indivisible)
                res.unsettled.push_back(res.box);
            while (!open.empty()) res.unsettled.push_back(pop().box);
        }
        res.milliseconds =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
        report(limits.progress, limits.stage, res.boxes, limits.max_boxes);
        return res;
    };
    const auto late = [&limits] {
        return limits.deadline && std::chrono::steady_clock::now() >= *limits.deadline;
    };
    const std::size_t batch = std::max<std::size_t>(limits.batch, 1);
    // The pool starts with the first round of more than one box: a run settled by its first box (a region claim
    // decided at once) starts no thread.
    std::unique_ptr<AssessPool> pool;
    std::vector<Open> round;
    std::vector<std::optional<BoxAssessment>> fates;
    std::vector<std::exception_ptr> errors;
    while (!open.empty()) {
        if (res.boxes >= limits.max_boxes || late()) {
            // Stopped like this, the run never certifies: the open boxes are undecided.
            res.stop = res.boxes >= limits.max_boxes ? BranchBoundResult::Stop::box_limit
                                                     : BranchBoundResult::Stop::time_limit;
            const Open& worst = open.front();
            res.bound = settled_low ? lowest(*settled_low, worst.bound) : worst.bound;
            res.root = worst.root;
            res.box = worst.box;
            res.box_bound = worst.bound;
            return finish(BranchBoundResult::Outcome::exhausted);
        }
        // One round: the next boxes in the heap's order, at most what the box cap still allows.
        round.clear();
        while (round.size() < batch && res.boxes + round.size() < limits.max_boxes && !open.empty())
            round.push_back(pop());
        fates.assign(round.size(), std::nullopt);
        errors.assign(round.size(), nullptr);
        const auto assess_one = [&](std::size_t i) {
            if (late()) return;  // no assessment starts at or after the deadline: the box stays open
            try {
                fates[i] = assess(round[i].box, round[i].context);
            } catch (...) {
                errors[i] = std::current_exception();
            }
        };
        if (!pool && limits.threads > 1 && round.size() > 1)
            pool = std::make_unique<AssessPool>(std::min<std::size_t>(limits.threads, batch) - 1);
        if (pool && round.size() > 1) pool->run(round.size(), assess_one);
        else
            for (std::size_t i = 0; i < round.size(); ++i) assess_one(i);
        // The fates in pop order. A box not assessed (the deadline) or after a refuted one goes back to the heap
        // with its place (bound and sequence number), as if this round had stopped before it.
        for (std::size_t i = 0; i < round.size(); ++i) {
            if (errors[i]) std::rethrow_exception(errors[i]);
            if (!fates[i]) {
                for (std::size_t j = i; j < round.size(); ++j) push(std::move(round[j]));
                break;  // the deadline check at the top of the loop ends the run
            }
            Open& cur = round[i];
            BoxAssessment& a = *fates[i];
            ++res.boxes;
            if (res.boxes % 64 == 0) report(limits.progress, limits.stage, res.boxes, limits.max_boxes);
            if (cur.depth > res.max_depth) res.max_depth = cur.depth;
            if (limits.observe) limits.observe(cur.box, a);
            switch (a.fate) {
                case BoxAssessment::Fate::settled:
                    ++res.leaves;
                    settled_low = settled_low ? lowest(*settled_low, a.bound) : a.bound;
                    continue;
                case BoxAssessment::Fate::refuted: {
                    for (std::size_t j = i + 1; j < round.size(); ++j) push(std::move(round[j]));
                    res.root = cur.root;
                    res.box = std::move(cur.box);
                    res.box_bound = a.bound;
                    res.witness = std::move(a.witness);
                    // The settled leaves, the open boxes and this one cover the roots: the lowest of their bounds
                    // is a lower bound over all of them (a.bound alone holds only on this box).
                    const LowerBound own = lower_than(a.bound, cur.bound) ? cur.bound : a.bound;
                    const LowerBound low = open.empty() ? own : lowest(own, open.front().bound);
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
                push({std::move(*a.replacement), bound, cur.depth, cur.root, seq++, std::move(a.context)});
                continue;
            }
            const std::optional<std::size_t> k = a.coordinate ? a.coordinate : default_split_coordinate(cur.box);
            if (!k || *k >= cur.box.size() || cur.box[*k].degenerate()) {
                // A point (or an assessor asking to split a degenerate range) cannot be bisected: it stays open
                // with its bound, and the run ends here. Its own bound may now lie above another open box's
                // (inherited) bound: the run's bound is the lowest of the settled leaves, this box and the open
                // boxes (the round's later boxes among them).
                for (std::size_t j = i + 1; j < round.size(); ++j) push(std::move(round[j]));
                const LowerBound low = open.empty() ? bound : lowest(bound, open.front().bound);
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
            push({std::move(left), bound, cur.depth + 1, cur.root, seq++, a.context});
            push({std::move(right), bound, cur.depth + 1, cur.root, seq++, std::move(a.context)});
        }
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
