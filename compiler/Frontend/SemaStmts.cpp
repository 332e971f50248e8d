//===- SemaStmts.cpp - statements -------------------------------------------===//
//
// Part of dlc. Sema: statements, assignments (locals and state updates), `if`.
//
//===----------------------------------------------------------------------===//

#include "Frontend/SemaInternal.h"

using namespace dlc::frontend;
using namespace dlc::frontend::sema;

//===----------------------------------------------------------------------===//
// Statements
//===----------------------------------------------------------------------===//

void Checker::execBlock(const Block &block, Ctx &ctx) {
  for (const StmtPtr &s : block.stmts) {
    if (diags.tooManyErrors() || tooLarge)
      return;
    if (ctx.done) {
      error(s->getRange().Start,
            ctx.kind == BodyKind::Scan
                ? "statement after 'yield' is never executed"
                : "statement after 'return' is never executed",
            s->getRange());
      return;
    }
    execStmt(*s, ctx);
  }
}

void Checker::assign(const Ident &target, const Val &value, Ctx &ctx) {
  if (value.kind == Val::Kind::Instance || value.kind == Val::Kind::Layer) {
    error(target.range.Start,
          "layers are instantiated as members of a model or layer, not "
          "inside a body",
          target.range);
    return;
  }
  if (value.kind == Val::Kind::Tuple || value.kind == Val::Kind::List) {
    error(target.range.Start,
          "cannot assign " + describe(value) + " to the single name '" +
              target.name + "'",
          target.range);
    return;
  }
  Binding *existing = ctx.scope->lookup(target.name);
  if (existing && existing->kind != BindKind::Local &&
      existing->kind != BindKind::Arg) {
    if (existing->kind == BindKind::State) {
      if (ctx.kind == BodyKind::Scan || currentRegion >= 0) {
        error(target.range.Start,
              "state '" + target.name +
                  "' cannot be updated inside a scan body",
              target.range);
        return;
      }
      if (value.isError() || existing->val.isError())
        return;
      if (!value.isTensor() || typeOf(value) != typeOf(existing->val)) {
        error(target.range.Start,
              "update of state '" + target.name + "' has " + describe(value) +
                  " but the state is " + typeOf(existing->val).str(),
              target.range);
        return;
      }
      if (mode == Mode::Inference) {
        error(target.range.Start,
              "state '" + target.name +
                  "' is only updated in training; this update in the "
                  "inference branch of 'if training' would never happen",
              target.range);
        return;
      }
      // A state update is part of training: inference reads the stored
      // value (and never writes it).
      Val updated = value;
      if (mode == Mode::Both)
        updated = emit(OpKind::ModeSelect, {value.node, existing->val.node},
                       typeOf(value), target.range.Start);
      if (updated.isError())
        return;
      rebind(*existing, target.name, updated, ctx.scope);
      recordStateUpdate(*existing, updated, target.range.Start);
      return;
    }
    error(target.range.Start,
          "cannot assign to " + spell(existing->kind) + " '" + target.name +
              "'; choose a new name",
          target.range);
    if (existing->declRange.isValid())
      diags.note(existing->declRange.Start,
                 "'" + target.name + "' is declared here");
    return;
  }
  auto it = ctx.scope->vars.find(target.name);
  if (it != ctx.scope->vars.end()) {
    rebind(it->second, target.name, value, ctx.scope);
    return;
  }
  bindLocal(ctx.scope, target, value);
}

void Checker::rebind(Binding &binding, const std::string &name,
                     const Val &value, Scope *scope) {
  if (branchLog && !branchLog->createdBindings.contains(&binding) &&
      (binding.kind == BindKind::State || scope == branchLog->scope))
    branchLog->before.insert({&binding, {name, binding.val}});
  binding.val = value;
}

void Checker::bindLocal(Scope *scope, const Ident &name, const Val &value) {
  scope->branchOnly.erase(name.name);
  Binding &b = scope->vars[name.name] =
      Binding{value, BindKind::Local, name.range, ""};
  if (branchLog && scope == branchLog->scope) {
    branchLog->created.push_back(name.name);
    branchLog->createdBindings.insert(&b);
  }
}

