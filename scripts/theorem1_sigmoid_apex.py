#!/usr/bin/python3
# Prototype search (untrusted, float64, NumPy/SciPy) for plateau traps of the 2-2-1 sigmoid/sigmoid network (sse) whose
# region PINS points: both hidden units saturate, the region R gives each unit's (w_j1, w_j2, b_j) a sign orthant with
# b_j < 0, so every line reachable in R keeps the ORIGIN on its negative side, and label-1 points placed AT the origin
# stay in cell (0, 0) wherever descent goes (issue 9; docs/paper.md, "Fifth attempt").
#
# With the output weights held in a SMALL box B around the limit fit theta* = (c, v1, v2) of the bad partition pair, a
# face of R can no longer refit the output layer: its limit loss is G(pi1', pi2', theta) for the partitions pi_j' the
# face reaches. The search enumerates, for each unit, the partitions realisable in the open orthant and on its boundary
# (one coordinate 0, an LP per candidate partition), fits theta* for every interior pair, and keeps pairs where
#   accuracy <= n/2 with margin, every boundary pair costs > G* + m at theta*, and every other interior pair > G*.
#
# Usage: /usr/bin/python3 scripts/theorem1_sigmoid_apex.py search SEED DATASETS
#          random designs: 1 to 3 label-1 copies of the origin plus 7 to 9 points on the 0.5 grid in [-3, 3]^2, random
#          labels and orthants; prints the bad pairs passing the limit checks above.
#        /usr/bin/python3 scripts/theorem1_sigmoid_apex.py candidate SEED LO HI R [LO HI R ...]
#          the hand-designed 10-point candidate (3 label-1 copies of the origin; make-up (3,0,0,2)/(3,1,1,0), the
#          11 points dominated by the 10 point so that unit 1 cannot drop the latter alone, likewise for unit 2): the
#          limit margins, L - G* along the bad ray, and for each region (unit faces at +-LO, b_j <= -HI, output weights
#          theta* +- R) float estimates of the least loss on every face minus L(bad), of the least loss over R, and
#          the accuracies of the float minimisers over R with loss <= L(bad) + 1e-3.
# Everything here is float evidence: nncert check decides any script written from it.
import sys
import itertools
import numpy as np
from scipy.optimize import linprog

sys.path.insert(0, __file__.rsplit('/', 1)[0])
from theorem1_sigmoid_cells import fit_batch, sig   # noqa: E402


def candidates(X):
    """Every split of the rows of X by a line (both orientations), as 0/1 tuples."""
    n = len(X)
    out = {tuple([0] * n), tuple([1] * n)}
    for i, j in itertools.combinations(range(n), 2):
        d = X[j] - X[i]
        if not d.any():
            continue
        nrm = np.array([-d[1], d[0]])
        side = (X - X[i]) @ nrm
        base = (side > 1e-12).astype(int)
        on = np.flatnonzero(np.abs(side) <= 1e-12)
        if len(on) > 5:
            continue
        for bits in itertools.product([0, 1], repeat=len(on)):
            sv = base.copy()
            sv[on] = bits
            out.add(tuple(sv))
            out.add(tuple(1 - sv))
    return out


def realisable(X, s, signs, face=None, skip=()):
    """Is split s realised strictly by (w1, w2, b) with signs[k] * coord_k > 0 (face k: coord_k = 0, the others >= 0)?
    Rows in `skip` (on every line of the face, e.g. the origin when b = 0) are not constrained."""
    F = np.hstack([X, np.ones((len(X), 1))]) * np.where(np.array(s) == 1, 1.0, -1.0)[:, None]
    keep = [i for i in range(len(X)) if i not in skip]
    F = F[keep]
    A_ub = -F
    b_ub = -np.ones(len(F))
    bounds = []
    for k in range(3):
        if face == k:
            bounds.append((0, 0))
        elif face is None:
            bounds.append((1e-3, 1e3) if signs[k] > 0 else (-1e3, -1e3 * 1e-6 - 1e-3))
        else:
            bounds.append((0, 1e3) if signs[k] > 0 else (-1e3, 0))
    r = linprog(np.zeros(3), A_ub=A_ub, b_ub=b_ub, bounds=bounds, method='highs')
    return r.status == 0


