//===- TrainerTest.cpp - binding, evaluation, training, resume, the CLI ---===//
#include "CliTestUtil.h"
#include "FakeModel.h"
#include "TestUtil.h"

#include "dlrt/checkpoint.h"
#include "dlrt/io.h"
#include "dlrt/model.h"
#include "dlrt/random.h"
#include "dlrt/trainer.h"

#include <cmath>
#include <sstream>

using namespace dlrt;
using namespace dlrt::test;

namespace {

/// N examples of 3 features, class k having feature k high (+ noise).
Dataset blobs(int64_t n, uint64_t seed, int features = 3) {
  Dataset d;
  d.name = "blobs";
  d.x = Array(DType::F32, {n, features});
  d.y = Array(DType::I64, {n});
  Rng r(seed);
  for (int64_t i = 0; i < n; ++i) {
    int64_t k = int64_t(r.below(3));
    d.y.set(i, double(k));
    for (int f = 0; f < features; ++f)
      d.x.set(i * features + f, (f == k ? 2.0 : 0.0) + r.normal(0, 0.3));
  }
  return d;
}

DataSplits splits(int64_t nTrain = 22, int64_t nTest = 7) {
  DataSplits s;
  s.format = "test";
  s.train = blobs(nTrain, 1);
  s.test = blobs(nTest, 2);
  s.test.name = "blobs-test";
  return s;
}

/// Mean loss and accuracy over DS computed example by example (independent
/// of the trainer's batching and padding).
void reference(const Model &m, void *state, const Dataset &ds, double &loss,
               double &acc) {
  double total = 0;
  int64_t correct = 0;
  for (int64_t i = 0; i < ds.size(); ++i) {
    float x[FAKE_B * FAKE_F] = {}, logits[FAKE_B * FAKE_C], P[FAKE_B * FAKE_C];
    int32_t y[FAKE_B] = {};
    for (int f = 0; f < FAKE_F; ++f)
      x[f] = float(ds.x.at(i * FAKE_F + f));
    y[0] = int32_t(ds.y.at(i));
    fake_forward(state, x, logits, nullptr);
    fake_loss(logits, y, P);
    total += -std::log(double(P[y[0]]));
    int best = 0;
    for (int c = 1; c < FAKE_C; ++c)
      if (logits[c] > logits[best])
        best = c;
    correct += best == y[0];
  }
  loss = total / double(ds.size());
  acc = double(correct) / double(ds.size());
}

std::string state(Trainer &t) {
  return std::string(static_cast<char *>(t.session().state()), FAKE_STATE_BYTES);
}

int runCli(const Model &model, std::vector<std::string> args,
           std::string *out = nullptr, std::string *err = nullptr) {
  return runTrainer(model, std::move(args), out, err);
}

int runCli(std::vector<std::string> args, std::string *out = nullptr,
           std::string *err = nullptr) {
  return runCli(fakeModel(), std::move(args), out, err);
}

/// The fake model without its metric, as the header of a model that
/// declares none (a regression) makes it.
Model fakeModelWithoutMetric() {
  Model m = fakeModel();
  m.metrics.clear();
  return m;
}

// A margin "model" without parameters: z = tanh(x) for x f32[4, 1], targets
// t f32[4, 1] of -1 and +1, loss mean((z - t)^2); accuracy by the sign of z
// (threshold 0).
const dlc_tensor_info kMarginEvalArgs[] = {
    {"x", DLC_INPUT, DLC_F32, 2, {4, 1}, 0, 16, DLC_INIT_NONE, 0, 0},
    {"t", DLC_LABEL, DLC_F32, 2, {4, 1}, 0, 16, DLC_INIT_NONE, 0, 0},
    {"loss", DLC_LOSS, DLC_F32, 0, {0}, 0, 4, DLC_INIT_NONE, 0, 0},
    {"z", DLC_OUTPUT, DLC_F32, 2, {4, 1}, 0, 16, DLC_INIT_NONE, 0, 0},
};
const dlc_tensor_info kMarginForwardArgs[] = {
    {"x", DLC_INPUT, DLC_F32, 2, {4, 1}, 0, 16, DLC_INIT_NONE, 0, 0},
    {"z", DLC_OUTPUT, DLC_F32, 2, {4, 1}, 0, 16, DLC_INIT_NONE, 0, 0},
};

void marginForward(void *const *a) {
  const float *x = static_cast<const float *>(a[1]);
  float *z = static_cast<float *>(a[2]);
  for (int i = 0; i < 4; ++i)
    z[i] = std::tanh(x[i]);
}

void marginEval(void *const *a) {
  const float *x = static_cast<const float *>(a[1]);
  const float *t = static_cast<const float *>(a[2]);
  float *loss = static_cast<float *>(a[3]), *z = static_cast<float *>(a[4]);
  double sum = 0;
  for (int i = 0; i < 4; ++i) {
    z[i] = std::tanh(x[i]);
    sum += (z[i] - t[i]) * (z[i] - t[i]);
  }
  *loss = float(sum / 4);
}

Model marginModel() {
  Model m;
  m.name = "margin";
  m.eval = Entry{&marginEval, kMarginEvalArgs, 4, 0, "eval"};
  m.forward = Entry{&marginForward, kMarginForwardArgs, 2, 0, "forward"};
  m.metrics = {Metric{"z", "t", "threshold", 0.0}};
  return m;
}

/// Scores tanh(x) in (-0.72, 0.72): x, its targets sign(x).
DataSplits marginData() {
  static const double xs[] = {0.2, -0.2, 0.3, -0.4, 0.1, -0.1, 0.9, -0.9};
  DataSplits s;
  s.format = "test";
  s.train.name = "margin-train";
  s.train.x = Array(DType::F32, {8, 1});
  s.train.y = Array(DType::F64, {8});
  for (int i = 0; i < 8; ++i) {
    s.train.x.set(i, xs[i]);
    s.train.y.set(i, xs[i] > 0 ? 1 : -1);
  }
  s.test = s.train;
  s.test.name = "margin-test";
  return s;
}


void writeCsvData(const TempDir &d) {
  DataSplits s = splits();
  for (auto [ds, name] : {std::pair{&s.train, "train.csv"}, std::pair{&s.test, "test.csv"}}) {
    std::string text = "a,b,c,label\n";
    for (int64_t i = 0; i < ds->size(); ++i) {
      char buf[128];
      std::snprintf(buf, sizeof buf, "%.9g,%.9g,%.9g,%d\n", ds->x.at(i * 3),
                    ds->x.at(i * 3 + 1), ds->x.at(i * 3 + 2), int(ds->y.at(i)));
      text += buf;
    }
    writeBytes(d / name, text);
  }
}

} // namespace

