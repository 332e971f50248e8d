"""benchmarks/train/seq_accuracy_torch.py - PyTorch's held-out loss of the
character-level language models (examples/char_lstm.dl, char_rnn.dl,
gpt_mini.dl) on a
directory of texts read as dlrt reads it (every regular file in name order
but strfile's .dat indexes and links to a file already read; vocabulary the
sorted distinct bytes; windows of T = 64 characters, the next characters as
labels; the last 10 % of the windows held out), the same recipe (char_*:
batch 32, Adam 1e-3; gpt_mini: batch 16, AdamW 1e-3 with weight decay 0.01,
a linear warmup over 5 % of an epoch then cosine decay to 0 over all steps,
gradient clipping at norm 1; one thread), for EPOCHS epochs: prints the
held-out loss in nats and bits per character, and the text's unigram
entropy.

  seq_accuracy_torch.py [--model char_lstm] [--epochs 1] [--seed 0]
                        [--init torch|dlc] [DIR]
"""
import argparse
import math
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_models import GPT, dlc_init  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("dir", nargs="?", default="/usr/share/games/fortunes")
ap.add_argument("--model", choices=["char_lstm", "char_rnn", "gpt_mini"],
                default="char_lstm")
ap.add_argument("--epochs", type=int, default=1)
ap.add_argument("--seed", type=int, default=0)
ap.add_argument("--init", choices=["torch", "dlc"], default="torch",
                help="gpt_mini: PyTorch's default initialization, or dlc's "
                     "(stdlib Linear: Xavier uniform per projection, zero biases)")
a = ap.parse_args()
torch.set_num_threads(1)
torch.manual_seed(a.seed)

text, seen = b"", []
for name in sorted(os.listdir(a.dir)):
    path = os.path.join(a.dir, name)
    if name.endswith(".dat") or not os.path.isfile(path):
        continue
    if any(os.path.samefile(path, s) for s in seen):
        continue
    seen.append(path)
    text += open(path, "rb").read()
chars = sorted(set(text))
index = {c: i for i, c in enumerate(chars)}
tokens = torch.tensor([index[c] for c in text])
B, T, V = (16 if a.model == "gpt_mini" else 32), 64, 128
n = (len(tokens) - 1) // T
n_test = max(1, int(n * 0.1))
x = tokens[: n * T].reshape(n, T)
y = tokens[1: n * T + 1].reshape(n, T)
counts = torch.bincount(tokens, minlength=len(chars)).double()
p = counts / counts.sum()
unigram = -(p[p > 0] * p[p > 0].log2()).sum().item()


class CharLM(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = torch.nn.Embedding(V, 64)
        cell = torch.nn.LSTM if a.model == "char_lstm" else torch.nn.RNN
        self.rnn = cell(64, 256, batch_first=True)
        self.out = torch.nn.Linear(256, V)

    def forward(self, ids):
        hs, _ = self.rnn(self.emb(ids))
        return self.out(hs)


gpt = a.model == "gpt_mini"
model = GPT() if gpt else CharLM()
if gpt and a.init == "dlc":
    dlc_init(model.blocks, (model.head,))
if gpt:
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
else:
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
train_n = n - n_test
steps_per_epoch = train_n // B
total = steps_per_epoch * a.epochs
step = 0
for epoch in range(a.epochs):
    perm = torch.randperm(train_n)
    for s in range(steps_per_epoch):
        idx = perm[s * B:(s + 1) * B]
        if gpt:  # dlc's cosine with warmup, per step
            lr = 1e-3 * (1 + math.cos(math.pi * min(step / total, 1))) / 2
            lr *= min(1.0, (step + 1) / (0.05 * steps_per_epoch))
            for g in opt.param_groups:
                g["lr"] = lr
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(x[idx]).reshape(-1, V),
                                                 y[idx].reshape(-1))
        loss.backward()
        if gpt:
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
    with torch.no_grad():
        total, count = 0.0, 0
        for s in range(0, n_test - B + 1, B):
            xb, yb = x[train_n + s: train_n + s + B], y[train_n + s: train_n + s + B]
            total += torch.nn.functional.cross_entropy(
                model(xb).reshape(-1, V), yb.reshape(-1), reduction="sum").item()
            count += yb.numel()
    nats = total / count
    print(f"torch {a.model} epoch {epoch + 1}: held-out loss {nats:.4f} nats "
          f"= {nats / math.log(2):.3f} bits/char (unigram entropy {unigram:.3f} bits)")
