//===- SemaDecls.cpp - declarations and layer instantiation -----------------===//
//
// Part of dlc. Sema: globals, layer declarations, models, members, layer
// instantiation, types and initializers.
//
//===----------------------------------------------------------------------===//

#include "Frontend/SemaInternal.h"

#include <cstdio>

using namespace dlc::frontend;
using namespace dlc::frontend::sema;

//===----------------------------------------------------------------------===//
// Globals and layer declarations
//===----------------------------------------------------------------------===//

void Checker::collectGlobals() {
  globalScope.vars["true"] = Binding{Val::ofInt(1), BindKind::Const, {}, ""};
  globalScope.vars["false"] = Binding{Val::ofInt(0), BindKind::Const, {}, ""};
  for (size_t u = 0; u < program.units.size(); ++u) {
    const Program::Unit &unit = program.units[u];
    if (!unit.alias.empty() && u != program.mainUnit)
      aliases[unit.alias] = u;
    for (const DeclPtr &d : unit.module->decls) {
      const Ident *name = nullptr;
      if (auto *c = dyn_cast<ConstDecl>(d.get()))
        name = &c->name;
      else if (auto *l = dyn_cast<LayerDecl>(d.get()))
        name = &l->name;
      else if (auto *m = dyn_cast<ModelDecl>(d.get()))
        name = &m->name;
      if (!name)
        continue;
      auto it = globals.find(name->name);
      if (it != globals.end() || name->name == "true" ||
          name->name == "false") {
        diags.error(name->range.Start, "redefinition of '" + name->name + "'",
                    name->range);
        if (it != globals.end())
          diags.note(it->second.decl->getRange().Start,
                     "previous definition is here");
        continue;
      }
      if (auto *c = dyn_cast<ConstDecl>(d.get())) {
        // Constants are evaluated in order; they may use earlier ones.
        Ctx ctx;
        ctx.scope = &globalScope;
        Val v = eval(*c->value, ctx);
        if (!v.isError() && !v.isNumber()) {
          error(*c->value, "a constant must be an integer or float "
                           "expression, got " +
                               describe(v));
          v = Val::error();
        }
        globalScope.vars[c->name.name] =
            Binding{v, BindKind::Const, c->name.range, ""};
      }
      globals[name->name] = GlobalDecl{d.get(), u};
    }
  }
}

void Checker::checkLayerDecl(const LayerDecl &layer) {
  llvm::StringMap<SMRange> seen;
  for (const LayerParam &p : layer.params) {
    if (p.type.name != "int" && p.type.name != "float")
      diags.error(p.type.range.Start,
                  "layer parameters have type 'int' or 'float', not '" +
                      p.type.name + "'",
                  p.type.range);
    if (!seen.try_emplace(p.name.name, p.name.range).second)
      diags.error(p.name.range.Start,
                  "duplicate layer parameter '" + p.name.name + "'",
                  p.name.range);
  }
  const FnDecl *fn = nullptr;
  for (const DeclPtr &m : layer.members) {
    switch (m->getKind()) {
    case Decl::Kind::Fn:
      if (fn) {
        diags.error(m->getRange().Start,
                    "layer '" + layer.name.name + "' has more than one 'fn'");
        diags.note(fn->getRange().Start, "the first 'fn' is here");
      } else {
        fn = cast<FnDecl>(m.get());
      }
      break;
    case Decl::Kind::Input:
      diags.error(m->getRange().Start,
                  "inputs and labels belong to a model, not to layer '" +
                      layer.name.name + "'; pass values to 'fn' instead");
      break;
    case Decl::Kind::Forward:
    case Decl::Kind::Train:
      diags.error(m->getRange().Start,
                  "'forward' and 'train' belong to a model, not to layer '" +
                      layer.name.name + "'");
      break;
    default:
      break;
    }
  }
  if (!fn)
    diags.error(layer.name.range.Start,
                "layer '" + layer.name.name +
                    "' has no 'fn'; declare how it is applied, e.g. "
                    "'fn(x: f32[N, 4]) -> f32[N, 4] { return x }'",
                layer.name.range);
}

//===----------------------------------------------------------------------===//
// Running
//===----------------------------------------------------------------------===//