TEST(Model, MacroBuildsTypeErasedEntries) {
  Model m = fakeModel();
  EXPECT_STREQ(m.name, "fake");
  EXPECT_EQ(m.trainStep.numArgs, 4);
  EXPECT_EQ(m.forward.numArgs, 2);
  EXPECT_EQ(m.trainStep.workspaceBytes, 64u);
  EXPECT_EQ(m.findState("steps_per_epoch"), 3);
  EXPECT_EQ(m.trainStep.find(DLC_LOSS), 2);
  EXPECT_EQ(m.trainStep.find("logits"), 3);
  Session s(m);
  s.initialize(1);
  TensorView x = s.arg(m.forward, 0);
  for (int i = 0; i < 12; ++i)
    x.set(i, i);
  s.run(m.forward);
  float direct[12];
  fake_forward(s.state(), static_cast<float *>(x.data), direct, nullptr);
  EXPECT_EQ(std::memcmp(direct, s.arg(m.forward, 1).data, sizeof direct), 0);
  EXPECT_TRUE(s.setStepsPerEpoch(9));
  EXPECT_EQ(s.stateTensor("steps_per_epoch").at(0), 9);
  EXPECT_DLRT_ERROR(s.stateTensor("nope"), "no state tensor 'nope'");
}

TEST(Model, ValidateCatchesBrokenTables) {
  Model m = fakeModel();
  dlc_tensor_info bad[4];
  std::memcpy(bad, fake_state_tensors, sizeof bad);
  bad[1].offset = 250; // past the buffer
  m.stateTensors = bad;
  EXPECT_DLRT_ERROR(Session{m}, "'b' lies outside the state buffer");
  bad[1].offset = 64;
  bad[1].bytes = 8;
  EXPECT_DLRT_ERROR(Session{m}, "'b' says 8 bytes, its shape needs 12");
}

TEST(Trainer, BindingChecksShapesAndLabels) {
  Model m = fakeModel();
  DataSplits s = splits();
  std::ostringstream out;
  Trainer t(m, s, out);
  EXPECT_EQ(t.binding().batch, 4);
  EXPECT_EQ(t.binding().primary()->classes, 3);
  EXPECT_EQ(t.binding().feeds[0].name, "x");
  EXPECT_EQ(t.binding().output, "logits");

  DataSplits wide = s;
  wide.train = blobs(10, 1, 5);
  EXPECT_DLRT_ERROR(Trainer(m, wide, out), "input 'x' (f32[4, 3]) takes 3 values per example",
                    "5 values per example");
  DataSplits range = s;
  range.test.y.set(3, 3);
  EXPECT_DLRT_ERROR(Trainer(m, range, out), "blobs-test", "label 3 of example 3",
                    "outside the model's 3 classes");
  DataSplits frac = s;
  frac.train.y = Array(DType::F64, {22});
  frac.train.y.set(5, 0.5);
  EXPECT_DLRT_ERROR(Trainer(m, frac, out), "label 0.5 of example 5 is not an integer");
  DataSplits nan = s;
  nan.train.y = Array(DType::F64, {22});
  nan.train.y.set(1, std::nan(""));
  EXPECT_DLRT_ERROR(Trainer(m, nan, out), "NaN");
  DataSplits two = s;
  two.train.y = Array(DType::I64, {22, 2});
  EXPECT_DLRT_ERROR(Trainer(m, two, out), "label 'y' (i32[4]) takes 1 value per example",
                    "2 labels per example");
  DataSplits tiny = splits(3, 7);
  Trainer small(m, tiny, out);
  EXPECT_DLRT_ERROR(small.train(TrainOptions{}), "holds 3 examples, fewer than one batch of 4");
  DataSplits images = s;
  images.train.x = Array(DType::U8, {22, 3});
  images.train.xScale = 1.0 / 255;
  Model tokens = m;
  dlc_tensor_info args[4];
  std::memcpy(args, fake_train_step_args, sizeof args);
  args[0].dtype = DLC_I32;
  tokens.trainStep.args = args;
  EXPECT_DLRT_ERROR(Trainer(tokens, images, out), "takes integers (token ids)", "images");
  // Entry points that disagree on the batch layout.
  Model odd = m;
  dlc_tensor_info evalArgs[4];
  std::memcpy(evalArgs, fake_eval_args, sizeof evalArgs);
  evalArgs[3].shape[0] = 8;
  evalArgs[3].bytes = 96;
  odd.eval.args = evalArgs;
  EXPECT_DLRT_ERROR(Trainer(odd, s, out), "eval output 'logits' (f32[8, 3]) differs",
                    "train_step's 'logits' (f32[4, 3])");
}

