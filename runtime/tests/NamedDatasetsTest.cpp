//===- NamedDatasetsTest.cpp - synthetic sequence tasks, captions, bert ---===//
#include "TestUtil.h"

#include "dlrt/datasets.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <unordered_map>

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

//===----------------------------------------------------------------------===//
// bert[:SEED]: masked LM and next-sentence examples from Debian's fortunes.
//===----------------------------------------------------------------------===//

namespace {

bool haveFortunes() { return std::filesystem::is_directory(kBertTexts); }

#define SKIP_WITHOUT_FORTUNES()                                                \
  do {                                                                         \
    if (!haveFortunes())                                                       \
      GTEST_SKIP() << kBertTexts << " is missing (Debian package fortunes)";   \
  } while (0)

DataOptions bertOptions(int64_t T, int64_t vocab = kBertVocab) {
  DataOptions o;
  o.textSeqLen = T;
  o.textVocab = vocab;
  return o;
}

/// One load of "bert" at T = 64, shared by the tests that only read it.
const DataSplits &bert64() {
  static const DataSplits s = loadBert("bert", bertOptions(64));
  return s;
}

const Array &fieldOf(const Dataset &d, const char *name) {
  const Field *f = d.field(name);
  if (!f)
    throw std::runtime_error(std::string("no field ") + name);
  return f->data;
}

/// The unmasked A and B texts of row I (labels put back).
std::pair<std::string, std::string> bertTexts(const Dataset &d, int64_t i) {
  const Array &ids = fieldOf(d, "ids"), &lab = fieldOf(d, "mlm_labels");
  int64_t T = ids.shape[1];
  const int32_t *x = ids.as<int32_t>() + i * T, *l = lab.as<int32_t>() + i * T;
  std::string text[2];
  int part = -1;
  for (int64_t t = 0; t < T && x[t] != kBertPad; ++t) {
    if (x[t] == kBertCls || x[t] == kBertSep) {
      ++part;
      continue;
    }
    int32_t tok = l[t] != kBertIgnore ? l[t] : x[t];
    text[part] += char(tok + 28);
  }
  return {text[0], text[1]};
}

/// The fortunes as the loader should see them, read independently: entries
/// joined into one string, each preceded by '\n', lines joined by ' ';
/// indexed by KEY characters: after each line start but an entry's first
/// (the start of a true B), before the space ending each line but an
/// entry's last (the end of an A), and at each entry's start (the start of
/// a random B).
struct FortuneText {
  static constexpr size_t kKey = 8;
  std::string all;
  std::vector<size_t> entryStarts; // offset of each entry's text
  using Index = std::unordered_multimap<std::string, size_t>;
  Index byLineStart;  // line k >= 1 -> its offset in ALL
  Index byLineEnd;    // line k < last -> the offset of the space after it
  Index byEntryStart; // entry -> its offset
  size_t entryAt(size_t offset) const {
    return size_t(std::upper_bound(entryStarts.begin(), entryStarts.end(),
                                   offset) -
                  entryStarts.begin()) -
           1;
  }
};

const FortuneText &fortuneText() {
  static const FortuneText ft = [] {
    FortuneText f;
    const size_t K = FortuneText::kKey;
    std::vector<std::string> names;
    for (const auto &e : std::filesystem::directory_iterator(kBertTexts)) {
      std::string n = e.path().filename().string();
      auto ends = [&](const std::string &suf) {
        return n.size() > suf.size() &&
               n.compare(n.size() - suf.size(), suf.size(), suf) == 0;
      };
      if (!ends(".dat") && !ends(".u8") && e.is_regular_file())
        names.push_back(e.path().string());
    }
    std::sort(names.begin(), names.end());
    for (const std::string &path : names) {
      std::ifstream in(path, std::ios::binary);
      std::string raw, entry;
      std::vector<size_t> lineStarts;
      auto flush = [&] {
        if (!entry.empty()) {
          f.all += '\n';
          size_t base = f.all.size();
          f.entryStarts.push_back(base);
          f.all += entry;
          f.byEntryStart.emplace(entry.substr(0, K), base);
          for (size_t k = 1; k < lineStarts.size(); ++k) {
            size_t at = lineStarts[k];
            f.byLineStart.emplace(entry.substr(at, K), base + at);
            f.byLineEnd.emplace(
                entry.substr(at - 1 - std::min(K, at - 1), std::min(K, at - 1)),
                base + at - 1);
          }
        }
        entry.clear();
        lineStarts.clear();
      };
      while (std::getline(in, raw)) {
        if (!raw.empty() && raw.back() == '\r')
          raw.pop_back();
        if (raw == "%") {
          flush();
          continue;
        }
        std::string line;
        for (unsigned char c : raw)
          if (c == '\t')
            line += ' ';
          else if (c >= 32 && c <= 126)
            line += char(c);
        size_t a = line.find_first_not_of(' ');
        if (a == std::string::npos)
          continue;
        line = line.substr(a, line.find_last_not_of(' ') - a + 1);
        if (!entry.empty())
          entry += ' ';
        lineStarts.push_back(entry.size());
        entry += line;
      }
      flush();
    }
    f.all += '\n';
    return f;
  }();
  return ft;
}

/// The entries in which TEXT occurs with an index's offsets (of INDEX,
/// keyed by TEXT's first or, with SUFFIX, last kKey characters) at TEXT's
/// start (or end), within one entry. A TEXT shorter than a key is looked
/// up through every offset of INDEX.
std::set<size_t> entriesWith(const FortuneText &f,
                             const FortuneText::Index &index,
                             const std::string &text, bool suffix) {
  const size_t K = FortuneText::kKey;
  std::set<size_t> found;
  auto matchAt = [&](size_t at) {
    if (suffix && at < text.size())
      return;
    size_t first = suffix ? at - text.size() : at;
    if (f.all.compare(first, text.size(), text) != 0)
      return;
    size_t e = f.entryAt(first);
    if (f.entryAt(first + text.size() - 1) == e)
      found.insert(e);
  };
  if (text.size() >= K) {
    auto range = index.equal_range(suffix ? text.substr(text.size() - K)
                                          : text.substr(0, K));
    for (auto it = range.first; it != range.second; ++it)
      matchAt(it->second);
  } else {
    for (const auto &kv : index)
      matchAt(kv.second);
  }
  return found;
}

/// The entries in which A ends a line and B follows from the next line.
std::set<size_t> continuationEntries(const FortuneText &f, const std::string &a,
                                     const std::string &b) {
  std::set<size_t> found;
  std::string want = a + " " + b;
  auto matchAt = [&](size_t at) { // at: a line start, where B starts
    if (at < a.size() + 1)
      return;
    size_t first = at - a.size() - 1;
    if (f.all.compare(first, want.size(), want) == 0 &&
        f.entryAt(first) == f.entryAt(at))
      found.insert(f.entryAt(at));
  };
  if (b.size() >= FortuneText::kKey) {
    auto range = f.byLineStart.equal_range(b.substr(0, FortuneText::kKey));
    for (auto it = range.first; it != range.second; ++it)
      matchAt(it->second);
  } else {
    for (const auto &kv : f.byLineStart)
      matchAt(kv.second);
  }
  return found;
}

} // namespace

