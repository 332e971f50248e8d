// benchmarks/train/bert_data.cpp - dumps dlrt's "bert" data set for PyTorch's peer.
//
//   c++ -std=c++17 -O2 -I runtime/include benchmarks/train/bert_data.cpp
//       build/lib/libdlrt.a -lz -o bert_data
//   bert_data OUTDIR [SPEC]            (SPEC default "bert", as examples/bert_mini.dl)
//
// Loads SPEC ("bert[:SEED]") with the sequence length and vocabulary of
// examples/bert_mini.dl (T 64, 99 tokens) exactly as the `dlc build` trainer
// does, and writes every field of both splits as OUTDIR/train_<field>.npy and
// OUTDIR/test_<field>.npy (ids, segments, mask, mlm_labels, nsp). Prints the
// test split's baselines: the share of its masked positions (mlm_labels !=
// -100) whose target is the most frequent target id, and the share of nsp = 1.
#include "dlrt/datasets.h"

#include <cstdio>
#include <exception>
#include <map>
#include <string>

int main(int argc, char **argv) {
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: %s OUTDIR [bert[:SEED]]\n", argv[0]);
    return 2;
  }
  std::string out = argv[1], spec = argc > 2 ? argv[2] : "bert";
  try {
    dlrt::DataOptions opts;
    opts.textSeqLen = 64;
    opts.textVocab = dlrt::kBertVocab;
    dlrt::DataSplits s = dlrt::loadBert(spec, opts);
    for (const auto &[split, ds] :
         {std::pair<const char *, const dlrt::Dataset *>{"train", &s.train},
          {"test", &s.test}})
      for (const dlrt::Field &f : ds->fields)
        dlrt::saveNpy(out + "/" + split + "_" + f.name + ".npy", f.data);

    const dlrt::Field *labels = s.test.field("mlm_labels");
    const dlrt::Field *nsp = s.test.field("nsp");
    if (!labels || !nsp) {
      std::fprintf(stderr, "%s: the test split lacks mlm_labels or nsp\n",
                   spec.c_str());
      return 1;
    }
    std::map<int64_t, int64_t> counts;
    int64_t targets = 0;
    for (int64_t i = 0; i < labels->data.numel(); ++i) {
      auto v = int64_t(labels->data.at(i));
      if (v != dlrt::kBertIgnore) {
        ++counts[v];
        ++targets;
      }
    }
    int64_t bestId = -1, best = 0;
    for (auto [id, n] : counts)
      if (n > best) {
        best = n;
        bestId = id;
      }
    int64_t ones = 0;
    for (int64_t i = 0; i < nsp->data.numel(); ++i)
      ones += nsp->data.at(i) == 1;
    std::printf("%s: train %lld, test %lld examples; test: %lld masked "
                "positions, most frequent target %lld ('%c') %.4f; nsp=1 "
                "%.4f\n",
                spec.c_str(), (long long)s.train.size(),
                (long long)s.test.size(), (long long)targets,
                (long long)bestId,
                bestId >= 4 ? char(bestId + 28) : '?',
                targets ? double(best) / double(targets) : 0.0,
                double(ones) / double(nsp->data.numel()));
  } catch (const std::exception &e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
  return 0;
}
