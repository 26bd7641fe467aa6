// `nncert import` (UNTRUSTED): writes a complete proof script from the files a PyTorch/NumPy user has:
// weights in safetensors or .npz, data in .npz, .npy or CSV, activations and loss from options.
// Every float converts exactly (a dyadic rational) unless --digits asks for rounding; the script it writes
// is parsed back before it is printed, and `nncert check` decides it from scratch.
#pragma once

#include "kernel/number.hpp"

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace nncert::import {

struct ImportOptions {
    std::string weights;                       // .safetensors, .npz
    std::vector<std::string> layers;           // --layers fc1,fc2: module names (reads NAME.weight, NAME.bias)
    std::vector<std::pair<std::string, std::string>> names;  // --names W1=KEY,b1=KEY,...
    std::vector<std::string> ignore;           // tensors to leave out on purpose
    std::string data, targets;                 // --data (.npz/.npy/.csv), --targets (.npy, with a .npy --data)
    std::string x_key, y_key, weight_key;      // keys inside a data .npz; --row-weights KEY or FILE.npy
    std::vector<std::string> activations;      // hidden activations: one for all, or one per hidden layer
    std::string output = "";                   // output activation (default identity; sigmoid with bce)
    std::string loss = "mse";
    std::string weight_decay;                  // lambda, as an exact number's text
    std::string point = "trained";
    enum class Numbers { exact_decimal, hex, rounded } numbers = Numbers::exact_decimal;
    unsigned digits = 0;                       // with Numbers::rounded
    std::vector<std::string> claims;           // claim texts (after `claim`); defaults when empty
    std::optional<unsigned> precision;
};

// The whole script text. Throws ImportError (bad or inconsistent files) or std::invalid_argument (bad options).
std::string import_script(const ImportOptions& options);

// `args` are the words after `nncert import`. Exit codes: 0 written; 2 unreadable, inconsistent or too
// large input files (docs/limits.md, "nncert import"); 4 bad command line, including options that make the
// written script unreadable (an unknown activation, a malformed --claim).
int run_import(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace nncert::import
