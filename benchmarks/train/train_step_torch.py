"""train_step_torch.py - a Fashion-MNIST train step in PyTorch (1 thread or N).

Part of dlc's benchmarks (benchmarks/train/run.sh, conv_run.sh): the peer of
train_step_dlc.cpp. Same model (fashion_torch.py; default the MLP
784-256-256-10), mean cross-entropy, Adam lr 1e-3, batch 64. Prints the
median time per step over 5 rounds of STEPS steps (default 937) on a fixed
random batch, and the wall time of one epoch over the real training set
(shuffled batches of 64, 937 steps) when the data is present, unless
--no-epoch. --threads N (default 1) runs PyTorch, OpenMP, OpenBLAS and MKL
on N threads (OpenMP's idle threads sleep: OMP_WAIT_POLICY=PASSIVE).

  train_step_torch.py [DATA] [--model NAME] [--steps N] [--no-epoch] [--threads N]
"""
import argparse
import statistics
import time

from torch_threads import threads_from_argv  # noqa: E402

threads_from_argv(default_one=True)
import torch  # noqa: E402

from fashion_torch import MODELS, build, load  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("data", nargs="?", default="/usr/share/datasets/fashion-mnist")
ap.add_argument("--model", choices=MODELS, default="fashion_mlp")
ap.add_argument("--steps", type=int, default=937)
ap.add_argument("--no-epoch", action="store_true")
ap.add_argument("--threads", type=int, default=1)
args = ap.parse_args()
if args.threads < 1:
    ap.error("--threads must be at least 1")
torch.set_num_threads(args.threads)
torch.manual_seed(1)
model, loss_fn, opt = build(args.model)
model.train()


def step(x, y):
    opt.zero_grad(set_to_none=True)
    loss = loss_fn(model(x), y)
    loss.backward()
    opt.step()
    return loss


x = torch.rand(64, 784)
y = torch.randint(0, 10, (64,))
for _ in range(20):
    step(x, y)
rounds = []
for _ in range(5):
    t0 = time.perf_counter()
    for _ in range(args.steps):
        step(x, y)
    rounds.append(time.perf_counter() - t0)
med = statistics.median(rounds)
print(f"torch train_step: {med / args.steps * 1e3:.3f} ms/step "
      f"({args.steps} steps: {med:.3f} s, median of 5)")

train = None if args.no_epoch else load(args.data, "train")
if train is not None:
    xs, ys = train
    t0 = time.perf_counter()
    perm = torch.randperm(xs.shape[0])
    for i in range(xs.shape[0] // 64):
        idx = perm[i * 64:(i + 1) * 64]
        step(xs[idx], ys[idx])
    print(f"torch epoch: {time.perf_counter() - t0:.3f} s ({xs.shape[0] // 64} steps)")
