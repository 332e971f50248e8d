#!/usr/bin/env bash
# benchmarks/train/gpt_run.sh - the GPT reference model's train step, dlc vs PyTorch.
#
#   benchmarks/train/gpt_run.sh
#
# examples/gpt_mini.dl (d 128, 4 layers, 4 causal heads, context 64, batch 16, AdamW with
# clipping) and the same model in PyTorch (gpt_torch.py: nn.TransformerEncoderLayer x 4,
# norm_first, gelu, causal mask), one thread each, pinned to one core, in one run: the
# median time per train step over 5 rounds of STEPS steps (default 10) on a fixed random
# batch, the ratio, dlc's GFLOP/s (the matmuls' FLOPs from the shapes, backward twice the
# forward) and the time `dlc compile` takes. Needs a build (build/bin/dlc; BUILD_DIR
# overrides) and, for the peer, Debian's python3-torch.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$root/build}
steps=${STEPS:-10}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=benchmarks/common.sh
. "$root/benchmarks/common.sh"
bench_step_build
bench_openblas_env gpt
bench_pin gpt
have_torch=0
/usr/bin/python3 -c 'import torch' 2>/dev/null && have_torch=1

m=gpt_mini B=16 T=64 V=128 D=128 L=4
# Per layer: q, k, v, out (4 D^2), MLP (8 D^2) per token, scores and P V (2 T D per
# token); the head D V per token; 2 FLOPs per multiply-add; backward twice.
flops=$(( 3 * 2 * B * T * (L * (12 * D * D + 2 * T * D) + D * V) ))
start=$(date +%s.%N)
"$build/bin/dlc" compile "$root/examples/$m.dl" -o "$tmp/$m.o"
end=$(date +%s.%N)
"${step_cxx[@]}" -include "$tmp/$m.h" -DMODEL="$m" -DMODEL_UPPER=GPT_MINI \
  -DTOKENS -DX_ELEMS=$((B * T)) -DY_ELEMS=$((B * T)) -DCLASSES=$V \
  "$root/benchmarks/train/train_step_dlc.cpp" "$tmp/$m.o" "${step_libs[@]}" -o "$tmp/$m.exe"
d_out=$("${pin[@]}" "$tmp/$m.exe" "$steps")
d=$(echo "$d_out" | sed -E 's/.*: ([0-9.]+) ms.*/\1/')
line=$(awk -v m="$m" -v d="$d" -v f="$flops" -v c="$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')" \
  'BEGIN { printf "%s: dlc compile %.1f s; dlc %.3f ms/step (%.1f GFLOP/s)", m, c, d, f / d / 1e6 }')
if [ "$have_torch" = 1 ]; then
  t_out=$("${pin[@]}" /usr/bin/python3 "$root/benchmarks/train/gpt_torch.py" --steps "$steps")
  t=$(echo "$t_out" | sed -nE 's/^torch train_step: ([0-9.]+) ms.*/\1/p')
  line=$(awk -v l="$line" -v d="$d" -v t="$t" \
    'BEGIN { printf "%s, torch %.3f ms/step: dlc is %.2fx faster\n", l, t, t / d }')
fi
echo "$line"
[ "$have_torch" = 1 ] || echo "python3-torch is not installed: no peer figures"
