//===- torch_parity.cpp - a compiled MLP's training run, for PyTorch to redo
//-===//
//
// Part of dlc's e2e tests (torch_parity.dl). Built with the header of a
// compiled .dl model whose layers are Linear layers named l1, l2, ...
// (parameters `lN.W` [in, out] and `lN.b` [out], ReLU between them, mean
// softmax cross-entropy, e.g. examples/fashion_mlp.dl):
//
//   c++ -include m.h -DMODEL=fashion_mlp -DMODEL_UPPER=FASHION_MLP
//       torch_parity.cpp m.o -o m.exe
//   ./m.exe STEPS OUT.bin
//
// It fills the parameters (weights from the table's uniform initializer,
// biases uniform in [-0.1, 0.1] so that a misplaced bias shows), zeroes the
// optimizer state, and calls `<model>_train_step` STEPS times on batches of
// a learnable synthetic task (noisy copies of one random image per class),
// then `<model>_forward` on a fresh
// batch. OUT.bin records all of it for torch_parity.py, which replays the
// same steps with torch.nn.Linear and torch.optim and compares:
//
//   "DLCPARITY1" u32 steps, u32 batch, u32 features, u32 classes, u32 layers
//   per layer: u32 in, u32 out, f32 W[in*out], f32 b[out]   (initial values)
//   per step:  f32 x[batch*features], i32 y[batch], f32 loss
//   f32 x[batch*features], f32 logits[batch*classes]      (after the steps)
//
//===----------------------------------------------------------------------===//

#include "model_harness.h"

#include <string>

#define TRAIN_STEP CAT(MODEL, _train_step)
#define TRAIN_STEP_ARGS CAT(MODEL, _train_step_args)
#define TRAIN_STEP_WORKSPACE CAT(MODEL_UPPER, _TRAIN_STEP_WORKSPACE_BYTES)

namespace {

using e2e::Buffer;

using e2e::count;
using e2e::findState;

[[noreturn]] void fail(const std::string &msg) {
  std::fprintf(stderr, "error: %s\n", msg.c_str());
  std::exit(1);
}

/// The first entry of TABLE of KIND; fails when there is none.
const dlc_tensor_info &findKind(const dlc_tensor_info *table, size_t n,
                                dlc_kind kind, const char *what) {
  if (const dlc_tensor_info *t = e2e::findKind(table, n, kind))
    return *t;
  fail(std::string("no ") + what + " argument");
}

float *at(const Buffer &state, const dlc_tensor_info &t) {
  return reinterpret_cast<float *>(state.as<unsigned char>() + t.offset);
}

class Writer {
public:
  explicit Writer(const char *path) : f_(std::fopen(path, "wb")) {
    if (!f_)
      fail(std::string("cannot write ") + path);
  }
  ~Writer() {
    if (std::fclose(f_) != 0)
      fail("write failed");
  }
  void bytes(const void *p, size_t n) {
    if (n && std::fwrite(p, 1, n, f_) != n)
      fail("write failed");
  }
  void u32(uint32_t v) { bytes(&v, 4); }

private:
  std::FILE *f_;
};

} // namespace

