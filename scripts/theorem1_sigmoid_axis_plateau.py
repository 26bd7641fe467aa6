#!/usr/bin/python3
# Prototype search (untrusted, float64, NumPy/SciPy) for plateau traps of the 2-2-1 sigmoid/sigmoid network whose
# saturating units split the plane on the coordinate axes with data points ON the axes (issue 9; docs/paper.md,
# "Third attempt: axis-aligned plateaus"). Not a proof: nncert check decides every script it writes.
#
# Usage: /usr/bin/python3 scripts/theorem1_sigmoid_axis_plateau.py search SEED DATASETS sse|bce FAMILY [NMAX]
#          FAMILY: axis     10 points, 2-4 on each axis (x1 = 0 and x2 = 0), maybe the origin, the rest on the grid
#                  teacher  as axis, labels from a random 2-2-1 teacher with sharp units (a 10/10 fit exists)
#                  cells    8-10 points: 2-4 per axis (or the origin and 1-3), 0-2 per quadrant cell
#                  axes     8-10 points, all but 0-2 on the axes
#                  triples  (0,1),(0,2),(0,3) and (1,0),(2,0),(3,0) labelled 1,0,1 or 0,1,0, then 0-3 points of
#                           each label per quadrant cell, at most NMAX points in all (default 10)
#        /usr/bin/python3 scripts/theorem1_sigmoid_axis_plateau.py candidate [LO] [W]
#          the 17-point strict minimum of G found by `search 51 150 sse triples 20`, spread to distinct inputs:
#          prints G*, the Hessian spectrum, L(P) - G* along w11 = w22 = W, float estimates of every face of the
#          region (w11, w22 in [LO, inf), the other 7 coordinates theta* +- r), and the script for nncert.
#
# The limit model. Unit 1 (pre-activation w11 x1 + w12 x2 + b1) saturates as w11 -> +inf: h1 -> 1 where x1 > 0,
# 0 where x1 < 0, and stays sigmoid(w12 x2 + b1) where x1 = 0; unit 2 likewise with w22 -> +inf and x2. The limit
# loss G(v1, v2, c, w12, b1, w21, b2) depends on w12, b1 (w21, b2) only through the points on x1 = 0 (x2 = 0),
# so a face fixing one of them is not compensable by scaling the others. A trap needs a strict local minimum of
# G (Hessian positive definite) and the loss decreasing towards G as w11, w22 grow.
# A run: L-BFGS from 16 (search) starts, Newton polish, then each end is counted as `escape` (some |theta| > 30:
# the limit model saturates again), `noconv` (|grad G| > 1e-9), `degenerate` (lambda_min(H) <= 1e-6 max(1,
# lambda_max)) or `strict`; a strict minimum prints with its count of points misclassified by a margin > 1e-3.
import sys
import numpy as np
from scipy.optimize import minimize


def sig(z):
    return 0.5 * (1 + np.tanh(0.5 * z))


def G(th, X, y, loss):
    """Limit loss and gradient. th = (v1, v2, c, w12, b1, w21, b2); X (n,2) inputs, y (n,) 0/1 labels."""
    v1, v2, c, w12, b1, w21, b2 = th
    x1, x2 = X[:, 0], X[:, 1]
    on1, on2 = x1 == 0, x2 == 0
    u1, u2 = sig(w12 * x2 + b1), sig(w21 * x1 + b2)
    h1 = np.where(x1 > 0, 1.0, np.where(on1, u1, 0.0))
    h2 = np.where(x2 > 0, 1.0, np.where(on2, u2, 0.0))
    z = v1 * h1 + v2 * h2 + c
    o = sig(z)
    if loss == 'sse':
        val, d = np.sum((o - y) ** 2), 2 * (o - y) * o * (1 - o)
    else:
        val, d = np.sum(np.logaddexp(0, z) - y * z), o - y
    t1 = np.where(on1, d * v1 * u1 * (1 - u1), 0.0)
    t2 = np.where(on2, d * v2 * u2 * (1 - u2), 0.0)
    g = np.array([np.sum(d * h1), np.sum(d * h2), np.sum(d), np.sum(t1 * x2), np.sum(t1),
                  np.sum(t2 * x1), np.sum(t2)])
    return val, g


def G_out(th, X):
    v1, v2, c, w12, b1, w21, b2 = th
    x1, x2 = X[:, 0], X[:, 1]
    h1 = np.where(x1 > 0, 1.0, np.where(x1 == 0, sig(w12 * x2 + b1), 0.0))
    h2 = np.where(x2 > 0, 1.0, np.where(x2 == 0, sig(w21 * x1 + b2), 0.0))
    return sig(v1 * h1 + v2 * h2 + c)


