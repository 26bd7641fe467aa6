// Traps (math.md, "Traps"): a point P in the interior of a closed box R whose boundary has loss > L(P), so
// that no path from P along which the loss stays <= L(P) leaves R. Kernel-internal; the claims that use it are
// `trap`, `local_min` (bounded traps) and the region claims. Assumes a live PrecisionScope.
#pragma once

#include "kernel/interval/branch_bound.hpp"
#include "kernel/interval/loss_bound.hpp"
#include "kernel/interval/strong_convexity.hpp"
#include "kernel/kernel.hpp"

#include <optional>
#include <string>
#include <vector>

namespace nncert::kernel::detail {

// One piece of R's boundary the loss must clear: the face theta_k = end (degenerate range k), or with a
// boundary layer the slab of thickness d inside it.
struct Face {
    std::size_t coordinate = 0;
    bool upper = false;  // the upper end of the range (else the lower)
    Rational end;
    Box box;
};

// The finite faces of R (two per bounded coordinate, one per half-bounded, none for an unbounded one), or
// with `layer` d > 0 the slabs {theta in R : end <= theta_k <= end + d} (lower ends) and
// {end - d <= theta_k <= end} (upper ends), clipped to R.
std::vector<Face> boundary_faces(const Box& r, const std::optional<Rational>& layer);

// "W1[1,2] = 3 (lower end of its range)" / "... slab of thickness 1/100 inside ...".
std::string face_name(const Network& net, const Face& f, const std::optional<Rational>& layer);

enum class TrapOutcome { trapped, refuted, undecided };

// What the faces' branch and bound spent on one face (evidence `faces`): its roots (more than one where the face
// is covered by ray charts), the boxes assessed in it, its settled leaves, the lowest bound over those leaves (the
// face's certified margin when the whole search is proven) and the CPU time its assessments took, summed over the
// threads that made them (also the assessments of a round's boxes that a refutation left uncounted).
struct FaceStats {
    std::string name;
    std::size_t roots = 0, boxes = 0, leaves = 0;
    // Boxes of this face still open when the search ended (roots, plus the parts of every split, minus the boxes
    // assessed): 0 when the face was finished, every part of it settled.
    std::size_t open = 0;
    std::optional<LowerBound> settled_low;
    long long cpu_microseconds = 0;
};

struct TrapResult {
    TrapOutcome outcome = TrapOutcome::undecided;
    std::optional<PointValue> at_p;  // L(P): exact, or an enclosure
    std::size_t faces = 0;
    BranchBoundResult search;        // the faces' branch and bound (empty when it did not run); root is a face
                                     // index, box (exhausted) a weight box around the open box's image
    std::size_t charted_roots = 0;   // roots of the search in ray-chart coordinates (ray_chart.hpp)
    std::vector<FaceStats> per_face; // one per face, in boundary_faces order
    // The route that decided: "strong-convexity" (convexity holds its certificate and `distance` the distance
    // from P to the nearest face, minus the layer) or "branch-and-bound" (convexity_note: why the first declined).
    std::string route = "branch-and-bound";
    std::optional<StrongConvexity> convexity;
    Rational distance;
    std::string convexity_note;
    Value witness;                   // refuted: why (P not interior, P in the layer, or a boundary point)
    std::string note;                // undecided: why, and what would help
};

// Checks "P in the interior of R and L > L(P) on every finite face (or layer slab) of R": on a bounded R first
// by strong convexity (strong_convexity.hpp), then by branch and bound over the faces. Refuted with an
// exact witness: a coordinate where P is not strictly inside, P itself when it lies in the layer, or a
// boundary point theta with L(theta) <= L(P) certified (exactly on exact problems, by disjoint enclosures
// otherwise).
TrapResult check_trap_faces(const Problem& pb, const Point& p, const Box& r, const std::optional<Rational>& layer,
                            const Options& opt);

// The faces' branch and bound assesses its boxes in rounds of trap_search_batch (BranchBoundLimits::batch): the
// verdict, counts, witness and bound depend on this constant, never on the number of threads (or on timing,
// apart from the deadline). trap_search_threads: Options::threads (0: every core), at most trap_search_max_threads.
// 32 rather than 8: a round ends when its last box is done, and with 8 boxes the other core waited at the end of each
// round for about a tenth of the Theorem 1 trap's wall time (user / wall 1.78 on 2 cores, against 1.87 with 32;
// docs/benchmarks.md). A proven run assesses the same boxes either way.
inline constexpr std::size_t trap_search_batch = 32;
// At most 8 threads on one claim's rounds (as when a round was 8 boxes): each thread's first malloc reserves a glibc
// arena of 64 MiB of address space, and with 32 threads a claim stopped at --max-memory 1024 on the address-space
// limit while 8 passed at 512 (review 14, with MALLOC_ARENA_MAX=256 for a machine of 32 cores).
inline constexpr std::size_t trap_search_max_threads = 8;
unsigned trap_search_threads(const Options& opt);
// The limits of the region claims' searches (`loss R in`, `gap R > Q`, `accuracy P in R`): the same rounds of
// trap_search_batch on trap_search_threads(opt) threads, so that both cores share one claim's boxes. A proven
// run assesses the same boxes as in rounds of one (docs/certificates.md, "Rounds and threads").
BranchBoundLimits region_search_limits(const Options& opt, std::string stage);
// The limits of a search nested in each box of an outer one (the output layer inside a box of the sublevel
// search): at most `budget` boxes and at most opt.max_boxes / 16 + 1 (so that a small --max-boxes bounds the
// nested work too: the outer boxes times this), one thread, and the outer deadline.
BranchBoundLimits nested_search_limits(const Options& opt, std::size_t budget, std::string stage);
// CPU time of the calling thread (FaceStats::cpu_microseconds), in microseconds.
long long thread_cpu_microseconds();

// The second route of check_trap_faces on the faces given: one branch and bound whose roots cover every face (ray
// charts where they apply), for the obligation `ob` (L > L(P)+, refuted at L <= L(P)-); fills res.search,
// res.per_face (one per face) and res.charted_roots. inherit_reductions = false: every chart box runs its
// output-layer search from the whole output range (the way before inherited searches; for tests and measurements).
// Exposed for tests and per-face measurements.
void search_trap_faces(const Problem& pb, const std::vector<Face>& faces, const std::optional<Rational>& layer,
                       const LossObligation& ob, const Options& opt, TrapResult& res, bool inherit_reductions = true);

// Evidence: the branch and bound's statistics (boxes, leaves, depth, milliseconds, the budget).
void add_search_stats(Object& ev, const BranchBoundResult& s, const Options& opt);
// Evidence: a region as {parameter: [lo, hi]} (every parameter) with its name.
Value region_value(const Network& net, const Box& r);
std::vector<std::string> parameter_names(const Network& net);

// No local minimum in the box: every sub-box has a gradient entry that is certainly nonzero, or a direction of
// certainly negative curvature (bounded sub-boxes only). proven = no local minimum of L on R^n lies in the box.
BranchBoundResult no_local_minimum(const Problem& pb, const Box& r, const Options& opt);

}  // namespace nncert::kernel::detail
