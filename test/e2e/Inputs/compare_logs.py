"""compare_logs.py A B [--rtol R] - the trainer's CSV logs A and B hold the
same epochs with the same losses and accuracies (every column but
`seconds`) within RTOL (relative, or absolute below 1); exits 1 otherwise."""
import argparse
import csv
import sys

p = argparse.ArgumentParser()
p.add_argument("a")
p.add_argument("b")
p.add_argument("--rtol", type=float, default=1e-5)
args = p.parse_args()
ra = list(csv.DictReader(open(args.a)))
rb = list(csv.DictReader(open(args.b)))
if len(ra) != len(rb) or not ra:
    sys.exit(f"error: {len(ra)} rows in {args.a}, {len(rb)} in {args.b}")
worst = 0.0
for x, y in zip(ra, rb):
    for k in x:
        if k == "seconds":
            continue
        a, b = float(x[k]), float(y[k])
        d = abs(a - b) / max(1.0, abs(b))
        worst = max(worst, d)
        if d > args.rtol:
            sys.exit(f"error: epoch {x['epoch']} {k}: {a} vs {b}")
print(f"{len(ra)} epochs alike (largest relative difference {worst:.2g})")
