"""batchnorm_parity.py - replay a compiled batch-norm MLP in PyTorch.

Part of dlc's e2e tests (batchnorm_parity.dl). Reads the records
modes_harness.cpp wrote for a model `x -> l1 (Linear) -> bn (BatchNorm1d)
-> ReLU -> l2 (Linear) -> logits` with mean cross-entropy, rebuilds it with
torch.nn from the recorded initial state (parameters and running
statistics) and compares:

  - inference: dlc's `forward` logits and `eval` loss on the first batch with
    PyTorch's model.eval() (running statistics);
  - training: dlc's loss of every `train_step` with model.train() and
    torch.optim.SGD on the same batches, and after the last step every
    parameter and running statistic.

  batchnorm_parity.py FILE --lr LR --momentum M [--bn-momentum 0.1]

Prints one line per comparison and "ok: ..." or "FAIL: ..." (exit 1).
"""
import argparse
import os
import sys

os.environ.setdefault("OMP_NUM_THREADS", "1")
import torch  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from parity_records import Report, read_records  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--lr", type=float, required=True)
    ap.add_argument("--momentum", type=float, default=0.0)
    ap.add_argument("--bn-momentum", type=float, default=0.1)
    ap.add_argument("--tol", type=float, default=1e-4)
    a = ap.parse_args()
    torch.set_num_threads(1)
    rec = read_records(a.file)

    def t(name):
        return torch.from_numpy(rec[name])

    w1 = rec["state0/l1.W"]
    w2 = rec["state0/l2.W"]
    l1 = torch.nn.Linear(*w1.shape)
    bn = torch.nn.BatchNorm1d(w1.shape[1], momentum=a.bn_momentum, eps=1e-5)
    l2 = torch.nn.Linear(*w2.shape)
    with torch.no_grad():
        for lin, name in ((l1, "l1"), (l2, "l2")):
            lin.weight.copy_(t(f"state0/{name}.W").T)
            lin.bias.copy_(t(f"state0/{name}.b"))
        bn.weight.copy_(t("state0/bn.gamma"))
        bn.bias.copy_(t("state0/bn.beta"))
        bn.running_mean.copy_(t("state0/bn.running_mean"))
        bn.running_var.copy_(t("state0/bn.running_var"))
    model = torch.nn.Sequential(l1, bn, torch.nn.ReLU(), l2)
    loss_fn = torch.nn.CrossEntropyLoss()
    report = Report()
    compare = report.compare

    # Inference: the running statistics, as PyTorch's eval().
    model.eval()
    with torch.no_grad():
        logits = model(t("x0"))
        compare("eval(): forward logits", t("forward0"), logits, 1e-5)
        compare("eval loss", t("eval_loss0"),
                loss_fn(logits, t("y0").long()), 1e-5)

    # Training: the batch statistics and running-statistic updates of train().
    model.train()
    opt = torch.optim.SGD(model.parameters(), lr=a.lr, momentum=a.momentum)
    s = report.replay_steps(rec, opt, lambda x, y: loss_fn(model(x), y), a.tol)
    final = {"l1.W": l1.weight.T, "l1.b": l1.bias, "bn.gamma": bn.weight,
             "bn.beta": bn.bias, "l2.W": l2.weight.T, "l2.b": l2.bias,
             "bn.running_mean": bn.running_mean, "bn.running_var": bn.running_var}
    with torch.no_grad():
        for name, want in final.items():
            compare(name, t(f"state/{name}"), want, a.tol)
    report.finish(f"inference and {s} training steps")

if __name__ == "__main__":
    main()
