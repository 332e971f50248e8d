//===- CliTestUtil.h - the fake model, its data and the CLI for tests -----===//
//
// What the trainer tests of issue 11 share (TrainerTest.cpp has its own
// copies): FakeModel.h as a dlrt::Model, blob data sets, CSV data
// directories and trainerMain with captured output.
//
//===----------------------------------------------------------------------===//
#ifndef DLRT_TESTS_CLITESTUTIL_H
#define DLRT_TESTS_CLITESTUTIL_H

#include "FakeModel.h"
#include "TestUtil.h"

#include "dlrt/model.h"
#include "dlrt/random.h"
#include "dlrt/trainer.h"

#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace dlrt::test {

inline Model fakeModel() {
  Model m = DLRT_MODEL(fake, FAKE);
  m.epochs = FAKE_EPOCHS;
  m.batch = FAKE_BATCH;
  m.seed = FAKE_SEED;
  m.metrics = DLRT_METRICS(FAKE);
  return m;
}

/// N examples of 3 features, class k having feature k high (+ noise).
inline Dataset blobs(int64_t n, uint64_t seed, const std::string &name) {
  Dataset d;
  d.name = name;
  d.x = Array(DType::F32, {n, 3});
  d.y = Array(DType::I64, {n});
  Rng r(seed);
  for (int64_t i = 0; i < n; ++i) {
    int64_t k = int64_t(r.below(3));
    d.y.set(i, double(k));
    for (int f = 0; f < 3; ++f)
      d.x.set(i * 3 + f, (f == k ? 2.0 : 0.0) + r.normal(0, 0.3));
  }
  return d;
}

/// 22 train examples (5 batches of 4) and 7 test examples.
inline DataSplits blobSplits() {
  DataSplits s;
  s.format = "test";
  s.train = blobs(22, 1, "blobs");
  s.test = blobs(7, 2, "blobs-test");
  return s;
}

/// Writes blobSplits() as DIR/train.csv and DIR/test.csv (a,b,c,label).
inline void writeBlobCsv(const std::string &dir) {
  DataSplits s = blobSplits();
  for (auto [ds, name] :
       {std::pair{&s.train, "train.csv"}, std::pair{&s.test, "test.csv"}}) {
    std::string text = "a,b,c,label\n";
    for (int64_t i = 0; i < ds->size(); ++i) {
      char buf[128];
      std::snprintf(buf, sizeof buf, "%.9g,%.9g,%.9g,%d\n", ds->x.at(i * 3),
                    ds->x.at(i * 3 + 1), ds->x.at(i * 3 + 2), int(ds->y.at(i)));
      text += buf;
    }
    writeBytes(dir + "/" + name, text);
  }
}

/// trainerMain(MODEL, "fake-trainer" ARGS...), its stdout and stderr.
inline int runTrainer(const Model &model, std::vector<std::string> args,
                      std::string *out = nullptr, std::string *err = nullptr) {
  args.insert(args.begin(), "fake-trainer");
  std::vector<char *> argv;
  for (auto &a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  testing::internal::CaptureStdout();
  testing::internal::CaptureStderr();
  int rc = trainerMain(int(args.size()), argv.data(), model);
  std::string o = testing::internal::GetCapturedStdout();
  std::string e = testing::internal::GetCapturedStderr();
  if (out)
    *out = o;
  if (err)
    *err = e;
  return rc;
}

} // namespace dlrt::test

#endif
