// The RAII precision scope of the interval engine.
// Assumes scopes nest (each restores its predecessor); nothing of it survives the outermost scope.
#include "kernel/interval/precision.hpp"

#include "kernel/limits.hpp"

#include <stdexcept>
#include <string>

namespace nncert::kernel {

namespace {
// 0 means "no live scope". Thread-local so that concurrent checks on other threads cannot interfere.
thread_local mpfr_prec_t active_precision = 0;
}  // namespace

PrecisionScope::PrecisionScope(unsigned bits) : saved_(active_precision) {
    if (bits < limits::min_precision_bits || bits > limits::max_precision_bits)
        throw std::invalid_argument("interval precision must be between " + std::to_string(limits::min_precision_bits) +
                                    " and " + std::to_string(limits::max_precision_bits) + " bits");
    active_precision = static_cast<mpfr_prec_t>(bits);
}

PrecisionScope::~PrecisionScope() { active_precision = saved_; }

mpfr_prec_t PrecisionScope::current() {
    if (active_precision == 0)
        throw std::logic_error("interval arithmetic used outside a PrecisionScope");
    return active_precision;
}

}  // namespace nncert::kernel
