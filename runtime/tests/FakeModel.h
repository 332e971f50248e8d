//===- FakeModel.h - a hand-written "compiled model" for trainer tests ----===//
//
// Softmax regression with 3 features and 3 classes, batch 4, written in C++
// with exactly the ABI and header shape `dlc compile` produces: entry points
// fake_train_step / fake_eval / fake_forward, descriptor tables and
// FAKE_* macros. The train step is plain SGD whose learning rate halves
// every epoch (read from step / steps_per_epoch, as generated schedules do).
//
//===----------------------------------------------------------------------===//
#ifndef DLRT_TESTS_FAKEMODEL_H
#define DLRT_TESTS_FAKEMODEL_H

#include "dlrt/abi.h"

#include <cmath>
#include <cstring>

#define FAKE_B 4
#define FAKE_F 3
#define FAKE_C 3

#define FAKE_EPOCHS 3
#define FAKE_BATCH 4
#define FAKE_SEED 7
#define FAKE_NUM_METRICS 1
#define FAKE_METRICS(M) M("logits", "y", "argmax", 0.5, 0, 0)

#define FAKE_STATE_BYTES 256u
#define FAKE_NUM_STATE_TENSORS 4
static const dlc_tensor_info fake_state_tensors[] = {
    {"W", DLC_PARAM, DLC_F32, 2, {FAKE_F, FAKE_C}, 0u, 36u, DLC_INIT_UNIFORM, -0.5, 0.5},
    {"b", DLC_PARAM, DLC_F32, 1, {FAKE_C}, 64u, 12u, DLC_INIT_ZEROS, 0, 0},
    {"step", DLC_OPT_STATE, DLC_F32, 0, {0}, 128u, 4u, DLC_INIT_NONE, 0, 0},
    {"steps_per_epoch", DLC_OPT_STATE, DLC_F32, 0, {0}, 192u, 4u, DLC_INIT_NONE, 0, 0},
};

#define FAKE_TRAIN_STEP_WORKSPACE_BYTES 64u
#define FAKE_TRAIN_STEP_NUM_ARGS 4
static const dlc_tensor_info fake_train_step_args[] = {
    {"x", DLC_INPUT, DLC_F32, 2, {FAKE_B, FAKE_F}, 0u, 48u, DLC_INIT_NONE, 0, 0},
    {"y", DLC_LABEL, DLC_I32, 1, {FAKE_B}, 0u, 16u, DLC_INIT_NONE, 0, 0},
    {"loss", DLC_LOSS, DLC_F32, 0, {0}, 0u, 4u, DLC_INIT_NONE, 0, 0},
    {"logits", DLC_OUTPUT, DLC_F32, 2, {FAKE_B, FAKE_C}, 0u, 48u, DLC_INIT_NONE, 0, 0},
};
#define FAKE_EVAL_WORKSPACE_BYTES 0u
#define FAKE_EVAL_NUM_ARGS 4
static const dlc_tensor_info fake_eval_args[] = {
    {"x", DLC_INPUT, DLC_F32, 2, {FAKE_B, FAKE_F}, 0u, 48u, DLC_INIT_NONE, 0, 0},
    {"y", DLC_LABEL, DLC_I32, 1, {FAKE_B}, 0u, 16u, DLC_INIT_NONE, 0, 0},
    {"loss", DLC_LOSS, DLC_F32, 0, {0}, 0u, 4u, DLC_INIT_NONE, 0, 0},
    {"logits", DLC_OUTPUT, DLC_F32, 2, {FAKE_B, FAKE_C}, 0u, 48u, DLC_INIT_NONE, 0, 0},
};
#define FAKE_FORWARD_WORKSPACE_BYTES 0u
#define FAKE_FORWARD_NUM_ARGS 2
static const dlc_tensor_info fake_forward_args[] = {
    {"x", DLC_INPUT, DLC_F32, 2, {FAKE_B, FAKE_F}, 0u, 48u, DLC_INIT_NONE, 0, 0},
    {"logits", DLC_OUTPUT, DLC_F32, 2, {FAKE_B, FAKE_C}, 0u, 48u, DLC_INIT_NONE, 0, 0},
};

extern "C" {

inline void fake_forward(void *state, const float *x, float *logits, void *ws) {
  const float *W = static_cast<const float *>(state);
  const float *b = reinterpret_cast<const float *>(static_cast<char *>(state) + 64);
  for (int r = 0; r < FAKE_B; ++r)
    for (int c = 0; c < FAKE_C; ++c) {
      float s = b[c];
      for (int f = 0; f < FAKE_F; ++f)
        s += x[r * FAKE_F + f] * W[f * FAKE_C + c];
      logits[r * FAKE_C + c] = s;
    }
}

/// Mean cross-entropy; fills P with the softmax.
inline float fake_loss(const float *logits, const int32_t *y, float *P) {
  double total = 0;
  for (int r = 0; r < FAKE_B; ++r) {
    float m = logits[r * FAKE_C];
    for (int c = 1; c < FAKE_C; ++c)
      m = std::fmax(m, logits[r * FAKE_C + c]);
    double z = 0;
    for (int c = 0; c < FAKE_C; ++c)
      z += std::exp(double(logits[r * FAKE_C + c] - m));
    for (int c = 0; c < FAKE_C; ++c)
      P[r * FAKE_C + c] = float(std::exp(double(logits[r * FAKE_C + c] - m)) / z);
    total += -std::log(double(P[r * FAKE_C + y[r]]));
  }
  return float(total / FAKE_B);
}

inline void fake_eval(void *state, const float *x, const int32_t *y, float *loss,
                      float *logits, void *ws) {
  float P[FAKE_B * FAKE_C];
  fake_forward(state, x, logits, ws);
  *loss = fake_loss(logits, y, P);
}

inline void fake_train_step(void *state, const float *x, const int32_t *y,
                            float *loss, float *logits, void *ws) {
  float *W = static_cast<float *>(state);
  float *b = reinterpret_cast<float *>(static_cast<char *>(state) + 64);
  float *step = reinterpret_cast<float *>(static_cast<char *>(state) + 128);
  float spe = *reinterpret_cast<float *>(static_cast<char *>(state) + 192);
  float P[FAKE_B * FAKE_C];
  fake_forward(state, x, logits, ws);
  *loss = fake_loss(logits, y, P);
  float epoch = spe > 0 ? std::floor(*step / spe) : 0;
  float lr = 0.5f * std::pow(0.5f, epoch);
  for (int r = 0; r < FAKE_B; ++r)
    for (int c = 0; c < FAKE_C; ++c) {
      float g = (P[r * FAKE_C + c] - (y[r] == c ? 1.f : 0.f)) / FAKE_B;
      b[c] -= lr * g;
      for (int f = 0; f < FAKE_F; ++f)
        W[f * FAKE_C + c] -= lr * g * x[r * FAKE_F + f];
    }
  *step += 1;
}

/// Runs serially: the fake model has no parallel loops.
inline void fake_set_parallel_for(dlc_parallel_for_fn, void *) {}

} // extern "C"

#endif
