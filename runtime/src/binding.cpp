//===- binding.cpp - binding a data set to a model's arguments ------------===//
//
// Part of dlrt. Trainer::bind maps a model's entry points onto one input,
// one label and its outputs and checks the data against them;
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
} // namespace

//===----------------------------------------------------------------------===//
// Binding
//===----------------------------------------------------------------------===//

static ArgMap mapEntry(const Model &m, const Entry &e, const std::string &out,
                       const std::string &label) {
  ArgMap a;
  if (!e)
    return a;
  std::string where = std::string("model '") + m.name + "' " + e.name;
  int inputs = 0, labels = 0;
  std::string names;
  for (int i = 0; i < e.numArgs; ++i) {
    if (e.args[i].kind == DLC_INPUT) {
      ++inputs;
      names += std::string(names.empty() ? "" : ", ") + e.args[i].name;
    }
    labels += e.args[i].kind == DLC_LABEL;
  }
  if (inputs != 1)
    fail(where, "has " + std::to_string(inputs) + " inputs" +
                    (names.empty() ? "" : " (" + names + ")") +
                    "; the trainer feeds exactly one input");
  if (labels > 1)
    fail(where, "has " + std::to_string(labels) +
                    " labels; the trainer feeds one label");
  a.input = e.find(DLC_INPUT);
  a.label = label.empty() ? e.find(DLC_LABEL) : e.find(label);
  if (a.label >= 0 && e.args[a.label].kind != DLC_LABEL)
    a.label = e.find(DLC_LABEL);
  a.loss = e.find(DLC_LOSS);
  a.output = out.empty() ? e.find(DLC_OUTPUT) : e.find(out);
  if (a.output >= 0 && e.args[a.output].kind != DLC_OUTPUT)
    a.output = -1;
  return a;
}

