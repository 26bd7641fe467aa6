#!/usr/bin/python3
# Prototype search (untrusted, float64, NumPy/SciPy) for plateau traps of the 2-2-1 sigmoid/sigmoid network (sse) whose two
# hidden units saturate on OBLIQUE lines into 4 non-fittable (XOR-like) cells (issue 9; docs/paper.md, "Fourth attempt").
#
# Usage: /usr/bin/python3 scripts/theorem1_sigmoid_cells.py scan SEED SAMPLES [NMIN NMAX]
#          random XOR-like make-ups (label-1 / label-0 counts per cell (h1,h2) = 00,01,10,11; 0-4 each; cells 00 and 11
#          with label mean >= 1/2, 01 and 10 with mean <= 1/2; all 4 cells populated; NMIN-NMAX points, default 7-10);
#          the limit loss G(c, v1, v2) = sum_k n1_k (1 - o_k)^2 + n0_k o_k^2, o_k = sigmoid(c + v.h_k), is minimised by
#          batched damped Newton from 8 starts; prints the make-ups with accuracy <= n/2 sorted by MARGIN = min_k |o_k - 1/2|
#          (a point counts as correct only strictly on its label's side of 1/2).
#        /usr/bin/python3 scripts/theorem1_sigmoid_cells.py geom SEED TRIES N1_00 N1_01 N1_10 N1_11 N0_00 N0_01 N0_10 N0_11
#          for one make-up: (2) places points (0.1 grid, |x| <= 3) in the cells of two fixed oblique lines not through the
#          origin, TRIES times, keeping a placement whose two partitions no vertical, horizontal or through-origin line
#          realises and where the first-order sign rule holds for both units (dL/ds_j < 0 at
#          s = 10, 20, 40 along the ray s (w_j, b_j), output weights at the limit fit), and reports for each unit whether
#          its partition is realisable by a vertical / horizontal / through-origin line (a face of a box can then reach it)
#          and the least limit loss over partitions reachable on the faces of R (the sign orthants of (w_j, b_j));
#          (3) trains the 2-2-1 network on the points (L-BFGS, 200 starts) and reports the best accuracy (a better point).
# Everything here is float evidence: nncert check decides any script written from it.
import sys
import itertools
import numpy as np
from scipy.optimize import minimize, linprog

HC = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], float)   # cell order 00, 01, 10, 11 (h1, h2)
A = np.hstack([np.ones((4, 1)), HC])                        # logit z_k = c + v1 h1 + v2 h2 = A @ (c, v1, v2)


def sig(z):
    return 0.5 * (1 + np.tanh(0.5 * z))


def fit_batch(n1, n0, rng, starts=8, iters=300):
    """Least-squares limit fit. n1, n0: (M, 4) counts per cell. Returns p (M, 3) = (c, v1, v2), G (M,), Hessian min eig."""
    M = n1.shape[0]
    best_p, best_G = np.zeros((M, 3)), np.full(M, np.inf)

    def val(p):
        o = sig(p @ A.T)
        return np.sum(n1 * (1 - o) ** 2 + n0 * o ** 2, axis=1), o

    def grad_hess(p):
        o = sig(p @ A.T)
        d = o * (1 - o)
        dz = 2 * (o - 1) * n1 * d + 2 * o * n0 * d                      # dG/dz_k
        d2z = (2 * d * d + 2 * (o - 1) * d * (1 - 2 * o)) * n1 + (2 * d * d + 2 * o * d * (1 - 2 * o)) * n0
        g = dz @ A
        H = np.einsum('mk,ki,kj->mij', d2z, A, A)
        return g, H
    for s in range(starts):
        p = rng.uniform(-3, 3, size=(M, 3)) if s else np.zeros((M, 3))
        mu = np.ones(M)
        Gp, _ = val(p)
        for _ in range(iters):
            g, H = grad_hess(p)
            lam = np.linalg.eigvalsh(H)[:, 0]
            shift = np.maximum(mu, mu - lam)[:, None, None] * np.eye(3)
            step = -np.linalg.solve(H + shift, g[:, :, None])[:, :, 0]
            q = p + step
            Gq, _ = val(q)
            ok = Gq <= Gp
            p = np.where(ok[:, None], q, p)
            Gp = np.where(ok, Gq, Gp)
            mu = np.where(ok, mu * 0.3, mu * 4)
            mu = np.clip(mu, 1e-12, 1e8)
        better = Gp < best_G - 1e-12
        best_p[better], best_G[better] = p[better], Gp[better]
    _, H = grad_hess(best_p)
    return best_p, best_G, np.linalg.eigvalsh(H)[:, 0]


