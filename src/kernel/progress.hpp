// Progress reports from long kernel computations (Hessians, eliminations), delivered to a callback the
// caller supplies: the kernel itself does no I/O. A report is advisory and never affects a verdict.
#pragma once

#include <cstddef>
#include <functional>
#include <string_view>

namespace nncert::kernel {

using Progress = std::function<void(std::string_view stage, std::size_t done, std::size_t total)>;

inline void report(const Progress* p, std::string_view stage, std::size_t done, std::size_t total) {
    if (p && *p) (*p)(stage, done, total);
}

}  // namespace nncert::kernel
