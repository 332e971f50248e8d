//===- SemaExprs.cpp - expressions ------------------------------------------===//
//
// Part of dlc. Sema: expression helpers and expressions (names, arithmetic, matmul,
// members, indexing).
//
//===----------------------------------------------------------------------===//

#include "Frontend/SemaInternal.h"

using namespace dlc::frontend;
using namespace dlc::frontend::sema;

//===----------------------------------------------------------------------===//
// Expression helpers
//===----------------------------------------------------------------------===//

bool Checker::bindArgs(const CallExpr &e, StringRef fname,
                       llvm::ArrayRef<StringRef> names, unsigned required,
                       llvm::SmallVectorImpl<const Expr *> &out) {
  out.assign(names.size(), nullptr);
  bool ok = true;
  size_t positional = 0;
  bool sawKeyword = false;
  for (const Arg &a : e.args) {
    if (a.name.empty()) {
      if (sawKeyword) {
        error(*a.value, "positional argument after a keyword argument");
        ok = false;
        continue;
      }
      if (positional >= names.size()) {
        error(*a.value, "too many arguments to '" + fname + "': it takes " +
                            Twine(uint64_t(names.size())));
        ok = false;
        continue;
      }
      out[positional++] = a.value.get();
      continue;
    }
    sawKeyword = true;
    auto it = llvm::find(names, StringRef(a.name));
    if (it == names.end()) {
      std::string list;
      for (StringRef n : names)
        list += (list.empty() ? "'" : ", '") + n.str() + "'";
      error(a.nameLoc,
            "'" + fname + "' has no argument named '" + a.name + "'" +
                (list.empty() ? std::string("; it takes no arguments")
                              : "; its arguments are " + list),
            SMRange(a.nameLoc, a.value->getRange().End));
      ok = false;
      continue;
    }
    size_t idx = it - names.begin();
    if (out[idx]) {
      error(a.nameLoc,
            "argument '" + a.name + "' of '" + fname + "' is given twice");
      ok = false;
      continue;
    }
    out[idx] = a.value.get();
  }
  for (unsigned i = 0; ok && i < required && i < names.size(); ++i) {
    if (!out[i]) {
      error(e.getLoc(), "'" + fname + "' needs its argument '" + names[i] + "'",
            e.getRange());
      ok = false;
    }
  }
  return ok;
}

Val Checker::toTensor(const Val &v, DType dtype, const Expr &where) {
  if (v.isError() || v.isTensor())
    return v;
  if (v.kind == Val::Kind::Int) {
    TensorType t;
    t.dtype = dtype;
    return emit(OpKind::Fill, {}, t, where.getLoc(),
                {NodeAttr::ofFloat(attr::kValue, double(v.i))});
  }
  if (v.kind == Val::Kind::Float) {
    if (!isFloat(dtype)) {
      error(where, "cannot use the float " + describe(v).substr(11) +
                       " with a tensor of integers (" + spell(dtype) + ")");
      return Val::error();
    }
    TensorType t;
    t.dtype = dtype;
    return emit(OpKind::Fill, {}, t, where.getLoc(),
                {NodeAttr::ofFloat(attr::kValue, v.f)});
  }
  error(where, "expected a tensor or a number, got " + describe(v));
  return Val::error();
}

Val Checker::tensorArg(const Expr *e, Ctx &ctx, StringRef fname,
                       bool needFloat) {
  Val v = eval(*e, ctx);
  if (v.isError())
    return v;
  if (v.isNumber())
    v = toTensor(v, DType::F32, *e);
  if (v.isError())
    return v;
  if (!v.isTensor()) {
    error(*e, "'" + fname + "' needs a tensor argument, got " + describe(v));
    return Val::error();
  }
  if (needFloat && !isFloat(typeOf(v).dtype)) {
    error(*e, "'" + fname + "' needs a floating-point tensor, got " +
                  typeOf(v).str());
    return Val::error();
  }
  return v;
}

std::optional<int64_t> Checker::evalInt(const Expr &e, Ctx &ctx,
                                        StringRef what) {
  Val v = eval(e, ctx);
  if (v.isError())
    return std::nullopt;
  if (v.kind != Val::Kind::Int) {
    error(e, "expected a compile-time integer for " + what + ", got " +
                 describe(v));
    return std::nullopt;
  }
  return v.i;
}