def accuracy(o, n1, n0):
    return np.sum(np.where(o > 0.5, n1, 0) + np.where(o < 0.5, n0, 0), axis=-1)


def scan(seed, samples, nmin=7, nmax=10):
    rng = np.random.default_rng(seed)
    rows = []
    for key in itertools.product(range(5), repeat=8):       # all make-ups, then a seeded sample of SAMPLES of them
        n = np.array(key).reshape(4, 2)
        tot, m = n.sum(), n.sum(1)
        if not (nmin <= tot <= nmax) or (m == 0).any():
            continue
        mean = n[:, 0] / m
        if mean[0] < 0.5 or mean[3] < 0.5 or mean[1] > 0.5 or mean[2] > 0.5:
            continue
        rows.append(n)
    total = len(rows)
    if samples < total:
        rows = [rows[i] for i in rng.choice(total, size=samples, replace=False)]
    print(f"{total} XOR-like make-ups with {nmin}-{nmax} points; fitting {len(rows)}")
    N = np.array(rows)
    n1, n0 = N[:, :, 0].astype(float), N[:, :, 1].astype(float)
    p, G, lmin = fit_batch(n1, n0, rng)
    o = sig(p @ A.T)
    acc = accuracy(o, n1, n0)
    tot = N.sum(axis=(1, 2))
    margin = np.min(np.abs(o - 0.5), axis=1)
    finite = np.max(np.abs(p), axis=1) < 30
    good = (acc <= tot / 2) & finite & (lmin > 1e-6)
    print(f"seed {seed}: {len(N)} distinct make-ups fitted; {int(good.sum())} with accuracy <= n/2 at a finite strict "
          f"minimum of G (|p| < 30, lambda_min(H) > 1e-6); {int(((acc <= tot / 2) & ~finite).sum())} escape")
    order = np.argsort(-np.where(good, margin, -1))
    print("margin  acc/n  n1(00,01,10,11)  n0(00,01,10,11)  (c, v1, v2)  outputs  G  lambda_min")
    for i in order[:15]:
        if not good[i]:
            break
        print(f"{margin[i]:.4f}  {int(acc[i])}/{tot[i]}  {n1[i].astype(int).tolist()}  {n0[i].astype(int).tolist()}  "
              f"{np.round(p[i], 3).tolist()}  {np.round(o[i], 3).tolist()}  {G[i]:.4f}  {lmin[i]:.3g}")
    for nn in range(nmin, nmax + 1):
        sel = good & (tot == nn)
        if sel.any():
            j = np.argmax(np.where(sel, margin, -1))
            print(f"n = {nn}: best margin {margin[j]:.4f} (acc {int(acc[j])}/{nn}), {int(sel.sum())} make-ups")
        else:
            print(f"n = {nn}: none")


# ---------------------------------------------------------------- geometry
LINES = np.array([[1.0, 0.5, -0.5], [-0.4, 1.0, -0.3]])   # (w1, w2, b) per unit: oblique, not through the origin


def net_loss(X, y, W, b, v, c):
    h = sig(X @ W.T + b)
    o = sig(h @ v + c)
    return np.sum((o - y) ** 2)


