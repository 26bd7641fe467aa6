#!/usr/bin/python3
# Prototype search (untrusted, float64, NumPy/SciPy) for plateau traps of the 2-2-1 sigmoid/sigmoid network (sse) whose
# region PINS points: both hidden units saturate, the region R gives each unit's (w_j1, w_j2, b_j) a sign orthant with
# b_j < 0, so every line reachable in R keeps the ORIGIN on its negative side (with the orthants (+, +, -) and
# (+, -, -) of the candidate: the whole negative x half-axis), and label-1 points placed there stay in cell (0, 0)
# wherever descent goes (issue 9; docs/paper.md, "Fifth attempt").
#
# With the output weights held in a SMALL box B around the limit fit theta* = (c, v1, v2) of the bad partition pair, a
# face of R can no longer refit the output layer: its limit loss is G(pi1', pi2', theta) for the partitions pi_j' the
# face reaches. The search enumerates, for each unit, the partitions realisable in the open orthant and on its boundary
# (one coordinate 0; rays sampled log-uniformly), fits theta* for every interior pair, and keeps pairs where
#   accuracy <= n/2 with margin, every boundary pair costs > G* + m at theta*, and every other interior pair > G*.
#
# Usage: /usr/bin/python3 scripts/theorem1_sigmoid_apex.py search SEED DATASETS
#          random designs: 1 to 3 label-1 copies of the origin plus 7 to 9 points on the 0.5 grid in [-3, 3]^2, random
#          labels and orthants; prints the bad pairs passing the limit checks above.
#        (candidate and script take --scale S1,S2: bad = S1 x line 1, S2 x line 2 instead of 10 and 40)
#        /usr/bin/python3 scripts/theorem1_sigmoid_apex.py candidate SEED LO HI R [LO HI R ...]   (R or V/C)
#          the hand-designed candidate on 10 distinct points (3 label-1 points pinned on the negative x half-axis,
#          which every line of R keeps negative; make-up (3,0,0,2)/(3,1,1,0), the
#          11 points dominated by the 10 point so that unit 1 cannot drop the latter alone, likewise for unit 2): the
#          limit margins, L - G* along the bad ray, and for each region (unit faces at +-LO, b_j <= -HI, output weights
#          theta* +- R, or with R = V/C the weights +- V and the output bias +- C) float estimates of the least loss on every face minus L(bad), of the least loss over R, and
#          the accuracies of the float minimisers over R with loss <= L(bad) + 1e-3.
#        /usr/bin/python3 scripts/theorem1_sigmoid_apex.py script LO HI R [RC]
#          prints the candidate as a proof script for nncert check (docs/paper.md, "Fifth attempt", says which of its
#          claims the kernel certifies and which it leaves inconclusive); output weights theta* +- R, the output bias
#          theta*_c +- RC (default R).
#        /usr/bin/python3 scripts/theorem1_sigmoid_apex.py margins [C- V1- V2- C+ V1+ V2+]
#          LIMIT face margins of the candidate (docs/paper.md, "Sixth attempt"): with the output box theta* - (C-, V1-,
#          V2-) to theta* + (C+, V1+, V2+) (default: the box found by `margins` without arguments, a coordinate search
#          from +-0.5), the least limit loss minus G* on the six output faces over every partition pair reachable in the
#          closed orthants, and over the whole output box for the pairs reachable on the cones' boundary (the limits of
#          the hidden faces); grid minima (41 points a side), so slightly above the true minima.
#        /usr/bin/python3 scripts/theorem1_sigmoid_apex.py makeups
#          every make-up of 10 points in 4 non-empty cells, G fitted from theta = 0: those with accuracy <= 5 and margin
#          >= 0.03 at a finite strict minimum, by the smallest Hessian eigenvalue of G (which caps the output faces).
#        /usr/bin/python3 scripts/theorem1_sigmoid_apex.py geometry SEED MINUTES N1 N0
#          hill climb over designs with the cell make-up N1 / N0 (label-1 / label-0 counts per cell 00, 01, 10, 11, e.g.
#          2,0,0,4 0,2,2,0; the label-1 points of cell 00 pinned on the negative x half-axis): random lines in the
#          candidate's orthants, points on the 0.1 grid at least 0.15 from both lines, 30 moves of one free point
#          each; prints every design with its best limit margin over a few output boxes (the objective above).
#        --loss bce (candidate, script, margins): the mean binary cross-entropy of nncert's `loss bce` instead of sse;
#          theta* is then the bce limit fit (convex in (c, v1, v2)), and `script` refits bad's output weights as the
#          minimiser of the bce loss at bad's hidden units (docs/paper.md, "Eighth attempt").
# Everything here is float evidence: nncert check decides any script written from it.
import sys
import itertools
import numpy as np
from scipy.optimize import linprog