TEST(Trainer, EvaluationPadsTheLastBatchExactly) {
  Model m = fakeModel();
  for (int64_t n : {1, 3, 4, 5, 7, 8, 13}) {
    std::ostringstream out;
    Trainer t(m, splits(22, n), out);
    t.session().initialize(3);
    EvalStats s = t.evaluate(t.data().test);
    double loss, acc;
    reference(m, t.session().state(), t.data().test, loss, acc);
    EXPECT_EQ(s.examples, n);
    EXPECT_EQ(s.metrics[0].predictions, n);
    EXPECT_NEAR(s.loss, loss, 1e-5) << n << " examples";
    EXPECT_DOUBLE_EQ(s.accuracy(), acc) << n << " examples";
  }
}

TEST(Trainer, TrainsDropsThePartialBatchAndSetsStepsPerEpoch) {
  Model m = fakeModel();
  std::ostringstream out;
  Trainer t(m, splits(22, 7), out);
  TrainOptions o;
  o.progress = 0;
  std::vector<EpochStats> r = t.train(o);
  ASSERT_EQ(r.size(), 3u); // the model's epochs
  EXPECT_EQ(t.session().stateTensor("steps_per_epoch").at(0), 5); // 22 / 4
  EXPECT_EQ(t.session().stateTensor("step").at(0), 15);
  EXPECT_GT(r.back().trainAccuracy(), 0.9);
  EXPECT_EQ(r.back().testAccuracy(), 1.0);
  EXPECT_LT(r.back().testLoss, r.front().testLoss + 1e-9);
  double loss, acc;
  reference(m, t.session().state(), t.data().test, loss, acc);
  EXPECT_NEAR(r.back().testLoss, loss, 1e-5);
  EXPECT_NE(out.str().find("epoch 3/3"), std::string::npos) << out.str();
  // Same seed, same run; another seed, another run.
  std::ostringstream out2;
  Trainer t2(m, splits(22, 7), out2);
  t2.train(o);
  EXPECT_EQ(state(t), state(t2));
  o.seed = 99;
  o.seedGiven = true;
  Trainer t3(m, splits(22, 7), out2);
  t3.train(o);
  EXPECT_NE(state(t), state(t3));
}

TEST(Trainer, ResumeContinuesExactly) {
  Model m = fakeModel();
  TempDir d;
  TrainOptions o;
  o.progress = 0;
  o.epochs = 4;
  o.checkpointDir = d / "full";
  o.logPath = d / "full.csv";
  std::ostringstream out;
  Trainer full(m, splits(), out);
  full.train(o);
  std::string want = state(full);
  EXPECT_TRUE(fileExists(d / "full/epoch-0004.safetensors"));

  // Interrupted runs: stop mid-epoch (checkpoint every 3 steps, 5 steps per
  // epoch), again, then finish; each resume starts from a fresh process-like
  // Trainer.
  o.checkpointDir = d / "part";
  o.logPath = d / "part.csv";
  o.checkpointEvery = 3;
  o.maxSteps = 7;
  {
    Trainer t(m, splits(), out);
    t.train(o); // steps 1..7: checkpoints at 3, epoch 1 (5), 6
  }
  EXPECT_EQ(latestCheckpoint(d / "part"), d / "part/epoch-0002-step-000001.safetensors");
  o.resume = true;
  {
    Trainer t(m, splits(), out);
    t.train(o); // resumes at 6, runs to 13: checkpoints 9, 10 (epoch 2), 12
  }
  EXPECT_EQ(latestCheckpoint(d / "part"), d / "part/epoch-0003-step-000002.safetensors");
  o.maxSteps = 0;
  Trainer t(m, splits(), out);
  std::vector<EpochStats> r = t.train(o);
  EXPECT_EQ(r.size(), 2u); // epochs 3 and 4
  EXPECT_EQ(state(t), want);
  EXPECT_EQ(logWithoutTimes(d / "part.csv"), logWithoutTimes(d / "full.csv"));
  // Superseded mid-epoch checkpoints were removed; the newest 3 epoch ones
  // (TrainOptions::keep's default) kept.
  EXPECT_EQ(listDirectory(d / "part"),
            (std::vector<std::string>{"epoch-0002.safetensors",
                                      "epoch-0003.safetensors",
                                      "epoch-0004.safetensors"}));
  // The checkpoint holds the same bits as the run's state.
  AlignedBuffer loaded(FAKE_STATE_BYTES);
  Metadata meta = loadCheckpoint(d / "part/epoch-0004.safetensors", "fake",
                                 fake_state_tensors, FAKE_NUM_STATE_TENSORS,
                                 FAKE_STATE_BYTES, loaded.data());
  EXPECT_EQ(std::memcmp(loaded.data(), want.data(), FAKE_STATE_BYTES), 0);
  EXPECT_EQ(meta["epoch"], "4");
  EXPECT_EQ(meta["global_step"], "20");
  EXPECT_EQ(meta["seed"], "7");

  // Resuming a finished run trains nothing more.
  Trainer done(m, splits(), out);
  EXPECT_TRUE(done.train(o).empty());
  EXPECT_EQ(state(done), want);
}

