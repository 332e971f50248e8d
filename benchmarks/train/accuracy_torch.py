"""accuracy_torch.py - PyTorch's side of benchmarks/train/accuracy.sh.

The Fashion-MNIST MLP (784-256-256-10, ReLU, torch.nn.Linear's default
initialization), mean cross-entropy, Adam lr 1e-3, batches of 64 reshuffled
every epoch (the last partial batch dropped, as dlrt does), one thread.
Prints one line per seed: the seed, then the test accuracy after each epoch.

  accuracy_torch.py DATA_DIR EPOCHS SEED [SEED...]
"""
import os
import sys

os.environ.setdefault("OMP_NUM_THREADS", "1")
import torch  # noqa: E402

from fashion_torch import load, mlp  # noqa: E402


def main():
    data, epochs, seeds = sys.argv[1], int(sys.argv[2]), [int(s) for s in sys.argv[3:]]
    torch.set_num_threads(1)
    train, test = load(data, "train"), load(data, "t10k")
    if train is None or test is None:
        sys.exit(f"accuracy_torch: no Fashion-MNIST IDX files in {data}")
    (xtr, ytr), (xte, yte) = train, test
    steps = xtr.shape[0] // 64
    for seed in seeds:
        torch.manual_seed(seed)
        model, loss_fn, opt = mlp()
        accs = []
        for _ in range(epochs):
            perm = torch.randperm(xtr.shape[0])
            for i in range(steps):
                idx = perm[i * 64:(i + 1) * 64]
                opt.zero_grad()
                loss_fn(model(xtr[idx]), ytr[idx]).backward()
                opt.step()
            with torch.no_grad():
                accs.append((model(xte).argmax(1) == yte).float().mean().item())
        print(seed, " ".join(f"{a:.4f}" for a in accs), flush=True)


if __name__ == "__main__":
    main()
