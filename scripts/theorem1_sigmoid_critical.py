#!/usr/bin/python3
# Prototype search (untrusted, float64, NumPy) for finite critical points of the 2-2-1 sigmoid/sigmoid network
# on 10 points in the plane with 0/1 labels (issue 9; docs/paper.md, "With a sigmoid output"). Not a proof.
#
# Usage: /usr/bin/python3 scripts/theorem1_sigmoid_critical.py SEED DATASETS sse|bce random|pairs|pairs4|perturb|small
#        /usr/bin/python3 scripts/theorem1_sigmoid_critical.py homotopy
#        /usr/bin/python3 scripts/theorem1_sigmoid_critical.py single
#        /usr/bin/python3 scripts/theorem1_sigmoid_critical.py clusters SEED DATASETS sse|bce
#        /usr/bin/python3 scripts/theorem1_sigmoid_critical.py homotopy-batch SEED DATASETS random|perturb
# Sweep: for each dataset of the family, 2 x 600 random starts (weights uniform in [-2, 2] and in [-5, 5]),
#   150 Levenberg-Marquardt steps on |grad L|^2 (matrix H^2 + mu I: converges to critical points of any Morse
#   index, so it is not pulled onto saturation plateaus as descent is); keeps iterates with |grad|_inf < 1e-11
#   and |w| < 20, counts them by Morse index, prints MIN when lambda_min(H) > 1e-7 max(1, lambda_max).
# Homotopy: follows theorem1.nnc's linear-output bad minimum through targets 1/2 + t (y - 1/2), t = 0.02 .. 1, with
#   a sigmoid output (near t = 0 the sigmoid is almost linear) and prints where it escapes to infinity.
# Single: the same critical-point search for one sigmoid neuron on 3 to 10 random features in [0,1]^2 (contrast).
import numpy as np, sys, time
from collections import Counter
def sig(z): return 0.5*(1+np.tanh(0.5*z))
IDX = [[0,1,4],[2,3,5]]
def evaluate(P, X, Y, loss='sse'):
    """P: (B,9). returns L (B,), g (B,9), H (B,9,9)"""
    B = P.shape[0]; n = X.shape[0]
    xi = np.concatenate([X, np.ones((n,1))], 1)  # n,3
    W = [P[:, IDX[j]] for j in range(2)]  # B,3
    z = [W[j] @ xi.T for j in range(2)]  # B,n
    a = [sig(zj) for zj in z]
    s = [aj*(1-aj) for aj in a]
    s2 = [sj*(1-2*aj) for sj,aj in zip(s,a)]
    u = P[:,6:7]*a[0] + P[:,7:8]*a[1] + P[:,8:9]
    f = sig(u)
    if loss == 'sse':
        fp = f*(1-f)
        l = (f-Y)**2; l1 = 2*(f-Y)*fp; l2 = 2*(fp*fp + (f-Y)*fp*(1-2*f))
    else:
        l = np.logaddexp(0,u) - Y*u; l1 = f-Y; l2 = f*(1-f)
    L = l.sum(1)
    du = np.zeros((B, n, 9))
    for j in range(2):
        for k in range(3):
            du[:,:,IDX[j][k]] = P[:,6+j:7+j]*s[j]*xi[None,:,k]
    du[:,:,6] = a[0]; du[:,:,7] = a[1]; du[:,:,8] = 1
    g = np.einsum('bn,bni->bi', l1, du)
    H = np.einsum('bn,bni,bnk->bik', l2, du, du)
    for j in range(2):
        c2 = l1*P[:,6+j:7+j]*s2[j]
        blk = np.einsum('bn,nk,nm->bkm', c2, xi, xi)
        ix = IDX[j]
        H[:, np.ix_(ix,ix)[0], np.ix_(ix,ix)[1]] += blk
        c = np.einsum('bn,nk->bk', l1*s[j], xi)
        H[:, ix, 6+j] += c; H[:, 6+j, ix] += c
    return L, g, H