def separable(X, S, mode):
    """Is the 0/1 split S of the rows of X realised strictly by a line of the given family? LP: max t, sgn_i a(x_i) >= t."""
    sgn = np.where(S, 1.0, -1.0)
    for orient in (1.0, -1.0):
        cols = {'vertical': [0, 2], 'horizontal': [1, 2], 'origin': [0, 1], 'any': [0, 1, 2]}[mode]
        F = np.hstack([X, np.ones((len(X), 1))])[:, cols] * (orient * sgn)[:, None]
        k = len(cols)
        res = linprog(np.r_[np.zeros(k), -1.0], A_ub=np.hstack([-F, np.ones((len(X), 1))]), b_ub=np.zeros(len(X)),
                      bounds=[(-1, 1)] * k + [(None, 1)], method='highs')
        if res.status == 0 and -res.fun > 1e-9:
            return True
    return False


def orthant_partitions(X, signs, fixed=None, samples=4000, rng=None):
    """Partitions {a(x) > 0} of the rows of X reached as s -> inf along rays s (w1, w2, b) whose coordinates keep the signs
    `signs`; with `fixed` = index k the k-th coordinate stays finite (a face), so only the other two scale."""
    out = set()
    U = np.abs(rng.normal(size=(samples, 3))) * signs
    U[rng.random((samples, 3)) < 0.15] = 0.0                 # boundary rays (a coordinate 0) too
    if fixed is not None:
        U[:, fixed] = 0.0
    Xh = np.hstack([X, np.ones((len(X), 1))])
    for u in U:
        out.add(tuple((Xh @ u > 0).astype(int)))
    return out


def limit_fit_partition(P1, P2, y, rng):
    """Limit fit for pairs of unit partitions; returns G (M,)."""
    P1, P2 = np.array(P1), np.array(P2)
    cell = P1 * 2 + P2                                         # index into 00, 01, 10, 11
    n1 = np.stack([((cell == k) & (y == 1)).sum(1) for k in range(4)], 1).astype(float)
    n0 = np.stack([((cell == k) & (y == 0)).sum(1) for k in range(4)], 1).astype(float)
    _, G, _ = fit_batch(n1, n0, rng, starts=4, iters=150)
    return G


def face_check(X, y, signs, Pother, rng, Gstar, name):
    """Least saturated limit loss on the faces of R: unit j's k-th coordinate finite, the other unit's partition from Pother."""
    worst = np.inf
    for j in range(2):
        for k in range(3):
            Pf = orthant_partitions(X, signs[j], k, rng=rng)
            pairs = list(itertools.product(Pf, Pother[1 - j]))
            P1 = [a if j == 0 else bb for a, bb in pairs]
            P2 = [bb if j == 0 else a for a, bb in pairs]
            worst = min(worst, limit_fit_partition(P1, P2, y, rng).min())
    print(f"    faces, {name}: least limit loss {worst:.5f} (G* = {Gstar:.5f}): "
          f"{'ALL above' if worst > Gstar + 1e-9 else 'NOT all above'} G* (necessary only: finite face points unchecked)")
    return worst


