#!/usr/bin/python3
"""Writes a large smooth proof script whose strict local minimum is known to exist: a teacher network.

A one-hidden-layer tanh network (input d, h hidden units, linear output) with small random rational weights
labels N random rational inputs; the labels are the teacher's outputs rounded to 40 significant digits.
The teacher's weights are then within about 10^-40 (times the conditioning) of an exact-fit critical point
whose Hessian 2 J^T J is positive definite when the Jacobian has full column rank, so
`strict_local_min teacher within R` is a claim the interval engine can certify: the benchmark instance
for "about 500 parameters on 1,000 points". Needs Debian's python3-mpmath.
Usage: teacher_instance.py [d=10] [h=40] [N=1000] [R=1e-20] [--second H2] > large.nnc
With --second H2 the teacher has two hidden tanh layers (d-h-H2-1): the deeper instance of issue 10.
"""
import random
import sys
from fractions import Fraction

import mpmath

mpmath.mp.dps = 60

# nncert reads a line as far as column 160 (docs/format.md, "Characters", the view rule): a list may go on past
# it only in ways a reader sees, so long lists are broken after a comma, as `nncert print` does.
WIDTH = 150


def wrapped(head, items, tail, indent="    "):
    """head + the items joined by ", " + tail, broken after commas so that no line is wider than WIDTH."""
    lines, line = [], head
    for i, item in enumerate(items):
        piece = item + (", " if i + 1 < len(items) else tail)
        if len(line) + len(piece.rstrip()) > WIDTH and line.strip():
            lines.append(line.rstrip())
            line = indent
        line += piece
    lines.append(line.rstrip())
    return "\n".join(lines)


def matrix(name, rows):
    """`  name = [[...], [...]]`, broken after commas (inside a row too, when it is long)."""
    items = []
    for row in rows:
        row_items = [str(v) for v in row]
        row_items[0] = "[" + row_items[0]
        row_items[-1] += "]"
        items += row_items
    return wrapped(f"  {name} = [", items, "]")


def vector(name, values):
    return wrapped(f"  {name} = [", [str(v) for v in values], "]")


def main():
    args = sys.argv[1:]
    h2 = 0
    if "--second" in args:
        i = args.index("--second")
        h2 = int(args[i + 1])
        del args[i:i + 2]
    d = int(args[0]) if len(args) > 0 else 10
    h = int(args[1]) if len(args) > 1 else 40
    n = int(args[2]) if len(args) > 2 else 1000
    radius = args[3] if len(args) > 3 else "1e-20"
    if h2:
        return deep(d, h, h2, n, radius)
    rng = random.Random(7)
    frac = lambda lo, hi, den: Fraction(rng.randint(lo * den, hi * den), den)
    w1 = [[frac(-1, 1, 8) for _ in range(d)] for _ in range(h)]
    b1 = [frac(-1, 1, 8) for _ in range(h)]
    # Nonzero outgoing weights: a unit with outgoing weight 0 leaves its incoming weights flat (a singular
    # Hessian, and no strict minimum).
    w2 = [Fraction(rng.choice([-1, 1]) * rng.randint(4, 16), 8) for _ in range(h)]
    b2 = frac(-1, 1, 8)
    xs = [[frac(-2, 2, 4) for _ in range(d)] for _ in range(n)]
    out = ["nncert 1",
           f"# Teacher-student benchmark instance (bench/teacher_instance.py {d} {h} {n} {radius}): a 1-{h}-1 tanh",
           f"# network with input dimension {d} labels {n} points; labels rounded to 40 digits.",
           "data {"]
    for x in xs:
        z = [sum(mpmath.mpf(w.numerator) / w.denominator * (mpmath.mpf(v.numerator) / v.denominator)
                 for w, v in zip(row, x)) + mpmath.mpf(b.numerator) / b.denominator for row, b in zip(w1, b1)]
        y = sum(mpmath.mpf(v.numerator) / v.denominator * mpmath.tanh(zj) for v, zj in zip(w2, z))
        y += mpmath.mpf(b2.numerator) / b2.denominator
        out.append("  " + ", ".join(str(v) for v in x) + " -> " + mpmath.nstr(y, 40, min_fixed=-1, max_fixed=1))
    out += ["}", "network {", f"  input {d}", f"  dense {h} tanh", "  dense 1 identity", "}", "loss sse",
            "point teacher {",
            matrix("W1", w1),
            vector("b1", b1),
            matrix("W2", [w2]),
            f"  b2 = [{b2}]",
            "}",
            f"claim strict_local_min teacher within {radius}",
            ""]
    print("\n".join(out))


def deep(d, h, h2, n, radius):
    """A d-h-h2-1 tanh teacher (two hidden layers), labels rounded to 40 digits, as in main()."""
    rng = random.Random(11)
    frac = lambda lo, hi, den: Fraction(rng.randint(lo * den, hi * den), den)
    w1 = [[frac(-1, 1, 8) for _ in range(d)] for _ in range(h)]
    b1 = [frac(-1, 1, 8) for _ in range(h)]
    w2 = [[frac(-1, 1, 8) for _ in range(h)] for _ in range(h2)]
    b2 = [frac(-1, 1, 8) for _ in range(h2)]
    w3 = [Fraction(rng.choice([-1, 1]) * rng.randint(4, 16), 8) for _ in range(h2)]
    b3 = frac(-1, 1, 8)
    xs = [[frac(-2, 2, 4) for _ in range(d)] for _ in range(n)]
    q = lambda v: mpmath.mpf(v.numerator) / v.denominator
    out = ["nncert 1",
           f"# Teacher-student benchmark instance (bench/teacher_instance.py {d} {h} {n} {radius} --second {h2}): a",
           f"# {d}-{h}-{h2}-1 tanh network labels {n} points; labels rounded to 40 digits.",
           "data {"]
    for x in xs:
        a1 = [mpmath.tanh(sum(q(w) * q(v) for w, v in zip(row, x)) + q(b)) for row, b in zip(w1, b1)]
        a2 = [mpmath.tanh(sum(q(w) * v for w, v in zip(row, a1)) + q(b)) for row, b in zip(w2, b2)]
        y = sum(q(w) * v for w, v in zip(w3, a2)) + q(b3)
        out.append("  " + ", ".join(str(v) for v in x) + " -> " + mpmath.nstr(y, 40, min_fixed=-1, max_fixed=1))
    out += ["}", "network {", f"  input {d}", f"  dense {h} tanh", f"  dense {h2} tanh", "  dense 1 identity", "}",
            "loss sse", "point teacher {",
            matrix("W1", w1), vector("b1", b1),
            matrix("W2", w2), vector("b2", b2),
            matrix("W3", [w3]), f"  b3 = [{b3}]", "}",
            f"claim strict_local_min teacher within {radius}", ""]
    print("\n".join(out))


if __name__ == "__main__":
    main()