def hessian(th, X, y, loss, h=1e-5):
    H = np.zeros((7, 7))
    for i in range(7):
        e = np.zeros(7)
        e[i] = h
        H[:, i] = (G(th + e, X, y, loss)[1] - G(th - e, X, y, loss)[1]) / (2 * h)
    return 0.5 * (H + H.T)


def newton(th, X, y, loss, steps=15):
    for _ in range(steps):
        try:
            step = np.linalg.solve(hessian(th, X, y, loss), G(th, X, y, loss)[1])
        except np.linalg.LinAlgError:
            break
        th = th - step
        if not np.all(np.isfinite(th)) or np.max(np.abs(step)) < 1e-14:
            break
    return th


def full(w11, w22, th):
    """nncert's parameter order: W1 = [[w11, w12], [w21, w22]], b1, W2 = [[v1, v2]], b2 = [c]."""
    v1, v2, c, w12, b1, w21, b2 = th
    return np.array([w11, w12, w21, w22, b1, b2, v1, v2, c])


def L(p, X, y, loss='sse'):
    w11, w12, w21, w22, b1, b2, v1, v2, c = p
    h1 = sig(w11 * X[:, 0] + w12 * X[:, 1] + b1)
    h2 = sig(w21 * X[:, 0] + w22 * X[:, 1] + b2)
    z = v1 * h1 + v2 * h2 + c
    return np.sum((sig(z) - y) ** 2) if loss == 'sse' else np.sum(np.logaddexp(0, z) - y * z)


GRID = np.array([-3, -2.5, -2, -1.5, -1, -0.5, 0.5, 1, 1.5, 2, 2.5, 3])
CELL = {(1, 1): (1., 1.), (0, 1): (-1., 1.), (1, 0): (1., -1.), (0, 0): (-1., -1.)}


def dataset(rng, family, nmax):
    """One dataset of the family: X (n,2), y (n,). Quadrant points of `cells`/`triples` sit at (+-1, +-1):
    G depends on a quadrant point only through its quadrant, so repeats are the same limit problem."""
    if family in ('axis', 'teacher'):
        while True:
            k1, k2, org = rng.integers(2, 5), rng.integers(2, 5), rng.random() < 0.3
            pts = set()
            while len(pts) < k1:
                pts.add((0.0, float(rng.choice(GRID))))
            while len(pts) < k1 + k2:
                pts.add((float(rng.choice(GRID)), 0.0))
            if org:
                pts.add((0.0, 0.0))
            while len(pts) < 10:
                pts.add((float(rng.choice(GRID)), float(rng.choice(GRID))))
            X = np.array(sorted(pts))
            if family == 'axis':
                return X, rng.integers(0, 2, len(X)).astype(float)
            A = rng.normal(size=(2, 2))
            A /= np.linalg.norm(A, axis=1, keepdims=True)
            B = rng.uniform(-2, 2, 2)
            v = rng.choice([-1, 1], 2) * rng.uniform(1, 2, 2)
            c = -0.5 * v.sum() + rng.choice([-1, 1]) * 0.5 * np.abs(v).min()
            m = X @ A.T + B
            z = c + (m > 0).astype(float) @ v
            if np.min(np.abs(m)) >= 0.15 and np.min(np.abs(z)) >= 0.2 and 3 <= np.sum(z > 0) <= 7:
                return X, (z > 0).astype(float)
    if family == 'cells':
        while True:
            pts = []
            if rng.random() < 0.5:
                pts.append((0., 0.))
            lp = GRID[np.abs(GRID) <= 2]
            for ax in (0, 1):
                for p in rng.choice(lp, rng.integers(2 if pts else 3, 5), replace=False):
                    pts.append((0., p) if ax == 0 else (p, 0.))
            for pos in CELL.values():
                pts += [pos] * int(rng.integers(0, 3))
            if 8 <= len(pts) <= 10:
                return np.array(pts), rng.integers(0, 2, len(pts)).astype(float)
    if family == 'axes':
        n, nq = int(rng.integers(8, 11)), int(rng.integers(0, 3))
        pts = [(0., 0.)] if rng.random() < 0.5 else []
        k1 = int(rng.integers(3, n - nq - len(pts) - 2)) if n - nq - len(pts) - 2 > 3 else 3
        pts += [(0., p) for p in rng.choice(GRID, k1, replace=False)]
        pts += [(p, 0.) for p in rng.choice(GRID, n - nq - len(pts), replace=False)]
        pts += [(rng.choice([-1., 1.]), rng.choice([-1., 1.])) for _ in range(nq)]
        return np.array(pts), rng.integers(0, 2, len(pts)).astype(float)
    if family == 'triples':
        while True:
            pts, ys = [], []
            l1, l2 = rng.choice([[1, 0, 1], [0, 1, 0]]), rng.choice([[1, 0, 1], [0, 1, 0]])
            for i, p in enumerate([1., 2., 3.]):
                pts += [(0., p), (p, 0.)]
                ys += [l1[i], l2[i]]
            for pos in CELL.values():
                n1, n0 = rng.integers(0, 4), rng.integers(0, 4)
                pts += [pos] * int(n1 + n0)
                ys += [1] * int(n1) + [0] * int(n0)
            if len(pts) <= nmax:
                return np.array(pts), np.array(ys, float)
    raise SystemExit('unknown family ' + family)