def loss_only(P, X, Y, loss='sse'):
    return evaluate(P, X, Y, loss)[0]

def acc(X, Y, p):
    a = sig(X @ p[[0,1]] + p[4]); b = sig(X @ p[[2,3]] + p[5])
    u = p[6]*a + p[7]*b + p[8]
    return int(((u > 0) == (Y > 0.5)).sum())

def crit_search(X, Y, nstart, seed, loss='sse', iters=150, scale=3.0, init=None, noise=None):
    rng = np.random.default_rng(seed)
    if init is None:
        P = rng.uniform(-scale, scale, (nstart, 9))
    else:
        P = init[None,:] + rng.normal(0, noise, (nstart, 9))
    mu = np.full(nstart, 1e-3)
    I = np.eye(9)
    L, G, H = evaluate(P, X, Y, loss)
    gn = (G**2).sum(1)
    for it in range(iters):
        HH = H @ H
        sc = np.trace(HH, axis1=1, axis2=2)/9 + 1e-300
        A = HH + (mu*sc)[:,None,None]*I
        rhs = -(H @ G[:,:,None])
        step = np.linalg.solve(A, rhs)[:,:,0]
        Pt = P + step
        Lt, Gt, Ht = evaluate(Pt, X, Y, loss)
        gt = (Gt**2).sum(1)
        ok = np.isfinite(gt) & (gt < gn) & (np.abs(Pt).max(1) < 40)
        P = np.where(ok[:,None], Pt, P); G = np.where(ok[:,None], Gt, G)
        H = np.where(ok[:,None,None], Ht, H); L = np.where(ok, Lt, L); gn = np.where(ok, gt, gn)
        mu = np.where(ok, mu/3, mu*4).clip(1e-13, 1e10)
    gi = np.abs(G).max(1)
    ev = np.linalg.eigvalsh(H)
    return P, gi, ev, L


def sweep(seed0, ndata, loss, fam):
    rng = np.random.default_rng(seed0)
    base = [(2.41,-2.59,1),(-0.1,-1.69,0),(1.12,1.23,0),(-2.54,-0.01,0),(-0.1,-1.68,1),(-0.37,-1.99,1),(1.48,1.84,1),(0.1,1.11,0),(2.25,-2.62,0),(0.09,1.05,1)]
    idx=Counter()
    found = []; nc = 0; t0=time.time()
    for d in range(ndata):
        if fam == 'random':
            X = np.round(rng.uniform(-3,3,(10,2)),2); Y = rng.integers(0,2,10).astype(float)
        elif fam == 'pairs':
            k = rng.integers(1,4)
            X = np.round(rng.uniform(-3,3,(10,2)),2); Y = rng.integers(0,2,10).astype(float)
            for j in range(k):
                X[2*j+1] = X[2*j] + np.round(rng.normal(0,0.05,2),2); Y[2*j+1] = 1-Y[2*j]
        elif fam == 'pairs4':
            k = rng.integers(3,5)
            X = np.round(rng.uniform(-3,3,(10,2)),2); Y = rng.integers(0,2,10).astype(float)
            for j in range(k):
                X[2*j+1] = X[2*j] + rng.choice([-1,1],2)*rng.integers(0,3,2)/100; Y[2*j+1] = 1-Y[2*j]
        elif fam == 'perturb':
            X = np.array([[a,b] for a,b,c in base]) + np.round(rng.normal(0,0.3,(10,2)),2); Y = np.array([float(c) for a,b,c in base])
        elif fam == 'small':
            X = np.round(rng.uniform(-1,1,(10,2)),2); Y = rng.integers(0,2,10).astype(float)
        if len(set(map(tuple,X))) < 10: continue
        for sc in (2.0, 5.0):
            P, gi, ev, Lp = crit_search(X, Y, 600, seed0*1000+d, loss=loss, iters=150, scale=sc)
            m = (gi < 1e-11) & (np.abs(P).max(1) < 20)
            nc += int(m.sum())
            for i in np.nonzero(m)[0]: idx[int((ev[i]<-1e-9*max(1,ev[i,-1])).sum())]+=1
            for i in np.nonzero(m & (ev[:,0] > 1e-7*np.maximum(1,ev[:,-1])))[0]:
                found.append((X.copy(), Y.copy(), P[i].copy(), float(Lp[i]), acc(X,Y,P[i]), float(ev[i,0])))
                print('MIN', d, fam, Lp[i], acc(X,Y,P[i]), ev[i,0], np.abs(P[i]).max(), flush=True)
        print('dataset', d, 'crit', nc, 'mins', len(found), f'{time.time()-t0:.0f}s', sorted(idx.items()), flush=True)


