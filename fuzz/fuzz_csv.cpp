// libFuzzer harness: a CSV data file; a rejection must have a documented code, and every number read
// must print (number_text) to text that parses back to the same value.
#include "fuzz_common.hpp"
#include "script/csv.hpp"
#include "script/number.hpp"
#include "script/script.hpp"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace nncert;
    const std::string text(reinterpret_cast<const char*>(data), size);
    std::vector<script::syntax::ArrayRow> rows;
    try {
        rows = script::parse_csv(text, "fuzz.csv");
    } catch (const script::ParseError& e) {
        fuzz::require_documented(e);
        return 0;
    }
    for (const auto& r : rows)
        for (const kernel::Rational& v : r.values) {
            const std::string shown = script::number_text(v);
            try {
                if (script::parse_number(shown) != v) fuzz::finding("number_text reads back differently: " + shown);
            } catch (const script::ParseError& e) {
                fuzz::finding("number_text does not parse: " + shown + ": " + e.format());
            }
        }
    return 0;
}