TEST(Bert, FieldsShapesAndTypes) {
  SKIP_WITHOUT_FORTUNES();
  const DataSplits &s = bert64();
  EXPECT_EQ(s.format, "bert");
  EXPECT_EQ(s.train.name, "bert");
  EXPECT_EQ(s.test.name, "bert (held out)");
  EXPECT_FALSE(s.files.empty());
  for (const std::string &f : s.files) {
    EXPECT_EQ(f.rfind(std::string(kBertTexts) + "/", 0), 0u) << f;
    EXPECT_FALSE(f.size() > 4 && f.compare(f.size() - 4, 4, ".dat") == 0) << f;
    EXPECT_FALSE(f.size() > 3 && f.compare(f.size() - 3, 3, ".u8") == 0) << f;
  }
  for (const Dataset *d : {&s.train, &s.test}) {
    int64_t N = d == &s.train ? kBertTrain : kBertTest;
    EXPECT_EQ(d->size(), N);
    EXPECT_FALSE(d->labelled()); // no Y: the model says which fields are labels
    EXPECT_TRUE(d->x.shape.empty());
    EXPECT_TRUE(d->y.shape.empty());
    ASSERT_EQ(d->fields.size(), 5u);
    const char *names[5] = {"ids", "segments", "mask", "mlm_labels", "nsp"};
    DType types[5] = {DType::I32, DType::I32, DType::F32, DType::I32,
                      DType::I32};
    for (int k = 0; k < 5; ++k) {
      EXPECT_EQ(d->fields[size_t(k)].name, names[k]);
      EXPECT_EQ(d->fields[size_t(k)].data.dtype, types[k]) << names[k];
      EXPECT_EQ(d->fields[size_t(k)].data.shape,
                k == 4 ? Shape{N} : (Shape{N, 64}))
          << names[k];
    }
  }
}

