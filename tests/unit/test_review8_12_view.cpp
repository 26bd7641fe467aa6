// Review r8-12 (issue 8): what a viewer shows is what is checked. F1 and F2: a non-ASCII file name on a line before a
// list or a claim (viewers draw its characters 0, 1 or 2 columns wide; a count that was right for one viewer let a
// number at the edge of another pass as "wholly past the edge", or hid the end of a claim). Now nothing but `weighted`
// and a comment may follow such a name on its line, and the forbidding rules count a non-ASCII character as its UTF-8
// bytes (at least 2). F3: TABs (drawn 1 to 8 columns wide) outside comments and in CSV files are `layout`. F8: lines
// without code inside an item count in screen rows of a viewer that wraps at 160 columns. F7: at most 8 blank lines
// between two CSV rows. The findings' scripts are tests/scripts/errors/layout-35..41.
#include "syntax_errors.hpp"
#include "util/unicode.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

using nncert::test::csv_error;
using nncert::test::script_error_at;

namespace {

std::string times(const std::string& s, std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += s;
    return out;
}

// A script whose line 2 is `line2` (a data line), then the network, loss, point and claim.
std::string script_with_line2(const std::string& line2) {
    return "nncert 1\n" + line2 +
           "\nnetwork { input 1 dense 1 identity }\nloss sse\npoint p { W1 = [[0]] b1 = [0] }\nclaim loss p = 0\n";
}

// F1's layout: line 2 is `line2` (a data line and the start of point p), the rest closes the point.
std::string point_after(const std::string& line2) {
    return "nncert 1\n" + line2 + "\n  b1 = [0] }\nnetwork { input 1 dense 1 identity }\nloss sse\nclaim loss p = 0\n";
}

// data {0 -> 10}, a point and `claim loss p = 0`, then `between` and `* 0 + 100` (F8's script).
std::string claim_continued_after(const std::string& between) {
    return "nncert 1\ndata { 0 -> 10 }\nnetwork { input 1 dense 1 identity }\nloss sse\npoint p { W1 = [[0]] b1 = [0] }\n"
           "claim loss p = 0" + between + "* 0 + 100\n";
}

const std::string cyrillic_d = "\xD0\xB4";     // U+0434, 2 bytes: 1 column in a Western locale, 2 in a CJK one
const std::string combining = "x\xCC\x81";     // x + U+0301: a combining accent, 0 columns in every viewer
const std::string hexagram = "\xE4\xB7\x80";   // U+4DC0, 3 bytes: 1 column by ICU, 2 by glibc's wcwidth

}  // namespace

BOOST_AUTO_TEST_SUITE(review8_12_view)

// F1: `data "NAME"` then a point's list on the same line. Before: the list's number at drawn column 160 counted
// as starting at column 220 (Cyrillic) or 246 (combining) and passed as wholly past the edge.
BOOST_AUTO_TEST_CASE(nothing_position_sensitive_follows_a_non_ascii_name) {
    for (const std::string& unit : {cyrillic_d, combining, hexagram}) {
        BOOST_TEST_CONTEXT(unit) {
            const std::string name = "data \"" + times(unit, 10) + ".csv\"";
            // The layout error stands at the first token after the name (column: code points, so 6 + 10 * k + 6).
            const std::size_t col = 6 + 10 * (unit == combining ? 2 : 1) + 7;
            BOOST_TEST(script_error_at(point_after(name + " point p { W1 = [[0]]")) ==
                       "layout:2:" + std::to_string(col));
            BOOST_TEST(script_error_at(point_after(name + " weighted point p { W1 = [[0]]")) ==
                       "layout:2:" + std::to_string(col + 9));
            BOOST_TEST(script_error_at("nncert 1\n" + name + " claim loss p = 1 + 1\n") ==
                       "layout:2:" + std::to_string(col));
            // The name alone, with `weighted`, with a comment: what may stand there.
            BOOST_TEST(script_error_at(script_with_line2(name)) == "");
            BOOST_TEST(script_error_at(script_with_line2(name + " weighted  # the last column is a weight")) == "");
            BOOST_TEST(script_error_at(point_after(name + "\npoint p { W1 = [[0]]")) == "");
        }
    }
    // The same layout with an ASCII name is the view rule's business, not this one's.
    BOOST_TEST(script_error_at(point_after("data \"d.csv\" point p { W1 = [[0]]")) == "");
}

