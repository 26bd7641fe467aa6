// Claims about named weight points, as plain data. The front end builds them from script text;
// the kernel decides them.
#pragma once

#include "kernel/number.hpp"
#include "kernel/region.hpp"

#include <cstddef>
#include <optional>
#include <string>

namespace nncert::kernel {

enum class ClaimKind {
    loss,              // loss P = value
    gap,               // gap P > Q   (loss(P) > loss(Q))
    kink_free,         // kink_free P
    critical,          // critical P
    hessian_pd,        // hessian_pd P
    strict_local_min,  // strict_local_min P
    accuracy,          // accuracy P = value
    local_min,         // local_min P (possibly non-strict; nonsmooth methods)
    trap,              // trap P in R: P inside R, the loss > L(P) on R's boundary
    barrier,           // barrier P Q > value: max_t L(P + t (Q - P)) - max(L(P), L(Q)) > value, t in [0, 1]
    monotone,          // monotone P Q: t -> L(P + t (Q - P)) is non-increasing on [0, 1]
    blind_spot,        // blind_spot P: some data point where every unit of a hidden relu layer has input < 0
};

std::string to_string(ClaimKind k);

struct Claim {
    ClaimKind kind = ClaimKind::loss;
    bool negated = false;        // `not C`: certified exactly when C is refuted
    std::size_t point = 0;       // index into the script's points
    std::size_t other = 0;       // gap: the point claimed to be better; barrier, monotone: the segment's end Q
    Rational value;              // loss, accuracy: the claimed exact value; barrier: the height h
    // Interval engine (`... within r`): the claim is about the box of max-norm radius r around the point.
    std::optional<Rational> radius;
    // `loss P within r in [lower, upper]`: the claimed enclosure of the loss over the box.
    std::optional<Rational> lower, upper;
    // A region (region.hpp): `trap P in R`, `local_min P in R`, `accuracy P in R <= q` (the sublevel set
    // {theta in R : L(theta) <= L(P)}), and with region_subject `loss R in [a, b]`, `gap R > Q`.
    std::optional<Region> region;
    bool region_subject = false;  // the region is the subject: `point` is unused
    // `trap P ... layer d [steps e]`: the boundary layer's thickness d, and the step size e it must cover.
    std::optional<Rational> layer, steps;
    // `... along d1, d2, ...` (local_min, strict_local_min without a box): a hinted curve
    // P + t d1 + t^2 d2 + ..., each d_k a full parameter vector. The kernel expands the loss along it exactly:
    // a descent refutes the claim, a curve of constant loss refutes strictness; otherwise it is only a hint.
    std::vector<Vector> along;
};

}  // namespace nncert::kernel
