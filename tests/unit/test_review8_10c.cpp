// Review r8-10 of issue #8, finding F2 and the remaining small items (session 27, helper f2rest): a comment line
// whose first strong letter is right-to-left (F2), `claim critical` on deep networks, and the limits of a claim's
// child (its result's size, the names of the limits in messages).
#include "syntax_errors.hpp"
#include "kernel/model.hpp"
#include "process.hpp"
#include "report/json.hpp"
#include "report/render_junit.hpp"
#include "runtime/isolate.hpp"
#include "runtime/memory.hpp"
#include "script/csv.hpp"
#include "script/parser.hpp"
#include "util/unicode.hpp"

#include <boost/test/unit_test.hpp>

#include <unicode/uchar.h>

#include <unistd.h>

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace {

namespace s = nncert::script;

using nncert::test::script_error_at;  // syntax_errors.hpp
using nncert::test::csv_error;

const std::string shalom = "\u05e9\u05dc\u05d5\u05dd";      // Hebrew, bidi class R
const std::string marhaba = "\u0645\u0631\u062d\u0628\u0627";  // Arabic, bidi class AL
const std::string arabic_indic_123 = "\u0661\u0662\u0663";     // ARABIC-INDIC DIGITs, class AN (Arabic block)

// `nncert 1` and a data block whose first row is preceded by the line `comment_line`.
std::string rows_after(const std::string& comment_line) {
    return "nncert 1\ndata {\n" + comment_line + "\n  1 -> 0\n  2 -> 0\n}\n";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(review8_10c_fixes)

// F2: a comment on a line of its own whose first strong letter is right-to-left made GTK editors show that line and
// the letterless data rows after it right to left (`1 -> 0` as `0 <- 1`). Before, every case below read.
BOOST_AUTO_TEST_CASE(a_comment_line_whose_first_strong_letter_is_rtl_is_rejected) {
    // At the first right-to-left letter (columns count code points).
    BOOST_TEST(script_error_at(rows_after("  # " + shalom)) == "forbidden-character:3:5");
    BOOST_TEST(script_error_at(rows_after("# " + marhaba + " 1")) == "forbidden-character:3:3");
    BOOST_TEST(script_error_at(rows_after("#1 -> " + shalom + " note")) == "forbidden-character:3:7");
    BOOST_TEST(script_error_at(rows_after("# " + arabic_indic_123)) == "forbidden-character:3:3");
    BOOST_TEST(script_error_at("# " + shalom + "\nnncert 1\n") == "forbidden-character:1:3");
    // Each line on its own: a Latin letter on the line before does not count.
    BOOST_TEST(script_error_at(rows_after("# note\n# " + shalom)) == "forbidden-character:4:3");
    // After code, no right-to-left letter at all (the rule before F2), even after a Latin word.
    BOOST_TEST(script_error_at(rows_after("  0 -> 0 # note " + shalom)) == "forbidden-character:3:17");
}

BOOST_AUTO_TEST_CASE(a_comment_line_that_starts_left_to_right_may_hold_rtl_text) {
    BOOST_TEST(script_error_at(rows_after("# note: " + shalom + ", " + marhaba + " " + arabic_indic_123)) == "");
    BOOST_TEST(script_error_at(rows_after("  #1 -> 0 \u00e9 " + shalom)) == "");  // an accented Latin letter is L
    BOOST_TEST(script_error_at(rows_after("# \u65e5\u672c " + shalom)) == "");      // Han is L
    BOOST_TEST(script_error_at(rows_after("# \u0434\u0430 " + marhaba)) == "");     // Cyrillic is L
    BOOST_TEST(script_error_at(rows_after("# 1 -> 0, (x) ")) == "");                  // no strong letter at all
}

BOOST_AUTO_TEST_CASE(a_csv_line_whose_first_strong_letter_is_rtl_is_rejected) {
    BOOST_TEST(csv_error("\u05d0,\u05d1\n0,0\n1,1\n") == "forbidden-character:1:1");
    BOOST_TEST(csv_error("x,y\n0,0\n1," + arabic_indic_123 + "\n") == "forbidden-character:3:3");
    // A line that starts left-to-right is not shown reversed; its non-ASCII field is an error `csv` as before.
    BOOST_TEST(csv_error("x " + shalom + ",y\n0,0\n").rfind("csv:", 0) == 0u);
    BOOST_TEST(csv_error("x,y\n0,0\n1,1\n") == "");
}

// The two classes the rule relies on, over every code point: every letter ICU classes R or AL (and every code
// point of the right-to-left blocks) is right-to-left, every L outside them left-to-right, and none is both.
BOOST_AUTO_TEST_CASE(strong_letter_classes_agree_with_icu) {
    namespace u = nncert::util;
    std::size_t wrong = 0;
    for (char32_t cp = 0; cp <= 0x10FFFF; ++cp) {
        if (cp >= 0xD800 && cp <= 0xDFFF) continue;
        const UCharDirection d = u_charDirection(UChar32(cp));
        const bool rtl = u::is_strong_rtl(cp), ltr = u::is_strong_ltr(cp);
        if ((d == U_RIGHT_TO_LEFT || d == U_RIGHT_TO_LEFT_ARABIC) && !rtl) ++wrong;
        if (d == U_LEFT_TO_RIGHT && !rtl && !ltr) ++wrong;
        if (rtl && ltr) ++wrong;
        if (ltr && d != U_LEFT_TO_RIGHT) ++wrong;
    }
    BOOST_TEST(wrong == 0u);
    BOOST_TEST(u::is_strong_rtl(0x0661));  // ARABIC-INDIC DIGIT ONE: class AN, taken with its block
    BOOST_TEST(!u::is_strong_ltr('1'));
    BOOST_TEST(u::is_strong_ltr('x'));
}

// ParamNames (one LayerOffsets, a binary search per name) names every parameter as Network::param_name does, bias-free
// layers and wide ones included, and refuses an index past the end as it does.
BOOST_AUTO_TEST_CASE(param_names_agree_with_param_name) {
    namespace k = nncert::kernel;
    k::Network net;
    net.input_dim = 3;
    for (const auto& [width, bias] : std::vector<std::pair<std::size_t, bool>>{{2, true}, {4, false}, {1, true}, {3, false}, {2, true}})
        net.layers.push_back(k::Layer{width, k::Activation{}, bias});
    const k::ParamNames name(net);
    BOOST_TEST_REQUIRE(name.size() == net.num_params());
    for (std::size_t i = 0; i < net.num_params(); ++i) BOOST_TEST(name(i) == net.param_name(i), i);
    BOOST_CHECK_THROW(name(net.num_params()), std::out_of_range);
    BOOST_CHECK_THROW(net.param_name(net.num_params()), std::out_of_range);
}

// `claim critical P` named every entry of the gradient with Network::param_name, which scans the layers before the
// entry: O(L) per entry, O(L * p) in all; and the text report looked each entry's approximation up with a linear
// Json::find: quadratic in the entries. 100,000 `dense 1 identity` layers, two data rows: the gradient has 200,000
// nonzero entries. Main d25284d took 155 s (the claim's child within its --timeout, then the parent's report),
// this takes about 5 s (docs/limits.md). No timed assertion: `--timeout 60` (per claim) turns a slow kernel into
// INCONCLUSIVE, and `timeout 120` around the run (the report is written by the parent, after the claim's limit)
// a slow report into a kill; either fails.
BOOST_AUTO_TEST_CASE(critical_is_linear_in_the_depth) {
    namespace t = nncert::test;
    const std::size_t layers = 100000;
    std::string text = "nncert 1\ndata {\n  1 -> 5\n  2 -> 3\n}\nnetwork {\n  input 1\n";
    for (std::size_t l = 0; l < layers; ++l) text += "  dense 1 identity\n";
    text += "}\nloss sse\npoint p {\n";
    for (std::size_t l = 1; l <= layers; ++l) text += "  W" + std::to_string(l) + " = [[1]] b" + std::to_string(l) + " = [0]\n";
    text += "}\nclaim critical p\n";
    t::TempDir dir;
    t::write_text(dir / "deep.nnc", text);
    const t::ProcessResult r =
        t::run_process("timeout 120 " + t::nncert_binary() + " check --timeout 60 " +
                       t::shell_quote((dir / "deep.nnc").string()));
    BOOST_TEST(r.exit == 1, r.exit << ": " << r.err);
    BOOST_TEST(r.out.find("REFUTED       critical p  [exact-gradient]") != std::string::npos);
}

// A child's result is capped (runtime::max_result_mib, docs/limits.md): before, the parent read a result of any size
// (a claim with huge evidence, under --max-memory 0, made it allocate without bound). Here with a cap of 1 MiB: a job
// whose result is over it is reported as stopped by that cap, with its size, and nothing of it is received; the
// same child goes on with the next job (the job finished: nothing is half-updated).
BOOST_AUTO_TEST_CASE(a_result_over_the_cap_is_not_received) {
    using nncert::runtime::Isolated;
    nncert::runtime::ResourceLimits limits{30, 0};
    BOOST_TEST(limits.max_result_bytes == nncert::runtime::max_result_mib << 20);  // the documented default
    limits.max_result_bytes = std::size_t(1) << 20;
    std::vector<Isolated> got;
    nncert::runtime::run_isolated_each(
        3,
        [](std::size_t i) -> std::string {
            if (i == 1) return std::string((std::size_t(1) << 21) + 5, 'x');  // 2 MiB + 5 bytes
            return std::to_string(getpid());
        },
        limits,
        [&](std::size_t, Isolated r) {
            got.push_back(std::move(r));
            return true;
        });
    BOOST_TEST_REQUIRE(got.size() == 3u);
    BOOST_TEST((got[0].kind == Isolated::Kind::done));
    BOOST_TEST((got[1].kind == Isolated::Kind::memory));
    BOOST_TEST(got[1].result_over_cap == (std::size_t(1) << 21) + 5);
    BOOST_TEST(got[1].payload.empty());
    BOOST_TEST(!got[1].result_too_big);
    BOOST_TEST((got[2].kind == Isolated::Kind::done));
    BOOST_TEST(got[2].payload == got[0].payload);  // one child for all three
    // A result at the cap is received whole.
    const Isolated at_cap =
        nncert::runtime::run_isolated([] { return std::string(std::size_t(1) << 20, 'y'); }, limits);
    BOOST_TEST((at_cap.kind == Isolated::Kind::done));
    BOOST_TEST(at_cap.payload.size() == std::size_t(1) << 20);
    BOOST_TEST(nncert::runtime::memory_stop_phrase(got[1].result_over_cap, limits, "unused") ==
               "the limit of 1 MiB on a job's result (its result has 2097157 bytes; docs/limits.md)");
}

// What `check` says of a stopped claim names the limit that applied. The time limit and the child's memory limit are
// per claim; a result the checking process could not hold met that process's --max-memory (before: "the memory limit
// of N MiB per claim", the wrong limit); a result over the cap names the cap, limit `max-result-size`.
BOOST_AUTO_TEST_CASE(a_stopped_claims_reason_names_the_limit_that_applied) {
    using nncert::runtime::Isolated;
    const nncert::runtime::ResourceLimits limits{7, 0};  // no memory limit: the phrases do not depend on ulimit -v
    const nncert::runtime::ResourceLimits limited{7, 300};
    Isolated run;
    run.kind = Isolated::Kind::timeout;
    auto why = nncert::runtime::claim_stop_reason(run, limits);
    BOOST_TEST_REQUIRE(why.has_value());
    BOOST_TEST(why->limit == "timeout");
    BOOST_TEST(why->reason == "stopped by the time limit of 7 s per claim (--timeout)");
    run.kind = Isolated::Kind::memory;
    why = nncert::runtime::claim_stop_reason(run, limited);
    BOOST_TEST_REQUIRE(why.has_value());
    BOOST_TEST(why->limit == "max-memory");
    if (nncert::runtime::memory_limit_phrase(300, "x") == "x")  // no smaller ulimit -v applies
        BOOST_TEST(why->reason == "stopped by the memory limit of 300 MiB per claim (--max-memory)");
    run.result_too_big = true;
    why = nncert::runtime::claim_stop_reason(run, limited);
    BOOST_TEST_REQUIRE(why.has_value());
    BOOST_TEST(why->limit == "max-memory");
    BOOST_TEST(why->reason.find("per claim") == std::string::npos, why->reason);
    if (nncert::runtime::memory_limit_phrase(300, "x") == "x")
        BOOST_TEST(why->reason == "checked, but its result is too big for the checking process to hold under the "
                                  "memory limit of 300 MiB (--max-memory)");
    run.result_too_big = false;
    run.result_over_cap = 300u << 20;
    why = nncert::runtime::claim_stop_reason(run, limits);
    BOOST_TEST_REQUIRE(why.has_value());
    BOOST_TEST(why->limit == "max-result-size");
    BOOST_TEST(why->reason == "checked, but its result has 314572800 bytes, over the limit of 256 MiB on a claim's "
                              "result (docs/limits.md)");
    for (const Isolated::Kind k : {Isolated::Kind::done, Isolated::Kind::failed, Isolated::Kind::crashed}) {
        run.kind = k;
        BOOST_TEST(!nncert::runtime::claim_stop_reason(run, limits).has_value());
    }
}

// `check --junit` kept the whole witness and evidence of every claim not certified until the end, to print them in
// full: an 18-layer squaring tower's refuted `critical` is 8.8 MB of gradient, so the parent's memory grew by that
// per failing claim and the JUnit file held megabytes a CI view does not show. Now each script's JUnit part is
// rendered when it finishes, a failure's witness shown up to 64 KiB; the file still equals render_junit of the full
// JSON report. Before: the JUnit file was 8.8 MB with no "more bytes" note.
BOOST_AUTO_TEST_CASE(junit_shows_at_most_64_kib_of_a_failures_evidence) {
    namespace t = nncert::test;
    std::string tower = "nncert 1\ndata { 3 -> 1 }\nnetwork {\n  input 1\n";
    for (int i = 0; i < 18; ++i) tower += "  dense 1 poly(0, 0, 1)\n";
    tower += "}\nloss sse\npoint p {\n";
    for (int i = 1; i <= 18; ++i) tower += "  W" + std::to_string(i) + " = [[1]] b" + std::to_string(i) + " = [0]\n";
    tower += "}\nclaim critical p\nclaim loss p = 1\n";
    t::TempDir tmp;
    t::write_text(tmp / "tower.nnc", tower);
    const t::ProcessResult r = t::run_process(t::nncert_binary() + " check --report json -o " +
                                              t::shell_quote((tmp / "r.json").string()) + " --junit " +
                                              t::shell_quote((tmp / "j.xml").string()) + " " +
                                              t::shell_quote((tmp / "tower.nnc").string()));
    BOOST_TEST(r.exit == 1, r.out << r.err);
    const std::string xml = t::read_text(tmp / "j.xml");
    BOOST_TEST(xml.size() < 200000u);
    BOOST_TEST(xml.find(" more bytes; the whole witness is in the JSON report, --report json)") != std::string::npos);
    BOOST_TEST(xml.find("<failure type=\"refuted\"") != std::string::npos);
    const nncert::report::Json doc = nncert::report::Json::parse(t::read_text(tmp / "r.json"));
    BOOST_TEST(doc.at("scripts").as_array().at(0).at("claims").as_array().at(0).at("witness").dump(nncert::report::Layout::line).size() >
               nncert::report::junit_evidence_bytes);
    BOOST_TEST(nncert::report::render_junit(doc) == xml);
}

BOOST_AUTO_TEST_SUITE_END()
