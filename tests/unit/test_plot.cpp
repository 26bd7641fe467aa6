// `nncert plot` through the real binary and the shipped matplotlib renderer: every kind renders a PNG of the
// expected size that is not blank, SVG and PDF come out as such, the exported numbers keep the certified band
// around the sampled loss (and the band around the exact loss at random rational t, checked in-process), and
// requests that do not fit the script are one-line usage errors.
#include "test_paths.hpp"
#include "kernel/exact.hpp"
#include "kernel/interval/segment_enclosure.hpp"
#include "kernel/segment/piecewise_loss.hpp"
#include "process.hpp"
#include "script/script.hpp"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <map>
#include <random>

namespace fs = std::filesystem;
using namespace nncert::test;
using nncert::kernel::Rational;

namespace {

const std::string source = NNCERT_SOURCE_DIR;
std::string in_source(const std::string& rel) { return shell_quote(source + "/" + rel); }

// key=value pairs printed by tests/tools/check_image.py.
std::map<std::string, double> describe(const fs::path& file) {
    std::string cmd = "/usr/bin/python3 ";
    cmd += in_source("tests/tools/check_image.py");
    cmd += ' ';
    cmd += shell_quote(file.string());
    const ProcessResult r = run_process(cmd);
    BOOST_TEST(r.exit == 0, r.out << r.err);
    std::map<std::string, double> out;
    std::istringstream words(r.out);
    for (std::string w; words >> w;) {
        const auto eq = w.find('=');
        if (eq != std::string::npos) out[w.substr(0, eq)] = std::atof(w.substr(eq + 1).c_str());
    }
    return out;
}

ProcessResult nncert_plot(const std::string& args) { return run_process(nncert_binary() + " plot " + args); }

}  // namespace

BOOST_AUTO_TEST_SUITE(plot_figures)

BOOST_AUTO_TEST_CASE(every_kind_renders_a_picture) {
    TempDir tmp;
    const std::vector<std::pair<std::string, std::string>> kinds = {
        {"fits", "fits " + in_source("proofs/paper/example1.nnc")},
        {"fits-2d", "fits " + in_source("proofs/generalized/swap-d2.nnc") + " --window -6,6,-6,6 --samples 60"},
        {"regions", "regions " + in_source("proofs/paper/theorem1.nnc") + " --points bad,better --samples 60"},
        {"segment-exact", "segment " + in_source("proofs/segments/example1-segment.nnc") + " --from bad --to good"},
        {"segment-sigmoid", "segment " + in_source("proofs/segments/sigmoid-segment.nnc") + " --from bad --to good --pieces 32"},
        {"slice", "slice " + in_source("proofs/paper/example1.nnc") + " --point bad --dir1 good --dir2 'W2[1,1]' --span 0.2 --samples 31"},
    };
    for (const auto& [name, args] : kinds) {
        BOOST_TEST_CONTEXT("nncert plot " << args) {
            const fs::path out = tmp / (name + ".png");
            const ProcessResult r = nncert_plot(args + " -o " + shell_quote(out.string()));
            BOOST_TEST_REQUIRE(r.exit == 0, r.err);
            BOOST_TEST(r.out.empty());
            BOOST_TEST_REQUIRE(fs::exists(out));
            BOOST_TEST(fs::file_size(out) > 10000u);
            const auto d = describe(out);
            BOOST_TEST(d.at("width") >= 600);
            BOOST_TEST(d.at("height") >= 400);
            BOOST_TEST(d.at("colours") >= 50);  // antialiased lines, fills, text: never a flat image
            BOOST_TEST(d.at("ink") >= 0.03);     // some of it is not background
        }
    }
    // SVG and PDF by extension.
    const fs::path svg = tmp / "fits.svg", pdf = tmp / "segment.pdf";
    BOOST_TEST(nncert_plot("fits " + in_source("proofs/paper/example1.nnc") + " -o " + shell_quote(svg.string())).exit == 0);
    const auto s = describe(svg);
    BOOST_TEST(s.at("paths") >= 10);
    BOOST_TEST(s.at("texts") >= 10);
    BOOST_TEST(s.at("width") > 300);
    BOOST_TEST(nncert_plot("segment " + in_source("proofs/segments/example1-segment.nnc") + " --from bad --to good -o " +
                    shell_quote(pdf.string())).exit == 0);
    const auto p = describe(pdf);
    BOOST_TEST(p.at("pages") == 1);
    BOOST_TEST(p.at("bytes") > 5000);
}

