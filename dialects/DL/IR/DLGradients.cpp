//===- DLGradients.cpp - vector-Jacobian products of the dl ops -----------===//
//
// Part of dlc. Each op's DifferentiableOpInterface::buildVJP. Gradients are
// built from dl ops, so that they are folded, fused and lowered like the
// forward computation. Notation: y is the op's result, dy its cotangent.
//
//===----------------------------------------------------------------------===//

#include "DL/IR/DLOps.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace dlc::dl;

namespace {

RankedTensorType typeOf(Value v) { return cast<RankedTensorType>(v.getType()); }

/// A 0-d tensor of `elementType` holding `value` (broadcasts against
/// anything).
Value scalar(OpBuilder &b, Location loc, Type elementType, double value) {
  return b.create<FillOp>(loc, RankedTensorType::get({}, elementType),
                          b.getF64FloatAttr(value));
}

/// Small builders so the formulas below read as formulas.
struct Math {
  OpBuilder &b;
  Location loc;
  Value add(Value x, Value y) { return b.create<AddOp>(loc, x, y); }
  Value sub(Value x, Value y) { return b.create<SubOp>(loc, x, y); }
  Value mul(Value x, Value y) { return b.create<MulOp>(loc, x, y); }
  Value div(Value x, Value y) { return b.create<DivOp>(loc, x, y); }
  Value neg(Value x) { return b.create<NegOp>(loc, x); }
  Value step(Value x) { return b.create<StepOp>(loc, x); }
  Value sign(Value x) { return b.create<SignOp>(loc, x); }
  Value exp(Value x) { return b.create<ExpOp>(loc, x); }
  Value constant(Value like, double v) {
    return scalar(b, loc, typeOf(like).getElementType(), v);
  }
  /// Sums over `axes` keeping them, then broadcasts back to `like`'s shape.
  Value sumKeep(Value x, ArrayRef<int64_t> axes) {
    return b.create<SumOp>(loc, x, b.getDenseI64ArrayAttr(axes),
                           b.getUnitAttr());
  }
  Value broadcastTo(Value x, RankedTensorType type) {
    return typeOf(x) == type ? x : b.create<BroadcastOp>(loc, type, x);
  }
  Value reshape(Value x, RankedTensorType type) {
    return typeOf(x) == type ? x : b.create<ReshapeOp>(loc, type, x);
  }
  Value transpose(Value x, ArrayRef<int64_t> perm) {
    return b.create<TransposeOp>(loc, x, b.getDenseI64ArrayAttr(perm));
  }
  /// Swaps the last two dimensions.
  Value transposeLast2(Value x) {
    int64_t rank = typeOf(x).getRank();
    SmallVector<int64_t> perm = llvm::to_vector(llvm::seq<int64_t>(0, rank));
    std::swap(perm[rank - 1], perm[rank - 2]);
    return transpose(x, perm);
  }
  Value matmul(Value x, Value y) { return b.create<MatmulOp>(loc, x, y); }
  Value softmax(Value x, int64_t axis) {
    return b.create<SoftmaxOp>(loc, x, b.getI64IntegerAttr(axis));
  }
};

/// Appends `lhs`/`rhs` (reduced to their operands' shapes) where needed.
LogicalResult binaryGrads(OpBuilder &b, Operation *op, ArrayRef<bool> needed,
                          llvm::function_ref<Value()> lhs,
                          llvm::function_ref<Value()> rhs,
                          SmallVectorImpl<Value> &grads) {
  Location loc = op->getLoc();
  grads.push_back(needed[0] ? reduceToShape(b, loc, lhs(),
                                            typeOf(op->getOperand(0)))
                            : Value());
  grads.push_back(needed[1] ? reduceToShape(b, loc, rhs(),
                                            typeOf(op->getOperand(1)))
                            : Value());
  return success();
}

/// The gradient of a reduction over `axes`: dy (with the axes restored as
/// size-1 dims) broadcast to the input's shape.
Value expandReduced(Math &m, Value dy, RankedTensorType inputType,
                    ArrayRef<int64_t> axes) {
  SmallVector<int64_t> kept(inputType.getShape());
  for (int64_t axis : axes)
    kept[axis] = 1;
  Value restored =
      m.reshape(dy, RankedTensorType::get(kept, inputType.getElementType()));
  return m.broadcastTo(restored, inputType);
}

} // namespace

