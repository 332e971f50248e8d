"""make_shifted_csv.py DIR - a 3-class CSV data set whose test features are
shifted by +100 (trainer_batchnorm.dl): train.csv (64 rows) and test.csv
(32 rows), 4 features x0..x3 and a `label` column."""
import os
import random
import sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = random.Random(0)
for name, rows, shift in (("train.csv", 64, 0.0), ("test.csv", 32, 100.0)):
    with open(os.path.join(out, name), "w") as f:
        f.write("x0,x1,x2,x3,label\n")
        for _ in range(rows):
            c = rng.randrange(3)
            xs = [c + rng.gauss(0, 0.5) + shift for _ in range(4)]
            f.write(",".join(f"{v:.6f}" for v in xs) + f",{c}\n")