TEST(Trainer, ResumeRejectsAnotherRun) {
  Model m = fakeModel();
  TempDir d;
  TrainOptions o;
  o.progress = 0;
  o.epochs = 1;
  o.checkpointDir = d.path();
  std::ostringstream out;
  Trainer(m, splits(), out).train(o);
  o.resume = true;
  o.epochs = 2;
  o.seed = 1;
  o.seedGiven = true;
  EXPECT_DLRT_ERROR(Trainer(m, splits(), out).train(o), "epoch-0001.safetensors",
                    "trained with --seed 7, not 1");
  o.seedGiven = false;
  DataSplits other = splits();
  other.train.x.set(0, 42);
  EXPECT_DLRT_ERROR(Trainer(m, other, out).train(o), "different training data");
  EXPECT_DLRT_ERROR(Trainer(m, splits(26, 7), out).train(o), "different batch or data set size");
  o.checkpointDir = d / "missing";
  EXPECT_DLRT_ERROR(Trainer(m, splits(), out).train(o), "missing", "no such checkpoint directory");
  // A corrupt latest checkpoint is an error, not a silent restart.
  writeBytes(d / "epoch-0002.safetensors", "garbage!garbage!");
  o.checkpointDir = d.path();
  EXPECT_DLRT_ERROR(Trainer(m, splits(), out).train(o), "epoch-0002.safetensors");
}

TEST(Cli, HelpUsageAndErrors) {
  std::string out, err;
  EXPECT_EQ(runCli({"--help"}, &out), 0);
  EXPECT_NE(out.find("train"), std::string::npos);
  EXPECT_NE(out.find("predict"), std::string::npos);
  for (const char *cmd : {"train", "eval", "predict", "info"}) {
    EXPECT_EQ(runCli({cmd, "--help"}, &out), 0) << cmd;
    EXPECT_NE(out.find(std::string("Usage: fake-trainer ") + cmd), std::string::npos) << out;
  }
  EXPECT_EQ(runCli({"train", "--help"}, &out), 0);
  for (const char *opt : {"--epochs", "--data", "--checkpoint", "--resume",
                          "--seed", "--log", "--keep N"})
    EXPECT_NE(out.find(opt), std::string::npos) << opt;
  EXPECT_EQ(runCli({"predict", "--help"}, &out), 0);
  EXPECT_NE(out.find("--input FILE"), std::string::npos) << out;
  EXPECT_EQ(runCli({}, &out, &err), 2);
  EXPECT_EQ(runCli({"fly"}, &out, &err), 2);
  EXPECT_NE(err.find("unknown command 'fly'"), std::string::npos) << err;
  EXPECT_EQ(runCli({"train", "--epochs"}, &out, &err), 2);
  EXPECT_NE(err.find("--epochs needs a value"), std::string::npos) << err;
  EXPECT_EQ(runCli({"train", "--epochs", "zero"}, &out, &err), 2);
  EXPECT_EQ(runCli({"train", "--epochs=0"}, &out, &err), 2);
  EXPECT_EQ(runCli({"eval", "--resume"}, &out, &err), 2);
  EXPECT_NE(err.find("unknown option '--resume' for eval"), std::string::npos) << err;
  EXPECT_EQ(runCli({"train", "--data", "/nonexistent/dir"}, &out, &err), 1);
  EXPECT_NE(err.find("fake-trainer: error: /nonexistent/dir: no such directory"),
            std::string::npos)
      << err;
  EXPECT_EQ(runCli({"info"}, &out), 0);
  EXPECT_NE(out.find("steps_per_epoch: f32[] optimizer state"), std::string::npos) << out;
}

TEST(Cli, TrainEvalPredictOnCsv) {
  TempDir d;
  writeCsvData(d);
  std::string out, err;
  int rc = runCli({"train", "--data", d.path(), "--checkpoint", d / "ckpt", "--log",
                   d / "log.csv", "--epochs", "2"},
                  &out, &err);
  ASSERT_EQ(rc, 0) << err;
  EXPECT_NE(out.find("epoch 2/2"), std::string::npos) << out;
  // Not a terminal: plain lines, no carriage returns.
  EXPECT_EQ(out.find('\r'), std::string::npos);
  std::string last = out.substr(out.rfind("test accuracy: "));
  EXPECT_EQ(last, "test accuracy: 1.0000\n") << out;
  std::string log = readBytes(d / "log.csv");
  EXPECT_EQ(log.substr(0, log.find('\n')),
            "epoch,train_loss,train_acc,test_loss,test_acc,seconds");
  EXPECT_EQ(std::count(log.begin(), log.end(), '\n'), 3);

  EXPECT_EQ(runCli({"eval", "--data", d.path(), "--checkpoint", d / "ckpt"}, &out, &err), 0)
      << err;
  EXPECT_NE(out.find("epoch-0002.safetensors"), std::string::npos) << out;
  EXPECT_NE(out.find("test accuracy: 1.0000"), std::string::npos) << out;
  EXPECT_EQ(runCli({"predict", "--data", d.path(), "--checkpoint",
                    d / "ckpt/epoch-0001.safetensors", "--count", "5", "--output",
                    d / "p.npy"},
                   &out, &err),
            0)
      << err;
  EXPECT_NE(out.find("predicted"), std::string::npos) << out;
  EXPECT_NE(out.find("correct: "), std::string::npos) << out;
  EXPECT_EQ(loadNpy(d / "p.npy").shape, (Shape{5, 3}));

  EXPECT_EQ(runCli({"eval", "--data", d.path()}, &out, &err), 2);
  EXPECT_NE(err.find("needs --checkpoint"), std::string::npos) << err;
  TempDir empty;
  EXPECT_EQ(runCli({"eval", "--data", d.path(), "--checkpoint", empty.path()}, &out, &err), 1);
  EXPECT_NE(err.find("no checkpoint"), std::string::npos) << err;
  writeBytes(d / "bad.safetensors", std::string(8, '\0'));
  EXPECT_EQ(runCli({"eval", "--data", d.path(), "--checkpoint", d / "bad.safetensors"},
                   &out, &err),
            1);
  EXPECT_NE(err.find("bad.safetensors"), std::string::npos) << err;
}