std::optional<double> Checker::evalNumber(const Expr &e, Ctx &ctx,
                                          StringRef what) {
  Val v = eval(e, ctx);
  if (v.isError())
    return std::nullopt;
  if (!v.isNumber()) {
    error(e, "expected a compile-time number for " + what + ", got " +
                 describe(v));
    return std::nullopt;
  }
  return v.asDouble();
}

std::optional<llvm::SmallVector<int64_t>>
Checker::evalIntList(const Expr &e, Ctx &ctx, StringRef what) {
  auto *list = dyn_cast<ListExpr>(&e);
  if (!list) {
    error(e, "expected a list of integers such as [64, 10] for " + what);
    return std::nullopt;
  }
  llvm::SmallVector<int64_t> out;
  bool ok = true;
  for (const ExprPtr &el : list->elements) {
    std::optional<int64_t> v = evalInt(*el, ctx, what);
    if (!v)
      ok = false;
    else
      out.push_back(*v);
  }
  if (!ok)
    return std::nullopt;
  return out;
}

std::optional<int64_t> Checker::normAxis(int64_t axis, const TensorType &t,
                                         const Expr &where) {
  int64_t rank = t.rank();
  if (axis < -rank || axis >= rank) {
    error(where, "axis " + Twine(axis) + " is out of range for " + t.str() +
                     " (rank " + Twine(rank) + ")");
    return std::nullopt;
  }
  return axis < 0 ? axis + rank : axis;
}

std::optional<int64_t> Checker::evalAxis(const Expr *e, int64_t dflt,
                                         const TensorType &t,
                                         const Expr &where, Ctx &ctx) {
  int64_t axis = dflt;
  if (e) {
    std::optional<int64_t> v = evalInt(*e, ctx, "the axis");
    if (!v)
      return std::nullopt;
    axis = *v;
  }
  return normAxis(axis, t, e ? *e : where);
}

std::optional<llvm::SmallVector<int64_t>>
Checker::evalAxes(const Expr *e, const TensorType &t, Ctx &ctx) {
  llvm::SmallVector<int64_t> axes;
  if (!e) {
    for (int64_t i = 0; i < t.rank(); ++i)
      axes.push_back(i);
    return axes;
  }
  llvm::SmallVector<int64_t> raw;
  if (isa<ListExpr>(e)) {
    auto list = evalIntList(*e, ctx, "the axes");
    if (!list)
      return std::nullopt;
    raw = *list;
  } else {
    std::optional<int64_t> a = evalInt(*e, ctx, "the axis");
    if (!a)
      return std::nullopt;
    raw.push_back(*a);
  }
  for (int64_t a : raw) {
    std::optional<int64_t> n = normAxis(a, t, *e);
    if (!n)
      return std::nullopt;
    if (llvm::is_contained(axes, *n)) {
      error(*e, "axis " + Twine(*n) + " is listed twice");
      return std::nullopt;
    }
    axes.push_back(*n);
  }
  llvm::sort(axes);
  return axes;
}

Val Checker::unary(OpKind kind, const Val &x, const Expr &where) {
  if (x.isError())
    return x;
  return emit(kind, {x.node}, typeOf(x), where.getLoc());
}

//===----------------------------------------------------------------------===//
// Expressions
//===----------------------------------------------------------------------===//

Val Checker::eval(const Expr &e, Ctx &ctx) {
  bool ok = true;
  DepthGuard guard(evalDepth, ok);
  if (!ok) {
    if (!tooLarge)
      error(e, "the program nests too deeply to check (more than " +
                   Twine(Limits::kMaxEvalDepth) + " levels of evaluation)");
    tooLarge = true;
    return Val::error();
  }
  if (tooLarge || diags.tooManyErrors())
    return Val::error();
  switch (e.getKind()) {
  case Expr::Kind::Int:
    return Val::ofInt(cast<IntExpr>(e).value);
  case Expr::Kind::Float:
    return Val::ofFloat(cast<FloatExpr>(e).value);
  case Expr::Kind::String:
    error(e, "string literals are only used by 'import'");
    return Val::error();
  case Expr::Kind::Name:
    return evalName(cast<NameExpr>(e), ctx);
  case Expr::Kind::Unary:
    return evalUnary(cast<UnaryExpr>(e), ctx);
  case Expr::Kind::Binary:
    return evalBinary(cast<BinaryExpr>(e), ctx);
  case Expr::Kind::Call:
    return evalCall(cast<CallExpr>(e), ctx);
  case Expr::Kind::Member:
    return evalMember(cast<MemberExpr>(e), ctx);
  case Expr::Kind::Index:
    return evalIndex(cast<IndexExpr>(e), ctx);
  case Expr::Kind::Slice:
    error(e, "a slice 'a:b' is only allowed inside '[ ]'");
    return Val::error();
  case Expr::Kind::List: {
    Val list;
    list.kind = Val::Kind::List;
    for (const ExprPtr &el : cast<ListExpr>(e).elements) {
      Val v = eval(*el, ctx);
      if (v.isError())
        return v;
      list.elems.push_back(v);
    }
    return list;
  }
  case Expr::Kind::Scan:
    return evalScan(cast<ScanExpr>(e), ctx);
  }
  return Val::error();
}

