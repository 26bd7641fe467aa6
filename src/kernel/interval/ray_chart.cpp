// Ray charts of unbounded trap faces (ray_chart.hpp; docs/certificates.md, "Ray charts"). Everything here is an
// enclosure over a chart box or an exact point of it; the cover's exactness is what makes a chart box's bound a
// bound over the face.
#include "kernel/interval/ray_chart.hpp"

#include "hints/float_loss.hpp"

#include "kernel/autodiff.hpp"
#include "kernel/ball/ball.hpp"
#include "kernel/ball/dinterval.hpp"
#include "kernel/interval/activation.hpp"
#include "kernel/interval/one_layer.hpp"
#include "kernel/interval/one_layer_binary64.hpp"
#include "kernel/output_loss.hpp"

#include <mpfr.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>

namespace nncert::kernel {

namespace {

// Boxes of the output layer's own branch and bound per chart box (the output-layer reduction). A search that runs out
// hands its open boxes to both parts of its chart box, which each search them again with their own hidden outputs: a
// budget too small repeats that frontier in every generation. On the Theorem 1 trap 64 took 80,975 chart boxes and
// about a fifth more CPU than 256 (77,239 boxes; 512: 77,027, no faster); docs/benchmarks.md.
constexpr std::size_t reduction_budget = 256;

// Ratio ranges narrower than this are not bisected by chart_split (2^-20).
const Rational ratio_floor = Rational(1, 1048576);

// What the loss at an exact point says about a witness there, from one forward pass in binary64 balls (the ball
// engine's enclosures: ball.hpp, docs/certificates.md "Ball arithmetic"): -1 when s L(theta) certainly exceeds the
// refutation level (> refute, or >= refute for a strict one), so loss_witness would find no witness; +1 when it is
// certainly at or below it (a witness); 0 when the ball cannot tell (then loss_witness decides). A cheap test in
// front of loss_witness: skipping a witness the loss excludes certifies nothing.
// Before the balls, the loss in plain doubles (hints/float_loss.hpp, untrusted, a tenth of the cost): where it lies
// above the level by more than 2^-30 of it (float rounding is some 2^-50 of it here), the answer is -1 too, and the
// point is passed over as a witness; so a wrong float estimate could only cost a witness, never give a verdict. Almost
// every chart box of a trap that holds comes here, and almost none is a witness.
int witness_by_ball(const Problem& pb, const Vector& theta, const LossObligation& ob) {
    if (!ball_rounding::ieee_environment()) return 0;
    if (const std::optional<double> f = hints::loss_in_doubles(pb, theta)) {
        const double s = ob.sense > 0 ? *f : -*f, level = ob.refute.convert_to<double>();
        if (std::isfinite(s) && std::isfinite(level) && s > level + 0x1p-30 * (1 + std::fabs(level))) return -1;
    }
    Ball l;
    try {
        const std::vector<Ball> th(theta.begin(), theta.end());
        l = loss_and_gradient<Ball>(pb, th, nullptr);
    } catch (const std::exception&) {  // a relu kink straddled, or a loss the balls do not support
        return 0;
    }
    if (!l.is_finite()) return 0;
    const Ball s = ob.sense > 0 ? l : -l;
    if (ob.refute_strict ? certainly_at_least(s, ob.refute) : certainly_greater(s, ob.refute)) return -1;
    if (ob.refute_strict ? certainly_less(s, ob.refute) : certainly_at_most(s, ob.refute)) return 1;
    return 0;
}

// Flat parameter indices of unit i of layer l: its weights W_l[i, 1..n_in], then its bias (if any).
std::vector<std::size_t> incoming(const Network& net, std::size_t l, std::size_t i) {
    std::vector<std::size_t> k;
    const std::size_t n_in = net.fan_in(l);
    for (std::size_t j = 0; j < n_in; ++j) k.push_back(net.weight_offset(l) + i * n_in + j);
    if (net.has_bias(l)) k.push_back(net.bias_offset(l) + i);
    return k;
}

// The layer input a flat parameter of unit (l, i) multiplies: index j of the input, or n_in for the bias (1).
std::size_t input_index(const Network& net, const RayChart& c, std::size_t k) {
    const std::size_t n_in = net.fan_in(c.layer);
    if (k >= net.bias_offset(c.layer)) return n_in;
    return k - net.weight_offset(c.layer) - c.unit * n_in;
}

bool is_charted(const std::vector<RayChart>& charts, std::size_t k) {
    for (const RayChart& c : charts)
        for (std::size_t q : c.coords)
            if (q == k) return true;
    return false;
}

// t_j = s r_j (t_lead = s) as an enclosure over the box. Num: Interval (MPFI) or DInterval (binary64); the chart
// code below is generic over both, as the forward pass is (autodiff.hpp).
template <class Num>
Num t_of(const RayChart& c, std::size_t j, const std::vector<Num>& x) {
    const Num& s = x[c.coords[c.lead]];
    return j == c.lead ? s : Num(s * x[c.coords[j]]);
}

// Enclosures of every weight over a chart box: plain parameters as they are, charted ones corner + dir * t.
template <class Num>
std::vector<Num> weight_enclosure(const std::vector<RayChart>& charts, const std::vector<Num>& x) {
    std::vector<Num> w = x;
    for (const RayChart& c : charts)
        for (std::size_t j = 0; j < c.coords.size(); ++j) {
            const Num t = t_of(c, j, x);
            w[c.coords[j]] = c.dir[j] > 0 ? Num(Num(c.corner[j]) + t) : Num(Num(c.corner[j]) - t);
        }
    return w;
}

// A chart's corner c_j as Num, and the number 1: converted once per box (ChartConstants), not once per data point.
template <class Num>
struct ChartConstants {
    std::vector<std::vector<Num>> corner;  // corner[ci][j]: charts[ci].corner[j] enclosed
    Num one = Num(Rational(1));
    explicit ChartConstants(const std::vector<RayChart>& charts) {
        corner.reserve(charts.size());
        for (const RayChart& c : charts) {
            std::vector<Num> cs;
            cs.reserve(c.corner.size());
            for (const Rational& v : c.corner) cs.emplace_back(v);
            corner.push_back(std::move(cs));
        }
    }
};


// z = sum_{plain j} w_j a_j + sum_{charted j} c_j a_j + s * (sum_{charted j} dir_j r_j a_j), r_lead = 1: the
// pre-activation of a charted unit, with the scale factored out so that the sign of the inner sum decides the
// sign of z at every scale of the box at once. `rest` is everything but s * inner; x is the chart box's
// enclosure (it holds the unit's plain weights as they are, and the ratios), `in` the unit's layer input.
template <class Num>
struct Factored {
    Num rest, inner;
};
template <class Num>
Factored<Num> factored_preactivation(const Network& net, const RayChart& c, const std::vector<Num>& corner,
                                     const Num& one, const std::vector<Num>& x, const std::vector<Num>& in) {
    const std::size_t n_in = net.fan_in(c.layer);
    Factored<Num> f;
    // Which inputs the chart covers (the bias is input n_in): at most 64 inputs by bits, else a vector.
    std::uint64_t charted_bits = 0;
    std::vector<bool> charted_wide(n_in + 1 > 64 ? n_in + 1 : 0, false);
    const auto mark = [&](std::size_t a) {
        if (n_in + 1 > 64) charted_wide[a] = true;
        else charted_bits |= std::uint64_t{1} << a;
    };
    const auto is_marked = [&](std::size_t a) {
        return n_in + 1 > 64 ? static_cast<bool>(charted_wide[a]) : ((charted_bits >> a) & 1) != 0;
    };
    for (std::size_t j = 0; j < c.coords.size(); ++j) {
        const std::size_t a = input_index(net, c, c.coords[j]);
        mark(a);
        const Num& in_a = a == n_in ? one : in[a];
        add_product(f.rest, corner[j], in_a);
        const Num& r = j == c.lead ? one : x[c.coords[j]];
        if (c.dir[j] > 0)
            add_product(f.inner, r, in_a);
        else
            sub_product(f.inner, r, in_a);
    }
    for (std::size_t a = 0; a < n_in; ++a)
        if (!is_marked(a) && !known_zero(in[a])) add_product(f.rest, x[net.weight_offset(c.layer) + c.unit * n_in + a], in[a]);
    if (!is_marked(n_in) && net.has_bias(c.layer)) f.rest += x[net.bias_offset(c.layer) + c.unit];
    return f;
}

template <class Num>
class ChartHook : public PreactivationHook<Num> {
public:
    ChartHook(const Network& net, const std::vector<RayChart>& charts, const std::vector<Num>& x)
        : net_(net), charts_(charts), x_(x), constants_(charts) {}

