//===- mlp_model.cpp - a compiled MLP model against a C++ reference MLP ---===//
//
// Part of dlc's e2e tests. Built with the header of a compiled .dl model
// whose layers are Linear layers named l1, l2, ... (parameters `lN.W` of
// shape [in, out] and `lN.b` of shape [out]) with ReLU between them and
// softmax cross-entropy (mean over the batch) as the loss, e.g.
// examples/fashion_mlp.dl:
//
//   dlc compile fashion_mlp.dl -o m.o
//   c++ -include m.h -DMODEL=fashion_mlp -DMODEL_UPPER=FASHION_MLP
//       mlp_model.cpp m.o -o m.exe
//   ./m.exe
//
// It fills the state buffer from the descriptor table (`<model>_state_tensors`:
// every parameter at its offset, from the table's uniform initializer (Glorot
// for the weights); biases, zeros initially, uniform in [-0.1, 0.1] so that a
// misplaced bias shows), draws a batch (pixels in [0, 1),
// labels in [0, C)), calls `<model>_forward` and `<model>_eval` through their
// prototypes, and compares the logits and the loss with a double-precision
// reference MLP.
//
// Tolerance: each logit may differ from the reference by 1e-5 times its
// magnitude m = sum_k |h_k W_kj| + |b_j| (h: the last hidden layer), the scale
// of its rounding errors; the loss by the cross-entropy bound of reference.h
// plus, per row, the largest logit tolerance and the label's (log-sum-exp and
// the picked logit move by at most that much). The observed error is about
// 1e-7 m. A rigorous worst-case bound (gamma(K) * sum|h W| propagated through
// |W| layer by layer) comes to ~0.2 absolute for this network, too loose to
// notice a misplaced bias, hence the empirical, fixed-seed tolerance.
//
//===----------------------------------------------------------------------===//

#include "model_harness.h"

#include <string>

#define EVAL CAT(MODEL, _eval)
#define EVAL_ARGS CAT(MODEL, _eval_args)
#define EVAL_WORKSPACE CAT(MODEL_UPPER, _EVAL_WORKSPACE_BYTES)

namespace {

using e2e::Buffer;
using ref::Expected;
using ref::Tensor;

using e2e::count;
using e2e::findKind;
using e2e::findState;

/// A view of one state tensor as a reference tensor.
Tensor stateTensor(const Buffer &state, const dlc_tensor_info &t) {
  Tensor x(e2e::shapeOf(t));
  const float *p = reinterpret_cast<const float *>(
      static_cast<const unsigned char *>(state.data()) + t.offset);
  for (int64_t i = 0; i < x.size(); ++i)
    x.v[i] = p[i];
  return x;
}

/// Relative tolerance of the logits on their magnitude (see above).
constexpr double kLogitRel = 1e-5;

/// The reference logits with their tolerance.
Expected referenceLogits(const Buffer &state, const Tensor &x) {
  Tensor h = x;
  for (int layer = 1;; ++layer) {
    std::string prefix = "l" + std::to_string(layer);
    const dlc_tensor_info *w = findState(prefix + ".W");
    const dlc_tensor_info *b = findState(prefix + ".b");
    if (!w || !b) {
      std::fprintf(stderr, "error: no layer %s in the state table\n",
                   prefix.c_str());
      std::exit(2);
    }
    Tensor W = stateTensor(state, *w), B = stateTensor(state, *b);
    int64_t M = h.shape[0], K = W.shape[0], N = W.shape[1];
    Expected z(ref::Shape{M, N});
    for (int64_t m = 0; m < M; ++m)
      for (int64_t n = 0; n < N; ++n) {
        double sum = B.v[n], mag = std::fabs(B.v[n]);
        for (int64_t k = 0; k < K; ++k) {
          sum += h.v[m * K + k] * W.v[k * N + n];
          mag += std::fabs(h.v[m * K + k] * W.v[k * N + n]);
        }
        z.value.v[m * N + n] = sum;
        z.tol[m * N + n] = kLogitRel * mag;
      }
    bool last = !findState("l" + std::to_string(layer + 1) + ".W");
    if (last)
      return z;
    for (double &v : z.value.v)
      v = ref::relu(v);
    h = z.value;
  }
}

/// Fills the parameters as documented above; other state tensors (the
/// optimizer's) stay garbage: forward and eval must not read them.
void initState(const Buffer &state, e2e::Random &rng) {
  for (size_t i = 0; i < count(STATE_TENSORS); ++i) {
    const dlc_tensor_info &t = STATE_TENSORS[i];
    if (t.offset % 64 || t.offset + t.bytes > state.bytes()) {
      std::fprintf(stderr, "error: state tensor '%s' is not 64-byte aligned "
                           "inside the state buffer\n", t.name);
      std::exit(1);
    }
    if (t.kind != DLC_PARAM)
      continue;
    if (t.dtype != DLC_F32) {
      std::fprintf(stderr, "error: parameter '%s' is not f32\n", t.name);
      std::exit(1);
    }
    // The table's uniform initializer (Glorot for the weights); biases
    // (zeros initially) get small random values so that a misplaced bias
    // shows.
    double lo = -0.1, hi = 0.1;
    if (t.init == DLC_INIT_UNIFORM) {
      lo = t.init_a;
      hi = t.init_b;
    }
    float *p = reinterpret_cast<float *>(
        static_cast<unsigned char *>(state.data()) + t.offset);
    for (int64_t k = 0; k < e2e::elementsOf(t); ++k)
      p[k] = float(rng.uniform(lo, hi));
  }
}

/// True if nothing was written past the end of `b`.
bool intact(const char *what, const Buffer &b) {
  if (b.guardIntact())
    return true;
  std::fprintf(stderr, "error: write past the end of %s\n", what);
  return false;
}

template <typename Fn>
bool checkPrototype(const char *name, const dlc_tensor_info *args, size_t n) {
  return e2e::Invoker<Fn>::check(name, args, n, /*hasState=*/true);
}

} // namespace

