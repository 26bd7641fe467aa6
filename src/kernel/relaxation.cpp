// The linear-relaxation method for `local_min P` at any depth (docs/certificates.md, "linear-relaxation").
// Assumes an exact network (identity, relu, leaky_relu, poly units) and a squared-error loss without decay.
//
// Near P every data point keeps the piece of each unit whose pre-activation is nonzero at P; a pair (data
// point, unit) exactly on a kink may take either piece, which we model with a 0/1 variable e (slope
// alpha + (1 - alpha) e). The network's outputs on the data are then polynomials F_i(D, e) in the parameter
// change D = theta - P and the e's, and with r_i = f(x_i; P) - y_i,
//     L(theta) = L(P) + s sum_i w_i ||F_i - f(x_i; P)||^2 + 2 s (G(D, e) - G(0, e)),  G = sum_i w_i r_i . F_i.
// If G, reduced with e^2 = e, has no monomial containing a D variable, the last term vanishes for every
// 0/1 choice of the e's, so L(theta) >= L(P) near P: P is a local minimum (the residual is orthogonal to the
// span of every output the network can produce near P, under every pattern the kinks allow).
#include "kernel/autodiff.hpp"
#include "kernel/multipoly.hpp"
#include "kernel/nonsmooth.hpp"

#include <algorithm>
#include <string>