void Checker::recordStateUpdate(const Binding &binding, const Val &value,
                                SMLoc loc) {
  auto [it, fresh] = stateUpdateIndex.try_emplace(binding.fullName,
                                                  model->stateUpdates.size());
  if (fresh)
    model->stateUpdates.push_back({binding.fullName, value.node, addLoc(loc)});
  else
    model->stateUpdates[it->second].node = value.node;
}

Val Checker::mergeModes(const std::string &name, const Val &training,
                        const Val &inference, const IfStmt &stmt) {
  if (training.isError() || inference.isError())
    return Val::error();
  SMLoc loc = stmt.getRange().Start;
  if (training.isTensor() && inference.isTensor()) {
    if (training.node == inference.node)
      return training;
    if (typeOf(training) != typeOf(inference)) {
      error(loc,
            "'" + name + "' is " + typeOf(training).str() +
                " in training but " + typeOf(inference).str() +
                " in inference; both branches of 'if training' must give it "
                "the same type",
            stmt.condRange);
      return Val::error();
    }
    return emit(OpKind::ModeSelect, {training.node, inference.node},
                typeOf(training), loc);
  }
  if (training.kind == inference.kind &&
      ((training.kind == Val::Kind::Int && training.i == inference.i) ||
       (training.kind == Val::Kind::Float && training.f == inference.f)))
    return training;
  error(loc,
        "'" + name + "' is " + describe(training) + " in training but " +
            describe(inference) +
            " in inference; only tensors may differ between the branches of "
            "'if training'",
        stmt.condRange);
  return Val::error();
}

int Checker::labelDependence(int root) {
  labelDeps.resize(model->nodes.size(), -2);
  // What a node's inference value reads: its operands (for a mode select
  // only the inference one) and, for a scan, its body's results.
  auto inputsOf = [&](const Node &node) {
    llvm::SmallVector<int, 4> inputs;
    if (node.kind == OpKind::ModeSelect)
      inputs.push_back(node.operands[1]);
    else
      inputs.append(node.operands.begin(), node.operands.end());
    inputs.append(node.regionResults.begin(), node.regionResults.end());
    return inputs;
  };
  constexpr int kUnknown = -2, kVisiting = -3;
  std::vector<std::pair<int, unsigned>> stack = {{root, 0}};
  while (!stack.empty()) {
    auto [n, next] = stack.back();
    const Node &node = model->nodes[n];
    if (node.kind == OpKind::Arg) {
      labelDeps[n] =
          model->args[node.getInt(attr::kArg)].kind == ModelArg::Kind::Label
              ? int(node.getInt(attr::kArg))
              : -1;
      stack.pop_back();
      continue;
    }
    llvm::SmallVector<int, 4> inputs = inputsOf(node);
    if (next == 0)
      labelDeps[n] = kVisiting;
    if (next < inputs.size()) {
      ++stack.back().second;
      int in = inputs[next];
      if (labelDeps[in] == kUnknown)
        stack.push_back({in, 0});
      continue;
    }
    int dep = -1;
    for (int in : inputs)
      if (labelDeps[in] >= 0) {
        dep = labelDeps[in];
        break;
      }
    labelDeps[n] = dep;
    stack.pop_back();
  }
  return labelDeps[root];
}

