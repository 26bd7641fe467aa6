// Ray charts of unbounded trap faces (ray_chart.hpp; docs/certificates.md, "Ray charts"). Everything here is an
// enclosure over a chart box or an exact point of it; the cover's exactness is what makes a chart box's bound a
// bound over the face.
#include "kernel/interval/ray_chart.hpp"

#include "kernel/autodiff.hpp"
#include "kernel/interval/activation.hpp"

#include <mpfr.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace nncert::kernel {

namespace {

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

// t_j = s r_j (t_lead = s) as an enclosure over the box.
Interval t_of(const RayChart& c, std::size_t j, const IVector& x) {
    const Interval& s = x[c.coords[c.lead]];
    return j == c.lead ? s : Interval(s * x[c.coords[j]]);
}

// Enclosures of every weight over a chart box: plain parameters as they are, charted ones corner + dir * t.
IVector weight_enclosure(const std::vector<RayChart>& charts, const IVector& x) {
    IVector w = x;
    for (const RayChart& c : charts)
        for (std::size_t j = 0; j < c.coords.size(); ++j) {
            const Interval t = t_of(c, j, x);
            w[c.coords[j]] = c.dir[j] > 0 ? Interval(Interval(c.corner[j]) + t) : Interval(Interval(c.corner[j]) - t);
        }
    return w;
}

// z = sum_{plain j} w_j a_j + sum_{charted j} c_j a_j + s * (sum_{charted j} dir_j r_j a_j), r_lead = 1: the
// pre-activation of a charted unit, with the scale factored out so that the sign of the inner sum decides the
// sign of z at every scale of the box at once. `rest` is everything but s * inner; x is the chart box's
// enclosure (it holds the unit's plain weights as they are, and the ratios), `in` the unit's layer input.
struct Factored {
    Interval rest, inner;
};
Factored factored_preactivation(const Network& net, const RayChart& c, const IVector& x, const std::vector<Interval>& in) {
    const std::size_t n_in = net.fan_in(c.layer);
    Factored f;
    std::vector<bool> charted(n_in + 1, false);
    for (std::size_t j = 0; j < c.coords.size(); ++j) {
        const std::size_t a = input_index(net, c, c.coords[j]);
        charted[a] = true;
        const Interval in_a = a == n_in ? Interval(Rational(1)) : in[a];
        add_product(f.rest, Interval(c.corner[j]), in_a);
        const Interval r = j == c.lead ? Interval(Rational(1)) : x[c.coords[j]];
        if (c.dir[j] > 0)
            add_product(f.inner, r, in_a);
        else
            sub_product(f.inner, r, in_a);
    }
    for (std::size_t a = 0; a < n_in; ++a)
        if (!charted[a] && !known_zero(in[a])) add_product(f.rest, x[net.weight_offset(c.layer) + c.unit * n_in + a], in[a]);
    if (!charted[n_in] && net.has_bias(c.layer)) f.rest += x[net.bias_offset(c.layer) + c.unit];
    return f;
}

class ChartHook : public PreactivationHook<Interval> {
public:
    ChartHook(const Network& net, const std::vector<RayChart>& charts, const IVector& x)
        : net_(net), charts_(charts), x_(x) {}