sys.path.insert(0, __file__.rsplit('/', 1)[0])
from theorem1_sigmoid_cells import fit_batch, sig   # noqa: E402

LOSS = 'sse'                                  # or 'bce' (--loss bce): mean of softplus(z) - y z over the rows


def softplus(z):
    return np.logaddexp(0.0, z)


def fit_limit(n1, n0, rng, starts=8, iters=300):
    """The limit fit of each make-up row for LOSS: sse by fit_batch (same calls, same random numbers); bce (convex in
    (c, v1, v2)) by damped Newton from theta = 0 on the mean cross-entropy. Returns p (M, 3), G (M,), Hessian min eig."""
    if LOSS == 'sse':
        return fit_batch(n1, n0, rng, starts, iters)
    n = (n1 + n0).sum(1)
    M = n1.shape[0]

    def val(p):
        z = p @ AM.T
        return (n1 * softplus(-z) + n0 * softplus(z)).sum(1) / n
    p = np.zeros((M, 3))
    Gp = val(p)
    for _ in range(max(iters, 100)):
        o = sig(p @ AM.T)
        g = ((o - 1) * n1 + o * n0) @ AM / n[:, None]
        H = np.einsum('mk,ki,kj->mij', o * (1 - o) * (n1 + n0), AM, AM) / n[:, None, None]
        step = -np.linalg.solve(H + 1e-12 * np.eye(3), g[:, :, None])[:, :, 0]
        t = np.ones(M)
        for _ in range(30):
            q = p + t[:, None] * step
            Gq = val(q)
            bad = Gq > Gp + 1e-15
            if not bad.any():
                break
            t = np.where(bad, t / 2, t)
        p, Gp = q, np.minimum(Gq, Gp)
    o = sig(p @ AM.T)
    H = np.einsum('mk,ki,kj->mij', o * (1 - o) * (n1 + n0), AM, AM) / n[:, None, None]
    return p, Gp, np.linalg.eigvalsh(H)[:, 0]


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
    if LOSS == 'bce':
        z = c + v1 * S1 + v2 * S2
        return np.mean(softplus(z) - y * z, axis=-1), o
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
        pu, Gu, lu = fit_limit(keys[:, :4], keys[:, 4:], rng, starts=4, iters=150)
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
    if LOSS == 'bce':
        z = h @ v + c
        r = (o - y) / len(y)
    else:
        r = 2 * (o - y) * o * (1 - o)
    gv = h.T @ r
    gc = r.sum()
    dh = r[:, None] * v[None, :] * h * (1 - h)
    gW = dh.T @ X
    gb = dh.sum(0)
    g = np.array([gW[0, 0], gW[0, 1], gb[0], gW[1, 0], gW[1, 1], gb[1], gv[0], gv[1], gc])
    if LOSS == 'bce':
        return np.mean(softplus(z) - y * z), g
    return np.sum((o - y) ** 2), g


def region_bounds(signs1, signs2, lo, hi, theta, r, rc=None):
    """Box: unit j's w in the sign half-lines with finite end +-lo, b_j <= -hi; output weights theta +- r (the output
    bias theta_c +- rc, default r)."""
    rc = r if rc is None else rc
    B = []
    for sg in (signs1, signs2):
        for k in range(2):
            B.append((lo, np.inf) if sg[k] > 0 else (-np.inf, -lo))
        B.append((-np.inf, -hi))
    for t, w in zip((theta[1], theta[2], theta[0]), (r, r, rc)):
        B.append((t - w, t + w))
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
            best, arg = np.inf, None
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
                if rr.fun < best:
                    best, arg = rr.fun, rr.x
            out.append((k, end, best - LP, arg))
    return out


