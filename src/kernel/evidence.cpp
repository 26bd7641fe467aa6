// Evidence builders shared by the checks: named kinks, named parameter vectors, the kink guard.
#include "kernel/detail/checks.hpp"
#include "kernel/detail/mint.hpp"

namespace nncert::kernel::detail {

Value kinks_value(const Problem& pb, const std::vector<Kink>& kinks) {
    List out;
    for (const Kink& k : kinks)
        out.emplace_back(Object{{"data", k.sample + 1},
                                {"input", vector_value(pb.data[k.sample].x)},
                                {"layer", k.layer + 1},
                                {"unit", k.unit + 1}});
    return Value(std::move(out));
}

Value named_entries(const Network& net, const Vector& v) {
    const ParamNames name(net);  // one pass over the layers, not one per entry (review r8-10)
    Object out;
    for (std::size_t k = 0; k < v.size(); ++k)
        if (!is_zero(v[k])) out.emplace_back(name(k), v[k]);
    return Value(std::move(out));
}

Value pd_certificate_value(std::size_t parameters, const DefinitenessResult& r) {
    Object o{{"parameters", parameters}, {"by", r.method}};
    if (r.lambda_min_lower)
        o.emplace_back("lambda_min_greater_than", *r.lambda_min_lower);
    else
        o.emplace_back("min_pivot", positivity_margin(r));
    return Value(std::move(o));
}

std::optional<Verdict> kink_guard(const Problem& pb, const Point& p, const std::string& method) {
    const std::vector<Kink> kinks = find_kinks(pb, p.params);
    if (kinks.empty()) return std::nullopt;
    return Mint::inconclusive(
        method,
        std::to_string(kinks.size()) + " data point(s) sit exactly on a kink, where the loss need not be "
            "differentiable; gradient and Hessian certificates do not apply there (try local_min, whose "
            "nonsmooth methods handle kinks)",
        Object{{"kinks", kinks_value(pb, kinks)}});
}

}  // namespace nncert::kernel::detail
