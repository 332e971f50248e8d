#!/usr/bin/env bash
# trainer_e2e.sh - end-to-end tests of trainers built from compiled models.
#
#   trainer_e2e.sh accuracy MIN TRAINER train [ARGS...]
#       runs the trainer; requires exit 0 and a last line
#       'test accuracy: A' with A >= MIN
#   trainer_e2e.sh errors FASHION_TRAINER XOR_TRAINER DATA_DIR
#       bad input gives a clear message and the documented exit status
#   trainer_e2e.sh kill-resume TRAINER
#       a run killed (SIGKILL) mid-epoch and resumed ends with the same
#       checkpoint, log and accuracy as an uninterrupted run
#   trainer_e2e.sh regression TRAINER DATA_DIR
#       a model without a metric (mse) reports its loss and no accuracy in
#       train, its log, eval, predict and info
#   trainer_e2e.sh predict-inputs XOR_TRAINER FASHION_TRAINER DATA_DIR
#       predict --input on unlabelled CSV, .npy (and, with Fashion-MNIST,
#       IDX images) without a data set
#   trainer_e2e.sh keep XOR_TRAINER XOR_DATA_DIR
#       --keep: the newest checkpoints stay, older ones of the run go, other
#       files stay
#
# Tests that need Fashion-MNIST exit 77 (skipped) when it is not installed.
set -u
FASHION=/usr/share/datasets/fashion-mnist
WORK=$(mktemp -d "${TMPDIR:-/tmp}/dlrt-e2e-XXXXXX")
trap 'rm -rf "$WORK"' EXIT

die() { echo "FAIL: $*" >&2; exit 1; }

needs_fashion() {
  if [ ! -d "$FASHION" ]; then
    echo "SKIP: $FASHION not installed (Debian package dataset-fashion-mnist)"
    exit 77
  fi
}

# expect_fail STATUS FRAGMENT CMD... : CMD must exit STATUS and print FRAGMENT on stderr.
expect_fail() {
  local want=$1 frag=$2
  shift 2
  "$@" >"$WORK/out" 2>"$WORK/err"
  local rc=$?
  [ "$rc" -eq "$want" ] || die "'$*' exited $rc, expected $want; stderr: $(cat "$WORK/err")"
  grep -qF -- "$frag" "$WORK/err" || die "'$*': stderr lacks '$frag': $(cat "$WORK/err")"
  echo "ok: $* -> $rc: $(head -1 "$WORK/err")"
}

# expect_lines FILE WANT...: FILE holds exactly the lines WANT.
expect_lines() {
  local file=$1
  shift
  printf '%s\n' "$@" >"$WORK/want"
  cmp -s "$file" "$WORK/want" || die "$file differs from the expected:
$(diff "$WORK/want" "$file")"
}

# Writes a version-1 .npy file of float32 rows: npy PATH COLS V...
npy() {
  python3 - "$@" <<'EOF'
import struct, sys
path, cols, vals = sys.argv[1], int(sys.argv[2]), [float(v) for v in sys.argv[3:]]
header = "{'descr': '<f4', 'fortran_order': False, 'shape': (%d, %d), }" % (len(vals) // cols, cols)
header += " " * (63 - (10 + len(header)) % 64) + "\n"
with open(path, "wb") as f:
    f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode())
    f.write(struct.pack("<%df" % len(vals), *vals))
EOF
}

# Writes an uncompressed IDX u8 file: idx PATH DIM...
idx() {
  python3 - "$@" <<'EOF'
import struct, sys
path, dims = sys.argv[1], [int(d) for d in sys.argv[2:]]
n = 1
for d in dims: n *= d
with open(path, "wb") as f:
    f.write(bytes([0, 0, 8, len(dims)]))
    for d in dims: f.write(struct.pack(">I", d))
    f.write(bytes(i % 10 for i in range(n)))
EOF
}

