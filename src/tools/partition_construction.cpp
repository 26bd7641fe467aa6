// The partition construction (see the header and docs/paper.md, "Section 3.2 in higher dimension").
// Untrusted: it draws an instance, checks it with its own exact arithmetic, and writes claims that the kernel
// decides from scratch. The geometry lives in z-space (clusters around the vertices of a simplex, integer
// jitter) and is carried to the data space by x = A z + o with A unimodular, so that every hyperplane of the
// construction is in general position in x while all data stay integers (kinks aside, halves).
#include "tools/partition_construction.hpp"

#include <algorithm>
#include <map>
#include <random>
#include <set>

namespace nncert::tools {

using kernel::Integer;
using kernel::Rational;
using kernel::Vector;

namespace {

constexpr std::size_t max_attempts = 200;
constexpr long fold_range = 3;  // fold normals: integers in [-R, R] (2R at the vertex's own coordinate)

// A portable draw (std::uniform_int_distribution differs between standard libraries).
struct Draw {
    std::mt19937_64 gen;
    long in(long lo, long hi) { return lo + static_cast<long>(gen() % static_cast<std::uint64_t>(hi - lo + 1)); }
    int sign() { return in(0, 1) ? 1 : -1; }
    long nonzero(long r) { return sign() * in(1, r); }
};

Rational abs_q(const Rational& q) { return q.sign() < 0 ? Rational(-q) : q; }
Rational relu(const Rational& q) { return q.sign() > 0 ? q : Rational(0); }

AffineMap scaled(const AffineMap& g, const Rational& a) {
    AffineMap h = g;
    for (Rational& v : h.w) v *= a;
    h.b *= a;
    return h;
}

AffineMap plus(const AffineMap& g, const AffineMap& h) {
    AffineMap s = g;
    for (std::size_t j = 0; j < s.w.size(); ++j) s.w[j] += h.w[j];
    s.b += h.b;
    return s;
}

// x = A z + o with A integer and unimodular, A^{-1} kept alongside (integer too).
struct Frame {
    std::vector<std::vector<long>> A, Ainv;
    Vector o;

