// Section 3.2 of Swirszcz, Czarnecki, Pascanu in R^d: datasets on which a one-hidden-layer ReLU network has
// local minima that fit different regions of the input space exactly, written out as a proof script. Untrusted.
#pragma once

#include "kernel/model.hpp"
#include "kernel/number.hpp"
#include "tools/rational_linear_algebra.hpp"

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace nncert::tools {

// The options do not describe a construction (also thrown when no instance passes the checks).
struct PartitionError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// swap: example 3's mechanism. Every region's labels are an affine function plus F ReLU folds; a region fitted
//   with 1 unit gets its affine least-squares fit, with 1 + F units an exact fit. The two points give the spare
//   units to different regions.
// blind_spot: example 2's mechanism. Region 1's labels are c0 + beta relu(g): flat at the level c0 on one side
//   of the fold g. The better point fits it exactly by the fold unit and the output bias c0, leaving the flat
//   side's data points with every unit off (a blind spot); the bad point has no blind spot.
enum class PartitionFamily { swap, blind_spot };

// Documented size limits (docs/paper.md, `construct partition --help`).
struct PartitionLimits {
    static constexpr std::size_t max_dim = 16;
    static constexpr std::size_t max_folds = 4;
    static constexpr std::size_t max_points = 100;  // per region
    static constexpr std::size_t max_units = 64;
};

struct PartitionOptions {
    std::size_t dim = 0;      // d >= 1: input dimension
    std::size_t regions = 2;  // M, 2 <= M <= d + 1
    std::size_t folds = 1;    // F folds per region (blind_spot: 1)
    std::size_t units = 0;    // k hidden units; 0: the default (swap: M + F, blind_spot: M)
    std::size_t points = 0;   // data points per region; 0: the default d + 2 + F
    std::size_t kinks = 0;    // data points placed exactly on fold hyperplanes (at most one per fold)
    std::size_t hidden_layers = 1;  // 1, or 2: a second relu layer (width k) that mixes the units, on at every row
    PartitionFamily family = PartitionFamily::swap;
    std::uint64_t seed = 1;
};

// Fills the defaults and checks every option against the limits; throws PartitionError saying what is wrong.
PartitionOptions resolve_options(PartitionOptions o);

// One hidden unit of a point: out * relu(pre(x)). `region` is the region it serves; role as in the header.
enum class UnitRole { affine, fold, copy };
struct PartitionUnit {
    AffineMap pre;
    kernel::Rational out;
    std::size_t region = 0;
    UnitRole role = UnitRole::affine;
};

struct PartitionPoint {
    std::vector<std::size_t> units_per_region;
    std::vector<bool> exact;             // region fitted exactly (else: by its affine least-squares fit)
    std::vector<PartitionUnit> units;
    kernel::Rational output_bias;
    kernel::Rational loss;
    std::vector<std::pair<std::size_t, std::size_t>> kinks;  // (data row, unit), 0-based, pre-activation 0
    std::vector<std::size_t> blind_spots;                     // data rows where every unit's pre-activation < 0
};

struct PartitionRegion {
    std::vector<std::size_t> rows;        // data rows of this region (0-based)
    AffineMap separator;                  // > 0 on this region's rows, < 0 on every other row
    std::vector<AffineMap> folds;         // > 0 on some rows of the region, < 0 on others and on every other row
    kernel::Vector fold_weights;          // beta_f
    std::vector<std::size_t> kink_rows;   // rows on a fold (pre-activation exactly 0)
    bool has_affine_part = true;          // blind_spot: region 1 is c0 + beta relu(g), without one
    AffineMap affine_part;                // labels minus c0 minus the folds (0 when !has_affine_part)
    AffineMap fold_fit;                   // affine least-squares fit of sum_f beta_f relu(g_f) on the region
    kernel::Rational residual;            // E_r: that fit's residual sum of squares
};

struct PartitionConstruction {
    PartitionOptions options;  // resolved
    std::vector<kernel::Sample> data;
    std::vector<std::size_t> region_of;  // per data row
    std::vector<PartitionRegion> regions;
    kernel::Rational label_offset;       // c0
    std::vector<std::vector<long>> A;    // x = A z + offset, A unimodular (integer, det +-1)
    kernel::Vector offset;
    long simplex_scale = 0, jitter = 0;  // cluster r: z = s e_r (e_0 = 0) plus integer jitter in [-J, J]^d
    PartitionPoint bad, better;
    std::size_t attempts = 0;            // draws until every check passed
};

// Draws an instance from the seed and checks it exactly (every unit's sign on every row, the kinks, the
// losses, the blind spots, general position as in partition_construction.cpp); redraws up to 200 times, then
// throws PartitionError listing why the draws failed.
PartitionConstruction build_partition(const PartitionOptions& options);

struct PartitionNames {
    std::string bad = "bad", better = "better";
    std::string command;  // the command line, for the script's header ("" to omit)
};

// The proof script: header comment, data, network, loss sse, the two points, their claims. Deterministic.
// With two hidden layers the second is relu(Q h + 1) with Q = I + 1 1^T (every entry positive, so its input is
// >= 1 at every row: never off, never on a kink) and the output applies v^T Q^{-1} (h - 1) + c, so the network
// computes exactly the one-hidden-layer point's function.
std::string render_partition_script(const PartitionConstruction& c, const PartitionNames& names = {});

// The network output of a point at x (exact).
kernel::Rational partition_output(const PartitionPoint& p, const kernel::Vector& x);

}  // namespace nncert::tools