mode=${1:-}
shift || true
case "$mode" in
accuracy)
  min=$1
  shift
  if ! printf '%s\n' "$@" | grep -qx -- --data; then needs_fashion; fi
  "$@" --no-progress >"$WORK/out" 2>"$WORK/err"
  rc=$?
  cat "$WORK/out"
  [ "$rc" -eq 0 ] || die "exit $rc: $(cat "$WORK/err")"
  last=$(tail -n 1 "$WORK/out")
  case "$last" in
  "test accuracy: "*) ;;
  *) die "last line is '$last', not 'test accuracy: A'" ;;
  esac
  acc=${last#test accuracy: }
  python3 -c "import sys; sys.exit(0 if float('$acc') >= float('$min') else 1)" ||
    die "test accuracy $acc < $min"
  echo "ok: test accuracy $acc >= $min"
  ;;

errors)
  fm=$1 xor=$2 data=$3
  expect_fail 2 "unknown command" "$fm" fly
  expect_fail 2 "--epochs needs an integer" "$fm" train --epochs -3
  expect_fail 2 "needs --checkpoint" "$fm" eval --data "$data/xor"
  expect_fail 1 "no such directory" "$fm" train --data "$WORK/none"
  expect_fail 1 "no data set found" "$fm" train --data "$WORK"
  # Data that does not fit the model: 4 features for 784 inputs.
  expect_fail 1 "takes 784 values per example" "$fm" train --data "$data/xor"
  mkdir -p "$WORK/small"
  idx "$WORK/small/train-images-idx3-ubyte" 100 20 20
  idx "$WORK/small/train-labels-idx1-ubyte" 100
  idx "$WORK/small/t10k-images-idx3-ubyte" 10 20 20
  idx "$WORK/small/t10k-labels-idx1-ubyte" 10
  expect_fail 1 "20x20 images" "$fm" train --data "$WORK/small"
  # Labels outside the model's classes: xor has 2 classes, labels 0..9.
  mkdir -p "$WORK/wide"
  printf 'a,b,label\n0,0,0\n0,1,5\n1,0,1\n1,1,0\n' >"$WORK/wide/train.csv"
  cp "$WORK/wide/train.csv" "$WORK/wide/test.csv"
  expect_fail 1 "outside the model's 2 classes" "$xor" train --data "$WORK/wide"
  # Wrong magic, truncated gzip, label count mismatch.
  mkdir -p "$WORK/bad"
  cp "$WORK/small/"* "$WORK/bad/"
  idx "$WORK/bad/t10k-images-idx3-ubyte" 10 28 28
  idx "$WORK/bad/train-images-idx3-ubyte" 100 28 28
  printf 'PK\003\004 not idx' >"$WORK/bad/t10k-labels-idx1-ubyte"
  expect_fail 1 "bad magic number" "$fm" train --data "$WORK/bad"
  idx "$WORK/bad/t10k-labels-idx1-ubyte" 9
  expect_fail 1 "holds 9 labels but" "$fm" train --data "$WORK/bad"
  idx "$WORK/bad/t10k-labels-idx1-ubyte" 10
  gzip -c "$WORK/bad/train-images-idx3-ubyte" >"$WORK/full.gz"
  head -c $(($(stat -c %s "$WORK/full.gz") - 10)) "$WORK/full.gz" >"$WORK/bad/train-images-idx3-ubyte.gz"
  rm "$WORK/bad/train-images-idx3-ubyte"
  expect_fail 1 "gzip: truncated" "$fm" train --data "$WORK/bad"
  # Only regular files are read. /dev/zero behind a symbolic link would be
  # read until memory runs out (here a 400 MB address space: "out of
  # memory"), a FIFO would block forever (here: killed after 20 s).
  mkdir -p "$WORK/zero" "$WORK/fifo"
  ln -s /dev/zero "$WORK/zero/train.csv"
  cp "$data/xor/test.csv" "$WORK/zero/test.csv"
  expect_fail 1 "train.csv: is a character device, not a regular file (a symbolic link to '/dev/zero')" \
    bash -c 'ulimit -v 400000 && exec "$@"' - "$xor" train --data "$WORK/zero"
  mkfifo "$WORK/fifo/train.csv"
  cp "$data/xor/test.csv" "$WORK/fifo/test.csv"
  expect_fail 1 "train.csv: is a FIFO (named pipe)" timeout 20 "$xor" train --data "$WORK/fifo"
  # Checkpoints: another model's, a corrupt one.
  "$xor" train --data "$data/xor" --epochs 2 --checkpoint "$WORK/xor-ckpt" >/dev/null ||
    die "xor training failed"
  idx "$WORK/bad/train-images-idx3-ubyte" 100 28 28
  rm "$WORK/bad/train-images-idx3-ubyte.gz"
  expect_fail 1 "checkpoint of model 'xor_mlp'" "$fm" eval --data "$WORK/bad" --checkpoint "$WORK/xor-ckpt"
  expect_fail 1 "checkpoint of model 'xor_mlp'" "$fm" train --data "$WORK/bad" --checkpoint "$WORK/xor-ckpt" --resume
  head -c 300 "$WORK/xor-ckpt/epoch-0002.safetensors" >"$WORK/cut.safetensors"
  expect_fail 1 "truncated" "$xor" eval --data "$data/xor" --checkpoint "$WORK/cut.safetensors"
  "$xor" eval --data "$data/xor" --checkpoint "$WORK/xor-ckpt" >"$WORK/out" ||
    die "eval of a good checkpoint failed"
  grep -q "test accuracy: " "$WORK/out" || die "eval printed no accuracy"
  echo "ok: all errors clear"
  ;;

