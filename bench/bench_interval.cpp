// Interval engine timings: every claim of the proofs/smooth scripts (Google Benchmark), and with
// `--large FILE.nnc` a per-stage breakdown of `strict_local_min P within r` on a big script (plain timing).
#include "kernel/interval/box_definiteness.hpp"
#include "kernel/interval/krawczyk.hpp"
#include "hints/mpfr_linear_algebra.hpp"
#include "kernel/kernel.hpp"
#include "script/script.hpp"

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstring>
#include <iostream>

namespace {

using namespace nncert;

void bench_claim(benchmark::State& state, const script::Script* s, std::size_t i) {
    kernel::Options o;
    if (s->precision) o.precision_bits = *s->precision;
    for (auto _ : state) benchmark::DoNotOptimize(kernel::check(s->problem, s->points, s->claims[i].claim, o));
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// The stages of check_strict_local_min_box, timed one by one (the same calls the kernel makes).
int large(const std::string& file) {
    const script::Script s = script::parse_file(file);
    const script::ClaimEntry& c = s.claims.at(0);
    const kernel::Point& p = s.points.at(c.claim.point);
    const kernel::Rational r = c.claim.radius.value_or(kernel::Rational(0));
    std::cout << file << ": " << p.params.size() << " parameters, " << s.problem.data.size() << " data points, "
              << c.text << "\n";
    kernel::PrecisionScope scope(s.precision.value_or(128));
    auto t0 = std::chrono::steady_clock::now();
    const kernel::IMatrix h = kernel::hessian_enclosure(s.problem, kernel::box_around(p.params, r));
    std::cout << "  interval Hessian over the box: " << seconds_since(t0) << " s\n" << std::flush;
    t0 = std::chrono::steady_clock::now();
    const kernel::KrawczykResult k = kernel::krawczyk(s.problem, p.params, r);
    const double kt = seconds_since(t0);
    std::cout << "  krawczyk (Hessian again + inverse + K(X)): " << kt << " s, outcome "
              << static_cast<int>(k.outcome) << " (0 unique, 1 none, 2 undecided) " << k.note << "\n" << std::flush;
    t0 = std::chrono::steady_clock::now();
    std::optional<kernel::Rational> hint;
    if (k.inverse) hint = hints::smallest_eigenvalue_estimate_untrusted(*k.inverse);
    std::cout << "  eigenvalue estimate (untrusted): " << seconds_since(t0) << " s\n" << std::flush;
    t0 = std::chrono::steady_clock::now();
    const kernel::BoxDefinitenessResult d = kernel::analyze_box_definiteness(h, hint);
    std::cout << "  exact LDL^T of mid(H) - delta I: " << seconds_since(t0) << " s, result " << static_cast<int>(d.kind)
              << " (0 PD, 1 indefinite, 2 undecided)\n";
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc == 3 && std::strcmp(argv[1], "--large") == 0) return large(argv[2]);
    static std::vector<script::Script> scripts;
    for (const char* f : {"proofs/smooth/sigmoid-min.nnc", "proofs/smooth/tanh-min.nnc"})
        scripts.push_back(script::parse_file(std::string(NNCERT_SOURCE_DIR) + "/" + f));
    for (const script::Script& s : scripts)
        for (std::size_t i = 0; i < s.claims.size(); ++i)
            benchmark::RegisterBenchmark((s.path.substr(s.path.rfind('/') + 1) + ": " + s.claims[i].text).c_str(),
                                         bench_claim, &s, i)
                ->Unit(benchmark::kMillisecond);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
