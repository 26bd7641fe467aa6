// Local-minimum methods for points the Hessian cannot decide: activation patterns (one hidden layer,
// kinks and flat directions) and dead layers (any depth). Kernel-internal.
#pragma once

#include "kernel/exact.hpp"
#include "kernel/value.hpp"

#include <optional>
#include <string>

namespace nncert::kernel {

// --- Activation patterns -------------------------------------------------------------------------
struct PatternResult {
    enum class Kind { not_applicable, holds, fails, refuted, too_many, limit } kind = Kind::not_applicable;
    std::string why;           // not_applicable / too_many / limit: the reason
    std::size_t kink_pairs = 0;
    Rational patterns_covered;  // 2^kink_pairs
    std::size_t patterns_evaluated = 0;
    Value ray;                 // refuted: the descent-ray witness (ray.hpp) along minus a failing pattern's gradient
    Value evidence;
};

// Does P satisfy the KKT conditions of every activation pattern of the on-kink pairs (docs/certificates.md,
// "activation-patterns")? Applies to one hidden layer of identity/relu/leaky_relu units with an identity
// output. Patterns are enumerated unit by unit, at most max_patterns per unit; the cone test of each is an
// exact linear program (cone.hpp) with a pivot cap. Minus the one-sided gradient of each of the first 16
// distinct failing patterns is tried as a descent ray as soon as the pattern is found: refuted stops there.
// fails: some pattern fails and none of those rays descends. limit: no pattern fails, but some cone test
// stopped at its pivot cap (undecided).
PatternResult check_patterns(const Problem& pb, const Vector& p, std::size_t max_patterns);

// --- Linear relaxation (any depth) ----------------------------------------------------------------
struct RelaxationResult {
    enum class Kind { not_applicable, holds, fails, too_large } kind = Kind::not_applicable;
    std::string why;                         // not_applicable / too_large: the reason
    Value evidence;
    std::vector<Vector> failing_directions;  // fails: minus the linear part of the failing polynomial
    // fails: up to 32 failing monomials (their parameter factors, lowest degree first) with coefficients:
    // G contains coefficient * prod theta_k^e_k, so moving just these parameters may lower the loss at that order.
    std::vector<std::pair<std::vector<std::pair<std::size_t, unsigned>>, Rational>> failing_monomials;
};

// Is P's residual orthogonal to every output the network can produce near P (any depth, every activation
// pattern the kink pairs allow)? Then L(theta) >= L(P) near P. Exact networks, squared-error loss, no decay.
// relaxation.cpp; docs/certificates.md "linear-relaxation".
RelaxationResult check_relaxation(const Problem& pb, const Vector& p);

// --- Symmetry orbit (Morse-Bott) -------------------------------------------------------------------
struct OrbitResult {
    enum class Kind { not_applicable, holds, fails } kind = Kind::not_applicable;
    std::string why;
    Value evidence;
};

// Tangent vectors at p of the network's continuous symmetries: for each hidden identity layer the gl(k)
// generators E_ab, for each hidden relu/leaky_relu layer the rescalings E_aa (W_l -> g W_l, b_l -> g b_l,
// W_{l+1} -> W_{l+1} g^-1). `described` (optional) gets a short description of the groups.
std::vector<Vector> symmetry_tangents(const Network& net, const Vector& p, std::string* described = nullptr);

// At a kink-free critical point with exact Hessian h: is h positive definite on the orthogonal complement of
// the tangent space of P's orbit? Then P is a (non-strict) local minimum. symmetry_orbit.cpp.
OrbitResult check_symmetry_orbit(const Problem& pb, const Vector& p, const Matrix& h, const Progress* progress);

// --- Dead layer ----------------------------------------------------------------------------------
struct DeadLayerResult {
    bool found = false;
    std::size_t layer = 0;  // 0-based
    Vector constant_output, mean_label;
    Vector bias_direction;  // moves the output bias from the constant toward the mean
};

// A hidden relu layer whose pre-activations are all < 0 on every data point.
DeadLayerResult find_dead_layer(const Problem& pb, const Vector& p);

}  // namespace nncert::kernel