kill-resume)
  needs_fashion
  tr=$1
  "$tr" train --epochs 2 --checkpoint "$WORK/a" --log "$WORK/a.csv" --no-progress >"$WORK/a.out" ||
    die "uninterrupted run failed"
  "$tr" train --epochs 2 --checkpoint "$WORK/b" --log "$WORK/b.csv" --checkpoint-every 50 \
    --no-progress >"$WORK/b1.out" 2>&1 &
  pid=$!
  # Kill it hard in the second epoch, after its first checkpoint there.
  for _ in $(seq 1 1200); do
    if compgen -G "$WORK/b/epoch-0002-step-*.safetensors" >/dev/null; then break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  kill -9 "$pid" 2>/dev/null || die "the run ended before it could be killed"
  wait "$pid" 2>/dev/null
  echo "killed after: $(ls "$WORK/b" | tr '\n' ' ')"
  compgen -G "$WORK/b/epoch-0002-step-*.safetensors" >/dev/null ||
    die "no mid-epoch checkpoint before the kill"
  "$tr" train --epochs 2 --checkpoint "$WORK/b" --log "$WORK/b.csv" --resume \
    --no-progress >"$WORK/b2.out" || die "resume failed"
  cat "$WORK/b2.out"
  grep -q "resumed from" "$WORK/b2.out" || die "did not resume"
  cmp "$WORK/a/epoch-0002.safetensors" "$WORK/b/epoch-0002.safetensors" ||
    die "final checkpoints differ"
  cut -d, -f1-5 "$WORK/a.csv" >"$WORK/a.cut"
  cut -d, -f1-5 "$WORK/b.csv" >"$WORK/b.cut"
  cmp "$WORK/a.cut" "$WORK/b.cut" || die "logs differ: $(diff "$WORK/a.cut" "$WORK/b.cut")"
  [ "$(tail -1 "$WORK/a.out")" = "$(tail -1 "$WORK/b2.out")" ] || die "final accuracy differs"
  echo "ok: resumed run identical to the uninterrupted one ($(tail -1 "$WORK/a.out"))"
  ;;

