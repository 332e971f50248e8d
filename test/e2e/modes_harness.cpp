//===- modes_harness.cpp - a compiled model's entry points, recorded ------===//
//
// Part of dlc's e2e tests (batchnorm_parity.dl, conv_parity.dl,
// seq_parity.dl). Built with the header of a compiled .dl model with one
// input (features, or token ids), one label (class indices, per example or
// per position), one output and a train block:
//
//   c++ -include m.h -DMODEL=m -DMODEL_UPPER=M modes_harness.cpp m.o -o m.exe
//   ./m.exe STEPS OUT.bin
//
// It fills every parameter and non-trained state tensor with random values
// (so that running statistics differ from their initial zeros and ones;
// uniform and normal initializers keep their scale),
// then checks what does not need a reference and records the rest for a
// PyTorch replay:
//
//   - `forward` and `eval` on batch 0 leave the state buffer unchanged;
//   - row 0 of `forward` is bitwise the same when the other rows change;
//   - STEPS calls of `train_step` on fresh batches;
//   - one more batch through `grad` + `apply` on a copy of the state gives
//     the state `train_step` gives (to float rounding).
//
// OUT.bin: "DLCREC1\n", then records {u32 name length, name, u32 dtype (as
// dlc_dtype), u32 rank, i64 shape[rank], data}: state0/<name> (initial
// parameters and state), x0, y0, forward0, eval_loss0, x/<s>, y/<s>,
// loss/<s> per step, state/<name> after the steps.
//
//===----------------------------------------------------------------------===//

#include "model_harness.h"

#include <cmath>
#include <string>
#include <vector>

#define FN(f) CAT(MODEL, CAT(_, f))
#define ARGS(f) CAT(MODEL, CAT(_, CAT(f, _args)))
#define EVAL_WORKSPACE CAT(MODEL_UPPER, _EVAL_WORKSPACE_BYTES)
#define TRAIN_STEP_WORKSPACE CAT(MODEL_UPPER, _TRAIN_STEP_WORKSPACE_BYTES)
#define GRAD_WORKSPACE CAT(MODEL_UPPER, _GRAD_WORKSPACE_BYTES)
#define APPLY_WORKSPACE CAT(MODEL_UPPER, _APPLY_WORKSPACE_BYTES)
#define GRADS_BYTES CAT(MODEL_UPPER, _GRADS_BYTES)

namespace {

using e2e::Buffer;
using e2e::count;

[[noreturn]] void fail(const std::string &msg) {
  std::fprintf(stderr, "error: %s\n", msg.c_str());
  std::exit(1);
}

unsigned char *at(const Buffer &state, const dlc_tensor_info &t) {
  return state.as<unsigned char>() + t.offset;
}

bool isModelState(const dlc_tensor_info &t) {
  return t.kind == DLC_PARAM || t.kind == DLC_STATE;
}

class Recorder {
public:
  explicit Recorder(const char *path) : f_(std::fopen(path, "wb")) {
    if (!f_)
      fail(std::string("cannot write ") + path);
    bytes("DLCREC1\n", 8);
  }
  ~Recorder() {
    if (std::fclose(f_) != 0)
      fail("write failed");
  }
  void record(const std::string &name, const dlc_tensor_info &t,
              const void *data) {
    uint32_t len = uint32_t(name.size()), dtype = uint32_t(t.dtype),
             rank = uint32_t(t.rank);
    bytes(&len, 4);
    bytes(name.data(), len);
    bytes(&dtype, 4);
    bytes(&rank, 4);
    bytes(t.shape, 8 * size_t(t.rank));
    bytes(data, t.bytes);
  }

private:
  void bytes(const void *p, size_t n) {
    if (n && std::fwrite(p, 1, n, f_) != n)
      fail("write failed");
  }
  std::FILE *f_;
};

/// The tensors of one call: a buffer per argument of TABLE, the state, the
/// gradients (when GRADS) and the workspace, as the entry point takes them.
struct Call {
  Call(const dlc_tensor_info *table, size_t n, Buffer &state, Buffer *grads,
       size_t workspaceBytes, std::vector<Buffer> &args)
      : ws(workspaceBytes ? workspaceBytes : 1, 0xCD) {
    ptrs.push_back(state.data());
    if (grads)
      ptrs.push_back(grads->data());
    for (size_t i = 0; i < n; ++i)
      ptrs.push_back(args[i].data());
    ptrs.push_back(ws.data());
  }
  Buffer ws;
  std::vector<void *> ptrs;
};

} // namespace

