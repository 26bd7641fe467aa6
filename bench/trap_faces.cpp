// Per-face measurements of a trap claim's face search (issue 9; docs/benchmarks.md, "Trap faces"). Not part of the
// test suite and not a checker: it runs the kernel's face search (kernel::detail::search_trap_faces, the same call
// `check` makes after strong convexity declines) on the faces chosen, and prints per face the verdict, the boxes,
// the settled leaves, the lowest settled bound, the CPU time and the search's depth.
//   nncert_trap_faces SCRIPT.nnc [--claim I] [--faces 0,4,5] [--from-scratch] [--max-boxes N] [--timeout S]
//                     [--threads T]
// SCRIPT's first trap claim (or claim I, 0-based among all claims); every finite face unless --faces lists indices
// of boundary_faces (printed with --list). --from-scratch: every chart box's output-layer search starts from the
// whole output range (inherit_reductions = false). --timeout S stops starting boxes after S seconds of wall time.
// --threads T: Options::threads (default 0, every core). CPU times are summed over the threads; wall is printed too.
#include "kernel/interval/trap.hpp"
#include "kernel/interval/precision.hpp"
#include "kernel/kernel.hpp"
#include "script/script.hpp"

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace nncert;
using namespace nncert::kernel;

int usage() {
    std::cerr << "usage: nncert_trap_faces SCRIPT.nnc [--claim I] [--faces I,J,...] [--list] [--from-scratch]\n"
                 "                         [--max-boxes N] [--timeout S] [--threads T]\n";
    return 2;
}

const char* outcome_name(BranchBoundResult::Outcome o) {
    switch (o) {
        case BranchBoundResult::Outcome::proven: return "proven";
        case BranchBoundResult::Outcome::refuted: return "refuted";
        case BranchBoundResult::Outcome::exhausted: return "exhausted";
    }
    return "?";
}

std::string bound_text(const std::optional<LowerBound>& b) {
    if (!b) return "-";
    if (!b->value) return "-inf";
    return b->value->convert_to<double>() == 0 ? "0" : std::to_string(b->value->convert_to<double>());
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) return usage();
    const std::string file = argv[1];
    std::optional<std::size_t> claim_index;
    std::vector<std::size_t> chosen;
    bool list = false, scratch = false;
    std::optional<std::size_t> max_boxes;
    std::optional<double> timeout;
    unsigned threads = 0;
    for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        const auto next = [&]() -> std::string {
            if (i + 1 >= argc) throw std::invalid_argument(a + " needs a value");
            return argv[++i];
        };
        if (a == "--claim") {
            claim_index = std::stoul(next());
        } else if (a == "--faces") {
            std::stringstream ss(next());
            for (std::string item; std::getline(ss, item, ',');) chosen.push_back(std::stoul(item));
        } else if (a == "--list") {
            list = true;
        } else if (a == "--from-scratch") {
            scratch = true;
        } else if (a == "--max-boxes") {
            max_boxes = std::stoul(next());
        } else if (a == "--timeout") {
            timeout = std::stod(next());
        } else if (a == "--threads") {
            threads = static_cast<unsigned>(std::stoul(next()));
        } else {
            return usage();
        }
    }
    const script::Script s = script::parse_file(file);
    const script::ClaimEntry* entry = nullptr;
    for (std::size_t i = 0; i < s.claims.size() && !entry; ++i)
        if (claim_index ? i == *claim_index : s.claims[i].claim.kind == ClaimKind::trap) entry = &s.claims[i];
    if (!entry || entry->claim.kind != ClaimKind::trap || (!entry->claim.region && !entry->claim.radius)) {
        std::cerr << file << ": no trap claim with a region or radius there\n";
        return 2;
    }
    const Claim& c = entry->claim;
    const Problem& pb = s.problem;
    const Point& p = s.points.at(c.point);
    Options opt;
    if (s.precision) opt.precision_bits = *s.precision;
    opt.threads = threads;
    opt.max_boxes = max_boxes.value_or(s.max_boxes.value_or(opt.max_boxes));
    PrecisionScope scope(opt.precision_bits);
    const Box r = c.region ? c.region->box : cube(p.params, *c.radius);
    const std::vector<detail::Face> all = detail::boundary_faces(r, c.layer);
    if (list || chosen.empty())
        for (std::size_t i = 0; i < all.size(); ++i)
            std::cout << "face " << i << ": " << detail::face_name(pb.net, all[i], c.layer) << "\n";
    if (list) return 0;
    if (chosen.empty())
        for (std::size_t i = 0; i < all.size(); ++i) chosen.push_back(i);
    std::vector<detail::Face> faces;
    for (std::size_t i : chosen) faces.push_back(all.at(i));
    const std::optional<PointValue> at_p = loss_at(pb, p.params);
    if (!at_p) {
        std::cerr << "L(P) could not be enclosed\n";
        return 1;
    }
    // The obligation check_trap_faces sets: L > L(P) for every value L(P) may have, refuted at L <= L(P).
    LossObligation ob;
    ob.threshold = at_p->hi;
    ob.strict = true;
    ob.refute = at_p->lo;
    ob.refute_strict = false;
    if (timeout)
        opt.deadline = std::chrono::steady_clock::now() +
                       std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(*timeout));
    std::cout << entry->text << ": " << faces.size() << " of " << all.size() << " faces, "
              << (scratch ? "from scratch" : "inherited searches") << ", max_boxes " << opt.max_boxes << ", threads "
              << detail::trap_search_threads(opt) << "\n";
    detail::TrapResult res;
    const std::clock_t t0 = std::clock();  // process CPU time: every thread's
    const auto w0 = std::chrono::steady_clock::now();
    detail::search_trap_faces(pb, faces, c.layer, ob, opt, res, !scratch);
    const double cpu = static_cast<double>(std::clock() - t0) / CLOCKS_PER_SEC;
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count();
    for (std::size_t i = 0; i < faces.size(); ++i) {
        const detail::FaceStats& f = res.per_face[i];
        std::cout << "  face " << chosen[i] << " " << f.name << ": roots " << f.roots << ", boxes " << f.boxes
                  << ", leaves " << f.leaves << ", open " << f.open << ", settled bound " << bound_text(f.settled_low)
                  << ", cpu " << static_cast<double>(f.cpu_microseconds) / 1e6 << " s\n";
    }
    std::cout << "verdict " << outcome_name(res.search.outcome) << ", boxes " << res.search.boxes << ", leaves "
              << res.search.leaves << ", depth " << res.search.max_depth << ", cpu " << cpu << " s, wall " << wall << " s\n";
    return res.search.outcome == BranchBoundResult::Outcome::proven ? 0 : 1;
}