int main() {
  bool ok = checkPrototype<decltype(&FORWARD)>(STR(FORWARD), FORWARD_ARGS,
                                               count(FORWARD_ARGS)) &&
            checkPrototype<decltype(&EVAL)>(STR(EVAL), EVAL_ARGS,
                                            count(EVAL_ARGS));
  if (!ok)
    return 1;

  e2e::Random rng(e2e::hashName(STR(MODEL)));
  Buffer state(STATE_BYTES, 0xEE); // padding between tensors stays garbage
  initState(state, rng);
  std::vector<unsigned char> stateBefore(state.as<unsigned char>(),
                                         state.as<unsigned char>() + state.bytes());

  // Inputs, by kind, from eval's table (forward's input is the same tensor).
  const dlc_tensor_info *xInfo = findKind(EVAL_ARGS, count(EVAL_ARGS), DLC_INPUT);
  const dlc_tensor_info *yInfo = findKind(EVAL_ARGS, count(EVAL_ARGS), DLC_LABEL);
  const dlc_tensor_info *lossInfo = findKind(EVAL_ARGS, count(EVAL_ARGS), DLC_LOSS);
  const dlc_tensor_info *logitsInfo =
      findKind(EVAL_ARGS, count(EVAL_ARGS), DLC_OUTPUT);
  if (!xInfo || !yInfo || !lossInfo || !logitsInfo || yInfo->dtype != DLC_I32) {
    std::fprintf(stderr, "error: eval does not take (x, y) -> (loss, logits)\n");
    return 1;
  }
  Buffer x(xInfo->bytes), y(yInfo->bytes);
  int64_t classes = logitsInfo->shape[logitsInfo->rank - 1];
  for (int64_t i = 0; i < e2e::elementsOf(*xInfo); ++i)
    x.as<float>()[i] = float(rng.uniform(0, 1));
  for (int64_t i = 0; i < e2e::elementsOf(*yInfo); ++i)
    y.as<int32_t>()[i] = int32_t(rng.integer(0, classes - 1));

  Expected logits = referenceLogits(state, e2e::toTensor(x, *xInfo));
  Tensor labels = e2e::toTensor(y, *yInfo);
  Expected loss = ref::crossEntropy(logits.value, labels);
  int64_t rows = logits.value.shape[0];
  for (int64_t m = 0; m < rows; ++m) {
    double worst = 0;
    for (int64_t c = 0; c < classes; ++c)
      worst = std::max(worst, logits.tol[m * classes + c]);
    int64_t label = int64_t(labels.v[m]);
    loss.tol[0] += (worst + logits.tol[m * classes + label]) / double(rows);
  }

  // forward(state, x, logits, workspace)
  Buffer fwdLogits(logitsInfo->bytes, 0xFF), fwdWorkspace(FORWARD_WORKSPACE, 0xCD);
  {
    void *ptrs[] = {state.data(), x.data(), fwdLogits.data(),
                    FORWARD_WORKSPACE ? fwdWorkspace.data() : nullptr};
    e2e::Invoker<decltype(&FORWARD)>::call(&FORWARD, ptrs);
  }
  ok &= e2e::compare(STR(FORWARD) " logits", fwdLogits, *logitsInfo, logits);
  ok &= intact("forward's logits", fwdLogits) &
        intact("forward's workspace", fwdWorkspace);

  // eval(state, x, y, loss, logits, workspace)
  Buffer evalLoss(lossInfo->bytes, 0xFF), evalLogits(logitsInfo->bytes, 0xFF),
      evalWorkspace(EVAL_WORKSPACE, 0xCD);
  {
    void *ptrs[] = {state.data(),     x.data(),          y.data(),
                    evalLoss.data(),  evalLogits.data(),
                    EVAL_WORKSPACE ? evalWorkspace.data() : nullptr};
    e2e::Invoker<decltype(&EVAL)>::call(&EVAL, ptrs);
  }
  ok &= e2e::compare(STR(EVAL) " loss", evalLoss, *lossInfo, loss);
  ok &= e2e::compare(STR(EVAL) " logits", evalLogits, *logitsInfo, logits);
  ok &= intact("eval's loss", evalLoss) & intact("eval's logits", evalLogits) &
        intact("eval's workspace", evalWorkspace) & intact("the state", state);

  if (std::memcmp(stateBefore.data(), state.data(), state.bytes())) {
    std::fprintf(stderr, "error: forward or eval wrote to the state buffer\n");
    ok = false;
  }
  std::printf("loss %.7g (reference %.7g), %s\n", double(evalLoss.as<float>()[0]),
              loss.value.v[0], ok ? "ok" : "FAIL");
  return ok ? 0 : 1;
}
