// examples/embed/main.cpp - train XOR by calling a compiled model directly.
//
// The model (../xor_mlp.dl) is compiled by `dlc compile` into xor_mlp.o and
// xor_mlp.h; this program calls its entry points itself and uses dlrt only
// for what the generated code leaves to the runtime: initial values of the
// state buffer, and checkpoints.
#include "xor_mlp.h"

#include <dlrt/dlrt.h>

#include <cstdio>
#include <cstring>

int main() {
  // All memory is ours: the state (parameters + optimizer state) and the
  // scratch workspace, 64-byte aligned.
  dlrt::AlignedBuffer state(XOR_MLP_STATE_BYTES);
  dlrt::AlignedBuffer workspace(XOR_MLP_TRAIN_STEP_WORKSPACE_BYTES > XOR_MLP_FORWARD_WORKSPACE_BYTES
                                    ? XOR_MLP_TRAIN_STEP_WORKSPACE_BYTES
                                    : XOR_MLP_FORWARD_WORKSPACE_BYTES);
  dlrt::initializeState(xor_mlp_state_tensors, XOR_MLP_NUM_STATE_TENSORS,
                        XOR_MLP_STATE_BYTES, state.data(), XOR_MLP_SEED);

  // One batch: the truth table.
  const float x[4][2] = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};
  const int32_t y[4] = {0, 1, 1, 0};
  float loss = 0, logits[4][2], probs[4][2];

  // Learning-rate schedules read steps_per_epoch from the state: one here.
  dlrt::Model model = DLRT_MODEL(xor_mlp, XOR_MLP);
  dlrt::TensorView spe = dlrt::TensorView::inState(
      state.data(), xor_mlp_state_tensors[model.findState("steps_per_epoch")]);
  spe.set(0, 1);

  for (int epoch = 0; epoch < XOR_MLP_EPOCHS; ++epoch)
    xor_mlp_train_step(state.data(), &x[0][0], y, &loss, &logits[0][0],
                       &probs[0][0], workspace.data());
  std::printf("loss after %d steps: %.6f\n", XOR_MLP_EPOCHS, loss);

  // Save, reload into a fresh buffer, and predict with it.
  dlrt::saveCheckpoint("xor_mlp.safetensors", "xor_mlp", xor_mlp_state_tensors,
                       XOR_MLP_NUM_STATE_TENSORS, XOR_MLP_STATE_BYTES, state.data());
  dlrt::AlignedBuffer restored(XOR_MLP_STATE_BYTES);
  try {
    dlrt::loadCheckpoint("xor_mlp.safetensors", "xor_mlp", xor_mlp_state_tensors,
                         XOR_MLP_NUM_STATE_TENSORS, XOR_MLP_STATE_BYTES,
                         restored.data());
  } catch (const dlrt::Error &e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  xor_mlp_forward(restored.data(), &x[0][0], &logits[0][0], &probs[0][0],
                  workspace.data());
  int correct = 0;
  for (int i = 0; i < 4; ++i) {
    int predicted = logits[i][1] > logits[i][0];
    std::printf("%g xor %g = %d (p = %.4f)\n", x[i][0], x[i][1], predicted,
                probs[i][predicted]);
    correct += predicted == y[i];
  }
  std::printf("accuracy: %d/4\n", correct);
  return correct == 4 ? 0 : 1;
}
