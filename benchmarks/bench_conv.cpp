//===- bench_conv.cpp - dlc convolutions beside oneDNN --------------------===//
//
// dlc-bench-conv: the convolutions of examples/cnn.dl, resnet_mini.dl and
// vgg_mini.dl (benchmarks/kernels/conv_*.mlir: f32, batch 64, 3x3, stride 1,
// padding 1), each in its three forms, timed beside oneDNN in the same run:
//
//   conv/SHAPE/fwd/IMPL   y  = conv2d(x, w)                    dl.conv2d
//   conv/SHAPE/dx/IMPL    dx = conv2d_backward_input(dy, w)    dl.conv2d_backward_input
//   conv/SHAPE/dw/IMPL    dw = conv2d_backward_filter(x, dy)   dl.conv2d_backward_filter
//
// IMPL is one of
//
//   dlc          the generated kernel through its C ABI (NCHW, OIHW)
//   onednn       oneDNN's convolution_forward (forward_training),
//                convolution_backward_data and convolution_backward_weights
//                (no bias, like dlc's op), direct algorithm, with memory
//                format `any`: the blocked layouts oneDNN picks for itself
//                (nChw16c, ...). Primitives, reorders from NCHW/OIHW and back
//                and the scratchpad are made once, outside the timed loop
//                (how a framework runs oneDNN at its best).
//   onednn_nchw  the same primitives on plain nchw/oihw memory.
//
// and peak/fma is a loop of independent vector FMAs: the core's f32 FMA peak
// (its `flop` is the fastest call's rate), measured in the same run, which
// run_conv.sh divides the GFLOP/s by.
//
// Counters: `flop` (2*N*O*C*KH*KW*OH*OW per call, for all three forms), a
// rate over wall-clock time; `max_abs_err` (dlc and onednn_nchw: the largest
// |difference| from onednn's result); `threads` (oneDNN rows: the process's
// OS threads after the timed loop, 1 when oneDNN ran on the calling thread
// alone). The oneDNN rows' label names oneDNN's implementation and layouts.
// Before any timing, each kernel's dlc result and the onednn_nchw result are
// checked once against onednn's on the same random inputs; a mismatch skips
// all three benchmarks of that kernel with an error.
//
//===----------------------------------------------------------------------===//

#include <benchmark/benchmark.h>
#include <oneapi/dnnl/dnnl.hpp>

#if DNNL_CPU_THREADING_RUNTIME == DNNL_RUNTIME_OMP
#include <omp.h>
#endif
#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <numeric>
#include <string>
#include <unordered_map>
#include <vector>

#include "bench_util.h"
#include "conv_cnn_conv1.h"
#include "conv_cnn_conv2.h"
#include "conv_resnet_block.h"
#include "conv_resnet_stem.h"
#include "conv_vgg_c2.h"
#include "conv_vgg_c4.h"

