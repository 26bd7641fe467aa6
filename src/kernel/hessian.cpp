// The exact Hessian: the generic fast Hessian (hessian_impl.hpp) instantiated on GMP rationals.
#include "kernel/exact.hpp"
#include "kernel/hessian_impl.hpp"

#include <stdexcept>

namespace nncert::kernel {

Matrix hessian(const Problem& pb, const Vector& th, const Progress* progress) {
    if (pb.loss == LossKind::bce) throw std::invalid_argument("bce is transcendental: no exact Hessian");
    return hessian_detail::hessian<Rational>(pb, th, progress);
}

}  // namespace nncert::kernel