TEST(Bert, RowLayoutAndMasking) {
  SKIP_WITHOUT_FORTUNES();
  const DataSplits &s = bert64();
  for (const Dataset *d : {&s.train, &s.test}) {
    const int64_t T = 64, N = d->size();
    const int32_t *ids = fieldOf(*d, "ids").as<int32_t>(),
                  *seg = fieldOf(*d, "segments").as<int32_t>(),
                  *lab = fieldOf(*d, "mlm_labels").as<int32_t>(),
                  *nsp = fieldOf(*d, "nsp").as<int32_t>();
    const float *mask = fieldOf(*d, "mask").as<float>();
    int64_t tokens = 0, selected = 0, masked = 0, random = 0, kept = 0,
            next = 0;
    int64_t full = 0;
    for (int64_t i = 0; i < N; ++i) {
      const int32_t *x = ids + i * T, *sg = seg + i * T, *l = lab + i * T;
      const float *m = mask + i * T;
      ASSERT_EQ(x[0], kBertCls) << "row " << i;
      int64_t len = std::find(x, x + T, kBertPad) - x;
      ASSERT_TRUE(
          std::all_of(x + len, x + T, [](int32_t t) { return t == kBertPad; }))
          << "row " << i << ": padding only at the end";
      full += len == T;
      std::vector<int64_t> seps;
      int64_t rowSelected = 0;
      for (int64_t t = 0; t < T; ++t) {
        ASSERT_EQ(m[t], t < len ? 1.0f : 0.0f) << "row " << i << " t " << t;
        if (x[t] == kBertSep)
          seps.push_back(t);
        ASSERT_NE(x[t] == kBertCls, t != 0) << "row " << i << " t " << t;
      }
      ASSERT_EQ(seps.size(), 2u) << "row " << i;
      ASSERT_EQ(seps[1], len - 1) << "row " << i;
      ASSERT_GE(seps[0], 2) << "row " << i << ": A is empty";
      ASSERT_GE(seps[1] - seps[0], 2) << "row " << i << ": B is empty";
      for (int64_t t = 0; t < T; ++t) {
        int32_t want = t > seps[0] && t < len ? 1 : 0;
        ASSERT_EQ(sg[t], want) << "row " << i << " t " << t;
        bool ab = t > 0 && t < len - 1 && t != seps[0];
        if (ab) {
          ++tokens;
          ASSERT_TRUE(x[t] == kBertMask || (x[t] >= 4 && x[t] <= 98))
              << "row " << i << " t " << t << ": " << x[t];
        }
        if (l[t] == kBertIgnore)
          continue;
        ASSERT_TRUE(ab) << "row " << i << " t " << t
                        << ": label on CLS/SEP/PAD";
        ASSERT_GE(l[t], 4);
        ASSERT_LE(l[t], 98);
        ++selected;
        ++rowSelected;
        if (x[t] == kBertMask)
          ++masked;
        else if (x[t] == l[t])
          ++kept;
        else
          ++random;
      }
      ASSERT_GE(rowSelected, 1) << "row " << i << " has no MLM target";
      ASSERT_TRUE(nsp[i] == 0 || nsp[i] == 1);
      next += nsp[i];
    }
    double sel = double(selected) / double(tokens);
    double maskShare = double(masked) / double(selected);
    EXPECT_GT(full, 0) << "no example fills T";
    if (d == &s.train) {
      EXPECT_GT(sel, 0.12);
      EXPECT_LT(sel, 0.18);
      EXPECT_GT(maskShare, 0.77);
      EXPECT_LT(maskShare, 0.83);
      // Random (the draw may hit the original: 1/95 of them count as kept).
      EXPECT_NEAR(double(random) / double(selected), 0.1, 0.02);
      EXPECT_NEAR(double(kept) / double(selected), 0.1, 0.02);
    }
    double nextShare = double(next) / double(N);
    EXPECT_GT(nextShare, 0.45) << d->name;
    EXPECT_LT(nextShare, 0.55) << d->name;
  }
}

