//===- cli.cpp - the trainer command line: train, eval, predict, generate, info ===//
#include "dlrt/checkpoint.h"
#include "dlrt/error.h"
#include "dlrt/io.h"
#include "dlrt/random.h"
#include "dlrt/threads.h"
#include "dlrt/trainer.h"

#include <cerrno>
#include <cinttypes>
#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <new>
#include <unistd.h>

namespace dlrt {

namespace {

const char *kDefaultData = "/usr/share/datasets/fashion-mnist";
/// The default text of a language model (Debian's fortunes package).
const char *kDefaultText = "/usr/share/games/fortunes";

struct UsageError : Error {
  using Error::Error;
};

[[noreturn]] void usage(const std::string &msg) { throw UsageError(msg); }

struct Options {
  std::string command;
  bool help = false;
  std::string data;
  std::string checkpoint;
  std::string log;
  std::string output;
  std::string labelColumn;
  std::string input;
  int64_t epochs = 0, count = 10, checkpointEvery = 0, maxSteps = 0;
  int64_t threads = 0; // 0: defaultThreadCount()
  bool countGiven = false, keepGiven = false;
  int64_t keep = 3; // 0: every checkpoint
  uint64_t seed = 0;
  bool seedGiven = false, resume = false;
  int progress = -1;
  bool scaleGiven = false;
  double scale = 1;
  bool allowNonFinite = false;
  bool force = false;
  bool dataGiven = false;
  // generate
  std::string prompt = "\n";
  int64_t length = 200, topK = 0;
  double temperature = 1.0;
};

int64_t parseCount(const std::string &flag, const std::string &v, int64_t min) {
  char *end = nullptr;
  errno = 0;
  long long n = std::strtoll(v.c_str(), &end, 10);
  if (v.empty() || errno || !end || *end || n < min)
    usage(flag + " needs an integer >= " + std::to_string(min) + ", not '" + v + "'");
  return n;
}

uint64_t parseSeed(const std::string &v) {
  char *end = nullptr;
  errno = 0;
  unsigned long long n = std::strtoull(v.c_str(), &end, 10);
  if (v.empty() || v[0] == '-' || errno || !end || *end)
    usage("--seed needs a non-negative integer, not '" + v + "'");
  return n;
}

double parseReal(const std::string &flag, const std::string &v) {
  char *end = nullptr;
  double d = std::strtod(v.c_str(), &end);
  if (v.empty() || !end || *end || !std::isfinite(d) || d <= 0)
    usage(flag + " needs a positive number, not '" + v + "'");
  return d;
}

/// Which options each command takes.
bool allowed(const std::string &cmd, const std::string &flag) {
  static const char *common[] = {"--data",         "--checkpoint", "--scale",
                                 "--label-column", "--threads",    "--help",
                                 "-h"};
  for (const char *f : common)
    if (flag == f)
      return cmd != "info" || flag == "--help" || flag == "-h";
  if (flag == "--allow-non-finite")
    return cmd != "info";
  if (cmd == "train")
    for (const char *f :
         {"--epochs", "--resume", "--seed", "--log", "--checkpoint-every",
          "--keep", "--progress", "--no-progress", "--max-steps", "--force"})
      if (flag == f)
        return true;
  if (cmd == "predict")
    for (const char *f : {"--count", "--output", "--input"})
      if (flag == f)
        return true;
  if (cmd == "generate")
    for (const char *f :
         {"--prompt", "--length", "--temperature", "--top-k", "--seed"})
      if (flag == f)
        return true;
  return false;
}

Options parse(int argc, char **argv) {
  Options o;
  if (argc < 2)
    usage("missing command (train, eval, predict, generate or info)");
  o.command = argv[1];
  if (o.command == "-h" || o.command == "--help" || o.command == "help") {
    o.command.clear();
    o.help = true;
    return o;
  }
  if (o.command != "train" && o.command != "eval" && o.command != "predict" &&
      o.command != "generate" && o.command != "info")
    usage("unknown command '" + o.command +
          "' (train, eval, predict, generate or info)");
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i], value;
    bool hasValue = false;
    size_t eq = arg.find('=');
    if (arg.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
      hasValue = true;
    }
    if (arg.empty() || arg[0] != '-')
      usage("unexpected argument '" + arg + "'");
    if (!allowed(o.command, arg))
      usage("unknown option '" + arg + "' for " + o.command);
    auto need = [&]() -> std::string {
      if (hasValue)
        return value;
      if (i + 1 >= argc)
        usage(arg + " needs a value");
      return argv[++i];
    };
    auto flagOnly = [&] {
      if (hasValue)
        usage(arg + " takes no value");
    };
    // A file or directory option given an empty value is a slip (an unset
    // shell variable), never "the default".
    auto path = [&](const char *what) {
      std::string v = need();
      if (v.empty())
        usage(arg + " needs " + what + ", not ''");
      return v;
    };
    if (arg == "--help" || arg == "-h") {
      flagOnly();
      o.help = true;
    } else if (arg == "--data") {
      o.data = path("a directory (or a text file)");
      o.dataGiven = true;
    } else if (arg == "--checkpoint") {
      o.checkpoint = path("a directory or file");
    } else if (arg == "--log") {
      o.log = path("a file name");
    } else if (arg == "--output") {
      o.output = path("a file name");
    } else if (arg == "--input") {
      o.input = path("a file name");
    } else if (arg == "--label-column") {
      o.labelColumn = path("a column name or index");
    } else if (arg == "--force") {
      flagOnly();
      o.force = true;
    } else if (arg == "--scale") {
      o.scale = parseReal(arg, need());
      o.scaleGiven = true;
    } else if (arg == "--epochs") {
      o.epochs = parseCount(arg, need(), 1);
    } else if (arg == "--threads") {
      o.threads = parseCount(arg, need(), 1);
      if (o.threads > kMaxThreads)
        usage("--threads needs a number of threads from 1 to " +
              std::to_string(kMaxThreads) + ", not " +
              std::to_string(o.threads));
    } else if (arg == "--count") {
      o.count = parseCount(arg, need(), 1);
      o.countGiven = true;
    } else if (arg == "--keep") {
      std::string v = need();
      char *end = nullptr;
      errno = 0;
      long long n = v == "all" ? 0 : std::strtoll(v.c_str(), &end, 10);
      if (v != "all" && (v.empty() || errno || !end || *end || n < 0))
        usage("--keep needs a number of checkpoints, or 0 or 'all' to keep "
              "every one, not '" +
              v + "'");
      o.keep = n;
      o.keepGiven = true;
    } else if (arg == "--checkpoint-every") {
      o.checkpointEvery = parseCount(arg, need(), 1);
    } else if (arg == "--max-steps") {
      o.maxSteps = parseCount(arg, need(), 1);
    } else if (arg == "--seed") {
      o.seed = parseSeed(need());
      o.seedGiven = true;
    } else if (arg == "--resume") {
      flagOnly();
      o.resume = true;
    } else if (arg == "--prompt") {
      o.prompt = need();
      if (o.prompt.empty())
        usage("--prompt needs at least one character");
    } else if (arg == "--length") {
      o.length = parseCount(arg, need(), 1);
    } else if (arg == "--top-k") {
      o.topK = parseCount(arg, need(), 0);
    } else if (arg == "--temperature") {
      std::string v = need();
      char *end = nullptr;
      o.temperature = std::strtod(v.c_str(), &end);
      if (v.empty() || !end || *end || !std::isfinite(o.temperature) ||
          o.temperature < 0)
        usage("--temperature needs a number >= 0 (0: always the most likely "
              "character), not '" + v + "'");
    } else if (arg == "--allow-non-finite") {
      flagOnly();
      o.allowNonFinite = true;
    } else if (arg == "--progress") {
      flagOnly();
      o.progress = 1;
    } else if (arg == "--no-progress") {
      flagOnly();
      o.progress = 0;
    }
  }
  return o;
}

