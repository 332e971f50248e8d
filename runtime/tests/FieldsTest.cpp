//===- FieldsTest.cpp - several inputs, labels and metrics; named fields --===//
//
// A hand-written "pair" model with two inputs and two labels, bound to data
// sets of named fields: binding by name, the errors of a data set that does
// not fit, two metrics (one with ignore_index), their reports (train lines,
// the CSV log, checkpoints and resume), and the CLI on the "bert" data set
// (the one data set of fields the CLI loads) with a bert-shaped model.
//
//===----------------------------------------------------------------------===//
#include "CliTestUtil.h"
#include "TestUtil.h"

#include "dlrt/checkpoint.h"
#include "dlrt/io.h"
#include "dlrt/model.h"
#include "dlrt/random.h"
#include "dlrt/trainer.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <sstream>

using namespace dlrt;
using namespace dlrt::test;

namespace {

//===----------------------------------------------------------------------===//
// The "pair" model
//===----------------------------------------------------------------------===//
//
// Batch 4, T = 3 positions, 5 tag classes, 2 example classes; no parameters.
//   tag_logits[b, t, :] = one-hot of ids[b, t] mod 5 (argmax = ids mod 5)
//   cls_logits[b, :]    = [0, S_b], S_b = sum_t w[b, t] (argmax 1 iff S_b > 0)
//   loss                = mean_b (S_b - cls[b])^2
// train_step also counts its calls in the state tensor "seen".

constexpr int kB = 4, kT = 3, kTags = 5, kCls = 2;

const dlc_tensor_info kPairState[] = {
    {"seen", DLC_OPT_STATE, DLC_F32, 0, {0}, 0, 4, DLC_INIT_NONE, 0, 0},
};
/// The arguments of train_step and eval alike.
const dlc_tensor_info kPairTrainArgs[] = {
    {"ids", DLC_INPUT, DLC_I32, 2, {kB, kT}, 0, 48, DLC_INIT_NONE, 0, 0},
    {"w", DLC_INPUT, DLC_F32, 2, {kB, kT}, 0, 48, DLC_INIT_NONE, 0, 0},
    {"tags", DLC_LABEL, DLC_I32, 2, {kB, kT}, 0, 48, DLC_INIT_NONE, 0, 0},
    {"cls", DLC_LABEL, DLC_I32, 1, {kB}, 0, 16, DLC_INIT_NONE, 0, 0},
    {"loss", DLC_LOSS, DLC_F32, 0, {0}, 0, 4, DLC_INIT_NONE, 0, 0},
    {"tag_logits", DLC_OUTPUT, DLC_F32, 3, {kB, kT, kTags}, 0, 240, DLC_INIT_NONE, 0, 0},
    {"cls_logits", DLC_OUTPUT, DLC_F32, 2, {kB, kCls}, 0, 32, DLC_INIT_NONE, 0, 0},
};
const dlc_tensor_info kPairForwardArgs[] = {
    {"ids", DLC_INPUT, DLC_I32, 2, {kB, kT}, 0, 48, DLC_INIT_NONE, 0, 0},
    {"w", DLC_INPUT, DLC_F32, 2, {kB, kT}, 0, 48, DLC_INIT_NONE, 0, 0},
    {"tag_logits", DLC_OUTPUT, DLC_F32, 3, {kB, kT, kTags}, 0, 240, DLC_INIT_NONE, 0, 0},
    {"cls_logits", DLC_OUTPUT, DLC_F32, 2, {kB, kCls}, 0, 32, DLC_INIT_NONE, 0, 0},
};

int mod5(int64_t v) { return int(((v % kTags) + kTags) % kTags); }

void pairLogits(const int32_t *ids, const float *w, float *tags, float *cls) {
  for (int b = 0; b < kB; ++b) {
    float s = 0;
    for (int t = 0; t < kT; ++t) {
      s += w[b * kT + t];
      for (int c = 0; c < kTags; ++c)
        tags[(b * kT + t) * kTags + c] = c == mod5(ids[b * kT + t]) ? 1.f : 0.f;
    }
    cls[b * kCls] = 0;
    cls[b * kCls + 1] = s;
  }
}

float pairLoss(const float *w, const int32_t *cls) {
  double total = 0;
  for (int b = 0; b < kB; ++b) {
    double s = 0;
    for (int t = 0; t < kT; ++t)
      s += w[b * kT + t];
    total += (s - cls[b]) * (s - cls[b]);
  }
  return float(total / kB);
}

// [state, ids, w, tags, cls, loss, tag_logits, cls_logits, workspace]
void pairEval(void *const *a) {
  const int32_t *ids = static_cast<const int32_t *>(a[1]);
  const float *w = static_cast<const float *>(a[2]);
  const int32_t *cls = static_cast<const int32_t *>(a[4]);
  pairLogits(ids, w, static_cast<float *>(a[6]), static_cast<float *>(a[7]));
  *static_cast<float *>(a[5]) = pairLoss(w, cls);
}

void pairTrainStep(void *const *a) {
  pairEval(a);
  *static_cast<float *>(a[0]) += 1;
}

// [state, ids, w, tag_logits, cls_logits, workspace]
void pairForward(void *const *a) {
  pairLogits(static_cast<const int32_t *>(a[1]), static_cast<const float *>(a[2]),
             static_cast<float *>(a[3]), static_cast<float *>(a[4]));
}

Model pairModel() {
  Model m;
  m.name = "pair";
  m.stateBytes = 4;
  m.stateTensors = kPairState;
  m.numStateTensors = 1;
  m.trainStep = Entry{&pairTrainStep, kPairTrainArgs, 7, 0, "train_step"};
  m.eval = Entry{&pairEval, kPairTrainArgs, 7, 0, "eval"};
  m.forward = Entry{&pairForward, kPairForwardArgs, 4, 0, "forward"};
  m.seed = 5;
  m.metrics = {Metric{"tag_logits", "tags", "argmax", 0.5, true, -100},
               Metric{"cls_logits", "cls", "argmax", 0.5, false, 0}};
  return m;
}

//===----------------------------------------------------------------------===//
// Data
//===----------------------------------------------------------------------===//

Field field(const std::string &name, DType t, Shape shape,
            const std::vector<double> &values) {
  Field f{name, Array(t, std::move(shape))};
  EXPECT_EQ(int64_t(values.size()), f.data.numel()) << name;
  for (size_t i = 0; i < values.size() && int64_t(i) < f.data.numel(); ++i)
    f.data.set(int64_t(i), values[i]);
  return f;
}

constexpr double X = -100; // ignored

/// Six held-out examples, fields in an order of their own (labels first,
/// an extra field the model does not read in between):
///   ex  ids         %5      tags          right/seen   w                S     pred cls
///   0   0  6 12     0 1 2   0  1  3       2/3          .5   .5  -.25   .75    1    1
///   1   3  9  4     3 4 4   3  X  4       2/2          -1  .25   .25   -.5    0    1
///   2   5  7 13     0 2 3   X  X  X       0/0          0    0    0     0      0    0
///   3   1  1  1     1 1 1   1  2  X       1/2          2   -1   .5     1.5    1    0
///   4  10 11 14     0 1 4   0  1  4       3/3          -.5 -.5  .5     -.5    0    0
///   5   2  8 20     2 3 0   4  3  0       2/3          .25 .25  .25    .75    1    1
/// tags: 10 right of 13 predictions (5 positions ignored); cls: 4 of 6.
/// Loss per example (S - cls)^2: 1/16, 9/4, 0, 9/4, 1/4, 1/16: mean 0.8125.
Dataset pairTest() {
  Dataset d;
  d.name = "pair-test";
  d.fields.push_back(field("cls", DType::I64, {6}, {1, 1, 0, 0, 0, 1}));
  d.fields.push_back(field("tags", DType::I32, {6, 3},
                           {0, 1, 3, 3, X, 4, X, X, X, 1, 2, X, 0, 1, 4, 4, 3, 0}));
  d.fields.push_back(field("extra", DType::F32, {6, 2}, std::vector<double>(12, 7)));
  d.fields.push_back(field("w", DType::F32, {6, 3},
                           {0.5, 0.5, -0.25, -1, 0.25, 0.25, 0, 0, 0, 2, -1, 0.5,
                            -0.5, -0.5, 0.5, 0.25, 0.25, 0.25}));
  d.fields.push_back(field("ids", DType::I64, {6, 3},
                           {0, 6, 12, 3, 9, 4, 5, 7, 13, 1, 1, 1, 10, 11, 14, 2, 8, 20}));
  return d;
}

/// N generated examples (ignored tags among them), fields in the order of
/// pairTest().
Dataset pairTrain(int64_t n = 10) {
  std::vector<double> ids, w, tags, cls, extra;
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t t = 0; t < kT; ++t) {
      ids.push_back(double((i * 7 + t * 3) % 13));
      w.push_back(double((i + 2 * t) % 5 - 2) * 0.25);
      tags.push_back((i + t) % 4 == 0 ? X : double((i * 3 + t) % 5));
    }
    cls.push_back(i % 3 == 0 ? 1 : 0);
    extra.push_back(0);
    extra.push_back(1);
  }
  Dataset d;
  d.name = "pair-train";
  d.fields.push_back(field("cls", DType::I64, {n}, cls));
  d.fields.push_back(field("tags", DType::I32, {n, 3}, tags));
  d.fields.push_back(field("extra", DType::F32, {n, 2}, extra));
  d.fields.push_back(field("w", DType::F32, {n, 3}, w));
  d.fields.push_back(field("ids", DType::I64, {n, 3}, ids));
  return d;
}

