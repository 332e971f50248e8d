"""fashion_torch.py - the PyTorch side of dlc's Fashion-MNIST MLP benchmarks.

The model of examples/fashion_mlp.dl in PyTorch (784-256-256-10, ReLU,
torch.nn.Linear's default initialization), its loss and optimizer (mean
cross-entropy, Adam lr 1e-3), and the IDX/gzip data (pixels scaled by 1/255,
as dlrt does). Shared by train_step_torch.py and accuracy_torch.py.
"""
import gzip
import os

import torch


def mlp():
    """The model, its loss function and its optimizer."""
    model = torch.nn.Sequential(
        torch.nn.Linear(784, 256), torch.nn.ReLU(),
        torch.nn.Linear(256, 256), torch.nn.ReLU(),
        torch.nn.Linear(256, 10))
    return model, torch.nn.CrossEntropyLoss(), torch.optim.Adam(model.parameters(), lr=1e-3)


def load(data, split):
    """Images [N, 784] in [0, 1] and labels [N] of SPLIT ("train" or "t10k"),
    or None when DATA does not hold them."""
    images = os.path.join(data, f"{split}-images-idx3-ubyte.gz")
    labels = os.path.join(data, f"{split}-labels-idx1-ubyte.gz")
    if not (os.path.exists(images) and os.path.exists(labels)):
        return None
    with gzip.open(images) as f:
        x = torch.frombuffer(bytearray(f.read()[16:]), dtype=torch.uint8)
    with gzip.open(labels) as f:
        y = torch.frombuffer(bytearray(f.read()[8:]), dtype=torch.uint8)
    return x.view(-1, 784).float() / 255.0, y.long()
