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

// Product of the dimensions; ImportError if it overflows or exceeds `limit` elements.
std::size_t element_count(const std::vector<std::size_t>& shape, const std::string& what,
                          std::size_t limit = std::size_t(1) << 31);

using TensorMap = std::map<std::string, Tensor>;

// A whole file of named tensors, by extension: .safetensors, .npz; or a single .npy as the name "" .
TensorMap read_tensor_file(const std::string& path);

}  // namespace nncert::import
