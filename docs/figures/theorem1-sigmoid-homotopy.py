#!/usr/bin/python3
# Draws docs/figures/theorem1-sigmoid-homotopy.png: the float homotopy of scripts/theorem1_sigmoid_critical.py
# (untrusted; a picture of a negative search result, not a proof). Run from the repository root with /usr/bin/python3.
import sys
sys.path.insert(0, "scripts")
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from theorem1_sigmoid_critical import homotopy

path = homotopy()
t = [r[0] for r in path]
fig, ax = plt.subplots(1, 2, figsize=(10, 3.8))
ax[0].plot(t, [r[3] for r in path])
ax[0].set_xlabel("t (targets 1/2 + t (y - 1/2))")
ax[0].set_ylabel("largest |weight| at the minimum")
ax[0].axvline(1.0, ls=":", c="gray")
ax[0].set_xlim(0, 1.02)
ax[1].semilogy(t, [max(r[2], 1e-16) for r in path])
ax[1].set_xlabel("t")
ax[1].set_ylabel("smallest Hessian eigenvalue")
ax[1].set_xlim(0, 1.02)
fig.suptitle("theorem1.nnc's bad minimum with a sigmoid output: it escapes to infinity at t = 0.625, before 0/1 targets (t = 1)")
fig.tight_layout()
fig.savefig("docs/figures/theorem1-sigmoid-homotopy.png", dpi=110)
