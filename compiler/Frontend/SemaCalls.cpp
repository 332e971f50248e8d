//===- SemaCalls.cpp - scans, calls and layer application -------------------===//
//
// Part of dlc. Sema: `scan`, calls, layer templates and layer application (dimension
// variables bound per call).
//
//===----------------------------------------------------------------------===//

#include "Frontend/SemaInternal.h"

using namespace dlc::frontend;
using namespace dlc::frontend::sema;

//===----------------------------------------------------------------------===//
// Scans, calls and layers
//===----------------------------------------------------------------------===//

Val Checker::evalScan(const ScanExpr &e, Ctx &ctx) {
  if (ctx.kind != BodyKind::Forward && ctx.kind != BodyKind::Fn &&
      ctx.kind != BodyKind::Scan) {
    error(e, "'scan' is only allowed in forward, fn and scan bodies");
    return Val::error();
  }
  if (!ctx.inst) {
    error(e, "'scan' is not a constant expression");
    return Val::error();
  }
  // Sequences and the time axis.
  std::vector<Val> seqs;
  bool ok = true;
  for (const ast::Binding &b : e.sequences) {
    Val v = eval(*b.value, ctx);
    if (!v.isError() && !v.isTensor()) {
      error(*b.value, "'scan' walks over tensors, got " + describe(v));
      v = Val::error();
    }
    ok &= !v.isError();
    seqs.push_back(v);
  }
  int64_t axisRaw = 0;
  if (e.along) {
    std::optional<int64_t> a = evalInt(*e.along, ctx, "the scan axis");
    if (!a)
      return Val::error();
    axisRaw = *a;
  }
  if (!ok)
    return Val::error();
  int64_t axis = 0, length = 0;
  if (e.length) {
    // `scan length T`: T steps, no sequences; the stacked outputs gain the
    // time axis at `along` (0 to their rank, checked per output below).
    std::optional<int64_t> n = evalInt(*e.length, ctx, "the scan length");
    if (!n)
      return Val::error();
    if (*n < 1) {
      error(*e.length, "a scan needs at least one step, got length " +
                           Twine(*n));
      return Val::error();
    }
    if (axisRaw < 0) {
      error(*e.along, "a scan over a length stacks its outputs along a "
                      "non-negative axis, got " +
                          Twine(axisRaw));
      return Val::error();
    }
    length = *n;
    axis = axisRaw;
  }
  for (size_t i = 0; i < seqs.size(); ++i) {
    const TensorType &t = typeOf(seqs[i]);
    std::optional<int64_t> n =
        normAxis(axisRaw, t, e.along ? *e.along : *e.sequences[i].value);
    if (!n)
      return Val::error();
    if (i == 0) {
      axis = *n;
      length = t.shape[*n];
    } else if (*n != axis || t.shape[*n] != length) {
      error(*e.sequences[i].value,
            "all scanned sequences need the same length along the time "
            "axis: " +
                typeOf(seqs[0]).str() + " and " + t.str());
      return Val::error();
    }
  }
  std::vector<Val> inits;
  for (const ast::Binding &c : e.carries) {
    Val v = eval(*c.value, ctx);
    if (!v.isError() && !v.isTensor()) {
      error(*c.value, "a carried value must be a tensor, got " + describe(v) +
                          " (use zeros([...]) for a zero state)");
      v = Val::error();
    }
    if (v.isError())
      return Val::error();
    inits.push_back(v);
  }
  llvm::SmallVector<int> operands;
  for (const Val &v : seqs)
    operands.push_back(v.node);
  for (const Val &v : inits)
    operands.push_back(v.node);
  TensorType none;
  Val scan = emit(OpKind::Scan, operands, none, e.getLoc(),
                  {NodeAttr::ofInt(attr::kAxis, axis),
                   NodeAttr::ofInts(attr::kScan, {int64_t(seqs.size()),
                                                  int64_t(inits.size()),
                                                  length})});
  if (scan.isError())
    return scan;
  int scanId = scan.node;
  // The body, in its own scope and region.
  int savedRegion = currentRegion;
  currentRegion = scanId;
  Scope body;
  body.parent = ctx.scope;
  Ctx bctx;
  bctx.kind = BodyKind::Scan;
  bctx.inst = ctx.inst;
  bctx.scope = &body;
  std::vector<Val> carryVals;
  int64_t argIndex = 0;
  for (size_t i = 0; i < seqs.size(); ++i) {
    TensorType slice = typeOf(seqs[i]);
    // normAxis checked the axis: the rule cannot fail.
    shapes::ShapeResult step = shapes::scanStep(slice.shape, axis);
    slice.shape.assign(step->begin(), step->end());
    Val a = emit(OpKind::ScanArg, {}, slice, e.sequences[i].nameRange.Start,
                 {NodeAttr::ofInt(attr::kIndex, argIndex++)});
    Ident id{e.sequences[i].name, e.sequences[i].nameRange};
    declare(body, id, Binding{a, BindKind::Local, {}, ""});
  }
  for (size_t i = 0; i < inits.size(); ++i) {
    Val a = emit(OpKind::ScanArg, {}, typeOf(inits[i]),
                 e.carries[i].nameRange.Start,
                 {NodeAttr::ofInt(attr::kIndex, argIndex++)});
    Ident id{e.carries[i].name, e.carries[i].nameRange};
    declare(body, id, Binding{a, BindKind::Local, {}, ""});
  }
  execBlock(e.body, bctx);
  currentRegion = savedRegion;
  if (!bctx.done) {
    if (!diags.tooManyErrors())
      error(e.body.range.Start,
            "a scan body must end with 'yield' and the "
            "per-step values",
            e.body.range);
    return Val::error();
  }
  // Final carries must keep their types.
  llvm::SmallVector<int, 2> results;
  for (size_t i = 0; i < inits.size(); ++i) {
    Binding *b = body.vars.count(e.carries[i].name)
                     ? &body.vars[e.carries[i].name]
                     : nullptr;
    if (!b || b->val.isError())
      return Val::error();
    if (!b->val.isTensor() || typeOf(b->val) != typeOf(inits[i])) {
      error(e.carries[i].nameRange.Start,
            "carried value '" + e.carries[i].name + "' starts as " +
                typeOf(inits[i]).str() + " but the body makes it " +
                describe(b->val),
            e.carries[i].nameRange);
      return Val::error();
    }
    results.push_back(b->val.node);
  }
  // The value: the stacked yields, or with a bare `yield` the final
  // carries.
  std::vector<Val> outs;
  if (bctx.results.empty() && inits.empty()) {
    error(bctx.resultsRange.Start,
          "a bare 'yield' gives the scan's final carried values, but this "
          "scan carries none",
          bctx.resultsRange);
    return Val::error();
  }
  if (bctx.results.empty())
    for (size_t i = 0; i < inits.size(); ++i) {
      outs.push_back(emit(OpKind::ScanResult, {scanId}, typeOf(inits[i]),
                          e.getLoc(),
                          {NodeAttr::ofInt(attr::kIndex, int64_t(i))}));
      if (outs.back().isError())
        return Val::error();
    }
  for (size_t i = 0; i < bctx.results.size(); ++i) {
    const Val &y = bctx.results[i];
    if (y.isError())
      return Val::error();
    results.push_back(y.node);
    TensorType stacked = typeOf(y);
    shapes::ShapeResult shape = shapes::stack(stacked.shape, axis, length);
    if (!shape) {
      error(bctx.resultsRange.Start, "scan: " + shape.error(),
            bctx.resultsRange);
      return Val::error();
    }
    stacked.shape.assign(shape->begin(), shape->end());
    if (!checkShape(stacked.shape, e.getLoc(), e.getRange()))
      return Val::error();
    outs.push_back(emit(
        OpKind::ScanResult, {scanId}, stacked, e.getLoc(),
        {NodeAttr::ofInt(attr::kIndex, int64_t(inits.size() + i))}));
    if (outs.back().isError())
      return Val::error();
  }
  model->nodes[scanId].regionResults = results;
  if (outs.size() == 1)
    return outs[0];
  Val tuple;
  tuple.kind = Val::Kind::Tuple;
  tuple.elems = std::move(outs);
  return tuple;
}

