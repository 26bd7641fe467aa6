// nncert import's size limits and strictness on hostile files (review of issue 12, findings 2, 5 and 6):
// FIFOs and devices, .npz members that inflate to gigabytes, element budgets, safetensors header leniency,
// escaped names, long shapes. Files are made here (libzip, raw bytes), so no fixture is large.
#include "test_paths.hpp"
#include "import/import_command.hpp"
#include "import/npy.hpp"
#include "import/tensor.hpp"
#include "process.hpp"

#include <boost/test/unit_test.hpp>

#include <sys/stat.h>
#include <zip.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <sstream>
#include <string>

using namespace nncert;
namespace fs = std::filesystem;

namespace {

const std::string fixtures = std::string(NNCERT_SOURCE_DIR) + "/tests/fixtures/import/";

bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

template <class F>
std::string error_of(F f) {
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "";
}

// A .npy file: version 1.0 header for `descr` and `shape`, then `data` raw bytes.
std::string npy(const std::string& descr, const std::string& shape, const std::string& data) {
    std::string h = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
    h += std::string(64 - (10 + h.size() + 1) % 64, ' ') + "\n";
    std::string out = "\x93NUMPY\x01";
    out += '\0';
    out += static_cast<char>(h.size() & 0xff);
    out += static_cast<char>(h.size() >> 8);
    return out + h + data;
}

// An .npz (zip, deflated) with the given members.
void write_npz(const fs::path& path, const std::vector<std::pair<std::string, std::string>>& members) {
    int err = 0;
    zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
    BOOST_REQUIRE(z);
    for (const auto& [name, bytes] : members) {
        zip_source_t* src = zip_source_buffer(z, bytes.data(), bytes.size(), 0);
        BOOST_REQUIRE(src);
        const zip_int64_t idx = zip_file_add(z, name.c_str(), src, ZIP_FL_OVERWRITE);
        BOOST_REQUIRE(idx >= 0);
        zip_set_file_compression(z, static_cast<zip_uint64_t>(idx), ZIP_CM_DEFLATE, 1);
    }
    BOOST_REQUIRE(zip_close(z) == 0);  // the buffers are read here, so `members` must still be alive
}

// A safetensors file from a header (JSON text) and a data section.
void write_safetensors(const fs::path& path, const std::string& header, const std::string& data) {
    std::string out;
    for (int k = 0; k < 8; ++k) out += static_cast<char>((std::uint64_t(header.size()) >> (8 * k)) & 0xff);
    test::write_text(path, out + header + data);
}

// "(n,)" built piecewise ("(" + std::string trips a GCC 12 -Wrestrict false positive).
std::string shape1(std::size_t n) {
    std::string s = "(";
    s += std::to_string(n);
    s += ",)";
    return s;
}

std::string f64_zeros(std::size_t n) { return std::string(8 * n, '\0'); }

// `nncert import` on a weights file and relu141's data, through the real binary.
test::ProcessResult import_cli(const std::string& weights, const std::string& more = "") {
    return test::run_process(test::nncert_binary() + " import --weights " + test::shell_quote(weights) + " --data " +
                             test::shell_quote(fixtures + "relu141-data.npz") + " --loss mse " + more);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(import_limits)

BOOST_AUTO_TEST_CASE(fifos_and_devices_are_refused_without_waiting) {
    const test::TempDir dir;
    const fs::path fifo = dir / "w.safetensors";
    BOOST_REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
    fs::create_symlink("/dev/zero", dir / "zero.safetensors");
    fs::create_symlink("/dev/zero", dir / "X.npy");
    for (const fs::path& p : {fifo, dir / "zero.safetensors"}) {
        const test::ProcessResult r = import_cli(p.string(), "--activation relu");
        BOOST_TEST(r.exit == 2);
        BOOST_TEST(has(r.err, "cannot be read"), r.err);
    }
    const test::ProcessResult npy = test::run_process(
        test::nncert_binary() + " import --weights " + test::shell_quote(fixtures + "relu141.safetensors") + " --data " +
        test::shell_quote((dir / "X.npy").string()) + " --targets " + test::shell_quote((dir / "X.npy").string()) +
        " --activation relu");
    BOOST_TEST(npy.exit == 2);
    BOOST_TEST(has(npy.err, "cannot be read"), npy.err);
    // snap and refine read their script the same way.
    const fs::path script = dir / "s.nnc";
    BOOST_REQUIRE(mkfifo(script.c_str(), 0600) == 0);
    for (const char* tool : {"snap", "refine"}) {
        const test::ProcessResult r =
            test::run_process(test::nncert_binary() + " " + tool + " " + test::shell_quote(script.string()) + " --point P");
        BOOST_TEST(r.exit == 2, tool);
        BOOST_TEST(has(r.err, "error[io]"), r.err);
    }
    // (Before the fix each of these blocked forever in open(): the test then hangs until ctest's timeout.)
}

BOOST_AUTO_TEST_CASE(an_npz_member_that_inflates_past_the_limit_is_refused_before_inflating) {
    // 80 MiB + 8 bytes of zeros deflate to about 80 KB: the member's declared size is refused before any
    // buffer for it is allocated (the review's bomb declared 512 MiB and 2^26 elements).
    const test::TempDir dir;
    const std::size_t n = import::max_tensor_file_bytes / 8 + 1;
    {
        const std::string x = npy("<f8", shape1(n), f64_zeros(n));
        const std::string y = npy("<f8", "(1,)", f64_zeros(1));
        write_npz(dir / "bomb.npz", {{"X.npy", x}, {"y.npy", y}});
    }
    BOOST_TEST(fs::file_size(dir / "bomb.npz") < 1'000'000u);
    const std::string e = error_of([&] { import::read_tensor_file((dir / "bomb.npz").string()); });
    BOOST_TEST(has(e, "X.npy: larger than 83886080 bytes"), e);
}

BOOST_AUTO_TEST_CASE(the_element_budget_counts_every_tensor_of_an_import) {
    const test::TempDir dir;
    // One member just over the budget (u1: one byte per element, 8 MiB of zeros).
    const std::size_t cap = import::max_import_elements;
    {
        const std::string x = npy("|u1", shape1(cap + 1), std::string(cap + 1, '\0'));
        write_npz(dir / "one.npz", {{"X.npy", x}});
    }
    std::string e = error_of([&] { import::read_tensor_file((dir / "one.npz").string()); });
    BOOST_TEST(has(e, "more than 8388608 elements"), e);
    // Two members, each within the budget, together over it: refused at the second, before decoding it.
    {
        const std::string half = npy("|u1", shape1(cap / 2 + 1), std::string(cap / 2 + 1, '\0'));
        write_npz(dir / "two.npz", {{"X.npy", half}, {"y.npy", half}});
    }
    e = error_of([&] { import::read_tensor_file((dir / "two.npz").string()); });
    BOOST_TEST(has(e, "over the limit of 8388608"), e);
    // The budget is shared by the files of one import: weights and data together.
    import::ElementBudget budget;
    budget.take(cap - 10, "weights");
    e = error_of([&] { import::read_tensor_file(fixtures + "relu141-data.npz", budget); });
    BOOST_TEST(has(e, "over the limit"), e);
    import::ElementBudget fresh;
    BOOST_TEST(error_of([&] { import::read_tensor_file(fixtures + "relu141-data.npz", fresh); }) == "");
    BOOST_TEST(fresh.used() == 12u);  // 6 inputs and 6 targets
}

BOOST_AUTO_TEST_CASE(safetensors_headers_are_read_strictly) {
    const test::TempDir dir;
    auto error_for = [&](const std::string& header, const std::string& data) {
        write_safetensors(dir / "t.safetensors", header, data);
        return error_of([&] { import::read_tensor_file((dir / "t.safetensors").string()); });
    };
    const std::string two = f64_zeros(2);
    // Well-formed: accepted.
    BOOST_TEST(error_for(R"({"W1":{"dtype":"F64","shape":[2,1],"data_offsets":[0,16]}})", two) == "");
    BOOST_TEST(has(error_for(R"({"W1":{"dtype":"F64","shape":[2.7,1],"data_offsets":[0,16]}})", two),
                   "not a whole number"));
    BOOST_TEST(has(error_for(R"({"W1":{"dtype":"F64","shape":[-2,1],"data_offsets":[0,16]}})", two),
                   "not a whole number"));
    BOOST_TEST(has(error_for(R"({"W1":{"dtype":"F64","shape":[1],"data_offsets":[0,8]},)"
                             R"("W1":{"dtype":"F64","shape":[1],"data_offsets":[8,16]}})",
                             two),
                   "appears twice"));
    BOOST_TEST(has(error_for(R"({"W1":{"dtype":"F64","shape":[2],"data_offsets":[0,16]},)"
                             R"("b1":{"dtype":"F64","shape":[1],"data_offsets":[8,16]}})",
                             two),
                   "overlap"));
    BOOST_TEST(has(error_for(R"({"W1":{"dtype":"F64","shape":[1],"data_offsets":[8,16]}})", two), "gap"));
    BOOST_TEST(has(error_for(R"({"W1":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}})", two),
                   "belong to no tensor"));
}

BOOST_AUTO_TEST_CASE(names_from_files_are_escaped_and_shapes_shortened) {
    const test::TempDir dir;
    // A tensor name with a terminal escape sequence and a newline, as in the review's esc.safetensors.
    const std::string evil = "evil\\u001b[2J\\u001b[31mCERTIFIED\\n";
    write_safetensors(dir / "esc.safetensors",
                      R"({"0.weight":{"dtype":"F64","shape":[1,1],"data_offsets":[0,8]},)"
                      R"("0.bias":{"dtype":"F64","shape":[1],"data_offsets":[8,16]},")" +
                          evil + R"(":{"dtype":"F64","shape":[1],"data_offsets":[16,24]}})",
                      f64_zeros(3));
    const test::ProcessResult r = import_cli((dir / "esc.safetensors").string());
    BOOST_TEST(r.exit == 2);
    BOOST_TEST(has(r.err, "not part of any dense layer"), r.err);
    BOOST_TEST(r.err.find('\x1b') == std::string::npos);
    BOOST_TEST(std::count(r.err.begin(), r.err.end(), '\n') == 1);  // one line: the name's newline is escaped
    // A .npy header with 100,000 dimensions: the message shows a few and the count, not 300 KB.
    std::string shape = "(";
    for (int i = 0; i < 100000; ++i) shape += "2, ";
    shape += ")";
    std::string h = "{'descr': '<f8', 'fortran_order': False, 'shape': " + shape + ", }\n";  // format 2.0: 4-byte length
    std::string file = "\x93NUMPY\x02";
    file += '\0';
    for (int k = 0; k < 4; ++k) file += static_cast<char>((h.size() >> (8 * k)) & 0xff);
    file += h;
    const std::string e = error_of([&] { import::parse_npy(file, "long.npy"); });
    BOOST_TEST(!e.empty());
    BOOST_TEST(e.size() < 400u, e.size());
    BOOST_TEST(has(e, "100000 dimensions"), e);
}

