#!/usr/bin/python3
"""PyTorch's non-rigorous float64 Hessian + eigenvalues at the teacher point of a script written by
bench/teacher_instance.py (one or two hidden tanh layers, linear output, sse): the side-by-side figure for
nncert's certified `strict_local_min` there. Prints one line with the Hessian and eigvalsh times.
Usage: torch_teacher.py large.nnc"""
import re
import sys
import time
from fractions import Fraction

import torch

torch.set_default_dtype(torch.float64)
src = open(sys.argv[1]).read()
rows = re.search(r"data \{\n(.*?)\n\}", src, re.S).group(1).splitlines()
X = torch.tensor([[float(Fraction(v)) for v in r.split("->")[0].split(",")] for r in rows])
Y = torch.tensor([float(r.split("->")[1]) for r in rows])
num = r"-?[0-9]+(?:/[0-9]+)?"
# The point's block on one line: teacher_instance.py wraps long matrices over several lines.
point = " ".join(re.search(r"point teacher \{\n(.*?)\n\}", src, re.S).group(1).split())
# Layers in order W1, b1, W2, b2, ...: each W a nested list [[row], [row], ...] (out x in), each b a list.
shapes, values = [], []
for k in range(1, 10):
    w = re.search(rf"\bW{k} = (\[\[.*?\]\])", point)
    if not w:
        break
    b = re.search(rf"\bb{k} = (\[.*?\])", point)
    w_rows = [[float(Fraction(v)) for v in re.findall(num, r)] for r in w.group(1).split("]")]
    w_rows = [r for r in w_rows if r]
    bias = [float(Fraction(v)) for v in re.findall(num, b.group(1))]
    shapes.append((len(w_rows), len(w_rows[0])))
    values += [torch.tensor(w_rows).reshape(-1), torch.tensor(bias)]
p0 = torch.cat(values)


def loss(p):
    a, at = X, 0
    for layer, (out, inp) in enumerate(shapes):
        w = p[at: at + out * inp].reshape(out, inp)
        at += out * inp
        b = p[at: at + out]
        at += out
        a = a @ w.T + b
        if layer + 1 < len(shapes):
            a = torch.tanh(a)
    return ((a[:, 0] - Y) ** 2).sum()


t0 = time.time()
H = torch.autograd.functional.hessian(loss, p0)
t1 = time.time()
ev = torch.linalg.eigvalsh(H)
t2 = time.time()
print(f"torch float64: {p0.numel()} parameters, {len(Y)} points: Hessian {t1 - t0:.2f} s, eigvalsh {t2 - t1:.2f} s, "
      f"eigenvalues in [{ev.min().item():.3g}, {ev.max().item():.3g}]")
