//===- RandomTest.cpp - seeded shuffles, distributions, initialization ----===//
#include "TestUtil.h"

#include "dlrt/model.h"
#include "dlrt/random.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

using namespace dlrt;
using namespace dlrt::test;

TEST(Random, EngineIsTheStandardOne) {
  // The C++ standard fixes the 10000th output of a default-seeded mt19937_64.
  Rng r(5489u);
  uint64_t v = 0;
  for (int i = 0; i < 10000; ++i)
    v = r.next();
  EXPECT_EQ(v, 9981545732273789042ull);
}

TEST(Random, ShuffleIsDeterministicAndPortable) {
  std::vector<int64_t> a = epochPermutation(1000, 42, 3);
  std::vector<int64_t> b = epochPermutation(1000, 42, 3);
  EXPECT_EQ(a, b);
  std::vector<int64_t> sorted = a;
  std::sort(sorted.begin(), sorted.end());
  for (int64_t i = 0; i < 1000; ++i)
    ASSERT_EQ(sorted[size_t(i)], i);
  EXPECT_NE(a, epochPermutation(1000, 42, 4)); // each epoch differs
  EXPECT_NE(a, epochPermutation(1000, 43, 3)); // each seed differs
  // Pinned: depends only on mt19937_64 and our own Fisher-Yates, so these
  // values are the same with every standard library.
  EXPECT_EQ(epochPermutation(10, 0, 0),
            (std::vector<int64_t>{2, 4, 8, 3, 1, 0, 7, 6, 5, 9}));
  EXPECT_TRUE(epochPermutation(0, 1, 1).empty());
  EXPECT_EQ(epochPermutation(1, 1, 1), (std::vector<int64_t>{0}));
}

TEST(Random, BelowIsUniform) {
  Rng r(7);
  int counts[6] = {};
  const int n = 60000;
  for (int i = 0; i < n; ++i) {
    uint64_t v = r.below(6);
    ASSERT_LT(v, 6u);
    ++counts[v];
  }
  for (int c : counts) // chi-square-ish bound: 5 sigma
    EXPECT_NEAR(c, n / 6, 5 * std::sqrt(n / 6.0));
  EXPECT_EQ(r.below(1), 0u);
  EXPECT_EQ(r.below(0), 0u);
}

TEST(Random, ShuffleVisitsEveryPositionEvenly) {
  // Where element 0 lands over many shuffles of 5 elements.
  int where[5] = {};
  Rng r(11);
  const int n = 50000;
  for (int t = 0; t < n; ++t) {
    std::vector<int> v = {0, 1, 2, 3, 4};
    shuffle(v, r);
    ++where[std::find(v.begin(), v.end(), 0) - v.begin()];
  }
  for (int c : where)
    EXPECT_NEAR(c, n / 5, 5 * std::sqrt(n / 5.0));
}

TEST(Random, UniformAndNormalMoments) {
  Rng r(123);
  const int n = 200000;
  double s = 0, s2 = 0, lo = 1, hi = 0;
  for (int i = 0; i < n; ++i) {
    double u = r.uniform();
    s += u;
    s2 += u * u;
    lo = std::min(lo, u);
    hi = std::max(hi, u);
  }
  EXPECT_GE(lo, 0.0);
  EXPECT_LT(hi, 1.0);
  EXPECT_NEAR(s / n, 0.5, 0.005);
  EXPECT_NEAR(s2 / n - 0.25, 1.0 / 12, 0.002);
  double m = 0, m2 = 0, m4 = 0;
  for (int i = 0; i < n; ++i) {
    double z = r.normal();
    m += z;
    m2 += z * z;
    m4 += z * z * z * z;
  }
  EXPECT_NEAR(m / n, 0, 0.01);
  EXPECT_NEAR(m2 / n, 1, 0.015);
  EXPECT_NEAR(m4 / n, 3, 0.1); // kurtosis of a normal
}

