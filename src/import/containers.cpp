// Reading files of named tensors (tensor.hpp): .npz through libzip, safetensors' JSON header through
// nlohmann-json, single .npy files. Every size and offset from a file is checked before it is used.
#include "import/npy.hpp"
#include "import/tensor.hpp"
#include "util/files.hpp"

#include <nlohmann/json.hpp>
#include <zip.h>

#include <fstream>
#include <memory>
#include <optional>
#include <sstream>

namespace nncert::import {

namespace {

constexpr std::size_t max_file_bytes = std::size_t(1) << 32;  // 4 GiB: the import limit on one file or member

// Regular files only (util::read_file: a FIFO or a device is refused, never waited on), up to the limit.
std::string read_all(const std::string& path) {
    util::FileError error;
    std::optional<std::string> bytes = util::read_file(path, error, max_file_bytes);
    if (!bytes)
        throw ImportError(path + (error.code == "file-too-large" ? ": larger than 4 GiB (the import limit)"
                                                                  : ": cannot be read: " + error.message));
    return std::move(*bytes);
}

bool ends_with(const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

TensorMap read_npz(const std::string& path) {
    util::FileError not_regular;
    if (!util::check_regular_file(path, not_regular)) throw ImportError(path + ": cannot be read: " + not_regular.message);
    int err = 0;
    std::unique_ptr<zip_t, decltype(&zip_discard)> z(zip_open(path.c_str(), ZIP_RDONLY, &err), &zip_discard);
    if (!z) {
        zip_error_t e;
        zip_error_init_with_code(&e, err);
        const std::string msg = zip_error_strerror(&e);
        zip_error_fini(&e);
        throw ImportError(path + ": not a readable .npz (zip) archive: " + msg);
    }
    TensorMap out;
    const zip_int64_t n = zip_get_num_entries(z.get(), 0);
    for (zip_int64_t i = 0; i < n; ++i) {
        zip_stat_t st;
        if (zip_stat_index(z.get(), static_cast<zip_uint64_t>(i), 0, &st) != 0 || !(st.valid & ZIP_STAT_NAME) ||
            !(st.valid & ZIP_STAT_SIZE))
            throw ImportError(path + ": cannot read entry " + std::to_string(i) + ": " + zip_strerror(z.get()));
        std::string name = st.name;
        const std::string what = path + ":" + name;
        if (!ends_with(name, ".npy")) throw ImportError(what + ": an .npz member that is not a .npy array");
        if (st.size > max_file_bytes) throw ImportError(what + ": larger than 4 GiB (the import limit)");
        std::unique_ptr<zip_file_t, decltype(&zip_fclose)> f(zip_fopen_index(z.get(), static_cast<zip_uint64_t>(i), 0),
                                                             &zip_fclose);
        if (!f) throw ImportError(what + ": cannot open: " + zip_strerror(z.get()));
        std::string bytes(static_cast<std::size_t>(st.size), '\0');
        const zip_int64_t got = st.size ? zip_fread(f.get(), bytes.data(), st.size) : 0;
        if (got < 0 || static_cast<zip_uint64_t>(got) != st.size)
            throw ImportError(what + ": truncated or corrupt member: " + zip_file_strerror(f.get()));
        name.resize(name.size() - 4);  // np.savez stores array `k` as member `k.npy`
        out[name] = parse_npy(bytes, what);
    }
    return out;
}

DType safetensors_dtype(const std::string& s, const std::string& what) {
    static const std::pair<const char*, DType> codes[] = {
        {"F16", DType::f16}, {"BF16", DType::bf16}, {"F32", DType::f32}, {"F64", DType::f64}, {"I8", DType::i8},
        {"I16", DType::i16}, {"I32", DType::i32},   {"I64", DType::i64}, {"U8", DType::u8},   {"U16", DType::u16},
        {"U32", DType::u32}, {"U64", DType::u64},   {"BOOL", DType::boolean}};
    for (const auto& [c, t] : codes)
        if (s == c) return t;
    throw ImportError(what + ": unsupported safetensors dtype '" + s + "'");
}

// safetensors: 8 bytes little-endian header length N, N bytes of JSON {name: {dtype, shape, data_offsets}},
// then the data; offsets are relative to the end of the header.
TensorMap read_safetensors(const std::string& path) {
    const std::string b = read_all(path);
    if (b.size() < 8) throw ImportError(path + ": too short for a safetensors file");
    std::uint64_t n = 0;
    for (int k = 0; k < 8; ++k) n |= std::uint64_t(static_cast<unsigned char>(b[static_cast<std::size_t>(k)])) << (8 * k);
    if (n > b.size() - 8) throw ImportError(path + ": the header length " + std::to_string(n) + " exceeds the file");
    nlohmann::json header;
    try {
        header = nlohmann::json::parse(b.begin() + 8, b.begin() + 8 + static_cast<std::ptrdiff_t>(n));
    } catch (const nlohmann::json::exception& e) {
        throw ImportError(path + ": the safetensors header is not valid JSON: " + e.what());
    }
    if (!header.is_object()) throw ImportError(path + ": the safetensors header is not a JSON object");
    const std::size_t data = 8 + static_cast<std::size_t>(n), data_size = b.size() - data;
    TensorMap out;
    for (const auto& [name, info] : header.items()) {
        if (name == "__metadata__") continue;
        const std::string what = path + ":" + name;
        try {
            Tensor t;
            t.dtype = safetensors_dtype(info.at("dtype").get<std::string>(), what);
            t.shape = info.at("shape").get<std::vector<std::size_t>>();
            const auto off = info.at("data_offsets").get<std::vector<std::size_t>>();
            if (off.size() != 2 || off[0] > off[1] || off[1] > data_size)
                throw ImportError(what + ": data_offsets outside the data section");
            const std::size_t count = element_count(t.shape, what);
            if (off[1] - off[0] != count * byte_size(t.dtype))
                throw ImportError(what + ": " + std::to_string(off[1] - off[0]) + " bytes, but " + to_string(t.dtype) +
                                  " of shape " + shape_text(t.shape) + " needs " + std::to_string(count * byte_size(t.dtype)));
            t.values = decode(reinterpret_cast<const unsigned char*>(b.data() + data + off[0]), count, t.dtype, true, what);
            out[name] = std::move(t);
        } catch (const nlohmann::json::exception& e) {
            throw ImportError(what + ": malformed tensor entry in the safetensors header: " + e.what());
        }
    }
    return out;
}

}  // namespace

TensorMap read_tensor_file(const std::string& path) {
    if (ends_with(path, ".safetensors")) return read_safetensors(path);
    if (ends_with(path, ".npz")) return read_npz(path);
    if (ends_with(path, ".npy")) return TensorMap{{"", parse_npy(read_all(path), path)}};
    throw ImportError(path + ": unknown file type (expected .safetensors, .npz or .npy)");
}

}  // namespace nncert::import
