// The structured ball Hessian over a box (box_hessian.hpp): per data point the generic forward and reverse
// sweeps of hessian_impl.hpp on Ball give the rows of J and the output weights; BLAS sums the Gram part.
#include "kernel/ball/box_hessian.hpp"
#include "kernel/ball/worker_threads.hpp"

#include "kernel/ball/magnitude.hpp"
#include "kernel/interval/activation.hpp"
#include "kernel/interval/interval.hpp"
#include "kernel/dual.hpp"
#include "kernel/hessian_impl.hpp"

#include <algorithm>
#include <exception>
#include <thread>

namespace nncert::kernel {

namespace {

using namespace ball_rounding;
using hessian_detail::Layers;
using hessian_detail::Primal;

// One data point's share of l'' = sum_r w_r v_r v_r^T (v_r a combination of output gradients), the loss-
// specific part of the Gram term (model.hpp, output_loss.hpp): squared errors 2 e_k e_k^T; bce sigmoid'(z_k)
// e_k e_k^T; cross_entropy (sum y) sum_{k<m} p_k p_m (e_k - e_m)(e_k - e_m)^T.
struct GramRow {
    std::size_t k, m;  // v = e_k (m == k) or e_k - e_m
    Ball weight;       // w_r, before the factor c_i
};

std::vector<GramRow> output_curvature(const Problem& pb, const Primal<Ball>& p, const Sample& s) {
    std::vector<GramRow> rows;
    const std::size_t k_out = pb.net.output_dim();
    switch (pb.loss) {
        case LossKind::sse:
        case LossKind::half_sse:
        case LossKind::mse:
            for (std::size_t k = 0; k < k_out; ++k) rows.push_back({k, k, Ball(Rational(2))});
            return rows;
        case LossKind::bce: {
            static const Activation sigmoid{ActivationKind::sigmoid, Rational(0), {}};
            for (std::size_t k = 0; k < k_out; ++k) rows.push_back({k, k, activate(sigmoid, p.pass.z.back()[k], 1)});
            return rows;
        }
        case LossKind::cross_entropy: {
            Rational sy = 0;
            for (const Rational& t : s.y) sy += t;
            const std::vector<Ball> prob = softmax(p.pass.a.back());
            for (std::size_t k = 0; k < k_out; ++k)
                for (std::size_t m = k + 1; m < k_out; ++m) rows.push_back({k, m, Ball(sy) * prob[k] * prob[m]});
            return rows;
        }
    }
    throw std::logic_error("unknown loss");
}

struct Shared {
    const Problem& pb;
    const std::vector<Ball>& box;
    bool full;
    std::size_t rows_per_point;
    BallMatrix rows;               // the Gram rows v_r^T J_i, one block of rows_per_point per data point
    std::vector<Ball> weights;     // c_i w_r per row
    // One buffer per worker: a chunk's curvature term, added to the sums below in chunk order (ordered_chunks),
    // then cleared for the worker's next chunk. Row bounds (bounded mode) or entries (full mode).
    std::vector<std::vector<double>> chunk_curvature;
    std::vector<std::vector<std::vector<Ball>>> chunk_curvature_full;
    std::vector<double> curvature;                  // the sums over all chunks
    std::vector<std::vector<Ball>> curvature_full;
};

// Data points [begin, end): rows and weights (each point's own, in place), and this chunk's curvature term in
// the worker's buffer.
void work(Shared& sh, unsigned worker, std::size_t begin, std::size_t end, const Progress* progress) {
    const Problem& pb = sh.pb;
    const Network& net = pb.net;
    const std::size_t n = sh.box.size(), k_out = net.output_dim();
    const Rational scale = loss_scale(pb);
    Primal<Ball> p;
    Layers<Ball> g, delta;
    std::vector<Ball> seed(k_out), du;
    std::vector<std::vector<Ball>> jac(k_out);
    hessian_detail::Workspace<Ball> ws;
    std::vector<double>& curv_rows = sh.chunk_curvature[worker];
    std::vector<std::vector<Ball>>& curv_full = sh.chunk_curvature_full[worker];
    if (sh.full && curv_full.empty()) curv_full.assign(n, std::vector<Ball>(n));
    if (!sh.full && curv_rows.empty()) curv_rows.assign(n, 0.0);
    // Magnitude pass (bounded mode): parameters as |box|, tangent 1 in every coordinate.
    std::vector<Dual<Mag>> th_mag;
    if (!sh.full)
        for (const Ball& b : sh.box) th_mag.emplace_back(Mag::of(b), Mag::of(1.0));
    Primal<Dual<Mag>> pm;
    Layers<Dual<Mag>> gm, dm;
    std::vector<Dual<Mag>> seed_mag(k_out), grad_mag;
    for (std::size_t i = begin; i < end; ++i) {
        if (progress) report(progress, "ball Hessian", i, pb.data.size());
        const Sample& s = pb.data[i];
        const Ball c(scale * s.weight);
        hessian_detail::prepare(pb, sh.box, s.x, p);
        for (std::size_t k = 0; k < k_out; ++k) {
            for (std::size_t o = 0; o < k_out; ++o) seed[o] = Ball(Rational(o == k ? 1 : 0));
            hessian_detail::reverse(net, sh.box, p, seed, &jac[k], g, delta);
        }
        const std::vector<GramRow> gr = output_curvature(pb, p, s);
        for (std::size_t r = 0; r < gr.size(); ++r) {
            const std::size_t row = i * sh.rows_per_point + r;
            for (std::size_t q = 0; q < n; ++q) {
                const Ball v = gr[r].m == gr[r].k ? jac[gr[r].k][q] : jac[gr[r].k][q] - jac[gr[r].m][q];
                sh.rows.set(row, q, v);
            }
            sh.weights[row] = c * gr[r].weight;
        }
        // The curvature term's output weights c l'(u).
        point_loss(pb.loss, p.pass.a.back(), p.pass.z.back(), s.y, du);
        bool curved = false;
        for (std::size_t o = 0; o < k_out; ++o) {
            seed[o] = c * du[o];
            curved = curved || !known_zero(seed[o]);
        }
        if (!curved) continue;
        if (sh.full) {
            hessian_detail::reverse<Ball>(net, sh.box, p, seed, nullptr, g, delta);
            for (std::size_t q = 0; q < n; ++q)
                hessian_detail::curvature_column(net, sh.box, p, g, delta, q, ws, curv_full);
        } else {
            hessian_detail::prepare(pb, th_mag, s.x, pm);
            for (std::size_t o = 0; o < k_out; ++o) seed_mag[o] = Dual<Mag>(Mag::of(seed[o]));
            hessian_detail::reverse(net, th_mag, pm, seed_mag, &grad_mag, gm, dm);
            for (std::size_t q = 0; q < n; ++q) curv_rows[q] = add_up(curv_rows[q], grad_mag[q].d.v);
        }
    }
}

// Adds the worker's chunk term to the sums and clears the buffer (called in chunk order).
void combine(Shared& sh, unsigned worker) {
    if (sh.full) {
        std::vector<std::vector<Ball>>& buf = sh.chunk_curvature_full[worker];
        for (std::size_t a = 0; a < buf.size(); ++a)
            for (std::size_t b = 0; b < buf[a].size(); ++b)
                if (!known_zero(buf[a][b])) {
                    sh.curvature_full[a][b] += buf[a][b];
                    buf[a][b] = Ball();
                }
    } else {
        std::vector<double>& buf = sh.chunk_curvature[worker];
        for (std::size_t q = 0; q < buf.size(); ++q) {
            sh.curvature[q] = add_up(sh.curvature[q], buf[q]);
            buf[q] = 0;
        }
    }
}

bool same_weight(const std::vector<Ball>& w) {
    for (const Ball& b : w)
        if (b.mid() != w[0].mid() || b.rad() != w[0].rad()) return false;
    return true;
}

}  // namespace

std::vector<Ball> centre_output_weights(const Problem& pb, const Vector& centre, unsigned bits, unsigned threads) {
    const std::size_t m = pb.data.size(), k_out = pb.net.output_dim();
    std::vector<Ball> out(m * k_out);
    threads = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(std::max<std::size_t>(m / 64, 1))));
    std::vector<std::exception_ptr> errors(threads);
    const Rational scale = loss_scale(pb);
    auto chunk = [&](unsigned t) {
        try {
            PrecisionScope scope(bits);
            const std::vector<Interval> th(centre.begin(), centre.end());
            Pass<Interval> pass;
            std::vector<Interval> du;
            for (std::size_t i = m * t / threads; i < m * (t + 1) / threads; ++i) {
                const Sample& s = pb.data[i];
                forward(pb.net, th, s.x, pass);
                point_loss(pb.loss, pass.a.back(), pass.z.back(), s.y, du);
                const Interval c(scale * s.weight);
                for (std::size_t k = 0; k < k_out; ++k) out[i * k_out + k] = Ball::from_interval(c * du[k]);
            }
        } catch (...) {
            errors[t] = std::current_exception();
        }
    };
    std::vector<std::thread> pool;
    const unsigned started = start_workers(pool, 1, threads - 1, [&](unsigned t) { return mpfr_worker(chunk, t); });
    chunk(0);
    // The chunks of workers that could not start, on this thread (one result per data point: the same values).
    for (unsigned t = 1 + started; t < threads; ++t) chunk(t);
    for (std::thread& t : pool) t.join();
    for (const std::exception_ptr& e : errors)
        if (e) std::rethrow_exception(e);
    return out;
}