Value dlc::dl::reduceToShape(OpBuilder &b, Location loc, Value grad,
                             RankedTensorType type) {
  RankedTensorType gradType = typeOf(grad);
  if (gradType == type)
    return grad;
  ArrayRef<int64_t> from = gradType.getShape(), to = type.getShape();
  int64_t offset = from.size() - to.size();
  SmallVector<int64_t> axes;
  for (int64_t d = 0, e = from.size(); d < e; ++d)
    if (d < offset || (to[d - offset] == 1 && from[d] != 1))
      axes.push_back(d);
  Value summed = grad;
  if (!axes.empty())
    summed = b.create<SumOp>(loc, grad, b.getDenseI64ArrayAttr(axes),
                             /*keepdims=*/nullptr);
  Math m{b, loc};
  return m.reshape(summed, type);
}

//===----------------------------------------------------------------------===//
// Matmul
//===----------------------------------------------------------------------===//

LogicalResult MatmulOp::buildVJP(OpBuilder &b, Value dy, ArrayRef<bool> needed,
                                 SmallVectorImpl<Value> &grads) {
  // dA = dY B^T, dB = A^T dY (per batch).
  Math m{b, getLoc()};
  grads.push_back(needed[0] ? m.matmul(dy, m.transposeLast2(getRhs()))
                            : Value());
  grads.push_back(needed[1] ? m.matmul(m.transposeLast2(getLhs()), dy)
                            : Value());
  return success();
}

//===----------------------------------------------------------------------===//
// Binary elementwise
//===----------------------------------------------------------------------===//

LogicalResult AddOp::buildVJP(OpBuilder &b, Value dy, ArrayRef<bool> needed,
                              SmallVectorImpl<Value> &grads) {
  return binaryGrads(
      b, *this, needed, [&] { return dy; }, [&] { return dy; }, grads);
}

LogicalResult SubOp::buildVJP(OpBuilder &b, Value dy, ArrayRef<bool> needed,
                              SmallVectorImpl<Value> &grads) {
  Math m{b, getLoc()};
  return binaryGrads(
      b, *this, needed, [&] { return dy; }, [&] { return m.neg(dy); }, grads);
}

LogicalResult MulOp::buildVJP(OpBuilder &b, Value dy, ArrayRef<bool> needed,
                              SmallVectorImpl<Value> &grads) {
  Math m{b, getLoc()};
  return binaryGrads(
      b, *this, needed, [&] { return m.mul(dy, getRhs()); },
      [&] { return m.mul(dy, getLhs()); }, grads);
}

LogicalResult DivOp::buildVJP(OpBuilder &b, Value dy, ArrayRef<bool> needed,
                              SmallVectorImpl<Value> &grads) {
  // y = a / b: da = dy / b, db = -dy * y / b.
  Math m{b, getLoc()};
  return binaryGrads(
      b, *this, needed, [&] { return m.div(dy, getRhs()); },
      [&] { return m.neg(m.div(m.mul(dy, getResult()), getRhs())); }, grads);
}

LogicalResult MaximumOp::buildVJP(OpBuilder &b, Value dy,
                                  ArrayRef<bool> needed,
                                  SmallVectorImpl<Value> &grads) {
  // The larger operand takes the gradient; on a tie, rhs does.
  Math m{b, getLoc()};
  Value lhsWins = m.step(m.sub(getLhs(), getRhs()));
  return binaryGrads(
      b, *this, needed, [&] { return m.mul(dy, lhsWins); },
      [&] { return m.mul(dy, m.sub(m.constant(dy, 1.0), lhsWins)); }, grads);
}

LogicalResult MinimumOp::buildVJP(OpBuilder &b, Value dy,
                                  ArrayRef<bool> needed,
                                  SmallVectorImpl<Value> &grads) {
  // The smaller operand takes the gradient; on a tie, rhs does.
  Math m{b, getLoc()};
  Value lhsWins = m.step(m.sub(getRhs(), getLhs()));
  return binaryGrads(
      b, *this, needed, [&] { return m.mul(dy, lhsWins); },
      [&] { return m.mul(dy, m.sub(m.constant(dy, 1.0), lhsWins)); }, grads);
}

//===----------------------------------------------------------------------===//
// Unary elementwise
//===----------------------------------------------------------------------===//

/// Appends `grad()` if the operand's gradient is needed.
static LogicalResult unaryGrad(ArrayRef<bool> needed,
                               llvm::function_ref<Value()> grad,
                               SmallVectorImpl<Value> &grads) {
  grads.push_back(needed[0] ? grad() : Value());
  return success();
}

LogicalResult NegOp::buildVJP(OpBuilder &b, Value dy, ArrayRef<bool> needed,
                              SmallVectorImpl<Value> &grads) {
  Math m{b, getLoc()};
  return unaryGrad(needed, [&] { return m.neg(dy); }, grads);
}

LogicalResult ReluOp::buildVJP(OpBuilder &b, Value dy, ArrayRef<bool> needed,
                               SmallVectorImpl<Value> &grads) {
  // dx = dy where x > 0 (0 at x = 0, as PyTorch).
  Math m{b, getLoc()};
  return unaryGrad(needed, [&] { return m.mul(dy, m.step(getInput())); },
                   grads);
}