def cone_splits(X, signs, origin_rows, rng=None, samples=30000):
    """(interior splits, boundary splits) of one unit's sign orthant, by sampling rays (w1, w2, b) with log-uniform
    coordinates (thin cells near a face are reached too); on the face b = 0 the origin rows sit on the line and are taken
    as negative (h = sigmoid(b_face) with a very negative face value). A sample misses no cell wider than its spacing."""
    rng = rng or np.random.default_rng(0)
    Xh = np.hstack([X, np.ones((len(X), 1))])
    U = np.exp(rng.uniform(-5, 5, size=(samples, 3))) * np.asarray(signs, float)
    inner = {tuple(r) for r in (U @ Xh.T > 0).astype(int)}
    bd = set()
    for k in range(3):
        V = U.copy()
        V[:, k] = 0
        Z = V @ Xh.T
        S = (Z > 0).astype(int)
        if k == 2:
            S[:, list(origin_rows)] = 0
        bd |= {tuple(r) for r in S}
    return inner, bd


def loss_at(theta, S1, S2, y):
    c, v1, v2 = theta
    o = sig(c + v1 * S1 + v2 * S2)
    return np.sum((o - y) ** 2, axis=-1), o


def make_ups(S1, S2, y):
    cell = S1 * 2 + S2
    n1 = np.stack([((cell == k) & (y == 1)).sum(-1) for k in range(4)], -1).astype(float)
    n0 = np.stack([((cell == k) & (y == 0)).sum(-1) for k in range(4)], -1).astype(float)
    return n1, n0


def best_accuracy_limit(X, y):
    """Can two lines and an additive logit classify every point (pure cells, not XOR-like)? 1 if so, else 0."""
    C = [np.array(s) for s in candidates(X)]
    for a in C:
        for b in C:
            ok = True
            lab = {}
            for i in range(len(y)):
                k = (a[i], b[i])
                if lab.setdefault(k, y[i]) != y[i]:
                    ok = False
                    break
            if not ok:
                continue
            z = [lab.get(k) for k in ((0, 0), (0, 1), (1, 0), (1, 1))]
            if z[0] is not None and z[3] is not None and z[1] is not None and z[2] is not None:
                if z[0] == z[3] != z[1] == z[2]:
                    continue
            return True
    return False


def search(seed, datasets, margin_min=0.03, bd_min=0.01):
    rng = np.random.default_rng(seed)
    g = np.arange(-6, 7) / 2
    grid = np.array([(a, b) for a in g for b in g if (a, b) != (0, 0)])
    found = 0
    best_seen = [-np.inf, -1, 0, 0]
    nok = 0
    for d in range(datasets):
        k0 = rng.integers(1, 4)
        Xo = grid[rng.choice(len(grid), 10 - k0, replace=False)]
        X = np.vstack([np.zeros((k0, 2)), Xo])
        y = np.r_[np.ones(k0), rng.integers(0, 2, 10 - k0)].astype(float)
        sg1 = np.r_[rng.choice([-1, 1], 2), -1]
        sg2 = np.r_[rng.choice([-1, 1], 2), -1]
        origin = tuple(range(k0))
        in1, bd1 = cone_splits(X, sg1, origin, rng)
        in2, bd2 = cone_splits(X, sg2, origin, rng)
        pairs = [(a, b) for a in in1 for b in in2]
        if not pairs:
            continue
        S1 = np.array([p[0] for p in pairs], float)
        S2 = np.array([p[1] for p in pairs], float)
        n1, n0 = make_ups(S1, S2, y)
        keys, inv = np.unique(np.hstack([n1, n0]), axis=0, return_inverse=True)
        inv = inv.ravel()
        pu, Gu, lu = fit_batch(keys[:, :4], keys[:, 4:], rng, starts=4, iters=150)
        p, G, lmin = pu[inv], Gu[inv], lu[inv]
        o = sig(p[:, None, 0] + p[:, None, 1] * S1 + p[:, None, 2] * S2)
        acc = np.sum(((o > 0.5) & (y == 1)) | ((o < 0.5) & (y == 0)), axis=1)
        marg = np.abs(o - 0.5).min(1)
        ok = (acc <= 5) & (marg >= margin_min) & (np.abs(p).max(1) < 20) & (lmin > 1e-6)
        closure1 = in1 | bd1
        closure2 = in2 | bd2
        allp = [(a, b) for a in closure1 for b in closure2]
        A1 = np.array([q[0] for q in allp], float)
        A2 = np.array([q[1] for q in allp], float)
        isbd = np.array([(q[0] in bd1) or (q[1] in bd2) for q in allp])
        nok += int(ok.sum())
        for i in np.flatnonzero(ok):
            Lall, _ = loss_at(p[i], A1, A2, y)
            same = (A1 == S1[i]).all(1) & (A2 == S2[i]).all(1)
            bmin = Lall[isbd].min() - G[i] if isbd.any() else np.inf
            imin = Lall[~isbd & ~same].min() - G[i] if (~isbd & ~same).any() else np.inf
            if min(bmin, imin) > best_seen[0]:
                best_seen[:] = [min(bmin, imin), d, bmin, imin]
            if bmin > bd_min and imin > 0:
                better = best_accuracy_limit(X, y)
                found += 1
                print(f"dataset {d}: origin copies {k0}, signs {sg1.tolist()} {sg2.tolist()}: G*={G[i]:.4f} "
                      f"acc={acc[i]}/10 margin={marg[i]:.3f} boundary margin {bmin:.4f} interior margin {imin:.4f} "
                      f"theta*={np.round(p[i], 4).tolist()} 10/10 in the limit: {better}")
                print(f"  X={X.tolist()} y={y.astype(int).tolist()} s1={S1[i].astype(int).tolist()} "
                      f"s2={S2[i].astype(int).tolist()}", flush=True)
        if d % 20 == 0:
            print(f"... {d + 1} datasets, {found} candidates, {nok} bad fits, best min(boundary, interior) margin "
                  f"{best_seen[0]:.4f} (dataset {best_seen[1]}: {best_seen[2]:.4f}, {best_seen[3]:.4f})", flush=True)
    print(f"total candidates {found}")


