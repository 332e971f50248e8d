//===- dlrt/datasets.h - IDX (+gzip), CSV, NumPy .npy, text -----*- C++ -*-===//
//
// Every reader validates what it reads: a missing file, a truncated file, a
// bad magic number, bad dimensions, a gzip error or a malformed field throw
// dlrt::Error("FILE: REASON"), never a crash or a silent wrong answer.
//
//===----------------------------------------------------------------------===//
#ifndef DLRT_DATASETS_H
#define DLRT_DATASETS_H

#include "dlrt/tensor.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dlrt {

//--- IDX (MNIST, Fashion-MNIST) ----------------------------------------------//

/// Reads an IDX file (gzip-compressed or not, detected from the content):
/// magic 00 00 TYPE RANK, RANK big-endian u32 dimensions, then the data.
/// Types u8 (08), i8 (09), i16 (0B), i32 (0C), f32 (0D), f64 (0E). The data
/// must be exactly as long as the dimensions say. A gzip stream is
/// decompressed only as far as its header implies (plus one byte, to tell
/// trailing data), so a small file never inflates to gigabytes first.
Array loadIdx(const std::string &path);
/// loadIdx of content in memory (gzip or not); NAME is used in errors.
Array parseIdx(const unsigned char *data, size_t size, const std::string &name);
/// Writes ARRAY as an uncompressed IDX file (u8, i8, i16, i32, f32, f64).
void saveIdx(const std::string &path, const Array &array);

//--- CSV ---------------------------------------------------------------------//

struct CsvOptions {
  char delimiter = ',';
  /// Whether the first row is a header: unset = detected (a row whose
  /// fields are not all numbers is a header).
  std::optional<bool> header;
};

/// A numeric table: ROWS x COLS doubles, row-major.
struct CsvTable {
  std::vector<std::string> header; // empty without a header row
  int64_t rows = 0, cols = 0;
  std::vector<double> values;
  double at(int64_t r, int64_t c) const { return values[size_t(r * cols + c)]; }
  /// Index of the header column named NAME, or -1.
  int64_t column(const std::string &name) const;
};

/// Reads a CSV file of numbers (optional header; fields may be quoted;
/// blank lines ignored; CRLF accepted). Every row must have the same number
/// of fields and every field must be a finite or non-finite number; errors
/// name the line and column.
CsvTable loadCsv(const std::string &path, const CsvOptions &opts = {});
CsvTable parseCsv(const std::string &text, const std::string &name,
                  const CsvOptions &opts = {});

//--- NumPy .npy --------------------------------------------------------------//

/// Reads a .npy file: format versions 1, 2 and 3; little-endian (or
/// byte-order-free) f4, f8, i1, i2, i4, i8, u1, b1; C order (Fortran order
/// only for rank <= 1). The data must be exactly as long as the shape says.
Array loadNpy(const std::string &path);
Array parseNpy(const unsigned char *data, size_t size, const std::string &name);
/// Writes a version-1 .npy file (atomically).
void saveNpy(const std::string &path, const Array &array);
void saveNpy(const std::string &path, const TensorView &view);

//--- Text corpora ------------------------------------------------------------//

/// A text as token ids. Byte-level (vocabulary of 256, id = byte) or
/// character-level (ids index `chars`, the sorted distinct bytes).
struct TextCorpus {
  std::vector<int32_t> tokens;
  std::vector<unsigned char> chars; // empty for byte-level
  int64_t vocabSize() const { return chars.empty() ? 256 : int64_t(chars.size()); }
  /// Token ids of TEXT (throws for a byte outside a character vocabulary).
  std::vector<int32_t> encode(const std::string &text) const;
  std::string decode(const std::vector<int32_t> &ids) const;
};

/// Byte-level corpus of a file (errors: missing, unreadable, empty).
TextCorpus loadTextBytes(const std::string &path);
/// Character-level vocabulary built from TEXTS; tokens of the first text.
TextCorpus buildCharCorpus(const std::vector<std::string> &texts);

//--- Data sets for training ---------------------------------------------------//

/// One named array of a data set with several inputs and labels (BERT's
/// ids, segments, mask, MLM labels and NSP label): examples along
/// dimension 0. It feeds the model's input or label of the same name.
struct Field {
  std::string name;
  Array data;
};

