//===- bench_kernels.cpp - dlc kernels beside their peers -----------------===//
//
// dlc-bench-kernels: every kernel dlc compiled from benchmarks/kernels/*.mlir
// is timed beside a peer in the same run:
//
//   matmul/MxKxN/dlc       C = A * B (row-major, f32) from dl.matmul
//   matmul/MxKxN/openblas  cblas_sgemm, single-threaded
//   relu_fma/1m/dlc        y = relu(x * a + b), x, a, b: 2^20 floats each
//   relu_fma/1m/cxx        the same as a plain C++ loop
//   relu_fma/row/dlc       y = relu(x * a + b), x: 1024x1024, a, b: 1024-float rows
//   relu_fma/row/cxx       the same as a plain C++ loop
//
// Counters (rates over wall-clock time): `flop` (matmul: 2*M*N*K per call;
// relu_fma: 3 per element: mul, add, max) and `bytes` (every operand read once
// and the result written once: the compulsory traffic, not what the caches
// really move). Before any timing, each kernel's dlc result is checked once
// against its peer's on the same random inputs; a mismatch skips both
// benchmarks with an error.
//
//===----------------------------------------------------------------------===//

#include <benchmark/benchmark.h>
#include <cblas.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "bench_util.h"
#include "matmul_512x512x512.h"
#include "matmul_64x256x10.h"
#include "matmul_64x784x256.h"
#include "matmul_97x256x100.h"
#include "relu_fma.h"

// Debian's OpenBLAS cblas.h declares these; repeating the declarations keeps
// the file building against a cblas.h that does not (they are OpenBLAS's own).
extern "C" void openblas_set_num_threads(int num_threads);
extern "C" int openblas_get_num_threads(void);
extern "C" char *openblas_get_corename(void);
extern "C" char *openblas_get_config(void);

namespace {

using namespace dlc_bench;

void setRates(benchmark::State &state, double flopPerCall, double bytesPerCall) {
  double calls = double(state.iterations());
  state.counters["flop"] = benchmark::Counter(flopPerCall * calls, benchmark::Counter::kIsRate);
  state.counters["bytes"] = benchmark::Counter(bytesPerCall * calls, benchmark::Counter::kIsRate);
}

//===----------------------------------------------------------------------===//
// Matmul: dlc vs cblas_sgemm
//===----------------------------------------------------------------------===//

using MatmulFn = void (*)(const float *a, const float *b, float *c, void *workspace);

struct MatmulCase {
  std::string name; // "512x512x512" (M x K x N)
  int64_t m, k, n;
  MatmulFn dlc;
  uint64_t workspaceBytes;

  struct Data {
    Buffer<float> a, b, cDlc, cBlas;
    Buffer<unsigned char> workspace;
    std::string error;
  };
  std::unique_ptr<Data> data;

  double flop() const { return 2.0 * double(m) * double(n) * double(k); }
  double bytes() const { return 4.0 * double(m * k + k * n + m * n); }

  void runDlc(Data &d) const { dlc(d.a.get(), d.b.get(), d.cDlc.get(), d.workspace.get()); }
  void runBlas(Data &d) const {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, int(m), int(n), int(k), 1.0f,
                d.a.get(), int(k), d.b.get(), int(n), 0.0f, d.cBlas.get(), int(n));
  }

  /// The inputs, outputs and workspace, made and verified on first use.
  Data &get() {
    if (data)
      return *data;
    data = std::make_unique<Data>();
    Data &d = *data;
    d.a = randomFloats(size_t(m * k), 1);
    d.b = randomFloats(size_t(k * n), 2);
    d.cDlc = allocate<float>(size_t(m * n));
    d.cBlas = allocate<float>(size_t(m * n));
    d.workspace = allocate<unsigned char>(workspaceBytes);
    fillNaN(d.cDlc.get(), size_t(m * n));
    fillNaN(d.cBlas.get(), size_t(m * n));
    runDlc(d);
    runBlas(d);
    // Inputs in [-1, 1]: rounding differences grow like sqrt(K) ulps of the
    // partial sums; a wrong result is off by O(1).
    double tol = 1e-5 * std::sqrt(double(k));
    d.error = compare(("matmul " + name).c_str(), d.cDlc.get(), d.cBlas.get(), size_t(m * n),
                      tol, tol);
    return d;
  }
};

