// UNTRUSTED: `nncert propose-trap`: descent from P in long double on the kernel's own loss code, coordinates
// that keep drifting widened to infinity, the others shrunk while float estimates of their faces clear L(P).
#include "tools/propose_trap.hpp"

#include "hints/float_linear_algebra.hpp"
#include "kernel/autodiff.hpp"
#include "kernel/hessian_impl.hpp"
#include "runtime/isolate.hpp"
#include "runtime/memory.hpp"
#include "script/lexer.hpp"
#include "script/load.hpp"
#include "script/number.hpp"
#include "script/script.hpp"
#include "script/wrap.hpp"
#include "tools/approx_number.hpp"
#include "util/files.hpp"
#include "util/unicode.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <random>
#include <sstream>
#include <stdexcept>

namespace nncert::tools {

namespace {

using Vec = std::vector<long double>;

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

long double loss_grad(const kernel::Problem& pb, const Vec& x, Vec* g) {
    std::vector<Approx> ga;
    const long double l = kernel::loss_and_gradient<Approx>(pb, std::vector<Approx>(x.begin(), x.end()), g ? &ga : nullptr).v;
    if (g) {
        g->resize(x.size());
        for (std::size_t i = 0; i < x.size(); ++i) (*g)[i] = ga[i].v;
    }
    return std::isfinite(l) ? l : INFINITY;
}

// Projected gradient descent with backtracking inside the box [lo, hi] (ends already finite here).
long double descend(const kernel::Problem& pb, Vec x, const Vec& lo, const Vec& hi, int steps, Vec* end = nullptr) {
    Vec g, y(x.size());
    long double l = loss_grad(pb, x, &g), eta = 1;
    for (int s = 0; s < steps; ++s) {
        bool moved = false;
        for (int tries = 0; tries < 40 && !moved; ++tries, eta /= 2) {
            long double dec = 0;
            for (std::size_t i = 0; i < x.size(); ++i) {
                y[i] = std::clamp(x[i] - eta * g[i], lo[i], hi[i]);
                dec += g[i] * (x[i] - y[i]);
            }
            const long double ly = loss_grad(pb, y, nullptr);
            if (ly <= l - dec / 4 && dec > 0) {
                x = y;
                l = loss_grad(pb, x, &g);
                moved = true;
            }
        }
        if (!moved) break;
        eta = std::min<long double>(eta * 4, 1e6L);
    }
    if (end) *end = x;
    return l;
}

// Float estimate of min L over the face {theta in box : theta_k = e}: descent from the face's centre and from
// random points of it. Infinite ends are cut at 1000 beyond P (an estimate, never a bound).
long double face_minimum(const kernel::Problem& pb, const Vec& p, const TrapProposal& t, std::size_t k, long double e,
                         int starts, std::mt19937_64& rng) {
    const std::size_t n = p.size();
    Vec lo(n), hi(n);
    for (std::size_t i = 0; i < n; ++i) {
        lo[i] = t.lo[i] ? *t.lo[i] : p[i] - 1000;
        hi[i] = t.hi[i] ? *t.hi[i] : p[i] + 1000;
    }
    lo[k] = hi[k] = e;
    long double best = INFINITY;
    for (int s = 0; s < starts; ++s) {
        Vec x(n);
        for (std::size_t i = 0; i < n; ++i) {
            // The first start stays near P's own values (clipped to the face); others spread over the range,
            // log-uniformly out along an infinite end.
            std::uniform_real_distribution<long double> u(0, 1);
            if (s == 0) x[i] = std::clamp(p[i], lo[i], hi[i]);
            else if (t.lo[i] && t.hi[i]) x[i] = lo[i] + u(rng) * (hi[i] - lo[i]);
            else {
                const long double out = std::pow(10.0L, 3 * u(rng));
                x[i] = t.lo[i] ? std::max(p[i], lo[i]) + out - 1 : std::min(p[i], hi[i]) - out + 1;
            }
            x[i] = std::clamp(x[i], lo[i], hi[i]);
        }
        best = std::min(best, descend(pb, x, lo, hi, 300));
    }
    return best;
}

long double face_margin(const kernel::Problem& pb, const Vec& p, const TrapProposal& t, std::size_t k, int starts,
                        std::mt19937_64& rng) {
    long double m = INFINITY;
    if (t.lo[k]) m = std::min(m, face_minimum(pb, p, t, k, *t.lo[k], starts, rng) - t.loss_at_p);
    if (t.hi[k]) m = std::min(m, face_minimum(pb, p, t, k, *t.hi[k], starts, rng) - t.loss_at_p);
    return m;
}

// Short decimal for a range end, rounded outward (down for a lower end) to `decimals` decimals: a wider box.
std::string end_text(long double v, bool lower, int decimals) {
    const long double unit = std::pow(10.0L, decimals);
    const long double r = (lower ? std::floor(v * unit) : std::ceil(v * unit)) / unit;
    std::ostringstream s;
    s << std::fixed << std::setprecision(decimals) << r;
    std::string out = s.str();
    while (!out.empty() && out.back() == '0') out.pop_back();
    if (!out.empty() && out.back() == '.') out.pop_back();
    if (out.size() <= script::literal_view) return out == "-0" ? "0" : out;
    // Far from 0 (a point coordinate of 1e60): 18 significant digits, moved outward by more than their rounding,
    // so the end stays within the width rule (no integer part over 64 characters).
    const long double outward = r + (lower ? -1 : 1) * std::fabs(r) * 1e-15L;
    std::ostringstream e;
    e << std::scientific << std::setprecision(17) << outward;
    return e.str();
}

// Decimals for the ends of a range of half-width w: rounding outward by at most w / 100 (at least 4 decimals, at
// most 18, about what a long double resolves).
int decimals_for(long double half_width) {
    if (!(half_width > 0) || !std::isfinite(half_width)) return 4;
    return std::clamp(static_cast<int>(std::ceil(-std::log10(half_width / 100))), 4, 18);
}

// r rounded up to two significant digits, as a short decimal literal of the script format ("3.2e-7", "0.25").
std::string radius_text(long double r) {
    int e = static_cast<int>(std::floor(std::log10(r)));
    long k = static_cast<long>(std::ceil(r / std::pow(10.0L, e - 1) - 1e-9L));  // 10 <= k <= 100
    if (k < 10) k = 10;
    if (k >= 100) {
        k = 10;
        ++e;
    }
    // k * 10^(e-1), written without a trailing ".0" (streams only: GCC 12 warns on string + in this shape).
    std::ostringstream s;
    if (e >= 1 && e <= 3) s << k * static_cast<long>(std::pow(10.0L, e - 1));
    else if (e == 0) s << k / 10 << (k % 10 ? "." : "") << (k % 10 ? std::to_string(k % 10) : "");
    else if (e == -1) s << "0." << (k % 10 ? k : k / 10);
    else s << k / 10 << (k % 10 ? "." : "") << (k % 10 ? std::to_string(k % 10) : "") << "e" << e;
    return s.str();
}

// The local proposal (header): nothing, with the reason, when the float Hessian at p is not positive definite.
std::optional<std::string> propose_local(const kernel::Problem& pb, const Vec& p, const ProposeTrapOptions& opt,
                                         TrapProposal& t) {
    const std::size_t n = p.size();
    // A float Hessian of n parameters holds n^2 numbers (491,401 parameters asked for 2 TB): above the
    // kernel's own Hessian limit no local box is proposed (the kernel could not use its curvature either).
    if (n > kernel::limits::max_hessian_parameters)
        return "the network has " + std::to_string(n) + " parameters, more than the " +
               std::to_string(kernel::limits::max_hessian_parameters) +
               " a Hessian may have (max-hessian-parameters, docs/limits.md)";
    Vec g;
    loss_grad(pb, p, &g);
    const auto ha = kernel::hessian_detail::hessian<Approx>(pb, std::vector<Approx>(p.begin(), p.end()), nullptr);
    hints::DenseMatrix h(n * n);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j) h[i * n + j] = static_cast<double>(ha[i][j].v);
    const auto low = hints::lowest_eigenpair_untrusted(h, n);
    if (!low) return "the float Hessian at P has no eigenvalue estimate";
    if (!(low->value > 0)) {
        std::ostringstream s;
        s << "the float Hessian at P is not positive definite (smallest eigenvalue ~ " << low->value << ")";
        return s.str();
    }
    double largest = 0;
    for (std::size_t i = 0; i < n; ++i) largest = std::max(largest, std::fabs(h[i * n + i]));
    if (low->value <= 1e-12 * largest) {
        // A flat direction (the refine tool's manifold threshold): no isolated minimum for a cube to hold.
        std::ostringstream s;
        s << "the float Hessian at P is nearly singular (smallest eigenvalue ~ " << low->value << ", largest diagonal ~ "
          << largest << ")";
        return s.str();
    }
    const auto inv = hints::inverse_untrusted(h, n);
    if (!inv) return "the float Hessian at P is numerically singular";
    long double gnorm2 = 0, ghg = 0;
    Vec d0(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
        gnorm2 += g[i] * g[i];
        for (std::size_t j = 0; j < n; ++j) d0[i] -= (*inv)[i * n + j] * g[j];
    }
    for (std::size_t i = 0; i < n; ++i) ghg -= g[i] * d0[i];  // g^T H^-1 g
    if (!(ghg >= 0)) ghg = 0;
    long double need = 2 * std::sqrt(gnorm2) / low->value;
    for (std::size_t k = 0; k < n; ++k) need = std::max(need, std::fabs(d0[k]) + std::sqrt(std::max(0.0L, (*inv)[k * n + k] * ghg)));
    // A floor at the resolution of long double around P, so that a point already at a minimum (|g| ~ 0) still gets
    // a box whose faces differ from P.
    long double scale = 1;
    for (long double v : p) scale = std::max(scale, std::fabs(v));
    need = std::max(need, 1e-15L * scale);
    t.local = true;
    t.lambda_min = low->value;
    t.gradient_norm = std::sqrt(gnorm2);
    t.needed_radius = need;
    t.cube_radius = radius_text(opt.factor * need);
    const long double r = script::parse_number(t.cube_radius).convert_to<long double>();
    t.lo.assign(n, std::nullopt);
    t.hi.assign(n, std::nullopt);
    t.drift.assign(n, 0);
    for (std::size_t k = 0; k < n; ++k) {
        t.lo[k] = p[k] - r;
        t.hi[k] = p[k] + r;
    }
    // The quadratic model's lowest face value minus q(0) = 0: the estimated margin over L(P).
    t.worst_margin = INFINITY;
    for (std::size_t k = 0; k < n; ++k) {
        const long double gap = std::max(0.0L, r - std::fabs(d0[k]));
        const long double m = gap * gap / (2 * (*inv)[k * n + k]) - ghg / 2;
        if (!(m >= t.worst_margin)) {
            t.worst_margin = m;
            t.worst_face = std::to_string(k);
        }
    }
    t.loss_after = t.loss_at_p - ghg / 2;  // the model's minimum
    return std::nullopt;
}

}  // namespace

