#!/usr/bin/env bash
# benchmarks/mpi/run.sh - data-parallel training on MPI: examples/s of the Fashion-MNIST MLP
# and of cnn on 1 and on 2 processes (1 thread each), and the time spent averaging.
#
#   benchmarks/mpi/run.sh [MODEL...]      (default: fashion_mlp cnn; examples/MODEL.dl)
#
# Builds each model with `dlc build --mpi` and trains it STEPS steps (--max-steps) on
# Fashion-MNIST with `mpirun -np 1` and `mpirun -np 2` (Open MPI, shared memory, each
# process bound to its own core, --threads 1): each process takes the model's batch of
# every global batch, so 2 processes do twice the examples per step. It prints the
# trainer's summary line: examples/s over the steps (data gathering included, evaluation
# and start-up not), and on 2 processes the time per step spent averaging the gradients
# (one MPI_Allreduce of the gradient buffer) and the non-trained state, and its share of
# the steps' time. A 1-process run with --threads 2 is printed beside, for comparison with
# threads. Needs dlc built with MPI (libopenmpi-dev) and a quiet machine.
#
# Environment: STEPS (default 400 for fashion_mlp, 60 for the others), BUILD_DIR (default
# build/).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$root/build}
models=("$@")
[ ${#models[@]} -gt 0 ] || models=(fashion_mlp cnn)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mpirun=(mpirun --allow-run-as-root --oversubscribe --mca btl self,vader)
echo "mpi: dlc at $(git -C "$root" describe --always --dirty 2>/dev/null || echo '?')," \
  "$(getconf _NPROCESSORS_ONLN) cores, $(mpirun --version 2>&1 | head -1)"
for m in "${models[@]}"; do
  src=$root/examples/$m.dl
  if [ ! -f "$src" ]; then
    echo "$m: missing"
    continue
  fi
  steps=${STEPS:-$([ "$m" = fashion_mlp ] && echo 400 || echo 60)}
  "$build/bin/dlc" build --mpi "$src" -o "$tmp/$m"
  for run in "1 1" "2 1" "1 2"; do
    set -- $run
    bind=core
    [ "$2" -gt 1 ] && bind=none # the threads need the cores
    line=$("${mpirun[@]}" --bind-to "$bind" -np "$1" "$tmp/$m" train --threads "$2" --max-steps "$steps" \
      --no-progress | grep -E '^[0-9]+ process')
    printf '%-12s %d process(es) x %d thread(s): %s\n' "$m" "$1" "$2" "$line"
  done
done