namespace {

using namespace dlc_bench;

//===----------------------------------------------------------------------===//
// The core's FMA peak
//===----------------------------------------------------------------------===//

#if defined(__AVX512F__)
using Vec = __m512;
inline Vec vecFma(Vec a, Vec b, Vec c) { return _mm512_fmadd_ps(a, b, c); }
inline Vec vecSplat(float x) { return _mm512_set1_ps(x); }
const char *const kVecIsa = "avx512";
#elif defined(__FMA__)
using Vec = __m256;
inline Vec vecFma(Vec a, Vec b, Vec c) { return _mm256_fmadd_ps(a, b, c); }
inline Vec vecSplat(float x) { return _mm256_set1_ps(x); }
const char *const kVecIsa = "avx2";
#else
using Vec = float __attribute__((vector_size(16)));
inline Vec vecFma(Vec a, Vec b, Vec c) { return a * b + c; }
inline Vec vecSplat(float x) { return Vec{} + x; }
const char *const kVecIsa = "128-bit";
#endif
constexpr int kLanes = int(sizeof(Vec) / sizeof(float));
/// Independent accumulators: more than FMA latency (4 cycles) x FMA pipes (2)
/// in flight, and few enough to stay in registers (12 of 32 zmm / 16 ymm).
constexpr int kAccumulators = 12;

/// `steps` rounds of kAccumulators independent FMAs (acc = acc * a + b, which
/// converges to b / (1 - a): no overflow, no denormals).
__attribute__((noinline)) float fmaLoop(long steps, float a, float b) {
  Vec acc[kAccumulators];
  for (int i = 0; i < kAccumulators; ++i)
    acc[i] = vecSplat(float(i));
  Vec va = vecSplat(a), vb = vecSplat(b);
  for (long s = 0; s < steps; ++s) {
#pragma GCC unroll 12
    for (int i = 0; i < kAccumulators; ++i)
      acc[i] = vecFma(acc[i], va, vb);
  }
  float lanes[kLanes];
  Vec sum = acc[0];
  for (int i = 1; i < kAccumulators; ++i)
    sum = vecFma(acc[i], vecSplat(1.0f), sum);
  std::copy_n(reinterpret_cast<const float *>(&sum), kLanes, lanes);
  return std::accumulate(lanes, lanes + kLanes, 0.0f);
}

/// Reports the fastest call's rate as `flop`: a neighbour on the core can only
/// slow calls down, and each call is short (~0.1 ms), so some run undisturbed.
void BM_FmaPeak(benchmark::State &state) {
  constexpr long kSteps = 1 << 16;
  const double flopPerCall = 2.0 * kLanes * kAccumulators * double(kSteps);
  volatile float a = 0.999f, b = 0.001f;
  double best = 0;
  for (auto _ : state) {
    auto start = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(fmaLoop(kSteps, a, b));
    std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    best = std::max(best, flopPerCall / took.count());
  }
  state.counters["flop"] = best;
  state.SetLabel(std::string(kVecIsa) + " FMA, " + std::to_string(kAccumulators) +
                 " accumulators, fastest call");
}

//===----------------------------------------------------------------------===//
// Convolution shapes and their dlc kernels
//===----------------------------------------------------------------------===//

/// y = f(x, w), dx = f(dy, w), dw = f(x, dy): the generated C functions.
using ConvFn = void (*)(const float *in0, const float *in1, float *out, void *workspace);

/// x: N x C x H x W, w: O x C x 3 x 3, stride 1, padding 1: y is N x O x H x W.
struct ConvShape {
  std::string name;
  int64_t n, c, h, w, o;
  ConvFn fwd, dx, dw;
  uint64_t fwdWorkspace, dxWorkspace, dwWorkspace;

  static constexpr int64_t kKernel = 3;
  size_t xElems() const { return size_t(n * c * h * w); }
  size_t wElems() const { return size_t(o * c * kKernel * kKernel); }
  size_t yElems() const { return size_t(n * o * h * w); }
};

enum class Kind { Fwd, BwdData, BwdWeights };

const char *kindName(Kind kind) {
  switch (kind) {
  case Kind::Fwd:
    return "fwd";
  case Kind::BwdData:
    return "dx";
  case Kind::BwdWeights:
    return "dw";
  }
  return "?";
}

//===----------------------------------------------------------------------===//
// oneDNN
//===----------------------------------------------------------------------===//

dnnl::engine &cpuEngine() {
  static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

dnnl::stream &cpuStream() {
  static dnnl::stream stream(cpuEngine());
  return stream;
}

/// A blocked memory descriptor's layout in oneDNN's tag notation: dimensions
/// a, b, c, d outermost first, upper case where blocked, then the inner blocks
/// (nChw16c is "aBcd16b", OIhw16i16o "ABcd16b16a").
std::string layoutName(const dnnl::memory::desc &md) {
  const dnnl_memory_desc_t &d = md.data;
  if (d.format_kind != dnnl_blocked)
    return "?";
  const dnnl_blocking_desc_t &blk = d.format_desc.blocking;
  std::vector<int> order(size_t(d.ndims));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int i, int j) { return blk.strides[i] > blk.strides[j]; });
  std::vector<bool> blocked(size_t(d.ndims), false);
  for (int i = 0; i < blk.inner_nblks; ++i)
    blocked[size_t(blk.inner_idxs[i])] = true;
  std::string s;
  for (int i : order)
    s += char((blocked[size_t(i)] ? 'A' : 'a') + i);
  for (int i = 0; i < blk.inner_nblks; ++i)
    s += std::to_string(blk.inner_blks[i]) + char('a' + blk.inner_idxs[i]);
  return s;
}

