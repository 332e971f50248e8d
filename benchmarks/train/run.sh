#!/usr/bin/env bash
# benchmarks/train/run.sh - the Fashion-MNIST MLP train step, dlc vs PyTorch.
#
# Same model (784-256-256-10, ReLU, cross-entropy), Adam lr 1e-3, batch 64,
# one thread each, pinned to one core, in one run: the time per train step on
# a fixed batch, and the wall time of one training epoch (937 steps) over
# Fashion-MNIST. Needs a build (build/bin/dlc; BUILD_DIR overrides) and, for
# the peer, Debian's python3-torch. OpenBLAS (PyTorch's BLAS here) is set up
# as for the kernel benchmarks: benchmarks/common.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$root/build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=benchmarks/common.sh
. "$root/benchmarks/common.sh"
bench_step_build
bench_openblas_env train
bench_pin train

"$build/bin/dlc" compile "$root/examples/fashion_mlp.dl" -o "$tmp/fashion_mlp.o"
"${step_cxx[@]}" -include "$tmp/fashion_mlp.h" "$root/benchmarks/train/train_step_dlc.cpp" \
  "$tmp/fashion_mlp.o" "${step_libs[@]}" -o "$tmp/train_step_dlc"
dlc_step=$("${pin[@]}" "$tmp/train_step_dlc")
echo "$dlc_step"

"$build/bin/dlc" build "$root/examples/fashion_mlp.dl" -o "$tmp/fashion_mlp"
dlc_epoch=$("${pin[@]}" "$tmp/fashion_mlp" train --epochs 1 --no-progress | grep '^epoch 1/1' || true)
echo "dlc epoch: $dlc_epoch"

if /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  torch_out=$("${pin[@]}" /usr/bin/python3 "$root/benchmarks/train/train_step_torch.py")
  echo "$torch_out"
  d=$(echo "$dlc_step" | sed -E 's/.*: ([0-9.]+) ms.*/\1/')
  t=$(echo "$torch_out" | sed -nE 's/^torch train_step: ([0-9.]+) ms.*/\1/p')
  awk -v d="$d" -v t="$t" 'BEGIN { printf "train step: dlc %.3f ms, torch %.3f ms: dlc is %.2fx faster\n", d, t, t / d }'
  # The trainer prints the epoch time to 0.1 s; its examples/s give it exactly.
  de=$(echo "$dlc_epoch" | sed -nE 's/.*\(([0-9.]+) ex\/s\).*/\1/p' | awk '{ if ($1 > 0) printf "%.3f", 937 * 64 / $1 }')
  te=$(echo "$torch_out" | sed -nE 's/^torch epoch: ([0-9.]+) s.*/\1/p')
  if [ -n "$de" ] && [ -n "$te" ]; then
    awk -v d="$de" -v t="$te" 'BEGIN { printf "epoch: dlc %.2f s, torch %.2f s: dlc is %.2fx faster\n", d, t, t / d }'
  fi
else
  echo "python3-torch is not installed: no peer figures (apt-get install python3-torch)"
fi
