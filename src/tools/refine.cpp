// UNTRUSTED: Newton's method on grad L (interval midpoints at a point, an MPFR approximate inverse), a
// decimal rounding of the result, and a radius search in which every candidate is decided by kernel::check.
#include "tools/refine.hpp"

#include "runtime/isolate.hpp"
#include "runtime/memory.hpp"
#include "tools/refine_float.hpp"
#include "tools/snap.hpp"

#include "kernel/interval/activation.hpp"
#include "kernel/interval/enclose.hpp"
#include "hints/mpfr_linear_algebra.hpp"
#include "kernel/kernel.hpp"
#include "report/approx.hpp"
#include "script/number.hpp"
#include "script/parser.hpp"
#include "script/resolve.hpp"
#include "script/load.hpp"
#include "script/script.hpp"
#include "script/wrap.hpp"
#include "util/files.hpp"
#include "util/unicode.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

namespace nncert::tools {

namespace {

using kernel::Interval;
using kernel::Rational;
using kernel::Vector;

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

Rational max_abs(const Vector& v) {
    Rational m = 0;
    for (const Rational& x : v) m = std::max(m, Rational(abs(x)));
    return m;
}

Rational ten_to(int k) {
    const kernel::Integer p = boost::multiprecision::pow(kernel::Integer(10), static_cast<unsigned>(k < 0 ? -k : k));
    return k < 0 ? Rational(1) / Rational(p) : Rational(p);
}

// One Newton step at x (at the live precision): the step Y g with Y ~ H(x)^-1, or nothing if H(x) is
// numerically singular or the enclosures are not finite.
std::optional<Vector> newton_step(const kernel::Problem& pb, const Vector& x) {
    const kernel::IVector at = kernel::point_box(x);
    const kernel::IVector g = kernel::gradient_enclosure(pb, at);
    const kernel::IMatrix h = kernel::hessian_enclosure(pb, at);
    const std::size_t n = x.size();
    kernel::Matrix hm(n, Vector(n));
    Vector gm(n);
    for (std::size_t i = 0; i < n; ++i) {
        if (!g[i].is_bounded()) return std::nullopt;
        gm[i] = kernel::midpoint(g[i]);
        for (std::size_t j = 0; j < n; ++j) {
            if (!h[i][j].is_bounded()) return std::nullopt;
            hm[i][j] = kernel::midpoint(h[i][j]);
        }
    }
    const auto y = hints::approximate_inverse_untrusted(hm, kernel::PrecisionScope::current());
    if (!y) return std::nullopt;
    Vector step(n);
    for (std::size_t i = 0; i < n; ++i) {
        Interval s;
        for (std::size_t j = 0; j < n; ++j) s += Interval((*y)[i][j]) * Interval(gm[j]);
        step[i] = kernel::midpoint(s);
    }
    return step;
}

// The exact value of a long double, as the sum of two doubles (each an exact rational).
Rational exact_of(long double v) {
    const double hi = static_cast<double>(v);
    return Rational(hi) + Rational(static_cast<double>(v - static_cast<long double>(hi)));
}

// `digits` significant decimal digits of q, as script text (exact: the text is the centre).
std::string decimal_text(const Rational& q, unsigned digits) {
    mpfr_t x;
    mpfr_init2(x, static_cast<mpfr_prec_t>(digits * 4 + 64));
    mpfr_set_q(x, q.backend().data(), MPFR_RNDN);
    if (mpfr_zero_p(x)) {
        mpfr_clear(x);
        return "0";
    }
    mpfr_exp_t e = 0;
    char* raw = mpfr_get_str(nullptr, &e, 10, digits, x, MPFR_RNDN);
    std::string d = raw;
    mpfr_free_str(raw);
    mpfr_clear(x);
    std::string sign;
    if (d[0] == '-') {
        sign = "-";
        d.erase(0, 1);
    }
    d.erase(d.find_last_not_of('0') + 1);  // value = 0.d * 10^e
    const long m = static_cast<long>(d.size());
    // Plain notation writes m digits plus the zeros before or after them; a script literal has at most 1000
    // digits, so a long mantissa (--digits near 1000) goes into scientific notation, which adds none.
    const long plain_digits = e > 0 ? std::max<long>(m, e) : m + 1 - e;
    const bool scientific = e > 20 || e < -8 || plain_digits > 1000;
    // A script literal's exponent may follow at most 64 characters, and so may its point (lexer.hpp, the width
    // rule): a longer mantissa is written plainly when that fits the 1000 digits with at most 64 before the
    // point, else as the canonical exact text.
    if (scientific && m + 1 <= static_cast<long>(script::max_chars_before_exponent))
        return sign + d.substr(0, 1) + (m > 1 ? "." + d.substr(1) : "") + "e" + std::to_string(e - 1);
    if (scientific && (plain_digits > 1000 || e > static_cast<long>(script::max_chars_before_point))) {
        const long k = e - m;  // the value is d * 10^k
        Rational v = Rational(kernel::Integer(d));
        v = k >= 0 ? Rational(v * ten_to(static_cast<int>(k))) : Rational(v / ten_to(static_cast<int>(-k)));
        return script::number_text(sign.empty() ? v : Rational(-v));
    }
    if (e >= m) return sign + d + std::string(static_cast<std::size_t>(e - m), '0');
    if (e > 0) return sign + d.substr(0, static_cast<std::size_t>(e)) + "." + d.substr(static_cast<std::size_t>(e));
    return sign + "0." + std::string(static_cast<std::size_t>(-e), '0') + d;
}

// A radius as short script text, as a user writes it: m e-k when r = m / 10^k (`1e-12`, `5e-9`, `1e-400`,
// `125e-5`), else the exact fraction. k is read off the denominator 2^a 5^b (k = max(a, b)), so any k works.
std::string radius_text(const Rational& r) {
    if (r <= 0) return script::number_text(r);
    kernel::Integer d = denominator(r);
    unsigned a = 0, b = 0;
    while (d % 2 == 0) d /= 2, ++a;
    while (d % 5 == 0) d /= 5, ++b;
    if (d != 1) return script::number_text(r);
    int k = static_cast<int>(std::max(a, b));
    kernel::Integer m = numerator(r * ten_to(k));
    while (k > 0 && m % 10 == 0) m /= 10, --k;  // r is an integer times 10^-k with k as small as possible
    const std::string scientific = m.str() + (k ? "e-" + std::to_string(k) : "");
    const std::string exact = script::number_text(r);
    // A claim's literals fit the width rule (lexer.hpp, literal_view); number_text's always do.
    const bool fits = m.str().size() <= script::literal_view;
    return fits && scientific.size() < exact.size() ? scientific : exact;
}

kernel::Outcome check_box(const kernel::Problem& pb, const kernel::Point& p, kernel::ClaimKind kind, const Rational& r,
                          unsigned bits) {
    kernel::Claim c;
    c.kind = kind;
    c.radius = r;
    kernel::Options o;
    o.precision_bits = bits;
    return kernel::check(pb, {p}, c, o).outcome();
}

// The radius: the given one, else the first of 1e-4, 1e-6, ... where the kernel certifies both claims,
// else the first where it certifies `critical` (a saddle, or a Hessian too close to singular).
void choose_radius(const kernel::Problem& pb, const kernel::Point& p, const RefineOptions& opt, const Rational& dist,
                   RefineResult& res) {
    std::vector<Rational> candidates;
    if (opt.radius) candidates.push_back(*opt.radius);
    else
        for (int k = 4; k + 2 <= static_cast<int>(res.precision_bits * 3 / 10) && k + 2 <= static_cast<int>(opt.digits);
             k += k < 12 ? 2 : 4)
            if (ten_to(-k) > 4 * dist) candidates.push_back(ten_to(-k));
    if (candidates.empty()) candidates.push_back(4 * dist);
    std::optional<Rational> fallback;
    for (const Rational& r : candidates) {
        if (check_box(pb, p, kernel::ClaimKind::critical, r, res.precision_bits) != kernel::Outcome::certified) continue;
        const kernel::Outcome m = check_box(pb, p, kernel::ClaimKind::strict_local_min, r, res.precision_bits);
        if (m == kernel::Outcome::inconclusive) {
            if (!fallback) fallback = r;
            continue;
        }
        res.radius = r;
        res.critical = kernel::Outcome::certified;
        res.strict_local_min = m;
        return;
    }
    res.radius = fallback ? *fallback : candidates.back();
    res.critical = check_box(pb, p, kernel::ClaimKind::critical, *res.radius, res.precision_bits);
    res.strict_local_min = check_box(pb, p, kernel::ClaimKind::strict_local_min, *res.radius, res.precision_bits);
}

// P's new `{ ... }` body, layer by layer as the printer lays it out, numbers as decimals.
std::string point_body(const kernel::Network& net, const std::vector<std::string>& v) {
    std::string out = "{\n";
    for (std::size_t l = 0; l < net.layers.size(); ++l) {
        const std::size_t rows = net.layers[l].width, cols = net.fan_in(l), w = net.weight_offset(l);
        out += "  W" + std::to_string(l + 1) + " = [";
        for (std::size_t i = 0; i < rows; ++i) {
            out += i ? ", [" : "[";
            for (std::size_t j = 0; j < cols; ++j) out += (j ? ", " : "") + v[w + i * cols + j];
            out += "]";
        }
        out += "]\n";
        if (!net.has_bias(l)) continue;
        out += "  b" + std::to_string(l + 1) + " = [";
        for (std::size_t i = 0; i < rows; ++i) out += (i ? ", " : "") + v[net.bias_offset(l) + i];
        out += "]\n";
    }
    // The view rule: no line past column 160 where a break may stand; a long centre starts a line of its own, its
    // point in view (wrap.hpp).
    return script::wrap_script(out + "}");
}

}  // namespace

RefineResult refine_script(const std::string& text, const std::string& filename, const std::string& base_dir,
                           const RefineOptions& opt) {
    const script::syntax::File file = script::parse_syntax(text, filename);
    const script::Script s = script::resolve(file, filename, base_dir);
    auto it = std::find_if(s.points.begin(), s.points.end(), [&](const kernel::Point& p) { return p.name == opt.point; });
    if (it == s.points.end()) throw std::invalid_argument("the script has no point named '" + opt.point + "'");
    const kernel::Problem& pb = s.problem;
    kernel::validate(pb, *it);

    RefineResult res;
    res.precision_bits = opt.precision ? *opt.precision : s.precision.value_or(kernel::Options{}.precision_bits);
    const unsigned bits = std::max(res.precision_bits, opt.digits * 4 + 64);
    Vector x = it->params, rounded;
    std::vector<std::string> shown;
    Rational dist = 0;
    // 1. Damped Newton (Levenberg-Marquardt) in long double: robust far from the minimum, capped, with a
    //    diagnosis when there is no isolated minimum to find.
    DescentOptions dopt;
    dopt.max_steps = opt.max_steps;
    dopt.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(opt.timeout_seconds ? opt.timeout_seconds : 1u << 30);
    if (opt.progress && opt.progress_stream)
        dopt.progress = [&](const std::string& line) { *opt.progress_stream << "nncert refine: " << opt.point << ": " << line << std::endl; };
    const DescentResult descent = damped_newton(pb, x, dopt);
    res.descent_steps = descent.steps;
    res.diagnosis = descent.diagnosis;
    if (!descent.converged) {
        res.note = descent.diagnosis.empty() ? "damped Newton: " + descent.stop
                                             : descent.diagnosis + " (damped Newton: " + descent.stop + ")";
        return res;
    }
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = exact_of(descent.x[i]);
    {
        // 2. Newton polish in MPFR at the working precision: quadratic convergence from the float minimum.
        kernel::PrecisionScope scope(bits);
        const Rational tiny = Rational(1) / Rational(kernel::Integer(1) << (bits - 16));
        try {
            for (; res.iterations < 40; ++res.iterations) {
                if (std::chrono::steady_clock::now() > dopt.deadline) {
                    res.note = "the time cap was reached during the MPFR polish";
                    break;
                }
                const std::optional<Vector> step = newton_step(pb, x);
                if (!step) {
                    res.note = "the Hessian is numerically singular or not finite at the iterate";
                    break;
                }
                for (std::size_t i = 0; i < x.size(); ++i) x[i] = kernel::midpoint(Interval(Rational(x[i] - (*step)[i])));
                if (max_abs(*step) <= tiny * std::max(Rational(1), max_abs(x))) {
                    res.converged = true;
                    ++res.iterations;
                    break;
                }
            }
        } catch (const kernel::KinkStraddled&) {
            res.note = std::string("a relu/leaky_relu unit sits exactly on its kink at the iterate") +
                       (snap_unsupported(pb).empty() ? " (try `nncert snap`)" : "");
        }
        if (!res.converged && res.note.empty()) res.note = "the MPFR Newton polish did not converge in 40 steps";
        if (!res.converged && !descent.diagnosis.empty()) res.note = descent.diagnosis + " (" + res.note + ")";
        if (!res.converged) return res;
        // Exact zeros stay exact: a coordinate that was 0 and that the polish left below the written digits.
        const Rational negligible = max_abs(x) / ten_to(static_cast<int>(opt.digits));
        for (std::size_t i = 0; i < x.size(); ++i) {
            const bool keep_zero = kernel::is_zero(it->params[i]) && abs(x[i]) <= negligible;
            shown.push_back(keep_zero ? std::string("0") : decimal_text(x[i], opt.digits));
            rounded.push_back(script::parse_number(shown.back()));
        }
        const kernel::IVector g = kernel::gradient_enclosure(pb, kernel::point_box(rounded));
        Rational gmax = 0;
        bool bounded = true;
        for (const Interval& gi : g) {
            bounded = bounded && gi.is_bounded();
            if (gi.is_bounded()) gmax = std::max(gmax, kernel::magnitude(gi));
        }
        res.gradient_norm = gmax.convert_to<double>();
        res.gradient_text = bounded ? report::approx_text(gmax) : "unbounded";
        if (const auto step = newton_step(pb, rounded)) dist = max_abs(*step);
    }
    res.centre = rounded;
    choose_radius(pb, kernel::Point{opt.point, rounded}, opt, dist, res);

    // Splice in order, noting where each radius lands in the new text.
    std::map<std::size_t, std::pair<std::size_t, std::string>> edits;
    std::set<std::size_t> radii;
    for (const auto& p : file.points)
        if (p.name == opt.point) edits[p.body_begin] = {p.body_end, point_body(pb.net, shown)};
    for (const auto& c : file.claims)
        if (c.point == opt.point && c.radius) {
            edits[c.radius_begin] = {c.radius_end, radius_text(*res.radius)};
            radii.insert(c.radius_begin);
        }
    std::vector<std::size_t> radius_at;  // offsets in res.text
    std::size_t from = 0;
    for (const auto& [begin, edit] : edits) {
        res.text.append(text, from, begin - from);
        if (radii.count(begin)) radius_at.push_back(res.text.size());
        res.text += edit.second;
        from = edit.first;
    }
    res.text.append(text, from, std::string::npos);
    // A radius longer than the one written pushes the rest of its line to the right: a line that now runs past
    // column 160, or a radius that is number_text's pieces, is broken as every writer breaks its lines (review
    // r8-11, F2: `within 1` ending at column 160 became `within 1e-4`, past the edge). A claim is not a data row,
    // and on the line of a claim everything before it ends before it, so the breaker (which starts a new line only
    // where the text so far does not fit) breaks at the radius or after it. From the last line to the first, so
    // earlier offsets stay valid.
    for (auto at = radius_at.rbegin(); at != radius_at.rend(); ++at) {
        const std::size_t begin = res.text.rfind('\n', *at) == std::string::npos ? 0 : res.text.rfind('\n', *at) + 1;
        std::size_t end = std::min(res.text.find('\n', *at), res.text.size());
        if (end > begin && res.text[end - 1] == '\r') --end;  // a CRLF line keeps its CR at its end
        if (std::next(at) != radius_at.rend() && *std::next(at) >= begin) continue;  // the same line, broken once
        res.text.replace(begin, end - begin, script::wrap_lines(res.text.substr(begin, end - begin)));
    }
    // The rewrite must still be a valid script. When it is not (a line the breaker could not keep in view), this
    // point is left as it was, and refine says why instead of writing a script that does not read.
    try {
        script::parse_text(res.text, filename, base_dir);
    } catch (const script::ParseError& e) {
        res.write_problem = e.format();
        res.text.clear();
    }
    return res;
}

std::string refine_usage() {
    return "usage: nncert refine FILE (--point P)... | --all [--radius R] [--digits D] [--precision BITS]\n"
           "                    [--max-steps N] [--timeout S] [--max-memory MIB] [--no-progress] [-o FILE.nnc]\n"
           "\n"
           "(untrusted) From each point P of FILE: damped Newton (Levenberg-Marquardt) in long double on the\n"
           "kernel's own loss code to a nearby local minimum, then Newton's method in MPFR at BITS bits (default:\n"
           "the script's `precision`, else 128) to polish it. The result is rounded to D significant digits (6\n"
           "to 1000, default 30; coordinates that were exactly 0 and stay negligible are written as 0); unless\n"
           "--radius R is given, the radii 1e-4, 1e-6, ... are tried and the first where the kernel certifies\n"
           "`critical P within R` and `strict_local_min P within R` is taken. FILE is written back (to standard\n"
           "output, or --output) with each refined point's values and the `within` radius of its claims replaced;\n"
           "everything else, comments included, is kept. When no isolated minimum is near, refine says why: a\n"
           "Hessian with near-zero eigenvalues (a manifold of critical points) or weights growing without bound\n"
           "(a saturation plateau); that point is then left as it was.\n"
           "\n"
           "options:\n"
           "  --point P         a point to refine (repeat for several), or --all for every point\n"
           "  --radius R        the box radius to certify (an exact number >= 0)\n"
           "  --digits D        significant digits of the written centre\n"
           "  --precision BITS  MPFR working precision (8 to " + std::to_string(script::max_precision_bits) + ")\n"
           "  --max-steps N     cap on damped Newton steps per point (default 500)\n"
           "  --timeout S       wall-clock cap per point in seconds, and for reading the script (default 120;\n"
           "                    0: none)\n"
           "  --max-memory MIB  memory cap per point, and for reading the script (default 4096, at least 256;\n"
           "                    0: none)\n"
           "  --no-progress     no progress lines (otherwise one every 2 s of a long descent, on stderr)\n"
           "  -o, --output FILE write the script there instead of standard output\n"
           "  -h, --help        show this help\n"
           "\n"
           "exit codes: 0 every point refined with `critical P within R` certified; 3 some point not certified or\n"
           "not refined (the others are still written); 2 malformed script; 4 usage error; 5 internal error.\n"
           "`nncert check` decides the written script from scratch.\n";
}

namespace {

// One point's refine in a child process under the caps; the payload is "exit\nsummary\n" then the new text.
std::string encode(int exit, const std::string& summary, const std::string& text) {
    return std::to_string(exit) + "\n" + summary + "\n" + text;
}

std::string summary_of(const RefineResult& r, const RefineOptions& opt) {
    return util::escape_for_display(opt.point) + ": " + std::to_string(r.descent_steps) + " damped Newton steps + " +
           std::to_string(r.iterations) + " MPFR Newton steps, max |grad| ~ " + r.gradient_text + " at the " + std::to_string(opt.digits) +
           "-digit centre, radius " + radius_text(*r.radius) + ": critical " + kernel::to_string(r.critical) +
           ", strict_local_min " + kernel::to_string(r.strict_local_min) + " (" + std::to_string(r.precision_bits) +
           " bits)";
}

}  // namespace

int run_refine(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    RefineOptions opt;
    std::vector<std::string> points;
    bool all = false;
    std::string file, output;
    for (const std::string& a : args) {
        if (a == "--") break;
        if (a == "--help" || a == "-h") {
            out << refine_usage();
            return 0;
        }
    }
    try {
        std::optional<std::string> timeout, max_memory;  // script::resource_limits reads them
        auto whole = [](const std::string& v, const std::string& what, unsigned long lo, unsigned long hi) {
            const bool ok = !v.empty() && v.size() <= 9 && v.find_first_not_of("0123456789") == std::string::npos;
            const unsigned long n = ok ? std::stoul(v) : 0;
            if (!ok || n < lo || n > hi)
                throw UsageError(what + " needs a whole number from " + std::to_string(lo) + " to " + std::to_string(hi));
            return n;
        };
        for (std::size_t i = 0; i < args.size(); ++i) {
            const std::string& a = args[i];
            auto value = [&]() -> std::string {
                if (i + 1 >= args.size()) throw UsageError(a + " needs a value");
                return args[++i];
            };
            if (a == "--point") points.push_back(value());
            else if (a == "--all") all = true;
            else if (a == "--output" || a == "-o") output = value();
            else if (a == "--radius") {
                const std::string v = value();
                try {
                    opt.radius = script::parse_number(v);
                } catch (const script::ParseError&) {
                    throw UsageError("--radius needs an exact number such as 1e-10, got '" + v + "'");
                }
                if (*opt.radius < 0) throw UsageError("--radius must be >= 0");
            } else if (a == "--digits") opt.digits = static_cast<unsigned>(whole(value(), a, 6, 1000));
            else if (a == "--precision")
                opt.precision = static_cast<unsigned>(whole(value(), a, script::min_precision_bits, script::max_precision_bits));
            else if (a == "--max-steps") opt.max_steps = static_cast<int>(whole(value(), a, 1, 1000000));
            else if (a == "--timeout") timeout = value();
            else if (a == "--max-memory") max_memory = value();
            else if (a == "--no-progress") opt.progress = false;
            else if (a.starts_with("-")) throw UsageError("unknown option '" + a + "'");
            else if (file.empty()) file = a;
            else throw UsageError("refine takes one script");
        }
        if (file.empty() || (points.empty() && !all)) throw UsageError("refine needs a script and --point P (or --all)");
        if (all && !points.empty()) throw UsageError("give --point P or --all, not both");
        try {
            const runtime::ResourceLimits limits =
                script::resource_limits(timeout, max_memory, {opt.timeout_seconds, opt.max_memory_mib});
            opt.timeout_seconds = limits.timeout_seconds;
            opt.max_memory_mib = limits.max_memory_mib;
        } catch (const std::invalid_argument& e) {
            throw UsageError(e.what());
        }
    } catch (const UsageError& e) {
        err << "nncert refine: " << util::escape_for_display(e.what()) << "\ntry 'nncert refine --help'\n";
        return 4;
    }
    // Read (regular files only: a FIFO cannot hang refine) and parsed under --timeout and --max-memory, as each
    // point's refinement is (script/load.hpp).
    const std::string base = std::filesystem::path(file).parent_path().string();
    script::LoadedScript loaded = script::load_script(file, base, {opt.timeout_seconds, opt.max_memory_mib});
    if (loaded.error) {
        err << loaded.error->format() << "\n";
        return 2;
    }
    std::string text = std::move(*loaded.bytes);
    try {
        const script::Script s = std::move(*loaded.script);
        loaded.script.reset();
        // The refined script is written at the end; over the data file it reads it would destroy the data
        // (device and inode: a hard or symbolic link too). Over the script itself it is a rewrite in place.
        // A FIFO or a device as the output is refused too (util::output_problem: it would block the write).
        if (!output.empty()) {
            std::vector<util::NamedInput> inputs;
            if (s.data_file) {
                const std::string d = script::data_file_path(*s.data_file, base);
                inputs.push_back({d, "the data file " + util::quoted_name(d) + " that the script reads"});
            }
            if (const auto problem = util::output_problem(output, inputs))
                throw std::invalid_argument("-o " + util::quoted_name(output) + " " + *problem);
            // Written in another folder, a relative `data "FILE"` must still name the file read (refused now,
            // before any work, when it cannot).
            (void)script::text_for_output(text, file, base, output);
        }
        if (all)
            for (const kernel::Point& p : s.points) points.push_back(p.name);
        for (const std::string& p : points)
            if (std::none_of(s.points.begin(), s.points.end(), [&](const kernel::Point& q) { return q.name == p; }))
                throw std::invalid_argument("the script has no point named '" + p + "'");
    } catch (const script::ParseError& e) {
        err << e.format() << "\n";
        return 2;
    } catch (const std::invalid_argument& e) {
        err << "nncert refine: " << util::escape_for_display(e.what()) << "\ntry 'nncert refine --help'\n";
        return 4;
    }
    int worst = 0;
    bool wrote_any = false;
    for (const std::string& p : points) {
        opt.point = p;
        opt.progress_stream = &err;
        runtime::ResourceLimits limits;
        limits.timeout_seconds = opt.timeout_seconds ? opt.timeout_seconds + 30 : 0;  // the descent stops itself first
        limits.max_memory_mib = opt.max_memory_mib;
        const runtime::Isolated job = runtime::run_isolated(
            [&]() {
                const RefineResult r = refine_script(text, file, base, opt);
                if (!r.write_problem.empty())
                    return encode(3, p + ": refined, but the script with it written in would not read back (" +
                                         r.write_problem + "); left as it was", "");
                if (!r.converged)
                    return encode(3, p + ": not refined after " + std::to_string(r.descent_steps) + " damped Newton and " +
                                         std::to_string(r.iterations) + " MPFR Newton steps: " + r.note, "");
                return encode(r.critical == kernel::Outcome::certified ? 0 : 3, summary_of(r, opt), r.text);
            },
            limits);
        switch (job.kind) {
            case runtime::Isolated::Kind::done: {
                const std::size_t a = job.payload.find('\n'), b = job.payload.find('\n', a + 1);
                const int code = std::stoi(job.payload.substr(0, a));
                err << "nncert refine: " << job.payload.substr(a + 1, b - a - 1) << (code == 0 || b + 1 < job.payload.size() ? "" : "; nothing written") << "\n";
                if (b + 1 < job.payload.size()) {
                    text = job.payload.substr(b + 1);
                    wrote_any = true;
                }
                worst = std::max(worst, code);
                break;
            }
            case runtime::Isolated::Kind::timeout:
                err << "nncert refine: " << p << ": stopped by the time cap (--timeout " << opt.timeout_seconds << " s); not refined\n";
                worst = std::max(worst, 3);
                break;
            case runtime::Isolated::Kind::memory:
                err << "nncert refine: " << p << ": stopped by "
                    << runtime::memory_stop_phrase(job.result_over_cap, limits, "the memory cap (--max-memory " +
                                                                            std::to_string(opt.max_memory_mib) + " MiB)")
                    << "; not refined\n";
                worst = std::max(worst, 3);
                break;
            case runtime::Isolated::Kind::failed:
            case runtime::Isolated::Kind::crashed:
                err << "nncert refine: " << p << ": internal error: " << job.detail << "\n";
                return 5;
        }
    }
    if (!wrote_any) return worst;
    if (output.empty()) out << text << std::flush;
    else if (const int code = script::write_script_output(text, file, base, output, "nncert refine", err); code != 0)
        return code;
    return worst;
}

}  // namespace nncert::tools