/// `plain` (caller-owned, in layout `plainMd`) as memory in layout `md`:
/// the buffer itself when the layouts agree, else a reordered copy.
dnnl::memory inLayout(const dnnl::memory::desc &md, const dnnl::memory::desc &plainMd,
                      float *plain) {
  dnnl::memory user(plainMd, cpuEngine(), plain);
  if (md == plainMd)
    return user;
  dnnl::memory mem(md, cpuEngine());
  dnnl::reorder(user, mem).execute(cpuStream(), user, mem);
  cpuStream().wait();
  return mem;
}

/// One oneDNN convolution primitive with its memories, ready to execute.
struct OneDnnConv {
  dnnl::primitive prim;
  std::unordered_map<int, dnnl::memory> args;
  dnnl::memory out;  ///< the result, in the primitive's layout
  std::string label; ///< implementation and layouts, e.g. "jit:avx512_core aBcd16b ..."

  void run() {
    prim.execute(cpuStream(), args);
    cpuStream().wait();
  }

  /// Copies the result into `plain` (layout `plainMd`).
  void fetch(const dnnl::memory::desc &plainMd, float *plain) {
    dnnl::memory user(plainMd, cpuEngine(), plain);
    dnnl::reorder(out, user).execute(cpuStream(), out, user);
    cpuStream().wait();
  }
};

/// The oneDNN primitive for `kind` on `s` with inputs `in0`, `in1` (plain
/// NCHW/OIHW, in the order the dlc kernel takes them): memory format `any`
/// (oneDNN's choice) when `blocked`, else nchw/oihw throughout. The direct
/// algorithm (never Winograd, whose FLOPs differ), no bias, a user scratchpad
/// allocated here.
OneDnnConv makeOneDnn(const ConvShape &s, Kind kind, bool blocked, float *in0, float *in1) {
  using dt = dnnl::memory::data_type;
  using tag = dnnl::memory::format_tag;
  using md = dnnl::memory::desc;
  const int64_t k = ConvShape::kKernel;
  dnnl::memory::dims xDims{s.n, s.c, s.h, s.w}, wDims{s.o, s.c, k, k}, yDims{s.n, s.o, s.h, s.w};
  dnnl::memory::dims strides{1, 1}, padding{1, 1};
  md xPlain(xDims, dt::f32, tag::nchw), wPlain(wDims, dt::f32, tag::oihw),
      yPlain(yDims, dt::f32, tag::nchw);
  md xAny = blocked ? md(xDims, dt::f32, tag::any) : xPlain;
  md wAny = blocked ? md(wDims, dt::f32, tag::any) : wPlain;
  md yAny = blocked ? md(yDims, dt::f32, tag::any) : yPlain;
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);

  dnnl::convolution_forward::desc fwdDesc(dnnl::prop_kind::forward_training,
                                          dnnl::algorithm::convolution_direct, xAny, wAny, yAny,
                                          strides, padding, padding);
  dnnl::convolution_forward::primitive_desc fwdPd(fwdDesc, attr, cpuEngine());

  OneDnnConv conv;
  md scratchpad;
  std::string impl, layouts;
  switch (kind) {
  case Kind::Fwd: {
    conv.prim = dnnl::convolution_forward(fwdPd);
    conv.args[DNNL_ARG_SRC] = inLayout(fwdPd.src_desc(), xPlain, in0);
    conv.args[DNNL_ARG_WEIGHTS] = inLayout(fwdPd.weights_desc(), wPlain, in1);
    conv.out = dnnl::memory(fwdPd.dst_desc(), cpuEngine());
    conv.args[DNNL_ARG_DST] = conv.out;
    scratchpad = fwdPd.scratchpad_desc();
    impl = fwdPd.impl_info_str();
    layouts = "x " + layoutName(fwdPd.src_desc()) + " w " + layoutName(fwdPd.weights_desc()) +
              " y " + layoutName(fwdPd.dst_desc());
    break;
  }
  case Kind::BwdData: {
    dnnl::convolution_backward_data::desc desc(dnnl::algorithm::convolution_direct, xAny, wAny,
                                               yAny, strides, padding, padding);
    dnnl::convolution_backward_data::primitive_desc pd(desc, attr, cpuEngine(), fwdPd);
    conv.prim = dnnl::convolution_backward_data(pd);
    conv.args[DNNL_ARG_DIFF_DST] = inLayout(pd.diff_dst_desc(), yPlain, in0);
    conv.args[DNNL_ARG_WEIGHTS] = inLayout(pd.weights_desc(), wPlain, in1);
    conv.out = dnnl::memory(pd.diff_src_desc(), cpuEngine());
    conv.args[DNNL_ARG_DIFF_SRC] = conv.out;
    scratchpad = pd.scratchpad_desc();
    impl = pd.impl_info_str();
    layouts = "dy " + layoutName(pd.diff_dst_desc()) + " w " + layoutName(pd.weights_desc()) +
              " dx " + layoutName(pd.diff_src_desc());
    break;
  }
  case Kind::BwdWeights: {
    dnnl::convolution_backward_weights::desc desc(dnnl::algorithm::convolution_direct, xAny, wAny,
                                                  yAny, strides, padding, padding);
    dnnl::convolution_backward_weights::primitive_desc pd(desc, attr, cpuEngine(), fwdPd);
    conv.prim = dnnl::convolution_backward_weights(pd);
    conv.args[DNNL_ARG_SRC] = inLayout(pd.src_desc(), xPlain, in0);
    conv.args[DNNL_ARG_DIFF_DST] = inLayout(pd.diff_dst_desc(), yPlain, in1);
    conv.out = dnnl::memory(pd.diff_weights_desc(), cpuEngine());
    conv.args[DNNL_ARG_DIFF_WEIGHTS] = conv.out;
    scratchpad = pd.scratchpad_desc();
    impl = pd.impl_info_str();
    layouts = "x " + layoutName(pd.src_desc()) + " dy " + layoutName(pd.diff_dst_desc()) + " dw " +
              layoutName(pd.diff_weights_desc());
    break;
  }
  }
  conv.args[DNNL_ARG_SCRATCHPAD] = dnnl::memory(scratchpad, cpuEngine());
  conv.label = impl + " " + layouts;
  return conv;
}

