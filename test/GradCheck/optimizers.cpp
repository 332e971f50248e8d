//===- optimizers.cpp - optimizer steps against an independent reference --===//
//
// Part of dlc's gradient-check suite; driven by optimizers.dl, whose models
// (one per optimizer) are compiled separately and linked here. For each, from
// the same initial state, runs three `train_step`s, and separately three
// `grad` + `apply` pairs, on one fixed batch, and compares the losses and the
// parameters after three steps with the reference below, element by element:
// |value - ref| <= 1e-12 (1 + |ref|). Also checks that the `step` counter
// reads 3 and that both paths agree.
//
//===----------------------------------------------------------------------===//

#include "adam.h"
#include "adamw.h"
#include "clipped.h"
#include "momentum.h"
#include "nesterov.h"
#include "rmsprop.h"
#include "sgd.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

// The batch and the initial parameters (as in optimizer_reference.py).
const double kX[4][2] = {{0.5, -1.0}, {1.5, 0.25}, {-0.75, 2.0}, {1.0, 1.0}};
const int32_t kY[4] = {0, 2, 1, 2};
const double kW0[6] = {0.1, -0.2, 0.3, -0.4, 0.5, 0.05};
const double kB0[3] = {0.01, -0.02, 0.03};

struct Reference {
  const char *model;
  double losses[3]; ///< the loss train_step returns at each step
  double params[9]; ///< W (2x3, row-major), then b, after three steps
};

// Obtained with `python3 test/GradCheck/optimizer_reference.py` (plain Python
// floats, no dlc code; see the script for the algorithms, which follow
// torch.optim: SGD with momentum and nesterov, Adam, AdamW, RMSprop,
// clip_grad_norm_, ExponentialLR). Its output, pasted verbatim:
const Reference kReference[] = {
    {"sgd",
     {0.68202664186484085, 0.65065934622423904, 0.62201279283228283},
     {0.076247693940492689, -0.27429052211933125, 0.39804282817883851,
      -0.47228518622022941, 0.52508667860241665, 0.097198507617812846,
      0.0045114853749309517, -0.053189895056536457, 0.068678409681605518}},
    {"momentum",
     {0.68202664186484085, 0.65065934622423904, 0.59622493852920933},
     {0.055242776475228711, -0.33977027266186938, 0.48452749618664059,
      -0.53574345882858021, 0.54692717563284721, 0.13881628319573297,
      -0.00066465151804919777, -0.082647294154035642, 0.10331194567208485}},
    {"nesterov",
     {0.68202664186484085, 0.62365420426570761, 0.55324941668059535},
     {0.039191091882697718, -0.39344943519309872, 0.55425834331040102,
      -0.59012576406326755, 0.56766804337251209, 0.17245772069075546,
      -0.0016986872026147153, -0.1048323917833103, 0.12653107898592503}},
    {"adam",
     {0.68202664186484085, 0.66758488912685587, 0.65353931682904254},
     {0.070060122623388399, -0.22998444978007843, 0.32997480932825896,
      -0.42998370583393336, 0.52999716976718647, 0.079976176166410937,
      -0.019532127636433656, -0.049973926843267187, 0.059933932480208563}},
    {"adamw",
     {0.68202664186484085, 0.6676145360262391, 0.65359902399370851},
     {0.070033125241984379, -0.2299215007307738, 0.32988185529479674,
      -0.4298607793963099, 0.52984440292392587, 0.079958141431116223,
      -0.019532823154621754, -0.049964900219338047, 0.059921946896924941}},
    {"rmsprop",
     {0.68202664186484085, 0.55471184494868564, 0.48929109982212932},
     {-0.084779782206775872, -0.41449673415383309, 0.50859652511104536,
      -0.61683460045839078, 0.73020039317423668, 0.25830752954810604,
      0.034344310057779041, -0.22115444706532367, 0.20027840001138175}},
    {"clipped",
     {0.68202664186484085, 0.66553107080203289, 0.65023032621632348},
     {0.088102889261512426, -0.23541830555562365, 0.34679015876911118,
      -0.43357459383779007, 0.51042739017311778, 0.072753260520922264,
      0.0068461692578122369, -0.036290029792465268, 0.049391334782153046}},
};

using TrainStep = void (*)(void *, const double *, const int32_t *, double *,
                           double *, void *);
using Grad = void (*)(void *, void *, const double *, const int32_t *, double *,
                      double *, void *);
using Apply = void (*)(void *, void *, void *);

/// One compiled model: its entry points and tables.
struct Model {
  const char *name;
  TrainStep trainStep;
  Grad grad;
  Apply apply;
  const dlc_tensor_info *state;
  size_t numState, stateBytes;
  const dlc_tensor_info *grads;
  size_t numGrads, gradsBytes, workspaceBytes;
};

