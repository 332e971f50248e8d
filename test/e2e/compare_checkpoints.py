#!/usr/bin/env python3
"""compare_checkpoints.py A B [--rtol R] [--atol A] [--only NAME,...]

Compares two dlrt checkpoints (safetensors) tensor by tensor: every tensor
of A must be in B with the same shape, and |a - b| <= atol + rtol * |b|
elementwise. Prints the largest differences; exits 1 when any tensor is off.
"""
import argparse
import json
import struct
import sys

import numpy as np

DTYPES = {"F32": np.float32, "F64": np.float64, "I32": np.int32, "I64": np.int64}


def load(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    body = data[8 + n:]
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        a, b = info["data_offsets"]
        arr = np.frombuffer(body[a:b], dtype=DTYPES[info["dtype"]])
        tensors[name] = arr.reshape(info["shape"]).astype(np.float64)
    return tensors, header.get("__metadata__", {})


def main():
    p = argparse.ArgumentParser()
    p.add_argument("a")
    p.add_argument("b")
    p.add_argument("--rtol", type=float, default=1e-4)
    p.add_argument("--atol", type=float, default=1e-6)
    p.add_argument("--only", default="", help="comma-separated names: compare these alone")
    args = p.parse_args()
    ta, _ = load(args.a)
    tb, _ = load(args.b)
    only = [s for s in args.only.split(",") if s]
    for name in only:
        if name not in ta:
            print(f"{name}: missing in {args.a}")
            return 1
    bad = 0
    worst = (0.0, "")
    compared = 0
    for name, a in sorted(ta.items()):
        if only and name not in only:
            continue
        compared += 1
        if name not in tb:
            print(f"{name}: missing in {args.b}")
            bad += 1
            continue
        b = tb[name]
        if a.shape != b.shape:
            print(f"{name}: shape {a.shape} vs {b.shape}")
            bad += 1
            continue
        excess = np.abs(a - b) - (args.atol + args.rtol * np.abs(b))
        d = float(np.max(np.abs(a - b))) if a.size else 0.0
        if d > worst[0]:
            worst = (d, name)
        if a.size and float(np.max(excess)) > 0:
            print(f"{name}: max |a - b| = {d:.3g} beyond atol {args.atol} + rtol {args.rtol}")
            bad += 1
    print(f"compared {compared} tensors; largest difference {worst[0]:.3g} ({worst[1]}); "
          f"{bad} off")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
