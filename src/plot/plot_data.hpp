// `nncert plot`: the numbers a figure shows, computed by the kernel from a parsed script and exported as
// JSON for the shipped matplotlib renderer (plot/nncert_plot.py). Untrusted presentation code: the only
// certified numbers are the segment band's (kernel::loss_bounds_along_segment, exact rational ends, written
// rounded outward); curves and grids are the kernel's exact values (exact problems) or the midpoints of its
// interval enclosures (transcendental ones), rounded to doubles for drawing.
#pragma once

#include "kernel/number.hpp"
#include "script/script.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace nncert::plot {

// A request that does not fit the script (unknown point, a kind that needs another network shape, ...).
struct PlotError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

enum class Kind { fits, regions, segment, slice, trap };

struct Request {
    Kind kind = Kind::fits;
    std::vector<std::string> points;  // fits, regions: points to draw (every point when empty)
    // fits: the drawn part of the input space, x_min, x_max (1 input) or x1_min, x1_max, x2_min, x2_max (2 inputs);
    // empty: the data's range padded by 10%.
    std::vector<kernel::Rational> window;
    std::string from, to;             // segment: P and Q
    std::string centre;               // slice: P
    std::string dir1, dir2;           // slice: a point D (direction D - P) or a parameter name (W1[1,2], b2[1])
    kernel::Rational span = 1;        // slice: the square [-span, span]^2 of direction coefficients
    std::string region;               // trap: the region R (a `region` block), or empty with `within`
    std::optional<kernel::Rational> within;  // trap: the cube of radius r around P instead of a region
    std::optional<kernel::Rational> layer;   // trap: boundary layer thickness d (faces become slabs)
    std::size_t max_boxes = 20000;    // trap: branch-and-bound budget per face
    // trap: no face's branch and bound assesses a box after this time (set from --timeout minus a margin,
    // runtime::kernel_time_budget): a face it stops is `undecided` with `stopped_by`, not a lost figure.
    std::optional<std::chrono::steady_clock::time_point> deadline;
    std::size_t pieces = 64;          // segment: sub-segments of the certified band
    std::size_t samples = 0;          // curve / grid resolution; 0: the kind's default
    unsigned precision_bits = 128;    // interval engine precision (band, transcendental values)
    std::string title;
};

// "fits" -> Kind::fits, ...; throws PlotError for anything else.
Kind parse_kind(const std::string& name);
std::string kind_name(Kind k);

// The JSON document the renderer reads ("nncert_plot": 1, "kind", and the kind's arrays; see docs/plot.md).
nlohmann::json plot_data(const script::Script& s, const std::string& sha256, const Request& r);

}  // namespace nncert::plot
