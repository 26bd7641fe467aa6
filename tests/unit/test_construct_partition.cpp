// The partition generator (Section 3.2 in R^d): option checks, the command line, and a seeded property test
// that every script it writes is fully certified by the kernel and has, re-checked here independently of the
// generator, the structure docs/paper.md promises (regions, units on one region each, blind spots, general
// position, no lower neighbour of the bad minimum).
#include "test_paths.hpp"
#include "kernel/exact.hpp"
#include "kernel/kernel.hpp"
#include "script/lexer.hpp"
#include "script/script.hpp"
#include "tools/construct_command.hpp"
#include "tools/partition_construction.hpp"
#include "tools/rational_linear_algebra.hpp"

#include "construct_support.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include <unistd.h>

using namespace nncert;
using test::all_certified;
using test::construct_run;
using kernel::Rational;
using kernel::Vector;
using tools::PartitionError;
using tools::PartitionFamily;
using tools::PartitionOptions;

namespace {

script::Script parse(const std::string& text) { return test::parse_generated(text); }

// One point's first layer read back from the parsed script: unit j computes out[j] relu(W[j].x + b[j]).
struct Layer1 {
    std::vector<Vector> W;
    Vector b, out;
};

Layer1 layer1(const kernel::Network& net, const Vector& p) {
    const std::size_t d = net.input_dim, k = net.layers[0].width;
    Layer1 l;
    for (std::size_t j = 0; j < k; ++j) {
        l.W.emplace_back(p.begin() + static_cast<long>(net.weight_offset(0) + j * d),
                         p.begin() + static_cast<long>(net.weight_offset(0) + (j + 1) * d));
        l.b.push_back(p[net.bias_offset(0) + j]);
        l.out.push_back(p[net.weight_offset(1) + j]);
    }
    return l;
}

Rational pre(const Layer1& l, std::size_t j, const Vector& x) { return tools::dot(l.W[j], x) + l.b[j]; }

bool parallel(const Vector& a, const Vector& b) { return tools::rank({a, b}) < 2; }

// The structural promises, checked from the parsed script and the data alone (plus the region labels).
struct Structure {
    bool units_on_one_region = true;  // every unit on (z > 0) somewhere, and only on rows of one region
    bool general_position = true;     // distinct hyperplanes: all d entries nonzero, none parallel (d >= 2)
    std::size_t kinks = 0;            // (row, unit) with z = 0
    std::size_t blind_spots = 0;      // rows with every z < 0
    std::size_t rows_without_on_unit = 0;
};

Structure structure(const script::Script& s, const kernel::Point& pt, const std::vector<std::size_t>& region_of) {
    const kernel::Network& net = s.problem.net;
    const Layer1 l = layer1(net, pt.params);
    Structure st;
    const std::size_t k = l.W.size(), d = net.input_dim;
    for (std::size_t j = 0; j < k; ++j) {
        std::size_t region = SIZE_MAX;
        for (std::size_t i = 0; i < s.problem.data.size(); ++i) {
            if (pre(l, j, s.problem.data[i].x).sign() <= 0) continue;
            if (region == SIZE_MAX) region = region_of[i];
            st.units_on_one_region = st.units_on_one_region && region == region_of[i];
        }
        st.units_on_one_region = st.units_on_one_region && region != SIZE_MAX;
        for (const Rational& w : l.W[j]) st.general_position = st.general_position && !kernel::is_zero(w);
        for (std::size_t i = 0; i < j && d >= 2; ++i) {
            const bool same = l.W[i] == l.W[j] && l.b[i] == l.b[j];  // split copies share a hyperplane
            st.general_position = st.general_position && (same || !parallel(l.W[i], l.W[j]));
        }
    }
    for (const kernel::Sample& row : s.problem.data) {
        bool on = false, any_nonneg = false;
        for (std::size_t j = 0; j < k; ++j) {
            const int sign = pre(l, j, row.x).sign();
            st.kinks += sign == 0;
            on = on || sign > 0;
            any_nonneg = any_nonneg || sign >= 0;
        }
        st.blind_spots += !any_nonneg;
        st.rows_without_on_unit += !on;
    }
    return st;
}

// Each region's rows affinely span R^d, and each region's separator is positive exactly on its rows.
bool regions_are_d_dimensional(const tools::PartitionConstruction& c) {
    for (std::size_t g = 0; g < c.regions.size(); ++g) {
        const auto& rows = c.regions[g].rows;
        std::vector<Vector> diffs;
        for (std::size_t i = 1; i < rows.size(); ++i) {
            Vector v = c.data[rows[i]].x;
            for (std::size_t j = 0; j < v.size(); ++j) v[j] -= c.data[rows[0]].x[j];
            diffs.push_back(v);
        }
        if (tools::rank(diffs) != c.options.dim) return false;
        for (std::size_t i = 0; i < c.data.size(); ++i)
            if ((c.regions[g].separator.at(c.data[i].x).sign() > 0) != (c.region_of[i] == g)) return false;
    }
    return true;
}

// The labels are what the header says: c0 + affine part + sum_f beta_f relu(fold_f) on each region.
bool labels_match_teacher(const tools::PartitionConstruction& c) {
    for (std::size_t i = 0; i < c.data.size(); ++i) {
        const tools::PartitionRegion& reg = c.regions[c.region_of[i]];
        Rational y = c.label_offset + reg.affine_part.at(c.data[i].x);
        for (std::size_t f = 0; f < reg.folds.size(); ++f) {
            const Rational z = reg.folds[f].at(c.data[i].x);
            if (z.sign() > 0) y += reg.fold_weights[f] * z;
        }
        if (y != c.data[i].y[0]) return false;
    }
    return true;
}

// No random exact perturbation of max-norm <= 1/inv_eps lowers the loss (a sanity check of `local_min`).
bool no_lower_neighbour(const kernel::Problem& pb, const Vector& p, std::mt19937_64& g) {
    const Rational base = kernel::loss(pb, p);
    for (const long inv_eps : {1000L, 1000000L})
        for (int t = 0; t < 12; ++t) {
            Vector q = p;
            for (Rational& x : q) x += Rational(static_cast<long>(g() % 2001) - 1000, 1000 * inv_eps);
            if (kernel::loss(pb, q) < base) return false;
        }
    return true;
}

PartitionOptions opts(std::size_t d, std::size_t regions = 2, std::size_t folds = 1, std::size_t units = 0,
                      PartitionFamily f = PartitionFamily::swap) {
    PartitionOptions o;
    o.dim = d;
    o.regions = regions;
    o.folds = folds;
    o.units = units;
    o.family = f;
    return o;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(construct_partition)

BOOST_AUTO_TEST_CASE(option_limits) {
    BOOST_CHECK_THROW(tools::resolve_options(opts(0)), PartitionError);
    BOOST_CHECK_THROW(tools::resolve_options(opts(17)), PartitionError);
    BOOST_CHECK_THROW(tools::resolve_options(opts(2, 1)), PartitionError);
    BOOST_CHECK_THROW(tools::resolve_options(opts(2, 4)), PartitionError);  // at most d + 1 regions
    BOOST_CHECK_THROW(tools::resolve_options(opts(2, 2, 0)), PartitionError);
    BOOST_CHECK_THROW(tools::resolve_options(opts(2, 2, 5)), PartitionError);
    BOOST_CHECK_THROW(tools::resolve_options(opts(2, 2, 1, 2)), PartitionError);  // swap needs M + F units
    BOOST_CHECK_THROW(tools::resolve_options(opts(2, 2, 1, 65)), PartitionError);
    BOOST_CHECK_THROW(tools::resolve_options(opts(2, 2, 2, 0, PartitionFamily::blind_spot)), PartitionError);
    BOOST_CHECK_THROW(tools::resolve_options(opts(2, 2, 1, 3, PartitionFamily::blind_spot)), PartitionError);
    PartitionOptions few = opts(3);
    few.points = 4;  // d + 2 = 5 at least
    BOOST_CHECK_THROW(tools::resolve_options(few), PartitionError);
    PartitionOptions kinks = opts(2, 3, 2);
    kinks.kinks = 7;  // 3 regions x 2 folds
    BOOST_CHECK_THROW(tools::resolve_options(kinks), PartitionError);
    kinks.kinks = 6;
    BOOST_TEST(tools::resolve_options(kinks).units == 5u);
    PartitionOptions blind = opts(3, 2, 1, 0, PartitionFamily::blind_spot);
    blind.kinks = 2;
    BOOST_CHECK_THROW(tools::resolve_options(blind), PartitionError);
    PartitionOptions deep = opts(2);
    deep.hidden_layers = 3;
    BOOST_CHECK_THROW(tools::resolve_options(deep), PartitionError);
    deep.hidden_layers = 0;
    BOOST_CHECK_THROW(tools::resolve_options(deep), PartitionError);
    const PartitionOptions def = tools::resolve_options(opts(5));
    BOOST_TEST(def.units == 3u);
    BOOST_TEST(def.points == 8u);
    BOOST_TEST(tools::resolve_options(opts(5, 6, 1, 0, PartitionFamily::blind_spot)).units == 6u);
}

BOOST_AUTO_TEST_CASE(deterministic_and_seeded) {
    PartitionOptions o = opts(3);
    o.seed = 42;
    const std::string a = tools::render_partition_script(tools::build_partition(o));
    BOOST_TEST(a == tools::render_partition_script(tools::build_partition(o)));
    o.seed = 43;
    BOOST_TEST(a != tools::render_partition_script(tools::build_partition(o)));
    tools::PartitionNames same;
    same.better = "bad";
    BOOST_CHECK_THROW(tools::render_partition_script(tools::build_partition(o), same), PartitionError);
    tools::PartitionNames digit;
    digit.bad = "2bad";
    BOOST_CHECK_THROW(tools::render_partition_script(tools::build_partition(o), digit), PartitionError);
}

BOOST_AUTO_TEST_CASE(command_line) {
    namespace fs = std::filesystem;
    std::string text, err;
    BOOST_TEST(construct_run({"partition", "--dim", "2", "--seed", "9", "--kinks", "1", "--bad-point-name", "stuck"}, &text) == 0);
    BOOST_TEST(text.find("# Regenerate: nncert construct partition --dim 2 --seed 9 --kinks 1 --bad-point-name stuck") !=
               std::string::npos);
    BOOST_TEST(text.find("claim local_min stuck") != std::string::npos);
    BOOST_TEST(all_certified(parse(text)));
    BOOST_TEST(construct_run({"partition", "--dim", "2", "--hidden-layers", "2", "--kinks", "2"}, &text) == 0);
    BOOST_TEST(parse(text).problem.net.layers.size() == 3u);
    BOOST_TEST(all_certified(parse(text)));
    BOOST_TEST(construct_run({"partition", "--dim", "2", "--hidden-layers", "3"}, nullptr, &err) == 2);
    BOOST_TEST(construct_run({"partition", "--dim", "3", "--family", "blind-spot"}, &text) == 0);
    BOOST_TEST(text.find("blind spots (every unit off) at rows") != std::string::npos);
    const fs::path out = fs::temp_directory_path() / ("nncert-partition-" + std::to_string(::getpid()) + ".nnc");
    BOOST_TEST(construct_run({"partition", "--dim", "2", "--output", out.string()}, &text, &err) == 0);
    BOOST_TEST(text.empty());
    BOOST_TEST(err.find("wrote") != std::string::npos);
    std::ifstream in(out);
    std::stringstream written;
    written << in.rdbuf();
    BOOST_TEST(all_certified(parse(written.str())));
    fs::remove(out);
    // Construction errors: exit 2, one line.
    BOOST_TEST(construct_run({"partition", "--dim", "2", "--regions", "4"}, nullptr, &err) == 2);
    BOOST_TEST(err.rfind("nncert construct: error: --regions must be between 2 and dim + 1", 0) == 0);
    BOOST_TEST(construct_run({"partition", "--dim", "40"}, nullptr, &err) == 2);
    BOOST_TEST(construct_run({"partition", "--dim", "2", "--bad-point-name", "x y"}, nullptr, &err) == 2);
    // The format's name limit (script::max_name_bytes) holds in the generator: a longer name is refused
    // here, not written into a script that `check` rejects (issue-14 review F3); the longest one is read back.
    const std::string longest(script::max_name_bytes, 'a'), too_long(script::max_name_bytes + 1, 'a');
    BOOST_TEST(construct_run({"partition", "--dim", "2", "--bad-point-name", too_long}, nullptr, &err) == 2);
    BOOST_TEST(err.find("a name longer than " + std::to_string(script::max_name_bytes) + " characters") != std::string::npos);
    BOOST_TEST(construct_run({"partition", "--dim", "2", "--better-point-name", too_long}, nullptr, &err) == 2);
    BOOST_TEST(construct_run({"partition", "--dim", "2", "--bad-point-name", longest}, &text) == 0);
    BOOST_TEST(all_certified(parse(text)));
    // Usage errors: exit 4.
    BOOST_TEST(construct_run({"partition"}, nullptr, &err) == 4);
    BOOST_TEST(err.find("--dim is required") != std::string::npos);
    BOOST_TEST(construct_run({"partition", "--dim", "two"}, nullptr, &err) == 4);
    BOOST_TEST(construct_run({"partition", "--dim", "2", "--family", "xor"}, nullptr, &err) == 4);
    BOOST_TEST(construct_run({"partition", "--dim", "2", "--seed", "-1"}, nullptr, &err) == 4);
    BOOST_TEST(construct_run({"partition", "--dim", "2", "--units", "0"}, nullptr, &err) == 4);
    BOOST_TEST(construct_run({"partition", "--dim", "2", "--data", "x.csv"}, nullptr, &err) == 4);
    BOOST_TEST(construct_run({"partition", "--dim"}, nullptr, &err) == 4);
    BOOST_TEST(construct_run({"partition", "--help"}, &text) == 0);
    BOOST_TEST(text.find("construct partition --dim D") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(proofs_regenerate_byte_for_byte) {
    // Every script under proofs/generalized/ is exactly what its "# Regenerate:" command writes (the
    // generator is deterministic across platforms: mt19937_64 and our own integer draws).
    namespace fs = std::filesystem;
    std::size_t scripts = 0;
    for (const auto& entry : fs::directory_iterator(fs::path(NNCERT_SOURCE_DIR) / "proofs" / "generalized")) {
        if (entry.path().extension() != ".nnc") continue;
        BOOST_TEST_CONTEXT(entry.path().filename().string()) {
            std::ifstream in(entry.path(), std::ios::binary);
            std::stringstream text;
            text << in.rdbuf();
            const std::string file = text.str(), tag = "# Regenerate: nncert construct ";
            const std::size_t at = file.find(tag);
            BOOST_TEST_REQUIRE(at != std::string::npos);
            const std::string line = file.substr(at, file.find('\n', at) - at);
            std::vector<std::string> args;
            std::istringstream words(line.substr(tag.size()));
            for (std::string w; words >> w;) args.push_back(w);
            for (std::size_t i = 0; i + 1 < args.size(); ++i)
                if (args[i] == "--output") args.erase(args.begin() + static_cast<long>(i), args.begin() + static_cast<long>(i) + 2);
            std::ostringstream out, err;
            BOOST_TEST_REQUIRE(tools::run_construct(args, out, err) == 0);
            std::string regenerated = out.str();
            const std::size_t at2 = regenerated.find(tag);
            BOOST_TEST_REQUIRE(at2 != std::string::npos);
            regenerated.replace(at2, regenerated.find('\n', at2) - at2, line);  // the same command, with --output
            BOOST_TEST(regenerated == file);
            ++scripts;
        }
    }
    BOOST_TEST(scripts >= 6u);
}

// Whether the header line "# The kernel certifies local_min B by M1, G by M2." names, for each point, the
// method the kernel reports for `local_min` there (issue-14 review F7: the deep scripts' header once named
// the activation-pattern method, which does not apply to two hidden layers).
bool header_names_local_min_methods(const std::string& text) {
    const std::string tag = "# The kernel certifies local_min ";
    const std::size_t at = text.find(tag);
    if (at == std::string::npos) return false;
    std::string line = text.substr(at + tag.size(), text.find('\n', at) - at - tag.size());
    if (line.empty() || line.back() != '.') return false;
    line.pop_back();
    const script::Script s = parse(text);
    std::size_t matched = 0;
    std::istringstream parts(line);
    for (std::string part; std::getline(parts, part, ',');) {
        std::istringstream words(part);
        std::string name, by, method, extra;
        if (!(words >> name >> by >> method) || by != "by" || (words >> extra)) return false;
        for (const auto& c : s.claims)
            if (c.claim.kind == kernel::ClaimKind::local_min && !c.claim.negated && c.text == "local_min " + name) {
                if (kernel::check(s.problem, s.points, c.claim).method() != method) return false;
                ++matched;
            }
    }
    return matched == 2;
}

BOOST_AUTO_TEST_CASE(headers_name_the_certifying_local_min_method) {
    namespace fs = std::filesystem;
    std::size_t scripts = 0;
    for (const auto& entry : fs::directory_iterator(fs::path(NNCERT_SOURCE_DIR) / "proofs" / "generalized")) {
        if (entry.path().extension() != ".nnc") continue;
        std::ifstream in(entry.path(), std::ios::binary);
        std::stringstream text;
        text << in.rdbuf();
        BOOST_TEST_CONTEXT(entry.path().filename().string()) { BOOST_TEST(header_names_local_min_methods(text.str())); }
        ++scripts;
    }
    BOOST_TEST(scripts >= 8u);
    for (std::size_t layers : {1u, 2u})
        for (PartitionFamily f : {PartitionFamily::swap, PartitionFamily::blind_spot}) {
            PartitionOptions o;
            o.dim = 3;
            o.family = f;
            o.hidden_layers = layers;
            o.kinks = 1;
            BOOST_TEST_CONTEXT("hidden layers " << layers << ", blind-spot family " << (f == PartitionFamily::blind_spot)) {
                BOOST_TEST(header_names_local_min_methods(tools::render_partition_script(tools::build_partition(o))));
            }
        }
}

BOOST_AUTO_TEST_CASE(random_instances_are_certified) {
    // Property: over 300 seeded random option sets (d = 1 to 6, 2 to 4 regions, 1 to 3 folds, spare units,
    // kinks, both families, one or two hidden layers), the generator never refuses, every claim it writes is
    // certified, and the structure re-checked here holds.
    std::mt19937_64 g(14);
    auto in = [&](long lo, long hi) { return static_cast<std::size_t>(lo + static_cast<long>(g() % static_cast<unsigned long>(hi - lo + 1))); };
    const auto start = std::chrono::steady_clock::now();
    std::size_t blind = 0, kinked = 0, zero_loss = 0, spare = 0, many_regions = 0, deep = 0, attempts = 0, claims = 0;
    for (int t = 0; t < 300; ++t) {
        PartitionOptions o;
        o.dim = t % 10 == 9 ? 6 : in(1, 5);
        o.family = t % 4 == 3 ? PartitionFamily::blind_spot : PartitionFamily::swap;
        o.regions = in(2, std::min<long>(static_cast<long>(o.dim) + 1, 4));
        o.folds = o.family == PartitionFamily::swap ? in(1, t % 3 == 0 ? 3 : 1) : 1;
        if (o.family == PartitionFamily::swap) o.units = o.regions + o.folds + in(0, 2) * (t % 2);
        o.points = o.dim + 2 + o.folds + in(0, 2);
        o.kinks = in(0, o.family == PartitionFamily::swap ? static_cast<long>(o.regions * o.folds) : 1);
        o.hidden_layers = t % 4 == 1 ? 2 : 1;
        o.seed = g();
        BOOST_TEST_CONTEXT("instance " << t << ": d " << o.dim << ", M " << o.regions << ", F " << o.folds << ", k "
                                       << o.units << ", n " << o.points << ", kinks " << o.kinks << ", blind "
                                       << (o.family == PartitionFamily::blind_spot) << ", hidden layers "
                                       << o.hidden_layers << ", seed " << o.seed) {
            tools::PartitionConstruction c;
            BOOST_REQUIRE_NO_THROW(c = tools::build_partition(o));
            attempts += c.attempts;
            const script::Script s = parse(tools::render_partition_script(c));
            claims += s.claims.size();
            BOOST_TEST(all_certified(s));
            BOOST_TEST(regions_are_d_dimensional(c));
            BOOST_TEST(labels_match_teacher(c));
            const Structure bad = structure(s, s.points.at(0), c.region_of);
            const Structure better = structure(s, s.points.at(1), c.region_of);
            for (const Structure* st : {&bad, &better}) {
                BOOST_TEST(st->units_on_one_region);
                BOOST_TEST(st->general_position);
            }
            BOOST_TEST(bad.rows_without_on_unit == 0u);  // the bad minimum never has a blind spot
            BOOST_TEST(bad.kinks == c.bad.kinks.size());
            BOOST_TEST(better.kinks == c.better.kinks.size());
            if (o.family == PartitionFamily::blind_spot) {
                BOOST_TEST(better.blind_spots > 0u);  // ... while the better point has one
                BOOST_TEST(bad.kinks == 0u);
                ++blind;
            }
            BOOST_TEST(no_lower_neighbour(s.problem, s.points.at(0).params, g));
            kinked += bad.kinks + better.kinks > 0;
            zero_loss += c.better.loss == 0;
            spare += o.units > o.regions + o.folds;
            many_regions += o.regions >= 3;
            deep += o.hidden_layers == 2;
        }
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    BOOST_TEST_MESSAGE("construct partition property: 300 instances, " << claims << " claims certified, " << blind
                       << " blind-spot, " << kinked << " with kinks, " << zero_loss << " with a zero-loss better point, "
                       << spare << " with spare units, " << many_regions << " with >= 3 regions, " << deep
                       << " with two hidden layers, " << attempts
                       << " draws in all, " << seconds << " s");
    BOOST_TEST(blind >= 60u);
    BOOST_TEST(kinked >= 100u);
    BOOST_TEST(zero_loss >= 30u);
    BOOST_TEST(many_regions >= 60u);
    BOOST_TEST(deep >= 60u);
}

BOOST_AUTO_TEST_SUITE_END()