LogicalResult SigmoidOp::buildVJP(OpBuilder &b, Value dy, ArrayRef<bool> needed,
                                  SmallVectorImpl<Value> &grads) {
  // dx = dy * y * (1 - y)
  Math m{b, getLoc()};
  Value y = getResult();
  return unaryGrad(
      needed,
      [&] { return m.mul(dy, m.mul(y, m.sub(m.constant(y, 1.0), y))); }, grads);
}

LogicalResult TanhOp::buildVJP(OpBuilder &b, Value dy, ArrayRef<bool> needed,
                               SmallVectorImpl<Value> &grads) {
  // dx = dy * (1 - y^2)
  Math m{b, getLoc()};
  Value y = getResult();
  return unaryGrad(
      needed, [&] { return m.mul(dy, m.sub(m.constant(y, 1.0), m.mul(y, y))); },
      grads);
}

LogicalResult ExpOp::buildVJP(OpBuilder &b, Value dy, ArrayRef<bool> needed,
                              SmallVectorImpl<Value> &grads) {
  Math m{b, getLoc()};
  return unaryGrad(needed, [&] { return m.mul(dy, getResult()); }, grads);
}

LogicalResult LogOp::buildVJP(OpBuilder &b, Value dy, ArrayRef<bool> needed,
                              SmallVectorImpl<Value> &grads) {
  Math m{b, getLoc()};
  return unaryGrad(needed, [&] { return m.div(dy, getInput()); }, grads);
}

LogicalResult SqrtOp::buildVJP(OpBuilder &b, Value dy, ArrayRef<bool> needed,
                               SmallVectorImpl<Value> &grads) {
  // dx = dy / (2 y)
  Math m{b, getLoc()};
  Value y = getResult();
  return unaryGrad(
      needed, [&] { return m.div(dy, m.mul(m.constant(y, 2.0), y)); }, grads);
}

LogicalResult StepOp::buildVJP(OpBuilder &, Value, ArrayRef<bool>,
                               SmallVectorImpl<Value> &grads) {
  // Piecewise constant: the gradient is zero almost everywhere.
  grads.push_back(Value());
  return success();
}

LogicalResult FloorOp::buildVJP(OpBuilder &, Value, ArrayRef<bool>,
                                SmallVectorImpl<Value> &grads) {
  // Piecewise constant: the gradient is zero almost everywhere.
  grads.push_back(Value());
  return success();
}

LogicalResult CosOp::buildVJP(OpBuilder &b, Value dy, ArrayRef<bool> needed,
                              SmallVectorImpl<Value> &grads) {
  // dx = -dy * sin(x)
  Math m{b, getLoc()};
  return unaryGrad(
      needed,
      [&] { return m.neg(m.mul(dy, b.create<SinOp>(getLoc(), getInput()))); },
      grads);
}

LogicalResult SinOp::buildVJP(OpBuilder &b, Value dy, ArrayRef<bool> needed,
                              SmallVectorImpl<Value> &grads) {
  // dx = dy * cos(x)
  Math m{b, getLoc()};
  return unaryGrad(
      needed, [&] { return m.mul(dy, b.create<CosOp>(getLoc(), getInput())); },
      grads);
}

LogicalResult SignOp::buildVJP(OpBuilder &, Value, ArrayRef<bool>,
                               SmallVectorImpl<Value> &grads) {
  // Piecewise constant: the gradient is zero almost everywhere.
  grads.push_back(Value());
  return success();
}

