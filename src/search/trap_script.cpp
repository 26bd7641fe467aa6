// `nncert search --traps`: a proof-script candidate for a plateau run (where training stalled), with the region
// tools::propose_trap's descent box proposes around it. Untrusted: every claim in the script is the kernel's to decide.
#include "search/search.hpp"

#include "script/script.hpp"
#include "script/wrap.hpp"
#include "tools/propose_trap.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <stdexcept>
#include <sstream>

namespace nncert::search {

std::string decimal_below(long double v, int digits) {
    if (!(v > 0)) return "0";
    if (!std::isfinite(v)) v = 1e30L;  // a finite number below infinity
    const int e = int(std::floor(std::log10(v)));
    const long double unit = std::pow(10.0L, e - digits + 1);
    const long double r = std::floor(v / unit * (1 - 1e-15L)) * unit;  // strictly below v's own digits too
    char buf[96];
    std::snprintf(buf, sizeof buf, "%.*Lf", std::clamp(digits - 1 - e, 0, 40), r);
    std::string s = buf;
    if (s.find('.') != std::string::npos) {
        while (s.back() == '0') s.pop_back();
        if (s.back() == '.') s.pop_back();
    }
    return s;
}

TrapRegion propose_region(const Arch& ar, const Dataset& d, const Pair& pr, const TrapProposeOptions& popt) {
    TrapRegion out;
    try {
        // As `nncert propose-trap --descent` would: the kernel's loss code in long double on the parsed problem,
        // P = the exact decimals the script writes.
        const script::Script s = script::parse_text("nncert 1\n" + script_body(ar, d, pr), "<search>", ".");
        tools::ProposeTrapOptions opt;
        opt.point = "bad";
        opt.mode = tools::ProposeMode::descent;
        opt.steps = popt.steps;
        opt.radius = popt.radius;
        opt.shrink = popt.shrink;
        opt.starts = popt.starts;
        opt.grow = popt.grow;
        const tools::TrapProposal t = tools::propose_trap(s.problem, s.points.at(0).params, opt);
        const std::string text = tools::proposal_text(s.problem.net, t, "bad_trap", "bad");
        out.block = text.substr(0, text.find("\n\nclaim trap")) + "\n";  // the block only; the claims follow later
        out.proposed = true;
        for (std::size_t k = 0; k < t.lo.size(); ++k) out.widened += !t.lo[k] || !t.hi[k];
        out.loss_after = t.loss_after;
        out.faces_clear = t.worst_face.empty() || t.worst_margin > 0;
        std::ostringstream note;
        note << "descent box: after " << t.steps << " steps the loss is ~" << decimal(t.loss_after, 6) << "; "
             << out.widened << " of " << t.lo.size() << " coordinates widened to infinity; ";
        if (t.worst_face.empty()) note << "no finite face";
        else
            note << "lowest face estimate L(bad) " << (t.worst_margin >= 0 ? "+ " : "- ")
                 << decimal(std::fabs(t.worst_margin), 3) << " (face of "
                 << s.problem.net.param_name(std::stoul(t.worst_face)) << ")";
        out.note = note.str();
    } catch (const std::exception& e) {
        out = TrapRegion{};
        out.note = std::string("no proposal: ") + e.what();
    }
    std::replace(out.note.begin(), out.note.end(), '\n', ' ');  // one line: it ends a `#` comment in the script
    return out;
}

std::string serialise(const TrapRegion& r) {
    std::ostringstream o;
    o << r.proposed << " " << r.faces_clear << " " << r.widened << " " << decimal(r.loss_after) << "\n"
      << r.note.size() << "\n" << r.note << r.block;
    return o.str();
}

TrapRegion deserialise_region(const std::string& text) {
    TrapRegion r;
    std::istringstream in(text);
    std::string loss;
    std::size_t note_size = 0;
    if (!(in >> r.proposed >> r.faces_clear >> r.widened >> loss >> note_size) || in.get() != '\n')
        throw std::runtime_error("malformed proposal");
    r.loss_after = std::stold(loss);
    const std::string rest(std::istreambuf_iterator<char>(in), {});
    if (rest.size() < note_size) throw std::runtime_error("malformed proposal");
    r.note = rest.substr(0, note_size);
    r.block = rest.substr(note_size);
    return r;
}

std::string write_trap_script(const Arch& ar, const Dataset& d, const Pair& pr, const std::string& radius,
                              const std::string& header, const TrapRegion& region) {
    const int n = int(d.size());
    std::ostringstream o;
    o << "nncert 1\n" << header;
    o << "# bad: where training stalled (plateau): float loss " << decimal(pr.bad.loss, 12) << ", accuracy "
      << pr.bad.correct << "/" << n << ", |grad|_inf " << pr.bad.grad_inf << ", max |w| "
      << decimal(pr.bad.weight_max, 4) << ", Hessian eigenvalues in [" << decimal(pr.bad.lam_min, 4) << ", "
      << decimal(pr.bad.lam_max, 4) << "]\n";
    o << "# better: float loss " << decimal(pr.better.loss, 12) << ", accuracy " << pr.better.correct << "/" << n
      << " (" << to_string(pr.better.kind) << ", max |w| " << decimal(pr.better.weight_max, 4) << ")\n";
    o << "# region bad_trap (untrusted, tools::propose_trap): " << region.note << "\n\n";
    o << script_body(ar, d, pr);
    if (region.proposed) o << region.block << "\n";
    o << "claim accuracy bad within " << radius << " = " << pr.bad.correct << "/" << n << "\n";
    o << "claim accuracy better within " << radius << " = " << pr.better.correct << "/" << n << "\n";
    if (region.proposed) {
        o << "claim trap bad in bad_trap\n";
        o << "claim gap bad_trap > better\n";
        // A number for the trap's loss: below halfway from the better point's loss to where descent from P went.
        if (region.loss_after > pr.better.loss && std::isfinite(region.loss_after))
            o << "claim loss bad_trap in [" << decimal_below((pr.better.loss + region.loss_after) / 2, 3) << ", inf]\n";
        o << "claim accuracy bad in bad_trap <= " << pr.bad.correct << "/" << n << "\n";
    }
    return script::wrap_script(o.str());  // the view rule: no line past column 160 (wrap.hpp)
}

}  // namespace nncert::search
