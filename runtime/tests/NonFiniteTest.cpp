//===- NonFiniteTest.cpp - NaN and Inf never pass silently (issue 11) -----===//
//
// Non-finite features are refused with the file and the example; a
// checkpoint holding NaN or Inf is refused at load (--allow-non-finite
// loads it with a warning); training stops, naming the step, when the loss
// or the state stops being finite, and writes no checkpoint of it.
//
//===----------------------------------------------------------------------===//
#include "CliTestUtil.h"

#include "dlrt/checkpoint.h"
#include "dlrt/datasets.h"
#include "dlrt/io.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <sys/stat.h>

using namespace dlrt;
using namespace dlrt::test;

namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

/// A train step that runs the fake model's, then, at its AT-th call, makes
/// the loss NaN (or, with PARAMS, the first weight).
int64_t gCalls = 0, gBreakAt = 0;
bool gBreakParams = false;
void breakingTrainStep(void *const *a) {
  fake_train_step(a[0], static_cast<const float *>(a[1]),
                  static_cast<const int32_t *>(a[2]),
                  static_cast<float *>(a[3]), static_cast<float *>(a[4]), a[5]);
  if (++gCalls != gBreakAt)
    return;
  if (gBreakParams)
    static_cast<float *>(a[0])[0] = float(kNaN);
  else
    *static_cast<float *>(a[3]) = float(kNaN);
}

Model breakingModel(int64_t at, bool params) {
  gCalls = 0;
  gBreakAt = at;
  gBreakParams = params;
  Model m = fakeModel();
  m.trainStep.call = &breakingTrainStep;
  return m;
}

/// A checkpoint of the fake model at PATH whose weight I is V.
void writeCheckpointWith(const std::string &path, int i, double v) {
  AlignedBuffer s(FAKE_STATE_BYTES);
  initializeState(fake_state_tensors, FAKE_NUM_STATE_TENSORS, FAKE_STATE_BYTES,
                  s.data(), 7);
  static_cast<float *>(s.data())[i] = float(v);
  saveCheckpoint(path, "fake", fake_state_tensors, FAKE_NUM_STATE_TENSORS,
                 FAKE_STATE_BYTES, s.data());
}

} // namespace

TEST(NonFinite, FeaturesAreRefusedWithTheFileAndExample) {
  std::ostringstream out;
  DataSplits s = blobSplits();
  s.train.x.set(5 * 3 + 1, kNaN);
  EXPECT_DLRT_ERROR(Trainer(fakeModel(), s, out),
                    "blobs:", "feature 1 of example 5 is NaN");
  s = blobSplits();
  s.test.x.set(2 * 3, -kInf);
  EXPECT_DLRT_ERROR(Trainer(fakeModel(), s, out),
                    "blobs-test:", "feature 0 of example 2 is -inf");
  // Finite in the file, infinite once scaled into the model's f32 input.
  s = blobSplits();
  s.train.x.set(4 * 3 + 2, 1e30);
  s.train.xScale = 1e10;
  s.test.xScale = 1e10;
  EXPECT_DLRT_ERROR(Trainer(fakeModel(), s, out),
                    "blobs:", "feature 2 of example 4", "scaled by 1e+10",
                    "beyond the range of the model's f32 input");
  // Inputs without labels (predict --input) too.
  Dataset in = blobs(3, 4, "in.npy");
  in.y = Array();
  in.x.set(7, kNaN);
  EXPECT_DLRT_ERROR(Trainer(fakeModel(), in, out),
                    "in.npy:", "feature 1 of example 2 is NaN");
}