# ---------------------------------------------------------------- the full network around a candidate
def net(th, X, y):
    """sse loss and gradient of the 2-2-1 sigmoid/sigmoid network; th = (W1[1,1], W1[1,2], b1[1], W1[2,1], W1[2,2],
    b1[2], W2[1,1], W2[1,2], b2) (units' rows first, as the region lists them)."""
    W = np.array([[th[0], th[1]], [th[3], th[4]]])
    b = np.array([th[2], th[5]])
    v = np.array([th[6], th[7]])
    c = th[8]
    h = sig(X @ W.T + b)
    o = sig(h @ v + c)
    r = 2 * (o - y) * o * (1 - o)
    gv = h.T @ r
    gc = r.sum()
    dh = r[:, None] * v[None, :] * h * (1 - h)
    gW = dh.T @ X
    gb = dh.sum(0)
    g = np.array([gW[0, 0], gW[0, 1], gb[0], gW[1, 0], gW[1, 1], gb[1], gv[0], gv[1], gc])
    return np.sum((o - y) ** 2), g


def region_bounds(signs1, signs2, lo, hi, theta, r):
    """Box: unit j's w in the sign half-lines with finite end +-lo, b_j <= -hi; output weights theta +- r."""
    B = []
    for sg in (signs1, signs2):
        for k in range(2):
            B.append((lo, np.inf) if sg[k] > 0 else (-np.inf, -lo))
        B.append((-np.inf, -hi))
    for k, t in zip((0, 1, 2), (theta[1], theta[2], theta[0])):
        B.append((t - r, t + r))
    return B


def face_minima(X, y, B, LP, rng, starts=40):
    """Float estimate of the least loss on each finite face of the box B (L-BFGS-B from random starts inside it)."""
    from scipy.optimize import minimize
    out = []
    for k in range(9):
        for e in (0, 1):
            end = B[k][e]
            if not np.isfinite(end):
                continue
            best = np.inf
            bb = list(B)
            bb[k] = (end, end)
            for _ in range(starts):
                x0 = np.empty(9)
                for m, (a, b) in enumerate(bb):
                    if np.isfinite(a) and np.isfinite(b):
                        x0[m] = rng.uniform(a, b)
                    elif np.isfinite(a):
                        x0[m] = a + abs(rng.normal()) * rng.choice([1, 5, 30])
                    else:
                        x0[m] = b - abs(rng.normal()) * rng.choice([1, 5, 30])
                rr = minimize(net, x0, args=(X, y), jac=True, method='L-BFGS-B',
                              bounds=[(a if np.isfinite(a) else None, b if np.isfinite(b) else None) for a, b in bb],
                              options={'maxiter': 500})
                best = min(best, rr.fun)
            out.append((k, end, best - LP))
    return out


CAND_X = np.array([[0, 0], [0, 0], [0, 0], [1.5, 0.5], [1.8, 0.2], [2, 2], [2, -1.5], [0.5, 1], [0.3, -0.8], [-0.5, 0.8]])
CAND_Y = np.array([1, 1, 1, 1, 1, 0, 0, 0, 0, 0], float)
CAND_SIGNS = (np.array([1, 1, -1]), np.array([1, -1, -1]))
CAND_LINES = (np.array([10.0, 7.0, -14.0]), np.array([3.0, -2.0, -3.0]))   # 10x + 7y = 14 and 3x - 2y = 3
CAND_BAD_SCALE = (10.0, 40.0)                                               # bad: W1 rows = these multiples