Binding Trainer::bind(const Model &m, const Dataset &ds) {
  Binding b;
  std::string mname = std::string("model '") + m.name + "'";
  const Entry *ref = &m.dataEntry();
  if (!*ref)
    fail(mname, "has no train_step, eval or forward entry point");
  std::string outName = m.metricOutput ? m.metricOutput : "";
  std::string labelName = m.metricLabel ? m.metricLabel : "";
  b.train = mapEntry(m, m.trainStep, outName, labelName);
  b.eval = mapEntry(m, m.eval, outName, labelName);
  b.forward = mapEntry(m, m.forward, outName, labelName);
  const ArgMap &r = dataMap(m, b);

  const dlc_tensor_info &in = ref->args[r.input];
  b.input = in.name;
  if (in.rank < 1)
    fail(mname, "input " + describeArg(in) + " has no batch dimension");
  b.batch = in.shape[0];
  if (b.batch <= 0)
    fail(mname, "input " + describeArg(in) + " has an empty batch");
  if (m.batch && m.batch != b.batch)
    fail(mname, "train block batch " + std::to_string(m.batch) +
                    " differs from the input's first dimension " +
                    std::to_string(b.batch));
  int64_t features = perExample(in, b.batch);
  if (features != ds.featuresPerExample())
    fail(mname, "input " + describeArg(in) + " takes " +
                    std::to_string(features) + " values per example, but " +
                    ds.name + " holds " + ds.exampleDescription());
  DType inType = fromDlc(in.dtype);
  if (!isFloat(inType) && (isFloat(ds.x.dtype) || ds.xScale != 1.0))
    fail(mname, "input " + describeArg(in) + " takes integers (token ids), but " +
                    ds.name + " holds " +
                    (ds.x.dtype == DType::U8 ? "images" : "real numbers"));

  if (r.label >= 0) {
    const dlc_tensor_info &lb = ref->args[r.label];
    b.label = lb.name;
    if (lb.rank < 1 || lb.shape[0] != b.batch)
      fail(mname, "label " + describeArg(lb) +
                      " does not have the input's batch dimension " +
                      std::to_string(b.batch));
    b.labelPerExample = perExample(lb, b.batch);
  }
  b.dataLabelsPerExample = ds.labelsPerExample();

  // The metric is the one the model declares (Model::metricOutput); a model
  // without one (a regression) has no accuracy. Predictions use the
  // metric's output, else the first output.
  bool declared = m.metricOutput != nullptr;
  if (declared && r.output < 0)
    fail(mname, std::string("the metric's output '") + m.metricOutput +
                    "' is not an output of " + ref->name);
  if (declared && m.metricLabel && ref->find(DLC_LABEL) >= 0) {
    int l = ref->find(std::string(m.metricLabel));
    if (l < 0 || ref->args[l].kind != DLC_LABEL)
      fail(mname, std::string("the metric compares output '") + m.metricOutput +
                      "' with '" + m.metricLabel +
                      "', which is not a label of " + ref->name +
                      " (the trainer compares an output with the data's "
                      "labels)");
  }
  if (r.output >= 0) {
    const dlc_tensor_info &out = ref->args[r.output];
    b.output = out.name;
    if (out.rank < 1 || out.shape[0] != b.batch)
      fail(mname, "output " + describeArg(out) +
                      " does not have the input's batch dimension");
    b.outputPerExample = perExample(out, b.batch);
  }
  if (declared) {
    const dlc_tensor_info &out = ref->args[r.output];
    std::string mode = m.metricMode ? m.metricMode : "";
    if (mode.empty())
      mode = out.rank >= 2 && out.shape[out.rank - 1] > 1 ? "argmax" : "threshold";
    if (mode != "argmax" && mode != "threshold" && mode != "sequence")
      fail(mname, "unknown metric mode '" + mode + "'");
    b.argmax = mode == "argmax" || mode == "sequence";
    b.sequence = mode == "sequence";
    b.threshold = m.metricThreshold;
    if (!b.argmax && !std::isfinite(b.threshold))
      fail(mname,
           strFormat("metric threshold %g is not a finite number", b.threshold));
    if (b.argmax) {
      if (out.rank < 2)
        fail(mname, "argmax accuracy needs a class dimension in output " +
                        describeArg(out));
      b.classes = out.shape[out.rank - 1];
      b.positions = b.outputPerExample / b.classes;
    } else {
      b.classes = 0;
      b.positions = b.outputPerExample;
    }
    b.hasMetric = true;
  }

  // Every entry point must take the same input, label and output shapes
  // (the trainer fills one batch layout for all of them).
  for (auto [e, a] : {std::pair{&m.trainStep, &b.train}, std::pair{&m.eval, &b.eval},
                      std::pair{&m.forward, &b.forward}}) {
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
    same(a->input, r.input, "input");
    same(a->label, r.label, "label");
    same(a->output, r.output, "output");
  }

  // How data labels fill the model's label.
  if (!b.label.empty() && ds.labelled()) {
    const dlc_tensor_info &lb = ref->args[r.label];
    if (b.dataLabelsPerExample == b.labelPerExample) {
      b.oneHot = false;
    } else if (b.hasMetric && b.argmax && isFloat(fromDlc(lb.dtype)) &&
               b.dataLabelsPerExample == b.positions &&
               b.labelPerExample == b.positions * b.classes) {
      b.oneHot = true;
    } else {
      fail(mname, "label " + describeArg(lb) + " takes " +
                      std::to_string(b.labelPerExample) +
                      " values per example, but the data has " +
                      std::to_string(b.dataLabelsPerExample) + " label" +
                      (b.dataLabelsPerExample == 1 ? "" : "s") +
                      " per example");
    }
    if (b.hasMetric && b.argmax && b.labelPerExample != b.positions &&
        b.labelPerExample != b.outputPerExample)
      fail(mname, "accuracy compares output '" + b.output + "' with label '" +
                      b.label + "', whose sizes do not correspond");
    if (b.hasMetric && !b.argmax && b.labelPerExample != b.outputPerExample)
      fail(mname, "threshold accuracy needs output '" + b.output +
                      "' and label '" + b.label + "' of the same size");
  } else if (b.hasMetric && b.label.empty()) {
    b.hasMetric = false; // nothing to compare with
  }
  return b;
}