TrapProposal propose_trap(const kernel::Problem& pb, const kernel::Vector& p_exact, const ProposeTrapOptions& opt) {
    const std::size_t n = p_exact.size();
    Vec p(n);
    for (std::size_t i = 0; i < n; ++i) p[i] = p_exact[i].convert_to<long double>();
    TrapProposal t;
    t.loss_at_p = loss_grad(pb, p, nullptr);
    if (opt.mode != ProposeMode::descent) {
        const std::optional<std::string> why = propose_local(pb, p, opt, t);
        if (!why || opt.mode == ProposeMode::local) {
            if (why) t.why_not_local = *why;
            return t;
        }
        t = TrapProposal{};
        t.loss_at_p = loss_grad(pb, p, nullptr);
        t.why_not_local = *why;
    }
    // 1. Where does descent from P go? Unconstrained (the box is the whole space).
    Vec end;
    const Vec all_lo(n, -INFINITY), all_hi(n, INFINITY);
    t.loss_after = descend(pb, p, all_lo, all_hi, opt.steps, &end);
    t.steps = opt.steps;
    const long double grow = opt.grow > 0 ? opt.grow : opt.radius / 2;
    t.lo.resize(n);
    t.hi.resize(n);
    t.drift.resize(n);
    for (std::size_t k = 0; k < n; ++k) {
        t.drift[k] = end[k] - p[k];
        if (t.drift[k] > grow) t.lo[k] = p[k] - opt.radius;
        else if (t.drift[k] < -grow) t.hi[k] = p[k] + opt.radius;
        else {
            t.lo[k] = p[k] - opt.radius;
            t.hi[k] = p[k] + opt.radius;
        }
    }
    // 2. Shrink each bounded coordinate while its two faces still clear L(P) (by the estimate). A narrower
    //    range k only shrinks the other faces, whose minima can then only rise: one pass suffices.
    std::mt19937_64 rng(20261130);
    for (std::size_t k = 0; k < n; ++k) {
        if (!t.lo[k] || !t.hi[k]) continue;
        long double r = opt.radius;
        for (int h = 0; h < opt.shrink; ++h) {
            TrapProposal trial = t;
            trial.lo[k] = p[k] - r / 2;
            trial.hi[k] = p[k] + r / 2;
            if (!(face_margin(pb, p, trial, k, opt.starts, rng) > 0)) break;
            r /= 2;
            t = trial;
        }
    }
    // 3. The smallest estimated margin over every finite face of the final box.
    t.worst_margin = INFINITY;
    for (std::size_t k = 0; k < n; ++k) {
        if (!t.lo[k] && !t.hi[k]) continue;
        const long double m = face_margin(pb, p, t, k, opt.starts, rng);
        if (!(m >= t.worst_margin)) {
            t.worst_margin = m;
            t.worst_face = std::to_string(k);
        }
    }
    return t;
}