bool Checker::run(std::vector<std::unique_ptr<CheckedModel>> &models) {
  // Constants are checked against a dummy model so that errors have a home.
  CheckedModel scratch;
  model = &scratch;
  collectGlobals();
  for (const Program::Unit &unit : program.units)
    for (const DeclPtr &d : unit.module->decls)
      if (auto *layer = dyn_cast<LayerDecl>(d.get()))
        checkLayerDecl(*layer);
  model = nullptr;
  const Program::Unit &main = program.units[program.mainUnit];
  for (const DeclPtr &d : main.module->decls) {
    auto *m = dyn_cast<ModelDecl>(d.get());
    if (!m || diags.tooManyErrors())
      continue;
    auto checked = std::make_unique<CheckedModel>();
    checked->name = m->name.name;
    checked->loc = m->name.range.Start;
    model = checked.get();
    instances.clear();
    currentCaller = -1;
    currentRegion = -1;
    evalDepth = 0;
    tooLarge = false;
    stateUpdateIndex.clear();
    outputNames.clear();
    mode = Mode::Both;
    branchLog = nullptr;
    labelDeps.clear();
    checkModel(*m);
    models.push_back(std::move(checked));
    model = nullptr;
  }
  return !diags.hadError();
}

bool Checker::declare(Scope &scope, const Ident &name, Binding binding) {
  auto it = scope.vars.find(name.name);
  if (it != scope.vars.end()) {
    diags.error(name.range.Start, "redefinition of '" + name.name + "'",
                name.range);
    if (it->second.declRange.isValid())
      diags.note(it->second.declRange.Start, "previous definition is here");
    return false;
  }
  binding.declRange = name.range;
  scope.vars[name.name] = std::move(binding);
  return true;
}

void Checker::checkModel(const ModelDecl &decl) {
  auto root = std::make_unique<Instance>();
  Instance *inst = root.get();
  instances.push_back(std::move(root));
  inst->scope.parent = &globalScope;
  inst->displayName = decl.name.name;
  declareMembers(inst, decl.members, /*isModel=*/true);

  const ForwardDecl *forward = nullptr;
  const TrainDecl *train = nullptr;
  for (const DeclPtr &m : decl.members) {
    if (auto *f = dyn_cast<ForwardDecl>(m.get())) {
      if (forward) {
        diags.error(f->getRange().Start, "model '" + decl.name.name +
                                             "' has more than one "
                                             "'forward' block");
        diags.note(forward->getRange().Start, "the first one is here");
      } else {
        forward = f;
      }
    } else if (auto *t = dyn_cast<TrainDecl>(m.get())) {
      if (train) {
        diags.error(t->getRange().Start, "model '" + decl.name.name +
                                             "' has more than one "
                                             "'train' block");
        diags.note(train->getRange().Start, "the first one is here");
      } else {
        train = t;
      }
    }
  }
  if (!forward) {
    diags.error(decl.name.range.Start,
                "model '" + decl.name.name +
                    "' has no 'forward' block; add 'forward { ... loss ... }'",
                decl.name.range);
    return;
  }
  Scope body;
  body.parent = &inst->scope;
  Ctx ctx;
  ctx.kind = BodyKind::Forward;
  ctx.inst = inst;
  ctx.scope = &body;
  execBlock(forward->body, ctx);
  if (!ctx.loss && !diags.tooManyErrors())
    diags.error(decl.name.range.Start,
                "model '" + decl.name.name +
                    "' has no loss; add 'loss <scalar expression>' to its "
                    "forward block",
                decl.name.range);
  checkMetrics(ctx);
  if (train) {
    Ctx tctx;
    tctx.inst = inst;
    tctx.scope = &inst->scope;
    checkTrain(*train, tctx);
  }
}

