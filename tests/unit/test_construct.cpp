// The Section 4 generator: decency, the bump direction, refusals, the command line, and a property test
// that every script it writes for a decent random dataset is fully certified by the kernel.
#include "kernel/kernel.hpp"
#include "script/lexer.hpp"
#include "script/script.hpp"
#include "tools/construct_command.hpp"
#include "tools/dead_layer_construction.hpp"

#include "construct_support.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include <unistd.h>

using namespace nncert;
using test::all_certified;
using test::construct_run;
using kernel::Rational;
using kernel::Sample;
using kernel::Vector;
using tools::ConstructionError;

namespace {

std::vector<Sample> rows(const std::vector<std::pair<Vector, Rational>>& xy) {
    std::vector<Sample> d;
    for (const auto& [x, y] : xy) d.push_back({x, {y}});
    return d;
}

// |v.(x_s - x_r)| >= 2 for every other group: what the bump needs.
bool separates(const std::vector<tools::InputGroup>& g, std::size_t r, const Vector& v) {
    for (std::size_t s = 0; s < g.size(); ++s) {
        if (s == r) continue;
        Rational t = 0;
        for (std::size_t j = 0; j < v.size(); ++j) t += v[j] * (g[s].x[j] - g[r].x[j]);
        if (abs(t) < 2) return false;
    }
    return true;
}

bool separates_every_center(const std::vector<Vector>& xs) {
    std::vector<Sample> d;
    for (const Vector& x : xs) d.push_back({x, {Rational(0)}});
    const auto g = tools::group_by_input(d);
    for (std::size_t r = 0; r < g.size(); ++r)
        if (!separates(g, r, tools::separating_direction(g, r))) return false;
    return true;
}

// Independent of the tool: decent iff some row's input group has a mean label off the overall mean.
bool decent_naive(const std::vector<Sample>& d) {
    Rational total = 0;
    for (const Sample& s : d) total += s.y[0];
    for (const Sample& s : d) {
        Rational sum = 0;
        std::size_t n = 0;
        for (const Sample& t : d)
            if (t.x == s.x) sum += t.y[0], ++n;
        if (sum * d.size() != total * n) return true;
    }
    return false;
}

script::Script parse(const std::string& text) { return test::parse_generated(text); }

// Every claim of a parsed script certified by the kernel.
// A portable draw (std::uniform_int_distribution differs between standard libraries).
struct Draw {
    std::mt19937 gen;
    long in(long lo, long hi) { return lo + static_cast<long>(gen() % static_cast<unsigned long>(hi - lo + 1)); }
    Rational small(long range, long max_den) { return Rational(in(-range, range)) / in(1, max_den); }
};

// A random dataset; `kind` 0: random labels, 1: all labels equal, 2: labels balanced around a constant
// inside every input group (both 1 and 2 are never decent). Inputs are fresh, from a small pool (many
// repeats), or collinear.
std::vector<Sample> decent_candidate_data(Draw& r, std::size_t dim, std::size_t n, int kind) {
    const int mode = static_cast<int>(r.in(0, 2));
    std::vector<Vector> pool(static_cast<std::size_t>(r.in(1, 4)));
    for (Vector& p : pool)
        for (std::size_t j = 0; j < dim; ++j) p.push_back(r.small(3, 2));
    Vector base, step;
    for (std::size_t j = 0; j < dim; ++j) base.push_back(r.small(2, 1)), step.push_back(r.small(2, 2));
    std::vector<Sample> d(n);
    for (Sample& s : d) {
        if (mode == 0)
            for (std::size_t j = 0; j < dim; ++j) s.x.push_back(r.small(3, 3));
        else if (mode == 1)
            s.x = pool[static_cast<std::size_t>(r.in(0, static_cast<long>(pool.size()) - 1))];
        else {
            const Rational k = r.in(-4, 4);
            for (std::size_t j = 0; j < dim; ++j) s.x.push_back(base[j] + k * step[j]);
        }
    }
    const Rational c = r.small(5, 4);
    std::map<Vector, std::vector<std::size_t>> groups;
    for (std::size_t i = 0; i < n; ++i) groups[d[i].x].push_back(i);
    for (const auto& [x, idx] : groups) {
        Rational a = 0;
        for (std::size_t k = 0; k < idx.size(); ++k) {
            Rational y = c;  // kind 1, and the odd row out of a group in kind 2
            if (kind == 0) y = r.small(5, 4);
            if (kind == 2 && k % 2 == 0 && k + 1 < idx.size()) a = r.small(3, 2), y = c + a;
            if (kind == 2 && k % 2 == 1) y = c - a;  // pairs c + a, c - a keep the group's mean at c
            d[idx[k]].y = {y};
        }
    }
    return d;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(construct_dead_layer)

BOOST_AUTO_TEST_CASE(groups_keep_first_appearance_order) {
    const auto g = tools::group_by_input(rows({{{2}, 1}, {{0}, 4}, {{2}, 3}, {{2}, -1}}));
    BOOST_TEST_REQUIRE(g.size() == 2u);
    BOOST_TEST((g[0].x == Vector{2}));
    BOOST_TEST(g[0].count == 3u);
    BOOST_TEST(g[0].mean() == Rational(1));
    BOOST_TEST(g[1].mean() == Rational(4));
}

BOOST_AUTO_TEST_CASE(decency) {
    using tools::find_bump_center;
    using tools::group_by_input;
    // All labels equal: never decent.
    BOOST_TEST(!find_bump_center(group_by_input(rows({{{0}, 2}, {{1}, 2}, {{5}, 2}}))).found);
    // Different labels, but every input's mean is the overall mean 1: not decent.
    BOOST_TEST(!find_bump_center(group_by_input(rows({{{0}, 0}, {{0}, 2}, {{1}, 3}, {{1}, -1}}))).found);
    // One input only (any labels): not decent.
    BOOST_TEST(!find_bump_center(group_by_input(rows({{{1, 1}, 0}, {{1, 1}, 7}}))).found);
    // Input 0's mean 1 equals the overall mean 1; inputs 1 and 2 (means 3 and -1) gain 16/3 each, so
    // the first of them is the center.
    const auto c = find_bump_center(group_by_input(rows({{{0}, 0}, {{0}, 2}, {{1}, 3}, {{2}, -1}})));
    BOOST_TEST_REQUIRE(c.found);
    BOOST_TEST(c.group == 1u);
    BOOST_TEST(c.overall_mean == Rational(1));
    BOOST_TEST(c.nu == Rational(3));
    BOOST_TEST(c.mu == Rational(1, 3));
    // The larger gain wins: input 5 (one row, mean 9) beats input 0 (two rows, mean -1); mean 5/4.
    const auto best = find_bump_center(group_by_input(rows({{{0}, -1}, {{0}, -1}, {{5}, 9}, {{1}, -2}})));
    BOOST_TEST_REQUIRE(best.found);
    BOOST_TEST(best.group == 1u);
    BOOST_TEST(best.nu == Rational(9));
    BOOST_TEST(best.mu == Rational(-4, 3));
}

BOOST_AUTO_TEST_CASE(direction_1d_is_stretched_to_gap_2) {
    const auto g = tools::group_by_input(rows({{{0}, 1}, {{Rational(1, 2)}, 0}, {{Rational(-1, 3)}, 0}}));
    const Vector v = tools::separating_direction(g, 0);
    BOOST_TEST((v == Vector{6}));  // the nearest other input is 1/3 away
    BOOST_TEST(separates(g, 0, v));
}

BOOST_AUTO_TEST_CASE(direction_2d_collinear_and_axis_aligned) {
    // On the line x = y: e_1 separates (after stretching).
    BOOST_TEST(separates_every_center({{0, 0}, {1, 1}, {2, 2}, {-1, -1}}));
    // Same first coordinate: e_1 fails, (1, 1) works.
    BOOST_TEST(separates_every_center({{0, 0}, {0, 1}, {0, 2}}));
    // On the line x = -y plus one point above the origin: e_1 and (1, 1) both fail for center (0, 0).
    const std::vector<Vector> xs = {{0, 0}, {1, -1}, {2, -2}, {0, 1}};
    BOOST_TEST(separates_every_center(xs));
    std::vector<Sample> d;
    for (const Vector& x : xs) d.push_back({x, {Rational(0)}});
    BOOST_TEST((tools::separating_direction(tools::group_by_input(d), 0) == Vector{2, 4}));  // (1, 2) stretched
    // 3-D points orthogonal to e_1 and to (1, 1, 1).
    BOOST_TEST(separates_every_center({{0, 0, 0}, {0, 1, -1}, {0, 2, -2}, {1, -1, 0}, {Rational(1, 7), 0, 0}}));
}

BOOST_AUTO_TEST_CASE(hand_computed_depth3) {
    // Mean 1/5; input 2 (label 3) has the largest gain: nu = 3, mu = -1/2, nearest other input 1 away,
    // so v = 2, gamma = 4, and the bump's loss is 9/4 + 9/4 + 0 + 1/4 + 1/4 = 5.
    const auto d = rows({{{0}, 1}, {{1}, -2}, {{2}, 3}, {{3}, -1}, {{3}, 0}});
    const auto c = tools::build_dead_layer(d, {3, 2});
    BOOST_TEST((c.v == Vector{2}));
    BOOST_TEST(c.gamma == Rational(4));
    BOOST_TEST(c.center.mu == Rational(-1, 2));
    BOOST_TEST(c.loss_mean == Rational(74, 5));
    BOOST_TEST(c.loss_off == Rational(99, 5));
    BOOST_TEST(c.loss_bump == Rational(5));
    const auto s = parse(tools::render_script(c));
    BOOST_TEST(s.claims.size() == 7u);
    BOOST_TEST(all_certified(s));
    BOOST_TEST(tools::render_script(c) == tools::render_script(tools::build_dead_layer(d, {3, 2})));
}

BOOST_AUTO_TEST_CASE(paper_deep_bump_clips_negative_labels) {
    // Why the deep fix: forming mu + (nu - mu) bump inside a relu layer (the paper's order) clips it
    // to 0 when mu < 0, so that point's loss is not the bump's loss the construction promises.
    const auto d = rows({{{0}, 1}, {{1}, -2}, {{2}, -3}, {{3}, -1}});
    const auto c = tools::build_dead_layer(d, {3, 1});
    BOOST_TEST_REQUIRE(c.center.mu < 0);
    auto s = parse(tools::render_script(c));
    kernel::Point naive = s.points[2];
    const kernel::Network& net = s.problem.net;
    const Rational lift = c.center.nu - c.center.mu;
    const std::size_t w2 = net.weight_offset(1), b2 = net.bias_offset(1), w3 = net.weight_offset(2);
    naive.params[w2] = lift, naive.params[w2 + 1] = -2 * lift, naive.params[w2 + 2] = lift;
    naive.params[b2] = c.center.mu;
    naive.params[w3] = 1, naive.params[w3 + 1] = 0;  // output = h, the "W = I" pass-through
    s.points.push_back(naive);
    kernel::Claim claim;
    claim.kind = kernel::ClaimKind::loss;
    claim.point = 3;
    claim.value = c.loss_bump;
    BOOST_TEST((kernel::check(s.problem, s.points, claim).outcome() == kernel::Outcome::refuted));
    claim.point = 2;
    BOOST_TEST((kernel::check(s.problem, s.points, claim).outcome() == kernel::Outcome::certified));
}

BOOST_AUTO_TEST_CASE(refusals) {
    const auto d = rows({{{0}, 1}, {{1}, -2}, {{2}, 3}});
    BOOST_CHECK_THROW(tools::build_dead_layer(d, {}), ConstructionError);          // depth 1
    BOOST_CHECK_THROW(tools::build_dead_layer(d, {2}), ConstructionError);         // too narrow for the bump
    BOOST_CHECK_THROW(tools::build_dead_layer(d, {3, 0}), ConstructionError);      // empty later layer
    BOOST_CHECK_THROW(tools::build_dead_layer({}, {3}), ConstructionError);        // no rows
    BOOST_CHECK_THROW(tools::build_dead_layer(rows({{{0}, 1}, {{1, 2}, 0}}), {3}), ConstructionError);
    std::vector<Sample> two_labels = {{{0}, {1, 2}}, {{1}, {0, 0}}};
    BOOST_CHECK_THROW(tools::build_dead_layer(two_labels, {3}), ConstructionError);
    try {
        tools::build_dead_layer(rows({{{0}, 2}, {{1}, 2}, {{3}, 2}}), {3});
        BOOST_TEST(false, "a dataset with equal labels was accepted");
    } catch (const ConstructionError& e) {
        BOOST_TEST(std::string(e.what()).find("not decent") != std::string::npos);
    }
    tools::ScriptNames clash;
    clash.bump = "dead_mean";
    BOOST_CHECK_THROW(tools::render_script(tools::build_dead_layer(d, {3}), clash), ConstructionError);
    tools::ScriptNames bad;
    bad.dead_off = "1st";
    BOOST_CHECK_THROW(tools::render_script(tools::build_dead_layer(d, {3}), bad), ConstructionError);
    bad.dead_off = std::string(script::max_name_bytes + 1, 'o');  // the format's limit (review 14, F3)
    BOOST_CHECK_THROW(tools::render_script(tools::build_dead_layer(d, {3}), bad), ConstructionError);
}

BOOST_AUTO_TEST_CASE(command_line) {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / ("nncert-construct-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const std::string good = (dir / "good.csv").string(), flat = (dir / "flat.csv").string();
    std::ofstream(good) << "x1,x2,y\n0,0,1\n1,0,-2\n0,1,3\n1,1,-1/2\n";
    std::ofstream(flat) << "0,5\n1,5\n2,5\n";
    std::string text, err;
    BOOST_TEST(construct_run({"dead-layer", "--data", good, "--depth", "3", "--widths", "4,2"}, &text) == 0);
    const auto s = parse(text);
    BOOST_TEST(all_certified(s));
    BOOST_TEST(text.find("# Regenerate: nncert construct dead-layer --data") != std::string::npos);
    // A bidi override in an argument is shown escaped in the header, so the script parses back (review 8-3, 6).
    const std::string odd = (dir / "d\xE2\x80\xAE" "claim.csv").string();
    std::ofstream(odd) << "x1,x2,y\n0,0,1\n1,0,-2\n0,1,3\n1,1,-1/2\n";
    BOOST_TEST(construct_run({"dead-layer", "--data", odd, "--depth", "2", "--widths", "3"}, &text) == 0);
    BOOST_TEST(text.find("d\\u{202E}claim.csv") != std::string::npos);
    BOOST_TEST(all_certified(parse(text)));
    // One width stands for every hidden layer; a custom point name is used.
    BOOST_TEST(construct_run({"dead-layer", "--data", good, "--depth", "4", "--widths", "3", "--mean-point-name", "m"}, &text) == 0);
    BOOST_TEST(parse(text).problem.net.layers.size() == 4u);
    BOOST_TEST(text.find("claim local_min m ") != std::string::npos);
    // --output writes the same text.
    const std::string nnc = (dir / "out.nnc").string();
    BOOST_TEST(construct_run({"dead-layer", "--data", good, "--depth", "2", "--widths", "3", "--output", nnc}, &text) == 0);
    std::ifstream in(nnc);
    std::stringstream written;
    written << in.rdbuf();
    BOOST_TEST(all_certified(parse(written.str())));
    // Refusals: exit 2 with one error line.
    BOOST_TEST(construct_run({"dead-layer", "--data", flat, "--depth", "2", "--widths", "3"}, nullptr, &err) == 2);
    BOOST_TEST(err.rfind("nncert construct: error: the dataset is not decent", 0) == 0);
    // Bad option values are usage errors (exit 4, one line and the pointer to --help), as in every command.
    BOOST_TEST(construct_run({"dead-layer", "--data", good, "--depth", "1", "--widths", "3"}, nullptr, &err) == 4);
    BOOST_TEST(err.find("try 'nncert construct --help'") != std::string::npos);
    BOOST_TEST(construct_run({"dead-layer", "--data", good, "--depth", "2", "--widths", "2"}, nullptr, &err) == 2);
    BOOST_TEST(construct_run({"dead-layer", "--data", good, "--depth", "3", "--widths", "3,0"}, nullptr, &err) == 2);
    BOOST_TEST(construct_run({"dead-layer", "--data", good, "--depth", "3", "--widths", "3,3,3"}, nullptr, &err) == 4);
    BOOST_TEST(construct_run({"dead-layer", "--data", (dir / "missing.csv").string(), "--depth", "2", "--widths", "3"},
                   nullptr, &err) == 2);
    BOOST_TEST(err.find("error[io]") != std::string::npos);
    // Usage errors: exit 4.
    BOOST_TEST(construct_run({"dead-layer", "--data", good, "--depth", "2"}, nullptr, &err) == 4);
    BOOST_TEST(construct_run({"dead-layer", "--data", good, "--depth", "two", "--widths", "3"}, nullptr, &err) == 4);
    BOOST_TEST(construct_run({"dead-layer", "--data", good, "--depth", "2", "--widths", "3", "--colour", "x"}, nullptr, &err) == 4);
    BOOST_TEST(construct_run({"saddle", "--data", good}, nullptr, &err) == 4);
    BOOST_TEST(construct_run({"dead-layer", "--help"}, &text) == 0);
    fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(random_datasets_are_certified_or_refused) {
    // Property: for 1000 random datasets, the script is fully certified exactly when the data is decent,
    // and the construction refuses (ConstructionError) exactly when it is not.
    Draw r{std::mt19937(20170101u)};
    const auto start = std::chrono::steady_clock::now();
    int decent = 0, refused = 0, repeated = 0, deep = 0;
    for (int i = 0; i < 1000; ++i) {
        std::vector<std::size_t> widths(static_cast<std::size_t>(r.in(1, 5)));
        for (std::size_t l = 0; l < widths.size(); ++l) widths[l] = static_cast<std::size_t>(r.in(l ? 1 : 3, 8));
        const std::size_t dim = static_cast<std::size_t>(r.in(1, 4)), n = static_cast<std::size_t>(r.in(5, 50));
        const long roll = r.in(0, 9);
        const int kind = roll == 0 ? 1 : roll == 1 ? 2 : 0;
        const std::vector<Sample> d = decent_candidate_data(r, dim, n, kind);
        const bool expect = decent_naive(d);
        BOOST_TEST_CONTEXT("dataset " << i << " (depth " << widths.size() + 1 << ", dim " << dim << ", " << n
                                      << " rows, label kind " << kind << ")") {
            if (kind != 0) BOOST_TEST(!expect);  // the generator's non-decent kinds really are not decent
            if (tools::group_by_input(d).size() < d.size()) ++repeated;
            if (!expect) {
                BOOST_CHECK_THROW(tools::build_dead_layer(d, widths), ConstructionError);
                ++refused;
                continue;
            }
            const auto c = tools::build_dead_layer(d, widths);
            const auto s = parse(tools::render_script(c));
            BOOST_TEST(s.claims.size() == 7u);
            BOOST_TEST(all_certified(s));
            ++decent;
            if (widths.size() >= 2 && (c.center.mu < 0 || c.center.nu < 0)) ++deep;
        }
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    BOOST_TEST_MESSAGE("construct property: " << decent << " decent certified, " << refused << " refused, "
                       << repeated << " with repeated inputs, " << deep << " deep with a negative mean, "
                       << seconds << " s");
    BOOST_TEST(decent >= 600);
    BOOST_TEST(refused >= 100);
    BOOST_TEST(repeated >= 200);
    BOOST_TEST(deep >= 200);
}

BOOST_AUTO_TEST_SUITE_END()