LogicalResult CastOp::buildVJP(OpBuilder &b, Value dy, ArrayRef<bool> needed,
                               SmallVectorImpl<Value> &grads) {
  // Between floats, dx = dy cast back to the operand's type (rounded when
  // the cast widened). Integer operands carry no gradient.
  RankedTensorType inputType = typeOf(getInput());
  bool isFloat = isa<FloatType>(inputType.getElementType());
  grads.push_back(needed[0] && isFloat
                      ? b.create<CastOp>(getLoc(), inputType, dy).getResult()
                      : Value());
  return success();
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

LogicalResult SumOp::buildVJP(OpBuilder &b, Value dy, ArrayRef<bool> needed,
                              SmallVectorImpl<Value> &grads) {
  Math m{b, getLoc()};
  return unaryGrad(
      needed,
      [&] { return expandReduced(m, dy, typeOf(getInput()), getAxes()); },
      grads);
}

LogicalResult MeanOp::buildVJP(OpBuilder &b, Value dy, ArrayRef<bool> needed,
                               SmallVectorImpl<Value> &grads) {
  Math m{b, getLoc()};
  RankedTensorType inputType = typeOf(getInput());
  int64_t count = 1;
  for (int64_t axis : getAxes())
    count *= inputType.getDimSize(axis);
  return unaryGrad(
      needed,
      [&] {
        Value scaled = m.mul(dy, m.constant(dy, 1.0 / double(count)));
        return expandReduced(m, scaled, inputType, getAxes());
      },
      grads);
}

LogicalResult MaxOp::buildVJP(OpBuilder &b, Value dy, ArrayRef<bool> needed,
                              SmallVectorImpl<Value> &grads) {
  // The elements equal to the maximum share the gradient equally, as
  // torch.amax: dx = dy * mask / count(mask) along the reduced axes, with
  // mask = 1 - sign(max - x) (max - x >= 0, and 0 exactly at the maximum).
  Math m{b, getLoc()};
  RankedTensorType inputType = typeOf(getInput());
  return unaryGrad(
      needed,
      [&] {
        Value max = expandReduced(m, getResult(), inputType, getAxes());
        Value mask =
            m.sub(m.constant(dy, 1.0), m.sign(m.sub(max, getInput())));
        Value share = m.div(mask, m.sumKeep(mask, getAxes()));
        return m.mul(expandReduced(m, dy, inputType, getAxes()), share);
      },
      grads);
}

//===----------------------------------------------------------------------===//
// Shape ops
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::buildVJP(OpBuilder &b, Value dy, ArrayRef<bool> needed,
                                  SmallVectorImpl<Value> &grads) {
  Math m{b, getLoc()};
  return unaryGrad(needed, [&] { return m.reshape(dy, typeOf(getInput())); },
                   grads);
}

LogicalResult TransposeOp::buildVJP(OpBuilder &b, Value dy,
                                    ArrayRef<bool> needed,
                                    SmallVectorImpl<Value> &grads) {
  Math m{b, getLoc()};
  ArrayRef<int64_t> perm = getPerm();
  SmallVector<int64_t> inverse(perm.size());
  for (auto [i, p] : llvm::enumerate(perm))
    inverse[p] = i;
  return unaryGrad(needed, [&] { return m.transpose(dy, inverse); }, grads);
}

LogicalResult BroadcastOp::buildVJP(OpBuilder &b, Value dy,
                                    ArrayRef<bool> needed,
                                    SmallVectorImpl<Value> &grads) {
  return unaryGrad(
      needed, [&] { return reduceToShape(b, getLoc(), dy, typeOf(getInput())); },
      grads);
}

//===----------------------------------------------------------------------===//
// Softmax and losses
//===----------------------------------------------------------------------===//

LogicalResult SoftmaxOp::buildVJP(OpBuilder &b, Value dy, ArrayRef<bool> needed,
                                  SmallVectorImpl<Value> &grads) {
  // dx = y * (dy - sum_axis(dy * y))
  Math m{b, getLoc()};
  Value y = getResult();
  int64_t axis = getAxis();
  return unaryGrad(
      needed, [&] { return m.mul(y, m.sub(dy, m.sumKeep(m.mul(dy, y), axis))); },
      grads);
}

LogicalResult LogSoftmaxOp::buildVJP(OpBuilder &b, Value dy,
                                     ArrayRef<bool> needed,
                                     SmallVectorImpl<Value> &grads) {
  // dx = dy - exp(y) * sum_axis(dy)
  Math m{b, getLoc()};
  int64_t axis = getAxis();
  return unaryGrad(
      needed,
      [&] { return m.sub(dy, m.mul(m.exp(getResult()), m.sumKeep(dy, axis))); },
      grads);
}

LogicalResult CrossEntropyOp::buildVJP(OpBuilder &b, Value dy,
                                       ArrayRef<bool> needed,
                                       SmallVectorImpl<Value> &grads) {
  // dlogits = (softmax(logits) - one_hot(labels)) * dy / count; labels are
  // class indices and carry no gradient.
  Math m{b, getLoc()};
  RankedTensorType logitsType = typeOf(getLogits());
  int64_t count = 1;
  for (int64_t d : logitsType.getShape().drop_back())
    count *= d;
  grads.push_back(needed[0] ? [&] {
    Value probs = m.softmax(getLogits(), logitsType.getRank() - 1);
    Value target = b.create<OneHotOp>(getLoc(), logitsType, getLabels());
    Value scale = m.mul(dy, m.constant(dy, 1.0 / double(count)));
    return m.mul(m.sub(probs, target), scale);
  }()
                            : Value());
  grads.push_back(Value());
  return success();
}

LogicalResult OneHotOp::buildVJP(OpBuilder &, Value, ArrayRef<bool>,
                                 SmallVectorImpl<Value> &grads) {
  // Class indices carry no gradient.
  grads.push_back(Value());
  return success();
}
