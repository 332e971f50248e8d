"""conv_parity.py - replay a compiled convolutional model in PyTorch.

Part of dlc's e2e tests (conv_parity.dl). Reads the records
modes_harness.cpp wrote for examples/cnn.dl or examples/resnet_mini.dl,
rebuilds the model with torch.nn.functional from the recorded initial state
(parameters and batch-norm running statistics; dlc's layouts: conv weights
OIHW as PyTorch, biases and batch-norm vectors [C, 1, 1], Linear weights
[in, out]) and compares:

  - inference: dlc's `forward` logits and `eval` loss on the first batch
    with batch norm's running statistics;
  - training: dlc's loss of every `train_step` with batch statistics and
    torch.optim.Adam or SGD on the same batches (to --tol), then every
    parameter and running statistic (to --state-tol, default --tol).

  conv_parity.py FILE --model cnn|resnet_mini [--optimizer adam|sgd]
                 [--lr 1e-3] [--tol 1e-4] [--state-tol TOL]

Prints one line per comparison and "ok: ..." or "FAIL: ..." (exit 1).
"""
import argparse
import os
import sys

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from parity_records import Report, read_records  # noqa: E402


def cnn(p, x, training, bn_momentum):
    h = x.reshape(-1, 1, 28, 28)
    h = F.max_pool2d(F.relu(F.conv2d(h, p["conv1.W"], p["conv1.b"], padding=1)), 2)
    h = F.max_pool2d(F.relu(F.conv2d(h, p["conv2.W"], p["conv2.b"], padding=1)), 2)
    h = F.relu(h.flatten(1) @ p["fc1.W"] + p["fc1.b"])
    return h @ p["fc2.W"] + p["fc2.b"]


def resnet_mini(p, x, training, bn_momentum):
    def bn(h, name):
        return F.batch_norm(h, p[f"{name}.running_mean"], p[f"{name}.running_var"],
                            p[f"{name}.gamma"], p[f"{name}.beta"], training,
                            bn_momentum, 1e-5)

    h = x.reshape(-1, 1, 28, 28)
    h = F.relu(bn(F.conv2d(h, p["stem.W"], padding=1), "bn"))
    for i in range(3):
        b = f"blocks.{i}"
        r = F.relu(bn(F.conv2d(h, p[f"{b}.conv1.W"], padding=1), f"{b}.bn1"))
        h = F.relu(h + bn(F.conv2d(r, p[f"{b}.conv2.W"], padding=1), f"{b}.bn2"))
    return h.mean((2, 3)) @ p["head.W"] + p["head.b"]


MODELS = {"cnn": cnn, "resnet_mini": resnet_mini}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--model", choices=MODELS, required=True)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--bn-momentum", type=float, default=0.1)
    ap.add_argument("--optimizer", choices=("adam", "sgd"), default="adam")
    ap.add_argument("--tol", type=float, default=1e-4)
    ap.add_argument("--state-tol", type=float, default=None)
    a = ap.parse_args()
    state_tol = a.tol if a.state_tol is None else a.state_tol
    torch.set_num_threads(1)
    rec = read_records(a.file)
    model = MODELS[a.model]

    def t(name):
        return torch.from_numpy(rec[name])

    # dlc's [C, 1, 1] vectors are PyTorch's [C].
    p = {}
    for key in rec:
        if key.startswith("state0/"):
            name = key[len("state0/"):]
            v = t(key)
            if v.dim() == 3 and v.shape[1:] == (1, 1):
                v = v.reshape(-1)
            p[name] = v.clone()
    stats = [n for n in p if n.endswith(("running_mean", "running_var"))]
    params = [n for n in p if n not in stats]
    for n in params:
        p[n].requires_grad_(True)
    report = Report()
    compare = report.compare

    with torch.no_grad():
        logits = model(p, t("x0"), False, a.bn_momentum)
        compare("eval(): forward logits", t("forward0"), logits, 1e-4)
        compare("eval loss", t("eval_loss0"),
                F.cross_entropy(logits, t("y0").long()), 1e-4)

    trained = [p[n] for n in params]
    opt = (torch.optim.SGD(trained, lr=a.lr) if a.optimizer == "sgd" else
           torch.optim.Adam(trained, lr=a.lr, betas=(0.9, 0.999), eps=1e-8))
    s = report.replay_steps(
        rec, opt,
        lambda x, y: F.cross_entropy(model(p, x, True, a.bn_momentum), y), a.tol)
    with torch.no_grad():
        for name in params + stats:
            compare(name, t(f"state/{name}"), p[name], state_tol)
    report.finish(f"inference and {s} training steps")


if __name__ == "__main__":
    main()
