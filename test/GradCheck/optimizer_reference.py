#!/usr/bin/env python3
"""Reference values for optimizers.dl / optimizers.cpp.

Usage: python3 test/GradCheck/optimizer_reference.py

Computes, in plain Python floats (IEEE double) and independently of dlc, three
training steps of the tiny model of optimizers.dl (logits = x W + b, mean
softmax cross-entropy, batch 4) for each optimizer configuration, following
the algorithms as torch.optim documents them (SGD with momentum/dampening
0/nesterov, Adam, AdamW, RMSprop; torch.nn.utils.clip_grad_norm_;
ExponentialLR stepped once per epoch, one step per epoch). The gradient is
written out by hand: dlogits = (softmax(logits) - one_hot(y)) / N, dW = x^T
dlogits, db = column sums of dlogits. Prints the C++ table that
optimizers.cpp holds (loss of each step, then W and b after three steps).
"""
import math

X = [[0.5, -1.0], [1.5, 0.25], [-0.75, 2.0], [1.0, 1.0]]
Y = [0, 2, 1, 2]
W0 = [[0.1, -0.2, 0.3], [-0.4, 0.5, 0.05]]
B0 = [0.01, -0.02, 0.03]
N, D, C = 4, 2, 3
STEPS = 3

# name: torch.optim-style settings (the train block of each model in
# optimizers.dl says the same).
CONFIGS = {
    "sgd": dict(opt="sgd", lr=0.1),
    "momentum": dict(opt="sgd", lr=0.1, momentum=0.9),
    "nesterov": dict(opt="sgd", lr=0.1, momentum=0.9, nesterov=True),
    "adam": dict(opt="adam", lr=0.01),
    "adamw": dict(opt="adamw", lr=0.01, weight_decay=0.01),
    "rmsprop": dict(opt="rmsprop", lr=0.01),
    "clipped": dict(opt="sgd", lr=0.1, momentum=0.9, weight_decay=0.01,
                    clip_norm=0.3, gamma=0.5),
}


def loss_and_grads(W, b):
    dW = [[0.0] * C for _ in range(D)]
    db = [0.0] * C
    loss = 0.0
    for n in range(N):
        z = [sum(X[n][d] * W[d][c] for d in range(D)) + b[c] for c in range(C)]
        m = max(z)
        e = [math.exp(v - m) for v in z]
        s = sum(e)
        loss += -(z[Y[n]] - m - math.log(s)) / N
        for c in range(C):
            g = (e[c] / s - (1.0 if c == Y[n] else 0.0)) / N
            db[c] += g
            for d in range(D):
                dW[d][c] += X[n][d] * g
    return loss, [dW[d][c] for d in range(D) for c in range(C)] + db


def train(cfg):
    p = [W0[d][c] for d in range(D) for c in range(C)] + list(B0)
    k = len(p)
    lr0 = cfg["lr"]
    mu = cfg.get("momentum", 0.0)
    wd = cfg.get("weight_decay", 0.0)
    buf, m, v = [None] * k, [0.0] * k, [0.0] * k
    losses = []
    for t in range(1, STEPS + 1):
        lr = lr0 * cfg.get("gamma", 1.0) ** (t - 1)  # ExponentialLR, 1 step/epoch
        W = [p[d * C:(d + 1) * C] for d in range(D)]
        loss, g = loss_and_grads(W, p[D * C:])
        losses.append(loss)
        if "clip_norm" in cfg:  # clip_grad_norm_
            norm = math.sqrt(sum(x * x for x in g))
            coef = min(cfg["clip_norm"] / (norm + 1e-6), 1.0)
            g = [x * coef for x in g]
        if cfg["opt"] == "sgd":
            for i in range(k):
                gi = g[i] + wd * p[i]
                if mu:
                    buf[i] = gi if buf[i] is None else mu * buf[i] + gi
                    gi = gi + mu * buf[i] if cfg.get("nesterov") else buf[i]
                p[i] -= lr * gi
        elif cfg["opt"] in ("adam", "adamw"):
            b1, b2, eps = 0.9, 0.999, 1e-8
            for i in range(k):
                gi = g[i]
                if cfg["opt"] == "adamw":
                    p[i] *= 1 - lr * wd
                else:
                    gi += wd * p[i]
                m[i] = b1 * m[i] + (1 - b1) * gi
                v[i] = b2 * v[i] + (1 - b2) * gi * gi
                bc1, bc2 = 1 - b1 ** t, 1 - b2 ** t
                denom = math.sqrt(v[i]) / math.sqrt(bc2) + eps
                p[i] -= (lr / bc1) * m[i] / denom
        elif cfg["opt"] == "rmsprop":
            alpha, eps = 0.99, 1e-8
            for i in range(k):
                gi = g[i] + wd * p[i]
                v[i] = alpha * v[i] + (1 - alpha) * gi * gi
                p[i] -= lr * gi / (math.sqrt(v[i]) + eps)
    return losses, p


if __name__ == "__main__":
    for name, cfg in CONFIGS.items():
        losses, p = train(cfg)
        print(f"    {{\"{name}\",")
        print("     {" + ", ".join(f"{x:.17g}" for x in losses) + "},")
        rows = [", ".join(f"{x:.17g}" for x in p[i:i + 3])
                for i in range(0, len(p), 3)]
        print("     {" + ",\n      ".join(rows) + "}},")
