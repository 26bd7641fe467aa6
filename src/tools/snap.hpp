// `nncert snap FILE --point P` (UNTRUSTED): from float weights of a piecewise-linear network near a kinked
// local minimum to an exact point. It treats pre-activations that are nearly zero on data points as kinks,
// fixes the activation pattern, solves the exact rational least-squares problem of the effective parameters
// phi = (V_j w_j, V_j b_j, c) under the kink constraints, maps back to weights, and asks the kernel for
// `local_min P`. Nothing here is trusted: `nncert check` decides the rewritten script from scratch.
// Scope: one hidden layer of identity/relu/leaky_relu units, one identity output, a squared-error loss
// without weight decay (the networks whose loss is a quadratic in phi on each activation pattern).
#pragma once

#include "kernel/number.hpp"
#include "kernel/model.hpp"
#include "kernel/verdict.hpp"

#include <chrono>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace nncert::tools {

struct SnapOptions {
    std::string point;
    kernel::Rational tolerance = kernel::Rational(1, 10000);    // |z| <= tol * (|w||x| + |b|) is a kink
    unsigned digits = 6;            // significant digits of the output weights V_j (kept nonzero, same sign)
    kernel::Rational max_move = kernel::Rational(1, 100);  // refuse points farther than this (max norm)
    int max_rounds = 8;             // pattern repairs: pairs whose sign flips become kinks, then re-solve
    bool check = true;              // ask the kernel for `local_min P` at the result (decide_local_min)
};

struct SnapResult {
    bool solved = false;            // an exact point consistent with its activation pattern was found
    kernel::Vector point;           // the exact point (flat parameters)
    std::size_t kinks = 0;          // kink pairs (data point, unit) held at z = 0
    kernel::Rational moved;         // max |new - old| over the parameters
    kernel::Rational loss_before, loss_after;
    kernel::Outcome local_min = kernel::Outcome::inconclusive;  // the kernel's verdict on `local_min P`
    std::string method;             // the kernel's method
    std::string why;                // when not solved or not certified: the reason, in words
    std::string text;               // the rewritten script (when solved)
    std::vector<std::string> log;   // what snap did, one line per step
};

// Parses `text` (throws script::ParseError), snaps the named point (std::invalid_argument for a missing
// point or an unsupported network) and rewrites its `{ ... }` body (decimal/fraction text, exact).
SnapResult snap_script(const std::string& text, const std::string& filename, const std::string& base_dir,
                       const SnapOptions& options);

// Why snap does not handle this problem ("" when it does): snap needs one hidden layer of identity/relu/
// leaky_relu units, one identity output unit, and a squared-error loss without weight decay. advice.cpp and
// refine ask it before they suggest `nncert snap`.
std::string snap_unsupported(const kernel::Problem& pb);

// The kernel's verdict on `local_min P` at res.point (res.solved): fills local_min, method and, when not
// certified, why. snap_script calls it unless options.check is false; `nncert snap` calls it in a child
// process under the time and memory caps, with `deadline` a margin before its kill (runtime::kernel_time_budget):
// a branch and bound inside the check then stops there and the verdict says so, instead of the child being killed.
void decide_local_min(const kernel::Problem& pb, const std::string& point, SnapResult& res,
                      std::optional<std::chrono::steady_clock::time_point> deadline = std::nullopt);

// `args` are the words after `nncert snap`. The solve and the kernel's check each run in a child process
// under --timeout/--max-memory (runtime::run_isolated; defaults as `nncert check`). Exit codes: 0 written and
// `local_min P` certified; 3 no exact point found, a cap hit, or written but not certified; 2 malformed or
// unreadable script; 4 bad command line or a network snap does not handle; 5 internal error.
int run_snap(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace nncert::tools