// `plot trap`: the faces of a trap box with the certified lower bound of the loss on each vs L(P), and a slice
// with the box and the sublevel set. The basin of proofs/traps/one-unit.nnc is a certified trap, so every face
// must be "above" with a positive margin; a box around a point that is not trapped shows a face not above.
BOOST_AUTO_TEST_CASE(trap_figures_show_the_face_margins) {
    TempDir tmp;
    const std::string script = in_source("proofs/traps/one-unit.nnc");
    const fs::path json = tmp / "trap.json", png = tmp / "trap.png";
    const ProcessResult r = nncert_plot("trap " + script + " --point bad --region basin --samples 41 -o " +
                                        shell_quote(png.string()) + " --data " + shell_quote(json.string()));
    BOOST_TEST_REQUIRE(r.exit == 0, r.err);
    const auto d = describe(png);
    BOOST_TEST(d.at("width") >= 600);
    BOOST_TEST(d.at("height") >= 400);
    BOOST_TEST(d.at("colours") >= 50);
    BOOST_TEST(d.at("ink") >= 0.03);
    const auto doc = nlohmann::json::parse(read_text(json));
    BOOST_TEST(doc.at("faces").size() == 4u);  // two parameters, both bounded: four faces
    for (const auto& f : doc.at("faces")) {
        BOOST_TEST(f.at("status").get<std::string>() == "above", f.dump());
        BOOST_TEST(f.at("margin").get<double>() > 0.0, f.dump());
        // The exact bound is above the upper end of L(P).
        BOOST_TEST(f.at("lower_bound").get<double>() > doc.at("loss_at_point").at("upper").get<double>());
    }
    BOOST_TEST(doc.at("slice").at("loss").size() == 41u);
    // An unbounded region draws too (a dashed outline), and a layer turns faces into slabs.
    BOOST_TEST(nncert_plot("trap " + script + " --point bad --region saturated --max-boxes 2000 -o " +
                           shell_quote((tmp / "sat.json").string())).exit == 0);
    const ProcessResult layer = nncert_plot("trap " + script + " --point bad --region basin --layer 1/100 --max-boxes 500 -o " +
                                            shell_quote((tmp / "layer.json").string()));
    BOOST_TEST(layer.exit == 0, layer.err);
    BOOST_TEST(read_text(tmp / "layer.json").find("layer of thickness 1/100") != std::string::npos);
    // A cube around another point (`--within`) draws whatever its faces are.
    const ProcessResult off = nncert_plot("trap " + script + " --point good --within 1/2 --max-boxes 2000 -o " +
                                          shell_quote((tmp / "off.json").string()));
    BOOST_TEST(off.exit == 0, off.err);
    // Misfit requests are one-line usage errors.
    BOOST_TEST(nncert_plot("trap " + script + " --point bad -o x.json").exit == 4);
    BOOST_TEST(nncert_plot("trap " + script + " --point bad --region nowhere -o x.json").exit == 4);
    BOOST_TEST(nncert_plot("trap " + script + " --point good --region basin -o x.json").exit == 4);  // not inside
}

