#!/usr/bin/env bash
# benchmarks/compile/run.sh - how long `dlc compile` takes and how much memory it needs.
#
# For each model: `dlc compile MODEL -o MODEL.o` (the whole pipeline, object and header) run
# DLC_COMPILE_REPS times (default 3), printing the best wall time, the best user CPU time and
# the largest peak RSS (/usr/bin/time -v), then the size of its LLVM dialect
# (`--emit=llvm-dialect`, lines). Models: examples/fashion_mlp.dl,
# examples/deep_residual_mlp.dl and benchmarks/compile/repeat64_residual.dl (128 tiny
# Linear layers: the cost per op), or the .dl files given as arguments. Needs a build
# (build/bin/dlc; BUILD_DIR overrides); DLC=path/to/dlc compares another binary. On a shared
# machine wall time moves with the load; user time much less.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$root/build}
dlc=${DLC:-$build/bin/dlc}
reps=${DLC_COMPILE_REPS:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ ! -x /usr/bin/time ]; then
  echo "compile: /usr/bin/time not found (apt-get install time)" >&2
  exit 1
fi
models=("$@")
if [ ${#models[@]} -eq 0 ]; then
  models=("$root/examples/fashion_mlp.dl" "$root/examples/deep_residual_mlp.dl"
          "$root/benchmarks/compile/repeat64_residual.dl")
fi
printf '%-24s %9s %9s %10s %12s\n' model "wall s" "user s" "peak MB" "LLVM lines"
for model in "${models[@]}"; do
  name=$(basename "$model" .dl)
  best_wall="" best_user="" peak=0
  for _ in $(seq "$reps"); do
    /usr/bin/time -v -o "$tmp/time" "$dlc" compile "$model" -o "$tmp/$name.o" > /dev/null
    wall=$(sed -n 's/.*Elapsed (wall clock) time.*: //p' "$tmp/time" |
           awk -F: '{ s = 0; for (i = 1; i <= NF; ++i) s = s * 60 + $i; print s }')
    user=$(sed -nE 's/.*User time \(seconds\): ([0-9.]+)/\1/p' "$tmp/time")
    rss=$(sed -nE 's/.*Maximum resident set size \(kbytes\): ([0-9]+)/\1/p' "$tmp/time")
    best_wall=$(awk -v a="$best_wall" -v b="$wall" 'BEGIN { print (a == "" || b < a) ? b : a }')
    best_user=$(awk -v a="$best_user" -v b="$user" 'BEGIN { print (a == "" || b < a) ? b : a }')
    [ "$rss" -gt "$peak" ] && peak=$rss
  done
  lines=$("$dlc" compile "$model" --emit=llvm-dialect -o - | wc -l)
  printf '%-24s %9.2f %9.2f %10.0f %12d\n' "$name" "$best_wall" "$best_user" "$((peak / 1024))" "$lines"
done