CAND_X = np.array([[0, 0], [-0.5, 0], [-1, 0], [1.5, 0.5], [1.8, 0.2], [2, 2], [2, -1.5], [0.5, 1], [0.3, -0.8], [-0.5, 0.8]])
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
    p, G, lmin = fit_limit(n1, n0, rng)
    th, Gs = p[0], G[0]
    print(f"make-up n1 {n1[0].astype(int).tolist()} n0 {n0[0].astype(int).tolist()}: theta* = (c, v1, v2) = "
          f"{np.round(th, 8).tolist()}, G* = {Gs:.10f}, lambda_min = {lmin[0]:.4f}")
    o = sig(th[0] + th[1] * s1 + th[2] * s2)
    print(f"outputs {np.round(o, 4).tolist()}, accuracy {int(np.sum((o > 0.5) == (y == 1)))}/10, "
          f"margin {np.abs(o - 0.5).min():.4f}")
    origin = (0,)                  # on the face b_j = 0 the origin is on the line; (-0.5, 0), (-1, 0) stay negative
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
    for lo, hi, r, rc in regions:
        B = region_bounds(CAND_SIGNS[0], CAND_SIGNS[1], lo, hi, th, r, rc)
        res = face_minima(X, y, B, LP, rng, starts=30)
        k, e, m, x = min(res, key=lambda t: t[2])
        names = ['W1[1,1]', 'W1[1,2]', 'b1[1]', 'W1[2,1]', 'W1[2,2]', 'b1[2]', 'W2[1,1]', 'W2[1,2]', 'b2[1]']
        print(f"region LO={lo} HI={hi} R={r} RC={rc}: least face estimate L(bad) + {m:.4g} (face {names[k]} = {e:.4g}, "
              f"at {np.round(x, 3).tolist()}); per face: {', '.join(f'{names[k]}={e:.3g}: {m:.3g}' for k, e, m, _ in res)}")
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


def write_script(lo, hi, r, rc=None, trap=True):
    """The candidate as a proof script (exact decimals; theta* to 16 digits): the claims nncert certifies in well under a
    second, and (trap=True) the trap claim that it leaves INCONCLUSIVE (docs/paper.md, "Fifth attempt")."""
    th = (-0.3804652675449841, 0.5784516111382042, 0.5784516111382042)   # Newton on G in 40 digits, rounded
    L1 = CAND_BAD_SCALE[0] * CAND_LINES[0]
    L2 = CAND_BAD_SCALE[1] * CAND_LINES[1]
    if LOSS == 'bce':
        th = bce_refit(L1, L2)
    LP = net(np.r_[L1, L2, th[1], th[2], th[0]], CAND_X, CAND_Y)[0]
    lp_lo, lp_hi = np.floor(LP * 1e4) / 1e4, np.ceil(LP * 1e4) / 1e4 + 1e-4

    def num(v):
        return f"{v:g}"
    rows = "\n".join(f"  {num(x)}, {num(yv)} -> {int(lab)}" for (x, yv), lab in zip(CAND_X, CAND_Y))
    lo_s, hi_s = num(lo), num(hi)
    ends = []
    for j, sg in enumerate(CAND_SIGNS):
        for k in range(2):
            ends.append(f"  W1[{j + 1},{k + 1}] in " + (f"[{lo_s}, inf]" if sg[k] > 0 else f"[-inf, -{lo_s}]"))
        ends.append(f"  b1[{j + 1}] in [-inf, -{hi_s}]")
    ends.append(f"  W2 in [{th[1] - r:.4f}, {th[1] + r:.4f}]")
    rc = r if rc is None else rc
    ends.append(f"  b2 in [{th[0] - rc:.4f}, {th[0] + rc:.4f}]")
    region = "\n".join(ends)
    scale_s = "" if CAND_BAD_SCALE == (10.0, 40.0) else f" --scale {num(CAND_BAD_SCALE[0])},{num(CAND_BAD_SCALE[1])}"
    loss_s, better_hi, plateau_lo = 'sse', '0.01', '0.7'
    if LOSS == 'bce':
        # the three pinned label-1 points: both hidden units <= sigmoid(-HI) there, so the output logit is at most
        # (theta*_c + RC) + 2 (theta*_v + R) sigmoid(-HI); each costs softplus(-logit) / 10 (the mean)
        zc = th[0] + rc + (abs(th[1]) + r + abs(th[2]) + r) * sig(-hi)
        plateau_lo = num(np.floor(3 * softplus(-zc) / len(CAND_Y) * 100 * (1 - 1e-9)) / 100)
        lb = net(np.r_[2, -10, 4, -1, 10, 3, 10, 10, -15], CAND_X, CAND_Y)[0]
        better_hi = num(np.ceil(lb * 100 * (1 + 1e-9)) / 100)
        loss_s, scale_s = 'bce', scale_s + ' --loss bce'
    print(f"""nncert 1
# Theorem 1 with a sigmoid output (docs/paper.md, fifth and sixth attempts): written by
# /usr/bin/python3 scripts/theorem1_sigmoid_apex.py script {lo_s} {hi_s} {r:g} {rc:g}{scale_s}
data {{
{rows}
}}

network {{
  input 2
  dense 2 sigmoid
  dense 1 sigmoid
}}

loss {loss_s}
classify threshold 1/2

point bad {{
  W1 = [[{num(L1[0])}, {num(L1[1])}], [{num(L2[0])}, {num(L2[1])}]]
  b1 = [{num(L1[2])}, {num(L2[2])}]
  W2 = [[{th[1]!r}, {th[2]!r}]]
  b2 = [{th[0]!r}]
}}

point better {{                     # the strip of the label-1 points between two lines
  W1 = [[2, -10], [-1, 10]]
  b1 = [4, 3]
  W2 = [[10, 10]]
  b2 = [-15]
}}

region plateau {{
{region}
}}

claim loss bad within 1e-9 in [{lp_lo:.4f}, {lp_hi:.4f}]
claim loss better within 1e-6 in [0, {better_hi}]
claim accuracy better within 1e-6 = 1
claim loss plateau in [{plateau_lo}, inf]
claim gap plateau > better""" + ("\nclaim trap bad in plateau\nclaim accuracy bad in plateau <= 1/2" if trap else ""))