void Checker::declareMembers(Instance *inst,
                             const std::vector<DeclPtr> &members,
                             bool isModel) {
  Ctx ctx;
  ctx.inst = inst;
  ctx.scope = &inst->scope;
  for (const DeclPtr &m : members) {
    if (diags.tooManyErrors() || tooLarge)
      return;
    switch (m->getKind()) {
    case Decl::Kind::Const: {
      auto &c = cast<ConstDecl>(*m);
      Val v = eval(*c.value, ctx);
      if (!v.isError() && !v.isNumber()) {
        error(*c.value, "a constant must be an integer or float expression, "
                        "got " +
                            describe(v));
        v = Val::error();
      }
      declare(inst->scope, c.name, Binding{v, BindKind::Const, {}, ""});
      break;
    }
    case Decl::Kind::Require:
      if (!checkRequire(cast<RequireDecl>(*m), ctx)) {
        inst->requirementFailed = true;
        return;
      }
      break;
    case Decl::Kind::Input: {
      auto &in = cast<InputDecl>(*m);
      if (!isModel)
        break; // Reported by checkLayerDecl.
      std::optional<TensorType> type = evalType(in.type, ctx);
      Val v = Val::error();
      if (type) {
        ModelArg arg;
        arg.kind = in.isLabel ? ModelArg::Kind::Label : ModelArg::Kind::Input;
        arg.name = in.name.name;
        arg.type = *type;
        arg.loc = addLoc(in.name.range.Start);
        v = emit(OpKind::Arg, {}, *type, in.name.range.Start,
                 {NodeAttr::ofInt(attr::kArg, int64_t(model->args.size()))});
        arg.node = v.node;
        if (!v.isError())
          model->args.push_back(std::move(arg));
      }
      declare(inst->scope, in.name,
              Binding{v,
                      in.isLabel ? BindKind::Label : BindKind::Input,
                      {},
                      in.name.name});
      break;
    }
    case Decl::Kind::Param: {
      auto &p = cast<ParamDecl>(*m);
      std::optional<TensorType> type = evalType(p.type, ctx);
      Val v = Val::error();
      ModelArg arg;
      arg.kind = p.isState ? ModelArg::Kind::State : ModelArg::Kind::Param;
      arg.name = inst->prefix + p.name.name;
      if (type && evalInit(*p.init, *type, arg, ctx)) {
        arg.type = *type;
        arg.loc = addLoc(p.name.range.Start);
        v = emit(OpKind::Arg, {}, *type, p.name.range.Start,
                 {NodeAttr::ofInt(attr::kArg, int64_t(model->args.size()))});
        arg.node = v.node;
        if (!v.isError())
          model->args.push_back(std::move(arg));
      }
      declare(inst->scope, p.name,
              Binding{v,
                      p.isState ? BindKind::State : BindKind::Param,
                      {},
                      inst->prefix + p.name.name});
      break;
    }
    case Decl::Kind::Instance: {
      auto &i = cast<InstanceDecl>(*m);
      Ctx tctx = ctx;
      tctx.allowTemplates = true;
      Val tmpl = eval(*i.value, tctx);
      Val v = Val::error();
      if (tmpl.kind == Val::Kind::Layer && tmpl.applied) {
        if (Instance *child =
                instantiate(tmpl, i.name.name, inst, i.value->getRange())) {
          v.kind = Val::Kind::Instance;
          v.inst = child;
        }
      } else if (!tmpl.isError()) {
        error(*i.value, "a member 'name = ...' instantiates a layer, like "
                        "'Linear(784, 256)' or 'repeat(6, Block(512))'; got " +
                            describe(tmpl) + " (use 'const' for numbers)");
      }
      declare(inst->scope, i.name, Binding{v, BindKind::Instance, {}, ""});
      break;
    }
    case Decl::Kind::Fn:
      if (isModel)
        diags.error(m->getRange().Start,
                    "'fn' belongs to a layer; a model computes in its "
                    "'forward' block");
      else if (!inst->fn)
        inst->fn = cast<FnDecl>(m.get());
      break;
    default:
      break;
    }
  }
}

Instance *Checker::instantiate(const Val &tmpl, const std::string &name,
                               Instance *parent, SMRange where) {
  std::string full = parent->prefix + name;
  unsigned depth = parent->depth + 1;
  if (tmpl.repeat == 0)
    return instantiateLayer(*tmpl.layer, tmpl.elems, full, depth, where);
  auto chain = std::make_unique<Instance>();
  Instance *c = chain.get();
  instances.push_back(std::move(chain));
  c->isChain = true;
  c->displayName = full;
  c->prefix = full + ".";
  c->depth = depth;
  for (int64_t k = 0; k < tmpl.repeat; ++k) {
    Instance *copy = instantiateLayer(
        *tmpl.layer, tmpl.elems, full + "." + std::to_string(k), depth, where);
    if (!copy)
      return nullptr;
    c->chain.push_back(copy);
  }
  return c;
}

