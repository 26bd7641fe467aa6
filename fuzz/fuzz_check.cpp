// libFuzzer harness for the whole check path with small limits: parse, resolve, and ask the kernel about
// every claim. Findings: an exception other than a documented rejection (the kernel throws only on
// front-end bugs), a sanitizer report, and the differential oracle: a claim C without a box and the same
// claim `within 0` (the box that is the point itself; `loss P = v` becomes `loss P within 0 in [v, v]`)
// mean the same, so they must never get opposite verdicts (one certified, the other refuted). Claims about a
// region (`trap P in R`, `accuracy P in R <= q`, `local_min P in R`) have no such twin: `accuracy P in R <= q`
// speaks of the sublevel set inside R, which need not hold P, while a box around P speaks of P's neighbourhood.
#include "fuzz_common.hpp"
#include "kernel/kernel.hpp"
#include "script/script.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>

namespace {

using namespace nncert;

// Small enough that every claim is decided in well under a second (libFuzzer's -timeout catches the rest).
bool small(const script::Script& s) {
    const kernel::Network& net = s.problem.net;
    if (net.layers.size() > 4 || net.num_params() > 40 || s.problem.data.size() > 24 || s.claims.size() > 6)
        return false;
    for (const kernel::Layer& l : net.layers)
        if (l.activation.coeffs.size() > 4) return false;
    return true;
}

// The kernel's own budgets, made small: every branch and bound (trap faces, loss over a region, segments,
// sublevel accuracy) stops after max_boxes boxes with INCONCLUSIVE, which bounds the time of one claim; with
// the default 200,000 boxes one repository trap script ran over 40 s under the sanitizers. The ball
// engine keeps its worker threads (the committed LeakSanitizer finding on them replays with every run).
constexpr std::size_t fuzz_max_boxes = 256;
kernel::Options small_options(const script::Script& s) {
    kernel::Options options;
    options.max_patterns = 64;
    options.precision_bits = std::clamp<unsigned>(s.precision.value_or(128), 16, 256);
    options.max_boxes = std::min<std::size_t>(s.max_boxes.value_or(fuzz_max_boxes), fuzz_max_boxes);
    return options;
}

bool has_box_form(kernel::ClaimKind k) {
    using kernel::ClaimKind;
    switch (k) {
        case ClaimKind::loss: case ClaimKind::gap: case ClaimKind::kink_free: case ClaimKind::critical:
        case ClaimKind::hessian_pd: case ClaimKind::strict_local_min: case ClaimKind::local_min:
        case ClaimKind::accuracy:
            return true;
        default:
            return false;
    }
}

const char* name(kernel::Outcome o) {
    return o == kernel::Outcome::certified ? "certified" : o == kernel::Outcome::refuted ? "refuted" : "inconclusive";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::optional<script::Script> parsed = fuzz::parse_script(data, size);
    if (!parsed || !small(*parsed)) return 0;
    const script::Script& s = *parsed;
    const kernel::Options options = small_options(s);
    for (const script::ClaimEntry& entry : s.claims) {
        const kernel::Verdict v = kernel::check(s.problem, s.points, entry.claim, options);
        if (entry.claim.radius || entry.claim.lower || entry.claim.upper || !entry.claim.along.empty() ||
            entry.claim.region || !has_box_form(entry.claim.kind))
            continue;
        kernel::Claim boxed = entry.claim;
        boxed.radius = kernel::Rational(0);
        if (boxed.kind == kernel::ClaimKind::loss) boxed.lower = boxed.upper = boxed.value;
        const kernel::Verdict w = kernel::check(s.problem, s.points, boxed, options);
        const bool opposite = (v.outcome() == kernel::Outcome::certified && w.outcome() == kernel::Outcome::refuted) ||
                              (v.outcome() == kernel::Outcome::refuted && w.outcome() == kernel::Outcome::certified);
        if (opposite)
            fuzz::finding("claim " + entry.text + " is " + name(v.outcome()) + " [" + v.method() + "] but within 0 " +
                          name(w.outcome()) + " [" + w.method() + "]");
    }
    return 0;
}