void Trainer::checkLabels(const Dataset &ds) const {
  const Binding &b = binding_;
  if (b.label.empty() || !ds.labelled())
    return;
  // Class ids: integral and within the model's classes.
  bool classIds = b.hasMetric && b.argmax && b.dataLabelsPerExample == b.positions;
  const Entry *ref = &model_.dataEntry();
  const ArgMap &r = dataMap(model_, b);
  bool intLabel = r.label >= 0 && !isFloat(fromDlc(ref->args[r.label].dtype));
  int64_t n = ds.y.numel();
  const std::string &lname = ds.labelName.empty() ? ds.name : ds.labelName;
  for (int64_t i = 0; i < n; ++i) {
    double v = ds.y.at(i);
    int64_t ex = i / std::max<int64_t>(1, b.dataLabelsPerExample);
    if (std::isnan(v))
      fail(lname, "label of example " + std::to_string(ex) + " is NaN");
    if ((classIds || intLabel) && !isIntegral(v))
      fail(lname, strFormat("label %g of example %" PRId64 " is not an integer "
                      "(the model's label '%s' takes class ids)",
                      v, ex, b.label.c_str()));
    if (classIds && (v < 0 || v >= double(b.classes)))
      fail(lname, strFormat("label %g of example %" PRId64 " is outside the "
                      "model's %" PRId64 " classes (0..%" PRId64 ")",
                      v, ex, b.classes, b.classes - 1));
  }
}

void Trainer::checkFeatures(const Dataset &ds) const {
  const Entry &ref = model_.dataEntry();
  int in = ref.find(DLC_INPUT);
  DType to = in >= 0 ? fromDlc(ref.args[in].dtype) : DType::F64;
  if (ds.x.shape.empty())
    return;
  if (!isFloat(to)) {
    // Token ids (bind() refuses real numbers and scales for them): within
    // the embedding table they index, when the model says which.
    int64_t bound = model_.inputIdBound, n = ds.x.numel();
    int64_t F = std::max<int64_t>(1, ds.featuresPerExample());
    for (int64_t i = 0; bound > 0 && i < n; ++i) {
      double v = ds.x.at(i);
      if (v >= 0 && v < double(bound))
        continue;
      fail(ds.name, strFormat("token id %g (position %" PRId64 " of example %" PRId64
                        ") is outside the model's embedding table of %" PRId64
                        " rows (ids 0..%" PRId64 ")",
                        v, i % F, i / F, bound, bound - 1));
    }
    return;
  }
  double scale = ds.xScale;
  int64_t n = ds.x.numel(), F = std::max<int64_t>(1, ds.featuresPerExample());
  if (!std::isfinite(scale))
    fail(ds.name, strFormat("the feature scale %g is not finite", scale));
  // Small integers times a finite scale: the extremes decide.
  double bound = 0;
  switch (ds.x.dtype) {
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
    double v = ds.x.at(i);
    if (std::isfinite(v) && fitsInput(v * scale))
      continue;
    std::string where =
        strFormat("feature %" PRId64 " of example %" PRId64, i % F, i / F);
    if (std::isnan(v))
      fail(ds.name, where + " is NaN (features must be finite numbers)");
    if (!std::isfinite(v))
      fail(ds.name, where + (v > 0 ? " is inf" : " is -inf") +
                        " (features must be finite numbers)");
    fail(ds.name, strFormat("%s, %g, scaled by %g is beyond the range of the "
                      "model's %s input (it would be infinite)",
                      where.c_str(), v, scale, dtypeName(to)));
  }
}

} // namespace dlrt
