#!/usr/bin/env bash
# benchmarks/train/conv_run.sh - the convolutional models' train step, dlc vs PyTorch.
#
#   benchmarks/train/conv_run.sh [MODEL...]   (default: cnn resnet_mini vgg_mini)
#
# Each of examples/MODEL.dl and the same model in PyTorch (fashion_torch.py; Adam lr 1e-3,
# batch 64), one thread each, pinned to one core, in one run: the median time per train
# step over 5 rounds of STEPS steps (default 50) on a fixed random batch, and the ratio.
# With PROFILE=1 (and perf installed) also dlc's time per generated kernel over one
# round (perf report, self time). Needs a build (build/bin/dlc; BUILD_DIR overrides) and,
# for the peer, Debian's python3-torch. OpenBLAS is set up as for the kernel benchmarks.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$root/build}
steps=${STEPS:-50}
models=("$@")
[ ${#models[@]} -gt 0 ] || models=(cnn resnet_mini vgg_mini)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=benchmarks/common.sh
. "$root/benchmarks/common.sh"
bench_step_build
bench_openblas_env conv
bench_pin conv
have_torch=0
/usr/bin/python3 -c 'import torch' 2>/dev/null && have_torch=1

for m in "${models[@]}"; do
  upper=$(echo "$m" | tr '[:lower:]' '[:upper:]')
  "$build/bin/dlc" compile "$root/examples/$m.dl" -o "$tmp/$m.o"
  "${step_cxx[@]}" -include "$tmp/$m.h" -DMODEL="$m" -DMODEL_UPPER="$upper" \
    "$root/benchmarks/train/train_step_dlc.cpp" "$tmp/$m.o" "${step_libs[@]}" -o "$tmp/$m.exe"
  d_out=$("${pin[@]}" "$tmp/$m.exe" "$steps")
  d=$(echo "$d_out" | sed -E 's/.*: ([0-9.]+) ms.*/\1/')
  line="$m: dlc $d ms/step"
  if [ "$have_torch" = 1 ]; then
    t_out=$("${pin[@]}" /usr/bin/python3 "$root/benchmarks/train/train_step_torch.py" \
      --model "$m" --steps "$steps" --no-epoch)
    t=$(echo "$t_out" | sed -nE 's/^torch train_step: ([0-9.]+) ms.*/\1/p')
    line=$(awk -v l="$line" -v d="$d" -v t="$t" \
      'BEGIN { printf "%s, torch %.3f ms/step: dlc is %.2fx faster\n", l, t, t / d }')
  fi
  echo "$line"
  if [ "${PROFILE:-0}" = 1 ] && command -v perf > /dev/null 2>&1; then
    perf record -q -o "$tmp/$m.perf" "${pin[@]}" "$tmp/$m.exe" "$steps" > /dev/null 2>&1 || true
    perf report -q -i "$tmp/$m.perf" --no-children --sort symbol 2> /dev/null |
      awk -v d="$d" 'NF >= 3 && $1 ~ /%$/ { p = $1; sub(/%/, "", p);
        if (p + 0 >= 1.0) printf "    %6.2f ms/step  %5.1f%%  %s\n", p / 100 * d, p, $3 }' |
      head -20
  fi
done
[ "$have_torch" = 1 ] || echo "python3-torch is not installed: no peer figures"
