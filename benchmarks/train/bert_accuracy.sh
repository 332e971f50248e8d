#!/usr/bin/env bash
# benchmarks/train/bert_accuracy.sh - BERT-mini pre-training, dlc vs PyTorch.
#
#   [EPOCHS=1] benchmarks/train/bert_accuracy.sh [SEED...]   (default seed: 0)
#
# Trains examples/bert_mini.dl (4 pre-norm encoder blocks of d 128, masked-LM head tied to
# the token embedding, next-sentence head; batch 32 of 64 tokens, AdamW with warmup, cosine
# decay and clipping) on dlrt's `bert` data set with the `dlc build` trainer (`train --seed
# S`), and the same model and recipe in PyTorch (bert_torch.py, from dlc's initialization)
# on the same examples (bert_data.cpp dumps them), one thread each, pinned. Prints per seed
# and implementation the held-out masked-LM accuracy (over the masked positions), the NSP
# accuracy and the train time per step, and the most-frequent-target baseline. dlc's
# `--epochs` would stretch the schedule too; EPOCHS edits the model's `epochs` so that both
# read the same horizon. Needs a build (build/bin/dlc, build/lib/libdlrt.a; BUILD_DIR
# overrides) and, for the peer, Debian's python3-torch.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$root/build}
epochs=${EPOCHS:-1}
seeds=("$@")
[ ${#seeds[@]} -gt 0 ] || seeds=(0)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=benchmarks/common.sh
. "$root/benchmarks/common.sh"
bench_openblas_env bert
bench_pin bert

sed -E "s/^( *epochs )[0-9]+/\1$epochs/" "$root/examples/bert_mini.dl" > "$tmp/bert_mini.dl"
"$build/bin/dlc" build "$tmp/bert_mini.dl" -o "$tmp/bert_mini"
c++ -std=c++17 -O2 -I "$root/runtime/include" "$root/benchmarks/train/bert_data.cpp" \
  "$build/lib/libdlrt.a" -lz -o "$tmp/bert_data"
mkdir -p "$tmp/data"
"$tmp/bert_data" "$tmp/data"
have_torch=0
[ "${DLC_BENCH_TORCH:-1}" != 0 ] && /usr/bin/python3 -c 'import torch' 2>/dev/null && have_torch=1
for s in "${seeds[@]}"; do
  "${pin[@]}" "$tmp/bert_mini" train --seed "$s" --no-progress --log "$tmp/log.csv" > /dev/null
  # 32,000 examples in batches of 32: 1,000 steps per epoch.
  tail -n +2 "$tmp/log.csv" | awk -F, -v s="$s" \
    '{ printf "dlc seed %s epoch %d test mlm_acc %.4f nsp_acc %.4f ms_per_step %.1f\n",
       s, $1, $6, $7, $8 * 1000 / 1000 }'
  if [ "$have_torch" = 1 ]; then
    "${pin[@]}" /usr/bin/python3 "$root/benchmarks/train/bert_torch.py" "$tmp/data" \
      --epochs "$epochs" --seed "$s" | sed "s/^/torch seed $s /"
  fi
done
[ "$have_torch" = 1 ] || echo "bert: PyTorch skipped (python3-torch not installed or DLC_BENCH_TORCH=0)"