    Vector to_x(const Vector& z) const {
        Vector x = o;
        for (std::size_t i = 0; i < x.size(); ++i)
            for (std::size_t j = 0; j < z.size(); ++j) x[i] += A[i][j] * z[j];
        return x;
    }
    // g(z) as a function of x: g(A^{-1}(x - o)) = (A^{-T} u).x + e - (A^{-T} u).o.
    AffineMap to_x(const AffineMap& g) const {
        AffineMap h{Vector(g.w.size()), g.b};
        for (std::size_t j = 0; j < h.w.size(); ++j)
            for (std::size_t i = 0; i < g.w.size(); ++i) h.w[j] += g.w[i] * Ainv[i][j];
        h.b -= dot(h.w, o);
        return h;
    }
};

// Random row operations (row i += m row j, m = +-1), sign flips and a swap; entries of A and A^{-1} stay
// bounded by 5 so that the script's numbers stay short.
Frame draw_frame(Draw& r, std::size_t d) {
    Frame f;
    f.A.assign(d, std::vector<long>(d, 0));
    f.Ainv = f.A;
    for (std::size_t i = 0; i < d; ++i) f.A[i][i] = f.Ainv[i][i] = 1;
    const long bound = 5;
    for (std::size_t step = 0; d >= 2 && step < 8 * d; ++step) {
        const std::size_t i = static_cast<std::size_t>(r.in(0, static_cast<long>(d) - 1));
        std::size_t j = static_cast<std::size_t>(r.in(0, static_cast<long>(d) - 2));
        if (j >= i) ++j;
        const long m = r.sign();
        bool ok = true;
        for (std::size_t k = 0; k < d; ++k)
            ok = ok && std::labs(f.A[i][k] + m * f.A[j][k]) <= bound && std::labs(f.Ainv[k][j] - m * f.Ainv[k][i]) <= bound;
        if (!ok) continue;
        for (std::size_t k = 0; k < d; ++k) {
            f.A[i][k] += m * f.A[j][k];     // A <- E A with E = I + m e_i e_j^T
            f.Ainv[k][j] -= m * f.Ainv[k][i];  // A^{-1} <- A^{-1} E^{-1}, E^{-1} = I - m e_i e_j^T
        }
    }
    for (std::size_t i = 0; i < d; ++i)
        if (r.in(0, 1))
            for (std::size_t k = 0; k < d; ++k) f.A[i][k] = -f.A[i][k], f.Ainv[k][i] = -f.Ainv[k][i];
    if (d >= 2) {
        const std::size_t i = static_cast<std::size_t>(r.in(0, static_cast<long>(d) - 1));
        const std::size_t j = (i + 1) % d;
        std::swap(f.A[i], f.A[j]);
        for (std::size_t k = 0; k < d; ++k) std::swap(f.Ainv[k][i], f.Ainv[k][j]);
    }
    for (std::size_t i = 0; i < d; ++i) f.o.push_back(r.in(-5, 5));
    return f;
}

// Region r's separator in z: 4d times the simplex's own (s - 2 sum z for r = 0, 2 z_r - s for r >= 1, which
// is >= s - 2dJ in absolute value on every data point) plus a random +-1 vector u, |u.z| <= s + dJ on the
// data; so it is positive exactly on cluster r. The caller checks this on every row anyway.
AffineMap separator_z(Draw& r, std::size_t region, std::size_t d, long s) {
    const long k = 4 * static_cast<long>(d);
    AffineMap h{Vector(d), Rational(k * s)};
    for (Rational& v : h.w) v = region == 0 ? -2 * k : 0;
    if (region > 0) {
        h.w[region - 1] = 2 * k;
        h.b = -k * s;
    }
    for (Rational& v : h.w) v += r.sign();
    return h;
}

Vector center_z(std::size_t r, std::size_t d, long s) {
    Vector c(d);
    if (r > 0) c[r - 1] = s;
    return c;
}

// A fold normal in the normal cone of the simplex at vertex r (restricted to the vertices in use), so that
// a hyperplane through cluster r leaves every other cluster on its negative side: p.(c_q - c_r) <= -s.
// Entries are nonzero integers in [-R, R], the vertex's own coordinate up to 2R; so ||p||_1 <= R (d + 1).
Vector fold_normal(Draw& r, std::size_t region, std::size_t regions, std::size_t d) {
    Vector p(d);
    for (Rational& v : p) v = r.nonzero(fold_range);
    if (region == 0) {
        for (std::size_t q = 1; q < regions; ++q) p[q - 1] = -r.in(1, fold_range);
    } else {
        Rational top = 0;
        for (std::size_t q = 1; q < regions; ++q)
            if (q != region && p[q - 1] > top) top = p[q - 1];
        p[region - 1] = top + r.in(1, fold_range);
    }
    return p;
}

// The simplest rational strictly between lo < hi (smallest denominator, then smallest magnitude).
Rational simplest_between(const Rational& lo, const Rational& hi) {
    if (lo.sign() < 0 && hi.sign() > 0) return 0;
    if (hi.sign() <= 0) return -simplest_between(-hi, -lo);
    const Integer fl = numerator(lo) / denominator(lo);  // floor, as lo >= 0
    if (Rational(fl + 1) < hi) return Rational(fl + 1);
    // fl <= lo < hi <= fl + 1: continue on the reciprocals of the fractional parts.
    const Rational a = lo - Rational(fl), b = hi - Rational(fl);
    if (kernel::is_zero(a)) {
        const Rational inv = 1 / b;  // the simplest in (fl, fl + b) is fl + 1/m with m the least integer > 1/b
        const Integer m = numerator(inv) / denominator(inv) + 1;
        return Rational(fl) + Rational(1) / Rational(m);
    }
    return Rational(fl) + 1 / simplest_between(1 / b, 1 / a);
}

bool all_nonzero(const Vector& v) {
    for (const Rational& q : v)
        if (kernel::is_zero(q)) return false;
    return true;
}

// The general position the construction guarantees, for one family of hyperplanes (one point's units, or
// the dataset's separators, affine parts and folds); identical hyperplanes (split copies) count once:
//   every normal has all d entries nonzero (no hyperplane contains a coordinate direction);
//   for d >= 2 no two are parallel;
//   the normals span min(count, d) dimensions (with at least d of them, all of R^d).
bool general_position(const std::vector<AffineMap>& maps, std::size_t d) {
    std::vector<Vector> normals;
    std::vector<AffineMap> seen;
    for (const AffineMap& g : maps) {
        bool dup = false;
        for (const AffineMap& h : seen) dup = dup || (h.w == g.w && h.b == g.b);
        if (dup) continue;
        seen.push_back(g);
        if (!all_nonzero(g.w)) return false;
        normals.push_back(g.w);
    }
    if (d >= 2)
        for (std::size_t a = 0; a < normals.size(); ++a)
            for (std::size_t b = a + 1; b < normals.size(); ++b)
                if (rank({normals[a], normals[b]}) < 2) return false;
    return rank(normals) == std::min(d, normals.size());
}

}  // namespace

PartitionOptions resolve_options(PartitionOptions o) {
    using L = PartitionLimits;
    const bool blind = o.family == PartitionFamily::blind_spot;
    if (o.dim < 1 || o.dim > L::max_dim)
        throw PartitionError("--dim must be between 1 and " + std::to_string(L::max_dim) + " (got " + std::to_string(o.dim) + ")");
    if (o.regions < 2 || o.regions > o.dim + 1)
        throw PartitionError("--regions must be between 2 and dim + 1 = " + std::to_string(o.dim + 1) +
                             " (the regions sit at vertices of a simplex in R^" + std::to_string(o.dim) + "; got " +
                             std::to_string(o.regions) + ")");
    if (o.folds < 1 || o.folds > L::max_folds)
        throw PartitionError("--folds must be between 1 and " + std::to_string(L::max_folds));
    if (blind && o.folds != 1) throw PartitionError("the blind-spot family has exactly one fold (--folds 1)");
    if (o.points == 0) o.points = o.dim + 2 + o.folds;
    if (o.points < o.dim + 2 || o.points > L::max_points)
        throw PartitionError("--points (per region) must be between dim + 2 = " + std::to_string(o.dim + 2) +
                             " (so that an affine fit cannot interpolate a region) and " + std::to_string(L::max_points));
    if (o.units == 0) o.units = blind ? o.regions : o.regions + o.folds;
    if (blind && o.units != o.regions)
        throw PartitionError("the blind-spot family has one unit per region: --units must be --regions = " +
                             std::to_string(o.regions));
    if (!blind && (o.units < o.regions + o.folds || o.units > L::max_units))
        throw PartitionError("--units must be between regions + folds = " + std::to_string(o.regions + o.folds) +
                             " (one unit per region and the folds of one region) and " + std::to_string(L::max_units));
    if (o.hidden_layers < 1 || o.hidden_layers > 2)
        throw PartitionError("--hidden-layers is 1 or 2 (got " + std::to_string(o.hidden_layers) + ")");
    const std::size_t max_kinks = blind ? 1 : o.regions * o.folds;
    if (o.kinks > max_kinks)
        throw PartitionError("--kinks is at most one per fold: " + std::to_string(max_kinks) + " here");
    return o;
}

namespace {

// One draw. Returns "", or why a check failed (and the caller redraws).
std::string draw_instance(Draw& r, const PartitionOptions& o, PartitionConstruction& c) {
    const std::size_t d = o.dim, M = o.regions, F = o.folds, n = o.points;
    const bool blind = o.family == PartitionFamily::blind_spot;
    // Jitter J: enough integer points in [-J, J]^d to draw n distinct ones easily.
    long J = 2;
    for (;; ++J) {
        std::size_t cells = 1;
        for (std::size_t j = 0; j < d && cells < 4 * n; ++j) cells *= static_cast<std::size_t>(2 * J + 1);
        if (cells >= 4 * n) break;
    }
    // s > 2 ||p||_1 J keeps every fold off the other clusters (||p||_1 <= R (d + 1)); s > 2 d J keeps the separators.
    const long s = 2 * fold_range * (static_cast<long>(d) + 1) * J + 1;
    const Frame frame = draw_frame(r, d);

    // Clusters.
    std::vector<Vector> zs;
    c.region_of.clear();
    c.regions.assign(M, {});
    for (std::size_t g = 0; g < M; ++g) {
        const Vector ctr = center_z(g, d, s);
        std::set<Vector> taken;
        std::vector<Vector> diffs;
        while (taken.size() < n) {
            Vector xi(d);
            for (Rational& v : xi) v = r.in(-J, J);
            if (!taken.insert(xi).second) continue;
            Vector z = ctr;
            for (std::size_t j = 0; j < d; ++j) z[j] += xi[j];
            c.regions[g].rows.push_back(zs.size());
            c.region_of.push_back(g);
            zs.push_back(z);
        }
        const std::vector<std::size_t>& rows = c.regions[g].rows;
        for (std::size_t i = 1; i < rows.size(); ++i) {
            Vector diff = zs[rows[i]];
            for (std::size_t j = 0; j < d; ++j) diff[j] -= zs[rows[0]][j];
            diffs.push_back(diff);
        }
        if (rank(diffs) < d) return "a region does not affinely span R^d";
    }

    // The dataset's hyperplanes so far, in x: a new fold or affine part is redrawn (a few times) until its
    // normal has no zero entry and is parallel to none of them, so that large d and many regions do not
    // make whole draws fail on one unlucky entry.
    std::vector<Vector> taken_normals;
    auto fresh = [&](const AffineMap& g_z) {
        const Vector w = frame.to_x(g_z).w;
        if (!all_nonzero(w)) return false;
        for (const Vector& t : taken_normals)
            if (d >= 2 && rank({t, w}) < 2) return false;
        taken_normals.push_back(w);
        return true;
    };
    constexpr int local_tries = 50;
    std::vector<AffineMap> H_z(M);
    for (std::size_t g = 0; g < M; ++g) {
        for (int t = 0; t < local_tries; ++t)
            if (fresh(H_z[g] = separator_z(r, g, d, s))) break;
        for (std::size_t row = 0; row < zs.size(); ++row)
            if ((H_z[g].at(zs[row]).sign() > 0) != (c.region_of[row] == g) || kernel::is_zero(H_z[g].at(zs[row])))
                return "a separator does not separate its region";
    }

    // Folds, one kink at most per fold, kinks spread over regions first.
    const std::size_t fold_regions = blind ? 1 : M;
    std::vector<std::vector<AffineMap>> folds_z(M);
    for (std::size_t f = 0; f < F; ++f)
        for (std::size_t g = 0; g < fold_regions; ++g) {
            const bool kink = f * fold_regions + g < o.kinks;
            const Vector ctr = center_z(g, d, s);
            Vector p;
            for (int t = 0; t < local_tries; ++t)
                if (fresh({p = fold_normal(r, g, M, d), Rational(0)})) break;
            std::vector<Rational> values;
            for (std::size_t row : c.regions[g].rows) {
                Vector xi = zs[row];
                for (std::size_t j = 0; j < d; ++j) xi[j] -= ctr[j];
                values.push_back(dot(p, xi));
            }
            std::vector<Rational> sorted = values;
            std::sort(sorted.begin(), sorted.end());
            sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
            const long m = static_cast<long>(sorted.size());
            if (m < 3) return "a fold takes fewer than 3 distinct values on its region";
            Rational t;
            if (kink) {  // through one data point whose value no other point of the region shares
                std::vector<Rational> unique;
                for (long a = 1; a + 1 < m; ++a)
                    if (std::count(values.begin(), values.end(), sorted[static_cast<std::size_t>(a)]) == 1)
                        unique.push_back(sorted[static_cast<std::size_t>(a)]);
                if (unique.empty()) return "no data point to put on a fold";
                t = unique[static_cast<std::size_t>(r.in(0, static_cast<long>(unique.size()) - 1))];
            } else {  // halfway between two consecutive values in the middle third
                const long a = std::clamp(r.in(m / 3, std::max(m / 3, 2 * m / 3 - 1)), 0L, m - 2);
                t = (sorted[static_cast<std::size_t>(a)] + sorted[static_cast<std::size_t>(a + 1)]) / 2;
            }
            folds_z[g].push_back({p, -dot(p, ctr) - t});  // g(z) = p.(z - c) - t
        }

    // Fold weights, the regions' fold sums, their affine least-squares fits and residuals.
    std::vector<AffineMap> fit_z(M, AffineMap{Vector(d), Rational(0)});
    for (std::size_t g = 0; g < M; ++g) {
        PartitionRegion& reg = c.regions[g];
        if (folds_z[g].empty()) continue;
        for (std::size_t f = 0; f < folds_z[g].size(); ++f) reg.fold_weights.push_back(Rational(r.nonzero(5)));
        std::vector<Vector> pts;
        Vector sums;
        for (std::size_t row : reg.rows) {
            Rational v = 0;
            for (std::size_t f = 0; f < folds_z[g].size(); ++f) v += reg.fold_weights[f] * relu(folds_z[g][f].at(zs[row]));
            pts.push_back(zs[row]);
            sums.push_back(v);
        }
        const std::optional<AffineFit> fit = affine_least_squares(pts, sums);
        if (!fit || fit->residual.sign() <= 0) return "a region's folds are affine on its points";
        fit_z[g] = fit->map;
        reg.residual = fit->residual;
    }

    c.label_offset = r.in(-3, 3);
    Rational shift = 0;  // blind-spot: the bad point's output bias is c0 + shift
    int v0 = 1;
    if (blind) {
        // The bad point's region-1 unit must be on exactly on region 1: v0 (beta pi(x) - shift) > 0 there and
        // < 0 on every other row. pi is the fit of beta relu(g), so compare its values inside and outside.
        Rational in_lo, in_hi, out_lo, out_hi;
        bool first_in = true, first_out = true;
        for (std::size_t row = 0; row < zs.size(); ++row) {
            const Rational v = fit_z[0].at(zs[row]);
            if (c.region_of[row] == 0) {
                if (first_in || v < in_lo) in_lo = v;
                if (first_in || v > in_hi) in_hi = v;
                first_in = false;
            } else {
                if (first_out || v < out_lo) out_lo = v;
                if (first_out || v > out_hi) out_hi = v;
                first_out = false;
            }
        }
        if (out_hi < in_lo) shift = simplest_between(out_hi, in_lo), v0 = 1;
        else if (in_hi < out_lo) shift = simplest_between(in_hi, out_lo), v0 = -1;
        else return "the least-squares fit of region 1 does not separate it (blind-spot)";
    }

    // Affine parts Lambda H + a.z + e with Lambda large enough that the unit on region g keeps the sign of the
    // separator on every row, both as fitted exactly and as fitted by least squares (or shifted, blind-spot).
    std::vector<AffineMap> bracket_z(M);
    std::vector<int> sigma(M, 1);
    for (std::size_t g = 0; g < M; ++g) {
        PartitionRegion& reg = c.regions[g];
        reg.has_affine_part = !(blind && g == 0);
        if (!reg.has_affine_part) continue;
        sigma[g] = r.sign();
        const AffineMap& H = H_z[g];
        for (int t = 0; t < local_tries; ++t) {
            AffineMap extra{Vector(d), Rational(r.in(-3, 3))};
            for (Rational& v : extra.w) v = r.in(-2, 2);
            Rational need = 0;
            for (const Vector& z : zs) {
                const Rational slack = abs_q(extra.at(z)) + (blind ? abs_q(shift) : abs_q(fit_z[g].at(z)));
                const Rational ratio = slack / abs_q(H.at(z));
                if (ratio > need) need = ratio;
            }
            const Integer lambda = numerator(need) / denominator(need) + 1;
            bracket_z[g] = plus(scaled(H, Rational(lambda)), extra);
            if (fresh(bracket_z[g])) break;
        }
    }

    // Everything to x-space.
    c.data.clear();
    for (std::size_t row = 0; row < zs.size(); ++row) {
        const std::size_t g = c.region_of[row];
        Rational y = c.label_offset;
        if (c.regions[g].has_affine_part) y += sigma[g] * bracket_z[g].at(zs[row]);
        for (std::size_t f = 0; f < folds_z[g].size(); ++f)
            y += c.regions[g].fold_weights[f] * relu(folds_z[g][f].at(zs[row]));
        c.data.push_back({frame.to_x(zs[row]), {y}});
    }
    for (std::size_t g = 0; g < M; ++g) {
        PartitionRegion& reg = c.regions[g];
        reg.separator = frame.to_x(H_z[g]);
        reg.folds.clear();
        for (const AffineMap& f : folds_z[g]) reg.folds.push_back(frame.to_x(f));
        reg.fold_fit = frame.to_x(fit_z[g]);
        reg.affine_part = reg.has_affine_part ? frame.to_x(scaled(bracket_z[g], Rational(sigma[g])))
                                              : AffineMap{Vector(d), Rational(0)};
        reg.kink_rows.clear();
        for (std::size_t row : reg.rows)
            for (const AffineMap& f : reg.folds)
                if (kernel::is_zero(f.at(c.data[row].x))) reg.kink_rows.push_back(row);
    }
    c.A = frame.A;
    c.offset = frame.o;
    c.simplex_scale = s;
    c.jitter = J;

    // Unit recipes in x.
    auto affine_exact = [&](std::size_t g) {
        return PartitionUnit{frame.to_x(bracket_z[g]), Rational(sigma[g]), g, UnitRole::affine};
    };
    auto exact_units = [&](std::size_t g, std::vector<PartitionUnit>& out) {
        if (c.regions[g].has_affine_part) out.push_back(affine_exact(g));
        for (std::size_t f = 0; f < c.regions[g].folds.size(); ++f)
            out.push_back({c.regions[g].folds[f], c.regions[g].fold_weights[f], g, UnitRole::fold});
    };

    if (!blind) {
        // bad: only the region with the smallest residual exact; better: the largest residuals exact.
        std::vector<std::size_t> order(M);
        for (std::size_t g = 0; g < M; ++g) order[g] = g;
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t a, std::size_t b) { return c.regions[a].residual < c.regions[b].residual; });
        const std::size_t k = o.units, e_good = std::min(M, (k - M) / F);
        std::vector<bool> bad_exact(M, false), good_exact(M, false);
        bad_exact[order.front()] = true;
        for (std::size_t i = 0; i < e_good; ++i) good_exact[order[M - 1 - i]] = true;
        for (auto [pt, exact] : {std::pair{&c.bad, &bad_exact}, std::pair{&c.better, &good_exact}}) {
            PartitionPoint& P = *pt;
            P = {};
            P.exact = *exact;
            P.output_bias = c.label_offset;
            P.loss = 0;
            std::size_t exact_count = 0;
            for (std::size_t g = 0; g < M; ++g) {
                if (P.exact[g]) {
                    exact_units(g, P.units);
                    ++exact_count;
                } else {
                    P.units.push_back({frame.to_x(plus(bracket_z[g], scaled(fit_z[g], Rational(sigma[g])))),
                                       Rational(sigma[g]), g, UnitRole::affine});
                    P.loss += c.regions[g].residual;
                }
            }
            // Spare units split the first fold unit of the first exact region into equal copies.
            const std::size_t spare = k - M - F * exact_count;
            if (spare > 0) {
                std::size_t at = 0;
                while (P.units[at].role != UnitRole::fold) ++at;
                P.units[at].out /= Rational(spare + 1);
                P.units.insert(P.units.begin() + static_cast<long>(at) + 1, spare,
                               PartitionUnit{P.units[at].pre, P.units[at].out, P.units[at].region, UnitRole::copy});
            }
        }
        if (!(c.bad.loss > c.better.loss)) return "equal losses";
    } else {
        c.better = {};
        c.better.exact.assign(M, true);
        c.better.output_bias = c.label_offset;
        c.better.loss = 0;
        for (std::size_t g = 0; g < M; ++g) exact_units(g, c.better.units);
        c.bad = {};
        c.bad.exact.assign(M, true);
        c.bad.exact[0] = false;
        c.bad.output_bias = c.label_offset + shift;
        c.bad.loss = c.regions[0].residual;
        // Region 1: v0 relu(v0 (pi(x) - shift)), pi the least-squares fit of beta relu(g) (beta inside pi).
        AffineMap pre0 = fit_z[0];
        pre0.b -= shift;
        c.bad.units.push_back({frame.to_x(scaled(pre0, Rational(v0))), Rational(v0), 0, UnitRole::affine});
        for (std::size_t g = 1; g < M; ++g) {
            AffineMap pre = bracket_z[g];
            pre.b -= sigma[g] * shift;  // sigma (bracket - sigma shift) + c0 + shift = c0 + sigma bracket
            c.bad.units.push_back({frame.to_x(pre), Rational(sigma[g]), g, UnitRole::affine});
        }
    }

