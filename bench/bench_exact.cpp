// Google Benchmark timings of the exact kernel: loss, gradient, Hessian and LDL^T on ReLU networks.
#include "kernel/definiteness.hpp"
#include "kernel/gram.hpp"
#include "problems.hpp"

#include <benchmark/benchmark.h>

using namespace nncert;

static void BM_full_second_order(benchmark::State& state) {
    const bench::Instance in = bench::relu_instance(static_cast<std::size_t>(state.range(0)),
                                                    static_cast<std::size_t>(state.range(1)));
    for (auto _ : state) {
        benchmark::DoNotOptimize(kernel::loss(in.problem, in.params));
        benchmark::DoNotOptimize(kernel::gradient(in.problem, in.params));
        const kernel::Matrix h = kernel::hessian(in.problem, in.params);
        benchmark::DoNotOptimize(kernel::analyze_definiteness(h));
    }
    state.counters["params"] = static_cast<double>(in.params.size());
    state.counters["points"] = static_cast<double>(in.problem.data.size());
}
// 20 hidden units = 61 parameters on 100 points: the reference problem.
BENCHMARK(BM_full_second_order)->Args({20, 100})->Unit(benchmark::kMillisecond);

// The full LDL^T of a positive definite matrix of the same size and kind of entries (at the random
// point above the Hessian is indefinite and the elimination stops at once): the Gauss-Newton part + I.
static void BM_ldlt_positive_definite(benchmark::State& state) {
    const bench::Instance in = bench::relu_instance(static_cast<std::size_t>(state.range(0)),
                                                    static_cast<std::size_t>(state.range(1)));
    kernel::GramAccumulator gram(in.params.size());
    for (const kernel::Sample& s : in.problem.data) {
        kernel::Problem one = in.problem;
        one.data = {s};
        gram.add(kernel::gradient(one, in.params));
    }
    kernel::Matrix h = gram.result();
    for (std::size_t i = 0; i < h.size(); ++i) h[i][i] += 1;
    for (auto _ : state) benchmark::DoNotOptimize(kernel::analyze_definiteness(h));
    state.counters["params"] = static_cast<double>(in.params.size());
}
BENCHMARK(BM_ldlt_positive_definite)->Args({20, 100})->Unit(benchmark::kMillisecond);

static void BM_hessian_only(benchmark::State& state) {
    const bench::Instance in = bench::relu_instance(static_cast<std::size_t>(state.range(0)),
                                                    static_cast<std::size_t>(state.range(1)));
    for (auto _ : state) benchmark::DoNotOptimize(kernel::hessian(in.problem, in.params));
    state.counters["params"] = static_cast<double>(in.params.size());
}
BENCHMARK(BM_hessian_only)->Args({20, 100})->Args({100, 300})->Unit(benchmark::kMillisecond);

static void BM_loss_gradient(benchmark::State& state) {
    const bench::Instance in = bench::relu_instance(static_cast<std::size_t>(state.range(0)),
                                                    static_cast<std::size_t>(state.range(1)));
    for (auto _ : state) benchmark::DoNotOptimize(kernel::gradient(in.problem, in.params));
    state.counters["params"] = static_cast<double>(in.params.size());
}
// 333 hidden units = 1,000 parameters on 1,000 points.
BENCHMARK(BM_loss_gradient)->Args({20, 100})->Args({333, 1000})->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