TEST(NonFinite, FeaturesOfEveryFormatInTheCli) {
  TempDir d;
  // CSV: 'nan', 'inf' and a value beyond f32 (1e39 is finite as a double).
  for (const char *bad : {"nan", "inf", "1e39"}) {
    writeBlobCsv(d.path());
    std::string text = readBytes(d / "train.csv");
    size_t line = 0;
    for (int i = 0; i < 4; ++i) // to the start of example 3
      line = text.find('\n', line) + 1;
    size_t b = text.find(',', text.find(',', line) + 1); // after a and b
    writeBytes(d / "train.csv",
               text.substr(0, line) + "0.5," + bad + text.substr(b));
    std::string out, err;
    EXPECT_EQ(
        runTrainer(fakeModel(), {"train", "--data", d.path()}, &out, &err), 1)
        << bad << ": " << out;
    EXPECT_NE(err.find(d / "train.csv: feature 1 of example 3"),
              std::string::npos)
        << bad << ": " << err;
  }
  // IDX f32 and .npy test splits.
  TempDir i;
  Array x(DType::F32, {4, 3}), y(DType::U8, {4});
  x.set(10, kNaN);
  saveIdx(i / "train-images-idx3-ubyte", Array(DType::F32, {4, 3}));
  saveIdx(i / "train-labels-idx1-ubyte", y);
  saveIdx(i / "t10k-images-idx3-ubyte", x);
  saveIdx(i / "t10k-labels-idx1-ubyte", y);
  std::string out, err;
  EXPECT_EQ(runTrainer(fakeModel(), {"train", "--data", i.path()}, &out, &err),
            1);
  EXPECT_NE(
      err.find(i / "t10k-images-idx3-ubyte: feature 1 of example 3 is NaN"),
      std::string::npos)
      << err;
  TempDir n;
  saveNpy(n / "x_train.npy", x);
  saveNpy(n / "y_train.npy", y);
  saveNpy(n / "x_test.npy", Array(DType::F32, {4, 3}));
  saveNpy(n / "y_test.npy", y);
  EXPECT_EQ(runTrainer(fakeModel(), {"train", "--data", n.path()}, &out, &err),
            1);
  EXPECT_NE(err.find(n / "x_train.npy: feature 1 of example 3 is NaN"),
            std::string::npos)
      << err;
  // A --scale that overflows f32.
  saveNpy(n / "x_train.npy", Array(DType::F32, {4, 3}));
  x.set(10, 3e30);
  saveNpy(n / "x_test.npy", x);
  EXPECT_EQ(runTrainer(fakeModel(),
                       {"train", "--data", n.path(), "--scale", "1e9"}, &out,
                       &err),
            1);
  EXPECT_NE(err.find(n / "x_test.npy: feature 1 of example 3"),
            std::string::npos)
      << err;
}

TEST(NonFinite, CheckpointParametersAreRefusedUnlessAllowed) {
  TempDir d;
  writeCheckpointWith(d / "nan.safetensors", 4, kNaN);
  AlignedBuffer s(FAKE_STATE_BYTES);
  EXPECT_DLRT_ERROR(loadCheckpoint(d / "nan.safetensors", "fake",
                                   fake_state_tensors, FAKE_NUM_STATE_TENSORS,
                                   FAKE_STATE_BYTES, s.data()),
                    "nan.safetensors", "tensor 'W'", "1 non-finite value",
                    "element 4 is NaN");
  writeCheckpointWith(d / "inf.safetensors", 0, kInf);
  EXPECT_DLRT_ERROR(loadCheckpoint(d / "inf.safetensors", "fake",
                                   fake_state_tensors, FAKE_NUM_STATE_TENSORS,
                                   FAKE_STATE_BYTES, s.data()),
                    "element 0 is inf");
  // Allowed: loaded, with a warning.
  std::ostringstream warnings;
  LoadOptions o;
  o.allowNonFinite = true;
  o.warnings = &warnings;
  loadCheckpoint(d / "nan.safetensors", "fake", fake_state_tensors,
                 FAKE_NUM_STATE_TENSORS, FAKE_STATE_BYTES, s.data(), o);
  EXPECT_TRUE(std::isnan(static_cast<float *>(s.data())[4]));
  EXPECT_NE(
      warnings.str().find("warning: " + d / "nan.safetensors" + ": tensor 'W'"),
      std::string::npos)
      << warnings.str();
}

