"""benchmarks/train/bert_torch.py - PyTorch's peer of examples/bert_mini.dl:
the same model (torch_models.BERT, initialized as dlc initializes it), the
same recipe (batch 32, AdamW lr 1e-3 weight decay 0.01, a linear warmup over
5 % of an epoch then cosine decay to 0 over all steps, gradient clipping at
norm 1; one thread), on the `bert` data set dumped by bert_data.cpp. Each
epoch visits the train split in a torch.randperm order (the last partial
batch dropped) and then evaluates the test split: the accuracy of the MLM
arg-max over the positions whose label is not -100, and the NSP accuracy.

  bert_torch.py DATA_DIR [--epochs 1] [--seed 0] [--steps N]

prints `epoch E test mlm_acc A nsp_acc B ms_per_step M` per epoch.
"""
import argparse
import math
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_models import BERT  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("dir")
ap.add_argument("--epochs", type=int, default=1)
ap.add_argument("--seed", type=int, default=0)
ap.add_argument("--steps", type=int, default=0,
                help="stop each epoch after this many steps (0: all; a quick check)")
a = ap.parse_args()
torch.set_num_threads(1)
torch.manual_seed(a.seed)


def load(split):
    f = {n: torch.from_numpy(np.load(os.path.join(a.dir, f"{split}_{n}.npy")))
         for n in ("ids", "segments", "mask", "mlm_labels", "nsp")}
    for n in ("ids", "segments", "mlm_labels", "nsp"):
        f[n] = f[n].long()
    return f


train, test = load("train"), load("test")
B, V = 32, 99
model = BERT()
opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
N = train["ids"].shape[0]
spe = N // B
total = spe * a.epochs
ce = torch.nn.functional.cross_entropy
step = 0
for epoch in range(a.epochs):
    perm = torch.randperm(N)
    t0 = time.perf_counter()
    model.train()
    run = spe if a.steps <= 0 else min(spe, a.steps)
    for s in range(run):
        idx = perm[s * B:(s + 1) * B]
        lr = 1e-3 * (1 + math.cos(math.pi * min(step / total, 1))) / 2
        lr *= min(1.0, (step + 1) / (0.05 * spe))
        for g in opt.param_groups:
            g["lr"] = lr
        opt.zero_grad()
        mlm, nsp = model(train["ids"][idx], train["segments"][idx], train["mask"][idx])
        loss = ce(mlm.reshape(-1, V), train["mlm_labels"][idx].reshape(-1),
                  ignore_index=-100) + ce(nsp, train["nsp"][idx])
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
    ms = (time.perf_counter() - t0) / run * 1e3
    model.eval()
    right = counted = nsp_right = 0
    with torch.no_grad():
        for s in range(0, test["ids"].shape[0], B):
            sl = slice(s, s + B)
            mlm, nsp = model(test["ids"][sl], test["segments"][sl], test["mask"][sl])
            lab = test["mlm_labels"][sl]
            keep = lab != -100
            right += (mlm.argmax(-1)[keep] == lab[keep]).sum().item()
            counted += keep.sum().item()
            nsp_right += (nsp.argmax(-1) == test["nsp"][sl]).sum().item()
    print(f"epoch {epoch + 1} test mlm_acc {right / counted:.4f} "
          f"nsp_acc {nsp_right / test['ids'].shape[0]:.4f} ms_per_step {ms:.1f}",
          flush=True)
