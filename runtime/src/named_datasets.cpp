//===- named_datasets.cpp - synthetic sequence tasks and caption labels ---===//
//
// Data sets named rather than read: "synthetic:reverse[:SEED]" and
// "synthetic:sort[:SEED]" (digit sequences generated from a seed, a
// held-out split of sequences that the training split never contains), and
// "captions[:DIR]" (an image data set with known class names whose labels
// become the class names spelled byte by byte); "bert[:SEED]" is
// bert_dataset.cpp's.
//
//===----------------------------------------------------------------------===//
#include "dlrt/datasets.h"
#include "dlrt/error.h"
#include "dlrt/random.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>

namespace dlrt {

namespace {
constexpr const char *kSynthetic = "synthetic:";
constexpr const char *kCaptions = "captions";
constexpr const char *kBert = "bert";

bool startsWith(const std::string &s, const char *prefix) {
  return s.rfind(prefix, 0) == 0;
}

/// Examples of TASK: COUNT sequences of T tokens, lengths in [minLen, T].
void generate(const std::string &task, Rng &rng, int64_t T, int64_t count,
              std::set<std::vector<int32_t>> *exclude,
              std::set<std::vector<int32_t>> *record, Dataset &d) {
  int64_t minLen = std::max<int64_t>(1, (2 * T + 2) / 3);
  d.x = Array(DType::I32, {count, T});
  d.y = Array(DType::I32, {count, T});
  int32_t *x = d.x.as<int32_t>(), *y = d.y.as<int32_t>();
  std::vector<int32_t> seq;
  for (int64_t i = 0; i < count;) {
    int64_t n = minLen + int64_t(rng.below(uint64_t(T - minLen + 1)));
    seq.assign(size_t(T), kPadToken);
    for (int64_t t = 0; t < n; ++t)
      seq[size_t(t)] = int32_t(1 + rng.below(10));
    if (exclude && exclude->count(seq))
      continue; // held out
    if (record && !record->insert(seq).second)
      continue; // the held-out split has each sequence once
    std::vector<int32_t> out(seq.begin(), seq.begin() + n);
    if (task == "reverse")
      std::reverse(out.begin(), out.end());
    else
      std::sort(out.begin(), out.end());
    out.resize(size_t(T), kPadToken);
    std::copy(seq.begin(), seq.end(), x + i * T);
    std::copy(out.begin(), out.end(), y + i * T);
    ++i;
  }
}
} // namespace

bool isNamedDataset(const std::string &spec) {
  return startsWith(spec, kSynthetic) || spec == kCaptions ||
         startsWith(spec, "captions:") || spec == kBert ||
         startsWith(spec, "bert:");
}

DataSplits loadSynthetic(const std::string &spec, const DataOptions &o) {
  std::string rest = spec.substr(std::string(kSynthetic).size());
  std::string task = rest.substr(0, rest.find(':'));
  uint64_t seed = 1;
  if (rest.size() > task.size()) {
    std::string s = rest.substr(task.size() + 1);
    char *end = nullptr;
    errno = 0;
    unsigned long long v = s.empty() ? 0 : std::strtoull(s.c_str(), &end, 10);
    if (s.empty() || *end || errno || s[0] == '-')
      fail(spec, "the seed after '" + task + ":' must be a non-negative "
                 "integer, got '" + s + "'");
    seed = v;
  }
  if (task != "reverse" && task != "sort")
    fail(spec, "unknown synthetic task '" + task +
                   "'; expected synthetic:reverse or synthetic:sort (with an "
                   "optional :SEED)");
  int64_t T = o.textSeqLen;
  if (T < 1)
    fail(spec, "a synthetic sequence task feeds a model whose input is token "
               "ids [batch, T] (i32 or i64)");
  if (o.textVocab > 0 && o.textVocab < kSyntheticVocab)
    fail(spec, "the task's tokens are 0 (padding) and 1..10 (the digits "
               "0..9), but the model's output has " +
                   std::to_string(o.textVocab) + " classes (at least " +
                   std::to_string(kSyntheticVocab) + " needed)");
  if (T < 2)
    fail(spec, "sequences of one token cannot be reversed or sorted; the "
               "model's input has T = 1");
  DataSplits s;
  s.format = "synthetic";
  s.corpus.chars = {'.', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'};
  std::set<std::vector<int32_t>> held;
  Rng testRng(mixSeed(seed, 1)), trainRng(mixSeed(seed, 2));
  // Few distinct sequences for a small T: the splits shrink with them.
  int64_t minLen = std::max<int64_t>(1, (2 * T + 2) / 3);
  double distinct = 0;
  for (int64_t n = minLen; n <= T && distinct < 1e9; ++n)
    distinct += std::pow(10.0, double(n));
  int64_t nTest = int64_t(std::min(double(kSyntheticTest), distinct / 10));
  int64_t nTrain = int64_t(std::min(double(kSyntheticTrain), distinct - nTest));
  if (nTest < 1 || nTrain < 1)
    fail(spec, "too few distinct sequences of length " + std::to_string(T) +
                   " for a training and a held-out split");
  s.test.name = spec + " (held out)";
  generate(task, testRng, T, nTest, nullptr, &held, s.test);
  s.train.name = spec;
  generate(task, trainRng, T, nTrain, &held, nullptr, s.train);
  return s;
}

void captionLabels(DataSplits &s, const std::string &spec, int64_t positions) {
  if (s.classNames.empty())
    fail(spec, "captions need a data set with class names (Fashion-MNIST); "
               "this one has none");
  size_t longest = 0;
  for (const std::string &c : s.classNames)
    longest = std::max(longest, c.size());
  if (positions < int64_t(longest) + 1)
    fail(spec, "the longest caption, '" +
                   *std::max_element(s.classNames.begin(), s.classNames.end(),
                                     [](const std::string &a, const std::string &b) {
                                       return a.size() < b.size();
                                     }) +
                   "', needs " + std::to_string(longest + 1) +
                   " positions (its bytes and an end), but the model's label "
                   "has " + std::to_string(positions));
  for (Dataset *d : {&s.train, &s.test}) {
    if (d->labelsPerExample() != 1)
      fail(d->labelName.empty() ? d->name : d->labelName,
           "captions replace one class label per example; this data has " +
               std::to_string(d->labelsPerExample()));
    int64_t n = d->size();
    Array y(DType::I32, {n, positions});
    int32_t *out = y.as<int32_t>();
    for (int64_t i = 0; i < n; ++i) {
      double c = d->y.at(i);
      if (!(c >= 0 && c < double(s.classNames.size())) || c != double(int64_t(c))) {
        char v[32];
        std::snprintf(v, sizeof v, "%g", c);
        fail(d->labelName.empty() ? d->name : d->labelName,
             "label " + std::string(v) + " of example " + std::to_string(i) +
                 " is not one of the " + std::to_string(s.classNames.size()) +
                 " classes");
      }
      const std::string &name = s.classNames[size_t(c)];
      for (size_t k = 0; k < name.size(); ++k)
        out[i * positions + int64_t(k)] = int32_t((unsigned char)name[k]);
    }
    d->y = std::move(y);
  }
  s.format += "+captions";
}

DataSplits loadNamedDataset(const std::string &spec, const DataOptions &o,
                            const std::string &defaultImages) {
  if (startsWith(spec, kSynthetic))
    return loadSynthetic(spec, o);
  if (spec == kBert || startsWith(spec, "bert:"))
    return loadBert(spec, o);
  std::string dir = spec == kCaptions ? defaultImages
                                      : spec.substr(std::string(kCaptions).size() + 1);
  if (dir.empty())
    fail(spec, "names no directory after 'captions:' (plain 'captions' is "
               "the default data set's)");
  DataOptions inner = o;
  inner.textSeqLen = 0;
  DataSplits s = loadDataDir(dir, inner);
  captionLabels(s, spec, o.labelLen);
  return s;
}

} // namespace dlrt