void printHelp(const std::string &prog, const std::string &cmd,
               const Model &m) {
  std::string epochs = m.epochs ? std::to_string(m.epochs) : "1";
  std::string data =
      "  --data DIR            the data set (default: " +
      std::string(kDefaultData) +
      ");\n"
      "                        IDX files (train-images-idx3-ubyte[.gz], ...,\n"
      "                        as MNIST and Fashion-MNIST), train.csv + "
      "test.csv,\n"
      "                        or x_train.npy, y_train.npy, x_test.npy, "
      "y_test.npy;\n"
      "                        a model of token ids reads a text file or a\n"
      "                        directory of them (default: " +
      std::string(kDefaultText) + ");\n"
      "                        or a named data set: synthetic:reverse[:SEED],\n"
      "                        synthetic:sort[:SEED] (digit sequences), or\n"
      "                        captions[:DIR] (class names as labels)" +
      (m.data ? std::string(";\n                        this model's default: ") +
                    m.data
              : std::string()) +
      "\n"
      "  --scale X             multiply the features by X (default: 1/255 for\n"
      "                        8-bit images, else 1)\n"
      "  --label-column C      CSV: the label column, by header name or "
      "0-based\n"
      "                        index (default: 'label', else the last column)\n"
      "  --allow-non-finite    load a checkpoint holding NaN or Inf (a "
      "diverged\n"
      "                        run's) with a warning instead of refusing it\n"
      "  --threads N           run the model on N threads (default: "
      "DLRT_NUM_THREADS,\n"
      "                        else the CPUs the process may use); results "
      "do not\n"
      "                        depend on N\n";
  if (cmd.empty()) {
    std::cout
        << "Usage: " << prog << " <command> [options]\n\n"
        << "Trains and evaluates the model '" << m.name
        << "' compiled by dlc.\n\n"
        << "Commands:\n"
        << "  train     train the model, evaluating on the test split after each epoch\n"
        << "  eval      evaluate a checkpoint on the test split\n"
        << "  predict   show the predictions of a checkpoint: for the first test examples,\n"
        << "            or for a file of inputs without labels (--input)\n"
        << "  generate  sample text from a language model's checkpoint\n"
        << "  info      show the model's tensors and entry points\n\n"
        << "Run '" << prog << " <command> --help' for the options of a command.\n"
        << "Exit status: 0 on success, 1 on an error, 2 on a usage error.\n";
  } else if (cmd == "train") {
    std::cout
        << "Usage: " << prog << " train [options]\n\n"
        << "Trains the model on the train split in shuffled batches of "
        << (m.batch ? std::to_string(m.batch)
                    : std::string("the model's batch"))
        << " (the last\npartial batch of an epoch is dropped), evaluates on "
           "the "
           "test split after every\nepoch and prints 'test accuracy: A' last "
           "('test "
           "loss: L' for a model that\ndeclares no metric).\n\n"
        << "Options:\n"
        << "  --epochs N            train until N epochs are done (default: "
        << epochs << ")\n"
        << data
        << "  --checkpoint DIR      write DIR/epoch-NNNN.safetensors after "
           "every epoch\n"
        << "                        (parameters, optimizer state and the "
           "position)\n"
        << "  --checkpoint-every N  also checkpoint every N steps within an "
           "epoch\n"
        << "  --keep N              keep the newest N epoch checkpoints (and "
           "the newest N\n"
        << "                        of an epoch's --checkpoint-every ones), "
           "removing older\n"
        << "                        ones of this run; 0 or 'all' keeps every "
           "one (default: 3)\n"
        << "  --resume              continue from the latest checkpoint in "
           "--checkpoint\n"
        << "                        DIR exactly as if the run had not stopped\n"
        << "  --seed S              seed of initialization and shuffling "
           "(default: "
        << m.seed << ")\n"
        << "  --log FILE            write a CSV log: "
           "epoch,train_loss,train_acc,\n"
        << "                        test_loss,test_acc,seconds (without the "
           "_acc columns\n"
        << "                        for a model that declares no metric); an "
           "existing\n"
        << "                        FILE must be such a log (a file of the "
           "data set\n"
        << "                        never is replaced)\n"
        << "  --force               let --log replace a file that is not a "
           "log\n"
        << "  --progress            show an updating progress line (default on "
           "a terminal)\n"
        << "  --no-progress         print one line per epoch only\n"
        << "  --max-steps N         stop after N train steps of this run (to "
           "test --resume)\n"
        << "  -h, --help            show this help\n";
  } else if (cmd == "eval") {
    std::cout
        << "Usage: " << prog << " eval --checkpoint DIR|FILE [options]\n\n"
        << "Evaluates a checkpoint (the latest in DIR, or FILE; a safetensors file with\n"
        << "the model's parameters) on the whole test split and prints the mean loss\n"
        << "and, for a model with a metric, 'test accuracy: A'.\n\n"
        << "Options:\n"
        << "  --checkpoint DIR|FILE the checkpoint (required)\n"
        << data << "  -h, --help            show this help\n";
  } else if (cmd == "predict") {
    std::cout
        << "Usage: " << prog << " predict --checkpoint DIR|FILE [--input FILE] [options]\n\n"
        << "Prints the model's predictions: the arg-max class of a classifier, 0 or 1\n"
        << "for a threshold metric, else the output's values. Without --input, for the\n"
        << "first test examples of --data, beside their labels.\n\n"
        << "Options:\n"
        << "  --checkpoint DIR|FILE the checkpoint (required)\n"
        << "  --input FILE          predict for the inputs in FILE, which need no labels\n"
        << "                        and no train split: IDX images (as\n"
        << "                        t10k-images-idx3-ubyte[.gz]), a .npy array, or a CSV\n"
        << "                        table with one example per row (a 'label' column,\n"
        << "                        or --label-column, is ignored); --data is not read\n"
        << "  --count N             how many examples (default: 10, with --input all)\n"
        << "  --output FILE         also write them: FILE.csv the predictions (one row\n"
        << "                        per example), any other name a .npy of the outputs,\n"
        << "                        N x (output per example)\n"
        << data << "  -h, --help            show this help\n";
  } else if (cmd == "generate") {
    std::cout
        << "Usage: " << prog << " generate --checkpoint DIR|FILE [options]\n\n"
        << "Samples text from a language model (token ids in, logits per position\n"
        << "out): from the prompt, each next character drawn from the model's\n"
        << "distribution at the last position of the window of its latest inputs\n"
        << "(the model's sequence length). The vocabulary is the one training\n"
        << "built: --data names the text the model was trained on.\n\n"
        << "Options:\n"
        << "  --checkpoint DIR|FILE the checkpoint (required)\n"
        << "  --prompt TEXT         the text to continue (default: a line break)\n"
        << "  --length N            how many characters to generate (default: 200)\n"
        << "  --temperature T       divide the logits by T (default: 1; 0: always the\n"
        << "                        most likely character)\n"
        << "  --top-k K             draw among the K most likely characters only\n"
        << "                        (default: 0, all)\n"
        << "  --seed S              seed of the draws (default: 0)\n"
        << data << "  -h, --help            show this help\n";
  } else if (cmd == "info") {
    std::cout << "Usage: " << prog << " info\n\n"
              << "Shows the model's state tensors and entry points.\n";
  }
}