std::vector<Ball> ball_box(const Vector& centre, const Rational& r, double* reach) {
    std::vector<Ball> box;
    box.reserve(centre.size());
    double worst = 0;
    const Ball rb(r);
    const double r_up = add_up(std::fabs(rb.mid()), rb.rad());
    for (const Rational& c : centre) {
        const Ball cb(c);
        // Contains [c - r, c + r]: |x - mid| <= |x - c| + |c - mid| <= r + rad(c).
        const double rad = add_up(cb.rad(), r_up);
        box.push_back(Ball::from_parts(cb.mid(), rad));
        // Every x in this ball is within rad + rad(c) of c.
        worst = std::max(worst, add_up(rad, cb.rad()));
    }
    if (reach) *reach = worst;
    return box;
}

BoxHessian ball_hessian(const Problem& pb, const std::vector<Ball>& box, bool full_curvature, bool tight_gram,
                        unsigned threads, const Progress* progress) {
    const std::size_t n = box.size(), m = pb.data.size(), k_out = pb.net.output_dim();
    std::size_t per_point = k_out;
    if (pb.loss == LossKind::cross_entropy) per_point = k_out * (k_out - 1) / 2;
    // The fixed chunks of data points (worker_threads.hpp), their curvature terms added up in chunk order: the
    // same sums on any number of threads. One chunk buffer per worker, as many workers as chunks at most.
    const std::size_t chunks = ball_chunks(m);
    const std::size_t workers = std::max<std::size_t>(1, std::min<std::size_t>(threads, chunks));
    Shared sh{pb,
              box,
              full_curvature,
              per_point,
              BallMatrix(m * per_point, n),
              std::vector<Ball>(m * per_point),
              std::vector<std::vector<double>>(workers),
              std::vector<std::vector<std::vector<Ball>>>(workers),
              std::vector<double>(full_curvature ? 0 : n, 0.0),
              std::vector<std::vector<Ball>>(full_curvature ? n : 0, std::vector<Ball>(full_curvature ? n : 0))};
    ordered_chunks(
        chunks, threads,
        [&](unsigned worker, std::size_t c) {
            const std::size_t begin = c * ball_chunk_points;
            work(sh, worker, begin, std::min(m, begin + ball_chunk_points), worker == 0 ? progress : nullptr);
        },
        [&](unsigned worker, std::size_t) { combine(sh, worker); });
    report(progress, "ball Hessian", m, m);
    std::vector<double> curvature = std::move(sh.curvature);
    std::vector<std::vector<Ball>> curvature_full = std::move(sh.curvature_full);
    std::vector<std::vector<std::vector<Ball>>>().swap(sh.chunk_curvature_full);  // the buffers' memory, now

    BoxHessian out;
    out.jacobian_rows = pb.loss != LossKind::cross_entropy;
    // The Gram term R^T diag(w) R: one weight for all rows (squared errors, unit row weights) is a dsyrk
    // scaled once; otherwise the rows are scaled first and multiplied by a general product.
    if (m == 0) {
        out.h = BallMatrix(n, n);
    } else if (same_weight(sh.weights)) {
        out.h = scaled(gram(sh.rows, tight_gram), sh.weights[0]);
    } else {
        BallMatrix weighted = sh.rows;
        for (std::size_t r = 0; r < weighted.rows; ++r)
            for (std::size_t q = 0; q < n; ++q) weighted.set(r, q, weighted.at(r, q) * sh.weights[r]);
        out.h = product(transpose(sh.rows), weighted);
    }
    if (full_curvature) {
        BallMatrix c(n, n);
        for (std::size_t a = 0; a < n; ++a)
            for (std::size_t b = 0; b < n; ++b) c.set(a, b, curvature_full[a][b]);
        out.h = sum(out.h, c);
        out.curvature_computed = true;
    } else {
        out.curvature_rows = std::move(curvature);
        if (std::all_of(out.curvature_rows.begin(), out.curvature_rows.end(), [](double v) { return v == 0; }))
            out.curvature_rows.clear();
    }
    out.rows = std::move(sh.rows);
    if (!is_zero(pb.weight_decay)) {
        const Ball two_lambda(Rational(2) * pb.weight_decay);
        for (std::size_t i = 0; i < n; ++i) out.h.set(i, i, out.h.at(i, i) + two_lambda);
    }
    // The Hessian is symmetric on the box (the loss is C^2 there): (i, j) and (j, i) enclose the same entry,
    // so both may take the tighter of the two balls. The box tests rely on a symmetric mid and radius.
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < i; ++j) {
            const std::size_t a = i * n + j, b = j * n + i;
            const std::size_t keep = out.h.rad[a] <= out.h.rad[b] ? a : b;
            out.h.mid[a] = out.h.mid[b] = out.h.mid[keep];
            out.h.rad[a] = out.h.rad[b] = out.h.rad[keep];
        }
    return out;
}

}  // namespace nncert::kernel
