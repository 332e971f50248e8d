"""make_blobs_csv.py DIR - a 3-class CSV data set for the data-parallel
tests (mpi*.dl): train.csv (256 rows) and test.csv (64 rows), 8 features
x0..x7 around a class centre, and a `label` column."""
import os
import random
import sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = random.Random(0)
centres = [[rng.gauss(0, 1) for _ in range(8)] for _ in range(3)]
for name, rows in (("train.csv", 256), ("test.csv", 64)):
    with open(os.path.join(out, name), "w") as f:
        f.write(",".join(f"x{i}" for i in range(8)) + ",label\n")
        for _ in range(rows):
            c = rng.randrange(3)
            xs = [m + rng.gauss(0, 1.0) + 2.0 for m in centres[c]]
            f.write(",".join(f"{v:.6f}" for v in xs) + f",{c}\n")