regression)
  tr=$1 data=$2
  "$tr" train --data "$data" --checkpoint "$WORK/ck" --log "$WORK/log.csv" \
    --no-progress >"$WORK/out" 2>"$WORK/err" || die "train failed: $(cat "$WORK/err")"
  cat "$WORK/out"
  ! grep -qi "acc" "$WORK/out" || die "train printed an accuracy: $(grep -i acc "$WORK/out")"
  last=$(tail -n 1 "$WORK/out")
  case "$last" in
  "test loss: "*) ;;
  *) die "last line is '$last', not 'test loss: L'" ;;
  esac
  # y = 2a - 3b + 1 exactly: the fit is (almost) perfect.
  python3 -c "import sys; sys.exit(0 if float('${last#test loss: }') < 1e-4 else 1)" ||
    die "test loss ${last#test loss: } >= 1e-4"
  [ "$(head -n 1 "$WORK/log.csv")" = "epoch,train_loss,test_loss,seconds" ] ||
    die "log header: $(head -n 1 "$WORK/log.csv")"
  [ "$(awk -F, 'NR > 1 && NF != 4' "$WORK/log.csv" | wc -l)" -eq 0 ] ||
    die "log rows without 4 columns"
  "$tr" eval --data "$data" --checkpoint "$WORK/ck" >"$WORK/out" || die "eval failed"
  grep -q "^test loss: " "$WORK/out" || die "eval printed no loss: $(cat "$WORK/out")"
  ! grep -qi "acc" "$WORK/out" || die "eval printed an accuracy"
  "$tr" predict --data "$data" --checkpoint "$WORK/ck" --count 3 >"$WORK/out" || die "predict failed"
  ! grep -qi "correct\|acc" "$WORK/out" || die "predict scored a regression: $(cat "$WORK/out")"
  [ "$(grep -c "^ *[0-9]*  output " "$WORK/out")" -eq 3 ] || die "predict: $(cat "$WORK/out")"
  "$tr" info >"$WORK/out" || die "info failed"
  grep -q "^metrics: none" "$WORK/out" || die "info: $(cat "$WORK/out")"
  # Values for unlabelled rows: 2a - 3b + 1 = 1, 3, -2.
  printf '0,0\n1,0\n0,1\n' >"$WORK/in.csv"
  "$tr" predict --checkpoint "$WORK/ck" --input "$WORK/in.csv" --output "$WORK/p.csv" \
    >"$WORK/out" || die "predict --input failed"
  python3 - "$WORK/p.csv" <<'EOF' || die "predicted values: $(cat "$WORK/p.csv")"
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
assert rows[0] == ["index", "yhat"], rows[0]
got = [float(r[1]) for r in rows[1:]]
assert len(got) == 3 and all(abs(g - w) < 1e-2 for g, w in zip(got, [1, 3, -2])), got
EOF
  echo "ok: regression reports its loss only (${last})"
  ;;

