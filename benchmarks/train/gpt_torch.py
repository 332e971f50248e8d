"""benchmarks/train/gpt_torch.py - PyTorch's peer of examples/gpt_mini.dl: the
same model (Embedding 128 -> 128 plus learned positions, 4 x
nn.TransformerEncoderLayer(128, 4, 512, dropout 0, batch_first, norm_first,
gelu) with a causal mask, LayerNorm, Linear 128 -> 128), batch 16 of 64
characters, AdamW lr 1e-3 weight decay 0.01, gradient clipping at norm 1,
one thread. Times the train step on a fixed random batch as
train_step_dlc.cpp does: 3 warm-up steps, then 5 rounds of STEPS steps;
prints the median.

  gpt_torch.py [--steps N] [--threads N]

--threads N (default 1) runs PyTorch, OpenMP, OpenBLAS and MKL on N threads
(OpenMP's idle threads sleep: OMP_WAIT_POLICY=PASSIVE).
"""
import argparse
import os
import sys

from torch_threads import threads_from_argv  # noqa: E402

threads_from_argv()
import torch  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_models import GPT, median_step_ms  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--steps", type=int, default=10)
ap.add_argument("--threads", type=int, default=1)
args = ap.parse_args()
if args.threads < 1:
    ap.error("--threads must be at least 1")
torch.set_num_threads(args.threads)
torch.manual_seed(0)
B, T, V = 16, 64, 128

model = GPT()
opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
x = torch.randint(0, V, (B, T))
y = torch.randint(0, V, (B, T))


def step():
    opt.zero_grad()
    loss = torch.nn.functional.cross_entropy(model(x).reshape(-1, V), y.reshape(-1))
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()


ms, secs = median_step_ms(step, args.steps)
print(f"torch train_step: {ms:.3f} ms/step "
      f"({args.steps} steps: {secs:.3f} s, median of 5)")
