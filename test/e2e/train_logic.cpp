//===- train_logic.cpp - train AND, OR and XOR through train_step ---------===//
//
// Part of dlc's e2e tests. Included model header (-include) and one of
// -DLOGIC_AND, -DLOGIC_OR, -DLOGIC_XOR select the model. Parameters start
// from the header's initializers (seeded), optimizer state at zero; the
// program runs the model's `epochs` train steps on the truth table (one
// batch) and requires every row to be classified correctly by forward.
//
//===----------------------------------------------------------------------===//

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <vector>

#if defined(LOGIC_AND)
#define M(x) perceptron_and_##x
#define EPOCHS PERCEPTRON_AND_EPOCHS
#define STATE_BYTES PERCEPTRON_AND_STATE_BYTES
#define NUM_STATE PERCEPTRON_AND_NUM_STATE_TENSORS
#define WS_BYTES (PERCEPTRON_AND_TRAIN_STEP_WORKSPACE_BYTES + PERCEPTRON_AND_FORWARD_WORKSPACE_BYTES)
static const float targets[4] = {0, 0, 0, 1};
#elif defined(LOGIC_OR)
#define M(x) perceptron_or_##x
#define EPOCHS PERCEPTRON_OR_EPOCHS
#define STATE_BYTES PERCEPTRON_OR_STATE_BYTES
#define NUM_STATE PERCEPTRON_OR_NUM_STATE_TENSORS
#define WS_BYTES (PERCEPTRON_OR_TRAIN_STEP_WORKSPACE_BYTES + PERCEPTRON_OR_FORWARD_WORKSPACE_BYTES)
static const float targets[4] = {0, 1, 1, 1};
#elif defined(LOGIC_XOR)
#define M(x) xor_mlp_##x
#define EPOCHS XOR_MLP_EPOCHS
#define STATE_BYTES XOR_MLP_STATE_BYTES
#define NUM_STATE XOR_MLP_NUM_STATE_TENSORS
#define WS_BYTES (XOR_MLP_TRAIN_STEP_WORKSPACE_BYTES + XOR_MLP_FORWARD_WORKSPACE_BYTES)
static const float targets[4] = {0, 1, 1, 0};
#else
#error "define LOGIC_AND, LOGIC_OR or LOGIC_XOR"
#endif

/// Fills every state tensor from its initializer (seeded).
static void initState(unsigned char *state) {
  std::mt19937 rng(1);
  for (int i = 0; i < NUM_STATE; ++i) {
    const dlc_tensor_info &t = M(state_tensors)[i];
    float *p = reinterpret_cast<float *>(state + t.offset);
    size_t n = t.bytes / sizeof(float);
    for (size_t k = 0; k < n; ++k) {
      switch (t.init) {
      case DLC_INIT_ONES: p[k] = 1; break;
      case DLC_INIT_CONSTANT: p[k] = float(t.init_a); break;
      case DLC_INIT_UNIFORM:
        p[k] = std::uniform_real_distribution<float>(float(t.init_a),
                                                     float(t.init_b))(rng);
        break;
      case DLC_INIT_NORMAL:
        p[k] = std::normal_distribution<float>(float(t.init_a),
                                               float(t.init_b))(rng);
        break;
      default: p[k] = 0; break;
      }
    }
    if (!std::strcmp(t.name, "steps_per_epoch"))
      p[0] = 1; // one batch per epoch
  }
}

int main() {
  auto *state = static_cast<unsigned char *>(
      std::aligned_alloc(64, (STATE_BYTES + 63) / 64 * 64));
  auto *ws = static_cast<unsigned char *>(
      std::aligned_alloc(64, (WS_BYTES + 64) / 64 * 64));
  initState(state);
  const float x[8] = {0, 0, 0, 1, 1, 0, 1, 1};
  float loss = 0;
  int correct = 0;
#if defined(LOGIC_XOR)
  int32_t y[4];
  for (int i = 0; i < 4; ++i)
    y[i] = int32_t(targets[i]);
  float logits[8], probs[8];
  for (int e = 0; e < EPOCHS; ++e)
    M(train_step)(state, x, y, &loss, logits, probs, ws);
  M(forward)(state, x, logits, probs, ws);
  for (int i = 0; i < 4; ++i)
    correct += (logits[2 * i + 1] > logits[2 * i]) == (y[i] == 1);
#else
  float prediction[4];
  for (int e = 0; e < EPOCHS; ++e)
    M(train_step)(state, x, targets, &loss, prediction, ws);
  M(forward)(state, x, prediction, ws);
  for (int i = 0; i < 4; ++i)
    correct += prediction[i] == targets[i];
#endif
  std::printf("final loss %g, accuracy %d/4\n", loss, correct);
  return correct == 4 && std::isfinite(loss) ? 0 : 1;
}
