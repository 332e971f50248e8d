"""accuracy_torch.py - PyTorch's side of benchmarks/train/accuracy.sh.

A Fashion-MNIST model of fashion_torch.py (default the MLP 784-256-256-10;
torch.nn's default initialization), mean cross-entropy, Adam lr 1e-3,
batches of 64 reshuffled every epoch (the last partial batch dropped, as dlrt
does), one thread; trained in train() mode, tested in eval() mode (batch
norm's running statistics, no dropout). Prints one line per seed: the seed,
then the test accuracy after each epoch.

  accuracy_torch.py [--model NAME] DATA_DIR EPOCHS SEED [SEED...]
"""
import os
import sys

os.environ.setdefault("OMP_NUM_THREADS", "1")
import torch  # noqa: E402

import argparse  # noqa: E402

from fashion_torch import MODELS, build, load  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", choices=MODELS, default="fashion_mlp")
    ap.add_argument("data")
    ap.add_argument("epochs", type=int)
    ap.add_argument("seeds", type=int, nargs="+")
    a = ap.parse_args()
    data, epochs, seeds = a.data, a.epochs, a.seeds
    torch.set_num_threads(1)
    train, test = load(data, "train"), load(data, "t10k")
    if train is None or test is None:
        sys.exit(f"accuracy_torch: no Fashion-MNIST IDX files in {data}")
    (xtr, ytr), (xte, yte) = train, test
    steps = xtr.shape[0] // 64
    for seed in seeds:
        torch.manual_seed(seed)
        model, loss_fn, opt = build(a.model)
        accs = []
        for _ in range(epochs):
            model.train()
            perm = torch.randperm(xtr.shape[0])
            for i in range(steps):
                idx = perm[i * 64:(i + 1) * 64]
                opt.zero_grad()
                loss_fn(model(xtr[idx]), ytr[idx]).backward()
                opt.step()
            model.eval()
            with torch.no_grad():
                right = sum((model(xte[i:i + 1000]).argmax(1) == yte[i:i + 1000]).sum().item()
                            for i in range(0, xte.shape[0], 1000))
            accs.append(right / xte.shape[0])
        print(seed, " ".join(f"{a:.4f}" for a in accs), flush=True)


if __name__ == "__main__":
    main()
