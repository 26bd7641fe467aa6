// `nncert print` shows how a script was read, so its output must parse back to the same script, within
// every limit (it used to print 1e1000 as a 1001-digit literal, which the 1000-digit limit rejects).
// Property tests: exact numbers at and past the literal limits, every script of the repository (proofs/,
// tests/scripts/) and every committed fuzz input (fuzz/seeds/, fuzz/findings/).
#include "test_paths.hpp"
#include "script/number.hpp"
#include "script/script.hpp"
#include "script_compare.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <random>
#include <string>

namespace fs = std::filesystem;
namespace k = nncert::kernel;
using nncert::script::number_text;
using nncert::script::parse_number;
using nncert::script::ParseError;
using nncert::script::print_canonical;

namespace {

k::Integer pow10(unsigned e) { return boost::multiprecision::pow(k::Integer(10), e); }

// A random whole number of `digits` decimal digits.
k::Integer random_integer(std::mt19937_64& rng, std::size_t digits) {
    std::string s(1, char('1' + rng() % 9));
    while (s.size() < digits) s += char('0' + rng() % 10);
    return k::Integer(s);
}

void round_trips(const k::Rational& q) {
    const std::string text = number_text(q);
    BOOST_TEST_CONTEXT(text.substr(0, 80) << (text.size() > 80 ? "..." : "")) {
        k::Rational back;
        try {
            back = parse_number(text);
        } catch (const ParseError& e) {
            BOOST_TEST(false, "does not parse back: " << e.code);
            return;
        }
        BOOST_TEST((back == q));
        BOOST_TEST(number_text(back) == text);
        // Every printed literal fits the width rule, so printed text parses anywhere, in a claim too.
        for (const nncert::script::Token& t : nncert::script::lex(text, {"<number>", 1, 1}))
            if (t.kind == nncert::script::Tok::number)
                BOOST_TEST(t.end - t.loc.offset <= nncert::script::literal_view, t.text.substr(0, 80));
    }
}

// Every script under the folder (recursively; only *.nnc files when scripts_only) that parses: printed,
// parsed again, equal, and printed the same. Returns how many scripts were compared.
std::size_t check_folder(const fs::path& dir, bool scripts_only = true) {
    std::size_t n = 0;
    if (!fs::is_directory(dir)) return 0;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        if (!e.is_regular_file() || (scripts_only && e.path().extension() != ".nnc")) continue;
        nncert::script::Script s;
        try {
            s = nncert::script::parse_file(e.path().string());
        } catch (const ParseError&) {
            continue;  // rejected scripts have nothing to print
        }
        ++n;
        BOOST_TEST_CONTEXT(e.path().string()) {
            const std::string text = print_canonical(s);
            try {
                const nncert::script::Script t =
                    nncert::script::parse_text(text, e.path().string(), e.path().parent_path().string());
                const auto diff = nncert::test::script_differences(s, t);
                BOOST_TEST(diff.empty(), "printed form reads differently: " << (diff.empty() ? "" : diff.front()));
                BOOST_TEST(print_canonical(t) == text);
            } catch (const ParseError& err) {
                BOOST_TEST(false, "printed form does not parse: " << err.format());
            }
        }
    }
    return n;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(round_trip)

BOOST_AUTO_TEST_CASE(numbers_at_and_past_the_literal_limits) {
    std::mt19937_64 rng_for_boundary(9);
    BOOST_TEST(number_text(k::Rational(pow10(1000))) == "1e1000");
    BOOST_TEST(number_text(k::Rational(-k::Integer(pow10(1000)))) == "-1e1000");
    BOOST_TEST(number_text(k::Rational(1) / k::Rational(pow10(1000))) == "1/1e1000");
    BOOST_TEST(number_text(k::Rational(k::Integer(7)) / k::Rational(k::Integer(3))) == "7/3");
    for (unsigned e : {999u, 1000u, 1001u, 1999u, 2000u, 2001u, 5000u})
        for (const k::Integer& m : {k::Integer(1), k::Integer(123), pow10(999) - 1, pow10(1000) - 1}) {
            round_trips(k::Rational(k::Integer(m * pow10(e))));
            round_trips(k::Rational(k::Integer(m * pow10(e) + 1)));
            round_trips(-k::Rational(k::Integer(m * pow10(e) + 7)) / k::Rational(k::Integer(pow10(e) * 3 + 1)));
        }
    // `m e t` at the width boundary: the literal's length counts its exponent (fuzz finding of 1 December 2026:
    // a 60-digit m times 10^1000 over 33 was written `m e1000/33`, a 65-character literal before `/`).
    for (std::size_t digits = 50; digits <= 64; ++digits)
        for (unsigned e : {1u, 9u, 10u, 99u, 100u, 999u, 1000u, 5000u}) {
            const k::Integer m = random_integer(rng_for_boundary, digits) * 10 + 1;  // ends in a nonzero digit
            round_trips(k::Rational(k::Integer(m * pow10(e))));
            round_trips(-k::Rational(k::Integer(m * pow10(e))) / k::Rational(k::Integer(33)));
        }
    std::mt19937_64 rng(8);
    for (int i = 0; i < 200; ++i) {
        const k::Integer a = random_integer(rng, 1 + rng() % 19000), b = random_integer(rng, 1 + rng() % 19000);
        round_trips(k::Rational(a) / k::Rational(b));
        round_trips(-k::Rational(a));
    }
    // The largest allowed magnitude: 2^65536 - 1 (65536 bits), over both parts of a fraction.
    const k::Integer top = boost::multiprecision::pow(k::Integer(2), 65536) - 1;
    round_trips(k::Rational(top));
    round_trips(k::Rational(top - 2) / k::Rational(top));
}

BOOST_AUTO_TEST_CASE(a_script_with_huge_numbers_prints_back_to_itself) {
    const std::string text =
        "nncert 1\ndata {\n  1e1000 -> 0x1p16384\n  -1e-1000 -> 1e1000 * 1e1000 + 1\n}\n"
        "network {\n  input 1\n  dense 1 leaky_relu(1e1000 * 1e1000)\n}\nloss sse\nclassify threshold 1e1000 / 3\n"
        "point p {\n  W1 = [[9e1000 * 9e1000 * 9e1000]]\n  b1 = [-(1e1000 - 1) / (1e1000 + 1)]\n}\n"
        "claim loss p = 1e1000 * 1e1000 * 1e1000 * 7\nclaim critical p within 1e-1000 / 1e1000\n";
    const nncert::script::Script s = nncert::script::parse_text(text, "t.nnc", ".");
    const std::string printed = print_canonical(s);
    const nncert::script::Script t = nncert::script::parse_text(printed, "t.nnc", ".");
    BOOST_TEST(nncert::test::script_differences(s, t).empty());
    BOOST_TEST(print_canonical(t) == printed);
}

BOOST_AUTO_TEST_CASE(every_repository_script_prints_back_to_itself) {
    const fs::path root = NNCERT_SOURCE_DIR;
    const std::size_t n = check_folder(root / "proofs") + check_folder(root / "tests" / "scripts");
    BOOST_TEST(n >= 100u);
}

BOOST_AUTO_TEST_CASE(every_committed_fuzz_input_prints_back_to_itself) {
    const fs::path root = NNCERT_SOURCE_DIR;
    check_folder(root / "fuzz" / "seeds", false);  // fuzz inputs have no extension
    check_folder(root / "fuzz" / "findings", false);
}

BOOST_AUTO_TEST_SUITE_END()