Val Checker::evalName(const NameExpr &e, Ctx &ctx) {
  if (Binding *b = ctx.scope->lookup(e.name))
    return b->val;
  if (globals.count(e.name)) {
    const Decl *d = globals[e.name].decl;
    if (isa<LayerDecl>(d)) {
      Val v;
      v.kind = Val::Kind::Layer;
      v.layer = cast<LayerDecl>(d);
      return v;
    }
    error(e, "model '" + e.name + "' cannot be used in an expression");
    return Val::error();
  }
  if (lookupBuiltin(e.name) != Builtin::None) {
    error(e, "'" + e.name + "' is a builtin function; call it like '" + e.name +
                 "(...)'");
    return Val::error();
  }
  if (aliases.count(e.name)) {
    error(e, "'" + e.name +
                 "' is an imported module; name one of its "
                 "layers, like '" +
                 e.name + ".Linear'");
    return Val::error();
  }
  for (Scope *s = ctx.scope; s; s = s->parent)
    if (auto it = s->branchOnly.find(e.name); it != s->branchOnly.end()) {
      error(e, "'" + e.name +
                   "' is bound in only one branch of 'if training', so it "
                   "has no value after the 'if'");
      diags.note(it->second.Start, "'" + e.name + "' is bound here");
      return Val::error();
    }
  error(e,
        "use of undeclared name '" + e.name + "'" + suggest(e.name, ctx.scope));
  return Val::error();
}

Val Checker::evalUnary(const UnaryExpr &e, Ctx &ctx) {
  Val v = eval(*e.operand, ctx);
  switch (v.kind) {
  case Val::Kind::Error:
    return v;
  case Val::Kind::Int:
    if (v.i == INT64_MIN) {
      error(e, "integer overflow in constant expression");
      return Val::error();
    }
    return Val::ofInt(-v.i);
  case Val::Kind::Float:
    return Val::ofFloat(-v.f);
  case Val::Kind::Tensor:
    return emit(OpKind::Neg, {v.node}, typeOf(v), e.getLoc());
  default:
    error(e, "cannot negate " + describe(v));
    return Val::error();
  }
}

Val Checker::evalBinary(const BinaryExpr &e, Ctx &ctx) {
  Val lhs = eval(*e.lhs, ctx);
  Val rhs = eval(*e.rhs, ctx);
  if (lhs.isError() || rhs.isError())
    return Val::error();
  if (e.op == BinaryOp::MatMul)
    return matmul(lhs, rhs, e);
  if (e.op == BinaryOp::Mod) {
    // The remainder of integer constants (a layer's shape arithmetic), with
    // the sign of the dividend as in C.
    if (lhs.kind != Val::Kind::Int || rhs.kind != Val::Kind::Int) {
      error(e, "'%' takes integer constants, not " +
                   describe(lhs.kind != Val::Kind::Int ? lhs : rhs));
      return Val::error();
    }
    if (rhs.i == 0) {
      error(e, "division by zero in constant expression");
      return Val::error();
    }
    return Val::ofInt(rhs.i == -1 ? 0 : lhs.i % rhs.i);
  }
  OpKind kind = e.op == BinaryOp::Add   ? OpKind::Add
                : e.op == BinaryOp::Sub ? OpKind::Sub
                : e.op == BinaryOp::Mul ? OpKind::Mul
                                        : OpKind::Div;
  return binaryOp(kind, lhs, rhs, e, *e.lhs, *e.rhs);
}

