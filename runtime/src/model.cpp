//===- model.cpp - model tables, initialization, sessions -----------------===//
#include "dlrt/model.h"
#include "dlrt/error.h"
#include "dlrt/io.h"
#include "dlrt/random.h"

#include <cmath>
#include <cstring>

namespace dlrt {

int Entry::find(dlc_kind kind, int i) const {
  for (int a = 0; a < numArgs; ++a)
    if (args[a].kind == kind && i-- == 0)
      return a;
  return -1;
}

int Entry::find(const std::string &n) const {
  for (int a = 0; a < numArgs; ++a)
    if (args[a].name && n == args[a].name)
      return a;
  return -1;
}

int Model::findState(const std::string &n) const {
  for (int i = 0; i < numStateTensors; ++i)
    if (stateTensors[i].name && n == stateTensors[i].name)
      return i;
  return -1;
}

static void checkInfo(const std::string &where, const dlc_tensor_info &t) {
  if (!t.name)
    fail(where, "tensor without a name");
  if (int(t.dtype) < 0 || int(t.dtype) > int(DLC_BF16))
    fail(where, std::string("tensor '") + t.name + "' has an invalid dtype");
  uint64_t want = byteSize(shapeOf(t), fromDlc(t.dtype));
  if (want != t.bytes)
    fail(where, std::string("tensor '") + t.name + "' says " +
                    std::to_string(t.bytes) + " bytes, its shape needs " +
                    std::to_string(want));
}

/// Checks the COUNT descriptors of TENSORS, which lie in a buffer of BYTES
/// bytes (WHAT: "state", "gradient").
static void checkBuffer(const std::string &where, const char *what,
                        const dlc_tensor_info *tensors, int count,
                        uint64_t bytes) {
  if (count > 0 && !tensors)
    fail(where, std::string(what) + " tensors missing");
  for (int i = 0; i < count; ++i) {
    const dlc_tensor_info &t = tensors[i];
    checkInfo(where, t);
    if (t.offset > bytes || t.bytes > bytes - t.offset)
      fail(where, std::string(what) + " tensor '" + t.name +
                      "' lies outside the " + what + " buffer");
  }
}

void Model::validate() const {
  std::string where = std::string("model '") + (name ? name : "?") + "'";
  checkBuffer(where, "state", stateTensors, numStateTensors, stateBytes);
  checkBuffer(where, "gradient", gradTensors, numGradTensors, gradsBytes);
  if ((grad && !grad.takesGrads) || (apply && !apply.takesGrads))
    fail(where, "grad and apply must both take the gradient buffer");
  for (const Entry *e : {&trainStep, &eval, &forward, &grad, &apply}) {
    if (!*e)
      continue;
    if (e->numArgs > 0 && !e->args)
      fail(where, std::string(e->name) + ": argument table missing");
    for (int a = 0; a < e->numArgs; ++a)
      checkInfo(where + " " + e->name, e->args[a]);
  }
}

void initializeState(const dlc_tensor_info *tensors, int count,
                     uint64_t stateBytes, void *state, uint64_t seed) {
  std::memset(state, 0, size_t(stateBytes));
  for (int i = 0; i < count; ++i) {
    const dlc_tensor_info &t = tensors[i];
    TensorView v = TensorView::inState(state, t);
    int64_t n = v.numel();
    Rng rng(mixSeed(seed, fnv1a(t.name ? t.name : "")));
    switch (t.init) {
    case DLC_INIT_NONE:
    case DLC_INIT_ZEROS:
      break; // already zero
    case DLC_INIT_ONES:
      for (int64_t k = 0; k < n; ++k)
        v.set(k, 1.0);
      break;
    case DLC_INIT_CONSTANT:
      for (int64_t k = 0; k < n; ++k)
        v.set(k, t.init_a);
      break;
    case DLC_INIT_UNIFORM:
      if (!(t.init_b >= t.init_a))
        fail(std::string("tensor '") + t.name + "': uniform initializer with "
             "an empty range");
      if (v.dtype == DType::F32) {
        float *p = v.as<float>();
        for (int64_t k = 0; k < n; ++k) {
          float x = float(rng.uniform(t.init_a, t.init_b));
          // Rounding to f32 may reach hi; keep the interval half-open.
          if (x >= float(t.init_b) && t.init_b > t.init_a)
            x = std::nextafter(float(t.init_b), float(t.init_a));
          p[k] = x;
        }
      } else {
        for (int64_t k = 0; k < n; ++k)
          v.set(k, rng.uniform(t.init_a, t.init_b));
      }
      break;
    case DLC_INIT_NORMAL:
      if (!(t.init_b >= 0))
        fail(std::string("tensor '") + t.name +
             "': normal initializer with a negative standard deviation");
      for (int64_t k = 0; k < n; ++k)
        v.set(k, rng.normal(t.init_a, t.init_b));
      break;
    default:
      fail(std::string("tensor '") + t.name + "': unknown initializer " +
           std::to_string(int(t.init)));
    }
  }
}

Session::Session(const Model &model) : model_(model) {
  model_.validate();
  state_.resize(size_t(model_.stateBytes));
  grads_.resize(size_t(model_.gradsBytes));
  uint64_t ws = 0;
  for (const Entry *e : {&model_.trainStep, &model_.eval, &model_.forward,
                         &model_.grad, &model_.apply}) {
    if (!*e)
      continue;
    ws = std::max(ws, e->workspaceBytes);
    Buffers b;
    b.entry = e;
    for (int a = 0; a < e->numArgs; ++a)
      b.args.emplace_back(size_t(e->args[a].bytes));
    buffers_.push_back(std::move(b));
  }
  workspace_.resize(size_t(ws));
}

TensorView Session::stateTensor(const std::string &name) const {
  int i = model_.findState(name);
  if (i < 0)
    fail(std::string("model '") + model_.name + "' has no state tensor '" +
         name + "'");
  return TensorView::inState(state_.data(), model_.stateTensors[i]);
}

void Session::initialize(uint64_t seed) {
  initializeState(model_, state_.data(), seed);
}

bool Session::setScalarState(const char *name, double value) {
  int i = model_.findState(name);
  if (i < 0)
    return false;
  TensorView v = TensorView::inState(state_.data(), model_.stateTensors[i]);
  if (v.numel() != 1)
    fail(std::string("model '") + model_.name + "': " + name +
         " is not a scalar");
  v.set(0, value);
  return true;
}

bool Session::setStepsPerEpoch(int64_t steps) {
  return setScalarState("steps_per_epoch", double(steps));
}

bool Session::setEpochs(int64_t epochs) {
  return setScalarState("epochs", double(epochs));
}

const Session::Buffers &Session::buffersOf(const Entry &entry) const {
  for (auto &b : buffers_)
    if (b.entry == &entry || (b.entry->call == entry.call && b.entry->args == entry.args))
      return b;
  fail(std::string("model '") + model_.name + "' has no entry point '" +
       entry.name + "' in this session");
}

TensorView Session::arg(const Entry &entry, int i) const {
  const Buffers &b = buffersOf(entry);
  if (i < 0 || i >= int(b.args.size()))
    fail(std::string(entry.name) + ": no argument " + std::to_string(i));
  const dlc_tensor_info &info = b.entry->args[i];
  return TensorView(b.args[size_t(i)].data(), fromDlc(info.dtype), shapeOf(info));
}

void Session::run(const Entry &entry) {
  const Buffers &b = buffersOf(entry);
  callArgs_.clear();
  callArgs_.push_back(state_.data());
  if (b.entry->takesGrads)
    callArgs_.push_back(grads_.data());
  for (auto &a : b.args)
    callArgs_.push_back(a.data());
  callArgs_.push_back(workspace_.data());
  b.entry->call(callArgs_.data());
}

} // namespace dlrt
