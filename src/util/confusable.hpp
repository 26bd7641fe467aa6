// File names that could pass for other file names: Unicode normal forms, mixed scripts and ASCII look-alikes,
// decided by ICU's implementation of Unicode Technical Standard #39 ("Unicode Security Mechanisms").
// Used by the script gate (Lexer::string): a quoted file name is the only place a script may hold
// non-ASCII text that is not a comment, and the file it names decides what a verdict means.
#pragma once

#include <string>
#include <string_view>

namespace nncert::util {

// Why the file name `utf8` (valid UTF-8, already free of controls, invisible, right-to-left and
// font-dependent characters: the lexer rejects those first) could be read as another name, or "" when it
// cannot. ASCII names always pass. A non-ASCII name is rejected when
//   1. it is not in normal form NFC (a decomposed "e" + U+0301 shows exactly as the composed "é", but the
//      file system treats the two as different files);
//   2. a piece of it between '/' and '.' mixes scripts beyond UTS #39's "highly restrictive" level (one
//      script, or Latin with Han and Japanese kana, or Latin with Han and Hangul, or Latin with Han and
//      Bopomofo): "dаta.csv" with a Cyrillic "а" mixes Latin and Cyrillic in "dаta", while "данные.csv"
//      and "données/данные.csv" pass; or a piece mixes digits of different decimal systems;
//   3. a non-ASCII piece between '/' and '.' has an ASCII confusable skeleton (UTS #39, section 4): then the
//      piece looks like that ASCII text, and the name like another file's ("сор.csv" in Cyrillic letters,
//      "data‐1.csv" with U+2010 HYPHEN, "é/сор.csv"). The skeleton of an ASCII string is ASCII and skeletons
//      are idempotent, so this rejects exactly the pieces confusable with ASCII text.
// Names confusable with other non-ASCII names in one script (rare) are not detected; every report escapes
// non-ASCII characters (escape_for_display), which shows the difference.
// Throws std::runtime_error if ICU cannot load its data.
std::string confusable_name_problem(std::string_view utf8);

// Whether the file name `file_name` (one path component, any bytes) could be read as a script's name ending in
// ".nnc" (any case) in a listing: after dropping every invisible character (is_invisible: zero-width and format
// characters, spaces other than U+0020), control, bidi control, odd line terminator, font-dependent code point and
// byte that is not UTF-8 anywhere in it, then the blanks (U+0020, TAB) at its end, then folding case and mapping
// look-alikes to one form (the UTS #39 skeleton, as above), it ends in ".nnc" in any case. True for "t.nnc",
// "t.nnс" (Cyrillic U+0441), "t.nnc " (trailing space), "t.nnc" + U+200B, "t.nnｃ" (fullwidth U+FF43), ".nnc".
// The folder walk (util::find_scripts) reports such an entry that is not itself a script name as an error
// instead of skipping it silently (review r8-12 F4). Throws std::runtime_error if ICU cannot load its data.
bool looks_like_script_name(std::string_view file_name);

}  // namespace nncert::util
