//===- Reduction.cpp - VJPs of the dl reductions --------------------------===//
//
// Part of dlc. sum, mean and max: dy broadcast back over the reduced axes.
// Notation: y is the op's result, dy its cotangent.
//
//===----------------------------------------------------------------------===//

#include "DL/IR/Gradients/GradientBuilders.h"

using namespace mlir;
using namespace dlc::dl;
using namespace dlc::dl::gradient;

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
