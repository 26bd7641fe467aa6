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

struct Row {  // one data row (inline: `x, ... -> y, ...`; CSV: one line of fields)
    SourceLoc loc;
    kernel::Vector x, y;
};

struct Data {
    SourceLoc loc;                    // the `data` keyword
    std::optional<std::string> file;  // data "points.csv"
    SourceLoc file_loc;
    std::vector<Row> rows;            // inline rows (empty for CSV until loaded)
};

struct LayerDecl {
    SourceLoc loc;
    std::size_t width = 0;
    kernel::Activation activation;
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
};

struct Claim {
    SourceLoc loc;  // the `claim` keyword
    kernel::ClaimKind kind = kernel::ClaimKind::loss;
    bool negated = false;
    std::string point, other;
    SourceLoc point_loc, other_loc;
    kernel::Rational value;
};

struct File {
    SourceLoc end;  // end of file: where missing blocks are reported
    int version = 0;
    std::optional<Data> data;
    std::optional<Network> network;
    std::optional<kernel::LossKind> loss;
    std::optional<kernel::Rational> threshold;
    std::vector<Point> points;
    std::vector<Claim> claims;
};

}  // namespace nncert::script::syntax
