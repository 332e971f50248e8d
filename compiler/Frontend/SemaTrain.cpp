//===- SemaTrain.cpp - the train block and metrics --------------------------===//
//
// Part of dlc. Sema: the train block (optimizer, schedule, batch, ...) and the metrics.
//
//===----------------------------------------------------------------------===//

#include "Frontend/SemaInternal.h"

using namespace dlc::frontend;
using namespace dlc::frontend::sema;

//===----------------------------------------------------------------------===//
// Training configuration and metrics
//===----------------------------------------------------------------------===//

void Checker::checkTrain(const TrainDecl &train, Ctx &ctx) {
  auto &out = model->train;
  llvm::StringMap<SMRange> seen;
  std::string optimizer = "sgd";
  std::optional<std::string> data;
  std::vector<std::pair<std::string, ConfigValue>> optArgs;
  std::optional<int64_t> batch, epochs, seed;
  std::optional<double> weightDecay, clipNorm;
  ConfigValue schedule;
  schedule.kind = ConfigValue::Kind::Dict;
  schedule.dict.push_back({"kind", ConfigValue::ofString("constant")});

  // Evaluates a call like `adam(lr = 1e-3)` against a table of numeric
  // arguments with defaults; positional arguments fill the table in order.
  struct Spec {
    const char *name;
    double dflt;
    double lo, hi; // Allowed range, inclusive lo, exclusive hi.
    bool isInt;
  };
  auto evalCallArgs =
      [&](const Expr &value, StringRef what,
          llvm::ArrayRef<std::pair<const char *, std::vector<Spec>>> table,
          std::string &kindOut,
          std::vector<std::pair<std::string, ConfigValue>> &argsOut) -> bool {
    const NameExpr *nameE = dyn_cast<NameExpr>(&value);
    const CallExpr *call = dyn_cast<CallExpr>(&value);
    if (call)
      nameE = dyn_cast<NameExpr>(call->callee.get());
    if (!nameE) {
      error(value, "expected " + what.str() + " such as '" +
                       table.front().first + "(...)'");
      return false;
    }
    const std::vector<Spec> *specs = nullptr;
    std::string known;
    for (auto &entry : table) {
      known += (known.empty() ? "" : ", ") + std::string(entry.first);
      if (nameE->name == entry.first)
        specs = &entry.second;
    }
    if (!specs) {
      error(*nameE, "unknown " + what.str() + " '" + nameE->name +
                        "'; expected one of " + known);
      return false;
    }
    kindOut = nameE->name;
    llvm::SmallVector<StringRef, 6> names;
    for (const Spec &s : *specs)
      names.push_back(s.name);
    llvm::SmallVector<const Expr *, 6> bound(specs->size(), nullptr);
    if (call && !bindArgs(*call, nameE->name, names, 0, bound))
      return false;
    bool ok = true;
    for (size_t i = 0; i < specs->size(); ++i) {
      const Spec &s = (*specs)[i];
      double v = s.dflt;
      if (bound[i]) {
        std::optional<double> e =
            evalNumber(*bound[i], ctx, ("'" + Twine(s.name) + "'").str());
        if (!e) {
          ok = false;
          continue;
        }
        v = *e;
        if (!(v >= s.lo && v < s.hi) || (s.isInt && v != std::trunc(v))) {
          char msg[256];
          std::snprintf(msg, sizeof(msg),
                        "'%s' of %s must be %sin [%g, %g), "
                        "got %g",
                        s.name, nameE->name.c_str(),
                        s.isInt ? "an integer " : "", s.lo, s.hi, v);
          error(*bound[i], msg);
          ok = false;
          continue;
        }
      }
      argsOut.push_back({s.name, s.isInt ? ConfigValue::ofInt(int64_t(v))
                                         : ConfigValue::ofFloat(v)});
    }
    return ok;
  };
  const double inf = HUGE_VAL;

  for (const TrainItem &item : train.items) {
    StringRef key = item.key.name;
    auto [it, fresh] = seen.try_emplace(key, item.key.range);
    if (!fresh) {
      diags.error(item.key.range.Start,
                  "duplicate training setting '" + key + "'", item.key.range);
      diags.note(it->second.Start, "previous setting is here");
      continue;
    }
    const Expr &value = *item.value;
    if (key == "optimizer") {
      optArgs.clear();
      evalCallArgs(value, "optimizer",
                   {{"sgd",
                     {{"lr", 0.01, 0, inf, false},
                      {"momentum", 0.0, 0, 1, false},
                      {"nesterov", 0, 0, 2, true}}},
                    {"adam",
                     {{"lr", 1e-3, 0, inf, false},
                      {"beta1", 0.9, 0, 1, false},
                      {"beta2", 0.999, 0, 1, false},
                      {"eps", 1e-8, 0, inf, false}}},
                    {"adamw",
                     {{"lr", 1e-3, 0, inf, false},
                      {"beta1", 0.9, 0, 1, false},
                      {"beta2", 0.999, 0, 1, false},
                      {"eps", 1e-8, 0, inf, false}}},
                    {"rmsprop",
                     {{"lr", 1e-2, 0, inf, false},
                      {"alpha", 0.99, 0, 1, false},
                      {"eps", 1e-8, 0, inf, false},
                      {"momentum", 0.0, 0, 1, false}}}},
                   optimizer, optArgs);
      for (auto &a : optArgs)
        if (a.first == "lr" && a.second.f <= 0)
          error(value, "the learning rate must be positive");
    } else if (key == "schedule") {
      std::string kind;
      std::vector<std::pair<std::string, ConfigValue>> args;
      if (evalCallArgs(
              value, "learning-rate schedule",
              {{"constant", {}},
               {"step",
                {{"every", 1, 1, inf, true}, {"gamma", 0.1, 0, inf, false}}},
               {"exponential", {{"gamma", 0.95, 0, inf, false}}},
               {"cosine",
                {{"min_lr", 0.0, 0, inf, false}, {"warmup", 0, 0, inf, false}}}},
              kind, args)) {
        schedule.dict.clear();
        schedule.dict.push_back({"kind", ConfigValue::ofString(kind)});
        for (auto &a : args)
          schedule.dict.push_back(a);
      }
    } else if (key == "batch" || key == "epochs" || key == "seed") {
      std::optional<int64_t> v = evalInt(value, ctx, "'" + key.str() + "'");
      if (!v)
        continue;
      if (*v < (key == "seed" ? 0 : 1)) {
        error(value, "'" + key + "' must be " +
                         (key == "seed" ? "non-negative" : "positive") +
                         ", got " + Twine(*v));
        continue;
      }
      (key == "batch" ? batch : key == "epochs" ? epochs : seed) = *v;
    } else if (key == "data") {
      // The default data set of the trainer: a path or a data set name
      // (runtime/README.md), a string.
      auto *str = dyn_cast<StringExpr>(&value);
      if (!str) {
        error(value, "'data' takes a string: a path or a data set name "
                     "such as \"synthetic:reverse\"");
        continue;
      }
      if (str->value.empty() ||
          str->value.find_first_of(StringRef("\0\n\r", 3)) != std::string::npos) {
        error(value, "'data' must be a non-empty string on one line");
        continue;
      }
      data = str->value;
    } else if (key == "weight_decay" || key == "clip_norm") {
      std::optional<double> v = evalNumber(value, ctx, "'" + key.str() + "'");
      if (!v)
        continue;
      if (*v < 0) {
        error(value, "'" + key + "' must not be negative");
        continue;
      }
      (key == "weight_decay" ? weightDecay : clipNorm) = *v;
    } else {
      diags.error(item.key.range.Start,
                  "unknown training setting '" + key +
                      "'; expected optimizer, batch, epochs, schedule, "
                      "weight_decay, clip_norm, seed or data",
                  item.key.range);
    }
  }
  // The batch size must match the leading dimension of inputs and labels.
  if (batch) {
    for (const ModelArg &arg : model->args) {
      if (arg.kind != ModelArg::Kind::Input &&
          arg.kind != ModelArg::Kind::Label)
        continue;
      if (arg.type.rank() == 0 || arg.type.shape[0] != *batch) {
        SMRange r = seen.lookup("batch");
        diags.error(
            r.Start,
            "batch size " + Twine(*batch) + " does not match " +
                (arg.kind == ModelArg::Kind::Input ? "input '" : "label '") +
                arg.name + "' of type " + arg.type.str() +
                " (its first dimension is the batch)",
            r);
        diags.note(model->locs[arg.loc].loc, "declared here");
        break;
      }
    }
  } else {
    for (const ModelArg &arg : model->args)
      if ((arg.kind == ModelArg::Kind::Input) && arg.type.rank() > 0) {
        batch = arg.type.shape[0];
        break;
      }
  }
  if (optArgs.empty())
    optArgs.push_back({"lr", ConfigValue::ofFloat(0.01)});
  out.push_back({"optimizer", ConfigValue::ofString(optimizer)});
  for (auto &a : optArgs)
    out.push_back(a);
  out.push_back({"batch", ConfigValue::ofInt(batch.value_or(1))});
  out.push_back({"epochs", ConfigValue::ofInt(epochs.value_or(1))});
  out.push_back({"schedule", schedule});
  out.push_back(
      {"weight_decay", ConfigValue::ofFloat(weightDecay.value_or(0))});
  out.push_back({"clip_norm", ConfigValue::ofFloat(clipNorm.value_or(0))});
  out.push_back({"seed", ConfigValue::ofInt(seed.value_or(0))});
  if (data)
    out.push_back({"data", ConfigValue::ofString(*data)});
}

