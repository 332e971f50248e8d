//===- train_step_dlc.cpp - time the compiled Fashion-MNIST MLP train step -===//
//
// Part of dlc's benchmarks (benchmarks/train/run.sh). Built with
// -include fashion_mlp.h against the object `dlc compile` made. Times the
// train step on a fixed random batch (the same work PyTorch's side times):
// 20 warm-up steps, then 5 rounds of 937 steps (one epoch); prints the median.
//
//===----------------------------------------------------------------------===//

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <vector>

int main() {
  auto *state = static_cast<unsigned char *>(
      std::aligned_alloc(64, (FASHION_MLP_STATE_BYTES + 63) / 64 * 64));
  auto *ws = static_cast<unsigned char *>(std::aligned_alloc(
      64, (FASHION_MLP_TRAIN_STEP_WORKSPACE_BYTES + 64) / 64 * 64));
  std::memset(state, 0, FASHION_MLP_STATE_BYTES);
  std::mt19937 rng(1);
  for (int i = 0; i < FASHION_MLP_NUM_STATE_TENSORS; ++i) {
    const dlc_tensor_info &t = fashion_mlp_state_tensors[i];
    float *p = reinterpret_cast<float *>(state + t.offset);
    if (t.init == DLC_INIT_UNIFORM)
      for (size_t k = 0; k < t.bytes / 4; ++k)
        p[k] = std::uniform_real_distribution<float>(float(t.init_a),
                                                     float(t.init_b))(rng);
    if (!std::strcmp(t.name, "steps_per_epoch"))
      p[0] = 937;
  }
  std::vector<float> x(64 * 784);
  for (float &v : x)
    v = float(rng() % 256) / 255.0f;
  int32_t y[64];
  for (int32_t &v : y)
    v = int32_t(rng() % 10);
  float loss, logits[640];
  for (int s = 0; s < 20; ++s)
    fashion_mlp_train_step(state, x.data(), y, &loss, logits, ws);
  std::vector<double> rounds;
  for (int r = 0; r < 5; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    for (int s = 0; s < 937; ++s)
      fashion_mlp_train_step(state, x.data(), y, &loss, logits, ws);
    rounds.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
            .count());
  }
  std::sort(rounds.begin(), rounds.end());
  std::printf("dlc train_step: %.3f ms/step (937 steps: %.3f s, median of 5)\n",
              rounds[2] / 937 * 1e3, rounds[2]);
  return std::isfinite(loss) ? 0 : 1;
}