// F2's other direction: the rules that forbid text past column 160 count a non-ASCII character as its UTF-8 bytes,
// at least 2 columns (glibc draws the 64 hexagrams 2 wide, ICU says 1; `cut -c` may count bytes).
BOOST_AUTO_TEST_CASE(forbidding_rules_count_non_ascii_at_its_widest) {
    namespace u = nncert::util;
    BOOST_TEST(u::display_columns('a') == 1);
    BOOST_TEST(u::display_columns(0x0434) == 2);   // Cyrillic (was 2: Ambiguous)
    BOOST_TEST(u::display_columns(0x0301) == 2);   // combining acute (was 2: Ambiguous)
    BOOST_TEST(u::display_columns(0x00E9) == 2);   // e acute (was 2: Ambiguous)
    BOOST_TEST(u::display_columns(0x4DC0) == 3);   // a hexagram (was 1)
    BOOST_TEST(u::display_columns(0x20AC) == 3);   // euro sign (was 2)
    BOOST_TEST(u::display_columns(0x1F600) == 4);  // an emoji (was 2)
    // `data "` (6) + 50 hexagrams + `.csv"` (5): 161 columns, past the edge (before: 61, accepted).
    BOOST_TEST(script_error_at(script_with_line2("data \"" + times(hexagram, 50) + ".csv\"")) == "layout:2:6");
    BOOST_TEST(script_error_at(script_with_line2("data \"" + times(hexagram, 49) + ".csv\"")) == "");
    // `weighted` after 48 hexagrams ends at column 6 + 144 + 5 + 9 = 164; after 46, at 158.
    BOOST_TEST(script_error_at(script_with_line2("data \"" + times(hexagram, 48) + ".csv\" weighted")) ==
               "layout:2:61");
    BOOST_TEST(script_error_at(script_with_line2("data \"" + times(hexagram, 46) + ".csv\" weighted")) == "");
}

// After a byte-order mark (drawn 0 to 8 columns wide) line 1 holds only `nncert 1`; in a CSV file, a data row on
// line 1 ends within column 152.
BOOST_AUTO_TEST_CASE(nothing_position_sensitive_follows_a_byte_order_mark) {
    const std::string bom = "\xEF\xBB\xBF";
    const std::string rest = script_with_line2("data { 0 -> 1 }").substr(9);  // after `nncert 1\n`
    BOOST_TEST(script_error_at(bom + "nncert 1\n" + rest) == "");
    BOOST_TEST(script_error_at(bom + "nncert 1  # version\n" + rest) == "");
    BOOST_TEST(script_error_at(bom + "nncert 1 " + rest) == "layout:1:10");
    BOOST_TEST(script_error_at("nncert 1 " + rest) == "");
    BOOST_TEST(csv_error(bom + times("0,", 75) + "10\n") == "");                // ends at column 152
    BOOST_TEST(csv_error(bom + times("0,", 75) + "100\n") == "layout:1:153");   // ends at column 153
    BOOST_TEST(csv_error(times("0,", 75) + "100\n") == "");                    // no mark: the view rule's business
    BOOST_TEST(csv_error(bom + "x" + times(",x", 80) + "\n" + times("0,", 80) + "1\n") == "");  // a long header
}

