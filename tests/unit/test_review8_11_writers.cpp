// Review r8-11 of issue #8, F1, F2, F5 and F6 (session 30, helper writers): every writer's output reads back.
// F1: `nncert print` wrote `data "FILE" weighted` on one line, past column 160 for a long name. F2: refine wrote a
// longer radius into a claim line without breaking it (internal error, exit 5). F5: import wrote a float row weight
// such as 1e-100 as its 389-character exact decimal after `weight`. F6: import put `*`, `/` or `(` after an exact
// decimal longer than 64 characters on its line (the width rule); both ended in "the options give a script nncert
// cannot read", exit 4. Now the shared line breaker (script/wrap.hpp) keeps the width rule as well as the view rule,
// print breaks its data line, refine re-breaks a line its radius pushes past the edge, import writes a row in short
// form when it holds a weight or a fraction, and an unreadable script made from the files is an input error (exit 2).
#include "process.hpp"
#include "script_compare.hpp"
#include "syntax_errors.hpp"
#include "test_paths.hpp"
#include "writer_checks.hpp"
#include "import/import_command.hpp"
#include "import/number_text.hpp"
#include "script/lexer.hpp"
#include "script/number.hpp"
#include "script/script.hpp"
#include "script/wrap.hpp"
#include "tools/refine.hpp"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <limits>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace s = nncert::script;
using nncert::test::line_past_the_edge;
using nncert::test::read_error;
namespace k = nncert::kernel;
namespace fs = std::filesystem;
using nncert::test::TempDir;
using nncert::test::write_text;

std::string times(const std::string& piece, std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += piece;
    return out;
}

std::string little_endian(std::uint64_t v, int bytes) {
    std::string out;
    for (int b = 0; b < bytes; ++b) out += static_cast<char>((v >> (8 * b)) & 0xff);
    return out;
}

std::string f64_bytes(const std::vector<double>& v) {
    std::string out;
    for (double d : v) {
        std::uint64_t bits = 0;
        std::memcpy(&bits, &d, sizeof bits);
        out += little_endian(bits, 8);
    }
    return out;
}

std::string shape_text(const std::vector<std::size_t>& shape) {
    std::string t;
    for (std::size_t i = 0; i < shape.size(); ++i) t += (i ? ", " : "") + std::to_string(shape[i]);
    return t;
}

// A float64 .npy array (C order, little-endian).
std::string npy(const std::vector<double>& v, const std::vector<std::size_t>& shape) {
    std::string dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + shape_text(shape) +
                       (shape.size() == 1 ? "," : "") + "), }";
    dict.append((64 - (10 + dict.size() + 1) % 64) % 64, ' ').push_back('\n');
    return std::string("\x93NUMPY\x01\x00", 8) + little_endian(dict.size(), 2) + dict + f64_bytes(v);
}

// A safetensors file of float64 tensors.
std::string safetensors(const std::map<std::string, std::pair<std::vector<double>, std::vector<std::size_t>>>& tensors) {
    std::string header = "{", data;
    for (const auto& [name, t] : tensors) {
        const std::size_t from = data.size();
        data += f64_bytes(t.first);
        header += std::string(header.size() > 1 ? "," : "") + "\"" + name + "\":{\"dtype\":\"F64\",\"shape\":[" +
                  shape_text(t.second) + "],\"data_offsets\":[" + std::to_string(from) + "," + std::to_string(data.size()) +
                  "]}";
    }
    header += "}";
    return little_endian(header.size(), 8) + header + data;
}

// The exact value of a float64.
k::Rational exact(double d) { return k::Rational(d); }

// print's output of `text` (read from `dir`) reads back as the same script and keeps every line in view.
void print_reads_back(const std::string& text, const fs::path& dir) {
    const s::Script first = s::parse_text(text, (dir / "t.nnc").string(), dir.string());
    const std::string printed = s::print_canonical(first);
    BOOST_TEST(line_past_the_edge(printed) == "");
    try {
        const s::Script again = s::parse_text(printed, (dir / "p.nnc").string(), dir.string());
        BOOST_TEST(nncert::test::script_differences(first, again).empty());
    } catch (const s::ParseError& e) {
        BOOST_TEST(false, "print's output does not read back: " + e.format());
    }
}

