//===- dlrt/random.h - seeded, portable random numbers ----------*- C++ -*-===//
//
// Everything here depends only on std::mt19937_64's output sequence (fixed
// by the C++ standard), never on a standard library's distributions, so
// shuffles and initial weights are identical across compilers and
// platforms.
//
//===----------------------------------------------------------------------===//
#ifndef DLRT_RANDOM_H
#define DLRT_RANDOM_H

#include <cstdint>
#include <random>
#include <vector>

namespace dlrt {

/// SplitMix64 finalizer: derives independent seeds from (seed, stream).
uint64_t mixSeed(uint64_t seed, uint64_t stream);

class Rng {
public:
  explicit Rng(uint64_t seed) : engine_(seed) {}
  uint64_t next() { return engine_(); }
  /// Uniform integer in [0, n) without modulo bias (n > 0).
  uint64_t below(uint64_t n);
  /// Uniform double in [0, 1) with 53 random bits.
  double uniform();
  /// Uniform in [lo, hi).
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  /// Standard normal (Box-Muller; the second value of a pair is kept).
  double normal();
  double normal(double mean, double stddev) { return mean + stddev * normal(); }

private:
  std::mt19937_64 engine_;
  bool haveSpare_ = false;
  double spare_ = 0;
};

/// Fisher-Yates shuffle driven by RNG.below().
template <typename T> void shuffle(std::vector<T> &v, Rng &rng) {
  for (size_t i = v.size(); i > 1; --i) {
    size_t j = size_t(rng.below(uint64_t(i)));
    std::swap(v[i - 1], v[j]);
  }
}

/// The seed of epoch EPOCH's shuffle (0-based) for a run seeded with SEED.
uint64_t epochSeed(uint64_t seed, int64_t epoch);
/// The order in which epoch EPOCH visits N examples: a permutation of 0..N-1
/// that depends only on (SEED, EPOCH, N).
std::vector<int64_t> epochPermutation(int64_t n, uint64_t seed, int64_t epoch);

} // namespace dlrt

#endif // DLRT_RANDOM_H