namespace nncert::kernel {

namespace {

// Documented limits (docs/certificates.md): the largest polynomial, and the total term products.
constexpr std::size_t relaxation_max_terms = 100000;
constexpr std::uint64_t relaxation_work = 20000000;

struct KinkVar {
    std::size_t sample, layer, unit;
};

std::string monomial_name(const Network& net, const Monomial& m, const std::vector<KinkVar>& kinks) {
    std::string s;
    for (const auto& [v, e] : m) {
        if (!s.empty()) s += " * ";
        if (v < net.num_params()) {
            s += net.param_name(v);
        } else {
            const KinkVar& k = kinks.at(v - net.num_params());
            // Appended piece by piece: `"literal" + std::string` trips GCC 12's -Wrestrict false positive.
            s += "on(data ";
            s += std::to_string(k.sample + 1);
            s += ", layer ";
            s += std::to_string(k.layer + 1);
            s += ", unit ";
            s += std::to_string(k.unit + 1);
            s += ")";
        }
        if (e > 1) {
            s += "^";
            s += std::to_string(e);
        }
    }
    return s;
}

// The 0/1 variables of the kink pairs. Two kink pairs whose pre-activations are the same polynomial up to
// a positive factor have the same sign at every theta, so they share one variable e (on = e); up to a
// negative factor they have opposite signs (on = 1 - e; where z = 0 either piece gives the same output).
struct KinkTable {
    std::uint32_t first_var = 0;                                   // variable first_var + k is owners[k]'s
    // canonical z (leading coefficient 1) -> (its variable, the sign of the owner's leading coefficient)
    std::map<std::map<Monomial, Rational>, std::pair<std::uint32_t, int>> by_z;
    std::vector<KinkVar> owners;
    std::size_t pairs = 0;                                         // kink pairs seen (with a residual)
    std::size_t shared = 0;                                        // of which reuse an earlier variable
};

// The indicator "this kink pair is on its z > 0 piece", as a polynomial in a 0/1 variable.
MultiPoly on_indicator(const MultiPoly& z, KinkTable& kt, const KinkVar& who, PolyContext& ctx) {
    ++kt.pairs;
    const Rational lead = z.terms().begin()->second;
    const MultiPoly canonical = z.scaled(Rational(1) / lead);
    auto [it, fresh] = kt.by_z.try_emplace(
        canonical.terms(), kt.first_var + static_cast<std::uint32_t>(kt.owners.size()), lead.sign());
    if (fresh) kt.owners.push_back(who);
    else ++kt.shared;
    const MultiPoly e = MultiPoly::variable(it->second.first);
    // z = (lead / owner's lead) * owner's z: the same sign as the owner's z when the leads agree in sign.
    if (lead.sign() == it->second.second) return e;
    // z is a negative multiple of the owner's z: z > 0 exactly when the owner's z < 0.
    MultiPoly one_minus(Rational(1));
    one_minus.add(e, Rational(-1), ctx);
    return one_minus;
}

// z -> activation(z), on the piece P's pre-activation (the constant term) selects; a kink pair gets a 0/1
// variable choosing the piece.
MultiPoly activate_poly(const Activation& a, const MultiPoly& z, KinkTable& kt, const KinkVar& who, PolyContext& ctx) {
    switch (a.kind) {
        case ActivationKind::identity: return z;
        case ActivationKind::relu:
        case ActivationKind::leaky_relu: {
            const Rational alpha = a.kind == ActivationKind::relu ? Rational(0) : a.alpha;
            const int sign = z.constant().sign();
            if (sign > 0) return z;
            if (sign < 0) return z.scaled(alpha);
            if (alpha == 1) return z;   // leaky_relu(1) is the identity: no kink
            if (z.size() == 0) return z;  // identically 0 near P: both pieces give 0
            // slope = alpha + (1 - alpha) on
            MultiPoly slope(alpha);
            slope.add(on_indicator(z, kt, who, ctx), Rational(1) - alpha, ctx);
            return slope.times(z, ctx);
        }
        case ActivationKind::poly: {
            MultiPoly acc;
            for (std::size_t k = a.coeffs.size(); k-- > 0;) {
                acc = acc.times(z, ctx);
                acc.add(MultiPoly(a.coeffs[k]), Rational(1), ctx);
            }
            return acc;
        }
        default: break;
    }
    throw std::logic_error("linear relaxation: activation " + to_string(a) + " is not exact");
}

}  // namespace

RelaxationResult check_relaxation(const Problem& pb, const Vector& p) {
    RelaxationResult res;
    const Network& net = pb.net;
    if (!net.is_exact()) {
        res.why = "the linear relaxation needs exact units (identity, relu, leaky_relu, poly)";
        return res;
    }
    if (!is_squared_error(pb.loss)) {
        res.why = "the linear relaxation needs a squared-error loss (sse, sse/2 or mse)";
        return res;
    }
    if (!is_zero(pb.weight_decay)) {
        res.why = "the linear relaxation does not apply with weight decay (the decay term is not a function of "
                  "the outputs)";
        return res;
    }
    const std::size_t n = net.num_params();
    PolyContext ctx{relaxation_work, relaxation_max_terms, static_cast<std::uint32_t>(n)};
    KinkTable kinks{static_cast<std::uint32_t>(n), {}, {}, 0, 0};  // kink pairs of data points with a residual
    std::size_t fitted_kinks = 0;  // kink pairs of data points fitted exactly (no variable needed)
    std::size_t residual_points = 0;
    MultiPoly g;  // G(D, e) = sum_i w_i r_i . F_i(D, e)
    try {
        std::vector<MultiPoly> theta(n);
        for (std::size_t k = 0; k < n; ++k) {
            theta[k] = MultiPoly(p[k]);
            theta[k].add(MultiPoly::variable(static_cast<std::uint32_t>(k)), Rational(1), ctx);
        }
        Pass<Rational> exact_pass;
        for (std::size_t i = 0; i < pb.data.size(); ++i) {
            const Sample& s = pb.data[i];
            forward(net, p, s.x, exact_pass);
            Vector r(net.output_dim());
            bool any = false;
            for (std::size_t o = 0; o < r.size(); ++o) {
                r[o] = exact_pass.a.back()[o] - s.y[o];
                any = any || !is_zero(r[o]);
            }
            if (!any) {
                // A data point the network fits exactly at P contributes nothing to G; its kinks are only counted.
                for (std::size_t l = 0; l < net.layers.size(); ++l)
                    if (net.layers[l].activation.has_kink() && net.layers[l].activation.alpha != 1)
                        for (std::size_t u = 0; u < net.layers[l].width; ++u)
                            if (exact_pass.z[l][u].sign() == 0) ++fitted_kinks;
                continue;
            }
            std::vector<MultiPoly> a;
            for (const Rational& x : s.x) a.emplace_back(x);
            for (std::size_t l = 0; l < net.layers.size(); ++l) {
                const std::size_t width = net.layers[l].width, fan_in = net.fan_in(l);
                const std::size_t w0 = net.weight_offset(l), b0 = net.bias_offset(l);
                std::vector<MultiPoly> out(width);
                for (std::size_t u = 0; u < width; ++u) {
                    MultiPoly z;
                    if (net.has_bias(l)) z = theta[b0 + u];
                    for (std::size_t j = 0; j < fan_in; ++j)
                        if (a[j].size() > 0) z.add(theta[w0 + u * fan_in + j].times(a[j], ctx), Rational(1), ctx);
                    out[u] = activate_poly(net.layers[l].activation, z, kinks, KinkVar{i, l, u}, ctx);
                }
                a = std::move(out);
            }
            ++residual_points;
            for (std::size_t o = 0; o < r.size(); ++o) g.add(a[o], s.weight * r[o], ctx);
        }
    } catch (const PolyBudgetExceeded&) {
        res.kind = RelaxationResult::Kind::too_large;
        res.why = "the network's outputs as polynomials in the parameters exceed the method's budget (" +
                  std::to_string(relaxation_max_terms) + " terms per polynomial, " +
                  std::to_string(relaxation_work) + " term products)";
        return res;
    }
    // Every monomial of G that involves a parameter must vanish.
    List failing;
    std::size_t failing_count = 0;
    Vector base_gradient(n), all_on_gradient(n);  // the linear part in D with every e = 0 / every e = 1
    for (const auto& [m, c] : g.terms()) {
        bool has_param = false;
        std::size_t params = 0, param = 0;
        for (const auto& [v, e] : m)
            if (v < n) {
                has_param = true;
                params += e;
                param = v;
            }
        if (!has_param) continue;
        ++failing_count;
        if (failing.size() < 8)
            failing.emplace_back(Object{{"monomial", monomial_name(net, m, kinks.owners)}, {"coefficient", c}});
        std::vector<std::pair<std::size_t, unsigned>> factors;
        for (const auto& [v, e] : m)
            if (v < n) factors.emplace_back(v, e);
        res.failing_monomials.emplace_back(std::move(factors), c);
        if (params == 1) {
            all_on_gradient[param] += c;
            if (m.size() == 1) base_gradient[param] += c;
        }
    }
    Object ev{{"data_points_with_residual", residual_points},
              {"kink_pairs", kinks.pairs + fitted_kinks},
              {"kink_sign_variables", kinks.owners.size()},
              {"polynomial_terms", g.size()}};
    if (failing_count == 0) {
        res.kind = RelaxationResult::Kind::holds;
        ev.emplace_back("family", "the span of every output vector the network produces near P, under every "
                                  "activation pattern its kink pairs allow");
        ev.emplace_back("identity", "L(theta) = L(P) + s sum_i w_i ||f(x_i; theta) - f(x_i; P)||^2 near P");
        res.evidence = Value(std::move(ev));
        return res;
    }
    res.kind = RelaxationResult::Kind::fails;
    std::stable_sort(res.failing_monomials.begin(), res.failing_monomials.end(), [](const auto& a, const auto& b) {
        unsigned da = 0, db = 0;
        for (const auto& f : a.first) da += f.second;
        for (const auto& f : b.first) db += f.second;
        return da < db;
    });
    if (res.failing_monomials.size() > 32) res.failing_monomials.resize(32);
    ev.emplace_back("failing_monomials", failing_count);
    ev.emplace_back("first_failing", Value(std::move(failing)));
    res.evidence = Value(std::move(ev));
    for (const Vector* grad : {&base_gradient, &all_on_gradient}) {
        Vector d(n);
        bool nonzero = false;
        for (std::size_t k = 0; k < n; ++k) {
            d[k] = -(*grad)[k];
            nonzero = nonzero || !is_zero(d[k]);
        }
        if (nonzero) res.failing_directions.push_back(std::move(d));
    }
    return res;
}

}  // namespace nncert::kernel
