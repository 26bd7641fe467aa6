#!/usr/bin/python3
# Trains the networks whose traps proofs/traps/plain-*.nnc certify: plain float64 PyTorch training with NO weight
# decay or other regulariser (SGD with momentum on MSELoss or BCELoss, full batch, seeded, stopped when the loss
# stalls), on data whose classes overlap everywhere, so that training ends at finite weights.
#
# Run from the repository root:   /usr/bin/python3 proofs/traps/training/train_plain.py [--scan]
# (Debian's python3-torch; the numbers below are the whole recipe). It writes, next to this file:
#   soft24.csv                24 points of the plane with soft labels (dataset() below): x1, x2, target
#   plain-<name>.npz          the trained state_dict of each run in RUNS (float64)
# and prints, per run, the loss it stopped at and the `point` block to paste into the .nnc script: every weight
# as Python's repr of the float64 PyTorch holds (the shortest decimal that reads back as that float).
# --scan instead trains seeds 0..11 of every configuration and prints where each one stopped (float gradient
# norm and Hessian eigenvalues from torch.autograd), which is how the seeds in RUNS were picked.
#
# Why soft labels: with 0/1 labels on distinct points a 2-2-1 / 2-3-1 sigmoid or tanh network can always sharpen
# a hidden unit into a step that cuts off a pure group of points, and plain training (with these losses) then
# runs off to infinity on a saturation plateau: no finite minimum, nothing a trap can sit around (this is why
# proofs/traps/trained-*.nnc used weight decay). Here every point carries the fraction of its labels that are 1
# (the class-1 probability of a fixed random 2-2-1 "teacher" network, rounded to 2 decimals, as if 100 annotators
# had labelled it): the classes overlap at every point, the best outputs are strictly between 0 and 1, and
# training stops at finite weights. PyTorch's MSELoss and BCELoss take such probability targets as they are.
import argparse
import os
import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)  # one thread: the same float operations in the same order on every run


def dataset(seed=1, n=24):
    """n points of [-1, 1]^2 rounded to 2 decimals (numpy.random.default_rng(seed)); each target is the class-1
    probability sigmoid(W2 tanh(W1 x + b1) + b2) of a teacher whose weights the same generator draws next,
    rounded to 2 decimals."""
    rng = np.random.default_rng(seed)
    x = np.round(rng.uniform(-1, 1, (n, 2)), 2)
    w1 = rng.normal(0, 2, (2, 2))
    b1 = rng.normal(0, 1, 2)
    w2 = rng.normal(0, 3, 2)
    b2 = rng.normal(0, 1)
    p = 1 / (1 + np.exp(-(np.tanh(x @ w1.T + b1) @ w2 + b2)))
    return x, np.round(p, 2)


ACTIVATIONS = {"sigmoid": torch.nn.Sigmoid, "tanh": torch.nn.Tanh}
LOSSES = {"mse": torch.nn.MSELoss, "bce": torch.nn.BCELoss}

# name, hidden width, hidden activation, loss, torch seed (the initial weights), SGD learning rate.
RUNS = [
    ("tanh221-bce", 2, "tanh", "bce", 1, 1.0),
    ("tanh221-mse", 2, "tanh", "mse", 0, 1.0),
    ("sigmoid221-mse", 2, "sigmoid", "mse", 0, 1.0),
]


def model_for(width, act):
    """nn.Linear(2, width) - activation - nn.Linear(width, 1) - nn.Sigmoid: the output is a probability."""
    return torch.nn.Sequential(torch.nn.Linear(2, width), ACTIVATIONS[act](), torch.nn.Linear(width, 1),
                               torch.nn.Sigmoid())


