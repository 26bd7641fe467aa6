// nncert snap and the kinked minima it produces. The soundness property: every point that `local_min`
// certifies through activation patterns with KKT multipliers (a V-shaped valley at a kink, residual != 0 on
// the kinked data point) has no sampled neighbour of lower loss. Candidates come from snap itself on random
// problems with forced kinks, so the test exercises exactly the points snap hands to the kernel.
#include "kernel/exact.hpp"
#include "kernel/kernel.hpp"
#include "script/number.hpp"
#include "script/script.hpp"
#include "tools/snap.hpp"

#include <boost/test/unit_test.hpp>

#include <random>
#include <string>

using namespace nncert;
using kernel::Rational;
using kernel::Vector;

namespace {

Rational rand_q(std::mt19937_64& g, long range, long den) {
    std::uniform_int_distribution<long> d(-range * den, range * den);
    return Rational(d(g), den);
}

std::string num(const Rational& q) {
    std::string s(1, '(');  // appended, not `"(" + ...`: GCC 12's -Wrestrict false positive
    s += script::number_text(q);
    s += ')';
    return s;
}

// A 1-m-1 relu (or leaky relu) script with the given data and point.
std::string script_text(const std::vector<std::pair<Rational, Rational>>& data, std::size_t m, const std::string& act,
                        const Vector& p) {
    std::string s = "nncert 1\ndata {\n";
    for (const auto& [x, y] : data) s += "  " + num(x) + " -> " + num(y) + "\n";
    s += "}\nnetwork {\n  input 1\n  dense ";
    s += std::to_string(m) + " " + act + "\n  dense 1 identity\n}\nloss sse\n";
    s += "point p {\n  W1 = [";
    for (std::size_t j = 0; j < m; ++j) s += std::string(j ? ", " : "") + "[" + num(p[j]) + "]";
    s += "]\n  b1 = [";
    for (std::size_t j = 0; j < m; ++j) s += std::string(j ? ", " : "") + num(p[m + j]);
    s += "]\n  W2 = [[";
    for (std::size_t j = 0; j < m; ++j) s += std::string(j ? ", " : "") + num(p[2 * m + j]);
    s += "]]\n  b2 = [" + num(p[3 * m]) + "]\n}\nclaim local_min p\n";
    return s;
}

bool no_lower_neighbour(const kernel::Problem& pb, const Vector& p, std::mt19937_64& g) {
    const Rational base = kernel::loss(pb, p);
    for (const long inv_eps : {1000L, 1000000L, 1000000000L}) {
        for (int s = 0; s < 200; ++s) {
            Vector q = p;
            for (Rational& x : q) x += rand_q(g, 1, 1000) / inv_eps;
            if (kernel::loss(pb, q) < base) return false;
        }
        for (std::size_t k = 0; k < p.size(); ++k)
            for (const int sign : {-1, 1}) {
                Vector q = p;
                q[k] += Rational(sign, inv_eps);
                if (kernel::loss(pb, q) < base) return false;
            }
    }
    return true;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(snap)

BOOST_AUTO_TEST_CASE(snapped_kinked_minima_have_no_lower_neighbours) {
    std::mt19937_64 g(12);
    std::size_t certified = 0, with_kink_residual = 0, refuted = 0;
    for (int t = 0; t < 300; ++t) {
        const std::size_t m = 1 + g() % 3, n = 4 + g() % 4;
        std::vector<std::pair<Rational, Rational>> data;
        for (std::size_t i = 0; i < n; ++i) data.emplace_back(rand_q(g, 3, 1), rand_q(g, 3, 2));
        const std::string act(g() % 3 == 0 ? "leaky_relu(1/4)" : "relu");
        Vector p(3 * m + 1);
        for (Rational& x : p) x = rand_q(g, 2, 2);
        for (std::size_t j = 0; j < m; ++j)  // force a kink: unit j passes through a data point's input
            if (g() % 3) p[m + j] = -p[j] * data[g() % n].first;
        tools::SnapOptions opt;
        opt.point.assign(1, 'p');  // not = "p": GCC 12 -Wrestrict false positive
        opt.tolerance = 0;   // only the exact kinks
        opt.max_move = 100;  // wherever the pattern's exact optimum is
        tools::SnapResult r;
        try {
            r = tools::snap_script(script_text(data, m, act, p), "t.nnc", ".", opt);
        } catch (const std::exception&) {
            continue;
        }
        if (!r.solved) continue;
        if (r.local_min == kernel::Outcome::refuted) ++refuted;
        if (r.local_min != kernel::Outcome::certified) continue;
        ++certified;
        const script::Script s = script::parse_text(r.text, "t.nnc", ".");
        const kernel::Problem& pb = s.problem;
        // Does a kinked data point keep a nonzero residual (so the certificate needed multipliers)?
        for (const kernel::Kink& k : kernel::find_kinks(pb, r.point))
            if (kernel::outputs(pb.net, r.point, pb.data[k.sample].x)[0] != pb.data[k.sample].y[0]) {
                ++with_kink_residual;
                break;
            }
        BOOST_TEST(no_lower_neighbour(pb, r.point, g), "trial " << t << ":\n" << r.text);
    }
    BOOST_TEST_MESSAGE("snap property: " << certified << " certified (" << with_kink_residual
                                         << " with a residual on a kink), " << refuted << " refuted");
    BOOST_TEST(with_kink_residual >= 10u);  // the multiplier path is exercised, not only zero residuals
}

BOOST_AUTO_TEST_SUITE_END()
