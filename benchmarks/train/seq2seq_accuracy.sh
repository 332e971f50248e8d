#!/usr/bin/env bash
# benchmarks/train/seq2seq_accuracy.sh - the sequence-to-sequence examples' held-out accuracy.
#
#   benchmarks/train/seq2seq_accuracy.sh [EPOCHS]   (default: the examples' own)
#
# examples/seq2seq_attention.dl on dlrt's synthetic:reverse and synthetic:sort (sequences
# of 8 to 12 digits, 2,000 held out), with its attention and without (the same model with
# ATTENTION = 0: the decoder's context is zero), examples/transformer_seq2seq.dl (the
# encoder-decoder Transformer) on the same two tasks, and examples/caption_rnn.dl on
# Fashion-MNIST captions. Prints the exact-sequence accuracy of greedy decoding on the
# held-out split (an example counts when all its positions are right), the train time
# per epoch and per step (batch 64, 1,000 steps per epoch). Needs a build (build/bin/dlc; BUILD_DIR overrides).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$root/build}
epochs=()
[ $# -gt 0 ] && epochs=(--epochs "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=benchmarks/common.sh
. "$root/benchmarks/common.sh"
bench_pin seq2seq

"$build/bin/dlc" build "$root/examples/seq2seq_attention.dl" -o "$tmp/attention"
sed 's/^const ATTENTION = 1/const ATTENTION = 0/' "$root/examples/seq2seq_attention.dl" \
  > "$tmp/seq2seq_plain.dl"
grep -q '^const ATTENTION = 0' "$tmp/seq2seq_plain.dl"
"$build/bin/dlc" build "$tmp/seq2seq_plain.dl" -o "$tmp/plain"
"$build/bin/dlc" build "$root/examples/transformer_seq2seq.dl" -o "$tmp/transformer"
"$build/bin/dlc" build "$root/examples/caption_rnn.dl" -o "$tmp/caption"

run() { # NAME TRAINER ARGS...: the last epoch's line and the test accuracy
  local name=$1 exe=$2
  shift 2
  local out
  out=$("${pin[@]}" "$exe" train --no-progress "${epochs[@]}" "$@")
  local acc secs steps
  acc=$(echo "$out" | sed -n 's/^test accuracy: //p')
  secs=$(echo "$out" | sed -n -E 's/^epoch .* ([0-9.]+) s \(.*/\1/p' | tail -1)
  steps=$(echo "$out" | sed -n -E 's/.* ([0-9]+) steps per epoch.*/\1/p')
  printf '%-34s exact-sequence accuracy %s  (%s s per epoch, %.1f ms per step)\n' \
    "$name" "$acc" "$secs" "$(awk -v s="$secs" -v n="$steps" 'BEGIN { print 1000 * s / n }')"
}
echo "held-out exact-sequence accuracy, greedy decoding:"
run "seq2seq_attention reverse" "$tmp/attention" --data synthetic:reverse
run "  without attention, reverse" "$tmp/plain" --data synthetic:reverse
run "seq2seq_attention sort" "$tmp/attention" --data synthetic:sort
run "  without attention, sort" "$tmp/plain" --data synthetic:sort
run "transformer_seq2seq reverse" "$tmp/transformer" --data synthetic:reverse
run "transformer_seq2seq sort" "$tmp/transformer" --data synthetic:sort
run "caption_rnn (Fashion-MNIST)" "$tmp/caption"
