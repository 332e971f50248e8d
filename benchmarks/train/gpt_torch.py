"""benchmarks/train/gpt_torch.py - PyTorch's peer of examples/gpt_mini.dl: the
same model (Embedding 128 -> 128 plus learned positions, 4 x
nn.TransformerEncoderLayer(128, 4, 512, dropout 0, batch_first, norm_first,
gelu) with a causal mask, LayerNorm, Linear 128 -> 128), batch 16 of 64
characters, AdamW lr 1e-3 weight decay 0.01, gradient clipping at norm 1,
one thread. Times the train step on a fixed random batch as
train_step_dlc.cpp does: 3 warm-up steps, then 5 rounds of STEPS steps;
prints the median.

  gpt_torch.py [--steps N]
"""
import argparse
import time

import torch

ap = argparse.ArgumentParser()
ap.add_argument("--steps", type=int, default=10)
args = ap.parse_args()
torch.set_num_threads(1)
torch.manual_seed(0)
B, T, V, D, H, L = 16, 64, 128, 128, 4, 4


class GPT(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.tokens = torch.nn.Embedding(V, D)
        self.positions = torch.nn.Parameter(torch.randn(T, D) * 0.02)
        layer = torch.nn.TransformerEncoderLayer(
            D, H, 4 * D, dropout=0.0, activation="gelu", batch_first=True,
            norm_first=True)
        self.blocks = torch.nn.TransformerEncoder(layer, L,
                                                  enable_nested_tensor=False)
        self.ln = torch.nn.LayerNorm(D)
        self.head = torch.nn.Linear(D, V)
        self.register_buffer(
            "mask", torch.triu(torch.full((T, T), float("-inf")), diagonal=1))

    def forward(self, x):
        h = self.blocks(self.tokens(x) + self.positions, mask=self.mask)
        return self.head(self.ln(h))


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


for _ in range(3):
    step()
rounds = []
for _ in range(5):
    t0 = time.perf_counter()
    for _ in range(args.steps):
        step()
    rounds.append(time.perf_counter() - t0)
rounds.sort()
print(f"torch train_step: {rounds[2] / args.steps * 1e3:.3f} ms/step "
      f"({args.steps} steps: {rounds[2]:.3f} s, median of 5)")