const LayerDecl *Checker::findLayer(const Expr &callee) {
  if (auto *n = dyn_cast<NameExpr>(&callee)) {
    auto it = globals.find(n->name);
    if (it != globals.end())
      return dyn_cast<LayerDecl>(it->second.decl);
  }
  return nullptr;
}

Val Checker::makeTemplate(const LayerDecl &layer, const CallExpr &e, Ctx &ctx) {
  if (!ctx.allowTemplates) {
    error(e, "layer '" + layer.name.name +
                 "' must be instantiated as a member first ('l = " +
                 layer.name.name +
                 "(...)' in the model), then applied "
                 "('l(x)')");
    return Val::error();
  }
  Val tmpl;
  tmpl.kind = Val::Kind::Layer;
  tmpl.layer = &layer;
  tmpl.applied = true;
  // Arguments bind by position, then by name; the rest take their defaults.
  size_t n = layer.params.size();
  std::vector<const Expr *> bound(n, nullptr);
  auto noteDecl = [&] {
    diags.note(layer.name.range.Start,
               "'" + layer.name.name + "' is declared here");
  };
  bool ok = true, named = false;
  for (size_t i = 0; i < e.args.size(); ++i) {
    const Arg &a = e.args[i];
    size_t k = i;
    if (!a.name.empty()) {
      named = true;
      auto it = llvm::find_if(layer.params, [&](const LayerParam &p) {
        return p.name.name == a.name;
      });
      if (it == layer.params.end()) {
        error(a.nameLoc, "layer '" + layer.name.name +
                             "' has no parameter '" + a.name + "'");
        noteDecl();
        ok = false;
        continue;
      }
      k = it - layer.params.begin();
    } else if (named) {
      error(*a.value, "a positional argument cannot follow a named one");
      ok = false;
      continue;
    } else if (i >= n) {
      error(e, "layer '" + layer.name.name + "' takes " +
                   Twine(uint64_t(n)) + " arguments, got " +
                   Twine(uint64_t(e.args.size())));
      noteDecl();
      return Val::error();
    }
    if (bound[k]) {
      error(a.name.empty() ? a.value->getLoc() : a.nameLoc,
            "argument '" + layer.params[k].name.name + "' of layer '" +
                layer.name.name + "' is given twice");
      ok = false;
      continue;
    }
    bound[k] = a.value.get();
  }
  // A default may name the parameters before it (`stride: int = k`).
  Scope earlier;
  earlier.parent = &globalScope;
  for (size_t k = 0; k < n; ++k) {
    const LayerParam &param = layer.params[k];
    Ctx cctx = ctx;
    cctx.allowTemplates = false;
    const Expr *arg = bound[k];
    if (!arg) {
      if (!param.defaultValue) {
        if (ok)
          error(e, "layer '" + layer.name.name + "' needs argument '" +
                       param.name.name + "'");
        ok = false;
        continue;
      }
      // Defaults are constant expressions of the layer's declaration and
      // its earlier parameters.
      arg = param.defaultValue.get();
      cctx.scope = &earlier;
      cctx.inst = nullptr;
    }
    Val v = eval(*arg, cctx);
    if (v.isError()) {
      ok = false;
      continue;
    }
    StringRef want = param.type.name;
    if (!(v.kind == Val::Kind::Int ||
          (v.kind == Val::Kind::Float && want == "float"))) {
      error(*arg, "argument '" + param.name.name + "' of layer '" +
                      layer.name.name + "' is " +
                      (want == "int" ? "an int" : "a float") + ", got " +
                      describe(v));
      ok = false;
      continue;
    }
    earlier.vars[param.name.name] =
        Binding{v, BindKind::Const, param.name.range, ""};
    tmpl.elems.push_back(v);
  }
  return ok ? tmpl : Val::error();
}

