//===- NamedDatasetsTest.cpp - synthetic sequence tasks, captions ---------===//
#include "TestUtil.h"

#include "dlrt/datasets.h"

#include <algorithm>
#include <set>

using namespace dlrt;

namespace {

DataOptions tokens(int64_t T, int64_t vocab = kSyntheticVocab) {
  DataOptions o;
  o.textSeqLen = T;
  o.textVocab = vocab;
  return o;
}

std::vector<int32_t> row(const Array &a, int64_t i) {
  int64_t T = a.shape[1];
  const int32_t *p = a.as<int32_t>() + i * T;
  return {p, p + T};
}

/// The digits of a row (tokens before the first padding).
std::vector<int32_t> digits(const std::vector<int32_t> &r) {
  return {r.begin(), std::find(r.begin(), r.end(), kPadToken)};
}

} // namespace

TEST(Synthetic, ReverseAndSortAreTheirTasks) {
  for (const char *task : {"reverse", "sort"}) {
    DataSplits s = loadSynthetic(std::string("synthetic:") + task, tokens(12));
    EXPECT_EQ(s.format, "synthetic");
    ASSERT_EQ(s.train.size(), kSyntheticTrain);
    ASSERT_EQ(s.test.size(), kSyntheticTest);
    std::set<size_t> lengths;
    for (const Dataset *d : {&s.train, &s.test})
      for (int64_t i = 0; i < d->size(); ++i) {
        std::vector<int32_t> x = row(d->x, i), y = row(d->y, i);
        std::vector<int32_t> in = digits(x), out = digits(y);
        lengths.insert(in.size());
        // Padding only after the digits; digits are tokens 1..10.
        ASSERT_TRUE(std::all_of(x.begin() + long(in.size()), x.end(),
                                [](int32_t t) { return t == kPadToken; }));
        ASSERT_TRUE(std::all_of(in.begin(), in.end(),
                                [](int32_t t) { return t >= 1 && t <= 10; }));
        std::vector<int32_t> want = in;
        if (std::string(task) == "reverse")
          std::reverse(want.begin(), want.end());
        else
          std::sort(want.begin(), want.end());
        ASSERT_EQ(out, want) << task << " example " << i;
        ASSERT_EQ(y.size(), x.size());
      }
    EXPECT_EQ(lengths, (std::set<size_t>{8, 9, 10, 11, 12}));
  }
}

TEST(Synthetic, HeldOutSequencesAreNeverTrainedOn) {
  // T = 3: lengths 2..3, 1,100 distinct sequences: the split must still
  // keep the held-out ones out of training (and hold each once).
  DataSplits s = loadSynthetic("synthetic:reverse", tokens(3));
  std::set<std::vector<int32_t>> held;
  for (int64_t i = 0; i < s.test.size(); ++i)
    EXPECT_TRUE(held.insert(row(s.test.x, i)).second) << "repeated " << i;
  EXPECT_EQ(s.test.size(), 110);
  for (int64_t i = 0; i < s.train.size(); ++i)
    ASSERT_FALSE(held.count(row(s.train.x, i))) << "training example " << i;
  s = loadSynthetic("synthetic:sort", tokens(12));
  held.clear();
  for (int64_t i = 0; i < s.test.size(); ++i)
    held.insert(row(s.test.x, i));
  for (int64_t i = 0; i < s.train.size(); ++i)
    ASSERT_FALSE(held.count(row(s.train.x, i))) << "training example " << i;
}

TEST(Synthetic, TheSeedDecides) {
  DataSplits a = loadSynthetic("synthetic:reverse", tokens(10));
  DataSplits b = loadSynthetic("synthetic:reverse:1", tokens(10));
  DataSplits c = loadSynthetic("synthetic:reverse:2", tokens(10));
  EXPECT_EQ(a.train.x.bytes, b.train.x.bytes); // 1 is the default
  EXPECT_EQ(a.test.y.bytes, b.test.y.bytes);
  EXPECT_NE(a.train.x.bytes, c.train.x.bytes);
  EXPECT_EQ(a.corpus.decode({0, 1, 10}), ".09");
}

TEST(Synthetic, BadSpecsAndModels) {
  EXPECT_DLRT_ERROR(loadSynthetic("synthetic:shuffle", tokens(12)),
                    "unknown synthetic task 'shuffle'");
  EXPECT_DLRT_ERROR(loadSynthetic("synthetic:sort:x1", tokens(12)),
                    "must be a non-negative integer, got 'x1'");
  EXPECT_DLRT_ERROR(loadSynthetic("synthetic:sort:", tokens(12)),
                    "must be a non-negative integer, got ''");
  EXPECT_DLRT_ERROR(loadSynthetic("synthetic:sort:-1", tokens(12)),
                    "non-negative integer");
  EXPECT_DLRT_ERROR(loadSynthetic("synthetic:sort", tokens(12, 10)),
                    "the model's output has 10 classes (at least 11 needed)");
  EXPECT_DLRT_ERROR(loadSynthetic("synthetic:sort", tokens(0)),
                    "input is token ids");
  EXPECT_DLRT_ERROR(loadSynthetic("synthetic:sort", tokens(1)),
                    "the model's input has T = 1");
  EXPECT_TRUE(isNamedDataset("synthetic:sort"));
  EXPECT_TRUE(isNamedDataset("captions"));
  EXPECT_TRUE(isNamedDataset("captions:/data"));
  EXPECT_FALSE(isNamedDataset("captions2"));
  EXPECT_FALSE(isNamedDataset("/usr/share/datasets/fashion-mnist"));
  EXPECT_DLRT_ERROR(loadNamedDataset("captions:", DataOptions(), "/nowhere"),
                    "captions:: names no directory after 'captions:'");
}

TEST(Captions, ClassNamesSpelledByteByByte) {
  DataSplits s;
  s.classNames = {"Bag", "Ankle boot"};
  for (Dataset *d : {&s.train, &s.test}) {
    d->name = "images";
    d->x = Array(DType::U8, {2, 4});
    d->y = Array(DType::U8, {2});
    d->y.set(0, 1);
    d->y.set(1, 0);
  }
  captionLabels(s, "captions", 12);
  ASSERT_EQ(s.train.y.shape, (Shape{2, 12}));
  std::vector<int32_t> want(12, 0);
  std::string boot = "Ankle boot";
  std::copy(boot.begin(), boot.end(), want.begin());
  EXPECT_EQ(row(s.train.y, 0), want);
  EXPECT_EQ(row(s.test.y, 1), (std::vector<int32_t>{'B', 'a', 'g', 0, 0, 0, 0,
                                                    0, 0, 0, 0, 0}));
  EXPECT_EQ(s.format, "+captions");
}

TEST(Captions, Errors) {
  DataSplits s;
  s.train.name = s.test.name = "images";
  s.train.x = s.test.x = Array(DType::U8, {1, 4});
  s.train.y = s.test.y = Array(DType::U8, {1});
  EXPECT_DLRT_ERROR(captionLabels(s, "captions", 12), "with class names (Fashion-MNIST); this one has none");
  s.classNames = {"Ankle boot"};
  EXPECT_DLRT_ERROR(captionLabels(s, "captions", 10),
                    "'Ankle boot', needs 11 positions");
  s.train.y.set(0, 3);
  EXPECT_DLRT_ERROR(captionLabels(s, "captions", 12),
                    "label 3 of example 0 is not one of the 1 classes");
}