def candidate(seed, regions):
    from scipy.optimize import minimize
    rng = np.random.default_rng(seed)
    X, y = CAND_X, CAND_Y
    Xh = np.hstack([X, np.ones((len(X), 1))])
    s1 = (Xh @ CAND_LINES[0] > 0).astype(float)
    s2 = (Xh @ CAND_LINES[1] > 0).astype(float)
    n1, n0 = make_ups(s1[None], s2[None], y)
    p, G, lmin = fit_batch(n1, n0, rng)
    th, Gs = p[0], G[0]
    print(f"make-up n1 {n1[0].astype(int).tolist()} n0 {n0[0].astype(int).tolist()}: theta* = (c, v1, v2) = "
          f"{np.round(th, 8).tolist()}, G* = {Gs:.10f}, lambda_min = {lmin[0]:.4f}")
    o = sig(th[0] + th[1] * s1 + th[2] * s2)
    print(f"outputs {np.round(o, 4).tolist()}, accuracy {int(np.sum((o > 0.5) == (y == 1)))}/10, "
          f"margin {np.abs(o - 0.5).min():.4f}")
    origin = (0, 1, 2)
    in1, bd1 = cone_splits(X, CAND_SIGNS[0], origin, rng)
    in2, bd2 = cone_splits(X, CAND_SIGNS[1], origin, rng)
    allp = [(a, b) for a in in1 | bd1 for b in in2 | bd2]
    A1 = np.array([q[0] for q in allp], float)
    A2 = np.array([q[1] for q in allp], float)
    isbd = np.array([(q[0] in bd1) or (q[1] in bd2) for q in allp])
    Lall, _ = loss_at(th, A1, A2, y)
    same = (A1 == s1).all(1) & (A2 == s2).all(1)
    print(f"limit, output weights at theta*: {len(allp)} partition pairs reachable in the closed orthants; least "
          f"boundary pair G* + {Lall[isbd].min() - Gs:.4f}, least other interior pair G* + "
          f"{Lall[~isbd & ~same].min() - Gs:.4f}")
    for sc in (1, 2, 4, 8):
        P = np.r_[sc * CAND_LINES[0], sc * CAND_LINES[1], th[1], th[2], th[0]]
        print(f"  L - G* with W1, b1 = {sc} x (lines): {net(P, X, y)[0] - Gs:.3g}")
    P = np.r_[CAND_BAD_SCALE[0] * CAND_LINES[0], CAND_BAD_SCALE[1] * CAND_LINES[1], th[1], th[2], th[0]]
    LP = net(P, X, y)[0]
    print(f"bad: unit 1 = {CAND_BAD_SCALE[0]} x line 1, unit 2 = {CAND_BAD_SCALE[1]} x line 2: L(bad) - G* = "
          f"{LP - Gs:.3g}")
    for lo, hi, r in regions:
        B = region_bounds(CAND_SIGNS[0], CAND_SIGNS[1], lo, hi, th, r)
        res = face_minima(X, y, B, LP, rng, starts=30)
        k, e, m = min(res, key=lambda t: t[2])
        names = ['W1[1,1]', 'W1[1,2]', 'b1[1]', 'W1[2,1]', 'W1[2,2]', 'b1[2]', 'W2[1,1]', 'W2[1,2]', 'b2[1]']
        print(f"region LO={lo} HI={hi} R={r}: least face estimate L(bad) + {m:.4g} (face {names[k]} = {e:.4g}); "
              f"per face: {', '.join(f'{names[k]}={e:.3g}: {m:.3g}' for k, e, m in res)}")
        bb = [(a if np.isfinite(a) else None, b if np.isfinite(b) else None) for a, b in B]
        best, accs = np.inf, set()
        for _ in range(200):
            x0 = np.array([rng.uniform(a if a is not None else b - 60, b if b is not None else a + 60) for a, b in bb])
            rr = minimize(net, x0, args=(X, y), jac=True, method='L-BFGS-B', bounds=bb)
            best = min(best, rr.fun)
            if rr.fun <= LP + 1e-3:
                t = rr.x
                W = np.array([[t[0], t[1]], [t[3], t[4]]])
                oo = sig(sig(X @ W.T + t[[2, 5]]) @ t[6:8] + t[8])
                accs.add(int(np.sum((oo > 0.5) == (y == 1))))
        print(f"  least loss over R from 200 starts: G* {best - Gs:+.2g}; accuracies of minimisers with loss <= "
              f"L(bad) + 1e-3: {sorted(accs)}", flush=True)


if __name__ == '__main__':
    a = sys.argv[1:]
    if a[0] == 'search':
        search(int(a[1]), int(a[2]))
    elif a[0] == 'candidate':
        v = [float(t) for t in a[2:]]
        candidate(int(a[1]), [tuple(v[i:i + 3]) for i in range(0, len(v), 3)])