bool Checker::checkRequire(const RequireDecl &r, Ctx &ctx) {
  Val lhs = eval(*r.lhs, ctx), rhs = eval(*r.rhs, ctx);
  if (lhs.isError() || rhs.isError())
    return false;
  for (auto [v, e] : {std::pair{&lhs, r.lhs.get()}, std::pair{&rhs, r.rhs.get()}})
    if (!v->isNumber()) {
      error(*e, "'require' compares integer or float constants, not " +
                    describe(*v));
      return false;
    }
  auto number = [](const Val &v) {
    return v.kind == Val::Kind::Int ? double(v.i) : v.f;
  };
  int cmp;
  if (lhs.kind == Val::Kind::Int && rhs.kind == Val::Kind::Int)
    cmp = lhs.i < rhs.i ? -1 : lhs.i > rhs.i;
  else
    cmp = number(lhs) < number(rhs) ? -1 : number(lhs) > number(rhs);
  bool holds = false;
  switch (r.op) {
  case CompareOp::Eq:
    holds = cmp == 0;
    break;
  case CompareOp::Ne:
    holds = cmp != 0;
    break;
  case CompareOp::Lt:
    holds = cmp < 0;
    break;
  case CompareOp::Le:
    holds = cmp <= 0;
    break;
  case CompareOp::Gt:
    holds = cmp > 0;
    break;
  case CompareOp::Ge:
    holds = cmp >= 0;
    break;
  }
  if (holds)
    return true;
  auto shown = [&](const Val &v) {
    if (v.kind == Val::Kind::Int)
      return std::to_string(v.i);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v.f);
    return std::string(buf);
  };
  SMRange cond(r.lhs->getRange().Start, r.rhs->getRange().End);
  StringRef text(cond.Start.getPointer(),
                 cond.End.getPointer() - cond.Start.getPointer());
  error(r.opLoc,
        r.message + " ('" + text + "': " + shown(lhs) + " " + spell(r.op) +
            " " + shown(rhs) + " is false)",
        cond);
  return false;
}

Instance *Checker::instantiateLayer(const LayerDecl &layer,
                                    const std::vector<Val> &args,
                                    const std::string &displayName,
                                    unsigned depth, SMRange where) {
  if (depth > Limits::kMaxInstanceDepth) {
    error(where.Start,
          Twine("layer instances are nested more than ") +
              Twine(Limits::kMaxInstanceDepth) + " levels deep (does layer '" +
              layer.name.name + "' instantiate itself?)",
          where);
    return nullptr;
  }
  if (instances.size() >= Limits::kMaxInstances) {
    if (!tooLarge)
      error(where.Start, "the model has too many layer instances", where);
    tooLarge = true;
    return nullptr;
  }
  auto owned = std::make_unique<Instance>();
  Instance *inst = owned.get();
  instances.push_back(std::move(owned));
  inst->layer = &layer;
  inst->displayName = displayName;
  inst->prefix = displayName + ".";
  inst->depth = depth;
  inst->scope.parent = &globalScope;
  for (size_t i = 0; i < layer.params.size() && i < args.size(); ++i) {
    Val v = args[i];
    if (layer.params[i].type.name == "float" && v.kind == Val::Kind::Int)
      v = Val::ofFloat(double(v.i));
    inst->scope.vars[layer.params[i].name.name] =
        Binding{v, BindKind::LayerArg, layer.params[i].name.range, ""};
  }
  instantiations.push_back({where, displayName, layer.name.name});
  declareMembers(inst, layer.members, /*isModel=*/false);
  instantiations.pop_back();
  return inst->requirementFailed ? nullptr : inst;
}

std::optional<TensorType> Checker::evalType(const TypeExpr &type, Ctx &ctx) {
  std::optional<DType> dtype = parseDType(type.dtype);
  if (!dtype) {
    error(type.dtypeRange.Start,
          "unknown element type '" + type.dtype +
              "'; expected one of f16, bf16, f32, f64, i8, i16, i32, i64",
          type.dtypeRange);
    return std::nullopt;
  }
  TensorType t;
  t.dtype = *dtype;
  bool ok = true;
  for (const ExprPtr &d : type.dims) {
    std::optional<int64_t> v = evalInt(*d, ctx, "a dimension size");
    if (!v) {
      ok = false;
      continue;
    }
    t.shape.push_back(*v);
  }
  if (!ok || !checkShape(t.shape, type.range.Start, type.range))
    return std::nullopt;
  return t;
}