// F3: a TAB outside a comment, and anywhere in a CSV file, is `layout` (before: tab stops every 8 columns, which
// neither `cut -c` nor tab-size-4 editors follow, so a number at their column 160 counted as wholly past it).
BOOST_AUTO_TEST_CASE(tabs_outside_comments_are_layout) {
    const std::string ok = script_with_line2("data { 0 -> 1 }");
    BOOST_TEST(script_error_at(ok) == "");
    BOOST_TEST(script_error_at("nncert 1\n\tdata { 0 -> 1 }\n") == "layout:2:1");
    BOOST_TEST(script_error_at("nncert 1\ndata {\t0 -> 1 }\n") == "layout:2:7");
    BOOST_TEST(script_error_at("nncert 1\ndata { 0 -> 1 }\t# rows\n") == "layout:2:16");
    BOOST_TEST(script_error_at("nncert 1\ndata { 0 -> 1 }\t\n") == "layout:2:16");
    BOOST_TEST(script_error_at("nncert 1  # a\tb\n# \tindented note\n" + ok.substr(9)) == "");  // in comments
    // F3's row: `00,<TAB>` 38 times, the target at character 160.
    BOOST_TEST(script_error_at("nncert 1\ndata {\n  " + times("00,\t", 37) + "00      -> 1e-999\n}\n") ==
               "layout:3:6");
    BOOST_TEST(csv_error("0,\t1\n") == "layout:1:3");
    BOOST_TEST(csv_error("0,1\t\n") == "layout:1:4");
    BOOST_TEST(csv_error("x_in,\ty_out\n1,1\n") == "layout:1:6");  // a header too
    BOOST_TEST(csv_error(times("00,\t", 37) + "00,      1e-999\n") == "layout:1:4");
}

// F8: lines without code inside an item count as max(1, ceil(width / 160)) screen rows, and so do the rows after
// the previous token on its own line; at most 8.
BOOST_AUTO_TEST_CASE(far_below_counts_screen_rows) {
    const std::string comment_4000 = "# " + std::string(3998, 'c') + "\n";
    BOOST_TEST(script_error_at(claim_continued_after("\n" + times(comment_4000, 8))) == "layout:15:1");
    BOOST_TEST(script_error_at(claim_continued_after("\n" + times(std::string(10000, ' ') + "\n", 8))) ==
               "layout:15:1");
    BOOST_TEST(script_error_at(claim_continued_after("\n" + times("# note\n", 8))) == "");  // 8 rows
    BOOST_TEST(script_error_at(claim_continued_after("\n" + times("# note\n", 9))) == "layout:16:1");
    // One line of 1,280 columns is 8 rows; 1,281 are 9 (a CRLF's CR is not drawn).
    BOOST_TEST(script_error_at(claim_continued_after("\n" + std::string(1280, ' ') + "\n")) == "");
    BOOST_TEST(script_error_at(claim_continued_after("\n" + std::string(1280, ' ') + "\r\n")) == "");
    BOOST_TEST(script_error_at(claim_continued_after("\n" + std::string(1281, ' ') + "\n")) == "layout:8:1");
    BOOST_TEST(script_error_at(claim_continued_after("\n# " + std::string(1279, 'c') + "\n")) == "layout:8:1");
    // After code on its line: `claim loss p = 0` (16 columns) and a comment up to column 1,440 (9 rows, the first
    // the claim's) leave 8 rows; one column more is 9.
    BOOST_TEST(script_error_at(claim_continued_after(" #" + std::string(1422, 'c') + "\n")) == "");
    BOOST_TEST(script_error_at(claim_continued_after(" #" + std::string(1423, 'c') + "\n")) == "layout:7:1");
    BOOST_TEST(script_error_at(claim_continued_after(std::string(1424, ' ') + "\n")) == "");
    BOOST_TEST(script_error_at(claim_continued_after(std::string(1425, ' ') + "\n")) == "layout:7:1");
    // Long lists are not quiet: a data row of 1,600 columns, then the next row.
    BOOST_TEST(script_error_at("nncert 1\ndata {\n  " + times("0, ", 532) + "0 -> 1\n  0 -> 1\n}\n") == "");
    // Between items any gap stays allowed.
    BOOST_TEST(script_error_at(claim_continued_after("\n* 0\n" + times(comment_4000, 20) + "claim loss p = 0\n")) ==
               "");
}

