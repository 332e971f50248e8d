"""parity_records.py - what the PyTorch replays of modes_harness.cpp share.

Part of dlc's e2e tests (batchnorm_parity.py, conv_parity.py): reading the
harness's records, comparing tensors, and replaying its training steps.
"""
import struct
import sys

import numpy as np
import torch

DTYPES = {0: np.float32, 1: np.float64, 2: np.int32, 3: np.int64}


def read_records(path):
    """The harness's records: name -> numpy array (see modes_harness.cpp)."""
    data = open(path, "rb").read()
    if data[:8] != b"DLCREC1\n":
        sys.exit(f"error: {path}: not a modes_harness.cpp record file")
    pos, out = 8, {}
    while pos < len(data):
        (name_len,) = struct.unpack_from("<I", data, pos)
        pos += 4
        name = data[pos:pos + name_len].decode()
        pos += name_len
        dtype, rank = struct.unpack_from("<II", data, pos)
        pos += 8
        shape = struct.unpack_from(f"<{rank}q", data, pos)
        pos += 8 * rank
        count = int(np.prod(shape)) if rank else 1
        arr = np.frombuffer(data, dtype=DTYPES[dtype], count=count, offset=pos)
        pos += arr.nbytes
        out[name] = arr.reshape(shape).copy()
    return out


class Report:
    """Prints one line per comparison; finish() prints ok or FAIL (exit 1)."""

    def __init__(self):
        self.failures = []

    def compare(self, what, got, want, tol):
        """The largest |got - want| / (1 + |want|) against `tol`."""
        got = got.reshape(want.shape)
        err = ((got - want).abs() / (1 + want.abs())).max().item()
        print(f"{what}: largest error {err:.2e}" + ("  MISMATCH" if err > tol else ""))
        if err > tol:
            self.failures.append(what)

    def replay_steps(self, rec, opt, loss_of, tol, before_step=None):
        """Replays every recorded training step (x/s, y/s) with `opt` and
        `loss_of(x, y)` (and `before_step()` between the backward pass and
        the update: gradient clipping), comparing each loss with dlc's
        loss/s. Returns the number of steps."""
        s = 0
        while f"x/{s}" in rec:
            opt.zero_grad()
            loss = loss_of(torch.from_numpy(rec[f"x/{s}"]),
                           torch.from_numpy(rec[f"y/{s}"]).long())
            loss.backward()
            if before_step:
                before_step()
            opt.step()
            got = float(rec[f"loss/{s}"])
            err = abs(got - loss.item()) / max(1.0, abs(loss.item()))
            print(f"step {s}: dlc loss {got:.7f} torch {loss.item():.7f} rel. error {err:.2e}"
                  + ("  MISMATCH" if err > tol else ""))
            if err > tol:
                self.failures.append(f"loss of step {s}")
            s += 1
        return s

    def finish(self, what):
        if self.failures:
            print("FAIL: " + ", ".join(self.failures))
            sys.exit(1)
        print(f"ok: {what}")


def replay_language_model(path, model, make_opt, tol, before_step=None,
                          param_tol=None):
    """Rebuilds a token model from the records at `path` (its initial
    parameters, leaves with gradients) and compares `model(p, x)` (logits
    [B, T, V]) with dlc's: the inference logits and eval loss on the first
    batch, every recorded train step's loss with `make_opt(parameters)`
    (`before_step(parameters)` between backward and step: clipping), then
    every parameter (to `param_tol(name, steps)` where that is given, else
    `tol`). Prints the report and exits 1 on a mismatch."""
    torch.set_num_threads(1)
    rec = read_records(path)

    def t(name):
        return torch.from_numpy(rec[name])

    p = {k[len("state0/"):]: t(k).clone() for k in rec if k.startswith("state0/")}
    for v in p.values():
        v.requires_grad_(True)
    report = Report()

    def loss_of(x, y):
        logits = model(p, x)
        return torch.nn.functional.cross_entropy(
            logits.reshape(-1, logits.shape[-1]), y.reshape(-1))

    with torch.no_grad():
        report.compare("eval(): forward logits", t("forward0"), model(p, t("x0")),
                       1e-4)
        report.compare("eval loss", t("eval_loss0"),
                       loss_of(t("x0"), t("y0").long()), 1e-4)
    names = sorted(p)
    trained = [p[n] for n in names]
    s = report.replay_steps(
        rec, make_opt(trained), loss_of, tol,
        before_step=(lambda: before_step(trained)) if before_step else None)
    with torch.no_grad():
        for name in names:
            report.compare(name, t(f"state/{name}"), p[name],
                           param_tol(name, s) if param_tol else tol)
    report.finish(f"inference and {s} training steps")