def bce_refit(L1, L2):
    """bad's output weights (c, v1, v2) for --loss bce: the minimiser of the mean cross-entropy with the hidden units at
    bad's (W1, b1) = (L1, L2), Newton from the limit fit (convex in the output weights; float64, untrusted)."""
    Xh = np.hstack([CAND_X, np.ones((len(CAND_X), 1))])
    A = np.hstack([np.ones((len(CAND_X), 1)), sig(Xh @ L1)[:, None], sig(Xh @ L2)[:, None]])
    s1, s2 = (Xh @ CAND_LINES[0] > 0).astype(float), (Xh @ CAND_LINES[1] > 0).astype(float)
    n1, n0 = make_ups(s1[None], s2[None], CAND_Y)
    t = fit_limit(n1, n0, None)[0][0]
    for _ in range(50):
        o = sig(A @ t)
        g = A.T @ (o - CAND_Y)
        H = A.T @ (A * (o * (1 - o))[:, None])
        t = t - np.linalg.solve(H, g)
    return tuple(float(v) for v in t)


# ---------------------------------------------------------------- limit face margins (sixth attempt)
AM = np.array([[1, 0, 0], [1, 0, 1], [1, 1, 0], [1, 1, 1]], float)    # logit of cell 00, 01, 10, 11 = AM @ (c, v1, v2)


def rows_unique(S):
    """The distinct rows of a 0/1 matrix (at most 62 columns)."""
    k = S.astype(np.int64) @ (1 << np.arange(S.shape[1], dtype=np.int64))
    return S[np.unique(k, return_index=True)[1]]


def orthant_splits(X, signs, origin_rows, rng, samples=20000):
    """As cone_splits, as arrays: (interior splits, boundary splits) of one unit's closed sign orthant."""
    Xh = np.hstack([X, np.ones((len(X), 1))])
    U = np.exp(rng.uniform(-5, 5, size=(samples, 3))) * np.asarray(signs, float)
    inner = rows_unique((U @ Xh.T > 0).astype(np.int8))
    bd = []
    for k in range(3):
        V = U.copy()
        V[:, k] = 0
        S = (V @ Xh.T > 0).astype(np.int8)
        if k == 2 and origin_rows:
            S[:, list(origin_rows)] = 0
        bd.append(S)
    return inner, rows_unique(np.vstack(bd))


