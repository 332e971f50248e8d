#!/usr/bin/env bash
# benchmarks/train/seq_run.sh - the recurrent language models' train step, dlc vs PyTorch.
#
#   benchmarks/train/seq_run.sh [MODEL...]   (default: char_rnn char_lstm)
#
# Each of examples/MODEL.dl (batch 32 of 64 characters, V = 128) and the same model in
# PyTorch (seq_torch.py: nn.RNN / nn.LSTM, Adam), one thread each, pinned to one core, in
# one run: the median time per train step over 5 rounds of STEPS steps (default 20) on a
# fixed random batch, the ratio, and dlc's GFLOP/s (the matmuls' FLOPs from the shapes:
# forward, and twice that backward). Needs a build (build/bin/dlc; BUILD_DIR overrides)
# and, for the peer, Debian's python3-torch.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$root/build}
steps=${STEPS:-20}
models=("$@")
[ ${#models[@]} -gt 0 ] || models=(char_rnn char_lstm)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=benchmarks/common.sh
. "$root/benchmarks/common.sh"
bench_step_build
bench_openblas_env seq
bench_pin seq
have_torch=0
/usr/bin/python3 -c 'import torch' 2>/dev/null && have_torch=1

B=32 T=64 V=128 E=64 H=256
for m in "${models[@]}"; do
  upper=$(echo "$m" | tr '[:lower:]' '[:upper:]')
  gates=1
  [ "$m" = char_lstm ] && gates=4
  # Per step: x E -> gates H, h H -> gates H, then H -> V; backward twice that.
  flops=$(( 3 * 2 * B * T * (E * gates * H + H * gates * H + H * V) ))
  "$build/bin/dlc" compile "$root/examples/$m.dl" -o "$tmp/$m.o"
  "${step_cxx[@]}" -include "$tmp/$m.h" -DMODEL="$m" -DMODEL_UPPER="$upper" \
    -DTOKENS -DX_ELEMS=$((B * T)) -DY_ELEMS=$((B * T)) -DCLASSES=$V \
    "$root/benchmarks/train/train_step_dlc.cpp" "$tmp/$m.o" "${step_libs[@]}" -o "$tmp/$m.exe"
  d_out=$("${pin[@]}" "$tmp/$m.exe" "$steps")
  d=$(echo "$d_out" | sed -E 's/.*: ([0-9.]+) ms.*/\1/')
  line=$(awk -v m="$m" -v d="$d" -v f="$flops" \
    'BEGIN { printf "%s: dlc %.3f ms/step (%.1f GFLOP/s)", m, d, f / d / 1e6 }')
  if [ "$have_torch" = 1 ]; then
    t_out=$("${pin[@]}" /usr/bin/python3 "$root/benchmarks/train/seq_torch.py" \
      --model "$m" --steps "$steps")
    t=$(echo "$t_out" | sed -nE 's/^torch train_step: ([0-9.]+) ms.*/\1/p')
    line=$(awk -v l="$line" -v d="$d" -v t="$t" \
      'BEGIN { printf "%s, torch %.3f ms/step: dlc is %.2fx faster\n", l, t, t / d }')
  fi
  echo "$line"
done
[ "$have_torch" = 1 ] || echo "python3-torch is not installed: no peer figures"
