// Stage timings of the ball engine on one `strict_local_min P within r` script (plain wall-clock timing, one
// run): parse, ball Hessian over the box, the centre's gradient in MPFI, Krawczyk, positive definiteness, and
// the whole kernel check. Usage: nncert_bench_ball FILE.nnc [threads]
#include "kernel/ball/box_tests.hpp"
#include "kernel/interval/enclose.hpp"
#include "kernel/kernel.hpp"
#include "script/script.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

using namespace nncert;

namespace {

double since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: nncert_bench_ball FILE.nnc [threads]\n");
        return 4;
    }
    const unsigned threads = argc > 2 ? static_cast<unsigned>(std::atoi(argv[2])) : std::thread::hardware_concurrency();
    auto t = std::chrono::steady_clock::now();
    const script::Script s = script::parse_file(argv[1]);
    std::printf("parse                 %8.3f s\n", since(t));
    const script::ClaimEntry& c = s.claims.at(0);
    const kernel::Point& p = s.points.at(c.claim.point);
    const kernel::Rational r = c.claim.radius.value_or(kernel::Rational(0));
    std::printf("%zu parameters, %zu data points, %s, %u threads\n", p.params.size(), s.problem.data.size(),
                c.text.c_str(), threads);
    kernel::PrecisionScope scope(s.precision.value_or(128));
    double reach = 0;
    const std::vector<kernel::Ball> box = kernel::ball_box(p.params, r, &reach);
    t = std::chrono::steady_clock::now();
    const kernel::BoxHessian h = kernel::ball_hessian(s.problem, box, false, false, threads);
    std::printf("ball Hessian          %8.3f s  (curvature %s)\n", since(t), h.curvature_rows.empty() ? "none" : "bounded");
    t = std::chrono::steady_clock::now();
    const std::vector<kernel::Ball> f =
        kernel::centre_gradient(s.problem, p.params, s.precision.value_or(128), threads);
    std::printf("centre gradient MPFI  %8.3f s\n", since(t));
    t = std::chrono::steady_clock::now();
    const kernel::BallKrawczykResult k = kernel::ball_krawczyk(h, f, r, reach);
    std::printf("Krawczyk              %8.3f s  outcome %d, contraction %.3g\n", since(t), static_cast<int>(k.outcome),
                k.contraction.value_or(-1));
    t = std::chrono::steady_clock::now();
    const kernel::BallDefinitenessResult d = kernel::ball_box_definiteness(h);
    std::printf("definiteness          %8.3f s  kind %d, lambda_min > %.6g\n", since(t), static_cast<int>(d.kind),
                d.lambda_min_above.convert_to<double>());
    t = std::chrono::steady_clock::now();
    kernel::Options o;
    o.threads = threads;
    const kernel::Verdict v = kernel::check(s.problem, s.points, c.claim, o);
    std::printf("whole kernel check    %8.3f s  %s by %s (%s)\n", since(t), kernel::to_string(v.outcome()).c_str(),
                v.method().c_str(), v.engine().c_str());
    return 0;
}
