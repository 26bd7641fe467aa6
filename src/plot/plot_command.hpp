// `nncert plot KIND SCRIPT -o FILE`: exports the kernel's numbers for one figure as JSON and runs the shipped
// matplotlib renderer (nncert_plot.py, Debian python3-matplotlib) on them. Untrusted presentation.
#pragma once

#include "plot/plot_data.hpp"

#include <cstddef>
#include <string>

namespace nncert::plot {

struct Options {
    Request request;
    std::string script;      // the proof script
    std::string output;      // FILE.png | FILE.svg | FILE.pdf, or FILE.json: the exported numbers only
    std::string python;      // interpreter; empty: $NNCERT_PYTHON, else /usr/bin/python3
    std::string renderer;    // nncert_plot.py; empty: located (plot_command.cpp, renderer_path)
    std::string data_json;   // also keep the exported numbers here (optional)
    unsigned timeout_seconds = 600;     // --timeout S: wall-clock seconds for reading, for computing the numbers,
                                        // and for the renderer, each (0: none)
    std::size_t max_memory_mib = 4096;  // --max-memory MIB: memory for each of them (0: none)
};

// Exit codes: 0 written; 2 malformed or unreadable script, the renderer failed, or a file could not be
// written; 3 the numbers or the renderer were stopped by --timeout or --max-memory (nothing written, or a
// figure that may be incomplete); 4 the request does not
// fit the script (unknown point, wrong network shape, unknown output format, an output that cannot be
// written or that is the script itself). Messages go to stderr, one line each.
int run_plot(const Options& options);

// Where the renderer is: $NNCERT_PLOT_SCRIPT, else <dir of the nncert binary>/../share/nncert/nncert_plot.py
// (an installed nncert), else the source tree's plot/nncert_plot.py (a build tree). Empty when none exists.
std::string renderer_path();

}  // namespace nncert::plot