TEST(Cli, KillAndResumeMatchesAnUninterruptedRun) {
  TempDir d;
  writeCsvData(d);
  std::string out, err;
  ASSERT_EQ(runCli({"train", "--data", d.path(), "--checkpoint", d / "a", "--log",
                    d / "a.csv", "--epochs", "3", "--seed", "5"},
                   &out, &err),
            0)
      << err;
  std::string full = out.substr(out.rfind("test accuracy"));
  ASSERT_EQ(runCli({"train", "--data", d.path(), "--checkpoint", d / "b", "--log",
                    d / "b.csv", "--epochs", "3", "--seed", "5", "--max-steps", "8",
                    "--checkpoint-every", "2"},
                   &out, &err),
            0)
      << err;
  EXPECT_EQ(out.find("test accuracy"), std::string::npos) << out;
  ASSERT_EQ(runCli({"train", "--data", d.path(), "--checkpoint", d / "b", "--log",
                    d / "b.csv", "--epochs", "3", "--resume"},
                   &out, &err),
            0)
      << err;
  EXPECT_NE(out.find("resumed from"), std::string::npos) << out;
  EXPECT_EQ(out.substr(out.rfind("test accuracy")), full);
  EXPECT_EQ(logWithoutTimes(d / "a.csv"), logWithoutTimes(d / "b.csv"));
  EXPECT_EQ(readBytes(d / "a/epoch-0003.safetensors").size(),
            readBytes(d / "b/epoch-0003.safetensors").size());
  SafeTensorsFile a = readSafetensors(d / "a/epoch-0003.safetensors");
  SafeTensorsFile b = readSafetensors(d / "b/epoch-0003.safetensors");
  ASSERT_EQ(a.tensors.size(), b.tensors.size());
  for (size_t i = 0; i < a.tensors.size(); ++i)
    EXPECT_EQ(std::memcmp(a.tensors[i].data, b.tensors[i].data, a.tensors[i].bytes), 0)
        << a.tensors[i].name;
}

TEST(Trainer, BindsALanguageModelToText) {
  // A character model: tokens i32[2, 8] in, logits f32[2, 8, 5] out.
  static const dlc_tensor_info args[] = {
      {"tokens", DLC_INPUT, DLC_I32, 2, {2, 8}, 0, 64, DLC_INIT_NONE, 0, 0},
      {"next", DLC_LABEL, DLC_I32, 2, {2, 8}, 0, 64, DLC_INIT_NONE, 0, 0},
      {"loss", DLC_LOSS, DLC_F32, 0, {0}, 0, 4, DLC_INIT_NONE, 0, 0},
      {"logits", DLC_OUTPUT, DLC_F32, 3, {2, 8, 5}, 0, 320, DLC_INIT_NONE, 0, 0},
  };
  Model m;
  m.name = "charlm";
  m.eval = Entry{[](void *const *) {}, args, 4, 0, "eval"};
  m.metrics = {Metric{"logits", "next", "argmax"}}; // accuracy(logits, next)
  TempDir d;
  std::string text;
  for (int i = 0; i < 200; ++i)
    text += "abcde"[i * 7 % 5];
  writeBytes(d / "corpus.txt", text);
  DataOptions o;
  o.textSeqLen = 8;
  o.textVocab = 5;
  DataSplits s = loadDataDir(d / "corpus.txt", o);
  Binding b = Trainer::bind(m, s.train);
  EXPECT_EQ(b.batch, 2);
  EXPECT_TRUE(b.primary()->argmax);
  EXPECT_EQ(b.primary()->classes, 5);
  EXPECT_EQ(b.primary()->positions, 8);
  EXPECT_FALSE(b.feeds[1].oneHot);
  std::ostringstream out;
  Trainer t(m, s, out);
  EvalStats e = t.evaluate(t.data().test);
  EXPECT_EQ(e.metrics[0].predictions, t.data().test.size() * 8);
}

//===----------------------------------------------------------------------===//
// Metrics: the threshold, and models without one
//===----------------------------------------------------------------------===//

