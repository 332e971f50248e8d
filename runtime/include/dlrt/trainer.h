//===- dlrt/trainer.h - training loop, evaluation, trainer CLI --*- C++ -*-===//
#ifndef DLRT_TRAINER_H
#define DLRT_TRAINER_H

#include "dlrt/datasets.h"
#include "dlrt/model.h"

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

namespace dlrt {

/// Where one entry point takes the data: argument indices (-1 = none).
struct ArgMap {
  int input = -1, label = -1, loss = -1, output = -1;
};

/// How a model's arguments meet a data set: which input gets the features,
/// which label the labels, and how accuracy is computed.
struct Binding {
  ArgMap train, eval, forward;
  std::string input, label, output; // argument names ("" = none)
  int64_t batch = 0;
  bool hasMetric = false;
  bool argmax = true;       // else output > threshold vs label > threshold
  bool sequence = false;    // argmax at every position of an example at once
  double threshold = 0.5;   // the model's metricThreshold
  int64_t classes = 0;      // argmax: size of the class dimension
  int64_t positions = 0;    // predictions per example (1, or T for sequences)
  int64_t outputPerExample = 0;
  int64_t labelPerExample = 0;     // in the model's label argument
  int64_t dataLabelsPerExample = 0;
  bool oneHot = false;      // the data has class ids, the model wants one-hot
};
/// Accuracy counts and mean loss over a data set.
struct EvalStats {
  double loss = 0;     // mean over examples (NaN when the model has no eval)
  double accuracy = 0; // correct / predictions (NaN without a metric)
  int64_t correct = 0, predictions = 0, examples = 0;
};

struct EpochStats {
  int64_t epoch = 0; // 1-based
  double trainLoss = 0, trainAccuracy = 0;
  double testLoss = 0, testAccuracy = 0;
  double seconds = 0;
};

struct TrainOptions {
  int64_t epochs = 0;        // total epochs (0 = the model's)
  uint64_t seed = 0;
  bool seedGiven = false;    // false: the model's seed (or the checkpoint's)
  std::string checkpointDir; // empty = no checkpoints
  bool resume = false;
  int64_t checkpointEvery = 0; // also checkpoint every N steps (0 = per epoch only)
  /// Checkpoints kept: the newest KEEP epoch checkpoints (and, within an
  /// epoch, the newest KEEP mid-epoch ones); 0 keeps every one. Only this
  /// run's files are removed, never the latest.
  int64_t keep = 3;
  std::string logPath;       // CSV log, empty = none
  int progress = -1;         // 1 = updating line, 0 = plain lines, -1 = auto (terminal)
  /// Stop after this many train steps in this run (0 = no limit), as if
  /// killed: for tests of --resume.
  int64_t maxSteps = 0;
  /// --resume: load a checkpoint holding NaN or Inf (with a warning on
  /// WARNINGS) instead of refusing it.
  bool allowNonFinite = false;
  std::ostream *warnings = nullptr;
  /// Let the log replace an existing file that is not a log of this
  /// trainer (a file of the data set, or anything but a regular file, it
  /// never replaces).
  bool force = false;
};

class Trainer {
public:
  /// Binds DATA to MODEL; throws Error when shapes or types do not fit, or
  /// when a feature is not finite (in the data, or once scaled by xScale
  /// into the model's input type), naming the file and the example.
  Trainer(const Model &model, DataSplits data, std::ostream &out);
  /// Binds MODEL to the examples of INPUTS alone, for predict(): the data
  /// need no labels and the trainer holds no splits (train() and
  /// evaluate() of unlabelled data throw).
  Trainer(const Model &model, const Dataset &inputs, std::ostream &out);

  Session &session() { return session_; }
  const Binding &binding() const { return binding_; }
  const DataSplits &data() const { return data_; }

  /// Loss and accuracy over DS: full batches, then one padded batch whose
  /// padding is excluded (the loss is assumed to be a mean over the batch).
  EvalStats evaluate(const Dataset &ds);
  /// Runs the forward pass over the first COUNT examples of DS (labels are
  /// not needed when the model has forward); returns the values of the
  /// metric's output (else the first output), COUNT x (its per-example
  /// size).
  std::vector<float> predict(const Dataset &ds, int64_t count);
  /// Trains; returns one entry per epoch run (resumed epochs excluded).
  std::vector<EpochStats> train(const TrainOptions &opts);

  /// Binding for MODEL and a data set's example/label shape (exposed for
  /// tests); throws Error with a clear message when they do not fit. An
  /// unlabelled SAMPLE binds the input alone.
  static Binding bind(const Model &model, const Dataset &sample);

private:
  void gather(const Entry &entry, const ArgMap &map, const Dataset &ds,
              const int64_t *idx);
  void score(const Entry &entry, const ArgMap &map, const Dataset &ds,
             const int64_t *idx, int64_t count, int64_t &correct,
             int64_t &predictions) const;
  void checkLabels(const Dataset &ds) const;
  void checkFeatures(const Dataset &ds) const;
  /// "" when every floating-point state tensor is finite, else what is not.
  std::string nonFiniteState() const;
  /// Whether --log PATH may be written, and whether it is a log of this
  /// trainer already (see TrainOptions::force); throws Error otherwise.
  bool checkLogTarget(const std::string &path, bool force) const;

  Model model_;
  DataSplits data_;
  std::ostream &out_;
  Session session_;
  Binding binding_;
};

/// The trainer command line (train / eval / predict; see --help) for MODEL.
/// Returns the process exit code: 0, 1 on an error (message on stderr),
/// 2 on a usage error.
int trainerMain(int argc, char **argv, const Model &model);

/// The checkpoint file of the latest position in DIR ("" when none).
std::string latestCheckpoint(const std::string &dir);

} // namespace dlrt

#endif // DLRT_TRAINER_H