void Checker::execIf(const IfStmt &stmt, Ctx &ctx) {
  struct Guard {
    unsigned &depth;
    explicit Guard(unsigned &d) : depth(++d) {}
    ~Guard() { --depth; }
  } guard(ctx.ifDepth);
  if (stmt.cond) {
    // A compile-time condition: only the chosen block is checked.
    std::optional<int64_t> c = evalInt(*stmt.cond, ctx, "the condition of 'if'");
    if (c)
      execBlock(*c ? stmt.thenBlock : stmt.elseBlock, ctx);
    return;
  }
  if (mode != Mode::Both) {
    // Inside a branch only one side of a nested `if training` can run.
    execBlock(mode == Mode::Training ? stmt.thenBlock : stmt.elseBlock, ctx);
    return;
  }
  // Check each branch on its own, undo it, then merge what they assigned.
  struct Side {
    BranchLog log;
    llvm::DenseMap<Binding *, Val> after;
    llvm::StringMap<Binding> created;
  } sides[2];
  BranchLog *outer = branchLog;
  const Block *blocks[2] = {&stmt.thenBlock, &stmt.elseBlock};
  for (int k = 0; k < 2; ++k) {
    Side &side = sides[k];
    side.log.scope = ctx.scope;
    branchLog = &side.log;
    mode = k == 0 ? Mode::Training : Mode::Inference;
    execBlock(*blocks[k], ctx);
    mode = Mode::Both;
    branchLog = outer;
    for (auto &[binding, old] : side.log.before) {
      side.after[binding] = binding->val;
      binding->val = old.second;
    }
    for (const std::string &name : side.log.created) {
      auto it = ctx.scope->vars.find(name);
      if (it == ctx.scope->vars.end())
        continue;
      side.created[name] = it->second;
      ctx.scope->vars.erase(it);
    }
  }
  if (diags.tooManyErrors() || tooLarge)
    return;
  // Bindings that existed before the `if`, in the order first assigned.
  llvm::MapVector<Binding *, std::string> changed;
  for (Side &side : sides)
    for (auto &[binding, old] : side.log.before)
      changed.insert({binding, old.first});
  for (auto &[binding, name] : changed) {
    auto valueIn = [&, b = binding](Side &side) {
      auto it = side.after.find(b);
      return it != side.after.end() ? it->second : b->val;
    };
    Val merged = mergeModes(name, valueIn(sides[0]), valueIn(sides[1]), stmt);
    rebind(*binding, name, merged, ctx.scope);
    if (binding->kind == BindKind::State && merged.isTensor())
      recordStateUpdate(*binding, merged, stmt.getRange().Start);
  }
  // Names both branches bind; a name bound in only one does not outlive it.
  for (const std::string &name : sides[0].log.created) {
    auto t = sides[0].created.find(name);
    auto i = sides[1].created.find(name);
    if (i == sides[1].created.end()) {
      ctx.scope->branchOnly[name] = t->second.declRange;
      continue;
    }
    if (ctx.scope->vars.count(name))
      continue;
    Val merged = mergeModes(name, t->second.val, i->second.val, stmt);
    bindLocal(ctx.scope, Ident{name, t->second.declRange}, merged);
  }
  for (auto &[name, binding] : sides[1].created)
    if (!sides[0].created.count(name))
      ctx.scope->branchOnly[name] = binding.declRange;
}

