// Reading files of named tensors (tensor.hpp): .npz through libzip, safetensors' JSON header through
// nlohmann-json, single .npy files. Every size and offset from a file is checked before it is used.
#include "import/npy.hpp"
#include "import/tensor.hpp"
#include "util/files.hpp"

#include <nlohmann/json.hpp>
#include <zip.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <optional>
#include <set>
#include <sstream>

namespace nncert::import {

namespace {

std::string too_large() {
    return "larger than " + std::to_string(max_tensor_file_bytes) + " bytes (80 MiB, the import limit on one file or .npz member)";
}

// Regular files only (util::read_file: a FIFO or a device is refused, never waited on), up to the limit.
std::string read_all(const std::string& path) {
    util::FileError error;
    std::optional<std::string> bytes = util::read_file(path, error, max_tensor_file_bytes);
    if (!bytes)
        throw ImportError(path + (error.code == "file-too-large" ? ": " + too_large() : ": cannot be read: " + error.message));
    return std::move(*bytes);
}

bool ends_with(const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

TensorMap read_npz(const std::string& path, ElementBudget& budget) {
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
        // The declared size bounds what zip_fread may write, so nothing beyond the limit is ever inflated.
        if (st.size > max_tensor_file_bytes) throw ImportError(what + ": " + too_large());
        std::unique_ptr<zip_file_t, decltype(&zip_fclose)> f(zip_fopen_index(z.get(), static_cast<zip_uint64_t>(i), 0),
                                                             &zip_fclose);
        if (!f) throw ImportError(what + ": cannot open: " + zip_strerror(z.get()));
        std::string bytes(static_cast<std::size_t>(st.size), '\0');
        const zip_int64_t got = st.size ? zip_fread(f.get(), bytes.data(), st.size) : 0;
        if (got < 0 || static_cast<zip_uint64_t>(got) != st.size)
            throw ImportError(what + ": truncated or corrupt member: " + zip_file_strerror(f.get()));
        name.resize(name.size() - 4);  // np.savez stores array `k` as member `k.npy`
        out[name] = parse_npy(bytes, what, &budget);
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

// A JSON array of whole numbers >= 0 (a shape or offsets): 2.7 or -1 is refused, not converted.
std::vector<std::size_t> whole_numbers(const nlohmann::json& j, const std::string& what, const char* field) {
    if (!j.is_array()) throw ImportError(what + ": '" + field + "' is not an array");
    std::vector<std::size_t> out;
    for (const auto& e : j) {
        if (!e.is_number_unsigned())
            throw ImportError(what + ": '" + field + "' has the entry " + e.dump().substr(0, 40) + ", not a whole number >= 0");
        out.push_back(e.get<std::size_t>());
    }
    return out;
}

// safetensors: 8 bytes little-endian header length N, N bytes of JSON {name: {dtype, shape, data_offsets}},
// then the data; offsets are relative to the end of the header.
TensorMap read_safetensors(const std::string& path, ElementBudget& budget) {
    const std::string b = read_all(path);
    if (b.size() < 8) throw ImportError(path + ": too short for a safetensors file");
    std::uint64_t n = 0;
    for (int k = 0; k < 8; ++k) n |= std::uint64_t(static_cast<unsigned char>(b[static_cast<std::size_t>(k)])) << (8 * k);
    if (n > b.size() - 8) throw ImportError(path + ": the header length " + std::to_string(n) + " exceeds the file");
    nlohmann::json header;
    // A key given twice in the top-level object would silently lose one tensor: refused while parsing.
    std::set<std::string> keys;
    std::string duplicate;
    const nlohmann::json::parser_callback_t no_duplicates = [&](int depth, nlohmann::json::parse_event_t event,
                                                                nlohmann::json& parsed) {
        if (depth == 1 && event == nlohmann::json::parse_event_t::key && !keys.insert(parsed.get<std::string>()).second &&
            duplicate.empty())
            duplicate = parsed.get<std::string>();
        return true;
    };
    try {
        header = nlohmann::json::parse(b.begin() + 8, b.begin() + 8 + static_cast<std::ptrdiff_t>(n), no_duplicates);
    } catch (const nlohmann::json::exception& e) {
        throw ImportError(path + ": the safetensors header is not valid JSON: " + e.what());
    }
    if (!duplicate.empty()) throw ImportError(path + ":" + duplicate + ": the tensor name appears twice in the safetensors header");
    if (!header.is_object()) throw ImportError(path + ": the safetensors header is not a JSON object");
    const std::size_t data = 8 + static_cast<std::size_t>(n), data_size = b.size() - data;
    TensorMap out;
    struct Span {
        std::size_t begin, end;
        std::string name;
    };
    std::vector<Span> spans;
    for (const auto& [name, info] : header.items()) {
        if (name == "__metadata__") continue;
        const std::string what = path + ":" + name;
        try {
            Tensor t;
            t.dtype = safetensors_dtype(info.at("dtype").get<std::string>(), what);
            t.shape = whole_numbers(info.at("shape"), what, "shape");
            const auto off = whole_numbers(info.at("data_offsets"), what, "data_offsets");
            if (off.size() != 2 || off[0] > off[1] || off[1] > data_size)
                throw ImportError(what + ": data_offsets outside the data section");
            spans.push_back({off[0], off[1], name});
            const std::size_t count = element_count(t.shape, what);
            budget.take(count, what);
            if (off[1] - off[0] != count * byte_size(t.dtype))
                throw ImportError(what + ": " + std::to_string(off[1] - off[0]) + " bytes, but " + to_string(t.dtype) +
                                  " of shape " + shape_text(t.shape) + " needs " + std::to_string(count * byte_size(t.dtype)));
            t.values = decode(reinterpret_cast<const unsigned char*>(b.data() + data + off[0]), count, t.dtype, true, what);
            out[name] = std::move(t);
        } catch (const nlohmann::json::exception& e) {
            throw ImportError(what + ": malformed tensor entry in the safetensors header: " + e.what());
        }
    }
    // The format stores the tensors back to back: the data section is covered exactly, without holes or
    // overlaps (two tensors sharing bytes, or bytes no tensor owns, mean a corrupt or hand-made file).
    std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& c) {
        return a.begin != c.begin ? a.begin < c.begin : a.end < c.end;
    });
    std::size_t at = 0;
    for (const Span& s : spans) {
        if (s.begin != at)
            throw ImportError(path + ":" + s.name + ": data_offsets [" + std::to_string(s.begin) + ", " +
                              std::to_string(s.end) + "] " + (s.begin < at ? "overlap another tensor's bytes" : "leave a gap") +
                              " (safetensors stores tensors contiguously)");
        at = s.end;
    }
    if (at != data_size)
        throw ImportError(path + ": " + std::to_string(data_size - at) + " bytes after the last tensor belong to no tensor");
    return out;
}

}  // namespace

TensorMap read_tensor_file(const std::string& path, ElementBudget& budget) {
    if (ends_with(path, ".safetensors")) return read_safetensors(path, budget);
    if (ends_with(path, ".npz")) return read_npz(path, budget);
    if (ends_with(path, ".npy")) return TensorMap{{"", parse_npy(read_all(path), path, &budget)}};
    throw ImportError(path + ": unknown file type (expected .safetensors, .npz or .npy)");
}

TensorMap read_tensor_file(const std::string& path) {
    ElementBudget budget;
    return read_tensor_file(path, budget);
}

}  // namespace nncert::import
