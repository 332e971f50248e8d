#!/usr/bin/env bash
# benchmarks/models/run.sh - the five reference models' train step, dlc vs PyTorch, at 1 and
# 2 threads, in one run.
#
#   benchmarks/models/run.sh [MODEL...]
#     (default: fashion_mlp cnn resnet_mini char_lstm gpt_mini; a model without an
#     examples/MODEL.dl is listed as "missing")
#
# Each of examples/MODEL.dl (train_step_dlc.cpp, built as benchmarks/train/run.sh,
# conv_run.sh, seq_run.sh and gpt_run.sh build it) and the same model in PyTorch
# (train_step_torch.py, seq_torch.py, gpt_torch.py), each at 1 thread pinned to one core
# (bench_pin: core 1) and at 2 threads pinned to cores 0,1: the median time per train step
# over 5 rounds of STEPS steps on a fixed random batch. Per model it prints the four times,
# the ratio torch/dlc at each thread count (> 1: dlc is faster), dlc's GFLOP/s and its
# fraction of the FMA peak (1 thread: one core's; 2 threads: twice that), and the 1 -> 2
# thread speed-up of each; at the end the geometric mean of the ratios at 1 and at 2 threads.
# The FLOPs are the convolutions' and matmuls' multiply-adds from the shapes, 2 FLOPs each,
# and the backward counted as twice the forward (as seq_run.sh and gpt_run.sh count them).
#
# Environment:
#   STEPS        steps per round, for every model (default: 200 for fashion_mlp, 20 for the
#                others; the default run takes a few minutes)
#   PEAK_GFLOPS  one core's f32 FMA peak (default: `peak/fma` of BUILD_DIR's dlc-bench-conv,
#                measured in this run on the 1-thread core; without that binary
#                (-DDLC_BUILD_BENCHMARKS=ON) the %peak columns are "-")
#   BUILD_DIR    the build (default build/; needs build/bin/dlc and build/lib/libdlrt.a)
#   DLC_BENCH_*  as benchmarks/common.sh reads them (OpenBLAS kernels, the 1-thread core)
# The peer needs Debian's python3-torch; without it only dlc's figures are printed.
# OpenBLAS is set up as for the kernel benchmarks (bench_openblas_env: 1 thread); the
# PyTorch peers' --threads N sets OMP/OPENBLAS/MKL_NUM_THREADS to N before torch loads, and
# at N > 1 OMP_WAIT_POLICY=PASSIVE (unless set): libgomp's spinning threads otherwise starve
# OpenBLAS's own, and PyTorch's 2-thread step is 3-15x slower than its 1-thread one.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$root/build}
models=("$@")
[ ${#models[@]} -gt 0 ] || models=(fashion_mlp cnn resnet_mini char_lstm gpt_mini)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=benchmarks/common.sh
. "$root/benchmarks/common.sh"
bench_step_build
bench_openblas_env models
bench_pin models
pin1=("${pin[@]}")
peak=${PEAK_GFLOPS:-}
peak_from="PEAK_GFLOPS"
if [ -z "$peak" ] && [ -x "$build/bin/dlc-bench-conv" ]; then
  peak=$("${pin1[@]}" "$build/bin/dlc-bench-conv" --benchmark_filter='^peak/fma' \
    --benchmark_min_time=0.3 2>/dev/null | sed -nE 's/.* flop=([0-9.]+)G.*/\1/p' | head -1)
  peak_from="peak/fma, measured now"
fi
[ -n "$peak" ] || { peak=-; peak_from="not measured: no dlc-bench-conv"; }
pin2=()
if [ ${#pin1[@]} -gt 0 ] && [ "$(getconf _NPROCESSORS_ONLN)" -gt 1 ]; then
  pin2=(taskset -c "0,1")
  echo "models: 2 threads pinned to cores 0,1"
else
  echo "models: 2 threads unpinned"
fi
have_torch=0
/usr/bin/python3 -c 'import torch' 2>/dev/null && have_torch=1
echo "models: dlc at $(git -C "$root" describe --always --dirty 2>/dev/null || echo '?')," \
  "FMA peak $peak GFLOP/s per core ($peak_from), STEPS=${STEPS:-default}"

# ms/step from a train_step line (dlc's or PyTorch's); fails without one.
ms_of() {
  sed -nE 's/^(dlc|torch) train_step: ([0-9.]+) ms.*/\2/p' | grep . ||
    { echo "models: no train_step line" >&2; return 1; }
}

# One row per model; a figure that was not measured is "-". %peak: of one core's FMA peak at
# 1 thread, of two cores' at 2 threads.
row() {
  awk -v m="$1" -v f="$2" -v d1="$3" -v d2="$4" -v t1="$5" -v t2="$6" -v p="$peak" 'BEGIN {
    r1 = t1 != "-" ? sprintf("%.2f", t1 / d1) : "-"
    r2 = t2 != "-" ? sprintf("%.2f", t2 / d2) : "-"
    ts = t1 != "-" ? sprintf("%.2fx", t1 / t2) : "-"
    g1 = f / d1 / 1e6; g2 = f / d2 / 1e6
    p1 = p != "-" ? sprintf("%.1f%%", 100 * g1 / p) : "-"
    p2 = p != "-" ? sprintf("%.1f%%", 100 * g2 / (2 * p)) : "-"
    printf "%-12s %5.3f | %8.3f %8s %9s %7.1f %6s | %8.3f %8s %9s %7.1f %6s | %5.2fx %6s\n",
      m, f / 1e9, d1, t1, r1, g1, p1, d2, t2, r2, g2, p2, d1 / d2, ts
  }'
}

echo
printf '%-12s %5s | %-42s | %-42s | %s\n' "" GFLOP "1 thread (%peak: of one core's peak)" \
  "2 threads (%peak: of two cores' peak)" "1 -> 2 threads"
printf '%-12s %5s | %8s %8s %9s %7s %6s | %8s %8s %9s %7s %6s | %6s %6s\n' model /step \
  "dlc ms" "torch ms" torch/dlc GFLOP/s %peak "dlc ms" "torch ms" torch/dlc GFLOP/s %peak \
  dlc torch
ratios1=() ratios2=()
for m in "${models[@]}"; do
  if [ ! -f "$root/examples/$m.dl" ]; then
    printf '%-12s missing (no examples/%s.dl)\n' "$m" "$m"
    continue
  fi
  upper=$(echo "$m" | tr '[:lower:]' '[:upper:]')
  steps=${STEPS:-20}
  flags=()
  case $m in
    fashion_mlp)
      steps=${STEPS:-200}
      # Batch 64 of 784 -> 256 -> 256 -> 10.
      macs=$(( 64 * (784 * 256 + 256 * 256 + 256 * 10) ))
      peer=(train_step_torch.py --model "$m" --no-epoch) ;;
    cnn)
      # Batch 64: conv 1 -> 32 3x3 pad 1 on 28x28, (pool) conv 32 -> 64 3x3 pad 1 on 14x14,
      # (pool) Linear 64*7*7 = 3136 -> 128, 128 -> 10.
      macs=$(( 64 * (28 * 28 * 32 * 1 * 9 + 14 * 14 * 64 * 32 * 9 + 3136 * 128 + 128 * 10) ))
      peer=(train_step_torch.py --model "$m" --no-epoch) ;;
    resnet_mini)
      # Batch 64: stem conv 1 -> 16 3x3 pad 1 on 28x28, 3 basic blocks of two 16 -> 16 3x3
      # pad 1 convs on 28x28 (BasicBlock, stdlib/nn.dl), (global average pool) Linear 16 -> 10.
      macs=$(( 64 * (28 * 28 * 16 * 1 * 9 + 3 * 2 * 28 * 28 * 16 * 16 * 9 + 16 * 10) ))
      peer=(train_step_torch.py --model "$m" --no-epoch) ;;
    char_lstm)
      # Batch 32 of 64 tokens, V 128, Embedding 64, LSTM 256 (4 gates): per token x E -> 4H,
      # h H -> 4H, then H -> V (seq_run.sh).
      B=32 T=64 V=128 E=64 H=256
      macs=$(( B * T * (E * 4 * H + H * 4 * H + H * V) ))
      flags=(-DTOKENS -DX_ELEMS=$((B * T)) -DY_ELEMS=$((B * T)) "-DCLASSES=$V")
      peer=(seq_torch.py --model "$m") ;;
    gpt_mini)
      # Batch 16 of 64 tokens, V 128, d 128, 4 layers: per layer and token q, k, v, out
      # (4 D^2), MLP (8 D^2), scores and P V (2 T D); the head D V per token (gpt_run.sh).
      B=16 T=64 V=128 D=128 L=4
      macs=$(( B * T * (L * (12 * D * D + 2 * T * D) + D * V) ))
      flags=(-DTOKENS -DX_ELEMS=$((B * T)) -DY_ELEMS=$((B * T)) "-DCLASSES=$V")
      peer=(gpt_torch.py) ;;
    *)
      printf '%-12s not set up here (no FLOP count or peer)\n' "$m"
      continue ;;
  esac
  # 2 FLOPs per multiply-add; the backward twice the forward.
  flops=$(( 3 * 2 * macs ))
  "$build/bin/dlc" compile "$root/examples/$m.dl" -o "$tmp/$m.o"
  "${step_cxx[@]}" -include "$tmp/$m.h" -DMODEL="$m" -DMODEL_UPPER="$upper" "${flags[@]}" \
    "$root/benchmarks/train/train_step_dlc.cpp" "$tmp/$m.o" "${step_libs[@]}" -o "$tmp/$m.exe"
  d1=$("${pin1[@]}" "$tmp/$m.exe" "$steps" 1 | ms_of)
  d2=$("${pin2[@]}" "$tmp/$m.exe" "$steps" 2 | ms_of)
  t1=- t2=-
  if [ "$have_torch" = 1 ]; then
    py=(/usr/bin/python3 "$root/benchmarks/train/${peer[0]}" "${peer[@]:1}" --steps "$steps")
    t1=$("${pin1[@]}" "${py[@]}" --threads 1 | ms_of)
    t2=$("${pin2[@]}" "${py[@]}" --threads 2 | ms_of)
    ratios1+=("$(awk -v d="$d1" -v t="$t1" 'BEGIN { print t / d }')")
    ratios2+=("$(awk -v d="$d2" -v t="$t2" 'BEGIN { print t / d }')")
  fi
  row "$m" "$flops" "$d1" "$d2" "$t1" "$t2"
done
echo
if [ ${#ratios1[@]} -gt 0 ]; then
  awk -v a="${ratios1[*]}" -v b="${ratios2[*]}" 'BEGIN {
    n = split(a, r1, " "); split(b, r2, " ")
    for (i = 1; i <= n; ++i) { l1 += log(r1[i]); l2 += log(r2[i]) }
    printf "geometric mean of torch/dlc over %d models: %.2f at 1 thread, %.2f at 2 threads\n",
      n, exp(l1 / n), exp(l2 / n) }'
fi
[ "$have_torch" = 1 ] || echo "python3-torch is not installed: no peer figures"
