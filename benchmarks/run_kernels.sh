#!/usr/bin/env bash
# benchmarks/run_kernels.sh - build dlc-bench-kernels and run it pinned to one core.
#
#   benchmarks/run_kernels.sh [benchmark flags...]     e.g. --benchmark_filter=matmul
#
# Environment:
#   BUILD_DIR          build directory (default: <repo>/build; configured if it is not yet)
#   DLC_BENCH_CPU      the core to pin to with taskset (default: 1, or 0 on a 1-core machine)
#   DLC_BENCH_REPS     repetitions (default: 5; the table shows their medians)
#   DLC_BENCH_BUILD    0: run the binary already built, without (re)building it
#   DLC_BENCH_OPENBLAS_CORETYPE
#                      OpenBLAS kernel family (default: SkylakeX on AVX-512 CPUs; "inherit"
#                      keeps the environment's OPENBLAS_CORETYPE): see benchmarks/common.sh
#
# Prints Google Benchmark's report (aggregates only), then a table of medians:
# kernel, dlc GFLOP/s, peer GFLOP/s, dlc/peer (time ratio, > 1: dlc faster), and GB/s.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BUILD_DIR:-$repo/build}"
reps="${DLC_BENCH_REPS:-5}"

if [ "${DLC_BENCH_BUILD:-1}" != 0 ]; then
  if [ ! -f "$build/build.ninja" ]; then
    cmake -G Ninja -S "$repo" -B "$build"
  fi
  ninja -C "$build" -j2 dlc-bench-kernels
fi
bin="$build/bin/dlc-bench-kernels"

# shellcheck source=benchmarks/common.sh
. "$repo/benchmarks/common.sh"
bench_openblas_env run_kernels
bench_pin run_kernels

json="$(mktemp "${TMPDIR:-/tmp}/dlc-bench-kernels.XXXXXX.json")"
trap 'rm -f "$json"' EXIT
# Random interleaving spreads the repetitions of every benchmark over the whole run, so
# that a noisy neighbour (the machine is shared) hits dlc and its peer alike.
"${pin[@]}" "$bin" --benchmark_repetitions="$reps" --benchmark_report_aggregates_only=true \
  --benchmark_enable_random_interleaving=true \
  --benchmark_out="$json" --benchmark_out_format=json "$@"

python3 - "$json" <<'EOF'
import json, sys

with open(sys.argv[1]) as f:
    report = json.load(f)

# Medians by benchmark: "matmul/512x512x512/dlc/real_time" -> ("matmul/512x512x512", "dlc").
rows, order, errors = {}, [], {}
for b in report["benchmarks"]:
    name = b.get("run_name", b["name"])
    parts = [p for p in name.split("/") if p != "real_time"]
    kernel, impl = "/".join(parts[:-1]), parts[-1]
    if kernel not in order:
        order.append(kernel)
    if b.get("error_occurred"):
        errors[kernel] = b.get("error_message", "error")
        continue
    if b.get("aggregate_name", "median") != "median":
        continue
    rows.setdefault(kernel, {})[impl] = b

def fmt(x):
    return "%.1f" % x if x is not None else "-"

head = ("kernel", "dlc GFLOP/s", "peer", "peer GFLOP/s", "dlc/peer", "dlc GB/s", "peer GB/s")
lines = []
for kernel in sorted(order):
    if kernel in errors:
        lines.append((kernel, "ERROR", "", "", "", "", ""))
        continue
    impls = rows.get(kernel, {})
    dlc = impls.get("dlc")
    peers = [k for k in impls if k != "dlc"]
    peer = impls[peers[0]] if peers else None
    g = lambda b, c: b[c] / 1e9 if b and c in b else None
    ratio = (peer["real_time"] / dlc["real_time"]) if dlc and peer else None
    lines.append((kernel, fmt(g(dlc, "flop")), peers[0] if peers else "-", fmt(g(peer, "flop")),
                  "%.2fx" % ratio if ratio else "-", fmt(g(dlc, "bytes")), fmt(g(peer, "bytes"))))

widths = [max(len(str(r[i])) for r in [head] + lines) for i in range(len(head))]
print()
print("Medians of %s repetitions (GFLOP/s and GB/s over wall-clock time):" %
      report["benchmarks"][0].get("repetitions", "?") if report["benchmarks"] else "no results")
for r in [head] + lines:
    print("  " + "  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)
                           for i, (c, w) in enumerate(zip(r, widths))))
ctx = report.get("context", {})
print("  (OpenBLAS core: %s, threads: %s)" % (ctx.get("openblas_core", "?"),
                                             ctx.get("openblas_threads", "?")))
for kernel in sorted(errors):
    print("ERROR %s: %s" % (kernel, errors[kernel]))
sys.exit(1 if errors else 0)
EOF