def geom(seed, tries, counts):
    rng = np.random.default_rng(seed)
    n1c, n0c = np.array(counts[:4]), np.array(counts[4:])
    p, G, lmin = fit_batch(n1c[None].astype(float), n0c[None].astype(float), rng)
    c, v = p[0, 0], p[0, 1:]
    o = sig(A @ p[0])
    print(f"make-up n1 {n1c.tolist()} n0 {n0c.tolist()}: limit fit (c, v1, v2) = {np.round(p[0], 4).tolist()}, "
          f"G* = {G[0]:.5f}, outputs {np.round(o, 4).tolist()}, accuracy {int(accuracy(o, n1c, n0c))}/{n1c.sum() + n0c.sum()}")
    W, b = LINES[:, :2], LINES[:, 2]
    grid = np.array([(a, bb) for a in np.arange(-30, 31) / 10 for bb in np.arange(-30, 31) / 10])
    pre = grid @ W.T + b
    dist = np.abs(pre) / np.linalg.norm(W, axis=1)
    gcell = (pre[:, 0] > 0) * 2 + (pre[:, 1] > 0)
    found = None
    for t in range(tries):
        X, y = [], []
        for k in range(4):
            for lab, cnt in ((1, n1c[k]), (0, n0c[k])):
                cand = np.flatnonzero((gcell == k) & (dist.min(1) > 0.05))
                for i in rng.choice(cand, size=cnt, replace=False):
                    X.append(grid[i]); y.append(lab)
        X, y = np.array(X), np.array(y, float)
        if len({tuple(x) for x in X}) < len(X):
            continue
        ok = not any(separable(X, (X @ W[j] + b[j]) > 0, m) for j in range(2)
                     for m in ('vertical', 'horizontal', 'origin'))   # no face line reaches either partition
        if not ok:
            continue
        slopes = []
        for s in (10.0, 20.0, 40.0):
            for j in range(2):
                eps = 1e-4 * s
                def Ls(sj):
                    sc = np.array([s, s]); sc[j] = sj
                    return net_loss(X, y, W * sc[:, None], b * sc, v, c)
                d = (Ls(s + eps) - Ls(s - eps)) / (2 * eps)
                slopes.append(d)
                ok &= d < 0
        if ok:
            found = (X, y, slopes, t)
            break
    if found is None:
        print(f"(2) no placement out of {tries} satisfies the first-order sign rule for both units")
        return
    X, y, slopes, t = found
    print(f"(2) placement {t}: sign rule holds, dL/ds_j at s = 10, 20, 40: {[f'{d:.2e}' for d in slopes]}")
    for s in (5, 10, 20, 40):
        print(f"    L(s) - G* at s = {s}: {net_loss(X, y, W * s, b * s, v, c) - G[0]:.3e}")
    print("    points (x1, x2, label):", [(float(a), float(bb), int(l)) for (a, bb), l in zip(X, y)])
    for j in range(2):
        S = (X @ W[j] + b[j]) > 0
        print(f"    unit {j + 1} partition realisable by: " + ", ".join(
            f"{m} {'YES' if separable(X, S, m) else 'no'}" for m in ('vertical', 'horizontal', 'origin')))
    # faces of R = orthants of (w_j, b_j) with the signs of LINES: unit j's face fixes one coordinate, the other unit is free
    signs = np.sign(LINES)
    Pfree = [orthant_partitions(X, signs[j], None, rng=rng) for j in range(2)]
    Pown = [{tuple(((X @ W[j] + b[j]) > 0).astype(int))} for j in range(2)]
    print(f"    whole orthants (interior of R): least limit loss "
          f"{limit_fit_partition(*zip(*itertools.product(Pfree[0], Pfree[1])), y, rng).min():.5f}")
    for other, name in ((Pown, 'other unit held at its own partition'), (Pfree, 'other unit free in its orthant')):
        face_check(X, y, signs, other, rng, G[0], name)

    # (3) the better point
    best = None
    for s in range(200):
        th0 = rng.normal(scale=3, size=9)
        def f(th):
            return net_loss(X, y, th[:4].reshape(2, 2), th[4:6], th[6:8], th[8])
        r = minimize(f, th0, method='L-BFGS-B')
        th = r.x
        h = sig(X @ th[:4].reshape(2, 2).T + th[4:6])
        oo = sig(h @ th[6:8] + th[8])
        acc = int(np.sum((oo > 0.5) & (y == 1)) + np.sum((oo < 0.5) & (y == 0)))
        m = np.min(np.where(y == 1, oo - 0.5, 0.5 - oo))
        if best is None or (acc, m) > (best[0], best[1]):
            best = (acc, m, r.fun, th)
    print(f"(3) better point: best of 200 L-BFGS starts: accuracy {best[0]}/{len(y)}, least margin {best[1]:.3f}, "
          f"loss {best[2]:.4f}, |theta|_max {np.max(np.abs(best[3])):.1f}")


if __name__ == '__main__':
    a = sys.argv[1:]
    if a and a[0] == 'scan':
        scan(int(a[1]), int(a[2]), *(int(x) for x in a[3:5]))
    elif a and a[0] == 'geom':
        geom(int(a[1]), int(a[2]), [int(x) for x in a[3:11]])
    else:
        sys.exit(__doc__ or "see the header comment for usage")