TEST(Metric, ThresholdIsTheModels) {
  std::ostringstream out;
  Model m = marginModel();
  Trainer t(m, marginData(), out);
  EXPECT_FALSE(t.binding().primary()->argmax);
  EXPECT_EQ(t.binding().primary()->threshold, 0.0);
  // Threshold 0: the sign of tanh(x) is the target's.
  EvalStats s = t.evaluate(t.data().test);
  EXPECT_EQ(s.metrics[0].correct, 8);
  EXPECT_EQ(s.accuracy(), 1.0);
  // Other thresholds count other examples: tanh(0.2) = 0.197,
  // tanh(0.3) = 0.291, tanh(0.1) = 0.0997, tanh(0.9) = 0.716.
  m.metrics[0].threshold = 0.25;
  EXPECT_EQ(Trainer(m, marginData(), out).evaluate(marginData().test).metrics[0].correct,
            6);
  m.metrics[0].threshold = 0.5;
  EXPECT_EQ(Trainer(m, marginData(), out).evaluate(marginData().test).metrics[0].correct,
            5);
  // The default is the language's (0.5).
  EXPECT_EQ(Metric().threshold, 0.5);
  m.metrics[0].threshold = std::nan("");
  EXPECT_DLRT_ERROR(Trainer(m, marginData(), out),
                    "metric threshold nan is not a finite number");
}

TEST(Metric, ThresholdInTheCli) {
  TempDir d;
  writeBytes(d / "train.csv", "x,label\n0.2,1\n-0.2,-1\n0.3,1\n-0.4,-1\n");
  writeBytes(d / "test.csv",
             "x,label\n0.1,1\n-0.1,-1\n0.9,1\n-0.9,-1\n0.3,1\n");
  saveCheckpoint(d / "empty.safetensors", "margin", nullptr, 0, 0, nullptr);
  std::string out, err;
  ASSERT_EQ(runCli(marginModel(),
                   {"eval", "--data", d.path(), "--checkpoint",
                    d / "empty.safetensors"},
                   &out, &err),
            0)
      << err;
  EXPECT_NE(out.find("test accuracy: 1.0000"), std::string::npos) << out;
  ASSERT_EQ(runCli(marginModel(),
                   {"predict", "--data", d.path(), "--checkpoint",
                    d / "empty.safetensors"},
                   &out, &err),
            0)
      << err;
  EXPECT_NE(out.find("output 0.0997 -> 1  label 1\n"), std::string::npos)
      << out;
  EXPECT_NE(out.find("output -0.0997 -> 0  label -1\n"), std::string::npos)
      << out;
  EXPECT_NE(out.find("correct: 5 of 5"), std::string::npos) << out;
  ASSERT_EQ(runCli(marginModel(), {"info"}, &out, &err), 0) << err;
  EXPECT_NE(out.find("metric: accuracy of 'z' > 0 against 't' > 0\n"),
            std::string::npos)
      << out;
}