/// The OS threads of this process (Threads: in /proc/self/status), or -1.
int processThreads() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("Threads:", 0) == 0)
      return std::atoi(line.c_str() + 8);
  return -1;
}

//===----------------------------------------------------------------------===//
// One kernel: dlc vs oneDNN
//===----------------------------------------------------------------------===//

struct ConvKernel {
  ConvShape *shape;
  Kind kind;

  struct Data {
    Buffer<float> in0, in1, outDlc, outOneDnn, outOneDnnNchw;
    Buffer<unsigned char> workspace;
    OneDnnConv oneDnn, oneDnnNchw;
    double errDlc = 0, errNchw = 0; ///< max |x - onednn|
    std::string error;
  };
  std::unique_ptr<Data> data;

  std::string name() const { return "conv/" + shape->name + "/" + kindName(kind); }

  double flop() const {
    const ConvShape &s = *shape;
    return 2.0 * double(s.n * s.o * s.c * ConvShape::kKernel * ConvShape::kKernel * s.h * s.w);
  }

  /// Elements of the two inputs and of the output, in the dlc kernel's order.
  size_t in0Elems() const { return kind == Kind::BwdData ? shape->yElems() : shape->xElems(); }
  size_t in1Elems() const { return kind == Kind::BwdWeights ? shape->yElems() : shape->wElems(); }
  size_t outElems() const {
    switch (kind) {
    case Kind::Fwd:
      return shape->yElems();
    case Kind::BwdData:
      return shape->xElems();
    case Kind::BwdWeights:
      return shape->wElems();
    }
    return 0;
  }
  dnnl::memory::desc outPlainDesc() const {
    using dt = dnnl::memory::data_type;
    using tag = dnnl::memory::format_tag;
    const ConvShape &s = *shape;
    switch (kind) {
    case Kind::Fwd:
      return {{s.n, s.o, s.h, s.w}, dt::f32, tag::nchw};
    case Kind::BwdData:
      return {{s.n, s.c, s.h, s.w}, dt::f32, tag::nchw};
    case Kind::BwdWeights:
      return {{s.o, s.c, ConvShape::kKernel, ConvShape::kKernel}, dt::f32, tag::oihw};
    }
    return {};
  }
  /// The number of products summed into each output element.
  double terms() const {
    const ConvShape &s = *shape;
    const int64_t taps = ConvShape::kKernel * ConvShape::kKernel;
    switch (kind) {
    case Kind::Fwd:
      return double(s.c * taps);
    case Kind::BwdData:
      return double(s.o * taps);
    case Kind::BwdWeights:
      return double(s.n * s.h * s.w);
    }
    return 0;
  }
  ConvFn dlcFn() const {
    return kind == Kind::Fwd ? shape->fwd : kind == Kind::BwdData ? shape->dx : shape->dw;
  }
  uint64_t workspaceBytes() const {
    return kind == Kind::Fwd       ? shape->fwdWorkspace
           : kind == Kind::BwdData ? shape->dxWorkspace
                                   : shape->dwWorkspace;
  }

