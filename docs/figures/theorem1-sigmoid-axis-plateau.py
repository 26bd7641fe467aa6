#!/usr/bin/python3
# Draws docs/figures/theorem1-sigmoid-axis-plateau.png: the 17-point axis-plateau candidate of
# scripts/theorem1_sigmoid_axis_plateau.py (untrusted floats; a picture of a search result, not a proof).
# Run from the repository root with /usr/bin/python3.
import sys
sys.path.insert(0, "scripts")
import numpy as np
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from theorem1_sigmoid_axis_plateau import CAND, CAND_TH, G, G_out, L, full, newton

X = np.array([p for p, _ in CAND], float)
y = np.array([lab for _, lab in CAND], float)
th = newton(np.array(CAND_TH), X, y, "sse", 30)
gstar = G(th, X, y, "sse")[0]
out = G_out(th, X)
fig, ax = plt.subplots(1, 2, figsize=(10.5, 4.4))
a = ax[0]
a.axhline(0, color="grey", lw=1.5)
a.axvline(0, color="grey", lw=1.5)
for (p, lab), o in zip(CAND, out):
    wrong = (o > 0.5) != (lab == 1) and abs(o - 0.5) > 1e-3
    a.scatter(*p, s=70, marker="o" if lab else "s", facecolor="tab:blue" if lab else "white",
              edgecolor="red" if wrong else "black", linewidth=2.2 if wrong else 1)
    a.annotate(f"{o:.2f}", p, textcoords="offset points", xytext=(5, 4), fontsize=7)
a.set_title("limit outputs (w11, w22 -> inf); red: misclassified", fontsize=9)
a.set_xlabel("x1 (unit 1 splits at x1 = 0)")
a.set_ylabel("x2 (unit 2 splits at x2 = 0)")
a.set_aspect("equal")
W = np.linspace(4, 40, 80)
b = ax[1]
b.semilogy(W, [L(full(w, w, th), X, y) - gstar for w in W], label="L(w11 = w22 = W, theta*) - G*")
b.axhline(1.4e-3, color="tab:green", ls="--", label="lowest float face estimate - L(P) (1.4e-3)")
b.set_xlabel("W")
b.set_title("the loss falls towards G* = 3.78333 as the units saturate", fontsize=9)
b.legend(fontsize=8)
fig.tight_layout()
fig.savefig("docs/figures/theorem1-sigmoid-axis-plateau.png", dpi=110)
