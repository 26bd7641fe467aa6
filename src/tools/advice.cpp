// Advice for claims that were not certified (advice.hpp). Reads the claim, the verdict's method and
// reason, and the kind of network; the common cases are tested in tests/unit/test_advice.cpp.
#include "tools/advice.hpp"

#include "tools/snap.hpp"

namespace nncert::tools {

namespace {

using kernel::ClaimKind;
using kernel::Outcome;

bool piecewise_linear(const kernel::Network& net) {
    for (const kernel::Layer& l : net.layers)
        if (!l.activation.is_piecewise_linear()) return false;
    return true;
}

bool has(const std::string& text, const char* part) { return text.find(part) != std::string::npos; }

// True when the evidence (an object) has this key.
bool has_key(const kernel::Value& evidence, const char* key) {
    const auto* o = std::get_if<kernel::Object>(&evidence.data);
    if (!o) return false;
    for (const auto& kv : *o)
        if (kv.first == key) return true;
    return false;
}

}  // namespace

std::string next_step(const script::Script& s, const script::ClaimEntry& entry, const kernel::Verdict& v,
                      const std::string& file) {
    const kernel::Claim& c = entry.claim;
    // The positive claim's outcome: `not C` fails exactly when C is certified or undecided.
    Outcome o = v.outcome();
    if (c.negated && o != Outcome::inconclusive) o = o == Outcome::certified ? Outcome::refuted : Outcome::certified;
    if (v.outcome() == Outcome::certified) return "";
    // A claim about a region as such (`loss R in [a, b]`, `gap R > Q`) names no point to refine or snap (a script
    // may have none: review r9-8 f1); its reason already says which limit to raise.
    if (c.region_subject) return "";
    const std::string& p = s.points.at(c.point).name;
    const std::string& m = v.method();
    const std::string& why = v.reason();
    const bool pl = piecewise_linear(s.problem.net), exact = s.problem.is_exact();
    const std::string snap = "`nncert snap " + file + " --point " + p + "`";
    // snap is suggested only where it runs (one hidden layer, one identity output, squared loss, no decay).
    const std::string snap_refuses = snap_unsupported(s.problem);
    const bool snap_ok = pl && snap_refuses.empty();
    const std::string refine = "`nncert refine " + file + " --point " + p + "`";
    const bool minimum_claim = c.kind == ClaimKind::local_min || c.kind == ClaimKind::strict_local_min ||
                               c.kind == ClaimKind::critical || c.kind == ClaimKind::hessian_pd;
    if (c.negated && o == Outcome::certified)
        return "the claim C in `not C` was certified: the published statement holds after all";

    // Over a box (interval engine).
    if (c.radius) {
        if (has(why, "straddles a kink"))
            return pl ? "the box reaches a relu kink: on a piecewise-linear network claim it without `within` at an "
                        "exact point" + (snap_ok ? " (" + snap + " finds one)" : "") + ", or shrink the radius"
                      : "shrink the radius so that no relu/leaky_relu input reaches 0 on the box";
        // A saddle: Krawczyk found exactly one critical point and the Hessian has negative curvature along a
        // direction over the whole box (review r11 F4: this got the "no critical point" advice below).
        if (minimum_claim && o == Outcome::refuted && has(m, "krawczyk") && has_key(v.evidence(), "direction"))
            return "the box's only critical point is a saddle (negative curvature along the evidence's direction "
                   "everywhere on the box): no minimum here; the loss decreases from it along that direction, where a "
                   "descent (or " + refine + " from a point moved along it) may find one";
        if (minimum_claim && o == Outcome::refuted && has(m, "krawczyk"))
            return "no critical point in this box: move the centre with " + refine +
                   " (it also proposes a radius); if the weights are large and the gradient tiny, this may be a "
                   "saturation plateau with no minimum at all (see the trap claims)";
        if (minimum_claim && o == Outcome::inconclusive)
            return has(why, "contract")
                       ? "move the centre closer to the critical point with " + refine + ", or raise the precision"
                   : has(why, "singular")
                       ? "H(" + p + ") is singular, so the second-order test cannot decide strictness: claim `local_min " +
                             p + "`, or `local_min " + p + " within R` / a trap for a flat region"
                       : "try a smaller radius, a higher precision, or " + refine +
                             "; if the Hessian is singular the test cannot decide strictness (claim `local_min " + p +
                             " within R`, or a trap)";
        if (o == Outcome::inconclusive) return "try a smaller radius or a higher precision (`precision BITS`)";
        return "";
    }
    if (!exact) return "";

    switch (c.kind) {
        case ClaimKind::critical:
        case ClaimKind::local_min:
        case ClaimKind::strict_local_min:
            if (o == Outcome::refuted && (m == "rescaling-curve" || m == "flat-curve"))
                return "the minimum cannot be strict (a " + std::string(m == "flat-curve" ? "line" : "rescaling curve") +
                       " of equal loss passes through " + p + "): claim `local_min " + p + "` instead";
            if (o == Outcome::refuted && snap_ok)
                return "if " + p + " came from float training it may sit next to an exact minimum: " + snap +
                       " puts the data on the kinks it nearly touches and solves for the exact point";
            if (o == Outcome::refuted && pl)
                return "the loss falls from " + p + " along the witness's direction, so " + p +
                       " is no local minimum; `nncert snap` (float weights to an exact kinked minimum) does not "
                       "handle this network (" + snap_refuses + ")";
            if (o == Outcome::refuted)
                return "if " + p + " came from float training, " + refine +
                       " moves it to the nearby critical point and states a certified box";
            if (has(why, "singular") || has(why, "flat"))
                return "the Hessian is singular, so the second-order test cannot decide strictness: claim `local_min " +
                       p + "`, or `local_min " + p + " within R` / a trap for a flat region";
            if (has(why, "kink") && c.kind != ClaimKind::local_min)
                return pl ? "the data sit on kinks: claim `local_min " + p + "` (activation patterns decide kinked points)"
                          : "the data sit on kinks: claim `local_min " + p + "`";
            if (pl && !snap_ok)
                return "no method decides " + p + ": raise --max-patterns if the pattern cap was hit, or try `local_min " +
                       p + " within R` or a trap claim";
            return pl ? "no method decides " + p + ": " + snap + " may find an exact kinked minimum nearby; raise "
                        "--max-patterns if the pattern cap was hit"
                      : "no method decides " + p + ": try `local_min " + p + " within R` or a trap claim";
        case ClaimKind::hessian_pd:
            if (has(why, "kink")) return "the Hessian does not exist at a kink: claim `local_min " + p + "`";
            return "";
        case ClaimKind::kink_free:
            return "data points sit exactly on kinks: derivative claims there are undecided; `local_min " + p +
                   "` handles kinked points";
        default:
            return "";
    }
}

}  // namespace nncert::tools
