// Whole-pipeline timing of exact loss, gradient, Hessian and LDL^T on a ReLU network of chosen size
// (default: 333 hidden units = 1,000 parameters on 1,000 points). Prints one line per stage.
#include "kernel/definiteness.hpp"
#include "kernel/gram.hpp"
#include "problems.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>

using namespace nncert;

int main(int argc, char** argv) {
    const std::size_t hidden = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 333;
    const std::size_t points = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 1000;
    const bench::Instance in = bench::relu_instance(hidden, points);
    using clock = std::chrono::steady_clock;
    auto since = [](clock::time_point t) { return std::chrono::duration<double>(clock::now() - t).count(); };
    std::printf("relu network: %zu parameters, %zu points\n", in.params.size(), points);
    auto t = clock::now();
    const kernel::Rational l = kernel::loss(in.problem, in.params);
    std::printf("loss      %8.3f s\n", since(t));
    t = clock::now();
    const kernel::Vector g = kernel::gradient(in.problem, in.params);
    std::printf("gradient  %8.3f s\n", since(t));
    t = clock::now();
    const kernel::Matrix h = kernel::hessian(in.problem, in.params);
    std::printf("hessian   %8.3f s\n", since(t));
    // The Gauss-Newton (Gram) part alone, both ways, on the same rows: sliced BLAS products vs the GMP loop.
    {
        std::vector<kernel::Vector> rows;
        for (const kernel::Sample& s : in.problem.data) {
            kernel::Problem one = in.problem;
            one.data = {s};
            rows.push_back(kernel::gradient(one, in.params));
        }
        for (bool blas : {true, false}) {
            kernel::GramAccumulator gram(in.params.size(), blas);
            t = clock::now();
            for (const kernel::Vector& row : rows) gram.add(row);
            const kernel::Matrix m = gram.result();
            std::printf("gram %-4s %8.3f s%s\n", blas ? "blas" : "gmp", since(t), m == h ? "" : " (differs: not a pure Gram)");
        }
    }
    t = clock::now();
    const kernel::DefinitenessResult r = kernel::analyze_definiteness(h);
    std::printf("ldlt      %8.3f s  (%zu positive pivots before the first non-positive one)\n", since(t),
                r.pivots.size());
    return l.sign() < 0 ? 1 : 0;  // keeps the results observable
}
