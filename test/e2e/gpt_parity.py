"""gpt_parity.py - replay a compiled GPT in PyTorch.

Part of dlc's e2e tests (gpt_parity.dl). Reads the records modes_harness.cpp
wrote for Inputs/gpt_parity.dl and rebuilds the model from the recorded
initial parameters with PyTorch's own pieces: F.embedding, F.layer_norm,
F.multi_head_attention_forward (nn.MultiheadAttention's kernel: its
in_proj_weight is dlc's q, k and v weights transposed and stacked, a causal
attn_mask), F.gelu and F.linear, each weight a view of dlc's parameters
(the output projection is the token embedding itself: weight tying), then
compares:

  - inference: dlc's `forward` logits and `eval` loss on the first batch;
  - training: dlc's loss of every `train_step` against torch.optim.AdamW
    (weight decay 0.01) after clip_grad_norm_(1.0) on the same batches (to
    --tol), then every parameter.

  gpt_parity.py FILE [--lr 3e-3] [--tol 1e-4]

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

HEADS, LAYERS = 2, 2


def linear(p, name, x):
    return F.linear(x, p[f"{name}.W"].t(), p[f"{name}.b"])


def block(p, pre, x):
    n, t, d = x.shape
    a = f"{pre}.attn"
    h = F.layer_norm(x, (d,), p[f"{pre}.ln1_gamma"], p[f"{pre}.ln1_beta"], 1e-5)
    w = torch.cat([p[f"{a}.{q}_proj.W"].t() for q in "qkv"])
    b = torch.cat([p[f"{a}.{q}_proj.b"] for q in "qkv"])
    mask = torch.triu(torch.full((t, t), float("-inf")), diagonal=1)
    seq = h.transpose(0, 1)  # (T, N, D), as the kernel takes it
    att, _ = F.multi_head_attention_forward(
        seq, seq, seq, d, HEADS, w, b, None, None, False, 0.0,
        p[f"{a}.o_proj.W"].t(), p[f"{a}.o_proj.b"], training=False,
        need_weights=False, attn_mask=mask)
    x = x + att.transpose(0, 1)
    h = F.layer_norm(x, (d,), p[f"{pre}.ln2_gamma"], p[f"{pre}.ln2_beta"], 1e-5)
    return x + linear(p, f"{pre}.proj", F.gelu(linear(p, f"{pre}.fc", h)))


def gpt(p, x):
    h = F.embedding(x.long(), p["tokens.table"]) + p["positions"]
    for i in range(LAYERS):
        h = block(p, f"blocks.{i}", h)
    h = F.layer_norm(h, (h.shape[-1],), p["ln_gamma"], p["ln_beta"], 1e-5)
    return F.linear(h, p["tokens.table"], p["head_bias"])  # tied


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--tol", type=float, default=1e-4)
    a = ap.parse_args()

    def param_tol(name, steps):
        # The keys' bias moves every score of a query by the same q.b, to
        # which the softmax is blind: its gradient is zero but for rounding,
        # which Adam's normalized step turns into moves of up to lr per step
        # in either implementation. It is compared only within that bound.
        return 2 * a.lr * steps if name.endswith(".attn.k_proj.b") else a.tol

    replay_language_model(
        a.file, gpt,
        lambda ps: torch.optim.AdamW(ps, lr=a.lr, betas=(0.9, 0.999), eps=1e-8,
                                     weight_decay=0.01),
        a.tol, before_step=lambda ps: torch.nn.utils.clip_grad_norm_(ps, 1.0),
        param_tol=param_tol)


if __name__ == "__main__":
    main()
