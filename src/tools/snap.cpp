// UNTRUSTED: `nncert snap` (snap.hpp). Exact rational linear algebra on the effective parameters of a
// one-hidden-layer piecewise-linear network; the kernel then decides `local_min` on the result.
#include "tools/snap.hpp"

#include "import/number_text.hpp"
#include "kernel/autodiff.hpp"
#include "kernel/exact.hpp"
#include "kernel/kernel.hpp"
#include "script/number.hpp"
#include "script/parser.hpp"
#include "script/resolve.hpp"
#include "script/load.hpp"
#include "script/script.hpp"
#include "script/wrap.hpp"
#include "util/files.hpp"
#include "util/unicode.hpp"
#include "runtime/isolate.hpp"
#include "runtime/memory.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

namespace nncert::tools {

namespace {

using kernel::Matrix;
using kernel::Rational;
using kernel::Vector;

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

Rational absq(const Rational& q) { return q < 0 ? Rational(-q) : q; }

// Solves M x = rhs exactly (Gauss-Jordan over the rationals). Where M is singular and the system is
// consistent, free unknowns take their value in `fallback`; an inconsistent system gives nothing.
std::optional<Vector> solve_exact(Matrix m, Vector rhs, const Vector& fallback) {
    const std::size_t n = m.size(), cols = m.empty() ? 0 : m[0].size();
    std::vector<std::size_t> pivot_col;
    std::size_t row = 0;
    for (std::size_t c = 0; c < cols && row < n; ++c) {
        std::size_t p = row;
        while (p < n && kernel::is_zero(m[p][c])) ++p;
        if (p == n) continue;
        std::swap(m[p], m[row]);
        std::swap(rhs[p], rhs[row]);
        const Rational inv = Rational(1) / m[row][c];
        for (std::size_t k = c; k < cols; ++k) m[row][k] *= inv;
        rhs[row] *= inv;
        for (std::size_t r = 0; r < n; ++r) {
            if (r == row || kernel::is_zero(m[r][c])) continue;
            const Rational f = m[r][c];
            for (std::size_t k = c; k < cols; ++k)
                if (!kernel::is_zero(m[row][k])) m[r][k] -= f * m[row][k];
            rhs[r] -= f * rhs[row];
        }
        pivot_col.push_back(c);
        ++row;
    }
    for (std::size_t r = row; r < n; ++r)
        if (!kernel::is_zero(rhs[r])) return std::nullopt;
    Vector x(cols);
    std::vector<bool> is_pivot(cols, false);
    for (std::size_t c : pivot_col) is_pivot[c] = true;
    for (std::size_t c = 0; c < cols; ++c)
        if (!is_pivot[c]) x[c] = c < fallback.size() ? fallback[c] : Rational(0);
    for (std::size_t r = 0; r < pivot_col.size(); ++r) {
        Rational v = rhs[r];
        for (std::size_t c = 0; c < cols; ++c)
            if (!is_pivot[c] && !kernel::is_zero(m[r][c])) v -= m[r][c] * x[c];
        x[pivot_col[r]] = v;
    }
    return x;
}

// The one-hidden-layer geometry snap works in.
struct Layout {
    std::size_t d, m;           // inputs, hidden units
    bool hidden_bias, output_bias;
    std::size_t block() const { return d + (hidden_bias ? 1 : 0); }  // phi_j = V_j (w_j, b_j)
    std::size_t size() const { return m * block() + (output_bias ? 1 : 0); }
};

Rational slope(const kernel::Activation& a, int sign) {
    if (sign > 0 || a.kind == kernel::ActivationKind::identity) return Rational(1);
    return a.kind == kernel::ActivationKind::relu ? Rational(0) : a.alpha;
}

std::string body(const kernel::Network& net, const Vector& p) {
    std::string out = "{\n";
    for (std::size_t l = 0; l < net.layers.size(); ++l) {
        const std::size_t rows = net.layers[l].width, cols = net.fan_in(l), w = net.weight_offset(l);
        out += "  W" + std::to_string(l + 1) + " = [";
        for (std::size_t i = 0; i < rows; ++i) {
            out += i ? ", [" : "[";
            for (std::size_t j = 0; j < cols; ++j) out += (j ? ", " : "") + import::exact_decimal(p[w + i * cols + j]);
            out += "]";
        }
        out += "]\n";
        if (!net.has_bias(l)) continue;
        out += "  b" + std::to_string(l + 1) + " = [";
        for (std::size_t i = 0; i < rows; ++i) out += (i ? ", " : "") + import::exact_decimal(p[net.bias_offset(l) + i]);
        out += "]\n";
    }
    return script::wrap_script(out + "}");  // the view rule: no line past column 160 (wrap.hpp)
}

std::string approx(const Rational& q) {
    return import::rounded_decimal(q, 2);
}

}  // namespace

std::string snap_unsupported(const kernel::Problem& pb) {
    const kernel::Network& net = pb.net;
    bool smooth = true;
    for (const kernel::Layer& l : net.layers) smooth = smooth && !l.activation.has_kink();
    if (net.layers.size() != 2 || !net.layers[0].activation.is_piecewise_linear() ||
        net.layers[1].activation.kind != kernel::ActivationKind::identity || net.output_dim() != 1)
        return std::string("snap handles one hidden layer of identity/relu/leaky_relu units and one identity output "
                           "unit") + (smooth ? "; for smooth networks use `nncert refine`" : "");
    if (!kernel::is_squared_error(pb.loss) || !kernel::is_zero(pb.weight_decay))
        return "snap needs a squared-error loss (sse, sse/2, mse) without weight decay";
    return "";
}

SnapResult snap_script(const std::string& text, const std::string& filename, const std::string& base_dir,
                       const SnapOptions& opt) {
    const script::syntax::File file = script::parse_syntax(text, filename);
    const script::Script s = script::resolve(file, filename, base_dir);
    const kernel::Problem& pb = s.problem;
    const kernel::Network& net = pb.net;
    auto found = std::find_if(s.points.begin(), s.points.end(), [&](const kernel::Point& p) { return p.name == opt.point; });
    if (found == s.points.end()) throw std::invalid_argument("no point named '" + opt.point + "' in " + filename);
    if (const std::string why = snap_unsupported(pb); !why.empty()) throw std::invalid_argument(why);

    SnapResult res;
    const Vector p0 = found->params;
    const kernel::Activation& act = net.layers[0].activation;
    const Layout lay{net.input_dim, net.layers[0].width, net.has_bias(0), net.has_bias(1)};
    const std::size_t w1 = net.weight_offset(0), b1 = net.bias_offset(0), w2 = net.weight_offset(1), b2 = net.bias_offset(1);
    res.loss_before = kernel::loss(pb, p0);

    // Pre-activations at the float point; a pair (i, j) with |z| <= tol (|w_j||x_i| + |b_j|) is a kink.
    const std::size_t n = pb.data.size();
    std::vector<Vector> z(n, Vector(lay.m));
    std::vector<std::vector<int>> side(n, std::vector<int>(lay.m));
    std::set<std::pair<std::size_t, std::size_t>> kinks;
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < lay.m; ++j) {
            Rational zij = lay.hidden_bias ? p0[b1 + j] : Rational(0), scale = lay.hidden_bias ? absq(p0[b1 + j]) : Rational(0);
            for (std::size_t k = 0; k < lay.d; ++k) {
                zij += p0[w1 + j * lay.d + k] * pb.data[i].x[k];
                scale += absq(p0[w1 + j * lay.d + k] * pb.data[i].x[k]);
            }
            z[i][j] = zij;
            side[i][j] = zij.sign();
            if (act.has_kink() && absq(zij) <= opt.tolerance * scale) kinks.insert({i, j});
        }
    // The effective parameters of the float point: phi_j = V_j (w_j, b_j), then c.
    Vector phi0(lay.size());
    for (std::size_t j = 0; j < lay.m; ++j) {
        const Rational v = p0[w2 + j];
        for (std::size_t k = 0; k < lay.d; ++k) phi0[j * lay.block() + k] = v * p0[w1 + j * lay.d + k];
        if (lay.hidden_bias) phi0[j * lay.block() + lay.d] = v * p0[b1 + j];
    }
    if (lay.output_bias) phi0.back() = p0[b2];
    // Output weights: V_j rounded to a short decimal of the same sign (phi fixes only the products).
    Vector v_new(lay.m);
    for (std::size_t j = 0; j < lay.m; ++j) {
        v_new[j] = kernel::is_zero(p0[w2 + j]) ? Rational(0) : script::parse_number(import::rounded_decimal(p0[w2 + j], opt.digits));
        if (v_new[j].sign() != p0[w2 + j].sign()) v_new[j] = p0[w2 + j];
    }