def grid_min(n1, n0, lo, hi, k=None, e=None, N=25):
    """Least limit loss G over the output box [lo, hi] (or its face theta_k = e) for every make-up row of n1, n0: the
    minimum over a grid of N points a side (an estimate from above)."""
    axes = [np.linspace(lo[i], hi[i], N) for i in range(3)]
    if k is not None:
        axes[k] = np.array([e])
    T = np.stack(np.meshgrid(*axes, indexing='ij'), -1).reshape(-1, 3)
    if LOSS == 'bce':
        z = T @ AM.T
        return ((softplus(-z) @ n1.T + softplus(z) @ n0.T) / (n1 + n0).sum(1)).min(0)
    o = sig(T @ AM.T)
    return ((1 - o) ** 2 @ n1.T + o ** 2 @ n0.T).min(0)


class LimitDesign:
    """A design (points, labels, the units' sign orthants, the bad lines) in the saturated limit: theta* is the limit fit of
    the bad partition pair from theta = 0 (a local minimum of G; for some make-ups G is lower at infinity), and every
    partition pair reachable in the closed orthants is reduced to its cell make-up."""

    def __init__(self, X, y, signs, lines, samples=20000, seed=1):
        rng = np.random.default_rng(seed)
        Xh = np.hstack([X, np.ones((len(X), 1))])
        s1 = (Xh @ lines[0] > 0).astype(float)
        s2 = (Xh @ lines[1] > 0).astype(float)
        n1, n0 = make_ups(s1[None], s2[None], y)
        p, G, lmin = fit_limit(n1, n0, rng, starts=1, iters=100)
        self.th, self.G, self.lmin = p[0], G[0], lmin[0]
        o = sig(self.th[0] + self.th[1] * s1 + self.th[2] * s2)
        self.acc = int(np.sum(((o > 0.5) & (y == 1)) | ((o < 0.5) & (y == 0))))
        self.margin = np.abs(o - 0.5).min()
        origin = tuple(i for i in range(len(X)) if not X[i].any())
        in1, bd1 = orthant_splits(X, signs[0], origin, rng, samples)
        in2, bd2 = orthant_splits(X, signs[1], origin, rng, samples)
        c1, c2 = np.vstack([in1, bd1]), np.vstack([in2, bd2])
        f1 = np.r_[np.zeros(len(in1), bool), np.ones(len(bd1), bool)]
        f2 = np.r_[np.zeros(len(in2), bool), np.ones(len(bd2), bool)]
        I, J = (a.ravel() for a in np.meshgrid(np.arange(len(c1)), np.arange(len(c2)), indexing='ij'))
        m1, m0 = make_ups(c1[I].astype(float), c2[J].astype(float), y)
        keys, inv = np.unique(np.hstack([m1, m0]), axis=0, return_inverse=True)
        inv = inv.ravel()
        self.boundary = np.zeros(len(keys), bool)
        np.logical_or.at(self.boundary, inv, f1[I] | f2[J])
        self.n1, self.n0, self.pairs = keys[:, :4], keys[:, 4:], len(I)

    def margins(self, below, above, N=25):
        """(least margin, least margin of the hidden faces' limits, margins of the six output faces c-, c+, v1-, ...)."""
        lo, hi = self.th - np.asarray(below), self.th + np.asarray(above)
        per = []
        for k in range(3):
            for e in (lo[k], hi[k]):
                per.append(grid_min(self.n1, self.n0, lo, hi, k, e, N).min() - self.G)
        hidden = np.inf
        if self.boundary.any():
            hidden = grid_min(self.n1[self.boundary], self.n0[self.boundary], lo, hi, N=N).min() - self.G
        return min(min(per), hidden), hidden, per

    def best_box(self, r0=0.5, step=0.1, rounds=8, N=21):
        """Coordinate search over the six offsets of the output box for the largest least margin."""
        off = np.full(6, r0)
        best = self.margins(off[:3], off[3:], N)[0]
        for _ in range(rounds):
            improved = False
            for k in range(6):
                for d in (step, -step):
                    t = off.copy()
                    t[k] = max(0.05, t[k] + d)
                    m = self.margins(t[:3], t[3:], N)[0]
                    if m > best + 1e-5:
                        off, best, improved = t, m, True
            if not improved:
                step /= 2
        return off, best