DataSplits pairSplits(int64_t n = 10) {
  DataSplits s;
  s.format = "test";
  s.train = pairTrain(n);
  s.test = pairTest();
  return s;
}

Field *fieldOf(Dataset &d, const std::string &name) {
  for (Field &f : d.fields)
    if (f.name == name)
      return &f;
  return nullptr;
}

/// Example I's counts, computed from the data alone.
struct Counts {
  int64_t tagRight = 0, tagSeen = 0, clsRight = 0, clsSeen = 0;
  double loss = 0; // (S - cls)^2
  Counts &operator+=(const Counts &o) {
    tagRight += o.tagRight;
    tagSeen += o.tagSeen;
    clsRight += o.clsRight;
    clsSeen += o.clsSeen;
    loss += o.loss;
    return *this;
  }
};

Counts countsOf(const Dataset &d, int64_t i) {
  const Array &ids = d.field("ids")->data, &w = d.field("w")->data,
              &tags = d.field("tags")->data, &cls = d.field("cls")->data;
  Counts c;
  double s = 0;
  for (int64_t t = 0; t < kT; ++t) {
    s += w.at(i * kT + t);
    int64_t tag = int64_t(tags.at(i * kT + t));
    if (tag == -100)
      continue;
    ++c.tagSeen;
    c.tagRight += tag == mod5(int64_t(ids.at(i * kT + t)));
  }
  c.clsSeen = 1;
  c.clsRight = int64_t(cls.at(i)) == (s > 0 ? 1 : 0);
  c.loss = (s - cls.at(i)) * (s - cls.at(i));
  return c;
}

/// The counts of steps [FIRST, LAST) of epoch EPOCH (0-based) and the sum of
/// the steps' mean losses.
Counts epochCounts(const Dataset &d, uint64_t seed, int64_t epoch,
                   int64_t first, int64_t last, double *lossSum = nullptr) {
  std::vector<int64_t> perm = epochPermutation(d.size(), seed, epoch);
  Counts c;
  double losses = 0;
  for (int64_t step = first; step < last; ++step) {
    Counts batch;
    for (int64_t r = 0; r < kB; ++r)
      batch += countsOf(d, perm[size_t(step * kB + r)]);
    losses += batch.loss / kB;
    c += batch;
  }
  if (lossSum)
    *lossSum = losses;
  return c;
}


float seen(Trainer &t) { return *static_cast<float *>(t.session().state()); }

} // namespace

//===----------------------------------------------------------------------===//
// 1. Binding by name
//===----------------------------------------------------------------------===//