Val Checker::evalCall(const CallExpr &e, Ctx &ctx) {
  const Expr &callee = *e.callee;
  if (auto *name = dyn_cast<NameExpr>(&callee)) {
    if (!ctx.scope->lookup(name->name)) {
      if (const LayerDecl *layer = findLayer(callee))
        return makeTemplate(*layer, e, ctx);
      Builtin b = lookupBuiltin(name->name);
      if (b != Builtin::None)
        return evalBuiltin(b, name->name, e, ctx);
      if (isInitializerName(name->name)) {
        error(callee, "'" + name->name +
                          "' is an initializer; use it after "
                          "'param' or 'state' declarations");
        return Val::error();
      }
      if (name->name == "accuracy" || name->name == "sequence_accuracy") {
        error(callee, "'" + name->name + "' is a metric; use it as 'metric " +
                          name->name + "(scores, labels)'");
        return Val::error();
      }
    }
  }
  Val f = eval(callee, ctx);
  if (f.isError())
    return f;
  if (f.kind == Val::Kind::Layer && !f.applied)
    return makeTemplate(*f.layer, e, ctx);
  if (f.kind != Val::Kind::Instance) {
    error(callee, describe(f) + " cannot be called");
    return Val::error();
  }
  std::vector<Val> args;
  std::vector<const Expr *> argExprs;
  bool ok = true;
  for (const Arg &a : e.args) {
    if (!a.name.empty()) {
      error(a.nameLoc, "layer calls take positional arguments only");
      ok = false;
      continue;
    }
    Val v = eval(*a.value, ctx);
    if (!v.isError() && !v.isTensor()) {
      error(*a.value, "layer arguments are tensors, got " + describe(v));
      v = Val::error();
    }
    ok &= !v.isError();
    args.push_back(v);
    argExprs.push_back(a.value.get());
  }
  if (!ok)
    return Val::error();
  return callInstance(f.inst, std::move(args), argExprs, e);
}

