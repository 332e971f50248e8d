//===- dlrt/trainer.h - training loop, evaluation, trainer CLI --*- C++ -*-===//
#ifndef DLRT_TRAINER_H
#define DLRT_TRAINER_H

#include "dlrt/collective.h"
#include "dlrt/datasets.h"
#include "dlrt/model.h"

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

namespace dlrt {

/// One array of a data set fed to an argument of every entry point: the
/// data set's X (the model's one input) or Y (its one label), or, in a data
/// set of fields, the field of the argument's name (looked up in each data
/// set, whatever the order of its fields).
struct Feed {
  std::string name;       // the argument's name
  bool label = false;     // a DLC_LABEL, else a DLC_INPUT
  int64_t perExample = 0; // values of one example in the model's argument
  bool oneHot = false;    // the data has class ids, the model one-hot rows
  int64_t classes = 0;    // oneHot: the width of a row
};

/// The data of FEED in DS: its field, X or Y (throws Error naming the
/// data set when it has no field of FEED's name).
const Array &feedData(const Dataset &ds, const Feed &feed);
/// Values of one example of feedData(DS, FEED).
int64_t feedPerExample(const Dataset &ds, const Feed &feed);

/// Where one entry point takes the data: argument indices (-1 = none).
struct ArgMap {
  std::vector<int> feeds;   // of Binding::feeds, in order
  std::vector<int> outputs; // of Binding::metrics' outputs, in order
  int loss = -1;
  int output = -1; // Binding::output
};

/// How one of the model's metrics is computed.
struct MetricBinding {
  std::string output, label; // argument names
  int feed = -1;             // the label's index in Binding::feeds
  bool argmax = true;        // else output > threshold vs label > threshold
  bool sequence = false;     // argmax at every position of an example at once
  double threshold = 0.5;
  int64_t classes = 0;       // argmax: size of the class dimension
  int64_t positions = 0;     // predictions per example (1, or T for sequences)
  int64_t outputPerExample = 0;
  /// Positions whose class id is IGNOREINDEX do not count.
  bool ignores = false;
  int64_t ignoreIndex = 0;
};

/// How a model's arguments meet a data set: which array feeds each input
/// and label, and how each metric is computed.
struct Binding {
  ArgMap train, eval, forward, grad;
  std::vector<Feed> feeds; // the inputs, then the labels
  /// The model's metrics that have a label to compare with; the first is
  /// the primary one.
  std::vector<MetricBinding> metrics;
  std::string output; // predictions: the primary metric's, else the first
  int64_t batch = 0;

  bool hasMetric() const { return !metrics.empty(); }
  /// The primary metric, or null.
  const MetricBinding *primary() const {
    return metrics.empty() ? nullptr : &metrics[0];
  }
  /// The feed of the argument named NAME, or null.
  const Feed *feed(const std::string &name) const;
  /// Whether DS holds the labels: Y, or a field for every label (a data
  /// set of input fields alone has none: predictions).
  bool labelled(const Dataset &ds) const;
};

/// Accuracy counts of one metric.
struct Tally {
  int64_t correct = 0, predictions = 0;
  /// correct / predictions (NaN when nothing was predicted).
  double rate() const;
};

/// Accuracy counts and mean loss over a data set.
struct EvalStats {
  double loss = 0; // mean over examples (NaN when the model has no eval)
  std::vector<Tally> metrics; // per Binding::metrics
  int64_t examples = 0;
  /// Metric I's accuracy (NaN without it).
  double accuracy(size_t i = 0) const;
};

struct EpochStats {
  int64_t epoch = 0; // 1-based
  double trainLoss = 0, testLoss = 0;
  std::vector<double> trainAccuracies, testAccuracies; // per metric
  double seconds = 0;
  /// The primary metric's accuracies (NaN without one).
  double trainAccuracy() const;
  double testAccuracy() const;
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

  /// Trains and evaluates as one of COMM's processes (null, or one
  /// process: alone). Each takes its shard of every global batch of
  /// COMM->size() x the model's batch, runs grad, averages the gradients
  /// across the processes and runs apply; see docs/abi.md and
  /// docs/architecture.md "Processes".
  void setCommunicator(Communicator *comm) { comm_ = comm; }
  /// The processes training together (1 without a communicator).
  int processes() const { return comm_ ? comm_->size() : 1; }
  int rank() const { return comm_ ? comm_->rank() : 0; }

  Session &session() { return session_; }
  const Binding &binding() const { return binding_; }
  const DataSplits &data() const { return data_; }

  /// Loss and accuracy over DS: full batches, then one padded batch whose
  /// padding is excluded (the loss is assumed to be a mean over the batch).
  EvalStats evaluate(const Dataset &ds);
  /// Runs the forward pass over the first COUNT examples of DS (labels are
  /// not needed when the model has forward); returns the values of the
  /// primary metric's output (else the first output), COUNT x (its
  /// per-example size).
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
  /// Adds the metrics of the COUNT examples IDX of DS to TALLIES.
  void score(const Entry &entry, const ArgMap &map, const Dataset &ds,
             const int64_t *idx, int64_t count,
             std::vector<Tally> &tallies) const;
  void checkLabels(const Dataset &ds) const;
  void checkFeatures(const Dataset &ds) const;
  /// "" when every floating-point state tensor is finite, else what is not.
  std::string nonFiniteState() const;
  /// Data-parallel runs (processes() > 1): the gradient buffer averaged
  /// across the processes.
  void averageGradients();
  /// The non-trained state every process updates from its own batch
  /// (batch norm's running statistics), averaged across the processes.
  void averageStatistics();
  /// Gives each process its own random keys (non-trained state named
  /// `seed`, as the stdlib Dropout's): process R > 0 draws them from
  /// (SEED, R), process 0 keeps the single-process ones.
  void drawProcessKeys(uint64_t seed);
  /// Throws Error when the parameters, optimizer state or synchronized
  /// state differ between the processes (after EPOCH epochs).
  void checkReplicas(int64_t epoch);
  /// Whether --log PATH may be written, and whether it is a log of this
  /// trainer already (see TrainOptions::force); throws Error otherwise.
  bool checkLogTarget(const std::string &path, bool force) const;

  Model model_;
  Communicator *comm_ = nullptr;
  DataSplits data_;
  std::ostream &out_;
  Session session_;
  Binding binding_;
};

/// The trainer command line (train / eval / predict; see --help) for MODEL.
/// Returns the process exit code: 0, 1 on an error (message on stderr),
/// 2 on a usage error.
/// With COMM (dlc build --mpi), the command runs as one of COMM's
/// processes: rank 0 prints, and an error on any process stops them all.
int trainerMain(int argc, char **argv, const Model &model,
                Communicator *comm = nullptr);

/// The checkpoint file of the latest position in DIR ("" when none).
std::string latestCheckpoint(const std::string &dir);

} // namespace dlrt

#endif // DLRT_TRAINER_H
