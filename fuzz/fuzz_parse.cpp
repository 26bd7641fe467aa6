// libFuzzer harness: parse and resolve a script; a rejection must have a documented code; an accepted
// script must print (`nncert print`) to text that parses back to the same script and prints the same.
#include "fuzz_common.hpp"
#include "script/script.hpp"
#include "script_compare.hpp"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace nncert;
    const std::optional<script::Script> parsed = fuzz::parse_script(data, size);
    if (!parsed) return 0;
    const script::Script& s = *parsed;
    const std::string printed = script::print_canonical(s);
    script::Script t;
    try {
        t = script::parse_text(printed, "fuzz.nnc", fuzz::no_dir);
    } catch (const script::ParseError& e) {
        fuzz::finding("the printed script does not parse: " + e.format() + "\n" + printed);
    }
    const auto diff = test::script_differences(s, t);
    if (!diff.empty()) fuzz::finding("the printed script reads differently: " + diff.front() + "\n" + printed);
    if (script::print_canonical(t) != printed) fuzz::finding("printing is not a fixed point\n" + printed);
    return 0;
}
