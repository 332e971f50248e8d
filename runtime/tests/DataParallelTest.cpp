//===- DataParallelTest.cpp - the trainer as one of several processes -----===//
//
// A process of a two-process run, with a fake communicator that plays the
// other process: its sums add the other's share as a copy of this one's,
// and its broadcasts may hand this process another value than its own.
// (test/e2e/mpi*.dl run real processes under mpirun.)
//
//===----------------------------------------------------------------------===//
#include "TestUtil.h"

#include "dlrt/collective.h"
#include "dlrt/model.h"
#include "dlrt/trainer.h"

#include <cstdlib>
#include <cstring>
#include <sstream>

using namespace dlrt;

namespace {

/// Process RANK of SIZE whose peers hold what it holds.
struct MirrorCommunicator : Communicator {
  int rank_, size_;
  /// Broadcasts of 8 bytes (the replicas' checksum) come back with this
  /// added: the other process holds other parameters.
  uint64_t skew = 0;
  int reductions = 0;
  MirrorCommunicator(int rank, int size) : rank_(rank), size_(size) {}
  int rank() const override { return rank_; }
  int size() const override { return size_; }
  void allReduceSum(void *data, int64_t count, dlc_dtype dtype) override {
    ++reductions;
    for (int64_t k = 0; k < count; ++k) {
      if (dtype == DLC_F32)
        static_cast<float *>(data)[k] *= float(size_);
      else if (dtype == DLC_F64)
        static_cast<double *>(data)[k] *= double(size_);
      else
        static_cast<int64_t *>(data)[k] *= size_;
    }
  }
  void broadcast(void *data, uint64_t bytes, int) override {
    if (bytes == 8 && rank_ != 0)
      *static_cast<uint64_t *>(data) += skew;
  }
  [[noreturn]] void abort(int code) override {
    fail("abort " + std::to_string(code));
  }
};

// A linear model y ~ x . w with a dropout key and a running mean:
// state w (param, 8 bytes at 0), drop.seed (state, at 64), mean (state, at
// 128).
const dlc_tensor_info kState[] = {
    {"w", DLC_PARAM, DLC_F32, 1, {2}, 0u, 8u, DLC_INIT_UNIFORM, -1, 1},
    {"drop.seed", DLC_STATE, DLC_F32, 0, {0}, 64u, 4u, DLC_INIT_UNIFORM, 0, 16777216.0},
    {"mean", DLC_STATE, DLC_F32, 1, {2}, 128u, 8u, DLC_INIT_ZEROS, 0, 0},
};
const dlc_tensor_info kGrads[] = {
    {"w", DLC_GRAD, DLC_F32, 1, {2}, 0u, 8u, DLC_INIT_NONE, 0, 0},
};
const dlc_tensor_info kArgs[] = {
    {"x", DLC_INPUT, DLC_F32, 2, {2, 2}, 0u, 16u, DLC_INIT_NONE, 0, 0},
    {"y", DLC_LABEL, DLC_F32, 1, {2}, 0u, 8u, DLC_INIT_NONE, 0, 0},
    {"loss", DLC_LOSS, DLC_F32, 0, {0}, 0u, 4u, DLC_INIT_NONE, 0, 0},
};

float *at(void *state, uint64_t offset) {
  return reinterpret_cast<float *>(static_cast<char *>(state) + offset);
}

/// Mean squared error of the batch, its gradient into G (if any).
float lossOf(void *state, const float *x, const float *y, float *g) {
  const float *w = at(state, 0);
  float loss = 0;
  if (g)
    g[0] = g[1] = 0;
  for (int r = 0; r < 2; ++r) {
    float e = x[2 * r] * w[0] + x[2 * r + 1] * w[1] - y[r];
    loss += e * e / 2;
    if (g)
      for (int c = 0; c < 2; ++c)
        g[c] += e * x[2 * r + c] / 2;
  }
  return loss / 2;
}

void grad(void *state, void *grads, const float *x, const float *y, float *loss,
          void *) {
  *loss = lossOf(state, x, y, static_cast<float *>(grads));
  for (int c = 0; c < 2; ++c)
    at(state, 128)[c] = 0.9f * at(state, 128)[c] + 0.1f * (x[c] + x[2 + c]) / 2;
}
void apply(void *state, void *grads, void *) {
  for (int c = 0; c < 2; ++c)
    at(state, 0)[c] -= 0.1f * static_cast<float *>(grads)[c];
}
void trainStep(void *state, const float *x, const float *y, float *loss,
               void *) {
  float g[2];
  grad(state, g, x, y, loss, nullptr);
  apply(state, g, nullptr);
}
void eval(void *state, const float *x, const float *y, float *loss, void *) {
  *loss = lossOf(state, x, y, nullptr);
}

Model linearModel() {
  Model m;
  m.name = "linear";
  m.stateBytes = 192;
  m.stateTensors = kState;
  m.numStateTensors = 3;
  m.trainStep = Entry{&detail::Erase<&trainStep, 3>::call, kArgs, 3, 0, "train_step"};
  m.eval = Entry{&detail::Erase<&eval, 3>::call, kArgs, 3, 0, "eval"};
  m.grad = Entry{&detail::Erase<&grad, 3>::call, kArgs, 3, 0, "grad",
                 detail::Erase<&grad, 3>::kTakesGrads};
  m.apply = Entry{&detail::Erase<&apply, 0>::call, nullptr, 0, 0, "apply",
                  detail::Erase<&apply, 0>::kTakesGrads};
  m.gradsBytes = 8;
  m.gradTensors = kGrads;
  m.numGradTensors = 1;
  m.batch = 2;
  return m;
}

DataSplits linearData() {
  DataSplits s;
  s.format = "test";
  s.train.name = "linear-train";
  s.train.x = Array(DType::F32, {8, 2});
  s.train.y = Array(DType::F32, {8});
  for (int i = 0; i < 8; ++i) {
    s.train.x.set(2 * i, 0.25 * i);
    s.train.x.set(2 * i + 1, 1.0 - 0.1 * i);
    s.train.y.set(i, 0.5 * i - 1);
  }
  s.test = s.train;
  s.test.name = "linear-test";
  return s;
}

/// The state after 2 epochs as process RANK of SIZE (0 of 1: alone).
std::vector<float> trained(MirrorCommunicator *comm) {
  std::ostringstream out;
  Trainer t(linearModel(), linearData(), out);
  t.setCommunicator(comm);
  TrainOptions o;
  o.epochs = 2;
  t.train(o);
  const float *s = static_cast<const float *>(t.session().state());
  return std::vector<float>(s, s + 48);
}

} // namespace