// F7: at most 8 blank lines (in screen rows, as in a script) between two CSV rows; blank lines at the end stay allowed.
BOOST_AUTO_TEST_CASE(csv_rows_far_below) {
    BOOST_TEST(csv_error("0,0\n" + times("\n", 400) + "0,5\n") == "layout:402:1");
    BOOST_TEST(csv_error("0,0\n" + times("\n", 9) + "0,5\n") == "layout:11:1");
    BOOST_TEST(csv_error("0,0\n" + times("\n", 8) + "0,5\n") == "");
    BOOST_TEST(csv_error("0,0\n" + times("\r\n", 8) + "  0,5\n") == "");
    BOOST_TEST(csv_error("0,0\n" + times("\r\n", 9) + "  0,5\n") == "layout:11:3");
    BOOST_TEST(csv_error("x,y\n" + times("\n", 9) + "0,5\n") == "layout:11:1");  // after a header too
    BOOST_TEST(csv_error("0,0\n0,5\n" + times("\n", 400)) == "");                 // at the end
    BOOST_TEST(csv_error(times("\n", 20) + "0,0\n0,5\n") == "");                  // before the first row
    BOOST_TEST(csv_error("0,0\n" + std::string(1281, ' ') + "\n0,5\n") == "layout:3:1");
    BOOST_TEST(csv_error("0,0\n" + std::string(1280, ' ') + "\n0,5\n") == "");
    BOOST_TEST(csv_error("0,0" + std::string(1440, ' ') + "\n0,5\n") == "layout:2:1");  // 9 rows after the row's
    BOOST_TEST(csv_error("0,0" + std::string(1437, ' ') + "\n0,5\n") == "");
    BOOST_TEST(csv_error(times("0, ", 600) + "0\n0,5\n") == "");  // a long row is not blank
}

BOOST_AUTO_TEST_SUITE_END()

// F12: a CSV row wider than the shape stops at its first extra field (a bad field after it is never read), with the
// code a well-formed row of that width had when read whole: `dimension`, or `csv` for a first data row wider than
// its header. A first row whose first field is a name (maybe a header) is read whole, as before.
BOOST_AUTO_TEST_SUITE(review8_12_csv_shape)

namespace {
std::string shaped_error(const std::string& text, std::size_t fields) {
    try {
        nncert::script::parse_csv(text, "d.csv", nullptr, {fields, "1 input + 1 target = 2"});
        return "";
    } catch (const nncert::script::ParseError& e) {
        return e.code + ":" + std::to_string(e.loc.line) + ":" + std::to_string(e.loc.col);
    }
}
}  // namespace

BOOST_AUTO_TEST_CASE(a_wide_row_stops_at_its_first_extra_field) {
    const std::string wide = times("0,", 200000) + "x\n";  // read whole, `x` is error csv at its column
    BOOST_TEST(csv_error("0,0\n" + wide) == "csv:2:400001");
    BOOST_TEST(shaped_error("0,0\n" + wide, 2) == "dimension:2:1");
    BOOST_TEST(shaped_error(wide, 2) == "dimension:1:1");             // a first row that is data
    BOOST_TEST(shaped_error("0,0\n0,0\n", 2) == "");
    BOOST_TEST(shaped_error("0,0\n0\n", 2) == "");                      // narrower rows: the caller's check
    // A first row that may be a header is read whole; the first data row after it stops at the header's width.
    BOOST_TEST(shaped_error("x,y,z\n0,0,0\n", 2) == "");               // resolve's dimension error, as before
    BOOST_TEST(shaped_error("x,y\n" + wide, 2) == "csv:1:1");
    BOOST_TEST(shaped_error("x,y,1\n0,0\n", 2) == "csv:1:1");          // not a header: data read whole, `x` bad
    std::optional<std::string> header;
    BOOST_TEST(nncert::script::parse_csv("x,y\n0,0\n", "d.csv", &header, {2, ""}).size() == 1u);
    BOOST_TEST(header.value_or("") == "x,y");
}

BOOST_AUTO_TEST_SUITE_END()
