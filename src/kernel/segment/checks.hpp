// Kernel-internal: the segment claims (docs/certificates.md, "Segment claims").
//   barrier P Q > h   some t in [0, 1] has L(P + t (Q - P)) - max(L(P), L(Q)) > h
//   monotone P Q      t -> L(P + t (Q - P)) is non-increasing on [0, 1]
// Exact problems: the loss along the segment as an exact piecewise polynomial (piecewise_loss.hpp).
// Transcendental problems: interval enclosures on sub-segments (interval/claims_segment.cpp).
#pragma once

#include "kernel/kernel.hpp"

namespace nncert::kernel::detail {

Verdict check_barrier_exact(const Problem& pb, const Point& p, const Point& q, const Rational& h, const Options& opt);
Verdict check_monotone_exact(const Problem& pb, const Point& p, const Point& q, const Options& opt);

Verdict check_barrier_interval(const Problem& pb, const Point& p, const Point& q, const Rational& h, const Options& opt);
Verdict check_monotone_interval(const Problem& pb, const Point& p, const Point& q, const Options& opt);

}  // namespace nncert::kernel::detail