// The script of review r8-11's F2: its last line holds `line` (padded with blanks to `width` columns) then `last`.
std::string refine_script_with(const std::string& line, const std::string& last, std::size_t width) {
    std::string l = line;
    while (l.size() + 1 + last.size() < width) l += ' ';
    return "nncert 1\ndata {\n  3/2 -> 3/4\n  2 -> 1/4\n  -2 -> 1/4\n  3/2 -> 1\n}\n"
           "network { input 1 dense 1 sigmoid }\nloss sse\npoint bad {\n  W1 = [[-6.08904481197587524751956735283]]\n"
           "  b1 = [11.0794773471283323976710080473]\n}\n" + l + " " + last + "\n";
}

const std::string four_claims =
    "claim loss bad in [0, 1]  claim loss bad in [0, 1]  claim loss bad in [0, 1]  claim loss bad in [0, 1]";

}  // namespace

BOOST_AUTO_TEST_SUITE(review8_11_writers)

// The breaker keeps the width rule: after a literal longer than 64 characters a line holds only more list values,
// so a fraction, number_text's pieces or a word after it start a new line; list values may stay.
BOOST_AUTO_TEST_CASE(wrap_keeps_the_width_rule) {
    const std::string decimal = nncert::import::exact_decimal(exact(1e-5));  // import's text for the float64 1e-5
    BOOST_TEST(decimal.size() == 71u);
    const std::string big = s::number_text(exact(1e70));  // c0 * 1e64 + c1
    BOOST_TEST(big.find(" * 1e64 + ") != std::string::npos);
    const std::string third = s::number_text(k::Rational(1, 3));
    const std::string tiny = s::number_text(exact(5e-324));  // 1/(pieces)
    const std::string text = "nncert 1\ndata {\n  " + decimal + ", " + third + " -> " + decimal + "\n  " + decimal +
                             ", 0 -> " + tiny + "\n  " + decimal + ", " + decimal + " -> 1 weight 2\n}\n"
                             "network { input 2 dense 1 identity }\nloss sse\n"
                             "point p {\n  W1 = [[" + decimal + ", " + big + "]]\n  b1 = [" + decimal + "]\n}\n"
                             "point q {\n  W1 = [[" + decimal + ", -" + decimal + "]]\n  b1 = [-" + decimal + "]\n}\n";
    // Its first row is within column 160: only the width rule is broken there.
    BOOST_TEST(s::columns_after(0, "  " + decimal + ", " + third + " -> " + decimal) <= s::view_width);
    BOOST_TEST(nncert::test::script_error(text).first == "layout");
    const std::string wrapped = s::wrap_script(text);
    try {
        const s::Script sc = s::parse_text(wrapped, "<wrapped>", ".");
        const k::Rational d = s::parse_number(decimal);
        BOOST_TEST(sc.problem.data.size() == 3u);
        BOOST_TEST((sc.problem.data[0].x == k::Vector{d, k::Rational(1, 3)}));
        BOOST_TEST((sc.problem.data[1].y == k::Vector{exact(5e-324)}));
        BOOST_TEST((sc.problem.data[2].weight == 2));
        BOOST_TEST((sc.points[0].params == k::Vector{d, exact(1e70), d}));
        BOOST_TEST((sc.points[1].params == k::Vector{d, -d, -d}));
    } catch (const s::ParseError& e) {
        BOOST_TEST(false, e.format() + "\n" + wrapped);
    }
    // List values after a long literal stay on its line: point q and the lines without fractions are unchanged.
    BOOST_TEST(wrapped.find("  W1 = [[" + decimal + ", -" + decimal + "]]\n") != std::string::npos);
    BOOST_TEST(wrapped.find("\n  " + decimal + ", 0 ->\n") != std::string::npos);  // the row goes on after '->'
    BOOST_TEST(wrapped.find("\n      " + third + " -> " + decimal + "\n") != std::string::npos);
    BOOST_TEST(wrapped.find("\n      1 weight 2\n") != std::string::npos);
    // number_text's pieces after a long literal start a new line whole, not after their first piece.
    BOOST_TEST(wrapped.find("  W1 = [[" + decimal + ",\n      " + big + "]]\n") != std::string::npos, wrapped);
    // A quoted name that fits a line only at its start is not indented past the edge, and a tab counts to the next
    // multiple of 8 (a line of 150 characters with two tabs is 164 columns).
    const std::string name = "\"" + times("n", 156) + "\"";
    BOOST_TEST(s::wrap_lines("data " + name + " weighted") == "data\n  " + name + "\n    weighted");
    BOOST_TEST(s::wrap_lines("\t\t" + times("x ", 74)).find('\n') != std::string::npos);
}