TEST(Fields, BindByName) {
  Model m = pairModel();
  Binding b = Trainer::bind(m, pairTrain());
  // Inputs, then labels, each fed from the field of its name (the data
  // set's order is cls, tags, extra, w, ids).
  ASSERT_EQ(b.feeds.size(), 4u);
  const char *names[] = {"ids", "w", "tags", "cls"};
  const Dataset train = pairTrain();
  const bool labels[] = {false, false, true, true};
  const int64_t per[] = {3, 3, 3, 1};
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(b.feeds[i].name, names[i]) << i;
    EXPECT_EQ(&feedData(train, b.feeds[i]), &train.field(names[i])->data) << i;
    EXPECT_EQ(b.feeds[i].label, labels[i]) << i;
    EXPECT_EQ(b.feeds[i].perExample, per[i]) << i;
    EXPECT_EQ(feedPerExample(train, b.feeds[i]), per[i]) << i;
    EXPECT_FALSE(b.feeds[i].oneHot) << i;
    EXPECT_EQ(b.feed(names[i]), &b.feeds[i]);
  }
  EXPECT_EQ(b.feed("extra"), nullptr);
  EXPECT_EQ(b.batch, 4);
  // Argument indices per entry point; forward takes no labels.
  EXPECT_EQ(b.train.feeds, (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(b.eval.feeds, (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(b.forward.feeds, (std::vector<int>{0, 1, -1, -1}));
  EXPECT_EQ(b.train.outputs, (std::vector<int>{5, 6}));
  EXPECT_EQ(b.forward.outputs, (std::vector<int>{2, 3}));
  EXPECT_EQ(b.train.loss, 4);
  EXPECT_EQ(b.forward.loss, -1);
  EXPECT_EQ(b.output, "tag_logits");
  EXPECT_EQ(b.eval.output, 5);
  // The metrics.
  ASSERT_EQ(b.metrics.size(), 2u);
  const MetricBinding &tags = b.metrics[0], &cls = b.metrics[1];
  EXPECT_EQ(b.primary(), &b.metrics[0]);
  EXPECT_EQ(tags.label, "tags");
  EXPECT_EQ(tags.feed, 2);
  EXPECT_TRUE(tags.argmax);
  EXPECT_FALSE(tags.sequence);
  EXPECT_EQ(tags.classes, 5);
  EXPECT_EQ(tags.positions, 3);
  EXPECT_EQ(tags.outputPerExample, 15);
  EXPECT_TRUE(tags.ignores);
  EXPECT_EQ(tags.ignoreIndex, -100);
  EXPECT_EQ(cls.label, "cls");
  EXPECT_EQ(cls.feed, 3);
  EXPECT_EQ(cls.classes, 2);
  EXPECT_EQ(cls.positions, 1);
  EXPECT_FALSE(cls.ignores);
  // feedData: each argument's own field.
  Dataset d = pairTrain();
  EXPECT_EQ(&feedData(d, b.feeds[0]), &d.fields[4].data);
  EXPECT_EQ(&feedData(d, b.feeds[3]), &d.fields[0].data);
}

TEST(Fields, GatherFillsEachArgumentFromItsField) {
  std::ostringstream out;
  Model m = pairModel();
  Trainer t(m, pairSplits(), out);
  // Examples 2..5 of the test split: one full batch (after a padded batch,
  // evaluate() reruns a batch of its first example alone, for the loss).
  Dataset d = pairTest();
  for (Field &f : d.fields) {
    Shape shape = f.data.shape;
    shape[0] = 4;
    Array a(f.data.dtype, shape);
    int64_t per = f.data.numel() / 6;
    for (int64_t i = 0; i < 4 * per; ++i)
      a.set(i, f.data.at(2 * per + i));
    f.data = a;
  }
  EvalStats s = t.evaluate(d);
  EXPECT_EQ(s.examples, 4);
  EXPECT_EQ(s.metrics[0].correct, 6);     // 0/0, 1/2, 3/3, 2/3
  EXPECT_EQ(s.metrics[0].predictions, 8);
  EXPECT_EQ(s.metrics[1].correct, 3);     // 2, 4, 5
  const Entry &e = m.eval;
  TensorView ids = t.session().arg(e, 0), w = t.session().arg(e, 1),
             tags = t.session().arg(e, 2), cls = t.session().arg(e, 3);
  EXPECT_EQ(ids.dtype, DType::I32);
  for (int r = 0; r < kB; ++r) {
    for (int k = 0; k < kT; ++k) {
      EXPECT_EQ(ids.at(r * kT + k), d.field("ids")->data.at(r * kT + k)) << r;
      EXPECT_EQ(w.at(r * kT + k), d.field("w")->data.at(r * kT + k)) << r;
      EXPECT_EQ(tags.at(r * kT + k), d.field("tags")->data.at(r * kT + k)) << r;
    }
    EXPECT_EQ(cls.at(r), d.field("cls")->data.at(r)) << r;
  }
  // Spelled out: example 4's ids 10 11 14, w -.5 -.5 .5, tags 0 1 4, cls 0.
  EXPECT_EQ(ids.at(2 * kT + 2), 14);
  EXPECT_EQ(w.at(2 * kT + 2), 0.5);
  EXPECT_EQ(tags.at(1 * kT + 2), -100);
  EXPECT_EQ(cls.at(3), 1);
  // The outputs were computed from them: mod 5, 0 1 4.
  TensorView logits = t.session().arg(e, 5);
  EXPECT_EQ(logits.at((2 * kT + 0) * kTags + 0), 1);
  EXPECT_EQ(logits.at((2 * kT + 1) * kTags + 1), 1);
  EXPECT_EQ(logits.at((2 * kT + 2) * kTags + 4), 1);
  EXPECT_EQ(logits.at((2 * kT + 2) * kTags + 3), 0);
  TensorView clsLogits = t.session().arg(e, 6);
  EXPECT_EQ(clsLogits.at(1 * kCls + 1), 1.5f); // example 3's S
}

TEST(Fields, FieldOrderDoesNotMatter) {
  // The same examples with the fields in another order (and another of the
  // argument order) give the same results.
  std::ostringstream out;
  Model m = pairModel();
  DataSplits a = pairSplits(), b = pairSplits();
  for (Dataset *d : {&b.train, &b.test})
    std::reverse(d->fields.begin(), d->fields.end());
  Trainer ta(m, a, out), tb(m, b, out);
  EXPECT_EQ(&feedData(b.test, tb.binding().feeds[0]), &b.test.fields[0].data); // ids first now
  EXPECT_EQ(&feedData(b.test, tb.binding().feeds[3]), &b.test.fields[4].data);
  EvalStats sa = ta.evaluate(a.test), sb = tb.evaluate(b.test);
  EXPECT_EQ(sb.metrics[0].correct, sa.metrics[0].correct);
  EXPECT_EQ(sb.metrics[1].correct, sa.metrics[1].correct);
  EXPECT_EQ(sb.loss, sa.loss);
  EXPECT_EQ(sb.metrics[0].correct, 10);
}

/// The hand counts of pairTest(): 10 of 13 tags (5 ignored), 4 of 6 cls.
void expectPairTestCounts(const EvalStats &st) {
  EXPECT_EQ(st.metrics[0].correct, 10);
  EXPECT_EQ(st.metrics[0].predictions, 13);
  EXPECT_EQ(st.metrics[1].correct, 4);
  EXPECT_EQ(st.loss, 0.8125);
}

// Each data set is read by field name: a test split whose fields are in
// another order than the train split's is read right.
TEST(Fields, TestSplitInAnotherFieldOrderThanTrain) {
  // The train split's fields in one order, the test split's in another:
  // each split binds by its own names. (ids and tags have the same shape,
  // so a mix-up would feed the tags as ids and vice versa.)
  std::ostringstream out;
  Model m = pairModel();
  DataSplits s = pairSplits();
  std::swap(*fieldOf(s.test, "ids"), *fieldOf(s.test, "tags"));
  ASSERT_EQ(s.test.fields[1].name, "ids");
  ASSERT_EQ(s.train.fields[1].name, "tags");
  EvalStats st;
  try {
    Trainer t(m, s, out);
    st = t.evaluate(t.data().test);
  } catch (const Error &e) {
    FAIL() << "a test split whose fields are in another order than the "
              "train split's is refused: "
           << e.what();
  }
  expectPairTestCounts(st);
}

// evaluate(DS) looks DS's fields up by name too (a mix-up would count
// wrong, or read past a smaller field).
TEST(Fields, EvaluateAnotherDataSetInAnotherFieldOrder) {
  // evaluate() of a data set that is not one of the splits, whose fields
  // are in another order than the train split's.
  std::ostringstream out;
  Model m = pairModel();
  Trainer t(m, pairSplits(), out);
  // (ids and tags swapped: fields of the same shape, so that a mix-up
  // reads inside the arrays.)
  Dataset other = pairTest();
  std::swap(*fieldOf(other, "ids"), *fieldOf(other, "tags"));
  EvalStats st;
  try {
    st = t.evaluate(other);
  } catch (const Error &e) {
    FAIL() << e.what();
  }
  expectPairTestCounts(st);
}

TEST(Fields, PredictRunsForwardWithoutLabels) {
  std::ostringstream out;
  Model m = pairModel();
  Trainer t(m, pairSplits(), out);
  std::vector<float> p = t.predict(t.data().test, 6);
  // The primary metric's output: 6 x 15 values, one-hot at ids mod 5.
  ASSERT_EQ(p.size(), 6u * 15u);
  Dataset d = pairTest();
  for (int64_t i = 0; i < 6; ++i)
    for (int64_t k = 0; k < kT; ++k)
      for (int c = 0; c < kTags; ++c)
        EXPECT_EQ(p[size_t((i * kT + k) * kTags + c)],
                  c == mod5(int64_t(d.field("ids")->data.at(i * kT + k))) ? 1.f : 0.f);
}

// A data set of input fields alone binds for predictions: no label is
// needed (Binding::labelled is false for it).
TEST(Fields, PredictFromInputFieldsAlone) {
  // Trainer(model, inputs) binds "the examples of INPUTS alone ... the data
  // need no labels": a data set of the input fields alone.
  std::ostringstream out;
  Model m = pairModel();
  Dataset inputs = pairTest();
  inputs.fields.erase(inputs.fields.begin(), inputs.fields.begin() + 2); // cls, tags
  ASSERT_EQ(inputs.fields[0].name, "extra");
  std::vector<float> p;
  try {
    Trainer t(m, inputs, out);
    p = t.predict(inputs, 6);
  } catch (const Error &e) {
    FAIL() << "a data set of the model's input fields alone does not bind "
              "for predictions: "
           << e.what();
  }
  ASSERT_EQ(p.size(), 6u * 15u);
  EXPECT_EQ(p[0], 1.f); // ids 0
}

//===----------------------------------------------------------------------===//
// 2. Data sets that do not fit
//===----------------------------------------------------------------------===//

TEST(Fields, MissingFieldNamesTheArgumentAndTheFields) {
  std::ostringstream out;
  Model m = pairModel();
  DataSplits s = pairSplits();
  s.train.fields.erase(s.train.fields.begin() + 3); // w
  EXPECT_DLRT_ERROR(Trainer(m, s, out), "model 'pair'", "input 'w' (f32[4, 3])",
                    "has no field of its name in pair-train",
                    "(its fields: cls, tags, extra, ids)");
  // A missing label, in the test split.
  s = pairSplits();
  s.test.fields.erase(s.test.fields.begin()); // cls
  EXPECT_DLRT_ERROR(Trainer(m, s, out), "label 'cls' (i32[4])",
                    "has no field of its name in pair-test",
                    "(its fields: tags, extra, w, ids)");
}

TEST(Fields, FieldWithAnotherExampleCount) {
  std::ostringstream out;
  Model m = pairModel();
  DataSplits s = pairSplits();
  fieldOf(s.train, "w")->data = Array(DType::F32, {9, 3});
  EXPECT_DLRT_ERROR(Trainer(m, s, out), "pair-train",
                    "field 'w' does not hold 10 examples, as field 'cls' does");
  // Even a field the model does not read.
  s = pairSplits();
  fieldOf(s.test, "extra")->data = Array(DType::F32, {7, 2});
  EXPECT_DLRT_ERROR(Trainer(m, s, out), "pair-test",
                    "field 'extra' does not hold 6 examples");
  // A field without an example dimension.
  s = pairSplits();
  fieldOf(s.train, "ids")->data = Array(DType::I64, {});
  EXPECT_DLRT_ERROR(Trainer(m, s, out), "field 'ids' does not hold 10 examples");
}

TEST(Fields, FieldWithAnotherExampleSize) {
  std::ostringstream out;
  Model m = pairModel();
  DataSplits s = pairSplits();
  fieldOf(s.train, "w")->data = Array(DType::F32, {10, 4});
  EXPECT_DLRT_ERROR(Trainer(m, s, out), "model 'pair'",
                    "input 'w' (f32[4, 3]) takes 3 values per example, but "
                    "pair-train's field 'w' holds 4 per example");
  s = pairSplits();
  fieldOf(s.test, "tags")->data = Array(DType::I32, {6, 2});
  EXPECT_DLRT_ERROR(Trainer(m, s, out),
                    "label 'tags' (i32[4, 3]) takes 3 values per example, but "
                    "pair-test's field 'tags' has 2 labels per example");
  s = pairSplits();
  fieldOf(s.train, "cls")->data = Array(DType::I64, {10, 2});
  EXPECT_DLRT_ERROR(Trainer(m, s, out),
                    "label 'cls' (i32[4]) takes 1 value per example, but "
                    "pair-train's field 'cls' has 2 labels per example");
  // [N, 3] and [N, 1, 3] hold the same values per example.
  s = pairSplits();
  fieldOf(s.train, "w")->data.shape = {10, 1, 3};
  fieldOf(s.train, "cls")->data.shape = {10, 1};
  Trainer t(m, s, out);
  EXPECT_EQ(feedPerExample(t.data().train, t.binding().feeds[1]), 3);
}

// Each integer input is checked against the table its ids index (the
// header's M_INPUT_ID_BOUNDS), by name.
TEST(Fields, IdsOutsideTheirTable) {
  std::ostringstream out;
  Model m = pairModel();
  int64_t most = 0;
  DataSplits s = pairSplits();
  for (const Dataset *d : {&s.train, &s.test}) {
    const Array &ids = d->field("ids")->data;
    for (int64_t i = 0; i < ids.numel(); ++i)
      most = std::max(most, int64_t(ids.at(i)));
  }
  m.inputIdBounds = {IdBound{"ids", most + 1}};
  Trainer ok(m, s, out);
  m.inputIdBounds = {IdBound{"other", 1}, IdBound{"ids", most}};
  std::string table =
      "is outside the model's embedding table of " + std::to_string(most) + " rows";
  EXPECT_DLRT_ERROR(Trainer(m, s, out), "field 'ids'", table.c_str());
}

TEST(Fields, FloatFieldForAnIntegerInput) {
  std::ostringstream out;
  Model m = pairModel();
  DataSplits s = pairSplits();
  Field *ids = fieldOf(s.train, "ids");
  Array f(DType::F32, ids->data.shape);
  for (int64_t i = 0; i < f.numel(); ++i)
    f.set(i, ids->data.at(i));
  ids->data = f;
  EXPECT_DLRT_ERROR(Trainer(m, s, out), "model 'pair'",
                    "input 'ids' (i32[4, 3]) takes integers (token ids), but "
                    "pair-train's field 'ids' holds real numbers");
  // Integers for a float input are fine (converted).
  s = pairSplits();
  Field *w = fieldOf(s.test, "w");
  Array wi(DType::I32, w->data.shape);
  for (int64_t i = 0; i < wi.numel(); ++i)
    wi.set(i, std::round(w->data.at(i)));
  w->data = wi;
  Trainer t(m, s, out);
  EXPECT_EQ(t.evaluate(t.data().test).examples, 6);
}

TEST(Fields, NonFiniteFeatureAndNonIntegerLabel) {
  std::ostringstream out;
  Model m = pairModel();
  DataSplits s = pairSplits();
  fieldOf(s.test, "w")->data.set(2 * 3 + 1, std::nan(""));
  EXPECT_DLRT_ERROR(Trainer(m, s, out), "pair-test field 'w'",
                    "feature 1 of example 2 is NaN");
  s = pairSplits();
  Field *cls = fieldOf(s.train, "cls");
  Array c(DType::F64, cls->data.shape);
  for (int64_t i = 0; i < c.numel(); ++i)
    c.set(i, cls->data.at(i));
  c.set(3, 0.5);
  cls->data = c;
  EXPECT_DLRT_ERROR(Trainer(m, s, out), "pair-train field 'cls'",
                    "label 0.5 of example 3 is not an integer");
}

//===----------------------------------------------------------------------===//
// 3. X/Y data sets and several inputs
//===----------------------------------------------------------------------===//

TEST(Fields, XyDataSetForTwoInputsIsAnError) {
  std::ostringstream out;
  Model m = pairModel();
  DataSplits s;
  s.format = "test";
  s.train.name = "xy-train";
  s.train.x = Array(DType::I32, {8, 3});
  s.train.y = Array(DType::I32, {8, 3});
  s.test = s.train;
  s.test.name = "xy-test";
  EXPECT_DLRT_ERROR(Trainer(m, s, out), "model 'pair' train_step",
                    "has 2 inputs (ids, w)", "xy-train holds one array of examples",
                    "a data set of named fields feeds several inputs");
  EXPECT_DLRT_ERROR(Trainer::bind(m, s.test), "inputs (ids, w)", "xy-test");
  // Unlabelled X alone (predictions) too.
  Dataset inputs;
  inputs.name = "inputs.npy";
  inputs.x = Array(DType::I32, {8, 3});
  EXPECT_DLRT_ERROR(Trainer(m, inputs, out), "inputs (ids, w)", "inputs.npy");
}

//===----------------------------------------------------------------------===//
// 4. Two metrics, ignore_index
//===----------------------------------------------------------------------===//

TEST(Fields, EvaluateTalliesEachMetric) {
  std::ostringstream out;
  Model m = pairModel();
  Trainer t(m, pairSplits(), out);
  EvalStats s = t.evaluate(t.data().test);
  EXPECT_EQ(s.examples, 6);
  ASSERT_EQ(s.metrics.size(), 2u);
  // The hand-computed counts (see pairTest): the 5 ignored positions are not
  // predictions.
  EXPECT_EQ(s.metrics[0].correct, 10);
  EXPECT_EQ(s.metrics[0].predictions, 13);
  EXPECT_EQ(s.metrics[1].correct, 4);
  EXPECT_EQ(s.metrics[1].predictions, 6);
  EXPECT_DOUBLE_EQ(s.accuracy(0), 10.0 / 13.0);
  EXPECT_DOUBLE_EQ(s.accuracy(1), 4.0 / 6.0);
  EXPECT_TRUE(std::isnan(s.accuracy(2)));
  // The padded batch's padding is excluded from the loss too.
  EXPECT_EQ(s.loss, 0.8125);
  // The reference counts agree with the hand-computed ones.
  Counts c;
  for (int64_t i = 0; i < 6; ++i)
    c += countsOf(t.data().test, i);
  EXPECT_EQ(c.tagRight, 10);
  EXPECT_EQ(c.tagSeen, 13);
  EXPECT_EQ(c.clsRight, 4);
  EXPECT_EQ(c.loss / 6, 0.8125);
  // And on the train split.
  EvalStats tr = t.evaluate(t.data().train);
  Counts ct;
  for (int64_t i = 0; i < 10; ++i)
    ct += countsOf(t.data().train, i);
  EXPECT_EQ(tr.metrics[0].correct, ct.tagRight);
  EXPECT_EQ(tr.metrics[0].predictions, ct.tagSeen);
  EXPECT_LT(ct.tagSeen, 30); // some positions were ignored
  EXPECT_EQ(tr.metrics[1].correct, ct.clsRight);
  EXPECT_EQ(tr.metrics[1].predictions, 10);
  EXPECT_DOUBLE_EQ(tr.loss, ct.loss / 10);
}

TEST(Fields, EveryPositionIgnoredIsNoPrediction) {
  std::ostringstream out;
  Model m = pairModel();
  DataSplits s = pairSplits();
  Array &tags = fieldOf(s.test, "tags")->data;
  for (int64_t i = 0; i < tags.numel(); ++i)
    tags.set(i, -100);
  Trainer t(m, s, out);
  EvalStats e = t.evaluate(t.data().test);
  EXPECT_EQ(e.metrics[0].predictions, 0);
  EXPECT_TRUE(std::isnan(e.accuracy(0)));
  EXPECT_EQ(e.metrics[1].correct, 4);
}

TEST(Fields, IgnoredLabelsPassOnlyWhenTheMetricIgnoresThem) {
  std::ostringstream out;
  Model m = pairModel();
  // Without `ignores`, -100 is a class id outside the model's classes (the
  // train split's first is at example 0).
  m.metrics[0].ignores = false;
  EXPECT_DLRT_ERROR(Trainer(m, pairSplits(), out), "pair-train field 'tags'",
                    "label -100 of example 0 is outside the model's 5 classes (0..4)");
  // Another ignore index: -100 is neither a class nor the ignored id.
  m.metrics[0].ignores = true;
  m.metrics[0].ignoreIndex = 4;
  EXPECT_DLRT_ERROR(Trainer(m, pairSplits(), out),
                    "label -100 of example 0 is outside the model's 5 classes "
                    "(0..4) and is not the ignored 4");
  // With it, a class id outside the classes is still refused.
  m = pairModel();
  DataSplits s = pairSplits();
  fieldOf(s.test, "tags")->data.set(4, 5); // example 1
  EXPECT_DLRT_ERROR(Trainer(m, s, out), "pair-test field 'tags'",
                    "label 5 of example 1 is outside the model's 5 classes "
                    "(0..4) and is not the ignored -100");
  // The other metric ignores nothing: -100 in cls is an error.
  s = pairSplits();
  fieldOf(s.test, "cls")->data.set(2, -100);
  EXPECT_DLRT_ERROR(Trainer(m, s, out), "pair-test field 'cls'",
                    "label -100 of example 2 is outside the model's 2 classes (0..1)");
  // Ignoring another id: positions of that id do not count, -100 is a label
  // like any other (here: none left).
  m.metrics[0].ignoreIndex = 4;
  s = pairSplits();
  for (Dataset *d : {&s.train, &s.test}) {
    Array &tags = fieldOf(*d, "tags")->data;
    for (int64_t i = 0; i < tags.numel(); ++i)
      if (tags.at(i) == -100)
        tags.set(i, 2);
  }
  Trainer t(m, s, out);
  // Test tags now 0 1 3 | 3 2 4 | 2 2 2 | 1 2 2 | 0 1 4 | 4 3 0 against
  // ids mod 5 0 1 2 | 3 4 4 | 0 2 3 | 1 1 1 | 0 1 4 | 2 3 0; the 4s
  // (three of them) ignored: 15 predictions, 9 right.
  EvalStats e = t.evaluate(t.data().test);
  EXPECT_EQ(e.metrics[0].predictions, 15);
  EXPECT_EQ(e.metrics[0].correct, 9);
}

TEST(Fields, SequenceMetricSkipsIgnoredPositions) {
  // An example counts when each of its positions that is not ignored is
  // right; an example of ignored positions alone is no prediction.
  std::ostringstream out;
  Model m = pairModel();
  m.metrics[0].mode = "sequence";
  Trainer t(m, pairSplits(), out);
  EvalStats e = t.evaluate(t.data().test);
  EXPECT_EQ(e.metrics[0].predictions, 5); // example 2 has no position
  EXPECT_EQ(e.metrics[0].correct, 2);     // examples 1 and 4
}

//===----------------------------------------------------------------------===//
// 5. Reports: train lines, the CSV log, the CLI's info
//===----------------------------------------------------------------------===//

TEST(Fields, TrainReportsEachMetric) {
  TempDir d;
  std::ostringstream out;
  Model m = pairModel();
  Trainer t(m, pairSplits(), out);
  TrainOptions o;
  o.progress = 0;
  o.epochs = 2;
  o.logPath = d / "log.csv";
  std::vector<EpochStats> r = t.train(o);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(seen(t), 4); // 2 epochs of 2 steps
  std::string want = "epoch,train_loss,train_acc_tags,train_acc_cls,test_loss,"
                     "test_acc_tags,test_acc_cls,seconds\n";
  std::string text = readBytes(d / "log.csv");
  ASSERT_EQ(text.substr(0, want.size()), want) << text;
  std::string rows = want.substr(0, want.find_last_of(',')) + "\n";
  for (int64_t e = 0; e < 2; ++e) {
    double lossSum;
    Counts c = epochCounts(t.data().train, 5, e, 0, 2, &lossSum);
    const EpochStats &s = r[size_t(e)];
    EXPECT_EQ(s.epoch, e + 1);
    EXPECT_DOUBLE_EQ(s.trainLoss, lossSum / 2);
    ASSERT_EQ(s.trainAccuracies.size(), 2u);
    EXPECT_DOUBLE_EQ(s.trainAccuracies[0], double(c.tagRight) / double(c.tagSeen));
    EXPECT_DOUBLE_EQ(s.trainAccuracies[1], double(c.clsRight) / 8.0);
    EXPECT_DOUBLE_EQ(s.trainAccuracy(), s.trainAccuracies[0]);
    ASSERT_EQ(s.testAccuracies.size(), 2u);
    EXPECT_DOUBLE_EQ(s.testAccuracies[0], 10.0 / 13.0);
    EXPECT_DOUBLE_EQ(s.testAccuracies[1], 4.0 / 6.0);
    EXPECT_EQ(s.testLoss, 0.8125);
    std::string line = strFormat(
        "epoch %d/2  train loss %.4f tags acc %.4f cls acc %.4f  test loss "
        "0.8125 tags acc 0.7692 cls acc 0.6667  ",
        int(e + 1), lossSum / 2, double(c.tagRight) / double(c.tagSeen),
        double(c.clsRight) / 8.0);
    EXPECT_NE(out.str().find(line), std::string::npos)
        << "lacks: " << line << "\nin:\n" << out.str();
    rows += strFormat("%d,%.6f,%.6f,%.6f,0.812500,0.769231,0.666667\n", int(e + 1),
                      lossSum / 2, double(c.tagRight) / double(c.tagSeen),
                      double(c.clsRight) / 8.0);
  }
  EXPECT_EQ(logWithoutTimes(d / "log.csv"), rows);
  // The train lines name each metric; nowhere an unnamed "  acc".
  EXPECT_EQ(out.str().find(" loss 0.8125 acc"), std::string::npos) << out.str();
}

TEST(Fields, ProgressLineNamesEachMetric) {
  std::ostringstream out;
  Model m = pairModel();
  Trainer t(m, pairSplits(), out);
  TrainOptions o;
  o.progress = 1;
  o.epochs = 1;
  t.train(o);
  EXPECT_NE(out.str().find("step 2/2  loss "), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("  tags acc "), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("  cls acc "), std::string::npos) << out.str();
}

TEST(Fields, OneMetricKeepsTheUnnamedColumns) {
  // With one metric, the log and lines are those of a one-metric model.
  TempDir d;
  std::ostringstream out;
  Model m = pairModel();
  m.metrics.pop_back();
  Trainer t(m, pairSplits(), out);
  TrainOptions o;
  o.progress = 0;
  o.epochs = 1;
  o.logPath = d / "log.csv";
  t.train(o);
  std::string text = readBytes(d / "log.csv");
  EXPECT_EQ(text.substr(0, text.find('\n')),
            "epoch,train_loss,train_acc,test_loss,test_acc,seconds");
  EXPECT_NE(out.str().find("test loss 0.8125 acc 0.7692  "), std::string::npos)
      << out.str();
}

TEST(Fields, CliInfoListsEveryMetric) {
  std::string out, err;
  ASSERT_EQ(runTrainer(pairModel(), {"info"}, &out, &err), 0) << err;
  EXPECT_NE(out.find("metric: accuracy of the arg-max of 'tag_logits' against "
                     "'tags', positions labelled -100 left out\n"
                     "metric: accuracy of the arg-max of 'cls_logits' against "
                     "'cls'\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("  ids: i32[4, 3] input\n"), std::string::npos) << out;
  EXPECT_NE(out.find("  cls: i32[4] label\n"), std::string::npos) << out;
}

//===----------------------------------------------------------------------===//
// 6. Checkpoints and resume with several metrics
//===----------------------------------------------------------------------===//

TEST(Fields, ResumeMidEpochKeepsEveryMetricsCounts) {
  TempDir d;
  std::ostringstream out;
  Model m = pairModel();
  TrainOptions o;
  o.progress = 0;
  o.epochs = 3;
  o.checkpointDir = d / "full";
  o.logPath = d / "full.csv";
  Trainer full(m, pairSplits(), out);
  std::vector<EpochStats> want = full.train(o);
  ASSERT_EQ(want.size(), 3u);

  // Stop in epoch 2 after its first step (a checkpoint every step; 2 steps
  // per epoch), then resume in a fresh Trainer.
  o.checkpointDir = d / "part";
  o.logPath = d / "part.csv";
  o.checkpointEvery = 1;
  o.maxSteps = 3;
  {
    Trainer t(m, pairSplits(), out);
    EXPECT_EQ(t.train(o).size(), 1u);
    EXPECT_EQ(seen(t), 3);
  }
  std::string latest = d / "part/epoch-0002-step-000001.safetensors";
  ASSERT_EQ(latestCheckpoint(d / "part"), latest);
  // The checkpoint holds each metric's running counts of the epoch so far.
  Metadata meta = readSafetensorsMetadata(latest);
  Counts c = epochCounts(pairTrain(), 5, 1, 0, 1);
  EXPECT_EQ(meta["train_correct"], std::to_string(c.tagRight));
  EXPECT_EQ(meta["train_predictions"], std::to_string(c.tagSeen));
  EXPECT_EQ(meta["train_correct_1"], std::to_string(c.clsRight));
  EXPECT_EQ(meta["train_predictions_1"], "4");
  EXPECT_EQ(meta.count("train_correct_2"), 0u);
  EXPECT_EQ(meta["step_in_epoch"], "1");
  EXPECT_EQ(meta["global_step"], "3");

  o.resume = true;
  o.maxSteps = 0;
  Trainer t(m, pairSplits(), out);
  std::vector<EpochStats> r = t.train(o);
  ASSERT_EQ(r.size(), 2u); // epochs 2 and 3
  EXPECT_EQ(seen(t), 6);
  for (size_t e = 0; e < 2; ++e) {
    EXPECT_EQ(r[e].epoch, want[e + 1].epoch);
    EXPECT_EQ(r[e].trainLoss, want[e + 1].trainLoss);
    EXPECT_EQ(r[e].trainAccuracies, want[e + 1].trainAccuracies);
    EXPECT_EQ(r[e].testAccuracies, want[e + 1].testAccuracies);
  }
  Counts e2 = epochCounts(pairTrain(), 5, 1, 0, 2);
  EXPECT_DOUBLE_EQ(r[0].trainAccuracies[0], double(e2.tagRight) / double(e2.tagSeen));
  EXPECT_DOUBLE_EQ(r[0].trainAccuracies[1], double(e2.clsRight) / 8.0);
  EXPECT_EQ(logWithoutTimes(d / "part.csv"), logWithoutTimes(d / "full.csv"));
  Metadata last = readSafetensorsMetadata(d / "part/epoch-0003.safetensors");
  EXPECT_EQ(last["global_step"], "6");
}

TEST(Fields, ResumeNeedsEveryMetricsCounts) {
  // A checkpoint of the model with one metric lacks the second's counts.
  TempDir d;
  std::ostringstream out;
  Model one = pairModel();
  one.metrics.pop_back();
  TrainOptions o;
  o.progress = 0;
  o.epochs = 1;
  o.checkpointDir = d.path();
  Trainer(one, pairSplits(), out).train(o);
  Metadata meta = readSafetensorsMetadata(d / "epoch-0001.safetensors");
  EXPECT_EQ(meta.count("train_correct"), 1u);
  EXPECT_EQ(meta.count("train_correct_1"), 0u);
  o.resume = true;
  o.epochs = 2;
  EXPECT_DLRT_ERROR(Trainer(pairModel(), pairSplits(), out).train(o),
                    "epoch-0001.safetensors",
                    "checkpoint metadata lacks 'train_correct_1'");
  // Another field's values are other training data.
  DataSplits other = pairSplits();
  fieldOf(other.train, "extra")->data.set(0, 3);
  EXPECT_DLRT_ERROR(Trainer(one, other, out).train(o), "different training data");
}

//===----------------------------------------------------------------------===//
// The CLI on a data set of fields: "bert" with a bert-shaped model
//===----------------------------------------------------------------------===//
//
// The CLI loads fields only from a named data set ("bert"); a model taking
// its five fields at T = 8 (batch 4, no parameters):
//   mlm_logits[b, t, :] = one-hot of ids[b, t] (the token seen)
//   nsp_logits[b, :]    = [0, 1] when more than 2 tokens are of segment 1,
//                         else [1, 0]
//   loss                = mean_b sum_t mask[b, t] / 8

constexpr int kBT = 8, kV = 99;

/// The arguments of train_step and eval alike.
const dlc_tensor_info kMlmEvalArgs[] = {
    {"ids", DLC_INPUT, DLC_I32, 2, {kB, kBT}, 0, 128, DLC_INIT_NONE, 0, 0},
    {"segments", DLC_INPUT, DLC_I32, 2, {kB, kBT}, 0, 128, DLC_INIT_NONE, 0, 0},
    {"mask", DLC_INPUT, DLC_F32, 2, {kB, kBT}, 0, 128, DLC_INIT_NONE, 0, 0},
    {"mlm_labels", DLC_LABEL, DLC_I32, 2, {kB, kBT}, 0, 128, DLC_INIT_NONE, 0, 0},
    {"nsp", DLC_LABEL, DLC_I32, 1, {kB}, 0, 16, DLC_INIT_NONE, 0, 0},
    {"loss", DLC_LOSS, DLC_F32, 0, {0}, 0, 4, DLC_INIT_NONE, 0, 0},
    {"mlm_logits", DLC_OUTPUT, DLC_F32, 3, {kB, kBT, kV}, 0, kB * kBT * kV * 4,
     DLC_INIT_NONE, 0, 0},
    {"nsp_logits", DLC_OUTPUT, DLC_F32, 2, {kB, 2}, 0, 32, DLC_INIT_NONE, 0, 0},
};
const dlc_tensor_info kMlmForwardArgs[] = {
    {"ids", DLC_INPUT, DLC_I32, 2, {kB, kBT}, 0, 128, DLC_INIT_NONE, 0, 0},
    {"segments", DLC_INPUT, DLC_I32, 2, {kB, kBT}, 0, 128, DLC_INIT_NONE, 0, 0},
    {"mask", DLC_INPUT, DLC_F32, 2, {kB, kBT}, 0, 128, DLC_INIT_NONE, 0, 0},
    {"mlm_logits", DLC_OUTPUT, DLC_F32, 3, {kB, kBT, kV}, 0, kB * kBT * kV * 4,
     DLC_INIT_NONE, 0, 0},
    {"nsp_logits", DLC_OUTPUT, DLC_F32, 2, {kB, 2}, 0, 32, DLC_INIT_NONE, 0, 0},
};

bool nspGuess(const int32_t *segments) {
  int ones = 0;
  for (int t = 0; t < kBT; ++t)
    ones += segments[t] == 1;
  return ones > 2;
}

void mlmLogits(const int32_t *ids, const int32_t *seg, float *mlm, float *nsp) {
  for (int b = 0; b < kB; ++b) {
    for (int t = 0; t < kBT; ++t)
      for (int v = 0; v < kV; ++v)
        mlm[(b * kBT + t) * kV + v] = v == ids[b * kBT + t] ? 1.f : 0.f;
    bool one = nspGuess(seg + b * kBT);
    nsp[b * 2] = one ? 0.f : 1.f;
    nsp[b * 2 + 1] = one ? 1.f : 0.f;
  }
}

float mlmLoss(const float *mask) {
  double s = 0;
  for (int i = 0; i < kB * kBT; ++i)
    s += mask[i];
  return float(s / kB / kBT);
}

// [state, ids, segments, mask, mlm_labels, nsp, loss, mlm_logits, nsp_logits, ws]
void mlmEval(void *const *a) {
  mlmLogits(static_cast<const int32_t *>(a[1]), static_cast<const int32_t *>(a[2]),
            static_cast<float *>(a[7]), static_cast<float *>(a[8]));
  *static_cast<float *>(a[6]) = mlmLoss(static_cast<const float *>(a[3]));
}
void mlmTrainStep(void *const *a) { mlmEval(a); }
// [state, ids, segments, mask, mlm_logits, nsp_logits, ws]
void mlmForward(void *const *a) {
  mlmLogits(static_cast<const int32_t *>(a[1]), static_cast<const int32_t *>(a[2]),
            static_cast<float *>(a[4]), static_cast<float *>(a[5]));
}

Model mlmModel() {
  Model m;
  m.name = "mlmnsp";
  m.trainStep = Entry{&mlmTrainStep, kMlmEvalArgs, 8, 0, "train_step"};
  m.eval = Entry{&mlmEval, kMlmEvalArgs, 8, 0, "eval"};
  m.forward = Entry{&mlmForward, kMlmForwardArgs, 5, 0, "forward"};
  m.data = "bert";
  m.epochs = 1;
  m.metrics = {Metric{"mlm_logits", "mlm_labels", "argmax", 0.5, true, kBertIgnore},
               Metric{"nsp_logits", "nsp", "argmax", 0.5, false, 0}};
  return m;
}

/// The accuracies of mlmModel() on D, computed from the fields.
std::pair<double, double> mlmReference(const Dataset &d) {
  const Array &ids = d.field("ids")->data, &seg = d.field("segments")->data,
              &labels = d.field("mlm_labels")->data, &nsp = d.field("nsp")->data;
  int64_t right = 0, seen = 0, nspRight = 0;
  for (int64_t i = 0; i < d.size(); ++i) {
    int32_t s[kBT];
    for (int t = 0; t < kBT; ++t) {
      s[t] = int32_t(seg.at(i * kBT + t));
      int64_t l = int64_t(labels.at(i * kBT + t));
      if (l == kBertIgnore)
        continue;
      ++seen;
      right += l == int64_t(ids.at(i * kBT + t));
    }
    nspRight += int64_t(nsp.at(i)) == (nspGuess(s) ? 1 : 0);
  }
  return {double(right) / double(seen), double(nspRight) / double(d.size())};
}

#define SKIP_WITHOUT_FORTUNES()                                                \
  if (!std::filesystem::is_directory(kBertTexts))                              \
  GTEST_SKIP() << kBertTexts << " is missing (Debian package fortunes)"

TEST(FieldsCli, EvalAndTrainPrintEachMetric) {
  SKIP_WITHOUT_FORTUNES();
  DataOptions opts;
  opts.textSeqLen = kBT;
  opts.textVocab = kV;
  DataSplits s = loadBert("bert", opts);
  auto [mlm, nsp] = mlmReference(s.test);
  std::string mlmLine = strFormat("test accuracy (mlm_labels): %.4f\n", mlm);
  std::string nspLine = strFormat("test accuracy (nsp): %.4f\n", nsp);
  ASSERT_GT(mlm, 0.0);
  ASSERT_LT(mlm, 1.0);

  TempDir d;
  saveCheckpoint(d / "empty.safetensors", "mlmnsp", nullptr, 0, 0, nullptr);
  std::string out, err;
  ASSERT_EQ(runTrainer(mlmModel(),
                       {"eval", "--checkpoint", d / "empty.safetensors"}, &out,
                       &err),
            0)
      << err;
  EXPECT_NE(out.find("examples: 2000\n"), std::string::npos) << out;
  EXPECT_NE(out.find(mlmLine + nspLine), std::string::npos)
      << "lacks: " << mlmLine << nspLine << "in:\n" << out;
  EXPECT_EQ(out.find("test accuracy: "), std::string::npos) << out;

  ASSERT_EQ(runTrainer(mlmModel(),
                       {"train", "--data", "bert", "--log", d / "log.csv",
                        "--no-progress"},
                       &out, &err),
            0)
      << err;
  EXPECT_NE(out.find("fields ids i32[8], segments i32[8], mask f32[8], "
                     "mlm_labels i32[8], nsp i32[]"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find(strFormat(" mlm_labels acc %.4f nsp acc %.4f  ", mlm, nsp)),
            std::string::npos)
      << out;
  EXPECT_NE(out.find(mlmLine + nspLine), std::string::npos) << out;
  std::string log = readBytes(d / "log.csv");
  EXPECT_EQ(log.substr(0, log.find('\n')),
            "epoch,train_loss,train_acc_mlm_labels,train_acc_nsp,test_loss,"
            "test_acc_mlm_labels,test_acc_nsp,seconds");
  // The train split's accuracies (every example of it: 32000 = 8000 batches).
  auto [trainMlm, trainNsp] = mlmReference(s.train);
  EXPECT_NE(log.find(strFormat(",%.6f,%.6f,", trainMlm, trainNsp)),
            std::string::npos)
      << log;

  // predict shows the test examples' outputs (the primary metric's).
  ASSERT_EQ(runTrainer(mlmModel(),
                       {"predict", "--checkpoint", d / "empty.safetensors",
                        "--count", "2"},
                       &out, &err),
            0)
      << err;
}