TEST(Bert, NextSentencesContinueTheirFortune) {
  SKIP_WITHOUT_FORTUNES();
  const DataSplits &s = bert64();
  const FortuneText &f = fortuneText();
  std::set<size_t> trainEntries, testEntries;
  for (const Dataset *d : {&s.test, &s.train}) {
    const int32_t *nsp = fieldOf(*d, "nsp").as<int32_t>();
    int64_t next = 0, other = 0, otherKnown = 0;
    const int64_t T = fieldOf(*d, "ids").shape[1];
    auto whole = [&](const std::string &text) { // some entry is just TEXT
      for (size_t e : entriesWith(f, f.byEntryStart, text, false))
        if (f.all[f.entryStarts[e] + text.size()] == '\n')
          return true;
      return false;
    };
    for (int64_t i = 0; i < d->size() && (next < 1500 || other < 1500); ++i) {
      auto [a, b] = bertTexts(*d, i);
      // A row shorter than T holds the whole of A and of B.
      if (int64_t(a.size() + b.size() + 3) < T) {
        if (nsp[i] == 1)
          ASSERT_TRUE(whole(a + " " + b)) << d->name << " row " << i << ": '"
                                          << a << "' + '" << b << "' cut";
        else
          ASSERT_TRUE(whole(b) &&
                      !entriesWith(f, f.byEntryStart, a, false).empty())
              << d->name << " row " << i << ": '" << a << "', '" << b
              << "' cut";
      }
      if (nsp[i] == 1) {
        std::set<size_t> in = continuationEntries(f, a, b);
        ASSERT_FALSE(in.empty()) << d->name << " row " << i << ": '" << a
                                 << "' + '" << b << "' is no continuation";
        if (in.size() == 1)
          (d == &s.train ? trainEntries : testEntries).insert(*in.begin());
        ++next;
      } else {
        // A ends a line before a further one; B starts another fortune.
        std::set<size_t> ea = entriesWith(f, f.byLineEnd, a, true),
                         eb = entriesWith(f, f.byEntryStart, b, false);
        ASSERT_FALSE(ea.empty())
            << d->name << " row " << i << ": A '" << a << "'";
        ASSERT_FALSE(eb.empty())
            << d->name << " row " << i << ": B '" << b << "' starts no fortune";
        if (ea.size() == 1 && eb.size() == 1) {
          EXPECT_NE(*ea.begin(), *eb.begin())
              << d->name << " row " << i << ": B starts A's own fortune";
          ++otherKnown;
        }
        ++other;
      }
    }
    EXPECT_GT(otherKnown, 500) << d->name;
  }
  // The held-out entries are never trained on.
  EXPECT_GT(testEntries.size(), 100u);
  EXPECT_GT(trainEntries.size(), 500u);
  for (size_t e : testEntries)
    EXPECT_FALSE(trainEntries.count(e))
        << "entry at " << f.entryStarts[e] << " in both splits";
}

