// The ball engine's answer to the box derivative claims (critical, hessian_pd, strict_local_min within r), and
// the automatic engine choice. Assumes check_interval opened the PrecisionScope (for the centre's gradient).
#include "kernel/autodiff.hpp"
#include "kernel/ball/worker_threads.hpp"
#include "kernel/ball/box_tests.hpp"
#include "hints/float_linear_algebra.hpp"
#include "kernel/detail/mint.hpp"
#include "kernel/interval/activation.hpp"
#include "kernel/interval/checks.hpp"
#include "kernel/interval/enclose.hpp"

#include <algorithm>
#include <exception>
#include <thread>

namespace nncert::kernel {

// The gradient at the exact centre, in MPFI at the check's precision (the point quantity Krawczyk needs to far
// more digits than a double carries), over the fixed chunks of data points of worker_threads.hpp (on up to
// `threads` threads, each chunk under its own PrecisionScope), added up in chunk order: the same roundings on any
// number of threads. A chunk's loss scale may differ from the whole problem's (mse, bce, cross_entropy divide by
// the chunk's weight): each chunk's gradient is multiplied by the exact ratio of the two scales, and the weight
// decay's 2 lambda theta is added once.
std::vector<Ball> centre_gradient(const Problem& pb, const Vector& centre, unsigned bits, unsigned threads) {
    const std::size_t m = pb.data.size(), n = centre.size();
    const std::size_t chunks = ball_chunks(m);
    // Per worker: the chunk's problem (the data points copied in, not the whole data set) and its gradient.
    Problem shell{pb.net, {}, pb.loss, Rational(0), pb.classify};
    std::vector<Problem> subs(std::max<std::size_t>(1, std::min<std::size_t>(threads, chunks)), shell);
    std::vector<IVector> parts(subs.size());
    const Rational scale = loss_scale(pb);
    PrecisionScope scope(bits);  // this thread's: worker 0's chunks, the sum, the weight decay
    IVector sum(n);
    ordered_chunks(
        chunks, threads,
        [&](unsigned worker, std::size_t c) {
            Problem& sub = subs[worker];
            const std::size_t begin = c * ball_chunk_points, end = std::min(m, begin + ball_chunk_points);
            sub.data.assign(pb.data.begin() + static_cast<long>(begin), pb.data.begin() + static_cast<long>(end));
            PrecisionScope chunk_scope(bits);
            IVector g = gradient_enclosure(sub, point_box(centre));
            const Interval ratio(scale / loss_scale(sub));
            for (Interval& x : g) x *= ratio;
            parts[worker] = std::move(g);
        },
        [&](unsigned worker, std::size_t) {
            PrecisionScope chunk_scope(bits);
            for (std::size_t k = 0; k < n; ++k) sum[k] += parts[worker][k];
        });
    std::vector<Ball> out;
    out.reserve(n);
    const Interval two_lambda(Rational(2) * pb.weight_decay);
    for (std::size_t k = 0; k < n; ++k) {
        if (!is_zero(pb.weight_decay)) add_product(sum[k], two_lambda, Interval(centre[k]));
        out.push_back(Ball::from_interval(sum[k]));
    }
    return out;
}

}  // namespace nncert::kernel