def train(x, y, width, act, loss, seed, lr, max_steps=400000):
    """Full-batch SGD(lr, momentum=0.9) from torch.manual_seed(seed)'s default initialisation, stopped when the loss
    stalls: the loss is looked at every 1000 steps, and training stops when five looks in a row found no loss below
    the lowest seen before (early stopping with patience 5; float64 no longer resolves the progress). Returns the
    model as it is then and the number of steps."""
    torch.manual_seed(seed)
    model = model_for(width, act)
    x = torch.tensor(x)
    y = torch.tensor(y).reshape(-1, 1)
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    criterion = LOSSES[loss]()
    lowest, stale = None, 0
    for step in range(1, max_steps + 1):
        opt.zero_grad()
        value = criterion(model(x), y)
        value.backward()
        opt.step()
        if step % 1000 == 0:
            v = value.item()
            if lowest is None or v < lowest:
                lowest, stale = v, 0
            else:
                stale += 1
                if stale == 5:
                    break
    return model, step


def diagnose(model, x, y, loss):
    """The loss, its gradient norm and the Hessian's extreme eigenvalues at the trained weights (torch.autograd,
    float64): untrusted, for choosing runs; nncert decides the claims."""
    params = [p.detach().clone() for p in model.parameters()]
    shapes = [p.shape for p in params]
    flat = torch.cat([p.reshape(-1) for p in params])
    x = torch.tensor(x)
    y = torch.tensor(y).reshape(-1, 1)
    act = type(model[1])()
    criterion = LOSSES[loss]()

    def f(v):
        out, i = [], 0
        for s in shapes:
            k = int(np.prod(s))
            out.append(v[i:i + k].reshape(s))
            i += k
        return criterion(torch.sigmoid(act(x @ out[0].T + out[1]) @ out[2].T + out[3]), y)

    v = flat.clone().requires_grad_()
    g = torch.autograd.grad(f(v), v)[0]
    eig = torch.linalg.eigvalsh(torch.autograd.functional.hessian(f, flat))
    return f(flat).item(), g.norm().item(), eig[0].item(), eig[-1].item(), flat.abs().max().item()


def point_block(model):
    """The `point trained { ... }` lines of the .nnc script: W1, b1, W2, b2 as repr of each float64."""
    names = ["W1", "b1", "W2", "b2"]
    lines = []
    for name, p in zip(names, model.parameters()):
        a = p.detach().numpy()
        if a.ndim == 2:
            text = "[" + ", ".join("[" + ", ".join(repr(float(v)) for v in row) + "]" for row in a) + "]"
        else:
            text = "[" + ", ".join(repr(float(v)) for v in a) + "]"
        lines.append(f"  {name} = {text}")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scan", action="store_true", help="train seeds 0..11 of every configuration")
    args = parser.parse_args()
    x, y = dataset()
    if args.scan:
        for width in (2, 3):
            for act in ("sigmoid", "tanh"):
                for loss in ("mse", "bce"):
                    for seed in range(12):
                        model, steps = train(x, y, width, act, loss, seed, 1.0)
                        value, gnorm, e0, e1, wmax = diagnose(model, x, y, loss)
                        print(f"2-{width}-1 {act} {loss} seed {seed}: {steps} steps, loss {value:.10g}, |grad| "
                              f"{gnorm:.2g}, Hessian eigenvalues [{e0:.2g}, {e1:.2g}], max |weight| {wmax:.3g}",
                              flush=True)
        return
    np.savetxt(os.path.join(HERE, "soft24.csv"), np.column_stack([x, y]), fmt=["%.2f", "%.2f", "%.2f"],
               delimiter=",")
    for name, width, act, loss, seed, lr in RUNS:
        model, steps = train(x, y, width, act, loss, seed, lr)
        value, gnorm, e0, e1, wmax = diagnose(model, x, y, loss)
        accuracy = ((model(torch.tensor(x)) > 0.5).reshape(-1).numpy() == (y > 0.5)).mean()
        np.savez(os.path.join(HERE, f"plain-{name}.npz"),
                 **{k: v.detach().numpy() for k, v in model.state_dict().items()})
        print(f"# {name}: 2-{width}-1 {act}, {loss}, torch.manual_seed({seed}), SGD(lr={lr}, momentum=0.9): stopped "
              f"after {steps} steps at loss {value!r}, |grad| ~ {gnorm:.2g}, Hessian eigenvalues in "
              f"[{e0:.2g}, {e1:.2g}], majority-label accuracy {accuracy:.4g}")
        print("point trained {\n" + point_block(model) + "\n}\n", flush=True)


if __name__ == "__main__":
    main()
