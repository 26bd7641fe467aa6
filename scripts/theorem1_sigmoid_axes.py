#!/usr/bin/python3
# Prototype search (untrusted, float64, NumPy) for plateau traps of the 2-2-1 sigmoid/sigmoid network (sse) with ALL data
# on the coordinate axes, the region giving unit 1 the sign orthant (w11, w12, b1) = (+, +, -) and unit 2 (+, -, -), and
# a small box around the output weights (issue 9; docs/paper.md, "Fifth attempt").
#
# In that region unit 1 is positive exactly beyond its intercepts on the positive x and y half-axes, unit 2 beyond its
# intercepts on the positive x and the negative y half-axes; points on the negative x half-axis (and the origin) are
# negative for both units everywhere in R: they are PINNED in cell (0, 0). In the limit (both units saturated) the
# partitions R reaches are 4 thresholds, one per (unit, half-axis); the boundary of R reaches the thresholds at an end
# (w_jk = 0: every point of that half-axis negative; b_j = 0: both of the unit's half-axes entirely positive). With the
# output weights held near the limit fit theta* of the bad thresholds, each face's limit loss is G(thresholds, theta*).
#
# Usage: /usr/bin/python3 scripts/theorem1_sigmoid_axes.py search SEED TRIALS
#          random designs: 10 points split over the pinned set (negative x half-axis) and the half-axes +x, +y, -y
#          (positions 1, 2, 3, ... by order), random 0/1 labels, random bad thresholds; keeps designs where the limit fit
#          of the bad thresholds has accuracy <= 5/10 with every output at least MARGIN from 1/2, every boundary
#          threshold choice costs > G* + 0.02 at theta* and every other interior choice > G* + 0.02, and two lines
#          separate the labels (a 10/10 better point in the limit).
# Everything here is float evidence: nncert check decides any script written from it.
import sys
import itertools
import numpy as np

sys.path.insert(0, __file__.rsplit('/', 1)[0])
from theorem1_sigmoid_cells import fit_batch, sig   # noqa: E402
from theorem1_sigmoid_apex import best_accuracy_limit   # noqa: E402


def cells_of(design, k):
    """design: dict axis -> labels in order from the origin outwards; k = (k1x, k1y, k2x, k2y), the number of points
    of each half-axis on the negative side (below the threshold). Returns (h1, h2, y) per point."""
    h1, h2, y = [], [], []
    for lab in design['pin']:
        h1.append(0), h2.append(0), y.append(lab)
    for i, lab in enumerate(design['px']):
        h1.append(int(i >= k[0])), h2.append(int(i >= k[2])), y.append(lab)
    for i, lab in enumerate(design['py']):
        h1.append(int(i >= k[1])), h2.append(0), y.append(lab)
    for i, lab in enumerate(design['ny']):
        h1.append(0), h2.append(int(i >= k[3])), y.append(lab)
    return np.array(h1, float), np.array(h2, float), np.array(y, float)


def all_choices(design):
    n = [len(design['px']), len(design['py']), len(design['px']), len(design['ny'])]
    for k in itertools.product(*(range(m + 1) for m in n)):
        bd = (k[0] == n[0]) or (k[1] == n[1]) or (k[0] == 0 and k[1] == 0) or \
             (k[2] == n[2]) or (k[3] == n[3]) or (k[2] == 0 and k[3] == 0)
        yield k, bd


def coords(design):
    X = []
    for i, _ in enumerate(design['pin']):
        X.append((-float(i), 0.0))
    for i, _ in enumerate(design['px']):
        X.append((float(i + 1), 0.0))
    for i, _ in enumerate(design['py']):
        X.append((0.0, float(i + 1)))
    for i, _ in enumerate(design['ny']):
        X.append((0.0, -float(i + 1)))
    return np.array(X)


def evaluate(design, kP, rng, margin_min=0.03):
    h1, h2, y = cells_of(design, kP)
    cell = (h1 * 2 + h2).astype(int)
    n1 = np.array([[((cell == c) & (y == 1)).sum() for c in range(4)]], float)
    n0 = np.array([[((cell == c) & (y == 0)).sum() for c in range(4)]], float)
    p, G, lmin = fit_batch(n1, n0, rng, starts=4, iters=150)
    th = p[0]
    if np.abs(th).max() > 20 or lmin[0] < 1e-6:
        return None
    o = sig(th[0] + th[1] * h1 + th[2] * h2)
    acc = int(np.sum(((o > 0.5) & (y == 1)) | ((o < 0.5) & (y == 0))))
    marg = np.abs(o - 0.5).min()
    if acc > 5 or marg < margin_min:
        return None
    bmin = imin = np.inf
    for k, bd in all_choices(design):
        if k == kP:
            continue
        a1, a2, _ = cells_of(design, k)
        L = np.sum((sig(th[0] + th[1] * a1 + th[2] * a2) - y) ** 2) - G[0]
        if bd:
            bmin = min(bmin, L)
        else:
            imin = min(imin, L)
    return dict(theta=th, G=G[0], acc=acc, margin=marg, bmin=bmin, imin=imin, lmin=lmin[0])


def search(seed, trials, need=0.02):
    rng = np.random.default_rng(seed)
    found = 0
    best = -np.inf
    for t in range(trials):
        sizes = rng.multinomial(10, rng.dirichlet(np.ones(4)))
        if sizes[1] == 0 or sizes[2] == 0 or sizes[3] == 0:
            continue
        design = {a: list(rng.integers(0, 2, s)) for a, s in zip(('pin', 'px', 'py', 'ny'), sizes)}
        kP = (rng.integers(1, sizes[1] + 1) if sizes[1] else 0, rng.integers(0, sizes[2]),
              rng.integers(1, sizes[1] + 1) if sizes[1] else 0, rng.integers(0, sizes[3]))
        kP = tuple(int(v) for v in kP)
        if kP[0] == sizes[1] or kP[2] == sizes[1]:
            continue
        r = evaluate(design, kP, rng)
        if r is None:
            continue
        m = min(r['bmin'], r['imin'])
        best = max(best, m)
        if m > need:
            X = coords(design)
            y = np.array(design['pin'] + design['px'] + design['py'] + design['ny'], float)
            if not best_accuracy_limit(X, y):
                continue
            found += 1
            print(f"trial {t}: {design} k={kP} G*={r['G']:.4f} acc={r['acc']}/10 margin={r['margin']:.3f} "
                  f"boundary {r['bmin']:.4f} interior {r['imin']:.4f} lam_min={r['lmin']:.3g} "
                  f"theta*={np.round(r['theta'], 4).tolist()}", flush=True)
    print(f"total {found}, best min(boundary, interior) margin {best:.4f}")


if __name__ == '__main__':
    a = sys.argv[1:]
    if a[0] == 'search':
        search(int(a[1]), int(a[2]))