std::string argString(const dlc_tensor_info &t) {
  static const char *kinds[] = {"param", "state",  "input", "label",
                                "output", "loss", "optimizer state", "grad"};
  int k = int(t.kind);
  return std::string(t.name) + ": " + dtypeName(fromDlc(t.dtype)) +
         shapeString(shapeOf(t)) + " " + (k >= 0 && k < 8 ? kinds[k] : "?");
}

/// "metric: ..." (one line per metric) or "metrics: none ...", for info.
std::string describeMetrics(const Model &m) {
  if (m.metrics.empty())
    return "metrics: none (the trainer reports the loss)";
  std::string text;
  for (const Metric &metric : m.metrics) {
    std::string label = metric.label, mode = metric.mode ? metric.mode : "";
    std::string out = metric.output;
    if (!text.empty())
      text += "\n";
    if (mode == "threshold") {
      char t[64];
      std::snprintf(t, sizeof t, "%g", metric.threshold);
      text += "metric: accuracy of '" + out + "' > " + t + " against '" +
              label + "' > " + t;
      continue;
    }
    if (mode == "sequence")
      text += "metric: sequence accuracy (an example counts when the arg-max "
              "of '" + out + "' matches '" + label + "' at every position)";
    else
      text += "metric: accuracy of the arg-max of '" + out + "' against '" +
              label + "'" + (mode.empty() ? " (mode not given)" : "");
    if (metric.ignores)
      text += ", positions labelled " + std::to_string(metric.ignoreIndex) +
              " left out";
  }
  return text;
}

