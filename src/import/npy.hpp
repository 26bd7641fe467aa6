// NumPy's .npy format (format versions 1.0, 2.0, 3.0): a magic string, a header that is a Python literal
// dict {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }, then the raw elements.
#pragma once

#include "import/tensor.hpp"

#include <string>

namespace nncert::import {

// Parses a whole .npy file held in `bytes`; `what` names it in errors (a path, or "archive.npz:name").
// Simple numeric dtypes only (f2 f4 f8, i1..i8, u1..u8, b1; '<', '>', '|' or '='); Fortran order is
// transposed to C order. Throws ImportError with a precise message on anything else.
// The elements are counted in `budget` (when given) before they are decoded.
Tensor parse_npy(const std::string& bytes, const std::string& what, ElementBudget* budget = nullptr);

}  // namespace nncert::import