#define MODEL(m, M)                                                            \
  Model {                                                                      \
#m, &m##_train_step, &m##_grad, &m##_apply, m##_state_tensors,             \
        M##_NUM_STATE_TENSORS, M##_STATE_BYTES, m##_grad_tensors,              \
        M##_NUM_GRAD_TENSORS, M##_GRADS_BYTES,                                 \
        std::max({size_t(M##_TRAIN_STEP_WORKSPACE_BYTES),                      \
                  size_t(M##_GRAD_WORKSPACE_BYTES),                            \
                  size_t(M##_APPLY_WORKSPACE_BYTES)})                          \
  }

const Model kModels[] = {MODEL(sgd, SGD),           MODEL(momentum, MOMENTUM),
                         MODEL(nesterov, NESTEROV), MODEL(adam, ADAM),
                         MODEL(adamw, ADAMW),       MODEL(rmsprop, RMSPROP),
                         MODEL(clipped, CLIPPED)};

/// A zeroed 64-byte aligned buffer.
struct Aligned {
  explicit Aligned(size_t bytes)
      : p(std::aligned_alloc(64, (bytes + 64) / 64 * 64)) {
    std::memset(p, 0, (bytes + 64) / 64 * 64);
  }
  ~Aligned() { std::free(p); }
  Aligned(const Aligned &) = delete;
  Aligned &operator=(const Aligned &) = delete;
  void *p;
};

const dlc_tensor_info *find(const dlc_tensor_info *table, size_t n,
                            const char *name) {
  for (size_t i = 0; i < n; ++i)
    if (std::strcmp(table[i].name, name) == 0)
      return &table[i];
  std::fprintf(stderr, "error: no tensor '%s'\n", name);
  std::exit(2);
}

double *at(void *buffer, const dlc_tensor_info *t) {
  if (t->dtype != DLC_F64) {
    std::fprintf(stderr, "error: '%s' is not f64\n", t->name);
    std::exit(2);
  }
  return reinterpret_cast<double *>(static_cast<char *>(buffer) + t->offset);
}

/// The initial state: W and b from above, optimizer state zero, the step
/// counter 0 and steps_per_epoch 1.
void initState(const Model &m, void *state) {
  for (size_t i = 0; i < m.numState; ++i) {
    const dlc_tensor_info &t = m.state[i];
    double *p = at(state, &t);
    std::string name = t.name;
    if (name == "W" && t.kind == DLC_PARAM)
      std::memcpy(p, kW0, sizeof(kW0));
    else if (name == "b" && t.kind == DLC_PARAM)
      std::memcpy(p, kB0, sizeof(kB0));
    else if (name == "steps_per_epoch" && t.kind == DLC_OPT_STATE)
      *p = 1;
    else if (t.kind != DLC_OPT_STATE) {
      std::fprintf(stderr, "error: %s: unexpected state tensor '%s'\n", m.name,
                   t.name);
      std::exit(2);
    } // else: zero (the buffer starts zeroed), the step counter included
  }
}

double maxErr = 0; ///< the largest |value - ref| of the current model

bool close(const char *what, double got, double want) {
  double err = std::fabs(got - want);
  maxErr = std::max(maxErr, err);
  if (err <= 1e-12 * (1 + std::fabs(want)))
    return true;
  std::printf("  mismatch %s: got %.17g, want %.17g (err %.3g)\n", what, got,
              want, err);
  return false;
}

/// Runs three steps, through train_step or grad + apply, and compares.
bool run(const Model &m, const Reference &ref, bool split,
         std::vector<double> &finalParams) {
  Aligned state(m.stateBytes), grads(m.gradsBytes), ws(m.workspaceBytes);
  initState(m, state.p);
  bool ok = true;
  double logits[4 * 3];
  for (int s = 0; s < 3; ++s) {
    double loss = NAN;
    if (split) {
      m.grad(state.p, grads.p, &kX[0][0], kY, &loss, logits, ws.p);
      m.apply(state.p, grads.p, ws.p);
    } else {
      m.trainStep(state.p, &kX[0][0], kY, &loss, logits, ws.p);
    }
    std::string what = std::string(m.name) + (split ? " grad" : " train_step") +
                       " loss at step " + std::to_string(s + 1);
    ok &= close(what.c_str(), loss, ref.losses[s]);
  }
  const double *W = at(state.p, find(m.state, m.numState, "W"));
  const double *b = at(state.p, find(m.state, m.numState, "b"));
  finalParams.assign(W, W + 6);
  finalParams.insert(finalParams.end(), b, b + 3);
  for (int i = 0; i < 9; ++i) {
    std::string what = std::string(m.name) + (i < 6 ? " W[" : " b[") +
                       std::to_string(i < 6 ? i : i - 6) + "]";
    ok &= close(what.c_str(), finalParams[size_t(i)], ref.params[i]);
  }
  double step = *at(state.p, find(m.state, m.numState, "step"));
  if (step != 3) {
    std::printf("  mismatch %s step counter: got %g, want 3\n", m.name, step);
    ok = false;
  }
  return ok;
}

} // namespace

int main() {
  bool all = true;
  for (const Model &m : kModels) {
    const Reference *ref = nullptr;
    for (const Reference &r : kReference)
      if (std::strcmp(r.model, m.name) == 0)
        ref = &r;
    if (!ref) {
      std::printf("error: no reference for %s\n", m.name);
      return 1;
    }
    std::vector<double> fused, split;
    maxErr = 0;
    bool a = run(m, *ref, /*split=*/false, fused);
    bool b = run(m, *ref, /*split=*/true, split);
    std::printf("%s: train_step %s, grad+apply %s (max |value - ref| %.3g)\n",
                m.name, a ? "ok" : "FAIL", b ? "ok" : "FAIL", maxErr);
    all &= a && b;
  }
  std::printf(all ? "all optimizers match the reference\n"
                  : "error: mismatches\n");
  return all ? 0 : 1;
}
