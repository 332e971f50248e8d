//===- TextFuzzer.cpp - libFuzzer target: the text corpus reader ----------===//
//
// Part of dlc. The first two input bytes pick the sequence length and the
// vocabulary; the rest is a text file (plain or gzip), read by
// dlrt::loadTextBytes and by dlrt::loadDataDir in text mode. Token ids must
// lie inside the vocabulary and decode back to the text; every sequence
// must be SEQLEN long.
//
//===----------------------------------------------------------------------===//

#include "FuzzUtil.h"

#include "dlrt/datasets.h"
#include "dlrt/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 2)
    return 0;
  int64_t seqLen = 1 + data[0] % 32;
  int64_t vocab = data[1] & 0x80 ? 256 : 1 + data[1];
  data += 2;
  size -= 2;
  std::string path = dlcfuzz::writeScratch("corpus.txt", data, size);
  try {
    dlrt::TextCorpus c = dlrt::loadTextBytes(path);
    dlcfuzz::check(c.tokens.size() == size, "one token per byte");
    std::string text(reinterpret_cast<const char *>(data), size);
    dlcfuzz::check(c.decode(c.tokens) == text, "byte-level round trip");
    dlrt::TextCorpus chars = dlrt::buildCharCorpus({text});
    dlcfuzz::check(chars.decode(chars.tokens) == text,
                   "character-level round trip");
  } catch (const dlrt::Error &) {
  }
  dlrt::DataOptions opts;
  opts.textSeqLen = seqLen;
  opts.textVocab = vocab;
  try {
    dlrt::DataSplits s = dlrt::loadDataDir(path, opts);
    for (const dlrt::Dataset *d : {&s.train, &s.test}) {
      dlcfuzz::check(d->x.rank() == 2 && d->x.shape[1] == seqLen,
                     "sequences of SEQLEN");
      dlcfuzz::check(d->x.shape == d->y.shape, "x and y agree");
      const int32_t *x = d->x.as<int32_t>();
      for (int64_t i = 0; i < d->x.numel(); ++i)
        dlcfuzz::check(x[i] >= 0 && x[i] < s.corpus.vocabSize(),
                       "token ids inside the vocabulary");
    }
  } catch (const dlrt::Error &) {
  }
  return 0;
}
