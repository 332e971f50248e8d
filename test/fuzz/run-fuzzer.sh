#!/usr/bin/env bash
# test/fuzz/run-fuzzer.sh - one bounded libFuzzer run (the ctest fuzz.* tests).
#
#   run-fuzzer.sh FUZZER SEEDS WORK MODE [LIBFUZZER-ARG...]
#
# FUZZER  a fuzz-* binary of the sanitized sub-build
# SEEDS   its seed corpus (test/fuzz/corpus/TARGET), only read
# WORK    a scratch directory (emptied first): new inputs go to WORK/corpus,
#         a crashing input to WORK/artifacts/
# MODE    "seeds": run every seed once and stop (the readers with known bugs,
#         see test/fuzz/CMakeLists.txt); a number: fuzz for that many seconds
#
# test/fuzz/TARGET.dict is used as the dictionary when it exists.
set -euo pipefail
fuzzer=$1 seeds=$2 work=$3 mode=$4
shift 4
rm -rf "$work"
mkdir -p "$work/corpus" "$work/artifacts"
name=$(basename "$seeds")
args=(-artifact_prefix="$work/artifacts/" -rss_limit_mb=2048 -timeout=30
      -print_final_stats=1)
dict="$(dirname "$0")/$name.dict"
[ -f "$dict" ] && args+=(-dict="$dict")
if [ "$mode" = seeds ]; then
  args+=(-runs=0)
else
  # A fixed seed: a run explores the same inputs in the same order every
  # time (a slower machine just stops earlier), so ctest does not flake.
  args+=(-max_total_time="$mode" -seed=1)
fi
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
echo "+ $fuzzer ${args[*]} $* $work/corpus $seeds"
exec "$fuzzer" "${args[@]}" "$@" "$work/corpus" "$seeds"