TEST(Metric, NoneDeclaredMeansNoAccuracy) {
  Model m = fakeModelWithoutMetric();
  std::ostringstream out;
  Trainer t(m, splits(), out);
  EXPECT_FALSE(t.binding().hasMetric());
  EXPECT_EQ(t.binding().output, "logits"); // predictions still use it
  TrainOptions o;
  o.progress = 0;
  std::vector<EpochStats> r = t.train(o);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_TRUE(std::isnan(r.back().trainAccuracy()));
  EXPECT_TRUE(std::isnan(r.back().testAccuracy()));
  EXPECT_FALSE(std::isnan(r.back().testLoss));
  EXPECT_EQ(out.str().find("acc"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("epoch 3/3  train loss "), std::string::npos)
      << out.str();
  EvalStats e = t.evaluate(t.data().test);
  EXPECT_TRUE(std::isnan(e.accuracy()));
  EXPECT_TRUE(e.metrics.empty());
  // A metric naming what the model lacks is an error, not a silent default.
  Model wrong = fakeModel();
  wrong.metrics[0].output = "probs";
  EXPECT_DLRT_ERROR(
      Trainer(wrong, splits(), out),
      "the metric's output 'probs' is not an output of train_step");
  wrong = fakeModel();
  wrong.metrics[0].label = "logits";
  EXPECT_DLRT_ERROR(Trainer(wrong, splits(), out),
                    "with 'logits', which is not a label");
}

TEST(Metric, NoneDeclaredInTheCli) {
  TempDir d;
  writeCsvData(d);
  Model m = fakeModelWithoutMetric();
  std::string out, err;
  ASSERT_EQ(runCli(m,
                   {"train", "--data", d.path(), "--checkpoint", d / "ckpt",
                    "--log", d / "log.csv", "--epochs", "2"},
                   &out, &err),
            0)
      << err;
  EXPECT_EQ(out.find("acc"), std::string::npos) << out;
  EXPECT_EQ(out.substr(out.rfind('\n', out.size() - 2) + 1, 11), "test loss: ")
      << out;
  std::string log = readBytes(d / "log.csv");
  EXPECT_EQ(log.substr(0, log.find('\n')),
            "epoch,train_loss,test_loss,seconds");
  EXPECT_EQ(std::count(log.begin(), log.end(), ','), 3 * 3) << log;
  // Resuming keeps and checks this log.
  ASSERT_EQ(runCli(m,
                   {"train", "--data", d.path(), "--checkpoint", d / "ckpt",
                    "--log", d / "log.csv", "--epochs", "3", "--resume"},
                   &out, &err),
            0)
      << err;
  log = readBytes(d / "log.csv");
  EXPECT_EQ(std::count(log.begin(), log.end(), '\n'), 4) << log;
  EXPECT_EQ(log.find("acc"), std::string::npos) << log;

  ASSERT_EQ(runCli(m, {"eval", "--data", d.path(), "--checkpoint", d / "ckpt"},
                   &out, &err),
            0)
      << err;
  EXPECT_NE(out.find("test loss: "), std::string::npos) << out;
  EXPECT_EQ(out.find("accuracy"), std::string::npos) << out;
  ASSERT_EQ(runCli(m,
                   {"predict", "--data", d.path(), "--checkpoint", d / "ckpt",
                    "--count", "3"},
                   &out, &err),
            0)
      << err;
  EXPECT_EQ(out.find("correct"), std::string::npos) << out;
  EXPECT_EQ(out.find("predicted"), std::string::npos) << out;
  EXPECT_NE(out.find("     2  output "), std::string::npos) << out;
  ASSERT_EQ(runCli(m, {"info"}, &out, &err), 0);
  EXPECT_NE(out.find("metrics: none"), std::string::npos) << out;
  ASSERT_EQ(runCli({"info"}, &out, &err), 0);
  EXPECT_NE(out.find("metric: accuracy of the arg-max of 'logits' against 'y'"),
            std::string::npos)
      << out;
}

//===----------------------------------------------------------------------===//
// predict --input: inputs without labels
//===----------------------------------------------------------------------===//

TEST(Predict, InputsWithoutLabelsOrSplits) {
  Model m = fakeModel();
  DataSplits s = splits(22, 7);
  std::ostringstream out;
  Trainer labelled(m, s, out);
  labelled.session().initialize(3);
  Dataset inputs;
  inputs.name = "inputs";
  inputs.x = s.test.x;
  Trainer t(m, inputs, out);
  EXPECT_EQ(t.binding().batch, 4);
  EXPECT_TRUE(t.binding().hasMetric());
  t.session().initialize(3);
  EXPECT_EQ(t.predict(inputs, 7), labelled.predict(s.test, 7));
  EXPECT_DLRT_ERROR(t.evaluate(inputs), "inputs",
                    "has no labels to evaluate against");
  EXPECT_DLRT_ERROR(t.train(TrainOptions{}), "no labelled train split");
  // Inputs that do not fit.
  Dataset wide = inputs;
  wide.x = Array(DType::F32, {5, 4});
  EXPECT_DLRT_ERROR(Trainer(m, wide, out), "takes 3 values per example");
  // Without forward, eval would need labels.
  Model evalOnly = m;
  evalOnly.forward = Entry{};
  Trainer e(evalOnly, inputs, out);
  EXPECT_DLRT_ERROR(e.predict(inputs, 7), "inputs", "has no labels",
                    "has no forward entry point");
}

TEST(Predict, InputFileInTheCli) {
  TempDir d;
  writeCsvData(d);
  std::string out, err;
  ASSERT_EQ(runCli({"train", "--data", d.path(), "--checkpoint", d / "ckpt",
                    "--epochs", "2"},
                   &out, &err),
            0)
      << err;
  // The test rows without their labels and header: the same predictions.
  DataSplits s = splits();
  std::string rows;
  for (int64_t i = 0; i < s.test.size(); ++i) {
    char buf[128];
    std::snprintf(buf, sizeof buf, "%.9g,%.9g,%.9g\n", s.test.x.at(i * 3),
                  s.test.x.at(i * 3 + 1), s.test.x.at(i * 3 + 2));
    rows += buf;
  }
  writeBytes(d / "in.csv", rows);
  ASSERT_EQ(runCli({"predict", "--checkpoint", d / "ckpt", "--input",
                    d / "in.csv", "--output", d / "p.csv"},
                   &out, &err),
            0)
      << err;
  std::string want = "index,prediction\n";
  for (int64_t i = 0; i < s.test.size(); ++i) {
    std::string line = "     " + std::to_string(i) + "  predicted " +
                       std::to_string(int(s.test.y.at(i))) + "\n";
    EXPECT_NE(out.find(line), std::string::npos) << line << out;
    want +=
        std::to_string(i) + "," + std::to_string(int(s.test.y.at(i))) + "\n";
  }
  EXPECT_EQ(out.find("label"), std::string::npos) << out;
  EXPECT_EQ(readBytes(d / "p.csv"),
            want); // test accuracy is 1: labels = predictions
  // .npy: the outputs, as for the test split.
  ASSERT_EQ(runCli({"predict", "--checkpoint", d / "ckpt", "--input",
                    d / "in.csv", "--count", "3", "--output", d / "in.npy"},
                   &out, &err),
            0)
      << err;
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1 + 1 + 3)
      << out; // checkpoint, inputs
  ASSERT_EQ(runCli({"predict", "--data", d.path(), "--checkpoint", d / "ckpt",
                    "--count", "3", "--output", d / "test.npy"},
                   &out, &err),
            0)
      << err;
  EXPECT_EQ(readBytes(d / "in.npy"), readBytes(d / "test.npy"));
  EXPECT_EQ(runCli({"predict", "--checkpoint", d / "ckpt", "--input",
                    d / "in.csv", "--data", d.path()},
                   &out, &err),
            2);
  EXPECT_NE(err.find("not both"), std::string::npos) << err;
  EXPECT_EQ(
      runCli({"predict", "--checkpoint", d / "ckpt", "--input", d / "nope.csv"},
             &out, &err),
      1);
  EXPECT_NE(err.find("nope.csv"), std::string::npos) << err;
  EXPECT_EQ(runCli({"predict", "--input", d / "in.csv"}, &out, &err), 2);
  EXPECT_NE(err.find("needs --checkpoint"), std::string::npos) << err;
}

