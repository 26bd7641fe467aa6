// `nncert refine FILE --point P ...` (UNTRUSTED): Newton's method from a script's point, then the script
// written back with P rounded to a short rational centre and a box radius that the kernel itself certifies.
#pragma once

#include "kernel/number.hpp"
#include "kernel/verdict.hpp"

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace nncert::tools {

struct RefineOptions {
    std::string point;                        // the point to refine
    std::optional<kernel::Rational> radius;   // use this radius instead of searching for one
    unsigned digits = 30;                     // significant decimal digits of each centre coordinate
    std::optional<unsigned> precision;        // kernel checks' precision (default: the script's, else 128)
    int max_steps = 500;                      // cap on damped Newton (Levenberg-Marquardt) steps
    unsigned timeout_seconds = 120;           // wall-clock cap per point (the descent, polish and checks)
    std::size_t max_memory_mib = 4096;        // memory cap per point
    bool progress = true;                     // a progress line every 2 s of descent
    std::ostream* progress_stream = nullptr;  // where progress lines go (nullptr: none)
};

struct RefineResult {
    kernel::Vector centre;                    // the rounded centre, exactly as written into the script
    std::optional<kernel::Rational> radius;   // the proposed radius (set when a check could run)
    int iterations = 0;                       // Newton steps taken
    bool converged = false;                   // the last Newton step was negligible
    double gradient_norm = 0;                 // max |grad| at the rounded centre (an estimate, not a bound)
    std::string gradient_text = "?";          // the same as a short decimal (no underflow to 0 below 1e-308)
    kernel::Outcome critical = kernel::Outcome::inconclusive;          // `critical P within radius`
    kernel::Outcome strict_local_min = kernel::Outcome::inconclusive;  // `strict_local_min P within radius`
    unsigned precision_bits = 0;              // the precision the kernel checks used
    std::string text;                         // the rewritten script (comments and layout kept; lines that a
                                              // longer radius pushes past column 160 broken)
    std::string write_problem;                // why the rewritten script would not read back ("" when it does;
                                              // then `text` is empty and the point is left as it was)
    std::string note;                         // why Newton stopped early, if it did
    std::string diagnosis;                    // what the landscape looks like when there is no isolated minimum
    int descent_steps = 0;                    // Levenberg-Marquardt steps before the MPFR polish
};

// Parses `text` (throws script::ParseError), refines the named point (std::invalid_argument if there is
// none) and rewrites P's `{ ... }` body and the `within` radius of every claim about P. Nothing here is
// a proof: the verdicts in the result are the kernel's, on the rewritten centre and radius.
RefineResult refine_script(const std::string& text, const std::string& filename, const std::string& base_dir,
                           const RefineOptions& options);

// `args` are the words after `nncert refine`. Several --point P (or --all) refine one point after the other,
// each in a child process under the time and memory caps. Exit codes: 0 every point written with
// `critical P within R` certified, 3 some point not certified or not refined (a diagnosis says why; the
// others are still written), 2 malformed script, 4 bad command line.
// `--help` prints refine_usage(); a usage error prints one line and "try 'nncert refine --help'".
int run_refine(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// The help of `nncert refine`.
std::string refine_usage();

}  // namespace nncert::tools