std::string proposal_text(const kernel::Network& net, const TrapProposal& t, const std::string& name,
                          const std::string& point) {
    std::string out = "region " + name + " {\n";
    if (t.local)
        return script::wrap_script(out + "  around " + point + " radius " + t.cube_radius + "\n}\n\nclaim trap " + point +
                                   " in " + name + "\n");
    for (std::size_t k = 0; k < t.lo.size(); ++k) {
        // The half-width of a bounded range sets its decimals, so a narrow range keeps its size after rounding.
        const long double w = t.lo[k] && t.hi[k] ? (*t.hi[k] - *t.lo[k]) / 2 : 1;
        const int d = decimals_for(w);
        out += "  " + net.param_name(k) + " in [" + (t.lo[k] ? end_text(*t.lo[k], true, d) : "-inf") + ", " +
               (t.hi[k] ? end_text(*t.hi[k], false, d) : "inf") + "]\n";
    }
    // The view rule: no line past column 160 (wrap.hpp).
    return script::wrap_script(out + "}\n\nclaim trap " + point + " in " + name + "\n");
}

std::string propose_trap_usage() {
    return "usage: nncert propose-trap SCRIPT --point P [--name R] [--local [--factor k]]\n"
           "                           [--descent] [--radius r] [--grow g] [--steps N] [--shrink H] [--starts S]\n"
           "                           [--timeout S] [--max-memory MIB]\n"
           "Proposes a trap region around P (untrusted, floating point). When the float Hessian at P is positive\n"
           "definite (P near a strict minimum, e.g. where training stopped), the region is the cube `around P radius\n"
           "r` with r = k (default 4) times the radius its faces need by the quadratic model of the gradient and\n"
           "Hessian at P (at least 2 |grad L(P)| / lambda_min), rounded up to two digits: as small as the trap can\n"
           "be (--local forces this). Otherwise (or with --descent or --radius) it follows gradient descent from P for N\n"
           "steps (default 20000); a coordinate that drifts more than g (default r/2) runs to infinity in its\n"
           "direction, with its finite end r (default 1) behind P; the others get [P - r, P + r], halved up to H\n"
           "times (default 6) while float estimates of their faces (S local minimisations each, default 6) stay\n"
           "above L(P); r, g and k are at most 1e6. Prints a `region` block and a `claim trap P in R` line to paste\n"
           "into the script (R: --name, default P_trap; a name of at most 64 characters);\n"
           "nncert check decides the claim. Exit 0: every face looked clear; 3: some face looked below L(P)\n"
           "(the kernel will likely refute: try another --radius or more --steps), or it was stopped by --timeout\n"
           "(default 600 s; 0: none) or --max-memory (default 4096 MiB; 0: none), which bound reading the script and\n"
           "the search (in a child process, as `nncert check` does per claim); 1: a script error; 2: an unreadable\n"
           "script; 4: a usage error.\n";
}