Val Checker::callInstance(Instance *inst, std::vector<Val> args,
                          const std::vector<const Expr *> &argExprs,
                          const CallExpr &call) {
  if (!inst->isChain)
    return applyFn(inst, std::move(args), argExprs, call);
  if (args.size() != 1) {
    error(call, "a 'repeat' chain takes exactly one tensor argument");
    return Val::error();
  }
  Val v = args[0];
  for (Instance *link : inst->chain) {
    v = applyFn(link, {v}, argExprs, call);
    if (v.isError())
      return v;
    if (!v.isTensor()) {
      error(call, "layers chained by 'repeat' must return one tensor");
      return Val::error();
    }
  }
  return v;
}

Val Checker::applyFn(Instance *inst, std::vector<Val> args,
                     const std::vector<const Expr *> &argExprs,
                     const CallExpr &call) {
  const FnDecl *fn = inst->fn;
  if (!fn)
    return Val::error(); // Reported by checkLayerDecl.
  StringRef layerName = inst->layer->name.name;
  if (args.size() != fn->args.size()) {
    error(call, "'" + inst->displayName + "' (layer " + layerName + ") takes " +
                    Twine(uint64_t(fn->args.size())) + " arguments, got " +
                    Twine(uint64_t(args.size())));
    diags.note(fn->getRange().Start,
               "'fn' of layer '" + layerName + "' is declared here");
    return Val::error();
  }
  // Bind dimension variables: names in the argument types that the layer
  // does not define.
  Scope fnScope;
  fnScope.parent = &inst->scope;
  Ctx sig;
  sig.inst = inst;
  sig.scope = &fnScope;
  auto reportMismatch = [&](size_t i, const TensorType &got, const Twine &why) {
    const Expr &where = i < argExprs.size() ? *argExprs[i] : call;
    error(where, "argument '" + fn->args[i].name.name + "' of '" +
                     inst->displayName + "' (layer " + layerName +
                     ") must be " + textOf(fn->args[i].type.range) + ", got " +
                     got.str() + ": " + why);
    diags.note(fn->args[i].type.range.Start,
               "the argument type is declared "
               "here",
               fn->args[i].type.range);
  };
  for (size_t i = 0; i < args.size(); ++i) {
    const TypeExpr &type = fn->args[i].type;
    const TensorType &got = typeOf(args[i]);
    std::optional<DType> dtype = parseDType(type.dtype);
    if (!dtype) {
      error(type.dtypeRange.Start, "unknown element type '" + type.dtype + "'",
            type.dtypeRange);
      return Val::error();
    }
    if (*dtype != got.dtype) {
      reportMismatch(i, got, "element type differs");
      return Val::error();
    }
    if (static_cast<int64_t>(type.dims.size()) != got.rank()) {
      reportMismatch(i, got,
                     "rank " + Twine(uint64_t(type.dims.size())) + " expected");
      return Val::error();
    }
    for (size_t d = 0; d < type.dims.size(); ++d) {
      auto *n = dyn_cast<NameExpr>(type.dims[d].get());
      if (!n)
        continue;
      // Names the layer (or the program) defines are not variables.
      bool boundHere = fnScope.vars.count(n->name) != 0;
      if (!boundHere && (fnScope.lookup(n->name) || globals.count(n->name)))
        continue;
      auto it = fnScope.vars.find(n->name);
      if (it == fnScope.vars.end()) {
        fnScope.vars[n->name] = Binding{Val::ofInt(got.shape[d]),
                                        BindKind::DimVar, n->getRange(), ""};
      } else if (it->second.val.i != got.shape[d]) {
        reportMismatch(i, got,
                       "dimension " + Twine(uint64_t(d)) + " is " +
                           Twine(got.shape[d]) + " but '" + n->name +
                           "' is already bound to " + Twine(it->second.val.i));
        return Val::error();
      }
    }
  }
  for (size_t i = 0; i < args.size(); ++i) {
    const TypeExpr &type = fn->args[i].type;
    const TensorType &got = typeOf(args[i]);
    for (size_t d = 0; d < type.dims.size(); ++d) {
      std::optional<int64_t> v = evalInt(*type.dims[d], sig, "a dimension");
      if (!v)
        return Val::error();
      if (*v != got.shape[d]) {
        reportMismatch(i, got,
                       "dimension " + Twine(uint64_t(d)) + " ('" +
                           textOf(type.dims[d]->getRange()) + "') must be " +
                           Twine(*v) + ", got " + Twine(got.shape[d]));
        return Val::error();
      }
    }
  }
  // Run the body at a new call site.
  model->locs.push_back({call.getLoc(), currentCaller, inst->displayName});
  int site = static_cast<int>(model->locs.size() - 1);
  int savedCaller = currentCaller;
  currentCaller = site;
  Ctx body;
  body.kind = BodyKind::Fn;
  body.inst = inst;
  body.scope = &fnScope;
  for (size_t i = 0; i < args.size(); ++i) {
    auto [it, fresh] = fnScope.vars.try_emplace(
        fn->args[i].name.name,
        Binding{args[i], BindKind::Arg, fn->args[i].name.range, ""});
    if (!fresh) {
      error(fn->args[i].name.range.Start,
            "argument '" + fn->args[i].name.name +
                "' has the name of a dimension variable or another argument",
            fn->args[i].name.range);
      currentCaller = savedCaller;
      return Val::error();
    }
  }
  execBlock(fn->body, body);
  Val result = Val::error();
  bool ok = true;
  if (!body.done) {
    if (!diags.tooManyErrors())
      error(fn->body.range.Start,
            "'fn' of layer '" + layerName + "' ends without 'return'",
            fn->body.range);
    ok = false;
  } else if (body.results.size() != fn->results.size()) {
    error(body.resultsRange.Start,
          "'fn' of layer '" + layerName + "' declares " +
              Twine(uint64_t(fn->results.size())) + " results but returns " +
              Twine(uint64_t(body.results.size())),
          body.resultsRange);
    ok = false;
  }
  for (size_t i = 0; ok && i < fn->results.size(); ++i) {
    const Val &r = body.results[i];
    if (r.isError()) {
      ok = false;
      break;
    }
    const TypeExpr &type = fn->results[i];
    TensorType want;
    std::optional<DType> dtype = parseDType(type.dtype);
    if (!dtype) {
      error(type.dtypeRange.Start, "unknown element type '" + type.dtype + "'",
            type.dtypeRange);
      ok = false;
      break;
    }
    want.dtype = *dtype;
    for (const ExprPtr &d : type.dims) {
      auto *n = dyn_cast<NameExpr>(d.get());
      if (n && !fnScope.lookup(n->name) && !globals.count(n->name)) {
        error(n->getLoc(),
              "dimension '" + n->name +
                  "' of the result type is not bound by the "
                  "arguments",
              n->getRange());
        ok = false;
        break;
      }
      std::optional<int64_t> v = evalInt(*d, sig, "a dimension");
      if (!v) {
        ok = false;
        break;
      }
      want.shape.push_back(*v);
    }
    if (ok && typeOf(r) != want) {
      error(body.resultsRange.Start,
            "'fn' of layer '" + layerName + "' returns " + typeOf(r).str() +
                " but its signature declares " + textOf(type.range) + " = " +
                want.str(),
            body.resultsRange);
      ok = false;
    }
  }
  currentCaller = savedCaller;
  if (!ok)
    return Val::error();
  if (body.results.size() == 1)
    return body.results[0];
  result.kind = Val::Kind::Tuple;
  result.elems = body.results;
  return result;
}
