// The RAII precision scope of the interval engine.
// Assumes scopes nest (each restores its predecessor); nothing of it survives the outermost scope.
#include "kernel/interval/precision.hpp"

#include <stdexcept>

namespace nncert::kernel {

namespace {
// 0 means "no live scope". Thread-local so that concurrent checks on other threads cannot interfere.
thread_local mpfr_prec_t active_precision = 0;
}  // namespace

PrecisionScope::PrecisionScope(unsigned bits) : saved_(active_precision) {
    if (bits < 8 || bits > (1u << 20))
        throw std::invalid_argument("interval precision must be between 8 and 1048576 bits");
    active_precision = static_cast<mpfr_prec_t>(bits);
}

PrecisionScope::~PrecisionScope() { active_precision = saved_; }

mpfr_prec_t PrecisionScope::current() {
    if (active_precision == 0)
        throw std::logic_error("interval arithmetic used outside a PrecisionScope");
    return active_precision;
}

}  // namespace nncert::kernel
