#!/usr/bin/env bash
# benchmarks/train/lm_loss.sh - a language model's held-out loss over seeds, dlc vs PyTorch.
#
#   [MODEL=gpt_mini] [EPOCHS=1] benchmarks/train/lm_loss.sh [SEED...]   (default seeds: 0 1 2)
#
# Trains examples/$MODEL.dl (gpt_mini, char_lstm or char_rnn) on Debian's fortunes with the
# `dlc build` trainer (`train --seed S`) and the same model and recipe in PyTorch
# (seq_accuracy_torch.py --seed S: the same windows and held-out split, the same schedule),
# one thread each, and prints the held-out loss in nats per character after EPOCHS epochs,
# then the mean, min and max of each. Needs a build (build/bin/dlc; BUILD_DIR overrides) and,
# for the peer, Debian's python3-torch.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$root/build}
model=${MODEL:-gpt_mini}
epochs=${EPOCHS:-1}
seeds=("$@")
[ ${#seeds[@]} -gt 0 ] || seeds=(0 1 2)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=benchmarks/common.sh
. "$root/benchmarks/common.sh"
bench_openblas_env lm_loss

"$build/bin/dlc" build "$root/examples/$model.dl" -o "$tmp/$model"
have_torch=0
[ "${DLC_BENCH_TORCH:-1}" != 0 ] && /usr/bin/python3 -c 'import torch' 2>/dev/null && have_torch=1
for s in "${seeds[@]}"; do
  loss=$("$tmp/$model" train --seed "$s" --epochs "$epochs" --no-progress |
    sed -n 's/^test loss: //p')
  echo "dlc $s $loss" | tee -a "$tmp/all"
  if [ "$have_torch" = 1 ]; then
    loss=$(/usr/bin/python3 "$root/benchmarks/train/seq_accuracy_torch.py" --model "$model" \
      --epochs "$epochs" --seed "$s" | tail -1 | sed -E 's/.*held-out loss ([0-9.]+) nats.*/\1/')
    echo "torch $s $loss" | tee -a "$tmp/all"
  fi
done
[ "$have_torch" = 1 ] || echo "lm_loss: PyTorch skipped (python3-torch not installed or DLC_BENCH_TORCH=0)"
python3 - "$tmp/all" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    impl, seed, loss = line.split()
    rows.setdefault(impl, []).append(float(loss))
for impl, v in rows.items():
    print(f"{impl}: held-out loss mean {statistics.mean(v):.4f} nats "
          f"(min {min(v):.4f}, max {max(v):.4f}, {len(v)} seeds)")
PY