/// Examples along dimension 0 of X and Y, or of named FIELDS. X is kept in
/// its stored type (u8 images stay u8) and scaled by XSCALE when a batch is
/// gathered. A data set has either X (and Y, when labelled: the model's one
/// input and one label) or FIELDS (bound to the model's inputs and labels by
/// name; X and Y are empty).
struct Dataset {
  std::string name; // for messages, e.g. the image file
  /// The file of the labels, for messages about them; empty: NAME.
  std::string labelName;
  Array x;
  Array y;
  double xScale = 1.0;
  std::vector<Field> fields;

  int64_t size() const {
    const Array &a = fields.empty() ? x : fields[0].data;
    return a.shape.empty() ? 0 : a.shape[0];
  }
  /// Whether Y holds labels (a file of inputs alone has none). Which
  /// fields are labels only the model says (dlrt::Binding::labelled).
  bool labelled() const { return !y.shape.empty(); }
  /// The field named NAME, or null.
  const Field *field(const std::string &name) const {
    for (const Field &f : fields)
      if (f.name == name)
        return &f;
    return nullptr;
  }
  /// Elements of one example of X (product of dimensions 1..).
  int64_t featuresPerExample() const;
  int64_t labelsPerExample() const;
  /// "28x28 images", "784 features", "fields ids i32[64], nsp i32[]" ...
  std::string exampleDescription() const;
};

/// What a model needs, to pick and shape the data (from the trainer).
struct DataOptions {
  /// Scale applied to X; unset: 1/255 for u8 features, else 1.
  std::optional<double> scale;
  /// CSV: the label column's name (when there is a header) or 0-based
  /// index as a string; empty: a column named "label", else the last one.
  std::string labelColumn;
  /// Text mode: sequences of SEQLEN tokens (x) and the next tokens (y).
  int64_t textSeqLen = 0;
  /// Text mode: the model's vocabulary size (>= 256: byte-level).
  int64_t textVocab = 0;
  /// Text mode, one file: the share of sequences held out for testing.
  double textTestFraction = 0.1;
  /// Labels per example of the model (captions: the positions to spell).
  int64_t labelLen = 0;
};

struct DataSplits {
  std::string format; // "idx", "csv", "npy", "text"
  Dataset train, test;
  /// Class names when known (Fashion-MNIST), else empty.
  std::vector<std::string> classNames;
  TextCorpus corpus; // text mode: the vocabulary
  /// Every file the splits were read from (the trainer never writes over
  /// one of them).
  std::vector<std::string> files;
};

/// Loads a train and a test split from PATH:
///  - IDX: train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz],
///    t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]
///  - CSV: train.csv, test.csv (label column per DataOptions)
///  - npy: x_train.npy, y_train.npy, x_test.npy, y_test.npy
///  - text (opts.textSeqLen > 0): PATH a file (split by textTestFraction),
///    a directory with train.txt and optionally test.txt, or a directory of
///    text files (all regular files but .dat, each once: Debian's fortunes)
/// Checks that the counts of examples and labels agree.
DataSplits loadDataDir(const std::string &path, const DataOptions &opts = {});

//--- Named data sets -----------------------------------------------------------//

/// The padding token of the synthetic tasks (also their decoder's start).
constexpr int32_t kPadToken = 0;
/// Tokens of the synthetic tasks: 0 padding, 1..10 the digits 0..9.
constexpr int64_t kSyntheticVocab = 11;
/// Examples of the synthetic tasks' splits (fewer when T allows fewer).
constexpr int64_t kSyntheticTrain = 64000, kSyntheticTest = 2000;

/// Tokens of the "bert" data set: 0 [PAD], 1 [CLS], 2 [SEP], 3 [MASK], then
/// ASCII byte B (32..126) as B - 28 (4..98): a vocabulary of 99.
constexpr int32_t kBertPad = 0, kBertCls = 1, kBertSep = 2, kBertMask = 3;
constexpr int64_t kBertVocab = 99;
/// Examples of the "bert" data set's training and held-out splits.
constexpr int64_t kBertTrain = 32000, kBertTest = 2000;
/// The MLM label of a position that is not predicted (PyTorch's
/// ignore_index).
constexpr int32_t kBertIgnore = -100;
/// The shortest sequence a "bert" example fits in.
constexpr int64_t kBertMinSeqLen = 8;
/// The texts of the "bert" data set: Debian's fortunes.
constexpr const char *kBertTexts = "/usr/share/games/fortunes";