//===----------------------------------------------------------------------===//
// --keep: how many checkpoints stay
//===----------------------------------------------------------------------===//

TEST(Keep, TheNewestCheckpointsOfTheRunStay) {
  Model m = fakeModel();
  TempDir d;
  std::ostringstream out;
  TrainOptions o;
  o.progress = 0;
  o.epochs = 6;
  EXPECT_EQ(o.keep, 3); // the default
  o.keep = 2;
  o.checkpointDir = d / "a";
  Trainer(m, splits(), out).train(o);
  EXPECT_EQ(listDirectory(d / "a"),
            (std::vector<std::string>{"epoch-0005.safetensors",
                                      "epoch-0006.safetensors"}));
  o.keep = 0;
  o.checkpointDir = d / "all";
  Trainer(m, splits(), out).train(o);
  EXPECT_EQ(listDirectory(d / "all").size(), 6u);
}

TEST(Keep, ResumeAndOthersFilesAreSafe) {
  Model m = fakeModel();
  TempDir d;
  std::ostringstream out;
  TrainOptions o;
  o.progress = 0;
  o.epochs = 4;
  o.checkpointDir = d / "full";
  o.keep = 1;
  Trainer full(m, splits(), out);
  full.train(o);
  std::string want = state(full);

  // Files that are not this run's: notes, a garbage file and another run's
  // checkpoint under checkpoint names, a copy.
  o.checkpointDir = d / "part";
  makeDirectories(o.checkpointDir);
  writeBytes(d / "part/notes.txt", "mine");
  writeBytes(d / "part/epoch-0000-step-000001.safetensors", "garbage!");
  TrainOptions other = o;
  other.seed = 11;
  other.seedGiven = true;
  other.epochs = 1;
  other.checkpointDir = d / "other";
  Trainer(m, splits(), out).train(other);
  std::rename((d / "other/epoch-0001.safetensors").c_str(),
              (d / "part/epoch-0000.safetensors").c_str());
  // 5 steps per epoch, a checkpoint every step; stop in epoch 3 after step 3.
  o.keep = 2;
  o.checkpointEvery = 1;
  o.maxSteps = 13;
  Trainer(m, splits(), out).train(o);
  std::vector<std::string> mine = {"epoch-0001.safetensors",
                                   "epoch-0002.safetensors",
                                   "epoch-0003-step-000002.safetensors",
                                   "epoch-0003-step-000003.safetensors"};
  std::vector<std::string> others = {"epoch-0000-step-000001.safetensors",
                                     "epoch-0000.safetensors", "notes.txt"};
  auto with = [&](std::vector<std::string> a) {
    a.insert(a.end(), others.begin(), others.end());
    std::sort(a.begin(), a.end());
    return a;
  };
  EXPECT_EQ(listDirectory(d / "part"), with(mine));
  // Resume from the newest, in a new process: older files of the run
  // (written by the previous one) go too; the result is the full run's.
  o.resume = true;
  o.maxSteps = 0;
  o.keep = 1;
  Trainer t(m, splits(), out);
  t.train(o);
  EXPECT_NE(out.str().find("epoch-0003-step-000003.safetensors"),
            std::string::npos);
  EXPECT_EQ(state(t), want);
  EXPECT_EQ(listDirectory(d / "part"), with({"epoch-0004.safetensors"}));
}

TEST(Keep, CliFlag) {
  TempDir d;
  writeCsvData(d);
  std::string out, err;
  ASSERT_EQ(runCli({"train", "--data", d.path(), "--checkpoint", d / "c",
                    "--epochs", "5"},
                   &out, &err),
            0)
      << err;
  EXPECT_EQ(listDirectory(d / "c"),
            (std::vector<std::string>{"epoch-0003.safetensors",
                                      "epoch-0004.safetensors",
                                      "epoch-0005.safetensors"}));
  ASSERT_EQ(runCli({"train", "--data", d.path(), "--checkpoint", d / "all",
                    "--epochs", "5", "--keep", "all"},
                   &out, &err),
            0)
      << err;
  EXPECT_EQ(listDirectory(d / "all").size(), 5u);
  ASSERT_EQ(runCli({"train", "--data", d.path(), "--checkpoint", d / "one",
                    "--epochs", "5", "--keep=1"},
                   &out, &err),
            0)
      << err;
  EXPECT_EQ(listDirectory(d / "one"),
            (std::vector<std::string>{"epoch-0005.safetensors"}));
  for (const char *bad : {"-1", "some", ""}) {
    EXPECT_EQ(runCli({"train", "--data", d.path(), "--checkpoint", d / "c",
                      "--keep", bad},
                     &out, &err),
              2)
        << bad;
    EXPECT_NE(err.find("--keep needs a number of checkpoints, or 0 or 'all'"),
              std::string::npos)
        << err;
  }
  EXPECT_EQ(runCli({"train", "--data", d.path(), "--keep", "2"}, &out, &err),
            2);
  EXPECT_NE(err.find("--keep needs --checkpoint DIR"), std::string::npos)
      << err;
  EXPECT_EQ(runCli({"eval", "--keep", "2"}, &out, &err), 2);
  EXPECT_NE(err.find("unknown option '--keep' for eval"), std::string::npos)
      << err;
}