    bool compute(std::size_t l, std::size_t i, const std::vector<Interval>& in, Interval& z) const override {
        for (const RayChart& c : charts_) {
            if (c.layer != l || c.unit != i) continue;
            const Factored f = factored_preactivation(net_, c, x_, in);
            z = f.rest;
            add_product(z, x_[c.coords[c.lead]], f.inner);
            return true;
        }
        return false;
    }

private:
    const Network& net_;
    const std::vector<RayChart>& charts_;
    const IVector& x_;
};

// The loss (and, when g is given and no kink is straddled, its gradient in the weights) over a chart box.
Interval chart_loss(const Problem& pb, const std::vector<RayChart>& charts, const IVector& x, IVector* g) {
    const IVector w = weight_enclosure(charts, x);
    const ChartHook hook(pb.net, charts, x);
    if (g) {
        try {
            return loss_and_gradient<Interval>(pb, w, g, &hook);
        } catch (const KinkStraddled&) {
            g->clear();
        }
    }
    return loss_and_gradient<Interval>(pb, w, nullptr, &hook);
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

// loss_over_chart_box with the box's enclosure x given (the assessor needs x again for its split choice).
Interval chart_bound(const Problem& pb, const std::vector<RayChart>& charts, const Box& box, const IVector& x,
                     IVector* gradient) {
    const std::size_t n = pb.net.num_params();
    IVector g;
    Interval l = chart_loss(pb, charts, x, &g);
    // The mean-value form in the bounded parameters outside the charts (K): for theta in the box,
    // L(theta) - L(theta with K at the centre) = sum_{k in K} dL/dtheta_k(xi) (theta_k - c_k), xi on the
    // segment, which lies in the box (only K coordinates move, each within its range).
    if (g.size() == n) {
        IVector centre = x;
        bool any = false, finite = true;
        for (std::size_t k = 0; k < n; ++k) {
            if (!box[k].bounded() || box[k].degenerate() || is_charted(charts, k)) continue;
            if (!g[k].is_bounded()) finite = false;
            centre[k] = Interval(sample(box[k]));
            any = true;
        }
        if (any && finite) {
            Interval mv = chart_loss(pb, charts, centre, nullptr);
            for (std::size_t k = 0; k < n; ++k) {
                if (!box[k].bounded() || box[k].degenerate() || is_charted(charts, k)) continue;
                mv += g[k] * (x[k] - centre[k]);
            }
            l = meet_enclosures(l, mv);
        }
    }
    if (gradient) *gradient = std::move(g);
    return l;
}

}  // namespace

Interval loss_over_chart_box(const Problem& pb, const std::vector<RayChart>& charts, const Box& box, IVector* gradient) {
    return chart_bound(pb, charts, box, enclose(box), gradient);
}

BoxAssessor chart_loss_assessor(const Problem& pb, const std::vector<RayChart>& charts, const LossObligation& ob) {
    if (ob.sense != 1 && ob.sense != -1) throw std::invalid_argument("loss obligation sense must be +1 or -1");
    const std::size_t n = pb.net.num_params();
    return [&pb, charts, ob, n](const Box& box) {
        BoxAssessment a;
        const IVector x = enclose(box);
        IVector g;
        const Interval l = chart_bound(pb, charts, box, x, &g);
        const Interval q = ob.sense > 0 ? l : Interval(-l);
        a.bound = LowerBound::of(q);
        if (ob.strict ? certainly_greater(q, ob.threshold) : certainly_at_least(q, ob.threshold)) {
            a.fate = BoxAssessment::Fate::settled;
            return a;
        }
        // Monotone in a parameter outside the charts: the infimum of s * L is on the face where it is smallest (a
        // face of a chart box is a chart box).
        if (ob.monotone && g.size() == n)
            if (auto face = monotone_face(box, g, ob.sense, [&](std::size_t k) { return !is_charted(charts, k); })) {
                a.replacement = std::move(face);
                return a;
            }
        // A witness: the box's sample point, mapped to weights (a point of the face, by the cover).
        if (witness_possible(a.bound, ob))
            if (auto w = loss_witness(pb, chart_to_weights(charts, sample(box)), ob)) {
                a.fate = BoxAssessment::Fate::refuted;
                a.witness = std::move(*w);
                return a;
            }
        // Bisect the coordinate of largest first-order spread |dL/dw_k| width_k among the parameters outside
        // the charts, unless a charted unit of the first layer leaves loss undecided: sum_i (width of its output
        // h_i on data point i) * |outgoing weights| >= 1e-3 (the unit with the most goes first). There the split is chosen where it decides those h_i:
        // a ratio r_j when the inner sum straddles 0 (the hyperplane's direction is not yet resolved near x_i),
        // else the scale s (z = s * inner has a known sign, but s may still be small). Priorities only steer
        // the search (docs/certificates.md, "Ray charts").
        if (!a.bound.value || g.size() != n) return a;
        std::optional<std::size_t> best;
        double best_smear = -1;
        for (std::size_t k = 0; k < n; ++k) {
            if (box[k].degenerate() || is_charted(charts, k)) continue;
            const Interval sm = magnitude_of(g[k]) * Interval(split_width(box[k]));
            if (sm.is_nan()) continue;
            const double v = mpfr_get_d(sm.hi(), MPFR_RNDU);
            if (v > best_smear) {
                best = k;
                best_smear = v;
            }
        }
        const Network& net = pb.net;
        for (const RayChart& c : charts) {
            if (c.layer != 0 || net.layers.size() < 2) continue;
            double outgoing = 0;  // sum_k max |W_2[k, unit]| over the box
            for (std::size_t k = 0; k < net.layers[1].width; ++k) {
                const Interval& w = x[net.weight_offset(1) + k * net.fan_in(1) + c.unit];
                outgoing += std::max(std::fabs(mpfr_get_d(w.lo(), MPFR_RNDN)), std::fabs(mpfr_get_d(w.hi(), MPFR_RNDN)));
            }
            const Interval& s = x[c.coords[c.lead]];
            std::vector<double> vote(c.coords.size(), 0), ratio_vote(c.coords.size(), 0);
            double undecided = 0;
            std::size_t straddling = 0;
            const std::size_t n_in = net.fan_in(0);
            std::vector<Interval> in(n_in);
            for (const Sample& smp : pb.data) {
                for (std::size_t ai = 0; ai < n_in; ++ai) in[ai] = Interval(smp.x[ai]);
                const auto [rest, inner] = factored_preactivation(net, c, x, in);
                // How far r_j moves the inner sum on this point: width(r_j) * |a_j|.
                std::vector<double> spread(c.coords.size(), 0);
                for (std::size_t j = 0; j < c.coords.size(); ++j) {
                    if (j == c.lead) continue;
                    const std::size_t ai = input_index(net, c, c.coords[j]);
                    const Rational in_a = ai == n_in ? Rational(1) : smp.x[ai];
                    spread[j] = mpfr_get_d(Interval(Interval(split_width(box[c.coords[j]])) * Interval(in_a)).hi(), MPFR_RNDN);
                }
                Interval z = rest;
                add_product(z, s, inner);
                const double zl = mpfr_get_d(z.lo(), MPFR_RNDD), zh = mpfr_get_d(z.hi(), MPFR_RNDU);
                const double hw = 1 / (1 + std::exp(-zh)) - 1 / (1 + std::exp(-zl));
                if (!(hw > 1e-12)) continue;
                undecided += hw;
                if (contains_zero(inner)) {
                    std::size_t jm = c.lead;
                    for (std::size_t j = 0; j < c.coords.size(); ++j)
                        if (j != c.lead && !box[c.coords[j]].degenerate() && (jm == c.lead || spread[j] > spread[jm])) jm = j;
                    if (jm != c.lead && spread[jm] > 1e-9) {
                        ratio_vote[jm] += hw;
                        ++straddling;
                    }
                } else if (!s.is_nan()) {
                    vote[c.lead] += hw;
                }
            }
            // One hyperplane through a data point crosses a box at every resolution (that point stays undecided
            // however small the box): ratios are split only to separate two or more such points.
            if (straddling >= 2)
                for (std::size_t j = 0; j < vote.size(); ++j) vote[j] += ratio_vote[j];
            // A charted unit whose outputs are undecided comes before every plain parameter: no split of the
            // others can settle a box while its hyperplane is unresolved.
            std::size_t jm = 0;
            for (std::size_t j = 1; j < c.coords.size(); ++j)
                if (vote[j] > vote[jm]) jm = j;
            if (vote[jm] <= 0 || box[c.coords[jm]].degenerate()) continue;
            const double score = 1e6 + vote[jm] * outgoing;
            if (vote[jm] * outgoing < 1e-3 || score <= best_smear) continue;
            best = c.coords[jm];
            best_smear = score;
        }
        a.coordinate = best;
        return a;
    };
}

}  // namespace nncert::kernel
