// Line breaking for every writer of script text (`nncert print`, construct, import, snap, refine, search,
// propose-trap): the view rule (docs/format.md, "Characters") holds what a reader sees of a line to its first
// view_width columns, and the width rule lets a line hold only more list values after a literal longer than
// literal_view characters, so written lines keep both wherever a line break is allowed.
#pragma once

#include <string>

namespace nncert::script {

// `text` with every line wider than view_width display columns (lexer.hpp; a tab to the next multiple of 8, a wide
// character two) broken at its blanks, a continuation indented 4 more than its line (less when a word that fits a
// line, such as a quoted file name of up to 160 columns, would otherwise end past the edge). A line breaks too
// before a word that may not follow a literal longer than literal_view earlier on its line (the width rule,
// lexer.hpp: may_follow_long_literal; `0.000...01, 1/3`: the '/' goes to the next line). Outside a data row a line
// break may stand between any two tokens; with `rows` every line is a data row, which goes on to the next line only
// after a token it cannot end with (',', '->', an operator, '(' or `weight`: cursor.hpp, row_goes_on_after) that
// ends within view_width, so a row is broken only there and not at all once it has run past the edge (a writer
// keeps such a row to list values: import writes a row's numbers in short form when it has a weight or a fraction).
// A quoted file name is never broken; a comment (from a '#' that starts a word to the line's end) is continued on
// lines that start with `#`. A word wider than the room left starts a line of its own: a number wider than that is
// written by the tools as a decimal whose point stays in view (the view rule lets its fraction digits run past the
// edge) or as number_text's 64-digit pieces (words of their own). A line that needs no break is returned as it is.
std::string wrap_lines(const std::string& text, bool rows = false);

// The display column (0-based) after `text` (one line) written from display column `col`, counted as the lexer
// counts: a tab to the next multiple of 8, a wide character two (docs/format.md, "Characters").
std::size_t columns_after(std::size_t col, const std::string& text);

// A script (or a part of one: a point's body) as the tools write it: the lines between a line `data {` and the
// next line `}` are data rows, every other line is broken anywhere (wrap_lines).
std::string wrap_script(const std::string& text);

}  // namespace nncert::script
