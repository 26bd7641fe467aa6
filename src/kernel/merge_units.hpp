// Merging identical hidden units at one parameter point: a smaller network computing the same function.
// Used only for values (loss, outputs) at a point, never for derivatives or boxes (docs/certificates.md).
#pragma once

#include "kernel/model.hpp"

#include <cstddef>

namespace nncert::kernel {

struct MergedNetwork {
    Network net;           // same input, output and activations; hidden layers possibly narrower
    Vector params;         // net's parameters
    std::size_t merged = 0;  // units removed (0: net and params are the originals)
};

// Within each hidden layer (never the output layer), units whose incoming weights and bias are exactly equal
// at `params` compute the same value a_u = a_v on every input; they are replaced by one unit whose outgoing
// weights are the sums of theirs (W'[k, u] = W[k, u] + W[k, v]). Layers are processed from the first, so units
// that become identical once the previous layer's columns are summed merge too. For every input x,
// f(merged.params, x) = f(params, x) (the identity is exact algebra, for every activation). The parameter
// vector is different: a weight decay must be computed from the original parameters.
MergedNetwork merge_identical_units(const Network& net, const Vector& params);

}  // namespace nncert::kernel
