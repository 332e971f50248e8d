//===- binding.cpp - binding a data set to a model's arguments ------------===//
//
// Part of dlrt. Trainer::bind maps a data set onto a model's inputs and
// labels (X and Y, or named fields) and its metrics, and checks the shapes;
// checkLabels and checkFeatures check every value before training.
//
//===----------------------------------------------------------------------===//
#include "dlrt/error.h"
#include "dlrt/trainer.h"

#include <algorithm>
#include <cinttypes>
#include <cmath>

namespace dlrt {

namespace {
std::string describeArg(const dlc_tensor_info &t) {
  return std::string("'") + t.name + "' (" + dtypeName(fromDlc(t.dtype)) +
         shapeString(shapeOf(t)) + ")";
}

int64_t perExample(const dlc_tensor_info &t, int64_t batch) {
  return batch ? numElements(shapeOf(t)) / batch : 0;
}

bool isIntegral(double v) { return std::isfinite(v) && v == std::floor(v); }

/// B's argument map of M's data entry point (Model::dataEntry).
const ArgMap &dataMap(const Model &m, const Binding &b) {
  const Entry *ref = &m.dataEntry();
  return ref == &m.trainStep ? b.train : ref == &m.eval ? b.eval : b.forward;
}

/// Values of one example of A (product of dimensions 1..).
int64_t arrayPerExample(const Array &a) {
  if (a.shape.empty() || a.shape[0] == 0)
    return 0;
  return a.numel() / a.shape[0];
}

std::string fieldNames(const Dataset &ds) {
  std::string names;
  for (const Field &f : ds.fields)
    names += (names.empty() ? "" : ", ") + f.name;
  return names;
}
} // namespace

const Array &feedData(const Dataset &ds, const Feed &f) {
  if (ds.fields.empty())
    return f.label ? ds.y : ds.x;
  const Field *field = ds.field(f.name);
  if (!field)
    fail(ds.name, "has no field '" + f.name + "' (its fields: " +
                      fieldNames(ds) + ")");
  return field->data;
}

int64_t feedPerExample(const Dataset &ds, const Feed &f) {
  return arrayPerExample(feedData(ds, f));
}

bool Binding::labelled(const Dataset &ds) const {
  if (ds.fields.empty())
    return ds.labelled();
  bool any = false;
  for (const Feed &f : feeds)
    if (f.label) {
      if (!ds.field(f.name))
        return false;
      any = true;
    }
  return any;
}

const Feed *Binding::feed(const std::string &name) const {
  for (const Feed &f : feeds)
    if (f.name == name)
      return &f;
  return nullptr;
}

//===----------------------------------------------------------------------===//
// Binding
//===----------------------------------------------------------------------===//

/// E's argument indices for B's feeds, metrics and predictions (by name),
/// and its loss.
static ArgMap mapEntry(const Entry &e, const Binding &b) {
  ArgMap a;
  if (!e)
    return a;
  auto find = [&](const std::string &name, dlc_kind kind) {
    int i = e.find(name);
    return i >= 0 && e.args[i].kind == kind ? i : -1;
  };
  for (const Feed &f : b.feeds)
    a.feeds.push_back(find(f.name, f.label ? DLC_LABEL : DLC_INPUT));
  for (const MetricBinding &m : b.metrics)
    a.outputs.push_back(find(m.output, DLC_OUTPUT));
  a.loss = e.find(DLC_LOSS);
  a.output = b.output.empty() ? -1 : find(b.output, DLC_OUTPUT);
  return a;
}

Binding Trainer::bind(const Model &m, const Dataset &ds) {
  Binding b;
  std::string mname = std::string("model '") + m.name + "'";
  const Entry *ref = &m.dataEntry();
  if (!*ref)
    fail(mname, "has no train_step, eval or forward entry point");

  // The feeds: every input and label of the data entry point.
  std::vector<int> inputs, labels;
  std::string inputNames;
  for (int i = 0; i < ref->numArgs; ++i) {
    if (ref->args[i].kind == DLC_INPUT) {
      inputs.push_back(i);
      inputNames += (inputNames.empty() ? "" : ", ") + std::string(ref->args[i].name);
    } else if (ref->args[i].kind == DLC_LABEL) {
      labels.push_back(i);
    }
  }
  bool byName = !ds.fields.empty();
  // A data set of fields without any label field holds inputs alone.
  bool labelsGiven = !byName ? ds.labelled() : false;
  for (int i : labels)
    labelsGiven |= byName && ds.field(ref->args[i].name);
  std::string where = mname + " " + ref->name;
  if (inputs.empty())
    fail(where, "has no input");
  if (!byName && inputs.size() != 1)
    fail(where, "has " + std::to_string(inputs.size()) + " inputs (" +
                    inputNames + "); " + ds.name +
                    " holds one array of examples (a data set of named "
                    "fields feeds several inputs)");
  if (!byName && labels.size() > 1)
    fail(where, "has " + std::to_string(labels.size()) + " labels; " +
                    ds.name + " holds one array of labels");

  const dlc_tensor_info &in0 = ref->args[inputs[0]];
  if (in0.rank < 1)
    fail(mname, "input " + describeArg(in0) + " has no batch dimension");
  b.batch = in0.shape[0];
  if (b.batch <= 0)
    fail(mname, "input " + describeArg(in0) + " has an empty batch");
  if (m.batch && m.batch != b.batch)
    fail(mname, "train block batch " + std::to_string(m.batch) +
                    " differs from the input's first dimension " +
                    std::to_string(b.batch));
  for (const Field &f : ds.fields)
    if (f.data.shape.empty() || f.data.shape[0] != ds.size())
      fail(ds.name, "field '" + f.name + "' does not hold " +
                        std::to_string(ds.size()) + " examples, as field '" +
                        ds.fields[0].name + "' does");

  for (const std::vector<int> *kind : {&inputs, &labels})
    for (int i : *kind) {
      const dlc_tensor_info &t = ref->args[i];
      Feed f;
      f.name = t.name;
      f.label = t.kind == DLC_LABEL;
      const char *role = f.label ? "label " : "input ";
      if (t.rank < 1 || t.shape[0] != b.batch)
        fail(mname, role + describeArg(t) +
                        " does not have the input's batch dimension " +
                        std::to_string(b.batch));
      f.perExample = perExample(t, b.batch);
      if (byName && !ds.field(f.name) && (!f.label || labelsGiven))
        fail(mname, role + describeArg(t) + " has no field of its name in " +
                        ds.name + " (its fields: " + fieldNames(ds) + ")");
      b.feeds.push_back(f);
    }

  // The metrics the model declares, compared with a label of the data
  // entry point (a model without one, a regression, has no accuracy).
  // Predictions use the primary metric's output, else the first output.
  for (const Metric &decl : m.metrics) {
    int o = ref->find(std::string(decl.output));
    if (o < 0 || ref->args[o].kind != DLC_OUTPUT)
      fail(mname, std::string("the metric's output '") + decl.output +
                      "' is not an output of " + ref->name);
    if (labels.empty())
      continue; // nothing to compare with
    const Feed *lf = b.feed(decl.label);
    if (!lf || !lf->label)
      fail(mname, std::string("the metric compares output '") + decl.output +
                      "' with '" + decl.label + "', which is not a label of " +
                      ref->name +
                      " (the trainer compares an output with the data's "
                      "labels)");
    const dlc_tensor_info &out = ref->args[o];
    if (out.rank < 1 || out.shape[0] != b.batch)
      fail(mname, "output " + describeArg(out) +
                      " does not have the input's batch dimension");
    MetricBinding mb;
    mb.output = decl.output;
    mb.label = decl.label;
    mb.feed = int(lf - b.feeds.data());
    mb.outputPerExample = perExample(out, b.batch);
    std::string mode = decl.mode ? decl.mode : "";
    if (mode.empty())
      mode = out.rank >= 2 && out.shape[out.rank - 1] > 1 ? "argmax" : "threshold";
    if (mode != "argmax" && mode != "threshold" && mode != "sequence")
      fail(mname, "unknown metric mode '" + mode + "'");
    mb.argmax = mode == "argmax" || mode == "sequence";
    mb.sequence = mode == "sequence";
    mb.threshold = decl.threshold;
    mb.ignores = decl.ignores && mb.argmax;
    mb.ignoreIndex = decl.ignoreIndex;
    if (!mb.argmax && !std::isfinite(mb.threshold))
      fail(mname,
           strFormat("metric threshold %g is not a finite number", mb.threshold));
    if (mb.argmax) {
      if (out.rank < 2)
        fail(mname, "argmax accuracy needs a class dimension in output " +
                        describeArg(out));
      mb.classes = out.shape[out.rank - 1];
      mb.positions = mb.outputPerExample / mb.classes;
    } else {
      mb.positions = mb.outputPerExample;
    }
    b.metrics.push_back(mb);
  }
  if (!m.metrics.empty())
    b.output = m.metrics[0].output;
  else if (int o = ref->find(DLC_OUTPUT); o >= 0)
    b.output = ref->args[o].name;

  b.train = mapEntry(m.trainStep, b);
  b.eval = mapEntry(m.eval, b);
  b.forward = mapEntry(m.forward, b);
  b.grad = mapEntry(m.grad, b);
  const ArgMap &r = dataMap(m, b);

  // How the data fill each feed.
  for (size_t i = 0; i < b.feeds.size(); ++i) {
    Feed &f = b.feeds[i];
    const dlc_tensor_info &t = ref->args[r.feeds[i]];
    if (f.label && !labelsGiven)
      continue; // inputs alone (predictions)
    const Array &data = feedData(ds, f);
    int64_t dataPerExample = arrayPerExample(data);
    std::string what = byName ? ds.name + "'s field '" + f.name + "'" : ds.name;
    if (!f.label) {
      if (f.perExample != dataPerExample)
        fail(mname, "input " + describeArg(t) + " takes " +
                        std::to_string(f.perExample) +
                        " values per example, but " + what + " holds " +
                        (byName ? std::to_string(dataPerExample) + " per example"
                                : ds.exampleDescription()));
      double scale = byName ? 1.0 : ds.xScale;
      if (!isFloat(fromDlc(t.dtype)) && (isFloat(data.dtype) || scale != 1.0))
        fail(mname, "input " + describeArg(t) +
                        " takes integers (token ids), but " + what + " holds " +
                        (data.dtype == DType::U8 ? "images" : "real numbers"));
      continue;
    }
    const MetricBinding *classIds = nullptr;
    for (const MetricBinding &mb : b.metrics)
      if (mb.feed == int(i) && mb.argmax)
        classIds = &mb;
    if (dataPerExample == f.perExample) {
      f.oneHot = false;
    } else if (classIds && isFloat(fromDlc(t.dtype)) &&
               dataPerExample == classIds->positions &&
               f.perExample == classIds->positions * classIds->classes) {
      f.oneHot = true;
      f.classes = classIds->classes;
    } else {
      fail(mname, "label " + describeArg(t) + " takes " +
                      std::to_string(f.perExample) +
                      (f.perExample == 1 ? " value" : " values") +
                      " per example, but " + what + " has " +
                      std::to_string(dataPerExample) + " label" +
                      (dataPerExample == 1 ? "" : "s") + " per example");
    }
  }
  // Every entry point must take the same shapes (the trainer fills one
  // batch layout for all of them).
  for (auto [e, a] : {std::pair{&m.trainStep, &b.train}, std::pair{&m.eval, &b.eval},
                      std::pair{&m.forward, &b.forward}, std::pair{&m.grad, &b.grad}}) {
    if (!*e || e == ref)
      continue;
    auto same = [&](int mine, int theirs, const char *what) {
      if (mine < 0 || theirs < 0)
        return;
      const dlc_tensor_info &x = e->args[mine], &y = ref->args[theirs];
      if (shapeOf(x) != shapeOf(y) || x.dtype != y.dtype)
        fail(mname, std::string(e->name) + " " + what + " " + describeArg(x) +
                        " differs from " + ref->name + "'s " + describeArg(y));
    };
    for (size_t i = 0; i < b.feeds.size(); ++i)
      same(a->feeds[i], r.feeds[i], b.feeds[i].label ? "label" : "input");
    same(a->output, r.output, "output");
    for (size_t i = 0; i < b.metrics.size(); ++i)
      same(a->outputs[i], r.outputs[i], "output");
  }

  for (const MetricBinding &mb : b.metrics) {
    const Feed &f = b.feeds[size_t(mb.feed)];
    if (mb.argmax && f.perExample != mb.positions &&
        f.perExample != mb.outputPerExample)
      fail(mname, "accuracy compares output '" + mb.output + "' with label '" +
                      mb.label + "', whose sizes do not correspond");
    if (!mb.argmax && f.perExample != mb.outputPerExample)
      fail(mname, "threshold accuracy needs output '" + mb.output +
                      "' and label '" + mb.label + "' of the same size");
  }
  return b;
}

void Trainer::checkLabels(const Dataset &ds) const {
  const Binding &b = binding_;
  if (!b.labelled(ds))
    return;
  const Entry *ref = &model_.dataEntry();
  const ArgMap &r = dataMap(model_, b);
  for (size_t i = 0; i < b.feeds.size(); ++i) {
    const Feed &f = b.feeds[i];
    if (!f.label)
      continue;
    // Class ids (integral, within the classes or the metric's ignore
    // index) when a metric reads one per position.
    const Array &y = feedData(ds, f);
    int64_t dataPerExample = arrayPerExample(y);
    const MetricBinding *classIds = nullptr;
    for (const MetricBinding &mb : b.metrics)
      if (mb.feed == int(i) && mb.argmax && dataPerExample == mb.positions)
        classIds = &mb;
    bool intLabel = !isFloat(fromDlc(ref->args[r.feeds[i]].dtype));
    int64_t n = y.numel();
    std::string lname = !ds.fields.empty() ? ds.name + " field '" + f.name + "'"
                        : ds.labelName.empty() ? ds.name
                                               : ds.labelName;
    for (int64_t k = 0; k < n; ++k) {
      double v = y.at(k);
      int64_t ex = k / std::max<int64_t>(1, dataPerExample);
      if (std::isnan(v))
        fail(lname, "label of example " + std::to_string(ex) + " is NaN");
      if ((classIds || intLabel) && !isIntegral(v))
        fail(lname, strFormat("label %g of example %" PRId64 " is not an integer "
                        "(the model's label '%s' takes class ids)",
                        v, ex, f.name.c_str()));
      if (classIds && (v < 0 || v >= double(classIds->classes)) &&
          !(classIds->ignores && v == double(classIds->ignoreIndex)))
        fail(lname, strFormat("label %g of example %" PRId64 " is outside the "
                        "model's %" PRId64 " classes (0..%" PRId64 ")%s",
                        v, ex, classIds->classes, classIds->classes - 1,
                        classIds->ignores
                            ? strFormat(" and is not the ignored %" PRId64,
                                        classIds->ignoreIndex).c_str()
                            : ""));
    }
  }
}

/// Checks the features X (NAME, scaled by SCALE) for an input of type TO
/// whose token ids (an integer TO) index a table of BOUND rows (0: unknown).
static void checkInput(const Array &x, double scale, const std::string &name,
                       DType to, int64_t idBound) {
  if (x.shape.empty())
    return;
  if (!isFloat(to)) {
    // Token ids (bind() refuses real numbers and scales for them): within
    // the embedding table they index, when the model says which.
    int64_t bound = idBound, n = x.numel();
    int64_t F = std::max<int64_t>(1, arrayPerExample(x));
    for (int64_t i = 0; bound > 0 && i < n; ++i) {
      double v = x.at(i);
      if (v >= 0 && v < double(bound))
        continue;
      fail(name, strFormat("token id %g (position %" PRId64 " of example %" PRId64
                        ") is outside the model's embedding table of %" PRId64
                        " rows (ids 0..%" PRId64 ")",
                        v, i % F, i / F, bound, bound - 1));
    }
    return;
  }
  int64_t n = x.numel(), F = std::max<int64_t>(1, arrayPerExample(x));
  if (!std::isfinite(scale))
    fail(name, strFormat("the feature scale %g is not finite", scale));
  // Small integers times a finite scale: the extremes decide.
  double bound = 0;
  switch (x.dtype) {
  case DType::U8:
    bound = 255;
    break;
  case DType::I8:
    bound = 128;
    break;
  case DType::I16:
    bound = 32768;
    break;
  case DType::Bool:
    bound = 1;
    break;
  default:
    bound = -1;
    break;
  }
  auto fitsInput = [&](double v) {
    unsigned char buf[8];
    storeElement(buf, to, 0, v);
    return std::isfinite(loadElement(buf, to, 0));
  };
  if (bound >= 0 && fitsInput(bound * std::fabs(scale)))
    return;
  for (int64_t i = 0; i < n; ++i) {
    double v = x.at(i);
    if (std::isfinite(v) && fitsInput(v * scale))
      continue;
    std::string where =
        strFormat("feature %" PRId64 " of example %" PRId64, i % F, i / F);
    if (std::isnan(v))
      fail(name, where + " is NaN (features must be finite numbers)");
    if (!std::isfinite(v))
      fail(name, where + (v > 0 ? " is inf" : " is -inf") +
                        " (features must be finite numbers)");
    fail(name, strFormat("%s, %g, scaled by %g is beyond the range of the "
                      "model's %s input (it would be infinite)",
                      where.c_str(), v, scale, dtypeName(to)));
  }
}

void Trainer::checkFeatures(const Dataset &ds) const {
  const Entry &ref = model_.dataEntry();
  const ArgMap &r = dataMap(model_, binding_);
  for (size_t i = 0; i < binding_.feeds.size(); ++i) {
    const Feed &f = binding_.feeds[i];
    if (f.label)
      continue;
    int64_t rows = 0; // the table the input's ids index, when the header says
    for (const IdBound &bound : model_.inputIdBounds)
      if (f.name == bound.input)
        rows = bound.rows;
    bool byName = !ds.fields.empty();
    checkInput(feedData(ds, f), byName ? 1.0 : ds.xScale,
               byName ? ds.name + " field '" + f.name + "'" : ds.name,
               fromDlc(ref.args[r.feeds[i]].dtype),
               rows);
  }
}

} // namespace dlrt