    // Check both points with fresh arithmetic in x: every unit off (strictly) outside its region, the
    // affine units on (strictly) on all of it, the loss as predicted; record kinks and blind spots.
    for (PartitionPoint* P : {&c.bad, &c.better}) {
        P->units_per_region.assign(M, 0);
        for (const PartitionUnit& u : P->units) ++P->units_per_region[u.region];
        P->kinks.clear();
        P->blind_spots.clear();
        Rational loss = 0;
        std::vector<bool> alive(P->units.size(), false);
        for (std::size_t row = 0; row < c.data.size(); ++row) {
            const Vector& x = c.data[row].x;
            bool any_on = false, any_on_or_kink = false;
            for (std::size_t j = 0; j < P->units.size(); ++j) {
                const PartitionUnit& u = P->units[j];
                const Rational z = u.pre.at(x);
                if (c.region_of[row] != u.region && z.sign() >= 0) return "a unit is on outside its region";
                if (c.region_of[row] == u.region && u.role == UnitRole::affine && z.sign() <= 0)
                    return "an affine unit is off on its region";
                if (z.sign() == 0) P->kinks.emplace_back(row, j);
                if (z.sign() > 0) alive[j] = any_on = true;
                any_on_or_kink = any_on_or_kink || z.sign() >= 0;
            }
            if (!any_on_or_kink) P->blind_spots.push_back(row);
            if (P == &c.bad && !any_on) return "the bad point has a row with no unit on";
            const Rational res = partition_output(*P, x) - c.data[row].y[0];
            loss += res * res;
        }
        if (loss != P->loss) throw std::logic_error("partition construction: loss mismatch (a bug)");
        for (bool a : alive)
            if (!a) return "a unit is off on every row";
        std::vector<AffineMap> maps;
        for (const PartitionUnit& u : P->units) maps.push_back(u.pre);
        if (!general_position(maps, d)) return "a point's hyperplanes are not in general position";
    }
    if (blind && (c.better.blind_spots.empty() || !c.bad.kinks.empty())) return "no blind spot, or a kink at the bad point";
    // The dataset's own hyperplanes (region separators, the labels' affine parts and folds) are in general
    // position too, so the labels depend on every coordinate and no two of these hyperplanes are parallel.
    std::vector<AffineMap> teacher;
    for (const PartitionRegion& reg : c.regions) {
        teacher.push_back(reg.separator);
        if (reg.has_affine_part) teacher.push_back(reg.affine_part);
        for (const AffineMap& f : reg.folds) teacher.push_back(f);
    }
    if (!general_position(teacher, d)) return "the dataset's hyperplanes are not in general position";
    return "";
}

}  // namespace

Rational partition_output(const PartitionPoint& p, const Vector& x) {
    Rational out = p.output_bias;
    for (const PartitionUnit& u : p.units) out += u.out * relu(u.pre.at(x));
    return out;
}

PartitionConstruction build_partition(const PartitionOptions& options) {
    const PartitionOptions o = resolve_options(options);
    Draw r{std::mt19937_64(o.seed)};
    PartitionConstruction c;
    c.options = o;
    std::map<std::string, std::size_t> failed;
    for (std::size_t attempt = 1; attempt <= max_attempts; ++attempt) {
        const std::string why = draw_instance(r, o, c);
        if (why.empty()) {
            c.attempts = attempt;
            return c;
        }
        ++failed[why];
    }
    std::string reasons;
    for (const auto& [why, count] : failed) reasons += (reasons.empty() ? "" : "; ") + why + " (" + std::to_string(count) + ")";
    throw PartitionError("no instance passed the checks in " + std::to_string(max_attempts) + " draws from seed " +
                         std::to_string(o.seed) + " (try another --seed): " + reasons);
}

}  // namespace nncert::tools
