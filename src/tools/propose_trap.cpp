// UNTRUSTED: `nncert propose-trap`: descent from P in long double on the kernel's own loss code, coordinates
// that keep drifting widened to infinity, the others shrunk while float estimates of their faces clear L(P).
#include "tools/propose_trap.hpp"

#include "kernel/autodiff.hpp"
#include "script/number.hpp"
#include "script/script.hpp"
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

// Short decimal for a range end, rounded outward (down for a lower end) to 4 decimals: a wider box.
std::string end_text(long double v, bool lower) {
    const long double r = (lower ? std::floor(v * 10000) : std::ceil(v * 10000)) / 10000;
    std::ostringstream s;
    s << std::fixed << std::setprecision(4) << r;
    std::string out = s.str();
    while (!out.empty() && out.back() == '0') out.pop_back();
    if (!out.empty() && out.back() == '.') out.pop_back();
    return out == "-0" ? "0" : out;
}

}  // namespace

TrapProposal propose_trap(const kernel::Problem& pb, const kernel::Vector& p_exact, const ProposeTrapOptions& opt) {
    const std::size_t n = p_exact.size();
    Vec p(n);
    for (std::size_t i = 0; i < n; ++i) p[i] = p_exact[i].convert_to<long double>();
    TrapProposal t;
    t.loss_at_p = loss_grad(pb, p, nullptr);
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
    for (std::size_t k = 0; k < t.lo.size(); ++k)
        out += "  " + net.param_name(k) + " in [" + (t.lo[k] ? end_text(*t.lo[k], true) : "-inf") + ", " +
               (t.hi[k] ? end_text(*t.hi[k], false) : "inf") + "]\n";
    return out + "}\n\nclaim trap " + point + " in " + name + "\n";
}

std::string propose_trap_usage() {
    return "usage: nncert propose-trap SCRIPT --point P [--name R] [--radius r] [--grow g] [--steps N]\n"
           "                           [--shrink H] [--starts S]\n"
           "Proposes a trap region around P (untrusted, floating point): follows gradient descent from P for N\n"
           "steps (default 20000); a coordinate that drifts more than g (default r/2) runs to infinity in its\n"
           "direction, with its finite end r (default 1) behind P; the others get [P - r, P + r], halved up to H\n"
           "times (default 6) while float estimates of their faces (S local minimisations each, default 6) stay\n"
           "above L(P). Prints a `region` block and a `claim trap P in R` line to paste into the script;\n"
           "nncert check decides the claim. Exit 0: every face looked clear; 3: some face looked below L(P)\n"
           "(the kernel will likely refute: try another --radius or more --steps).\n";
}

int run_propose_trap(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    ProposeTrapOptions opt;
    std::string file;
    try {
        auto number = [](const std::string& a, const std::string& v) {
            long double x = 0;
            try {
                x = script::parse_number(v).convert_to<long double>();
            } catch (const std::exception&) {
                throw UsageError(a + " needs a number, got '" + v + "'");
            }
            if (!(x > 0) || !std::isfinite(x)) throw UsageError(a + " must be a positive number");
            return x;
        };
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
            else if (a == "--radius") opt.radius = number(a, value());
            else if (a == "--grow") opt.grow = number(a, value());
            else if (a == "--steps") opt.steps = whole(a, value(), 0, 10000000);
            else if (a == "--shrink") opt.shrink = whole(a, value(), 0, 60);
            else if (a == "--starts") opt.starts = whole(a, value(), 1, 1000);
            else if (a.starts_with("-")) throw UsageError("unknown option '" + a + "'");
            else if (file.empty()) file = a;
            else throw UsageError("propose-trap takes one script");
        }
        if (file.empty() || opt.point.empty()) throw UsageError("propose-trap needs a script and --point P");
    } catch (const UsageError& e) {
        err << "nncert propose-trap: " << e.what() << "\ntry 'nncert propose-trap --help'\n";
        return 4;
    }
    util::FileError read_error;
    const std::optional<std::string> text = util::read_file(file, read_error);
    if (!text) {
        err << util::escape_for_display(file) << ": error[" << read_error.code << "]: " << read_error.message << "\n";
        return 2;
    }
    try {
        const script::Script s = script::parse_text(*text, file, std::filesystem::path(file).parent_path().string());
        const auto it = std::find_if(s.points.begin(), s.points.end(), [&](const kernel::Point& q) { return q.name == opt.point; });
        if (it == s.points.end()) {
            err << "nncert propose-trap: the script has no point named '" << util::escape_for_display(opt.point)
                << "'\ntry 'nncert propose-trap --help'\n";
            return 4;
        }
        const TrapProposal t = propose_trap(s.problem, it->params, opt);
        const std::string name = opt.name.empty() ? opt.point + "_trap" : opt.name;
        out << proposal_text(s.problem.net, t, name, opt.point);
        std::size_t widened = 0;
        for (std::size_t k = 0; k < t.lo.size(); ++k) widened += !t.lo[k] || !t.hi[k];
        err << "nncert propose-trap: " << opt.point << ": L(P) ~ " << double(t.loss_at_p) << ", after " << t.steps
            << " descent steps ~ " << double(t.loss_after) << "; " << widened << " of " << t.lo.size()
            << " coordinates widened to infinity; ";
        if (t.worst_face.empty()) err << "no finite face\n";
        else
            err << "lowest face estimate ~ L(P) " << (t.worst_margin >= 0 ? "+ " : "- ") << double(std::fabs(t.worst_margin))
                << " (face of " << s.problem.net.param_name(std::stoul(t.worst_face)) << ")\n";
        return t.worst_face.empty() || t.worst_margin > 0 ? 0 : 3;
    } catch (const script::ParseError& e) {
        err << e.format() << "\n";
        return 1;
    }
}

}  // namespace nncert::tools
