#!/usr/bin/python3
# Prototype search (untrusted, float64, NumPy/SciPy) for HALF-SATURATED plateau traps of the 2-2-1 sigmoid/sigmoid
# network (sse): hidden unit 1 saturates on a line (a step s_i in {0,1} per point), unit 2 and the output stay finite
# (issue 9; docs/paper.md, "Fifth attempt").
#
# Limit model: G(theta; s) = sum_i (sigmoid(c + v1 s_i + v2 sigmoid(w2 . x_i + b2)) - y_i)^2, theta = (c, v1, v2, w21,
# w22, b2). A trap needs a finite strict minimum theta* of G for some line dichotomy s, with the sublevel set misclassifying
# at least half of the points, and a region whose unit-1 faces only reach worse dichotomies (see `cone` below).
#
# Usage: /usr/bin/python3 scripts/theorem1_sigmoid_halfsat.py search SEED DATASETS [N] [STARTS]
#          random datasets (N points, default 10, on the 0.5 grid in [-3, 3]^2, 0/1 labels, no repeated input); for every
#          line dichotomy s (up to complement), G is minimised by L-BFGS from STARTS starts (default 4); prints the finite
#          strict minima (|theta| < 25, |grad| < 1e-7, Hessian lambda_min > 1e-6) whose accuracy is at most half of the
#          best accuracy any dichotomy's fit reaches on that dataset, with their margin min_i |o_i - 1/2|.
# Everything here is float evidence: nncert check decides any script written from it.
import sys
import itertools
import numpy as np
from scipy.optimize import minimize


def sig(z):
    return 0.5 * (1 + np.tanh(0.5 * z))


def G_and_grad(t, X, y, s):
    c, v1, v2, w1, w2, b = t
    h = sig(X[:, 0] * w1 + X[:, 1] * w2 + b)
    o = sig(c + v1 * s + v2 * h)
    r = 2 * (o - y) * o * (1 - o)
    dh = r * v2 * h * (1 - h)
    g = np.array([r.sum(), (r * s).sum(), (r * h).sum(), (dh * X[:, 0]).sum(), (dh * X[:, 1]).sum(), dh.sum()])
    return np.sum((o - y) ** 2), g


def outputs(t, X, s):
    c, v1, v2, w1, w2, b = t
    return sig(c + v1 * s + v2 * sig(X @ np.array([w1, w2]) + b))


def hessian(t, X, y, s, eps=1e-6):
    H = np.zeros((6, 6))
    for k in range(6):
        e = np.zeros(6)
        e[k] = eps
        H[:, k] = (G_and_grad(t + e, X, y, s)[1] - G_and_grad(t - e, X, y, s)[1]) / (2 * eps)
    return (H + H.T) / 2


def newton_polish(t, X, y, s, steps=20):
    for _ in range(steps):
        g = G_and_grad(t, X, y, s)[1]
        H = hessian(t, X, y, s)
        try:
            t = t - np.linalg.solve(H, g)
        except np.linalg.LinAlgError:
            break
        if np.abs(t).max() > 1e3:
            break
    return t


def dichotomies(X):
    """Every split of the rows of X by a line, up to complement, as 0/1 tuples with s[0] = 0 (all-zero included)."""
    n = len(X)
    out = {tuple([0] * n)}
    for i, j in itertools.combinations(range(n), 2):
        d = X[j] - X[i]
        nrm = np.array([-d[1], d[0]])
        side = (X - X[i]) @ nrm
        base = (side > 1e-12).astype(int)
        on = np.flatnonzero(np.abs(side) <= 1e-12)
        for bits in itertools.product([0, 1], repeat=len(on)):
            if len(on) > 4:
                break
            sv = base.copy()
            sv[on] = bits
            if sv[0]:
                sv = 1 - sv
            out.add(tuple(sv))
    return sorted(out)


def accuracy(o, y):
    return int(np.sum(((o > 0.5) & (y == 1)) | ((o < 0.5) & (y == 0))))


def fit_all(X, y, rng, starts):
    res = []
    for s in dichotomies(X):
        s = np.array(s, float)
        for k in range(starts):
            t0 = rng.uniform(-3, 3, 6)
            r = minimize(G_and_grad, t0, args=(X, y, s), jac=True, method='L-BFGS-B', options={'maxiter': 400})
            t = r.x
            o = outputs(t, X, s)
            acc = accuracy(o, y)
            finite = np.abs(t).max() < 25
            kind = 'escape'
            if finite:
                t = newton_polish(t, X, y, s)
                if np.abs(t).max() < 25:
                    Gv, g = G_and_grad(t, X, y, s)
                    lam = np.linalg.eigvalsh(hessian(t, X, y, s))
                    o = outputs(t, X, s)
                    acc = accuracy(o, y)
                    if np.abs(g).max() < 1e-7 and lam[0] > 1e-6:
                        kind = 'strict'
                        res.append(dict(s=s, t=t, G=Gv, acc=acc, lam=lam, margin=np.abs(o - 0.5).min(), o=o))
                        continue
                    kind = 'degenerate' if np.abs(g).max() < 1e-7 else 'noconv'
            res.append(dict(s=s, t=t, G=r.fun, acc=acc, kind=kind))
    return res


def grid_data(rng, n):
    g = np.arange(-6, 7) / 2
    pts = np.array([(a, b) for a in g for b in g])
    X = pts[rng.choice(len(pts), n, replace=False)]
    y = rng.integers(0, 2, n).astype(float)
    return X, y


def search(seed, datasets, n=10, starts=4):
    rng = np.random.default_rng(seed)
    tot = {'strict': 0, 'cand': 0}
    for d in range(datasets):
        X, y = grid_data(rng, n)
        if y.sum() in (0, n):
            continue
        res = fit_all(X, y, rng, starts)
        best = max(r['acc'] for r in res)
        strict = [r for r in res if 'lam' in r]
        tot['strict'] += len(strict)
        cands = sorted([r for r in strict if 2 * r['acc'] <= best], key=lambda r: -r['margin'])
        tot['cand'] += len(cands)
        print(f"dataset {d}: best accuracy {best}/{n}, strict minima {len(strict)}, with accuracy <= best/2: "
              f"{len(cands)}", flush=True)
        seen = set()
        for r in cands[:3]:
            key = (tuple(r['s'].astype(int)), round(r['G'], 6))
            if key in seen:
                continue
            seen.add(key)
            print(f"  s={''.join(str(int(v)) for v in r['s'])} G*={r['G']:.5f} acc={r['acc']}/{n} "
                  f"margin={r['margin']:.4f} lam_min={r['lam'][0]:.2e} theta={np.round(r['t'], 4).tolist()}")
            print(f"  X={X.tolist()} y={y.astype(int).tolist()}")
    print(f"total: strict {tot['strict']}, candidates {tot['cand']}")


if __name__ == '__main__':
    a = sys.argv[1:]
    if a[0] == 'search':
        search(int(a[1]), int(a[2]), *(int(v) for v in a[3:5]))