def search(seed, ndatasets, loss, family, nmax):
    rng = np.random.default_rng(seed)
    outcomes = {'escape': 0, 'noconv': 0, 'degenerate': 0, 'strict': 0}
    unique = 0
    for ds in range(ndatasets):
        X, y = dataset(rng, family, nmax)
        seen = []
        for s in range(16):
            th0 = rng.normal(0, 2, 7)
            if s % 2 == 0:          # half the starts flat on the axes' points (w12 = w21 = 0)
                th0[3] = th0[5] = 0
            r = minimize(lambda t: G(t, X, y, loss), th0, jac=True, method='L-BFGS-B',
                         options={'maxiter': 2000, 'gtol': 1e-11})
            th = r.x if np.max(np.abs(r.x)) <= 30 else None
            th = newton(th, X, y, loss) if th is not None else None
            if th is None or not np.all(np.isfinite(th)) or np.max(np.abs(th)) > 30:
                outcomes['escape'] += 1
                continue
            val, g = G(th, X, y, loss)
            if np.max(np.abs(g)) > 1e-9:
                outcomes['noconv'] += 1
                continue
            lam = np.linalg.eigvalsh(hessian(th, X, y, loss))
            if lam[0] <= 1e-6 * max(1, lam[-1]):
                outcomes['degenerate'] += 1
                continue
            outcomes['strict'] += 1
            if any(np.allclose(th, t, atol=1e-5) for t in seen):
                continue
            seen.append(th)
            unique += 1
            o = G_out(th, X)
            wrong = int(np.sum(((o > 0.5) != (y > 0.5)) & (np.abs(o - 0.5) > 1e-3)))
            print(f'MIN dataset {ds} n {len(y)} wrong {wrong} G {val:.6f} lambda {lam[0]:.3g}..{lam[-1]:.3g}'
                  f' theta {np.round(th, 6).tolist()}')
            print(f'    X {X.tolist()} y {y.astype(int).tolist()}', flush=True)
    print(f'seed {seed} {ndatasets} datasets {loss} {family}: runs {outcomes}, distinct strict minima {unique}')


# The candidate: `search 51 150 sse triples 20` dataset 70 (17 points), quadrant points spread so that in each
# quadrant the point nearest to each axis is the one the saturation helps (docs/paper.md): distance 1/2 from the
# axis, every other off-axis point at distance >= 1.
CAND = [((0, 1), 0), ((0, 2), 1), ((0, 3), 0), ((1, 0), 0), ((2, 0), 1), ((3, 0), 0),
        ((0.5, 0.5), 0), ((1.5, 1.5), 1), ((2, 1), 0), ((1, 2), 0),
        ((-0.5, 2), 1), ((-2, 0.5), 0),
        ((0.5, -2), 0), ((2, -0.5), 1), ((1.5, -1.5), 1), ((2.5, -1), 1), ((1, -3), 0)]
CAND_TH = [-1.0986122886681093, -1.5040773967762735, 1.5040773967762737, 0, 0.5362075351362182, 0,
           0.9967682833345793]
CAND_R = [0.17, 0.14, 0.19, 0.3, 0.8, 0.24, 0.65]     # half-widths of the 7 bounded ranges