def homotopy():
    data = [(2.41,-2.59,1),(-0.1,-1.69,0),(1.12,1.23,0),(-2.54,-0.01,0),(-0.1,-1.68,1),(-0.37,-1.99,1),(1.48,1.84,1),(0.1,1.11,0),(2.25,-2.62,0),(0.09,1.05,1)]
    X = np.array([[a,b] for a,b,c in data]); Y = np.array([float(c) for a,b,c in data])
    bad = np.array([-0.66369767121097949012, -1.8106776436026966758, -1.9767572643876053249, 6.8673656615056094727,-4.1936707155895018872, -7.1378106666188078622,2.8664423520329672596, 1.2975526360620639325,-0.24635532377916712998])
    def newton_min(p, Yt, iters=100):
        P = p[None,:].copy(); mu=1e-6
        L,G,H = evaluate(P,X,Yt)
        for it in range(iters):
            if np.abs(G).max() < 1e-13: break
            ev = np.linalg.eigvalsh(H[0])
            s = np.linalg.solve(H[0] + max(mu, -ev[0]+mu)*np.eye(9), -G[0])
            Pt = P + s[None,:]
            Lt,Gt,Ht = evaluate(Pt,X,Yt)
            if Lt[0] <= L[0] + 1e-15:
                P,L,G,H = Pt,Lt,Gt,Ht; mu = max(mu/3,1e-12)
            else: mu*=4
        ev = np.linalg.eigvalsh(H[0])
        return P[0], L[0], np.abs(G).max(), ev
    t = 0.02
    p = bad.copy(); p[6:8] *= 4*t; p[8] = 4*t*(p[8]-0.5)
    ts = list(np.linspace(0.02, 1, 500))
    path = []
    for t in ts:
        Yt = 0.5 + t*(Y-0.5)
        p, L, g, ev = newton_min(p, Yt)
        path.append((t, L, ev[0], np.abs(p).max(), acc(X,Y,p)))
        if abs(round(t*500)) % 25 == 0 or ev[0] < 1e-8:
            print(f"t={t:.3f} L={L:.6f} g={g:.1e} eigmin={ev[0]:.2e} wmax={np.abs(p).max():.2f} acc={acc(X,Y,p)}")
        if np.abs(p).max() > 60: print('diverged', t); break
    print(repr(p))
    return path