Val Checker::binaryOp(OpKind kind, Val lhs, Val rhs, const Expr &where,
                      const Expr &lhsE, const Expr &rhsE) {
  if (lhs.isError() || rhs.isError())
    return Val::error();
  StringRef opName = spell(kind);
  // Compile-time arithmetic.
  if (lhs.isNumber() && rhs.isNumber()) {
    if (lhs.kind == Val::Kind::Int && rhs.kind == Val::Kind::Int) {
      int64_t a = lhs.i, b = rhs.i, r = 0;
      bool overflow = false;
      switch (kind) {
      case OpKind::Add:
        overflow = __builtin_add_overflow(a, b, &r);
        break;
      case OpKind::Sub:
        overflow = __builtin_sub_overflow(a, b, &r);
        break;
      case OpKind::Mul:
        overflow = __builtin_mul_overflow(a, b, &r);
        break;
      case OpKind::Div:
        if (b == 0) {
          error(where, "division by zero in constant expression");
          return Val::error();
        }
        overflow = a == INT64_MIN && b == -1;
        if (!overflow)
          r = a / b;
        break;
      case OpKind::Maximum:
        r = std::max(a, b);
        break;
      case OpKind::Minimum:
        r = std::min(a, b);
        break;
      default:
        break;
      }
      if (overflow) {
        error(where, "integer overflow in constant expression");
        return Val::error();
      }
      return Val::ofInt(r);
    }
    double a = lhs.asDouble(), b = rhs.asDouble(), r = 0;
    switch (kind) {
    case OpKind::Add:
      r = a + b;
      break;
    case OpKind::Sub:
      r = a - b;
      break;
    case OpKind::Mul:
      r = a * b;
      break;
    case OpKind::Div:
      r = a / b;
      break;
    case OpKind::Maximum:
      r = std::max(a, b);
      break;
    case OpKind::Minimum:
      r = std::min(a, b);
      break;
    default:
      break;
    }
    if (!std::isfinite(r)) {
      error(where, "constant expression is not finite (overflow or division "
                   "by zero)");
      return Val::error();
    }
    return Val::ofFloat(r);
  }
  // A number next to a tensor takes the tensor's element type.
  if (lhs.isNumber() && rhs.isTensor())
    lhs = toTensor(lhs, typeOf(rhs).dtype, lhsE);
  else if (rhs.isNumber() && lhs.isTensor())
    rhs = toTensor(rhs, typeOf(lhs).dtype, rhsE);
  if (lhs.isError() || rhs.isError())
    return Val::error();
  if (!lhs.isTensor() || !rhs.isTensor()) {
    error(where, "'" + opName + "' cannot be applied to " +
                     describe(lhs.isTensor() ? rhs : lhs));
    return Val::error();
  }
  const TensorType &a = typeOf(lhs), &b = typeOf(rhs);
  if (a.dtype != b.dtype) {
    error(where, "element types differ in '" + opName + "': " + a.str() +
                     " and " + b.str() + " (there are no implicit casts)");
    return Val::error();
  }
  shapes::ShapeResult shape = shapes::broadcast(a.shape, b.shape);
  if (!shape) {
    error(where, opName + ": " + shape.error());
    return Val::error();
  }
  TensorType t;
  t.dtype = a.dtype;
  t.shape.assign(shape->begin(), shape->end());
  return emit(kind, {lhs.node, rhs.node}, t, where.getLoc());
}

