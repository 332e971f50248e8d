//===- Softmax.cpp - VJPs of softmax and the losses -----------------------===//
//
// Part of dlc. softmax, log_softmax, cross_entropy and one_hot.
// Notation: y is the op's result, dy its cotangent.
//
//===----------------------------------------------------------------------===//

#include "DL/IR/Gradients/GradientBuilders.h"

using namespace mlir;
using namespace dlc::dl;
using namespace dlc::dl::gradient;

LogicalResult SoftmaxOp::buildVJP(OpBuilder &b, Value dy, ArrayRef<bool> needed,
                                  SmallVectorImpl<Value> &grads) {
  // dx = y * (dy - sum_axis(dy * y))
  Math m{b, getLoc()};
  Value y = getResult();
  int64_t axis = getAxis();
  return unaryGrad(
      needed,
      [&] { return m.mul(y, m.sub(dy, m.sumKeep(m.mul(dy, y), axis))); },
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
  // class indices and carry no gradient. With ignore_index, count is the
  // positions that count, and the others get no gradient.
  Math m{b, getLoc()};
  RankedTensorType logitsType = typeOf(getLogits());
  int64_t count = 1;
  for (int64_t d : logitsType.getShape().drop_back())
    count *= d;
  grads.push_back(needed[0] ? [&] {
    int64_t classAxis = logitsType.getRank() - 1;
    Value probs = m.softmax(getLogits(), classAxis);
    Value target = b.create<OneHotOp>(getLoc(), logitsType, getLabels());
    if (!getIgnoreIndex()) {
      Value scale = m.mul(dy, m.constant(dy, 1.0 / double(count)));
      return m.mul(m.sub(probs, target), scale);
    }
    // With ignore_index, positions whose label is outside [0, C) do not
    // count: their one-hot row is zero, so its sum over the classes is the
    // position's weight, and the count of counted positions is their sum.
    Value counted = m.sumKeep(target, {classAxis});
    SmallVector<int64_t> all =
        llvm::to_vector(llvm::seq<int64_t>(0, logitsType.getRank()));
    Value total = b.create<SumOp>(getLoc(), counted,
                                  b.getDenseI64ArrayAttr(all), UnitAttr());
    return m.mul(m.sub(m.mul(probs, counted), target), m.div(dy, total));
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
