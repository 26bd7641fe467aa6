// Unit tests of the script front end (src/script/): the paper's example 1, every error code,
// CSV data, and the canonical printer's round trip. Tests assert error codes, never message text.
#include "test_paths.hpp"
#include "script/script.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

namespace fs = std::filesystem;
namespace k = nncert::kernel;
using nncert::script::ParseError;
using nncert::script::Script;
using nncert::script::parse_file;
using nncert::script::parse_text;
using nncert::script::print_canonical;

namespace {

const std::string root = NNCERT_SOURCE_DIR;
const std::string good_dir = root + "/tests/scripts/good";
const std::string errors_dir = root + "/tests/scripts/errors";

k::Rational q(long p, long d = 1) { return k::Rational(p) / k::Rational(d); }

k::Vector vec(std::initializer_list<long> xs) {
    k::Vector v;
    for (long x : xs) v.push_back(q(x));
    return v;
}

// A valid script with one relu unit; `extra` is appended, `replace` swaps one block's text.
const std::string data_block = "data {\n  5 -> 2\n  -1 -> 3\n}\n";
const std::string net_block = "network {\n  input 1\n  dense 1 relu\n  dense 1 identity\n}\n";
const std::string point_block = "point bad {\n  W1 = [[1]]\n  b1 = [-3]\n  W2 = [[1]]\n  b2 = [0]\n}\n";

std::string script(const std::string& extra = "", std::string data = data_block, std::string net = net_block,
                   std::string loss = "loss sse\n", std::string point = point_block) {
    return "nncert 1\n" + data + net + loss + point + extra;
}

// The code of the error that parsing `text` raises, or "none".
std::string error_of(const std::string& text, const std::string& base_dir = errors_dir) {
    try {
        parse_text(text, "test.nnc", base_dir);
    } catch (const ParseError& e) {
        return e.code;
    }
    return "none";
}

ParseError error_at(const std::string& text) {
    try {
        parse_text(text, "test.nnc", errors_dir);
    } catch (const ParseError& e) {
        return e;
    }
    BOOST_FAIL("expected a ParseError");
    throw;  // unreachable
}

// Everything a Script carries except its path and source positions.
void check_equal(const Script& a, const Script& b) {
    BOOST_TEST(a.version == b.version);
    BOOST_TEST((a.data_file == b.data_file));
    BOOST_TEST((a.precision == b.precision));
    const k::Problem &p = a.problem, &r = b.problem;
    BOOST_TEST(p.net.input_dim == r.net.input_dim);
    BOOST_TEST_REQUIRE(p.net.layers.size() == r.net.layers.size());
    for (std::size_t l = 0; l < p.net.layers.size(); ++l) {
        const k::Layer &x = p.net.layers[l], &y = r.net.layers[l];
        BOOST_TEST(x.width == y.width);
        BOOST_TEST((x.activation.kind == y.activation.kind));
        BOOST_TEST(x.activation.alpha == y.activation.alpha);
        BOOST_TEST((x.activation.coeffs == y.activation.coeffs));
        BOOST_TEST(x.bias == y.bias);
    }
    BOOST_TEST_REQUIRE(p.data.size() == r.data.size());
    for (std::size_t i = 0; i < p.data.size(); ++i) {
        BOOST_TEST((p.data[i].x == r.data[i].x));
        BOOST_TEST((p.data[i].y == r.data[i].y));
        BOOST_TEST(p.data[i].weight == r.data[i].weight);
    }
    BOOST_TEST((p.loss == r.loss));
    BOOST_TEST(p.weight_decay == r.weight_decay);
    BOOST_TEST(a.data_weighted == b.data_weighted);
    BOOST_TEST(p.classify.has_value() == r.classify.has_value());
    if (p.classify && r.classify) BOOST_TEST(p.classify->threshold == r.classify->threshold);
    BOOST_TEST_REQUIRE(a.points.size() == b.points.size());
    for (std::size_t i = 0; i < a.points.size(); ++i) {
        BOOST_TEST(a.points[i].name == b.points[i].name);
        BOOST_TEST((a.points[i].params == b.points[i].params));
    }
    BOOST_TEST_REQUIRE(a.claims.size() == b.claims.size());
    for (std::size_t i = 0; i < a.claims.size(); ++i) {
        const k::Claim &x = a.claims[i].claim, &y = b.claims[i].claim;
        BOOST_TEST((x.kind == y.kind));
        BOOST_TEST(x.negated == y.negated);
        BOOST_TEST(x.point == y.point);
        BOOST_TEST(x.other == y.other);
        BOOST_TEST(x.value == y.value);
        BOOST_TEST((x.radius == y.radius));
        BOOST_TEST((x.lower == y.lower));
        BOOST_TEST((x.upper == y.upper));
        BOOST_TEST(x.region.has_value() == y.region.has_value());
        if (x.region && y.region) {
            BOOST_TEST(x.region->name == y.region->name);
            BOOST_TEST_REQUIRE(x.region->box.size() == y.region->box.size());
            for (std::size_t k = 0; k < x.region->box.size(); ++k) {
                BOOST_TEST((x.region->box[k].lo == y.region->box[k].lo));
                BOOST_TEST((x.region->box[k].hi == y.region->box[k].hi));
            }
        }
        BOOST_TEST(x.region_subject == y.region_subject);
        BOOST_TEST((x.layer == y.layer));
        BOOST_TEST((x.steps == y.steps));
        BOOST_TEST(a.claims[i].text == b.claims[i].text);
    }
    BOOST_TEST((a.max_boxes == b.max_boxes));
    BOOST_TEST(a.regions.size() == b.regions.size());
}

std::string first_lines_value(const std::string& path, const std::string& key) {
    std::ifstream in(path, std::ios::binary);
    for (std::string line; std::getline(in, line) && line.rfind("#", 0) == 0;)
        if (line.rfind("# " + key + ": ", 0) == 0) return line.substr(key.size() + 4);
    return "";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(parser)

BOOST_AUTO_TEST_CASE(paper_example_1) {
    const Script s = parse_file(good_dir + "/example1.nnc");
    BOOST_TEST(s.version == 1);
    BOOST_TEST(!s.data_file.has_value());
    const k::Problem& p = s.problem;
    BOOST_TEST(p.net.input_dim == 1u);
    BOOST_TEST_REQUIRE(p.net.layers.size() == 2u);
    BOOST_TEST((p.net.layers[0].activation.kind == k::ActivationKind::relu));
    BOOST_TEST((p.net.layers[1].activation.kind == k::ActivationKind::identity));
    BOOST_TEST(p.net.num_params() == 4u);
    BOOST_TEST_REQUIRE(p.data.size() == 5u);
    BOOST_TEST((p.data[3].x == vec({1})));
    BOOST_TEST((p.data[3].y == vec({-3})));
    BOOST_TEST((p.data[4].x == vec({-1})));
    BOOST_TEST((p.data[4].y == vec({3})));
    BOOST_TEST((p.loss == k::LossKind::sse));
    BOOST_TEST_REQUIRE(p.classify.has_value());
    BOOST_TEST(p.classify->threshold == q(1, 2));

    BOOST_TEST_REQUIRE(s.points.size() == 2u);
    BOOST_TEST(s.points[0].name == "bad");
    BOOST_TEST((s.points[0].params == vec({1, -3, 1, 0})));  // W1, b1, W2, b2
    BOOST_TEST(s.points[1].name == "good");
    BOOST_TEST((s.points[1].params == vec({-7, -4, 1, 0})));

    BOOST_TEST_REQUIRE(s.claims.size() == 7u);
    BOOST_TEST((s.claims[0].claim.kind == k::ClaimKind::loss));
    BOOST_TEST(s.claims[0].claim.value == q(18));
    BOOST_TEST(s.claims[0].text == "loss bad = 18");
    BOOST_TEST(s.claims[1].claim.point == 1u);
    BOOST_TEST((s.claims[2].claim.kind == k::ClaimKind::gap));
    BOOST_TEST(s.claims[2].claim.point == 0u);
    BOOST_TEST(s.claims[2].claim.other == 1u);
    BOOST_TEST(s.claims[2].text == "gap bad > good");
    BOOST_TEST((s.claims[3].claim.kind == k::ClaimKind::kink_free));
    BOOST_TEST(s.claims[3].claim.negated);
    BOOST_TEST(s.claims[3].text == "not kink_free bad");
    BOOST_TEST(s.claims[4].text == "critical good");
    BOOST_TEST((s.claims[5].claim.kind == k::ClaimKind::kink_free));
    BOOST_TEST(!s.claims[5].claim.negated);
    BOOST_TEST((s.claims[6].claim.kind == k::ClaimKind::accuracy));
    BOOST_TEST(s.claims[6].claim.value == q(4, 5));
    BOOST_TEST(s.claims[6].text == "accuracy bad = 4/5");
    BOOST_TEST(s.claims[6].loc.line == 38u);
    BOOST_TEST(s.claims[6].loc.col == 1u);
}

BOOST_AUTO_TEST_CASE(parameter_layout_follows_network_offsets) {
    // 2 inputs -> 2 relu -> 1: W1 (2x2 row-major), b1, W2 (1x2), b2.
    const Script s = parse_text(
        "nncert 1 data { 1, 2 -> 3 } network { input 2 dense 2 relu dense 1 identity } loss mse\n"
        "point p { b2 = [9] W2 = [[7, 8]] b1 = [5, 6] W1 = [[1, 2], [3, 4]] }\n",
        "t.nnc", "");
    BOOST_TEST((s.points[0].params == vec({1, 2, 3, 4, 5, 6, 7, 8, 9})));
    BOOST_TEST(s.problem.net.param_name(2) == "W1[2,1]");
    BOOST_TEST((s.problem.loss == k::LossKind::mse));
}

BOOST_AUTO_TEST_CASE(activations_and_blocks_in_any_order) {
    const Script s = parse_text(
        "nncert 1\nclaim critical p\npoint p { W1 = [[1/2]] b1 = [0] W2 = [[1]] b2 = [0] W3 = [[1]] b3 = [0] }\n"
        "loss sse\nnetwork { input 1 dense 1 leaky_relu(1/100) dense 1 poly(0, 1, -1/2) dense 1 identity }\n"
        "data { 0.5 -> 1e-1 }\n",
        "t.nnc", "");
    const auto& layers = s.problem.net.layers;
    BOOST_TEST((layers[0].activation.kind == k::ActivationKind::leaky_relu));
    BOOST_TEST(layers[0].activation.alpha == q(1, 100));
    BOOST_TEST((layers[1].activation.kind == k::ActivationKind::poly));
    BOOST_TEST((layers[1].activation.coeffs == k::Vector{q(0), q(1), q(-1, 2)}));
    BOOST_TEST((s.problem.data[0].x == k::Vector{q(1, 2)}));
    BOOST_TEST((s.problem.data[0].y == k::Vector{q(1, 10)}));
    BOOST_TEST(!s.problem.classify.has_value());
}

BOOST_AUTO_TEST_CASE(every_claim_kind) {
    const Script s = parse_text(script("point q { W1 = [[2]] b1 = [0] W2 = [[1]] b2 = [0] }\n"
                                       "classify threshold 0\n"
                                       "claim loss bad = 4 + 1/3\nclaim gap q > bad\nclaim kink_free bad\n"
                                       "claim critical bad\nclaim hessian_pd bad\nclaim strict_local_min bad\n"
                                       "claim local_min bad\nclaim accuracy q = 1\nclaim not local_min q\n"),
                                "t.nnc", "");
    const std::vector<k::ClaimKind> kinds{k::ClaimKind::loss,       k::ClaimKind::gap,
                                          k::ClaimKind::kink_free,  k::ClaimKind::critical,
                                          k::ClaimKind::hessian_pd, k::ClaimKind::strict_local_min,
                                          k::ClaimKind::local_min,  k::ClaimKind::accuracy,
                                          k::ClaimKind::local_min};
    BOOST_TEST_REQUIRE(s.claims.size() == kinds.size());
    for (std::size_t i = 0; i < kinds.size(); ++i) BOOST_TEST((s.claims[i].claim.kind == kinds[i]));
    BOOST_TEST(s.claims[0].claim.value == q(13, 3));
    BOOST_TEST(s.claims[1].claim.point == 1u);
    BOOST_TEST(s.claims[1].claim.other == 0u);
    BOOST_TEST(s.claims[5].text == "strict_local_min bad");
    BOOST_TEST(s.claims[8].claim.negated);
    BOOST_TEST(s.claims[8].text == "not local_min q");
}

BOOST_AUTO_TEST_CASE(data_rows_end_at_line_ends) {
    // `2` then `-1` on the next line are two rows, not 2 - 1.
    const Script s = parse_text(script("", "data {\n  5 -> 2\n  -1 -> 3\n  4 -> 1 - 1\n}\n"), "t.nnc", "");
    BOOST_TEST_REQUIRE(s.problem.data.size() == 3u);
    BOOST_TEST((s.problem.data[0].y == vec({2})));
    BOOST_TEST((s.problem.data[1].x == vec({-1})));
    BOOST_TEST((s.problem.data[2].y == vec({0})));
    BOOST_TEST(error_of(script("", "data {\n  5 -> 2 4 -> 1\n}\n")) == "syntax");
    // A row goes on to the next line only after a token no row ends with (`5,`), and only to the next line.
    BOOST_TEST(error_of(script("", "data {\n  5,\n\n 1 -> 2\n}\n")) == "syntax");
}

BOOST_AUTO_TEST_CASE(error_codes) {
    BOOST_TEST(error_of(script()) == "none");
    BOOST_TEST(error_of(script("# \xc3\x28\n")) == "encoding");
    BOOST_TEST(error_of(script("# \xed\xa0\x80 surrogate\n")) == "encoding");
    BOOST_TEST(error_of(script("# caf\xc3\xa9 is fine\n")) == "none");
    BOOST_TEST(error_of(script("claim critical bad ;\n")) == "syntax");
    BOOST_TEST(error_of(script("claim critical\n")) == "syntax");
    BOOST_TEST(error_of(script("claim not not critical bad\n")) == "syntax");
    BOOST_TEST(error_of(script("data")) == "duplicate");
    BOOST_TEST(error_of(script("claim loss bad = 1..\n")) == "bad-number");
    BOOST_TEST(error_of(script("claim loss bad = 18.\n")) == "none");  // NumPy's `18.`
    BOOST_TEST(error_of(script("claim loss bad = 0x1.2p4\n")) == "none");
    BOOST_TEST(error_of(script("claim loss bad = 1/0\n")) == "zero-denominator");
    BOOST_TEST(error_of(script("claim loss bad = 1e2000\n")) == "number-too-large");
    BOOST_TEST(error_of("") == "version");
    BOOST_TEST(error_of("nncert 2\n") == "version");
    BOOST_TEST(error_of("nncert 1.0\n") == "version");
    BOOST_TEST(error_of(script("nncert 1\n")) == "duplicate");
    BOOST_TEST(error_of(script(point_block)) == "duplicate");
    BOOST_TEST(error_of(script("loss mse\n")) == "duplicate");
    BOOST_TEST(error_of(script("classify threshold 0 classify threshold 1\n")) == "duplicate");
    BOOST_TEST(error_of(script("data \"x.csv\"\n")) == "duplicate");
    BOOST_TEST(error_of(script("point p { W1 = [[1]] W1 = [[1]] }\n")) == "duplicate");
    BOOST_TEST(error_of(script("claim gap bad > nowhere\n")) == "unknown-point");
    BOOST_TEST(error_of(script("point p { W3 = [[1]] }\n")) == "unknown-parameter");
    BOOST_TEST(error_of(script("point p { x1 = [[1]] }\n")) == "unknown-parameter");
    BOOST_TEST(error_of(script("point p { W0 = [[1]] }\n")) == "unknown-parameter");
    BOOST_TEST(error_of(script("", data_block, "network { input 1 dense 1 gelu }\n")) == "unknown-activation");
    BOOST_TEST(error_of(script("", data_block, net_block, "loss l1\n")) == "unknown-loss");
    BOOST_TEST(error_of(script("claim saddle bad\n")) == "unknown-claim");
    BOOST_TEST(error_of(script("point p { W1 = [[1]] b1 = [0] W2 = [[1]] }\n")) == "missing-parameter");
    BOOST_TEST(error_of(script("", data_block, net_block, "")) == "missing-section");
    BOOST_TEST(error_of(script("", "")) == "missing-section");
    BOOST_TEST(error_of(script("", data_block, "", "loss sse\n", "")) == "missing-section");
    BOOST_TEST(error_of(script("claim accuracy bad = 1\n")) == "missing-section");
    BOOST_TEST(error_of(script("classify threshold 0 claim accuracy bad = 1\n")) == "none");
    BOOST_TEST(error_of(script("", "data { 1, 2 -> 3 }\n")) == "dimension");
    BOOST_TEST(error_of(script("", "data { 1 -> 3, 4 }\n")) == "dimension");
    BOOST_TEST(error_of(script("point p { W1 = [[1], [2]] b1 = [0] W2 = [[1]] b2 = [0] }\n")) == "dimension");
    BOOST_TEST(error_of(script("point p { W1 = [[1, 2]] b1 = [0] W2 = [[1]] b2 = [0] }\n")) == "dimension");
    BOOST_TEST(error_of(script("point p { W1 = [1] b1 = [0] W2 = [[1]] b2 = [0] }\n")) == "dimension");
    BOOST_TEST(error_of(script("point p { W1 = [[1]] b1 = [[0]] W2 = [[1]] b2 = [0] }\n")) == "dimension");
    BOOST_TEST(error_of(script("classify threshold 0 claim accuracy p = 1\n"
                               "point p { W1 = [[1], [1]] b1 = [0, 0] }\n",
                               "data { 1 -> 2, 3 }\n", "network { input 1 dense 2 identity }\n", "loss sse\n", "")) ==
               "dimension");
    BOOST_TEST(error_of(script("", data_block, "network { input 1 dense 0 relu }\n")) == "bad-value");
    BOOST_TEST(error_of(script("", data_block, "network { input 0 dense 1 relu }\n")) == "bad-value");
    BOOST_TEST(error_of(script("", data_block, "network { input 1 }\n")) == "bad-value");
    BOOST_TEST(error_of(script("", data_block, "network { input 1 dense 2e1 relu }\n")) == "bad-value");
    BOOST_TEST(error_of(script("", data_block, "network { input 1 dense 99999999999 relu }\n")) == "bad-value");
    BOOST_TEST(error_of(script("", "data { }\n")) == "bad-value");
    BOOST_TEST(error_of(script("claim critical bad\n", data_block, "network { input 1 dense 1 sigmoid dense 1 identity }\n")) == "needs-within");
    BOOST_TEST(error_of(script("claim loss bad = 1\n", data_block, "network { input 1 dense 1 softplus dense 1 identity }\n")) == "needs-within");
    BOOST_TEST(error_of(script("claim local_min bad\n", data_block, "network { input 1 dense 1 tanh dense 1 identity }\n")) == "needs-within");
    BOOST_TEST(error_of(script("claim gap bad > bad\n", data_block, "network { input 1 dense 1 relu dense 1 sigmoid }\n", "loss bce\n")) == "needs-within");
    BOOST_TEST(error_of(script("claim loss bad in [0, 1]\n", data_block, "network { input 1 dense 1 tanh dense 1 identity }\n")) == "none");
    BOOST_TEST(error_of(script("", data_block, net_block, "loss bce\n")) == "bad-value");
    BOOST_TEST(error_of(script("claim critical bad within -1\n")) == "bad-value");
    BOOST_TEST(error_of(script("claim loss bad in [-inf, inf]\n")) == "bad-value");
    BOOST_TEST(error_of(script("precision 7\n")) == "bad-value");
    BOOST_TEST(error_of(script("precision 1048577\n")) == "bad-value");
    BOOST_TEST(error_of(script("precision 1.5\n")) == "bad-value");
    BOOST_TEST(error_of(script("precision 64 precision 64\n")) == "duplicate");
    BOOST_TEST(error_of(script("claim loss bad within 1 = 2\n")) == "syntax");
    BOOST_TEST(error_of(script("claim local_min bad within -1\n")) == "bad-value");
    BOOST_TEST(error_of(script("claim loss bad in [inf, 1]\n")) == "syntax");
    BOOST_TEST(error_of(script("", "data \"no-such.csv\"\n")) == "io");
    BOOST_TEST(error_of(script("", "data \"csv.csv\"\n")) == "csv");
    BOOST_TEST(error_of(script("", "data \"csv-2.csv\"\n")) == "csv");
    BOOST_TEST(error_of(script("", "data \"csv-3.csv\"\n")) == "csv");
    BOOST_TEST(error_of(script("", "data \"dimension-4.csv\"\n")) == "dimension");
}

BOOST_AUTO_TEST_CASE(error_positions) {
    ParseError e = error_at(script("claim critical nowhere\n"));
    BOOST_TEST(e.loc.file == "test.nnc");
    BOOST_TEST(e.loc.line == 18u);
    BOOST_TEST(e.loc.col == 16u);
    BOOST_TEST(e.format().rfind("test.nnc:18:16: error[unknown-point]: ", 0) == 0u);

    e = error_at(script("point p {\n  W1 = [[1]]\n}\n"));  // missing parameter: at the point's name
    BOOST_TEST(e.code == "missing-parameter");
    BOOST_TEST(e.loc.line == 18u);
    BOOST_TEST(e.loc.col == 7u);

    e = error_at(script("", data_block, net_block, ""));  // missing block: at end of file
    BOOST_TEST(e.code == "missing-section");
    BOOST_TEST(e.loc.line == 17u);

    e = error_at(script("", "data \"csv.csv\"\n"));  // CSV errors point into the CSV file
    BOOST_TEST(e.loc.file == fs::path(errors_dir + "/csv.csv").lexically_normal().string());
    BOOST_TEST(e.loc.line == 3u);
    BOOST_TEST(e.loc.col == 4u);

    e = error_at("nncert 1\ndata \"caf\xc3\xa9\" @\n");  // columns count code points
    BOOST_TEST(e.code == "syntax");
    BOOST_TEST(e.loc.line == 2u);
    BOOST_TEST(e.loc.col == 13u);
}

BOOST_AUTO_TEST_CASE(io_error_on_missing_file) {
    try {
        parse_file(root + "/tests/scripts/no-such-script.nnc");
        BOOST_FAIL("expected a ParseError");
    } catch (const ParseError& e) {
        BOOST_TEST(e.code == "io");
        BOOST_TEST(e.format().find(": error[io]: ") != std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(csv_data) {
    const Script s = parse_file(good_dir + "/csvdata.nnc");
    BOOST_TEST_REQUIRE(s.data_file.has_value());
    BOOST_TEST(*s.data_file == "csvdata.csv");
    BOOST_TEST_REQUIRE(s.problem.data.size() == 2u);  // header and blank line skipped
    BOOST_TEST((s.problem.data[0].x == k::Vector{q(1, 10), q(-2)}));
    BOOST_TEST((s.problem.data[0].y == k::Vector{q(1, 3)}));
    BOOST_TEST((s.problem.data[1].x == k::Vector{q(100), q(0)}));
    BOOST_TEST((s.problem.data[1].y == k::Vector{q(-1, 2)}));
    BOOST_TEST((s.points[0].params[1] == q(1, 2)));
    BOOST_TEST((s.points[0].params[3] == q(1, 10)));
    BOOST_TEST(s.claims[0].claim.value ==
               k::Rational(k::Integer("744454995094583332527521")) / k::Rational(k::Integer("648000000000000")));
}

BOOST_AUTO_TEST_CASE(canonical_round_trip) {
    for (const std::string name : {"example1.nnc", "csvdata.nnc"}) {
        const Script s = parse_file(good_dir + "/" + name);
        const std::string text = print_canonical(s);
        const Script t = parse_text(text, "printed.nnc", good_dir);
        check_equal(s, t);
        BOOST_TEST(print_canonical(t) == text);  // the canonical form is a fixed point
    }
    const Script s = parse_text(script("classify threshold 0.25\nclaim not accuracy bad = 0.4\n", data_block,
                                       "network { input 1 dense 1 leaky_relu(-0.5) dense 1 poly(1, 2.5) }\n"),
                                "t.nnc", "");
    const Script t = parse_text(print_canonical(s), "t.nnc", "");
    check_equal(s, t);
    BOOST_TEST(t.claims[0].text == "not accuracy bad = 2/5");
}

// The syntax of issue 12 prints back to itself: sse/2 and + l2(lambda), nobias, row weights, hex floats, `1.`.
BOOST_AUTO_TEST_CASE(losses_weights_nobias_hex_round_trip) {
    const Script s = parse_text("nncert 1\ndata {\n  1. -> 0x1.8p+1 weight 3\n  -2 -> 0.5\n}\n"
                                "network {\n  input 1\n  dense 2 relu nobias\n  dense 1 identity\n}\n"
                                "loss sse/2 + l2(1e-3)\npoint p {\n  W1 = [[0x1p-2], [1.]]\n  W2 = [[1, -1]]\n"
                                "  b2 = [0]\n}\nclaim local_min p\n",
                                "t.nnc", "");
    BOOST_TEST((s.problem.loss == k::LossKind::half_sse));
    BOOST_TEST(s.problem.weight_decay == q(1, 1000));
    BOOST_TEST(!s.problem.net.has_bias(0));
    BOOST_TEST(s.problem.data[0].weight == q(3));
    BOOST_TEST((s.problem.data[0].y == k::Vector{q(3)}));
    BOOST_TEST((s.points[0].params == k::Vector{q(1, 4), q(1), q(1), q(-1), q(0)}));
    const std::string text = print_canonical(s);
    BOOST_TEST(text.find("loss sse/2 + l2(1/1000)") != std::string::npos);
    BOOST_TEST(text.find("dense 2 relu nobias") != std::string::npos);
    BOOST_TEST(text.find("1 -> 3 weight 3") != std::string::npos);
    const Script t = parse_text(text, "t.nnc", "");
    check_equal(s, t);
    BOOST_TEST(print_canonical(t) == text);
}

BOOST_AUTO_TEST_CASE(interval_claims_and_precision) {
    const std::string net = "network { input 1 dense 1 tanh dense 1 sigmoid }\n";
    const Script s = parse_text(
        script("precision 256\nclassify threshold 1/2\npoint q { W1 = [[2]] b1 = [0] W2 = [[1]] b2 = [0] }\n"
               "claim critical bad within 1e-8\nclaim not strict_local_min bad within 0\n"
               "claim gap bad within 1/10 > q\nclaim accuracy bad within 1e-3 = 1/2\n"
               "claim loss bad within 1e-3 in [-inf, 0.5]\nclaim loss bad in [1/4, inf]\nclaim loss q in [1, 2]\n"
               "claim hessian_pd within within 2\n",
               data_block, net, "loss bce\n",
               point_block + "point within { W1 = [[1]] b1 = [0] W2 = [[1]] b2 = [0] }\n"),
        "t.nnc", "");
    BOOST_TEST((s.precision == std::optional<unsigned>(256)));
    BOOST_TEST((s.problem.loss == k::LossKind::bce));
    BOOST_TEST((s.problem.net.layers[0].activation.kind == k::ActivationKind::tanh));
    BOOST_TEST((s.problem.net.layers[1].activation.kind == k::ActivationKind::sigmoid));
    BOOST_TEST_REQUIRE(s.claims.size() == 8u);
    BOOST_TEST((s.claims[0].claim.radius == std::optional<k::Rational>(q(1, 100000000))));
    BOOST_TEST(s.claims[0].text == "critical bad within 1/100000000");
    BOOST_TEST(s.claims[1].claim.negated);
    BOOST_TEST(s.claims[1].text == "not strict_local_min bad within 0");
    BOOST_TEST(s.claims[2].text == "gap bad within 1/10 > q");
    BOOST_TEST(s.claims[3].text == "accuracy bad within 1/1000 = 1/2");
    BOOST_TEST(!s.claims[4].claim.lower.has_value());
    BOOST_TEST((s.claims[4].claim.upper == std::optional<k::Rational>(q(1, 2))));
    BOOST_TEST(s.claims[4].text == "loss bad within 1/1000 in [-inf, 1/2]");
    BOOST_TEST(!s.claims[5].claim.radius.has_value());
    BOOST_TEST(s.claims[5].text == "loss bad in [1/4, inf]");
    BOOST_TEST(s.claims[6].text == "loss q in [1, 2]");
    BOOST_TEST(s.claims[7].text == "hessian_pd within within 2");  // keywords are not reserved
    const std::string text = print_canonical(s);
    const Script t = parse_text(text, "printed.nnc", "");
    check_equal(s, t);
    BOOST_TEST(print_canonical(t) == text);
    BOOST_TEST(text.find("\nprecision 256\n") != std::string::npos);
    // Exact problems keep claims without `within`, and accept boxes and ranges too.
    const Script e = parse_text(script("claim critical bad\nclaim critical bad within 1/2\nclaim loss bad in [0, 1]\n"), "t.nnc", "");
    BOOST_TEST(!e.claims[0].claim.radius.has_value());
    BOOST_TEST(!e.precision.has_value());
    BOOST_TEST(print_canonical(e).find("precision") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(regions_and_trap_claims) {
    const std::string regions =
        "max_boxes 5000\nclassify threshold 1/2\npoint q { W1 = [[2]] b1 = [0] W2 = [[1]] b2 = [0] }\n"
        "region basin {\n  around bad radius 1/2\n  W2[1,1] in [3, inf]\n  b2 in [-inf, -1]\n}\n"
        "region all { W1 in [-inf, inf] b1 in [-inf, inf] W2 in [-inf, inf] b2[1] in [-inf, inf] }\n"
        "claim trap bad in basin\nclaim trap bad within 1/4 layer 1/100\nclaim trap bad in basin layer 1/100 steps 1e-3\n"
        "claim loss basin in [1/2, inf]\nclaim gap basin > q\nclaim accuracy bad in basin <= 1/2\n"
        "claim local_min bad in all\nclaim not trap bad in all\n";
    const Script s = parse_text(script(regions), "t.nnc", "");
    BOOST_TEST((s.max_boxes == std::optional<std::size_t>(5000)));
    BOOST_TEST_REQUIRE(s.regions.size() == 2u);
    const k::Box& b = s.regions[0].box;  // W1, b1, W2, b2 of bad = (1, -3, 1, 0)
    BOOST_TEST((b[0].lo == std::optional<k::Rational>(q(1, 2)) && b[0].hi == std::optional<k::Rational>(q(3, 2))));
    BOOST_TEST((b[2].lo == std::optional<k::Rational>(q(3)) && !b[2].hi));
    BOOST_TEST((!b[3].lo && b[3].hi == std::optional<k::Rational>(q(-1))));
    BOOST_TEST(!s.regions[1].bounded());
    BOOST_TEST_REQUIRE(s.claims.size() == 8u);
    BOOST_TEST(s.claims[0].text == "trap bad in basin");
    BOOST_TEST((s.claims[0].claim.kind == k::ClaimKind::trap));
    BOOST_TEST(s.claims[1].text == "trap bad within 1/4 layer 1/100");
    BOOST_TEST(!s.claims[1].claim.region.has_value());
    BOOST_TEST(s.claims[2].text == "trap bad in basin layer 1/100 steps 1/1000");
    BOOST_TEST(s.claims[3].text == "loss basin in [1/2, inf]");
    BOOST_TEST(s.claims[3].claim.region_subject);
    BOOST_TEST(s.claims[4].text == "gap basin > q");
    BOOST_TEST(s.claims[4].claim.region_subject);
    BOOST_TEST(s.claims[5].text == "accuracy bad in basin <= 1/2");
    BOOST_TEST(s.claims[6].text == "local_min bad in all");
    BOOST_TEST(s.claims[7].text == "not trap bad in all");
    const std::string text = print_canonical(s);
    const Script t = parse_text(text, "printed.nnc", "");
    check_equal(s, t);
    BOOST_TEST(print_canonical(t) == text);
    BOOST_TEST(text.find("W2[1,1] in [3, inf]") != std::string::npos);
    BOOST_TEST(text.find("b2[1] in [-inf, -1]") != std::string::npos);
    // A region claim on a transcendental problem needs no `within`; `<=` lexes as one token.
    const Script u = parse_text(script("classify threshold 1/2\nregion r { around bad radius 1 }\n"
                                       "claim trap bad in r\nclaim accuracy bad in r<=1/2\n",
                                       data_block, "network { input 1 dense 1 tanh dense 1 sigmoid }\n"),
                                "t.nnc", "");
    BOOST_TEST(u.claims.size() == 2u);
    BOOST_TEST(error_of(script("claim trap bad in r < 1\n")) == "syntax");
    BOOST_TEST(error_of(script("region r { around bad radius 1 }\nclaim gap bad > r\n")) == "unknown-point");
}

// Every file in tests/scripts/errors/ must be rejected with the code its header names.
BOOST_AUTO_TEST_CASE(error_scripts_match_their_headers) {
    std::size_t n = 0;
    for (const auto& entry : fs::directory_iterator(errors_dir)) {
        if (entry.path().extension() != ".nnc") continue;
        ++n;
        const std::string path = entry.path().string();
        const std::string want = first_lines_value(path, "expect-error");
        BOOST_TEST_CONTEXT(path) {
            BOOST_TEST(first_lines_value(path, "expect-exit") == "2");
            BOOST_TEST(!want.empty());
            std::string got = "none";
            try {
                parse_file(path);
            } catch (const ParseError& e) {
                got = e.code;
            }
            BOOST_TEST(got == want);
        }
    }
    BOOST_TEST(n >= 22u);
}

BOOST_AUTO_TEST_CASE(good_scripts_parse) {
    for (const auto& entry : fs::directory_iterator(good_dir)) {
        if (entry.path().extension() != ".nnc") continue;
        BOOST_TEST_CONTEXT(entry.path().string()) { BOOST_CHECK_NO_THROW(parse_file(entry.path().string())); }
    }
}

BOOST_AUTO_TEST_SUITE_END()