void Checker::execStmt(const Stmt &stmt, Ctx &ctx) {
  if (ctx.ifDepth > 0 && stmt.getKind() != Stmt::Kind::Assign &&
      stmt.getKind() != Stmt::Kind::If) {
    StringRef keyword = stmt.getKind() == Stmt::Kind::Return   ? "return"
                        : stmt.getKind() == Stmt::Kind::Yield  ? "yield"
                        : stmt.getKind() == Stmt::Kind::Output ? "output"
                        : stmt.getKind() == Stmt::Kind::Loss   ? "loss"
                                                               : "metric";
    error(stmt.getRange().Start,
          "'" + keyword +
              "' cannot be inside 'if'; assign the value in the branches and "
              "use it after the 'if'",
          stmt.getRange());
    return;
  }
  switch (stmt.getKind()) {
  case Stmt::Kind::If:
    execIf(cast<IfStmt>(stmt), ctx);
    return;
  case Stmt::Kind::Assign: {
    auto &a = cast<AssignStmt>(stmt);
    Val v = eval(*a.value, ctx);
    if (a.targets.size() == 1) {
      assign(a.targets[0], v, ctx);
      return;
    }
    if (v.isError()) {
      for (const Ident &t : a.targets)
        assign(t, Val::error(), ctx);
      return;
    }
    if (v.kind != Val::Kind::Tuple || v.elems.size() != a.targets.size()) {
      error(*a.value, "cannot assign " + describe(v) + " to " +
                          Twine(uint64_t(a.targets.size())) + " names");
      for (const Ident &t : a.targets)
        assign(t, Val::error(), ctx);
      return;
    }
    for (size_t i = 0; i < a.targets.size(); ++i)
      assign(a.targets[i], v.elems[i], ctx);
    return;
  }
  case Stmt::Kind::Return:
  case Stmt::Kind::Yield: {
    bool isReturn = stmt.getKind() == Stmt::Kind::Return;
    BodyKind want = isReturn ? BodyKind::Fn : BodyKind::Scan;
    if (ctx.kind != want) {
      error(stmt.getRange().Start,
            isReturn ? "'return' is only allowed in a layer's 'fn'"
                     : "'yield' is only allowed in a scan body",
            stmt.getRange());
      return;
    }
    ctx.done = true;
    ctx.resultsRange = stmt.getRange();
    for (const ExprPtr &e : cast<ValuesStmt>(stmt).values) {
      Val v = eval(*e, ctx);
      if (!v.isError() && !v.isTensor()) {
        error(*e, Twine(isReturn ? "'return'" : "'yield'") +
                      " needs tensors, got " + describe(v));
        v = Val::error();
      }
      ctx.results.push_back(v);
    }
    return;
  }
  case Stmt::Kind::Output: {
    auto &o = cast<OutputStmt>(stmt);
    if (ctx.kind != BodyKind::Forward) {
      error(stmt.getRange().Start,
            "'output' is only allowed in a model's forward block",
            stmt.getRange());
      return;
    }
    Val v;
    if (o.value) {
      v = eval(*o.value, ctx);
      assign(o.name, v, ctx);
    } else {
      Binding *b = ctx.scope->lookup(o.name.name);
      if (!b) {
        error(o.name.range.Start,
              "use of undeclared name '" + o.name.name + "'" +
                  suggest(o.name.name, ctx.scope),
              o.name.range);
        return;
      }
      v = b->val;
    }
    if (v.isError())
      return;
    if (!v.isTensor()) {
      error(o.name.range.Start,
            "an output must be a tensor, got " + describe(v), o.name.range);
      return;
    }
    if (!outputNames.insert(o.name.name).second) {
      error(o.name.range.Start, "duplicate output '" + o.name.name + "'",
            o.name.range);
      return;
    }
    if (int label = labelDependence(v.node); label >= 0) {
      const ModelArg &arg = model->args[label];
      error(o.name.range.Start,
            "output '" + o.name.name + "' depends on label '" + arg.name +
                "'; outputs are what inference ('forward') computes from "
                "the inputs alone (use the label in the loss or a metric)",
            o.name.range);
      if (arg.loc >= 0)
        diags.note(model->locs[arg.loc].loc,
                   "'" + arg.name + "' is declared here");
      return;
    }
    model->outputs.push_back({o.name.name, v.node, addLoc(o.name.range.Start)});
    return;
  }
  case Stmt::Kind::Loss: {
    auto &l = cast<LossStmt>(stmt);
    if (ctx.kind != BodyKind::Forward) {
      error(stmt.getRange().Start,
            "'loss' is only allowed in a model's forward block",
            stmt.getRange());
      return;
    }
    if (ctx.loss) {
      error(stmt.getRange().Start, "a model has exactly one loss",
            stmt.getRange());
      diags.note(ctx.loss->getRange().Start, "the first loss is here");
      return;
    }
    ctx.loss = &l;
    Val v = eval(*l.value, ctx);
    if (v.isError())
      return;
    if (!v.isTensor() || typeOf(v).rank() != 0 || !isFloat(typeOf(v).dtype)) {
      error(*l.value,
            "the loss must be a floating-point scalar such as f32[], got " +
                describe(v) + "; reduce it with mean(...) or sum(...)");
      return;
    }
    model->loss = {"loss", v.node, addLoc(l.value->getLoc())};
    return;
  }
  case Stmt::Kind::Metric:
    if (ctx.kind != BodyKind::Forward) {
      error(stmt.getRange().Start,
            "'metric' is only allowed in a model's forward block",
            stmt.getRange());
      return;
    }
    ctx.metrics.push_back(&cast<MetricStmt>(stmt));
    return;
  }
}