/// "test accuracy: A", or one "test accuracy (LABEL): A" line per metric.
void printAccuracies(const Binding &b, const std::vector<double> &acc) {
  for (size_t k = 0; k < acc.size() && k < b.metrics.size(); ++k)
    if (b.metrics.size() == 1)
      std::cout << strFormat("test accuracy: %.4f\n", acc[k]);
    else
      std::cout << strFormat("test accuracy (%s): %.4f\n", b.metrics[k].label.c_str(),
                  acc[k]);
}

int info(const Model &m) {
  m.validate();
  int64_t params = 0;
  for (int i = 0; i < m.numStateTensors; ++i)
    if (m.stateTensors[i].kind == DLC_PARAM)
      params += numElements(shapeOf(m.stateTensors[i]));
  std::cout << "model " << m.name << ": " << params << " parameters, state "
            << m.stateBytes << " bytes\n";
  for (int i = 0; i < m.numStateTensors; ++i)
    std::cout << "  " << argString(m.stateTensors[i]) << "\n";
  for (const Entry *e : {&m.trainStep, &m.eval, &m.forward}) {
    if (!*e)
      continue;
    std::cout << e->name << " (workspace " << e->workspaceBytes << " bytes)\n";
    for (int a = 0; a < e->numArgs; ++a)
      std::cout << "  " << argString(e->args[a]) << "\n";
  }
  if (m.epochs || m.batch)
    std::cout << "train: " << m.epochs << " epochs, batch " << m.batch
              << ", seed " << m.seed << "\n";
  std::cout << describeMetrics(m) << "\n";
  return 0;
}

/// Whether the model reads text: integer inputs of rank 2 ([batch, T]) are
/// token ids.
bool readsTokens(const Model &m) {
  const Entry &ref = m.dataEntry();
  int in = ref ? ref.find(DLC_INPUT) : -1;
  return in >= 0 && !isFloat(fromDlc(ref.args[in].dtype)) &&
         ref.args[in].rank == 2;
}

DataSplits loadData(const Options &o, const Model &m) {
  DataOptions d;
  if (o.scaleGiven)
    d.scale = o.scale;
  d.labelColumn = o.labelColumn;
  const Entry &ref = m.dataEntry();
  if (readsTokens(m)) {
    int in = ref.find(DLC_INPUT);
    d.textSeqLen = ref.args[in].shape[1];
    int out = !m.metrics.empty() ? ref.find(std::string(m.metrics[0].output))
                                 : ref.find(DLC_OUTPUT);
    d.textVocab = out >= 0 && ref.args[out].rank >= 1
                      ? ref.args[out].shape[ref.args[out].rank - 1]
                      : 256;
  }
  int lb = ref.find(DLC_LABEL);
  d.labelLen = lb >= 0 && ref.args[lb].rank >= 1 && ref.args[lb].shape[0] > 0
                   ? numElements(shapeOf(ref.args[lb])) / ref.args[lb].shape[0]
                   : 0;
  std::string spec = o.dataGiven  ? o.data
                     : m.data     ? std::string(m.data)
                     : d.textSeqLen > 0 ? kDefaultText
                                        : kDefaultData;
  if (isNamedDataset(spec))
    return loadNamedDataset(spec, d, kDefaultData);
  return loadDataDir(spec, d);
}

