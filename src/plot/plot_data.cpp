// The kernel's numbers for each kind of figure (see plot_data.hpp). Values are computed exactly where the
// problem is exact and as interval-enclosure midpoints otherwise; the segment band is the kernel's rigorous
// enclosure. Doubles appear only here, at the very end, for drawing.
#include "plot/plot_data.hpp"

#include "kernel/exact.hpp"
#include "kernel/interval/enclose.hpp"
#include "kernel/interval/precision.hpp"
#include "kernel/interval/segment_enclosure.hpp"
#include "kernel/interval/trap.hpp"
#include "kernel/limits.hpp"
#include "kernel/segment/piecewise_loss.hpp"
#include "report/decimal.hpp"
#include "util/unicode.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>

namespace nncert::plot {

namespace {

using kernel::Rational;
using kernel::Vector;
using nlohmann::json;

double to_double(const Rational& q) { return q.convert_to<double>(); }

// Outward rounding to double for the band: the drawn band contains the certified one. A bound beyond the
// doubles' range becomes -inf / +inf (written as null in the JSON: the renderer leaves that side open);
// Rational(inf) would raise SIGFPE inside GMP, so infinities are never converted back.
double down(const Rational& q) {
    double d = to_double(q);
    if (!std::isfinite(d)) return q.sign() < 0 ? -HUGE_VAL : std::numeric_limits<double>::max();
    if (Rational(d) > q) d = std::nextafter(d, -HUGE_VAL);
    return d;
}
double up(const Rational& q) {
    double d = to_double(q);
    if (!std::isfinite(d)) return q.sign() > 0 ? HUGE_VAL : std::numeric_limits<double>::lowest();
    if (Rational(d) < q) d = std::nextafter(d, HUGE_VAL);
    return d;
}

// A certified bound as exported: `key` rounded outward to a double (down for a lower bound, up for an upper
// one) for drawing, and `key`_exact the exact rational, so the JSON carries both views of one number.
void put_bound(json& j, const std::string& key, const Rational& v, bool lower) {
    j[key] = lower ? down(v) : up(v);
    j[key + "_exact"] = kernel::to_string(v);
}

// A grid axis as drawn: its exact points rounded to doubles.
json axis_values(const std::vector<Rational>& g) {
    json a = json::array();
    for (const Rational& v : g) a.push_back(to_double(v));
    return a;
}

// "1 input", "3 inputs".
std::string count_of(std::size_t n, const std::string& noun) {
    return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

// A data coordinate or target for drawing; a figure cannot place a value beyond the doubles' range.
double drawable(const Rational& q, const char* what) {
    const double d = to_double(q);
    if (!std::isfinite(d))
        throw PlotError(std::string("a data ") + what + " (" + report::decimal(q, 3) +
                        ") is beyond the range of doubles: a figure cannot place it");
    return d;
}

const kernel::Point& point_named(const script::Script& s, const std::string& name) {
    for (const kernel::Point& p : s.points)
        if (p.name == name) return p;
    std::string known;
    for (const kernel::Point& p : s.points) known += (known.empty() ? "" : ", ") + p.name;
    throw PlotError("no point named '" + name + "' (the script has: " + (known.empty() ? "none" : known) + ")");
}

std::vector<const kernel::Point*> chosen_points(const script::Script& s, const std::vector<std::string>& names) {
    std::vector<const kernel::Point*> out;
    if (names.empty())
        for (const kernel::Point& p : s.points) out.push_back(&p);
    else
        for (const std::string& n : names) out.push_back(&point_named(s, n));
    if (out.empty()) throw PlotError("the script defines no points");
    return out;
}

// Evaluates values exactly on exact problems, else as enclosure midpoints at the requested precision.
class Evaluator {
public:
    Evaluator(const kernel::Problem& pb, unsigned bits) : pb_(pb), exact_(pb.is_exact()), bits_(bits), scope_(bits) {}

    double output(const Vector& params, const Vector& x) const {
        if (exact_) return to_double(kernel::outputs(pb_.net, params, x).at(0));
        const kernel::Interval f = kernel::outputs_enclosure(pb_.net, kernel::point_box(params), x).at(0);
        return f.is_bounded() ? to_double(kernel::midpoint(f)) : std::nan("");
    }
    double loss(const Vector& params) const {
        if (exact_) return to_double(kernel::loss(pb_, params));
        const kernel::Interval l = kernel::loss_enclosure(pb_, kernel::point_box(params));
        return l.is_bounded() ? to_double(kernel::midpoint(l)) : std::nan("");
    }
    // The loss as text: exact ("18", "2/9") on exact problems, else a 6-digit decimal.
    std::string loss_text(const Vector& params) const {
        if (exact_) return kernel::to_string(kernel::loss(pb_, params));
        const kernel::Interval l = kernel::loss_enclosure(pb_, kernel::point_box(params));
        if (!l.is_bounded()) return "unbounded at " + std::to_string(bits_) + " bits";
        return report::decimal(Rational(kernel::midpoint(l)), 6);
    }
    bool exact() const { return exact_; }

private:
    const kernel::Problem& pb_;
    bool exact_;
    unsigned bits_;
    kernel::PrecisionScope scope_;
};

std::vector<Rational> grid(const Rational& lo, const Rational& hi, std::size_t n) {
    std::vector<Rational> g;
    for (std::size_t i = 0; i < n; ++i)
        g.push_back(lo + (hi - lo) * Rational(static_cast<long long>(i), static_cast<long long>(n - 1)));
    return g;
}

// [min - 10%, max + 10%] of the values (one unit either way when they are all equal).
std::pair<Rational, Rational> padded_range(const std::vector<Rational>& v) {
    const auto [mn, mx] = std::minmax_element(v.begin(), v.end());
    const Rational pad = *mx == *mn ? Rational(1) : Rational((*mx - *mn) / 10);
    return {*mn - pad, *mx + pad};
}

// The drawn range of input coordinate `axis`: the --window's, else the data's padded range.
std::pair<Rational, Rational> axis_range(const kernel::Problem& pb, const Request& r, std::size_t axis) {
    if (!r.window.empty()) {
        if (r.window.size() != 2 * pb.net.input_dim)
            throw PlotError("--window takes " + std::to_string(2 * pb.net.input_dim) + " numbers for " +
                            std::to_string(pb.net.input_dim) + " input" + (pb.net.input_dim > 1 ? "s" : "") +
                            " (min,max per input), got " + std::to_string(r.window.size()));
        const Rational &lo = r.window[2 * axis], &hi = r.window[2 * axis + 1];
        if (!(lo < hi)) throw PlotError("--window: each min must be below its max");
        // The figure is drawn in doubles: an end beyond their range, or a window narrower than their
        // resolution, cannot be shown (the renderer would fail on it).
        for (const Rational* end : {&lo, &hi})
            if (!std::isfinite(to_double(*end)))
                throw PlotError("--window: " + report::decimal(*end, 3) + " is beyond the range of doubles: a figure cannot show it");
        if (to_double(lo) == to_double(hi) || !std::isfinite(to_double(hi) - to_double(lo)))
            throw PlotError("--window: [" + report::decimal(lo, 3) + ", " + report::decimal(hi, 3) +
                            "] cannot be drawn in doubles (its ends round to one double, or its width overflows)");
        return {lo, hi};
    }
    std::vector<Rational> v;
    for (const kernel::Sample& d : pb.data) v.push_back(d.x[axis]);
    return padded_range(v);
}

// 2-D regression: per point, the output over a grid of the window, the switching lines w.x + b = 0 of the
// first layer's kinked units, and the data points at which every such unit is off (input < 0, exactly on exact
// problems: the `blind_spot` claim's blind spots of layer 1).
json fits_2d(const script::Script& s, const Request& r) {
    const kernel::Problem& pb = s.problem;
    Evaluator ev(pb, std::min(r.precision_bits, 64u));
    const auto [lo1, hi1] = axis_range(pb, r, 0);
    const auto [lo2, hi2] = axis_range(pb, r, 1);
    const std::size_t n = r.samples ? r.samples : 160;
    const std::vector<Rational> g1 = grid(lo1, hi1, n), g2 = grid(lo2, hi2, n);
    json data = json::array();
    for (const kernel::Sample& d : pb.data)
        data.push_back({{"x", {drawable(d.x[0], "input"), drawable(d.x[1], "input")}}, {"y", drawable(d.y[0], "target")}});
    const kernel::Layer& first = pb.net.layers.front();
    const bool kinked = pb.net.layers.size() > 1 && first.activation.has_kink();
    json panels = json::array();
    for (const kernel::Point* p : chosen_points(s, r.points)) {
        json rows = json::array();
        for (const Rational& b : g2) {
            json row = json::array();
            for (const Rational& a : g1) row.push_back(ev.output(p->params, {a, b}));
            rows.push_back(row);
        }
        json lines = json::array(), off = json::array();
        if (kinked) {
            const std::size_t w = pb.net.weight_offset(0), bias = pb.net.bias_offset(0);
            const bool has_bias = pb.net.has_bias(0);
            for (std::size_t j = 0; j < first.width; ++j)
                lines.push_back({{"w", {to_double(p->params[w + 2 * j]), to_double(p->params[w + 2 * j + 1])}},
                                 {"b", has_bias ? to_double(p->params[bias + j]) : 0.0}});
            for (std::size_t i = 0; i < pb.data.size(); ++i) {
                bool all_off = first.activation.kind == kernel::ActivationKind::relu;
                for (std::size_t j = 0; j < first.width && all_off; ++j) {
                    const Rational z = p->params[w + 2 * j] * pb.data[i].x[0] + p->params[w + 2 * j + 1] * pb.data[i].x[1] +
                                       (has_bias ? p->params[bias + j] : Rational(0));
                    all_off = z.sign() < 0;
                }
                if (all_off) off.push_back(i);
            }
        }
        json residuals = json::array();  // f(x_i) - y_i, exact on exact problems (rounded for drawing)
        for (const kernel::Sample& d : pb.data) residuals.push_back(ev.output(p->params, d.x) - to_double(d.y[0]));
        panels.push_back({{"point", p->name}, {"loss", ev.loss_text(p->params)}, {"output", rows}, {"lines", lines},
                          {"all_units_off", off}, {"residuals", residuals}});
    }
    const json x1 = axis_values(g1), x2 = axis_values(g2);
    return {{"dims", 2}, {"data", data}, {"x1", x1}, {"x2", x2}, {"panels", panels},
            {"window", {to_double(lo1), to_double(hi1), to_double(lo2), to_double(hi2)}}};
}

json fits(const script::Script& s, const Request& r) {
    const kernel::Problem& pb = s.problem;
    if (pb.net.input_dim > 2 || pb.net.output_dim() != 1)
        throw PlotError("`fits` draws regression with 1 or 2 inputs and 1 output; this network has " +
                        count_of(pb.net.input_dim, "input") + " and " + count_of(pb.net.output_dim(), "output"));
    if (pb.net.input_dim == 2) return fits_2d(s, r);
    Evaluator ev(pb, r.precision_bits);
    json data = json::array();
    for (const kernel::Sample& d : pb.data) data.push_back({drawable(d.x[0], "input"), drawable(d.y[0], "target")});
    const auto [lo, hi] = axis_range(pb, r, 0);
    const std::vector<Rational> gx = grid(lo, hi, r.samples ? r.samples : 400);
    json curves = json::array();
    for (const kernel::Point* p : chosen_points(s, r.points)) {
        json x = json::array(), y = json::array();
        for (const Rational& g : gx) {
            x.push_back(to_double(g));
            y.push_back(ev.output(p->params, {g}));
        }
        curves.push_back({{"point", p->name}, {"loss", ev.loss_text(p->params)}, {"x", x}, {"y", y}});
    }
    return {{"data", data}, {"curves", curves}, {"window", {to_double(lo), to_double(hi)}}};
}

json regions(const script::Script& s, const Request& r) {
    const kernel::Problem& pb = s.problem;
    if (pb.net.input_dim != 2 || pb.net.output_dim() != 1)
        throw PlotError("`regions` draws 2-D classifiers (2 inputs, 1 output); this network has " +
                        count_of(pb.net.input_dim, "input") + " and " + count_of(pb.net.output_dim(), "output"));
    if (!pb.classify) throw PlotError("`regions` needs the script's `classify threshold t` (where the regions meet)");
    Evaluator ev(pb, std::min(r.precision_bits, 64u));  // a picture: enclosure midpoints at 64 bits suffice
    std::vector<Rational> x1s, x2s;
    json data = json::array();
    for (const kernel::Sample& d : pb.data) {
        x1s.push_back(d.x[0]);
        x2s.push_back(d.x[1]);
        data.push_back({{"x", {drawable(d.x[0], "input"), drawable(d.x[1], "input")}}, {"y", drawable(d.y[0], "target")}});
    }
    const std::size_t n = r.samples ? r.samples : 120;
    const auto [lo1, hi1] = padded_range(x1s);
    const auto [lo2, hi2] = padded_range(x2s);
    const std::vector<Rational> g1 = grid(lo1, hi1, n), g2 = grid(lo2, hi2, n);
    json panels = json::array();
    for (const kernel::Point* p : chosen_points(s, r.points)) {
        json rows = json::array();
        for (const Rational& b : g2) {
            json row = json::array();
            for (const Rational& a : g1) row.push_back(ev.output(p->params, {a, b}));
            rows.push_back(row);
        }
        // Correct data points: exact on exact problems; for a picture of a transcendental one, by the output
        // enclosure's midpoint (the certified count is the script's `accuracy` claim).
        // A row of weight w counts w times in the accuracy (docs/format.md, "Row weights").
        std::size_t correct = 0;
        Rational correct_weight = 0;
        if (ev.exact()) {
            const kernel::AccuracyCount c = kernel::count_correct(pb, p->params);
            correct = c.correct;
            correct_weight = c.correct_weight;
        } else {
            const double t = to_double(pb.classify->threshold);
            for (const kernel::Sample& d : pb.data) {
                const double f = ev.output(p->params, d.x), y = to_double(d.y[0]);
                if ((f - t) * (y - t) > 0) {
                    ++correct;
                    correct_weight += d.weight;
                }
            }
        }
        panels.push_back({{"point", p->name},
                          {"loss", ev.loss_text(p->params)},
                          {"correct", correct},
                          {"total", pb.data.size()},
                          {"accuracy", kernel::to_string(Rational(correct_weight / pb.total_weight()))},
                          {"weighted", kernel::has_row_weights(pb)},
                          {"output", rows}});
    }
    const json x1 = axis_values(g1), x2 = axis_values(g2);
    return {{"data", data}, {"threshold", to_double(pb.classify->threshold)}, {"x1", x1}, {"x2", x2}, {"panels", panels}};
}

json segment(const script::Script& s, const Request& r) {
    if (r.from.empty() || r.to.empty()) throw PlotError("`segment` needs --from P and --to Q");
    const kernel::Problem& pb = s.problem;
    const kernel::Point& p = point_named(s, r.from);
    const kernel::Point& q = point_named(s, r.to);
    Evaluator ev(pb, r.precision_bits);
    json t = json::array(), l = json::array();
    for (const Rational& g : grid(0, 1, r.samples ? r.samples : 401)) {
        t.push_back(to_double(g));
        l.push_back(ev.loss(kernel::point_on_segment(p.params, q.params, g)));
    }
    json band = json::array();
    for (const kernel::SegmentBound& b : kernel::loss_bounds_along_segment(pb, p.params, q.params, r.pieces, r.precision_bits)) {
        if (!b.bounded) continue;
        json piece = {{"t0", to_double(b.t0)}, {"t1", to_double(b.t1)}};
        put_bound(piece, "lower", b.lower, true);
        put_bound(piece, "upper", b.upper, false);
        band.push_back(std::move(piece));
    }
    json out = {{"from", p.name}, {"to", q.name}, {"t", t}, {"loss", l}, {"band", band}, {"pieces", r.pieces},
                {"loss_from", ev.loss_text(p.params)}, {"loss_to", ev.loss_text(q.params)}};
    // Exact problems: where the activation pattern changes along the segment (breakpoints of the pieces).
    if (ev.exact()) {
        kernel::SegmentLoss seg;
        try {
            seg = kernel::loss_along_segment(pb, p.params, q.params, 4096);
        } catch (const kernel::LimitExceeded& e) {
            seg.complete = false;  // drawn without breakpoints; the band above does not depend on them
            out["breakpoints_note"] = e.what();
        }
        json bp = json::array();
        for (std::size_t i = 1; i < seg.pieces.size(); ++i) {
            kernel::RealRoot b = seg.pieces[i].lo;
            b.refine_to(Rational(1, 1 << 30));
            bp.push_back(to_double((b.lower() + b.upper()) / 2));
        }
        out["breakpoints"] = bp;
        out["breakpoints_complete"] = seg.complete;
    }
    return out;
}

// A direction for the slice: D - P for a point D, or the unit vector of a parameter named like W1[1,2].
std::pair<Vector, std::string> direction(const script::Script& s, const kernel::Point& centre, const std::string& spec) {
    const kernel::Network& net = s.problem.net;
    for (std::size_t k = 0; k < net.num_params(); ++k)
        if (net.param_name(k) == spec) {
            Vector d(net.num_params(), Rational(0));
            d[k] = 1;
            return {d, spec};
        }
    const kernel::Point& target = point_named(s, spec);
    Vector d(net.num_params());
    for (std::size_t k = 0; k < d.size(); ++k) d[k] = target.params[k] - centre.params[k];
    if (std::all_of(d.begin(), d.end(), [](const Rational& v) { return v.sign() == 0; }))
        throw PlotError("the direction " + spec + " - " + centre.name + " is zero");
    return {d, spec + " - " + centre.name};
}

json slice(const script::Script& s, const Request& r) {
    if (r.centre.empty() || r.dir1.empty() || r.dir2.empty())
        throw PlotError("`slice` needs --point P, --dir1 D1 and --dir2 D2 (points, or parameters like W1[1,1])");
    if (r.span.sign() <= 0) throw PlotError("--span must be > 0");
    const kernel::Point& c = point_named(s, r.centre);
    const auto [d1, label1] = direction(s, c, r.dir1);
    const auto [d2, label2] = direction(s, c, r.dir2);
    Evaluator ev(s.problem, std::min(r.precision_bits, 64u));
    const std::vector<Rational> g = grid(-r.span, r.span, r.samples ? r.samples : 61);
    json a = json::array(), rows = json::array();
    for (const Rational& x : g) a.push_back(to_double(x));
    for (const Rational& y : g) {
        json row = json::array();
        for (const Rational& x : g) {
            Vector th = c.params;
            for (std::size_t k = 0; k < th.size(); ++k) th[k] += x * d1[k] + y * d2[k];
            row.push_back(ev.loss(th));
        }
        rows.push_back(row);
    }
    json marks = json::array();
    for (const kernel::Point& p : s.points) {
        // Other points that lie in the plane of the slice, at their coordinates (exact test).
        // Solve p - c = x d1 + y d2 by the two coordinates where d1, d2 are most independent; check all.
        Vector diff(p.params.size());
        for (std::size_t k = 0; k < diff.size(); ++k) diff[k] = p.params[k] - c.params[k];
        bool found = false;
        Rational x, y;
        for (std::size_t i = 0; i < diff.size() && !found; ++i)
            for (std::size_t j = i + 1; j < diff.size() && !found; ++j) {
                const Rational det = d1[i] * d2[j] - d1[j] * d2[i];
                if (det.sign() == 0) continue;
                x = (diff[i] * d2[j] - diff[j] * d2[i]) / det;
                y = (d1[i] * diff[j] - d1[j] * diff[i]) / det;
                found = true;
            }
        if (!found) continue;  // d1 and d2 are parallel: the slice is a line, nothing to place
        bool in_plane = true;
        for (std::size_t k = 0; k < diff.size(); ++k) in_plane = in_plane && diff[k] == x * d1[k] + y * d2[k];
        if (in_plane && abs(x) <= r.span && abs(y) <= r.span)
            marks.push_back({{"point", p.name}, {"a", to_double(x)}, {"b", to_double(y)}, {"loss", ev.loss_text(p.params)}});
    }
    return {{"centre", c.name}, {"dir1", label1}, {"dir2", label2}, {"a", a}, {"b", a}, {"loss", rows}, {"marks", marks}};
}

// A trap (docs/format.md, `claim trap P in R`): for each finite face of R (or boundary-layer slab), the
// kernel's certified lower bound of the loss over it (its own branch and bound, the same assessor as the trap
// claim: kernel::loss_assessor with the obligation L > L(P)) and the margin to L(P); and a 2-D slice through P
// along two parameters with R's outline and the sublevel set {L <= L(P)} drawn by the renderer. The trap claim
// itself is what certifies; these bounds are the numbers behind it, exact rationals written rounded outward.
json trap(const script::Script& s, const Request& r) {
    const kernel::Problem& pb = s.problem;
    if (r.centre.empty()) throw PlotError("`trap` needs --point P");
    if (r.region.empty() == !r.within) throw PlotError("`trap` needs --region R or --within r (one of them)");
    const kernel::Point& p = point_named(s, r.centre);
    kernel::Box box;
    std::string region_name;
    if (r.within) {
        box = kernel::cube(p.params, *r.within);
        region_name = "within " + kernel::to_string(*r.within);
    } else {
        const kernel::Region* found = nullptr;
        for (const kernel::Region& g : s.regions)
            if (g.name == r.region) found = &g;
        if (!found) {
            std::string known;
            for (const kernel::Region& g : s.regions) known += (known.empty() ? "" : ", ") + g.name;
            throw PlotError("no region named '" + r.region + "' (the script has: " + (known.empty() ? "none" : known) + ")");
        }
        box = found->box;
        region_name = found->name;
    }
    for (std::size_t k = 0; k < box.size(); ++k)
        if (!box[k].interior(p.params[k]))
            throw PlotError(p.name + " is not in the interior of the region (" + pb.net.param_name(k) + " = " +
                            kernel::to_string(p.params[k]) + ", range " + kernel::to_string(box[k]) + ")");
    // The slice's two parameters: --dir1/--dir2 parameter names, else the first two with a bounded range
    // (else the first two).
    auto index_of = [&](const std::string& name) {
        for (std::size_t k = 0; k < pb.net.num_params(); ++k)
            if (pb.net.param_name(k) == name) return k;
        throw PlotError("no parameter named '" + name + "' (names look like W1[1,1], b1[1])");
    };
    std::vector<std::size_t> axes;
    if (!r.dir1.empty()) axes.push_back(index_of(r.dir1));
    if (!r.dir2.empty()) axes.push_back(index_of(r.dir2));
    for (std::size_t k = 0; k < box.size() && axes.size() < 2; ++k)
        if (box[k].bounded() && std::find(axes.begin(), axes.end(), k) == axes.end()) axes.push_back(k);
    for (std::size_t k = 0; k < box.size() && axes.size() < 2; ++k)
        if (std::find(axes.begin(), axes.end(), k) == axes.end()) axes.push_back(k);
    if (axes.size() < 2 || axes[0] == axes[1]) throw PlotError("`trap` draws a 2-D slice: it needs two different parameters");

    kernel::PrecisionScope scope(r.precision_bits);
    const std::optional<kernel::PointValue> at_p = kernel::loss_at(pb, p.params);
    if (!at_p) throw PlotError("the loss at " + p.name + " has no finite enclosure at " + std::to_string(r.precision_bits) + " bits");
    json faces = json::array();
    for (const kernel::detail::Face& f : kernel::detail::boundary_faces(box, r.layer)) {
        kernel::LossObligation ob;
        ob.threshold = at_p->hi;
        ob.strict = true;
        ob.refute = at_p->lo;
        ob.refute_strict = false;
        const kernel::BranchBoundResult b =
            kernel::branch_and_bound({f.box}, kernel::loss_assessor(pb, ob), {r.max_boxes, nullptr, "trap face", r.deadline});
        const char* status = b.outcome == kernel::BranchBoundResult::Outcome::proven    ? "above"
                             : b.outcome == kernel::BranchBoundResult::Outcome::refuted ? "not-above"
                                                                                          : "undecided";
        json face = {{"face", kernel::detail::face_name(pb.net, f, r.layer)},
                     {"parameter", pb.net.param_name(f.coordinate)},
                     {"end", f.upper ? "upper" : "lower"},
                     {"at", to_double(f.end)},
                     {"status", status},
                     {"boxes", b.boxes}};
        if (const std::string stop = kernel::stop_name(b); !stop.empty()) face["stopped_by"] = stop;
        if (b.bound.value) {
            put_bound(face, "lower_bound", *b.bound.value, true);
            face["margin"] = down(*b.bound.value - at_p->hi);
        } else {
            face["lower_bound"] = nullptr;  // -inf: nothing certified on this face within the budget
            face["margin"] = nullptr;
        }
        faces.push_back(face);
    }
    // The slice through P: loss on a grid over R's extent in the two parameters (an unbounded side is drawn
    // to twice P's distance from the finite side, or P +- 1), enclosure midpoints or exact values.
    Evaluator ev(pb, std::min(r.precision_bits, 64u));
    auto extent = [&](std::size_t k) {
        const kernel::Range& g = box[k];
        const Rational c = p.params[k];
        Rational lo = g.lo ? *g.lo : c - (g.hi ? 2 * (*g.hi - c) : Rational(1));
        Rational hi = g.hi ? *g.hi : c + (g.lo ? 2 * (c - *g.lo) : Rational(1));
        const Rational pad = (hi - lo) / 8;
        return std::pair<Rational, Rational>{lo - pad, hi + pad};
    };
    const auto [lo1, hi1] = extent(axes[0]);
    const auto [lo2, hi2] = extent(axes[1]);
    const std::size_t n = r.samples ? r.samples : 81;
    const std::vector<Rational> g1 = grid(lo1, hi1, n), g2 = grid(lo2, hi2, n);
    json rows = json::array();
    for (const Rational& b : g2) {
        json row = json::array();
        for (const Rational& a : g1) {
            kernel::Vector th = p.params;
            th[axes[0]] = a;
            th[axes[1]] = b;
            row.push_back(ev.loss(th));
        }
        rows.push_back(row);
    }
    auto end_or_null = [](const std::optional<Rational>& e) { return e ? json(to_double(*e)) : json(nullptr); };
    const json x1 = axis_values(g1), x2 = axis_values(g2);
    return {{"point", p.name},
            {"region", region_name},
            {"layer", r.layer ? json(kernel::to_string(*r.layer)) : json(nullptr)},
            {"loss_at_point", {{"lower", down(at_p->lo)}, {"upper", up(at_p->hi)}}},
            {"loss_at_point_text", ev.loss_text(p.params)},
            {"faces", faces},
            {"slice", {{"dir1", pb.net.param_name(axes[0])},
                       {"dir2", pb.net.param_name(axes[1])},
                       {"centre", {to_double(p.params[axes[0]]), to_double(p.params[axes[1]])}},
                       {"box", {end_or_null(box[axes[0]].lo), end_or_null(box[axes[0]].hi),
                                end_or_null(box[axes[1]].lo), end_or_null(box[axes[1]].hi)}},
                       {"x1", x1},
                       {"x2", x2},
                       {"loss", rows}}}};
}

}  // namespace

Kind parse_kind(const std::string& name) {
    if (name == "fits") return Kind::fits;
    if (name == "regions") return Kind::regions;
    if (name == "segment") return Kind::segment;
    if (name == "slice") return Kind::slice;
    if (name == "trap") return Kind::trap;
    throw PlotError("unknown plot kind '" + name + "' (known: fits, regions, segment, slice, trap)");
}

std::string kind_name(Kind k) {
    switch (k) {
        case Kind::fits: return "fits";
        case Kind::regions: return "regions";
        case Kind::segment: return "segment";
        case Kind::slice: return "slice";
        case Kind::trap: return "trap";
    }
    return "?";
}

json plot_data(const script::Script& s, const std::string& sha256, const Request& r) {
    json body;
    switch (r.kind) {
        case Kind::fits: body = fits(s, r); break;
        case Kind::regions: body = regions(s, r); break;
        case Kind::segment: body = segment(s, r); break;
        case Kind::slice: body = slice(s, r); break;
        case Kind::trap: body = trap(s, r); break;
    }
    // The script's name as JSON text must be UTF-8: a byte that is not is written as U+FFFD (the dump's
    // replace handler; plot_command.cpp), and then "script_bytes" holds every byte in hex, as the JSON report's
    // "file_bytes" does. "script_shown" is its file name as the reports show it (util::escape_for_display:
    // controls and non-ASCII as \u{XXXX}), which the renderer puts in a default title.
    json doc = {{"nncert_plot", 1}, {"kind", kind_name(r.kind)}, {"script", s.path}, {"sha256", sha256},
                {"title", r.title}, {"loss_name", kernel::to_string(s.problem.loss)},
                {"script_shown", util::escape_for_display(std::filesystem::path(s.path).filename().string())}};
    bool utf8 = true;
    for (std::size_t i = 0; utf8 && i < s.path.size();) {
        char32_t cp = 0;
        const std::size_t n = util::decode_utf8(s.path, i, cp);
        utf8 = n != 0;
        i += n;
    }
    if (!utf8) {
        static constexpr char hex[] = "0123456789abcdef";
        std::string bytes;
        for (const unsigned char c : s.path) {
            bytes += hex[c >> 4];
            bytes += hex[c & 0xf];
        }
        doc["script_bytes"] = bytes;
    }
    doc.update(body);
    return doc;
}

}  // namespace nncert::plot
