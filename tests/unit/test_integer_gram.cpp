// The exact Gram sums of the exact Hessian (kernel/gram.hpp, kernel/integer_gram.hpp): the BLAS path on 21-bit
// slices must give exactly the GMP sum, also at the edge of its exactness bound (2048 rows of maximal digits),
// for negative, wide (several slices), sparse and weighted rows, and refuse entries wider than its slice budget.
#include "kernel/exact.hpp"
#include "kernel/gram.hpp"
#include "kernel/integer_gram.hpp"

#include <boost/test/unit_test.hpp>

#include <random>

using namespace nncert::kernel;

namespace {

// A random integer of about `bits` bits (either sign), or 0 with probability 1/8.
Integer random_integer(std::mt19937_64& g, unsigned bits) {
    if (g() % 8 == 0) return 0;
    Integer v = 0;
    for (unsigned b = 0; b < bits; b += 32) v = (v << 32) + Integer(static_cast<unsigned long>(g() & 0xffffffffu));
    v >>= (bits + 31) / 32 * 32 - bits;
    return g() % 2 ? Integer(-v) : v;
}

// upper (packed as integer_gram.hpp says) of multiplier * K^T K by plain GMP loops.
std::vector<Integer> plain_gram(const std::vector<Integer>& k, std::size_t rows, std::size_t n, const Integer& mult) {
    std::vector<Integer> up(n * (n + 1) / 2);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = i; j < n; ++j) {
            Integer s = 0;
            for (std::size_t r = 0; r < rows; ++r) s += k[r * n + i] * k[r * n + j];
            up[i * n - i * (i - 1) / 2 - i + j] = mult * s;
        }
    return up;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(integer_gram)

BOOST_AUTO_TEST_CASE(sliced_blas_gram_equals_the_gmp_gram) {
    std::mt19937_64 g(7);
    for (unsigned bits : {1u, 20u, 21u, 22u, 63u, 64u, 65u, 126u}) {
        const std::size_t rows = 1 + g() % 40, n = 1 + g() % 37;
        std::vector<Integer> k(rows * n);
        for (Integer& v : k) v = random_integer(g, bits);
        const Integer mult = random_integer(g, 70) * 2 + 1;
        std::vector<Integer> up(n * (n + 1) / 2);
        for (Integer& v : up) v = random_integer(g, 10);  // adds to what is there
        std::vector<Integer> expected = plain_gram(k, rows, n, mult);
        for (std::size_t i = 0; i < up.size(); ++i) expected[i] += up[i];
        BOOST_TEST(add_integer_gram(k, rows, n, mult, up));
        BOOST_TEST((up == expected), "bits " << bits << ", " << rows << " x " << n);
    }
}

BOOST_AUTO_TEST_CASE(exact_at_the_edge_of_the_53_bit_bound) {
    // 2048 rows whose every 21-bit digit is maximal (2^21 - 1), with one sign per column: every BLAS partial sum
    // reaches 2048 (2^21 - 1)^2, just below 2^53. One more row would be refused.
    const std::size_t rows = integer_gram_max_rows, n = 5;
    const Integer digit = (Integer(1) << 21) - 1;
    const Integer full = (Integer(1) << 63) - 1;  // three maximal digits
    std::vector<Integer> k(rows * n);
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < n; ++c) k[r * n + c] = c % 2 ? Integer(-full) : (c == 4 ? digit : full);
    std::vector<Integer> up(n * (n + 1) / 2);
    BOOST_TEST(add_integer_gram(k, rows, n, Integer(1), up));
    BOOST_TEST((up == plain_gram(k, rows, n, Integer(1))));
    BOOST_CHECK_THROW(add_integer_gram(std::vector<Integer>((rows + 1) * n), rows + 1, n, Integer(1), up),
                      std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(entries_wider_than_the_slice_budget_are_refused_untouched) {
    std::mt19937_64 g(3);
    const std::size_t rows = 4, n = 3;
    std::vector<Integer> k(rows * n);
    for (Integer& v : k) v = random_integer(g, 30);
    k[5] = Integer(1) << 200;  // ten slices
    std::vector<Integer> up(n * (n + 1) / 2, Integer(9));
    BOOST_TEST(!add_integer_gram(k, rows, n, Integer(1), up));
    for (const Integer& v : up) BOOST_TEST(v == 9);
    BOOST_TEST(add_integer_gram(k, rows, n, Integer(1), up, 10));
}

BOOST_AUTO_TEST_CASE(accumulator_blas_and_gmp_paths_agree_exactly) {
    std::mt19937_64 g(11);
    for (std::size_t n : {GramAccumulator::blas_min_params, std::size_t{45}}) {
        GramAccumulator blas(n, true), gmp(n, false);
        const Rational weights[] = {Rational(1), Rational(3, 7), Rational(1, 1000), Rational(5), Rational(2, 3),
                                    Rational(9, 11)};
        for (int row = 0; row < 300; ++row) {
            Vector j(n);
            for (Rational& q : j) {
                const int kind = static_cast<int>(g() % 5);
                if (kind == 0) continue;  // sparse rows
                const Integer num = random_integer(g, kind == 4 ? 150 : 40), den = random_integer(g, 12);
                q = den == 0 ? Rational(num) : Rational(num, den);
            }
            const Rational& w = weights[g() % 6];  // six weights: four are buffered, two take the GMP loop
            blas.add(j, w);
            gmp.add(j, w);
        }
        BOOST_TEST((blas.result() == gmp.result()), "n = " << n);
    }
}

BOOST_AUTO_TEST_CASE(accumulator_matches_rational_sums_and_crosses_chunks) {
    std::mt19937_64 g(5);
    const std::size_t n = 40;
    GramAccumulator acc(n), blas(n, true), gmp(n, false);
    Matrix expected(n, Vector(n));
    for (std::size_t row = 0; row < integer_gram_max_rows + 300; ++row) {  // more rows than one buffered chunk
        Vector j(n);
        for (Rational& q : j) q = Rational(static_cast<long>(g() % 2001) - 1000, 1 + static_cast<long>(g() % 97));
        blas.add(j, Rational(2, 3));
        gmp.add(j, Rational(2, 3));
        if (row >= 60) continue;
        acc.add(j, Rational(2, 3));
        for (std::size_t a = 0; a < n; ++a)
            for (std::size_t b = 0; b < n; ++b) expected[a][b] += Rational(2, 3) * j[a] * j[b];
    }
    BOOST_TEST((acc.result() == expected));
    BOOST_TEST((blas.result() == gmp.result()));
}

// The exact Hessian through the BLAS path (49 parameters, 3 weights) equals plain forward-over-reverse duals.
BOOST_AUTO_TEST_CASE(exact_hessian_through_blas_equals_the_dual_reference) {
    std::mt19937_64 g(19);
    Problem pb;
    pb.net.input_dim = 2;
    Activation quad{ActivationKind::poly, Rational(0), {Rational(0), Rational(1), Rational(1, 3)}};
    pb.net.layers = {{12, quad}, {1, Activation{}}};
    pb.loss = LossKind::sse;
    for (int i = 0; i < 30; ++i) {
        Sample s{{Rational(static_cast<long>(g() % 41) - 20, 7), Rational(static_cast<long>(g() % 31) - 15, 10)},
                 {Rational(static_cast<long>(g() % 21) - 10, 3)}};
        s.weight = Rational(1 + static_cast<long>(i % 3), 2);
        pb.data.push_back(s);
    }
    Vector th(pb.net.num_params());
    BOOST_REQUIRE(th.size() >= GramAccumulator::blas_min_params);
    for (Rational& q : th) q = Rational(static_cast<long>(g() % 201) - 100, 1 + static_cast<long>(g() % 50));
    BOOST_TEST((hessian(pb, th) == hessian_by_duals(pb, th)));
}

BOOST_AUTO_TEST_SUITE_END()
