"""seq_parity.py - replay a compiled recurrent language model in PyTorch.

Part of dlc's e2e tests (seq_parity.dl). Reads the records modes_harness.cpp
wrote for examples/char_lstm.dl, examples/char_rnn.dl or Inputs/char_gru.dl
and rebuilds the model from the recorded initial parameters with PyTorch's
own recurrent kernels (torch's LSTM, tanh RNN and GRU, which implement the
gates and the backward pass through time themselves), the weights given as
views of dlc's
parameters (dlc's Wx [E, G H] and Wh [H, G H] are PyTorch's weight_ih and
weight_hh transposed, gate order i, f, g, o for the LSTM, r, z, n for the
GRU; dlc's b is bias_ih and bias_hh is zero, the GRU's bx and bh are both),
then compares:

  - inference: dlc's `forward` logits and `eval` loss on the first batch;
  - training: dlc's loss of every `train_step` against torch.optim.Adam or
    SGD on the same batches (to --tol), then every parameter.

  seq_parity.py FILE --model char_lstm|char_rnn|char_gru [--optimizer adam|sgd]
                [--lr 1e-3] [--tol 1e-4]

Prints one line per comparison and "ok: ..." or "FAIL: ..." (exit 1).
"""
import argparse
import os
import sys

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from parity_records import replay_language_model  # noqa: E402


def char_lm(cell, layer):
    def run(p, x):
        e = F.embedding(x.long(), p["emb.table"])
        n, h_dim = e.shape[0], p[f"{layer}.Wh"].shape[0]
        bias = p.get(f"{layer}.b")
        weights = [p[f"{layer}.Wx"].t(), p[f"{layer}.Wh"].t(), bias,
                   None if bias is None else torch.zeros_like(bias)]
        h0 = torch.zeros(1, n, h_dim)
        if cell == "gru":
            # Gates r, z, n as PyTorch's; dlc's bx and bh are b_ih and b_hh.
            weights[2:] = [p[f"{layer}.bx"], p[f"{layer}.bh"]]
            hs = torch._VF.gru(e, h0, weights, True, 1, 0.0, True, False, True)[0]
        elif cell == "lstm":
            hs = torch._VF.lstm(e, (h0, h0), weights, True, 1, 0.0, True, False,
                                True)[0]
        else:
            hs = torch._VF.rnn_tanh(e, h0, weights, True, 1, 0.0, True, False,
                                    True)[0]
        return hs @ p["Wy"] + p["by"]
    return run


MODELS = {"char_lstm": char_lm("lstm", "lstm"), "char_rnn": char_lm("rnn", "rnn"),
          "char_gru": char_lm("gru", "gru")}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--model", choices=MODELS, required=True)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--optimizer", choices=("adam", "sgd"), default="adam")
    ap.add_argument("--tol", type=float, default=1e-4)
    a = ap.parse_args()
    replay_language_model(
        a.file, MODELS[a.model],
        lambda ps: (torch.optim.SGD(ps, lr=a.lr) if a.optimizer == "sgd" else
                    torch.optim.Adam(ps, lr=a.lr, betas=(0.9, 0.999), eps=1e-8)),
        a.tol)


if __name__ == "__main__":
    main()