std::vector<MatmulCase> &matmulCases() {
  static std::vector<MatmulCase> cases = [] {
    std::vector<MatmulCase> v;
    v.push_back({"512x512x512", 512, 512, 512, matmul_512x512x512,
                 MATMUL_512X512X512_WORKSPACE_BYTES, nullptr});
    v.push_back({"64x784x256", 64, 784, 256, matmul_64x784x256,
                 MATMUL_64X784X256_WORKSPACE_BYTES, nullptr});
    v.push_back({"64x256x10", 64, 256, 10, matmul_64x256x10, MATMUL_64X256X10_WORKSPACE_BYTES,
                 nullptr});
    v.push_back({"97x256x100", 97, 256, 100, matmul_97x256x100,
                 MATMUL_97X256X100_WORKSPACE_BYTES, nullptr});
    return v;
  }();
  return cases;
}

void BM_MatmulDlc(benchmark::State &state, MatmulCase *c) {
  MatmulCase::Data &d = c->get();
  if (!d.error.empty()) {
    state.SkipWithError(d.error.c_str());
    return;
  }
  for (auto _ : state) {
    c->runDlc(d);
    benchmark::ClobberMemory();
  }
  setRates(state, c->flop(), c->bytes());
}

void BM_MatmulBlas(benchmark::State &state, MatmulCase *c) {
  MatmulCase::Data &d = c->get();
  if (!d.error.empty()) {
    state.SkipWithError(d.error.c_str());
    return;
  }
  for (auto _ : state) {
    c->runBlas(d);
    benchmark::ClobberMemory();
  }
  setRates(state, c->flop(), c->bytes());
}

//===----------------------------------------------------------------------===//
// Elementwise relu(x * a + b): dlc vs a plain C++ loop
//===----------------------------------------------------------------------===//

constexpr size_t kRows = 1024, kCols = 1024, kElems = kRows * kCols;

// The peers: what a programmer would write, compiled -O3 -march=native
// -ffp-contract=fast (see CMakeLists.txt). noinline keeps them honest calls,
// like the dlc kernels.
__attribute__((noinline)) void reluFmaLoop(const float *__restrict x, const float *__restrict a,
                                           const float *__restrict b, float *__restrict y,
                                           size_t n) {
  for (size_t i = 0; i < n; ++i) {
    float v = x[i] * a[i] + b[i];
    y[i] = v > 0.0f ? v : 0.0f;
  }
}

__attribute__((noinline)) void reluFmaRowLoop(const float *__restrict x,
                                              const float *__restrict a,
                                              const float *__restrict b, float *__restrict y,
                                              size_t rows, size_t cols) {
  for (size_t r = 0; r < rows; ++r)
    for (size_t c = 0; c < cols; ++c) {
      float v = x[r * cols + c] * a[c] + b[c];
      y[r * cols + c] = v > 0.0f ? v : 0.0f;
    }
}

struct EltwiseCase {
  std::string name;
  bool rowBroadcast; // a, b: one row of kCols broadcast, else kElems each
  void (*dlc)(const float *, const float *, const float *, float *, void *);
  uint64_t workspaceBytes;

  struct Data {
    Buffer<float> x, a, b, yDlc, yLoop;
    Buffer<unsigned char> workspace;
    std::string error;
  };
  std::unique_ptr<Data> data;

  size_t abElems() const { return rowBroadcast ? kCols : kElems; }
  double flop() const { return 3.0 * double(kElems); }
  double bytes() const { return 4.0 * double(2 * kElems + 2 * abElems()); }

  void runDlc(Data &d) const {
    dlc(d.x.get(), d.a.get(), d.b.get(), d.yDlc.get(), d.workspace.get());
  }
  void runLoop(Data &d) const {
    if (rowBroadcast)
      reluFmaRowLoop(d.x.get(), d.a.get(), d.b.get(), d.yLoop.get(), kRows, kCols);
    else
      reluFmaLoop(d.x.get(), d.a.get(), d.b.get(), d.yLoop.get(), kElems);
  }

