// The exact Hessian: the generic fast Hessian (hessian_impl.hpp) instantiated on GMP rationals.
#include "kernel/exact.hpp"
#include "kernel/hessian_impl.hpp"

#include <stdexcept>

namespace nncert::kernel {

Matrix hessian(const Problem& pb, const Vector& th, const Progress* progress) {
    if (!pb.is_exact()) throw std::invalid_argument("a transcendental loss or unit has no exact Hessian");
    return hessian_detail::hessian<Rational>(pb, th, progress);
}

}  // namespace nncert::kernel
