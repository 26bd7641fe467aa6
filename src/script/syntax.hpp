// The syntax tree of one script: what was written, with positions, before names are resolved.
// The parser fills it; resolve.cpp turns it into kernel data (blocks may come in any order).
#pragma once

#include "kernel/claim.hpp"
#include "kernel/model.hpp"
#include "script/source.hpp"

#include <optional>
#include <string>
#include <vector>

namespace nncert::script::syntax {

struct Row {  // one data row (inline: `x, ... -> y, ... [weight w]`; CSV: one line of fields)
    SourceLoc loc;
    kernel::Vector x, y;
    kernel::Rational weight = 1;
};

struct Data {
    SourceLoc loc;                    // the `data` keyword
    std::optional<std::string> file;  // data "points.csv"
    SourceLoc file_loc;
    bool weighted = false;            // data "points.csv" weighted: each CSV row ends with its weight
    std::vector<Row> rows;            // inline rows (empty for CSV until loaded)
};

struct LayerDecl {
    SourceLoc loc;
    std::size_t width = 0;
    kernel::Activation activation;
    bool bias = true;  // false after `nobias`
};

struct Network {
    SourceLoc loc;
    std::size_t input_dim = 0;
    std::vector<LayerDecl> layers;
};

struct ArrayRow {
    SourceLoc loc;  // its '['
    kernel::Vector values;
};

struct Array {  // [a, b] (one row, is_matrix false) or [[a, b], [c, d]]
    SourceLoc loc;
    bool is_matrix = false;
    std::vector<ArrayRow> rows;
};

struct Param {
    SourceLoc loc;
    char letter = 'W';      // 'W' or 'b'
    std::size_t layer = 0;  // 1-based as written
    Array value;
};

struct Point {
    SourceLoc loc;  // its name token: where a missing parameter is reported
    std::string name;
    std::vector<Param> params;
    std::size_t body_begin = 0, body_end = 0;  // byte span of `{ ... }` (nncert refine rewrites it)
};

// One line of a region block: `W1[2,1] in [lo, hi]` (one entry), `b1 in [lo, hi]` (every entry of b1).
struct RegionEntry {
    SourceLoc loc;          // the parameter name
    char letter = 'W';
    std::size_t layer = 0;  // 1-based as written
    std::size_t row = 0, col = 0;  // 1-based entry (W: row and column; b: row); 0 = every entry
    std::optional<kernel::Rational> lo, hi;  // absent: -inf / inf
    SourceLoc range_loc;    // its '['
};

// `region NAME { [around P radius r] entries }`: a box of parameters (ends may be infinite).
struct Region {
    SourceLoc loc;  // its name
    std::string name;
    std::optional<std::string> around;  // the centre point of the default ranges [P_k - r, P_k + r]
    SourceLoc around_loc;
    kernel::Rational radius;
    std::vector<RegionEntry> entries;
};

struct Claim {
    SourceLoc loc;  // the `claim` keyword
    kernel::ClaimKind kind = kernel::ClaimKind::loss;
    bool negated = false;
    std::string point, other;
    SourceLoc point_loc, other_loc;
    kernel::Rational value;
    // `within R`: the box claim; its expression's byte span (nncert refine rewrites it).
    std::optional<kernel::Rational> radius;
    std::size_t radius_begin = 0, radius_end = 0;
    // `loss P [within R] in [a, b]`: a range claim; an absent end is -inf / inf.
    bool range = false;
    std::optional<kernel::Rational> lower, upper;
    // `local_min P along d1, d2`: names of direction blocks, the curve P + t d1 + t^2 d2 + ... (a hint).
    std::vector<std::string> along;
    std::vector<SourceLoc> along_locs;
    std::string written;  // the claim's text after `claim` as written (comments dropped, spaces collapsed)
    // `trap P in R`, `accuracy P in R <= q`, `local_min P in R`: the region's name.
    std::string region;
    SourceLoc region_loc;
    // `trap P ... layer d [steps e]`.
    std::optional<kernel::Rational> layer, steps;
    SourceLoc layer_loc, steps_loc;
};

struct File {
    SourceLoc end;  // end of file: where missing blocks are reported
    int version = 0;
    std::optional<Data> data;
    std::optional<Network> network;
    std::optional<kernel::LossKind> loss;
    SourceLoc loss_loc;  // the loss name (where `bce` without a sigmoid output is reported)
    kernel::Rational weight_decay;  // `loss ... + l2(lambda)`: lambda (0 when absent)
    std::optional<kernel::Rational> threshold;
    std::optional<unsigned> precision;  // `precision BITS`
    std::optional<std::size_t> max_boxes;  // `max_boxes N`
    std::vector<Point> points;
    std::vector<Region> regions;
    std::vector<Point> directions;  // `direction NAME { ... }`: parameters not given are 0
    std::vector<Claim> claims;
};

}  // namespace nncert::script::syntax
