// Piecewise-polynomial loss along a segment, by the generic forward pass and loss (autodiff.hpp) on a number
// type whose values are polynomials in t valid on one open piece (lo, hi): a relu or leaky_relu whose input
// has a root inside the piece stops the pass and splits the piece at those roots; otherwise it takes the
// branch its input's sign on the piece (read at a rational sample point) selects. The same evaluator as every
// other exact claim, so the segment claims cannot disagree with them about what the network computes.
#include "kernel/segment/piecewise_loss.hpp"

#include "kernel/autodiff.hpp"
#include "kernel/exact.hpp"
#include "kernel/limits.hpp"

#include <algorithm>
#include <bit>
#include <stdexcept>
#include <utility>

namespace nncert::kernel {

namespace {

// The open piece (lo, hi) a pass runs on, with a rational point strictly inside it.
struct PieceContext {
    RealRoot lo, hi;
    Rational sample;
    std::size_t* sign_tests = nullptr;  // the segment's running count (limits::max_segment_sign_tests)
};

// Thrown by activate when the piece must be split at the roots of a kinked unit's input.
struct NeedsSplit {
    std::vector<RealRoot> at;  // sorted, strictly inside the piece
};

}  // namespace

// A polynomial in t on the current piece (the Num of the generic network code). Constants carry no context;
// anything computed from the parameters does, and operations pass it on.
struct SegmentValue {
    Polynomial p;
    const PieceContext* ctx = nullptr;

    SegmentValue() = default;
    SegmentValue(const Rational& q) : p(q) {}
    SegmentValue(Polynomial poly, const PieceContext* c) : p(std::move(poly)), ctx(c) {}