/// Loads the checkpoint named by --checkpoint (a directory: its latest).
std::string loadForEval(const Options &o, Trainer &t, const Model &m) {
  if (o.checkpoint.empty())
    usage(o.command + " needs --checkpoint DIR|FILE");
  std::string path = o.checkpoint;
  if (isDirectory(path)) {
    path = latestCheckpoint(o.checkpoint);
    if (path.empty())
      fail(o.checkpoint, "no checkpoint (epoch-NNNN.safetensors) in this directory");
  }
  Metadata meta = loadCheckpoint(
      path, m.name, m.stateTensors, m.numStateTensors, m.stateBytes,
      t.session().state(), LoadOptions{false, o.allowNonFinite, &std::cerr});
  auto it = meta.find("epoch");
  std::cout << "checkpoint " << path;
  if (it != meta.end())
    std::cout << " (epoch " << it->second << ")";
  std::cout << "\n";
  return path;
}

std::string classLabel(const DataSplits &d, int64_t c) {
  if (c >= 0 && size_t(c) < d.classNames.size())
    return d.classNames[size_t(c)] + " (" + std::to_string(c) + ")";
  return std::to_string(c);
}

/// Example I's predictions from its outputs OUT (E values): the arg-max
/// class per position of a classifier, 0/1 per value for a threshold
/// metric, else the values themselves.
std::vector<double> predictionsOf(const Binding &b, const float *out,
                                  int64_t E) {
  std::vector<double> p;
  const MetricBinding *m = b.primary();
  if (m && m->argmax) {
    for (int64_t q = 0; q < m->positions; ++q) {
      const float *row = out + q * m->classes;
      int64_t best = 0;
      for (int64_t c = 1; c < m->classes; ++c)
        if (row[c] > row[best])
          best = c;
      p.push_back(double(best));
    }
  } else if (m) {
    for (int64_t k = 0; k < E; ++k)
      p.push_back(out[k] > m->threshold ? 1 : 0);
  } else {
    p.assign(out, out + E);
  }
  return p;
}

/// Writes --output: FILE.csv the predictions, else a .npy of the outputs.
void writePredictions(const std::string &path, const Binding &b,
                      const std::vector<float> &out, int64_t n, int64_t E,
                      const std::vector<std::string> &inputs) {
  for (const std::string &f : inputs)
    if (sameFile(path, f))
      fail(path, "is " + (f == path ? std::string("an input file") : f) +
                     " of this prediction; --output would overwrite it");
  if (path.size() < 4 || path.compare(path.size() - 4, 4, ".csv") != 0) {
    Array a(DType::F32, {n, E});
    std::memcpy(a.bytes.data(), out.data(), out.size() * sizeof(float));
    saveNpy(path, a);
    return;
  }
  std::string column = b.hasMetric() ? "prediction" : b.output;
  size_t width = n ? predictionsOf(b, out.data(), E).size() : 1;
  std::string text = "index";
  for (size_t k = 0; k < width; ++k)
    text += "," + column + (width > 1 ? "_" + std::to_string(k) : "");
  text += "\n";
  char buf[64];
  for (int64_t i = 0; i < n; ++i) {
    text += std::to_string(i);
    for (double v : predictionsOf(b, out.data() + i * E, E)) {
      std::snprintf(buf, sizeof buf, b.hasMetric() ? ",%.0f" : ",%.9g", v);
      text += buf;
    }
    text += "\n";
  }
  writeFileAtomic(path, text);
}

/// Token ids as text: through the data's character vocabulary, else bytes
/// (trailing zeros, a caption's end, dropped; unprintable bytes as '?').
std::string spell(const DataSplits &d, std::vector<int32_t> ids) {
  if (!d.corpus.chars.empty()) {
    for (int32_t &id : ids)
      if (id < 0 || id >= int32_t(d.corpus.chars.size()))
        id = 0;
    return d.corpus.decode(ids);
  }
  while (!ids.empty() && ids.back() == 0)
    ids.pop_back();
  std::string s;
  for (int32_t id : ids)
    s += id >= 32 && id < 127 ? char(id) : '?';
  return s;
}

