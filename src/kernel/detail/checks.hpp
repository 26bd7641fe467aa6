// Kernel-internal: one function per claim kind, and the evidence builders they share.
#pragma once

#include "kernel/definiteness.hpp"
#include "kernel/exact.hpp"
#include "kernel/kernel.hpp"
#include "kernel/ray.hpp"

#include <optional>

namespace nncert::kernel::detail {

Verdict check_loss(const Problem& pb, const Point& p, const Rational& claimed);
Verdict check_gap(const Problem& pb, const Point& p, const Point& q);
Verdict check_accuracy(const Problem& pb, const Point& p, const Rational& claimed);
Verdict check_kink_free(const Problem& pb, const Point& p);
Verdict check_critical(const Problem& pb, const Point& p);
Verdict check_hessian_pd(const Problem& pb, const Point& p, const Options& opt);
// `hint`: the script's `along` curve (empty when none).
Verdict check_strict_local_min(const Problem& pb, const Point& p, const Options& opt, const Curve& hint = {});
Verdict check_local_min(const Problem& pb, const Point& p, const Options& opt, const Curve& hint = {});
// `strict_local_min P within 0` on an exact problem: {P} holds exactly one critical point and the Hessian is
// positive definite on it, i.e. P is critical with a positive definite Hessian (refuted otherwise).
Verdict check_strict_local_min_at_point(const Problem& pb, const Point& p, const Options& opt);
// blind_spot P (claims_blind_spot.cpp): some data point where every unit of a hidden relu layer has input < 0.
Verdict check_blind_spot(const Problem& pb, const Point& p);
// The hidden layers (0-based, the output layer excluded) whose activation is relu.
std::vector<std::size_t> hidden_relu_layers(const Network& net);
// blind_spot on a network without hidden relu layers: refuted, no data point can be in a blind spot.
Verdict no_relu_layer_refutation(const std::string& method);

// Evidence: kinks named by data point, layer and unit (1-based), with the data point's input.
Value kinks_value(const Problem& pb, const std::vector<Kink>& kinks);
// Evidence: the nonzero entries of a parameter-space vector, named ("W1[1,1]": value).
Value named_entries(const Network& net, const Vector& v);
// Evidence: how a positive definite Hessian was certified (pivots, or a verified Cholesky bound).
Value pd_certificate_value(std::size_t parameters, const DefinitenessResult& r);
// Evidence that a kink-free point with nonzero gradient g is not a local minimum (docs/certificates.md,
// "first-order"): g itself, since the loss is smooth near P and a minimum of a differentiable function has gradient
// 0; and, when the loss along the ray has degree at most max_witness_ray_degree in t (ray_degree), the exact
// descent ray along -g (leading coefficient -|g|^2) with a rational step that lowers the loss, for a reviewer to
// re-check. Above that degree the expansion alone could take the whole time limit (a poly unit of degree 20,000:
// review r8-8 F6), so it is left out.
inline constexpr std::size_t max_witness_ray_degree = 512;
std::size_t ray_degree(const Problem& pb, std::size_t cap);
Object gradient_witness(const Problem& pb, const Point& p, const Vector& g);
// When the point sits on a kink: the inconclusive verdict smooth methods give there.
std::optional<Verdict> kink_guard(const Problem& pb, const Point& p, const std::string& method);

}  // namespace nncert::kernel::detail
