// The working precision of the interval engine, as an RAII scope that lives exactly as long as a check.
// Assumes one check per thread at a time; the scope restores the previous precision when it ends.
#pragma once

#include <mpfr.h>

namespace nncert::kernel {

// Every Interval result is computed at the innermost live scope's precision. Outside any scope,
// creating an Interval throws: a silent default would hide which precision a verdict rests on.
class PrecisionScope {
public:
    explicit PrecisionScope(unsigned bits);
    ~PrecisionScope();
    PrecisionScope(const PrecisionScope&) = delete;
    PrecisionScope& operator=(const PrecisionScope&) = delete;

    // The innermost live scope's precision; throws std::logic_error when there is none.
    static mpfr_prec_t current();

private:
    mpfr_prec_t saved_;
};

}  // namespace nncert::kernel