def single():
    rng = np.random.default_rng(0)
    def sig(z): return 0.5*(1+np.tanh(0.5*z))
    c = Counter(); mins=[]
    for d in range(3000):
        n = rng.integers(3,11)
        A = np.concatenate([rng.uniform(0,1,(n,2)), np.ones((n,1))],1)  # features in (0,1)^2 + bias
        Y = rng.integers(0,2,n).astype(float)
        W = rng.uniform(-6,6,(200,3)); mu = np.full(200,1e-3)
        def ev(W):
            u = W@A.T; f = sig(u); fp=f*(1-f); r=f-Y
            l1 = 2*r*fp; l2 = 2*(fp*fp + r*fp*(1-2*f))
            g = l1@A; H = np.einsum('bn,ni,nk->bik', l2, A, A)
            return g,H
        g,H = ev(W); gn=(g**2).sum(1)
        for it in range(100):
            HH = H@H; sc=np.trace(HH,axis1=1,axis2=2)/3+1e-300
            s = np.linalg.solve(HH+(mu*sc)[:,None,None]*np.eye(3), -(H@g[:,:,None]))[:,:,0]
            Wt=W+s; gt,Ht=ev(Wt); gtn=(gt**2).sum(1)
            ok=np.isfinite(gtn)&(gtn<gn)&(np.abs(Wt).max(1)<60)
            W=np.where(ok[:,None],Wt,W); g=np.where(ok[:,None],gt,g); H=np.where(ok[:,None,None],Ht,H); gn=np.where(ok,gtn,gn)
            mu=np.where(ok,mu/3,mu*4).clip(1e-13,1e10)
        e = np.linalg.eigvalsh(H)
        m = (np.abs(g).max(1)<1e-11)&(np.abs(W).max(1)<30)
        for i in np.nonzero(m)[0]:
            k=int((e[i]<-1e-9*max(1,e[i,-1])).sum()); c[k]+=1
            if k==0 and e[i,0]>1e-7*max(1,e[i,-1]): mins.append((d,n,W[i]))
    print(sorted(c.items()), len(mins), mins[:3])

def newton_descent(P, X, Y, iters, lim=60.0, loss='sse', mu0=1e-3):
    """Batched damped Newton descent on L (shift max(mu, mu - lambda_min) I, so it never climbs): P (B,9)."""
    B = P.shape[0]; mu = np.full(B, mu0); I = np.eye(9)
    L, G, H = evaluate(P, X, Y, loss)
    for it in range(iters):
        ev = np.linalg.eigvalsh(H); sh = np.maximum(mu, -ev[:,0] + mu)
        s = np.linalg.solve(H + sh[:,None,None]*I, -G[:,:,None])[:,:,0]
        Pt = P + s; Lt, Gt, Ht = evaluate(Pt, X, Y, loss)
        ok = np.isfinite(Lt) & (Lt <= L + 1e-15) & (np.abs(Pt).max(1) < lim)
        P = np.where(ok[:,None], Pt, P); L = np.where(ok, Lt, L); G = np.where(ok[:,None], Gt, G)
        H = np.where(ok[:,None,None], Ht, H); mu = np.where(ok, mu/3, mu*4).clip(1e-12, 1e8)
    return P, L, np.abs(G).max(1), np.linalg.eigvalsh(H)