namespace {
// A state layout like a generated header's.
const dlc_tensor_info kTensors[] = {
    {"w", DLC_PARAM, DLC_F32, 2, {100, 200}, 0, 80000, DLC_INIT_UNIFORM, -0.5, 0.25},
    {"g", DLC_PARAM, DLC_F32, 1, {50000}, 80000, 200000, DLC_INIT_NORMAL, 1.0, 2.0},
    {"d", DLC_PARAM, DLC_F64, 1, {20000}, 280000, 160000, DLC_INIT_NORMAL, -3.0, 0.5},
    {"ones", DLC_STATE, DLC_F32, 1, {3}, 440000, 12, DLC_INIT_ONES, 0, 0},
    {"c", DLC_PARAM, DLC_F32, 1, {3}, 440064, 12, DLC_INIT_CONSTANT, 0.75, 0},
    {"z", DLC_PARAM, DLC_F32, 1, {3}, 440128, 12, DLC_INIT_ZEROS, 0, 0},
    {"m", DLC_OPT_STATE, DLC_F32, 1, {3}, 440192, 12, DLC_INIT_NONE, 0, 0},
    {"step", DLC_OPT_STATE, DLC_F32, 0, {0}, 440256, 4, DLC_INIT_NONE, 0, 0},
};
const int kCount = sizeof kTensors / sizeof kTensors[0];
const uint64_t kBytes = 440320;

template <typename T> void moments(const T *p, int64_t n, double &mean, double &sd,
                                   double &lo, double &hi) {
  double s = 0, s2 = 0;
  lo = p[0];
  hi = p[0];
  for (int64_t i = 0; i < n; ++i) {
    s += p[i];
    s2 += double(p[i]) * p[i];
    lo = std::min(lo, double(p[i]));
    hi = std::max(hi, double(p[i]));
  }
  mean = s / double(n);
  sd = std::sqrt(s2 / double(n) - mean * mean);
}
} // namespace

TEST(Init, StatisticsOfEveryInitializer) {
  AlignedBuffer state(kBytes);
  std::memset(state.data(), 0xab, kBytes); // garbage: init must overwrite all
  initializeState(kTensors, kCount, kBytes, state.data(), 1234);
  char *base = static_cast<char *>(state.data());
  double mean, sd, lo, hi;
  moments(reinterpret_cast<float *>(base), 20000, mean, sd, lo, hi);
  EXPECT_GE(lo, -0.5);
  EXPECT_LT(hi, 0.25);
  EXPECT_NEAR(mean, -0.125, 0.01);
  EXPECT_NEAR(sd, 0.75 / std::sqrt(12.0), 0.005);
  moments(reinterpret_cast<float *>(base + 80000), 50000, mean, sd, lo, hi);
  EXPECT_NEAR(mean, 1.0, 0.03);
  EXPECT_NEAR(sd, 2.0, 0.03);
  moments(reinterpret_cast<double *>(base + 280000), 20000, mean, sd, lo, hi);
  EXPECT_NEAR(mean, -3.0, 0.015);
  EXPECT_NEAR(sd, 0.5, 0.01);
  float *ones = reinterpret_cast<float *>(base + 440000);
  float *c = reinterpret_cast<float *>(base + 440064);
  float *z = reinterpret_cast<float *>(base + 440128);
  float *m = reinterpret_cast<float *>(base + 440192);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(ones[i], 1.0f);
    EXPECT_EQ(c[i], 0.75f);
    EXPECT_EQ(z[i], 0.0f);
    EXPECT_EQ(m[i], 0.0f);
  }
  EXPECT_EQ(*reinterpret_cast<float *>(base + 440256), 0.0f);
  // Padding between tensors is zeroed too.
  EXPECT_EQ(base[440012], 0);
}

TEST(Init, DeterministicPerSeedAndPerTensor) {
  AlignedBuffer a(kBytes), b(kBytes), c(kBytes);
  initializeState(kTensors, kCount, kBytes, a.data(), 5);
  initializeState(kTensors, kCount, kBytes, b.data(), 5);
  initializeState(kTensors, kCount, kBytes, c.data(), 6);
  EXPECT_EQ(std::memcmp(a.data(), b.data(), kBytes), 0);
  EXPECT_NE(std::memcmp(a.data(), c.data(), 80000), 0);
  // A tensor's values depend on its name and the seed, not on the others:
  // initializing "g" alone gives the same values.
  dlc_tensor_info g = kTensors[1];
  g.offset = 0;
  AlignedBuffer alone(200000);
  initializeState(&g, 1, 200000, alone.data(), 5);
  EXPECT_EQ(std::memcmp(alone.data(), static_cast<char *>(a.data()) + 80000, 200000), 0);
}

TEST(Init, RejectsBadInitializers) {
  dlc_tensor_info t = {"w", DLC_PARAM, DLC_F32, 1, {4}, 0, 16, DLC_INIT_UNIFORM, 1.0, -1.0};
  AlignedBuffer s(64);
  EXPECT_DLRT_ERROR(initializeState(&t, 1, 64, s.data(), 0), "'w'", "empty range");
  t.init = DLC_INIT_NORMAL;
  EXPECT_DLRT_ERROR(initializeState(&t, 1, 64, s.data(), 0), "negative standard deviation");
}
