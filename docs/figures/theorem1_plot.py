#!/usr/bin/python3
"""Draws docs/figures/theorem1.png: the Theorem 1 dataset and the decision regions of the bad and better
points of a 2-2-1 proof script (floating point: a picture, not a proof). Needs Debian's python3-numpy and
python3-matplotlib. Usage: theorem1_plot.py proofs/paper/theorem1.nnc docs/figures/theorem1.png"""
import re
import sys
from fractions import Fraction

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def number(text):
    return float(sum(Fraction(t) for t in re.findall(r"[-+]?\s*[0-9.]+(?:e[-+]?[0-9]+)?(?:/[0-9]+)?", text.replace(" ", ""))))


def parse(path):
    src = open(path).read()
    data_block = re.search(r"data\s*\{(.*?)\}", src, re.S).group(1)
    rows = []
    for line in data_block.splitlines():
        line = line.split("#")[0].strip()
        if "->" in line:
            x, y = line.split("->")
            rows.append(([number(v) for v in x.split(",")], number(y)))
    points = {}
    for name, body in re.findall(r"point\s+(\w+)\s*\{(.*?)\n\}", src, re.S):
        mats = {}
        for key, val in re.findall(r"(\w+)\s*=\s*(\[.*?\])\s*$", body, re.M):
            nested = [[number(v) for v in r.split(",")] for r in re.findall(r"\[([^\[\]]*)\]", val)]
            mats[key] = np.array(nested if val.startswith("[[") else nested[0])
        points[name] = mats
    hidden = re.search(r"dense\s+\d+\s+(\w+)", src).group(1)
    output = re.findall(r"dense\s+\d+\s+(\w+)", src)[-1]
    return rows, points, hidden, output


def act(name, z):
    return {"sigmoid": lambda v: 1 / (1 + np.exp(-v)), "tanh": np.tanh, "identity": lambda v: v}[name](z)


def main():
    script, out = sys.argv[1], sys.argv[2]
    rows, points, hidden, output = parse(script)
    xs = np.array([r[0] for r in rows])
    ys = np.array([r[1] for r in rows])
    lo, hi = xs.min(axis=0) - 1, xs.max(axis=0) + 1
    g1, g2 = np.meshgrid(np.linspace(lo[0], hi[0], 400), np.linspace(lo[1], hi[1], 400))
    grid = np.stack([g1.ravel(), g2.ravel()], axis=1)
    fig, axes = plt.subplots(1, 2, figsize=(11, 5))
    for ax, name in zip(axes, ["bad", "better"]):
        p = points[name]
        h = act(hidden, grid @ p["W1"].T + p["b1"])
        f = act(output, h @ p["W2"].T + p["b2"]).reshape(g1.shape)
        ax.contourf(g1, g2, f > 0.5, levels=[-0.5, 0.5, 1.5], colors=["#f4d6d6", "#d6e4f4"])
        ax.contour(g1, g2, f, levels=[0.5], colors="k", linewidths=0.8)
        for label, marker, colour in [(0, "o", "#b22222"), (1, "s", "#1f4e99")]:
            sel = ys == label
            ax.scatter(xs[sel, 0], xs[sel, 1], marker=marker, c=colour, edgecolors="k", s=55, label=f"label {label}")
        pred = act(output, act(hidden, xs @ p["W1"].T + p["b1"]) @ p["W2"].T + p["b2"]).ravel()
        correct = int(np.sum((pred - 0.5) * (ys - 0.5) > 0))
        ax.set_title(f"{name}: {correct}/{len(ys)} correct (blue region: output > 1/2)")
        ax.set_xlabel("x1")
        ax.set_ylabel("x2")
        ax.legend(loc="lower left", fontsize=8)
    fig.tight_layout()
    fig.savefig(out, dpi=90)


if __name__ == "__main__":
    main()