// F1: print breaks `data "FILE" weighted` as it breaks every other line outside a data block.
BOOST_AUTO_TEST_CASE(print_breaks_the_data_line) {
    TempDir dir;
    const std::string rest = "network { input 1 dense 1 identity }\nloss sse\npoint p { W1 = [[1]] b1 = [1] }\nclaim loss p = 0\n";
    for (const std::size_t n : {150u, 145u, 158u, 20u})
        for (const bool weighted : {false, true})
            BOOST_TEST_CONTEXT(n << " characters" << (weighted ? ", weighted" : "")) {
                const std::string name = times(weighted ? "e" : "d", n - 4) + ".csv";
                write_text(dir / name, weighted ? "0,1,1\n1,2,3\n" : "0,1\n1,2\n");
                print_reads_back("nncert 1\ndata\n\"" + name + "\"\n" + (weighted ? "weighted\n" : "") + rest, dir.path());
            }
}

// print on the review's adversarial numbers (1e-100, 1e70, 5e-324, 2^-1074, 1/3, a long decimal) in every place a
// number stands: its output reads back as the same script.
BOOST_AUTO_TEST_CASE(print_reads_back_adversarial_numbers) {
    TempDir dir;
    const std::string decimal = nncert::import::exact_decimal(exact(1e-5)), tiny = s::number_text(exact(5e-324));
    const std::string big = s::number_text(exact(1e70)), third = "1/3";
    const std::string text = s::wrap_script("nncert 1\ndata {\n  " + decimal + ", " + tiny + " -> " + big + " weight 1e-100\n  " + third +
                             ", " + decimal + " -> 1\n  0, 0 -> " + third + " weight " + big + "\n}\n"
                             "network { input 2 dense 2 leaky_relu(" + third + ") dense 1 poly(" + tiny + ", 1, " + big +
                             ") }\nloss mse + l2(1e-100)\n"
                             "point p {\n  W1 = [[" + decimal + ", " + big + "], [" + tiny + ", " + decimal + "]]\n"
                             "  b1 = [" + third + ", -" + decimal + "]\n  W2 = [[1e-100, 1e70]]\n  b2 = [" + big + "]\n}\n"
                             "region r {\n  around p radius 1e-100\n}\n"
                             "claim loss p in [0, 1e70]\nclaim critical p within 1e-100\n");
    BOOST_TEST(read_error(text) == "");
    print_reads_back(text, dir.path());
}

