// Small problems built directly as kernel data (no parser), shared by the kernel unit tests.
#pragma once

#include "kernel/model.hpp"
#include "kernel/value.hpp"

#include <string>

#include <utility>
#include <vector>

namespace nncert::testing {

using kernel::Rational;

inline kernel::Activation act(kernel::ActivationKind k) {
    kernel::Activation a;
    a.kind = k;
    return a;
}

inline kernel::Activation poly(std::vector<Rational> c) {
    kernel::Activation a = act(kernel::ActivationKind::poly);
    a.coeffs = std::move(c);
    return a;
}

// One hidden layer of `width` units with activation `hidden`, scalar identity output, 1-D input.
inline kernel::Problem one_hidden(std::size_t width, kernel::Activation hidden,
                                  std::vector<std::pair<Rational, Rational>> data) {
    kernel::Problem pb;
    pb.net.input_dim = 1;
    pb.net.layers = {{width, std::move(hidden)}, {1, act(kernel::ActivationKind::identity)}};
    for (auto& [x, y] : data) pb.data.push_back({{x}, {y}});
    return pb;
}

// The paper's example 1 (one relu unit, five points); parameters (w, b, v, c).
inline kernel::Problem example1() {
    return one_hidden(1, act(kernel::ActivationKind::relu), {{5, 2}, {4, 1}, {3, 0}, {1, -3}, {-1, 3}});
}

// The paper's example 2 data (two relu units, six points); parameters (w1, w2, b1, b2, v1, v2, c).
inline kernel::Problem example2() {
    return one_hidden(2, act(kernel::ActivationKind::relu), {{-1, 5}, {0, 0}, {1, -1}, {10, -3}, {11, -4}, {12, -5}});
}

// The entry `key` of an evidence object, or nullptr.
inline const kernel::Value* field(const kernel::Value& v, const std::string& key) {
    const auto* o = std::get_if<kernel::Object>(&v.data);
    if (!o) return nullptr;
    for (const auto& [k, val] : *o)
        if (k == key) return &val;
    return nullptr;
}

}  // namespace nncert::testing
