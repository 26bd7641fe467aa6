// nncert import on the committed fixtures (tests/fixtures/import/, made by make_import_fixtures.py with
// PyTorch; no PyTorch needed here): exact float decoding, the .npy header reader, safetensors and .npz
// containers, layer naming, data shapes, and a clear error for every malformed file.
#include "test_paths.hpp"
#include "import/import_command.hpp"
#include "import/npy.hpp"
#include "import/number_text.hpp"
#include "import/tensor.hpp"
#include "kernel/exact.hpp"
#include "script/number.hpp"
#include "script/script.hpp"

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <sstream>
#include <string>

using namespace nncert;
using kernel::Integer;
using kernel::Rational;

namespace {

const std::string fixtures = std::string(NNCERT_SOURCE_DIR) + "/tests/fixtures/import/";

// The error message of read_tensor_file / import_script, or "" when it succeeds.
template <class F>
std::string error_of(F f) {
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "";
}

bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

import::ImportOptions relu141() {
    import::ImportOptions o;
    o.weights = fixtures + "relu141.safetensors";
    o.data = fixtures + "relu141-data.npz";
    o.activations = {"relu"};
    o.loss = "mse";
    return o;
}

double torch_loss(const std::string& key) {  // tests/fixtures/import/torch-losses.json, by hand (3 keys)
    std::ifstream in(fixtures + "torch-losses.json");
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string s = ss.str();
    const std::size_t at = s.find("\"" + key + "\": ");
    return std::stod(s.substr(at + key.size() + 4));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(import_files)

BOOST_AUTO_TEST_CASE(floats_decode_exactly) {
    const unsigned char f32_tenth[] = {0xcd, 0xcc, 0xcc, 0x3d};  // 0.1f = 13421773 / 2^27
    BOOST_TEST(import::decode(f32_tenth, 1, import::DType::f32, true, "x")[0] == Rational(13421773, 134217728));
    const unsigned char f64_min_subnormal[] = {1, 0, 0, 0, 0, 0, 0, 0};
    BOOST_TEST(import::decode(f64_min_subnormal, 1, import::DType::f64, true, "x")[0] ==
               Rational(1) / Rational(Integer(1) << 1074));
    const unsigned char f16_minus_1_5[] = {0x00, 0xbe};
    BOOST_TEST(import::decode(f16_minus_1_5, 1, import::DType::f16, true, "x")[0] == Rational(-3, 2));
    const unsigned char bf16_one[] = {0x80, 0x3f};
    BOOST_TEST(import::decode(bf16_one, 1, import::DType::bf16, true, "x")[0] == Rational(1));
    const unsigned char i16_minus2[] = {0xfe, 0xff};
    BOOST_TEST(import::decode(i16_minus2, 1, import::DType::i16, true, "x")[0] == Rational(-2));
    const unsigned char f32_inf[] = {0, 0, 0x80, 0x7f};
    BOOST_TEST(has(error_of([&] { import::decode(f32_inf, 1, import::DType::f32, true, "t"); }), "infinite"));
}

BOOST_AUTO_TEST_CASE(number_text_round_trips) {
    const Rational tenth_f32(13421773, 134217728);
    BOOST_TEST(import::exact_decimal(tenth_f32) == "0.100000001490116119384765625");
    BOOST_TEST(import::hex_float(tenth_f32) == "0x1.99999ap-4");
    BOOST_TEST(import::hex_float(Rational(-1)) == "-0x1p+0");
    BOOST_TEST(import::hex_float(Rational(0)) == "0x0p+0");
    BOOST_TEST(import::exact_decimal(Rational(-3, 8)) == "-0.375");
    BOOST_TEST(import::exact_decimal(Rational(1, 3)) == "1/3");
    BOOST_TEST(import::rounded_decimal(tenth_f32, 6) == "0.1");
    for (const Rational& q : {tenth_f32, Rational(-5, 1024), Rational(12345, 1), Rational(1) / Rational(Integer(1) << 1074)}) {
        BOOST_TEST(script::parse_number(import::exact_decimal(q)) == q);
        BOOST_TEST(script::parse_number(import::hex_float(q)) == q);
    }
}

BOOST_AUTO_TEST_CASE(npy_orders_and_byte_orders) {
    const import::Tensor f = import::read_tensor_file(fixtures + "fortran.npy").at("");
    const import::Tensor b = import::read_tensor_file(fixtures + "big-endian.npy").at("");
    BOOST_TEST((f.shape == std::vector<std::size_t>{2, 3}));
    for (std::size_t k = 0; k < 6; ++k) {
        BOOST_TEST(f.values[k] == Rational(static_cast<long>(k), 8));  // C order after reading
        BOOST_TEST(b.values[k] == Rational(static_cast<long>(k), 8));
    }
    BOOST_TEST((b.dtype == import::DType::f32));
}

BOOST_AUTO_TEST_CASE(malformed_files_are_refused_with_reasons) {
    auto read = [](const std::string& name) { return error_of([&] { import::read_tensor_file(fixtures + name); }); };
    BOOST_TEST(has(read("bad-complex.npy"), "unsupported dtype '<c16'"));
    BOOST_TEST(has(read("bad-header.npy"), "malformed .npy header"));
    BOOST_TEST(has(read("bad-size.npy"), "data bytes"));
    BOOST_TEST(has(read("bad-zip.npz"), "not a readable .npz"));
    BOOST_TEST(has(read("bad-truncated.safetensors"), "data_offsets outside the data section"));
    BOOST_TEST(has(read("bad-header-length.safetensors"), "exceeds the file"));
    BOOST_TEST(has(read("bad-json.safetensors"), "not valid JSON"));
    BOOST_TEST(has(read("bad-offsets.safetensors"), "data_offsets outside"));
    BOOST_TEST(has(read("bad-nan.safetensors"), "NaN"));
    BOOST_TEST(has(read("missing.safetensors"), "cannot be read"));
    BOOST_TEST(has(read("relu141-data.txt"), "unknown file type"));
    BOOST_TEST(has(error_of([] { import::parse_npy("\x93NUMPY\x01\x00", "short"); }), "not a .npy file"));
    const std::string header = "{'descr': '<f8', 'descr': '<f8', 'shape': ()}\n";
    const std::string dict_dup = std::string("\x93NUMPY\x01\x00", 8) + static_cast<char>(header.size()) + '\0' + header;
    BOOST_TEST(has(error_of([&] { import::parse_npy(dict_dup, "dup"); }), "appears twice"));
}

BOOST_AUTO_TEST_CASE(sequential_names_and_exact_values) {
    const std::string text = import::import_script(relu141());
    const script::Script s = script::parse_text(text, "relu141.nnc", fixtures);
    BOOST_TEST(s.problem.net.layers.size() == 2u);
    BOOST_TEST(s.problem.net.layers[0].width == 4u);
    BOOST_TEST(s.problem.data.size() == 6u);
    BOOST_TEST(has(text, "W1 = 0.weight float64 (4, 1), b1 = 0.bias float64 (4,)"));
    BOOST_TEST(has(text, "W_l is laid out as nn.Linear.weight"));
    // PyTorch's float64 loss at the same floats agrees with nncert's exact loss to float64 rounding.
    const double exact = kernel::loss(s.problem, s.points.at(0).params).convert_to<double>();
    BOOST_TEST(std::abs(exact - torch_loss("relu141")) <= 1e-14);
    // Hex floats and exact decimals carry the same numbers.
    import::ImportOptions hex = relu141();
    hex.numbers = import::ImportOptions::Numbers::hex;
    const script::Script h = script::parse_text(import::import_script(hex), "h.nnc", fixtures);
    BOOST_TEST(h.points.at(0).params == s.points.at(0).params);
    // Rounding to 4 digits is not exact, and says so.
    import::ImportOptions rounded = relu141();
    rounded.numbers = import::ImportOptions::Numbers::rounded;
    rounded.digits = 4;
    const std::string rt = import::import_script(rounded);
    BOOST_TEST(has(rt, "NOT the trained floats"));
    BOOST_TEST(script::parse_text(rt, "r.nnc", fixtures).points.at(0).params != s.points.at(0).params);
}

BOOST_AUTO_TEST_CASE(float32_smooth_network_matches_pytorch) {
    import::ImportOptions o;
    o.weights = fixtures + "tanh131.safetensors";
    o.data = fixtures + "tanh131-data.npz";  // keys `inputs`, `targets`
    o.activations = {"tanh"};
    const std::string text = import::import_script(o);
    BOOST_TEST(has(text, "claim strict_local_min trained within 1e-10"));  // transcendental: a box claim
    BOOST_TEST(has(text, "float32"));
}

BOOST_AUTO_TEST_CASE(class_indices_bias_free_layers_and_csv) {
    import::ImportOptions c;
    c.weights = fixtures + "classifier.npz";
    c.data = fixtures + "classifier-X.npy";
    c.targets = fixtures + "classifier-y.npy";
    c.loss = "cross_entropy";
    c.weight_decay = "1/100";
    const script::Script s = script::parse_text(import::import_script(c), "c.nnc", fixtures);
    BOOST_TEST(s.problem.net.output_dim() == 3u);
    BOOST_TEST((s.problem.data[2].y == kernel::Vector{0, 1, 0}));  // class 1 of 3, one-hot
    BOOST_TEST(s.problem.weight_decay == Rational(1, 100));
    import::ImportOptions d;
    d.weights = fixtures + "deep-linear.npz";  // W1, W2 and no biases
    d.data = fixtures + "deep-linear.csv";
    d.activations = {"identity"};
    d.loss = "sse";
    const script::Script t = script::parse_text(import::import_script(d), "d.nnc", fixtures);
    BOOST_TEST(!t.problem.net.has_bias(0));
    BOOST_TEST(!t.problem.net.has_bias(1));
    BOOST_TEST((t.points.at(0).params == kernel::Vector{1, Rational(3, 2)}));
}

BOOST_AUTO_TEST_CASE(row_weights_from_a_file) {
    import::ImportOptions o = relu141();
    o.weight_key = fixtures + "row-weights.npy";
    const std::string text = import::import_script(o);
    BOOST_TEST(has(text, "2 -> 0 weight 3"));
    const script::Script s = script::parse_text(text, "w.nnc", fixtures);
    BOOST_TEST(s.problem.total_weight() == Rational(9));
    o.weight_key = fixtures + "classifier-y.npy";  // has a 0
    BOOST_TEST(has(error_of([&] { import::import_script(o); }), "not > 0"));
    o.weight_key = fixtures + "fortran.npy";
    BOOST_TEST(has(error_of([&] { import::import_script(o); }), "must be a vector"));
}

BOOST_AUTO_TEST_CASE(inconsistent_inputs_are_refused) {
    auto with = [](const std::string& weights) {
        import::ImportOptions o = relu141();
        o.weights = fixtures + weights;
        return error_of([&] { import::import_script(o); });
    };
    const std::string extra = with("bad-extra-tensor.safetensors");
    BOOST_TEST(has(extra, "1.running_mean"));
    BOOST_TEST(has(extra, "--ignore"));
    import::ImportOptions ignoring = relu141();
    ignoring.weights = fixtures + "bad-extra-tensor.safetensors";
    ignoring.ignore = {"1.running_mean"};
    BOOST_TEST(error_of([&] { import::import_script(ignoring); }) == "");
    BOOST_TEST(has(with("bad-chain.safetensors"), "do not chain"));
    import::ImportOptions wrong_acts = relu141();
    wrong_acts.activations = {"relu", "relu"};
    BOOST_TEST(has(error_of([&] { import::import_script(wrong_acts); }), "one activation for every hidden layer"));
    import::ImportOptions bad_act = relu141();
    bad_act.activations = {"swish"};
    BOOST_TEST(has(error_of([&] { import::import_script(bad_act); }), "unknown-activation"));
    import::ImportOptions names = relu141();
    names.names = {{"W1", "0.weight"}, {"b1", "0.bias"}, {"W3", "2.weight"}};
    BOOST_TEST(has(error_of([&] { import::import_script(names); }), "layer 2 is missing"));
    import::ImportOptions keys = relu141();
    keys.x_key = "nope";
    BOOST_TEST(has(error_of([&] { import::import_script(keys); }), "no tensor named 'nope'"));
    import::ImportOptions shape = relu141();
    shape.data = fixtures + "classifier-X.npy";
    shape.targets = fixtures + "fortran.npy";
    BOOST_TEST(has(error_of([&] { import::import_script(shape); }), "has shape (2, 3)"));
}

BOOST_AUTO_TEST_SUITE_END()