// F2: refine breaks a claim line that its longer radius pushes past column 160; a radius of number_text's pieces
// too, and a second claim after the radius.
BOOST_AUTO_TEST_CASE(refine_breaks_a_claim_line_it_widens) {
    nncert::tools::RefineOptions opt;
    opt.point = "bad";
    opt.progress = false;
    const k::Rational third_power = k::Rational(1) / k::Rational(boost::multiprecision::pow(k::Integer(3), 300));
    const std::string second = "claim critical bad within 1";
    const std::vector<std::pair<std::string, std::optional<k::Rational>>> cases = {
        {refine_script_with(four_claims, "claim strict_local_min bad within 1", 160), std::nullopt},  // the review's
        {refine_script_with(four_claims, "claim strict_local_min bad within 1", 160), k::Rational(1, 3)},
        {refine_script_with(four_claims.substr(0, 76), "claim strict_local_min bad within 1 " + second, 160), std::nullopt},
        {refine_script_with("", "claim strict_local_min bad within 1", 40), third_power},
    };
    for (const auto& [script, radius] : cases)
        BOOST_TEST_CONTEXT(script.substr(script.rfind("}\n") + 2)) {
            BOOST_TEST(read_error(script) == "");
            opt.radius = radius;
            nncert::tools::RefineResult r;
            BOOST_CHECK_NO_THROW(r = nncert::tools::refine_script(script, "t.nnc", "", opt));
            BOOST_TEST(r.write_problem == "");
            BOOST_TEST(r.radius.has_value());
            BOOST_TEST(line_past_the_edge(r.text) == "");
            try {
                const s::Script after = s::parse_text(r.text, "t.nnc", "");
                BOOST_TEST((after.points[0].params == r.centre));
                for (const auto& c : after.claims)
                    if (c.claim.radius) BOOST_TEST((*c.claim.radius == *r.radius));
            } catch (const s::ParseError& e) {
                BOOST_TEST(false, e.format() + "\n" + r.text);
            }
        }
    // Through the binary: the review's script is refined and written (exit 0 or 3, never 5).
    TempDir dir;
    write_text(dir / "t.nnc", cases[0].first);
    const auto run = nncert::test::run_process(nncert::test::nncert_binary() + " refine " +
                                               nncert::test::shell_quote((dir / "t.nnc").string()) +
                                               " --point bad --no-progress -o " +
                                               nncert::test::shell_quote((dir / "r.nnc").string()));
    BOOST_TEST((run.exit == 0 || run.exit == 3), run.err);
    BOOST_TEST(run.err.find("internal error") == std::string::npos, run.err);
    BOOST_TEST(read_error(nncert::test::read_text(dir / "r.nnc")) == "");
}

// refine's centres: a 70-digit decimal (72 characters) next to number_text's pieces (a 70-digit whole number past
// 10^64) in one point row; the pieces start a new line (the width rule), where they stood after the decimal and
// refine ended with an internal error (exit 5).
BOOST_AUTO_TEST_CASE(refine_writes_mixed_centres) {
    const std::string script = "nncert 1\ndata {\n  1, 0 -> 1/3\n  0, 1 -> 1e70/3\n}\n"
                               "network { input 2 dense 1 identity nobias }\nloss sse\npoint p { W1 = [[0.3, 3e69]] }\n"
                               "claim critical p within 1\n";
    nncert::tools::RefineOptions opt;
    opt.point = "p";
    opt.progress = false;
    opt.digits = 70;
    opt.radius = k::Rational(1, 1000000000);
    nncert::tools::RefineResult r;
    BOOST_CHECK_NO_THROW(r = nncert::tools::refine_script(script, "t.nnc", "", opt));
    BOOST_TEST(r.converged);
    BOOST_TEST(r.write_problem == "");
    BOOST_TEST(r.text.find(" * 1e64 + ") != std::string::npos, r.text);  // the second centre in pieces
    BOOST_TEST(line_past_the_edge(r.text) == "");
    try {
        BOOST_TEST((s::parse_text(r.text, "t.nnc", "").points[0].params == r.centre));
    } catch (const s::ParseError& e) {
        BOOST_TEST(false, e.format() + "\n" + r.text);
    }
}