int main(int argc, char **argv) {
  if (argc != 3)
    fail("usage: torch_parity STEPS OUT.bin");
  int steps = std::atoi(argv[1]);
  if (steps < 1)
    fail("STEPS must be >= 1");
  if (!e2e::Invoker<decltype(&TRAIN_STEP)>::check(
          STR(TRAIN_STEP), TRAIN_STEP_ARGS, count(TRAIN_STEP_ARGS), true) ||
      !e2e::Invoker<decltype(&FORWARD)>::check(STR(FORWARD), FORWARD_ARGS,
                                               count(FORWARD_ARGS), true))
    return 1;

  // Parameters as documented above; all other state (optimizer moments, the
  // step count) zero, steps_per_epoch large (no schedule boundary).
  e2e::Random rng(e2e::hashName(STR(MODEL)));
  Buffer state(STATE_BYTES, 0);
  int layers = 0;
  while (findState("l" + std::to_string(layers + 1) + ".W"))
    ++layers;
  if (layers == 0)
    fail("no layer l1 in the state table");
  for (int l = 1; l <= layers; ++l) {
    const dlc_tensor_info *w = findState("l" + std::to_string(l) + ".W");
    const dlc_tensor_info *b = findState("l" + std::to_string(l) + ".b");
    if (!b || w->rank != 2 || b->rank != 1 || w->dtype != DLC_F32 ||
        b->dtype != DLC_F32 || w->init != DLC_INIT_UNIFORM)
      fail("layer l" + std::to_string(l) + " is not a Glorot f32 Linear layer");
    for (int64_t k = 0; k < e2e::elementsOf(*w); ++k)
      at(state, *w)[k] = float(rng.uniform(w->init_a, w->init_b));
    for (int64_t k = 0; k < e2e::elementsOf(*b); ++k)
      at(state, *b)[k] = float(rng.uniform(-0.1, 0.1));
  }
  if (const dlc_tensor_info *spe = findState("steps_per_epoch"))
    *at(state, *spe) = 1e6f;

  const size_t n = count(TRAIN_STEP_ARGS);
  const dlc_tensor_info &xInfo =
      findKind(TRAIN_STEP_ARGS, n, DLC_INPUT, "input");
  const dlc_tensor_info &yInfo =
      findKind(TRAIN_STEP_ARGS, n, DLC_LABEL, "label");
  const dlc_tensor_info &lossInfo =
      findKind(TRAIN_STEP_ARGS, n, DLC_LOSS, "loss");
  const dlc_tensor_info &outInfo =
      findKind(TRAIN_STEP_ARGS, n, DLC_OUTPUT, "output");
  for (size_t i = 0; i < n; ++i)
    if (TRAIN_STEP_ARGS[i].kind == DLC_OUTPUT &&
        &TRAIN_STEP_ARGS[i] != &outInfo)
      fail("train_step has more than one output");
  if (xInfo.rank != 2 || yInfo.dtype != DLC_I32 || outInfo.rank != 2)
    fail("train_step does not take x [B, F] and y i32 [B] to logits [B, C]");
  const int64_t B = xInfo.shape[0], F = xInfo.shape[1], C = outInfo.shape[1];

  // The task: C prototypes with pixels uniform in [0, 1); an example of
  // class c is prototype c with a quarter of its pixels redrawn.
  std::vector<float> prototypes(size_t(C * F));
  for (float &p : prototypes)
    p = float(rng.uniform(0, 1));
  Buffer x(xInfo.bytes), y(yInfo.bytes), loss(lossInfo.bytes),
      out(outInfo.bytes);
  auto drawBatch = [&] {
    for (int64_t i = 0; i < B; ++i) {
      int64_t c = rng.integer(0, C - 1);
      y.as<int32_t>()[i] = int32_t(c);
      for (int64_t f = 0; f < F; ++f)
        x.as<float>()[i * F + f] = rng.uniform(0, 1) < 0.25
                                       ? float(rng.uniform(0, 1))
                                       : prototypes[size_t(c * F + f)];
    }
  };

  Writer w(argv[2]);
  w.bytes("DLCPARITY1", 10);
  for (int64_t v : {int64_t(steps), B, F, C, int64_t(layers)})
    w.u32(uint32_t(v));
  for (int l = 1; l <= layers; ++l) {
    const dlc_tensor_info &wt = *findState("l" + std::to_string(l) + ".W");
    const dlc_tensor_info &bt = *findState("l" + std::to_string(l) + ".b");
    w.u32(uint32_t(wt.shape[0]));
    w.u32(uint32_t(wt.shape[1]));
    w.bytes(at(state, wt), wt.bytes);
    w.bytes(at(state, bt), bt.bytes);
  }

  Buffer trainWs(TRAIN_STEP_WORKSPACE, 0xCD),
      forwardWs(FORWARD_WORKSPACE, 0xCD);
  // Arguments in table order: state, tensors by kind, workspace.
  auto argsOf = [&](const dlc_tensor_info *table, size_t count,
                    const Buffer &ws, size_t wsBytes) {
    std::vector<void *> p{state.data()};
    for (size_t i = 0; i < count; ++i)
      p.push_back(table[i].kind == DLC_INPUT   ? x.data()
                  : table[i].kind == DLC_LABEL ? y.data()
                  : table[i].kind == DLC_LOSS  ? loss.data()
                                               : out.data());
    p.push_back(wsBytes ? ws.data() : nullptr);
    return p;
  };
  std::vector<void *> trainArgs =
      argsOf(TRAIN_STEP_ARGS, n, trainWs, TRAIN_STEP_WORKSPACE);
  std::vector<void *> forwardArgs =
      argsOf(FORWARD_ARGS, count(FORWARD_ARGS), forwardWs, FORWARD_WORKSPACE);
  for (int s = 0; s < steps; ++s) {
    drawBatch();
    w.bytes(x.data(), x.bytes());
    w.bytes(y.data(), y.bytes());
    e2e::Invoker<decltype(&TRAIN_STEP)>::call(&TRAIN_STEP, trainArgs.data());
    w.bytes(loss.data(), 4);
  }
  drawBatch();
  e2e::Invoker<decltype(&FORWARD)>::call(&FORWARD, forwardArgs.data());
  w.bytes(x.data(), x.bytes());
  w.bytes(out.data(), out.bytes());
  std::printf("%s: %d train steps, batch %lld, %d layers written to %s\n",
              STR(MODEL), steps, (long long)B, layers, argv[2]);
  return 0;
}
