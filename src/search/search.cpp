// The float side of `nncert search`: training runs, classification of where they end, dataset families,
// pairing bad strict minima with better points, and proof-script candidates. Nothing here is trusted.
#include "search/search.hpp"

#include "script/wrap.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>

namespace nncert::search {

const char* to_string(RunKind k) {
    switch (k) {
        case RunKind::strict_min: return "strict_min";
        case RunKind::large_min: return "large_min";
        case RunKind::degenerate: return "degenerate";
        case RunKind::plateau: return "plateau";
    }
    return "?";
}

int correct_count(const Arch& ar, const Dataset& d, const Params<long double>& p) {
    int k = 0;
    for (const Row& r : d) {
        const long double f = output<long double>(ar, p, r.x0 / (long double)coord_scale, r.x1 / (long double)coord_scale);
        const long double s = f - 0.5L;
        if ((r.y == 1 && s > 0) || (r.y == 0 && s < 0)) ++k;
    }
    return k;
}

namespace {

template <class T>
T inf_norm(const Params<T>& v) {
    T m = 0;
    for (T x : v) m = std::max(m, std::abs(x));
    return m;
}

template <class T, class U>
Params<T> convert(const Params<U>& p) {
    Params<T> q;
    for (std::size_t i = 0; i < num_params; ++i) q[i] = T(p[i]);
    return q;
}

}  // namespace

RunResult train(const Arch& ar, const Dataset& d, const Params<double>& init, const Tolerances& tol) {
    RunResult res;
    Params<double> p = init, g, step, trial;
    Mat<double> H;
    double L = evaluate<double>(ar, d, p, &g, &H);
    double mu = 1e-3;
    bool converged = false, escaped = false;
    int it = 0;
    for (; it < tol.max_iter; ++it) {
        if (inf_norm(g) < tol.grad) {
            converged = true;
            break;
        }
        Params<double> rhs;
        for (std::size_t i = 0; i < num_params; ++i) rhs[i] = -g[i];
        while (!chol_solve(H, mu, rhs, step)) mu = std::max(mu * 4, 1e-8);
        for (std::size_t i = 0; i < num_params; ++i) trial[i] = p[i] + step[i];
        const double Lt = evaluate<double>(ar, d, trial);
        if (std::isfinite(Lt) && Lt <= L) {
            p = trial;
            L = evaluate<double>(ar, d, p, &g, &H);
            mu = std::max(mu / 3, 1e-12);
            if (inf_norm(p) > tol.escape) {
                escaped = true;
                break;
            }
        } else {
            mu *= 4;
            if (mu > 1e14) break;  // no descent step found: flat or stalled
        }
    }
    res.iterations = it;
    res.theta = convert<long double>(p);
    if (converged) {
        // Polish in long double by plain Newton steps: about 19 significant digits for the script's centre.
        Params<long double> q = res.theta, gq, sq;
        Mat<long double> Hq;
        for (int k = 0; k < 4; ++k) {
            evaluate<long double>(ar, d, q, &gq, &Hq);
            Params<long double> rhs;
            for (std::size_t i = 0; i < num_params; ++i) rhs[i] = -gq[i];
            if (!lu_solve(Hq, rhs, sq)) break;
            if (inf_norm(sq) > 1e-3L) break;  // Newton would jump away: keep the double answer
            for (std::size_t i = 0; i < num_params; ++i) q[i] += sq[i];
        }
        res.theta = q;
    }
    Params<long double> gl;
    Mat<long double> Hl;
    res.loss = evaluate<long double>(ar, d, res.theta, &gl, &Hl);
    res.grad_inf = double(inf_norm(gl));
    res.weight_max = double(inf_norm(res.theta));
    res.correct = correct_count(ar, d, res.theta);
    Mat<double> Hd;
    for (std::size_t i = 0; i < num_params; ++i)
        for (std::size_t j = 0; j < num_params; ++j) Hd[i][j] = double(Hl[i][j]);
    const auto ev = eigenvalues(Hd);
    res.lam_min = ev.front();
    res.lam_max = ev.back();
    if (!converged || escaped || res.grad_inf > 1e-8) {
        res.kind = RunKind::plateau;
    } else if (res.lam_min < tol.eig_rel * std::max(1.0, res.lam_max)) {
        res.kind = RunKind::degenerate;
    } else {
        res.kind = res.weight_max <= tol.wmax ? RunKind::strict_min : RunKind::large_min;
    }
    return res;
}

namespace {

std::uint64_t splitmix(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

double data_scale(const Dataset& d) {
    double m = 0.1;
    for (const Row& r : d) m = std::max({m, std::abs(r.fx0()), std::abs(r.fx1())});
    return m;
}

}  // namespace

Deadline Deadline::after(unsigned seconds) {
    Deadline d;
    if (seconds) d.at = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    return d;
}

namespace {

// The run of loss below `m`'s (by a relative margin of 1e-6) with the most correct rows (ties: the lower loss).
const RunResult* better_point(const std::vector<RunResult>& runs, const RunResult& m) {
    const long double margin = 1e-6L * std::max(1.0L, std::abs(m.loss));
    const RunResult* q = nullptr;
    for (const RunResult& r : runs) {
        if (!(r.loss < m.loss - margin)) continue;
        if (!q || r.correct > q->correct || (r.correct == q->correct && r.loss < q->loss)) q = &r;
    }
    return q;
}

}  // namespace

DatasetOutcome analyse(const Arch& ar, const Dataset& d, int inits, std::uint64_t seed, const Tolerances& tol,
                       const Deadline& deadline, double trap_ratio) {
    const auto check_time = [&] {
        if (deadline.passed()) throw SearchStopped();
    };
    DatasetOutcome out;
    std::mt19937_64 rng(splitmix(seed));
    std::normal_distribution<double> nd(0.0, 1.0);
    const double scales[4] = {0.5, 1, 2, 4};
    const double ds = data_scale(d);
    std::vector<RunResult> runs;
    runs.reserve(inits);
    for (int k = 0; k < inits; ++k) {
        check_time();
        const double s = scales[k % 4];
        Params<double> p;
        for (std::size_t i = 0; i < num_params; ++i) p[i] = s * nd(rng) * (i < 4 ? 1 / ds : 1.0);
        runs.push_back(train(ar, d, p, tol));
    }
    out.runs = inits;
    out.best_loss = 1e300;
    for (const RunResult& r : runs) {
        out.count[int(r.kind)]++;
        out.best_loss = std::min(out.best_loss, double(r.loss));
        out.best_correct = std::max(out.best_correct, r.correct);
    }
    // Distinct strict minima, by loss (the two hidden units can swap, so weights are no key).
    std::vector<const RunResult*> mins;
    for (const RunResult& r : runs) {
        if (r.kind != RunKind::strict_min) continue;
        check_time();  // quadratic in the runs: 10^10 steps at 100,000 inits
        bool seen = false;
        for (const RunResult* m : mins)
            seen = seen || std::abs(double(m->loss - r.loss)) <= 1e-9 * std::max(1.0, double(std::abs(r.loss)));
        if (!seen) mins.push_back(&r);
    }
    out.distinct_strict = int(mins.size());
    out.score = mins.empty() ? 3 : 2;
    if (mins.empty()) {
        // No strict minimum: evolve still needs a slope, so reward converged runs closest to positive definite.
        double best_rel = 0;
        for (const RunResult& r : runs)
            if (r.kind == RunKind::degenerate && r.lam_min > 0)
                best_rel = std::max(best_rel, std::min(1.0, r.lam_min / (tol.eig_rel * std::max(1.0, r.lam_max))));
        out.score = 3 - 0.5 * best_rel;
    }
    for (const RunResult* m : mins) {
        check_time();
        const RunResult* q = better_point(runs, *m);
        if (!q || q->correct == 0) continue;
        Pair pr{*m, *q, true};
        // Tie-break towards bad points whose correct rows sit close to the threshold (easier to flip).
        double near = 0;
        for (const Row& row : d) {
            const double f = double(output<long double>(ar, m->theta, row.x0 / (long double)coord_scale, row.x1 / (long double)coord_scale));
            if ((row.y == 1) == (f > 0.5)) near += std::min(1.0, std::abs(f - 0.5));
        }
        const double score = pr.ratio() + 0.01 * near / double(d.size());
        if (score < out.score) {
            out.score = score;
            out.best = pr;
        }
    }
    if (trap_ratio > 0) {
        // Trap mode: every plateau run is a candidate P (where training stalled), paired as strict minima are.
        for (const RunResult& m : runs) {
            if (m.kind != RunKind::plateau) continue;
            check_time();  // quadratic in the runs, as above
            const RunResult* q = better_point(runs, m);
            if (!q || q->correct == 0) continue;
            const Pair pr{m, *q, true};
            if (pr.ratio() <= trap_ratio + 1e-12) out.bad_plateaus++;
            const long double gap = m.loss - q->loss, old_gap = out.trap.bad.loss - out.trap.better.loss;
            if (!out.trap.valid || pr.ratio() < out.trap.ratio() || (pr.ratio() == out.trap.ratio() && gap > old_gap))
                out.trap = pr;
        }
    }
    return out;
}

// ---- dataset families -------------------------------------------------------------------------------

const std::vector<std::string>& family_names() {
    static const std::vector<std::string> names = {"grid", "cloud", "clusters", "conflict", "xor", "ring", "evolve"};
    return names;
}

namespace {

int uniform_int(std::mt19937_64& rng, int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }

bool both_labels(const Dataset& d) {
    bool z = false, o = false;
    for (const Row& r : d) (r.y ? o : z) = true;
    return z && o;
}

void random_labels(Dataset& d, std::mt19937_64& rng) {
    do {
        for (Row& r : d) r.y = uniform_int(rng, 0, 1);
    } while (d.size() > 1 && !both_labels(d));
}

// n distinct points of the integer grid [-k, k]^2.
Dataset grid_points(int n, int k, std::mt19937_64& rng) {
    std::set<std::pair<int, int>> used;
    Dataset d;
    while (int(d.size()) < n) {
        const int a = uniform_int(rng, -k, k) * coord_scale, b = uniform_int(rng, -k, k) * coord_scale;
        if (used.insert({a, b}).second) d.push_back({a, b, 0});
    }
    return d;
}

// Rounded to one decimal, in hundredths.
int tenths(double v) { return int(std::lround(v * 10)) * (coord_scale / 10); }

}  // namespace

Dataset make_dataset(const std::string& family, int n, std::mt19937_64& rng) {
    std::normal_distribution<double> nd(0.0, 1.0);
    Dataset d;
    if (family == "grid" || family == "evolve") {
        d = grid_points(n, n <= 6 ? 1 : 2, rng);
        random_labels(d, rng);
    } else if (family == "cloud") {
        std::set<std::pair<int, int>> used;
        while (int(d.size()) < n) {
            const int a = tenths(nd(rng)), b = tenths(nd(rng));
            if (used.insert({a, b}).second) d.push_back({a, b, 0});
        }
        random_labels(d, rng);
    } else if (family == "clusters") {
        // Two clusters, each mostly one class, with a few labels flipped.
        const double cx = 1.5 + nd(rng) * 0.3, cy = nd(rng) * 0.8;
        std::set<std::pair<int, int>> used;
        while (int(d.size()) < n) {
            const int c = int(d.size()) % 2;
            const double sx = c ? cx : -cx, sy = c ? cy : -cy;
            const int a = tenths(sx + 0.6 * nd(rng)), b = tenths(sy + 0.6 * nd(rng));
            if (!used.insert({a, b}).second) continue;
            const bool flip = std::uniform_real_distribution<double>(0, 1)(rng) < 0.25;
            d.push_back({a, b, flip ? 1 - c : c});
        }
        if (!both_labels(d)) d[0].y = 1 - d[0].y;
    } else if (family == "conflict") {
        // m distinct grid inputs, then n - m repeats of some of them (mostly with the opposite label):
        // the best output at a repeated input is a compromise strictly inside (0, 1).
        const int repeats = std::max(1, uniform_int(rng, 1, std::max(1, n / 3)));
        const int m = std::max(1, n - repeats);
        d = grid_points(m, m <= 6 ? 1 : 2, rng);
        random_labels(d, rng);
        while (int(d.size()) < n) {
            const Row src = d[uniform_int(rng, 0, m - 1)];
            const bool opposite = std::uniform_real_distribution<double>(0, 1)(rng) < 0.75;
            d.push_back({src.x0, src.x1, opposite ? 1 - src.y : src.y});
        }
    } else if (family == "xor") {
        const int corners[4][3] = {{-100, -100, 0}, {100, 100, 0}, {-100, 100, 1}, {100, -100, 1}};
        std::set<std::pair<int, int>> used;
        for (int i = 0; i < std::min(n, 4); ++i) {
            d.push_back({corners[i][0], corners[i][1], corners[i][2]});
            used.insert({corners[i][0], corners[i][1]});
        }
        while (int(d.size()) < n) {
            const int a = uniform_int(rng, -4, 4) * 50, b = uniform_int(rng, -4, 4) * 50;
            if (used.insert({a, b}).second) d.push_back({a, b, uniform_int(rng, 0, 1)});
        }
        if (!both_labels(d)) d[0].y = 1 - d[0].y;
    } else if (family == "ring") {
        // One class in the middle, the other around it at random angles (plus jitter).
        const double pi = std::acos(-1.0);
        const int inner = std::max(1, n / 4);
        std::set<std::pair<int, int>> used;
        while (int(d.size()) < n) {
            const bool in = int(d.size()) < inner;
            const double r = in ? 0.4 * std::abs(nd(rng)) : 1.5 + 0.3 * nd(rng);
            const double t = std::uniform_real_distribution<double>(0, 2 * pi)(rng);
            const int a = tenths(r * std::cos(t)), b = tenths(r * std::sin(t));
            if (used.insert({a, b}).second) d.push_back({a, b, in ? 1 : 0});
        }
    } else {
        throw std::invalid_argument("unknown dataset family '" + family + "'");
    }
    return d;
}

Dataset mutate(const Dataset& d, std::mt19937_64& rng) {
    Dataset e = d;
    const int n = int(e.size());
    const int i = uniform_int(rng, 0, n - 1);
    const int kind = uniform_int(rng, 0, 9);
    if (kind < 6) {
        const int step = (uniform_int(rng, 0, 1) ? 1 : -1) * (uniform_int(rng, 0, 2) == 0 ? 1 : uniform_int(rng, 0, 1) ? 10 : 50);
        (uniform_int(rng, 0, 1) ? e[i].x0 : e[i].x1) += step;
        e[i].x0 = std::clamp(e[i].x0, -400, 400);
        e[i].x1 = std::clamp(e[i].x1, -400, 400);
    } else if (kind < 8) {
        e[i].y = 1 - e[i].y;
    } else {
        // Repeat another row's input with the opposite label.
        const Row& src = e[uniform_int(rng, 0, n - 1)];
        e[i] = {src.x0, src.x1, 1 - src.y};
    }
    if (!both_labels(e)) return d;
    return e;
}

// ---- proof scripts ----------------------------------------------------------------------------------

std::string decimal(long double v, int digits) {
    if (v == 0) return "0";
    if (!std::isfinite(v)) return std::isnan(v) ? "nan" : v > 0 ? "inf" : "-inf";  // for comments, never a claim
    const int exp10 = int(std::floor(std::log10(std::abs(v))));
    const int frac = std::clamp(digits - 1 - exp10, 0, 40);
    char buf[128];
    std::snprintf(buf, sizeof buf, "%.*Lf", frac, v);
    std::string s = buf;
    if (s.find('.') != std::string::npos) {
        while (s.back() == '0') s.pop_back();
        if (s.back() == '.') s.pop_back();
    }
    if (s == "-0") s = "0";
    return s;
}

namespace {

// Exact decimal text of a coordinate kept in hundredths.
std::string coord_text(int t) {
    std::string s = t < 0 ? "-" : "";
    const int a = std::abs(t);
    s += std::to_string(a / 100);
    const int frac = a % 100;
    if (frac) {  // appended piece by piece: `"." + std::to_string(...)` trips GCC 12's -Wrestrict
        s += '.';
        if (frac % 10) {
            if (frac < 10) s += '0';
            s += std::to_string(frac);
        } else {
            s += std::to_string(frac / 10);
        }
    }
    return s;
}

std::string point_block(const std::string& name, const Params<long double>& p) {
    std::ostringstream o;
    o << "point " << name << " {\n"
      << "  W1 = [[" << decimal(p[0]) << ", " << decimal(p[1]) << "], [" << decimal(p[2]) << ", " << decimal(p[3])
      << "]]\n"
      << "  b1 = [" << decimal(p[4]) << ", " << decimal(p[5]) << "]\n"
      << "  W2 = [[" << decimal(p[6]) << ", " << decimal(p[7]) << "]]\n"
      << "  b2 = [" << decimal(p[8]) << "]\n"
      << "}\n";
    return o.str();
}

const char* loss_name(Loss l) { return l == Loss::sse ? "sse" : l == Loss::mse ? "mse" : "bce"; }

}  // namespace

std::string script_body(const Arch& ar, const Dataset& d, const Pair& pr) {
    std::ostringstream o;
    o << "data {\n";
    for (const Row& r : d) o << "  " << coord_text(r.x0) << ", " << coord_text(r.x1) << " -> " << r.y << "\n";
    o << "}\n\nnetwork {\n  input 2\n  dense 2 " << (ar.hidden == Hidden::sigmoid ? "sigmoid" : "tanh")
      << "\n  dense 1 " << (ar.output == Output::sigmoid ? "sigmoid" : "identity") << "\n}\n\n";
    o << "loss " << loss_name(ar.loss) << "\nclassify threshold 1/2\n\n";
    o << point_block("bad", pr.bad.theta) << "\n" << point_block("better", pr.better.theta) << "\n";
    return o.str();
}

std::string write_script(const Arch& ar, const Dataset& d, const Pair& pr, const std::string& radius,
                         const std::string& header) {
    std::ostringstream o;
    const int n = int(d.size());
    o << "nncert 1\n" << header;
    o << "# bad: float loss " << decimal(pr.bad.loss, 12) << ", accuracy " << pr.bad.correct << "/" << n
      << ", Hessian eigenvalues in [" << decimal(pr.bad.lam_min, 6) << ", " << decimal(pr.bad.lam_max, 6)
      << "], |grad|_inf " << pr.bad.grad_inf << ", max |w| " << decimal(pr.bad.weight_max, 4) << "\n";
    o << "# better: float loss " << decimal(pr.better.loss, 12) << ", accuracy " << pr.better.correct << "/" << n
      << " (" << to_string(pr.better.kind) << ", max |w| " << decimal(pr.better.weight_max, 4) << ")\n\n";
    o << script_body(ar, d, pr);
    // Wide enough for a naive interval enclosure of the loss over the box (its overestimate is ~1e-9).
    const long double L = pr.bad.loss, w = 1e-6L * std::max(1.0L, std::abs(L));
    o << "claim strict_local_min bad within " << radius << "\n";
    o << "claim loss bad within " << radius << " in [" << decimal(L - w, 15) << ", " << decimal(L + w, 15) << "]\n";
    o << "claim accuracy bad within " << radius << " = " << pr.bad.correct << "/" << n << "\n";
    o << "claim accuracy better within " << radius << " = " << pr.better.correct << "/" << n << "\n";
    o << "claim gap bad within " << radius << " > better\n";
    return script::wrap_script(o.str());  // the view rule: no line past column 160 (wrap.hpp)
}

}  // namespace nncert::search