    bool compute(std::size_t l, std::size_t i, const std::vector<Num>& in, Num& z) const override {
        for (std::size_t ci = 0; ci < charts_.size(); ++ci) {
            const RayChart& c = charts_[ci];
            if (c.layer != l || c.unit != i) continue;
            const Factored<Num> f = factored_preactivation(net_, c, constants_.corner[ci], constants_.one, x_, in);
            z = f.rest;
            add_product(z, x_[c.coords[c.lead]], f.inner);
            return true;
        }
        return false;
    }

private:
    const Network& net_;
    const std::vector<RayChart>& charts_;
    const std::vector<Num>& x_;
    const ChartConstants<Num> constants_;
};

// The hidden outputs of every data point, in data order: a network with one hidden layer, as the forward pass of
// chart_loss computed them (the output layer's input). The output-layer reduction reads them instead of running
// the same forward pass again (same weights, same hook: the same enclosures).
using HiddenOutputs = std::vector<std::vector<Interval>>;

// The hidden outputs over a chart box (HiddenOutputs) with the box's ranges (its first num_params() coordinates): what
// a box hands its parts for hidden_by_interval_preactivations to reuse.
struct HiddenColumns {
    Box ranges;
    HiddenOutputs hidden;
};

// ChartHook that also records, per data point, the input of the output layer's first unit (the hidden outputs).
template <class Num>
class RecordingChartHook : public ChartHook<Num> {
public:
    RecordingChartHook(const Network& net, const std::vector<RayChart>& charts, const std::vector<Num>& x,
                       std::vector<std::vector<Num>>* out)
        : ChartHook<Num>(net, charts, x), out_(out) {}