Val Checker::matmul(Val lhs, Val rhs, const BinaryExpr &e) {
  if (!lhs.isTensor() || !rhs.isTensor()) {
    error(e,
          "'@' needs two tensors, got " + describe(lhs.isTensor() ? rhs : lhs));
    return Val::error();
  }
  TensorType a = typeOf(lhs), b = typeOf(rhs);
  if (!isFloat(a.dtype) || a.dtype != b.dtype) {
    error(e, "'@' needs two floating-point tensors of the same element "
             "type, got " +
                 a.str() + " and " + b.str());
    return Val::error();
  }
  if (a.rank() < 2 || b.rank() < 2) {
    error(e, "'@' needs operands of rank 2 or more, got " + a.str() + " and " +
                 b.str() + " (reshape vectors to [1, n] or [n, 1])");
    return Val::error();
  }
  if (std::string why = shapes::checkContraction(a.shape, b.shape);
      !why.empty()) {
    error(e, "matmul: " + why);
    return Val::error();
  }
  int64_t K = a.shape.back();
  int64_t M = a.shape[a.rank() - 2], N = b.shape.back();
  llvm::ArrayRef<int64_t> ba = llvm::ArrayRef<int64_t>(a.shape).drop_back(2);
  llvm::ArrayRef<int64_t> bb = llvm::ArrayRef<int64_t>(b.shape).drop_back(2);
  SMLoc loc = e.getLoc();
  TensorType out;
  out.dtype = a.dtype;
  if (ba == bb) {
    out.shape.assign(ba.begin(), ba.end());
    out.shape.push_back(M);
    out.shape.push_back(N);
    return emit(OpKind::Matmul, {lhs.node, rhs.node}, out, loc);
  }
  if (bb.empty()) {
    // [B..., M, K] @ [K, N]: fold the batch into the rows.
    int64_t rows = M;
    for (int64_t d : ba)
      rows *= d; // Bounded: it is an element count of lhs divided by K.
    TensorType flat;
    flat.dtype = a.dtype;
    flat.shape = {rows, K};
    Val f = emit(OpKind::Reshape, {lhs.node}, flat, loc);
    if (f.isError())
      return f;
    TensorType prod;
    prod.dtype = a.dtype;
    prod.shape = {rows, N};
    Val p = emit(OpKind::Matmul, {f.node, rhs.node}, prod, loc);
    if (p.isError())
      return p;
    out.shape.assign(ba.begin(), ba.end());
    out.shape.push_back(M);
    out.shape.push_back(N);
    if (!checkShape(out.shape, loc, e.getRange()))
      return Val::error();
    return emit(OpKind::Reshape, {p.node}, out, loc);
  }
  shapes::ShapeResult batch = shapes::broadcast(ba, bb);
  if (!batch) {
    error(e, "matmul batch dimensions of " + a.str() + " and " + b.str() +
                 " cannot be broadcast together");
    return Val::error();
  }
  auto widen = [&](Val v, const TensorType &t, int64_t r, int64_t c) {
    TensorType w;
    w.dtype = t.dtype;
    w.shape.assign(batch->begin(), batch->end());
    w.shape.push_back(r);
    w.shape.push_back(c);
    if (w == t)
      return v;
    if (!checkShape(w.shape, loc, e.getRange()))
      return Val::error();
    return emit(OpKind::Broadcast, {v.node}, w, loc);
  };
  Val l = widen(lhs, a, M, K), r = widen(rhs, b, K, N);
  if (l.isError() || r.isError())
    return Val::error();
  out.shape.assign(batch->begin(), batch->end());
  out.shape.push_back(M);
  out.shape.push_back(N);
  if (!checkShape(out.shape, loc, e.getRange()))
    return Val::error();
  return emit(OpKind::Matmul, {l.node, r.node}, out, loc);
}

Val Checker::evalMember(const MemberExpr &e, Ctx &ctx) {
  // `nn.Linear`: a layer of an imported module.
  if (auto *base = dyn_cast<NameExpr>(e.base.get())) {
    if (!ctx.scope->lookup(base->name) && aliases.count(base->name)) {
      size_t unit = aliases[base->name];
      auto it = globals.find(e.member);
      if (it == globals.end() || it->second.unit != unit ||
          !isa<LayerDecl>(it->second.decl)) {
        error(e.memberLoc,
              "module '" + base->name + "' has no layer '" + e.member + "'",
              e.getRange());
        return Val::error();
      }
      Val v;
      v.kind = Val::Kind::Layer;
      v.layer = cast<LayerDecl>(it->second.decl);
      return v;
    }
  }
  Val v = eval(*e.base, ctx);
  if (v.isError())
    return v;
  if (e.member == "T" && v.isTensor()) {
    const TensorType &t = typeOf(v);
    if (t.rank() < 2) {
      error(e, "'.T' needs a tensor of rank 2 or more, got " + t.str());
      return Val::error();
    }
    llvm::SmallVector<int64_t> perm;
    for (int64_t i = 0; i < t.rank(); ++i)
      perm.push_back(i);
    std::swap(perm[t.rank() - 1], perm[t.rank() - 2]);
    TensorType out = t;
    std::swap(out.shape[t.rank() - 1], out.shape[t.rank() - 2]);
    return emit(OpKind::Transpose, {v.node}, out, e.memberLoc,
                {NodeAttr::ofInts(attr::kPerm, perm)});
  }
  if (v.kind == Val::Kind::Instance && v.inst && !v.inst->isChain) {
    // A layer instance's parameter, state, constant or sub-instance
    // (`tokens.table`: weight tying reads the embedding table).
    auto it = v.inst->scope.vars.find(e.member);
    if (it != v.inst->scope.vars.end() &&
        (it->second.kind == BindKind::Param ||
         it->second.kind == BindKind::State ||
         it->second.kind == BindKind::Const ||
         it->second.kind == BindKind::Instance) &&
        !it->second.val.isError())
      return it->second.val;
    std::vector<std::string> names;
    for (auto &entry : v.inst->scope.vars)
      if (entry.second.kind == BindKind::Param ||
          entry.second.kind == BindKind::State ||
          entry.second.kind == BindKind::Instance)
        names.push_back("'" + entry.getKey().str() + "'");
    std::sort(names.begin(), names.end());
    std::string list;
    for (const std::string &n : names)
      list += (list.empty() ? "" : ", ") + n;
    error(e.memberLoc,
          "unknown member '." + e.member + "' of " + describe(v) +
              (list.empty() ? std::string(" (it has no parameters)")
                            : "; its parameters, states and layers are " + list),
          e.getRange());
    return Val::error();
  }
  error(e.memberLoc,
        "unknown member '." + e.member + "' of " + describe(v) +
            " (tensors have '.T')",
        e.getRange());
  return Val::error();
}