  Data &get() {
    if (data)
      return *data;
    data = std::make_unique<Data>();
    Data &d = *data;
    d.x = randomFloats(kElems, 3);
    d.a = randomFloats(abElems(), 4);
    d.b = randomFloats(abElems(), 5);
    d.yDlc = allocate<float>(kElems);
    d.yLoop = allocate<float>(kElems);
    d.workspace = allocate<unsigned char>(workspaceBytes);
    fillNaN(d.yDlc.get(), kElems);
    fillNaN(d.yLoop.get(), kElems);
    runDlc(d);
    runLoop(d);
    // Both sides contract x*a+b into one FMA; allow for one that does not.
    d.error = compare(("relu_fma " + name).c_str(), d.yDlc.get(), d.yLoop.get(), kElems, 1e-6,
                      1e-6);
    return d;
  }
};

std::vector<EltwiseCase> &eltwiseCases() {
  static std::vector<EltwiseCase> cases = [] {
    std::vector<EltwiseCase> v;
    v.push_back({"1m", false, relu_fma_1m, RELU_FMA_1M_WORKSPACE_BYTES, nullptr});
    v.push_back({"row", true, relu_fma_row, RELU_FMA_ROW_WORKSPACE_BYTES, nullptr});
    return v;
  }();
  return cases;
}

void BM_EltwiseDlc(benchmark::State &state, EltwiseCase *c) {
  EltwiseCase::Data &d = c->get();
  if (!d.error.empty()) {
    state.SkipWithError(d.error.c_str());
    return;
  }
  for (auto _ : state) {
    c->runDlc(d);
    benchmark::ClobberMemory();
  }
  setRates(state, c->flop(), c->bytes());
}

void BM_EltwiseLoop(benchmark::State &state, EltwiseCase *c) {
  EltwiseCase::Data &d = c->get();
  if (!d.error.empty()) {
    state.SkipWithError(d.error.c_str());
    return;
  }
  for (auto _ : state) {
    c->runLoop(d);
    benchmark::ClobberMemory();
  }
  setRates(state, c->flop(), c->bytes());
}

} // namespace

int main(int argc, char **argv) {
  // OpenBLAS reads OPENBLAS_NUM_THREADS when the library loads (before main),
  // so run_kernels.sh exports it; setting the thread count here covers runs
  // without the script. Either way sgemm runs on the calling thread only.
  setenv("OPENBLAS_NUM_THREADS", "1", /*overwrite=*/1);
  openblas_set_num_threads(1);
  benchmark::AddCustomContext("openblas_core", openblas_get_corename());
  benchmark::AddCustomContext("openblas_config", openblas_get_config());
  benchmark::AddCustomContext("openblas_threads", std::to_string(openblas_get_num_threads()));
#if defined(__x86_64__)
  // OpenBLAS 0.3.21 does not know recent AMD CPUs and falls back to AVX2
  // kernels there, about half its AVX-512 speed: say so, the comparison is off.
  std::string core = openblas_get_corename();
  if (__builtin_cpu_supports("avx512f") && core.find("kylake") == std::string::npos &&
      core.find("ooperlake") == std::string::npos && core.find("apphire") == std::string::npos)
    std::fprintf(stderr,
                 "note: the CPU has AVX-512 but OpenBLAS chose its '%s' kernels; "
                 "OPENBLAS_CORETYPE=SkylakeX selects its AVX-512 ones (run_kernels.sh does)\n",
                 core.c_str());
#endif

  for (MatmulCase &c : matmulCases()) {
    benchmark::RegisterBenchmark(("matmul/" + c.name + "/dlc").c_str(), BM_MatmulDlc, &c)
        ->UseRealTime()
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("matmul/" + c.name + "/openblas").c_str(), BM_MatmulBlas, &c)
        ->UseRealTime()
        ->Unit(benchmark::kMicrosecond);
  }
  for (EltwiseCase &c : eltwiseCases()) {
    benchmark::RegisterBenchmark(("relu_fma/" + c.name + "/dlc").c_str(), BM_EltwiseDlc, &c)
        ->UseRealTime()
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("relu_fma/" + c.name + "/cxx").c_str(), BM_EltwiseLoop, &c)
        ->UseRealTime()
        ->Unit(benchmark::kMicrosecond);
  }

  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv))
    return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
