#!/usr/bin/python3
# Trains the two small networks whose traps proofs/traps/trained-*.nnc certify: float64 PyTorch training WITH
# WEIGHT DECAY (Adam's weight_decay, so the loss trained is regularised) from a fixed seed for a fixed number of
# steps; writes weights and data as .npz. Plain training without a regulariser: train_plain.py.
#
# Run from the repository root:   /usr/bin/python3 proofs/traps/training/train.py
# (Debian's python3-torch; the numbers below are the whole recipe). It writes, next to this file:
#   data16.csv       16 points of the plane with 0/1 labels (dataset(1, 16) below), exact 2-decimal inputs
#   sigmoid221.npz   2-2-1 network, sigmoid hidden units, linear output: torch.manual_seed(1), then
#                    Adam(lr=0.05, weight_decay=1e-3) on MSELoss, 4000 full-batch float64 steps
#   tanh231.npz      2-3-1 network, tanh hidden units, linear output: torch.manual_seed(0), then
#                    Adam(lr=0.02, weight_decay=1e-3) on MSELoss, 4000 full-batch float64 steps
# Adam's weight_decay=1e-3 adds 1e-3 * theta to the gradient: the loss trained is mse + 5e-4 |theta|^2 over
# every weight and bias, the script's `loss mse + l2(0.0005)`. Without it, training on these 0/1 labels drives
# the weights to saturation (no isolated minimum). The .npz and .csv files are committed; the .nnc scripts
# say how they became certificates (nncert import, refine, propose-trap).
import os
import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))

def dataset(seed, n):
    """n points of [-1, 1]^2 rounded to 2 decimals; label 1 where x1 * x2 > 0, each label flipped with
    probability 0.2 (numpy.random.default_rng(seed)), so no small network fits them exactly."""
    rng = np.random.default_rng(seed)
    x = np.round(rng.uniform(-1, 1, (n, 2)), 2)
    y = ((x[:, 0] * x[:, 1] > 0) ^ (rng.uniform(size=n) < 0.2)).astype(float)
    return x, y


def train(x, y, widths, act, lr, steps, seed, weight_decay):
    """Full-batch float64 Adam on Linear-act-Linear with MSELoss; returns the state_dict as numpy."""
    torch.manual_seed(seed)
    x = torch.tensor(x, dtype=torch.float64)
    y = torch.tensor(y, dtype=torch.float64).reshape(-1, 1)
    model = torch.nn.Sequential(torch.nn.Linear(widths[0], widths[1]), act(),
                                torch.nn.Linear(widths[1], widths[2])).double()
    opt = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=weight_decay)
    mse = torch.nn.MSELoss()
    for _ in range(steps):
        opt.zero_grad()
        loss = mse(model(x), y)
        loss.backward()
        opt.step()
    accuracy = ((model(x) > 0.5).double() == y).double().mean().item()
    print(f"{widths} {act.__name__}: mse {loss.item():.6g}, training accuracy {accuracy:.4g}")
    return {k: v.detach().numpy() for k, v in model.state_dict().items()}


def main():
    x, y = dataset(1, 16)
    # The data as exact decimals (inputs, then the target): what nncert import reads.
    np.savetxt(os.path.join(HERE, "data16.csv"), np.column_stack([x, y]), fmt=["%.2f", "%.2f", "%g"],
               delimiter=",")
    for name, widths, act, lr, seed in [("sigmoid221", (2, 2, 1), torch.nn.Sigmoid, 0.05, 1),
                                        ("tanh231", (2, 3, 1), torch.nn.Tanh, 0.02, 0)]:
        weights = train(x, y, widths, act, lr, 4000, seed, 1e-3)
        np.savez(os.path.join(HERE, name + ".npz"), **weights)


if __name__ == "__main__":
    main()