Val Checker::evalIndex(const IndexExpr &e, Ctx &ctx) {
  Val base = eval(*e.base, ctx);
  if (base.isError())
    return base;
  if (!base.isTensor()) {
    error(e, "only tensors can be indexed, got " + describe(base));
    return Val::error();
  }
  TensorType t = typeOf(base);
  if (static_cast<int64_t>(e.subscripts.size()) > t.rank()) {
    error(e, "too many subscripts (" + Twine(uint64_t(e.subscripts.size())) +
                 ") for " + t.str());
    return Val::error();
  }
  TensorType out;
  out.dtype = t.dtype;
  llvm::SmallVector<int64_t> ints;
  for (int64_t d = 0; d < t.rank(); ++d) {
    int64_t size = t.shape[d];
    int64_t start = 0, count = size, step = 1;
    bool keep = true;
    if (d < static_cast<int64_t>(e.subscripts.size())) {
      const Expr &sub = *e.subscripts[d];
      if (auto *s = dyn_cast<SliceExpr>(&sub)) {
        int64_t stop = size;
        auto bound = [&](const ExprPtr &x, int64_t &outV,
                         StringRef what) -> bool {
          if (!x)
            return true;
          std::optional<int64_t> v = evalInt(*x, ctx, what);
          if (!v)
            return false;
          int64_t n = *v < 0 ? *v + size : *v;
          if (n < 0 || n > size) {
            error(*x, "slice bound " + Twine(*v) +
                          " is out of range for "
                          "dimension " +
                          Twine(d) + " of size " + Twine(size));
            return false;
          }
          outV = n;
          return true;
        };
        if (!bound(s->start, start, "a slice start") ||
            !bound(s->stop, stop, "a slice end"))
          return Val::error();
        if (s->step) {
          std::optional<int64_t> v = evalInt(*s->step, ctx, "a slice step");
          if (!v)
            return Val::error();
          if (*v <= 0) {
            error(*s->step, "slice steps must be positive");
            return Val::error();
          }
          step = *v;
        }
        if (stop <= start) {
          error(sub, "empty slice of dimension " + Twine(d) +
                         " (tensors cannot have size 0)");
          return Val::error();
        }
        count = (stop - start + step - 1) / step;
      } else {
        std::optional<int64_t> v = evalInt(sub, ctx, "an index");
        if (!v)
          return Val::error();
        if (*v < -size || *v >= size) {
          error(sub, "index " + Twine(*v) + " is out of range for dimension " +
                         Twine(d) + " of size " + Twine(size));
          return Val::error();
        }
        start = *v < 0 ? *v + size : *v;
        count = 1;
        keep = false;
      }
    }
    ints.append({start, count, step, keep ? 1 : 0});
    if (keep)
      out.shape.push_back(count);
  }
  // The op's own rule (the bounds above keep every slice in range).
  llvm::SmallVector<int64_t> offsets, sizes, steps;
  for (size_t d = 0; 4 * d < ints.size(); ++d) {
    offsets.push_back(ints[4 * d]);
    sizes.push_back(ints[4 * d + 1]);
    steps.push_back(ints[4 * d + 2]);
  }
  shapes::ShapeResult box = shapes::slice(t.shape, offsets, sizes, steps);
  if (!box) {
    error(e, "slice: " + box.error());
    return Val::error();
  }
  return emit(OpKind::Slice, {base.node}, out, e.getLoc(),
              {NodeAttr::ofInts(attr::kSlices, ints)});
}