namespace {

// What `nncert propose-trap` says for point `p` of script `s` (run in a child process): the region on `out`, a
// summary on `err`; the exit status.
int propose(const script::Script& s, const kernel::Point& p, const ProposeTrapOptions& opt, std::ostream& out,
            std::ostream& err) {
    const TrapProposal t = propose_trap(s.problem, p.params, opt);
    const std::string& name = opt.name;  // a name: run_propose_trap checked it
    if (t.local || opt.mode != ProposeMode::local) out << proposal_text(s.problem.net, t, name, opt.point);
    std::size_t widened = 0;
    for (std::size_t k = 0; k < t.lo.size(); ++k) widened += !t.lo[k] || !t.hi[k];
    if (opt.mode == ProposeMode::local && !t.local) {
        err << "nncert propose-trap: " << opt.point << ": no local box: " << t.why_not_local << "\n";
        return 3;
    }
    err << "nncert propose-trap: " << opt.point << ": L(P) ~ " << double(t.loss_at_p);
    if (t.local)
        err << "; local box: |grad L(P)| ~ " << double(t.gradient_norm) << ", smallest Hessian eigenvalue ~ "
            << double(t.lambda_min) << ", faces need radius ~ " << double(t.needed_radius) << ", cube radius "
            << t.cube_radius << "; ";
    else {
        if (!t.why_not_local.empty()) err << "; descent box (" << t.why_not_local << ")";
        err << ", after " << t.steps << " descent steps ~ " << double(t.loss_after) << "; " << widened << " of "
            << t.lo.size() << " coordinates widened to infinity; ";
    }
    if (t.worst_face.empty()) err << "no finite face\n";
    else
        err << (t.local ? "lowest face by the quadratic model ~ L(P) " : "lowest face estimate ~ L(P) ")
            << (t.worst_margin >= 0 ? "+ " : "- ") << double(std::fabs(t.worst_margin)) << " (face of "
            << s.problem.net.param_name(std::stoul(t.worst_face)) << ")\n";
    return t.worst_face.empty() || t.worst_margin > 0 ? 0 : 3;
}

}  // namespace

