// Trap refutations re-checked from the outside: every REFUTED trap of the scripts below names an exact witness
// point that lies on a finite face of the region and whose loss is, by an independent claim, below L(P).
#include "test_paths.hpp"
#include "kernel/number.hpp"
#include "process.hpp"
#include "report/json.hpp"

#include <boost/test/unit_test.hpp>

#include <map>
#include <optional>

namespace t = nncert::test;
using nncert::kernel::Rational;
using nncert::report::Json;

namespace {

struct End {
    std::optional<Rational> lo, hi;  // absent = infinite
};

struct Case {
    std::string script;                  // relative to the source root
    std::string claim;                   // as written
    std::string point;                   // P
    std::map<std::string, End> region;   // the region's ranges, by parameter name
    // Where the witness must lie, per parameter (closed ranges), when the points below L(P) are known to be few.
    std::optional<std::map<std::string, End>> expected;
};

Rational q(const std::string& s) { return Rational(s); }

const Json* claim_of(const Json& report, const std::string& text) {
    for (const Json& c : report.at("scripts").as_array().at(0).at("claims").as_array())
        if (c.at("claim").as_string() == text) return &c;
    return nullptr;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(trap_refutation)

BOOST_AUTO_TEST_CASE(witnesses_lie_on_a_face_and_are_below_the_loss_at_p) {
    const std::string root = NNCERT_SOURCE_DIR;
    const std::vector<Case> cases = {
        {"tests/scripts/traps/descent-path-cut.nnc", "trap slope in narrow", "slope",
         {{"W1[1,1]", {q("-21/4"), q("-19/4")}}, {"b1[1]", {q("43/4"), q("45/4")}}}, std::nullopt},
        {"tests/scripts/traps/descent-path-cut.nnc", "trap slope in sliver", "slope",
         {{"W1[1,1]", {q("-11/2"), q("-9/2")}}, {"b1[1]", {q("21/2"), q("23/2")}}}, std::nullopt},
        // The corner mutant: the face's points below L(bad) lie within about 1e-6 of the corner (0, 1.20712) (the end
        // moved by 1e-6 opens a sliver there), so the witness is on the face W1 = 0 within 1e-6 of the corner (the
        // one-layer contraction may hand the search a sub-box whose sample is not the corner itself).
        {"tests/scripts/mutants/one-unit-corner-1e-6.nnc", "trap bad in corner", "bad",
         {{"W1[1,1]", {std::nullopt, q("0")}}, {"b1[1]", {q("15089/12500"), std::nullopt}}},
         std::map<std::string, End>{{"W1[1,1]", {q("0"), q("0")}},
                                    {"b1[1]", {q("15089/12500"), q("15089/12500") + q("1/1000000")}}}},
    };
    for (const Case& c : cases) {
        BOOST_TEST_CONTEXT(c.script << ": " << c.claim) {
            const auto run = t::run_process(t::nncert_binary() + " check --json " + t::shell_quote(root + "/" + c.script));
            const Json report = Json::parse(run.out);
            const Json* claim = claim_of(report, c.claim);
            BOOST_REQUIRE(claim != nullptr);
            BOOST_TEST(claim->at("verdict").as_string() == "refuted");
            const Json& w = claim->at("witness").at("witness_point");
            // In R, and on its boundary: some coordinate sits exactly at a finite end of its range.
            bool on_face = false;
            std::string point_text = "point w {\n";
            for (const auto& [name, end] : c.region) {
                const Rational v(w.at(name).as_string());
                if (end.lo) BOOST_TEST(v >= *end.lo);
                if (end.hi) BOOST_TEST(v <= *end.hi);
                on_face = on_face || (end.lo && v == *end.lo) || (end.hi && v == *end.hi);
                const std::string param = name.substr(0, name.find('['));
                point_text += "  " + param + (param[0] == 'W' ? " = [[" : " = [") + w.at(name).as_string() +
                              (param[0] == 'W' ? "]]\n" : "]\n");
            }
            BOOST_TEST(on_face);
            if (c.expected)
                for (const auto& [name, end] : *c.expected) {
                    const Rational v(w.at(name).as_string());
                    BOOST_TEST((v >= *end.lo && v <= *end.hi), name << " = " << v);
                }
            // An independent claim at the exact witness: L(P) > L(w).
            const std::string text = t::read_text(root + "/" + c.script);
            const t::TempDir dir;
            const std::string path = (dir / "witness.nnc").string();
            const std::size_t cut = text.find("\nregion ");
            BOOST_REQUIRE(cut != std::string::npos);
            t::write_text(path, text.substr(0, cut) + "\n" + point_text + "}\n\nclaim gap " + c.point +
                                    " within 0 > w\n");
            const auto check = t::run_process(t::nncert_binary() + " check --json " + t::shell_quote(path));
            BOOST_TEST(check.exit == 0, check.out << check.err);
        }
    }
}

// A boundary layer's witness lies strictly inside R, within the layer's thickness of a face, and the witness
// says so (review r9-9, F1: it said "a point of R's boundary"). One sigmoid unit, R = {W1 >= 15, b1 <= -9.30}:
// the loss stays above L(P) on the face b1 = -9.30 but not 0.01 below it.
BOOST_AUTO_TEST_CASE(a_layer_witness_lies_in_the_layer_and_says_so) {
    t::TempDir tmp;
    t::write_text(tmp.path() / "layer.nnc", R"(nncert 1
data {
  0, 0 -> 0
  1, 0 -> 1
  0, 1 -> 1
  1, -1 -> 0
}
network {
  input 2
  dense 1 sigmoid
}
loss sse
point p {
  W1 = [[20, 20]]
  b1 = [-10]
}
region tight {
  W1 in [15, inf]
  b1 in [-inf, -9.30]
}
claim trap p in tight layer 0.01
claim trap p in tight
)");
    const auto run = t::run_process(t::nncert_binary() + " check --json " + t::shell_quote((tmp.path() / "layer.nnc").string()));
    const Json report = Json::parse(run.out);
    const Json* layer = claim_of(report, "trap p in tight layer 1/100");
    BOOST_REQUIRE(layer != nullptr);
    BOOST_TEST(layer->at("verdict").as_string() == "refuted");
    BOOST_TEST(layer->at("witness").at("result").as_string() == "a point of R's boundary layer where the loss is <= L(P)");
    const Rational b1(layer->at("witness").at("witness_point").at("b1[1]").as_string());
    BOOST_TEST((b1 < q("-93/10") && b1 >= q("-93/10") - q("1/100")), b1);
    const Json* face = claim_of(report, "trap p in tight");
    BOOST_REQUIRE(face != nullptr);
    BOOST_TEST(face->at("verdict").as_string() == "certified");
}

// Region claims refuted by a point the script names (review 14, finding 5): the witness is that point, named, at its
// exact coordinates, inside the region, with a loss enclosure certainly on the wrong side of the claim; a named point
// outside the region refutes nothing. The plateau of proofs/paper/theorem1-sigmoid.nnc, where `loss plateau in [2.4,
// inf]` stayed INCONCLUSIVE after 200,000 boxes before.
BOOST_AUTO_TEST_CASE(a_named_point_in_the_region_refutes_region_claims) {
    const std::string root = NNCERT_SOURCE_DIR;
    const auto run = t::run_process(t::nncert_binary() + " check --json " +
                                    t::shell_quote(root + "/tests/scripts/traps/region-claims-refuted-by-a-named-point.nnc"));
    const Json report = Json::parse(run.out);
    for (const std::string text : {"loss plateau in [12/5, inf]", "loss plateau in [0, 23/10]", "gap plateau > zero",
                                   "loss plateau in [23/10, 47/20]"}) {
        BOOST_TEST_CONTEXT(text) {
            const Json* claim = claim_of(report, text);
            BOOST_REQUIRE(claim != nullptr);
            BOOST_TEST(claim->at("verdict").as_string() == "refuted");
            const Json& w = claim->at("witness");
            BOOST_TEST(w.at("witness_named_point").as_string() == "bad");
            BOOST_TEST(w.at("witness_point").at("W1[1,1]").as_string() == "100");
            BOOST_TEST(w.at("witness_point").at("b1[2]").as_string() == "-120");
            const Rational lo(w.at("witness_loss").at("lower").as_string()), hi(w.at("witness_loss").at("upper").as_string());
            if (text == "loss plateau in [12/5, inf]") BOOST_TEST(hi < q("12/5"));
            if (text == "loss plateau in [0, 23/10]") BOOST_TEST(lo > q("23/10"));
            if (text == "gap plateau > zero") BOOST_TEST(hi <= q("5/2"));
            // The upper end, refuted before the lower end's search (which would take as long as the trap).
            if (text == "loss plateau in [23/10, 47/20]") BOOST_TEST(lo > q("47/20"));
        }
    }
    const Json* kept = claim_of(report, "loss plateau in [7/10, inf]");  // `better`, loss < 0.01, is outside plateau
    BOOST_REQUIRE(kept != nullptr);
    BOOST_TEST(kept->at("verdict").as_string() == "certified");
}

BOOST_AUTO_TEST_SUITE_END()