/// One line of predict's output for example I (without a label).
void printPrediction(int64_t i, const Binding &b, const float *out, int64_t E,
                     const DataSplits *d) {
  std::printf("%6" PRId64 "  ", i);
  std::vector<double> p = predictionsOf(b, out, E);
  const MetricBinding *m = b.primary();
  if (m && m->argmax && m->positions == 1) {
    int64_t c = int64_t(p[0]);
    std::printf("predicted %s\n",
                d ? classLabel(*d, c).c_str() : std::to_string(c).c_str());
    return;
  }
  if (m && !m->argmax && E == 1) {
    std::printf("output %.4f -> %.0f\n", double(out[0]), p[0]);
    return;
  }
  bool values = !(m && m->argmax);
  std::printf("%s", values ? "output" : "predicted");
  for (size_t k = 0; k < std::min<size_t>(p.size(), 10); ++k)
    std::printf(values ? " %.4f" : " %.0f", values ? double(out[k]) : p[k]);
  std::printf("%s\n", p.size() > 10 ? " ..." : "");
}

/// predict --input FILE: inputs without labels, no data set.
int predictInputs(const Options &o, const Model &m) {
  DataOptions d;
  if (o.scaleGiven)
    d.scale = o.scale;
  d.labelColumn = o.labelColumn;
  Dataset inputs = loadInputs(o.input, d);
  Trainer t(m, inputs, std::cout);
  loadForEval(o, t, m);
  int64_t n = o.countGiven ? std::min(o.count, inputs.size()) : inputs.size();
  std::vector<float> out = t.predict(inputs, n);
  int64_t E = n ? int64_t(out.size()) / n : 0;
  if (!o.output.empty())
    writePredictions(o.output, t.binding(), out, n, E, {o.input});
  std::printf("inputs: %" PRId64 " of %s (%s)\n", n, o.input.c_str(),
              inputs.exampleDescription().c_str());
  for (int64_t i = 0; i < n; ++i)
    printPrediction(i, t.binding(), out.data() + i * E, E, nullptr);
  return 0;
}

/// predict without --input: the first test examples, beside their labels.
int predictTests(const Options &o, Trainer &t) {
  const Binding &b = t.binding();
  const DataSplits &d = t.data();
  int64_t n = std::min<int64_t>(o.count, d.test.size());
  std::vector<float> out = t.predict(d.test, n);
  int64_t E = n ? int64_t(out.size()) / n : 0;
  if (!o.output.empty())
    writePredictions(o.output, b, out, n, E, d.files);
  int64_t correct = 0, counted = 0;
  // The primary metric's labels, beside the predictions.
  const MetricBinding *m = b.primary();
  const Feed *lf = m ? &b.feeds[size_t(m->feed)] : nullptr;
  const Array &Y = lf ? feedData(d.test, *lf) : d.test.y;
  int64_t L = lf ? feedPerExample(d.test, *lf) : 0;
  double thr = m ? m->threshold : 0.5;
  for (int64_t i = 0; i < n; ++i) {
    if (m && m->argmax && m->positions == 1) {
      std::printf("%6" PRId64 "  ", i);
      int64_t best = int64_t(predictionsOf(b, out.data() + i * E, E)[0]);
      int64_t truth = L == 1 ? int64_t(Y.at(i)) : -1;
      std::printf("predicted %-18s label %-18s%s\n",
                  classLabel(d, best).c_str(),
                  truth >= 0 ? classLabel(d, truth).c_str() : "?",
                  truth == best ? "" : "  *");
      correct += truth == best;
      ++counted;
    } else if (m && m->sequence && L == m->positions) {
      // Sequences: the prediction and the label spelled out (and the input
      // when it is tokens too).
      std::vector<double> p = predictionsOf(b, out.data() + i * E, E);
      std::vector<int32_t> pred(p.begin(), p.end()), truth, input;
      for (int64_t k = 0; k < L; ++k)
        truth.push_back(int32_t(Y.at(i * L + k)));
      std::printf("%6" PRId64 "  ", i);
      if (!isFloat(d.test.x.dtype) && d.test.xScale == 1.0) {
        int64_t F = d.test.featuresPerExample();
        for (int64_t k = 0; k < F; ++k)
          input.push_back(int32_t(d.test.x.at(i * F + k)));
        std::printf("input %-14s  ", ("'" + spell(d, input) + "'").c_str());
      }
      std::printf("predicted %-14s  label %s%s\n",
                  ("'" + spell(d, pred) + "'").c_str(),
                  ("'" + spell(d, truth) + "'").c_str(),
                  pred == truth ? "" : "  *");
      correct += pred == truth;
      ++counted;
    } else if (m && !m->argmax && E == 1) {
      std::printf("%6" PRId64 "  ", i);
      double v = out[size_t(i * E)], y = Y.at(i * L);
      std::printf("output %.4f -> %d  label %g%s\n", v, v > thr, y,
                  (v > thr) == (y > thr) ? "" : "  *");
      correct += (v > thr) == (y > thr);
      ++counted;
    } else {
      printPrediction(i, b, out.data() + i * E, E, &d);
    }
  }
  if (counted)
    std::printf("correct: %" PRId64 " of %" PRId64 "\n", correct, counted);
  return 0;
}