TEST(DataParallel, GradEntriesTakeTheGradientBuffer) {
  Model m = linearModel();
  EXPECT_TRUE(m.grad.takesGrads);
  EXPECT_TRUE(m.apply.takesGrads);
  EXPECT_FALSE(m.trainStep.takesGrads);
  m.validate();
  m.apply.takesGrads = false;
  EXPECT_DLRT_ERROR(m.validate(), "grad and apply must both take the gradient buffer");
}

TEST(DataParallel, ProcessZeroKeepsTheKeysTheOthersDrawTheirOwn) {
  MirrorCommunicator zero(0, 2), one(1, 2);
  std::vector<float> alone = trained(nullptr), p0 = trained(&zero),
                     p1 = trained(&one);
  EXPECT_EQ(alone[16], p0[16]); // drop.seed
  EXPECT_NE(alone[16], p1[16]);
  // Steps average the gradients (and the statistics, in double: a mirror's
  // come back exact) and evaluation reduces its sums.
  EXPECT_GT(zero.reductions, 8);
}

TEST(DataParallel, ProcessesTakeTheirShardOfEachGlobalBatch) {
  // 8 examples, 2 x 2 per global batch: 2 steps per epoch, each process
  // on its own 2 examples; its mirror averages to its own gradient, so the
  // two processes end apart.
  MirrorCommunicator zero(0, 2), one(1, 2);
  std::vector<float> p0 = trained(&zero), p1 = trained(&one);
  EXPECT_NE(p0[0], p1[0]);
  EXPECT_NE(p0[32], p1[32]); // mean
}

TEST(DataParallel, ReplicasThatDifferStopTheRun) {
  MirrorCommunicator one(1, 2);
  one.skew = 1;
  EXPECT_DLRT_ERROR(trained(&one),
                    "the parameters differ between processes after epoch 1 "
                    "(2 of 2 hold other values than process 0's); stopped");
}

TEST(DataParallel, LauncherSizeFromTheEnvironment) {
  unsetenv("OMPI_COMM_WORLD_SIZE");
  unsetenv("PMI_SIZE");
  EXPECT_EQ(launcherProcessCount(), 1);
  setenv("OMPI_COMM_WORLD_SIZE", "4", 1);
  EXPECT_EQ(launcherProcessCount(), 4);
  setenv("OMPI_COMM_WORLD_SIZE", "four", 1);
  EXPECT_EQ(launcherProcessCount(), 1);
  unsetenv("OMPI_COMM_WORLD_SIZE");
  setenv("PMI_SIZE", "2", 1);
  EXPECT_EQ(launcherProcessCount(), 2);
  unsetenv("PMI_SIZE");
}
