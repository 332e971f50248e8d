#!/usr/bin/env bash
# benchmarks/run_conv.sh - build dlc-bench-conv and run it pinned to one core.
#
#   benchmarks/run_conv.sh [benchmark flags...]     e.g. --benchmark_filter='peak|vgg'
#
# Environment:
#   BUILD_DIR          build directory (default: <repo>/build; configured if it is not yet)
#   DLC_BENCH_CPU      the core to pin to with taskset (default: 1, or 0 on a 1-core machine)
#   DLC_BENCH_REPS     repetitions (default: 5; the table shows their medians)
#   DLC_BENCH_BUILD    0: run the binary already built, without (re)building it
#   DLC_BENCH_PEAK_GFLOPS
#                      the core's f32 peak for the "% peak" columns (default: peak/fma of the
#                      same run, the fastest call of a loop of independent FMAs, median over
#                      the repetitions)
#
# Prints Google Benchmark's report (aggregates only), then a table of medians per kernel
# (conv/SHAPE/fwd|dx|dw): dlc and oneDNN (blocked layouts) ms per call, GFLOP/s and % of the
# peak, dlc/oneDNN (time ratio, > 1: dlc faster), oneDNN on plain nchw memory, the largest
# |dlc - oneDNN| and oneDNN's implementation.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BUILD_DIR:-$repo/build}"
reps="${DLC_BENCH_REPS:-5}"

if [ "${DLC_BENCH_BUILD:-1}" != 0 ]; then
  if [ ! -f "$build/build.ninja" ]; then
    cmake -G Ninja -S "$repo" -B "$build"
  fi
  if ! ninja -C "$build" -j2 dlc-bench-conv; then
    echo "run_conv: building dlc-bench-conv failed (CMake skips it without libdnnl-dev:" \
         "scripts/bootstrap.sh installs it)" >&2
    exit 1
  fi
fi
bin="$build/bin/dlc-bench-conv"

# shellcheck source=benchmarks/common.sh
. "$repo/benchmarks/common.sh"
# One thread for oneDNN: Debian's build uses OpenMP, which reads OMP_NUM_THREADS when it
# loads (the binary also calls omp_set_num_threads(1) and checks it).
bench_openblas_env run_conv
bench_pin run_conv

json="$(mktemp "${TMPDIR:-/tmp}/dlc-bench-conv.XXXXXX.json")"
trap 'rm -f "$json"' EXIT
start=$(date +%s)
# Random interleaving spreads the repetitions of every benchmark over the whole run, so
# that a noisy neighbour (the machine is shared) hits dlc and oneDNN alike.
"${pin[@]}" "$bin" --benchmark_repetitions="$reps" --benchmark_report_aggregates_only=true \
  --benchmark_enable_random_interleaving=true \
  --benchmark_out="$json" --benchmark_out_format=json "$@"
echo "run_conv: $(($(date +%s) - start)) s"

python3 - "$json" "${DLC_BENCH_PEAK_GFLOPS:-}" <<'EOF'
import json, sys

with open(sys.argv[1]) as f:
    report = json.load(f)

# Medians by benchmark: "conv/vgg_c2/fwd/dlc/real_time" -> ("conv/vgg_c2/fwd", "dlc").
rows, order, errors = {}, {}, {}
for b in report["benchmarks"]:
    name = b.get("run_name", b["name"])
    parts = [p for p in name.split("/") if p != "real_time"]
    kernel, impl = "/".join(parts[:-1]), parts[-1]
    order[kernel] = min(order.get(kernel, 1 << 30), b.get("family_index", 0))
    if b.get("error_occurred"):
        errors[kernel] = b.get("error_message", "error")
        continue
    if b.get("aggregate_name", "median") != "median":
        continue
    rows.setdefault(kernel, {})[impl] = b

to_ms = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}
ms = lambda b: b["real_time"] * to_ms[b.get("time_unit", "ns")] if b else None
gflops = lambda b: b["flop"] / 1e9 if b and "flop" in b else None

peak, peak_from = None, None
if sys.argv[2]:
    peak, peak_from = float(sys.argv[2]), "DLC_BENCH_PEAK_GFLOPS"
elif gflops(rows.get("peak", {}).get("fma")):
    peak, peak_from = gflops(rows["peak"]["fma"]), "peak/fma, measured in this run"

f1 = lambda x: "%.1f" % x if x is not None else "-"
f2 = lambda x: "%.2f" % x if x is not None else "-"
pct = lambda g: "%.0f%%" % (100 * g / peak) if g is not None and peak else "-"

head = ("kernel", "dlc ms", "oneDNN ms", "dlc GFLOP/s", "oneDNN GFLOP/s", "dlc %peak",
        "oneDNN %peak", "dlc/oneDNN", "nchw GFLOP/s", "max |err|", "oneDNN impl")
lines = []
for kernel in sorted(order, key=lambda k: (order[k], k)):
    if kernel == "peak":
        continue
    if kernel in errors:
        lines.append((kernel, "ERROR") + ("",) * (len(head) - 2))
        continue
    impls = rows.get(kernel, {})
    dlc, dnn, nchw = impls.get("dlc"), impls.get("onednn"), impls.get("onednn_nchw")
    ratio = ms(dnn) / ms(dlc) if dlc and dnn else None
    err = "%.1e" % dlc["max_abs_err"] if dlc and "max_abs_err" in dlc else "-"
    impl = dnn.get("label", "").split(" ")[0] if dnn else "-"
    lines.append((kernel, f2(ms(dlc)), f2(ms(dnn)), f1(gflops(dlc)), f1(gflops(dnn)),
                  pct(gflops(dlc)), pct(gflops(dnn)), "%.2fx" % ratio if ratio else "-",
                  f1(gflops(nchw)), err, impl))

widths = [max(len(str(r[i])) for r in [head] + lines) for i in range(len(head))]
print()
print("Medians of %s repetitions (GFLOP/s over wall-clock time):" %
      report["benchmarks"][0].get("repetitions", "?") if report["benchmarks"] else "no results")
for r in [head] + lines:
    print("  " + "  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)
                           for i, (c, w) in enumerate(zip(r, widths))))
ctx = report.get("context", {})
threads = sorted({int(b["threads"]) for impls in rows.values() for b in impls.values()
                  if "threads" in b})
print("  (peak: %s GFLOP/s, %s; oneDNN %s, OpenMP threads: %s, process threads after oneDNN's "
      "loops: %s)" % (f1(peak), peak_from or "not measured", ctx.get("onednn_version", "?"),
                      ctx.get("onednn_threads", "?"), ",".join(map(str, threads)) or "?"))
for kernel in sorted(errors):
    msg = errors[kernel]
    print("ERROR " + (msg if msg.startswith(kernel) else kernel + ": " + msg))
sys.exit(1 if errors else 0)
EOF