/// Whether SPEC names a data set instead of a path: "synthetic:TASK[:SEED]",
/// "captions[:DIR]" or "bert[:SEED]".
bool isNamedDataset(const std::string &spec);
/// "synthetic:reverse[:SEED]", "synthetic:sort[:SEED]" (SEED 1 by default):
/// sequences of opts.textSeqLen tokens, the first n (uniform in
/// [ceil((2T+2)/3) .. T], 8..12 for T = 12) random digits (tokens 1..10),
/// the rest padding (0); the label is the digits reversed or sorted, then
/// padding. The held-out split (kSyntheticTest sequences, each once) is
/// drawn first; the training split (kSyntheticTrain) never contains one of
/// its sequences.
DataSplits loadSynthetic(const std::string &spec, const DataOptions &opts);
/// "bert[:SEED]" (SEED 1 by default): BERT pre-training examples (masked
/// language model and next-sentence prediction) of characters from the
/// fortunes in kBertTexts (every regular file but `*.dat` and `*.u8`).
/// Entries are separated by lines holding just "%"; an entry's non-empty
/// lines are its sentences (a tab becomes a space, other bytes outside
/// ASCII 32..126 are dropped, lines are trimmed; an entry repeated is kept
/// once). A seeded tenth of the entries is held out: the test split
/// (kBertTest examples) is built from them alone, the training split
/// (kBertTrain) from the others alone. An example picks an entry of two
/// lines or more and a split point k: A is lines [0, k) joined by spaces;
/// B, with probability 1/2, lines [k, end) (nsp = 1), else a random other
/// entry of the split from its start (nsp = 0). Of the T - 3 tokens left,
/// A keeps its last min(len A, (T-3)/2) characters (more when B is
/// shorter) and B its first ones: [CLS] A [SEP] B [SEP] [PAD]... Each A and
/// B token is selected with probability 0.15 (one random one when none is,
/// so every example has an MLM target) and becomes [MASK] (80%), a random
/// character 4..98 (10%) or stays (10%). Fields, N examples each:
///   ids        i32 [N, T]  the tokens after masking
///   segments   i32 [N, T]  0: [CLS], A, the first [SEP] and padding;
///                          1: B and the second [SEP]
///   mask       f32 [N, T]  1 for every token but padding, 0 for padding
///   mlm_labels i32 [N, T]  the original token where selected, else
///                          kBertIgnore (-100)
///   nsp        i32 [N]     1 when B follows A in its entry
/// Needs opts.textSeqLen = T >= kBertMinSeqLen and, when opts.textVocab is
/// set, at least kBertVocab classes. The same SPEC gives the same arrays.
DataSplits loadBert(const std::string &spec, const DataOptions &opts);
/// Replaces the class labels of S (one per example, S.classNames known) by
/// captions: the class name's bytes, then zeros, POSITIONS per example.
void captionLabels(DataSplits &s, const std::string &spec, int64_t positions);
/// A named data set: loadSynthetic, loadBert, or captions of DIR
/// (DEFAULTIMAGES when SPEC is just "captions") with opts.labelLen
/// positions.
DataSplits loadNamedDataset(const std::string &spec, const DataOptions &opts,
                            const std::string &defaultImages);

/// Loads one file of inputs without labels (for predictions): an IDX file
/// (images, as t10k-images-idx3-ubyte[.gz]), a NumPy .npy array, or a CSV
/// table of numbers with one example per row. The format is detected from
/// the content, gzip included. A CSV column named by OPTS.labelColumn, else
/// one named "label", is dropped; every other column is a feature. X is
/// scaled as loadDataDir scales it; Y is left empty (labelled() is false).
Dataset loadInputs(const std::string &path, const DataOptions &opts = {});
/// loadInputs of content in memory; NAME is used in errors.
Dataset parseInputs(const unsigned char *data, size_t size,
                    const std::string &name, const DataOptions &opts = {});

/// Loads an IDX image file and its label file as one data set.
Dataset loadIdxPair(const std::string &images, const std::string &labels);

/// The ten Fashion-MNIST class names.
const std::vector<std::string> &fashionMnistClasses();

} // namespace dlrt

#endif // DLRT_DATASETS_H
