// Test helper: whether two parsed scripts say the same thing (everything a Script carries but its path,
// source positions and as-written claim text), as a list of differences, so tests and fuzzers can use it.
// Written field by field: a field added to Script or kernel::Claim must be added here too.
#pragma once

#include "script/script.hpp"

#include <string>
#include <vector>

namespace nncert::test {

inline std::vector<std::string> script_differences(const script::Script& a, const script::Script& b) {
    std::vector<std::string> d;
    auto check = [&](bool same, const std::string& what) {
        if (!same) d.push_back(what);
    };
    check(a.version == b.version, "version");
    check(a.data_file == b.data_file, "data_file");
    check(a.data_weighted == b.data_weighted, "data_weighted");
    check(a.precision == b.precision, "precision");
    const kernel::Problem &p = a.problem, &r = b.problem;
    check(p.net.input_dim == r.net.input_dim, "input_dim");
    check(p.net.layers.size() == r.net.layers.size(), "number of layers");
    for (std::size_t l = 0; l < p.net.layers.size() && l < r.net.layers.size(); ++l) {
        const kernel::Layer &x = p.net.layers[l], &y = r.net.layers[l];
        const std::string at = "layer " + std::to_string(l + 1) + " ";
        check(x.width == y.width, at + "width");
        check(x.activation.kind == y.activation.kind, at + "activation");
        check(x.activation.alpha == y.activation.alpha, at + "alpha");
        check(x.activation.coeffs == y.activation.coeffs, at + "coefficients");
        check(x.bias == y.bias, at + "bias");
    }
    check(p.loss == r.loss, "loss");
    check(p.weight_decay == r.weight_decay, "weight decay");
    check(p.classify.has_value() == r.classify.has_value(), "classify");
    if (p.classify && r.classify) check(p.classify->threshold == r.classify->threshold, "threshold");
    check(p.data.size() == r.data.size(), "number of data rows");
    for (std::size_t i = 0; i < p.data.size() && i < r.data.size(); ++i) {
        const std::string at = "data row " + std::to_string(i + 1) + " ";
        check(p.data[i].x == r.data[i].x, at + "inputs");
        check(p.data[i].y == r.data[i].y, at + "targets");
        check(p.data[i].weight == r.data[i].weight, at + "weight");
    }
    auto points = [&](const std::vector<kernel::Point>& u, const std::vector<kernel::Point>& v, const std::string& what) {
        check(u.size() == v.size(), "number of " + what + "s");
        for (std::size_t i = 0; i < u.size() && i < v.size(); ++i) {
            check(u[i].name == v[i].name, what + " " + u[i].name + " name");
            check(u[i].params == v[i].params, what + " " + u[i].name + " parameters");
        }
    };
    points(a.points, b.points, "point");
    points(a.directions, b.directions, "direction");
    check(a.claims.size() == b.claims.size(), "number of claims");
    for (std::size_t i = 0; i < a.claims.size() && i < b.claims.size(); ++i) {
        const kernel::Claim &x = a.claims[i].claim, &y = b.claims[i].claim;
        const std::string at = "claim " + std::to_string(i + 1) + " ";
        check(x.kind == y.kind, at + "kind");
        check(x.negated == y.negated, at + "not");
        check(x.point == y.point, at + "point");
        check(x.other == y.other, at + "other point");
        check(x.value == y.value, at + "value");
        check(x.radius == y.radius, at + "radius");
        check(x.lower == y.lower, at + "lower end");
        check(x.upper == y.upper, at + "upper end");
        check(x.along == y.along, at + "along vectors");
        check(a.claims[i].along == b.claims[i].along, at + "along names");
        check(a.claims[i].text == b.claims[i].text, at + "canonical text");
    }
    return d;
}

}  // namespace nncert::test