  void runDlc(Data &d) const {
    dlcFn()(d.in0.get(), d.in1.get(), d.outDlc.get(), d.workspace.get());
  }

  /// The inputs, outputs, workspace and oneDNN primitives, made and verified
  /// on first use.
  Data &get() {
    if (data)
      return *data;
    data = std::make_unique<Data>();
    Data &d = *data;
    d.in0 = randomFloats(in0Elems(), 11);
    d.in1 = randomFloats(in1Elems(), 12);
    d.outDlc = allocate<float>(outElems());
    d.outOneDnn = allocate<float>(outElems());
    d.outOneDnnNchw = allocate<float>(outElems());
    d.workspace = allocate<unsigned char>(workspaceBytes());
    fillNaN(d.outDlc.get(), outElems());
    fillNaN(d.outOneDnn.get(), outElems());
    fillNaN(d.outOneDnnNchw.get(), outElems());
    try {
      d.oneDnn = makeOneDnn(*shape, kind, /*blocked=*/true, d.in0.get(), d.in1.get());
      d.oneDnnNchw = makeOneDnn(*shape, kind, /*blocked=*/false, d.in0.get(), d.in1.get());
      d.oneDnn.run();
      d.oneDnn.fetch(outPlainDesc(), d.outOneDnn.get());
      d.oneDnnNchw.run();
      d.oneDnnNchw.fetch(outPlainDesc(), d.outOneDnnNchw.get());
    } catch (const dnnl::error &e) {
      d.error = name() + ": oneDNN: " + e.what();
      return d;
    }
    runDlc(d);
    // Inputs in [-1, 1]: rounding differences grow like sqrt(terms) ulps of
    // the partial sums (50176 terms per filter-gradient element); a wrong
    // result is off by O(1) at least.
    double tol = 1e-5 * std::sqrt(terms());
    d.errDlc = maxAbsDiff(d.outDlc.get(), d.outOneDnn.get(), outElems());
    d.errNchw = maxAbsDiff(d.outOneDnnNchw.get(), d.outOneDnn.get(), outElems());
    d.error = compare(name().c_str(), d.outDlc.get(), d.outOneDnn.get(), outElems(), tol, tol);
    if (d.error.empty()) {
      std::string nchw = compare((name() + " (onednn_nchw as the result)").c_str(),
                                 d.outOneDnnNchw.get(), d.outOneDnn.get(), outElems(), tol, tol);
      if (!nchw.empty())
        d.error = "oneDNN's two layouts disagree: " + nchw;
    }
    return d;
  }
};

