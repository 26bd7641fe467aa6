// Section 4 of Swirszcz, Czarnecki, Pascanu as a generator: for a user's dataset, a dead-layer local
// minimum, a dead non-minimum and the three-ReLU bump witness, written out as a proof script. Untrusted.
#pragma once

#include "kernel/model.hpp"
#include "kernel/number.hpp"

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace nncert::tools {

// The construction does not apply (dataset not decent, bad widths or depth, malformed rows).
struct ConstructionError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The rows that share one input vector; groups are kept in order of first appearance.
struct InputGroup {
    kernel::Vector x;
    std::size_t count = 0;
    kernel::Rational label_sum;
    kernel::Rational mean() const { return label_sum / count; }
};
std::vector<InputGroup> group_by_input(const std::vector<kernel::Sample>& data);

// Where the bump sits: a group whose mean label nu differs from the overall mean (the one whose bump
// lowers the loss most, the first on ties); mu is the mean label of all the other rows. `found` is
// false exactly when the dataset is not decent (every group's mean is the overall mean).
struct BumpCenter {
    bool found = false;
    std::size_t group = 0;
    kernel::Rational overall_mean, nu, mu;
};
BumpCenter find_bump_center(const std::vector<InputGroup>& groups);

// A direction v with |v.(x_s - x_r)| >= 2 for every group s other than r = `center`, so the bump's
// t = v.x - v.x_r is 0 at x_r and at least 2 away from 0 at every other input (2, not 1, keeps every
// other input off the hat's kinks at t = -1, 0, 1, so only x_r sits on a kink).
kernel::Vector separating_direction(const std::vector<InputGroup>& groups, std::size_t center);

// One layer's parameters, W as a list of rows.
struct LayerParams {
    std::vector<kernel::Vector> W;
    kernel::Vector b;
};
using PointParams = std::vector<LayerParams>;

struct DeadLayerConstruction {
    std::size_t input_dim = 0;
    std::vector<std::size_t> hidden_widths;  // depth - 1 relu layers, then `dense 1 identity`
    std::vector<kernel::Sample> data;
    BumpCenter center;
    kernel::Vector x_r, v;
    kernel::Rational gamma;
    PointParams dead_mean, dead_off, bump;
    // Computed here from the closed forms (not by the kernel), so the kernel's check is a cross-check.
    kernel::Rational loss_mean, loss_off, loss_bump;
};

// Throws ConstructionError when hidden_widths is empty (depth < 2), the first width is < 3, a later
// one is < 1, the rows are not one label on inputs of one common dimension, or the data is not decent.
DeadLayerConstruction build_dead_layer(const std::vector<kernel::Sample>& data,
                                       const std::vector<std::size_t>& hidden_widths);

struct ScriptNames {
    std::string dead_mean = "dead_mean", dead_off = "dead_off", bump = "bump";
    std::string command;  // the command line that generated the script, for its header ("" to omit)
};

// The proof script (format version 1): header comment, inline data, network, loss sse, the three
// points and seven claims, every number exact and canonical. Deterministic.
std::string render_script(const DeadLayerConstruction& c, const ScriptNames& names = {});

}  // namespace nncert::tools
