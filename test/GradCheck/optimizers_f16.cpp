//===- optimizers_f16.cpp - f16 optimizer steps against a reference ------===//
//
// Part of dlc's gradient-check suite; driven by optimizers_f16.dl (see there
// for what is checked). The state is read and written through the dtypes of
// the descriptor tables, so that a build whose optimizer state or counters
// are f16 runs and fails on the numbers rather than on a type check.
//
// Each `apply` starts from W and b reset to fixed values and fixed
// gradients (the optimizer state and the step counter carry over), so every
// step is checked on its own: the reference takes the compiled state before
// the step, computes the step in double precision and compares.
//
//===----------------------------------------------------------------------===//

#include "adam16.h"
#include "sgd16.h"

#include "harness.h" // test/e2e: f16 conversions

#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace {

constexpr int kSteps = 3100;
constexpr double kLr = 0.01, kBeta1 = 0.9, kBeta2 = 0.999, kEps = 1e-8;
constexpr double kStepsPerEpoch = 1000, kGamma = 0.5;

// Parameters and gradients (rounded to f16 when stored). The gradients of
// b include f16's smallest subnormal and a multiple of it.
const double kW0[6] = {0.1, -0.2, 0.3, -0.4, 0.5, 0.05};
const double kB0[3] = {0.01, -0.02, 0.03};
const double kGW[6] = {1e-4, -3e-4, 2e-3, -0.05, 0.5, -1.0};
const double kGB[3] = {0x1p-24, -0x1p-22, 0.125};
// One batch for train_step and grad.
const double kX[8] = {0.5, -1.0, 1.5, 0.25, -0.75, 2.0, 1.0, 1.0};
const int32_t kY[4] = {0, 2, 1, 2};

using TrainStep = void (*)(void *, const uint16_t *, const int32_t *,
                           uint16_t *, uint16_t *, void *);
using Grad = void (*)(void *, void *, const uint16_t *, const int32_t *,
                      uint16_t *, uint16_t *, void *);
using Apply = void (*)(void *, void *, void *);

/// One compiled model: its entry points and tables.
struct Model {
  const char *name;
  bool adam;
  TrainStep trainStep;
  Grad grad;
  Apply apply;
  const dlc_tensor_info *state;
  size_t numState, stateBytes;
  const dlc_tensor_info *grads;
  size_t numGrads, gradsBytes, workspaceBytes;
};

