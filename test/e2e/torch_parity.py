"""torch_parity.py - replay a compiled model's training run in PyTorch.

Part of dlc's e2e tests (torch_parity.dl). Reads the file torch_parity.cpp
wrote (initial parameters, the batches, dlc's loss after every train step,
then a batch and dlc's logits on it after the last step), rebuilds the MLP
with torch.nn.Linear and ReLU, trains it on the same batches with the
optimizer named on the command line (torch.optim, float32, one thread) and
compares:

  - the loss of every step: |dlc - torch| <= LOSS_TOL * max(1, |torch|);
  - the logits after the last step: |dlc - torch| <= LOGIT_TOL * (1 + |torch|).

Both runs do the same arithmetic up to float32 rounding; rounding
differences grow with every Adam step (Adam divides by sqrt(v), which
magnifies them where gradients are small), by about 1e-6 per step in the
first steps here. The default tolerances sit well above that growth over
30 steps and far below the change one wrong rule makes (a wrong bias
correction, beta, epsilon or learning rate, a missing bias gradient).

  torch_parity.py FILE --optimizer adam --lr 1e-3 [--loss-tol T] [--logit-tol T]

Prints one line per step and "ok: N steps, ..." or exits 1.
"""
import argparse
import os
import struct
import sys

os.environ.setdefault("OMP_NUM_THREADS", "1")
import numpy as np  # noqa: E402
import torch  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--optimizer", default="adam", choices=["adam", "sgd"])
    ap.add_argument("--lr", type=float, required=True)
    ap.add_argument("--betas", type=float, nargs=2, default=[0.9, 0.999])
    ap.add_argument("--eps", type=float, default=1e-8)
    ap.add_argument("--loss-tol", type=float, default=1e-4)
    ap.add_argument("--logit-tol", type=float, default=1e-3)
    a = ap.parse_args()
    torch.set_num_threads(1)

    data = open(a.file, "rb").read()
    if data[:10] != b"DLCPARITY1":
        sys.exit(f"error: {a.file}: not a torch_parity.cpp dump")
    pos = 10

    def take(n, dtype):
        nonlocal pos
        size = np.dtype(dtype).itemsize * n
        if pos + size > len(data):
            sys.exit(f"error: {a.file}: truncated")
        out = np.frombuffer(data, dtype=dtype, count=n, offset=pos)
        pos += size
        return out

    steps, batch, features, classes, layers = struct.unpack_from("<5I", data, pos)
    pos += 20
    mods = []
    for _ in range(layers):
        n_in, n_out = (int(v) for v in take(2, np.uint32))
        lin = torch.nn.Linear(n_in, n_out)
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(take(n_in * n_out, np.float32).reshape(n_in, n_out).T.copy()))
            lin.bias.copy_(torch.from_numpy(take(n_out, np.float32).copy()))
        mods += [lin, torch.nn.ReLU()]
    model = torch.nn.Sequential(*mods[:-1])
    if a.optimizer == "adam":
        opt = torch.optim.Adam(model.parameters(), lr=a.lr, betas=tuple(a.betas), eps=a.eps)
    else:
        opt = torch.optim.SGD(model.parameters(), lr=a.lr)
    loss_fn = torch.nn.CrossEntropyLoss()

    worst, failures = 0.0, 0
    for s in range(steps):
        x = torch.from_numpy(take(batch * features, np.float32).reshape(batch, features).copy())
        y = torch.from_numpy(take(batch, np.int32).astype(np.int64))
        dlc_loss = float(take(1, np.float32)[0])
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        ref = loss.item()
        err = abs(dlc_loss - ref) / max(1.0, abs(ref))
        worst = max(worst, err)
        bad = err > a.loss_tol
        failures += bad
        print(f"step {s}: dlc loss {dlc_loss:.7f} torch {ref:.7f} rel. error {err:.2e}"
              + ("  MISMATCH" if bad else ""))
    x = torch.from_numpy(take(batch * features, np.float32).reshape(batch, features).copy())
    dlc_logits = torch.from_numpy(take(batch * classes, np.float32).reshape(batch, classes).copy())
    if pos != len(data):
        sys.exit(f"error: {a.file}: {len(data) - pos} trailing bytes")
    with torch.no_grad():
        ref = model(x)
    logit_err = ((dlc_logits - ref).abs() / (1 + ref.abs())).max().item()
    print(f"logits after {steps} steps: largest error {logit_err:.2e} (tolerance {a.logit_tol:g})")
    if failures or logit_err > a.logit_tol:
        print(f"FAIL: {failures} of {steps} losses off by more than {a.loss_tol:g}"
              + ("; logits off" if logit_err > a.logit_tol else ""))
        sys.exit(1)
    print(f"ok: {steps} steps, largest loss error {worst:.2e}, logit error {logit_err:.2e}")


if __name__ == "__main__":
    main()
