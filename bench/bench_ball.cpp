// Stage timings of the ball engine on one `strict_local_min P within r` script (plain wall-clock timing, one
// run): parse, ball Hessian over the box, the centre's gradient in MPFI, Krawczyk, positive definiteness, and
// the whole kernel check. Usage: nncert_bench_ball FILE.nnc [threads [full]]
// (a third argument also times the full MPFI gradient at the centre and the whole kernel check). Wall and process CPU time per stage.
#include "kernel/ball/box_hessian.hpp"
#include "kernel/ball/box_tests.hpp"
#include "hints/float_linear_algebra.hpp"
#include "kernel/interval/enclose.hpp"
#include "kernel/kernel.hpp"
#include "script/script.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <thread>

using namespace nncert;

namespace {

double since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// CPU seconds of the whole process (all threads, BLAS's included): less sensitive to other load than wall time.
double cpu_now() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

struct Stage {
    std::chrono::steady_clock::time_point wall = std::chrono::steady_clock::now();
    double cpu = cpu_now();
    void print(const char* name, const std::string& note = "") {
        std::printf("%-24s %8.3f s wall %8.3f s cpu  %s\n", name, since(wall), cpu_now() - cpu, note.c_str());
        wall = std::chrono::steady_clock::now();
        cpu = cpu_now();
    }
};

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: nncert_bench_ball FILE.nnc [threads]\n");
        return 4;
    }
    const unsigned threads = argc > 2 ? static_cast<unsigned>(std::atoi(argv[2])) : std::thread::hardware_concurrency();
    Stage t;
    const script::Script s = script::parse_file(argv[1]);
    t.print("parse");
    const script::ClaimEntry& c = s.claims.at(0);
    const kernel::Point& p = s.points.at(c.claim.point);
    const kernel::Rational r = c.claim.radius.value_or(kernel::Rational(0));
    const unsigned bits = s.precision.value_or(128);
    std::printf("%zu parameters, %zu data points, %s, %u threads\n", p.params.size(), s.problem.data.size(),
                c.text.c_str(), threads);
    kernel::PrecisionScope scope(bits);
    double reach = 0;
    const std::vector<kernel::Ball> box = kernel::ball_box(p.params, r, &reach);
    t.print("ball box");
    // The stages of the ball engine's first attempt, as claims_ball.cpp runs them.
    const kernel::BoxHessian h = kernel::ball_hessian(s.problem, box, false, false, threads);
    t.print("ball Hessian", h.curvature_rows.empty() ? "(curvature none)" : "(curvature bounded)");
    const std::vector<kernel::Ball> sw = kernel::centre_output_weights(s.problem, p.params, bits, threads);
    t.print("centre output weights");
    kernel::BallMatrix sc(sw.size(), 1);
    for (std::size_t i = 0; i < sw.size(); ++i) sc.set(i, 0, sw[i]);
    const kernel::BallMatrix fm = kernel::product(kernel::transpose(h.rows), sc);
    std::vector<kernel::Ball> f;
    for (std::size_t q = 0; q < fm.rows; ++q) f.push_back(fm.at(q, 0));
    t.print("gradient J^T s");
    // One untrusted Cholesky factor of mid(H) for Krawczyk's inverse and the definiteness test, as the check does.
    const std::optional<hints::DenseMatrix> chol = hints::cholesky_upper_untrusted(h.h.mid, h.h.rows);
    t.print("Cholesky of mid(H)", chol ? "" : "(failed)");
    const kernel::BallKrawczykResult k = kernel::ball_krawczyk(h, f, r, reach, chol ? &*chol : nullptr);
    char note[128];
    std::snprintf(note, sizeof note, "outcome %d, contraction %.3g", static_cast<int>(k.outcome),
                  k.contraction.value_or(-1));
    t.print("Krawczyk", note);
    const kernel::BallDefinitenessResult d = kernel::ball_box_definiteness(h, chol ? &*chol : nullptr);
    std::snprintf(note, sizeof note, "kind %d, lambda_min > %.6g", static_cast<int>(d.kind),
                  d.lambda_min_above.convert_to<double>());
    t.print("definiteness", note);
    if (argc > 3) {
        const std::vector<kernel::Ball> g = kernel::centre_gradient(s.problem, p.params, bits, threads);
        t.print("centre gradient MPFI", "(the fallback when J^T s does not decide)");
        kernel::Options o;
        o.threads = threads;
        const kernel::Verdict v = kernel::check(s.problem, s.points, c.claim, o);
        t.print("whole kernel check", kernel::to_string(v.outcome()) + " by " + v.method() + " (" + v.engine() + ")");
    }
    return 0;
}
