# benchmarks/common.sh - what every benchmark script sets up the same way (sourced).
#
#   bench_openblas_env NAME   export OPENBLAS_NUM_THREADS=1 and OPENBLAS_CORETYPE (below)
#   bench_pin NAME            set the array `pin` to a taskset prefix (or empty)
#
# DLC_BENCH_OPENBLAS_CORETYPE: OpenBLAS kernel family (exported as OPENBLAS_CORETYPE, which
#   OpenBLAS reads when it loads, also inside PyTorch). Default: SkylakeX when the CPU has
#   AVX-512, since OpenBLAS 0.3.21 (Debian 12) does not recognise newer AMD CPUs and falls back
#   to its AVX2 "Haswell" kernels; this overrides an OPENBLAS_CORETYPE inherited from the
#   environment. "inherit": keep OPENBLAS_CORETYPE as the environment has it.
# DLC_BENCH_CPU: the core to pin to (default: 1, or 0 on a 1-core machine).

bench_openblas_env() {
  export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
  local coretype="${DLC_BENCH_OPENBLAS_CORETYPE:-}"
  if [ -z "$coretype" ] && grep -qw avx512f /proc/cpuinfo 2>/dev/null; then
    coretype=SkylakeX
  fi
  if [ -n "$coretype" ] && [ "$coretype" != inherit ]; then
    if [ -n "${OPENBLAS_CORETYPE:-}" ] && [ "$OPENBLAS_CORETYPE" != "$coretype" ]; then
      echo "$1: overriding OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE from the environment" \
           "(DLC_BENCH_OPENBLAS_CORETYPE=inherit keeps it)"
    fi
    export OPENBLAS_CORETYPE="$coretype"
  fi
  echo "$1: OPENBLAS_NUM_THREADS=1 OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-<auto>}"
}

bench_pin() {
  pin=()
  if command -v taskset > /dev/null 2>&1; then
    local cpu="${DLC_BENCH_CPU:-}"
    if [ -z "$cpu" ]; then
      if [ "$(getconf _NPROCESSORS_ONLN)" -gt 1 ]; then cpu=1; else cpu=0; fi
    fi
    pin=(taskset -c "$cpu")
    echo "$1: pinned to core $cpu"
  else
    echo "$1: taskset not found; running unpinned"
  fi
}

# step_cxx: the compiler command that builds benchmarks/train/train_step_dlc.cpp
# (the includes of dlrt/threads.h), step_libs: what it links after the model's
# object (dlrt's thread pool). Needs $root and $build.
bench_step_build() {
  step_cxx=(c++ -std=c++17 -O2 -I"$root/runtime/include")
  step_libs=("$build/lib/libdlrt.a" -lz -pthread)
}
