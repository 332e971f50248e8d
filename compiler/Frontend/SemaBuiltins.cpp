//===- SemaBuiltins.cpp - builtin functions ---------------------------------===//
//
// Part of dlc. Sema: the builtin functions (Builtins.def).
//
//===----------------------------------------------------------------------===//

#include "Frontend/SemaInternal.h"

using namespace dlc::frontend;
using namespace dlc::frontend::sema;

//===----------------------------------------------------------------------===//
// Builtins
//===----------------------------------------------------------------------===//

/// {h, w} as a node attribute's int list.
static std::vector<int64_t> pair(const int64_t (&v)[2]) { return {v[0], v[1]}; }

bool Checker::evalWindowPair(const Expr *arg, int64_t dflt, StringRef builtin,
                             StringRef what, int64_t (&out)[2], Ctx &ctx) {
  out[0] = out[1] = dflt;
  if (!arg)
    return true;
  if (isa<ListExpr>(arg)) {
    auto v = evalIntList(*arg, ctx, what);
    if (!v)
      return false;
    if (v->size() != 2) {
      error(*arg, builtin + ": " + what +
                      " needs one value or two ([h, w]), got " +
                      Twine(v->size()));
      return false;
    }
    out[0] = (*v)[0];
    out[1] = (*v)[1];
    return true;
  }
  auto v = evalInt(*arg, ctx, what);
  if (!v)
    return false;
  out[0] = out[1] = *v;
  return true;
}