// When the broken line still does not read (a data row begun after the claim on its line, which the breaker would
// split), refine says so and leaves the point as it was: exit 3, not an internal error (exit 5).
BOOST_AUTO_TEST_CASE(refine_says_why_it_cannot_write) {
    // The line ends `... within 1 data { 3/2 ->` at column 160 and the row goes on with `3/4` on the next line;
    // `within 1e-4` pushes `->` past the edge, and the breaker (which reads a claim's line as no data row) breaks
    // the row before it.
    const std::string line = "claim strict_local_min bad within 1" + times(" claim loss bad in [0, 1]", 3) +
                             " claim loss bad in [0, 100000000000] data { 3/2 ->";
    BOOST_TEST(line.size() == 160u);
    const std::string script = "nncert 1\nnetwork { input 1 dense 1 sigmoid }\nloss sse\npoint bad {\n"
                               "  W1 = [[-6.08904481197587524751956735283]]\n  b1 = [11.0794773471283323976710080473]\n}\n" +
                               line + "\n  3/4\n  2 -> 1/4\n  -2 -> 1/4\n  3/2 -> 1\n}\n";
    BOOST_TEST(read_error(script) == "");
    nncert::tools::RefineOptions opt;
    opt.point = "bad";
    opt.progress = false;
    opt.radius = k::Rational(1, 10000);
    const nncert::tools::RefineResult r = nncert::tools::refine_script(script, "t.nnc", "", opt);
    BOOST_TEST(r.write_problem.find("error[") != std::string::npos, r.write_problem);
    BOOST_TEST(r.text.empty());
    TempDir dir;
    write_text(dir / "t.nnc", script);
    const auto run = nncert::test::run_process(nncert::test::nncert_binary() + " refine " +
                                               nncert::test::shell_quote((dir / "t.nnc").string()) +
                                               " --point bad --radius 1e-4 --no-progress");
    BOOST_TEST(run.exit == 3, run.err);
    BOOST_TEST(run.err.find("would not read back") != std::string::npos, run.err);
    BOOST_TEST(run.err.find("internal error") == std::string::npos, run.err);
}

// refine -o to another folder rewrites a long data path: the rewritten line is broken to stay in view, and a name
// wider than a line is refused with the reason (exit 4, nothing written).
BOOST_AUTO_TEST_CASE(refine_output_rewrites_a_long_data_path) {
    TempDir dir;
    const std::string deep = times("f", 60) + "/" + times("g", 60);
    fs::create_directories(dir / deep);
    fs::create_directories(dir / "out");
    write_text(dir / deep / "d.csv", "0,1\n1,3\n2,5.0001\n");
    const std::string script = "nncert 1\ndata \"d.csv\" weighted network { input 1 dense 1 identity } loss sse\n"
                               "point p { W1 = [[2.1]] b1 = [0.9] }\nclaim critical p within 1e-6\n";
    write_text(dir / deep / "d.csv", "0,1,1\n1,3,2\n2,5.0001,1\n");
    write_text(dir / deep / "s.nnc", script);
    const std::string rewritten = s::text_for_output(script, (dir / deep / "s.nnc").string(), (dir / deep).string(),
                                                     (dir / "out" / "r.nnc").string());
    BOOST_TEST(rewritten.find("\"../" + deep + "/d.csv\"") != std::string::npos, rewritten);
    BOOST_TEST(line_past_the_edge(rewritten) == "");
    BOOST_TEST(read_error(rewritten, (dir / "out").string()) == "");
    const auto run = nncert::test::run_process(nncert::test::nncert_binary() + " refine " +
                                               nncert::test::shell_quote((dir / deep / "s.nnc").string()) +
                                               " --point p --no-progress -o " +
                                               nncert::test::shell_quote((dir / "out" / "r.nnc").string()));
    BOOST_TEST((run.exit == 0 || run.exit == 3), run.err);
    BOOST_TEST(read_error(nncert::test::read_text(dir / "out" / "r.nnc"), (dir / "out").string()) == "");
    // A folder name that makes the quoted path wider than a line: refused, saying so.
    const std::string deeper = deep + "/" + times("h", 60);
    fs::create_directories(dir / deeper);
    write_text(dir / deeper / "d.csv", "0,1,1\n1,3,2\n2,5.0001,1\n");
    write_text(dir / deeper / "s.nnc", script);
    const auto refused = nncert::test::run_process(nncert::test::nncert_binary() + " refine " +
                                                   nncert::test::shell_quote((dir / deeper / "s.nnc").string()) +
                                                   " --point p --no-progress -o " +
                                                   nncert::test::shell_quote((dir / "out" / "q.nnc").string()));
    BOOST_TEST(refused.exit == 4, refused.err);
    BOOST_TEST(refused.err.find("must end within column 160") != std::string::npos, refused.err);
    BOOST_TEST(!fs::exists(dir / "out" / "q.nnc"));
}