/// The index of a draw from softmax(logits / temperature) restricted to the
/// top-k logits (k = 0: all; temperature 0: the largest logit).
int64_t sampleToken(const float *logits, int64_t V, double temperature,
                    int64_t topK, Rng &rng) {
  std::vector<int64_t> order(static_cast<size_t>(V));
  for (int64_t i = 0; i < V; ++i)
    order[size_t(i)] = i;
  std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
    return logits[a] > logits[b];
  });
  if (temperature == 0)
    return order[0];
  int64_t k = topK > 0 ? std::min(topK, V) : V;
  double top = logits[order[0]], total = 0;
  std::vector<double> p(static_cast<size_t>(k));
  for (int64_t i = 0; i < k; ++i)
    total += p[size_t(i)] = std::exp((logits[order[size_t(i)]] - top) / temperature);
  double u = rng.uniform() * total;
  for (int64_t i = 0; i < k; ++i)
    if ((u -= p[size_t(i)]) < 0)
      return order[size_t(i)];
  return order[size_t(k - 1)];
}

/// generate: text sampled from a language model, one character per forward.
int generate(const Options &o, const Model &m) {
  if (!readsTokens(m))
    usage("generate needs a language model: token ids [batch, T] in and "
          "logits [batch, T, vocabulary] out");
  DataSplits data = loadData(o, m);
  if (data.format != "text")
    usage("generate needs a language model trained on text; this model's "
          "data set is " + data.train.name +
          " (a sequence task: 'predict' shows its outputs)");
  TextCorpus corpus = data.corpus;
  const int64_t T = data.train.x.shape[1];
  Trainer t(m, std::move(data), std::cout);
  loadForEval(o, t, m);
  std::vector<int32_t> tokens;
  for (unsigned char c : o.prompt) {
    if (!corpus.chars.empty() &&
        !std::binary_search(corpus.chars.begin(), corpus.chars.end(), c))
      fail("--prompt", "character " + std::to_string(int(c)) +
                           " is not in the model's vocabulary (the "
                           "characters of --data)");
    tokens.push_back(corpus.encode(std::string(1, char(c)))[0]);
  }
  Dataset window;
  window.name = "the prompt";
  window.x = Array(DType::I32, {1, T});
  Rng rng(mixSeed(o.seed, 0x67656e));
  std::cout << o.prompt << std::flush;
  for (int64_t n = 0; n < o.length; ++n) {
    // The latest T tokens, from position 0; the rest of the window is
    // never read by a causal model's prediction at the last of them.
    int64_t used = std::min<int64_t>(T, int64_t(tokens.size()));
    int32_t *x = window.x.as<int32_t>();
    std::fill(x, x + T, 0);
    std::copy(tokens.end() - used, tokens.end(), x);
    std::vector<float> out = t.predict(window, 1);
    int64_t V = int64_t(out.size()) / T;
    int32_t next = int32_t(sampleToken(out.data() + (used - 1) * V, V,
                                       o.temperature, o.topK, rng));
    tokens.push_back(next);
    std::cout << corpus.decode({next}) << std::flush;
  }
  std::cout << "\n";
  return 0;
}