Val Checker::evalBuiltin(Builtin b, StringRef name, const CallExpr &e,
                         Ctx &ctx) {
  llvm::SmallVector<const Expr *, 4> a;
  SMLoc loc = e.getLoc();
  auto same = [&](const Val &x) { return typeOf(x); };
  switch (b) {
  case Builtin::None:
    return Val::error();
#define ELEMENTWISE_UNARY(spelling, Kind, DLOp)                                 \
  case Builtin::Kind: {                                                        \
    if (!bindArgs(e, name, {"x"}, 1, a))                                       \
      return Val::error();                                                     \
    return unary(OpKind::Kind, tensorArg(a[0], ctx, name, true), e);           \
  }
#define ELEMENTWISE_BINARY(spelling, Kind, DLOp)                                \
  case Builtin::Kind: {                                                        \
    if (!bindArgs(e, name, {"a", "b"}, 2, a))                                  \
      return Val::error();                                                     \
    Val x = eval(*a[0], ctx), y = eval(*a[1], ctx);                            \
    return binaryOp(OpKind::Kind, x, y, e, *a[0], *a[1]);                      \
  }
#include "Frontend/Builtins.def"
  case Builtin::Softmax:
  case Builtin::LogSoftmax:
  case Builtin::Argmax: {
    // f(x, axis = -1) along one axis; argmax gives i32 indices, x's shape
    // without the axis.
    if (!bindArgs(e, name, {"x", "axis"}, 1, a))
      return Val::error();
    Val x = tensorArg(a[0], ctx, name, true);
    if (x.isError())
      return x;
    TensorType t = same(x);
    if (t.rank() == 0) {
      error(e, "'" + name + "' needs a tensor of rank 1 or more");
      return Val::error();
    }
    std::optional<int64_t> n = evalAxis(a[1], -1, t, e, ctx);
    if (!n)
      return Val::error();
    if (b == Builtin::Argmax) {
      shapes::ShapeResult shape = shapes::reduce(t.shape, {*n}, false);
      t.dtype = DType::I32;
      t.shape.assign(shape->begin(), shape->end());
    }
    OpKind kind = b == Builtin::Softmax      ? OpKind::Softmax
                  : b == Builtin::LogSoftmax ? OpKind::LogSoftmax
                                             : OpKind::Argmax;
    return emit(kind, {x.node}, t, loc, {NodeAttr::ofInt(attr::kAxis, *n)});
  }
  case Builtin::Sum:
  case Builtin::Mean:
  case Builtin::Max: {
    if (!bindArgs(e, name, {"x", "axis", "keepdims"}, 1, a))
      return Val::error();
    Val x = tensorArg(a[0], ctx, name, b == Builtin::Mean);
    if (x.isError())
      return x;
    TensorType t = same(x);
    auto axes = evalAxes(a[1], t, ctx);
    if (!axes)
      return Val::error();
    bool keep = false;
    if (a[2]) {
      std::optional<int64_t> k = evalInt(*a[2], ctx, "keepdims");
      if (!k)
        return Val::error();
      keep = *k != 0;
    }
    // evalAxes normalized the axes: the rule cannot fail.
    shapes::ShapeResult shape = shapes::reduce(t.shape, *axes, keep);
    if (!shape) {
      error(e, name + ": " + shape.error());
      return Val::error();
    }
    TensorType out;
    out.dtype = t.dtype;
    out.shape.assign(shape->begin(), shape->end());
    OpKind k = b == Builtin::Sum    ? OpKind::Sum
               : b == Builtin::Mean ? OpKind::Mean
                                    : OpKind::Max;
    return emit(k, {x.node}, out, loc,
                {NodeAttr::ofInts(attr::kAxes, *axes),
                 NodeAttr::ofInt(attr::kKeepDims, keep)});
  }
  case Builtin::Reshape: {
    if (!bindArgs(e, name, {"x", "shape"}, 2, a))
      return Val::error();
    Val x = tensorArg(a[0], ctx, name, false);
    auto shape = evalIntList(*a[1], ctx, "the new shape");
    if (x.isError() || !shape)
      return Val::error();
    const TensorType &t = same(x);
    shapes::ShapeResult result = shapes::reshape(t.shape, *shape);
    if (!result) {
      error(*a[1], "reshape: " + result.error());
      return Val::error();
    }
    TensorType out;
    out.dtype = t.dtype;
    out.shape.assign(result->begin(), result->end());
    if (!checkShape(out.shape, a[1]->getLoc(), a[1]->getRange()))
      return Val::error();
    return emit(OpKind::Reshape, {x.node}, out, loc);
  }
  case Builtin::Transpose: {
    if (!bindArgs(e, name, {"x", "perm"}, 1, a))
      return Val::error();
    Val x = tensorArg(a[0], ctx, name, false);
    if (x.isError())
      return x;
    const TensorType &t = same(x);
    llvm::SmallVector<int64_t> perm;
    if (a[1]) {
      auto p = evalIntList(*a[1], ctx, "the permutation");
      if (!p)
        return Val::error();
      perm = *p;
    } else {
      for (int64_t i = t.rank() - 1; i >= 0; --i)
        perm.push_back(i);
    }
    // Negative entries count from the end (the language's sugar).
    for (int64_t &p : perm)
      if (p < 0 && p + t.rank() >= 0)
        p += t.rank();
    shapes::ShapeResult shape = shapes::transpose(t.shape, perm);
    if (!shape) {
      error(a[1] ? *a[1] : e, "transpose: " + shape.error());
      return Val::error();
    }
    TensorType out;
    out.dtype = t.dtype;
    out.shape.assign(shape->begin(), shape->end());
    return emit(OpKind::Transpose, {x.node}, out, loc,
                {NodeAttr::ofInts(attr::kPerm, perm)});
  }
  case Builtin::Broadcast: {
    if (!bindArgs(e, name, {"x", "shape"}, 2, a))
      return Val::error();
    Val x = tensorArg(a[0], ctx, name, false);
    auto shape = evalIntList(*a[1], ctx, "the target shape");
    if (x.isError() || !shape)
      return Val::error();
    const TensorType &t = same(x);
    if (!checkShape(*shape, a[1]->getLoc(), a[1]->getRange()))
      return Val::error();
    shapes::ShapeResult result = shapes::broadcast(t.shape, *shape);
    if (!result ||
        llvm::ArrayRef<int64_t>(*result) != llvm::ArrayRef<int64_t>(*shape)) {
      error(e, "cannot broadcast " + t.str() + " to the shape [" +
                   textOf(a[1]->getRange()).drop_front().drop_back() + "]");
      return Val::error();
    }
    TensorType out;
    out.dtype = t.dtype;
    out.shape.assign(shape->begin(), shape->end());
    return emit(OpKind::Broadcast, {x.node}, out, loc);
  }
  case Builtin::CrossEntropy: {
    if (!bindArgs(e, name, {"logits", "labels", "ignore_index"}, 2, a))
      return Val::error();
    Val l = tensorArg(a[0], ctx, name, true);
    Val y = tensorArg(a[1], ctx, name, false);
    if (l.isError() || y.isError())
      return Val::error();
    const TensorType &lt = same(l), &yt = same(y);
    if (lt.rank() < 1) {
      error(*a[0], "cross_entropy needs logits with a class dimension, got " +
                       lt.str());
      return Val::error();
    }
    if (isFloat(yt.dtype)) {
      error(*a[1], "cross_entropy needs integer class labels (such as i32), "
                   "got " +
                       yt.str());
      return Val::error();
    }
    if (llvm::ArrayRef<int64_t>(lt.shape).drop_back() !=
        llvm::ArrayRef<int64_t>(yt.shape)) {
      error(e, "cross_entropy labels " + yt.str() +
                   " must have the shape of the logits " + lt.str() +
                   " without the class dimension");
      return Val::error();
    }
    TensorType out;
    out.dtype = lt.dtype;
    if (!a[2])
      return emit(OpKind::CrossEntropy, {l.node, y.node}, out, loc);
    // PyTorch's ignore_index: positions with that label do not count.
    std::optional<int64_t> ignore = evalInt(*a[2], ctx, "ignore_index");
    if (!ignore)
      return Val::error();
    if (*ignore >= 0 && *ignore < lt.shape.back()) {
      error(*a[2], "ignore_index must be outside the classes [0, " +
                       Twine(lt.shape.back()) + "), got " + Twine(*ignore) +
                       " (such as PyTorch's -100)");
      return Val::error();
    }
    return emit(OpKind::CrossEntropy, {l.node, y.node}, out, loc,
                {NodeAttr::ofInt(attr::kIgnoreIndex, *ignore)});
  }
  case Builtin::Mse: {
    if (!bindArgs(e, name, {"prediction", "target"}, 2, a))
      return Val::error();
    Val p = tensorArg(a[0], ctx, name, true);
    Val t = tensorArg(a[1], ctx, name, true);
    if (p.isError() || t.isError())
      return Val::error();
    if (same(p) != same(t)) {
      error(e, "mse needs a prediction and a target of the same type, got " +
                   same(p).str() + " and " + same(t).str());
      return Val::error();
    }
    Val d = emit(OpKind::Sub, {p.node, t.node}, same(p), loc);
    if (d.isError())
      return d;
    Val sq = emit(OpKind::Mul, {d.node, d.node}, same(p), loc);
    if (sq.isError())
      return sq;
    llvm::SmallVector<int64_t> axes;
    for (int64_t i = 0; i < same(p).rank(); ++i)
      axes.push_back(i);
    TensorType out;
    out.dtype = same(p).dtype;
    return emit(OpKind::Mean, {sq.node}, out, loc,
                {NodeAttr::ofInts(attr::kAxes, axes)});
  }
  case Builtin::OneHot: {
    if (!bindArgs(e, name, {"labels", "classes"}, 2, a))
      return Val::error();
    Val y = tensorArg(a[0], ctx, name, false);
    std::optional<int64_t> classes = evalInt(*a[1], ctx, "the class count");
    if (y.isError() || !classes)
      return Val::error();
    if (isFloat(same(y).dtype)) {
      error(*a[0], "one_hot needs integer class indices (such as i32), got " +
                       same(y).str());
      return Val::error();
    }
    if (*classes < 1) {
      error(*a[1], "one_hot needs at least one class, got " +
                       Twine(*classes));
      return Val::error();
    }
    TensorType out;
    out.dtype = DType::F32;
    out.shape = same(y).shape;
    out.shape.push_back(*classes);
    if (!checkShape(out.shape, e.getLoc(), e.getRange()))
      return Val::error();
    return emit(OpKind::OneHot, {y.node}, out, loc);
  }
  case Builtin::Zeros:
  case Builtin::Ones:
  case Builtin::Fill: {
    bool isFill = b == Builtin::Fill;
    if (!bindArgs(e, name,
                  isFill ? llvm::ArrayRef<StringRef>{"value", "shape"}
                         : llvm::ArrayRef<StringRef>{"shape"},
                  isFill ? 2 : 1, a))
      return Val::error();
    double value = b == Builtin::Ones ? 1.0 : 0.0;
    if (isFill) {
      std::optional<double> v = evalNumber(*a[0], ctx, "the fill value");
      if (!v)
        return Val::error();
      value = *v;
    }
    const Expr *shapeE = a[isFill ? 1 : 0];
    auto shape = evalIntList(*shapeE, ctx, "the shape");
    if (!shape || !checkShape(*shape, shapeE->getLoc(), shapeE->getRange()))
      return Val::error();
    if (!ctx.inst) {
      error(e, "'" + name + "' is not a constant expression");
      return Val::error();
    }
    TensorType out;
    out.dtype = DType::F32;
    out.shape.assign(shape->begin(), shape->end());
    return emit(OpKind::Fill, {}, out, loc,
                {NodeAttr::ofFloat(attr::kValue, value)});
  }
  case Builtin::Sinusoidal: {
    // sinusoidal(T, D): the Transformer's fixed positions, a constant.
    if (!bindArgs(e, name, {"positions", "d"}, 2, a))
      return Val::error();
    std::optional<int64_t> t = evalInt(*a[0], ctx, "the number of positions");
    std::optional<int64_t> d = evalInt(*a[1], ctx, "the width");
    if (!t || !d)
      return Val::error();
    for (auto [v, arg] : {std::pair{*t, a[0]}, std::pair{*d, a[1]}})
      if (v < 1) {
        error(*arg, "'sinusoidal' needs positive sizes, got " + Twine(v));
        return Val::error();
      }
    if (*t > (int64_t(1) << 24) / *d) {
      error(e, "'sinusoidal' makes a constant in the code: at most 2^24 "
               "values, got " +
                   Twine(*t) + " x " + Twine(*d));
      return Val::error();
    }
    if (!ctx.inst) {
      error(e, "'" + name + "' is not a constant expression");
      return Val::error();
    }
    TensorType out;
    out.dtype = DType::F32;
    out.shape = {*t, *d};
    return emit(OpKind::Sinusoidal, {}, out, loc);
  }
  case Builtin::Concat:
  case Builtin::Stack: {
    // concat([a, b], axis = 0) or concat(a, b, axis = 0); stack likewise,
    // each part given a unit dimension at axis first.
    std::vector<const Expr *> parts;
    const Expr *axisE = nullptr;
    for (const Arg &arg : e.args) {
      if (arg.name == "axis") {
        axisE = arg.value.get();
      } else if (!arg.name.empty()) {
        error(arg.nameLoc, "'" + name + "' has no argument named '" +
                               arg.name + "'; its keyword argument is 'axis'");
        return Val::error();
      } else if (auto *list = dyn_cast<ListExpr>(arg.value.get());
                 list && e.args.size() <= 2) {
        for (const ExprPtr &el : list->elements)
          parts.push_back(el.get());
      } else {
        parts.push_back(arg.value.get());
      }
    }
    if (parts.empty()) {
      error(e, "'" + name + "' needs at least one tensor");
      return Val::error();
    }
    std::vector<Val> vals;
    for (const Expr *p : parts) {
      Val v = tensorArg(p, ctx, name, false);
      if (v.isError())
        return v;
      vals.push_back(v);
    }
    int64_t axis = 0;
    if (axisE) {
      std::optional<int64_t> v = evalInt(*axisE, ctx, "the axis");
      if (!v)
        return Val::error();
      axis = *v;
    }
    if (b == Builtin::Stack) {
      // Equal parts, each [..., 1, ...] at axis (in [0, rank]).
      const TensorType &first = same(vals[0]);
      int64_t rank = first.rank();
      if (axis < -rank - 1 || axis > rank) {
        error(axisE ? *axisE : e,
              "axis " + Twine(axis) + " is out of range for stacking " +
                  first.str() + " (from " + Twine(-rank - 1) + " to " +
                  Twine(rank) + ")");
        return Val::error();
      }
      if (axis < 0)
        axis += rank + 1;
      for (size_t i = 0; i < vals.size(); ++i) {
        const TensorType &t = same(vals[i]);
        if (t.shape != first.shape || t.dtype != first.dtype) {
          error(*parts[i], "cannot stack " + t.str() + " with " + first.str() +
                               " (stacked tensors have one type)");
          return Val::error();
        }
        TensorType r = t;
        r.shape.insert(r.shape.begin() + axis, 1);
        vals[i] = emit(OpKind::Reshape, {vals[i].node}, r, loc);
        if (vals[i].isError())
          return vals[i];
      }
    }
    TensorType out = same(vals[0]);
    if (out.rank() == 0) {
      error(*parts[0], "'concat' needs tensors of rank 1 or more");
      return Val::error();
    }
    std::optional<int64_t> n = normAxis(axis, out, axisE ? *axisE : e);
    if (!n)
      return Val::error();
    llvm::SmallVector<int> ops;
    // The parts' types live as long as the shapes that view them.
    std::vector<TensorType> types;
    for (const Val &v : vals)
      types.push_back(same(v));
    llvm::SmallVector<llvm::ArrayRef<int64_t>> shapesOf;
    for (size_t i = 0; i < vals.size(); ++i) {
      const TensorType &t = types[i];
      shapesOf.push_back(t.shape);
      shapes::ShapeResult joined = shapes::concat(shapesOf, *n);
      if (t.dtype != out.dtype || !joined) {
        error(*parts[i], "cannot concatenate " + t.str() + " with " +
                             same(vals[0]).str() + " along axis " + Twine(*n));
        return Val::error();
      }
      out.shape.assign(joined->begin(), joined->end());
      ops.push_back(vals[i].node);
    }
    if (!checkShape(out.shape, loc, e.getRange()))
      return Val::error();
    return emit(OpKind::Concat, ops, out, loc,
                {NodeAttr::ofInt(attr::kAxis, *n)});
  }
  case Builtin::Split: {
    // split(x, n, axis = 0): n equal parts; split(x, [s1, s2, ...], axis):
    // parts of those sizes (summing to the dimension). A tuple of slices.
    if (!bindArgs(e, name, {"x", "sections", "axis"}, 2, a))
      return Val::error();
    Val x = tensorArg(a[0], ctx, name, false);
    if (x.isError())
      return x;
    TensorType t = same(x);
    if (t.rank() == 0) {
      error(*a[0], "'split' needs a tensor of rank 1 or more");
      return Val::error();
    }
    std::optional<int64_t> n = evalAxis(a[2], 0, t, e, ctx);
    if (!n)
      return Val::error();
    int64_t size = t.shape[*n];
    llvm::SmallVector<int64_t> sizes;
    if (isa<ListExpr>(a[1])) {
      auto v = evalIntList(*a[1], ctx, "the part sizes");
      if (!v)
        return Val::error();
      sizes = *v;
    } else {
      std::optional<int64_t> parts = evalInt(*a[1], ctx, "the number of parts");
      if (!parts)
        return Val::error();
      if (*parts < 1 || size % *parts != 0) {
        error(*a[1], "cannot split dimension " + Twine(*n) + " of size " +
                         Twine(size) + " into " + Twine(*parts) +
                         " equal parts");
        return Val::error();
      }
      sizes.assign(size_t(*parts), size / *parts);
    }
    int64_t total = 0;
    for (int64_t s : sizes) {
      if (s < 1) {
        error(*a[1], "part sizes must be positive");
        return Val::error();
      }
      total += s;
    }
    if (total != size) {
      error(*a[1], "the part sizes sum to " + Twine(total) + ", not to the " +
                       "size " + Twine(size) + " of dimension " + Twine(*n));
      return Val::error();
    }
    Val tuple;
    tuple.kind = Val::Kind::Tuple;
    int64_t start = 0;
    for (int64_t s : sizes) {
      llvm::SmallVector<int64_t> ints;
      TensorType part = t;
      part.shape[*n] = s;
      for (int64_t d = 0; d < t.rank(); ++d)
        ints.append({d == *n ? start : 0, part.shape[d], 1, 1});
      tuple.elems.push_back(emit(OpKind::Slice, {x.node}, part, loc,
                                 {NodeAttr::ofInts(attr::kSlices, ints)}));
      if (tuple.elems.back().isError())
        return Val::error();
      start += s;
    }
    return tuple.elems.size() == 1 ? tuple.elems[0] : tuple;
  }
  case Builtin::Conv2d: {
    if (!bindArgs(e, name,
                  {"x", "w", "stride", "padding", "dilation", "groups"}, 2, a))
      return Val::error();
    Val x = tensorArg(a[0], ctx, name, true);
    Val w = tensorArg(a[1], ctx, name, true);
    if (x.isError() || w.isError())
      return Val::error();
    shapes::Conv2dWindow window;
    if (!evalWindowPair(a[2], 1, name, "the stride", window.stride, ctx) ||
        !evalWindowPair(a[3], 0, name, "the padding", window.padding, ctx) ||
        !evalWindowPair(a[4], 1, name, "the dilation", window.dilation, ctx))
      return Val::error();
    if (a[5]) {
      auto v = evalInt(*a[5], ctx, "the groups");
      if (!v)
        return Val::error();
      window.groups = *v;
    }
    const TensorType &xt = same(x), &wt = same(w);
    if (xt.dtype != wt.dtype) {
      error(e, "conv2d: x " + xt.str() + " and w " + wt.str() +
                   " have different element types");
      return Val::error();
    }
    shapes::ShapeResult shape = shapes::conv2d(xt.shape, wt.shape, window);
    if (!shape) {
      error(e, "conv2d: " + shape.error());
      return Val::error();
    }
    TensorType out;
    out.dtype = xt.dtype;
    out.shape.assign(shape->begin(), shape->end());
    if (!checkShape(out.shape, loc, e.getRange()))
      return Val::error();
    return emit(OpKind::Conv2d, {x.node, w.node}, out, loc,
                {NodeAttr::ofInts(attr::kStride, pair(window.stride)),
                 NodeAttr::ofInts(attr::kPadding, pair(window.padding)),
                 NodeAttr::ofInts(attr::kDilation, pair(window.dilation)),
                 NodeAttr::ofInt(attr::kGroups, window.groups)});
  }
  case Builtin::MaxPool2d:
  case Builtin::AvgPool2d: {
    if (!bindArgs(e, name, {"x", "size", "stride", "padding"}, 2, a))
      return Val::error();
    Val x = tensorArg(a[0], ctx, name, true);
    if (x.isError())
      return x;
    // The stride defaults to the window size, as in PyTorch.
    shapes::Pool2dWindow window;
    if (!evalWindowPair(a[1], 1, name, "the window size", window.kernel, ctx) ||
        !evalWindowPair(a[2], 0, name, "the stride", window.stride, ctx) ||
        !evalWindowPair(a[3], 0, name, "the padding", window.padding, ctx))
      return Val::error();
    if (!a[2])
      std::copy(window.kernel, window.kernel + 2, window.stride);
    const TensorType &t = same(x);
    shapes::ShapeResult shape = shapes::pool2d(t.shape, window);
    if (!shape) {
      error(e, name + ": " + shape.error());
      return Val::error();
    }
    TensorType out;
    out.dtype = t.dtype;
    out.shape.assign(shape->begin(), shape->end());
    return emit(b == Builtin::MaxPool2d ? OpKind::MaxPool2d : OpKind::AvgPool2d,
                {x.node}, out, loc,
                {NodeAttr::ofInts(attr::kSize, pair(window.kernel)),
                 NodeAttr::ofInts(attr::kStride, pair(window.stride)),
                 NodeAttr::ofInts(attr::kPadding, pair(window.padding))});
  }
  case Builtin::GlobalAvgPool2d: {
    // The mean over H and W: [N, C, H, W] -> [N, C].
    if (!bindArgs(e, name, {"x"}, 1, a))
      return Val::error();
    Val x = tensorArg(a[0], ctx, name, true);
    if (x.isError())
      return x;
    const TensorType &t = same(x);
    if (t.rank() != 4) {
      error(*a[0], name + " needs x: [N, C, H, W], got " + t.str());
      return Val::error();
    }
    TensorType out;
    out.dtype = t.dtype;
    out.shape = {t.shape[0], t.shape[1]};
    return emit(OpKind::Mean, {x.node}, out, loc,
                {NodeAttr::ofInts(attr::kAxes, {2, 3}),
                 NodeAttr::ofInt(attr::kKeepDims, 0)});
  }
  case Builtin::Flatten: {
    // Every dimension after the first into one: [N, ...] -> [N, prod].
    if (!bindArgs(e, name, {"x"}, 1, a))
      return Val::error();
    Val x = tensorArg(a[0], ctx, name, false);
    if (x.isError())
      return x;
    const TensorType &t = same(x);
    if (t.rank() < 1) {
      error(*a[0], name + " needs x of rank 1 or more, got " + t.str());
      return Val::error();
    }
    TensorType out;
    out.dtype = t.dtype;
    int64_t rest = 1;
    for (size_t i = 1; i < t.shape.size(); ++i)
      rest *= t.shape[i];
    out.shape = {t.shape[0], rest};
    return emit(OpKind::Reshape, {x.node}, out, loc);
  }
  case Builtin::BatchNorm:
  case Builtin::LayerNorm: {
    if (!bindArgs(e, name, {"x", "gamma", "beta", "eps"}, 3, a))
      return Val::error();
    Val x = tensorArg(a[0], ctx, name, true);
    Val g = tensorArg(a[1], ctx, name, true);
    Val be = tensorArg(a[2], ctx, name, true);
    if (x.isError() || g.isError() || be.isError())
      return Val::error();
    double eps = 1e-5;
    if (a[3]) {
      auto v = evalNumber(*a[3], ctx, "eps");
      if (!v)
        return Val::error();
      eps = *v;
    }
    const TensorType &t = same(x);
    bool isBatch = b == Builtin::BatchNorm;
    {
      // The op's shape rule: x [N, C, ...] and [C] (batch), x [..., D] and
      // [D] (layer).
      const TensorType &gt = same(g), &bt = same(be);
      shapes::ShapeResult stats =
          isBatch ? shapes::batchNorm(t.shape, gt.shape, bt.shape)
                  : shapes::layerNorm(t.shape, gt.shape, bt.shape);
      if (!stats) {
        error(t.rank() < (isBatch ? 2 : 1) ? *a[0] : e,
              name + ": " + stats.error());
        return Val::error();
      }
      if (gt.dtype != t.dtype || bt.dtype != t.dtype) {
        error(e, name + ": gamma and beta must have x's element type " +
                     spell(t.dtype) + ", got " + gt.str() + " and " + bt.str());
        return Val::error();
      }
    }
    int64_t features = isBatch ? t.shape[1] : t.shape.back();
    for (const Val *p : {&g, &be}) {
      const TensorType &pt = same(*p);
      if (pt.rank() != 1 || pt.shape[0] != features || pt.dtype != t.dtype) {
        error(e, "'" + name + "' needs gamma and beta of type " +
                     spell(t.dtype) + "[" + Twine(features) + "] for x " +
                     t.str() + ", got " + pt.str());
        return Val::error();
      }
    }
    if (!(eps > 0)) {
      error(*a[3], "eps must be positive");
      return Val::error();
    }
    if (!isBatch)
      return emit(OpKind::LayerNorm, {x.node, g.node, be.node}, t, loc,
                  {NodeAttr::ofFloat(attr::kEps, eps)});
    // y, and the batch's mean and (biased) variance per channel.
    Val y = emit(OpKind::BatchNorm, {x.node, g.node, be.node}, t, loc,
                 {NodeAttr::ofFloat(attr::kEps, eps)});
    if (y.isError())
      return y;
    Val tuple;
    tuple.kind = Val::Kind::Tuple;
    tuple.elems.push_back(y);
    TensorType stats = same(g);
    for (int64_t index : {1, 2}) {
      tuple.elems.push_back(emit(OpKind::Result, {y.node}, stats, loc,
                                 {NodeAttr::ofInt(attr::kIndex, index)}));
      if (tuple.elems.back().isError())
        return Val::error();
    }
    return tuple;
  }
  case Builtin::Embedding: {
    if (!bindArgs(e, name, {"table", "ids"}, 2, a))
      return Val::error();
    Val table = tensorArg(a[0], ctx, name, true);
    Val ids = tensorArg(a[1], ctx, name, false);
    if (table.isError() || ids.isError())
      return Val::error();
    const TensorType &tt = same(table), &it = same(ids);
    shapes::ShapeResult shape = shapes::embedding(tt.shape, it.shape);
    if (!shape) {
      error(*a[0], "embedding " + shape.error() + " (" + tt.str() + ")");
      return Val::error();
    }
    if (isFloat(it.dtype)) {
      error(*a[1], "embedding needs integer ids, got " + it.str());
      return Val::error();
    }
    TensorType out;
    out.dtype = tt.dtype;
    out.shape.assign(shape->begin(), shape->end());
    if (!checkShape(out.shape, loc, e.getRange()))
      return Val::error();
    return emit(OpKind::Embedding, {table.node, ids.node}, out, loc);
  }
  case Builtin::Dropout: {
    // dropout(x, p, seed, step): in training x masked by a random stream
    // keyed by the 0-d seed and step (the stdlib Dropout layer's states),
    // scaled by 1 / (1 - p); in inference x.
    if (!bindArgs(e, name, {"x", "p", "seed", "step"}, 4, a))
      return Val::error();
    Val x = tensorArg(a[0], ctx, name, true);
    auto p = evalNumber(*a[1], ctx, "the drop probability");
    Val seed = tensorArg(a[2], ctx, name, true);
    Val step = tensorArg(a[3], ctx, name, true);
    if (x.isError() || !p || seed.isError() || step.isError())
      return Val::error();
    if (!(*p >= 0 && *p < 1)) {
      error(*a[1], "the drop probability must be in [0, 1)");
      return Val::error();
    }
    for (auto [val, arg] : {std::pair{&seed, a[2]}, std::pair{&step, a[3]}})
      if (same(*val).rank() != 0) {
        error(*arg, name +
                        " needs a 0-d seed and step (the key of its "
                        "random stream), got " +
                        same(*val).str());
        return Val::error();
      }
    Val dropped = emit(OpKind::Dropout, {x.node, seed.node, step.node}, same(x),
                       loc, {NodeAttr::ofFloat(attr::kP, *p)});
    if (dropped.isError())
      return dropped;
    return emit(OpKind::ModeSelect, {dropped.node, x.node}, same(x), loc);
  }
  case Builtin::Attention: {
    if (!bindArgs(e, name, {"q", "k", "v", "causal", "mask"}, 3, a))
      return Val::error();
    Val q = tensorArg(a[0], ctx, name, true);
    Val k = tensorArg(a[1], ctx, name, true);
    Val v = tensorArg(a[2], ctx, name, true);
    if (q.isError() || k.isError() || v.isError())
      return Val::error();
    bool causal = false;
    if (a[3]) {
      auto c = evalInt(*a[3], ctx, "causal");
      if (!c)
        return Val::error();
      causal = *c != 0;
    }
    const TensorType &qt = same(q), &kt = same(k), &vt = same(v);
    shapes::ShapeResult shape = shapes::attention(qt.shape, kt.shape, vt.shape);
    if (!shape) {
      error(e, "attention " + shape.error());
      return Val::error();
    }
    if (qt.dtype != kt.dtype || qt.dtype != vt.dtype) {
      error(e, "attention needs q, k and v of one element type, got " +
                   qt.str() + ", " + kt.str() + " and " + vt.str());
      return Val::error();
    }
    TensorType out = qt;
    out.shape.assign(shape->begin(), shape->end());
    llvm::SmallVector<int, 2> operands = {q.node, k.node, v.node};
    if (a[4]) {
      // An additive mask, broadcast to the scores [..., Tq, Tk].
      Val mask = tensorArg(a[4], ctx, name, true);
      if (mask.isError())
        return mask;
      const TensorType &mt = same(mask);
      llvm::SmallVector<int64_t, 4> scores = qt.shape;
      scores.back() = kt.shape[kt.rank() - 2];
      shapes::ShapeResult joined = shapes::broadcast(scores, mt.shape);
      if (mt.dtype != qt.dtype || !joined ||
          llvm::ArrayRef<int64_t>(*joined) != llvm::ArrayRef<int64_t>(scores)) {
        TensorType st = qt;
        st.shape = scores;
        error(*a[4], "attention's mask must be of q's element type and "
                     "broadcast to the scores " +
                         st.str() + ", got " + mt.str());
        return Val::error();
      }
      operands.push_back(mask.node);
    }
    return emit(OpKind::Attention, operands, out, loc,
                {NodeAttr::ofInt(attr::kCausal, causal)});
  }
  case Builtin::Repeat: {
    if (!ctx.allowTemplates) {
      error(e, "'repeat' creates layer instances; use it in a member "
               "declaration such as 'blocks = repeat(6, Block(512))'");
      return Val::error();
    }
    if (!bindArgs(e, name, {"count", "layer"}, 2, a))
      return Val::error();
    auto n = evalInt(*a[0], ctx, "the repeat count");
    if (!n)
      return Val::error();
    if (*n < 1 || *n > Limits::kMaxRepeat) {
      error(*a[0], "the repeat count must be in [1, " +
                       Twine(Limits::kMaxRepeat) + "], got " + Twine(*n));
      return Val::error();
    }
    Val t = eval(*a[1], ctx);
    if (t.isError())
      return t;
    if (t.kind != Val::Kind::Layer || !t.applied || t.repeat != 0) {
      error(*a[1], "'repeat' needs a layer with its arguments, like "
                   "'Block(512, 8)', got " +
                       describe(t));
      return Val::error();
    }
    t.repeat = *n;
    return t;
  }
  }
  return Val::error();
}