BOOST_AUTO_TEST_CASE(exported_band_contains_the_loss) {
    TempDir tmp;
    for (const std::string script : {"proofs/segments/example1-segment.nnc", "proofs/segments/sigmoid-segment.nnc"}) {
        BOOST_TEST_CONTEXT(script) {
            const fs::path json = tmp / "segment.json";
            const ProcessResult r = nncert_plot("segment " + in_source(script) + " --from bad --to good --pieces 16 --samples 161 -o " +
                                         shell_quote(json.string()));
            BOOST_TEST_REQUIRE(r.exit == 0, r.err);
            const auto doc = nlohmann::json::parse(read_text(json));
            BOOST_TEST(doc.at("nncert_plot").get<int>() == 1);
            BOOST_TEST(doc.at("kind").get<std::string>() == "segment");
            const auto& band = doc.at("band");
            BOOST_TEST_REQUIRE(band.size() == 16u);
            const auto& ts = doc.at("t");
            const auto& ls = doc.at("loss");
            for (std::size_t i = 0; i < ts.size(); ++i) {
                const double t = ts[i].get<double>(), l = ls[i].get<double>();
                const std::size_t k = std::min<std::size_t>(static_cast<std::size_t>(t * 16), 15);
                const double tol = 1e-12 * (1 + std::abs(l));  // sigmoid: the sample is an enclosure midpoint
                BOOST_TEST(band[k].at("lower").get<double>() <= l + tol, "t = " << t);
                BOOST_TEST(l - tol <= band[k].at("upper").get<double>(), "t = " << t);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(band_contains_the_exact_loss_at_random_t) {
    // The kernel's band against the exact loss at random rational t of the paper's example 1 segment.
    const auto s = nncert::script::parse_file(source + "/proofs/segments/example1-segment.nnc");
    const auto& p = s.points.at(0).params;
    const auto& q = s.points.at(1).params;
    const auto band = nncert::kernel::loss_bounds_along_segment(s.problem, p, q, 7, 128);
    std::mt19937_64 rng(3);
    for (int i = 0; i < 300; ++i) {
        const Rational t(static_cast<long long>(rng() % 100001), 100000);
        const Rational l = nncert::kernel::loss(s.problem, nncert::kernel::point_on_segment(p, q, t));
        int inside = 0;
        for (const auto& b : band)
            if (b.t0 <= t && t <= b.t1) {
                BOOST_TEST_REQUIRE(b.bounded);
                inside += b.lower <= l && l <= b.upper;
            }
        BOOST_TEST(inside >= 1, "t = " << t);
    }
}

BOOST_AUTO_TEST_CASE(fits_in_two_dimensions_exports_lines_residuals_and_blind_spots) {
    // The blind-spot family's better point: exact fit, blind spots at rows 1 and 5 (both units off there).
    TempDir tmp;
    const fs::path json_out = tmp / "fits.json";
    const ProcessResult r = nncert_plot("fits " + in_source("proofs/generalized/blind-spot-d2.nnc") + " --samples 20 -o " +
                                        shell_quote(json_out.string()));
    BOOST_TEST_REQUIRE(r.exit == 0, r.err);
    std::ifstream in(json_out);
    const nlohmann::json doc = nlohmann::json::parse(in);
    BOOST_TEST(doc.at("dims").get<int>() == 2);
    BOOST_TEST(doc.at("x1").size() == 20u);
    BOOST_TEST(doc.at("window").size() == 4u);
    const nlohmann::json& panels = doc.at("panels");
    BOOST_TEST_REQUIRE(panels.size() == 2u);
    for (const nlohmann::json& p : panels) {
        BOOST_TEST(p.at("lines").size() == 2u);  // one switching line per hidden unit
        BOOST_TEST(p.at("output").size() == 20u);
        BOOST_TEST(p.at("residuals").size() == 10u);
    }
    BOOST_TEST(panels[0].at("point").get<std::string>() == "bad");
    BOOST_TEST(panels[0].at("all_units_off").empty());  // `not blind_spot bad` is certified in the script
    BOOST_TEST((panels[1].at("all_units_off") == nlohmann::json::array({0, 4})));
    for (const nlohmann::json& res : panels[1].at("residuals")) BOOST_TEST(res.get<double>() == 0.0);  // loss 0
}

BOOST_AUTO_TEST_CASE(requests_that_do_not_fit_are_usage_errors) {
    TempDir tmp;
    const std::string out = " -o " + shell_quote((tmp / "x.png").string());
    for (const std::string& args :
         {"segment " + in_source("proofs/paper/example1.nnc") + " --from bad --to nowhere" + out,
          "regions " + in_source("proofs/paper/example1.nnc") + out,  // 1-D input
          "fits " + in_source("proofs/generalized/swap-d3.nnc") + out,  // 3-D input
          "fits " + in_source("proofs/generalized/swap-d2.nnc") + " --window 0,1" + out,        // 2 numbers, 2 inputs
          "fits " + in_source("proofs/generalized/swap-d2.nnc") + " --window 1,0,0,1" + out,    // min > max
          "fits " + in_source("proofs/generalized/swap-d2.nnc") + " --window 0,1,0,x" + out,    // not a number
          // Ends beyond the doubles' range, a width that overflows them, a window narrower than one double
          // (issue-14 review F5: the renderer failed with a traceback and a misleading exit 2).
          "fits " + in_source("proofs/generalized/swap-d2.nnc") + " --window 1e400,1e401,0,1" + out,
          "fits " + in_source("proofs/generalized/swap-d2.nnc") + " --window 0,1,-1e401,0" + out,
          "fits " + in_source("proofs/generalized/swap-d2.nnc") + " --window -1.7e308,1.7e308,0,1" + out,
          "fits " + in_source("proofs/paper/example1.nnc") + " --window 1,1.00000000000000000000001" + out,
          "fits " + in_source("proofs/paper/example1.nnc") + " -o " + shell_quote((tmp / "x.gif").string()),
          "segment " + in_source("proofs/paper/example1.nnc") + " --from bad" + out,
          "slice " + in_source("proofs/paper/example1.nnc") + " --point bad --dir1 good --dir2 good --span -1" + out,
          std::string("frobnicate x.nnc") + out}) {
        BOOST_TEST_CONTEXT("nncert plot " << args) {
            const ProcessResult r = nncert_plot(args);
            BOOST_TEST(r.exit == 4);
            std::size_t lines = 0;
            for (char c : r.err) lines += c == '\n';
            BOOST_TEST(lines == 2u, r.err);
            BOOST_TEST(r.err.find("try 'nncert plot") != std::string::npos, r.err);
            BOOST_TEST(!fs::exists(tmp / "x.png"));
        }
    }
    // A malformed script is exit 2, as everywhere.
    BOOST_TEST(nncert_plot("fits " + in_source("tests/scripts/errors/syntax.nnc") + out).exit == 2);
}

BOOST_AUTO_TEST_SUITE_END()
