// UNTRUSTED: the fast phase of `nncert refine`: damped Newton (Levenberg-Marquardt) in long double on the
// kernel's own loss code (approx_number.hpp), with caps on steps and time, progress, and a diagnosis when
// no isolated minimum is near (a flat Hessian: a manifold of critical points; weights running away: a
// saturation plateau). The MPFR Newton polish and the kernel's radius checks follow in refine.cpp.
#pragma once

#include "kernel/model.hpp"

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace nncert::tools {

struct DescentOptions {
    int max_steps = 500;                       // Levenberg-Marquardt steps (accepted or not)
    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
    std::function<void(const std::string&)> progress;  // a line now and then on long runs
};

struct DescentResult {
    std::vector<long double> x;                // the last accepted iterate
    int steps = 0;
    bool converged = false;                    // gradient negligible and the Hessian positive definite
    long double loss = 0, gradient_norm = 0;   // max |g_i|
    std::size_t near_zero_eigenvalues = 0;     // of the Hessian at x (relative to its largest)
    bool runaway = false;                      // the weights kept growing while the loss crept down
    std::string stop;                          // why it stopped (steps, time, converged, ...)
    std::string diagnosis;                     // for the user: what the landscape looks like here
};

// Minimises the loss of pb from x0 (flat parameters). Never throws on numerical trouble: it reports it.
DescentResult damped_newton(const kernel::Problem& pb, const kernel::Vector& x0, const DescentOptions& opt);

// Eigenvalues of a symmetric matrix (cyclic Jacobi), ascending. For diagnoses only.
std::vector<long double> symmetric_eigenvalues(std::vector<std::vector<long double>> a);

}  // namespace nncert::tools
