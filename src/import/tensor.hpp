// Tensors read from NumPy (.npy, .npz) and safetensors files, converted to exact rationals.
// Untrusted front end: the values become script text that the checker parses again.
#pragma once

#include "kernel/number.hpp"

#include <cstddef>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace nncert::import {

// A bad or unsupported file: the message names the file (and the tensor) and says what is wrong.
struct ImportError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Element types we read. Every value of a binary float type is a dyadic rational and converts exactly.
enum class DType { f16, bf16, f32, f64, i8, i16, i32, i64, u8, u16, u32, u64, boolean };

struct Tensor {
    DType dtype = DType::f64;
    std::vector<std::size_t> shape;  // row-major (C order) after reading; () is a scalar
    kernel::Vector values;           // prod(shape) entries, exact
    std::size_t size() const { return values.size(); }
};

std::string to_string(DType t);
bool is_float(DType t);
std::size_t byte_size(DType t);
std::string shape_text(const std::vector<std::size_t>& shape);  // "(4, 1)"

// Exact value of `count` elements of type t stored little- or big-endian at p (a raw buffer). Throws
// ImportError on NaN or infinity (no rational value), naming `what` and the flat index.
kernel::Vector decode(const unsigned char* p, std::size_t count, DType t, bool little_endian, const std::string& what);

// The import limits (docs/limits.md, "nncert import"). A script nncert check reads is at most 64 MiB, and
// every number in it takes at least two bytes, so no checkable script holds more than a few million numbers:
// larger inputs are refused before anything is allocated for them (an .npz of zeros can declare gigabytes).
constexpr std::size_t max_import_elements = std::size_t(1) << 23;         // 8,388,608 elements in one import
constexpr std::size_t max_tensor_file_bytes = (std::size_t(1) << 26) + (std::size_t(1) << 24);  // 80 MiB per file or .npz member
constexpr std::size_t max_import_script_bytes = std::size_t(1) << 26;    // 64 MiB: util::read_file's default

// Elements decoded so far in one import, against max_import_elements (all files together).
class ElementBudget {
public:
    // Counts n more elements of tensor `what`; ImportError (naming the limit) when the total passes the cap.
    void take(std::size_t n, const std::string& what);
    std::size_t used() const { return used_; }

private:
    std::size_t used_ = 0;
};

// Product of the dimensions; ImportError if it overflows or exceeds `limit` elements.
std::size_t element_count(const std::vector<std::size_t>& shape, const std::string& what,
                          std::size_t limit = max_import_elements);

using TensorMap = std::map<std::string, Tensor>;

// A whole file of named tensors, by extension: .safetensors, .npz; or a single .npy as the name "" .
// Regular files of at most max_tensor_file_bytes (each .npz member too, by its declared size before it is
// inflated); every tensor's elements are counted in `budget` before they are decoded.
TensorMap read_tensor_file(const std::string& path, ElementBudget& budget);
TensorMap read_tensor_file(const std::string& path);  // with a budget of its own

}  // namespace nncert::import
