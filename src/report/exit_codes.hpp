// The process exit codes of nncert, one meaning each, and how results from many scripts combine.
// The report's summary.exit_code and the CLI's exit status both come from here.
#pragma once

#include "kernel/verdict.hpp"

namespace nncert::report {

enum class ExitCode : int {
    certified = 0,     // every claim certified (or no claims)
    refuted = 1,       // some claim refuted
    malformed = 2,     // a script is malformed or a file cannot be read
    inconclusive = 3,  // some claim inconclusive and none refuted
    usage = 4,         // bad command line
    internal = 5,      // unexpected exception: a bug in nncert
};

inline int to_int(ExitCode e) { return static_cast<int>(e); }

// Severity order for combining scripts: internal > malformed > refuted > inconclusive > certified.
// A refutation outranks "inconclusive" because it is a definite answer that the input claims something false.
inline int severity(ExitCode e) {
    switch (e) {
        case ExitCode::internal: return 5;
        case ExitCode::usage: return 4;
        case ExitCode::malformed: return 3;
        case ExitCode::refuted: return 2;
        case ExitCode::inconclusive: return 1;
        case ExitCode::certified: return 0;
    }
    return 5;
}

inline ExitCode worst(ExitCode a, ExitCode b) { return severity(a) >= severity(b) ? a : b; }

inline ExitCode exit_code_for(kernel::Outcome o) {
    switch (o) {
        case kernel::Outcome::certified: return ExitCode::certified;
        case kernel::Outcome::refuted: return ExitCode::refuted;
        case kernel::Outcome::inconclusive: return ExitCode::inconclusive;
    }
    return ExitCode::internal;
}

}  // namespace nncert::report
