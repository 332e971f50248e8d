//===- CsvFuzzer.cpp - libFuzzer target: the CSV reader -------------------===//
//
// Part of dlc. The first input byte picks the options (delimiter, header
// detection, label column); the rest is a CSV table, read by dlrt::parseCsv
// and, as train.csv and test.csv of a scratch data directory, by
// dlrt::loadDataDir (the label column logic), and as one file of inputs by
// dlrt::loadInputs. Every result must be consistent: rows x cols values,
// one label per example.
//
//===----------------------------------------------------------------------===//

#include "FuzzUtil.h"

#include "dlrt/datasets.h"
#include "dlrt/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  uint8_t opts = data[0];
  ++data;
  --size;
  std::string text(reinterpret_cast<const char *>(data), size);
  dlrt::CsvOptions csv;
  static const char delimiters[4] = {',', ';', '\t', ' '};
  csv.delimiter = delimiters[opts & 3];
  if (opts & 4)
    csv.header = (opts & 8) != 0;
  try {
    dlrt::CsvTable t = dlrt::parseCsv(text, "fuzz.csv", csv);
    dlcfuzz::check(t.rows >= 0 && t.cols >= 0, "non-negative size");
    dlcfuzz::check(t.values.size() == size_t(t.rows) * size_t(t.cols),
                   "values == rows * cols");
    dlcfuzz::check(t.header.empty() || t.header.size() == size_t(t.cols),
                   "a header names every column");
  } catch (const dlrt::Error &) {
  }

  // The data-set path: the default options only (loadDataDir reads CSV with
  // the default delimiter), the label column from the option bits.
  dlrt::DataOptions dataOpts;
  static const char *const labelColumns[4] = {"", "label", "0", "x"};
  dataOpts.labelColumn = labelColumns[(opts >> 4) & 3];
  dlcfuzz::writeScratch("train.csv", data, size);
  dlcfuzz::writeScratch("test.csv", data, size);
  try {
    dlrt::DataSplits s = dlrt::loadDataDir(dlcfuzz::scratchDir(), dataOpts);
    dlcfuzz::check(s.train.size() == s.test.size(), "same table twice");
    dlcfuzz::check(s.train.y.numel() == s.train.size(), "one label each");
  } catch (const dlrt::Error &) {
  }
  std::string inputs = dlcfuzz::writeScratch("inputs.csv", data, size);
  try {
    dlrt::Dataset d = dlrt::loadInputs(inputs, dataOpts);
    dlcfuzz::check(d.size() > 0 && !d.labelled(), "unlabelled inputs");
  } catch (const dlrt::Error &) {
  }
  return 0;
}
