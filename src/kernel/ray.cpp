// Ray expansions and their witnesses (see ray.hpp and docs/certificates.md, "Refuting along a ray").
#include "kernel/ray.hpp"

#include "kernel/autodiff.hpp"
#include "kernel/detail/checks.hpp"

namespace nncert::kernel {

Series loss_along_ray(const Problem& pb, const Vector& p, const Vector& d) {
    std::vector<Series> th(p.size());
    for (std::size_t i = 0; i < p.size(); ++i) {
        th[i].c = {p[i], d[i]};
        th[i].trim();
    }
    return loss_and_gradient<Series>(pb, th, nullptr);
}

namespace {

Rational eval(const Series& s, const Rational& t) {
    Rational acc = 0;
    for (std::size_t k = s.c.size(); k-- > 0;) acc = acc * t + s.c[k];
    return acc;
}

}  // namespace

std::optional<Value> descent_ray_witness(const Problem& pb, const Vector& p, const Vector& d) {
    const Series l = loss_along_ray(pb, p, d);
    std::size_t lead = 1;
    while (lead < l.c.size() && is_zero(l.c[lead])) ++lead;
    if (lead >= l.c.size() || l.c[lead].sign() > 0) return std::nullopt;
    List coeffs;
    for (std::size_t k = 0; k <= lead; ++k) coeffs.emplace_back(l.at(k));
    Object w{{"direction", detail::named_entries(pb.net, d)},
             {"leading_coefficients", Value(std::move(coeffs))},
             {"order", lead}};
    // A concrete check: the first halving step where the exact loss equals the polynomial (so t lies in
    // the polynomial's piece) and is below L(P).
    Rational t = 1;
    Vector q(p.size());
    for (int k = 0; k < 200; ++k, t /= 2) {
        for (std::size_t i = 0; i < p.size(); ++i) q[i] = p[i] + t * d[i];
        const Rational exact = loss(pb, q);
        if (exact == eval(l, t) && exact < l.at(0)) {
            w.emplace_back("step", t);
            w.emplace_back("loss_at_point", l.at(0));
            w.emplace_back("loss_at_point_plus_step", exact);
            break;
        }
    }
    return Value(std::move(w));
}

}  // namespace nncert::kernel
