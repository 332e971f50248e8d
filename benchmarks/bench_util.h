//===- bench_util.h - shared buffers and result checks ----------*- C++ -*-===//
//
// What dlc-bench-kernels (bench_kernels.cpp) and dlc-bench-conv
// (bench_conv.cpp) share: 64-byte aligned buffers, random inputs, NaN-filled
// outputs, and the comparison of a dlc result with its peer's.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_BENCHMARKS_BENCH_UTIL_H
#define DLC_BENCHMARKS_BENCH_UTIL_H

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <memory>
#include <random>
#include <string>

namespace dlc_bench {

struct FreeDeleter {
  void operator()(void *p) const { std::free(p); }
};
template <typename T> using Buffer = std::unique_ptr<T[], FreeDeleter>;

/// 64-byte aligned (the ABI's DLC_BUFFER_ALIGN), never NULL.
template <typename T> Buffer<T> allocate(size_t count) {
  size_t bytes = (std::max<size_t>(count * sizeof(T), 1) + 63) / 64 * 64;
  void *p = std::aligned_alloc(64, bytes);
  if (!p) {
    std::fprintf(stderr, "dlc-bench: out of memory (%zu bytes)\n", bytes);
    std::abort();
  }
  return Buffer<T>(static_cast<T *>(p));
}

/// `count` floats drawn uniformly from [-1, 1] with a fixed seed.
inline Buffer<float> randomFloats(size_t count, uint32_t seed) {
  Buffer<float> b = allocate<float>(count);
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  for (size_t i = 0; i < count; ++i)
    b[i] = dist(rng);
  return b;
}

inline void fillNaN(float *p, size_t count) {
  std::fill(p, p + count, std::numeric_limits<float>::quiet_NaN());
}

/// The largest |got - want| over `count` elements (infinity where either is NaN).
inline double maxAbsDiff(const float *got, const float *want, size_t count) {
  double worst = 0;
  for (size_t i = 0; i < count; ++i) {
    double err = std::fabs(double(got[i]) - double(want[i]));
    if (!(err <= worst))
      worst = std::isnan(err) ? std::numeric_limits<double>::infinity() : err;
  }
  return worst;
}

/// Compares `got` (dlc) with `want` (the peer): |got - want| <= atol + rtol*|want|
/// everywhere (NaN fails). Returns "" or a description of the first mismatch.
inline std::string compare(const char *what, const float *got, const float *want, size_t count,
                           double atol, double rtol) {
  size_t bad = 0, first = count;
  for (size_t i = 0; i < count; ++i) {
    double err = std::fabs(double(got[i]) - double(want[i]));
    if (!(err <= atol + rtol * std::fabs(double(want[i])))) {
      if (first == count)
        first = i;
      ++bad;
    }
  }
  if (!bad)
    return "";
  char msg[320];
  std::snprintf(msg, sizeof msg,
                "%s: dlc differs from the peer at %zu of %zu elements (first [%zu]: %g vs %g, "
                "max |diff| %g)",
                what, bad, count, first, double(got[first]), double(want[first]),
                maxAbsDiff(got, want, count));
  return msg;
}

} // namespace dlc_bench

#endif // DLC_BENCHMARKS_BENCH_UTIL_H