void Checker::checkMetrics(Ctx &ctx) {
  llvm::StringMap<unsigned> counts;
  // The trainer names each accuracy after its label: one metric per label.
  llvm::StringMap<const MetricStmt *> byLabel;
  for (const MetricStmt *stmt : ctx.metrics) {
    auto *call = dyn_cast<CallExpr>(stmt->call.get());
    auto *callee = call ? dyn_cast<NameExpr>(call->callee.get()) : nullptr;
    if (!callee) {
      error(*stmt->call, "expected a metric call such as "
                         "'accuracy(logits, y)'");
      continue;
    }
    bool sequence = callee->name == "sequence_accuracy";
    if (callee->name != "accuracy" && !sequence) {
      error(*callee, "unknown metric '" + callee->name +
                         "'; the known metrics are 'accuracy' and "
                         "'sequence_accuracy'");
      continue;
    }
    llvm::SmallVector<const Expr *, 3> a;
    if (sequence ? !bindArgs(*call, callee->name, {"scores", "labels"}, 2, a)
                 : !bindArgs(*call, callee->name,
                             {"scores", "labels", "threshold", "ignore_index"},
                             2, a))
      continue;
    if (sequence)
      a.append({nullptr, nullptr});
    Metric metric;
    metric.kind = callee->name;
    unsigned n = counts[metric.kind]++;
    metric.name = n ? metric.kind + "_" + std::to_string(n) : metric.kind;
    const TensorType *types[2] = {nullptr, nullptr};
    bool ok = true;
    for (int k = 0; k < 2; ++k) {
      auto *ref = dyn_cast<NameExpr>(a[k]);
      const ModelArg *label = nullptr;
      const ModelResult *output = nullptr;
      if (ref) {
        for (const ModelArg &arg : model->args)
          if (arg.kind == ModelArg::Kind::Label && arg.name == ref->name)
            label = &arg;
        for (const ModelResult &o : model->outputs)
          if (o.name == ref->name)
            output = &o;
      }
      if (k == 0 && !output) {
        error(*a[k], "the scores of a metric must name an 'output' of the "
                     "model (add 'output " +
                         (ref ? ref->name : std::string("name")) + "')");
        ok = false;
        continue;
      }
      if (k == 1 && !label && !output) {
        error(*a[k], "the labels of a metric must name a 'label' or an "
                     "'output' of the model");
        ok = false;
        continue;
      }
      if (k == 0) {
        metric.output = ref->name;
        types[0] = &model->nodes[output->node].type;
      } else {
        metric.label = ref->name;
        types[1] = label ? &label->type : &model->nodes[output->node].type;
      }
    }
    if (!ok)
      continue;
    const TensorType &s = *types[0], &l = *types[1];
    if (!isFloat(s.dtype)) {
      error(*a[0], "accuracy needs floating-point scores, got " + s.str());
      continue;
    }
    bool classLabels = !isFloat(l.dtype) && s.rank() >= 1 &&
                       llvm::ArrayRef<int64_t>(s.shape).drop_back() ==
                           llvm::ArrayRef<int64_t>(l.shape);
    if (sequence) {
      // An example counts when the arg-max is right at all its positions.
      if (!classLabels || l.rank() < 2) {
        error(call->getLoc(),
              "sequence_accuracy needs integer labels [batch, positions...] "
              "shaped like the scores without their last dimension; got "
              "scores " +
                  s.str() + " and labels " + l.str(),
              call->getRange());
        continue;
      }
      metric.mode = "sequence";
    } else if (classLabels) {
      metric.mode = "argmax";
      if (a[2]) {
        error(*a[2], "accuracy of class labels compares the arg-max of the "
                     "scores; 'threshold' applies only to targets of the "
                     "scores' shape");
        continue;
      }
      if (a[3]) {
        // As cross_entropy's: positions with that label do not count.
        std::optional<int64_t> ignore = evalInt(*a[3], ctx, "ignore_index");
        if (!ignore)
          continue;
        if (*ignore >= 0 && *ignore < s.shape.back()) {
          error(*a[3], "ignore_index must be outside the classes [0, " +
                           Twine(s.shape.back()) + "), got " + Twine(*ignore) +
                           " (such as PyTorch's -100)");
          continue;
        }
        metric.args.push_back({"ignore_index", double(*ignore), true});
      }
    } else if (s.shape == l.shape) {
      if (a[3]) {
        error(*a[3], "'ignore_index' applies to accuracy of class labels");
        continue;
      }
      metric.mode = "threshold";
      std::optional<double> t = 0.5;
      if (a[2])
        t = evalNumber(*a[2], ctx, "the threshold");
      if (!t)
        continue;
      metric.args.push_back({"threshold", *t, false});
    } else {
      error(call->getLoc(),
            "accuracy needs integer class labels shaped like the scores "
            "without their last dimension, or targets of the scores' shape; "
            "got scores " +
                s.str() + " and labels " + l.str(),
            call->getRange());
      continue;
    }
    auto [first, fresh] = byLabel.try_emplace(metric.label, stmt);
    if (!fresh) {
      error(stmt->call->getLoc(),
            "a second metric of label '" + metric.label +
                "'; the trainer reports one accuracy per label",
            stmt->call->getRange());
      diags.note(first->second->call->getRange().Start,
                 "the first metric of '" + metric.label + "' is here");
      continue;
    }
    model->metrics.push_back(std::move(metric));
  }
}