predict-inputs)
  xor=$1 fm=$2 data=$3
  "$xor" train --data "$data/xor" --checkpoint "$WORK/xor" >/dev/null || die "xor training failed"
  # Rows without labels or a header; 5 rows: one padded batch.
  printf '0,0\n0,1\n1,0\n1,1\n0,1\n' >"$WORK/in.csv"
  "$xor" predict --checkpoint "$WORK/xor" --input "$WORK/in.csv" --output "$WORK/p.csv" \
    >"$WORK/out" 2>"$WORK/err" || die "predict --input CSV failed: $(cat "$WORK/err")"
  cat "$WORK/out"
  grep "predicted" "$WORK/out" | awk '{print $3}' >"$WORK/classes"
  expect_lines "$WORK/classes" 0 1 1 0 1
  expect_lines "$WORK/p.csv" index,prediction 0,0 1,1 2,1 3,0 4,1
  # A labelled table: the label column is ignored.
  "$xor" predict --checkpoint "$WORK/xor" --input "$data/xor/test.csv" >"$WORK/out" ||
    die "predict --input on a labelled CSV failed"
  grep "predicted" "$WORK/out" | awk '{print $3}' >"$WORK/classes"
  expect_lines "$WORK/classes" 0 1 1 0
  npy "$WORK/in.npy" 2 1 1 0 0 1 0
  "$xor" predict --checkpoint "$WORK/xor" --input "$WORK/in.npy" --count 2 >"$WORK/out" ||
    die "predict --input .npy failed"
  grep "predicted" "$WORK/out" | awk '{print $3}' >"$WORK/classes"
  expect_lines "$WORK/classes" 0 0
  printf '1,2,3\n' >"$WORK/three.csv"
  expect_fail 1 "takes 2 values per example" "$xor" predict --checkpoint "$WORK/xor" \
    --input "$WORK/three.csv"
  expect_fail 1 "none.csv: no such file" "$xor" predict --checkpoint "$WORK/xor" --input "$WORK/none.csv"
  expect_fail 2 "not both" "$xor" predict --checkpoint "$WORK/xor" --input "$WORK/in.csv" \
    --data "$data/xor"
  if [ -d "$FASHION" ]; then
    # The test images alone give the same outputs as the labelled test split.
    "$fm" train --epochs 1 --checkpoint "$WORK/fm" --no-progress >/dev/null || die "fashion training failed"
    "$fm" predict --checkpoint "$WORK/fm" --count 100 --output "$WORK/split.npy" >/dev/null ||
      die "predict on the test split failed"
    "$fm" predict --checkpoint "$WORK/fm" --input "$FASHION/t10k-images-idx3-ubyte.gz" \
      --count 100 --output "$WORK/images.npy" >"$WORK/out" || die "predict --input IDX failed"
    cmp "$WORK/split.npy" "$WORK/images.npy" || die "IDX inputs predicted differently"
    [ "$(grep -c predicted "$WORK/out")" -eq 100 ] || die "predict --input IDX: $(head "$WORK/out")"
    echo "ok: IDX images predicted as the test split"
  else
    echo "SKIP (part): $FASHION not installed, IDX inputs not tried"
  fi
  echo "ok: predictions for unlabelled inputs"
  ;;

keep)
  xor=$1 data=$2
  ck="$WORK/k"
  "$xor" train --data "$data" --epochs 20 --checkpoint "$ck" >/dev/null || die "train failed"
  expect_lines <(ls "$ck") epoch-0018.safetensors epoch-0019.safetensors epoch-0020.safetensors
  # Files of others stay: notes, a copy, another run's checkpoint.
  echo notes >"$ck/notes.txt"
  cp "$ck/epoch-0018.safetensors" "$ck/epoch-0018.safetensors.bak"
  "$xor" train --data "$data" --epochs 1 --seed 9 --checkpoint "$WORK/other" >/dev/null ||
    die "train of another run failed"
  cp "$WORK/other/epoch-0001.safetensors" "$ck/epoch-0000.safetensors"
  "$xor" train --data "$data" --epochs 30 --checkpoint "$ck" --resume --keep 2 >"$WORK/out" ||
    die "resume failed"
  grep -q "resumed from .*epoch-0020" "$WORK/out" || die "did not resume: $(cat "$WORK/out")"
  expect_lines <(ls "$ck") epoch-0000.safetensors epoch-0018.safetensors.bak \
    epoch-0029.safetensors epoch-0030.safetensors notes.txt
  for k in all 0; do
    "$xor" train --data "$data" --epochs 12 --checkpoint "$WORK/all-$k" --keep $k >/dev/null ||
      die "--keep $k failed"
    [ "$(ls "$WORK/all-$k" | wc -l)" -eq 12 ] || die "--keep $k: $(ls "$WORK/all-$k")"
  done
  # XOR's own 500 epochs: 3 files, not 500.
  "$xor" train --data "$data" --checkpoint "$WORK/long" >/dev/null || die "long run failed"
  expect_lines <(ls "$WORK/long") epoch-0498.safetensors epoch-0499.safetensors epoch-0500.safetensors
  expect_fail 2 "--keep needs a number" "$xor" train --data "$data" --checkpoint "$ck" --keep -1
  expect_fail 2 "--keep needs --checkpoint" "$xor" train --data "$data" --keep 2
  echo "ok: --keep"
  ;;

*)
  echo "usage: $0 accuracy|errors|kill-resume|regression|predict-inputs|keep ..." >&2
  exit 2
  ;;
esac