std::vector<ConvShape> &convShapes() {
  static std::vector<ConvShape> shapes = [] {
    std::vector<ConvShape> v;
#define DLC_CONV_SHAPE(NAME, UPPER, N, C, H, W, O)                                                 \
  v.push_back({#NAME, N, C, H, W, O, conv_##NAME##_fwd, conv_##NAME##_dx, conv_##NAME##_dw,        \
               CONV_##UPPER##_FWD_WORKSPACE_BYTES, CONV_##UPPER##_DX_WORKSPACE_BYTES,              \
               CONV_##UPPER##_DW_WORKSPACE_BYTES})
    DLC_CONV_SHAPE(resnet_stem, RESNET_STEM, 64, 1, 28, 28, 16);
    DLC_CONV_SHAPE(resnet_block, RESNET_BLOCK, 64, 16, 28, 28, 16);
    DLC_CONV_SHAPE(cnn_conv1, CNN_CONV1, 64, 1, 28, 28, 32);
    DLC_CONV_SHAPE(cnn_conv2, CNN_CONV2, 64, 32, 14, 14, 64);
    DLC_CONV_SHAPE(vgg_c2, VGG_C2, 64, 32, 28, 28, 32);
    DLC_CONV_SHAPE(vgg_c4, VGG_C4, 64, 64, 14, 14, 64);
#undef DLC_CONV_SHAPE
    return v;
  }();
  return shapes;
}

std::vector<ConvKernel> &convKernels() {
  static std::vector<ConvKernel> kernels = [] {
    std::vector<ConvKernel> v;
    for (ConvShape &s : convShapes())
      for (Kind kind : {Kind::Fwd, Kind::BwdData, Kind::BwdWeights})
        v.push_back({&s, kind, nullptr});
    return v;
  }();
  return kernels;
}

void setFlop(benchmark::State &state, double flopPerCall) {
  state.counters["flop"] =
      benchmark::Counter(flopPerCall * double(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_ConvDlc(benchmark::State &state, ConvKernel *k) {
  ConvKernel::Data &d = k->get();
  if (!d.error.empty()) {
    state.SkipWithError(d.error.c_str());
    return;
  }
  for (auto _ : state) {
    k->runDlc(d);
    benchmark::ClobberMemory();
  }
  setFlop(state, k->flop());
  state.counters["max_abs_err"] = d.errDlc;
}

void BM_ConvOneDnn(benchmark::State &state, ConvKernel *k, bool blocked) {
  ConvKernel::Data &d = k->get();
  if (!d.error.empty()) {
    state.SkipWithError(d.error.c_str());
    return;
  }
  OneDnnConv &conv = blocked ? d.oneDnn : d.oneDnnNchw;
  for (auto _ : state) {
    conv.run();
    benchmark::ClobberMemory();
  }
  setFlop(state, k->flop());
  if (!blocked)
    state.counters["max_abs_err"] = d.errNchw;
  state.counters["threads"] = processThreads();
  state.SetLabel(conv.label);
}

} // namespace

int main(int argc, char **argv) {
  // oneDNN on one thread. Debian's build uses OpenMP: run_conv.sh exports
  // OMP_NUM_THREADS=1 (read when libgomp loads), and this covers runs without
  // the script; oneDNN asks OpenMP for its thread count at every call.
  int threads = -1;
#if DNNL_CPU_THREADING_RUNTIME == DNNL_RUNTIME_OMP
  omp_set_num_threads(1);
  threads = omp_get_max_threads();
#elif DNNL_CPU_THREADING_RUNTIME == DNNL_RUNTIME_SEQ
  threads = 1;
#else
  std::fprintf(stderr, "note: oneDNN's threading runtime is neither OpenMP nor sequential; "
                       "it may use more than one thread (pin with taskset)\n");
#endif
  if (threads != -1 && threads != 1) {
    std::fprintf(stderr, "dlc-bench-conv: oneDNN would run on %d threads, not 1\n", threads);
    return 1;
  }
  const dnnl_version_t *version = dnnl_version();
  benchmark::AddCustomContext("onednn_version", std::to_string(version->major) + "." +
                                                    std::to_string(version->minor) + "." +
                                                    std::to_string(version->patch));
  benchmark::AddCustomContext("onednn_threads", std::to_string(threads));

  benchmark::RegisterBenchmark("peak/fma", BM_FmaPeak)
      ->UseRealTime()
      ->Unit(benchmark::kMicrosecond);
  for (ConvKernel &k : convKernels()) {
    benchmark::RegisterBenchmark((k.name() + "/dlc").c_str(), BM_ConvDlc, &k)
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark((k.name() + "/onednn").c_str(), BM_ConvOneDnn, &k, true)
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark((k.name() + "/onednn_nchw").c_str(), BM_ConvOneDnn, &k, false)
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
  }

  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv))
    return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