bool Checker::evalInit(const Expr &init, const TensorType &type, ModelArg &arg,
                       Ctx &ctx) {
  auto *call = dyn_cast<CallExpr>(&init);
  auto *callee = call ? dyn_cast<NameExpr>(call->callee.get()) : nullptr;
  if (!callee) {
    error(init, "expected an initializer call such as 'zeros()', "
                "'glorot()' or 'normal(0, 0.01)'");
    return false;
  }
  StringRef name = callee->name;
  std::string kind = name.str();
  if (name == "xavier")
    kind = "glorot";
  if (name == "kaiming")
    kind = "he";
  llvm::SmallVector<const Expr *, 4> a;
  auto number = [&](const Expr *e, StringRef what,
                    double dflt) -> std::optional<double> {
    if (!e)
      return dflt;
    return evalNumber(*e, ctx, what);
  };
  // Fans as in PyTorch: [in, out] matrices, [out, in, k...] convolutions.
  auto fans = [&](int64_t &fanIn, int64_t &fanOut) {
    llvm::ArrayRef<int64_t> s = type.shape;
    if (s.empty()) {
      fanIn = fanOut = 1;
    } else if (s.size() == 1) {
      fanIn = fanOut = s[0];
    } else if (s.size() == 2) {
      fanIn = s[0];
      fanOut = s[1];
    } else {
      int64_t field = 1;
      for (int64_t d : s.drop_front(2))
        field *= d; // Bounded by the element limit.
      fanIn = s[1] * field;
      fanOut = s[0] * field;
    }
  };
  bool needFloat = true;
  if (kind == "zeros" || kind == "ones") {
    if (!bindArgs(*call, name, {}, 0, a))
      return false;
    needFloat = false;
  } else if (kind == "constant") {
    if (!bindArgs(*call, name, {"value"}, 1, a))
      return false;
    std::optional<double> v = number(a[0], "the constant value", 0);
    if (!v)
      return false;
    if (!isFloat(type.dtype) && *v != std::trunc(*v)) {
      error(*a[0], "an integer parameter needs an integral constant");
      return false;
    }
    arg.initArgs.push_back({"value", *v, false});
    needFloat = false;
  } else if (kind == "uniform") {
    if (!bindArgs(*call, name, {"lo", "hi"}, 2, a))
      return false;
    std::optional<double> lo = number(a[0], "the lower bound", 0);
    std::optional<double> hi = number(a[1], "the upper bound", 0);
    if (!lo || !hi)
      return false;
    if (!(*lo < *hi)) {
      error(*call, "uniform(lo, hi) needs lo < hi");
      return false;
    }
    arg.initArgs.push_back({"lo", *lo, false});
    arg.initArgs.push_back({"hi", *hi, false});
  } else if (kind == "normal") {
    if (!bindArgs(*call, name, {"mean", "std"}, 0, a))
      return false;
    std::optional<double> mean = number(a[0], "the mean", 0.0);
    std::optional<double> std = number(a[1], "the standard deviation", 1.0);
    if (!mean || !std)
      return false;
    if (!(*std > 0)) {
      error(a[1] ? *a[1] : init, "normal(mean, std) needs std > 0");
      return false;
    }
    arg.initArgs.push_back({"mean", *mean, false});
    arg.initArgs.push_back({"std", *std, false});
  } else if (kind == "glorot" || kind == "he") {
    if (!bindArgs(*call, name, {"gain"}, 0, a))
      return false;
    std::optional<double> gain = number(a[0], "the gain", 1.0);
    if (!gain)
      return false;
    int64_t fanIn = 1, fanOut = 1;
    fans(fanIn, fanOut);
    arg.initArgs.push_back({"fan_in", double(fanIn), true});
    arg.initArgs.push_back({"fan_out", double(fanOut), true});
    arg.initArgs.push_back({"gain", *gain, false});
    if (kind == "glorot")
      arg.initArgs.push_back(
          {"limit", *gain * std::sqrt(6.0 / double(fanIn + fanOut)), false});
    else
      arg.initArgs.push_back(
          {"std", *gain * std::sqrt(2.0 / double(fanIn)), false});
  } else {
    error(callee->getLoc(),
          "unknown initializer '" + name +
              "'; expected zeros, ones, constant, uniform, normal, "
              "glorot/xavier or he/kaiming",
          callee->getRange());
    return false;
  }
  if (needFloat && !isFloat(type.dtype)) {
    error(*call, "initializer '" + name +
                     "' needs a floating-point tensor, "
                     "but the type is " +
                     type.str());
    return false;
  }
  arg.initKind = kind;
  return true;
}
