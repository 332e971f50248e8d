//===- trainer.cpp - evaluation, checkpoints, the training loop -----------===//
#include "dlrt/trainer.h"
#include "dlrt/checkpoint.h"
#include "dlrt/error.h"
#include "dlrt/io.h"
#include "dlrt/random.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <ostream>
#include <set>
#include <sstream>
#include <unistd.h>

namespace dlrt {

namespace {
using Clock = std::chrono::steady_clock;

double seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

} // namespace


Trainer::Trainer(const Model &model, DataSplits data, std::ostream &out)
    : model_(model), data_(std::move(data)), out_(out), session_(model) {
  binding_ = bind(model_, data_.train);
  Binding testBinding = bind(model_, data_.test);
  (void)testBinding;
  checkLabels(data_.train);
  checkLabels(data_.test);
  checkFeatures(data_.train);
  checkFeatures(data_.test);
}

Trainer::Trainer(const Model &model, const Dataset &inputs, std::ostream &out)
    : model_(model), out_(out), session_(model) {
  binding_ = bind(model_, inputs);
  checkFeatures(inputs);
}

std::string Trainer::nonFiniteState() const {
  for (int i = 0; i < model_.numStateTensors; ++i) {
    const dlc_tensor_info &t = model_.stateTensors[i];
    TensorView v = TensorView::inState(session_.state(), t);
    std::string bad = nonFiniteSummary(t.name, v.dtype, v.data, v.numel());
    if (!bad.empty())
      return bad;
  }
  return "";
}

//===----------------------------------------------------------------------===//
// Batches and metrics
//===----------------------------------------------------------------------===//

double Tally::rate() const {
  return predictions ? double(correct) / double(predictions)
                     : std::numeric_limits<double>::quiet_NaN();
}

double EvalStats::accuracy(size_t i) const {
  return i < metrics.size() ? metrics[i].rate()
                            : std::numeric_limits<double>::quiet_NaN();
}

double EpochStats::trainAccuracy() const {
  return trainAccuracies.empty() ? std::numeric_limits<double>::quiet_NaN()
                                 : trainAccuracies[0];
}

double EpochStats::testAccuracy() const {
  return testAccuracies.empty() ? std::numeric_limits<double>::quiet_NaN()
                                : testAccuracies[0];
}

void Trainer::gather(const Entry &e, const ArgMap &map, const Dataset &ds,
                     const int64_t *idx) {
  const Binding &b = binding_;
  for (size_t i = 0; i < b.feeds.size(); ++i) {
    const Feed &f = b.feeds[i];
    if (map.feeds[i] < 0)
      continue;
    TensorView to = session_.arg(e, map.feeds[i]);
    const Array &from = feedData(ds, f);
    int64_t F = feedPerExample(ds, f);
    if (f.oneHot) {
      std::memset(to.data, 0, to.bytes());
      for (int64_t r = 0; r < b.batch; ++r)
        for (int64_t p = 0; p < F; ++p) {
          int64_t cls = int64_t(from.at(idx[r] * F + p));
          to.set((r * F + p) * f.classes + cls, 1.0);
        }
      continue;
    }
    double scale = f.label || !ds.fields.empty() ? 1.0 : ds.xScale;
    size_t fs = dtypeSize(from.dtype), ts = dtypeSize(to.dtype);
    for (int64_t r = 0; r < b.batch; ++r)
      convertElements(from.bytes.data() + size_t(idx[r] * F) * fs, from.dtype,
                      static_cast<char *>(to.data) + size_t(r * F) * ts,
                      to.dtype, F, scale);
  }
}

void Trainer::score(const Entry &e, const ArgMap &map, const Dataset &ds,
                    const int64_t *idx, int64_t count,
                    std::vector<Tally> &tallies) const {
  const Binding &b = binding_;
  tallies.resize(b.metrics.size());
  for (size_t k = 0; k < b.metrics.size(); ++k) {
    const MetricBinding &m = b.metrics[k];
    if (map.outputs[k] < 0)
      continue;
    Tally &t = tallies[k];
    TensorView out = session_.arg(e, map.outputs[k]);
    const Feed &f = b.feeds[size_t(m.feed)];
    const Array &y = feedData(ds, f);
    int64_t E = m.outputPerExample, L = feedPerExample(ds, f);
    for (int64_t r = 0; r < count; ++r) {
      int64_t ex = idx[r];
      bool allRight = true, any = false;
      for (int64_t p = 0; p < m.positions; ++p) {
        bool ok;
        if (m.argmax) {
          int64_t truth;
          if (L == m.positions) {
            truth = int64_t(y.at(ex * L + p));
            if (m.ignores && truth == m.ignoreIndex)
              continue; // not a prediction
          } else { // one-hot or probabilities in the data
            truth = 0;
            double tv = y.at(ex * L + p * m.classes);
            for (int64_t c = 1; c < m.classes; ++c)
              if (y.at(ex * L + p * m.classes + c) > tv) {
                tv = y.at(ex * L + p * m.classes + c);
                truth = c;
              }
          }
          int64_t base = r * E + p * m.classes, best = 0;
          double bestV = out.at(base);
          for (int64_t c = 1; c < m.classes; ++c) {
            double v = out.at(base + c);
            if (v > bestV) {
              bestV = v;
              best = c;
            }
          }
          ok = best == truth;
        } else {
          ok = (out.at(r * E + p) > m.threshold) ==
               (y.at(ex * L + p) > m.threshold);
        }
        any = true;
        if (m.sequence) {
          allRight &= ok;
          continue;
        }
        t.correct += ok;
        ++t.predictions;
      }
      if (m.sequence && any) { // one prediction per example: all its positions
        t.correct += allRight;
        ++t.predictions;
      }
    }
  }
}

EvalStats Trainer::evaluate(const Dataset &ds) {
  const Entry &e = model_.eval ? model_.eval : model_.forward;
  const ArgMap &map = model_.eval ? binding_.eval : binding_.forward;
  if (!e)
    fail(std::string("model '") + model_.name + "' has no eval or forward entry point");
  int64_t B = binding_.batch, N = ds.size();
  if (N <= 0)
    fail(ds.name, "no examples to evaluate");
  if (!binding_.labelled(ds))
    fail(ds.name, "has no labels to evaluate against");
  EvalStats s;
  s.examples = N;
  s.metrics.resize(binding_.metrics.size());
  std::vector<int64_t> idx(static_cast<size_t>(B));
  double lossSum = 0;
  bool hasLoss = map.loss >= 0;
  // Each process evaluates every processes()-th batch; the sums are
  // reduced below.
  int64_t R = processes();
  for (int64_t start = rank() * B; start < N; start += R * B) {
    int64_t count = std::min(B, N - start);
    for (int64_t r = 0; r < B; ++r)
      idx[size_t(r)] = start + (r < count ? r : 0);
    gather(e, map, ds, idx.data());
    session_.run(e);
    score(e, map, ds, idx.data(), count, s.metrics);
    if (!hasLoss)
      continue;
    double L = session_.arg(e, map.loss).at(0);
    if (count == B) {
      lossSum += L * double(B);
    } else {
      // The padded batch's mean loss counts the padding (copies of the
      // first example of the batch) B - count times; one more call on a
      // batch of nothing but that example gives its loss alone.
      std::fill(idx.begin(), idx.end(), start);
      gather(e, map, ds, idx.data());
      session_.run(e);
      double L0 = session_.arg(e, map.loss).at(0);
      lossSum += L * double(B) - L0 * double(B - count);
    }
  }
  if (R > 1) {
    std::vector<double> sums{lossSum};
    for (const Tally &t : s.metrics) {
      sums.push_back(double(t.correct));
      sums.push_back(double(t.predictions));
    }
    allReduceSum(comm_, sums.data(), int64_t(sums.size()));
    lossSum = sums[0];
    for (size_t k = 0; k < s.metrics.size(); ++k) {
      s.metrics[k].correct = int64_t(sums[1 + 2 * k]);
      s.metrics[k].predictions = int64_t(sums[2 + 2 * k]);
    }
  }
  double nan = std::numeric_limits<double>::quiet_NaN();
  s.loss = hasLoss ? lossSum / double(N) : nan;
  return s;
}

std::vector<float> Trainer::predict(const Dataset &ds, int64_t count) {
  const Entry &e = model_.forward ? model_.forward : model_.eval;
  const ArgMap &map = model_.forward ? binding_.forward : binding_.eval;
  if (!e || map.output < 0)
    fail(std::string("model '") + model_.name + "' has no forward output to predict with");
  bool takesLabels = false;
  for (size_t i = 0; i < binding_.feeds.size(); ++i)
    takesLabels |= binding_.feeds[i].label && map.feeds[i] >= 0;
  if (takesLabels && !binding_.labelled(ds))
    fail(ds.name, std::string("has no labels, and model '") + model_.name +
                      "' has no forward entry point (its eval takes labels)");
  int64_t B = binding_.batch;
  count = std::min(count, ds.size());
  TensorView out = session_.arg(e, map.output);
  int64_t E = numElements(out.shape) / B;
  std::vector<float> result(size_t(count * E));
  std::vector<int64_t> idx(static_cast<size_t>(B));
  for (int64_t start = 0; start < count; start += B) {
    int64_t n = std::min(B, count - start);
    for (int64_t r = 0; r < B; ++r)
      idx[size_t(r)] = start + (r < n ? r : 0);
    gather(e, map, ds, idx.data());
    session_.run(e);
    for (int64_t k = 0; k < n * E; ++k)
      result[size_t(start * E + k)] = float(out.at(k));
  }
  return result;
}

//===----------------------------------------------------------------------===//
// Checkpoints and logs
//===----------------------------------------------------------------------===//

namespace {
struct Position {
  int64_t epoch = 0; // completed epochs
  int64_t step = 0;  // steps done in epoch `epoch` (0-based)
};

std::string checkpointName(const Position &p) {
  if (p.step == 0)
    return strFormat("epoch-%04" PRId64 ".safetensors", p.epoch);
  return strFormat("epoch-%04" PRId64 "-step-%06" PRId64 ".safetensors", p.epoch + 1,
             p.step);
}

bool parseCheckpointName(const std::string &n, Position &p) {
  long long e = 0, s = 0;
  int used = 0;
  if (std::sscanf(n.c_str(), "epoch-%lld-step-%lld.safetensors%n", &e, &s,
                  &used) == 2 &&
      size_t(used) == n.size() && e >= 1 && s > 0) {
    p.epoch = e - 1;
    p.step = s;
    return true;
  }
  used = 0;
  if (std::sscanf(n.c_str(), "epoch-%lld.safetensors%n", &e, &used) == 1 &&
      size_t(used) == n.size() && e >= 0) {
    p.epoch = e;
    p.step = 0;
    return true;
  }
  return false;
}

int64_t metaInt(const Metadata &m, const char *key, const std::string &path) {
  auto it = m.find(key);
  if (it == m.end())
    fail(path, std::string("checkpoint metadata lacks '") + key + "'");
  char *end = nullptr;
  errno = 0;
  long long v = std::strtoll(it->second.c_str(), &end, 10);
  if (errno || !end || *end || it->second.empty())
    fail(path, std::string("checkpoint metadata '") + key + "' is not an integer");
  return v;
}

uint64_t metaU64(const Metadata &m, const char *key, const std::string &path) {
  auto it = m.find(key);
  if (it == m.end())
    fail(path, std::string("checkpoint metadata lacks '") + key + "'");
  char *end = nullptr;
  errno = 0;
  unsigned long long v = std::strtoull(it->second.c_str(), &end, 10);
  if (errno || !end || *end || it->second.empty() || it->second[0] == '-')
    fail(path, std::string("checkpoint metadata '") + key + "' is not an integer");
  return v;
}

double metaDouble(const Metadata &m, const char *key, const std::string &path) {
  auto it = m.find(key);
  if (it == m.end())
    fail(path, std::string("checkpoint metadata lacks '") + key + "'");
  char *end = nullptr;
  double v = std::strtod(it->second.c_str(), &end);
  if (!end || *end || it->second.empty())
    fail(path, std::string("checkpoint metadata '") + key + "' is not a number");
  return v;
}

std::string exact(double v) { return strFormat("%.17g", v); }

uint64_t dataHash(const Dataset &d) {
  uint64_t h = fnv1a(shapeString(d.x.shape) + shapeString(d.y.shape));
  h = fnv1a(d.x.bytes.data(), d.x.bytes.size(), h);
  h = fnv1a(d.y.bytes.data(), d.y.bytes.size(), h);
  for (const Field &f : d.fields) {
    h = fnv1a(f.name + shapeString(f.data.shape), h);
    h = fnv1a(f.data.bytes.data(), f.data.bytes.size(), h);
  }
  return h;
}

/// Metric K's suffix in logs and checkpoint metadata: none for the primary
/// metric of a model with one, else "_" and its label.
std::string metricSuffix(const Binding &b, size_t k) {
  return b.metrics.size() == 1 ? "" : "_" + b.metrics[k].label;
}

/// Metric K's name in messages: none for the primary metric of a model
/// with one, else its label and a space ("nsp acc 0.71").
std::string metricTitle(const Binding &b, size_t k) {
  return b.metrics.size() == 1 ? "" : b.metrics[k].label + " ";
}

/// The CSV log's header: accuracy columns, one per metric.
std::string logHeader(const Binding &b) {
  std::string train = "epoch,train_loss", test = ",test_loss";
  for (size_t k = 0; k < b.metrics.size(); ++k) {
    train += ",train_acc" + metricSuffix(b, k);
    test += ",test_acc" + metricSuffix(b, k);
  }
  return train + test + ",seconds";
}

std::string logRow(const EpochStats &s) {
  std::string row = strFormat("%" PRId64 ",%.6f", s.epoch, s.trainLoss);
  for (double a : s.trainAccuracies)
    row += strFormat(",%.6f", a);
  row += strFormat(",%.6f", s.testLoss);
  for (double a : s.testAccuracies)
    row += strFormat(",%.6f", a);
  return row + strFormat(",%.3f", s.seconds);
}

/// Checkpoint metadata keys of metric K's running counts.
std::string correctKey(size_t k) {
  return k ? "train_correct_" + std::to_string(k) : "train_correct";
}
std::string predictionsKey(size_t k) {
  return k ? "train_predictions_" + std::to_string(k) : "train_predictions";
}

bool before(const Position &a, const Position &b) {
  return a.epoch != b.epoch ? a.epoch < b.epoch : a.step < b.step;
}

/// Refuses checkpoint metadata M (of PATH, at POS after GLOBALSTEP steps of
/// SPE per epoch, seed SEED, N train examples) that contradicts itself or
/// its file name: resuming would continue a run that never was.
void checkResumeMetadata(const Metadata &m, const std::string &path,
                         const Position &pos, uint64_t globalStep,
                         uint64_t seed, int64_t spe, int64_t N,
                         size_t metrics) {
  auto bad = [&](const std::string &why) {
    fail(path, "checkpoint metadata contradicts itself: " + why);
  };
  int64_t total = metaInt(m, "epochs", path);
  if (pos.epoch > total)
    bad(strFormat("epoch %" PRId64 " is past the run's %" PRId64 " epochs", pos.epoch,
            total));
  uint64_t want;
  if (__builtin_mul_overflow(uint64_t(pos.epoch), uint64_t(spe), &want) ||
      __builtin_add_overflow(want, uint64_t(pos.step), &want) ||
      want != globalStep)
    bad(strFormat("global_step %" PRIu64 " is not epoch %" PRId64 " x %" PRId64
            " steps + %" PRId64,
            globalStep, pos.epoch, spe, pos.step));
  auto es = m.find("epoch_seed");
  std::string expected = hex64(epochSeed(seed, pos.epoch));
  if (es == m.end() || es->second != expected)
    bad("epoch_seed " + (es == m.end() ? std::string("(none)") : es->second) +
        " is not that of seed " + std::to_string(seed) + " and epoch " +
        std::to_string(pos.epoch) + " (" + expected + ")");
  if (metaInt(m, "train_examples", path) != N)
    bad("train_examples is not the " + std::to_string(N) +
        " examples it was trained on");
  if (metaInt(m, "train_batches", path) != pos.step)
    bad("train_batches is not step_in_epoch");
  for (size_t k = 0; k < std::max<size_t>(1, metrics); ++k) {
    std::string c = correctKey(k), p = predictionsKey(k);
    int64_t correct = metaInt(m, c.c_str(), path),
            predictions = metaInt(m, p.c_str(), path);
    if (correct < 0 || predictions < 0 || correct > predictions)
      bad(c + " and " + p + " are not counts of a run");
  }
  if (!std::isfinite(metaDouble(m, "train_loss_sum", path)))
    bad("train_loss_sum is not finite");
  std::string base = path.substr(path.find_last_of('/') + 1);
  Position named;
  if (parseCheckpointName(base, named) &&
      (named.epoch != pos.epoch || named.step != pos.step))
    bad("the file name says " + checkpointName(named) + ", the metadata " +
        checkpointName(pos));
}
} // namespace

bool Trainer::checkLogTarget(const std::string &path, bool force) const {
  if (!pathPresent(path))
    return false;
  std::string why = notRegularFileReason(path);
  if (!why.empty())
    fail(path, why + "; --log writes a regular file (refusing to replace it)");
  for (const std::string &f : data_.files)
    if (sameFile(path, f))
      fail(path, "is " + (f == path ? std::string("a file") : "the file " + f) +
                     " of the data set; --log would overwrite it");
  Bytes head = readFileHead(path, 4096);
  if (head.empty())
    return false;
  std::string first(head.begin(), head.end());
  first = first.substr(0, first.find('\n'));
  if (first == logHeader(binding_))
    return true;
  if (force)
    return false;
  if (first.size() > 60)
    first = first.substr(0, 60) + "...";
  fail(path, "exists and is not a training log of this trainer (its first "
             "line is '" +
                 first +
                 "'); refusing to overwrite it (--force "
                 "does)");
}

std::string latestCheckpoint(const std::string &dir) {
  if (!isDirectory(dir))
    return "";
  Position best;
  std::string bestName;
  for (const std::string &n : listDirectory(dir)) {
    Position p;
    if (!parseCheckpointName(n, p))
      continue;
    if (bestName.empty() || p.epoch > best.epoch ||
        (p.epoch == best.epoch && p.step > best.step)) {
      best = p;
      bestName = n;
    }
  }
  return bestName.empty() ? "" : joinPath(dir, bestName);
}

//===----------------------------------------------------------------------===//
// Training
//===----------------------------------------------------------------------===//

std::vector<EpochStats> Trainer::train(const TrainOptions &o) {
  // Several processes: each runs grad on its shard of the global batch,
  // the gradients are averaged, and each runs apply.
  const int R = processes(), rank = this->rank();
  const bool split = R > 1;
  const Entry &ts = split ? model_.grad : model_.trainStep;
  const ArgMap &map = split ? binding_.grad : binding_.train;
  if (!model_.trainStep)
    fail(std::string("model '") + model_.name + "' has no train_step entry point");
  if (split && (!model_.grad || !model_.apply))
    fail(std::string("model '") + model_.name +
         "' has no grad and apply entry points to train on several processes");
  const Dataset &train = data_.train;
  if (!binding_.labelled(train))
    fail(std::string("model '") + model_.name +
         "': no labelled train split to train on");
  int64_t B = binding_.batch, N = train.size();
  int64_t G = B * R; // the global batch: B examples on each process
  int64_t spe = N / G;
  if (spe == 0)
    fail(train.name, "holds " + std::to_string(N) +
                         " examples, fewer than one batch of " +
                         std::to_string(G) +
                         (split ? " (" + std::to_string(R) + " processes x " +
                                      std::to_string(B) + ")"
                                : std::string()));
  int64_t epochs = o.epochs > 0 ? o.epochs : model_.epochs > 0 ? model_.epochs : 1;
  uint64_t seed = o.seedGiven ? o.seed : model_.seed;

  Position pos;
  double lossSum = 0;
  size_t numMetrics = binding_.metrics.size();
  std::vector<Tally> tallies(numMetrics);
  // On several processes each sums its own steps' loss and counts here;
  // fold() adds every process's into lossSum and tallies.
  double localLoss = 0;
  std::vector<Tally> localTallies(numMetrics);
  double &lossAcc = split ? localLoss : lossSum;
  std::vector<Tally> &tallyAcc = split ? localTallies : tallies;
  auto fold = [&] {
    if (!split)
      return;
    std::vector<double> sums{localLoss};
    for (const Tally &t : localTallies) {
      sums.push_back(double(t.correct));
      sums.push_back(double(t.predictions));
    }
    allReduceSum(comm_, sums.data(), int64_t(sums.size()));
    lossSum += sums[0] / double(R); // the mean of the processes' losses
    for (size_t k = 0; k < numMetrics; ++k) {
      tallies[k].correct += int64_t(sums[1 + 2 * k]);
      tallies[k].predictions += int64_t(sums[2 + 2 * k]);
    }
    localLoss = 0;
    localTallies.assign(numMetrics, Tally());
  };
  int64_t batches = 0;
  uint64_t globalStep = 0;
  std::vector<std::string> logRows;
  std::string hash;
  bool checkpointing = !o.checkpointDir.empty();
  if (checkpointing)
    hash = hex64(dataHash(train));

  bool resumed = false;
  if (o.resume && rank == 0) {
    if (!checkpointing)
      fail("--resume needs --checkpoint DIR");
    std::string path = latestCheckpoint(o.checkpointDir);
    if (!isDirectory(o.checkpointDir))
      fail(o.checkpointDir, "no such checkpoint directory");
    if (path.empty()) {
      out_ << "no checkpoint in " << o.checkpointDir
           << ": starting from the beginning\n";
    } else {
      Metadata m = loadCheckpoint(
          path, model_.name, model_.stateTensors, model_.numStateTensors,
          model_.stateBytes, session_.state(),
          LoadOptions{true, o.allowNonFinite, o.warnings});
      pos.epoch = metaInt(m, "epoch", path);
      pos.step = metaInt(m, "step_in_epoch", path);
      globalStep = metaU64(m, "global_step", path);
      uint64_t cseed = metaU64(m, "seed", path);
      int64_t cranks = m.count("processes") ? metaInt(m, "processes", path) : 1;
      if (cranks != R)
        fail(path, "checkpoint was trained on " + std::to_string(cranks) +
                       (cranks == 1 ? " process" : " processes") + ", this run has " +
                       std::to_string(R) + " (resume with the same number)");
      if (o.seedGiven && cseed != o.seed)
        fail(path, "checkpoint was trained with --seed " + std::to_string(cseed) +
                       ", not " + std::to_string(o.seed) +
                       " (resuming continues the checkpoint's run)");
      seed = cseed;
      if (metaInt(m, "batch", path) != B || metaInt(m, "steps_per_epoch", path) != spe)
        fail(path, "checkpoint was trained with a different batch or data set size");
      auto it = m.find("train_data_hash");
      if (it == m.end() || it->second != hash)
        fail(path, "checkpoint was trained on different training data than " +
                       train.name);
      if (pos.epoch < 0 || pos.step < 0 || pos.step >= spe)
        fail(path, "checkpoint position is out of range");
      lossSum = metaDouble(m, "train_loss_sum", path);
      for (size_t k = 0; k < numMetrics; ++k) {
        tallies[k].correct = metaInt(m, correctKey(k).c_str(), path);
        tallies[k].predictions = metaInt(m, predictionsKey(k).c_str(), path);
      }
      batches = metaInt(m, "train_batches", path);
      checkResumeMetadata(m, path, pos, globalStep, seed, spe, N, numMetrics);
      resumed = true;
      out_ << "resumed from " << path << " (epoch " << pos.epoch
           << (pos.step ? " + " + std::to_string(pos.step) + " steps" : "")
           << ", step " << globalStep << ")\n";
    }
  }
  if (split && o.resume) {
    // Process 0 read the checkpoint: the others take its position,
    // counts and state.
    std::vector<uint64_t> pack{uint64_t(resumed), uint64_t(pos.epoch),
                               uint64_t(pos.step), globalStep, seed,
                               uint64_t(batches)};
    uint64_t bits;
    std::memcpy(&bits, &lossSum, sizeof bits);
    pack.push_back(bits);
    for (const Tally &t : tallies) {
      pack.push_back(uint64_t(t.correct));
      pack.push_back(uint64_t(t.predictions));
    }
    comm_->broadcast(pack.data(), pack.size() * sizeof(uint64_t), 0);
    resumed = pack[0];
    pos.epoch = int64_t(pack[1]);
    pos.step = int64_t(pack[2]);
    globalStep = pack[3];
    seed = pack[4];
    batches = int64_t(pack[5]);
    std::memcpy(&lossSum, &pack[6], sizeof lossSum);
    for (size_t k = 0; k < numMetrics; ++k) {
      tallies[k].correct = int64_t(pack[7 + 2 * k]);
      tallies[k].predictions = int64_t(pack[8 + 2 * k]);
    }
    if (resumed)
      comm_->broadcast(session_.state(), model_.stateBytes, 0);
  }
  if (!resumed)
    session_.initialize(seed);
  if (split)
    drawProcessKeys(seed);
  session_.setStepsPerEpoch(spe);
  session_.setEpochs(epochs); // the run's: --epochs stretches a cosine schedule

  // The checkpoint directory first: the log may be inside it.
  const bool writes = rank == 0; // process 0 logs and checkpoints
  if (checkpointing && writes)
    makeDirectories(o.checkpointDir);
  // The CSV log: rows of the epochs before the resume point are kept. It
  // never replaces a file of the data set, nor anything that is not a
  // regular file, nor (without o.force) a file that is not such a log.
  if (!o.logPath.empty() && writes) {
    bool isLog = checkLogTarget(o.logPath, o.force);
    if (resumed && isLog) {
      Bytes b = readFile(o.logPath);
      std::istringstream in(std::string(b.begin(), b.end()));
      std::string line;
      bool first = true;
      while (std::getline(in, line)) {
        if (first) {
          first = false;
          continue;
        }
        long long e = std::strtoll(line.c_str(), nullptr, 10);
        if (e >= 1 && e <= pos.epoch)
          logRows.push_back(line);
      }
    }
    std::string text = logHeader(binding_) + "\n";
    for (auto &r : logRows)
      text += r + "\n";
    writeFileAtomic(o.logPath, text);
  }
  if (checkpointing && writes) {
    // Temporary files of a run killed while writing a checkpoint.
    for (const std::string &n : listDirectory(o.checkpointDir)) {
      Position p;
      size_t tmp = n.find(".safetensors.tmp.");
      if (n.size() > 1 && n[0] == '.' && tmp != std::string::npos &&
          parseCheckpointName(n.substr(1, tmp - 1 + 12), p))
        std::remove(joinPath(o.checkpointDir, n).c_str());
    }
  }

  // A non-finite loss or state stops the run before anything of it is
  // logged or checkpointed (the previous checkpoint stays the latest).
  std::string mname = std::string("model '") + model_.name + "'";
  auto where = [&](uint64_t step, int64_t epoch, int64_t inEpoch) {
    return strFormat("step %" PRIu64 " (epoch %" PRId64 ", step %" PRId64
               " of %" PRId64 ")",
               step, epoch + 1, inEpoch, spe);
  };
  auto checkState = [&](int64_t epoch, int64_t inEpoch) {
    std::string bad = nonFiniteState();
    if (!bad.empty())
      fail(mname, "training diverged: after " +
                      where(globalStep, epoch, inEpoch) + " " + bad +
                      "; stopped without writing a checkpoint or log row "
                      "of it");
  };

  std::set<std::string> ours; // checkpoint files this process wrote
  auto save = [&](const Position &p) {
    if (!writes)
      return;
    Metadata m;
    m["epoch"] = std::to_string(p.epoch);
    m["step_in_epoch"] = std::to_string(p.step);
    m["global_step"] = std::to_string(globalStep);
    m["seed"] = std::to_string(seed);
    m["epoch_seed"] = hex64(epochSeed(seed, p.epoch));
    m["batch"] = std::to_string(B);
    m["processes"] = std::to_string(R);
    m["steps_per_epoch"] = std::to_string(spe);
    m["epochs"] = std::to_string(epochs);
    m["train_examples"] = std::to_string(N);
    m["train_data_hash"] = hash;
    m["train_loss_sum"] = exact(lossSum);
    for (size_t k = 0; k < std::max<size_t>(1, numMetrics); ++k) {
      Tally t = k < numMetrics ? tallies[k] : Tally();
      m[correctKey(k)] = std::to_string(t.correct);
      m[predictionsKey(k)] = std::to_string(t.predictions);
    }
    m["train_batches"] = std::to_string(batches);
    std::string name = checkpointName(p);
    saveCheckpoint(joinPath(o.checkpointDir, name), model_.name,
                   model_.stateTensors, model_.numStateTensors,
                   model_.stateBytes, session_.state(), m);
    ours.insert(name);
  };

  // Whether checkpoint file NAME belongs to this run (written by this
  // process, or a dlrt checkpoint of this model, seed, batch and training
  // data): only those are ever removed.
  auto isOurs = [&](const std::string &name) {
    if (ours.count(name))
      return true;
    Metadata m;
    try {
      m = readSafetensorsMetadata(joinPath(o.checkpointDir, name));
    } catch (const Error &) {
      return false;
    }
    auto is = [&](const char *key, const std::string &v) {
      auto it = m.find(key);
      return it != m.end() && it->second == v;
    };
    if (!is("format", "dlrt-checkpoint-1") || !is("model", model_.name) ||
        !is("seed", std::to_string(seed)) || !is("batch", std::to_string(B)) ||
        !is("train_data_hash", hash))
      return false;
    ours.insert(name);
    return true;
  };
  // After the checkpoint at LATEST: mid-epoch checkpoints of completed
  // epochs are superseded; of the others, the newest o.keep epoch
  // checkpoints and the newest o.keep mid-epoch ones are kept (all when
  // o.keep is 0). Files at positions after LATEST (another run's) and files
  // not of this run are left alone, so the checkpoint --resume picks is
  // never removed.
  auto prune = [&](const Position &latest) {
    if (!writes)
      return;
    std::vector<std::pair<Position, std::string>> epochFiles, midFiles;
    for (const std::string &n : listDirectory(o.checkpointDir)) {
      Position p;
      if (!parseCheckpointName(n, p) || before(latest, p) || !isOurs(n))
        continue;
      if (p.step > 0 && p.epoch < latest.epoch)
        std::remove(joinPath(o.checkpointDir, n).c_str());
      else
        (p.step ? midFiles : epochFiles).push_back({p, n});
    }
    if (o.keep <= 0)
      return;
    for (auto *files : {&epochFiles, &midFiles}) {
      std::sort(files->begin(), files->end(), [](const auto &a, const auto &b) {
        return before(b.first, a.first);
      });
      for (size_t i = size_t(o.keep); i < files->size(); ++i)
        std::remove(joinPath(o.checkpointDir, (*files)[i].second).c_str());
    }
  };

  std::vector<EpochStats> results;
  int64_t stepsThisRun = 0;
  // Several processes: the time spent averaging, of the steps' time.
  double reduceSeconds = 0, stepSeconds = 0;
  // A trainer of several processes (a communicator, even of one) reports
  // its speed and what averaging cost.
  auto summary = [&] {
    if (!comm_ || stepsThisRun == 0 || stepSeconds <= 0)
      return;
    out_ << strFormat("%d process%s: %.0f examples/s over %" PRId64 " steps", R,
                      R == 1 ? "" : "es",
                      double(stepsThisRun * G) / stepSeconds, stepsThisRun);
    if (split)
      out_ << strFormat("; averaging gradients and statistics took %.3f ms "
                        "per step (%.1f%% of the steps' time)",
                        1e3 * reduceSeconds / double(stepsThisRun),
                        100 * reduceSeconds / stepSeconds);
    out_ << "\n";
  };
  if (pos.epoch >= epochs)
    out_ << "nothing to train: the checkpoint has completed " << pos.epoch
         << " epochs (--epochs " << epochs << ")\n";
  bool progress = o.progress > 0;
  TensorView lossView;
  if (map.loss >= 0)
    lossView = session_.arg(ts, map.loss);
  for (int64_t epoch = pos.epoch; epoch < epochs; ++epoch) {
    auto t0 = Clock::now(), lastShown = t0;
    std::vector<int64_t> perm = epochPermutation(N, seed, epoch);
    int64_t first = epoch == pos.epoch ? pos.step : 0;
    if (first == 0) {
      lossSum = 0;
      tallies.assign(numMetrics, Tally());
      batches = 0;
    }
    for (int64_t step = first; step < spe; ++step) {
      auto stepStart = Clock::now();
      // This process's shard of global batch STEP of the permutation.
      const int64_t *idx = perm.data() + step * G + rank * B;
      gather(ts, map, train, idx);
      session_.run(ts);
      if (split) {
        auto r0 = Clock::now();
        averageGradients();
        auto r1 = Clock::now();
        session_.run(model_.apply);
        auto r2 = Clock::now();
        averageStatistics();
        reduceSeconds += seconds(r0, r1) + seconds(r2, Clock::now());
      }
      if (map.loss >= 0) {
        double L = lossView.at(0);
        if (!std::isfinite(L))
          fail(mname, std::string("training diverged: the loss is ") +
                          (std::isnan(L) ? "NaN"
                           : L > 0       ? "inf"
                                         : "-inf") +
                          " at " + where(globalStep + 1, epoch, step + 1) +
                          "; stopped without writing a checkpoint or log "
                          "row of it");
        lossAcc += L;
      }
      ++batches;
      score(ts, map, train, idx, B, tallyAcc);
      ++globalStep;
      ++stepsThisRun;
      auto now = Clock::now();
      stepSeconds += seconds(stepStart, now);
      if (progress && (seconds(lastShown, now) >= 0.1 || step + 1 == spe)) {
        lastShown = now;
        double dt = seconds(t0, now);
        out_ << "\r\033[K"
             << strFormat("epoch %" PRId64 "/%" PRId64 "  step %" PRId64 "/%" PRId64
                    "  loss %.4f",
                    epoch + 1, epochs, step + 1, spe,
                    (lossSum + localLoss) / double(batches));
        // (On several processes: this process's share since the last fold.)
        for (size_t k = 0; k < numMetrics; ++k) {
          Tally t{tallies[k].correct + localTallies[k].correct,
                  tallies[k].predictions + localTallies[k].predictions};
          if (t.predictions)
            out_ << strFormat("  %sacc %.4f",
                              metricTitle(binding_, k).c_str(), t.rate());
        }
        if (dt > 0)
          out_ << strFormat("  %.0f ex/s", double((step + 1 - first) * G) / dt);
        out_.flush();
      }
      if (checkpointing && o.checkpointEvery > 0 && step + 1 < spe &&
          globalStep % uint64_t(o.checkpointEvery) == 0) {
        checkState(epoch, step + 1);
        fold();
        save(Position{epoch, step + 1});
        prune(Position{epoch, step + 1});
      }
      if (o.maxSteps > 0 && stepsThisRun >= o.maxSteps && step + 1 < spe) {
        if (progress)
          out_ << "\n";
        out_ << "stopped after " << stepsThisRun << " steps (--max-steps)\n";
        summary();
        return results;
      }
    }
    checkState(epoch, spe);
    fold();
    checkReplicas(epoch + 1);
    if (progress) {
      out_ << "\r\033[K"
           << strFormat("epoch %" PRId64 "/%" PRId64 "  evaluating on %" PRId64
                  " test examples",
                  epoch + 1, epochs, data_.test.size());
      out_.flush();
    }
    EvalStats test = evaluate(data_.test);
    if (progress)
      out_ << "\r\033[K";
    EpochStats s;
    s.epoch = epoch + 1;
    s.trainLoss = map.loss >= 0 ? lossSum / double(batches)
                                : std::numeric_limits<double>::quiet_NaN();
    s.testLoss = test.loss;
    for (size_t k = 0; k < numMetrics; ++k) {
      s.trainAccuracies.push_back(tallies[k].rate());
      s.testAccuracies.push_back(test.accuracy(k));
    }
    s.seconds = seconds(t0, Clock::now());
    results.push_back(s);
    double exPerSec = s.seconds > 0 ? double((spe - first) * G) / s.seconds : 0;
    // Many short epochs (XOR: 500 of one step): about 20 lines, the last included.
    int64_t every = epochs > 50 ? (epochs + 19) / 20 : 1;
    if (progress || s.epoch % every == 0 || s.epoch == epochs ||
        epoch == pos.epoch) {
      // "train loss L acc A  test loss L acc A", or per metric
      // "... mlm_labels acc A nsp acc A".
      auto accs = [&](const std::vector<double> &a) {
        std::string text;
        for (size_t k = 0; k < a.size(); ++k)
          text += strFormat(" %sacc %.4f",
                            metricTitle(binding_, k).c_str(), a[k]);
        return text;
      };
      out_ << strFormat("epoch %" PRId64 "/%" PRId64 "  train loss %.4f%s  "
                        "test loss %.4f%s  %.1f s (%.0f ex/s)\n",
                        s.epoch, epochs, s.trainLoss,
                        accs(s.trainAccuracies).c_str(), s.testLoss,
                        accs(s.testAccuracies).c_str(), s.seconds, exPerSec);
    }
    out_.flush();
    // Log first, then the checkpoint: a run killed in between resumes from
    // the previous checkpoint and rewrites this epoch's row.
    if (!o.logPath.empty() && writes) {
      logRows.push_back(logRow(s));
      std::string text = logHeader(binding_) + "\n";
      for (auto &r : logRows)
        text += r + "\n";
      writeFileAtomic(o.logPath, text);
    }
    if (checkpointing) {
      lossSum = 0;
      tallies.assign(numMetrics, Tally());
      batches = 0;
      save(Position{epoch + 1, 0});
      prune(Position{epoch + 1, 0});
    }
    if (o.maxSteps > 0 && stepsThisRun >= o.maxSteps && epoch + 1 < epochs) {
      out_ << "stopped after " << stepsThisRun << " steps (--max-steps)\n";
      summary();
      return results;
    }
  }
  summary();
  return results;
}

} // namespace dlrt
