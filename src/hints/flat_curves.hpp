// UNTRUSTED proposer of straight lines along which the network function, hence the loss, may stay constant:
// a hidden unit duplicated (same incoming weights and bias) with its outgoing weights shifted between the
// copies, a hidden unit whose outgoing weights are all zero moving its incoming weights, and the nilpotent
// part of GL(k) on an identity layer (W_l -> (I + tE) W_l, W_{l+1} -> W_{l+1} (I - tE), E^2 = 0). The kernel
// checks each line by expanding the loss along it exactly (kernel/ray.hpp, flat_curve_witness).
#pragma once

#include "kernel/model.hpp"

#include <string>
#include <vector>

namespace nncert::hints {

struct FlatLine {
    std::string why;       // e.g. "units 1 and 2 of hidden layer 1 are duplicates"
    kernel::Vector direction;
};

// Candidate lines through p (at most `max_lines`), in the order above.
std::vector<FlatLine> propose_flat_lines(const kernel::Network& net, const kernel::Vector& p, std::size_t max_lines);

}  // namespace nncert::hints
