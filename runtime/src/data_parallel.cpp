//===- data_parallel.cpp - the trainer on several processes ---------------===//
//
// What the trainer does between the processes of a data-parallel run (see
// Trainer::setCommunicator): gradients and running statistics averaged,
// random keys of each process's own, replicas compared.
//
//===----------------------------------------------------------------------===//
#include "dlrt/collective.h"
#include "dlrt/error.h"
#include "dlrt/random.h"
#include "dlrt/trainer.h"

#include <cinttypes>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace dlrt {

int launcherProcessCount() {
  // Open MPI's mpirun, then MPICH's and Intel MPI's (Hydra) launchers.
  for (const char *name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE"}) {
    const char *v = std::getenv(name);
    if (!v || !*v)
      continue;
    char *end = nullptr;
    long n = std::strtol(v, &end, 10);
    if (end && !*end && n > 1 && n < (1L << 30))
      return int(n);
  }
  return 1;
}

namespace {
/// Whether state tensor T is a random key of its own per process (a
/// non-trained state named `seed`, as the stdlib Dropout's).
bool isProcessKey(const dlc_tensor_info &t) {
  std::string n = t.name ? t.name : "";
  return t.kind == DLC_STATE &&
         (n == "seed" || (n.size() > 5 && n.compare(n.size() - 5, 5, ".seed") == 0));
}

bool isFloating(dlc_dtype d) {
  return d == DLC_F32 || d == DLC_F64 || d == DLC_F16 || d == DLC_BF16;
}
} // namespace

void Trainer::averageGradients() {
  int R = processes();
  if (R <= 1)
    return;
  // All f32 (every model but f64 gradient checks): one sum over the whole
  // buffer (the bytes between tensors stay 0); else tensor by tensor.
  bool allF32 = true;
  for (int i = 0; i < model_.numGradTensors; ++i)
    allF32 &= model_.gradTensors[i].dtype == DLC_F32;
  char *g = static_cast<char *>(session_.grads());
  if (allF32) {
    float *v = reinterpret_cast<float *>(g);
    int64_t n = int64_t(model_.gradsBytes / 4);
    comm_->allReduceSum(v, n, DLC_F32);
    float r = float(R);
    for (int64_t k = 0; k < n; ++k)
      v[k] /= r;
    return;
  }
  for (int i = 0; i < model_.numGradTensors; ++i) {
    const dlc_tensor_info &t = model_.gradTensors[i];
    TensorView v = TensorView::inState(g, t);
    if (t.dtype == DLC_F32 || t.dtype == DLC_F64) {
      comm_->allReduceSum(v.data, v.numel(), t.dtype);
      for (int64_t k = 0; k < v.numel(); ++k)
        v.set(k, v.at(k) / double(R));
      continue;
    }
    std::vector<double> d(size_t(v.numel()));
    for (int64_t k = 0; k < v.numel(); ++k)
      d[size_t(k)] = v.at(k);
    comm_->allReduceSum(d.data(), v.numel(), DLC_F64);
    for (int64_t k = 0; k < v.numel(); ++k)
      v.set(k, d[size_t(k)] / double(R));
  }
}

void Trainer::averageStatistics() {
  int R = processes();
  if (R <= 1)
    return;
  // In double: a value every process holds alike (a step counter) comes
  // back exactly.
  std::vector<TensorView> views;
  int64_t total = 0;
  for (int i = 0; i < model_.numStateTensors; ++i) {
    const dlc_tensor_info &t = model_.stateTensors[i];
    if (t.kind != DLC_STATE || isProcessKey(t) || !isFloating(t.dtype))
      continue;
    views.push_back(TensorView::inState(session_.state(), t));
    total += views.back().numel();
  }
  if (!total)
    return;
  std::vector<double> sums;
  sums.reserve(size_t(total));
  for (const TensorView &v : views)
    for (int64_t k = 0; k < v.numel(); ++k)
      sums.push_back(v.at(k));
  comm_->allReduceSum(sums.data(), total, DLC_F64);
  size_t at = 0;
  for (TensorView &v : views)
    for (int64_t k = 0; k < v.numel(); ++k)
      v.set(k, sums[at++] / double(R));
}

void Trainer::drawProcessKeys(uint64_t seed) {
  if (rank() == 0)
    return;
  AlignedBuffer fresh(size_t(model_.stateBytes));
  initializeState(model_, fresh.data(), mixSeed(seed, uint64_t(rank())));
  for (int i = 0; i < model_.numStateTensors; ++i) {
    const dlc_tensor_info &t = model_.stateTensors[i];
    if (isProcessKey(t))
      std::memcpy(static_cast<char *>(session_.state()) + t.offset,
                  static_cast<const char *>(fresh.data()) + t.offset, size_t(t.bytes));
  }
}

void Trainer::checkReplicas(int64_t epoch) {
  if (processes() <= 1)
    return;
  // FNV-1a of everything that must be alike; rank 0's goes to all.
  uint64_t h = 1469598103934665603ull;
  const unsigned char *state = static_cast<const unsigned char *>(session_.state());
  for (int i = 0; i < model_.numStateTensors; ++i) {
    const dlc_tensor_info &t = model_.stateTensors[i];
    if (isProcessKey(t))
      continue;
    for (uint64_t b = 0; b < t.bytes; ++b)
      h = (h ^ state[t.offset + b]) * 1099511628211ull;
  }
  uint64_t root = h;
  comm_->broadcast(&root, sizeof root, 0);
  double differ = root != h;
  allReduceSum(comm_, &differ, 1);
  if (differ > 0)
    fail(std::string("model '") + model_.name + "'",
         strFormat("the parameters differ between processes after epoch "
                   "%" PRId64 " (%d of %d hold other values than process 0"
                   "'s); stopped",
                   epoch, int(differ), processes()));
}

} // namespace dlrt