// F5 and F6: import writes any float64 weights, data and row weights as a script that reads back with exactly the
// files' values: 1e-100 as a row weight, 1e-5 next to 1e70 in a weight row, 1e-5 and 5e-324 in a data row, and
// the other numbers of the review's list (2^-900 has an exact decimal of 902 characters, 1/3 as a float, 1e300).
BOOST_AUTO_TEST_CASE(import_writes_any_floats_readably) {
    TempDir dir;
    const double third = 1.0 / 3, two900 = std::ldexp(1.0, -900), tiniest = std::numeric_limits<double>::denorm_min();
    const std::vector<double> adversarial = {1e-100, 1e70, 5e-324, tiniest, third, 1e-5, two900, 1e300, -0.1, 0.5,
                                             std::numeric_limits<double>::max(), -1e-5};
    const std::size_t n = adversarial.size();
    // Weights: W1 (1 x 2) and b1 from every pair of neighbours; data rows (x1, x2) -> y with row weights.
    for (std::size_t shift = 0; shift < n; ++shift)
        BOOST_TEST_CONTEXT("shift " << shift) {
            const auto at = [&](std::size_t i) { return adversarial[(i + shift) % n]; };
            std::vector<double> x, y, w;
            for (std::size_t i = 0; i < n; ++i) {
                x.push_back(at(i));
                x.push_back(at(i + 1));
                y.push_back(at(i + 2));
                w.push_back(std::abs(at(i + 3)) > 0 ? std::abs(at(i + 3)) : 1);
            }
            write_text(dir / "w.safetensors", safetensors({{"0.weight", {{at(0), at(1)}, {1, 2}}}, {"0.bias", {{at(2)}, {1}}}}));
            write_text(dir / "x.npy", npy(x, {n, 2}));
            write_text(dir / "y.npy", npy(y, {n}));
            write_text(dir / "rw.npy", npy(w, {n}));
            for (const bool weighted : {false, true}) {
                nncert::import::ImportOptions o;
                o.weights = (dir / "w.safetensors").string();
                o.data = (dir / "x.npy").string();
                o.targets = (dir / "y.npy").string();
                if (weighted) o.weight_key = (dir / "rw.npy").string();
                o.loss = "mse";
                std::string text;
                try {
                    text = nncert::import::import_script(o);
                } catch (const std::exception& e) {
                    BOOST_TEST(false, std::string(weighted ? "weighted: " : "") + e.what());
                    continue;
                }
                BOOST_TEST(line_past_the_edge(text) == "");
                try {
                    const s::Script sc = s::parse_text(text, "<import>", dir.path().string());
                    BOOST_TEST((sc.points[0].params == k::Vector{exact(at(0)), exact(at(1)), exact(at(2))}));
                    BOOST_TEST(sc.problem.data.size() == n);
                    for (std::size_t i = 0; i < n && i < sc.problem.data.size(); ++i) {
                        BOOST_TEST((sc.problem.data[i].x == k::Vector{exact(x[2 * i]), exact(x[2 * i + 1])}));
                        BOOST_TEST((sc.problem.data[i].y == k::Vector{exact(y[i])}));
                        BOOST_TEST((sc.problem.data[i].weight == (weighted ? exact(w[i]) : k::Rational(1))));
                    }
                } catch (const s::ParseError& e) {
                    BOOST_TEST(false, e.format());
                }
            }
        }
}