int run(const Options &o, const Model &m, const std::string &prog,
        Communicator *comm) {
  if (o.help) {
    printHelp(prog, o.command, m);
    return 0;
  }
  if (o.command == "info")
    return info(m);
  int processes = comm ? comm->size() : 1;
  if (processes > 1 && o.command != "train" && o.command != "eval")
    usage(o.command + " runs in one process: run it without mpirun (train "
                      "and eval run on several)");
  useThreads(m, o.threads ? int(o.threads) : defaultThreadCount());

  if ((o.command == "eval" || o.command == "predict" ||
       o.command == "generate") &&
      o.checkpoint.empty())
    usage(o.command + " needs --checkpoint DIR|FILE");
  if (o.command == "generate")
    return generate(o, m);
  if (o.keepGiven && o.checkpoint.empty())
    usage("--keep needs --checkpoint DIR");
  if (o.command == "predict" && !o.input.empty()) {
    if (o.dataGiven)
      usage("predict reads --input FILE or the test split of --data DIR, not "
            "both");
    return predictInputs(o, m);
  }
  DataSplits data = loadData(o, m);
  std::string trainName = data.train.name, testName = data.test.name;
  Trainer t(m, std::move(data), std::cout);
  t.setCommunicator(comm);
  const Binding &b = t.binding();
  const DataSplits &d = t.data();

  if (o.command == "train") {
    int64_t params = 0;
    for (int i = 0; i < m.numStateTensors; ++i)
      if (m.stateTensors[i].kind == DLC_PARAM)
        params += numElements(shapeOf(m.stateTensors[i]));
    std::cout << "model " << m.name << ": " << params << " parameters; data: "
              << d.train.size() << " train, " << d.test.size()
              << " test examples (" << d.train.exampleDescription()
              << "); batch " << b.batch;
    if (processes > 1)
      std::cout << " on each of " << processes << " processes (global batch "
                << b.batch * processes << ")";
    std::cout << ", " << d.train.size() / (b.batch * processes)
              << " steps per epoch\n";
    TrainOptions to;
    to.epochs = o.epochs;
    to.seed = o.seed;
    to.seedGiven = o.seedGiven;
    to.checkpointDir = o.checkpoint;
    to.resume = o.resume;
    to.checkpointEvery = o.checkpointEvery;
    to.logPath = o.log;
    to.progress = o.progress >= 0 ? o.progress : ::isatty(STDOUT_FILENO) ? 1 : 0;
    to.maxSteps = o.maxSteps;
    to.keep = o.keep;
    to.allowNonFinite = o.allowNonFinite;
    to.force = o.force;
    to.warnings = &std::cerr;
    std::vector<EpochStats> stats = t.train(to);
    int64_t total = o.epochs > 0 ? o.epochs : m.epochs > 0 ? m.epochs : 1;
    double loss;
    std::vector<double> acc;
    if (!stats.empty() && stats.back().epoch == total) {
      loss = stats.back().testLoss;
      acc = stats.back().testAccuracies;
    } else if (o.maxSteps > 0) {
      return 0; // stopped early on purpose: no final evaluation
    } else {
      EvalStats s = t.evaluate(d.test);
      loss = s.loss;
      for (size_t k = 0; k < b.metrics.size(); ++k)
        acc.push_back(s.accuracy(k));
    }
    if (!b.hasMetric()) {
      std::cout << strFormat("test loss: %.4f\n", loss);
      return 0;
    }
    printAccuracies(b, acc);
    return 0;
  }

  loadForEval(o, t, m);
  if (o.command == "eval") {
    EvalStats s = t.evaluate(d.test);
    std::cout << strFormat("examples: %" PRId64 "\n", s.examples);
    // A NaN loss of a model that has one is shown (a diverged checkpoint
    // loaded with --allow-non-finite); a model without a loss has none.
    if ((m.eval ? b.eval : b.forward).loss >= 0)
      std::cout << strFormat("test loss: %.4f\n", s.loss);
    std::vector<double> acc;
    for (size_t k = 0; k < b.metrics.size(); ++k)
      acc.push_back(s.accuracy(k));
    printAccuracies(b, acc);
    return 0;
  }

  return predictTests(o, t);
}

} // namespace

namespace {
/// A stream buffer that drops everything: the standard output of the
/// processes other than 0.
struct NullBuffer : std::streambuf {
  int overflow(int c) override { return traits_type::not_eof(c); }
  std::streamsize xsputn(const char *, std::streamsize n) override { return n; }
};
} // namespace

int trainerMain(int argc, char **argv, const Model &model, Communicator *comm) {
  std::string prog = argc > 0 && argv[0] ? argv[0] : "trainer";
  size_t slash = prog.find_last_of('/');
  if (slash != std::string::npos)
    prog = prog.substr(slash + 1);
  // Past `ulimit -f`, a write fails with EFBIG (reported with the file)
  // instead of the process dying of SIGXFSZ.
  std::signal(SIGXFSZ, SIG_IGN);
  bool several = comm && comm->size() > 1;
  // Process 0 speaks for the run; the others only report their errors
  // ("PROG (process R): error: ...").
  NullBuffer discard;
  std::streambuf *stdoutBuffer = std::cout.rdbuf();
  if (several && comm->rank() != 0)
    std::cout.rdbuf(&discard);
  std::string who =
      several && comm->rank() != 0
          ? prog + " (process " + std::to_string(comm->rank()) + ")"
          : prog;
  // An error on one process stops the run: the others may wait for it in
  // a collective call.
  // One write per message: the processes' lines do not interleave.
  auto report = [&](const std::string &message) {
    std::cout.flush();
    std::string line = message + "\n";
    ssize_t rc = ::write(STDERR_FILENO, line.data(), line.size());
    (void)rc;
  };
  auto stop = [&](int rc) {
    std::cout.flush();
    std::cout.rdbuf(stdoutBuffer);
    if (several && rc != 0)
      comm->abort(rc);
    return rc;
  };
  try {
    int launched = launcherProcessCount();
    if (!comm && launched > 1)
      fail("this trainer runs as one of " + std::to_string(launched) +
           " processes of an MPI job but was built without MPI: each would "
           "train alone; rebuild it with 'dlc build --mpi'");
    Options o = parse(argc, argv);
    int rc = run(o, model, prog, comm);
    return stop(rc);
  } catch (const UsageError &e) {
    report(who + ": " + e.what() + "\nRun '" + prog + " --help' for usage.");
    return stop(2);
  } catch (const Error &e) {
    report(who + ": error: " + e.what());
    return stop(1);
  } catch (const std::bad_alloc &) {
    report(who + ": error: out of memory");
    return stop(1);
  } catch (const std::exception &e) {
    report(who + ": error: " + e.what());
    return stop(1);
  }
}

} // namespace dlrt
