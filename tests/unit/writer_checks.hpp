// Checks of what a writer (print, construct, import, snap, refine) wrote: the view rule's lines and the read-back.
#pragma once

#include "script/lexer.hpp"
#include "script/script.hpp"
#include "script/wrap.hpp"

#include <sstream>
#include <string>

namespace nncert::test {

// The first line of `text` that runs past column 160 where a break could stand (a line that is one long word
// after its indentation may run past it), cut to 200 characters; "" when there is none.
inline std::string line_past_the_edge(const std::string& text) {
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (script::columns_after(0, line) <= script::view_width) continue;
        const std::size_t b = line.find_first_not_of(' ');
        if (b == std::string::npos || line.find(' ', b) <= script::view_width) return line.substr(0, 200);
    }
    return "";
}

// The script read back from a writer's text: "" when it reads, else the error ("code at line:col: message").
inline std::string read_error(const std::string& text, const std::string& base = ".") {
    try {
        script::parse_text(text, "<written>", base);
        return "";
    } catch (const script::ParseError& e) {
        return e.format();
    }
}

}  // namespace nncert::test
