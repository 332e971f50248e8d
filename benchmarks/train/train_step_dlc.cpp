//===- train_step_dlc.cpp - time a compiled Fashion-MNIST train step
//-------===//
//
// Part of dlc's benchmarks (benchmarks/train/run.sh, conv_run.sh,
// seq_run.sh). Built with -include M.h against the object `dlc compile`
// made for a classifier (-DMODEL=m -DMODEL_UPPER=M; default: fashion_mlp,
// batch 64 with input x [64, 784], labels [64] and logits [64, 10]; others
// give -DX_ELEMS, -DY_ELEMS and -DCLASSES, and -DTOKENS for a language
// model's x of token ids). Times the train step
// on a fixed random batch (the same work PyTorch's side times): 20 warm-up
// steps, then 5 rounds of STEPS steps (first argument; default 937, one
// epoch); prints the median. The second argument is the number of threads
// (default 1: the model's parallel loops run on the calling thread; N > 1:
// dlrt's pool of N threads, so link libdlrt.a and -pthread).
//
//===----------------------------------------------------------------------===//

#include <dlrt/threads.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <vector>

#ifndef MODEL
#define MODEL fashion_mlp
#define MODEL_UPPER FASHION_MLP
#endif
// The batch's elements: inputs, labels (one logits row of CLASSES each).
#ifndef X_ELEMS
#define X_ELEMS (64 * 784)
#define Y_ELEMS 64
#define CLASSES 10
#endif
#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define UPPER(suffix) CAT(MODEL_UPPER, suffix)
#define LOWER(suffix) CAT(MODEL, suffix)

int main(int argc, char **argv) {
  int steps = argc > 1 ? std::atoi(argv[1]) : 937;
  int threads = argc > 2 ? std::atoi(argv[2]) : 1;
  if (steps < 1 || threads < 1)
    return 2;
  dlrt::ThreadPool pool(threads);
  if (threads > 1)
    LOWER(_set_parallel_for)(&dlrt::ThreadPool::hook, &pool);
  auto *state = static_cast<unsigned char *>(
      std::aligned_alloc(64, (UPPER(_STATE_BYTES) + 63) / 64 * 64));
  auto *ws = static_cast<unsigned char *>(std::aligned_alloc(
      64, (UPPER(_TRAIN_STEP_WORKSPACE_BYTES) + 64) / 64 * 64));
  std::memset(state, 0, UPPER(_STATE_BYTES));
  std::mt19937 rng(1);
  for (int i = 0; i < UPPER(_NUM_STATE_TENSORS); ++i) {
    const dlc_tensor_info &t = LOWER(_state_tensors)[i];
    float *p = reinterpret_cast<float *>(state + t.offset);
    if (t.init == DLC_INIT_UNIFORM || t.init == DLC_INIT_NORMAL)
      for (size_t k = 0; k < t.bytes / 4; ++k)
        p[k] = t.init == DLC_INIT_UNIFORM
                   ? std::uniform_real_distribution<float>(float(t.init_a),
                                                           float(t.init_b))(rng)
                   : std::normal_distribution<float>(float(t.init_a),
                                                     float(t.init_b))(rng);
    if (t.init == DLC_INIT_ONES)
      for (size_t k = 0; k < t.bytes / 4; ++k)
        p[k] = 1.0f;
    if (!std::strcmp(t.name, "steps_per_epoch"))
      p[0] = 937;
  }
#ifdef TOKENS
  // A language model: x [B, T] token ids and y [B, T] the next ones, of a
  // vocabulary of CLASSES.
  std::vector<int32_t> x(X_ELEMS);
  for (int32_t &v : x)
    v = int32_t(rng() % CLASSES);
#else
  std::vector<float> x(X_ELEMS);
  for (float &v : x)
    v = float(rng() % 256) / 255.0f;
#endif
  std::vector<int32_t> y(Y_ELEMS);
  for (int32_t &v : y)
    v = int32_t(rng() % CLASSES);
  float loss;
  std::vector<float> logits(size_t(Y_ELEMS) * CLASSES);
  for (int s = 0; s < 20; ++s)
    LOWER(_train_step)(state, x.data(), y.data(), &loss, logits.data(), ws);
  std::vector<double> rounds;
  for (int r = 0; r < 5; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    for (int s = 0; s < steps; ++s)
      LOWER(_train_step)(state, x.data(), y.data(), &loss, logits.data(), ws);
    rounds.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
            .count());
  }
  std::sort(rounds.begin(), rounds.end());
  std::printf("dlc train_step: %.3f ms/step (%d steps: %.3f s, median of 5, "
              "%d thread%s)\n",
              rounds[2] / steps * 1e3, steps, rounds[2], threads,
              threads > 1 ? "s" : "");
  return std::isfinite(loss) ? 0 : 1;
}
