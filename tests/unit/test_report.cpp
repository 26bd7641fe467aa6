// The report document: kernel::Value to JSON (exact values as strings), claim entries from real kernel
// verdicts, summary counts and exit-code precedence, and the text rendering of a hand-made document.
#include "kernel/kernel.hpp"
#include "report/exit_codes.hpp"
#include "report/render_text.hpp"
#include "report/report.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

namespace k = nncert::kernel;
namespace r = nncert::report;
using r::ExitCode;
using r::Json;
using r::Layout;

namespace {

// f(x) = w x + b on the single sample (1, 1); at w = 2, b = 0 the squared error is 1.
k::Problem tiny_problem(k::ActivationKind act = k::ActivationKind::identity) {
    k::Problem p;
    p.net.input_dim = 1;
    k::Layer layer;
    layer.width = 1;
    layer.activation.kind = act;
    p.net.layers.push_back(layer);
    p.data.push_back(k::Sample{{k::Rational(1)}, {k::Rational(1)}});
    p.loss = k::LossKind::sse;
    return p;
}

k::Claim loss_claim(k::Rational value) {
    k::Claim c;
    c.kind = k::ClaimKind::loss;
    c.point = 0;
    c.value = std::move(value);
    return c;
}

const std::vector<k::Point> points = {k::Point{"P", {k::Rational(2), k::Rational(0)}}};

Json claim(const char* text, int line, const char* verdict) {
    Json c;
    c.set("claim", text);
    c.set("line", line);
    c.set("verdict", verdict);
    c.set("method", "exact-loss");
    return c;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(report)

BOOST_AUTO_TEST_CASE(value_to_json) {
    k::Value v(k::Object{{"q", k::Rational(-3, 4)},
                         {"n", 5},
                         {"list", k::List{k::Rational(2), "x", k::Rational(10, 4)}},
                         {"flag", true},
                         {"none", k::Value()}});
    BOOST_TEST(r::to_json(v).dump(Layout::compact) ==
               R"({"q":"-3/4","n":5,"list":["2","x","5/2"],"flag":true,"none":null})");
}

BOOST_AUTO_TEST_CASE(claims_from_kernel_verdicts) {
    k::Verdict yes = k::check(tiny_problem(), points, loss_claim(k::Rational(1)));
    k::Verdict no = k::check(tiny_problem(), points, loss_claim(k::Rational(2)));
    k::Verdict maybe = k::check(tiny_problem(k::ActivationKind::sigmoid), points, loss_claim(k::Rational(1)));
    BOOST_REQUIRE(yes.outcome() == k::Outcome::certified);
    BOOST_REQUIRE(no.outcome() == k::Outcome::refuted);
    BOOST_REQUIRE(maybe.outcome() == k::Outcome::inconclusive);

    Json c = r::claim_json("loss P = 1", 7, yes);
    BOOST_TEST(c.at("claim").as_string() == "loss P = 1");
    BOOST_TEST(c.at("line").as_integer() == 7);
    BOOST_TEST(c.at("verdict").as_string() == "certified");
    BOOST_TEST(c.at("method").as_string() == yes.method());
    BOOST_TEST(c.at("certificate").is_object());
    BOOST_TEST(!c.find("witness"));
    BOOST_TEST(!c.find("reason"));

    Json d = r::claim_json("loss P = 2", 8, no);
    BOOST_TEST(d.at("verdict").as_string() == "refuted");
    BOOST_TEST(d.find("witness"));
    BOOST_TEST(!d.find("certificate"));

    Json e = r::claim_json("loss P = 1", 9, maybe);
    BOOST_TEST(e.at("verdict").as_string() == "inconclusive");
    BOOST_TEST(!e.at("reason").as_string().empty());
    BOOST_TEST(!e.find("certificate"));
    BOOST_TEST(!e.find("witness"));

    // A document with these claims reads back from its own JSON unchanged.
    Json doc = r::document("0.0.0", {r::script_json("a.nnc", "00", {c, d, e})});
    BOOST_TEST((Json::parse(doc.dump()) == doc));
    BOOST_TEST(doc.at("summary").at("exit_code").as_integer() == 1);
}

BOOST_AUTO_TEST_CASE(exit_code_precedence) {
    // 5 > 2 > 1 > 3 > 0
    BOOST_TEST(r::to_int(r::worst(ExitCode::refuted, ExitCode::inconclusive)) == 1);
    BOOST_TEST(r::to_int(r::worst(ExitCode::inconclusive, ExitCode::certified)) == 3);
    BOOST_TEST(r::to_int(r::worst(ExitCode::refuted, ExitCode::malformed)) == 2);
    BOOST_TEST(r::to_int(r::worst(ExitCode::internal, ExitCode::malformed)) == 5);
    BOOST_TEST(r::to_int(r::worst(ExitCode::certified, ExitCode::certified)) == 0);

    r::ErrorInfo syntax{"syntax", 3, 4, "expected '='", ""};
    r::ErrorInfo internal{std::string(r::internal_error_code), 5, 1, "boom", ""};
    auto ok = r::script_json("ok.nnc", "aa", {claim("loss P = 1", 1, "certified")});
    auto maybe = r::script_json("m.nnc", "bb", {claim("loss P = 1", 1, "inconclusive")});
    auto bad = r::script_json("b.nnc", "cc", {claim("loss P = 1", 1, "refuted")});
    auto broken = r::error_script_json("x.nnc", std::string("dd"), syntax);
    auto crashed = r::error_script_json("y.nnc", std::string("ee"), internal);
    auto code = [](Json::Array s) { return r::document("v", std::move(s)).at("summary").at("exit_code").as_integer(); };
    BOOST_TEST(code({}) == 0);
    BOOST_TEST(code({ok}) == 0);
    BOOST_TEST(code({ok, maybe}) == 3);
    BOOST_TEST(code({maybe, bad, ok}) == 1);
    BOOST_TEST(code({bad, broken}) == 2);
    BOOST_TEST(code({crashed, broken, bad}) == 5);
}

BOOST_AUTO_TEST_CASE(summary_counts) {
    r::ErrorInfo io{std::string(r::io_error_code), 0, 0, "no such file or directory", ""};
    Json doc = r::document(
        "1.2.3",
        {r::script_json("a.nnc", "aa", {claim("c1", 1, "certified"), claim("c2", 2, "refuted")}),
         r::script_json("b.nnc", "bb", {claim("c3", 1, "inconclusive"), claim("c4", 2, "certified")}),
         r::error_script_json("missing.nnc", std::nullopt, io)},
        Json::Object{{"max_patterns", Json(4096)}});
    BOOST_TEST(doc.at("nncert").as_string() == "1.2.3");
    BOOST_TEST(doc.at("format").as_integer() == 1);
    BOOST_TEST(doc.at("options").at("max_patterns").as_integer() == 4096);
    BOOST_TEST(doc.at("summary").dump(Layout::compact) ==
               R"({"scripts":3,"claims":4,"certified":2,"refuted":1,"inconclusive":1,"errors":1,"exit_code":2})");
    BOOST_TEST(!doc.at("scripts").as_array()[2].find("sha256"));
    BOOST_TEST((r::exit_code_of_document(doc) == ExitCode::malformed));
}

BOOST_AUTO_TEST_CASE(text_rendering) {
    Json refuted = claim("critical bad", 14, "refuted");
    refuted.set("method", "exact-gradient");
    refuted.set("witness", Json::Object{{"param", Json("W1[1,1]")}, {"gradient", Json("-3/2")}});
    Json unsure = claim("hessian_pd Q", 15, "inconclusive");
    unsure.set("method", "exact");
    unsure.set("reason", "sigmoid needs the interval engine");
    Json good = claim("loss bad = 18", 12, "certified");
    good.set("certificate", Json::Object{{"loss", Json("18")}});
    r::ErrorInfo syntax{"syntax", 3, 7, "expected '='", ""};
    r::ErrorInfo in_data{"csv", 2, 1, "expected 3 columns", "sub/data.csv"};
    r::ErrorInfo io{std::string(r::io_error_code), 0, 0, "no such file or directory", ""};
    Json doc = r::document("0.1.0", {r::script_json("example1.nnc", "ab12", {good, refuted, unsure}),
                                     r::error_script_json("broken.nnc", std::string("cd34"), syntax),
                                     r::error_script_json("sub/d.nnc", std::string("ef56"), in_data),
                                     r::error_script_json("gone.nnc", std::nullopt, io)});
    std::string expected =
        "example1.nnc:12: CERTIFIED     loss bad = 18  [exact-loss]\n"
        "example1.nnc:14: REFUTED       critical bad  [exact-gradient]\n"
        "    witness: {\"param\": \"W1[1,1]\", \"gradient\": \"-3/2\"}\n"
        "example1.nnc:15: INCONCLUSIVE  hessian_pd Q  [exact]\n"
        "    reason: sigmoid needs the interval engine\n"
        "sha256 ab12  example1.nnc\n"
        "broken.nnc:3:7: error[syntax]: expected '='\n"
        "sha256 cd34  broken.nnc\n"
        "sub/data.csv:2:1: error[csv]: expected 3 columns\n"
        "sha256 ef56  sub/d.nnc\n"
        "gone.nnc: error[io]: no such file or directory\n"
        "summary: 3 claims: 1 certified, 1 refuted, 1 inconclusive; 3 errors\n";
    BOOST_TEST(r::render_text(doc) == expected);
    // The renderer works from the JSON alone: a document read back renders the same.
    BOOST_TEST(r::render_text(Json::parse(doc.dump())) == expected);
}

BOOST_AUTO_TEST_SUITE_END()
