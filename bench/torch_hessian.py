#!/usr/bin/env python3
# The non-rigorous side of the interval benchmark: trains a 1-H-1 tanh network (sse) on N points of
# y = sin(x) in float64 (PyTorch), times its full Hessian and eigenvalues, and writes the problem as an .nnc.
#   /usr/bin/python3 bench/torch_hessian.py H N OUT.nnc     (default 166 1000: 499 parameters)
import math, sys, time
import torch

torch.set_default_dtype(torch.float64)
H = int(sys.argv[1]) if len(sys.argv) > 1 else 166
N = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
out = sys.argv[3] if len(sys.argv) > 3 else "large_tanh.nnc"
# Data: x_i = -3 + 6 i / (N - 1) exactly (written as fractions), y_i = sin(x_i) rounded to 1e-6.
xs = [(-3 * (N - 1) + 6 * i, N - 1) for i in range(N)]
X = torch.tensor([a / b for a, b in xs])
ys = [round(math.sin(a / b) * 10**6) for a, b in xs]
Y = torch.tensor([y / 10**6 for y in ys])

def loss(p):
    w, b, v, c = p[:H], p[H:2 * H], p[2 * H:3 * H], p[3 * H]
    return (((torch.tanh(X[:, None] * w + b) * v).sum(1) + c - Y) ** 2).sum()

torch.manual_seed(0)
p = torch.cat([torch.randn(H), torch.randn(H) * 2, torch.randn(H) / H, torch.zeros(1)]).requires_grad_()
opt = torch.optim.LBFGS([p], lr=1, max_iter=20000, tolerance_grad=1e-13, tolerance_change=0, history_size=50,
                        line_search_fn="strong_wolfe")
t0 = time.time()
def closure():
    opt.zero_grad()
    l = loss(p)
    l.backward()
    return l
opt.step(closure)
g = torch.autograd.grad(loss(p), p)[0]
print(f"trained: loss {loss(p).item():.6g}, max |grad| {g.abs().max().item():.3g}, {time.time() - t0:.1f} s")

t0 = time.time()
h = torch.autograd.functional.hessian(loss, p.detach())
t1 = time.time()
e = torch.linalg.eigvalsh(h)
t2 = time.time()
print(f"hessian {3 * H + 1}x{3 * H + 1}: {t1 - t0:.2f} s; eigvalsh: {t2 - t1:.2f} s; total {t2 - t0:.2f} s")
print(f"eigenvalues: min {e[0].item():.3g}, next {e[1].item():.3g}, max {e[-1].item():.3g}")

q = p.detach().tolist()
with open(out, "w") as f:
    f.write(f"# 1-{H}-1 tanh network on {N} points of sin(x), trained by bench/torch_hessian.py (LBFGS, float64)\n")
    f.write("nncert 1\n\ndata {\n")
    for (a, b), y in zip(xs, ys):
        f.write(f"  {a}/{b} -> {y}/1000000\n")
    f.write(f"}}\n\nnetwork {{\n  input 1\n  dense {H} tanh\n  dense 1 identity\n}}\n\nloss sse\n\npoint P {{\n")
    f.write("  W1 = [" + ", ".join(f"[{x!r}]" for x in q[:H]) + "]\n")
    f.write("  b1 = [" + ", ".join(repr(x) for x in q[H:2 * H]) + "]\n")
    f.write("  W2 = [[" + ", ".join(repr(x) for x in q[2 * H:3 * H]) + "]]\n")
    f.write(f"  b2 = [{q[3 * H]!r}]\n}}\n\nclaim strict_local_min P within 1e-8\n")
print("wrote", out)