    for (int round = 0; round < opt.max_rounds; ++round) {
        res.log.push_back("round " + std::to_string(round + 1) + ": " + std::to_string(kinks.size()) +
                          " kink pair(s) held at z = 0");
        // Design matrix A (rows: data points) on the fixed pattern, and the constraints C phi = 0.
        const std::size_t np = lay.size();
        Matrix a(n, Vector(np));
        for (std::size_t i = 0; i < n; ++i) {
            for (std::size_t j = 0; j < lay.m; ++j) {
                if (kinks.count({i, j})) continue;  // contributes 0: its pre-activation is held at 0
                const Rational sl = slope(act, side[i][j]);
                if (kernel::is_zero(sl)) continue;
                for (std::size_t k = 0; k < lay.d; ++k) a[i][j * lay.block() + k] = sl * pb.data[i].x[k];
                if (lay.hidden_bias) a[i][j * lay.block() + lay.d] = sl;
            }
            if (lay.output_bias) a[i][np - 1] = 1;
        }
        Matrix c;
        for (const auto& [i, j] : kinks) {
            Vector row(np);
            for (std::size_t k = 0; k < lay.d; ++k) row[j * lay.block() + k] = pb.data[i].x[k];
            if (lay.hidden_bias) row[j * lay.block() + lay.d] = 1;
            c.push_back(row);
        }
        for (std::size_t j = 0; j < lay.m; ++j)  // a unit with V_j = 0 contributes nothing: phi_j = 0
            if (kernel::is_zero(v_new[j]))
                for (std::size_t k = 0; k < lay.block(); ++k) {
                    Vector row(np);
                    row[j * lay.block() + k] = 1;
                    c.push_back(row);
                }
        // KKT system of min sum_i w_i (A phi - y)_i^2 subject to C phi = 0.
        const std::size_t nc = c.size(), total = np + nc;
        Matrix kkt(total, Vector(total));
        Vector rhs(total), fallback(phi0);
        fallback.resize(total);
        for (std::size_t i = 0; i < n; ++i) {
            const Rational& wi = pb.data[i].weight;
            for (std::size_t r = 0; r < np; ++r) {
                if (kernel::is_zero(a[i][r])) continue;
                rhs[r] += wi * a[i][r] * pb.data[i].y[0];
                for (std::size_t q = 0; q < np; ++q)
                    if (!kernel::is_zero(a[i][q])) kkt[r][q] += wi * a[i][r] * a[i][q];
            }
        }
        for (std::size_t k = 0; k < nc; ++k)
            for (std::size_t r = 0; r < np; ++r) {
                kkt[np + k][r] = c[k][r];
                kkt[r][np + k] = c[k][r];
            }
        const std::optional<Vector> sol = solve_exact(kkt, rhs, fallback);
        if (!sol) {
            res.why = "the kink constraints are inconsistent with each other";
            return res;
        }
        // Back to weights: w_j = phi_w / V_j, b_j = phi_b / V_j with the rounded V_j; c = phi_c.
        Vector p = p0;
        for (std::size_t j = 0; j < lay.m; ++j) {
            if (kernel::is_zero(v_new[j])) continue;
            p[w2 + j] = v_new[j];
            for (std::size_t k = 0; k < lay.d; ++k) p[w1 + j * lay.d + k] = (*sol)[j * lay.block() + k] / v_new[j];
            if (lay.hidden_bias) p[b1 + j] = (*sol)[j * lay.block() + lay.d] / v_new[j];
        }
        if (lay.output_bias) p[b2] = (*sol)[np - 1];
        // Is the pattern kept? Pairs that left their side (or reached 0) become kinks for the next round.
        std::vector<std::pair<std::size_t, std::size_t>> flipped;
        kernel::Pass<Rational> pass;
        for (std::size_t i = 0; i < n; ++i) {
            kernel::forward(net, p, pb.data[i].x, pass);
            for (std::size_t j = 0; j < lay.m; ++j) {
                if (kinks.count({i, j})) continue;
                if (act.has_kink() && pass.z[0][j].sign() != side[i][j]) flipped.emplace_back(i, j);
            }
        }
        if (!flipped.empty()) {
            for (const auto& f : flipped) kinks.insert(f);
            std::string which;
            for (const auto& [i, j] : flipped)
                which += " (data " + std::to_string(i + 1) + ", unit " + std::to_string(j + 1) + ")";
            res.log.push_back("  " + std::to_string(flipped.size()) + " pair(s) crossed their kink, now held at z = 0:" + which);
            continue;
        }
        res.point = p;
        res.kinks = kinks.size();
        res.moved = 0;
        for (std::size_t k = 0; k < p.size(); ++k) res.moved = std::max(res.moved, absq(p[k] - p0[k]));
        res.loss_after = kernel::loss(pb, p);
        res.log.push_back("  exact point found: moved by at most " + approx(res.moved) + ", loss " +
                          approx(res.loss_before) + " -> " + approx(res.loss_after));
        if (res.moved > opt.max_move) {
            res.why = "the exact point with this activation pattern is " + approx(res.moved) +
                      " away (more than --max-move " + approx(opt.max_move) +
                      "): P is not near a kinked minimum of this pattern; train further or loosen --tol";
            return res;
        }
        res.solved = true;
        break;
    }
    if (!res.solved) {
        if (res.why.empty()) res.why = "the activation pattern kept changing for " + std::to_string(opt.max_rounds) + " rounds";
        return res;
    }
    // Splice the new point into the script, keeping everything else as written.
    for (const auto& pt : file.points)
        if (pt.name == opt.point) {
            res.text = text;
            res.text.replace(pt.body_begin, pt.body_end - pt.body_begin, body(net, res.point));
        }
    script::parse_text(res.text, filename, base_dir);  // the rewrite must still be a valid script
    if (opt.check) decide_local_min(pb, opt.point, res);
    return res;
}

