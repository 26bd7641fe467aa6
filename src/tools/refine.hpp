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
};

struct RefineResult {
    kernel::Vector centre;                    // the rounded centre, exactly as written into the script
    std::optional<kernel::Rational> radius;   // the proposed radius (set when a check could run)
    int iterations = 0;                       // Newton steps taken
    bool converged = false;                   // the last Newton step was negligible
    double gradient_norm = 0;                 // max |grad| at the rounded centre (an estimate, not a bound)
    kernel::Outcome critical = kernel::Outcome::inconclusive;          // `critical P within radius`
    kernel::Outcome strict_local_min = kernel::Outcome::inconclusive;  // `strict_local_min P within radius`
    unsigned precision_bits = 0;              // the precision the kernel checks used
    std::string text;                         // the rewritten script (comments and layout kept)
    std::string note;                         // why Newton stopped early, if it did
};

// Parses `text` (throws script::ParseError), refines the named point (std::invalid_argument if there is
// none) and rewrites P's `{ ... }` body and the `within` radius of every claim about P. Nothing here is
// a proof: the verdicts in the result are the kernel's, on the rewritten centre and radius.
RefineResult refine_script(const std::string& text, const std::string& filename, const std::string& base_dir,
                           const RefineOptions& options);

// `args` are the words after `nncert refine`. Exit codes: 0 written and `critical P within R` certified,
// 3 written but not certified (or Newton failed: nothing written), 2 malformed script, 4 bad command line.
// `--help` prints refine_usage(); a usage error prints one line and "try 'nncert refine --help'".
int run_refine(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// The help of `nncert refine`.
std::string refine_usage();

}  // namespace nncert::tools
