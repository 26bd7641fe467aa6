#!/usr/bin/env python3
"""The same exact computation as bench_exact's reference problem, done with SymPy (for comparison).

Builds the identical instance (same generator as bench/problems.hpp), expands the loss as a polynomial
in the 3m+1 parameters under the point's activation pattern, and computes loss, gradient, Hessian and
LDL^T exactly with SymPy. Usage: sympy_hessian.py [hidden=20] [points=100]
"""
import sys
import time
from fractions import Fraction

import sympy as sp

MASK = (1 << 64) - 1


class Lcg:
    def __init__(self, seed):
        self.s = seed

    def next(self, lo, hi):
        self.s = (self.s * 6364136223846793005 + 1442695040888963407) & MASK
        return lo + (self.s >> 33) % (hi - lo + 1)

    def rational(self, rng, den):
        return Fraction(self.next(-rng * den, rng * den), den)


def instance(hidden, points, seed=1):
    g = Lcg(seed)
    params = [g.rational(3, 7) for _ in range(3 * hidden + 1)]
    data = [(g.rational(5, 11), g.rational(5, 3)) for _ in range(points)]
    w, b = params[:hidden], params[hidden:2 * hidden]
    while True:  # nudge data off kinks exactly as problems.hpp does
        kinks = [i for i, (x, _) in enumerate(data) for j in range(hidden) if w[j] * x + b[j] == 0]
        if not kinks:
            return params, data
        for i in kinks:
            data[i] = (data[i][0] + Fraction(1, 1009), data[i][1])


def main():
    hidden = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    points = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    params, data = instance(hidden, points)
    m = hidden
    W, B, V = sp.symbols(f"w0:{m}"), sp.symbols(f"b0:{m}"), sp.symbols(f"v0:{m}")
    c = sp.Symbol("c")
    syms = list(W) + list(B) + list(V) + [c]
    point = {s: sp.Rational(q.numerator, q.denominator) for s, q in zip(syms, params)}
    t0 = time.time()
    loss = 0
    for x, y in data:
        x, y = sp.Rational(x.numerator, x.denominator), sp.Rational(y.numerator, y.denominator)
        f = c
        for j in range(m):  # the activation pattern at the point fixes each relu to z or 0
            if params[j] * Fraction(x) + params[m + j] > 0:
                f += V[j] * (W[j] * x + B[j])
        loss += sp.expand((f - y) ** 2)
    value = loss.subs(point)
    grad = [sp.diff(loss, s).subs(point) for s in syms]
    hess = sp.Matrix([[sp.diff(loss, a, b).subs(point) for b in syms] for a in syms])
    try:
        hess.LDLdecomposition(hermitian=False)
    except Exception:  # singular leading block: the decomposition itself is the measured work
        pass
    print(f"sympy: {len(syms)} parameters, {points} points: loss {value}, "
          f"|grad|_1 = {sum(abs(g) for g in grad)}, {time.time() - t0:.1f} s")


if __name__ == "__main__":
    main()