int main(int argc, char **argv) {
  if (argc != 3)
    fail("usage: modes_harness STEPS OUT.bin");
  int steps = std::atoi(argv[1]);
  if (steps < 1)
    fail("STEPS must be >= 1");
  const size_t nState = count(STATE_TENSORS);
  e2e::Random rng(e2e::hashName(STR(MODEL)));

  // Parameters: Glorot weights as initialized; everything else random, with
  // ones-initialized tensors (scales, variances) in [0.5, 1.5).
  Buffer state(STATE_BYTES, 0);
  for (size_t i = 0; i < nState; ++i) {
    const dlc_tensor_info &t = STATE_TENSORS[i];
    if (!isModelState(t))
      continue;
    if (t.dtype != DLC_F32)
      fail(std::string("tensor '") + t.name + "' is not f32");
    auto *p = reinterpret_cast<float *>(at(state, t));
    for (int64_t k = 0; k < e2e::elementsOf(t); ++k)
      p[k] =
          float(t.init == DLC_INIT_UNIFORM ? rng.uniform(t.init_a, t.init_b)
                // A normal initializer's scale (He's 1 / sqrt(fan_in)): uniform
                // with its mean and standard deviation.
                : t.init == DLC_INIT_NORMAL
                    ? t.init_a + t.init_b * std::sqrt(3.0) * rng.uniform(-1, 1)
                : t.init == DLC_INIT_ONES ? rng.uniform(0.5, 1.5)
                                          : rng.uniform(-0.5, 0.5));
  }
  if (const dlc_tensor_info *spe = e2e::findState("steps_per_epoch"))
    *reinterpret_cast<float *>(at(state, *spe)) = 1e6f;

  // One buffer per argument, shared by all entry points (same names).
  auto buffersFor = [](const dlc_tensor_info *table, size_t n) {
    std::vector<Buffer> b;
    for (size_t i = 0; i < n; ++i)
      b.emplace_back(table[i].bytes);
    return b;
  };
  const dlc_tensor_info *tsArgs = ARGS(train_step);
  const size_t nTs = count(ARGS(train_step));
  std::vector<Buffer> ts = buffersFor(tsArgs, nTs),
                      fw = buffersFor(ARGS(forward), count(ARGS(forward))),
                      ev = buffersFor(ARGS(eval), count(ARGS(eval))),
                      gr = buffersFor(ARGS(grad), count(ARGS(grad)));
  const dlc_tensor_info *x = e2e::findKind(tsArgs, nTs, DLC_INPUT),
                        *y = e2e::findKind(tsArgs, nTs, DLC_LABEL),
                        *out = e2e::findKind(tsArgs, nTs, DLC_OUTPUT);
  // A classifier (f32 x, labels [B], logits [B, C]) or a language model
  // (i32 token ids x [B, T], labels [B, T], logits [B, T, C]).
  const bool tokens = x && x->dtype == DLC_I32;
  if (!x || !y || !out || (x->dtype != DLC_F32 && !tokens) ||
      y->dtype != DLC_I32 || y->rank + 1 != out->rank ||
      (!tokens && y->rank != 1))
    fail("expected an f32 input, i32 labels [B] and an output [B, C], or "
         "i32 ids and labels [B, T] and an output [B, T, C]");
  const int64_t B = y->shape[0], C = out->shape[out->rank - 1],
                F = e2e::elementsOf(*x) / B, L = e2e::elementsOf(*y) / B;
  // One example's input element: a feature, or a token id below C.
  auto drawInput = [&](Buffer &xs, int64_t k) {
    if (tokens)
      xs.as<int32_t>()[k] = int32_t(rng.integer(0, C - 1));
    else
      xs.as<float>()[k] = float(rng.uniform(-2, 2));
  };
  // The buffer of the argument named NAME in BUFS (of TABLE).
  auto argOf = [](std::vector<Buffer> &bufs, const dlc_tensor_info *table,
                  size_t n, const char *name) -> Buffer & {
    for (size_t i = 0; i < n; ++i)
      if (std::strcmp(table[i].name, name) == 0)
        return bufs[i];
    fail(std::string("no argument '") + name + "'");
  };
#define ARG(bufs, f, name) argOf(bufs, ARGS(f), count(ARGS(f)), name)
  auto drawBatch = [&](Buffer &xs, Buffer &ys) {
    for (int64_t k = 0; k < B * F; ++k)
      drawInput(xs, k);
    for (int64_t i = 0; i < B * L; ++i)
      ys.as<int32_t>()[i] = int32_t(rng.integer(0, C - 1));
  };

  Recorder rec(argv[2]);
  for (size_t i = 0; i < nState; ++i)
    if (isModelState(STATE_TENSORS[i]))
      rec.record(std::string("state0/") + STATE_TENSORS[i].name,
                 STATE_TENSORS[i], at(state, STATE_TENSORS[i]));

  // Inference reads the state and never writes it.
  Buffer &x0 = ARG(fw, forward, x->name);
  Buffer y0(y->bytes);
  drawBatch(x0, y0);
  std::memcpy(ARG(ev, eval, x->name).data(), x0.data(), x->bytes);
  std::memcpy(ARG(ev, eval, y->name).data(), y0.data(), y->bytes);
  Buffer before(STATE_BYTES);
  std::memcpy(before.data(), state.data(), STATE_BYTES);
  Call fwCall(ARGS(forward), count(ARGS(forward)), state, nullptr,
              FORWARD_WORKSPACE, fw);
  Call evCall(ARGS(eval), count(ARGS(eval)), state, nullptr, EVAL_WORKSPACE,
              ev);
  e2e::Invoker<decltype(&FN(forward))>::call(&FN(forward), fwCall.ptrs.data());
  e2e::Invoker<decltype(&FN(eval))>::call(&FN(eval), evCall.ptrs.data());
  if (std::memcmp(before.data(), state.data(), STATE_BYTES) != 0)
    fail("forward or eval wrote the state");
  std::printf("forward and eval leave the state unchanged\n");
  Buffer &logits0 = ARG(fw, forward, out->name);
  rec.record("x0", *x, x0.data());
  rec.record("y0", *y, y0.data());
  rec.record("forward0", *out, logits0.data());
  const dlc_tensor_info *loss = e2e::findKind(ARGS(eval), count(ARGS(eval)),
                                              DLC_LOSS);
  rec.record("eval_loss0", *loss, ARG(ev, eval, loss->name).data());

  // Row 0 of inference depends on row 0 of the input alone.
  std::vector<float> row0(logits0.as<float>(), logits0.as<float>() + L * C);
  for (int64_t k = F; k < B * F; ++k)
    drawInput(x0, k);
  e2e::Invoker<decltype(&FN(forward))>::call(&FN(forward), fwCall.ptrs.data());
  if (std::memcmp(row0.data(), logits0.data(), sizeof(float) * size_t(L * C)))
    fail("row 0 of forward changed with the other rows of the batch");
  std::printf("row 0 of forward does not depend on the other rows\n");

  // Training.
  Call tsCall(tsArgs, nTs, state, nullptr, TRAIN_STEP_WORKSPACE, ts);
  Buffer &xs = ARG(ts, train_step, x->name), &ys = ARG(ts, train_step, y->name);
  for (int s = 0; s < steps; ++s) {
    drawBatch(xs, ys);
    rec.record("x/" + std::to_string(s), *x, xs.data());
    rec.record("y/" + std::to_string(s), *y, ys.data());
    e2e::Invoker<decltype(&FN(train_step))>::call(&FN(train_step),
                                                  tsCall.ptrs.data());
    rec.record("loss/" + std::to_string(s), *loss,
               ARG(ts, train_step, loss->name).data());
  }
  for (size_t i = 0; i < nState; ++i)
    if (isModelState(STATE_TENSORS[i]))
      rec.record(std::string("state/") + STATE_TENSORS[i].name,
                 STATE_TENSORS[i], at(state, STATE_TENSORS[i]));

  // grad + apply on a copy of the state is train_step.
  Buffer copy(STATE_BYTES), grads(GRADS_BYTES ? GRADS_BYTES : 1);
  std::memcpy(copy.data(), state.data(), STATE_BYTES);
  drawBatch(xs, ys);
  std::memcpy(ARG(gr, grad, x->name).data(), xs.data(), x->bytes);
  std::memcpy(ARG(gr, grad, y->name).data(), ys.data(), y->bytes);
  e2e::Invoker<decltype(&FN(train_step))>::call(&FN(train_step),
                                                tsCall.ptrs.data());
  Call grCall(ARGS(grad), count(ARGS(grad)), copy, &grads, GRAD_WORKSPACE,
              gr);
  std::vector<Buffer> none;
  Call apCall(nullptr, 0, copy, &grads, APPLY_WORKSPACE, none);
  e2e::Invoker<decltype(&FN(grad))>::call(&FN(grad), grCall.ptrs.data());
  e2e::Invoker<decltype(&FN(apply))>::call(&FN(apply), apCall.ptrs.data());
  for (size_t i = 0; i < nState; ++i) {
    const dlc_tensor_info &t = STATE_TENSORS[i];
    if (t.dtype != DLC_F32)
      continue;
    auto *a = reinterpret_cast<const float *>(at(state, t));
    auto *b = reinterpret_cast<const float *>(at(copy, t));
    for (int64_t k = 0; k < e2e::elementsOf(t); ++k)
      if (!(std::fabs(a[k] - b[k]) <= 1e-5f * (1 + std::fabs(a[k]))))
        fail(std::string("grad + apply and train_step disagree on '") +
             t.name + "'[" + std::to_string(k) + "]: " + std::to_string(b[k]) +
             " vs " + std::to_string(a[k]));
  }
  std::printf("grad + apply update the state as train_step does\n");
  return 0;
}