namespace nncert::kernel::detail {

namespace {

Rational exact(double d) { return exact_double(d); }

struct Attempt {
    bool full_curvature, tight_gram;
};

std::string method_for(ClaimKind kind) {
    switch (kind) {
        case ClaimKind::critical: return "krawczyk";
        case ClaimKind::hessian_pd: return "box-cholesky";
        default: return "krawczyk+box-cholesky";
    }
}

Verdict run(ClaimKind kind, const Problem& pb, const Point& p, const Rational& r, const Options& opt) {
    const std::string method = method_for(kind);
    unsigned threads = opt.threads ? opt.threads : std::max(1u, std::thread::hardware_concurrency());
    // Under a memory limit, no more workers than fit beside the main thread: each takes a stack (8 MiB by default,
    // 16 allowed) and its chunk buffers (the full curvature term is an n x n ball matrix). Fewer threads compute the
    // same sums (worker_threads.hpp): only the time changes.
    if (opt.worker_memory_bytes) {
        const std::size_t n = pb.net.num_params();
        const std::size_t per_worker = (std::size_t(16) << 20) + 2 * n * n * sizeof(Ball);
        const std::size_t fit = opt.worker_memory_bytes / per_worker;
        threads = static_cast<unsigned>(std::max<std::size_t>(1, std::min<std::size_t>(threads, fit + 1)));
    }
    double reach = 0;
    const std::vector<Ball> box = ball_box(p.params, r, &reach);
    // The gradient at the centre: first rows^T s with the output weights s at high precision and the Jacobian
    // rows in balls (enough when the residuals are small, as at an exact fit); the full MPFI gradient when
    // Krawczyk does not decide with it.
    std::vector<Ball> f_centre;
    bool f_full = false;
    // First the cheap enclosure (output curvature only bounded, Gram radius by Cauchy-Schwarz); when it does not
    // decide, the curvature term entry by entry, then the Gram radius by two more products.
    std::vector<Attempt> attempts = {{false, false}, {true, false}, {true, true}};
    std::optional<Verdict> last;
    for (std::size_t a = 0; a < attempts.size(); ++a) {
        const BoxHessian h = ball_hessian(pb, box, attempts[a].full_curvature, attempts[a].tight_gram, threads,
                                          &opt.progress);
        // The bounded curvature was zero (no residual): the full computation would give the same matrix.
        if (a == 0 && h.curvature_rows.empty()) attempts.erase(attempts.begin() + 1);
        Object ev = box_evidence(p, r, opt, kind == ClaimKind::hessian_pd
                                                ? "verified Cholesky factor of mid(H) - s I, H the ball Hessian over the box"
                                                : "Krawczyk operator of the gradient against the box, in binary64 balls");
        ev.emplace_back("output_curvature", h.curvature_computed ? "computed" : "bounded");
        ev.emplace_back("gram_radius", attempts[a].tight_gram ? "products" : "cauchy-schwarz");
        std::optional<Verdict> decided;
        bool krawczyk_unique = kind == ClaimKind::hessian_pd;
        // One untrusted Cholesky factor of mid(H) serves Krawczyk's Y and the definiteness test's shift estimate.
        const std::optional<hints::DenseMatrix> chol =
            h.h.finite() ? hints::cholesky_upper_untrusted(h.h.mid, h.h.rows) : std::nullopt;
        const hints::DenseMatrix* chol_ptr = chol ? &*chol : nullptr;
        if (kind != ClaimKind::hessian_pd) {
            if (f_centre.empty() && h.jacobian_rows && h.rows.finite()) {
                const std::vector<Ball> s = centre_output_weights(pb, p.params, opt.precision_bits, threads);
                BallMatrix sc(s.size(), 1);
                for (std::size_t i = 0; i < s.size(); ++i) sc.set(i, 0, s[i]);
                const BallMatrix f = product(transpose(h.rows), sc);
                const Ball two_lambda(Rational(2) * pb.weight_decay);
                for (std::size_t q = 0; q < f.rows; ++q)
                    f_centre.push_back(is_zero(pb.weight_decay) ? f.at(q, 0) : f.at(q, 0) + two_lambda * Ball(p.params[q]));
            }
            if (f_centre.empty()) {
                f_centre = centre_gradient(pb, p.params, opt.precision_bits, threads);
                f_full = true;
            }
            BallKrawczykResult k = ball_krawczyk(h, f_centre, r, reach, chol_ptr);
            if (k.outcome == KrawczykOutcome::undecided && !f_full) {
                f_centre = centre_gradient(pb, p.params, opt.precision_bits, threads);
                f_full = true;
                k = ball_krawczyk(h, f_centre, r, reach, chol_ptr);
            }
            ev.emplace_back("centre_gradient", f_full ? "mpfi" : "mpfi output weights, ball jacobian");
            if (k.contraction)
                ev.emplace_back("contraction_bound", std::isfinite(*k.contraction) ? Value(exact(*k.contraction))
                                                                                  : Value("not finite"));
            if (k.coordinate && k.offset_lower) {
                const std::size_t i = *k.coordinate;
                ev.emplace_back("parameter", pb.net.param_name(i));
                ev.emplace_back("krawczyk_image",
                                Object{{"lower", Rational(p.params[i] + *k.offset_lower)},
                                       {"upper", Rational(p.params[i] + *k.offset_upper)}});
                ev.emplace_back("box", Object{{"lower", Rational(p.params[i] - r)}, {"upper", Rational(p.params[i] + r)}});
            }
            if (k.outcome == KrawczykOutcome::no_zero) {
                ev.emplace_back("result", "no critical point in this box");
                return Mint::refuted(method, Value(std::move(ev)));
            }
            if (k.outcome == KrawczykOutcome::unique_zero) {
                if (kind == ClaimKind::critical) {
                    ev.emplace_back("result", "exactly one critical point in the box");
                    return Mint::certified(method, Value(std::move(ev)));
                }
                krawczyk_unique = true;
            } else {
                last = Mint::inconclusive(method, k.note, Value(ev));
                continue;
            }
        }
        if (!krawczyk_unique) continue;
        const BallDefinitenessResult d = ball_box_definiteness(h, chol_ptr);
        ev.emplace_back("hessian_perturbation_bound", d.perturbation_bound);
        if (d.kind == BoxDefiniteness::positive_definite) {
            ev.emplace_back("cholesky_residual_bound", d.residual_bound);
            ev.emplace_back("lambda_min_greater_than", d.lambda_min_above);
            if (kind != ClaimKind::hessian_pd)
                ev.emplace_back("result", "exactly one critical point in the box; every Hessian in the box is positive "
                                          "definite, so it is a strict local minimum and the only minimiser in the box");
            return Mint::certified(method, Value(std::move(ev)));
        }
        if (d.kind == BoxDefiniteness::indefinite) {
            ev.emplace_back("direction", named_entries(pb.net, d.witness));
            ev.emplace_back("curvature_at_most", d.curvature_bound);
            if (kind != ClaimKind::hessian_pd)
                ev.emplace_back("result", "the only critical point in the box is a saddle: the Hessian has negative "
                                          "curvature along the direction everywhere on the box");
            return Mint::refuted(method, Value(std::move(ev)));
        }
        last = Mint::inconclusive(method,
                                  kind == ClaimKind::hessian_pd
                                      ? "the ball Hessian over the box is neither certainly positive definite nor "
                                        "certainly indefinite: shrink the radius"
                                      : "the box holds exactly one critical point, but the ball Hessian over the box is "
                                        "not certainly positive definite (nor certainly indefinite): shrink the radius; "
                                        "if the Hessian is singular there, the minimum is not strict",
                                  Value(std::move(ev)));
        (void)decided;
    }
    return *last;
}

}  // namespace

std::optional<Verdict> ball_engine_verdict(ClaimKind kind, const Problem& pb, const Point& p, const Rational& r,
                                           const Options& opt) {
    if (opt.engine == Engine::mpfi) return std::nullopt;
    const bool mpfi_affordable = pb.net.num_params() <= mpfi_fallback_max_params;
    if (!ball_rounding::ieee_environment()) {
        if (opt.engine == Engine::automatic && mpfi_affordable) return std::nullopt;
        return Mint::with_engine(Mint::inconclusive(method_for(kind), "the floating-point unit flushes subnormals to "
                                                                      "zero (FTZ/DAZ): the ball engine's bounds do not "
                                                                      "apply; use --engine mpfi"),
                                 "ball");
    }
    std::optional<Verdict> v;
    try {
        v = run(kind, pb, p, r, opt);
    } catch (const KinkStraddled&) {
        if (mpfi_affordable || opt.engine == Engine::automatic) return std::nullopt;  // MPFI names the kinks
        return Mint::with_engine(Mint::inconclusive(method_for(kind), "the box straddles a kink of a relu/leaky_relu "
                                                                      "unit; shrink the radius"),
                                 "ball");
    }
    if (v->outcome() != Outcome::inconclusive || opt.engine == Engine::ball) return Mint::with_engine(*v, "ball");
    if (mpfi_affordable) return std::nullopt;  // MPFI decides
    return Mint::with_engine(
        Mint::inconclusive(v->method(),
                           v->reason() + " (the MPFI engine was not tried: the network has over " +
                               std::to_string(mpfi_fallback_max_params) +
                               " parameters, where it takes hours; `--engine mpfi` forces it)",
                           v->evidence()),
        "ball");
}

}  // namespace nncert::kernel::detail