    SegmentValue& operator+=(const SegmentValue& o) {
        p += o.p;
        if (!ctx) ctx = o.ctx;
        return *this;
    }
    SegmentValue& operator-=(const SegmentValue& o) {
        p -= o.p;
        if (!ctx) ctx = o.ctx;
        return *this;
    }
};

inline SegmentValue operator+(SegmentValue a, const SegmentValue& b) { return a += b; }
inline SegmentValue operator-(SegmentValue a, const SegmentValue& b) { return a -= b; }
// Bits of the largest coefficient of p.
static std::size_t coefficient_bits(const Polynomial& p) {
    std::size_t bits = 0;
    for (const Rational& c : p.c) bits = std::max(bits, bit_size(c));
    return bits;
}

// The size guard of the segment claims (limits::max_segment_degree, max_segment_polynomial_bits), checked
// before a product is computed: the product of a and b has degree deg a + deg b, and each coefficient at
// most bits(a) + bits(b) + log2(terms) bits.
static void require_product_size(const Polynomial& a, const Polynomial& b) {
    if (a.is_constant() && b.is_constant()) return;
    const std::size_t degree = static_cast<std::size_t>(std::max(a.degree(), 0) + std::max(b.degree(), 0));
    if (degree > limits::max_segment_degree)
        throw LimitExceeded("max-segment-degree",
                            "the loss along the segment would be a polynomial in t of degree " + std::to_string(degree) +
                                ", over the limit of " + std::to_string(limits::max_segment_degree) +
                                " (composed poly layers raise the degree fast; exact root isolation of such "
                                "polynomials would not finish)");
    const std::size_t terms = std::min(a.c.size(), b.c.size());
    const std::size_t bits = (degree + 1) * (coefficient_bits(a) + coefficient_bits(b) + std::bit_width(terms));
    if (bits > limits::max_segment_polynomial_bits)
        throw LimitExceeded("max-segment-polynomial-bits",
                            "the loss along the segment would be a polynomial in t of about " + std::to_string(bits) +
                                " bits (degree x coefficient bits), over the limit of " +
                                std::to_string(limits::max_segment_polynomial_bits));
}

inline SegmentValue operator*(const SegmentValue& a, const SegmentValue& b) {
    require_product_size(a.p, b.p);
    return SegmentValue(a.p * b.p, a.ctx ? a.ctx : b.ctx);
}
inline bool known_zero(const SegmentValue& v) { return v.p.is_zero(); }

// Only values are needed (order 0). identity and poly are polynomial maps; relu and leaky_relu take the
// branch of their input's sign on the piece, which is constant there once no root of the input lies inside.
inline SegmentValue activate(const Activation& a, const SegmentValue& z, int order) {
    if (order != 0) throw std::logic_error("segment values: only order 0 is needed");
    switch (a.kind) {
        case ActivationKind::identity: return z;
        case ActivationKind::poly: {
            SegmentValue acc;
            for (std::size_t k = a.coeffs.size(); k-- > 0;) acc = acc * z + SegmentValue(a.coeffs[k]);
            return acc;
        }
        case ActivationKind::relu:
        case ActivationKind::leaky_relu: {
            int sign;
            if (z.p.is_constant()) {
                sign = z.p.is_zero() ? 0 : z.p.c[0].sign();
            } else {
                if (!z.ctx) throw std::logic_error("segment value without a piece");
                if (z.ctx->sign_tests && ++*z.ctx->sign_tests > limits::max_segment_sign_tests)
                    throw LimitExceeded("max-segment-sign-tests",
                                        "the piecewise-polynomial loss along the segment needs more than " +
                                            std::to_string(limits::max_segment_sign_tests) +
                                            " sign decisions of kinked units (pieces x data points x units)");
                std::vector<RealRoot> roots = roots_between(z.p, z.ctx->lo, z.ctx->hi);
                if (!roots.empty()) throw NeedsSplit{std::move(roots)};
                sign = z.p.sign_at(z.ctx->sample);  // nonzero: no root inside, and z is not constant
            }
            if (sign > 0) return z;
            if (a.kind == ActivationKind::relu) return SegmentValue();
            return z * SegmentValue(a.alpha);
        }
        default: throw std::logic_error("activation " + to_string(a) + " has no exact evaluation");
    }
}

Vector point_on_segment(const Vector& p, const Vector& q, const Rational& t) {
    Vector out(p.size());
    for (std::size_t k = 0; k < p.size(); ++k) out[k] = p[k] + t * (q[k] - p[k]);
    return out;
}

SegmentLoss loss_along_segment(const Problem& pb, const Vector& p, const Vector& q, std::size_t max_pieces) {
    if (!pb.is_exact()) throw std::invalid_argument("loss_along_segment needs an exact problem");
    if (p.size() != pb.net.num_params() || q.size() != pb.net.num_params())
        throw std::invalid_argument("loss_along_segment: points of the wrong size");
    SegmentLoss out;
    // Pieces still to evaluate, the leftmost last (a stack), so finished pieces come out in order.
    std::vector<std::pair<RealRoot, RealRoot>> todo;
    std::size_t sign_tests = 0;
    todo.emplace_back(RealRoot::rational(0), RealRoot::rational(1));
    while (!todo.empty()) {
        if (out.pieces.size() >= max_pieces) {
            out.complete = false;
            break;
        }
        auto [lo, hi] = std::move(todo.back());
        todo.pop_back();
        PieceContext ctx{lo, hi, rational_between(lo, hi), &sign_tests};
        std::vector<SegmentValue> theta;
        theta.reserve(p.size());
        for (std::size_t k = 0; k < p.size(); ++k) theta.emplace_back(Polynomial::linear(p[k], q[k] - p[k]), &ctx);
        try {
            const SegmentValue l = loss_and_gradient<SegmentValue>(pb, theta, nullptr);
            // Defence in depth: the piece's polynomial must give the exact loss at the sample point.
            if (l.p(ctx.sample) != loss(pb, point_on_segment(p, q, ctx.sample)))
                throw std::logic_error("segment loss polynomial disagrees with the exact loss");
            out.pieces.push_back({std::move(ctx.lo), std::move(ctx.hi), l.p, ctx.sample});
        } catch (NeedsSplit& split) {
            // (lo, r1), (r1, r2), ..., (rk, hi), pushed right to left.
            std::vector<RealRoot>& r = split.at;
            todo.emplace_back(r.back(), ctx.hi);
            for (std::size_t i = r.size() - 1; i-- > 0;) todo.emplace_back(r[i], r[i + 1]);
            todo.emplace_back(ctx.lo, r.front());
        }
    }
    return out;
}

}  // namespace nncert::kernel
