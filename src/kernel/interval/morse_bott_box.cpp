// `local_min P within r` by Morse-Bott over a box (docs/certificates.md, "morse-bott-slice"): a family of
// slice-critical points of constant loss, known by a structural argument, and a Hessian positive definite on
// the slices. Assumes check_interval opened the PrecisionScope. Two families:
//   duplicated-unit  two hidden units with equal incoming weights and bias (Fukumizu & Amari): the critical
//                    line through the embedding of the reduced network's critical point (Krawczyk on it);
//   constant-layer   first-layer units constant on the data with uncorrelated labels (Yun, Sra & Jadbabaie,
//                    Theorem 2): the network is the constant best fit on a manifold of critical points.
#include "kernel/autodiff.hpp"
#include "kernel/detail/mint.hpp"
#include "kernel/interval/activation.hpp"
#include "kernel/interval/box_definiteness.hpp"
#include "kernel/interval/checks.hpp"
#include "kernel/interval/krawczyk.hpp"
#include "kernel/linear_algebra.hpp"

#include <functional>

namespace nncert::kernel::detail {

namespace {

// theta = P + sum_a s_a V[a] + sum_b w_b Z[b]; V[a], Z[b] are full parameter vectors (exact).
struct Slice {
    std::string family;
    std::vector<Vector> v, z;
    // Encloses the slice coordinates w_b of the family's point m(s) for every s with |s_a| <= rho (and, with
    // rho = 0, at s = 0). Throws KinkStraddled if an evaluation straddles a kink.
    std::function<IVector(const Rational& rho)> w_hat;
    Object evidence;
    std::string who;  // for the reasons of an inconclusive answer
};

// The bounding box of Q = {P + V s + Z w : |s_a| <= rho, |w_b| <= r}, as exact rational half-widths.
IVector bounding_box(const Vector& p, const Slice& sl, const Rational& rho, const Rational& r) {
    IVector box;
    for (std::size_t k = 0; k < p.size(); ++k) {
        Rational half = 0;
        for (const Vector& d : sl.v) half += abs(d[k]) * rho;
        for (const Vector& d : sl.z) half += abs(d[k]) * r;
        box.push_back(Interval::hull(p[k] - half, p[k] + half));
    }
    return box;
}

// Z^T [H] Z, symmetric by construction (the upper triangle mirrored).
IMatrix slice_hessian(const IMatrix& h, const std::vector<Vector>& z) {
    const std::size_t m = z.size(), n = h.size();
    IMatrix out(m, IVector(m));
    for (std::size_t a = 0; a < m; ++a)
        for (std::size_t b = a; b < m; ++b) {
            Interval acc;
            for (std::size_t i = 0; i < n; ++i) {
                if (is_zero(z[a][i])) continue;
                for (std::size_t j = 0; j < n; ++j)
                    if (!is_zero(z[b][j])) acc += Interval(z[a][i] * z[b][j]) * h[i][j];
            }
            out[a][b] = acc;
            out[b][a] = acc;
        }
    return out;
}

// The largest family range rho in r, r/2, ..., r/1024 with m(s) in Q for every |s_a| <= rho, after checking
// that [V Z] is invertible and that m(0) lies strictly inside Q. Nothing (and a reason) when none fits.
std::vector<Rational> family_ranges(const Vector& p, const Rational& r, const Slice& sl, std::string& why) {
    std::vector<Rational> fits;
    const std::size_t n = p.size();
    if (sl.v.size() + sl.z.size() != n) throw std::logic_error("morse-bott slice: wrong number of directions");
    Matrix all(sl.v.begin(), sl.v.end());
    all.insert(all.end(), sl.z.begin(), sl.z.end());
    if (rank(all) != n) {
        why = "the slice directions and the family's directions do not span the parameter space";
        return fits;
    }
    for (const Interval& w : sl.w_hat(Rational(0)))
        if (!subset_of_interior(w, -r, r)) {
            why = "the family's point through P is not certainly inside the box (move the centre onto it)";
            return fits;
        }
    Rational rho = r;
    for (int halvings = 0; halvings <= 10; ++halvings, rho /= 2) {
        bool inside = true;
        for (const Interval& x : sl.w_hat(rho)) inside = inside && subset_of(x, -r, r);
        if (inside) fits.push_back(rho);
    }
    if (fits.empty()) why = "no range of the family's parameters keeps its points in the box";
    return fits;
}

// The slice argument (see the file header and docs): returns the certified verdict, or a reason.
std::optional<Verdict> certify_slice(const Problem& pb, const Point& p, const Rational& r, const Options& opt,
                                     const Slice& sl, std::string& why) {
    const std::vector<Rational> ranges = family_ranges(p.params, r, sl, why);
    for (const Rational& rho : ranges) {
        const IMatrix h = hessian_enclosure(pb, bounding_box(p.params, sl, rho, r), &opt.progress);
        const BoxDefinitenessResult d = analyze_box_definiteness(slice_hessian(h, sl.z), std::nullopt);
        if (d.kind != BoxDefiniteness::positive_definite) {
            why = "the Hessian on the slices is not certainly positive definite over the box (shrink the radius "
                  "or raise the precision)";
            continue;
        }
        Object ev = box_evidence(p, r, opt, "Morse-Bott over the box: a family of slice-critical points of constant "
                                            "loss, and a positive definite Hessian on the slices");
        ev.emplace_back("family", sl.family);
        for (const auto& kv : sl.evidence) ev.push_back(kv);
        ev.emplace_back("family_dimension", sl.v.size());
        ev.emplace_back("slice_dimension", sl.z.size());
        ev.emplace_back("family_parameter_range", rho);
        ev.emplace_back("slice_lambda_min_greater_than", d.lambda_min_above);
        ev.emplace_back("result", "the family's point through P is a local minimum, not strict when the family has "
                                  "dimension >= 1; the loss on the part of the box the family sweeps is >= its "
                                  "loss");
        return Mint::certified("morse-bott-slice", Value(std::move(ev)));
    }
    return std::nullopt;
}

Vector axis(std::size_t n, std::size_t k) {
    Vector e(n);
    e[k] = 1;
    return e;
}

// ---- duplicated-unit -------------------------------------------------------------------------------

struct Reduction {
    Problem pb;
    Vector p;
    std::vector<std::size_t> full_of_reduced;  // reduced index -> full index (column a of W_{l+1} for merged)
};

// Removes unit b of hidden layer l; unit a's outgoing weights become the sum of a's and b's.
Reduction reduce(const Problem& pb, const Vector& p, std::size_t l, std::size_t a, std::size_t b) {
    Reduction red{pb, {}, {}};
    red.pb.net.layers[l].width -= 1;
    const Network& full = pb.net;
    for (std::size_t L = 0; L < full.layers.size(); ++L) {
        const std::size_t rows = full.layers[L].width, cols = full.fan_in(L), w = full.weight_offset(L);
        for (std::size_t i = 0; i < rows; ++i) {
            if (L == l && i == b) continue;
            for (std::size_t j = 0; j < cols; ++j) {
                if (L == l + 1 && j == b) continue;
                const std::size_t k = w + i * cols + j;
                Rational val = p[k];
                if (L == l + 1 && j == a) val += p[w + i * cols + b];
                red.p.push_back(val);
                red.full_of_reduced.push_back(k);
            }
        }
        if (!full.has_bias(L)) continue;
        for (std::size_t i = 0; i < rows; ++i) {
            if (L == l && i == b) continue;
            red.p.push_back(p[full.bias_offset(L) + i]);
            red.full_of_reduced.push_back(full.bias_offset(L) + i);
        }
    }
    if (red.p.size() != red.pb.net.num_params()) throw std::logic_error("duplicated-unit: reduction size");
    return red;
}

bool same_incoming(const Network& net, const Vector& p, std::size_t l, std::size_t a, std::size_t b) {
    const std::size_t fan = net.fan_in(l), w = net.weight_offset(l);
    for (std::size_t j = 0; j < fan; ++j)
        if (p[w + a * fan + j] != p[w + b * fan + j]) return false;
    return !net.has_bias(l) || p[net.bias_offset(l) + a] == p[net.bias_offset(l) + b];
}

void duplicated_unit(const Problem& pb, const Point& p, const Rational& r, std::vector<Slice>& out,
                     std::vector<std::string>& notes) {
    const Network& net = pb.net;
    const std::size_t n = p.params.size();
    // With weight decay the split changes lambda (v_a^2 + v_b^2): the line is neither flat nor critical.
    if (!is_zero(pb.weight_decay)) return;
    for (std::size_t l = 0; l + 1 < net.layers.size(); ++l)
        for (std::size_t a = 0; a < net.layers[l].width; ++a)
            for (std::size_t b = a + 1; b < net.layers[l].width; ++b) {
                if (!same_incoming(net, p.params, l, a, b)) continue;
                const std::string who = "units " + std::to_string(a + 1) + " and " + std::to_string(b + 1) +
                                        " of hidden layer " + std::to_string(l + 1);
                const Reduction red = reduce(pb, p.params, l, a, b);
                // The reduced network's critical point theta*, unique in a box (Krawczyk); K(X) encloses it.
                std::optional<KrawczykResult> kr;
                Rational rr = r / 2;  // the reduced box's radius: r/2, r/16, r/128 until Krawczyk succeeds
                for (int t = 0; t < 3; ++t) {
                    KrawczykResult k = krawczyk(red.pb, red.p, rr);
                    if (k.outcome == KrawczykOutcome::unique_zero) {
                        kr = std::move(k);
                        break;
                    }
                    rr /= 8;
                }
                if (!kr) {
                    notes.push_back("duplicated-unit (" + who + "): Krawczyk certifies no unique critical point of "
                                    "the reduced network near P (refine the reduced point)");
                    continue;
                }
                // Full index -> enclosure of theta* (merged outgoing weights at column a).
                std::vector<std::optional<Interval>> star(n);
                for (std::size_t i = 0; i < red.full_of_reduced.size(); ++i) star[red.full_of_reduced[i]] = kr->image[i];
                const std::size_t fan = net.fan_in(l), wl = net.weight_offset(l);
                const std::size_t next_fan = net.fan_in(l + 1), wn = net.weight_offset(l + 1);
                // b's incoming weights and bias equal a's on the family.
                for (std::size_t j = 0; j < fan; ++j) star[wl + b * fan + j] = star[wl + a * fan + j];
                if (net.has_bias(l)) star[net.bias_offset(l) + b] = star[net.bias_offset(l) + a];
                // The family parameter: b's outgoing weight to the output unit with the largest merged weight.
                std::size_t kstar = 0;
                for (std::size_t k = 1; k < net.layers[l + 1].width; ++k)
                    if (abs(p.params[wn + k * next_fan + a] + p.params[wn + k * next_fan + b]) >
                        abs(p.params[wn + kstar * next_fan + a] + p.params[wn + kstar * next_fan + b]))
                        kstar = k;
                const Interval vstar_k = *star[wn + kstar * next_fan + a];
                if (!certainly_positive(vstar_k) && !certainly_negative(vstar_k)) {
                    notes.push_back("duplicated-unit (" + who + "): the merged outgoing weight is not certainly "
                                    "nonzero, so the critical line cannot be parametrised by one copy's weight");
                    continue;
                }
                const std::size_t s_index = wn + kstar * next_fan + b;
                Slice sl;
                sl.family = "duplicated-unit";
                sl.v.push_back(axis(n, s_index));
                for (std::size_t k = 0; k < n; ++k)
                    if (k != s_index) sl.z.push_back(axis(n, k));
                const Vector centre = p.params;
                sl.w_hat = [=](const Rational& rho) {
                    // v_b[kstar] = P_s + s, ratio q = v_b[kstar] / v*[kstar], v_b = q v*, v_a = v* - v_b.
                    const Interval vb_k = Interval::hull(centre[s_index] - rho, centre[s_index] + rho);
                    const Interval q = vb_k / vstar_k;
                    IVector w;
                    for (std::size_t k = 0; k < n; ++k) {
                        if (k == s_index) continue;
                        Interval value;
                        const bool outgoing = k >= wn && k < wn + net.layers[l + 1].width * next_fan &&
                                              ((k - wn) % next_fan == a || (k - wn) % next_fan == b);
                        if (outgoing) {
                            const std::size_t row = (k - wn) / next_fan;
                            const Interval vs = *star[wn + row * next_fan + a];
                            const Interval vb = q * vs;
                            value = (k - wn) % next_fan == b ? vb : vs - vb;
                        } else {
                            value = *star[k];
                        }
                        w.push_back(value - Interval(centre[k]));
                    }
                    return w;
                };
                sl.evidence = Object{{"units", who},
                                     {"reduced_network_critical_point", "unique in the box of radius " + to_string(rr) +
                                                                            " around the merged point (Krawczyk)"},
                                     {"family_parameter", net.param_name(s_index)},
                                     {"family_description", "the embeddings of the reduced critical point with the outgoing weight "
                                                "split between the two copies (a line of critical points of equal loss)"}};
                sl.who = "duplicated-unit (" + who + ")";
                out.push_back(std::move(sl));
            }
}

// ---- constant-layer --------------------------------------------------------------------------------

void constant_layer(const Problem& pb, const Point& p, std::vector<Slice>& out, std::vector<std::string>& notes) {
    const Network& net = pb.net;
    const std::size_t n = p.params.size(), d = net.input_dim, last = net.layers.size() - 1;
    if (net.layers.size() < 2 || !net.has_bias(last) || !is_zero(pb.weight_decay)) return;
    const ActivationKind out_act = net.layers[last].activation.kind;
    const bool identity_out = out_act == ActivationKind::identity && is_squared_error(pb.loss);
    const bool sigmoid_out = out_act == ActivationKind::sigmoid && (is_squared_error(pb.loss) || pb.loss == LossKind::bce);
    if (!identity_out && !sigmoid_out) return;
    // D = span of the data's differences x_i - x_1; N = its orthogonal complement in input space.
    Matrix diffs;
    for (const Sample& s : pb.data) {
        Vector dv(d);
        for (std::size_t j = 0; j < d; ++j) dv[j] = s.x[j] - pb.data[0].x[j];
        diffs.push_back(dv);
    }
    Matrix reduced = diffs;
    const std::vector<std::size_t> piv = rref(reduced);
    std::vector<Vector> dbasis(reduced.begin(), reduced.begin() + static_cast<std::ptrdiff_t>(piv.size()));
    const std::vector<Vector> nbasis = null_space(diffs, d);
    // P's first layer must be constant on the data: each row of W1 in N.
    const std::size_t w1 = net.weight_offset(0), width1 = net.layers[0].width;
    for (std::size_t j = 0; j < width1; ++j)
        for (const Vector& dv : dbasis) {
            Rational dot = 0;
            for (std::size_t c = 0; c < d; ++c) dot += p.params[w1 + j * d + c] * dv[c];
            if (!is_zero(dot)) return;  // not this family
        }
    // Labels uncorrelated with the inputs: sum_i w_i (y_ik - ybar_k) x_i = 0 for every output k.
    const Rational total = pb.total_weight();
    const std::size_t outs = net.output_dim();
    Vector ybar(outs);
    for (const Sample& s : pb.data)
        for (std::size_t k = 0; k < outs; ++k) ybar[k] += s.weight * s.y[k] / total;
    for (std::size_t k = 0; k < outs; ++k)
        for (std::size_t c = 0; c < d; ++c) {
            Rational acc = 0;
            for (const Sample& s : pb.data) acc += s.weight * (s.y[k] - ybar[k]) * s.x[c];
            if (!is_zero(acc)) {
                notes.push_back("constant-layer: the labels are correlated with the inputs (the best affine fit is "
                                "not constant), so the constant network is not critical");
                return;
            }
        }
    if (sigmoid_out)
        for (const Rational& yb : ybar)
            if (yb <= 0 || yb >= 1) {
                notes.push_back("constant-layer: a sigmoid output cannot equal the mean label " + to_string(yb));
                return;
            }
    // c*_k: the output pre-activation whose output is ybar_k.
    IVector cstar;
    for (const Rational& yb : ybar)
        cstar.push_back(identity_out ? Interval(yb) : log(Interval(yb)) - log(Interval(Rational(1) - yb)));
    Slice sl;
    sl.family = "constant-layer";
    const std::size_t bl = net.bias_offset(last);
    std::vector<bool> in_w1(n, false), is_bl(n, false);
    for (std::size_t k = w1; k < w1 + width1 * d; ++k) in_w1[k] = true;
    for (std::size_t k = bl; k < bl + outs; ++k) is_bl[k] = true;
    for (std::size_t k = 0; k < n; ++k)
        if (!in_w1[k] && !is_bl[k]) sl.v.push_back(axis(n, k));
    for (std::size_t j = 0; j < width1; ++j)
        for (const Vector& nv : nbasis) {
            Vector dir(n);
            for (std::size_t c = 0; c < d; ++c) dir[w1 + j * d + c] = nv[c];
            sl.v.push_back(dir);
        }
    for (std::size_t j = 0; j < width1; ++j)
        for (const Vector& dv : dbasis) {
            Vector dir(n);
            for (std::size_t c = 0; c < d; ++c) dir[w1 + j * d + c] = dv[c];
            sl.z.push_back(dir);
        }
    for (std::size_t k = 0; k < outs; ++k) sl.z.push_back(axis(n, bl + k));
    const Vector centre = p.params;
    const std::vector<Vector> vdirs = sl.v;
    const std::size_t zcount = sl.z.size();
    sl.w_hat = [=](const Rational& rho) {
        // The points P + V s: their first layer is constant on the data, so the output pre-activation without
        // bias is the same at every data point; enclose it at x_1 over the bounding box of these points, with
        // the output bias set to 0.
        IVector box;
        for (std::size_t k = 0; k < n; ++k) {
            Rational half = 0;
            for (const Vector& dv : vdirs) half += abs(dv[k]) * rho;
            box.push_back(is_bl[k] ? Interval() : Interval::hull(centre[k] - half, centre[k] + half));
        }
        Pass<Interval> pass;
        forward(net, box, pb.data[0].x, pass);
        IVector w(zcount);  // D-coefficients of W1 stay 0; the output biases move to c* - u
        for (std::size_t k = 0; k < outs; ++k)
            w[zcount - outs + k] = cstar[k] - pass.z[last][k] - Interval(centre[bl + k]);
        return w;
    };
    sl.evidence = Object{{"mean_label", vector_value(ybar)},
                         {"family_description", "first-layer units constant on the data (rows of W1 orthogonal to the data's "
                                    "differences) with the output at the best constant fit: critical points of "
                                    "equal loss, because the labels are uncorrelated with the inputs"}};
    sl.who = "constant-layer";
    out.push_back(std::move(sl));
}

std::vector<Slice> families(const Problem& pb, const Point& p, const Rational& r, std::vector<std::string>& notes) {
    std::vector<Slice> out;
    duplicated_unit(pb, p, r, out, notes);
    constant_layer(pb, p, out, notes);
    return out;
}

}  // namespace

std::optional<Verdict> morse_bott_box(const Problem& pb, const Point& p, const Rational& r, const Options& opt,
                                      std::vector<std::string>& notes) {
    if (is_zero(r)) return std::nullopt;  // a one-point box has no interior
    try {
        for (const Slice& sl : families(pb, p, r, notes)) {
            std::string why;
            if (auto v = certify_slice(pb, p, r, opt, sl, why)) return v;
            notes.push_back(sl.who + ": " + why);
        }
    } catch (const KinkStraddled&) {
        notes.push_back("morse-bott-slice: the box straddles a kink");
    }
    return std::nullopt;
}

std::optional<Value> critical_family_in_box(const Problem& pb, const Point& p, const Rational& r, const Options& opt) {
    if (is_zero(r)) return std::nullopt;
    std::vector<std::string> notes;
    try {
        for (const Slice& sl : families(pb, p, r, notes)) {
            if (sl.v.empty()) continue;
            std::string why;
            const std::vector<Rational> ranges = family_ranges(p.params, r, sl, why);
            if (ranges.empty()) continue;
            Object ev = box_evidence(p, r, opt, "a family of critical points of dimension >= 1 inside the box");
            ev.emplace_back("family", sl.family);
            for (const auto& kv : sl.evidence) ev.push_back(kv);
            ev.emplace_back("family_dimension", sl.v.size());
            ev.emplace_back("family_parameter_range", ranges.front());
            ev.emplace_back("result", "the box contains infinitely many critical points (a manifold through the "
                                      "family's point), not exactly one");
            return Value(std::move(ev));
        }
    } catch (const KinkStraddled&) {
    }
    return std::nullopt;
}

}  // namespace nncert::kernel::detail
