"""train_step_torch.py - the Fashion-MNIST MLP train step in PyTorch, 1 thread.

Part of dlc's benchmarks (benchmarks/train/run.sh): the peer of
train_step_dlc.cpp. Same model (784-256-256-10, ReLU, mean cross-entropy),
Adam lr 1e-3, batch 64. Prints the median time per step over 5 rounds of 937
steps on a fixed random batch, and the wall time of one epoch over the real
training set (shuffled batches of 64, 937 steps) when the data is present.
"""
import os
import statistics
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import torch  # noqa: E402

from fashion_torch import load, mlp  # noqa: E402

torch.set_num_threads(1)
torch.manual_seed(1)
model, loss_fn, opt = mlp()


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
    for _ in range(937):
        step(x, y)
    rounds.append(time.perf_counter() - t0)
med = statistics.median(rounds)
print(f"torch train_step: {med / 937 * 1e3:.3f} ms/step (937 steps: {med:.3f} s, median of 5)")

data = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist"
train = load(data, "train")
if train is not None:
    xs, ys = train
    t0 = time.perf_counter()
    perm = torch.randperm(xs.shape[0])
    for i in range(xs.shape[0] // 64):
        idx = perm[i * 64:(i + 1) * 64]
        step(xs[idx], ys[idx])
    print(f"torch epoch: {time.perf_counter() - t0:.3f} s ({xs.shape[0] // 64} steps)")