BOOST_AUTO_TEST_CASE(file_errors_are_file_errors_and_options_are_not_ignored) {
    const test::TempDir dir;
    // A zero-width layer: a file error (exit 2), not a usage error.
    write_safetensors(dir / "zero.safetensors", R"({"0.weight":{"dtype":"F64","shape":[0,1],"data_offsets":[0,0]}})", "");
    test::ProcessResult r = import_cli((dir / "zero.safetensors").string());
    BOOST_TEST(r.exit == 2);
    BOOST_TEST(has(r.err, "at least one input and one output"), r.err);
    // More parameters than a script may have (1100 x 1000 + 1000 x 1): a file error naming the limit.
    write_safetensors(dir / "big.safetensors",
                      R"({"0.weight":{"dtype":"F64","shape":[1100,1],"data_offsets":[0,8800]},)"
                      R"("1.weight":{"dtype":"F64","shape":[1000,1100],"data_offsets":[8800,8808800]},)"
                      R"("2.weight":{"dtype":"F64","shape":[1,1000],"data_offsets":[8808800,8816800]}})",
                      f64_zeros(1100 + 1100000 + 1000));
    r = import_cli((dir / "big.safetensors").string(), "--names W1=0.weight,W2=1.weight,W3=2.weight --activation relu");
    BOOST_TEST(r.exit == 2, r.err);
    BOOST_TEST(has(r.err, "over nncert's limits"), r.err);
    BOOST_TEST(!has(r.err, "usage"), r.err);
    // --activation on a one-layer model would be ignored: refused instead.
    write_safetensors(dir / "one.safetensors", R"({"0.weight":{"dtype":"F64","shape":[1,1],"data_offsets":[0,8]}})",
                      f64_zeros(1));
    r = import_cli((dir / "one.safetensors").string(), "--activation relu");
    BOOST_TEST(r.exit == 4);
    BOOST_TEST(has(r.err, "--output-activation"), r.err);
    BOOST_TEST(import_cli((dir / "one.safetensors").string()).exit == 0);
}

BOOST_AUTO_TEST_SUITE_END()