    bool compute(std::size_t l, std::size_t i, const std::vector<Num>& in, Num& z) const override {
        if (out_ && l == 1 && i == 0) out_->push_back(in);
        return ChartHook<Num>::compute(l, i, in, z);
    }

private:
    std::vector<std::vector<Num>>* out_;
};

// The loss (and, when g is given and no kink is straddled, its gradient in the weights) over a chart box; with
// `hidden` (two-layer networks), the hidden outputs of every data point as this forward pass computed them.
template <class Num>
Num chart_loss(const Problem& pb, const std::vector<RayChart>& charts, const std::vector<Num>& x, std::vector<Num>* g,
               std::vector<std::vector<Num>>* hidden = nullptr) {
    const std::vector<Num> w = weight_enclosure(charts, x);
    const RecordingChartHook<Num> hook(pb.net, charts, x, hidden);
    const auto run = [&](std::vector<Num>* grad) {
        if (hidden) hidden->clear();
        return loss_and_gradient<Num>(pb, w, grad, &hook);
    };
    if (g) {
        try {
            return run(g);
        } catch (const KinkStraddled&) {
            g->clear();
        }
    }
    return run(nullptr);
}

}  // namespace

std::vector<ChartRoot> chart_cover(const Network& net, const Box& face, std::size_t max_roots) {
    // Per unit with two or more unbounded incoming ranges, its options: every way of (a) cutting each whole
    // line at 0 into a half-line, (b) cutting each half-line [c, +inf) at c + T (T = 2 (1 + |c|)) into a near
    // part [c, c + T], kept as a bounded range in weight coordinates, and a far part [c + T, +inf) (likewise
    // (-inf, c]), and (c) when two or more far parts remain, choosing the lead of their chart. The near parts
    // keep what charts cannot resolve: a weight that stays bounded while another runs to infinity (its ratio
    // tends to 0 and the chart would leave its absolute value open at every scale).
    struct Option {
        std::vector<std::pair<std::size_t, Range>> ranges;
        std::optional<RayChart> chart;
    };
    std::vector<std::vector<Option>> per_unit;
    std::size_t count = 1;
    for (std::size_t l = 0; l < net.layers.size(); ++l)
        for (std::size_t i = 0; i < net.layers[l].width; ++i) {
            std::vector<std::size_t> u;
            for (std::size_t k : incoming(net, l, i))
                if (!face[k].bounded()) u.push_back(k);
            if (u.size() < 2) continue;
            std::vector<Option> opts;
            const std::size_t m = u.size();
            std::size_t lines = 0;
            for (std::size_t k : u) lines += (!face[k].lo && !face[k].hi) ? 1 : 0;
            if (lines > 8 || m > 8) return {ChartRoot{{}, face}};
            // Count this unit's options before building any (2^lines sides, and per near/far choice the number
            // of leads, or 1): a face too big for the cap costs nothing.
            std::size_t unit_options = 0;
            for (std::size_t near = 0; near < (std::size_t(1) << m); ++near) {
                const std::size_t far = m - static_cast<std::size_t>(__builtin_popcountll(near));
                unit_options += far >= 2 ? far : 1;
            }
            unit_options <<= lines;
            if (count * unit_options > max_roots) return {ChartRoot{{}, face}};
            for (std::size_t side = 0; side < (std::size_t(1) << lines); ++side)
                for (std::size_t near = 0; near < (std::size_t(1) << m); ++near) {
                    Option base;
                    std::vector<std::size_t> far;
                    std::vector<Rational> far_corner;
                    std::vector<int> far_dir;
                    std::size_t line_no = 0;
                    for (std::size_t q = 0; q < m; ++q) {
                        const std::size_t k = u[q];
                        Rational c;
                        int dir;
                        if (!face[k].lo && !face[k].hi) {
                            c = 0;
                            dir = (side >> line_no++ & 1) ? 1 : -1;
                        } else {
                            dir = face[k].lo ? 1 : -1;
                            c = face[k].lo ? *face[k].lo : *face[k].hi;
                        }
                        const Rational t = 2 * (1 + abs(c));
                        const Rational edge = dir > 0 ? Rational(c + t) : Rational(c - t);
                        if (near >> q & 1) {
                            base.ranges.push_back({k, dir > 0 ? Range{c, edge} : Range{edge, c}});
                        } else {
                            far.push_back(k);
                            far_corner.push_back(edge);
                            far_dir.push_back(dir);
                        }
                    }
                    if (far.size() < 2) {
                        if (far.size() == 1)
                            base.ranges.push_back({far[0], far_dir[0] > 0 ? Range{far_corner[0], std::nullopt}
                                                                          : Range{std::nullopt, far_corner[0]}});
                        opts.push_back(std::move(base));
                        continue;
                    }
                    for (std::size_t lead = 0; lead < far.size(); ++lead) {
                        Option o = base;
                        RayChart c;
                        c.layer = l;
                        c.unit = i;
                        c.coords = far;
                        c.corner = far_corner;
                        c.dir = far_dir;
                        c.lead = lead;
                        for (std::size_t j = 0; j < far.size(); ++j)
                            o.ranges.push_back({far[j], j == lead ? Range{Rational(0), std::nullopt}   // s
                                                                  : Range{Rational(0), Rational(1)}});  // r_j
                        o.chart = std::move(c);
                        opts.push_back(std::move(o));
                    }
                }
            count *= opts.size();
            if (count > max_roots) return {ChartRoot{{}, face}};
            per_unit.push_back(std::move(opts));
        }
    if (per_unit.empty()) return {ChartRoot{{}, face}};
    // The product of the units' options, as a mixed-radix counter.
    std::vector<ChartRoot> roots;
    std::vector<std::size_t> pick(per_unit.size(), 0);
    while (true) {
        ChartRoot root{{}, face};
        for (std::size_t u = 0; u < per_unit.size(); ++u) {
            const Option& o = per_unit[u][pick[u]];
            for (const auto& [k, r] : o.ranges) root.box[k] = r;
            if (o.chart) root.charts.push_back(*o.chart);
        }
        roots.push_back(std::move(root));
        std::size_t u = 0;
        while (u < per_unit.size() && ++pick[u] == per_unit[u].size()) pick[u++] = 0;
        if (u == per_unit.size()) break;
    }
    return roots;
}

Vector chart_to_weights(const std::vector<RayChart>& charts, const Vector& theta) {
    Vector w = theta;
    for (const RayChart& c : charts) {
        const Rational& s = theta[c.coords[c.lead]];
        for (std::size_t j = 0; j < c.coords.size(); ++j) {
            const Rational t = j == c.lead ? s : Rational(s * theta[c.coords[j]]);
            w[c.coords[j]] = c.dir[j] > 0 ? Rational(c.corner[j] + t) : Rational(c.corner[j] - t);
        }
    }
    return w;
}

Box chart_box_hull(const std::vector<RayChart>& charts, const Box& box) {
    Box out = box;
    for (const RayChart& c : charts) {
        const Range& s = box[c.coords[c.lead]];
        for (std::size_t j = 0; j < c.coords.size(); ++j) {
            // t = s r over s in [s_lo, s_hi] (s_lo >= 0), r in [r_lo, r_hi] subset [0, 1]: [s_lo r_lo, s_hi r_hi].
            const Rational r_lo = j == c.lead ? Rational(1) : *box[c.coords[j]].lo;
            const Rational r_hi = j == c.lead ? Rational(1) : *box[c.coords[j]].hi;
            const Rational t_lo = *s.lo * r_lo;
            std::optional<Rational> t_hi;
            if (s.hi)
                t_hi = *s.hi * r_hi;
            else if (r_hi == 0)
                t_hi = Rational(0);
            Range& w = out[c.coords[j]];
            if (c.dir[j] > 0) {
                w.lo = c.corner[j] + t_lo;
                w.hi = t_hi ? std::optional<Rational>(c.corner[j] + *t_hi) : std::nullopt;
            } else {
                w.hi = c.corner[j] - t_lo;
                w.lo = t_hi ? std::optional<Rational>(c.corner[j] - *t_hi) : std::nullopt;
            }
        }
    }
    return out;
}

namespace {

// x met with y, both enclosures of the same quantity (as meet_enclosures, loss_bound.hpp).
Interval meet(const Interval& x, const Interval& y) { return meet_enclosures(x, y); }
DInterval meet(const DInterval& x, const DInterval& y) {
    const double lo = std::fmax(x.lo(), y.lo()), hi = std::fmin(x.hi(), y.hi());
    if (lo > hi) throw std::logic_error("disjoint enclosures of one quantity (a bug)");
    return DInterval::from_ends(lo, hi);
}

// The loss over a chart box in the number type Num (Interval or DInterval): the natural extension with factored
// pre-activations, met with the mean-value form in the bounded parameters outside the charts (K): for theta in the
// box, L(theta) - L(theta with K at the centre) = sum_{k in K} dL/dtheta_k(xi) (theta_k - c_k), xi on the segment,
// which lies in the box (only K coordinates move, each within its range). g gets the gradient's enclosure over the
// box (empty where a relu kink is straddled), hidden (if given, one hidden layer) the hidden outputs.
template <class Num>
Num chart_bound_in(const Problem& pb, const std::vector<RayChart>& charts, const Box& box, const std::vector<Num>& x,
                   std::vector<Num>& g, std::vector<std::vector<Num>>* hidden) {
    const std::size_t n = pb.net.num_params();
    Num l = chart_loss(pb, charts, x, &g, pb.net.layers.size() == 2 ? hidden : nullptr);
    if (g.size() != n) return l;
    std::vector<Num> centre = x;
    bool any = false, finite = true;
    for (std::size_t k = 0; k < n; ++k) {
        if (!box[k].bounded() || box[k].degenerate() || is_charted(charts, k)) continue;
        if (!g[k].is_bounded()) finite = false;
        centre[k] = Num(sample(box[k]));
        any = true;
    }
    if (!any || !finite) return l;
    Num mv = chart_loss<Num>(pb, charts, centre, nullptr);
    for (std::size_t k = 0; k < n; ++k) {
        if (!box[k].bounded() || box[k].degenerate() || is_charted(charts, k)) continue;
        mv += g[k] * (x[k] - centre[k]);
    }
    return meet(l, mv);
}

// The hidden outputs of every data point (one hidden layer) over the chart box x: the first layer's pre-activations in
// MPFI at the working precision, as forward computes them (the charted units' in factored form), then the activation:
// sigmoid and tanh by activate_keeping_complement (ball/dinterval.hpp: the digits of MPFI's own enclosure near
// saturation, 1 - e^-|z| kept to a few 2^-53 of e^-|z| before the working precision's rounding, without an MPFR
// exponential), any other by MPFI. The forward pass without the output layer, the loss or the gradient: the digits
// the output-layer reduction needs (a binary64 pass's pre-activations lose some 2^-53 |z| to cancellation, and the
// reduction's data q_i with them: 84,456 boxes instead of 81,091 on the Theorem 1 trap).
// With `reuse` (the hidden outputs of a box containing this one, over the ranges `reuse->ranges`, with the same charts
// and problem) and `box` (this box's ranges), a unit whose incoming parameters (its weights and bias, which hold its
// chart's coordinates) have exactly the ranges they had there takes its outputs from `reuse`: the same ranges give the
// same enclosures x of them, so the same computation below, which a split of the other units' coordinates leaves alone.
void hidden_by_interval_preactivations(const Problem& pb, const std::vector<RayChart>& charts, const IVector& x,
                                       HiddenOutputs& hidden, const Box* box = nullptr,
                                       const HiddenColumns* reuse = nullptr) {
    const Network& net = pb.net;
    const std::size_t m = net.layers[0].width, n_in = net.fan_in(0);
    const std::size_t w = net.weight_offset(0), b = net.bias_offset(0);
    const bool bias = net.has_bias(0);
    std::vector<std::size_t> chart_of(m, charts.size());  // charts.size(): the unit has no chart
    for (std::size_t ci = 0; ci < charts.size(); ++ci)
        if (charts[ci].layer == 0) chart_of[charts[ci].unit] = ci;
    std::vector<unsigned char> same(m, 0);  // unit i's outputs are reuse's
    if (box && reuse && reuse->hidden.size() == pb.data.size() && reuse->ranges.size() == box->size())
        for (std::size_t i = 0; i < m; ++i) {
            bool equal = true;
            for (std::size_t k : incoming(net, 0, i)) equal = equal && (*box)[k].lo == reuse->ranges[k].lo &&
                                                                (*box)[k].hi == reuse->ranges[k].hi;
            same[i] = equal ? 1 : 0;
        }
    const ChartConstants<Interval> constants(charts);
    hidden.clear();
    hidden.reserve(pb.data.size());
    std::vector<Interval> in(n_in);
    Interval z;
    for (std::size_t s = 0; s < pb.data.size(); ++s) {
        const Sample& smp = pb.data[s];
        for (std::size_t j = 0; j < n_in; ++j) in[j] = Interval(smp.x[j]);
        std::vector<Interval> h(m);
        for (std::size_t i = 0; i < m; ++i) {
            if (same[i] && reuse->hidden[s].size() == m) {
                h[i] = reuse->hidden[s][i];
                continue;
            }
            if (const std::size_t ci = chart_of[i]; ci < charts.size()) {
                const RayChart* c = &charts[ci];
                const Factored<Interval> f = factored_preactivation(net, *c, constants.corner[ci], constants.one, x, in);
                z = f.rest;
                add_product(z, x[c->coords[c->lead]], f.inner);
            } else {
                z = bias ? x[b + i] : Interval();
                for (std::size_t j = 0; j < n_in; ++j)
                    if (!known_zero(in[j])) add_product(z, x[w + i * n_in + j], in[j]);
            }
            std::optional<Interval> v = activate_keeping_complement(net.layers[0].activation.kind, z);
            h[i] = v ? std::move(*v) : activate(net.layers[0].activation, z, 0);
        }
        hidden.push_back(std::move(h));
    }
}

// loss_over_chart_box with the box's enclosure x given (the assessor needs x again for its split choice). For squared
// errors on a box that is not a single point, in binary64 intervals first (ball/dinterval.hpp: the same generic code,
// every enclosure converted exactly to MPFI) unless the hidden outputs are asked for; with an obligation `ob`, a
// binary64 bound that misses its threshold narrowly (misses_narrowly, loss_bound.hpp) or is not finite is computed
// again in MPFI at the working precision, as is every other case (the hidden outputs then from that MPFI pass). Both
// routes are sound; the choice is only speed.
Interval chart_bound(const Problem& pb, const std::vector<RayChart>& charts, const Box& box, const IVector& x,
                     IVector* gradient, HiddenOutputs* hidden = nullptr, const LossObligation* ob = nullptr) {
    bool point = true;
    for (const Range& r : box) point = point && r.degenerate();
    if (!hidden && is_squared_error(pb.loss) && !point && ball_rounding::ieee_environment()) {
        std::vector<DInterval> xd, gd;
        xd.reserve(x.size());
        for (const Interval& v : x) xd.push_back(DInterval::from_interval(v));
        const DInterval ld = chart_bound_in<DInterval>(pb, charts, box, xd, gd, nullptr);
        const Interval l = to_interval(ld);
        if (ld.is_bounded() && (!ob || !misses_narrowly(ob->sense > 0 ? l : Interval(-l), ob->threshold))) {
            if (gradient) {
                gradient->clear();
                gradient->reserve(gd.size());
                for (const DInterval& v : gd) gradient->push_back(to_interval(v));
            }
            return l;
        }
    }
    IVector g;
    const Interval l = chart_bound_in(pb, charts, box, x, g, hidden);
    if (gradient) *gradient = std::move(g);
    return l;
}

// The output-layer reduction (docs/certificates.md, "Ray charts", "The output-layer reduction"): for a network
// with one hidden layer and no weight decay, each data point's loss term depends on the box only through the
// point's hidden outputs h_i (enclosed by H_i, exactly per point: every parameter occurs once in a pre-activation)
// and the output layer's parameters u (range V). Where the interval derivative d l_i / d h_ij over hull(H_i, q_ij)
// x V has a certain sign, l_i(h_i, u) >= l_i(q_i, u) with q_ij the end of H_ij (rounded outward) on the side the
// term decreases towards (the straight segment from h_i to q_i stays in that hull and every partial derivative
// along it has the sign that makes the term fall). Then L(theta) >= L'(u(theta)), L' the loss of the output layer
// alone on the data (q_i, y_i) with the same weights and scale: a problem without a hidden layer on the box V,
// searched by its own branch and bound. Nothing when the network or a sign does not qualify.
// The network conditions of the output-layer reduction: one hidden layer, no weight decay, charts only on it.
bool reducible(const Problem& pb, const std::vector<RayChart>& charts) {
    if (pb.net.layers.size() != 2 || !is_zero(pb.weight_decay)) return false;
    for (const RayChart& c : charts)
        if (c.layer != 0) return false;
    return true;
}

std::optional<Problem> output_reduction(const Problem& pb, const std::vector<RayChart>& charts, const IVector& x,
                                        const HiddenOutputs* hidden) {
    const Network& net = pb.net;
    if (!reducible(pb, charts)) return std::nullopt;
    // The hidden outputs recorded by chart_loss's pass over the same box, when they are complete; else a forward pass
    // here, with the weights' enclosures. The output layer's parameters are never charted: x holds them.
    const bool recorded = hidden && hidden->size() == pb.data.size();
    const IVector w = recorded ? IVector() : weight_enclosure(charts, x);
    const IVector& wo = recorded ? x : w;
    const ChartHook<Interval> hook(net, charts, x);
    const std::size_t m = net.layers[0].width, n_out = net.layers[1].width;
    const std::size_t w2 = net.weight_offset(1), b2 = net.bias_offset(1);
    const bool bias = net.has_bias(1);
    const bool through_z = through_preactivation(pb.loss);
    Problem out;
    out.net.input_dim = m;
    out.net.layers = {net.layers[1]};
    out.loss = pb.loss;
    out.data.reserve(pb.data.size());
    Pass<Interval> p;
    std::vector<Interval> hh(m), z(n_out), f(n_out), du;
    // The derivatives' signs in binary64 intervals first (squared errors, ball/dinterval.hpp) over the same boxes
    // Hh_i x V, each enclosure outward: a sign certain there is certain; where one is not, MPFI decides as before.
    // Only the choice between two exact ends of Hh_ij hangs on it.
    const bool binary64 = is_squared_error(pb.loss) && ball_rounding::ieee_environment();
    std::vector<DInterval> wd, hd(m), zd(n_out), fd(n_out), dud;
    std::vector<Rational> lo(m), hi(m);
    std::vector<unsigned char> at_lower(m);  // per hidden unit: the binary64 sign picked the lower end
    if (binary64) {
        wd.assign(x.size(), DInterval());
        for (std::size_t k = w2; k < w2 + n_out * m; ++k) wd[k] = DInterval::from_interval(wo[k]);
        if (bias)
            for (std::size_t k = 0; k < n_out; ++k) wd[b2 + k] = DInterval::from_interval(wo[b2 + k]);
    }
    try {
        for (std::size_t s = 0; s < pb.data.size(); ++s) {
            const Sample& smp = pb.data[s];
            if (!recorded) forward(net, w, smp.x, p, &hook);
            const std::vector<Interval>& a1 = recorded ? (*hidden)[s] : p.a[1];
            if (a1.size() != m) return std::nullopt;
            Sample q{Vector(m), smp.y, smp.weight};
            for (std::size_t j = 0; j < m; ++j)
                if (!a1[j].is_bounded()) return std::nullopt;
            // H_ij widened to its outward-rounded ends Hh_ij (both candidate q_ij lie in it); the derivative of the
            // term over that box x V decides the end, and only the end it picks is read as a rational.
            bool decided = false;
            if (binary64) {
                // Hh_ij rounded outward to doubles is H_ij rounded outward to doubles: every double is a multiple of
                // 2^-1074, so on the grid 2^-E, and the greatest double at or below H_ij's lower end is at or below
                // that end's grid floor too (likewise upward). So this is the box the derivative is taken over.
                for (std::size_t j = 0; j < m; ++j) hd[j] = DInterval::from_interval(a1[j]);
                for (std::size_t k = 0; k < n_out; ++k) {
                    zd[k] = bias ? wd[b2 + k] : DInterval();
                    for (std::size_t j = 0; j < m; ++j) add_product(zd[k], wd[w2 + k * m + j], hd[j]);
                    fd[k] = activate(net.layers[1].activation, zd[k], 0);
                }
                point_loss(pb.loss, fd, zd, smp.y, dud);
                for (std::size_t k = 0; k < n_out; ++k) dud[k] = dud[k] * activate(net.layers[1].activation, zd[k], 1);
                decided = true;
                for (std::size_t j = 0; j < m && decided; ++j) {
                    DInterval d;
                    for (std::size_t k = 0; k < n_out; ++k) add_product(d, wd[w2 + k * m + j], dud[k]);
                    if (d.lo() >= 0)
                        at_lower[j] = 1;  // as below
                    else if (d.hi() <= 0)
                        at_lower[j] = 0;
                    else
                        decided = false;
                }
                if (decided)
                    for (std::size_t j = 0; j < m; ++j) q.x[j] = at_lower[j] ? a1[j].lower() : a1[j].upper();
            }
            if (!decided) {
                for (std::size_t j = 0; j < m; ++j) {
                    lo[j] = a1[j].lower();
                    hi[j] = a1[j].upper();
                    hh[j] = Interval::hull(lo[j], hi[j]);
                }
                for (std::size_t k = 0; k < n_out; ++k) {
                    z[k] = bias ? wo[b2 + k] : Interval();
                    for (std::size_t j = 0; j < m; ++j) add_product(z[k], wo[w2 + k * m + j], hh[j]);
                    f[k] = activate(net.layers[1].activation, z[k], 0);
                }
                point_loss(pb.loss, f, z, smp.y, du);
                if (!through_z)
                    for (std::size_t k = 0; k < n_out; ++k) du[k] = du[k] * activate(net.layers[1].activation, z[k], 1);
                for (std::size_t j = 0; j < m; ++j) {
                    Interval d;
                    for (std::size_t k = 0; k < n_out; ++k) add_product(d, wo[w2 + k * m + j], du[k]);
                    if (certainly_at_least(d, Rational(0)))
                        q.x[j] = lo[j];  // the term does not decrease as h_ij grows: its least value is at the lower end
                    else if (certainly_at_most(d, Rational(0)))
                        q.x[j] = hi[j];
                    else
                        return std::nullopt;
                }
            }
            out.data.push_back(std::move(q));
        }
    } catch (const KinkStraddled&) {
        return std::nullopt;
    }
    return out;
}

// Whether reduced_bound may apply to a chart box of pb (output_reduction's conditions, and an obligation from below):
// then the assessor runs it before the loss bound.
bool reduction_may_apply(const Problem& pb, const std::vector<RayChart>& charts, const LossObligation& ob) {
    return ob.sense == 1 && reducible(pb, charts);
}

// The parts of V (the output layer's range) a chart box's output-layer search left to the box's parts, and a bound
// over the rest (docs/certificates.md, "The output-layer reduction", inherited searches). For every theta of the
// box whose u(theta) lies in no box of `open`: L(theta) > t (>= t for a non-strict obligation) and, when
// `settled` is given, L(theta) >= *settled. Every reduction that ever settled a part was valid on a box that
// contains this one, so the same holds on every part of the box.
struct ReductionContext {
    std::vector<Box> open;
    std::optional<LowerBound> settled;  // absent: no part settled yet
};

// What a chart box of the chart loss context assessor hands its parts (the driver's BoxContext): the reduction's
// context (the open parts of V and the bound over the rest; none: the parts search all of V) and the box's hidden
// outputs for hidden_by_interval_preactivations to reuse (none where they were not computed).
struct ChartContext {
    std::shared_ptr<const ReductionContext> reduction;
    std::shared_ptr<const HiddenColumns> hidden;
};

// The hidden outputs a context hands down (none for an empty context or one without them).
const HiddenColumns* handed_down_columns(const BoxContext& context) {
    if (!context) return nullptr;
    return std::static_pointer_cast<const ChartContext>(context)->hidden.get();
}

BoxContext chart_context(std::shared_ptr<const ReductionContext> reduction, std::shared_ptr<const HiddenColumns> hidden) {
    if (!reduction && !hidden) return nullptr;
    return std::make_shared<const ChartContext>(ChartContext{std::move(reduction), std::move(hidden)});
}

// Hidden outputs (data points x first-layer units) above this are not handed down: every open box keeps its parent's
// context, about 100 bytes per output at the working precision (review 16: 400 points made a 1,000-box search take
// 67 MB instead of 19 MB). The Theorem 1 trap hands down 20.
constexpr std::size_t max_handed_down_outputs = 64;

// More open parts than this are not passed on (the parts then start from the whole V again: sound either way).
constexpr std::size_t max_context_parts = 256;

// a intersected with b (closed boxes of one size), or nothing when they are disjoint.
std::optional<Box> meet_boxes(const Box& a, const Box& b) {
    Box m = a;
    for (std::size_t k = 0; k < a.size(); ++k) {
        if (b[k].lo && (!m[k].lo || *b[k].lo > *m[k].lo)) m[k].lo = b[k].lo;
        if (b[k].hi && (!m[k].hi || *b[k].hi < *m[k].hi)) m[k].hi = b[k].hi;
        if (m[k].lo && m[k].hi && *m[k].lo > *m[k].hi) return std::nullopt;
    }
    return m;
}

// The reduction's verdict over a chart box: settled (L > threshold, or >=, on the whole box) or a lower bound of
// L over it, from a branch and bound over the output layer's range V with at most `budget` boxes. With
// `inherited` (a context of a box containing this one), only the parts of V it left open are searched; with
// `pass_on`, the parts this search leaves open are returned (Reduced::left) for the box's parts.
struct Reduced {
    bool settled = false;
    LowerBound bound;
    std::shared_ptr<const ReductionContext> left;  // for the box's parts (empty: none; they start from V)
};
std::optional<Reduced> reduced_bound(const Problem& pb, const std::vector<RayChart>& charts, const Box& box,
                                     const IVector& x, const LossObligation& ob, std::size_t budget,
                                     const HiddenOutputs* hidden = nullptr,
                                     const std::shared_ptr<const ReductionContext>& inherited = nullptr,
                                     bool pass_on = false) {
    if (ob.sense != 1 || budget == 0) return std::nullopt;
    const std::optional<Problem> red = output_reduction(pb, charts, x, hidden);
    if (!red) return std::nullopt;
    const Box v(box.begin() + static_cast<std::ptrdiff_t>(pb.net.weight_offset(1)),
                box.begin() + static_cast<std::ptrdiff_t>(pb.net.layer_end(1)));
    // The parts of V still to search: all of V, or the inherited open parts met with V (a point of V in no open
    // part is settled by the context; one in several is searched in each).
    std::vector<Box> roots;
    if (!inherited)
        roots.push_back(v);
    else
        for (const Box& o : inherited->open)
            if (std::optional<Box> m = meet_boxes(o, v)) roots.push_back(std::move(*m));
    const std::optional<LowerBound> done = inherited ? inherited->settled : std::nullopt;
    const auto with_done = [&done](const LowerBound& b) { return done ? lowest(*done, b) : b; };
    Reduced out;
    out.left = inherited;  // until this search settles something, the box's parts inherit what this box did
    if (roots.empty()) {   // every part of V settled before: L > t on the whole box
        out.settled = true;
        out.bound = done ? *done : LowerBound{ob.threshold};
        return out;
    }
    // A point u of V with L'(u) <= t (< t for a non-strict obligation) shows that L' does not clear the threshold
    // on V: the search stops there ("refuted" of L' only; L' <= L need not be attained, so it refutes nothing of L).
    LossObligation inner = ob;
    inner.refute = ob.threshold;
    inner.refute_strict = !ob.strict;
    // A monotone collapse replaces a box by a face without settling the rest of the box: a search whose open parts
    // are passed on runs without it, so that every point outside its open boxes is settled (or contracted away).
    if (pass_on) inner.monotone = false;
    // The same test at a sample point first (V's, or the first open part's), before any box of the search: where
    // the reduction cannot settle the chart box, this usually shows it at the cost of one loss evaluation (a
    // heuristic: it only saves time). The reduction then adds nothing to the box (neither a verdict nor a bound).
    const Vector u0 = sample(roots.front());
    const int by_ball = witness_by_ball(*red, u0, inner);
    if (by_ball > 0 || (by_ball == 0 && loss_witness(*red, u0, inner))) {
        out.bound = LowerBound{};
        return out;
    }
    BranchBoundLimits limits{budget, nullptr, "output layer"};
    limits.keep_unsettled = pass_on;
    // The search on boxes of doubles where it applies (one_layer_binary64.hpp: the same examination in binary64, the
    // MPFI one on the boxes it leaves to it), else the driver with the one-layer (or general) assessor.
    std::optional<BranchBoundResult> fast = one_layer_search_binary64(*red, roots, inner, limits);
    std::optional<OneLayer> ol;
    if (!fast) ol = OneLayer::of(*red);
    const bool contracted = fast || ol;  // the one-layer contraction may have run: bounds capped at t
    const BranchBoundResult r =
        fast ? std::move(*fast) : branch_and_bound(roots, lower_bound_assessor(*red, ol, inner), limits);
    out.settled = r.outcome == BranchBoundResult::Outcome::proven;
    out.bound = with_done(contracted ? capped_bound(r.bound, ob.threshold) : r.bound);
    if (out.settled || !pass_on) return out;
    // The parts this search settled: its settled leaves' bound; where the one-layer contraction ran, at most t
    // (a contracted part is only known to have L' > t, or >= t).
    std::optional<LowerBound> now = r.settled_bound;
    if (contracted) now = capped_bound(now ? *now : LowerBound{ob.threshold}, ob.threshold);
    if (r.unsettled.size() > max_context_parts) {
        out.left = nullptr;
        return out;
    }
    auto ctx = std::make_shared<ReductionContext>();
    ctx->open = r.unsettled;
    ctx->settled = done && now ? lowest(*done, *now) : done ? done : now;
    out.left = std::move(ctx);
    return out;
}

// q rounded to the nearest double (as convert_to<double>), without Boost's generic conversion where q is a double
// already: a numerator below 2^53 over a power of two at most 2^1022 is exact in binary64, and mpq_get_d (which
// truncates) then returns it exactly.
double nearest_double(const Rational& q) {
    mpq_srcptr r = q.backend().data();
    const mp_bitcnt_t k = mpz_scan1(mpq_denref(r), 0);
    if (mpz_sizeinbase(mpq_numref(r), 2) <= 53 && k <= 1022 && mpz_sizeinbase(mpq_denref(r), 2) == k + 1)
        return mpq_get_d(r);
    return q.convert_to<double>();
}

// A binary64 interval for chart_split's scores only (a heuristic: its rounding is not outward and its results steer
// the search, never a bound). 0 * inf is 0 (a weight range times an input that is exactly 0); NaN ends widen.
struct Rough {
    double lo = 0, hi = 0;
    static Rough point(double v) { return {v, v}; }
    static Rough of(const Range& r) {
        return {r.lo ? nearest_double(*r.lo) : -HUGE_VAL, r.hi ? nearest_double(*r.hi) : HUGE_VAL};
    }
    double width() const { return hi - lo; }
    friend Rough operator+(const Rough& a, const Rough& b) {
        const double l = a.lo + b.lo, h = a.hi + b.hi;
        return {std::isnan(l) ? -HUGE_VAL : l, std::isnan(h) ? HUGE_VAL : h};
    }
    friend Rough operator*(const Rough& a, const Rough& b) {
        const auto mul = [](double x, double y) { return (x == 0 || y == 0) ? 0.0 : x * y; };
        const double p[4] = {mul(a.lo, b.lo), mul(a.lo, b.hi), mul(a.hi, b.lo), mul(a.hi, b.hi)};
        return {*std::min_element(p, p + 4), *std::max_element(p, p + 4)};
    }
    // The activations chart_split scores in binary64, all non-decreasing.
    Rough activate(ActivationKind k) const {
        const auto f = [k](double z) {
            switch (k) {
                case ActivationKind::sigmoid: return 1 / (1 + std::exp(-z));
                case ActivationKind::tanh: return std::tanh(z);
                case ActivationKind::softplus: return z > 30 ? z : std::log1p(std::exp(z));
                case ActivationKind::relu: return z > 0 ? z : 0.0;
                default: return z;
            }
        };
        return {f(lo), f(hi)};
    }
};

// The split of an undecided chart box (a heuristic: any choice is sound). A parameter of a later layer scores
// 1/1000 of its first-order spread |dL/dtheta_k| width_k (the output-layer reduction resolves those parameters
// inside each box, so they come after every first-layer coordinate that still narrows something). A parameter of a
// first-layer unit (plain, a scale or a ratio) scores what bisecting it takes off the widths of that unit's
// outputs, c sum_i (width h_i(X) - mean over the two halves of width h_i(half)), h_i the unit's output on data
// point i (the factored pre-activation where it is charted) and c half the sum of |outgoing weights| over the box
// (1 without a later layer): a crude bound of |d loss / d h_i| for squared error on a sigmoid output. This sees
// which coordinate leaves a data point's side undecided: a ratio where the hyperplane's direction is open, the scale
// where it is known but the unit not yet saturated, a plain weight (e.g. the bias's near part) otherwise.
std::optional<std::size_t> chart_split(const Problem& pb, const std::vector<RayChart>& charts, const Box& box,
                                       const IVector& x, const IVector& g) {
    const Network& net = pb.net;
    const std::size_t n = net.num_params();
    std::optional<std::size_t> best;
    double best_score = -1;
    const auto consider = [&](std::size_t k, double score) {
        if (std::isnan(score) || score <= best_score) return;
        best = k;
        best_score = score;
    };
    for (std::size_t k = net.layer_end(0); k < n; ++k) {
        if (box[k].degenerate()) continue;
        const Interval sm = magnitude_of(g[k]) * Interval(split_width(box[k]));
        if (!sm.is_nan()) consider(k, 1e-3 * mpfr_get_d(sm.hi(), MPFR_RNDU));
    }
    // The widths are a score, so they are computed in binary64 (Rough below): far cheaper than MPFI, and any
    // rounding only changes which coordinate is cut. Activations without a binary64 form here keep MPFI.
    const ActivationKind act = net.layers[0].activation.kind;
    const bool rough = act == ActivationKind::sigmoid || act == ActivationKind::tanh ||
                       act == ActivationKind::softplus || act == ActivationKind::identity || act == ActivationKind::relu;
    const std::size_t n_in = net.fan_in(0);
    std::vector<Interval> in(n_in);
    std::vector<Rough> rx(n);
    std::vector<std::vector<double>> data_x;
    if (rough) {
        for (std::size_t k = 0; k < n; ++k) rx[k] = Rough::of(box[k]);
        for (const Sample& smp : pb.data) {
            std::vector<double> a;
            for (std::size_t ai = 0; ai < n_in; ++ai) a.push_back(nearest_double(smp.x[ai]));
            data_x.push_back(std::move(a));
        }
    }
    for (std::size_t u = 0; u < net.layers[0].width; ++u) {
        const RayChart* chart = nullptr;
        for (const RayChart& c : charts)
            if (c.layer == 0 && c.unit == u) chart = &c;
        std::vector<double> corner_d;
        std::vector<Interval> corner;  // for the MPFI widths below (activations without a binary64 form)
        if (chart) {
            for (const Rational& c : chart->corner) corner_d.push_back(nearest_double(c));
            if (!rough)
                for (const Rational& c : chart->corner) corner.emplace_back(c);
        }
        const Interval one(Rational(1));
        double weight = 1;
        if (net.layers.size() >= 2) {
            weight = 0;
            for (std::size_t k = 0; k < net.layers[1].width; ++k) {
                const Interval& w = x[net.weight_offset(1) + k * net.fan_in(1) + u];
                weight += std::max(std::fabs(mpfr_get_d(w.lo(), MPFR_RNDN)), std::fabs(mpfr_get_d(w.hi(), MPFR_RNDN))) / 2;
            }
        }
        // The widths of the unit's outputs over the data for the box enclosure y (capped: a width is a score).
        const auto widths = [&](const IVector& y) {
            std::vector<double> out;
            for (const Sample& smp : pb.data) {
                for (std::size_t ai = 0; ai < n_in; ++ai) in[ai] = Interval(smp.x[ai]);
                Interval z;
                if (chart) {
                    const Factored<Interval> f = factored_preactivation(net, *chart, corner, one, y, in);
                    z = f.rest;
                    add_product(z, y[chart->coords[chart->lead]], f.inner);
                } else {
                    if (net.has_bias(0)) z = y[net.bias_offset(0) + u];
                    for (std::size_t ai = 0; ai < n_in; ++ai) add_product(z, y[net.weight_offset(0) + u * n_in + ai], in[ai]);
                }
                double wdt = 1e6;
                try {
                    const Interval h = activate(net.layers[0].activation, z, 0);
                    if (h.is_bounded()) wdt = std::min(1e6, mpfr_get_d(h.hi(), MPFR_RNDU) - mpfr_get_d(h.lo(), MPFR_RNDD));
                } catch (const std::exception&) {
                }
                out.push_back(wdt);
            }
            return out;
        };
        // The inputs the chart's coordinates multiply (n_in: the bias), once per unit: they are the same at every point.
        std::vector<std::size_t> chart_input;
        std::vector<unsigned char> charted(n_in + 1, 0);
        if (chart)
            for (std::size_t c : chart->coords) {
                chart_input.push_back(input_index(net, *chart, c));
                charted[chart_input.back()] = 1;
            }
        // The same in binary64 over the ranges ry.
        const auto rough_widths = [&](const std::vector<Rough>& ry) {
            std::vector<double> out;
            out.reserve(pb.data.size());
            for (std::size_t i = 0; i < pb.data.size(); ++i) {
                const std::vector<double>& a = data_x[i];
                Rough z;
                if (chart) {
                    Rough rest, inner;
                    for (std::size_t j = 0; j < chart->coords.size(); ++j) {
                        const std::size_t ai = chart_input[j];
                        const double in_a = ai == n_in ? 1.0 : a[ai];
                        rest = rest + Rough::point(corner_d[j] * in_a);
                        const Rough r = j == chart->lead ? Rough::point(1) : ry[chart->coords[j]];
                        inner = inner + r * Rough::point(chart->dir[j] > 0 ? in_a : -in_a);
                    }
                    for (std::size_t ai = 0; ai < n_in; ++ai)
                        if (!charted[ai]) rest = rest + ry[net.weight_offset(0) + u * n_in + ai] * Rough::point(a[ai]);
                    if (!charted[n_in] && net.has_bias(0)) rest = rest + ry[net.bias_offset(0) + u];
                    z = rest + ry[chart->coords[chart->lead]] * inner;
                } else {
                    if (net.has_bias(0)) z = ry[net.bias_offset(0) + u];
                    for (std::size_t ai = 0; ai < n_in; ++ai) z = z + ry[net.weight_offset(0) + u * n_in + ai] * Rough::point(a[ai]);
                }
                const double wdt = z.activate(act).width();
                out.push_back(std::isnan(wdt) ? 1e6 : std::min(1e6, wdt));
            }
            return out;
        };
        const std::vector<double> full = rough ? rough_widths(rx) : widths(x);
        for (std::size_t k : incoming(net, 0, u)) {
            if (box[k].degenerate()) continue;
            // A ratio narrower than 2^-20 is not cut again. Where the unit's hyperplane tends to one through data
            // points (its inner sum tends to 0 there while the scale is unbounded), halving a ratio always leaves
            // a half that holds the limit direction, with the same bound: the search would chase it forever instead
            // of the coordinates that can still raise the bound (the other unit's, the output layer's).
            if (chart && k != chart->coords[chart->lead] &&
                std::find(chart->coords.begin(), chart->coords.end(), k) != chart->coords.end() &&
                *box[k].hi - *box[k].lo < ratio_floor)
                continue;
            const Rational m = split_point(box[k]);
            std::vector<double> left, right;
            if (rough) {
                std::vector<Rough> ry = rx;
                ry[k] = Rough::of(Range{box[k].lo, m});
                left = rough_widths(ry);
                ry[k] = Rough::of(Range{m, box[k].hi});
                right = rough_widths(ry);
            } else {
                IVector y = x;
                y[k] = enclose(Range{box[k].lo, m});
                left = widths(y);
                y[k] = enclose(Range{m, box[k].hi});
                right = widths(y);
            }
            double gain = 0;
            for (std::size_t i = 0; i < full.size(); ++i) gain += full[i] - (left[i] + right[i]) / 2;
            consider(k, weight * gain);
        }
    }
    return best;
}

}  // namespace

Interval loss_over_chart_box(const Problem& pb, const std::vector<RayChart>& charts, const Box& box, IVector* gradient) {
    return chart_bound(pb, charts, box, enclose(box), gradient);
}

std::optional<ReducedBound> output_reduction_bound(const Problem& pb, const std::vector<RayChart>& charts, const Box& box,
                                                   std::size_t budget, const Rational& threshold, bool strict,
                                                   HiddenSource source) {
    LossObligation ob;
    ob.threshold = threshold;
    ob.strict = strict;
    const IVector x = enclose(box);
    const auto verdict = [](const std::optional<Reduced>& r) -> std::optional<ReducedBound> {
        if (!r) return std::nullopt;
        return ReducedBound{r->settled, r->bound};
    };
    if (source == HiddenSource::own_pass) return verdict(reduced_bound(pb, charts, box, x, ob, budget));
    HiddenOutputs hidden;
    if (source == HiddenSource::assessor) {  // as the assessor gets them, before any bound
        if (pb.net.layers.size() == 2) hidden_by_interval_preactivations(pb, charts, x, hidden);
    } else {  // the hidden outputs of the bound's own forward pass in MPFI
        IVector g;
        chart_bound(pb, charts, box, x, &g, &hidden);
    }
    return verdict(reduced_bound(pb, charts, box, x, ob, budget, &hidden));
}

std::optional<Problem> output_reduction_problem(const Problem& pb, const std::vector<RayChart>& charts, const Box& box) {
    return output_reduction(pb, charts, enclose(box), nullptr);
}

std::vector<IVector> chart_hidden_outputs(const Problem& pb, const std::vector<RayChart>& charts, const Box& box,
                                          const BoxContext& context) {
    if (pb.net.layers.size() != 2) throw std::invalid_argument("chart_hidden_outputs: one hidden layer only");
    HiddenOutputs hidden;
    hidden_by_interval_preactivations(pb, charts, enclose(box), hidden, &box, handed_down_columns(context));
    return hidden;
}

std::optional<std::vector<Box>> open_output_parts(const BoxContext& context) {
    if (!context) return std::nullopt;
    const auto& reduction = std::static_pointer_cast<const ChartContext>(context)->reduction;
    if (!reduction) return std::nullopt;
    return reduction->open;
}

namespace {

// One assessment of a chart box (chart_loss_assessor); `inherited` is the context the box's parent returned
// (a ReductionContext or empty), and with `pass_on` the box's own context is returned for its parts.
BoxAssessment assess_chart_box(const Problem& pb, const std::vector<RayChart>& charts, const LossObligation& ob,
                               const Box& box, const BoxContext& inherited, bool pass_on) {
    const std::size_t n = pb.net.num_params();
    BoxAssessment a;
    const IVector x = enclose(box);
    const std::shared_ptr<const ReductionContext> ctx =
        inherited ? std::static_pointer_cast<const ChartContext>(inherited)->reduction : nullptr;
    // What the box's parts get: the parent's reduction context unless this box's reduction replaces it. Whatever the
    // parent's reduction settled stays settled on this box, also when this box's reduction does not apply.
    std::shared_ptr<const ReductionContext> reduction_for_parts = ctx;
    std::shared_ptr<const HiddenColumns> columns;
    // The output-layer reduction first where it can apply: on the Theorem 1 trap it settles about half of the boxes
    // and the loss bound below, after it, none, so a box the reduction settles skips the bound's two binary64 passes
    // (a box is settled when either settles it; the bound of a box the reduction settles is the reduction's).
    std::optional<Reduced> red;
    if (reduction_may_apply(pb, charts, ob)) {
        // The first layer's pre-activations in MPFI (the digits the reduction needs), a unit's outputs taken from the
        // parent's where its incoming ranges are unchanged.
        auto own = std::make_shared<HiddenColumns>();
        own->ranges = box;
        hidden_by_interval_preactivations(pb, charts, x, own->hidden, &box, handed_down_columns(inherited));
        red = reduced_bound(pb, charts, box, x, ob, reduction_budget, &own->hidden, ctx, pass_on);
        if (red && red->settled) {
            a.fate = BoxAssessment::Fate::settled;
            a.bound = red->bound;
            return a;
        }
        if (red) reduction_for_parts = red->left;
        if (pb.data.size() * pb.net.layers[0].width <= max_handed_down_outputs) columns = std::move(own);
    }
    if (pass_on) a.context = chart_context(reduction_for_parts, columns);
    IVector g;
    const Interval l = chart_bound(pb, charts, box, x, &g, nullptr, &ob);
    const Interval q = ob.sense > 0 ? l : Interval(-l);
    a.bound = LowerBound::of(q);
    if (ob.strict ? certainly_greater(q, ob.threshold) : certainly_at_least(q, ob.threshold)) {
        a.fate = BoxAssessment::Fate::settled;
        a.context = nullptr;
        return a;
    }
    // Not settled by the reduction: its bound may still be the better one.
    if (red && lower_than(a.bound, red->bound)) a.bound = red->bound;
    // Monotone in a parameter outside the charts: the infimum of s * L is on the face where it is smallest (a
    // face of a chart box is a chart box).
    if (ob.monotone && g.size() == n)
        if (auto face = monotone_face(box, g, ob.sense, [&](std::size_t k) { return !is_charted(charts, k); })) {
            a.replacement = std::move(face);
            return a;
        }
    // A witness: the box's sample point, mapped to weights (a point of the face, by the cover).
    if (witness_possible(a.bound, ob))
        if (const Vector theta = chart_to_weights(charts, sample(box)); witness_by_ball(pb, theta, ob) >= 0)
            if (auto w = loss_witness(pb, theta, ob)) {
                a.fate = BoxAssessment::Fate::refuted;
                a.witness = std::move(*w);
                a.context = nullptr;
                return a;
            }
    // Bisect where the bound narrows most (chart_split; priorities only steer the search).
    if (!a.bound.value || g.size() != n) return a;
    a.coordinate = chart_split(pb, charts, box, x, g);
    return a;
}

}  // namespace

BoxAssessor chart_loss_assessor(const Problem& pb, const std::vector<RayChart>& charts, const LossObligation& ob) {
    if (ob.sense != 1 && ob.sense != -1) throw std::invalid_argument("loss obligation sense must be +1 or -1");
    return [&pb, charts, ob](const Box& box) { return assess_chart_box(pb, charts, ob, box, nullptr, false); };
}

ContextAssessor chart_loss_context_assessor(const Problem& pb, const std::vector<RayChart>& charts,
                                            const LossObligation& ob) {
    if (ob.sense != 1 && ob.sense != -1) throw std::invalid_argument("loss obligation sense must be +1 or -1");
    return [&pb, charts, ob](const Box& box, const BoxContext& inherited) {
        return assess_chart_box(pb, charts, ob, box, inherited, true);
    };
}

std::vector<IVector> chart_outputs(const Problem& pb, const std::vector<RayChart>& charts, const Box& box) {
    const IVector x = enclose(box);
    const IVector w = weight_enclosure(charts, x);
    const ChartHook<Interval> hook(pb.net, charts, x);
    std::vector<IVector> out;
    out.reserve(pb.data.size());
    Pass<Interval> p;
    for (const Sample& s : pb.data) {
        forward(pb.net, w, s.x, p, &hook);
        out.push_back(p.a.back());
    }
    return out;
}

}  // namespace nncert::kernel
