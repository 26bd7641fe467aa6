#!/usr/bin/python3
"""PyTorch's non-rigorous float64 Hessian + eigenvalues at the teacher point of a script written by
bench/teacher_instance.py: the side-by-side figure for nncert's certified `strict_local_min` there.
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
vec = lambda text: [float(Fraction(v)) for v in re.findall(r"-?[0-9]+(?:/[0-9]+)?", text)]
W1 = torch.tensor(vec(re.search(r"W1 = (.*)", src).group(1))).reshape(-1, X.shape[1])
b1 = torch.tensor(vec(re.search(r"b1 = (.*)", src).group(1)))
W2 = torch.tensor(vec(re.search(r"W2 = (.*)", src).group(1)))
b2 = torch.tensor(vec(re.search(r"b2 = (.*)", src).group(1)))
h, d = W1.shape
p0 = torch.cat([W1.reshape(-1), b1, W2, b2])


def loss(p):
    w1 = p[: h * d].reshape(h, d)
    bb = p[h * d: h * d + h]
    w2 = p[h * d + h: h * d + 2 * h]
    c = p[-1]
    return (((torch.tanh(X @ w1.T + bb) * w2).sum(1) + c - Y) ** 2).sum()


t0 = time.time()
H = torch.autograd.functional.hessian(loss, p0)
t1 = time.time()
ev = torch.linalg.eigvalsh(H)
t2 = time.time()
print(f"torch float64: {p0.numel()} parameters, {len(Y)} points: Hessian {t1 - t0:.2f} s, eigvalsh {t2 - t1:.2f} s, "
      f"eigenvalues in [{ev.min().item():.3g}, {ev.max().item():.3g}]")
