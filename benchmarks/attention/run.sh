#!/usr/bin/env bash
# benchmarks/attention/run.sh - fused attention against the unfused form, in gpt_mini.
#
#   benchmarks/attention/run.sh
#
# examples/gpt_mini.dl at its reference size (batch 16, context 64) and at context 512
# (batch 2: the same tokens per step), compiled twice: as dlc compiles it (dl.attention
# lowered fused, FlashAttention-style) and unfused (`dlc-opt --dl-decompose-attention`
# on the model's dl before dlc compiles it: batched matmuls, a softmax, the
# [B, H, T, T] probabilities kept for the backward pass). Per form: the train step's
# median time (train_step_dlc.cpp, one pinned core, STEPS steps, default 10) and the
# workspace peak of train_step and forward from `--emit=memory-plan`. Needs a build
# (build/bin/dlc and dlc-opt; BUILD_DIR overrides).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$root/build}
steps=${STEPS:-10}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=benchmarks/common.sh
. "$root/benchmarks/common.sh"
bench_step_build
bench_pin attention

# peak FUNCTION PLAN: FUNCTION's workspace peak in MiB.
peak() {
  sed -nE "s/^function gpt_mini_$1: .* workspace peak ([0-9]+) bytes.*/\1/p" "$2" |
    awk '{ printf "%.1f", $1 / 1048576 }'
}

printf "%-8s %-8s %12s %16s %14s\n" context form "ms/step" "train_step MiB" "forward MiB"
for config in "16 64" "2 512"; do
  read -r B T <<< "$config"
  dir="$tmp/t$T"
  mkdir -p "$dir"
  sed -E "s/^const B = .*/const B = $B/; s/^const T = .*/const T = $T/" \
    "$root/examples/gpt_mini.dl" > "$dir/gpt_mini.dl"
  "$build/bin/dlc" compile -I "$root/stdlib" "$dir/gpt_mini.dl" --emit=dl -o "$dir/fused.mlir"
  "$build/bin/dlc-opt" --dl-decompose-attention "$dir/fused.mlir" -o "$dir/unfused.mlir"
  for form in fused unfused; do
    "$build/bin/dlc" compile "$dir/$form.mlir" -o "$dir/$form.o" --header="$dir/$form.h"
    "$build/bin/dlc" compile "$dir/$form.mlir" --emit=memory-plan -o "$dir/$form.plan"
    "${step_cxx[@]}" -include "$dir/$form.h" -DMODEL=gpt_mini -DMODEL_UPPER=GPT_MINI \
      -DTOKENS -DX_ELEMS=$((B * T)) -DY_ELEMS=$((B * T)) -DCLASSES=128 \
      "$root/benchmarks/train/train_step_dlc.cpp" "$dir/$form.o" "${step_libs[@]}" -o "$dir/$form.exe"
    ms=$("${pin[@]}" "$dir/$form.exe" "$steps" | sed -E 's/.*: ([0-9.]+) ms.*/\1/')
    printf "%-8s %-8s %12.2f %16s %14s\n" "$T" "$form" "$ms" \
      "$(peak train_step "$dir/$form.plan")" "$(peak forward "$dir/$form.plan")"
  done
done
