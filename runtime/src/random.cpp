//===- random.cpp - portable seeded random numbers and shuffles -----------===//
#include "dlrt/random.h"

#include <cmath>

namespace dlrt {

uint64_t mixSeed(uint64_t seed, uint64_t stream) {
  uint64_t z = seed + 0x9e3779b97f4a7c15ull * (stream + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

uint64_t Rng::below(uint64_t n) {
  if (n <= 1)
    return 0;
  // Rejection: accept x < limit, the largest multiple of n that fits.
  uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  for (;;) {
    uint64_t x = engine_();
    if (x < limit)
      return x % n;
  }
}

double Rng::uniform() { return double(engine_() >> 11) * 0x1.0p-53; }

double Rng::normal() {
  if (haveSpare_) {
    haveSpare_ = false;
    return spare_;
  }
  // Box-Muller on (0, 1] x [0, 1): u1 never 0, so log(u1) is finite.
  double u1 = 1.0 - uniform();
  double u2 = uniform();
  double r = std::sqrt(-2.0 * std::log(u1));
  double t = 2.0 * M_PI * u2;
  spare_ = r * std::sin(t);
  haveSpare_ = true;
  return r * std::cos(t);
}

uint64_t epochSeed(uint64_t seed, int64_t epoch) {
  return mixSeed(mixSeed(seed, 0x5348554646ull /* "SHUFF" */), uint64_t(epoch));
}

std::vector<int64_t> epochPermutation(int64_t n, uint64_t seed, int64_t epoch) {
  std::vector<int64_t> order(size_t(n > 0 ? n : 0));
  for (int64_t i = 0; i < n; ++i)
    order[size_t(i)] = i;
  Rng rng(epochSeed(seed, epoch));
  shuffle(order, rng);
  return order;
}

} // namespace dlrt
