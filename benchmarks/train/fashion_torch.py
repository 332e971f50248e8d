"""fashion_torch.py - the PyTorch side of dlc's Fashion-MNIST benchmarks.

The models of examples/fashion_mlp.dl (784-256-256-10, ReLU), cnn.dl,
vgg_mini.dl and resnet_mini.dl in PyTorch (torch.nn's default
initialization), their loss and optimizer (mean cross-entropy, Adam lr
1e-3), and the IDX/gzip data (pixels scaled by 1/255, as dlrt does). The
conv models take the flat [N, 784] batches and reshape them, as the .dl
files do. Shared by train_step_torch.py and accuracy_torch.py.
"""
import gzip
import os

import torch


def mlp():
    """The MLP, its loss function and its optimizer."""
    return build("fashion_mlp")


class Images(torch.nn.Module):
    """[N, 784] -> [N, 1, 28, 28]."""

    def forward(self, x):
        return x.reshape(-1, 1, 28, 28)


def conv_bn_relu(c_in, c_out):
    return [torch.nn.Conv2d(c_in, c_out, 3, padding=1, bias=False),
            torch.nn.BatchNorm2d(c_out), torch.nn.ReLU()]


class BasicBlock(torch.nn.Module):
    """conv-BN-ReLU-conv-BN, identity shortcut, ReLU (stdlib BasicBlock)."""

    def __init__(self, c):
        super().__init__()
        self.body = torch.nn.Sequential(
            *conv_bn_relu(c, c), torch.nn.Conv2d(c, c, 3, padding=1, bias=False),
            torch.nn.BatchNorm2d(c))

    def forward(self, x):
        return torch.relu(x + self.body(x))


def cnn_model():
    return torch.nn.Sequential(
        Images(), torch.nn.Conv2d(1, 32, 3, padding=1), torch.nn.ReLU(),
        torch.nn.MaxPool2d(2), torch.nn.Conv2d(32, 64, 3, padding=1),
        torch.nn.ReLU(), torch.nn.MaxPool2d(2), torch.nn.Flatten(),
        torch.nn.Linear(3136, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))


def vgg_mini_model():
    return torch.nn.Sequential(
        Images(), *conv_bn_relu(1, 32), *conv_bn_relu(32, 32),
        torch.nn.MaxPool2d(2), *conv_bn_relu(32, 64), *conv_bn_relu(64, 64),
        torch.nn.MaxPool2d(2), torch.nn.Flatten(), torch.nn.Linear(3136, 256),
        torch.nn.ReLU(), torch.nn.Dropout(0.5), torch.nn.Linear(256, 10))


def resnet_mini_model():
    return torch.nn.Sequential(
        Images(), *conv_bn_relu(1, 16), BasicBlock(16), BasicBlock(16),
        BasicBlock(16), torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten(),
        torch.nn.Linear(16, 10))


def mlp_model():
    return torch.nn.Sequential(
        torch.nn.Linear(784, 256), torch.nn.ReLU(),
        torch.nn.Linear(256, 256), torch.nn.ReLU(),
        torch.nn.Linear(256, 10))


MODELS = {"fashion_mlp": mlp_model, "cnn": cnn_model,
          "vgg_mini": vgg_mini_model, "resnet_mini": resnet_mini_model}


def build(name):
    """Model NAME (a key of MODELS), its loss function and its optimizer."""
    model = MODELS[name]()
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
