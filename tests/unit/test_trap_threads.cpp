// Rounds of boxes in the branch-and-bound driver (BranchBoundLimits::batch, threads) and the trap faces' search on
// several threads: a run depends on its round size only, never on the number of threads assessing a round.
// Synthetic assessors for the driver; every trap claim of proofs/traps and tests/scripts/traps for the faces.
#include "kernel/interval/branch_bound.hpp"
#include "kernel/interval/precision.hpp"
#include "kernel/interval/trap.hpp"
#include "kernel/kernel.hpp"
#include "script/script.hpp"
#include "test_paths.hpp"
#include "value_text.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <utility>
#include <variant>

using namespace nncert::kernel;
using nncert::test::value_text;

namespace {

std::string box_text(const Box& b) {
    std::ostringstream out;
    for (const Range& r : b) out << to_string(r) << ' ';
    return out.str();
}

std::string bound_text(const std::optional<LowerBound>& b) {
    if (!b) return "none";
    return b->value ? to_string(*b->value) : "-inf";
}

// Everything a run reports, and the boxes its observer saw in order.
std::string run_text(const BranchBoundResult& r, const std::vector<std::string>& observed) {
    std::ostringstream out;
    out << "outcome " << static_cast<int>(r.outcome) << " stop " << static_cast<int>(r.stop) << " boxes " << r.boxes
        << " leaves " << r.leaves << " depth " << r.max_depth << " bound " << bound_text(r.bound) << " root " << r.root
        << " box " << box_text(r.box) << " box_bound " << bound_text(r.box_bound) << " witness "
        << value_text(r.witness) << " settled " << bound_text(r.settled_bound) << " unsettled";
    for (const Box& b : r.unsettled) out << " | " << box_text(b);
    out << " observed";
    for (const std::string& s : observed) out << " | " << s;
    return out.str();
}

// A pure assessor on boxes of [0, 1]^2 (a function of the box and its parent's context only): the bound
// q(box) = d(box, c)^2 + e - width/2, d the box's distance to c; settled where q > 0; with e < 0, refuted on a box
// narrower than 1/32 whose centre has d^2 + e <= 0; the box [0, 1/2] x [0, 1/2] is replaced by [0, 3/8] x [0, 1/2].
// Each box's context is its own box; every context received must contain the box (`bad` counts the others),
// and every call must run at the caller's precision (64 bits).
struct Synthetic {
    Rational cx, cy, e;
    std::atomic<int>* bad;
    BoxAssessment operator()(const Box& b, const BoxContext& ctx) const {
        BoxAssessment a;
        try {
            if (PrecisionScope::current() != 64) ++*bad;
        } catch (const std::logic_error&) {
            ++*bad;
        }
        if (const auto parent = std::static_pointer_cast<const Box>(ctx))
            for (std::size_t k = 0; k < 2; ++k)
                if (!(*parent)[k].contains(*b[k].lo) || !(*parent)[k].contains(*b[k].hi)) ++*bad;
        const auto dist = [](const Range& r, const Rational& c) {
            return c < *r.lo ? Rational(*r.lo - c) : c > *r.hi ? Rational(c - *r.hi) : Rational(0);
        };
        const Rational dx = dist(b[0], cx), dy = dist(b[1], cy);
        const Rational w = std::max(Rational(*b[0].hi - *b[0].lo), Rational(*b[1].hi - *b[1].lo));
        const Rational q = dx * dx + dy * dy + e - w / 2;
        a.bound = LowerBound{q};
        if (q > 0) {
            a.fate = BoxAssessment::Fate::settled;
            return a;
        }
        const Rational mx = (*b[0].lo + *b[0].hi) / 2, my = (*b[1].lo + *b[1].hi) / 2;
        if (e < 0 && w < Rational(1, 32) && (mx - cx) * (mx - cx) + (my - cy) * (my - cy) + e <= 0) {
            a.fate = BoxAssessment::Fate::refuted;
            a.witness = Object{{"x", mx}, {"y", my}};
            return a;
        }
        if (*b[0].lo == 0 && *b[0].hi == Rational(1, 2) && *b[1].lo == 0 && *b[1].hi == Rational(1, 2))
            a.replacement = Box{{Rational(0), Rational(3, 8)}, {Rational(0), Rational(1, 2)}};
        a.context = std::make_shared<const Box>(b);
        return a;
    }
};

std::vector<Box> quadrants() {
    const Rational h(1, 2);
    return {Box{{Rational(0), h}, {Rational(0), h}}, Box{{h, Rational(1)}, {Rational(0), h}},
            Box{{Rational(0), h}, {h, Rational(1)}}, Box{{h, Rational(1)}, {h, Rational(1)}}};
}

std::string run(const Synthetic& f, std::size_t max_boxes, std::size_t batch, unsigned threads, bool keep) {
    std::vector<std::string> observed;
    BranchBoundLimits limits{max_boxes};
    limits.batch = batch;
    limits.threads = threads;
    limits.keep_unsettled = keep;
    limits.observe = [&observed](const Box& b, const BoxAssessment& a) {
        observed.push_back(box_text(b) + std::to_string(static_cast<int>(a.fate)));
    };
    return run_text(branch_and_bound(quadrants(), ContextAssessor(f), limits), observed);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(branch_bound_rounds)

// Proven, refuted and capped runs: with rounds of 8 the whole report (verdict, counts, depth, bound, box, witness,
// open boxes, the observer's sequence) is the same on 1, 2 and 3 threads.
BOOST_AUTO_TEST_CASE(a_run_does_not_depend_on_the_threads) {
    PrecisionScope scope(64);
    std::atomic<int> bad{0};
    const Synthetic proven{Rational(3, 10), Rational(7, 10), Rational(1, 1000), &bad};
    const Synthetic refuted{Rational(3, 10), Rational(7, 10), Rational(-1, 1000), &bad};
    int seen_proven = 0, seen_refuted = 0, seen_capped = 0;
    for (const Synthetic* f : {&proven, &refuted})
        for (std::size_t cap : {std::size_t(1000000), std::size_t(37), std::size_t(8), std::size_t(0)})
            for (bool keep : {false, true}) {
                const std::string one = run(*f, cap, 8, 1, keep);
                seen_proven += one.rfind("outcome 0", 0) == 0;
                seen_refuted += one.rfind("outcome 1", 0) == 0;
                seen_capped += one.rfind("outcome 2", 0) == 0;
                for (unsigned threads : {2u, 3u}) {
                    BOOST_TEST_CONTEXT("cap " << cap << " threads " << threads << " keep " << keep) {
                        BOOST_TEST(run(*f, cap, 8, threads, keep) == one);
                    }
                }
                if (f == &proven && (cap == 37 || cap == 8))
                    BOOST_TEST(one.find("boxes " + std::to_string(cap) + " ") != std::string::npos);
            }
    BOOST_TEST(seen_proven > 0);
    BOOST_TEST(seen_refuted > 0);
    BOOST_TEST(seen_capped > 0);
    BOOST_TEST(bad.load() == 0);
}

// A proven run assesses the same boxes in any order: rounds of 1, 3, 8 and 32 give the same counts, depth and bound.
BOOST_AUTO_TEST_CASE(a_proven_run_assesses_the_same_boxes_in_any_round_size) {
    PrecisionScope scope(64);
    std::atomic<int> bad{0};
    const Synthetic f{Rational(3, 10), Rational(7, 10), Rational(1, 1000), &bad};
    std::vector<std::multiset<std::string>> seen;
    std::vector<BranchBoundResult> results;
    for (std::size_t batch : {1u, 3u, 8u, 32u}) {
        std::multiset<std::string> boxes;
        BranchBoundLimits limits{1000000};
        limits.batch = batch;
        limits.threads = 2;
        limits.observe = [&boxes](const Box& b, const BoxAssessment&) { boxes.insert(box_text(b)); };
        results.push_back(branch_and_bound(quadrants(), ContextAssessor(f), limits));
        seen.push_back(std::move(boxes));
    }
    for (std::size_t i = 0; i < results.size(); ++i) {
        BOOST_TEST(static_cast<int>(results[i].outcome) == static_cast<int>(BranchBoundResult::Outcome::proven));
        BOOST_TEST(results[i].boxes == results[0].boxes);
        BOOST_TEST(results[i].leaves == results[0].leaves);
        BOOST_TEST(results[i].max_depth == results[0].max_depth);
        BOOST_TEST(bound_text(results[i].bound) == bound_text(results[0].bound));
        BOOST_TEST((seen[i] == seen[0]));
    }
    BOOST_TEST(results[0].boxes > 50u);
    BOOST_TEST(bad.load() == 0);
}

// A run in rounds of 8 that is not proven (refuted, capped) lists open boxes that, with its settled leaves, cover
// the roots: the boxes of a round after the refuted one go back to the queue (with keep_unsettled, into the list).
// Checked by area, exactly (a box dropped or listed twice changes it).
BOOST_AUTO_TEST_CASE(rounds_leave_open_boxes_that_cover_the_roots) {
    PrecisionScope scope(64);
    std::atomic<int> bad{0};
    const Synthetic refuted{Rational(3, 10), Rational(7, 10), Rational(-1, 1000), &bad};
    const Synthetic proven{Rational(3, 10), Rational(7, 10), Rational(1, 1000), &bad};
    int runs = 0;
    for (const Synthetic* f : {&refuted, &proven})
        for (std::size_t cap : {std::size_t(1000000), std::size_t(37), std::size_t(13)})
            for (unsigned threads : {1u, 2u}) {
                std::vector<Box> settled;
                BranchBoundLimits limits{cap};
                limits.batch = 8;
                limits.threads = threads;
                limits.keep_unsettled = true;
                limits.observe = [&settled](const Box& b, const BoxAssessment& a) {
                    if (a.fate == BoxAssessment::Fate::settled) settled.push_back(b);
                };
                const BranchBoundResult r = branch_and_bound(quadrants(), ContextAssessor(*f), limits);
                if (r.outcome == BranchBoundResult::Outcome::proven) continue;
                ++runs;
                BOOST_TEST_CONTEXT("cap " << cap << " threads " << threads) {
                    BOOST_TEST(r.leaves == settled.size());
                    // The boxes are the leaves of bisections, so they meet only on their boundaries: their areas add
                    // up to the roots' area 1 less what the replacement took off its box (1/8 x 1/2), exactly.
                    Rational area = 0;
                    for (const std::vector<Box>* boxes : {&std::as_const(settled), &r.unsettled})
                        for (const Box& b : *boxes) area += (*b[0].hi - *b[0].lo) * (*b[1].hi - *b[1].lo);
                    BOOST_TEST(area == Rational(15, 16));
                }
            }
    BOOST_TEST(runs >= 4);
    BOOST_TEST(bad.load() == 0);
}

// The boxes of a round run at once on the pool's threads: the first call waits (at most 60 s, a fallback that a
// working pool never reaches) for a second call to start while it runs. An assessor's exception reaches the caller
// (the first in the round's order), also from a worker thread.
BOOST_AUTO_TEST_CASE(a_round_runs_on_several_threads_and_errors_reach_the_caller) {
    PrecisionScope scope(64);
    std::mutex m;
    std::condition_variable cv;
    int started = 0;
    bool overlapped = false;
    const ContextAssessor f = [&](const Box& b, const BoxContext&) {
        {
            std::unique_lock<std::mutex> lock(m);
            const int me = ++started;
            cv.notify_all();
            if (me == 1) overlapped = cv.wait_for(lock, std::chrono::seconds(60), [&] { return started >= 2; });
        }
        BoxAssessment a;
        if (*b[0].hi - *b[0].lo <= Rational(1, 4)) a.fate = BoxAssessment::Fate::settled;
        return a;
    };
    BranchBoundLimits limits{1000};
    limits.batch = 4;
    limits.threads = 2;
    BOOST_TEST(static_cast<int>(branch_and_bound(quadrants(), f, limits).outcome) ==
               static_cast<int>(BranchBoundResult::Outcome::proven));
    BOOST_TEST(overlapped);
    const ContextAssessor throws = [](const Box& b, const BoxContext&) -> BoxAssessment {
        if (*b[0].lo == Rational(1, 2) && *b[1].lo == 0) throw std::runtime_error("second root");
        if (*b[0].lo == Rational(1, 2)) throw std::runtime_error("fourth root");
        return {};
    };
    for (unsigned threads : {1u, 2u}) {
        limits.threads = threads;
        try {
            branch_and_bound(quadrants(), throws, limits);
            BOOST_TEST(false, "no exception");
        } catch (const std::runtime_error& e) {
            BOOST_TEST(std::string(e.what()) == "second root");
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()

namespace {

// The Theorem 1 trap with a sigmoid output (scripts/theorem1_sigmoid_apex.py script 5 10 0.4 0.4; issue 9): its
// faces need about 170,000 boxes, so a capped run here (several hundred boxes, many rounds, every face open).
const char* const theorem1_apex = R"(nncert 1
data {
  0, 0 -> 1
  -0.5, 0 -> 1
  -1, 0 -> 1
  1.5, 0.5 -> 1
  1.8, 0.2 -> 1
  2, 2 -> 0
  2, -1.5 -> 0
  0.5, 1 -> 0
  0.3, -0.8 -> 0
  -0.5, 0.8 -> 0
}
network {
  input 2
  dense 2 sigmoid
  dense 1 sigmoid
}
loss sse
point bad {
  W1 = [[100, 70], [120, -80]]
  b1 = [-140, -120]
  W2 = [[0.5784516111382042, 0.5784516111382042]]
  b2 = [-0.3804652675449841]
}
region plateau {
  W1[1,1] in [5, inf]
  W1[1,2] in [5, inf]
  b1[1] in [-inf, -10]
  W1[2,1] in [5, inf]
  W1[2,2] in [-inf, -5]
  b1[2] in [-inf, -10]
  W2 in [0.1785, 0.9785]
  b2 in [-0.7805, 0.0195]
}
claim trap bad in plateau
)";

// The trap faces' search of every trap claim in proofs/traps, tests/scripts/traps, proofs/gallery and
// proofs/paper (at most 1,500 boxes each), and of the Theorem 1 trap above capped at 300 boxes, with
// Options::threads = t, as text: verdict, counts, bound, witness, and each face's counts and margin.
std::vector<std::string> trap_runs(unsigned threads) {
    std::vector<std::string> out;
    std::vector<std::pair<std::string, nncert::script::Script>> scripts;
    for (const char* dir : {"/proofs/traps", "/tests/scripts/traps", "/proofs/gallery", "/proofs/paper"}) {
        std::vector<std::filesystem::path> files;
        for (const auto& e : std::filesystem::directory_iterator(std::string(NNCERT_SOURCE_DIR) + dir))
            if (e.path().extension() == ".nnc") files.push_back(e.path());
        std::sort(files.begin(), files.end());
        for (const auto& file : files) scripts.emplace_back(file.filename().string(), nncert::script::parse_file(file.string()));
    }
    scripts.emplace_back("theorem1-apex", nncert::script::parse_text(theorem1_apex, "theorem1-apex.nnc", "."));
    for (const auto& [name, s] : scripts) {
        for (const auto& entry : s.claims) {
            const Claim& c = entry.claim;
            if (c.kind != ClaimKind::trap || c.negated || (!c.region && !c.radius)) continue;
            Options opt;
            if (s.precision) opt.precision_bits = *s.precision;
            opt.max_boxes = std::min<std::size_t>(name == "theorem1-apex" ? 300 : 1500,
                                                  s.max_boxes.value_or(opt.max_boxes));
            opt.threads = threads;
            PrecisionScope scope(opt.precision_bits);
            const Point& p = s.points.at(c.point);
            const Box r = c.region ? c.region->box : cube(p.params, *c.radius);
            const detail::TrapResult res = detail::check_trap_faces(s.problem, p, r, c.layer, opt);
            std::ostringstream o;
            o << name << ": " << entry.text << ": outcome " << static_cast<int>(res.outcome)
              << " route " << res.route << " witness " << value_text(res.witness) << " note " << res.note << " | "
              << run_text(res.search, {});
            for (const detail::FaceStats& f : res.per_face)
                o << " | " << f.name << " roots " << f.roots << " boxes " << f.boxes << " leaves " << f.leaves
                  << " open " << f.open << " margin " << bound_text(f.settled_low);
            out.push_back(o.str());
        }
    }
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(trap_threads)

// Same verdicts, box counts, witnesses and per-face statistics on 1 and 2 threads, for proven, refuted and capped
// trap searches (the Theorem 1 trap stopped by its cap of 300 boxes after 10 rounds of 32).
BOOST_AUTO_TEST_CASE(trap_faces_report_the_same_on_one_and_two_threads) {
    const std::vector<std::string> one = trap_runs(1), two = trap_runs(2);
    BOOST_TEST_REQUIRE(one.size() == two.size());
    BOOST_TEST(one.size() >= 10u);
    int refuted = 0, trapped = 0, capped = 0;
    for (std::size_t i = 0; i < one.size(); ++i) {
        BOOST_TEST(one[i] == two[i]);
        refuted += one[i].find(": outcome 1 ") != std::string::npos;
        trapped += one[i].find(": outcome 0 route branch-and-bound") != std::string::npos;
        capped += one[i].find("outcome 2 stop 1 boxes 300 ") != std::string::npos;  // the Theorem 1 trap
    }
    BOOST_TEST(refuted > 0);
    BOOST_TEST(trapped > 0);
    BOOST_TEST(capped == 1);
}

BOOST_AUTO_TEST_SUITE_END()

namespace {

// A report value as text without its measured times (`milliseconds`, `cpu_milliseconds`): the rest must not depend
// on the number of threads.
std::string untimed_text(const Value& v) {
    if (const auto* o = std::get_if<Object>(&v.data)) {
        Object kept;
        for (const auto& [k, e] : *o)
            if (k != "milliseconds" && k != "cpu_milliseconds") kept.emplace_back(k, Value(untimed_text(e)));
        return value_text(Value(std::move(kept)));
    }
    if (const auto* l = std::get_if<List>(&v.data)) {
        List kept;
        for (const Value& e : *l) kept.emplace_back(untimed_text(e));
        return value_text(Value(std::move(kept)));
    }
    return value_text(v);
}

// Every region claim (`loss R in`, `gap R > Q`, `accuracy P in R`) of proofs/gallery, proofs/paper and
// tests/scripts/traps, at most 600 boxes each (sublevel-output-layer.nnc's first claim runs to the cap: 1,500 took 44 s
// under the sanitizers), with Options::threads = t: verdict, method, reason and evidence.
std::vector<std::string> region_runs(unsigned threads) {
    std::vector<std::string> out;
    for (const char* dir : {"/proofs/gallery", "/proofs/paper", "/tests/scripts/traps"}) {
        std::vector<std::filesystem::path> files;
        for (const auto& e : std::filesystem::directory_iterator(std::string(NNCERT_SOURCE_DIR) + dir))
            if (e.path().extension() == ".nnc") files.push_back(e.path());
        std::sort(files.begin(), files.end());
        for (const auto& file : files) {
            const nncert::script::Script s = nncert::script::parse_file(file.string());
            for (const auto& entry : s.claims) {
                const Claim& c = entry.claim;
                const bool region_claim = c.region && (c.kind == ClaimKind::loss || c.kind == ClaimKind::gap ||
                                                       c.kind == ClaimKind::accuracy);
                if (!region_claim) continue;
                Options opt;
                if (s.precision) opt.precision_bits = *s.precision;
                opt.max_boxes = std::min<std::size_t>(600, s.max_boxes.value_or(opt.max_boxes));
                opt.threads = threads;
                const Verdict v = check(s.problem, s.points, c, opt);
                out.push_back(file.filename().string() + ": " + entry.text + ": " + to_string(v.outcome()) + " " +
                              v.method() + " " + v.reason() + " | " + untimed_text(v.evidence()));
            }
        }
    }
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(region_threads)

// The region claims' searches take the trap faces' rounds on Options::threads threads (0: every core, at most one
// per box of a round).
BOOST_AUTO_TEST_CASE(region_searches_take_rounds_on_the_claims_threads) {
    Options opt;
    opt.threads = 2;
    const BranchBoundLimits l = detail::region_search_limits(opt, "loss over region");
    BOOST_TEST(l.batch == detail::trap_search_batch);
    BOOST_TEST(l.threads == 2u);
    BOOST_TEST(l.max_boxes == opt.max_boxes);
    opt.threads = 100;
    BOOST_TEST(detail::region_search_limits(opt, "gap").threads == static_cast<unsigned>(detail::trap_search_max_threads));
    opt.threads = 0;
    BOOST_TEST(detail::region_search_limits(opt, "gap").threads >= 1u);
}

// Same verdicts, box counts, bounds and witnesses on 1 and 2 threads for every region claim there: proven,
// refuted and inconclusive runs among them.
BOOST_AUTO_TEST_CASE(region_claims_report_the_same_on_one_and_two_threads) {
    const std::vector<std::string> one = region_runs(1), two = region_runs(2);
    BOOST_TEST_REQUIRE(one.size() == two.size());
    BOOST_TEST(one.size() >= 10u);
    int certified = 0, refuted = 0, open = 0;
    for (std::size_t i = 0; i < one.size(); ++i) {
        BOOST_TEST(one[i] == two[i]);
        certified += one[i].find(": certified ") != std::string::npos;
        refuted += one[i].find(": refuted ") != std::string::npos;
        open += one[i].find(": inconclusive ") != std::string::npos;
    }
    BOOST_TEST(certified > 0);
    BOOST_TEST(refuted > 0);
    BOOST_TEST(open > 0);
}

BOOST_AUTO_TEST_SUITE_END()