void decide_local_min(const kernel::Problem& pb, const std::string& point, SnapResult& res,
                      std::optional<std::chrono::steady_clock::time_point> deadline) {
    kernel::Claim claim;
    claim.kind = kernel::ClaimKind::local_min;
    kernel::Options options;
    options.deadline = deadline;
    const kernel::Verdict v = kernel::check(pb, {kernel::Point{point, res.point}}, claim, options);
    res.local_min = v.outcome();
    res.method = v.method();
    if (v.outcome() != kernel::Outcome::certified)
        res.why = v.outcome() == kernel::Outcome::refuted
                      ? "the exact point of this pattern is not a local minimum (" + v.method() +
                            "): the loss decreases along a ray, so P is not near a kinked minimum with these kinks"
                      : "the kernel cannot decide local_min at the exact point: " + v.reason();
}

namespace {

// What the solving child reports back: nlohmann-json through the pipe of runtime::run_isolated.
std::string encode(const SnapResult& r) {
    nlohmann::json j;
    j["solved"] = r.solved;
    j["why"] = r.why;
    j["log"] = r.log;
    j["text"] = r.text;
    j["kinks"] = r.kinks;
    j["moved"] = r.solved ? approx(r.moved) : "";
    return j.dump();
}

}  // namespace

int run_snap(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    SnapOptions opt;
    runtime::ResourceLimits limits;  // the same defaults as `nncert check`: 600 s, 4096 MiB
    std::string file, output;
    try {
        std::optional<std::string> timeout, max_memory;  // script::resource_limits reads them
        for (std::size_t i = 0; i < args.size(); ++i) {
            const std::string& a = args[i];
            auto value = [&]() -> std::string {
                if (i + 1 >= args.size()) throw UsageError(a + " needs a value");
                return args[++i];
            };
            auto number = [&](const std::string& v) {
                try {
                    return script::parse_number(v);
                } catch (const script::ParseError&) {
                    throw UsageError(a + " needs an exact number such as 1e-6, got '" + v + "'");
                }
            };
            if (a == "--help" || a == "-h") {
                out << "usage: nncert snap FILE --point P [--tol T] [--max-move M] [--digits D] [--timeout S]\n"
                       "                  [--max-memory MIB] [--output FILE.nnc]\n"
                       "  --tol T           |z| <= T (|w||x| + |b|) counts as a kink (default 1e-4)\n"
                       "  --max-move M      refuse an exact point farther than M from P (max norm; default 1/100)\n"
                       "  --digits D        significant digits of the output weights (default 6)\n"
                       "  --timeout S       wall-clock cap in seconds for reading the script, for the solve, and again\n"
                       "                    for the kernel's local_min check (default 600, as in `nncert check`; 0: none)\n"
                       "  --max-memory MIB  memory cap for each of the two, and for reading the script (default 4096,\n"
                       "                    at least 256; 0: none)\n"
                       "  -o, --output FILE write the script there instead of standard output\n"
                       "Scope: one hidden layer of identity/relu/leaky_relu units, one identity output, a squared-error\n"
                       "loss without weight decay (docs/pytorch.md). exit codes: 0 written and local_min certified;\n"
                       "3 no exact point found, or written but not certified; 2 malformed or unreadable script;\n"
                       "4 usage error or a network snap does not handle.\n";
                return 0;
            }
            if (a == "--point") opt.point = value();
            else if (a == "--output" || a == "-o") output = value();
            else if (a == "--tol") {
                opt.tolerance = number(value());
                if (opt.tolerance < 0) throw UsageError("--tol must be >= 0");
            } else if (a == "--max-move") {
                opt.max_move = number(value());
                if (opt.max_move < 0) throw UsageError("--max-move must be >= 0");
            } else if (a == "--digits") {
                const std::string v = value();
                if (v.empty() || v.size() > 3 || v.find_first_not_of("0123456789") != std::string::npos ||
                    std::stoul(v) < 1 || std::stoul(v) > 100)
                    throw UsageError("--digits needs a whole number from 1 to 100");
                opt.digits = static_cast<unsigned>(std::stoul(v));
            } else if (a == "--timeout") timeout = value();
            else if (a == "--max-memory") max_memory = value();
            else if (a.starts_with("-")) throw UsageError("unknown option '" + a + "'");
            else if (file.empty()) file = a;
            else throw UsageError("snap takes one script");
        }
        if (file.empty() || opt.point.empty()) throw UsageError("snap needs a script and --point P");
        try {
            limits = script::resource_limits(timeout, max_memory, limits);
        } catch (const std::invalid_argument& e) {
            throw UsageError(e.what());
        }
    } catch (const UsageError& e) {
        err << "nncert snap: " << util::escape_for_display(e.what()) << "\ntry 'nncert snap --help'\n";  // one line, not the whole help
        return 4;
    }
    // Read (regular files only) and parsed under the same --timeout and --max-memory as the solve and the check
    // (script/load.hpp); the children below parse it again under their own limits.
    const std::string base = std::filesystem::path(file).parent_path().string();
    script::LoadedScript loaded = script::load_script(file, base, {limits.timeout_seconds, limits.max_memory_mib});
    if (loaded.error) {
        err << loaded.error->format() << "\n";
        return 2;
    }
    const std::optional<std::string> text = std::move(loaded.bytes);
    // Written at the end, over the data file the script reads it would destroy the data (device and inode:
    // a hard or symbolic link too); a FIFO or device as output would block (util::output_problem).
    if (!output.empty()) {
        std::vector<util::NamedInput> inputs;
        if (loaded.script->data_file) {
            const std::string d = script::data_file_path(*loaded.script->data_file, base);
            inputs.push_back({d, "the data file " + util::quoted_name(d) + " that the script reads"});
        }
        std::optional<std::string> problem = util::output_problem(output, inputs);
        // Written in another folder, a relative `data "FILE"` must still name the file read.
        if (!problem) {
            try {
                (void)script::text_for_output(*text, file, base, output);
            } catch (const std::exception& e) {
                problem = std::string("cannot be used: ") + e.what();
            }
        }
        if (problem) {
            err << "nncert snap: -o " << util::escape_for_display(util::quoted_name(output)) << " " << util::escape_for_display(*problem)
                << "\ntry 'nncert snap --help'\n";
            return 4;
        }
    }
    loaded.script.reset();
    const std::string point = util::escape_for_display(opt.point);
    auto stopped = [&](const runtime::Isolated& job, const std::string& during) {
        switch (job.kind) {
            case runtime::Isolated::Kind::timeout:
                return "stopped by the time cap (--timeout " + std::to_string(limits.timeout_seconds) + " s) " + during;
            case runtime::Isolated::Kind::memory:
                return "stopped by " +
                       runtime::memory_stop_phrase(job.result_over_cap, limits, "the memory cap (--max-memory " +
                                                                               std::to_string(limits.max_memory_mib) +
                                                                               " MiB)") +
                       " " + during;
            default:
                return "internal error " + during + ": " + job.detail;
        }
    };
    // 1. The exact solve, in a child process under the caps (a large network's exact elimination is costly).
    SnapOptions solve_opt = opt;
    solve_opt.check = false;
    const runtime::Isolated solve = runtime::run_isolated(
        [&]() -> std::string {
            try {
                return "ok\n" + encode(snap_script(*text, file, base, solve_opt));
            } catch (const script::ParseError& e) {
                return "parse\n" + e.format();
            } catch (const std::invalid_argument& e) {
                return "usage\n" + std::string(e.what());
            }
        },
        limits);
    if (solve.kind != runtime::Isolated::Kind::done) {
        err << "nncert snap: " << point << ": " << stopped(solve, "while solving for the exact point")
            << "; no exact point written\n";
        return solve.kind == runtime::Isolated::Kind::timeout || solve.kind == runtime::Isolated::Kind::memory ? 3 : 5;
    }
    const std::size_t nl = solve.payload.find('\n');
    const std::string tag = solve.payload.substr(0, nl), body_text = solve.payload.substr(nl + 1);
    if (tag == "parse") {
        err << body_text << "\n";
        return 2;
    }
    if (tag == "usage") {  // one line and the pointer to the help, as every usage error
        err << "nncert snap: " << util::escape_for_display(body_text) << "\ntry 'nncert snap --help'\n";
        return 4;
    }
    const nlohmann::json r = nlohmann::json::parse(body_text);
    for (const auto& line : r.at("log")) err << "nncert snap: " << line.get<std::string>() << "\n";
    if (!r.at("solved").get<bool>()) {
        err << "nncert snap: " << point << ": no exact point written: " << r.at("why").get<std::string>() << "\n";
        return 3;
    }
    const std::string written = r.at("text").get<std::string>();
    // 2. The kernel's local_min at the written point, in its own child under the same caps; a stopped check
    //    still writes the exact point (`nncert check` with larger caps decides it).
    std::string verdict_line;
    bool certified = false;
    const runtime::Isolated check = runtime::run_isolated(
        [&]() -> std::string {
            const auto start = std::chrono::steady_clock::now();
            const script::Script s = script::parse_text(written, file, base);
            SnapResult res;
            res.solved = true;
            for (const kernel::Point& p : s.points)
                if (p.name == opt.point) res.point = p.params;
            std::optional<std::chrono::steady_clock::time_point> deadline;
            if (const auto budget = runtime::kernel_time_budget(limits.timeout_seconds)) deadline = start + *budget;
            decide_local_min(s.problem, opt.point, res, deadline);
            return std::string(res.local_min == kernel::Outcome::certified ? "1" : "0") + "local_min " +
                   kernel::to_string(res.local_min) + " [" + res.method + "]" + (res.why.empty() ? "" : ": " + res.why);
        },
        limits);
    if (check.kind == runtime::Isolated::Kind::done) {
        certified = check.payload[0] == '1';
        verdict_line = check.payload.substr(1);
    } else if (check.kind == runtime::Isolated::Kind::timeout || check.kind == runtime::Isolated::Kind::memory) {
        verdict_line = "local_min not decided: " + stopped(check, "during the kernel's check") +
                       "; run `nncert check` on the written script with larger caps";
    } else {
        err << "nncert snap: " << point << ": " << stopped(check, "during the kernel's check") << "\n";
        return 5;
    }
    if (output.empty()) out << written << std::flush;
    else if (const int code = script::write_script_output(written, file, base, output, "nncert snap", err); code != 0)
        return code;
    err << "nncert snap: " << point << ": " << r.at("kinks").get<std::size_t>() << " kink pair(s), moved by "
        << r.at("moved").get<std::string>() << ", " << verdict_line << "\n";
    return certified ? 0 : 3;
}

}  // namespace nncert::tools
