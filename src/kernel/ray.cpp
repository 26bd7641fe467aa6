// Ray and curve expansions and their witnesses (see ray.hpp and docs/certificates.md, "Refuting along a
// ray", "Degenerate saddles", "Flat curves").
#include "kernel/ray.hpp"

#include "kernel/autodiff.hpp"
#include "kernel/detail/checks.hpp"

#include <stdexcept>

namespace nncert::kernel {

Series loss_along_curve(const Problem& pb, const Vector& p, const Curve& curve) {
    std::vector<Series> th(p.size());
    for (std::size_t i = 0; i < p.size(); ++i) {
        th[i].c.assign(curve.size() + 1, Rational(0));
        th[i].c[0] = p[i];
        for (std::size_t k = 0; k < curve.size(); ++k) {
            if (curve[k].size() != p.size()) throw std::invalid_argument("a curve's direction has the wrong length");
            th[i].c[k + 1] = curve[k][i];
        }
        th[i].trim();
    }
    return loss_and_gradient<Series>(pb, th, nullptr);
}

Series loss_along_ray(const Problem& pb, const Vector& p, const Vector& d) { return loss_along_curve(pb, p, {d}); }

namespace {

Rational eval(const Series& s, const Rational& t) {
    Rational acc = 0;
    for (std::size_t k = s.c.size(); k-- > 0;) acc = acc * t + s.c[k];
    return acc;
}

Vector point_on(const Vector& p, const Curve& curve, const Rational& t) {
    Vector q = p;
    Rational tk = 1;
    for (const Vector& d : curve) {
        tk *= t;
        for (std::size_t i = 0; i < q.size(); ++i) q[i] += tk * d[i];
    }
    return q;
}

Value curve_value(const Network& net, const Curve& curve) {
    if (curve.size() == 1) return detail::named_entries(net, curve[0]);
    List l;
    for (const Vector& d : curve) l.emplace_back(detail::named_entries(net, d));
    return Value(std::move(l));
}

}  // namespace

std::optional<Value> descent_curve_witness(const Problem& pb, const Vector& p, const Curve& curve) {
    const Series l = loss_along_curve(pb, p, curve);
    std::size_t lead = 1;
    while (lead < l.c.size() && is_zero(l.c[lead])) ++lead;
    if (lead >= l.c.size() || l.c[lead].sign() > 0) return std::nullopt;
    List coeffs;
    for (std::size_t k = 0; k <= lead; ++k) coeffs.emplace_back(l.at(k));
    Object w{{curve.size() == 1 ? "direction" : "curve", curve_value(pb.net, curve)},
             {"leading_coefficients", Value(std::move(coeffs))},
             {"order", lead}};
    if (curve.size() > 1) w.emplace_back("curve_form", "P + t d1 + t^2 d2 + ... (the list gives d1, d2, ...)");
    // A concrete check: the first halving step where the exact loss equals the polynomial (so t lies in
    // the polynomial's piece) and is below L(P).
    Rational t = 1;
    for (int k = 0; k < 200; ++k, t /= 2) {
        const Rational exact = loss(pb, point_on(p, curve, t));
        if (exact == eval(l, t) && exact < l.at(0)) {
            w.emplace_back("step", t);
            w.emplace_back("loss_at_point", l.at(0));
            w.emplace_back("loss_at_point_plus_step", exact);
            // Both losses can agree to many digits (a drop of 1e-31 on a loss of 0.84): the change itself is
            // what a reader wants to see, exactly and in the report's short decimal.
            w.emplace_back("loss_change", exact - l.at(0));
            break;
        }
    }
    return Value(std::move(w));
}

std::optional<Value> descent_ray_witness(const Problem& pb, const Vector& p, const Vector& d) {
    return descent_curve_witness(pb, p, {d});
}

std::optional<Value> flat_curve_witness(const Problem& pb, const Vector& p, const Curve& curve) {
    bool moves = false;
    for (const Vector& d : curve)
        for (const Rational& q : d) moves = moves || !is_zero(q);
    if (!moves) return std::nullopt;
    const Series l = loss_along_curve(pb, p, curve);
    if (l.c.size() > 1) return std::nullopt;  // not constant
    // The series is valid on (0, t0) only; t = 1/1000 illustrates, the polynomial identity is the proof. Report
    // the first halving step whose point differs from P and has exactly the loss L(P).
    Object w{{"curve", curve_value(pb.net, curve)}, {"loss_along_curve", l.at(0)}};
    Rational t(1, 1000);
    for (int k = 0; k < 200; ++k, t /= 2) {
        const Vector q = point_on(p, curve, t);
        if (q != p && loss(pb, q) == l.at(0)) {
            w.emplace_back("step", t);
            w.emplace_back("point_at_step", detail::named_entries(pb.net, q));
            break;
        }
    }
    return Value(std::move(w));
}

}  // namespace nncert::kernel