def candidate(lo, W):
    X = np.array([p for p, _ in CAND], float)
    y = np.array([lab for _, lab in CAND], float)
    th = newton(np.array(CAND_TH), X, y, 'sse', 30)
    val, g = G(th, X, y, 'sse')
    H = hessian(th, X, y, 'sse')
    print(f'G* = {val:.15f}  |grad| = {np.max(np.abs(g)):.1e}  Hessian eigenvalues {np.linalg.eigvalsh(H)}')
    print('outputs at the limit', np.round(G_out(th, X), 4).tolist())
    for w in (5, 10, 15, 20, 30, 40):
        print(f'L(w11 = w22 = {w}) - G* = {L(full(w, w, th), X, y) - val:.3e}')
    LP = L(full(W, W, th), X, y)
    rng = np.random.default_rng(0)
    names = ['W2[1,1]', 'W2[1,2]', 'b2[1]', 'W1[1,2]', 'b1[1]', 'W1[2,1]', 'b1[2]']
    r = np.array(CAND_R)
    box = [(th[j] - r[j], th[j] + r[j]) for j in range(7)]

    def lowest(fix):     # projected L-BFGS from 8 starts on a face; fix: dict coordinate -> value
        best = np.inf
        for _ in range(8):
            x0 = np.concatenate([[lo + rng.uniform(0, 20), lo + rng.uniform(0, 20)], th + rng.uniform(-1, 1, 7) * r])
            bnds = [(lo, 300), (lo, 300)] + box
            for k, v in fix.items():
                bnds[k] = (v, v)
                x0[k] = v
            res = minimize(lambda x: L(full(x[0], x[1], x[2:]), X, y), x0, bounds=bnds, method='L-BFGS-B')
            best = min(best, res.fun)
        return best - LP
    print(f'L(P) - G* = {LP - val:.3e} (P: w11 = w22 = {W})')
    print(f'face W1[1,1] = {lo}: lowest estimate - L(P) = {lowest({0: lo}):.3e}')
    print(f'face W1[2,2] = {lo}: lowest estimate - L(P) = {lowest({1: lo}):.3e}')
    for k in range(7):
        print(f'faces {names[k]} = theta*-r, theta*+r: {lowest({2 + k: box[k][0]}):.3e}, '
              f'{lowest({2 + k: box[k][1]}):.3e}')
    print(script(th, lo, W))


def script(th, lo, W):
    """The nncert script of the candidate: data, network, the point P (w11 = w22 = W, w12 = w21 = 0, the rest
    theta* to 16 decimals) and the region (w11, w22 in [lo, inf), the rest theta* +- CAND_R to 6 decimals)."""
    v1, v2, c, w12, b1, w21, b2 = th
    r = CAND_R
    rng_ = lambda x, h: f'[{x - h:.6f}, {x + h:.6f}]'
    out = ['nncert 1', 'data {'] + [f'  {p[0]:g}, {p[1]:g} -> {lab}' for p, lab in CAND] + ['}', '',
           'network {', '  input 2', '  dense 2 sigmoid', '  dense 1 sigmoid', '}', '', 'loss sse',
           'classify threshold 1/2', '', 'point bad {', f'  W1 = [[{W:g}, 0], [0, {W:g}]]',
           f'  b1 = [{b1:.16f}, {b2:.16f}]', f'  W2 = [[{v1:.16f}, {v2:.16f}]]', f'  b2 = [{c:.16f}]', '}', '',
           'region plateau {', f'  W1[1,1] in [{lo:g}, inf]', f'  W1[1,2] in {rng_(0, r[3])}',
           f'  W1[2,1] in {rng_(0, r[5])}', f'  W1[2,2] in [{lo:g}, inf]', f'  b1[1] in {rng_(b1, r[4])}',
           f'  b1[2] in {rng_(b2, r[6])}', f'  W2[1,1] in {rng_(v1, r[0])}', f'  W2[1,2] in {rng_(v2, r[1])}',
           f'  b2[1] in {rng_(c, r[2])}', '}', '', 'claim trap bad in plateau']
    return '\n'.join(out)


if __name__ == '__main__':
    if len(sys.argv) >= 6 and sys.argv[1] == 'search':
        search(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5],
               int(sys.argv[6]) if len(sys.argv) > 6 else 10)
    elif len(sys.argv) >= 2 and sys.argv[1] == 'candidate':
        candidate(float(sys.argv[2]) if len(sys.argv) > 2 else 10, float(sys.argv[3]) if len(sys.argv) > 3 else 40)
    else:
        raise SystemExit(__doc__ if __doc__ else 'see the header of this file for the usage')