#define MODEL(m, M, adam)                                                      \
  Model {                                                                      \
#m, adam, &m##_train_step, &m##_grad, &m##_apply, m##_state_tensors,       \
        M##_NUM_STATE_TENSORS, M##_STATE_BYTES, m##_grad_tensors,              \
        M##_NUM_GRAD_TENSORS, M##_GRADS_BYTES,                                 \
        std::max({size_t(M##_TRAIN_STEP_WORKSPACE_BYTES),                      \
                  size_t(M##_GRAD_WORKSPACE_BYTES),                            \
                  size_t(M##_APPLY_WORKSPACE_BYTES)})                          \
  }

const Model kModels[] = {MODEL(adam16, ADAM16, true),
                         MODEL(sgd16, SGD16, false)};

/// A zeroed buffer of `bytes` bytes (64-byte aligned, with guard bytes).
struct Buffer : e2e::Buffer {
  explicit Buffer(size_t bytes) : e2e::Buffer(std::max<size_t>(bytes, 1), 0) {}
};

const dlc_tensor_info *find(const dlc_tensor_info *table, size_t n,
                            const char *name) {
  for (size_t i = 0; i < n; ++i)
    if (std::strcmp(table[i].name, name) == 0)
      return &table[i];
  std::fprintf(stderr, "error: no tensor '%s'\n", name);
  std::exit(2);
}

/// Element `i` of tensor `t` in `buffer`, as a double, and its setter.
double get(const Buffer &buffer, const dlc_tensor_info *t, int64_t i) {
  const unsigned char *p = buffer.as<unsigned char>() + t->offset;
  switch (t->dtype) {
  case DLC_F16:
    return e2e::fromHalfBits(reinterpret_cast<const uint16_t *>(p)[i], false);
  case DLC_F32:
    return reinterpret_cast<const float *>(p)[i];
  case DLC_F64:
    return reinterpret_cast<const double *>(p)[i];
  default:
    std::fprintf(stderr, "error: '%s' is not a float tensor\n", t->name);
    std::exit(2);
  }
}

void set(const Buffer &buffer, const dlc_tensor_info *t, int64_t i, double v) {
  unsigned char *p = buffer.as<unsigned char>() + t->offset;
  switch (t->dtype) {
  case DLC_F16:
    reinterpret_cast<uint16_t *>(p)[i] =
        e2e::toHalfBits(e2e::roundToF16(v), false);
    return;
  case DLC_F32:
    reinterpret_cast<float *>(p)[i] = float(v);
    return;
  case DLC_F64:
    reinterpret_cast<double *>(p)[i] = v;
    return;
  default:
    std::fprintf(stderr, "error: '%s' is not a float tensor\n", t->name);
    std::exit(2);
  }
}

/// The spacing of f16 values at |x|.
double ulpF16(double x) {
  double a = std::fabs(x);
  if (a < 0x1p-14)
    return 0x1p-24;
  int e;
  std::frexp(a, &e); // a in [2^(e-1), 2^e)
  return std::ldexp(1.0, e - 1 - 10);
}

int mismatches = 0;    ///< in all runs
int printBudget = 0;   ///< mismatches still to print in this run
double worstRatio = 0; ///< the largest |got - want| / tol of this run

void mismatch(const std::string &what, double got, double want, double tol) {
  ++mismatches;
  if (printBudget-- > 0)
    std::printf("  mismatch %s: got %.9g, want %.9g (tol %.3g)\n", what.c_str(),
                got, want, tol);
}

/// Compares one value; a tolerance of 0 asks for equality.
void check(const std::string &what, double got, double want, double tol) {
  double err = std::fabs(got - want);
  if (!(err <= tol))
    return mismatch(what, got, want, tol);
  if (tol > 0)
    worstRatio = std::max(worstRatio, err / tol);
}

/// One parameter tensor: its name, initial values and gradient.
struct Param {
  const char *name;
  const double *init, *grad;
  int n;
};
const Param kParams[] = {{"W", kW0, kGW, 6}, {"b", kB0, kGB, 3}};

/// kSteps `apply` calls, each checked against the reference.
bool runApply(const Model &m) {
  Buffer state(m.stateBytes), grads(m.gradsBytes), ws(m.workspaceBytes);
  const dlc_tensor_info *step = find(m.state, m.numState, "step");
  set(state, find(m.state, m.numState, "steps_per_epoch"), 0,
      m.adam ? 1 : kStepsPerEpoch);
  for (const Param &p : kParams)
    for (int i = 0; i < p.n; ++i)
      set(grads, find(m.grads, m.numGrads, p.name), i, p.grad[i]);
  int before = mismatches;
  printBudget = 10;
  worstRatio = 0;
  for (int s = 0; s < kSteps; ++s) {
    double t = get(state, step, 0) + 1;
    check(std::string(m.name) + " step counter before step " +
              std::to_string(s + 1),
          get(state, step, 0), s, 0);
    struct Expect {
      const dlc_tensor_info *t;
      int i;
      double value, tol;
    };
    std::vector<Expect> want;
    for (const Param &p : kParams) {
      const dlc_tensor_info *pt = find(m.state, m.numState, p.name);
      const dlc_tensor_info *gt = find(m.grads, m.numGrads, p.name);
      std::string name = p.name;
      const dlc_tensor_info *mt =
          m.adam ? find(m.state, m.numState, (name + ".m").c_str()) : nullptr;
      const dlc_tensor_info *vt =
          m.adam ? find(m.state, m.numState, (name + ".v").c_str()) : nullptr;
      for (int i = 0; i < p.n; ++i) {
        set(state, pt, i, p.init[i]);
        double p0 = get(state, pt, i), g = get(grads, gt, i), update;
        if (m.adam) {
          double mNew = kBeta1 * get(state, mt, i) + (1 - kBeta1) * g;
          double vNew = kBeta2 * get(state, vt, i) + (1 - kBeta2) * g * g;
          want.push_back({mt, i, mNew, 1e-6 * std::fabs(mNew) + 1e-40});
          want.push_back({vt, i, vNew, 1e-6 * std::fabs(vNew) + 1e-40});
          // torch.optim.Adam:
          // p -= lr / (1 - b1^t) m / (sqrt(v / (1 - b2^t)) + eps).
          double c1 = 1 - std::pow(kBeta1, t), c2 = 1 - std::pow(kBeta2, t);
          update = kLr / c1 * mNew / (std::sqrt(vNew / c2) + kEps);
        } else {
          double lr =
              kLr * std::pow(kGamma, std::floor((t - 1) / kStepsPerEpoch));
          update = lr * g;
        }
        double pNew = p0 - update;
        want.push_back({pt, i, pNew, ulpF16(pNew) + 1e-5 * std::fabs(update)});
      }
    }
    m.apply(state.data(), grads.data(), ws.data());
    for (const Expect &e : want)
      check(std::string(m.name) + " step " + std::to_string(s + 1) + " " +
                e.t->name + "[" + std::to_string(e.i) + "]",
            get(state, e.t, e.i), e.value, e.tol);
    check(std::string(m.name) + " step counter after step " +
              std::to_string(s + 1),
          get(state, step, 0), t, 0);
  }
  if (!state.guardIntact() || !grads.guardIntact() || !ws.guardIntact()) {
    std::printf("  %s: a buffer was written past its end\n", m.name);
    ++mismatches;
  }
  return mismatches == before;
}

/// One train_step and one grad + apply from the same state agree: the
/// parameters to one f16 ulp, the optimizer state to 1e-6, the counter
/// exactly.
bool runTrainStep(const Model &m) {
  Buffer fused(m.stateBytes), split(m.stateBytes), grads(m.gradsBytes),
      ws(m.workspaceBytes);
  for (const Buffer *state : {&fused, &split}) {
    set(*state, find(m.state, m.numState, "steps_per_epoch"), 0, 1);
    for (const Param &p : kParams)
      for (int i = 0; i < p.n; ++i)
        set(*state, find(m.state, m.numState, p.name), i, p.init[i]);
  }
  uint16_t x[8], loss[2], logits[2][12];
  for (int i = 0; i < 8; ++i)
    x[i] = e2e::toHalfBits(e2e::roundToF16(kX[i]), false);
  m.trainStep(fused.data(), x, kY, &loss[0], logits[0], ws.data());
  m.grad(split.data(), grads.data(), x, kY, &loss[1], logits[1], ws.data());
  m.apply(split.data(), grads.data(), ws.data());
  int before = mismatches;
  printBudget = 10;
  check(std::string(m.name) + " train_step loss vs grad loss",
        e2e::fromHalfBits(loss[0], false), e2e::fromHalfBits(loss[1], false),
        0);
  for (size_t k = 0; k < m.numState; ++k) {
    const dlc_tensor_info *t = &m.state[k];
    for (int64_t i = 0; i < e2e::elementsOf(*t); ++i) {
      double a = get(fused, t, i), b = get(split, t, i);
      double tol = t->kind == DLC_PARAM ? ulpF16(b)
                   : t->rank == 0       ? 0
                                        : 1e-6 * std::fabs(b);
      check(std::string(m.name) + " train_step vs grad + apply " + t->name +
                "[" + std::to_string(i) + "]",
            a, b, tol);
    }
  }
  check(std::string(m.name) + " train_step's step counter",
        get(fused, find(m.state, m.numState, "step"), 0), 1, 0);
  return mismatches == before;
}

} // namespace

int main() {
  bool all = true;
  for (const Model &m : kModels) {
    bool a = runApply(m);
    std::printf("%s: %d apply steps %s (worst |value - ref| / tol %.3g)\n",
                m.name, kSteps, a ? "ok" : "FAIL", worstRatio);
    bool b = runTrainStep(m);
    std::printf("%s: train_step = grad + apply %s\n", m.name,
                b ? "ok" : "FAIL");
    all &= a && b;
  }
  std::printf(all ? "all f16 optimizer steps match the reference\n"
                  : "error: mismatches\n");
  return all ? 0 : 1;
}