// The review's commands through the binary: written, exit 0.
BOOST_AUTO_TEST_CASE(import_review_commands) {
    TempDir dir;
    write_text(dir / "w.safetensors", safetensors({{"0.weight", {{0.5}, {1, 1}}}, {"0.bias", {{0.25}, {1}}}}));
    write_text(dir / "w2.safetensors", safetensors({{"0.weight", {{1e-5, 1e70}, {1, 2}}}, {"0.bias", {{0.25}, {1}}}}));
    write_text(dir / "x.npy", npy({1, 2, 3}, {3, 1}));
    write_text(dir / "rw.npy", npy({1e-100, 1, 2}, {3}));
    write_text(dir / "x2.npy", npy({1e-5, 2}, {2, 1}));
    write_text(dir / "y2.npy", npy({5e-324, 1}, {2, 1}));
    write_text(dir / "x3.npy", npy({1, 2, 3, 4}, {2, 2}));
    write_text(dir / "y3.npy", npy({1, 2}, {2, 1}));
    const auto q = [&](const std::string& f) { return nncert::test::shell_quote((dir / f).string()); };
    const std::string commands[] = {
        "--weights " + q("w.safetensors") + " --data " + q("x.npy") + " --targets " + q("x.npy") + " --row-weights " +
            q("rw.npy") + " --loss mse -o " + q("f5.nnc"),
        "--weights " + q("w2.safetensors") + " --data " + q("x3.npy") + " --targets " + q("y3.npy") + " --loss mse -o " +
            q("f6a.nnc"),
        "--weights " + q("w.safetensors") + " --data " + q("x2.npy") + " --targets " + q("y2.npy") + " --loss mse -o " +
            q("f6b.nnc"),
    };
    for (const std::string& c : commands)
        BOOST_TEST_CONTEXT(c) {
            const auto r = nncert::test::run_process(nncert::test::nncert_binary() + " import " + c);
            BOOST_TEST(r.exit == 0, r.err);
        }
    for (const std::string f : {"f5.nnc", "f6a.nnc", "f6b.nnc"}) {
        const auto r = nncert::test::run_process(nncert::test::nncert_binary() + " check " + q(f));
        BOOST_TEST(r.exit != 2, f + ": " + r.out + r.err);
    }
}

// A script that the files make unreadable is an input error (exit 2: "the files give ..."); one that the options
// make unreadable stays a usage error (exit 4).
BOOST_AUTO_TEST_CASE(import_blames_files_or_options_rightly) {
    TempDir dir;
    write_text(dir / "w.safetensors", safetensors({{"0.weight", {{1, 0, 0, 1}, {2, 2}}}}));
    write_text(dir / "x.npy", npy({1, 0, 0, 1}, {2, 2}));
    write_text(dir / "y.npy", npy({1, 0, -0.5, 1.5}, {2, 2}));  // a negative class probability
    const auto q = [&](const std::string& f) { return nncert::test::shell_quote((dir / f).string()); };
    const std::string base = nncert::test::nncert_binary() + " import --weights " + q("w.safetensors") + " --data " +
                             q("x.npy") + " --targets " + q("y.npy");
    const auto files = nncert::test::run_process(base + " --loss cross_entropy");
    BOOST_TEST(files.exit == 2, files.err);
    BOOST_TEST(files.err.find("the files give a script nncert cannot read") != std::string::npos, files.err);
    BOOST_TEST(files.err.find("try 'nncert import --help'") == std::string::npos, files.err);
    const auto options = nncert::test::run_process(base + " --loss mse --claim 'local_min nowhere'");
    BOOST_TEST(options.exit == 4, options.err);
    BOOST_TEST(options.err.find("the options give a script nncert cannot read") != std::string::npos, options.err);
}

BOOST_AUTO_TEST_SUITE_END()