def clusters(seed, ndata, loss):
    """Mixed-label clusters (no input can be fitted to 0/1 without splitting its cluster): sizes 3,3,2,2 / 4,3,3 /
    3,3,4 / 2,2,2,2,2 / 3,2,3,2, centres uniform in [-3,3]^2, spread N(0, s) with s in {0.02,0.05,0.1,0.2}, each
    cluster's labels as balanced as its size allows; 300 starts uniform in [-3,3]^9, 300 damped Newton descent
    steps; a finite strict minimum is |grad|_inf < 1e-9, |w| < 30, lambda_min > 1e-6 max(1, lambda_max)."""
    rng = np.random.default_rng(seed); t0 = time.time(); nmin = 0; ends = Counter()
    SZ = [[3,3,2,2],[4,3,3],[3,3,4],[2,2,2,2,2],[3,2,3,2]]
    for d in range(ndata):
        sizes = SZ[rng.integers(len(SZ))]; sp = rng.choice([0.02,0.05,0.1,0.2]); X = []; Y = []
        for k in sizes:
            c = rng.uniform(-3,3,2)
            lab = np.array([0]*(k//2) + [1]*(k-k//2)); rng.shuffle(lab)
            if rng.random() < 0.5: lab = 1-lab
            for j in range(k): X.append(c + rng.normal(0,sp,2)); Y.append(lab[j])
        X = np.round(np.array(X),2); Y = np.array(Y,float)
        if len(set(map(tuple,X))) < 10: continue
        P, L, gi, ev = newton_descent(rng.uniform(-3,3,(300,9)), X, Y, 300, loss=loss)
        m = (gi < 1e-9) & (np.abs(P).max(1) < 30) & (ev[:,0] > 1e-6*np.maximum(1, ev[:,-1]))
        ends['finite strict min'] += int(m.sum()); ends['|w| >= 30 at the end'] += int((np.abs(P).max(1) >= 30).sum())
        if m.any():
            nmin += 1
            print('MIN dataset', d, 'losses', sorted(set(np.round(L[m],6)))[:6], 'accuracies',
                  sorted(set(acc(X,Y,P[i]) for i in np.nonzero(m)[0])), 'best run accuracy', max(acc(X,Y,q) for q in P), flush=True)
        print('dataset', d, 'datasets with a finite strict min', nmin, dict(ends), f'{time.time()-t0:.0f}s', flush=True)

def homotopy_batch(seed, ndata, fam):
    """Soft-target continuation on many datasets: strict minima of the sigmoid-output net for targets
    1/2 + t (y - 1/2) at t = 0.1 (300 starts, 200 Newton descent steps), deduplicated by loss, followed in steps
    of 0.025 to t = 1 (40 steps each); a minimum dies when |grad|_inf >= 1e-9, lambda_min <= 1e-10 or |w| >= 50.
    fam: random (as sweep) or perturb (theorem1.nnc's points moved by N(0, 0.3))."""
    rng = np.random.default_rng(seed); t0 = time.time(); surv = 0
    base = [(2.41,-2.59,1),(-0.1,-1.69,0),(1.12,1.23,0),(-2.54,-0.01,0),(-0.1,-1.68,1),(-0.37,-1.99,1),(1.48,1.84,1),(0.1,1.11,0),(2.25,-2.62,0),(0.09,1.05,1)]
    for d in range(ndata):
        if fam == 'perturb':
            X = np.array([[a,b] for a,b,c in base]) + np.round(rng.normal(0,0.3,(10,2)),2); Y = np.array([float(c) for a,b,c in base])
        else:
            X = np.round(rng.uniform(-3,3,(10,2)),2); Y = rng.integers(0,2,10).astype(float)
        t = 0.1; P, L, gi, ev = newton_descent(rng.uniform(-3,3,(300,9)), X, 0.5+t*(Y-0.5), 200, mu0=1e-6)
        m = (gi < 1e-10) & (ev[:,0] > 1e-9)
        if not m.any(): print('dataset', d, 'no strict minimum at t = 0.1', flush=True); continue
        P = P[m]; _, ui = np.unique(np.round(L[m],9), return_index=True); P = P[ui]
        alive = np.ones(len(P), bool); last = np.full(len(P), t); keep = P.copy()
        for t in np.arange(0.125, 1.0001, 0.025):
            Q, L, gi, ev = newton_descent(P, X, 0.5+t*(Y-0.5), 40, mu0=1e-6)
            ok = (gi < 1e-9) & (ev[:,0] > 1e-10) & (np.abs(Q).max(1) < 50)
            alive &= ok; P = np.where(alive[:,None], Q, P); last[alive] = t
            if not alive.any(): break
        i = int(np.argmax(last))
        print('dataset', d, 'minima at t = 0.1:', len(P), 'last t each survived:', np.round(np.sort(last),3),
              'the longest: accuracy', acc(X,Y,P[i]), 'of', len(Y), '|w|max', round(float(np.abs(P[i]).max()),1), f'{time.time()-t0:.0f}s', flush=True)
        if alive.any(): surv += 1; print('SURVIVOR to t = 1', d, flush=True)
    print('done: datasets with a minimum surviving to t = 1:', surv)

if __name__ == "__main__":
    if sys.argv[1:2] == ["clusters"]:
        clusters(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
    elif sys.argv[1:2] == ["homotopy-batch"]:
        homotopy_batch(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
    elif sys.argv[1:2] == ["homotopy"]:
        homotopy()
    elif sys.argv[1:2] == ["single"]:
        single()
    else:
        sweep(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4])
