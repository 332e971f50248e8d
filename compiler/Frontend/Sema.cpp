//===- Sema.cpp - semantic analysis of .dl programs -------------------------===//
//
// Part of dlc. The checker's entry point, diagnostics helpers and graph building; the
// checks are in Sema{Decls,Train,Stmts,Exprs,Calls,Builtins}.cpp (see
// SemaInternal.h).
//
//===----------------------------------------------------------------------===//

#include "Frontend/SemaInternal.h"

using namespace dlc::frontend;
using namespace dlc::frontend::sema;

//===----------------------------------------------------------------------===//
// Diagnostics helpers
//===----------------------------------------------------------------------===//

std::string Checker::describe(const Val &v) {
  switch (v.kind) {
  case Val::Kind::Error:
    return "an invalid value";
  case Val::Kind::Int:
    return "the integer " + std::to_string(v.i);
  case Val::Kind::Float: {
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%g", v.f);
    return std::string("the number ") + buf;
  }
  case Val::Kind::Tensor:
    return "a tensor " + typeOf(v).str();
  case Val::Kind::Tuple:
    return std::to_string(v.elems.size()) + " values";
  case Val::Kind::List:
    return "a list";
  case Val::Kind::Instance:
    return "the layer instance '" + v.inst->displayName + "'";
  case Val::Kind::Layer:
    return v.layer ? "the layer '" + v.layer->name.name + "'" : "a layer";
  }
  return "a value";
}

std::string Checker::suggest(StringRef name, Scope *scope) {
  std::string best;
  unsigned bestDist = 3;
  auto consider = [&](StringRef cand) {
    unsigned d = name.edit_distance(cand, true, bestDist);
    if (d < bestDist && cand != name) {
      bestDist = d;
      best = cand.str();
    }
  };
  for (Scope *s = scope; s; s = s->parent)
    for (auto &entry : s->vars)
      consider(entry.getKey());
  for (auto &entry : globals)
    consider(entry.getKey());
  for (StringRef b : kBuiltinNames)
    consider(b);
  return best.empty() ? std::string() : "; did you mean '" + best + "'?";
}

//===----------------------------------------------------------------------===//
// Graph building
//===----------------------------------------------------------------------===//

int Checker::addLoc(SMLoc loc) {
  model->locs.push_back({loc, currentCaller, ""});
  return static_cast<int>(model->locs.size() - 1);
}

Val Checker::emit(OpKind kind, llvm::ArrayRef<int> operands, TensorType type,
                  SMLoc loc, llvm::ArrayRef<NodeAttr> attrs) {
  if (model->nodes.size() >= Limits::kMaxNodes) {
    if (!tooLarge)
      error(loc, Twine("the model is too large (more than ") +
                     Twine(uint64_t(Limits::kMaxNodes)) + " operations)");
    tooLarge = true;
    return Val::error();
  }
  Node node;
  node.kind = kind;
  node.operands.assign(operands.begin(), operands.end());
  node.type = std::move(type);
  node.loc = addLoc(loc);
  node.attrs.assign(attrs.begin(), attrs.end());
  node.region = kind == OpKind::Arg ? -1 : currentRegion;
  model->nodes.push_back(std::move(node));
  return Val::ofTensor(static_cast<int>(model->nodes.size() - 1));
}

bool Checker::checkShape(llvm::ArrayRef<int64_t> shape, SMLoc loc,
                         SMRange range) {
  if (static_cast<int64_t>(shape.size()) > Limits::kMaxRank) {
    error(loc,
          Twine("tensor rank ") + Twine(uint64_t(shape.size())) +
              " exceeds the limit of " + Twine(Limits::kMaxRank),
          range);
    return false;
  }
  int64_t count = 1;
  for (int64_t d : shape) {
    if (d <= 0) {
      error(loc, Twine("dimension sizes must be positive, got ") + Twine(d),
            range);
      return false;
    }
    if (mulOverflow(count, d, count) || count > Limits::kMaxElements) {
      error(loc, "tensor has too many elements (the limit is 2^40 elements)",
            range);
      return false;
    }
  }
  return true;
}

//===----------------------------------------------------------------------===//
// Sema
//===----------------------------------------------------------------------===//

bool Sema::check(const Program &program) {
  if (program.units.empty() || program.mainUnit >= program.units.size())
    return false;
  Checker checker(diags, program);
  return checker.run(models);
}
