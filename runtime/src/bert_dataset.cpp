//===- bert_dataset.cpp - BERT pre-training examples from fortunes --------===//
//
// The named data set "bert[:SEED]": masked-language-model and next-sentence
// examples built from Debian's fortunes (kBertTexts), character by
// character. Each fortune (the text between lines holding just "%") is an
// entry whose non-empty lines are its sentences. A tenth of the entries is
// held out: the test split's examples are built from held-out entries only
// and the training split's from the others only, so the test split measures
// text the model has never seen. Everything is drawn from Rngs seeded by
// SEED, so a spec always gives the same arrays.
//
//===----------------------------------------------------------------------===//
#include "dlrt/datasets.h"
#include "dlrt/error.h"
#include "dlrt/io.h"
#include "dlrt/random.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <unordered_set>

namespace dlrt {

namespace {

/// The first character's id: ASCII byte B (32..126) is token B - 28.
constexpr int32_t kFirstChar = 4;
constexpr int32_t kCharTokens = int32_t(kBertVocab) - kFirstChar; // 95
/// The share of A and B tokens selected for the MLM loss, and what becomes
/// of a selected token: [MASK] (80%), a random character (10%), kept (10%).
constexpr double kSelect = 0.15, kToMask = 0.8, kToRandom = 0.9;
/// The share of entries held out for the test split.
constexpr int64_t kHeldOutDivisor = 10;

/// One fortune: its normalized lines joined by ' ', and where each starts.
struct Fortune {
  std::string text;
  std::vector<uint32_t> starts;
  size_t lines() const { return starts.size(); }
};

bool endsWith(const std::string &s, const char *suffix) {
  size_t n = std::char_traits<char>::length(suffix);
  return s.size() > n && s.compare(s.size() - n, n, suffix) == 0;
}

/// Appends the fortunes of one file's content to OUT: entries separated by
/// lines holding just "%" (a trailing CR allowed); in a line, a tab becomes
/// a space and every other byte outside ASCII 32..126 (UTF-8, control
/// characters) is dropped, then the line is trimmed; empty lines are
/// dropped. An entry is kept once (SEEN: the texts kept so far), so the
/// same fortune in two files never lands in both splits.
void parseFortunes(const Bytes &b, std::vector<Fortune> &out,
                   std::unordered_set<std::string> &seen) {
  Fortune cur;
  auto finish = [&] {
    if (!cur.starts.empty() && seen.insert(cur.text).second)
      out.push_back(std::move(cur));
    cur = Fortune();
  };
  std::string line;
  for (size_t i = 0, n = b.size(); i < n;) {
    size_t j = i;
    while (j < n && b[j] != '\n')
      ++j;
    size_t end = j > i && b[j - 1] == '\r' ? j - 1 : j;
    if (end - i == 1 && b[i] == '%') {
      finish();
    } else {
      line.clear();
      for (size_t k = i; k < end; ++k) {
        unsigned char c = b[k];
        if (c == '\t')
          line += ' ';
        else if (c >= 32 && c <= 126)
          line += char(c);
      }
      size_t first = line.find_first_not_of(' ');
      if (first != std::string::npos) {
        size_t last = line.find_last_not_of(' ');
        if (!cur.text.empty())
          cur.text += ' ';
        cur.starts.push_back(uint32_t(cur.text.size()));
        cur.text.append(line, first, last - first + 1);
      }
    }
    i = j + 1;
  }
  finish();
}

/// The fortunes of every regular file of DIR in name order, but strfile's
/// `.dat` indexes and the `.u8` links (each file once); FILES: those read.
std::vector<Fortune> readFortunes(const std::string &dir,
                                  std::vector<std::string> &files) {
  if (!isDirectory(dir))
    fail(dir, std::string(pathPresent(dir) ? "is not a directory"
                                           : "no such directory") +
                  "; the bert data set reads Debian's fortunes there "
                  "(packages fortunes-min and fortunes)");
  std::vector<Fortune> entries;
  std::unordered_set<std::string> seen;
  for (const std::string &name : listDirectory(dir)) {
    std::string file = joinPath(dir, name);
    if (endsWith(name, ".dat") || endsWith(name, ".u8") ||
        !notRegularFileReason(file).empty() ||
        std::any_of(files.begin(), files.end(),
                    [&](const std::string &r) { return sameFile(r, file); }))
      continue;
    parseFortunes(readMaybeGzip(file), entries, seen);
    files.push_back(file);
  }
  return entries;
}

uint64_t parseSeed(const std::string &spec) {
  size_t colon = spec.find(':');
  if (colon == std::string::npos)
    return 1;
  std::string s = spec.substr(colon + 1);
  char *end = nullptr;
  errno = 0;
  unsigned long long v = s.empty() ? 0 : std::strtoull(s.c_str(), &end, 10);
  if (s.empty() || *end || errno || s[0] == '-' || s[0] == '+' ||
      std::isspace(static_cast<unsigned char>(s[0])))
    fail(spec, "the seed after 'bert:' must be a non-negative integer, got '" +
                   s + "'");
  return v;
}

/// COUNT examples of T tokens from the entries ENTRIES into D's fields.
void buildExamples(const std::vector<const Fortune *> &entries, Rng &rng,
                   int64_t count, int64_t T, const std::string &where,
                   Dataset &d) {
  std::vector<size_t> pool; // entries with two lines or more
  for (size_t i = 0; i < entries.size(); ++i)
    if (entries[i]->lines() >= 2)
      pool.push_back(i);
  if (pool.empty() || entries.size() < 2)
    fail(where, "needs at least two fortunes, one of them of two lines or "
                "more, to build next-sentence examples");
  Array ids(DType::I32, {count, T}), seg(DType::I32, {count, T}),
      mask(DType::F32, {count, T}), mlm(DType::I32, {count, T}),
      nsp(DType::I32, {count});
  int32_t *pi = ids.as<int32_t>(), *ps = seg.as<int32_t>(),
          *pl = mlm.as<int32_t>(), *pn = nsp.as<int32_t>();
  float *pm = mask.as<float>();
  std::fill(pl, pl + count * T, kBertIgnore);
  const size_t budget = size_t(T - 3);
  for (int64_t e = 0; e < count; ++e) {
    size_t chosen = pool[size_t(rng.below(pool.size()))];
    const Fortune &f = *entries[chosen];
    size_t k = 1 + size_t(rng.below(f.lines() - 1));
    // A: lines [0, k) (without the space before line k); B: lines [k, end).
    const char *a = f.text.data();
    size_t la = f.starts[k] - 1;
    const char *b;
    size_t lb;
    bool isNext = rng.uniform() < 0.5;
    if (isNext) {
      b = a + f.starts[k];
      lb = f.text.size() - f.starts[k];
    } else {
      size_t other = size_t(rng.below(entries.size() - 1));
      other += other >= chosen;
      b = entries[other]->text.data();
      lb = entries[other]->text.size();
    }
    // A keeps its last characters, B its first: A at most half the budget
    // unless B leaves more.
    size_t ka = std::min(la, budget / 2);
    size_t kb = std::min(lb, budget - ka);
    ka = std::min(la, budget - kb);
    int32_t *x = pi + e * T, *s = ps + e * T, *l = pl + e * T;
    float *m = pm + e * T;
    int64_t t = 0;
    x[t++] = kBertCls;
    for (size_t i = la - ka; i < la; ++i)
      x[t++] = int32_t(static_cast<unsigned char>(a[i])) - 28;
    x[t++] = kBertSep;
    for (size_t i = 0; i < kb; ++i) {
      s[t] = 1;
      x[t++] = int32_t(static_cast<unsigned char>(b[i])) - 28;
    }
    s[t] = 1;
    x[t++] = kBertSep;
    std::fill(m, m + t, 1.0f);
    pn[e] = isNext ? 1 : 0;
    // Masking over A (positions 1..ka) and B (ka+2 .. ka+1+kb).
    auto select = [&](int64_t p) {
      l[p] = x[p];
      double r = rng.uniform();
      if (r < kToMask)
        x[p] = kBertMask;
      else if (r < kToRandom)
        x[p] = kFirstChar + int32_t(rng.below(uint64_t(kCharTokens)));
    };
    auto position = [&](size_t q) { return int64_t(q < ka ? 1 + q : 2 + q); };
    bool any = false;
    for (size_t q = 0; q < ka + kb; ++q)
      if (rng.uniform() < kSelect) {
        select(position(q));
        any = true;
      }
    if (!any)
      select(position(size_t(rng.below(ka + kb))));
  }
  d.fields.clear();
  d.fields.push_back({"ids", std::move(ids)});
  d.fields.push_back({"segments", std::move(seg)});
  d.fields.push_back({"mask", std::move(mask)});
  d.fields.push_back({"mlm_labels", std::move(mlm)});
  d.fields.push_back({"nsp", std::move(nsp)});
}

} // namespace

DataSplits loadBert(const std::string &spec, const DataOptions &o) {
  uint64_t seed = parseSeed(spec);
  int64_t T = o.textSeqLen;
  if (T < kBertMinSeqLen)
    fail(spec,
         "bert needs a model whose input 'ids' is [batch, T] with T >= " +
             std::to_string(kBertMinSeqLen) +
             (T > 0 ? "; this one has T = " + std::to_string(T)
                    : std::string("; this model does not read token ids")));
  if (o.textVocab > 0 && o.textVocab < kBertVocab)
    fail(spec, "the tokens are 0..3 ([PAD], [CLS], [SEP], [MASK]) and 4..98 "
               "(ASCII 32..126), but the model's output has " +
                   std::to_string(o.textVocab) + " classes (at least " +
                   std::to_string(kBertVocab) + " needed)");
  DataSplits s;
  s.format = "bert";
  std::vector<Fortune> all = readFortunes(kBertTexts, s.files);
  if (all.size() < 2 * size_t(kHeldOutDivisor))
    fail(kBertTexts, "holds " + std::to_string(all.size()) +
                         " fortunes; bert needs at least " +
                         std::to_string(2 * kHeldOutDivisor));
  // The held-out entries: the first tenth of a seeded permutation.
  std::vector<size_t> order(all.size());
  for (size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  Rng splitRng(mixSeed(seed, 0));
  shuffle(order, splitRng);
  size_t nHeld = all.size() / size_t(kHeldOutDivisor);
  std::sort(order.begin(), order.begin() + long(nHeld));
  std::sort(order.begin() + long(nHeld), order.end());
  std::vector<const Fortune *> held, kept;
  for (size_t i = 0; i < order.size(); ++i)
    (i < nHeld ? held : kept).push_back(&all[order[i]]);
  Rng testRng(mixSeed(seed, 1)), trainRng(mixSeed(seed, 2));
  s.train.name = spec;
  s.test.name = spec + " (held out)";
  buildExamples(kept, trainRng, kBertTrain, T, s.train.name, s.train);
  buildExamples(held, testRng, kBertTest, T, s.test.name, s.test);
  return s;
}

} // namespace dlrt
