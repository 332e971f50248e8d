"""benchmarks/train/seq_torch.py - PyTorch's peer of the character-level
language models (examples/char_rnn.dl, examples/char_lstm.dl): the same
model (Embedding V -> 64, nn.RNN (tanh) or nn.LSTM 64 -> 256, Linear 256 ->
V, V = 128), batch 32 of 64 steps, Adam lr 1e-3, one thread. Times the
train step on a fixed random batch as train_step_dlc.cpp does: 3 warm-up
steps, then 5 rounds of STEPS steps; prints the median.

  seq_torch.py --model char_lstm [--steps N] [--threads N]

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
from torch_models import median_step_ms  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--model", choices=["char_rnn", "char_lstm"], required=True)
ap.add_argument("--steps", type=int, default=10)
ap.add_argument("--threads", type=int, default=1)
args = ap.parse_args()
if args.threads < 1:
    ap.error("--threads must be at least 1")
torch.set_num_threads(args.threads)
torch.manual_seed(0)
B, T, V, E, H = 32, 64, 128, 64, 256


class CharLM(torch.nn.Module):
    def __init__(self, cell):
        super().__init__()
        self.emb = torch.nn.Embedding(V, E)
        self.rnn = cell(E, H, batch_first=True)
        self.out = torch.nn.Linear(H, V)

    def forward(self, x):
        hs, _ = self.rnn(self.emb(x))
        return self.out(hs)


model = CharLM(torch.nn.LSTM if args.model == "char_lstm" else torch.nn.RNN)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
x = torch.randint(0, V, (B, T))
y = torch.randint(0, V, (B, T))


def step():
    opt.zero_grad()
    loss = torch.nn.functional.cross_entropy(model(x).reshape(-1, V), y.reshape(-1))
    loss.backward()
    opt.step()


ms, secs = median_step_ms(step, args.steps)
print(f"torch train_step: {ms:.3f} ms/step "
      f"({args.steps} steps: {secs:.3f} s, median of 5)")
