#!/usr/bin/python3
# Prototype search (untrusted, float64, NumPy) for finite critical points of the 2-2-1 sigmoid/sigmoid network
# on 10 points in the plane with 0/1 labels (issue 9; docs/paper.md, "With a sigmoid output"). Not a proof.
#
# Usage: /usr/bin/python3 scripts/theorem1_sigmoid_critical.py SEED DATASETS sse|bce random|pairs|pairs4|perturb|small
#        /usr/bin/python3 scripts/theorem1_sigmoid_critical.py homotopy
#        /usr/bin/python3 scripts/theorem1_sigmoid_critical.py single
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

if __name__ == "__main__":
    if sys.argv[1:2] == ["homotopy"]:
        homotopy()
    elif sys.argv[1:2] == ["single"]:
        single()
    else:
        sweep(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4])