def candidate_margins(offsets):
    D = LimitDesign(CAND_X, CAND_Y, CAND_SIGNS, CAND_LINES)
    print(f"theta* = {np.round(D.th, 5).tolist()}, G* = {D.G:.7f}, lambda_min = {D.lmin:.4f}, accuracy {D.acc}/10, "
          f"{D.pairs} partition pairs ({len(D.n1)} make-ups, {int(D.boundary.sum())} on the cones' boundary)")
    if offsets is None:
        for r in (0.3, 0.4, 0.5, 0.6, 0.7):
            m, h, per = D.margins(np.full(3, r), np.full(3, r), N=41)
            print(f"  output box theta* +- {r}: least margin {m:.4f} (hidden-face limits {h:.4f}, output faces "
                  f"{np.round(per, 4).tolist()})")
        off, _ = D.best_box()
    else:
        off = np.asarray(offsets, float)
    m, h, per = D.margins(off[:3], off[3:], N=41)
    print(f"output box theta* - {off[:3].round(3).tolist()} to theta* + {off[3:].round(3).tolist()}: least margin {m:.4f} "
          f"(hidden-face limits {h:.4f}; output faces c-, c+, v1-, v1+, v2-, v2+: {np.round(per, 4).tolist()})")


CELL_KEYS = [(0, 0), (0, 1), (1, 0), (1, 1)]
PIN_ROW = np.array([[0, 0], [-0.5, 0], [-1, 0], [-1.5, 0], [-2, 0], [-2.5, 0]], float)
QUICK_BOXES = [np.r_[a, b, b, a, b, b] for a in (0.5, 0.8) for b in (0.3, 0.45, 0.6)]


def _cell(p, lines):
    h = np.r_[p, 1]
    return int(h @ lines[0] > 0), int(h @ lines[1] > 0)


def _place(rng, lines, cell, taken, tries=3000, gap=0.15):
    g = np.arange(-30, 31) / 10
    for _ in range(tries):
        p = rng.choice(g, 2)
        if p[1] == 0 and p[0] <= 0:
            continue                                   # the negative x half-axis is for the pinned points
        h = np.r_[p, 1]
        if any(abs(h @ ln) / np.linalg.norm(ln[:2]) < gap for ln in lines) or _cell(p, lines) != cell:
            continue
        if any((p == q).all() for q in taken):
            continue
        return p
    return None


def _quick(D):
    return max((D.margins(b[:3], b[3:], N=15)[0], i) for i, b in enumerate(QUICK_BOXES))


def geometry(seed, minutes, n1, n0, steps=30):
    import time
    rng = np.random.default_rng(seed)
    t0, nd = time.time(), 0
    pinned = n1[0]
    while time.time() - t0 < 60 * minutes:
        lines = (np.r_[rng.uniform(0.2, 1, 2), -rng.uniform(0.3, 1.5)],
                 np.r_[rng.uniform(0.2, 1), -rng.uniform(0.2, 1), -rng.uniform(0.3, 1.5)])
        X, y = [PIN_ROW[k] for k in range(pinned)], [1] * pinned
        for ci, cell in enumerate(CELL_KEYS):
            for lab, cnt in ((1, n1[ci] - (pinned if ci == 0 else 0)), (0, n0[ci])):
                for _ in range(cnt):
                    p = _place(rng, lines, cell, X)
                    if p is not None:
                        X.append(p)
                        y.append(lab)
        if len(X) != sum(n1) + sum(n0):
            continue
        X, y = np.array(X), np.array(y, float)
        nd += 1
        D = LimitDesign(X, y, CAND_SIGNS, lines, samples=6000)
        if D.acc > len(y) // 2:
            continue
        s, b = _quick(D)
        for _ in range(steps):
            i = rng.integers(pinned, len(y))
            p = _place(rng, lines, _cell(X[i], lines), [q for j, q in enumerate(X) if j != i])
            if p is None:
                continue
            X2 = X.copy()
            X2[i] = p
            D2 = LimitDesign(X2, y, CAND_SIGNS, lines, samples=6000)
            if D2.acc > len(y) // 2:
                continue
            s2, b2 = _quick(D2)
            if s2 > s:
                X, s, b, D = X2, s2, b2, D2
        print(f"[{time.time() - t0:.0f} s, design {nd}] least limit margin {s:.4f} (output box offsets "
              f"{QUICK_BOXES[b].tolist()}), theta* {np.round(D.th, 4).tolist()}, G* {D.G:.4f}, lambda_min {D.lmin:.3f}, "
              f"accuracy {D.acc}/{len(y)}\n  lines {[np.round(ln, 3).tolist() for ln in lines]} X {X.tolist()} "
              f"y {y.astype(int).tolist()}", flush=True)