TEST(Bert, ShortBudgetsKeepATailAndBHead) {
  SKIP_WITHOUT_FORTUNES();
  // T = 8: 5 tokens for A and B; A gets at most 2 unless B is shorter.
  DataSplits s = loadBert("bert:3", bertOptions(8));
  const int32_t *ids = fieldOf(s.test, "ids").as<int32_t>();
  for (int64_t i = 0; i < s.test.size(); ++i) {
    const int32_t *x = ids + i * 8;
    int64_t sep = std::find(x + 1, x + 8, kBertSep) - x;
    ASSERT_GE(sep, 2);
    ASSERT_LE(sep, 5) << "row " << i;
  }
  const FortuneText &f = fortuneText();
  const int32_t *nsp = fieldOf(s.test, "nsp").as<int32_t>();
  for (int64_t i = 0; i < 200; ++i)
    if (nsp[i]) {
      auto [a, b] = bertTexts(s.test, i);
      EXPECT_EQ(a.size() + b.size(), 5u) << "row " << i;
      EXPECT_FALSE(continuationEntries(f, a, b).empty()) << "row " << i;
    }
}

TEST(Bert, TheSeedDecides) {
  SKIP_WITHOUT_FORTUNES();
  const DataSplits &a = bert64();
  DataSplits b = loadBert("bert:1", bertOptions(64));
  DataSplits c = loadNamedDataset("bert:2", bertOptions(64), "/nowhere");
  EXPECT_EQ(c.format, "bert");
  EXPECT_EQ(c.train.name, "bert:2");
  for (size_t k = 0; k < 5; ++k) {
    EXPECT_EQ(a.train.fields[k].data.bytes, b.train.fields[k].data.bytes) << k;
    EXPECT_EQ(a.test.fields[k].data.bytes, b.test.fields[k].data.bytes) << k;
    EXPECT_NE(a.train.fields[k].data.bytes, c.train.fields[k].data.bytes) << k;
    EXPECT_NE(a.test.fields[k].data.bytes, c.test.fields[k].data.bytes) << k;
  }
  EXPECT_EQ(a.files, c.files);
}

TEST(Bert, BadSpecsAndModels) {
  EXPECT_TRUE(isNamedDataset("bert"));
  EXPECT_TRUE(isNamedDataset("bert:7"));
  EXPECT_TRUE(isNamedDataset("bert:"));
  EXPECT_FALSE(isNamedDataset("bert2"));
  EXPECT_FALSE(isNamedDataset("berts:1"));
  EXPECT_DLRT_ERROR(loadBert("bert:x", bertOptions(64)),
                    "bert:x: the seed after 'bert:' must be a non-negative "
                    "integer, got 'x'");
  EXPECT_DLRT_ERROR(loadBert("bert:", bertOptions(64)), "got ''");
  EXPECT_DLRT_ERROR(loadBert("bert:-1", bertOptions(64)),
                    "non-negative integer");
  EXPECT_DLRT_ERROR(loadBert("bert:1x", bertOptions(64)), "got '1x'");
  EXPECT_DLRT_ERROR(loadNamedDataset("bert:x", bertOptions(64), "/nowhere"),
                    "non-negative integer");
  EXPECT_DLRT_ERROR(
      loadBert("bert", bertOptions(7)),
      "bert needs a model whose input 'ids' is [batch, T] with T >= 8",
      "this one has T = 7");
  EXPECT_DLRT_ERROR(loadBert("bert", bertOptions(0)), "T >= 8",
                    "does not read token ids");
  EXPECT_DLRT_ERROR(loadBert("bert", bertOptions(64, 98)),
                    "the model's output has 98 classes (at least 99 needed)");
}