int run_propose_trap(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    ProposeTrapOptions opt;
    runtime::ResourceLimits limits;  // --timeout and --max-memory, as `nncert check`'s (defaults 600 s, 4096 MiB)
    std::string file;
    try {
        // --radius, --grow and --factor: positive, at most max_box_option (a float search over wider boxes means
        // nothing, and the region's ends must stay short literals: docs/format.md, the width rule).
        auto number = [](const std::string& a, const std::string& v) {
            long double x = 0;
            try {
                x = script::parse_number(v).convert_to<long double>();
            } catch (const std::exception&) {
                throw UsageError(a + " needs a number, got '" + v + "'");
            }
            if (!(x > 0) || !std::isfinite(x)) throw UsageError(a + " must be a positive number");
            if (x > max_box_option)
                throw UsageError(a + " must be at most 1e6 (a box that wide is no trap proposal), got '" + v + "'");
            return x;
        };
        std::optional<std::string> timeout, max_memory;  // script::resource_limits reads them
        auto whole = [](const std::string& a, const std::string& v, long lo, long hi) {
            const bool ok = !v.empty() && v.size() <= 9 && v.find_first_not_of("0123456789") == std::string::npos;
            const long x = ok ? std::stol(v) : -1;
            if (x < lo || x > hi)
                throw UsageError(a + " needs a whole number from " + std::to_string(lo) + " to " + std::to_string(hi));
            return int(x);
        };
        for (std::size_t i = 0; i < args.size(); ++i) {
            const std::string& a = args[i];
            if (a == "--help" || a == "-h") {
                out << propose_trap_usage();
                return 0;
            }
            auto value = [&]() -> std::string {
                if (i + 1 >= args.size()) throw UsageError(a + " needs a value");
                return args[++i];
            };
            if (a == "--point") opt.point = value();
            else if (a == "--name") opt.name = value();
            else if (a == "--radius") {
                opt.radius = number(a, value());
                if (opt.mode == ProposeMode::local) throw UsageError("--radius belongs to the descent box, not --local");
                opt.mode = ProposeMode::descent;
            } else if (a == "--local") {
                if (opt.mode == ProposeMode::descent) throw UsageError("--local and --descent/--radius exclude each other");
                opt.mode = ProposeMode::local;
            } else if (a == "--descent") {
                if (opt.mode == ProposeMode::local) throw UsageError("--local and --descent/--radius exclude each other");
                opt.mode = ProposeMode::descent;
            } else if (a == "--factor") {
                opt.factor = number(a, value());
                if (opt.factor < 1) throw UsageError("--factor must be at least 1");
            }
            else if (a == "--grow") opt.grow = number(a, value());
            else if (a == "--steps") opt.steps = whole(a, value(), 0, 10000000);
            else if (a == "--shrink") opt.shrink = whole(a, value(), 0, 60);
            else if (a == "--starts") opt.starts = whole(a, value(), 1, 1000);
            else if (a == "--timeout") timeout = value();
            else if (a == "--max-memory") max_memory = value();
            else if (a.starts_with("-")) throw UsageError("unknown option '" + a + "'");
            else if (file.empty()) file = a;
            else throw UsageError("propose-trap takes one script");
        }
        if (file.empty() || opt.point.empty()) throw UsageError("propose-trap needs a script and --point P");
        // The region's name goes into the script the proposal is pasted into: it must read back as one name.
        if (!opt.name.empty())
            if (const std::string why = script::identifier_problem(opt.name); !why.empty())
                throw UsageError("--name '" + util::escape_for_display(opt.name) + "' is no region name: " + why);
        try {
            limits = script::resource_limits(timeout, max_memory, limits);
        } catch (const std::invalid_argument& e) {
            throw UsageError(e.what());
        }
    } catch (const UsageError& e) {
        err << "nncert propose-trap: " << e.what() << "\ntry 'nncert propose-trap --help'\n";
        return 4;
    }
    // Reading under --timeout and --max-memory (script/load.hpp), then the search in a child process under the
    // same limits (runtime/isolate.hpp), as `nncert check` does for each claim: a 491,401-parameter script ended
    // in an internal error (std::bad_alloc) and a 726 KB one ran for minutes.
    const std::string base = std::filesystem::path(file).parent_path().string();
    script::LoadedScript loaded = script::load_script(file, base, {limits.timeout_seconds, limits.max_memory_mib});
    if (loaded.error) {
        err << loaded.error->format() << "\n";
        return loaded.error->code == "limit" ? 3 : loaded.bytes ? 1 : 2;
    }
    const script::Script& s = *loaded.script;
    const auto it = std::find_if(s.points.begin(), s.points.end(), [&](const kernel::Point& q) { return q.name == opt.point; });
    if (it == s.points.end()) {
        err << "nncert propose-trap: the script has no point named '" << util::escape_for_display(opt.point)
            << "'\ntry 'nncert propose-trap --help'\n";
        return 4;
    }
    if (opt.name.empty()) {  // P's name plus "_trap" can pass the name limit (script::max_name_bytes)
        opt.name = opt.point + "_trap";
        if (const std::string why = script::identifier_problem(opt.name); !why.empty()) {
            err << "nncert propose-trap: the default region name '" << opt.name << "' is no name (" << why
                << "): give one with --name\ntry 'nncert propose-trap --help'\n";
            return 4;
        }
    }
    // The child's answer: the exit status, a newline, the length of what goes to `err`, a newline, that text,
    // then what goes to `out`.
    const runtime::Isolated run = runtime::run_isolated(
        [&]() -> std::string {
            std::ostringstream o, e;
            const int code = propose(s, *it, opt, o, e);
            const std::string err_text = e.str();
            return std::to_string(code) + "\n" + std::to_string(err_text.size()) + "\n" + err_text + o.str();
        },
        limits);
    switch (run.kind) {
        case runtime::Isolated::Kind::done: {
            const std::size_t a = run.payload.find('\n'), b = run.payload.find('\n', a + 1);
            const std::size_t n = std::stoul(run.payload.substr(a + 1, b - a - 1));
            out << run.payload.substr(b + 1 + n);
            err << run.payload.substr(b + 1, n);
            return std::stoi(run.payload.substr(0, a));
        }
        case runtime::Isolated::Kind::timeout:
            err << "nncert propose-trap: " << util::escape_for_display(opt.point) << ": stopped by the time limit of "
                << limits.timeout_seconds << " s (--timeout); nothing proposed (fewer --steps, --starts or --shrink, "
                << "--local, or a larger --timeout)\n";
            return 3;
        case runtime::Isolated::Kind::memory:
            err << "nncert propose-trap: " << util::escape_for_display(opt.point) << ": stopped by "
                << runtime::memory_stop_phrase(run.result_over_cap, limits, "the memory limit of " +
                                                                           std::to_string(limits.max_memory_mib) +
                                                                           " MiB (--max-memory)")
                << "; nothing proposed\n";
            return 3;
        case runtime::Isolated::Kind::failed:
        case runtime::Isolated::Kind::crashed:
            break;
    }
    err << "nncert: internal error: propose-trap: " << util::escape_for_display(run.detail) << "\n";
    return 5;
}

}  // namespace nncert::tools