def makeups(n=10, show=12):
    """Every make-up of n points in 4 non-empty cells, G fitted from theta = 0 (the local minimum an output box around
    theta* holds), those with accuracy <= n/2 and margin >= 0.03 at a finite strict minimum, by lambda_min of G."""
    rows = [np.array(k).reshape(4, 2) for k in itertools.product(range(5), repeat=8)]
    N = np.array([m for m in rows if m.sum() == n and (m.sum(1) > 0).all()])
    n1, n0 = N[:, :, 0].astype(float), N[:, :, 1].astype(float)
    p, G, lmin = fit_limit(n1, n0, np.random.default_rng(0), starts=1, iters=150)
    o = sig(p @ AM.T)
    acc = np.sum(np.where(o > 0.5, n1, 0) + np.where(o < 0.5, n0, 0), 1)
    marg = np.abs(o - 0.5).min(1)
    ok = (acc <= n // 2) & (marg >= 0.03) & (np.abs(p).max(1) < 20) & (lmin > 1e-4)
    print(f"{len(N)} make-ups of {n} points in 4 non-empty cells; {int(ok.sum())} with accuracy <= {n // 2} and margin >= "
          f"0.03 at a finite strict minimum of G reached from theta = 0")
    for i in np.flatnonzero(ok)[np.argsort(-lmin[ok])][:show]:
        print(f"  n1 {n1[i].astype(int).tolist()} n0 {n0[i].astype(int).tolist()}: lambda_min {lmin[i]:.4f}, accuracy "
              f"{int(acc[i])}/{n}, margin {marg[i]:.3f}, G* {G[i]:.4f}, (c, v1, v2) {np.round(p[i], 3).tolist()}")


if __name__ == '__main__':
    a = sys.argv[1:]
    if '--loss' in a:                             # --loss bce: nncert's `loss bce` (mean cross-entropy) instead of sse
        k = a.index('--loss')
        LOSS = a[k + 1]
        assert LOSS in ('sse', 'bce'), LOSS
        del a[k:k + 2]
    if '--scale' in a:                            # bad = S1 x line 1, S2 x line 2 (default 10, 40)
        k = a.index('--scale')
        CAND_BAD_SCALE = tuple(float(t) for t in a[k + 1].split(','))
        del a[k:k + 2]
    if a[0] == 'search':
        search(int(a[1]), int(a[2]))
    elif a[0] == 'candidate':
        v = [t.split('/') for t in a[2:]]          # R may be written V/C: output weights +- V, output bias +- C
        candidate(int(a[1]), [(float(v[i][0]), float(v[i + 1][0]), float(v[i + 2][0]), float(v[i + 2][-1]))
                              for i in range(0, len(v), 3)])
    elif a[0] == 'script':
        write_script(float(a[1]), float(a[2]), float(a[3]), float(a[4]) if len(a) > 4 else None)
    elif a[0] == 'margins':
        candidate_margins([float(t) for t in a[1:7]] if len(a) >= 7 else None)
    elif a[0] == 'makeups':
        makeups()
    elif a[0] == 'geometry':
        geometry(int(a[1]), float(a[2]), [int(t) for t in a[3].split(',')], [int(t) for t in a[4].split(',')])