TEST(NonFinite, CheckpointParametersInTheCli) {
  TempDir d;
  writeBlobCsv(d.path());
  writeCheckpointWith(d / "nan.safetensors", 4, kNaN);
  std::string out, err;
  for (const char *cmd : {"eval", "predict"}) {
    EXPECT_EQ(runTrainer(fakeModel(),
                         {cmd, "--data", d.path(), "--checkpoint",
                          d / "nan.safetensors"},
                         &out, &err),
              1)
        << cmd;
    EXPECT_NE(err.find("tensor 'W' holds 1 non-finite value"),
              std::string::npos)
        << err;
    EXPECT_NE(err.find("--allow-non-finite"), std::string::npos) << err;
    EXPECT_EQ(runTrainer(fakeModel(),
                         {cmd, "--data", d.path(), "--checkpoint",
                          d / "nan.safetensors", "--allow-non-finite"},
                         &out, &err),
              0)
        << cmd << ": " << err;
    EXPECT_NE(err.find("warning: " + d / "nan.safetensors" + ": tensor 'W'"),
              std::string::npos)
        << err;
  }
  // eval shows the NaN loss rather than dropping the line.
  runTrainer(fakeModel(),
             {"eval", "--data", d.path(), "--checkpoint", d / "nan.safetensors",
              "--allow-non-finite"},
             &out, &err);
  EXPECT_NE(out.find("test loss: nan"), std::string::npos) << out;
  // --resume refuses it too.
  ASSERT_EQ(::mkdir((d / "ck").c_str(), 0755), 0);
  writeCheckpointWith(d / "ck/epoch-0001.safetensors", 4, kNaN);
  EXPECT_EQ(runTrainer(fakeModel(),
                       {"train", "--data", d.path(), "--checkpoint", d / "ck",
                        "--resume"},
                       &out, &err),
            1);
  EXPECT_NE(err.find("tensor 'W' holds 1 non-finite value"), std::string::npos)
      << err;
}

TEST(NonFinite, TrainingStopsAtTheStepTheLossBecameNaN) {
  TempDir d;
  std::ostringstream out;
  TrainOptions o;
  o.progress = 0;
  o.epochs = 3;
  o.checkpointDir = d / "ck";
  o.logPath = d / "log.csv";
  // 5 steps per epoch: call 8 is epoch 2, step 3.
  Trainer t(breakingModel(8, false), blobSplits(), out);
  EXPECT_DLRT_ERROR(t.train(o), "model 'fake'", "the loss is NaN at step 8",
                    "(epoch 2, step 3 of 5)");
  EXPECT_EQ(listDirectory(d / "ck"),
            std::vector<std::string>{"epoch-0001.safetensors"});
  std::string log = readBytes(d / "log.csv");
  EXPECT_EQ(std::count(log.begin(), log.end(), '\n'), 2) << log;
  EXPECT_EQ(log.find("nan"), std::string::npos) << log;
}

TEST(NonFinite, TrainingStopsWhenTheStateBecomesNaN) {
  TempDir d;
  std::ostringstream out;
  TrainOptions o;
  o.progress = 0;
  o.epochs = 3;
  o.checkpointDir = d / "ck";
  o.logPath = d / "log.csv";
  // The last step of epoch 2 leaves a NaN weight behind a finite loss.
  Trainer t(breakingModel(10, true), blobSplits(), out);
  EXPECT_DLRT_ERROR(t.train(o), "model 'fake'",
                    "after step 10 (epoch 2, step 5 of 5)", "tensor 'W'",
                    "NaN");
  EXPECT_EQ(listDirectory(d / "ck"),
            std::vector<std::string>{"epoch-0001.safetensors"});
  EXPECT_EQ(readBytes(d / "log.csv").find("nan"), std::string::npos);
  // The CLI exits 1 and says so.
  TempDir c;
  writeBlobCsv(c.path());
  std::string so, se;
  EXPECT_EQ(runTrainer(breakingModel(3, false),
                       {"train", "--data", c.path(), "--checkpoint", c / "ck"},
                       &so, &se),
            1);
  EXPECT_NE(se.find("fake-trainer: error: model 'fake': training diverged: the "
                    "loss is NaN at step 3"),
            std::string::npos)
      << se;
  EXPECT_FALSE(pathPresent(c / "ck/epoch-0001.safetensors"));
}
